"""Dates known only to the month or the 年度.

Many councils publish 「令和元年度に報告会」 or a newsletter of 「2019.5」 and no
day. Such a date is stored as a real date (so it sorts and filters with the
others) plus how much of it is known, and is written only as far as it is
known: the day a month-precision date is stored on (the 1st) is never shown.

A model keeps the pair as two fields, e.g. ``held_on`` and ``held_on_precision
= precision_field()``, calls ``normalized(held_on, precision)`` in clean() and
shows ``format_partial(held_on, precision)``.
"""

from datetime import date

from django.db import models

from shakyo_portal.core.dates import _year_label, format_date, local_date
from shakyo_portal.core.fiscal import fiscal_year, fiscal_year_label


class DatePrecision(models.TextChoices):
    DAY = "day", "日付まで分かる"
    MONTH = "month", "月まで（日は未定・不明）"
    FISCAL_YEAR = "fiscal_year", "年度まで（月日は未定・不明）"


def precision_field(verbose_name: str = "日付の精度", **kwargs) -> models.CharField:
    """The companion field of a date that may be known only to the month or 年度."""
    kwargs.setdefault(
        "help_text",
        "月や年度しか分からないときは、ここで選びます。日付欄にはその月か年度の"
        "どの日を入れてもかまいません（表示は「2019年5月」「令和元年度」のようになります）。",
    )
    kwargs.setdefault("default", DatePrecision.DAY)
    return models.CharField(verbose_name, max_length=12, choices=DatePrecision, **kwargs)


def normalized(d: date | None, precision: str) -> date | None:
    """The date a partial date is stored as: the 1st of its month, or 1 April
    of its 年度, so two entries of "May 2019" sort and compare as one."""
    if d is None:
        return None
    if precision == DatePrecision.MONTH:
        return d.replace(day=1)
    if precision == DatePrecision.FISCAL_YEAR:
        return date(fiscal_year(d), 4, 1)
    return d


def format_partial(d: date, precision: str, *, western: bool = False, weekday: bool = True) -> str:
    """令和6年12月7日(土), 令和元年5月, or 令和元年度: only as much as is known."""
    d = local_date(d)
    if precision == DatePrecision.MONTH:
        return f"{_year_label(d, western)}{d.month}月"
    if precision == DatePrecision.FISCAL_YEAR:
        fy = fiscal_year(d)
        return f"{fy}年度" if western else fiscal_year_label(fy)
    return format_date(d, western=western, weekday=weekday)


def is_exact(precision: str) -> bool:
    return precision == DatePrecision.DAY
