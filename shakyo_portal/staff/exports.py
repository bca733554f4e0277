"""The one way a staff download leaves the portal.

Whatever builds the file, the rows pass through here first: only those the
user may export (a 地区担当's districts, a coordinator's own logs, nothing
personal for 閲覧のみ), and the download is written to the audit trail with
the primary keys it held.
"""

from django.core.exceptions import PermissionDenied

from shakyo_portal.staff import access, audit


def guarded_export(request, queryset, *, label: str, build):
    """build(rows_queryset) -> HttpResponse, called with the exportable rows only."""
    if not access.allows(request.user, "export", queryset.model):
        raise PermissionDenied
    rows = access.reach(request.user, "export", queryset)
    audit.record_export(request, rows, label=label)
    return build(rows)
