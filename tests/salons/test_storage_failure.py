"""The storage failing while a plan's photo is written (a full disk, a storage
that turned read-only or went away): the organiser gets the form back with
everything typed and a Japanese message, no row is kept, no file is left
behind, and the failure is logged. The faults are real: a storage folder that
cannot exist (its parent is a file), and a 16 KiB tmpfs that fills up."""

import logging
import os
import random
import subprocess

import pytest
from django.test import Client
from PIL import Image

from salons.models import ActivityPlan, Attachment
from tests.salons.crafted import save, upload
from tests.salons.plan_data import make_world, plan_data

MESSAGE = "添付ファイルを保存できませんでした"


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture
def point_storage(monkeypatch):
    """Moves the attachments' own storage (chosen when the model was loaded) elsewhere."""
    storage = Attachment._meta.get_field("file").storage

    def to(location):
        monkeypatch.setattr(storage, "_location", str(location))
        for cached in ("base_location", "location"):
            monkeypatch.delitem(storage.__dict__, cached, raising=False)

    yield to
    for cached in ("base_location", "location"):
        storage.__dict__.pop(cached, None)


def files_under(folder):
    return [os.path.join(root, name) for root, _dirs, names in os.walk(folder) for name in names]


def send_with_photo(world):
    # Noise does not compress: the stored photo is tens of kilobytes.
    noise = Image.frombytes("RGB", (160, 160), random.Random(7).randbytes(160 * 160 * 3))
    photo = upload("salon.png", save(noise, "PNG"))
    data = plan_data(world, attachments=photo, representative_name="髙﨑 花子")
    return Client().post("/salons/plans/new/", {**data, "action": "submit"})


def test_a_storage_that_cannot_be_written_keeps_the_form_and_nothing_else(
    world, tmp_path, caplog, point_storage
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the storage's folder should be")
    point_storage(blocker / "private")
    response = send_with_photo(world)
    html = response.content.decode()
    assert response.status_code == 200
    assert MESSAGE in html
    assert 'value="髙﨑 花子"' in html  # what was typed is still in the form
    assert ActivityPlan.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert any("Could not store an uploaded file" in r.getMessage() for r in caplog.records)


@pytest.fixture
def full_disk(tmp_path):
    folder = tmp_path / "tiny"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(folder)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        pytest.skip("mounting a small tmpfs needs root; the unwritable-folder test covers the rest")
    # Most of the space taken already, as on a disk that is nearly full.
    (folder / "filler").write_bytes(b"x" * 12 * 1024)
    yield folder
    subprocess.run(["umount", str(folder)], check=False)


def test_a_full_disk_leaves_no_half_written_file(world, full_disk, caplog, point_storage):
    caplog.set_level(logging.ERROR)
    before = set(files_under(full_disk))
    point_storage(full_disk)
    response = send_with_photo(world)
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert ActivityPlan.objects.count() == 0
    # No 0-byte or partial file per try: only what was there before.
    assert set(files_under(full_disk)) == before
