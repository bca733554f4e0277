"""axe-core (WCAG 2.1 A and AA) on the month calendar and the salon pages that
show coming dates, in each 背景色 and at 特大; and the calendar on a phone:
filtered without JavaScript, and nothing wider than the screen."""

import pytest

from tests.browser.test_accessibility import assert_no_axe_violations, show_in

pytestmark = pytest.mark.browser


@pytest.fixture
def dates(transactional_db):
    """The calendar's world (tests/site/test_calendar.py), with a cancelled salon date."""
    from tests.site.test_calendar import build_town

    return build_town()


def pages(dates):
    url = dates["url"]
    return [
        url,
        f"{url}?kind=salon&district=kiyone",
        f"{url}?kind=nope&district=nowhere",
        f"{url}?kind=event&district=karube",
        "/salons/",
        *(salon.get_absolute_url() for salon in dates["salons"]),
        "/districts/kiyone/",
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
def test_no_axe_violations(theme, size, axe_context, live_server, dates):
    show_in(axe_context, live_server, theme=theme, size=size)
    assert_no_axe_violations(axe_context.new_page(), pages(dates), theme=theme, size=size)


def test_filtering_on_a_phone_without_javascript(new_context, live_server, dates):
    context = new_context(java_script_enabled=False, viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(dates["url"])
    page.get_by_label("協議体").check()
    page.get_by_label("地区").select_option("kiyone")
    with page.expect_navigation():
        page.get_by_role("button", name="この条件で表示").click()
    assert "kind=council" in page.url and "district=kiyone" in page.url
    days = page.locator(".calendar-days")
    assert "清音圏域協議体" in days.inner_text()
    assert "軽部水曜サロン" not in days.inner_text()
    wider = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not wider
    with page.expect_navigation():
        page.get_by_role("link", name="次の月").click()
    assert "kind=council" in page.url
