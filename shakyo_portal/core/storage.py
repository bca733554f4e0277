"""Where files that must never have a public URL are kept."""

import os
from contextlib import suppress

from django.core.files.storage import FileSystemStorage, storages


def private_storage():
    # A callable, so tests and deployments can point STORAGES["private"]
    # elsewhere without a migration.
    return storages["private"]


class CleanFileSystemStorage(FileSystemStorage):
    """FileSystemStorage that removes what it half wrote when a write fails.

    Django's own leaves the file it created behind when the disk fills up or
    turns read-only in the middle of writing: a 0-byte file per try. The name
    is only removed when this call created it, never a file that was there.
    """

    def _save(self, name, content):
        path = self.path(name)
        existed = os.path.lexists(path)
        try:
            return super()._save(name, content)
        except OSError:
            if not existed:
                with suppress(OSError):
                    os.remove(path)
            raise
