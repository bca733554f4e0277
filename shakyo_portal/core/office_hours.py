"""When the office is open: weekdays, except 祝日 and 年末年始 (29 December to 3 January).

祝日 include 振替休日 and 国民の休日; the holidays library knows both, with
their Japanese names (its translations ship with the package, no network).
"""

from datetime import date, datetime, time, timedelta
from functools import cache

import holidays
from django.utils import timezone

from shakyo_portal.core.dates import WEEKDAYS


@cache
def _holidays(year: int) -> holidays.HolidayBase:
    # Built once per year and kept for the life of the process: constructing it
    # computes the whole year (equinoxes, substitute days). expand=False keeps a
    # lookup of another year from growing this year's object.
    return holidays.country_holidays("JP", language="ja", years=year, expand=False)


def closed_reason(d: date) -> str | None:
    """None on a working day; else why the office is closed: 年末年始, the holiday's
    name (振替休日, 敬老の日...), 土曜日 or 日曜日, in that order of precedence."""
    if (d.month, d.day) >= (12, 29) or (d.month, d.day) <= (1, 3):
        return "年末年始"
    if holiday := _holidays(d.year).get(d):
        return holiday
    if d.weekday() >= 5:
        return f"{WEEKDAYS[d.weekday()]}曜日"
    return None


def is_closed_day(d: date) -> bool:
    return closed_reason(d) is not None


def is_open_at(moment: datetime, opens: time, closes: time) -> bool:
    """Whether the office is open at an aware moment, opens <= Japan time < closes."""
    local = timezone.localtime(moment)
    return not is_closed_day(local.date()) and opens <= local.time() < closes


def next_open_day(d: date) -> date:
    """The first working day on or after d (d itself when it is one)."""
    while is_closed_day(d):
        d += timedelta(days=1)
    return d
