"""What the accessibility checks looked at, kept for /accessibility/.

Every axe run in tests/browser (RUN_AXE in a page of the `axe_context` fixture)
reports to `record_axe` through a binding the fixture puts in the page, so no
test can forget to; the Nu checker's one place (`check_pages` in
tests/test_html_validity.py) calls `record_nu`. Each says what it checked and
how many issues it found. With A11Y_REPORT=<file> in the environment, a run
that passed writes what was recorded to that file at the end (`make a11y-report`
writes docs/accessibility/report.json, which shakyo_portal/accessibility.py
shows). A run with any failure writes nothing, so
a report can never say 0 issues for a suite that found some.

Pages are counted by URL pattern (/councils/<slug>/, not /councils/kiyone-chu/):
the test data's ids change from run to run, the pages do not.

An axe run checks every rule of the tags in the default look and with ふりがな,
and in the other themes and sizes only the rules whose verdict colours and sizes
can change (tests/browser/test_accessibility.py says why). So each page's axe
check says, besides the themes and sizes it ran in, where every rule ran
("all_rules"), and the report names the rules the other runs ran
("axe_display_rules").
"""

import datetime
import html
import json
import os
import re
import zoneinfo
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

ROOT = Path(__file__).resolve().parents[1]
AXE_PACKAGE = ROOT / "node_modules/axe-core/package.json"
VNU_PACKAGE = ROOT / "node_modules/vnu-jar/package.json"
REPORT_ENV = "A11Y_REPORT"
# The function RUN_AXE calls in the page to report each run (tests/browser/conftest.py).
BINDING = "a11yRecord"
JST = zoneinfo.ZoneInfo("Asia/Tokyo")

AXE = "axe"
NU = "nu"
# The error pages answer at whatever address went wrong, so they are known by
# their titles (templates/404.html, 500.html and 500_plain.html), not their paths.
NOT_FOUND = "404"
SERVER_ERROR = "500"
ERROR_PAGES = {"ページが見つかりません": NOT_FOUND, "ただいま表示できません": SERVER_ERROR}
# What the display controls default to (shakyo_portal/preferences.py) for a page
# that carries no display classes (the bare 500 page).
DEFAULT_THEME = "white"
DEFAULT_SIZE = "standard"

OG_URL = re.compile(r'<meta property="og:url" content="([^"]*)"')
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
HTML_CLASSES = re.compile(r'<html[^>]*\sclass="([^"]*)"')


@dataclass(frozen=True)
class Record:
    tool: str
    page: str
    url: str
    title: str
    theme: str
    size: str
    furigana: bool
    issues: int
    # False for an axe run of the display rules alone (see the docstring).
    all_rules: bool = True


def route_pattern(route):
    """A Django route as the report names it: "councils/<slug:slug>/" -> "/councils/<slug>/"."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", route)


def page_pattern(path, title=""):
    """The URL pattern a path answers to, "/councils/<slug>/"; "404"/"500" for error pages."""
    if title in ERROR_PAGES:
        return ERROR_PAGES[title]
    try:
        match = resolve(path)
    except Resolver404:
        return NOT_FOUND
    return route_pattern(match.route)


def own_title(title):
    """The page's own part of "中央地区社協｜総社市社協"."""
    return title.rsplit("｜", 1)[0].strip()


def display_of(classes):
    """(theme, size, furigana) from the classes base.html puts on <html>."""
    theme = next((c.removeprefix("theme-") for c in classes if c.startswith("theme-")), None)
    size = next((c.removeprefix("size-") for c in classes if c.startswith("size-")), None)
    return theme or DEFAULT_THEME, size or DEFAULT_SIZE, "furigana-on" in classes


class Recorder:
    """Every check made in this session, and the tags and browser the axe runs used."""

    def __init__(self):
        self.records = []
        self.axe_tags = set()
        self.axe_display_rules = set()
        self.axe_versions = set()
        self.browsers = set()

    def add(self, tool, *, url, title, classes, issues, all_rules=True):
        path = urlsplit(url)
        theme, size, furigana = display_of(classes)
        self.records.append(
            Record(
                tool=tool,
                page=page_pattern(path.path, own_title(title)),
                url=path.path + (f"?{path.query}" if path.query else ""),
                title=own_title(title),
                theme=theme,
                size=size,
                furigana=furigana,
                issues=issues,
                all_rules=all_rules,
            )
        )

    def report(self, now):
        """The report as JSON-ready data: the tools, totals, and each page's checks."""
        by_page = defaultdict(list)
        for record in self.records:
            by_page[record.page].append(record)
        pages = [summarise(page, records) for page, records in sorted(by_page.items())]
        return {
            "generated_at": now.astimezone(JST).isoformat(timespec="seconds"),
            "tools": {
                # The version the browser ran; the installed one if no run said.
                "axe-core": ", ".join(sorted(self.axe_versions)) or package_version(AXE_PACKAGE),
                "vnu": package_version(VNU_PACKAGE),
                "browser": ", ".join(sorted(self.browsers)),
            },
            "axe_tags": sorted(self.axe_tags),
            # What the axe runs outside the default look (and without ふりがな) ran.
            "axe_display_rules": sorted(self.axe_display_rules),
            "totals": {
                "pages": len(pages),
                "urls": len({(r.page, r.url) for r in self.records}),
                "runs": {tool: sum(r.tool == tool for r in self.records) for tool in (AXE, NU)},
                "issues": sum(r.issues for r in self.records),
            },
            "pages": pages,
        }

    def why_not_written(self, exitstatus):
        """Why this session's report must not be written, or None when it may."""
        if exitstatus != 0:
            return f"the run did not pass (exit status {int(exitstatus)})"
        missing = [tool for tool in (AXE, NU) if not any(r.tool == tool for r in self.records)]
        if missing:
            return f"no {' or '.join(missing)} check ran (run the browser and HTML tests together)"
        return None


def displays(ran):
    """The runs, and the themes, sizes and ふりがな they covered."""
    return {
        "runs": len(ran),
        "themes": sorted({r.theme for r in ran}, key=THEME_ORDER.index),
        "sizes": sorted({r.size for r in ran}, key=SIZE_ORDER.index),
        "furigana": any(r.furigana for r in ran),
    }


def summarise(page, records):
    checks = {}
    for tool in (AXE, NU):
        ran = [r for r in records if r.tool == tool]
        if ran:
            checks[tool] = {**displays(ran), "issues": sum(r.issues for r in ran)}
            if tool == AXE:
                # Where every rule ran; the other runs ran the display rules.
                every_rule = [r for r in ran if r.all_rules]
                checks[tool]["all_rules"] = displays(every_rule) if every_rule else None
    return {
        "page": page,
        "title": name_of(records),
        "urls": len({r.url for r in records}),
        "checks": checks,
        "issues": sum(r.issues for r in records),
    }


def name_of(records):
    """The title a page is known by: the one most often seen at an address without a
    query (not a filtered or error state), from the browser, which knows the query,
    when it saw one; the smallest of equals, so the report stays the same."""
    plain = [r for r in records if "?" not in r.url] or records
    plain = [r for r in plain if r.tool == AXE] or plain
    counts = Counter(r.title for r in plain)
    return min(counts, key=lambda title: (-counts[title], title))


THEME_ORDER = ["white", "black", "blue", "yellow"]
SIZE_ORDER = ["standard", "large", "xlarge"]


def package_version(package_json):
    try:
        return json.loads(package_json.read_text())["version"]
    except (OSError, ValueError, KeyError):
        return ""


RECORDER = Recorder()


def record_axe(run, browser):
    """Note one axe run, as RUN_AXE reports it through the page's `a11yRecord` binding."""
    RECORDER.axe_tags.update(run["tags"])
    if run.get("rules"):
        RECORDER.axe_display_rules.update(run["rules"])
    RECORDER.axe_versions.add(run["axeVersion"])
    RECORDER.browsers.add(browser)
    RECORDER.add(
        AXE,
        url=run["url"],
        title=run["title"],
        classes=run["classes"],
        # Each element failing each rule is one issue, as axe lists them.
        issues=int(run["issues"]),
        all_rules=not run.get("rules"),
    )


def record_nu(folder, written, problems):
    """Note one Nu checker run over the pages written to `folder`.

    A file that is not a page of the site (a template fragment, an admin page:
    neither carries base.html's og:url nor an error page's title) is left out.
    """
    per_file = defaultdict(int)
    for message in problems:
        per_file[message.get("url", "").rsplit("/", 1)[-1]] += 1
    for name in sorted(written):
        page = (folder / name).read_text(errors="replace")
        title = TITLE.search(page)
        title = html.unescape(title[1]).strip() if title else ""
        og_url = OG_URL.search(page)
        if not og_url and own_title(title) not in ERROR_PAGES:
            continue
        classes = HTML_CLASSES.search(page)
        RECORDER.add(
            NU,
            url=og_url[1] if og_url else "/",
            title=title,
            classes=classes[1].split() if classes else [],
            issues=per_file[name],
        )


def write_if_asked(session, exitstatus, now=None):
    """At the session's end, write the report to $A11Y_REPORT if the run allows it."""
    target = os.environ.get(REPORT_ENV)
    if not target:
        return
    terminal = session.config.pluginmanager.get_plugin("terminalreporter")
    reason = RECORDER.why_not_written(exitstatus)
    if reason:
        message = f"{REPORT_ENV}: {target} was not written: {reason}."
    else:
        report = RECORDER.report(now or datetime.datetime.now(tz=JST))
        path = Path(target)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
        totals = report["totals"]
        every_rule = sum(r.tool == AXE and r.all_rules for r in RECORDER.records)
        message = (
            f"{REPORT_ENV}: wrote {target}: {totals['pages']} pages, "
            f"{totals['runs'][AXE]} axe ({every_rule} with every rule) "
            f"and {totals['runs'][NU]} Nu checks, {totals['issues']} issues."
        )
    if terminal:
        # After the progress dots, on a line of its own.
        terminal.write_line(f"\n{message}")
