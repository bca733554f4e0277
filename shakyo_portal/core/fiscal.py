"""年度: the fiscal year, 1 April to 31 March, named by the Western year it starts in."""

import re
import unicodedata
from datetime import date

from django.utils import timezone

from shakyo_portal.core.dates import ERAS, era_year_label, wareki


def fiscal_year(d: date) -> int:
    """2024-04-01 .. 2025-03-31 -> 2024."""
    return d.year if d.month >= 4 else d.year - 1


def year_in_url(value: str) -> int | None:
    """2026 from the address bar; None for anything else (²⁰²⁶, 令和8, 99999), so a
    hand-edited link falls back to a default instead of failing."""
    return int(value) if re.fullmatch(r"(19|20|21)[0-9]{2}", value) else None


def fiscal_year_range(fy: int) -> tuple[date, date]:
    """The first and last day of a fiscal year, both included."""
    return date(fy, 4, 1), date(fy + 1, 3, 31)


def current_fiscal_year() -> int:
    return fiscal_year(timezone.localdate())


def fiscal_year_label(fy: int, *, western: bool = False) -> str:
    """令和6年度, or 令和6年度（2024年度） with western=True.

    A fiscal year takes the era in force at the end of the calendar year it starts
    in: FY2019 began under 平成 but is written 令和元年度, while FY1988 stayed
    昭和63年度 because 平成 began only in January 1989.
    """
    label = era_year_label(*wareki(date(fy, 12, 31))) + "度"
    return f"{label}（{fy}年度）" if western else label


_ERA_BY_KEY = {key: era for era in ERAS for key in (era.name, era.letter)}
_PATTERN = re.compile(
    r"(?:(?P<era>{eras})(?P<year>元|[0-9]{{1,2}})|(?P<western>[0-9]{{4}}))(?:年度)?".format(
        eras="|".join(_ERA_BY_KEY)
    )
)


def parse_fiscal_year(text: str) -> int:
    """令和6年度, R6, H30, 2024年度, ６年度 in full-width... -> the Western start year.

    Raises ValueError with a message for the person who typed it.
    """
    # NFKC turns full-width digits and letters into ASCII; spaces mean nothing here.
    cleaned = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).upper()
    match = _PATTERN.fullmatch(cleaned)
    if match is None:
        raise ValueError("年度は「令和6年度」「R6」「2024年度」のように入力してください。")
    if match["western"]:
        return int(match["western"])
    era = _ERA_BY_KEY[match["era"]]
    year = 1 if match["year"] == "元" else int(match["year"])
    fy = era.start.year + year - 1
    following = [later.start for later in ERAS if later.start > era.start]
    # A 年度 belongs to an era if the era was in force when the 年度 began:
    # 平成31年度 is real (平成 lasted to 2019-04-30); 昭和64年度 (平成 began
    # before April 1989), 平成32年度 and 令和0年度 are not.
    if year < 1 or (following and date(fy, 4, 1) >= following[0]):
        raise ValueError(f"{era.name}{year}年度という年度はありません。")
    return fy
