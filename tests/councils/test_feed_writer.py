"""The feeds' own iCalendar writer (shakyo_portal/core/calendars.py) writes the
very bytes icalendar writes for the same values: it replaced icalendar's Event
and Calendar in the meetings feed only because they were slow, so subscribed
calendars must not see a single octet change (a SEQUENCE, a fold, an escape)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar, Event
from icalendar.enums import CLASS, STATUS, TRANSP

from shakyo_portal.core.calendars import calendar_bytes, feed_bytes, feed_event

TOKYO = ZoneInfo("Asia/Tokyo")
UTC = datetime.UTC
STAMP = datetime.datetime(2026, 12, 7, 7, 59, 53, 123456, tzinfo=UTC)
START = datetime.datetime(2026, 12, 15, 10, 0, tzinfo=TOKYO)
FEED = {
    "source": "councils",
    "key": "councils",
    "name": "総社市社協 協議体の会議",
    "host": "example.org",
    "about": (
        "協議体（第1層・第2層）の会議の予定です。中止・延期になった会議も「中止」と表示されます。"
    ),
}
# Text that exercises every escape: a long Japanese line folds inside
# three-octet characters, and each special character lands on a fold somewhere.
AWKWARD = (
    "【中止】いい輪ネットきよね（清音地区協議体） 令和8年度第3回（書面開催）, 議題; "
    "C:\\資料\\一覧 ^_^ 𠮷野家の前\r\n二行目\n三行目\r四行目 \\N は改行 " * 3
)


def same(events, **feed):
    """The two writers' calendars for the same events, icalendar's first."""
    options = {**FEED, **feed}
    reference = calendar_bytes([Event.new(**values) for values in events], **options)
    return reference, feed_bytes([feed_event(**values) for values in events], **options)


def meeting(**values):
    return {
        "uid": "council-meeting-31@example.org",
        "stamp": STAMP,
        "created": STAMP - datetime.timedelta(days=30),
        "last_modified": STAMP,
        "sequence": 3,
        "start": START,
        "end": START + datetime.timedelta(hours=2),
        "summary": "いい輪ネットきよね（清音地区協議体） 令和8年度第3回",
        "description": "議題:\n・報告「移動販売の停留所」\n詳しくは: https://example.org/councils/kiyone/meetings/31/",
        "location": "清音公民館 第1会議室",
        "url": "https://example.org/councils/kiyone/meetings/31/",
        "status": STATUS.CONFIRMED,
        "classification": CLASS.PUBLIC,
        "transparency": TRANSP.OPAQUE,
        **values,
    }


@pytest.mark.parametrize(
    "events",
    [
        pytest.param([meeting()], id="a timed meeting"),
        pytest.param(
            [
                meeting(
                    start=datetime.date(2026, 12, 15),
                    end=datetime.date(2026, 12, 16),
                    status=STATUS.CANCELLED,
                    transparency=TRANSP.TRANSPARENT,
                )
            ],
            id="all-day only: no VTIMEZONE",
        ),
        pytest.param(
            [meeting(summary=AWKWARD, description=AWKWARD, location=AWKWARD, uid=AWKWARD)],
            id="escapes and folds",
        ),
        pytest.param(
            [meeting(location=None, description=None, created=None, sequence=None, end=None)],
            id="what is left out",
        ),
        pytest.param([meeting(location="", description="", summary="")], id="empty texts"),
        pytest.param(
            [
                meeting(
                    start=datetime.datetime(2026, 12, 15, 1, 0, tzinfo=UTC),
                    end=datetime.datetime(2026, 12, 15, 3, 0, tzinfo=UTC),
                    stamp=datetime.datetime(2026, 12, 7, 16, 59, 53, tzinfo=TOKYO),
                    # A stamp without a zone is taken as UTC, by both.
                    created=datetime.datetime(2026, 11, 7, 9, 0),  # noqa: DTZ001
                )
            ],
            id="UTC, other zones and no zone for the stamps",
        ),
        pytest.param([], id="no events"),
        pytest.param(
            [meeting(uid=f"council-meeting-{n}@example.org") for n in range(3)]
            + [meeting(start=datetime.date(2027, 1, 5), end=datetime.date(2027, 1, 6))],
            id="several, timed and all-day",
        ),
    ],
)
def test_writes_the_bytes_icalendar_writes(events):
    reference, ours = same(events)
    assert ours == reference
    # And it is a calendar a parser reads back, event by event.
    assert len(Calendar.from_ical(ours).walk("VEVENT")) == len(events)


def test_a_feed_without_a_description_or_with_awkward_names():
    assert len({*same([meeting()], about=None)}) == 1
    # icalendar writes the calendar's names as they are, unescaped, and so must this.
    one_line = AWKWARD.replace("\r", "").replace("\n", "")
    assert len({*same([meeting()], name=one_line, about=one_line, key=one_line)}) == 1


def test_a_line_break_in_the_calendars_name_is_refused_as_icalendar_refuses_it():
    with pytest.raises(AssertionError):
        calendar_bytes([], **{**FEED, "name": "二行の\n名前"})
    for name in ["二行の\n名前", "二行の\r名前"]:
        with pytest.raises(ValueError):
            feed_bytes([], **{**FEED, "name": name})


@given(
    text=st.text(
        alphabet=st.sampled_from(list("あ漢ア字aZ09 ,;:\\^\"'\r\n\tÉ𠮷【】〜…"))
        | st.characters(codec="utf-8"),
        max_size=300,
    ),
    width=st.integers(min_value=0, max_value=80),
)
def test_any_text_folds_and_escapes_as_icalendar_does(text, width):
    # The padding moves every character of the text across the fold points.
    padded = "x" * width + text
    reference, ours = same([meeting(summary=padded, description=text, location=padded)])
    assert ours == reference
