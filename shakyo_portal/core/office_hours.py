"""When an office takes callers, as its council publishes it.

One rule, `OfficeHours`, answers every question a page asks: why a day is
closed, the periods of a day, whether the office is open at a moment, when it
next opens, and the one-line summary of the hours. It is plain Python and
never touches the database: `Office.hours` builds it from the office's rows
(its weekly periods, its special days, its 祝日 and 年末年始 settings).

祝日 include 振替休日 and 国民の休日; the holidays library knows both, with
their Japanese names (its translations ship with the package, no network).

A council that does not publish its hours gets no hours line, no 受付中 and
no 次の受付: `status_at` and `next_opening` answer None and `label` is empty.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache, cached_property
from itertools import pairwise

import holidays
from django.utils import timezone

from shakyo_portal.core.dates import WEEKDAYS, format_date, format_time

# How far ahead next_opening looks: past a whole year and its 年末年始, so an
# office open once a year is still found, and one never open is not looked for forever.
SEARCH_DAYS = 400


@cache
def _holidays(year: int) -> holidays.HolidayBase:
    # Built once per year and kept for the life of the process: constructing it
    # computes the whole year (equinoxes, substitute days). expand=False keeps a
    # lookup of another year from growing this year's object.
    return holidays.country_holidays("JP", language="ja", years=year, expand=False)


def holiday_name(d: date) -> str | None:
    """The national holiday's name (振替休日 and 国民の休日 included), else None."""
    return _holidays(d.year).get(d)


@dataclass(frozen=True)
class Period:
    """One stretch of a weekday when callers are taken: opens <= t < closes."""

    weekday: int  # 0 = Monday, as date.weekday()
    opens: time
    closes: time


@dataclass(frozen=True)
class YearEnd:
    """The 年末年始 closure as month/day pairs; it may run over the new year."""

    start_month: int
    start_day: int
    end_month: int
    end_day: int

    def __contains__(self, d: date) -> bool:
        start, end, day = (
            (self.start_month, self.start_day),
            (self.end_month, self.end_day),
            (d.month, d.day),
        )
        if start <= end:
            return start <= day <= end
        return day >= start or day <= end

    @property
    def label(self) -> str:
        """12月29日〜1月3日."""
        start = f"{self.start_month}月{self.start_day}日"
        if (self.start_month, self.start_day) == (self.end_month, self.end_day):
            return start
        return f"{start}〜{self.end_month}月{self.end_day}日"


STANDARD_YEAR_END = YearEnd(12, 29, 1, 3)


@dataclass(frozen=True)
class SpecialDay:
    """A date that does not follow the weekly timetable: closed (臨時休業) or
    open (土曜開所日). An open day without times keeps its weekday's periods,
    or, on a weekday normally closed, those of the first weekday that opens."""

    date: date
    is_open: bool
    label: str = ""
    opens: time | None = None
    closes: time | None = None

    @property
    def reason(self) -> str:
        return self.label or "臨時休業"


@dataclass(frozen=True)
class OpenStatus:
    is_open: bool
    label: str


def overlapping_weekdays(periods: Iterable[Period]) -> list[int]:
    """The weekdays whose periods overlap (touching ends are fine: 12:00 and 12:00)."""
    by_day: dict[int, list[Period]] = {}
    for period in periods:
        by_day.setdefault(period.weekday, []).append(period)
    clashing = []
    for weekday, day in sorted(by_day.items()):
        day.sort(key=lambda p: p.opens)
        if any(later.opens < earlier.closes for earlier, later in pairwise(day)):
            clashing.append(weekday)
    return clashing


def holiday_or_year_end(d: date, year_end: YearEnd | None = STANDARD_YEAR_END) -> str | None:
    """「年末年始」 in the closure, the 祝日's name on a national holiday, else None.

    The default is the standard closure (12月29日〜1月3日) for a council that has
    not entered an office of its own."""
    if year_end is not None and d in year_end:
        return "年末年始"
    return holiday_name(d)


def _weekday_run_label(days: list[int]) -> str:
    """月〜金 for three or more days in a row, else 月・水・金 (and 土・日)."""
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{WEEKDAYS[run[0]]}〜{WEEKDAYS[run[-1]]}")
        else:
            parts.extend(WEEKDAYS[day] for day in run)
    return "・".join(parts)


def _span(opens: time, closes: time) -> str:
    return f"{format_time(opens)}〜{format_time(closes)}"


class OfficeHours:
    def __init__(
        self,
        periods: Iterable[Period],
        *,
        published: bool = True,
        closes_on_holidays: bool = True,
        year_end: YearEnd | None = STANDARD_YEAR_END,
        special_days: Iterable[SpecialDay] = (),
    ):
        self.published = published
        self.closes_on_holidays = closes_on_holidays
        self.year_end = year_end
        week: dict[int, list[tuple[time, time]]] = {day: [] for day in range(7)}
        for period in periods:
            week[period.weekday].append((period.opens, period.closes))
        self.week = {day: tuple(sorted(spans)) for day, spans in week.items()}
        self.special_days = {special.date: special for special in special_days}

    # --- one day -------------------------------------------------------------------

    def closed_reason(self, d: date) -> str | None:
        """None on a day with reception; else why there is none, in this order:
        a special day (臨時休業, or its label), 年末年始, the 祝日's name, the weekday
        (土曜日). A special open day overrides all but its own closure."""
        special = self.special_days.get(d)
        if special is not None:
            if not special.is_open:
                return special.reason
            return None if self.periods_on(d) else "受付時間未定"
        if self.year_end is not None and d in self.year_end:
            return "年末年始"
        if self.closes_on_holidays and (name := holiday_name(d)):
            return name
        if not self.week[d.weekday()]:
            return f"{WEEKDAYS[d.weekday()]}曜日"
        return None

    def periods_on(self, d: date) -> tuple[tuple[time, time], ...]:
        """The (opens, closes) pairs of a date, in order; () on a closed day."""
        special = self.special_days.get(d)
        if special is not None:
            if not special.is_open:
                return ()
            if special.opens and special.closes:
                return ((special.opens, special.closes),)
            return self.week[d.weekday()] or self._first_open_weekday()
        if self.closed_reason(d):
            return ()
        return self.week[d.weekday()]

    @cached_property
    def ever_open(self) -> bool:
        # An office with no reception hours (a branch that only lists its phone)
        # would otherwise be searched a year ahead, day by day, on every page.
        return any(self.week.values()) or any(s.is_open for s in self.special_days.values())

    def _first_open_weekday(self) -> tuple[tuple[time, time], ...]:
        return next((spans for spans in self.week.values() if spans), ())

    # --- a moment -------------------------------------------------------------------

    def next_opening(self, moment: datetime) -> datetime | None:
        """The next moment after `moment` when a period starts (Japan time), or
        None when the hours are not published or no opening lies within a year."""
        if not self.published or not self.ever_open:
            return None
        local = timezone.localtime(moment)
        today = local.date()
        for offset in range(SEARCH_DAYS):
            d = today + timedelta(days=offset)
            for opens, _ in self.periods_on(d):
                if offset or opens > local.time():
                    return datetime.combine(d, opens, tzinfo=local.tzinfo)
        return None

    def status_at(self, moment: datetime) -> OpenStatus | None:
        """受付中, or when reception starts today, or why not and when next; None
        when the hours are not published (nothing may be claimed then)."""
        if not self.published:
            return None
        local = timezone.localtime(moment)
        today, now = local.date(), local.time()
        spans = self.periods_on(today)
        if any(opens <= now < closes for opens, closes in spans):
            return OpenStatus(True, "ただいま受付中です")
        later = [opens for opens, _ in spans if opens > now]
        if later:
            return OpenStatus(False, f"本日は{format_time(later[0])}から受付します")
        reason = self.closed_reason(today)
        today_text = f"本日は休業日です（{reason}）。" if reason else "本日の受付は終了しました。"
        upcoming = self.next_opening(local)
        if upcoming is None:
            return OpenStatus(False, today_text)
        return OpenStatus(
            False,
            f"{today_text}次の受付は{format_date(upcoming)} {format_time(upcoming)}からです",
        )

    # --- the week --------------------------------------------------------------------

    @cached_property
    def label(self) -> str:
        """月〜金 8:30〜12:00、13:00〜17:15／土 8:30〜12:00（日・祝日、12月29日〜1月3日を除く）.

        Weekdays with the same periods share a group; 土・日, the 祝日 and the
        年末年始 are named in the parenthesis only when they close it."""
        if not self.published:
            return ""
        groups: dict[tuple[tuple[time, time], ...], list[int]] = {}
        for day, spans in self.week.items():
            if spans:
                groups.setdefault(spans, []).append(day)
        if not groups:
            return ""
        text = "／".join(
            f"{_weekday_run_label(days)} {'、'.join(_span(*span) for span in spans)}"
            for spans, days in groups.items()
        )
        # 土・日 are named as people expect (土・日・祝日を除く); other closed
        # weekdays are plain from the groups, and listing them would only lengthen it.
        closed = [day for day, spans in self.week.items() if not spans]
        names = [WEEKDAYS[day] for day in closed] if set(closed) <= {5, 6} else []
        if self.closes_on_holidays:
            names.append("祝日")
        excluded = ["・".join(names)] if names else []
        if self.year_end is not None:
            excluded.append(self.year_end.label)
        return f"{text}（{'、'.join(excluded)}を除く）" if excluded else text

    def upcoming_special_days(self, after: date) -> list[str]:
        """The special days from `after` on, each as the contact page words it:
        令和8年11月28日(土) 8:30〜12:00に受付します（土曜開所日）."""
        lines = []
        for d in sorted(d for d in self.special_days if d >= after):
            special = self.special_days[d]
            if special.is_open:
                spans = "、".join(_span(*span) for span in self.periods_on(d))
                text = f"{format_date(d)} {spans}に受付します"
                lines.append(f"{text}（{special.label}）" if special.label else text)
            else:
                lines.append(f"{format_date(d)} 休業します（{special.reason}）")
        return lines


# --- reading a timetable typed by a person (setup_council) ---------------------------------

_DAY_TOKEN = re.compile(
    r"^([月火水木金土日])(?:曜日?)?(?:\s*[〜~\-]\s*([月火水木金土日])(?:曜日?)?)?$"
)
_SPAN = re.compile(r"^(\d{1,2})(?::|時)(\d{2})分?\s*[〜~\-]\s*(\d{1,2})(?::|時)(\d{2})分?$")


def _days(text: str) -> list[int]:
    days: list[int] = []
    for token in re.split(r"\s*[・,]\s*", text.strip()):
        match = _DAY_TOKEN.match(token)
        if not match:
            raise ValueError(f"「{token}」は曜日として読めません。例: 月〜金、土、月・水・金")
        first = WEEKDAYS.index(match[1])
        last = WEEKDAYS.index(match[2]) if match[2] else first
        if last < first:
            raise ValueError(f"「{token}」は月曜から日曜の順に書いてください。")
        days.extend(range(first, last + 1))
    return days


def _time(hour: str, minute: str) -> time:
    try:
        return time(int(hour), int(minute))
    except ValueError:
        raise ValueError(f"{hour}:{minute} は時刻として読めません。") from None


def parse_timetable(text: str) -> list[Period]:
    """The weekly periods from the line the site itself writes, as a person types
    it: 「月〜金 8:30〜12:00、13:00〜17:15／土 8:30〜12:00」 (full-width digits,
    「-」 or 「~」 for 〜, 「8時30分」 accepted). A ValueError says, in Japanese, what
    could not be read."""
    periods = []
    normal = unicodedata.normalize("NFKC", text).strip()
    for group in filter(None, (part.strip() for part in re.split(r"[/;]", normal))):
        match = re.match(r"^(\S+?)\s+(.+)$", group)
        if not match:
            raise ValueError(
                f"「{group}」は「月〜金 8:30〜17:15」のように曜日と時刻を書いてください。"
            )
        for day in _days(match[1]):
            for span in filter(None, re.split(r"\s*[、,]\s*|\s+", match[2])):
                times = _SPAN.match(span)
                if not times:
                    raise ValueError(f"「{span}」は「8:30〜17:15」のように書いてください。")
                opens, closes = _time(times[1], times[2]), _time(times[3], times[4])
                if closes <= opens:
                    raise ValueError(f"「{span}」は終わりの時刻を始まりより後にしてください。")
                periods.append(Period(day, opens, closes))
    if clashing := overlapping_weekdays(periods):
        days = "・".join(WEEKDAYS[day] for day in clashing)
        raise ValueError(f"{days}曜日の受付時間が重なっています。")
    return periods


_MONTH_DAY = r"(\d{1,2})\s*(?:/|月)\s*(\d{1,2})日?"
_YEAR_END = re.compile(rf"^{_MONTH_DAY}\s*[〜~\-]\s*{_MONTH_DAY}$")


def parse_year_end(text: str) -> YearEnd | None:
    """「12月29日〜1月3日」 or 「12/28-1/4」; 「なし」 for an office open over the new year."""
    normal = unicodedata.normalize("NFKC", text).strip()
    if normal in {"なし", "無し", "ない"}:
        return None
    match = _YEAR_END.match(normal)
    if not match:
        raise ValueError(
            f"「{text}」は「12月29日〜1月3日」のように書いてください（休まないなら「なし」）。"
        )
    numbers = [int(part) for part in match.groups()]
    for month, day in (numbers[:2], numbers[2:]):
        try:
            date(2000, month, day)  # a leap year: 2月29日 exists
        except ValueError:
            raise ValueError(f"{month}月{day}日という日はありません。") from None
    return YearEnd(*numbers)
