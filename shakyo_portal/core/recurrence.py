"""Monthly rules as people state them: 第3火曜日, 月末の月曜日.

Salons and 協議体 both meet by such rules; this is the one place that turns a
rule into dates, so a month with no fifth Tuesday or a 年度 that ends in March
is handled the same way everywhere.
"""

import calendar
from datetime import date, timedelta

from django.db import models


class Weekday(models.IntegerChoices):
    MONDAY = 0, "月曜日"
    TUESDAY = 1, "火曜日"
    WEDNESDAY = 2, "水曜日"
    THURSDAY = 3, "木曜日"
    FRIDAY = 4, "金曜日"
    SATURDAY = 5, "土曜日"
    SUNDAY = 6, "日曜日"


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date | None:
    """The nth given weekday of a month, or None when the month has no such day
    (most months have no fifth Tuesday)."""
    first = date(year, month, 1)
    day = 1 + (weekday - first.weekday()) % 7 + 7 * (n - 1)
    if day > calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day)


def last_weekday(year: int, month: int, weekday: int) -> date:
    """The last given weekday of a month: 月末の月曜日."""
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _months_from(d: date):
    year, month = d.year, d.month
    while True:
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def monthly_dates(
    *,
    weekday: int,
    week: int | None,
    start: date,
    count: int,
    months: frozenset[int] | set[int] = frozenset(),
    horizon_months: int = 24,
) -> list[date]:
    """The next `count` dates on or after `start` for a monthly rule.

    `week` is 1–5 for 第N曜日 and None for the last such weekday of the month;
    `months`, when given, keeps only those calendar months (e.g. 奇数月).
    The search stops after `horizon_months`, so a rule that is rarely met (a
    fifth weekday in only a few listed months) returns fewer dates, never loops.
    """
    found = []
    for i, (year, month) in enumerate(_months_from(start)):
        if len(found) >= count or i >= horizon_months:
            break
        if months and month not in months:
            continue
        if week is None:
            day = last_weekday(year, month, weekday)
        else:
            day = nth_weekday(year, month, weekday, week)
        if day is not None and day >= start:
            found.append(day)
    return found


def weekly_dates(*, weekday: int, start: date, until: date):
    """Every given weekday from `start` to `until`, both included: 毎週水曜日."""
    day = start + timedelta(days=(weekday - start.weekday()) % 7)
    while day <= until:
        yield day
        day += timedelta(days=7)


def weeks_of_month_dates(*, weekday: int, weeks, start: date, until: date):
    """The given weekday in each listed week of every month (第1・第3火曜日),
    from `start` to `until`, in order. A month without a fifth such weekday
    simply has no 第5 date; nothing moves into the next month."""
    weeks = sorted(set(weeks))
    for year, month in _months_from(start):
        if date(year, month, 1) > until:
            return
        for n in weeks:
            day = nth_weekday(year, month, weekday, n)
            if day is not None and start <= day <= until:
                yield day


def in_yearly_span(day: date, first: date, last: date) -> bool:
    """Whether `day` falls between the month-days of `first` and `last` in any
    year: a break 「毎年8月」 or one over the new year (12月29日〜1月3日)."""
    md, start, end = (day.month, day.day), (first.month, first.day), (last.month, last.day)
    if start <= end:
        return start <= md <= end
    return md >= start or md <= end
