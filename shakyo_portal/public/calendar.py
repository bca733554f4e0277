"""/calendar/: one month of ふれあいサロン, 協議体 meetings and 行事 together,
as a list grouped by day (a list reads better than a grid on a phone and to a
screen reader), filtered by kind and district with a plain GET form.

Each app keeps its own rule for its dates; this page only gathers them:
- a salon's dates are its regular schedule less its 休み, with 中止 marked
  (salons.coming_dates), from today on only: which past dates were held is not
  known here, and a date worked out backwards would be made up;
- a council has its registered meetings of the month, whatever became of them,
  and, from today on and only in a month without one, the date its rule gives,
  marked 予定（目安） as on the council pages (Council.expected_days);
- an event is the published 行事 of the month, cancelled or postponed ones
  marked.

Queries, whatever the data size: the districts for the chooser; salons; their
休み・中止; councils with their office; the month's meetings; the month's events.
"""

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from urllib.parse import urlencode

from django import forms
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from councils.models import Council, Layer, Meeting, MeetingStatus
from districts.models import District
from news.models import Event, EventStatus
from salons.models import Salon, changes_prefetch, coming_dates
from shakyo_portal.core.dates import (
    era_year_label,
    format_date,
    format_period,
    format_time,
    local_date,
    wareki,
)
from shakyo_portal.core.links import UrlPattern
from shakyo_portal.core.precision import DatePrecision

# How far from today the month may be: far enough for a year's planning and a
# look back, near enough that no one wanders through empty years.
YEARS_BACK = 2
YEARS_AHEAD = 1


class Kind:
    SALON = "salon"
    COUNCIL = "council"
    EVENT = "event"


KIND_CHOICES = [(Kind.SALON, "サロン"), (Kind.COUNCIL, "協議体"), (Kind.EVENT, "行事")]
KIND_LABELS = dict(KIND_CHOICES)


class CalendarFilterForm(forms.Form):
    kind = forms.MultipleChoiceField(
        label="表示するもの",
        required=False,
        choices=KIND_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text="何も選ばないときは、すべて表示します。",
        error_messages={"invalid_choice": "表示するものは、一覧から選んでください。"},
    )
    district = forms.ChoiceField(
        label="地区",
        required=False,
        help_text="地区を選ぶと、その地区（小地区を含む）のサロン・協議体・行事と、"
        "市全体の協議体・行事を表示します。",
        error_messages={
            "invalid_choice": "その地区は見つかりませんでした。一覧から選んでください。"
        },
    )

    def __init__(self, data=None, *, districts):
        super().__init__(data)
        self.fields["district"].choices = [("", "すべての地区")] + [
            (d.slug, f"{d.name}（小地区）" if d.parent_id else d.name) for d in districts
        ]


@dataclass
class Entry:
    kind: str
    on: date
    starts_at: time | None
    title: str
    url: str
    when: str = ""
    place: str = ""
    # 中止, 延期, 予定（目安）: shown before the title.
    mark: str = ""
    called_off: bool = False
    note: str = ""

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass
class Day:
    on: date
    entries: list[Entry] = field(default_factory=list)

    @property
    def label(self) -> str:
        return format_date(self.on)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def shift(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + by
    return index // 12, index % 12 + 1


def time_label(starts_at: time | None, ends_at: time | None) -> str:
    if starts_at and ends_at:
        return f"{format_time(starts_at)}〜{format_time(ends_at)}"
    return f"{format_time(starts_at)}〜" if starts_at else ""


def salon_entries(first: date, last: date, today: date, district) -> list[Entry]:
    start = max(first, today)
    if start > last:
        return []
    salons = Salon.objects.listed().select_related("district")
    if district is not None:
        salons = salons.in_district(district)
    salons = salons.prefetch_related(changes_prefetch(start)).order_by("reading", "pk")
    salon_url = UrlPattern("salons:detail", "pk")
    entries = []
    for salon in salons:
        for day in coming_dates(salon, salon.change_list, today=start, until=last):
            entries.append(
                Entry(
                    Kind.SALON,
                    day.on,
                    day.starts_at,
                    title=salon.name,
                    url=salon_url(salon.pk),
                    when=time_label(day.starts_at, day.ends_at),
                    place=salon.venue_name,
                    mark="中止" if day.cancelled else "",
                    called_off=day.cancelled,
                    note=day.reason,
                )
            )
    return entries


MEETING_MARKS = {MeetingStatus.CANCELLED: "中止", MeetingStatus.POSTPONED: "延期"}


def council_entries(first: date, last: date, today: date, district) -> tuple[list, list]:
    """(entries by day, meetings of the month whose day is not known yet)."""
    councils = Council.objects.public().select_related("office")
    meetings = Meeting.objects.public()
    if district is not None:
        covering = Council.objects.covering(district).values("pk")
        councils = councils.filter(Q(layer=Layer.CITY) | Q(pk__in=covering))
        meetings = meetings.filter(Q(council__layer=Layer.CITY) | Q(council__in=covering))
    councils = list(councils)
    meetings = list(
        meetings.filter(held_on__range=(first, last))
        .exclude(held_on_precision=DatePrecision.FISCAL_YEAR)
        .select_related("council")
        .order_by("held_on", "starts_at", "pk")
    )
    meeting_url = UrlPattern("councils:meeting", "slug", "pk")
    entries, undated = [], []
    for meeting in meetings:
        if meeting.held_on_precision != DatePrecision.DAY:
            undated.append(meeting)
            continue
        entries.append(
            Entry(
                Kind.COUNCIL,
                meeting.held_on,
                meeting.starts_at,
                title=f"{meeting.council.display_name} {meeting.label}",
                url=meeting_url(meeting.council.slug, meeting.pk),
                when=time_label(meeting.starts_at, meeting.ends_at),
                place=meeting.place_label,
                mark=MEETING_MARKS.get(meeting.status, ""),
                called_off=meeting.is_called_off,
                note=meeting.status_reason if meeting.is_called_off else "",
            )
        )
    start = max(first, today)
    if start <= last:
        # As on the council pages: a registered meeting is the truth for its month.
        taken = {meeting.council_id for meeting in meetings}
        for council in councils:
            if council.pk in taken:
                continue
            for day, closure in council.expected_days(start=start, count=1):
                if day > last:
                    continue
                entries.append(
                    Entry(
                        Kind.COUNCIL,
                        day,
                        council.meeting_starts_at,
                        title=council.display_name,
                        url=council.get_absolute_url(),
                        when=time_label(council.meeting_starts_at, council.meeting_ends_at),
                        place=council.meeting_place,
                        mark="予定（目安）",
                        note=closure,
                    )
                )
    return entries, undated


EVENT_MARKS = {EventStatus.CANCELLED: "中止", EventStatus.POSTPONED: "延期"}


def event_entries(year: int, month: int, first: date, district) -> list[Entry]:
    events = Event.objects.published(timezone.now()).in_month(year, month)
    if district is not None:
        events = events.filter(
            Q(district__isnull=True) | Q(district=district) | Q(district__parent=district)
        )
    entries = []
    for event in events.order_by("starts_at", "pk"):
        start_day = local_date(event.starts_at)
        # An event that began last month is listed on the 1st, with its whole span.
        on = max(start_day, first)
        local_start = timezone.localtime(event.starts_at)
        spans_days = event.ends_at is not None and local_date(event.ends_at) != start_day
        if spans_days or on != start_day:
            when = format_period(event.starts_at, event.ends_at)
        else:
            when = time_label(
                local_start.time(),
                timezone.localtime(event.ends_at).time() if event.ends_at else None,
            )
        entries.append(
            Entry(
                Kind.EVENT,
                on,
                local_start.time() if on == start_day else None,
                title=event.title,
                url=event.get_absolute_url(),
                when=when,
                place=event.place,
                mark=EVENT_MARKS.get(event.status, ""),
                called_off=event.is_called_off,
                note=event.status_note if event.is_called_off else "",
            )
        )
    return entries


def group_by_day(entries: list[Entry]) -> list[Day]:
    order = {kind: i for i, (kind, _) in enumerate(KIND_CHOICES)}
    days: dict[date, Day] = {}
    for entry in sorted(
        entries, key=lambda e: (e.on, e.starts_at is not None, e.starts_at or time(), order[e.kind])
    ):
        days.setdefault(entry.on, Day(entry.on)).entries.append(entry)
    return list(days.values())


def month_url(year: int, month: int, query: str) -> str:
    url = reverse("calendar_month", kwargs={"year": year, "month": month})
    return f"{url}?{query}" if query else url


@require_safe
def calendar_page(request, year: int | None = None, month: int | None = None):
    today = timezone.localdate()
    if year is None:
        year, month = today.year, today.month
    if not (1 <= month <= 12) or not (today.year - YEARS_BACK <= year <= today.year + YEARS_AHEAD):
        raise Http404("その月の予定は表示できません。")
    first, last = month_bounds(year, month)

    districts = list(District.objects.public().select_related("office", "parent__office"))
    form = CalendarFilterForm(request.GET or None, districts=districts)
    kinds, district = set(), None
    if form.is_bound and form.is_valid():
        kinds = set(form.cleaned_data["kind"])
        slug = form.cleaned_data["district"]
        district = next((d for d in districts if d.slug == slug), None) if slug else None
    elif form.is_bound:
        # A bad value is explained next to its field; whatever else was valid still applies.
        kinds = {k for k in request.GET.getlist("kind") if k in KIND_LABELS}
        slug = request.GET.get("district", "")
        district = next((d for d in districts if d.slug == slug), None)
    shown = kinds or set(KIND_LABELS)

    entries, undated = [], []
    if Kind.SALON in shown:
        entries += salon_entries(first, last, today, district)
    if Kind.COUNCIL in shown:
        council_dated, undated = council_entries(first, last, today, district)
        entries += council_dated
    if Kind.EVENT in shown:
        entries += event_entries(year, month, first, district)

    query = urlencode(
        [("kind", k) for k, _ in KIND_CHOICES if k in kinds]
        + ([("district", district.slug)] if district else [])
    )
    lowest, highest = (today.year - YEARS_BACK, 1), (today.year + YEARS_AHEAD, 12)
    previous, following = shift(year, month, -1), shift(year, month, 1)
    return render(
        request,
        "calendar.html",
        {
            "form": form,
            "year": year,
            "month": month,
            "month_label": f"{era_year_label(*wareki(first))}{month}月",
            "days": group_by_day(entries),
            "undated": undated,
            "shown_labels": [label for kind, label in KIND_CHOICES if kind in shown],
            "all_kinds": not kinds or kinds == set(KIND_LABELS),
            "district": district,
            "salons_shown": Kind.SALON in shown,
            "is_past_month": last < today,
            "is_this_month": (year, month) == (today.year, today.month),
            "today": today,
            "previous": month_url(*previous, query) if previous >= lowest else None,
            "following": month_url(*following, query) if following <= highest else None,
            "previous_label": f"{previous[1]}月",
            "following_label": f"{following[1]}月",
            "this_month_url": month_url(today.year, today.month, query),
            "page_office": district.contact_office if district else None,
        },
    )
