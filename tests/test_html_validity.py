"""Every public page is valid HTML, by the Nu Html Checker (vnu.jar).

The pages are rendered with the test client from data that reaches every
branch of their templates, written to files and checked in one run of the
checker: the JVM takes seconds to start, so one run per page would not do.

vnu.jar comes from the npm package vnu-jar (package.json; `make test` runs
npm ci) and runs on Java.
Without `java` the test skips with the reason; with REQUIRE_BROWSER=1, as CI
sets, it fails instead, so CI can never pass without checking.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.shortcuts import render
from django.template import loader
from django.test import Client, RequestFactory

from shakyo_portal.public import outage
from shakyo_portal.public.views import server_error
from tests.a11y_report import record_nu
from tests.scenarios import build_portal

VNU_JAR = Path(__file__).resolve().parents[1] / "node_modules/vnu-jar/build/dist/vnu.jar"

# Warnings the checker may give that we accept, as (message substring, why).
# None today: a warning is a failure until someone writes down here why it is not.
ALLOWED_WARNINGS: list[tuple[str, str]] = []

LARGE_BLACK = {"text_size": "xlarge", "theme": "black"}

# Before staff have entered anything: the shell without a council profile or
# offices, and each page's empty state.
FRESH_SITE_PAGES = [
    ("fresh-home", "/", {}, 200),
    ("fresh-districts", "/districts/", {}, 200),
    ("fresh-activities", "/districts/activities/", {}, 200),
    ("fresh-contact", "/contact/", {}, 200),
    ("fresh-salons", "/salons/", {}, 200),
]

# A page the checker must find fault with, so a run that checked nothing
# (a wrong path, an option the jar no longer knows) cannot pass.
CANARY = "canary.html"
CANARY_HTML = '<!DOCTYPE html><html lang="ja"><title>t</title><ul><div></div></ul>'


def vnu_command():
    """The checker's command line, or skip (fail under REQUIRE_BROWSER=1) without it."""
    java = shutil.which("java")
    jar = VNU_JAR
    reason = None
    if java is None:
        reason = "java が見つかりません (apt install default-jre-headless)"
    elif not jar.is_file():
        reason = f"vnu.jar が見つかりません: {jar} (npm ci で入ります)"
    if reason:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but the HTML check cannot run: {reason}")
        pytest.skip(reason)
    # The checker's schema evaluation recurses deeply and asks for a bigger stack.
    # One short run a test: the quick (C1) compiler alone and one GC thread take half
    # the CPU of the JVM's defaults, which matters on two cores; the checking is the same.
    return [
        java,
        "-Xss8m",
        "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC",
        "-jar",
        str(jar),
        "--format",
        "json",
        "--stdout",
    ]


def fill_portal():
    """The pages to check, over the shared scenario."""
    portal = build_portal()
    chuo, higashi, kita, watching = portal.chuo, portal.higashi, portal.kita, portal.watching
    salons = portal.salons
    return [
        # (file name, path, cookies, status)
        ("home", "/", {}, 200),
        ("home-xlarge-black", "/", LARGE_BLACK, 200),
        ("districts", "/districts/", {}, 200),
        ("districts-kana", "/districts/?order=kana", {}, 200),
        ("districts-page-2", "/districts/?page=2", {}, 200),
        ("district", chuo.get_absolute_url(), {}, 200),
        ("district-xlarge-black", chuo.get_absolute_url(), LARGE_BLACK, 200),
        ("district-members-2", f"{chuo.get_absolute_url()}?members_page=2", {}, 200),
        ("district-office-contact", higashi.get_absolute_url(), {}, 200),
        ("sub-district", kita.get_absolute_url(), {}, 200),
        ("activities", "/districts/activities/", {}, 200),
        ("activities-page-2", "/districts/activities/?page=2", {}, 200),
        ("activities-type", f"/districts/activities/?type={watching.slug}", {}, 200),
        ("contact", "/contact/", {}, 200),
        ("contact-xlarge-black", "/contact/", LARGE_BLACK, 200),
        ("salons", "/salons/", {}, 200),
        ("salons-xlarge-black", "/salons/", LARGE_BLACK, 200),
        ("salons-page-2", "/salons/?page=2", {}, 200),
        (
            "salons-filtered",
            "/salons/?q=サロン&district=chuo&weekday=wed&target=koreisha&activity=sawakai"
            "&activity=taiso&newcomers=on",
            {},
            200,
        ),
        ("salons-none-found", "/salons/?q=見つからないサロン", {}, 200),
        (
            "salons-bad-filters",
            "/salons/?district=nowhere&weekday=someday&q=" + "あ" * 101,
            {},
            200,
        ),
        ("salon", salons.full.get_absolute_url(), {}, 200),
        ("salon-xlarge-black", salons.full.get_absolute_url(), LARGE_BLACK, 200),
        ("salon-paused", salons.paused.get_absolute_url(), {}, 200),
        ("salon-preparing", salons.preparing.get_absolute_url(), {}, 200),
        ("salon-closed", salons.closed.get_absolute_url(), {}, 200),
        ("salon-site-offices", salons.no_office.get_absolute_url(), {}, 200),
        ("councils", "/councils/", {}, 200),
        ("areas", "/districts/areas/", {}, 200),
        ("calendar", "/calendar/", {}, 200),
        ("calendar-salons", "/calendar/?kind=salon", {}, 200),
        ("coordinators", "/coordinators/", {}, 200),
        ("news", "/news/", {}, 200),
        ("not-found", "/no-such-page/", {}, 404),
    ]


def render_pages(pages, folder):
    """Write each page's HTML to folder/<name>.html; {file name: what it was}."""
    written = {}
    for name, path, cookies, status in pages:
        client = Client()
        client.cookies.load(cookies)
        response = client.get(path)
        assert response.status_code == status, f"{path}: {response.status_code}"
        (folder / f"{name}.html").write_bytes(response.content)
        written[f"{name}.html"] = f"{path} {cookies or ''}".strip()
    return written


def render_error_pages(folder):
    """The 500 pages, which no URL reaches."""
    written = {}
    response = server_error(RequestFactory().get("/"))
    (folder / "server-error.html").write_bytes(response.content)
    written["server-error.html"] = "500.html"
    (folder / "server-error-plain.html").write_text(loader.render_to_string("500_plain.html"))
    written["server-error-plain.html"] = "500_plain.html"
    # The database away: the page built from the cache's copy, notice and phones.
    (folder / "unavailable.html").write_bytes(outage.unavailable_response().content)
    written["unavailable.html"] = "503.html"
    for name, template in [("too-large.html", "413.html"), ("bad-request.html", "400.html")]:
        page = render(RequestFactory().get("/"), template, {"limit_mb": 64})
        (folder / name).write_bytes(page.content)
        written[name] = template
    return written


def is_allowed(message, allowed=ALLOWED_WARNINGS):
    return message.get("subType") == "warning" and any(
        fragment in message.get("message", "") for fragment, _why in allowed
    )


def describe(message, written):
    name = message.get("url", "").rsplit("/", 1)[-1]
    kind = message.get("subType") or message.get("type")
    line = message.get("lastLine") or message.get("firstLine")
    column = message.get("firstColumn") or message.get("lastColumn")
    extract = message.get("extract", "").replace("\n", "⏎")
    return (
        f"{name} ({written.get(name, '?')})\n"
        f"  {kind}: {message.get('message')}\n"
        f"  line {line}, column {column}: {extract}"
    )


def check_pages(command, folder, written, allowed_warnings=ALLOWED_WARNINGS):
    """Check every page written to `folder` in one run of the checker; fail listing each problem.

    `written` maps each file name to what it was (a path, a state), for the failure message.
    """
    (folder / CANARY).write_text(CANARY_HTML)
    result = subprocess.run(
        [*command, str(folder / CANARY), *sorted(str(folder / name) for name in written)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    try:
        messages = json.loads(result.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"vnu.jar gave no report (exit {result.returncode}):\n{result.stderr}")
    by_file = {}
    for message in messages:
        by_file.setdefault(message.get("url", "").rsplit("/", 1)[-1], []).append(message)
    assert by_file.pop(CANARY, None), f"vnu.jar did not check the pages:\n{result.stderr}"
    # Plain "info" messages are notes, not problems; warnings and errors both count.
    problems = [
        message
        for name in sorted(by_file)
        for message in by_file[name]
        if (message.get("type") != "info" or message.get("subType") == "warning")
        and not is_allowed(message, allowed_warnings)
    ]
    record_nu(folder, written, problems)
    assert not problems, f"{len(problems)} HTML problems:\n\n" + "\n\n".join(
        describe(m, written) for m in problems
    )


def test_every_public_page_is_valid_html(db, tmp_path):
    command = vnu_command()
    written = render_pages(FRESH_SITE_PAGES, tmp_path)
    written |= render_pages(fill_portal(), tmp_path)
    written |= render_error_pages(tmp_path)
    check_pages(command, tmp_path, written)
