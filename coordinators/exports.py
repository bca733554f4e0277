"""CSV of activity logs and of their 見える化 counts, for the office's spreadsheets and
its reports to the city.

Staff only: these hold every log chosen in the admin, internal ones and their
notes included. The file conventions (UTF-8 with BOM, CRLF, formula-safe cells)
are the salons exports'.
"""

from django.utils import timezone

from coordinators.insights import insights
from coordinators.models import ActivityLog
from shakyo_portal.core.csvexport import csv_response
from shakyo_portal.core.fiscal import fiscal_year, fiscal_year_label
from shakyo_portal.core.precision import format_partial, is_exact

LOG_HEADER = [
    "番号",
    "活動日",
    "年度",
    "コーディネーター",
    "活動の種類",
    "件名",
    "地区社協",
    "日常生活圏域",
    "相談件数",
    "専門機関へのつなぎ件数",
    "参加者数",
    "関係する地域資源",
    "公開範囲",
    "内容",
    "職員メモ（非公開）",
    "登録者",
    "登録日時",
    "更新日時",
    # Last, so the columns staff's spreadsheets already read stay where they were.
    "時間",
    "会場",
]

INSIGHTS_HEADER = [
    "年度",
    "集計の単位",
    "項目",
    "記録数",
    "相談件数",
    "専門機関へのつなぎ件数",
    "参加者数",
    "立ち上げ支援",
]


def log_rows(logs):
    """One query: each log with its coordinator, areas, resource and author."""
    yield LOG_HEADER
    for log in logs.select_related(
        "coordinator", "district", "life_area", "resource", "created_by"
    ).order_by("date", "pk"):
        author = log.created_by
        yield [
            log.pk,
            # A log known only to its month or 年度 is written so, never as a made-up day.
            log.date
            if is_exact(log.date_precision)
            else format_partial(log.date, log.date_precision, western=True),
            fiscal_year_label(fiscal_year(log.date)),
            log.coordinator.display_name,
            log.get_kind_display(),
            log.title,
            log.district.name if log.district else "",
            log.life_area.name if log.life_area else "",
            log.consultations,
            log.referrals,
            log.participants,
            log.resource.name if log.resource else "",
            log.get_visibility_display(),
            log.narrative,
            log.staff_notes,
            (author.get_full_name() or author.get_username()) if author else "",
            log.created_at,
            log.updated_at,
            log.time_label,
            log.place,
        ]


def insights_rows(logs):
    """The 見える化 tables of each 年度 the logs fall in (four queries a 年度)."""
    yield INSIGHTS_HEADER
    for fy in sorted(logs.fiscal_years()):
        result = insights(fy, logs)
        label = fiscal_year_label(fy)
        for unit, tallies in (("活動の種類", result.by_kind), ("地区・圏域", result.by_area)):
            for tally in tallies:
                yield [label, unit, tally.label, *counts(tally)]
        yield [label, "合計", "合計", *counts(result.total)]


def counts(tally):
    return [tally.logs, tally.consultations, tally.referrals, tally.participants, tally.launches]


def _stamp() -> str:
    return timezone.localdate().strftime("%Y%m%d")


def logs_csv(logs=None):
    logs = ActivityLog.objects.all() if logs is None else logs
    return csv_response(
        log_rows(logs),
        filename=f"活動記録_{_stamp()}.csv",
        ascii_filename=f"activity-logs-{_stamp()}.csv",
    )


def insights_csv(logs=None):
    logs = ActivityLog.objects.all() if logs is None else logs
    return csv_response(
        insights_rows(logs),
        filename=f"活動の見える化_{_stamp()}.csv",
        ascii_filename=f"activity-insights-{_stamp()}.csv",
    )
