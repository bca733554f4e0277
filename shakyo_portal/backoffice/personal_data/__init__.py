"""A person's data across the portal: where it lives, and the 管理者's pages
to find it, hand it over (開示) and erase it (匿名化・削除).

registry: the records that name a person, as each app declares them in its
portal.py (PERSONAL_DATA), and the search across them. actions: disclosing,
anonymising and deleting them, their audit history with them. forms and
views: the admin's pages, at /admin/personal-data/.
"""

from shakyo_portal.backoffice.personal_data.actions import (
    BATCH,
    REDACTED,
    anonymise,
    delete,
    scrub_history,
)
from shakyo_portal.backoffice.personal_data.registry import find, kind_for, kinds
from shakyo_portal.backoffice.personal_data.views import urls

__all__ = [
    "BATCH",
    "REDACTED",
    "anonymise",
    "delete",
    "find",
    "kind_for",
    "kinds",
    "scrub_history",
    "urls",
]
