"""axe-core (WCAG 2.1 A and AA) on the search page with results of every kind, in
each 背景色 and at 特大; one h1 and a title of its own in each state; a search
from the header's form on another page reaches the results by keyboard alone."""

import pytest

from tests.browser.test_accessibility import (
    assert_no_axe_violations,
    show_in,
)
from tests.news.factories import PostFactory
from tests.search.world import WORD, build_world

pytestmark = pytest.mark.browser

PAGES = [
    "/search/",
    f"/search/?q={WORD}",
    f"/search/?q={WORD}&kind=posts&page=2",
    "/search/?q=どこにもない言葉",
    "/search/?q=" + "あ" * 60,
]


@pytest.fixture
def world(transactional_db):
    world = build_world()
    for n in range(25):
        PostFactory(title=f"{WORD}のお知らせ{n}", body=f"今年の{WORD}は盛況でした。")
    return world


@pytest.mark.parametrize(
    ("theme", "size"),
    [
        ("white", "standard"),
        ("black", "standard"),
        ("blue", "standard"),
        ("yellow", "standard"),
        ("white", "xlarge"),
        ("black", "xlarge"),
    ],
)
def test_search_pages_have_no_axe_violations(theme, size, axe_context, live_server, world):
    show_in(axe_context, live_server, theme=theme, size=size)
    assert_no_axe_violations(axe_context.new_page(), PAGES, theme=theme, size=size)


def test_each_search_page_has_one_h1_and_a_title_of_its_own(page, world):
    titles = {}
    for path in PAGES:
        page.goto(path)
        assert page.locator("h1").count() == 1, path
        title = page.title()
        assert title and not title.startswith("｜"), f"{path}: {title!r}"
        titles.setdefault(title, []).append(path)
    shared = {title: paths for title, paths in titles.items() if len(paths) > 1}
    assert not shared, f"pages share a title: {shared}"


def test_a_resident_searches_from_the_header_by_keyboard(page, world):
    page.goto("/districts/")
    page.get_by_role("searchbox", name="サイト内検索").fill(f"{WORD}　")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title().startswith(f"「{WORD}」の検索結果")
    assert page.get_by_label("キーワード").input_value() == WORD
    # The index of kinds leads to each group, and each result to its page.
    page.get_by_role("navigation", name="種類ごとの検索結果").get_by_role(
        "link", name="行事（1件）"
    ).click()
    group = page.get_by_role("region", name="行事（1件）")
    with page.expect_navigation():
        group.get_by_role("link", name="清音の集い").click()
    assert page.locator("h1").inner_text().startswith("清音の集い")
