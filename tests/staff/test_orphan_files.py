"""remove_orphan_files: a file no row refers to (the upload of a transaction
that rolled back) is removed once it is a day old; a referenced file, a fresh
one and anything outside the upload folders are kept."""

import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.management import call_command

from salons.models import Attachment, SalonPhoto
from tests.factories import ActivityPlanFactory, SalonFactory

DAY_AND_A_BIT = 25 * 3600


def written(storage, name, *, age=0):
    name = storage.save(name, ContentFile(b"%PDF-1.4 test"))
    if age:
        then = time.time() - age
        os.utime(storage.path(name), (then, then))
    return name


@pytest.fixture
def files(db):
    private = storages["private"]
    plan = ActivityPlanFactory()
    kept_attachment = Attachment.objects.create(
        plan=plan, kind="other", file=written(private, "attachments/kept.pdf", age=DAY_AND_A_BIT)
    )
    photo = SalonPhoto.objects.create(
        salon=SalonFactory(),
        alt_text="体操",
        image=written(default_storage, "salons/kept.jpg", age=DAY_AND_A_BIT),
    )
    return {
        "kept": [(private, kept_attachment.file.name), (default_storage, photo.image.name)],
        "old_orphans": [
            (private, written(private, "attachments/rolled-back.pdf", age=DAY_AND_A_BIT)),
            (
                default_storage,
                written(default_storage, "salons/rolled-back.jpg", age=DAY_AND_A_BIT),
            ),
        ],
        "fresh_orphan": (private, written(private, "attachments/being-saved-now.pdf")),
        "elsewhere": (
            default_storage,
            written(default_storage, "unrelated-folder/x.pdf", age=DAY_AND_A_BIT),
        ),
    }


def test_old_orphans_go_and_everything_else_stays(files, capsys):
    call_command("remove_orphan_files")
    for storage, name in files["old_orphans"]:
        assert not storage.exists(name), name
    for storage, name in [*files["kept"], files["fresh_orphan"], files["elsewhere"]]:
        assert storage.exists(name), name
    assert "参照されていないファイル: 2件" in capsys.readouterr().out


def test_a_dry_run_removes_nothing_and_a_second_run_finds_nothing(files, capsys):
    call_command("remove_orphan_files", "--dry-run")
    for storage, name in files["old_orphans"]:
        assert storage.exists(name)
    assert "対象: attachments/rolled-back.pdf" in capsys.readouterr().out
    call_command("remove_orphan_files")
    capsys.readouterr()
    call_command("remove_orphan_files")
    assert "参照されていないファイル: 0件" in capsys.readouterr().out
