"""和暦 and the one way the site writes dates and times.

令和6年12月7日(土) 10:00 is how people here read a date; every page, mail and
feed goes through these functions so no template formats a date on its own.
"""

import re
import unicodedata
from datetime import date, datetime, time
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.utils import timezone


class Era(NamedTuple):
    name: str
    start: date
    letter: str  # the initial people type: R6, H30


# Oldest first. An era starts on its first day; the day before is the old era's last.
ERAS = (
    Era("明治", date(1868, 1, 25), "M"),
    Era("大正", date(1912, 7, 30), "T"),
    Era("昭和", date(1926, 12, 25), "S"),
    Era("平成", date(1989, 1, 8), "H"),
    Era("令和", date(2019, 5, 1), "R"),
)

WEEKDAYS = "月火水木金土日"


def _local(value: date | datetime) -> date | datetime:
    """An aware datetime in Japan time; dates and naive datetimes as they are."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def local_date(value: date | datetime) -> date:
    """The day a date or datetime falls on in Japan."""
    value = _local(value)
    # A datetime is a date too, but it cannot be compared with one.
    return value.date() if isinstance(value, datetime) else value


def wareki(d: date) -> tuple[str, int]:
    """The era and the era's year of a day: date(2019, 5, 1) -> ("令和", 1)."""
    d = local_date(d)
    for era in reversed(ERAS):
        if d >= era.start:
            return era.name, d.year - era.start.year + 1
    raise ValueError(f"{d.isoformat()}は明治より前のため、和暦で表せません。")


def era_year_label(era: str, year: int) -> str:
    """令和元年, 令和6年: the first year of an era is written 元."""
    return f"{era}{'元' if year == 1 else year}年"


def _year_label(d: date, western: bool) -> str:
    return f"{d.year}年" if western else era_year_label(*wareki(d))


def _day(d: date, weekday: bool = True) -> str:
    text = f"{d.day}日"
    return f"{text}({WEEKDAYS[d.weekday()]})" if weekday else text


def _month_day(d: date, weekday: bool = True) -> str:
    return f"{d.month}月{_day(d, weekday)}"


def format_date(d: date | datetime, *, western: bool = False, weekday: bool = True) -> str:
    """令和6年12月7日(土), or 2024年12月7日(土) with western=True."""
    d = local_date(d)
    return _year_label(d, western) + _month_day(d, weekday)


def format_time(t: time | datetime) -> str:
    """9:30, 10:00: the hour as people say it, the minutes always two digits."""
    t = _local(t)
    return f"{t.hour}:{t.minute:02d}"


def format_datetime(dt: datetime, *, western: bool = False) -> str:
    """令和6年12月7日(土) 10:00. A naive datetime is taken to be Japan time already."""
    return f"{format_date(dt, western=western)} {format_time(dt)}"


def _end_date(start: date, end: date, western: bool, *, short_month: bool = False) -> str:
    """The end of a span, leaving out what it shares with the start: the year, and with
    short_month the month too (〜9日(月))."""
    if _year_label(start, western) != _year_label(end, western):
        return format_date(end, western=western)
    if short_month and start.month == end.month:
        return _day(end)
    return _month_day(end)


def format_period(start: datetime, end: datetime | None, *, western: bool = False) -> str:
    """令和6年12月7日(土) 10:00〜12:00, or 〜12月8日(日) 12:00 when it ends on another day."""
    text = format_datetime(start, western=western)
    if end is None:
        return text
    start_day, end_day = local_date(start), local_date(end)
    if start_day == end_day:
        return f"{text}〜{format_time(end)}"
    return f"{text}〜{_end_date(start_day, end_day, western)} {format_time(end)}"


def format_date_range(start: date, end: date, *, western: bool = False) -> str:
    """All-day spans: 令和6年12月7日(土)〜9日(月), 令和6年11月30日(土)〜12月2日(月)."""
    start, end = local_date(start), local_date(end)
    text = format_date(start, western=western)
    if start == end:
        return text
    return f"{text}〜{_end_date(start, end, western, short_month=True)}"


# --- reading dates typed by people (forms, the admin, CSV imports) ------------------

_ERA_BY_KEY = {key: era for era in ERAS for key in (era.name, era.letter)}
_WAREKI = re.compile(
    r"(?P<era>{eras})(?P<year>元|[0-9]{{1,2}})(?:年|[./-])(?P<month>[0-9]{{1,2}})(?:月|[./-])"
    r"(?P<day>[0-9]{{1,2}})日?".format(eras="|".join(_ERA_BY_KEY))
)
_WESTERN = re.compile(
    r"(?P<year>[0-9]{4})(?:年|[./-])(?P<month>[0-9]{1,2})(?:月|[./-])(?P<day>[0-9]{1,2})日?"
)
# 02/06/2021, 2/6/21: the order of US forms and spreadsheets, refused rather than guessed.
_YEAR_LAST = re.compile(r"[0-9]{1,2}[./-][0-9]{1,2}[./-](?:[0-9]{4}|[0-9]{2})")
# The weekday the site writes after a date, (土), when a date is copied from a page.
_WEEKDAY = re.compile(r"[(（](?P<weekday>[月火水木金土日])(?:曜日?)?[)）]$")
_DASHES = re.compile(r"[\u2010-\u2015\u2212\u30fc\uff70]")

DATE_ORDER_MESSAGE = "年・月・日の順に入力してください（例: 2021/2/6、令和3年2月6日）。"


def _no_such_date(text: str) -> ValidationError:
    return ValidationError(f"「{text}」という日付はありません。", code="no_such_date")


def _wareki_date(match: re.Match, text: str) -> date:
    era = _ERA_BY_KEY[match["era"]]
    year = 1 if match["year"] == "元" else int(match["year"])
    try:
        day = date(era.start.year + year - 1, int(match["month"]), int(match["day"]))
    except ValueError:
        day = None
    following = [later.start for later in ERAS if later.start > era.start]
    if day is None or day < era.start or (following and day >= following[0]):
        raise _no_such_date(text)
    return day


def wareki_to_western(text: str) -> str:
    """令和8年4月1日, R8.4.1 -> 2026-04-01; anything else as it was. A day outside
    the era (令和元年4月1日, 平成32年1月1日) raises ValidationError."""
    cleaned = unicodedata.normalize("NFKC", text).strip().upper()
    match = _WAREKI.fullmatch(cleaned)
    if match is None:
        return text
    return _wareki_date(match, text).isoformat()


def parse_typed_date(text: str) -> date | None:
    """The day a person typed, however they write it: 2021/2/6, 2021-02-06,
    2021年2月6日, 令和3年2月6日, R3.2.6, full width (２０２１／２／６), with or without
    the weekday the site writes after it (令和3年2月6日(土)).

    None when the text is no date at all (the form says what it expects); a
    ValidationError when it is a date in month/day/year order, which is refused
    rather than guessed, or one the calendar does not have (2021/2/30, 令和元年4月1日).
    """
    cleaned = unicodedata.normalize("NFKC", text).upper()
    cleaned = "".join(_DASHES.sub("-", cleaned).split())
    weekday = _WEEKDAY.search(cleaned)
    if weekday:
        cleaned = cleaned[: weekday.start()]
    if match := _WAREKI.fullmatch(cleaned):
        day = _wareki_date(match, text)
    elif match := _WESTERN.fullmatch(cleaned):
        if not (1 <= int(match["month"]) <= 12 and 1 <= int(match["day"]) <= 31):
            # 2026/13/1 is a typing slip, not a day the calendar lacks.
            return None
        try:
            day = date(int(match["year"]), int(match["month"]), int(match["day"]))
        except ValueError:
            raise _no_such_date(text) from None
    elif _YEAR_LAST.fullmatch(cleaned):
        raise ValidationError(DATE_ORDER_MESSAGE, code="date_order")
    else:
        return None
    if weekday and WEEKDAYS[day.weekday()] != weekday["weekday"]:
        raise ValidationError(
            f"{format_date(day, western=True, weekday=False)}は{WEEKDAYS[day.weekday()]}曜日です。"
            "日付か曜日を確かめてください。",
            code="weekday_mismatch",
        )
    return day


# --- a time range on a form ------------------------------------------------------------


def time_range_errors(
    starts: time | None, ends: time | None, *, starts_field="starts_at", ends_field="ends_at"
) -> dict[str, str]:
    """The errors of an optional 開始〜終了 pair, for a model's clean(): an end
    alone says nothing a page could show, and an end at or before the start is
    a slip."""
    if ends and not starts:
        return {starts_field: "終了時刻を入れるときは開始時刻も入力してください。"}
    if starts and ends and ends <= starts:
        return {ends_field: "終了時刻は開始時刻より後にしてください。"}
    return {}
