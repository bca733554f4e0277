"""iCalendar feeds of 協議体 meetings, for calendar apps to subscribe to.

Only registered meetings go in: the dates a rule merely suggests (予定（目安）)
would sit in people's calendars as if they were fixed. A meeting keeps its UID
for life and its SEQUENCE grows with every save, so a subscribed calendar
updates the event in place; a cancelled or postponed one stays in the feed with
STATUS:CANCELLED, so the calendar shows it called off instead of silently
dropping it. Nothing from the staff notes is ever written here.

A meeting known only to its month or 年度 (「令和元年度に報告会」) is left out
(MeetingQuerySet.for_feed): iCalendar has no event "some day in May", and an
all-day event on the 1st, or one spread over the month, would put a day in
people's calendars that nobody chose. It enters the feed, under its lasting
UID, once staff set its day; until then its page says what is known.
"""

from datetime import timedelta

from icalendar.enums import CLASS, STATUS, TRANSP

from councils.models import AgendaItem, Meeting, MeetingFormat, MeetingStatus
from shakyo_portal.core.calendars import FeedEvent, feed_bytes, feed_event

MARKS = {
    MeetingStatus.CANCELLED: "【中止】",
    MeetingStatus.POSTPONED: "【延期】",
}


def summary(meeting: Meeting) -> str:
    """【中止】いい輪ネットおがわ（小川地区協議体） 令和8年度第3回（書面開催）."""
    text = f"{MARKS.get(meeting.status, '')}{meeting.council.display_name} {meeting.label}"
    if meeting.format == MeetingFormat.WRITTEN:
        text += "（書面開催）"
    return text


def agenda_lines(meetings) -> dict[int, list[str]]:
    """{meeting pk: its agenda as the description lists it}, in one query
    (none for no meetings): plain rows, since only two texts of each are shown."""
    ids = [meeting.pk for meeting in meetings]
    lines: dict[int, list[str]] = {}
    if not ids:
        return lines
    rows = (
        AgendaItem.objects.filter(meeting__in=ids)
        .order_by("display_order", "pk")
        .values_list("meeting_id", "kind__name", "title")
    )
    for meeting_id, kind, title in rows:
        line = f"・{kind}「{title}」" if kind is not None else f"・{title}"
        lines.setdefault(meeting_id, []).append(line)
    return lines


def description(meeting: Meeting, url: str, agenda: list[str]) -> str:
    lines = []
    if meeting.status == MeetingStatus.CANCELLED:
        lines.append(f"この会議は中止になりました。{meeting.status_reason}".strip())
    elif meeting.status == MeetingStatus.POSTPONED:
        lines.append(f"この会議は延期になりました。{meeting.status_reason}".strip())
        if meeting.replaced_by_id:
            lines.append(f"延期後の日程: {meeting.replaced_by.when}")
    if meeting.replacement:
        lines.append(meeting.replacement)
    if agenda:
        lines.append("議題:")
        lines += agenda
    lines.append(f"詳しくは: {url}")
    return "\n".join(lines)


def meeting_event(meeting: Meeting, *, host: str, url: str, agenda: list[str]) -> FeedEvent:
    start = meeting.starts()
    if start is None:
        # A meeting without a time is an all-day event; DTEND is exclusive.
        start, end = meeting.held_on, meeting.held_on + timedelta(days=1)
    else:
        end = meeting.ends()
    called_off = meeting.is_called_off
    return feed_event(
        uid=f"council-meeting-{meeting.pk}@{host}",
        stamp=meeting.updated_at,
        created=meeting.created_at,
        last_modified=meeting.updated_at,
        sequence=meeting.sequence,
        start=start,
        end=end,
        summary=summary(meeting),
        description=description(meeting, url, agenda),
        location=meeting.place_label or None,
        url=url,
        status=STATUS.CANCELLED if called_off else STATUS.CONFIRMED,
        classification=CLASS.PUBLIC,
        # Nobody needs to keep the time free for a meeting that will not take
        # place, or for one held on paper.
        transparency=(
            TRANSP.TRANSPARENT
            if called_off or meeting.format == MeetingFormat.WRITTEN
            else TRANSP.OPAQUE
        ),
    )


def meetings_calendar(meetings, *, key: str, name: str, about: str, host: str, url_for) -> bytes:
    """The feed as bytes. `key` names the feed for good (councils, council-<slug>);
    `url_for(meeting)` gives a meeting page's absolute URL."""
    meetings = list(meetings)
    agenda = agenda_lines(meetings)
    events = [
        meeting_event(meeting, host=host, url=url_for(meeting), agenda=agenda.get(meeting.pk, []))
        for meeting in meetings
    ]
    return feed_bytes(events, source="councils", key=key, name=name, about=about, host=host)
