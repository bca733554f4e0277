"""axe-core on the council's own pages, the emergency banner and pages with ふりがな,
in every 背景色, at 特大, and with ふりがな at 特大 on black; one h1 and a title each."""

from types import SimpleNamespace

import pytest

from shakyo_portal.core.models import NoticeLevel
from tests.browser.test_accessibility import RUN_AXE, axe_options, describe
from tests.scenarios import build_portal
from tests.site.factories import (
    EmergencyNoticeFactory,
    PrivacyPolicyFactory,
    PrivacyPolicySectionFactory,
)
from tests.site.test_about import make_plan

pytestmark = pytest.mark.browser


@pytest.fixture
def site_pages(transactional_db):
    """The about pages filled in, with one urgent and one important notice up."""
    portal = build_portal()
    make_plan(goals=3, rows=2, title="第7次地域福祉実践計画", motto="思いやりが根づくまち")
    PrivacyPolicySectionFactory.create_batch(3, policy=PrivacyPolicyFactory())
    EmergencyNoticeFactory(
        title="災害ボランティアセンターを開設しました",
        body="片付けのボランティアを募集しています。",
        link_url="/contact/",
    )
    EmergencyNoticeFactory(title="断水のお知らせ", level=NoticeLevel.IMPORTANT)
    return SimpleNamespace(
        pages=["/about/", "/about/plan/", "/", "/contact/", portal.chuo.get_absolute_url()]
    )


@pytest.mark.parametrize(
    ("theme", "size", "furigana"),
    [
        ("white", "standard", "off"),
        ("black", "standard", "off"),
        ("blue", "standard", "off"),
        ("yellow", "standard", "off"),
        ("white", "xlarge", "off"),
        ("white", "standard", "on"),
        ("blue", "standard", "on"),
        ("yellow", "standard", "on"),
        ("black", "xlarge", "on"),
    ],
)
def test_site_pages_have_no_axe_violations(
    theme, size, furigana, axe_context, live_server, site_pages
):
    axe_context.add_cookies(
        [
            {"name": name, "value": value, "url": live_server.url}
            for name, value in {"theme": theme, "text_size": size, "furigana": furigana}.items()
        ]
    )
    page = axe_context.new_page()
    violations_by_page = {}
    for path in site_pages.pages:
        response = page.goto(path)
        assert response.status == 200, path
        classes = set(page.evaluate("[...document.documentElement.classList]"))
        assert {f"size-{size}", f"theme-{theme}"} <= classes, path
        assert ("furigana-on" in classes) == (furigana == "on"), path
        assert page.locator(".emergency-banner").count() == 2, path
        violations = page.evaluate(RUN_AXE, axe_options(theme, size, furigana))
        if violations:
            violations_by_page[path] = violations
    assert not violations_by_page, (
        f"axe violations in 背景色 {theme}, 文字サイズ {size}, ふりがな {furigana}:\n"
        f"{describe(violations_by_page)}"
    )


def test_site_pages_have_one_h1_and_a_title_of_their_own(page, site_pages):
    titles = {}
    for path in site_pages.pages:
        page.goto(path)
        assert page.locator("h1").count() == 1, path
        title = page.title()
        assert title and not title.startswith("｜"), path
        titles.setdefault(title, []).append(path)
    assert all(len(paths) == 1 for paths in titles.values()), titles


def test_plan_goals_are_reachable_from_their_list(page, site_pages):
    page.goto("/about/plan/")
    index = page.get_by_role("navigation", name="基本目標")
    index.get_by_role("link", name="基本目標2", exact=False).click()
    target = page.locator("#goal-2")
    assert page.url.endswith("/about/plan/#goal-2")
    assert target.evaluate("(section) => section.getBoundingClientRect().top < window.innerHeight")
