"""backup_site and restore_site: a backup restored into an emptied database
and emptied storage folders gives back every row (with its key) and every
file, and the database goes on numbering new rows after the restored ones.

Each test makes the same small site, so a refusal cannot pass because the
archive or the database was different from the one the round trip restores.
"""

import hashlib
import io
import json
import re
import shutil
import tarfile
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from axes.models import AccessLog
from django.apps import apps
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db.migrations.recorder import MigrationRecorder
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from districts.models import District
from news.models import Category, Post, PostImage
from salons.models import Attachment
from shakyo_portal.backoffice.backup import counted_models, dump_queryset
from shakyo_portal.core.storage import private_storage
from shakyo_portal.staff.roles import Role
from tests.factories import (
    ActivityPlanFactory,
    DistrictFactory,
    UserFactory,
    WelfareCommitteeMemberFactory,
    role_user,
)


@pytest.fixture
def folders(settings, tmp_path, monkeypatch):
    media, private = tmp_path / "media", tmp_path / "private"
    settings.MEDIA_ROOT = str(media)
    settings.PRIVATE_MEDIA_ROOT = str(private)
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": str(private)}},
    }
    # A FileField calls its storage callable once, when the model is defined,
    # so the fields that keep private files must be pointed at the new folder.
    for model in apps.get_models():
        for field in model._meta.fields:
            if getattr(field, "_storage_callable", None) is private_storage:
                monkeypatch.setattr(field, "storage", storages["private"])
    return {"media": media, "private": private}


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), "red").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def site(folders):
    district = DistrictFactory(name="清音")
    WelfareCommitteeMemberFactory.create_batch(3, district=district)
    plan = ActivityPlanFactory(salon__district=district)
    Attachment.objects.create(
        plan=plan,
        file=ContentFile(b"%PDF-1.4 plan", name="plan.pdf"),
        kind="document",
        content_type="application/pdf",
        original_name="計画書.pdf",
        size=13,
    )
    post = Post.objects.create(
        title="敬老会のお知らせ",
        category=Category.objects.create(name="お知らせ", slug="news"),
        body="本文",
        status="published",
    )
    post.districts.set([district])
    PostImage.objects.create(
        post=post, image=ContentFile(png(), name="photo.png"), alt_text="公会堂で体操をする参加者"
    )
    officer = role_user(Role.DISTRICT, districts=[district])
    TOTPDevice.objects.create(user=officer, name="スマートフォン", confirmed=True)
    AccessLog.objects.create(
        username=officer.username,
        ip_address="192.0.2.1",
        user_agent="test",
        http_accept="*/*",
        path_info="/admin/login/",
    )
    # An update in the audit trail, and gaps in the keys: the trail names rows
    # by key, so a restore that renumbered them would make it lie.
    district.summary = "見守り活動をしています。"
    district.save()
    UserFactory(username="gone").delete()
    DistrictFactory().delete()
    assert LogEntry.objects.filter(action=LogEntry.Action.UPDATE).exists()
    return district


def rows() -> dict:
    """Every row of every backed-up table, with foreign keys by natural key
    (content types and permissions are rebuilt, not restored). A many-to-many
    link is only its two ends: its own key is not kept, nor referred to."""
    found = {}
    for label, model in counted_models().items():
        data = serializers.serialize("python", dump_queryset(model), use_natural_foreign_keys=True)
        if model._meta.auto_created:
            data = sorted(sorted(row["fields"].items()) for row in data)
        found[label] = data
    return found


def files(folders) -> dict:
    return {
        f"{folder}/{path.relative_to(root).as_posix()}": hashlib.sha256(
            path.read_bytes()
        ).hexdigest()
        for folder, root in folders.items()
        if root.exists()
        for path in root.rglob("*")
        if path.is_file()
    }


def backup(tmp_path) -> Path:
    out = io.StringIO()
    call_command("backup_site", output=tmp_path / "backups", stdout=out)
    (archive,) = (tmp_path / "backups").glob("*.tar.gz")
    assert f"保存先: {archive}" in out.getvalue()
    return archive


def empty(folders):
    call_command("flush", interactive=False, verbosity=0)
    for root in folders.values():
        shutil.rmtree(root, ignore_errors=True)


def rewrite(archive: Path, change) -> Path:
    """A copy of the archive with change(name, data) applied to every member."""
    target = archive.with_name(f"{change.__name__}.tar.gz")
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        for member in source:
            data = change(member.name, source.extractfile(member).read())
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    return target


# flush and restore commit, so the rows must really be written.
@pytest.mark.django_db(transaction=True)
def test_round_trip_restores_every_row_and_file(site, folders, tmp_path):
    before_rows, before_files = rows(), files(folders)
    assert any(name.startswith("media/news/images/") for name in before_files)
    assert any(name.startswith("private/attachments/") for name in before_files)
    archive = backup(tmp_path)

    # Into a database that still has data: refused, and nothing changes.
    site.name = "書き換えた名前"
    site.save()
    with pytest.raises(CommandError, match=r"(?s)既にデータがあります.*--force"):
        call_command("restore_site", str(archive), stdout=io.StringIO())
    assert District.objects.get(pk=site.pk).name == "書き換えた名前"

    empty(folders)
    assert not District.objects.exists() and files(folders) == {}
    out = io.StringIO()
    call_command("restore_site", str(archive), stdout=out)

    assert rows() == before_rows
    assert files(folders) == before_files
    assert "バックアップから戻しました。" in out.getvalue()
    # New rows, many-to-many links and audit entries take keys after the
    # restored ones (on PostgreSQL the sequences had to be moved on).
    last_district = max(District.objects.values_list("pk", flat=True))
    last_entry = max(LogEntry.objects.values_list("pk", flat=True))
    newcomer = role_user(Role.OFFICE, username="newcomer")
    added = WelfareCommitteeMemberFactory(district=DistrictFactory())
    assert added.district.pk > last_district
    assert LogEntry.objects.get_for_object(added).get().pk > last_entry
    assert newcomer.groups.get().name == Role.OFFICE

    # --force empties the database first: the rows added since are gone.
    call_command("restore_site", str(archive), force=True, stdout=io.StringIO())
    assert rows() == before_rows
    assert files(folders) == before_files


# Only reads the database: the test's transaction is enough.
@pytest.mark.django_db
def test_archive_is_private_and_describes_itself(site, folders, tmp_path):
    archive = backup(tmp_path)

    assert re.fullmatch(r"shakyo-backup-\d{8}-\d{6}\.tar\.gz", archive.name)
    assert archive.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in archive.parent.iterdir()] == [archive.name]
    with tarfile.open(archive) as opened:
        names = opened.getnames()
        manifest = json.load(opened.extractfile("manifest.json"))
    assert names[0] == "database.jsonl" and names[-1] == "manifest.json"
    applied = MigrationRecorder.Migration.objects.filter(app="salons")
    assert manifest["migrations"]["salons"] == max(applied.values_list("name", flat=True))
    assert manifest["records"]["districts.district"] == District.objects.count()
    assert manifest["records"]["auditlog.logentry"] == LogEntry.objects.count()
    assert manifest["records"]["auth.user_groups"] == 1
    kept = {"auth.user", "auth.group", "auditlog.logentry", "axes.accesslog", "salons.attachment"}
    assert kept | {"otp_totp.totpdevice", "shakyo_portal.staffprofile"} <= set(manifest["records"])
    dropped = {"sessions.session", "contenttypes.contenttype", "auth.permission", "admin.logentry"}
    assert not dropped & set(manifest["records"])
    assert set(manifest["files"]) == set(names) - {"manifest.json"}
    with tarfile.open(archive) as opened:
        data = opened.extractfile("database.jsonl").read()
    assert manifest["files"]["database.jsonl"]["sha256"] == hashlib.sha256(data).hexdigest()

    # MEDIA_ROOT is public: a backup there would put personal data on the web.
    with pytest.raises(CommandError, match="アップロードされたファイルのフォルダ"):
        call_command("backup_site", output=folders["media"] / "backups")
    assert not (folders["media"] / "backups").exists()


# Refused before anything is written: the test's transaction is enough.
@pytest.mark.django_db
def test_restore_refuses_a_changed_archive_and_one_from_newer_code(site, folders, tmp_path):
    archive = backup(tmp_path)
    before_rows, before_files = rows(), files(folders)
    (photo,) = (name for name in before_files if name.startswith("media/"))

    def changed_photo(name, data):
        return data + b"\x00" if name == photo else data

    def newer_code(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"]["salons"] = "0099_from_the_future"
        return json.dumps(manifest).encode()

    changed, newer = rewrite(archive, changed_photo), rewrite(archive, newer_code)

    # Even --force (which would empty the database) is refused first.
    with pytest.raises(CommandError, match=rf"(?s)書き換えられています.*{re.escape(photo)}"):
        call_command("restore_site", str(changed), force=True, stdout=io.StringIO())
    with pytest.raises(CommandError, match=r"(?s)新しい版.*salons 0099_from_the_future"):
        call_command("restore_site", str(newer), force=True, stdout=io.StringIO())
    assert rows() == before_rows
    assert files(folders) == before_files


@pytest.mark.django_db
def test_restore_refuses_what_is_not_a_backup(tmp_path):
    not_an_archive = tmp_path / "notes.tar.gz"
    not_an_archive.write_text("ただのテキスト")

    with pytest.raises(CommandError, match="バックアップのファイルとして読めません"):
        call_command("restore_site", str(not_an_archive))
    with pytest.raises(CommandError, match="ファイルがありません"):
        call_command("restore_site", str(tmp_path / "missing.tar.gz"))


def as_written_before_districts_0002(archive: Path) -> Path:
    """The archive as the code before districts 0002 wrote it: a 地区担当's
    districts listed on their staff profile, not on each district."""
    with tarfile.open(archive) as source:
        members = [(member, source.extractfile(member).read()) for member in source]
    by_district = {}
    rows = []
    for line in dict((m.name, d) for m, d in members)["database.jsonl"].decode().splitlines():
        row = json.loads(line)
        if row["model"] == "districts.district":
            for profile in row["fields"].pop("staff_profiles"):
                by_district.setdefault(profile, []).append(row["pk"])
        rows.append(row)
    for row in rows:
        if row["model"] == "shakyo_portal.staffprofile":
            row["fields"]["districts"] = sorted(by_district.get(row["pk"], []))
    database = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode()
    target = archive.with_name("before-0002.tar.gz")
    with tarfile.open(target, "w:gz") as out:
        for member, data in members:
            if member.name == "database.jsonl":
                data = database
            elif member.name == "manifest.json":
                manifest = json.loads(data)
                records = manifest["records"]
                records["shakyo_portal.staffprofile_districts"] = records.pop(
                    "districts.district_staff_profiles"
                )
                manifest["files"]["database.jsonl"] = {
                    "sha256": hashlib.sha256(database).hexdigest(),
                    "size": len(database),
                }
                data = json.dumps(manifest, ensure_ascii=False).encode()
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    return target


@pytest.mark.django_db(transaction=True)
def test_an_archive_from_before_the_districts_moved_restores(site, folders, tmp_path):
    """Backups made before the districts app took over the 地区担当's districts
    (districts 0002) still restore, with every assignment."""
    before_rows, before_files = rows(), files(folders)
    assigned = {
        profile.pk: sorted(profile.districts.values_list("pk", flat=True))
        for profile in apps.get_model("shakyo_portal", "StaffProfile").objects.all()
    }
    assert any(assigned.values())
    archive = as_written_before_districts_0002(backup(tmp_path))

    empty(folders)
    call_command("restore_site", str(archive), stdout=io.StringIO())

    assert rows() == before_rows
    assert files(folders) == before_files
    assert {
        profile.pk: sorted(profile.districts.values_list("pk", flat=True))
        for profile in apps.get_model("shakyo_portal", "StaffProfile").objects.all()
    } == assigned
