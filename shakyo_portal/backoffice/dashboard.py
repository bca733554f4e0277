"""The admin's front page: what is waiting for the staff member now.

Every number and list is read through staff.access, so a 地区担当 counts only
their own districts' rows and a role that cannot view a model gets no box for
it. Each item links to the admin list filtered to exactly the rows it counts.
The page runs the same number of queries however many rows there are.
"""

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from coordinators.models import ActivityLog
from councils.models import Meeting, MeetingStatus
from news.models import Event, EventStatus, PublicationStatus, RegistrationKind
from salons.models import ActivityPlan, ActivityReport, PlanStatus, ReportStatus
from shakyo_portal.core.dates import format_date, format_period
from shakyo_portal.core.fiscal import current_fiscal_year, fiscal_year_label
from shakyo_portal.staff import access

UPCOMING_DAYS = 30
SHOWN = 10
WAITING_FOR_REVIEW = (PlanStatus.RECEIVED, PlanStatus.REVIEWING)
# Meeting.objects.upcoming() leaves out only the meetings already held; the
# admin list can say that only as the statuses that remain.
NOT_HELD = [status.value for status in MeetingStatus if status != MeetingStatus.HELD]


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


def context(request) -> dict:
    user = request.user
    boxes = [_plans(user), _reports(user), _meetings(user), _events(user), _logs(user)]
    return {
        "dashboard_boxes": [box for box in boxes if box is not None],
        "dashboard_audit": _audit(user),
    }


def _list_url(model, **lookups) -> str:
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return f"{url}?{urlencode(lookups)}" if lookups else url


def _change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def _counts(queryset, key: str) -> dict:
    """{value of key: rows} in one query."""
    return dict(queryset.order_by().values_list(key).annotate(n=Count("pk")))


def _plans(user) -> Box | None:
    if not access.allows(user, "view", ActivityPlan):
        return None
    waiting = access.visible(user, ActivityPlan.objects.filter(status__in=WAITING_FOR_REVIEW))
    counts = _counts(waiting, "status")
    items = [
        Item(
            f"{status.label} {counts[status]}件",
            _list_url(ActivityPlan, status__exact=status.value),
        )
        for status in WAITING_FOR_REVIEW
        if counts.get(status)
    ]
    total = sum(counts.values())
    more = None
    if total:
        statuses = ",".join(status.value for status in WAITING_FOR_REVIEW)
        more = Item(
            f"審査を待つ活動計画書すべて（{total}件）", _list_url(ActivityPlan, status__in=statuses)
        )
    return Box("plans", "審査を待つ活動計画書", items, "審査を待つ活動計画書はありません。", more)


def _reports(user) -> Box | None:
    """実績報告 still owed for this 年度 and earlier: granted plans without one,
    and reports sent back to be corrected. Grouped by 年度, the oldest being the
    most overdue, so each line is one filter of the admin list."""
    see_plans = access.allows(user, "view", ActivityPlan)
    see_reports = access.allows(user, "view", ActivityReport)
    if not (see_plans or see_reports):
        return None
    this_year = current_fiscal_year()
    missing, returned = {}, {}
    if see_plans:
        # As salons.services.missing_report: the report settles the grant.
        plans = ActivityPlan.objects.filter(
            status=PlanStatus.APPROVED,
            requests_grant=True,
            report__isnull=True,
            program__fiscal_year__lte=this_year,
        )
        missing = _counts(access.visible(user, plans), "program__fiscal_year")
    if see_reports:
        reports = ActivityReport.objects.filter(
            status=ReportStatus.RETURNED, plan__program__fiscal_year__lte=this_year
        )
        returned = _counts(access.visible(user, reports), "plan__program__fiscal_year")
    items = []
    for year in sorted(missing.keys() | returned.keys()):
        label = fiscal_year_label(year)
        if missing.get(year):
            url = _list_url(
                ActivityPlan,
                status__exact=PlanStatus.APPROVED.value,
                requests_grant__exact=1,
                program__fiscal_year__exact=year,
                report__isnull="True",
            )
            items.append(Item(f"{label} 未提出 {missing[year]}件", url))
        if returned.get(year):
            url = _list_url(
                ActivityReport,
                status__exact=ReportStatus.RETURNED.value,
                plan__program__fiscal_year__exact=year,
            )
            items.append(Item(f"{label} 差戻し中 {returned[year]}件", url))
    return Box("reports", "実績報告の提出待ち", items, "提出を待っている実績報告はありません。")


def _meetings(user) -> Box | None:
    if not access.allows(user, "view", Meeting):
        return None
    today = timezone.localdate()
    until = today + timedelta(days=UPCOMING_DAYS)
    coming = access.visible(
        user, Meeting.objects.filter(held_on__range=(today, until), status__in=NOT_HELD)
    )
    total = coming.count()
    meetings = coming.select_related("council").order_by("held_on", "starts_at", "pk")[:SHOWN]
    items = [
        Item(str(meeting), _change_url(meeting), _meeting_note(meeting)) for meeting in meetings
    ]
    more = None
    if total:
        more = Item(
            f"今後{UPCOMING_DAYS}日の会議すべて（{total}件）",
            _list_url(
                Meeting,
                held_on__gte=today.isoformat(),
                held_on__lte=until.isoformat(),
                status__in=",".join(NOT_HELD),
            ),
        )
    return Box(
        "meetings", f"今後{UPCOMING_DAYS}日の会議", items, "予定されている会議はありません。", more
    )


def _meeting_note(meeting) -> str:
    note = meeting.when
    if meeting.is_called_off:
        note += f"（{meeting.get_status_display()}）"
    return note


def _events(user) -> Box | None:
    if not access.allows(user, "view", Event):
        return None
    today = timezone.localdate()
    until = today + timedelta(days=UPCOMING_DAYS)
    # By the day it starts in Japan time, as the admin list's __date filter reads it.
    coming = access.visible(user, Event.objects.filter(starts_at__date__range=(today, until)))
    total = coming.count()
    events = coming.with_counts().order_by("starts_at", "pk")[:SHOWN]
    items = [Item(event.title, _change_url(event), _event_note(event)) for event in events]
    more = None
    if total:
        more = Item(
            f"今後{UPCOMING_DAYS}日の行事すべて（{total}件）",
            _list_url(
                Event,
                starts_at__date__gte=today.isoformat(),
                starts_at__date__lte=until.isoformat(),
            ),
        )
    return Box(
        "events", f"今後{UPCOMING_DAYS}日の行事", items, "予定されている行事はありません。", more
    )


def _event_note(event) -> str:
    parts = [format_period(event.starts_at, event.ends_at)]
    if event.registration != RegistrationKind.REQUIRED:
        parts.append("申込不要")
    elif event.capacity is None:
        parts.append(f"申込 {event.confirmed_people}人（定員なし）")
    else:
        parts.append(f"申込 {event.confirmed_people}/{event.capacity}人")
    if event.status != EventStatus.SCHEDULED:
        parts.append(event.get_status_display())
    if event.publication == PublicationStatus.DRAFT:
        parts.append("下書き")
    return "　".join(parts)


def _logs(user) -> Box | None:
    if not access.allows(user, "view", ActivityLog):
        return None
    logs = access.visible(
        user, ActivityLog.objects.select_related("coordinator", "district", "life_area")
    ).order_by("-date", "-pk")[:SHOWN]
    items = [Item(log.title, _change_url(log), _log_note(log)) for log in logs]
    more = Item("活動記録の一覧へ", _list_url(ActivityLog)) if items else None
    return Box(
        "logs", "コーディネーターの最近の活動記録", items, "活動記録はまだありません。", more
    )


def _log_note(log) -> str:
    if log.district_id:
        area = log.district.name
    else:
        area = log.life_area.name if log.life_area_id else "市全域"
    return f"{format_date(log.date)}　{log.coordinator.display_name}　{area}"


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
