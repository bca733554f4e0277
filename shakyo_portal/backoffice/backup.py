"""Backing up the whole site into one archive, and restoring it.

An archive, shakyo-backup-YYYYmmdd-HHMMSS.tar.gz, holds, in this order:

  database.jsonl   every row as Django's serialised JSON, one object a line
  media/…          the public uploads (MEDIA_ROOT)
  private/…        the private uploads (plan and report attachments)
  manifest.json    when it was made, the migration state, the rows per model,
                   and the sha256 and size of every other member

The database comes first so a restore can load it without reading the files;
the manifest comes last because it is written once every file is hashed.

Rows keep their primary keys: the audit trail names changed rows by key, so a
restore that numbered them anew would make it point at other people. Foreign
keys to content types and permissions are written as natural keys, because
those two tables are rebuilt by migrate and are not in the archive.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.apps import apps
from django.core import serializers
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Prefetch
from django.utils import timezone

from shakyo_portal.staff.roles import Role, sync_groups

FORMAT = 1
DATABASE = "database.jsonl"
MANIFEST = "manifest.json"
# Archive folder -> storage alias whose folder it holds.
FOLDERS = {"media": "default", "private": "private"}

# Rebuilt by migrate (content types, permissions) or worthless after a
# restore (sessions, and the registry of them: every login ends anyway).
# Django's admin log is replaced by the audit trail, which is kept.
EXCLUDED = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "admin.logentry",
    "shakyo_portal.staffsession",
}

CHUNK = 1024 * 1024


class BackupError(Exception):
    """Something a person must fix, said in Japanese."""


@dataclass
class Summary:
    path: Path
    records: dict = field(default_factory=dict)
    files: dict = field(default_factory=dict)

    @property
    def record_count(self) -> int:
        return sum(self.records.values())

    def lines(self, where: str = "保存先") -> list[str]:
        public = sum(1 for name in self.files if name.startswith("media/"))
        private = sum(1 for name in self.files if name.startswith("private/"))
        size = sum(entry["size"] for name, entry in self.files.items() if name != DATABASE)
        return [
            f"件数: {self.record_count:,} 件（{len(self.records)} 種類）",
            f"ファイル数: {public + private:,}（公開 {public:,}・非公開 {private:,}、"
            f"合計 {_size(size)}）",
            f"{where}: {self.path}",
        ]


def _size(size: float) -> str:
    if size < 1024:
        return f"{size:,.0f} B"
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            return f"{size:,.1f} {unit}"
    return ""


# --- what is backed up ---------------------------------------------------------------


def dumped_models() -> list:
    """Every model whose rows go into the archive, each after the models its
    natural keys need."""
    app_list = [(config, None) for config in apps.get_app_configs() if config.models_module]
    return [
        model
        for model in serializers.sort_dependencies(app_list, allow_cycles=True)
        if not model._meta.proxy and model._meta.label_lower not in EXCLUDED
    ]


def counted_models() -> dict:
    """label -> model for every table counted in the manifest: the dumped
    models and their many-to-many tables (a user's groups, a post's districts)."""
    counted = {}
    for model in dumped_models():
        counted[model._meta.label_lower] = model
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            if through._meta.auto_created:
                counted[through._meta.label_lower] = through
    return counted


def storage_roots() -> dict[str, Path]:
    roots = {}
    for folder, alias in FOLDERS.items():
        location = getattr(storages[alias], "location", None)
        if not location:
            raise BackupError(
                f"ファイルの保存先（{alias}）がこのサーバーのフォルダではないため、"
                "このコマンドではバックアップできません。"
            )
        roots[folder] = Path(location)
    return roots


def migration_state() -> dict[str, str]:
    """The latest applied migration of each app."""
    latest = {}
    for app_label, name in sorted(MigrationRecorder(connection).applied_migrations()):
        latest[app_label] = name
    return latest


# --- backup ---------------------------------------------------------------------------


class _Hashing:
    """A file object that hashes what is read through it, so each file is read once."""

    def __init__(self, raw):
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size=-1):
        data = self.raw.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data

    def entry(self) -> dict:
        return {"sha256": self.sha256.hexdigest(), "size": self.size}


def _natural_key_paths(model, prefix="", seen=()) -> list[str]:
    """The relations a row's natural foreign keys are read through (an audit
    entry's user and content type, a permission's content type)."""
    paths = []
    for model_field in model._meta.fields:
        target = model_field.related_model
        if target is not None and hasattr(target, "natural_key") and target not in seen:
            path = f"{prefix}{model_field.name}"
            paths += [path, *_natural_key_paths(target, f"{path}__", (*seen, model, target))]
    return paths


def dump_queryset(model):
    """All of a model's rows as the dump reads them: joined to what their
    natural keys need, so a table of any size costs a few queries, not one a row."""

    def joined(model):
        rows = model._base_manager.all()
        paths = _natural_key_paths(model)
        return rows.select_related(*paths) if paths else rows

    m2m = [
        Prefetch(field.name, queryset=joined(field.related_model))
        for field in model._meta.local_many_to_many
    ]
    return joined(model).order_by(model._meta.pk.name).prefetch_related(*m2m)


class _ExactEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds, as JavaScript keeps them;
    a backup keeps them whole, so the audit trail's order survives a restore."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _dump_database(path: Path) -> dict[str, int]:
    """Write every row to path; return the rows written per table."""
    counts = {}

    def objects():
        for model in dumped_models():
            written = 0
            for obj in dump_queryset(model).iterator(chunk_size=500):
                written += 1
                yield obj
            counts[model._meta.label_lower] = written
            for m2m_field in model._meta.local_many_to_many:
                through = m2m_field.remote_field.through
                if through._meta.auto_created:
                    counts[through._meta.label_lower] = through._base_manager.count()

    outermost = not connection.in_atomic_block
    # One snapshot, so rows written while the dump runs cannot leave a
    # reference to a row that is not in it.
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        with path.open("w", encoding="utf-8") as stream:
            serializers.serialize(
                "jsonl",
                objects(),
                stream=stream,
                use_natural_foreign_keys=True,
                cls=_ExactEncoder,
            )
    return counts


def _add_file(archive: tarfile.TarFile, source: Path, name: str) -> dict:
    try:
        stat = source.stat()
        info = tarfile.TarInfo(name)
        info.size = stat.st_size
        info.mtime = int(stat.st_mtime)
        info.mode = 0o600
        with source.open("rb") as raw:
            reader = _Hashing(raw)
            archive.addfile(info, reader)
    except OSError as error:
        # A file removed or cut short while it was read, or a full disk.
        raise BackupError(f"バックアップに入れられませんでした: {source}（{error}）") from None
    return reader.entry()


def _stored_files(root: Path):
    """(path, name inside the folder) of every regular file under root, in a
    stable order; links are not followed, so nothing outside root is taken."""
    if not root.is_dir():
        return
    for directory, subdirs, files in os.walk(root):
        subdirs.sort()
        for filename in sorted(files):
            path = Path(directory, filename)
            if path.is_file() and not path.is_symlink():
                yield path, path.relative_to(root).as_posix()


def create_backup(output_dir: Path) -> Summary:
    output_dir = Path(output_dir)
    roots = storage_roots()
    for root in roots.values():
        # MEDIA_ROOT is served to the public, and each backup would hold the last.
        if output_dir.resolve().is_relative_to(root.resolve()):
            raise BackupError(
                f"保存先を、アップロードされたファイルのフォルダ（{root}）の中にはできません。"
            )
    try:
        output_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(f"保存先のフォルダを作れません: {output_dir}（{error}）") from None
    created = timezone.localtime()
    final = output_dir / f"shakyo-backup-{created:%Y%m%d-%H%M%S}.tar.gz"
    if final.exists():
        raise BackupError(f"同じ名前のバックアップが既にあります: {final}")
    state = migration_state()
    files = {}
    # Both the dump and the unfinished archive live beside the final file, so a
    # crash leaves no half archive under the real name and the rename is atomic.
    with tempfile.TemporaryDirectory(dir=output_dir, prefix=".shakyo-backup-") as work:
        database = Path(work, DATABASE)
        records = _dump_database(database)
        partial = Path(work, final.name)
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "wb") as raw:
            with tarfile.open(
                fileobj=raw, mode="w:gz", format=tarfile.PAX_FORMAT, compresslevel=6
            ) as archive:
                files[DATABASE] = _add_file(archive, database, DATABASE)
                for folder, root in roots.items():
                    for path, name in _stored_files(root):
                        member = f"{folder}/{name}"
                        files[member] = _add_file(archive, path, member)
                manifest = {
                    "format": FORMAT,
                    "created": created.isoformat(),
                    "database_vendor": connection.vendor,
                    "migrations": state,
                    "records": records,
                    "files": files,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(created.timestamp())
                info.mode = 0o600
                archive.addfile(info, io.BytesIO(data))
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, final)
    return Summary(path=final, records=records, files=files)


# --- restore --------------------------------------------------------------------------


def _member_name(member: tarfile.TarInfo) -> str:
    """The member's name, if it is one a backup writes; anything else (a link,
    an absolute path, a ..) means the archive is not ours."""
    name = member.name
    path = PurePosixPath(name)
    safe = (
        member.isfile()
        and not path.is_absolute()
        and ".." not in path.parts
        and (name in (DATABASE, MANIFEST) or (len(path.parts) > 1 and path.parts[0] in FOLDERS))
    )
    if not safe:
        raise BackupError(f"アーカイブに、バックアップにはない項目があります: {name}")
    return name


def _digest(stream) -> dict:
    sha256 = hashlib.sha256()
    size = 0
    while chunk := stream.read(CHUNK):
        sha256.update(chunk)
        size += len(chunk)
    return {"sha256": sha256.hexdigest(), "size": size}


def _open(path: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(path, "r:gz")
    except FileNotFoundError:
        raise BackupError(f"ファイルがありません: {path}") from None
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"バックアップのファイルとして読めません: {path}（{error}）") from None


def verify_archive(path: Path) -> dict:
    """Read the whole archive once and check every member against the manifest.
    Returns the manifest."""
    found = {}
    manifest = None
    with _open(path) as archive:
        try:
            for member in archive:
                name = _member_name(member)
                with archive.extractfile(member) as stream:
                    if name == MANIFEST:
                        manifest = stream.read()
                    else:
                        found[name] = _digest(stream)
        except (tarfile.TarError, OSError, EOFError) as error:
            raise BackupError(f"バックアップのファイルが壊れています: {path}（{error}）") from None
    if manifest is None:
        raise BackupError(f"バックアップに {MANIFEST} がありません: {path}")
    try:
        manifest = json.loads(manifest)
    except ValueError:
        raise BackupError(f"{MANIFEST} が読めません: {path}") from None
    parts = ("migrations", "records", "files")
    try:
        manifest["created"] = datetime.datetime.fromisoformat(manifest["created"])
        readable = manifest["format"] == FORMAT and all(
            isinstance(manifest[part], dict) for part in parts
        )
    except (KeyError, TypeError, ValueError):
        readable = False
    if not readable:
        raise BackupError(f"このプログラムでは読めない形式のバックアップです: {path}")
    expected = manifest["files"]
    problems = [f"ありません: {name}" for name in sorted(set(expected) - set(found))]
    problems += [f"一覧にありません: {name}" for name in sorted(set(found) - set(expected))]
    problems += [
        f"中身が違います: {name}"
        for name in sorted(set(found) & set(expected))
        if found[name] != expected[name]
    ]
    if problems:
        raise BackupError(
            "バックアップの中身が manifest.json と合いません。"
            "壊れているか、書き換えられています。\n" + "\n".join(problems[:20])
        )
    return manifest


def check_migrations(manifest: dict) -> None:
    """Refuse an archive made by a newer version of the portal: its rows may
    have fields this code does not know."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)
    unknown = [
        f"{app_label} {name}"
        for app_label, name in sorted(manifest["migrations"].items())
        if (app_label, name) not in known
    ]
    if unknown:
        raise BackupError(
            "このバックアップは、今のプログラムより新しい版で作られています"
            f"（このプログラムにない変更: {'、'.join(unknown)}）。"
            "プログラムを同じ版以降に更新してから戻してください。"
        )


def _made_by_migrate() -> dict:
    """label -> the rows every migrate makes: the role groups, their
    permissions, and the audit entries that recorded them."""
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType

    groups = Group.objects.filter(name__in=Role.values)
    keys = [str(pk) for pk in groups.values_list("pk", flat=True)]
    return {
        "auth.group": groups,
        "auth.group_permissions": Group.permissions.through.objects.filter(group__in=groups),
        "auditlog.logentry": LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Group), object_pk__in=keys
        ),
    }


def rows_in_the_way() -> list[str]:
    """What the database holds beyond what migrate makes, as "名前 N 件"."""
    tables = set(connection.introspection.table_names())
    migrated = _made_by_migrate() if "auth_group" in tables else {}
    found = []
    for label, model in counted_models().items():
        if model._meta.db_table not in tables:
            continue
        rows = model._base_manager.all()
        if label in migrated:
            rows = rows.exclude(pk__in=migrated[label].values("pk"))
        count = rows.count()
        if count:
            found.append(f"{model._meta.verbose_name_plural} {count:,} 件")
    return found


def _migrate_if_needed() -> bool:
    executor = MigrationExecutor(connection)
    if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return False
    call_command("migrate", interactive=False, verbosity=0)
    return True


def _extract_database(path: Path, target: Path) -> None:
    with _open(path) as archive:
        member = archive.next()
        if member is None or member.name != DATABASE:
            raise BackupError(f"バックアップの先頭に {DATABASE} がありません: {path}")
        with archive.extractfile(member) as source, target.open("wb") as out:
            shutil.copyfileobj(source, out, CHUNK)


# Many-to-many relations whose declaring model changed since older archives
# were written: (old model, old field) -> (new model, new field). The table and
# its rows are the same; only the side that names them moved.
MOVED_RELATIONS = {
    # The districts app declares a 地区担当's districts since the staff policy
    # core stopped naming apps (districts 0002).
    ("shakyo_portal.staffprofile", "districts"): ("districts.district", "staff_profiles"),
}


def _carry_moved_relations(database: Path, manifest: dict) -> None:
    """Rewrite an older archive's rows so each moved relation is named from
    its new side, and rename its count in the manifest to match."""
    records = manifest["records"]
    moved = {old: new for old, new in MOVED_RELATIONS.items() if f"{old[0]}_{old[1]}" in records}
    if not moved:
        return
    links = {new: {} for new in moved.values()}  # new side -> {its pk: [old side pks]}
    with database.open(encoding="utf-8") as stream:
        for line in stream:
            row = json.loads(line)
            for field in _moved_fields(row, moved):
                new = moved[(row["model"], field)]
                for target in row["fields"][field]:
                    links[new].setdefault(target, []).append(row["pk"])
    rewritten = database.with_suffix(".upgraded")
    with database.open(encoding="utf-8") as stream, rewritten.open("w", encoding="utf-8") as out:
        for line in stream:
            row = json.loads(line)
            for field in _moved_fields(row, moved):
                del row["fields"][field]
            for (model, field), found in links.items():
                if row["model"] == model:
                    row["fields"][field] = sorted(found.get(row["pk"], []))
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    os.replace(rewritten, database)
    for (old_model, old_field), (new_model, new_field) in moved.items():
        records[f"{new_model}_{new_field}"] = records.pop(f"{old_model}_{old_field}")


def _moved_fields(row: dict, moved: dict) -> list[str]:
    return [field for model, field in moved if row["model"] == model and field in row["fields"]]


def _load_database(database: Path, manifest: dict) -> None:
    counted = counted_models()
    unknown = sorted(set(manifest["records"]) - set(counted))
    if unknown:
        raise BackupError(f"このプログラムにない表のデータがあります: {'、'.join(unknown)}")
    # Loading history is not a change anyone made: no audit entries for it.
    with disable_auditlog(), transaction.atomic():
        # migrate made the role groups (and audit entries about them); the
        # archive's own rows, with the keys the audit trail refers to, take
        # their place.
        made = _made_by_migrate()
        made["auditlog.logentry"].delete()
        made["auth.group"].delete()
        if sum(manifest["records"].values()):
            call_command("loaddata", str(database), verbosity=0)
        differ = [
            f"{label}: バックアップ {expected:,} 件 → 読み込み後 {actual:,} 件"
            for label, expected in sorted(manifest["records"].items())
            if (actual := counted[label]._base_manager.count()) != expected
        ]
        if differ:
            raise BackupError(
                "読み込んだ件数がバックアップと合わないため、データベースを元に戻しました。\n"
                + "\n".join(differ)
            )


def _destination(roots: dict[str, Path], name: str) -> Path:
    folder, _, rest = name.partition("/")
    root = roots[folder]
    path = root.joinpath(*PurePosixPath(rest).parts)
    if not path.resolve().is_relative_to(root.resolve()):
        raise BackupError(f"保存先のフォルダの外を指すファイル名です: {name}")
    return path


def _restore_files(path: Path, roots: dict[str, Path]) -> None:
    with _open(path) as archive:
        for member in archive:
            name = _member_name(member)
            if name in (DATABASE, MANIFEST):
                continue
            target = _destination(roots, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{target.name}.restoring")
            with archive.extractfile(member) as source, partial.open("wb") as out:
                shutil.copyfileobj(source, out, CHUNK)
            os.replace(partial, target)


def _check_files(manifest: dict, roots: dict[str, Path]) -> None:
    differ = []
    for name, expected in sorted(manifest["files"].items()):
        if name == DATABASE:
            continue
        target = _destination(roots, name)
        try:
            with target.open("rb") as stream:
                actual = _digest(stream)
        except FileNotFoundError:
            differ.append(f"ありません: {target}")
            continue
        if actual != expected:
            differ.append(f"中身が違います: {target}")
    if differ:
        raise BackupError("戻したファイルがバックアップと合いません。\n" + "\n".join(differ[:20]))


def restore_backup(path: Path, *, force: bool = False, say=lambda message: None) -> Summary:
    """Restore an archive into this site's database and storage folders.

    Nothing is changed until the archive has been checked in full and the
    database found empty (or, with force, emptied)."""
    path = Path(path)
    manifest = verify_archive(path)
    say(f"バックアップを確認しました（{manifest['created']:%Y-%m-%d %H:%M} 作成）。")
    check_migrations(manifest)
    roots = storage_roots()
    if not force and (in_the_way := rows_in_the_way()):
        raise BackupError(
            "このデータベースには既にデータがあります（"
            + "、".join(in_the_way[:5])
            + ("、ほか" if len(in_the_way) > 5 else "")
            + "）。空のデータベースに戻すか、今のデータを消してよければ --force を付けて"
            "実行してください。"
        )
    if _migrate_if_needed():
        say("データベースの構成を、このプログラムの版に合わせました。")
    if force:
        call_command("flush", interactive=False, verbosity=0)
        say("今のデータベースの中身を消しました。")
    with tempfile.TemporaryDirectory(prefix="shakyo-restore-") as work:
        database = Path(work, DATABASE)
        _extract_database(path, database)
        _carry_moved_relations(database, manifest)
        _load_database(database, manifest)
    sync_groups(verbosity=0)
    say("データベースを読み込みました。件数はバックアップと一致しています。")
    _restore_files(path, roots)
    _check_files(manifest, roots)
    say("ファイルを戻しました。チェックサムはバックアップと一致しています。")
    return Summary(path=path, records=manifest["records"], files=manifest["files"])
