"""Files no row refers to: an upload whose transaction rolled back, a row
deleted without its file. Found by comparing each storage's upload folders
with the names every FileField holds; removed only once they are older than
a day, so a file written by a request that has not committed yet is never
taken for an orphan. Safe to run daily, and again: it only ever deletes what
nothing refers to.
"""

import os
from collections import defaultdict
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import PurePosixPath

from django.apps import apps
from django.db import models
from django.utils import timezone

MIN_AGE = timedelta(days=1)


@dataclass
class StorageFiles:
    storage: object
    folders: set[str] = field(default_factory=set)
    referenced: set[str] = field(default_factory=set)


def _top_folder(name: str) -> str | None:
    parts = PurePosixPath(name).parts
    return parts[0] if len(parts) > 1 else None


def _file_fields():
    for model in apps.get_models():
        for each in model._meta.concrete_fields:
            if isinstance(each, models.FileField):
                yield model, each


def inventory() -> list[StorageFiles]:
    by_storage: dict = {}
    for model, file_field in _file_fields():
        storage = file_field.storage
        # Two storage objects over one folder are one place: a name kept by
        # either must not look like an orphan to the other.
        where = getattr(storage, "location", None) or id(storage)
        entry = by_storage.setdefault(where, StorageFiles(storage))
        # The folder a new upload goes to; a path that needs a real row
        # (councils' materials by year) is learnt from the stored names.
        with suppress(Exception):
            entry.folders.add(_top_folder(file_field.generate_filename(None, "probe.pdf")))
        names = (
            model._base_manager.exclude(**{file_field.name: ""})
            .exclude(**{f"{file_field.name}__isnull": True})
            .values_list(file_field.name, flat=True)
        )
        for name in names.iterator():
            entry.referenced.add(name)
            entry.folders.add(_top_folder(name))
    for entry in by_storage.values():
        entry.folders.discard(None)
    return list(by_storage.values())


def _walk(storage, folder: str):
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for directory in directories:
        yield from _walk(storage, f"{folder}/{directory}")


def find(now=None, min_age: timedelta = MIN_AGE) -> list[tuple[object, str]]:
    """(storage, name) of every orphan old enough to remove."""
    now = now or timezone.now()
    found = []
    for entry in inventory():
        for folder in sorted(entry.folders):
            for name in _walk(entry.storage, folder):
                if name in entry.referenced:
                    continue
                if now - entry.storage.get_modified_time(name) < min_age:
                    continue
                found.append((entry.storage, name))
    return found


def remove(orphans) -> dict[str, int]:
    removed = defaultdict(int)
    for storage, name in orphans:
        storage.delete(name)
        removed[os.path.dirname(name) or "."] += 1
    return dict(removed)
