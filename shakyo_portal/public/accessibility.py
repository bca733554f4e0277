"""/accessibility/: the council's ウェブアクセシビリティ方針 and the results of the checks.

The results are not typed by hand: `make a11y-report` runs the browser (axe-core)
and HTML (Nu Html Checker) tests, which record what they checked
(tests/a11y_report.py) and write docs/accessibility/report.json; this page
shows that file. A missing or damaged file is shown as "not yet available",
never as an error page.
"""

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

from shakyo_portal.core.dates import wareki
from shakyo_portal.core.preferences import TEXT_SIZES, THEMES
from shakyo_portal.public.pagecache import built_each_time

REPORT = Path(settings.BASE_DIR) / "docs" / "accessibility" / "report.json"

# The axe-core rule tags the tests run, as the criteria they stand for.
CRITERIA = {
    "wcag2a": "WCAG 2.0 レベルA",
    "wcag2aa": "WCAG 2.0 レベルAA",
    "wcag21a": "WCAG 2.1 レベルA",
    "wcag21aa": "WCAG 2.1 レベルAA",
}
# Error pages answer at any address, so the report names them by status.
ERROR_PAGES = {"404": "ページが見つからないとき（404）", "500": "システムの不具合のとき（500）"}


@dataclass(frozen=True)
class Check:
    runs: int
    themes: str
    sizes: str
    furigana: bool
    issues: int


@dataclass(frozen=True)
class PageResult:
    # The URL pattern, "/districts/<slug>/"; None for an error page, which has none.
    address: str | None
    # The page's title; for an address with a variable part, one example of many.
    name: str
    example: bool
    urls: int
    axe: Check | None
    nu: Check | None
    issues: int


@dataclass(frozen=True)
class Report:
    generated_at: datetime.datetime
    axe_version: str
    vnu_version: str
    browser: str
    criteria: list[tuple[str, str]]
    pages: list[PageResult]
    total_urls: int
    axe_runs: int
    nu_runs: int
    issues: int


def _labels(values, labels):
    return "・".join(labels.get(value, value) for value in values)


def _criteria(tags):
    """(tag, label) for each rule tag run, WCAG 2.0 before 2.1, A before AA."""
    order = [*CRITERIA, None]
    ranked = sorted(tags, key=lambda tag: (order.index(tag if tag in CRITERIA else None), tag))
    return [(tag, CRITERIA.get(tag, tag)) for tag in ranked]


def _check(data):
    if not data:
        return None
    return Check(
        runs=int(data["runs"]),
        themes=_labels(data["themes"], THEMES),
        sizes=_labels(data["sizes"], TEXT_SIZES),
        furigana=bool(data["furigana"]),
        issues=int(data["issues"]),
    )


def _page(data):
    pattern = str(data["page"])
    return PageResult(
        address=None if pattern in ERROR_PAGES else pattern,
        name=ERROR_PAGES.get(pattern, str(data["title"])),
        example="<" in pattern,
        urls=int(data["urls"]),
        axe=_check(data["checks"].get("axe")),
        nu=_check(data["checks"].get("nu")),
        issues=int(data["issues"]),
    )


def load_report(path):
    """The report at `path`, or None if there is none or it cannot be read."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        totals, tools = data["totals"], data["tools"]
        generated_at = datetime.datetime.fromisoformat(data["generated_at"])
        # The report says when in Japan time; a day the 和暦 cannot show is no report's.
        if generated_at.tzinfo is None:
            raise ValueError("the report's time has no offset")
        wareki(generated_at)
        return Report(
            generated_at=generated_at,
            axe_version=str(tools["axe-core"]),
            vnu_version=str(tools["vnu"]),
            browser=str(tools.get("browser", "")),
            criteria=_criteria(data["axe_tags"]),
            pages=[_page(page) for page in data["pages"]],
            total_urls=int(totals["urls"]),
            axe_runs=int(totals["runs"]["axe"]),
            nu_runs=int(totals["runs"]["nu"]),
            issues=int(totals["issues"]),
        )
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        return None


@require_safe
@built_each_time
def accessibility(request):
    # Tests point ACCESSIBILITY_REPORT at a report of their own; the site reads the committed one.
    report = load_report(getattr(settings, "ACCESSIBILITY_REPORT", REPORT))
    return render(request, "accessibility.html", {"report": report})
