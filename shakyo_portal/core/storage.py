"""Where files that must never have a public URL are kept."""

from django.core.files.storage import storages


def private_storage():
    # A callable, so tests and deployments can point STORAGES["private"]
    # elsewhere without a migration.
    return storages["private"]
