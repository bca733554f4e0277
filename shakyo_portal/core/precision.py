"""Dates known only to the month or the 年度.

Many councils publish 「令和元年度に報告会」 or a newsletter of 「2019.5」 and no
day. Such a date is stored as a real date (so it sorts and filters with the
others) plus how much of it is known, and is written only as far as it is
known: the day a month-precision date is stored on (the 1st) is never shown.

A model keeps the pair as two fields, e.g. ``held_on`` and ``held_on_precision
= precision_field()``, calls ``normalized(held_on, precision)`` in clean() and
shows ``format_partial(held_on, precision)``.
"""

import re
import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models

from shakyo_portal.core.dates import ERAS, _year_label, format_date, local_date
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


# --- reading a month or a 年度 as people type it -----------------------------------

_ERA = {key: era for era in ERAS for key in (era.name, era.letter)}
_ERAS = "|".join(_ERA)
_FISCAL_YEAR = re.compile(
    rf"(?:(?P<era>{_ERAS})(?P<era_year>元|[0-9]{{1,2}})|(?P<year>[0-9]{{4}}))年度"
)
_MONTH = re.compile(
    rf"(?:(?P<era>{_ERAS})(?P<era_year>元|[0-9]{{1,2}})|(?P<year>[0-9]{{4}}))"
    r"(?:年|[./-])(?P<month>[0-9]{1,2})(?:月|\.)?"
)
# 4月 of 平成31年 is the last month of 平成 anyone dates a newsletter by; the
# check below compares months, so 令和元年4月 (before 1 May 2019) is refused.


def _western_year(match: re.Match) -> tuple[int, "object | None"]:
    if match["year"]:
        return int(match["year"]), None
    era = _ERA[match["era"]]
    return era.start.year + (1 if match["era_year"] == "元" else int(match["era_year"])) - 1, era


def parse_partial(text: str) -> tuple[date, str] | None:
    """A date known only to its month or 年度, as the source writes it:
    2019.5, 2019年5月, 令和元年5月, R1.5 → (2019-05-01, MONTH); 令和元年度,
    2019年度, R1年度 → (2019-04-01, FISCAL_YEAR). None for anything else (a
    whole date is read by core.dates); a ValidationError for a month or 年度
    the era does not have (令和元年4月, 平成35年度)."""
    cleaned = "".join(unicodedata.normalize("NFKC", text).upper().split())
    if match := _FISCAL_YEAR.fullmatch(cleaned):
        fy, era = _western_year(match)
        first, last = date(fy, 4, 1), date(fy + 1, 3, 31)
        precision = DatePrecision.FISCAL_YEAR
    elif match := _MONTH.fullmatch(cleaned):
        year, era = _western_year(match)
        if not 1 <= int(match["month"]) <= 12:
            return None
        first = date(year, int(match["month"]), 1)
        last = first.replace(day=28)
        precision = DatePrecision.MONTH
    else:
        return None
    if era is not None:
        following = [later.start for later in ERAS if later.start > era.start]
        # The era must be in force for some of the month or 年度.
        if (following and first >= following[0]) or (last < era.start.replace(day=1)):
            raise ValidationError(
                f"「{text.strip()}」という年月はありません。", code="no_such_date"
            )
    return first, precision


COARSENESS = [DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.FISCAL_YEAR]


def coarser(a: str, b: str) -> str:
    """The less precise of two precisions: what is known of a date is the least
    either source of it says."""
    return max(a, b, key=COARSENESS.index)
