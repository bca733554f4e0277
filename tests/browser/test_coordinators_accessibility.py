"""axe-core on every coordinators page, in each 背景色 and at 特大; one h1 and a title of
its own on each. The charts are checked as the images they are (named, summarised)."""

import pytest

from tests.browser.test_accessibility import (
    assert_no_axe_violations,
    show_in,
)
from tests.coordinators.scenario import build_coordinators

pytestmark = pytest.mark.browser


@pytest.fixture
def pages(transactional_db):
    world = build_coordinators()
    reports = "/coordinators/reports/"
    return [
        "/coordinators/",
        reports,
        f"{reports}?page=2",
        f"{reports}?kind=launch&district=kiyone",
        f"{reports}?kind=zzz&year=1",
        f"{reports}?kind=study&year=2025",
        world.full.get_absolute_url(),
        world.sub.get_absolute_url(),
        "/coordinators/insights/",
        "/coordinators/insights/2025/",
        "/coordinators/insights/?year=abc",
    ]


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
def test_coordinators_pages_have_no_axe_violations(theme, size, axe_context, live_server, pages):
    show_in(axe_context, live_server, theme=theme, size=size)
    assert_no_axe_violations(axe_context.new_page(), pages, theme=theme, size=size)


def test_one_h1_and_a_title_of_its_own(page, pages):
    titles = {}
    for path in pages:
        page.goto(path)
        assert page.locator("h1").count() == 1, path
        title = page.title()
        assert title and not title.startswith("｜"), path
        titles.setdefault(title, []).append(path)
    shared = {title: paths for title, paths in titles.items() if len(paths) > 1}
    assert not shared, f"pages share a title: {shared}"


def test_charts_are_named_images_whose_colours_follow_the_theme(new_context, live_server, pages):
    context = new_context()
    context.add_cookies([{"name": "theme", "value": "black", "url": live_server.url}])
    page = context.new_page()
    page.goto("/coordinators/insights/")
    charts = page.get_by_role("img", name="令和8年度 活動の種類ごとの件数")
    assert charts.count() == 1
    # The solid bars are drawn in the theme's text colour: white on black.
    fill = page.evaluate("getComputedStyle(document.querySelector('.chart__bar--solid')).fill")
    assert fill == "rgb(255, 255, 255)"
    # The table next to it carries the same numbers for anyone who cannot see the chart.
    assert page.get_by_role("table", name="令和8年度 活動の種類ごとの件数").count() == 1
