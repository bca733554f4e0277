"""The registrants of events as a CSV for the office's spreadsheets (staff only).

The file format (UTF-8 with BOM for Excel, CRLF, formulas made inert) is the
one salons.exports writes; this module only says which rows and columns.
"""

from django.db.models import Prefetch
from django.utils import timezone

from news.models import Accommodation
from shakyo_portal.core.csvexport import csv_response

HEADER = [
    "受付番号",
    "行事",
    "開始日時",
    "状態",
    "氏名",
    "よみがな",
    "電話番号",
    "メールアドレス",
    "人数",
    "必要な配慮",
    "伝えたいこと",
    "申込日時",
]


def rows(registrations):
    """Two queries whatever the number of rows: the registrations with their events,
    and their accommodations."""
    yield HEADER
    registrations = (
        registrations.select_related("event")
        .prefetch_related(Prefetch("accommodations", queryset=Accommodation.objects.all()))
        .order_by("event__starts_at", "event_id", "serial")
    )
    for registration in registrations:
        yield [
            registration.reference,
            registration.event.title,
            registration.event.starts_at,
            registration.get_status_display(),
            registration.name,
            registration.reading,
            registration.phone,
            registration.email,
            registration.people,
            "、".join(a.name for a in registration.accommodations.all()),
            registration.note,
            registration.created_at,
        ]


def registrations_csv(registrations, *, filename_part: str = ""):
    stamp = timezone.localtime().strftime("%Y%m%d")
    suffix = f"_{filename_part}" if filename_part else ""
    return csv_response(
        rows(registrations),
        filename=f"行事の申込者{suffix}_{stamp}.csv",
        ascii_filename=f"event-registrations{suffix.replace('_', '-')}-{stamp}.csv",
    )
