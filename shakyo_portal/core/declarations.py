"""Each app's site-wide parts, declared in one module of its own.

An app that has pages, personal data or staff scopes writes them down in
`<app>/portal.py` as module-level names (see docs/architecture.md for the
list). The compositions above every app (the public pages, the back office)
collect them here, the way Django's admin finds each app's `admin.py`, so no
central list names the apps and the ground still imports none of them.
"""

from functools import cache
from importlib import import_module

from django.apps import apps

MODULE = "portal"


@cache
def modules() -> tuple:
    """The declaration modules, in INSTALLED_APPS order (the stated order in
    which search groups, sitemap sections and menus appear)."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.{MODULE}"
        try:
            found.append(import_module(name))
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
    return tuple(found)


def collect(attribute: str) -> list:
    """Every app's `attribute` (a list or tuple), joined in app order."""
    items = []
    for module in modules():
        items.extend(getattr(module, attribute, ()))
    return items


def collect_mapping(attribute: str) -> dict:
    """Every app's `attribute` (a dict), merged; a key declared twice is a
    mistake worth failing on at start-up."""
    merged = {}
    for module in modules():
        for key, value in getattr(module, attribute, {}).items():
            if key in merged:
                raise ValueError(f"{module.__name__}.{attribute}: {key!r} is declared twice")
            merged[key] = value
    return merged
