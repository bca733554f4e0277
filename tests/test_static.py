"""Production static files: compressed and with content-hashed names."""

import json

from django.core.management import call_command
from django.test import override_settings


def test_collectstatic_makes_hashed_compressed_files(tmp_path, settings):
    with override_settings(
        STATIC_ROOT=tmp_path,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        },
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    hashed = manifest["css/site.css"]
    assert hashed != "css/site.css" and hashed.startswith("css/site.")
    assert (tmp_path / hashed).exists()
    assert (tmp_path / f"{hashed}.gz").exists()
    assert (tmp_path / f"{hashed}.br").exists()
    # The admin's own files are collected too.
    assert "admin/css/base.css" in manifest
