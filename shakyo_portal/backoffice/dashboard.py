"""The admin's front page: what is waiting for the staff member now.

Each app declares its boxes in its portal.py (DASHBOARD); every number and
list in them is read through staff.access, so a 地区担当 counts only their
own districts' rows and a role that cannot view a model gets no box for it.
Each item links to the admin list filtered to exactly the rows it counts.
The page runs the same number of queries however many rows there are.
"""

from django.urls import NoReverseMatch, reverse

from shakyo_portal.core import declarations
from shakyo_portal.core.declarations.dashboard import Box, Item
from shakyo_portal.staff import access


def context(request) -> dict:
    user = request.user
    boxes = [entry.build(user) for entry in declarations.ordered("DASHBOARD")]
    return {
        "dashboard_boxes": [box for box in boxes if box is not None],
        "dashboard_audit": _audit(user),
    }


AUDIT_LINKS = [
    ("変更・出力の記録（監査ログ）", "admin:auditlog_logentry_changelist"),
    ("ログインの記録", "admin:axes_accesslog_changelist"),
    ("ログインの失敗", "admin:axes_accessfailurelog_changelist"),
    ("個人情報の開示・削除", "admin:personal_data"),
]


def _audit(user) -> Box | None:
    """Where a 管理者 checks who did what; only for 管理者."""
    if not access.is_admin(user):
        return None
    items = []
    for label, name in AUDIT_LINKS:
        try:
            items.append(Item(label, reverse(name)))
        except NoReverseMatch:
            # A page not installed on this site (the personal-data page comes later).
            continue
    return Box("audit", "監査・個人情報", items)
