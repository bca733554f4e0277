"""/accessibility/: the policy and the results of the checks, read from the report the
checks themselves wrote (tests/a11y_report.py); and that the committed report is current."""

import datetime
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import given, settings
from hypothesis import strategies as st

from shakyo_portal.public.accessibility import REPORT, load_report
from tests import a11y_report
from tests.a11y_report import AXE, NU, Recorder, page_pattern, route_pattern

REGENERATE = "make a11y-report を実行して docs/accessibility/report.json を作り直してください"

# URL names that answer with no HTML page of their own: files, feeds, calendars,
# JSON, redirects and form actions. Every other public URL is a page the
# accessibility checks must have looked at.
NOT_PAGES = {
    "preferences",  # sets a display cookie and redirects back
    "robots",
    "sitemap",
    "salons:plan_estimate",  # the plan form's 助成額を計算する action
    "salons:attachment",
    "salons:salon_calendar",
    # Opens the plan at its first step with something missing, or at its check page.
    "salons:plan_edit",
    "salons:district_calendar",
    "councils:calendar",
    "councils:council_calendar",
    "councils:material",
    "resources:map",
    "news:feed",
    "news:atom",
    "news:category_feed",
    "news:category_atom",
    "news:calendar_now",  # redirects to this month's calendar
    "news:ical",
    "news:event_ical",
    None,  # favicon.ico and the media files
}
# Pages only a POST or an organiser's session reaches, which the browser tests do
# not walk to: the Nu checker checks them (tests/test_salon_html_validity.py);
# the 500 page, which no address reaches.
NOT_IN_BROWSER = {
    "/salons/plans/<pk>/print/",
    "/salons/plans/<pk>/sent/",
    "/salons/plans/renew/",
    "/salons/plans/resume/<token>/",
    "500",
}
NOW = datetime.datetime(2026, 11, 22, 10, 30, tzinfo=a11y_report.JST)


def record(recorder, tool, url, title, classes=("theme-white", "size-standard"), issues=0):
    recorder.add(tool, url=url, title=f"{title}｜テスト社協", classes=list(classes), issues=issues)


def sample_report(path, issues=0, extra_pages=0):
    """A report as a run of the checks writes it, over a few pages, to `path`."""
    recorder = Recorder()
    recorder.axe_tags.update(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    recorder.browsers.add("Chromium 150.0")
    for classes in (("theme-white", "size-standard"), ("theme-black", "size-xlarge")):
        record(recorder, AXE, "http://localhost:8107/", "ホーム", classes)
        record(recorder, AXE, "http://localhost:8107/districts/chuo/", "中央地区社協", classes)
        record(recorder, AXE, "/districts/kita/?members_page=2", "北地区社協", classes, issues)
    record(recorder, NU, "http://testserver/", "ホーム", ("theme-blue", "furigana-on"))
    record(recorder, NU, "/no-such-page/", "ページが見つかりません")
    record(recorder, NU, "/", "ただいま表示できません", ())
    report = recorder.report(NOW)
    # As many more kinds of page as asked for: URL patterns the site does not have (yet).
    report["pages"] += [
        {**report["pages"][0], "page": f"/more/{number}/", "title": f"ページ{number}"}
        for number in range(extra_pages)
    ]
    path.write_text(json.dumps(report, ensure_ascii=False))
    return report


@pytest.fixture
def report_file(settings, tmp_path):
    settings.ACCESSIBILITY_REPORT = tmp_path / "report.json"
    return settings.ACCESSIBILITY_REPORT


def test_the_page_shows_the_policy_and_the_results(client, db, report_file):
    sample_report(report_file)
    response = client.get("/accessibility/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>ウェブアクセシビリティ方針</h1>" in html
    assert "JIS X 8341-3:2016 の適合レベルAAに準拠" in html
    assert "職員用の管理画面は除きます" in html
    # Three kinds of page: the home page, a district page (however many) and the error pages.
    assert "検査したページ 4件、検出された問題 0件" in html
    assert "令和8年11月22日(日) 10:30" in html
    assert "axe-core 4." in html and "Nu Html Checker" in html and "Chromium 150.0" in html
    assert "WCAG 2.1 レベルAA" in html and "<code>wcag21aa</code>" in html
    assert "<caption" in html and '<th scope="row">中央地区社協 など</th>' in html
    assert "<code>/districts/&lt;slug&gt;/</code>" in html
    assert "背景色 白・黒／文字サイズ 標準・特大（4回）" in html
    assert "背景色 青／文字サイズ 標準／ふりがなあり（1回）" in html
    assert "ページが見つからないとき（404）" in html and "システムの不具合のとき（500）" in html
    assert 'href="/contact/"' in html
    assert "人が画面を見て、操作して確かめる必要があります" in html


def test_issues_found_are_shown_as_found(client, db, report_file):
    sample_report(report_file, issues=2)
    html = client.get("/accessibility/").content.decode()
    assert "検出された問題 4件" in html
    assert "<td>4件</td>" in html


@pytest.mark.parametrize(
    "content",
    [
        None,
        "",
        "{",
        "[]",
        '{"generated_at": "2026-11-22"}',
        b"\xff\xfe",
        '{"tools": 1}',
        "naive",
        "1700",
    ],
)
def test_without_a_readable_report_the_page_says_results_are_not_out_yet(
    client, db, report_file, content
):
    if content in ("naive", "1700"):
        # A whole report but for its date: no offset, or before the 和暦 can say.
        data = sample_report(report_file)
        when = "2026-11-22T10:30:00" if content == "naive" else "1700-01-01T00:00:00+09:00"
        content = json.dumps({**data, "generated_at": when})
    if isinstance(content, bytes):
        report_file.write_bytes(content)
    elif content is not None:
        report_file.write_text(content)
    response = client.get("/accessibility/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "試験結果はまだ公開していません" in html
    assert "<table" not in html
    # The policy stands without the results.
    assert "適合レベルAA" in html


def test_the_page_runs_the_same_queries_whatever_the_report_size(
    client, db, report_file, django_assert_max_num_queries
):
    sample_report(report_file)
    # Only the site shell's: its profile, offices and emergency notices.
    with django_assert_max_num_queries(4):
        client.get("/accessibility/")
    sample_report(report_file, extra_pages=500)
    with django_assert_max_num_queries(4):
        assert "検査したページ 504件" in client.get("/accessibility/").content.decode()


def test_the_page_answers_get_and_head_only(client, db):
    assert client.head("/accessibility/").status_code == 200
    assert client.post("/accessibility/").status_code == 405


@settings(max_examples=200)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda inner: (
            st.lists(inner)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "generated_at",
                        "tools",
                        "totals",
                        "pages",
                        "axe_tags",
                        "runs",
                        "axe",
                        "nu",
                        "page",
                        "checks",
                        "title",
                    ]
                )
                | st.text(),
                inner,
            )
        ),
    )
)
def test_no_report_content_breaks_reading_it(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("report") / "report.json"
    path.write_text(json.dumps(data))
    assert load_report(path) is None or load_report(path).pages is not None


@given(st.text())
def test_any_path_is_a_page_pattern_or_not_found(path):
    pattern = page_pattern(path)
    assert pattern == "404" or pattern.startswith("/")


def test_pages_are_counted_by_their_url_pattern(db):
    assert page_pattern("/districts/chuo/") == "/districts/<slug>/"
    assert page_pattern("/councils/kiyone-chu/meetings/12/") == "/councils/<slug>/meetings/<pk>/"
    assert page_pattern("/no-such-page/") == "404"
    assert page_pattern("/resources/3/", "ページが見つかりません") == "404"
    assert page_pattern("/", "ただいま表示できません") == "500"


def test_a_run_that_failed_or_checked_nothing_writes_no_report(tmp_path, monkeypatch, db):
    target = tmp_path / "report.json"
    monkeypatch.setenv(a11y_report.REPORT_ENV, str(target))
    monkeypatch.setattr(a11y_report, "RECORDER", Recorder())

    # What write_if_asked uses of pytest's session: no terminal to write to.
    session = SimpleNamespace(
        config=SimpleNamespace(pluginmanager=SimpleNamespace(get_plugin=lambda name: None))
    )

    a11y_report.write_if_asked(session, 0)
    assert not target.exists(), "nothing was checked"
    record(a11y_report.RECORDER, AXE, "/", "ホーム")
    a11y_report.write_if_asked(session, 0)
    assert not target.exists(), "only axe ran"
    record(a11y_report.RECORDER, NU, "/", "ホーム")
    a11y_report.write_if_asked(session, 1)
    assert not target.exists(), "the run failed"
    a11y_report.write_if_asked(session, 0, now=NOW)
    assert json.loads(target.read_text())["totals"]["pages"] == 1


def public_page_patterns():
    """Every URL pattern of the site that answers with a page, as the report names them."""
    found = set()

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                if entry.app_name == "admin":
                    continue
                inner = f"{entry.namespace}:" if entry.namespace else namespace
                walk(entry, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}{entry.name}" if entry.name else None
                if name not in NOT_PAGES:
                    route = prefix + str(entry.pattern)
                    found.add(route_pattern(route))

    walk(get_resolver(), "", "")
    return found


@pytest.fixture
def committed_report():
    assert REPORT.is_file(), f"{REPORT} がありません。{REGENERATE}"
    return json.loads(REPORT.read_text())


def test_the_committed_report_covers_every_public_page(committed_report):
    reported = {page["page"]: page for page in committed_report["pages"]}
    missing = sorted(public_page_patterns() - set(reported))
    assert not missing, f"検査の結果にないページがあります: {missing}。{REGENERATE}"
    assert {"404", "500"} <= set(reported), REGENERATE
    # Every page is checked in a real browser in white and black, and at 特大.
    for name, page in reported.items():
        axe = page["checks"].get(AXE)
        if name in NOT_IN_BROWSER:
            assert page["checks"].get(NU), f"{name} は検査されていません。{REGENERATE}"
            continue
        assert axe, f"{name}: axe-core で検査されていません。{REGENERATE}"
        assert {"white", "black"} <= set(axe["themes"]) and "xlarge" in axe["sizes"], name


def test_the_committed_report_found_no_issues_and_used_todays_tools(committed_report):
    assert committed_report["totals"]["issues"] == 0, REGENERATE
    assert all(page["issues"] == 0 for page in committed_report["pages"])
    assert committed_report["totals"]["runs"][AXE] > 0 and committed_report["totals"]["runs"][NU]
    assert {"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"} <= set(committed_report["axe_tags"])
    for tool, package in (("axe-core", a11y_report.AXE_PACKAGE), ("vnu", a11y_report.VNU_PACKAGE)):
        installed = a11y_report.package_version(package)
        if installed:
            reported = committed_report["tools"][tool]
            assert reported == installed, (
                f"{tool} は {installed} ですが、結果は {reported} のものです。{REGENERATE}"
            )


def test_the_committed_report_reads_as_a_page(client, db):
    report = load_report(REPORT)
    assert report is not None, REGENERATE
    html = client.get("/accessibility/").content.decode()
    assert f"検査したページ {len(report.pages)}件、検出された問題 0件" in html


def test_the_report_lives_where_the_makefile_writes_it():
    makefile = (Path(__file__).resolve().parents[1] / "Makefile").read_text()
    assert "A11Y_REPORT=docs/accessibility/report.json" in makefile
    assert Path(__file__).resolve().parents[1] / "docs/accessibility/report.json" == REPORT
