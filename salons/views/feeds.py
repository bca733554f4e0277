"""iCalendar feeds of salons' coming dates: one salon, or a district's salons
(its sub-districts' included), for a calendar app to subscribe to.

The dates come from the salon's regular schedule less its 休み, as on its page.
A 中止 date stays in the feed with STATUS:CANCELLED, so a calendar that had it
shows it called off instead of silently dropping it. Each date keeps one UID
(the salon and the day), and its SEQUENCE follows the salon's last change
(a 休み or 中止 saved touches the salon), so calendars update it in place.
A salon without a rule, or paused, gives an empty calendar: nothing invented.

The events are written by the portal's own iCalendar writer (feed_event,
feed_bytes: icalendar's bytes, octet for octet, without its cost, most of it
working out the time zone again for every file).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_safe
from icalendar.enums import CLASS, STATUS, TRANSP

from districts.models import District
from salons.models import Salon, SalonDate, changes_prefetch, coming_dates
from shakyo_portal.core.calendars import FeedEvent, calendar_response, feed_bytes, feed_event

# A subscribed calendar is read again every few hours: half a year ahead is
# enough to plan by, and keeps a district's file small.
FEED_DAYS = 183


def sequence_of(salon) -> int:
    """Grows with every change of the salon, its 休み or its 中止 (minutes
    since 1970 of the last one): what calendar apps need to replace an event."""
    return int(salon.updated_at.timestamp()) // 60


def date_event(salon, day: SalonDate, *, request, stamp: datetime) -> FeedEvent:
    url = request.build_absolute_uri(salon.get_absolute_url())
    if day.starts_at is None:
        # A date without a time is an all-day event; DTEND is exclusive.
        start, end = day.on, day.on + timedelta(days=1)
    else:
        zone = timezone.get_current_timezone()
        start = datetime.combine(day.on, day.starts_at, tzinfo=zone)
        end = datetime.combine(day.on, day.ends_at, tzinfo=zone) if day.ends_at else None
    lines = []
    if day.cancelled:
        lines.append(f"この日のサロンは中止です。{day.reason}".strip())
    if salon.schedule_note:
        lines.append(salon.schedule_note)
    lines.append(f"いつもの日時: {salon.schedule_label}")
    lines.append(f"詳しくは: {url}")
    return feed_event(
        uid=f"salon-{salon.pk}-{day.on:%Y%m%d}@{settings.SITE_HOST}",
        stamp=stamp,
        last_modified=salon.updated_at,
        sequence=sequence_of(salon),
        start=start,
        end=end,
        summary=f"{'【中止】' if day.cancelled else ''}{salon.name}（ふれあいサロン）",
        description="\n".join(lines),
        location=" ".join(filter(None, [salon.venue_name, salon.venue_address])) or None,
        url=url,
        status=STATUS.CANCELLED if day.cancelled else STATUS.CONFIRMED,
        classification=CLASS.PUBLIC,
        transparency=TRANSP.TRANSPARENT if day.cancelled else TRANSP.OPAQUE,
    )


def salon_events(salons, *, request) -> list[FeedEvent]:
    today = timezone.localdate()
    stamp = timezone.now()
    until = today + timedelta(days=FEED_DAYS)
    return [
        date_event(salon, day, request=request, stamp=stamp)
        for salon in salons
        for day in coming_dates(salon, salon.change_list, today=today, until=until)
    ]


@require_safe
def salon_calendar(request, pk):
    """One salon's coming dates. A closed salon's feed stays (calendars that
    subscribed keep asking) and is empty. Queries: the salon; its 休み・中止."""
    today = timezone.localdate()
    salon = get_object_or_404(
        Salon.objects.public().prefetch_related(changes_prefetch(today)), pk=pk
    )
    about = (
        f"{salon.name}の開催日です（{salon.schedule_label}）。中止の日は「中止」と表示されます。"
    )
    body = feed_bytes(
        salon_events([salon], request=request),
        source="salons",
        key=f"salon-{salon.pk}",
        name=f"{salon.name}（ふれあいサロン）",
        about=about,
        host=settings.SITE_HOST,
    )
    return calendar_response(body, filename=f"salon-{salon.pk}.ics")


@require_safe
def district_calendar(request, slug):
    """The coming dates of every salon one can go to in a district and its
    sub-districts. Queries: the district; its salons; their 休み・中止."""
    today = timezone.localdate()
    district = get_object_or_404(District.objects.public(), slug=slug)
    salons = (
        Salon.objects.listed()
        .in_district(district)
        .prefetch_related(changes_prefetch(today))
        .order_by("reading", "pk")
    )
    body = feed_bytes(
        salon_events(salons, request=request),
        source="salons",
        key=f"salons-district-{district.pk}",
        name=f"{district.name}地区のふれあいサロン",
        about=(
            f"{district.name}地区のふれあいサロンの開催日です。中止の日は「中止」と表示されます。"
        ),
        host=settings.SITE_HOST,
    )
    return calendar_response(body, filename=f"salons-{district.slug}.ics")
