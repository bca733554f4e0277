"""The boxes an app puts on the admin's front page, as its portal.py declares
them, and the links they are made of.

A box's `build(user)` reads every number and list through staff.access, so a
地区担当 counts only their own districts' rows, and returns None for a user
who cannot view its model. Each item links to the admin list filtered to
exactly the rows it counts, and a box runs the same number of queries however
many rows there are.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse


@dataclass
class Item:
    label: str
    url: str = ""
    note: str = ""


@dataclass
class Box:
    key: str
    title: str
    items: list[Item]
    empty: str = ""
    more: Item | None = None


@dataclass(frozen=True)
class DashboardBox:
    """build(user) -> Box, or None where the user has no box. order: its place
    on the page, among every app's boxes."""

    build: Callable[..., Box | None]
    order: int


def list_url(model, **lookups) -> str:
    """The model's admin list, filtered by `lookups` as its filters write them."""
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return f"{url}?{urlencode(lookups)}" if lookups else url


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def counts(queryset, key: str) -> dict:
    """{value of key: rows} in one query."""
    return dict(queryset.order_by().values_list(key).annotate(n=Count("pk")))
