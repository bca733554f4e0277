"""A real headless Chromium against the live server, for journeys and axe checks.

One browser and one live server for each xdist worker, however many test
files it runs (pytest-playwright's session-scoped `browser`, pytest-django's
session-scoped `live_server`), and a fresh context per test. No request leaves
for another host: Chromium resolves no name but the live server's
(CHROMIUM_ARGS), and every context notes any request to another host, so a CDN
link or a third-party script in a template fails the test that loads it.
(A catch-all route would abort them too, but routing turns off the browser's
cache and sends every request through Python: a third of each page's load.)

Without /usr/bin/chromium (or, for the accessibility tests, axe-core) the tests
skip with the reason; with REQUIRE_BROWSER=1, as CI sets, the run stops instead,
so it can never pass with the browser tests skipped.
"""

import os
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

from tests import a11y_report
from tests.scenarios import build_portal

# Playwright's sync API runs an asyncio event loop in the test thread from the
# first browser test until the session ends, so Django's async-safety check
# would raise SynchronousOnlyOperation whenever a test (this one, or any later
# test in the same run) touches the ORM. Nothing here is async: the ORM calls
# are plain synchronous code in that thread, and the live server has its own.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# Tests that request this fixture also need axe-core.
AXE_FIXTURE = "axe_context"

# No host but the live server's (localhost, or 127.0.0.1 if asked) resolves.
LOCAL_ONLY = "MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"
CHROMIUM_ARGS = [
    f"--host-resolver-rules={LOCAL_ONLY}",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def missing_prerequisite(item):
    if not CHROMIUM.exists():
        return f"Chromium が見つかりません: {CHROMIUM} (apt install chromium)"
    if AXE_FIXTURE in item.fixturenames and not AXE.exists():
        return f"axe-core が見つかりません: {AXE} (npm ci で入ります)"
    return None


# CI runs the suite on SQLite and again on PostgreSQL. What axe sees in a colour
# theme or at a text size depends on the templates and the CSS, not on the
# database, so the whole matrix runs on SQLite and the PostgreSQL run keeps the
# standard display only: the same pages, a third of the time.
MATRIX_ONCE = "色と文字サイズの組み合わせは SQLite の実行で検査します（データベースに依りません）"


def on_postgresql() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def in_the_display_matrix(item) -> bool:
    params = getattr(getattr(item, "callspec", None), "params", {})
    return params.get("theme", "white") != "white" or params.get("size", "standard") != "standard"


def pytest_collection_modifyitems(items):
    for item in items:
        if not item.get_closest_marker("browser"):
            continue
        reason = missing_prerequisite(item)
        if reason:
            if os.environ.get("REQUIRE_BROWSER") == "1":
                raise pytest.UsageError(
                    f"REQUIRE_BROWSER=1 but the browser tests cannot run: {reason}"
                )
            item.add_marker(pytest.mark.skip(reason=reason))
        elif on_postgresql() and in_the_display_matrix(item):
            item.add_marker(pytest.mark.skip(reason=MATRIX_ONCE))


def pytest_sessionfinish(session, exitstatus):
    """With A11Y_REPORT set (`make a11y-report`), write what the checks looked at."""
    a11y_report.write_if_asked(session, exitstatus)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url(live_server):
    """Pages open by path: page.goto("/districts/")."""
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "ja-JP"}


class RequestGuard:
    """Remembers requests to any host but the live server's (which fail: see
    CHROMIUM_ARGS), but for a host a test stands in for with its own route.

    It also remembers Content-Security-Policy violations the browser reports,
    which would otherwise only show as a page that looks subtly wrong.
    """

    def __init__(self, origin):
        self.origin = urlsplit(origin).netloc
        self.routed_by_the_test = set()
        self.problems = []

    def allow(self, host):
        """A host this test answers or refuses with a route of its own."""
        self.routed_by_the_test.add(host)

    def request(self, request):
        url = urlsplit(request.url)
        if url.netloc != self.origin and url.hostname not in self.routed_by_the_test:
            self.problems.append(f"request to another host: {request.method} {request.url}")

    def console(self, message):
        if message.type == "error" and "Content Security Policy" in message.text:
            self.problems.append(f"CSP violation on {message.page.url}: {message.text}")


@pytest.fixture
def request_guard(live_server):
    guard = RequestGuard(live_server.url)
    yield guard
    if guard.problems:
        pytest.fail("\n".join(guard.problems), pytrace=False)


@pytest.fixture
def new_context(new_context, request_guard):
    """pytest-playwright's new_context (and so `context` and `page`), guarded."""

    def create(**kwargs):
        context = new_context(**kwargs)
        # Every page here is a local server-rendered page: fail in seconds, not 30.
        context.set_default_timeout(10_000)
        context.on("request", request_guard.request)
        context.on("console", request_guard.console)
        return context

    return create


@pytest.fixture
def axe_context(new_context):
    """A context whose every page has axe-core loaded.

    An init script rather than page.add_script_tag(): the site's CSP allows no
    inline script, and bypassing the CSP would check a page residents never get.
    """
    context = new_context()
    context.add_init_script(path=AXE)
    # RUN_AXE tells the report what each run checked (tests/a11y_report.py).
    browser = f"Chromium {context.browser.version}"
    context.expose_binding(
        a11y_report.BINDING, lambda _source, run: a11y_report.record_axe(run, browser)
    )
    return context


@pytest.fixture
def portal(transactional_db):
    """Enough of a council for every public page to show each of its parts."""
    portal = build_portal()
    chuo, kita, watching = portal.chuo, portal.kita, portal.watching
    # (path, status) of every page a resident can reach.
    pages = [
        ("/", 200),
        ("/districts/", 200),
        ("/districts/areas/", 200),
        ("/calendar/", 200),
        (chuo.get_absolute_url(), 200),
        (kita.get_absolute_url(), 200),
        (portal.higashi.get_absolute_url(), 200),
        ("/districts/activities/", 200),
        (f"/districts/activities/?type={watching.slug}", 200),
        ("/contact/", 200),
        ("/salons/", 200),
        (f"/salons/?district={chuo.slug}&weekday=wed&target=koreisha&newcomers=on", 200),
        ("/salons/?district=nowhere&q=見つからないサロン", 200),
        (portal.salons.full.get_absolute_url(), 200),
        (portal.salons.closed.get_absolute_url(), 200),
        ("/councils/", 200),
        ("/coordinators/", 200),
        ("/news/", 200),
        ("/events/", 200),
        ("/newsletters/", 200),
        ("/resources/", 200),
        ("/coordinators/reports/", 200),
        ("/about/", 200),
        ("/about/plan/", 200),
        ("/accessibility/", 200),
        ("/salons/plans/", 200),
        # The scenario's salon has plans under the 2024 and 2025 programs.
        ("/salons/programs/2025/", 200),
        ("/no-such-page/", 404),
    ]
    return SimpleNamespace(pages=pages)
