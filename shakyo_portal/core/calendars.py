"""iCalendar files and the one rule that keeps subscribed calendars current.

Every feed the site offers (協議体 meetings, 行事) is built here, so they
share their headers: a fixed UID per feed, the refresh interval calendar apps
honour, and Asia/Tokyo times with the zone included.
"""

import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import models
from django.http import HttpResponse
from icalendar import Calendar, Timezone
from icalendar.prop import vDDDTypes, vDuration

# Calendar apps that honour it check back this often.
REFRESH = timedelta(hours=6)


def sequence_field():
    return models.PositiveIntegerField(default=0, editable=False)


class CalendarSequence(models.Model):
    """A row that appears in calendar feeds as an event.

    Calendar apps replace an event they already have only when its SEQUENCE
    grows, so every save after the first counts up. The model declares its
    own `sequence = sequence_field()`, where its other fields put it (an
    inherited field would come first, in the admin's CSV as well).
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            self.sequence += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "sequence"}
        super().save(*args, **kwargs)


def calendar_bytes(events, *, source: str, key: str, name: str, host: str, about=None) -> bytes:
    """The feed as bytes. `events` are icalendar Event components; `source`
    names the app in PRODID; `key` names the feed for good (councils,
    council-<pk>, events), so the same feed is the same calendar every time."""
    calendar = Calendar.new(
        prodid=f"-//shakyo-portal//{source}//JA",
        name=name,
        description=about,
        method="PUBLISH",
        refresh_interval=REFRESH,
        uid=f"{key}@{host}",
    )
    calendar.add("X-WR-TIMEZONE", "Asia/Tokyo")
    calendar.add("X-PUBLISHED-TTL", "PT6H")  # the older way to say REFRESH-INTERVAL
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def calendar_response(body: bytes, *, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# --- Feeds written directly -------------------------------------------------------
#
# icalendar builds a tree of property objects for every event and folds each line
# character by character: for a feed of a few hundred events that was most of the
# request. feed_event() and feed_bytes() write the same bytes straight from the
# values (tests/councils/test_feed_writer.py compares the two on the same input),
# taking the same keywords as icalendar's Event.new and calendar_bytes().

_FOLD_AT = 74  # octets a folded line may hold, as icalendar folds (below 75)
_REFRESH_TEXT = vDuration(REFRESH).to_ical().decode()


@dataclass(frozen=True, slots=True)
class FeedEvent:
    """One VEVENT as folded content lines, each ending in CRLF, and the time
    zones its times name (each needs a VTIMEZONE in the calendar)."""

    text: str
    tzids: frozenset[str]


def _fold(line: str) -> str:
    """RFC 5545 folding as icalendar does it: at most 74 octets a line, never
    inside a character, and a backslash or ^ that would end a line begins the
    next one instead, so no escape is split."""
    encoded = line.encode()
    if len(encoded) <= _FOLD_AT:
        return line
    pieces = []
    start, total = 0, len(encoded)
    while total - start > _FOLD_AT:
        end = start + _FOLD_AT
        while encoded[end] & 0xC0 == 0x80:  # inside a UTF-8 character
            end -= 1
        if encoded[end - 1] in b"\\^" and end - 1 > start:
            end -= 1
        pieces.append(encoded[start:end])
        start = end
    pieces.append(encoded[start:])
    return b"\r\n ".join(pieces).decode()


def _text(value: str) -> str:
    """TEXT escaping, as icalendar's _escape_char."""
    return (
        str(value)
        .replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def _stamp(v: datetime) -> str:
    """A DATE-TIME value without its zone, as icalendar writes it."""
    return f"{v.year:04}{v.month:02}{v.day:02}T{v.hour:02}{v.minute:02}{v.second:02}"


def _one_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValueError(f"A calendar's name or description is one line: {value!r}")
    return value


def _utc_stamp(value: datetime) -> str:
    """DTSTAMP, CREATED, LAST-MODIFIED: in UTC, to the second."""
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return f"{_stamp(value)}Z"


def _zone_of(value: datetime) -> tuple[str | None, bool]:
    """(TZID, is UTC) as icalendar names the zone of `value`."""
    prop = vDDDTypes(value)
    return prop.params.get("TZID"), prop.to_ical().endswith(b"Z")


@functools.cache
def _zone(tzinfo) -> tuple[str | None, bool]:
    """_zone_of() once per zone, for zones named whatever the date (a
    ZoneInfo by its key, UTC)."""
    return _zone_of(datetime(2000, 1, 1, tzinfo=tzinfo))


def _when(name: str, value) -> tuple[str, str | None]:
    """DTSTART or DTEND: a date, a UTC time or a time in a named zone."""
    if not isinstance(value, datetime):
        return f"{name};VALUE=DATE:{value.year:04}{value.month:02}{value.day:02}", None
    if value.tzinfo is None:
        return f"{name}:{_stamp(value)}", None
    tzid, utc = (
        _zone(value.tzinfo)
        if isinstance(value.tzinfo, ZoneInfo) or value.tzinfo is UTC
        else _zone_of(value)
    )
    if utc:
        return f"{name}:{_stamp(value)}Z", None
    return f"{name};TZID={tzid}:{_stamp(value)}", tzid


def feed_event(
    *,
    uid: str,
    stamp: datetime,
    start: date | datetime,
    end: date | datetime | None = None,
    sequence: int | None = None,
    created: datetime | None = None,
    last_modified: datetime | None = None,
    summary: str | None = None,
    description: str | None = None,
    location: str | None = None,
    url: str | None = None,
    status: str | None = None,
    classification: str | None = None,
    transparency: str | None = None,
) -> FeedEvent:
    """A VEVENT with the properties icalendar's Event.new takes under these
    names, in the order icalendar writes them; None leaves a property out."""
    tzids = set()
    lines = ["BEGIN:VEVENT"]
    if summary is not None:
        lines.append(f"SUMMARY:{_text(summary)}")
    for name, value in (("DTSTART", start), ("DTEND", end)):
        if value is not None:
            line, tzid = _when(name, value)
            lines.append(line)
            if tzid:
                tzids.add(tzid)
    lines.append(f"DTSTAMP:{_utc_stamp(stamp)}")
    lines.append(f"UID:{_text(uid)}")
    if sequence is not None:
        lines.append(f"SEQUENCE:{int(sequence)}")
    # The rest in name order, as icalendar sorts what has no fixed place.
    rest = (
        ("CLASS", classification, str),
        ("CREATED", created, _utc_stamp),
        ("DESCRIPTION", description, _text),
        ("LAST-MODIFIED", last_modified, _utc_stamp),
        ("LOCATION", location, _text),
        ("STATUS", status, str),
        ("TRANSP", transparency, str),
        ("URL", url, str),
    )
    lines += [f"{name}:{write(value)}" for name, value, write in rest if value is not None]
    lines.append("END:VEVENT")
    return FeedEvent("".join(f"{_fold(line)}\r\n" for line in lines), frozenset(tzids))


@functools.cache
def _vtimezone(tzid: str) -> str:
    """The VTIMEZONE icalendar's add_missing_timezones() writes for `tzid`; ""
    for a zone it does not know (it leaves those out)."""
    try:
        return Timezone.from_tzid(tzid).to_ical().decode()
    except ValueError:
        return ""


def feed_bytes(
    events: list[FeedEvent], *, source: str, key: str, name: str, host: str, about=None
) -> bytes:
    """calendar_bytes() for events from feed_event(): the same calendar, byte
    for byte."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{_text(f'-//shakyo-portal//{source}//JA')}"]
    lines.append("METHOD:PUBLISH")
    # icalendar writes NAME and the X-WR- names as they are given (their value
    # type is unknown to it) and refuses a line feed in them; this refuses any
    # line break, which would end the line there.
    if about is not None:
        lines += [f"DESCRIPTION:{_text(about)}", f"X-WR-CALDESC:{_one_line(about)}"]
    lines += [f"NAME:{_one_line(name)}", f"X-WR-CALNAME:{_one_line(name)}"]
    lines += [
        f"REFRESH-INTERVAL:{_REFRESH_TEXT}",
        f"UID:{_text(f'{key}@{host}')}",
        "X-PUBLISHED-TTL:PT6H",
        "X-WR-TIMEZONE:Asia/Tokyo",
    ]
    parts = [f"{_fold(line)}\r\n" for line in lines]
    tzids = set().union(*(event.tzids for event in events))
    parts += [_vtimezone(tzid) for tzid in sorted(tzids)]
    parts += [event.text for event in events]
    parts.append("END:VCALENDAR\r\n")
    return "".join(parts).encode()
