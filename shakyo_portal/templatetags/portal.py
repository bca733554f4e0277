"""Template filters for the site's dates, 年度 and stored readings: {% load portal %}.

Each returns "" for None or "", so an optional date needs no {% if %} around it.
"""

from datetime import date, datetime

from django import template
from django.utils.html import format_html

from shakyo_portal.core import money
from shakyo_portal.core.dates import (
    format_date,
    format_datetime,
    format_period,
    format_time,
    local_date,
)
from shakyo_portal.core.fiscal import fiscal_year, fiscal_year_label

register = template.Library()


def _date_or_datetime(value, *, western):
    if value in (None, ""):
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, western=western)
    return format_date(value, western=western)


@register.filter
def wareki(value):
    """{{ event.starts_at|wareki }} -> 令和6年12月7日(土) 10:00; a date has no time."""
    return _date_or_datetime(value, western=False)


@register.filter
def seireki(value):
    """{{ event.starts_at|seireki }} -> 2024年12月7日(土) 10:00."""
    return _date_or_datetime(value, western=True)


@register.filter
def period(start, end=None):
    """{{ event.starts_at|period:event.ends_at }} -> 令和6年12月7日(土) 10:00〜12:00."""
    if start in (None, ""):
        return ""
    return format_period(start, end or None)


@register.filter
def nendo(value):
    """{{ 2024|nendo }} -> 令和6年度; a date gives the 年度 it falls in."""
    if value in (None, ""):
        return ""
    if isinstance(value, date):
        return fiscal_year_label(fiscal_year(local_date(value)))
    try:
        return fiscal_year_label(int(value))
    except (TypeError, ValueError):
        # Like Django's own filters, a value that is not a year shows nothing.
        return ""


@register.filter
def time_hm(value):
    """{{ salon.starts_at|time_hm }} -> 10:00."""
    if value in (None, ""):
        return ""
    return format_time(value)


register.filter("yen", money.yen)


@register.simple_tag(takes_context=True)
def yomi(context, name, reading):
    """{% yomi district.name district.reading %} -> <span data-yomi="ちゅうおう">中央</span>
    while ふりがな is on, the name alone otherwise.

    Marks a name of a place or person with its stored reading, so that with ふりがな
    on the page shows that reading over it instead of the analyser's guess
    (shakyo_portal/core/furigana.py). Only for text in the page's body: never inside an
    attribute, <title> or <option>. Without a reading, the name alone.
    """
    if name in (None, ""):
        return ""
    prefs = context.get("prefs")
    if not reading or prefs is None or not prefs.furigana_on:
        return name
    return format_html('<span data-yomi="{}">{}</span>', reading, name)
