"""The first screen of a phone at 特大 shows the page itself: the search, the display
choices and the menu wait behind buttons (<details>) that work by keyboard and
without JavaScript, while a wide screen shows them all without a click."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_display_preferences import VIEWPORTS, css_class

pytestmark = pytest.mark.browser

# The heights of the phones 320 and 390 px wide.
SCREEN_HEIGHTS = {320: 568, 390: 844}

NAV_LINE_COUNTS = """(nav) => [...nav.querySelectorAll("a")].map((a) => {
    const range = document.createRange();
    range.selectNodeContents(a);
    const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
    return [a.textContent.trim(), tops.size];
})"""


def phone_context(new_context, live_server, width, furigana="off", **extra):
    phone = VIEWPORTS["phone"]
    context = new_context(
        **{**phone, "viewport": {"width": width, "height": SCREEN_HEIGHTS[width]}, **extra}
    )
    context.add_cookies(
        [
            {"name": name, "value": value, "url": live_server.url}
            for name, value in {"text_size": "xlarge", "furigana": furigana}.items()
        ]
    )
    return context


def tools(page):
    return page.locator("details.header-tools")


def menu(page):
    return page.locator("details.global-nav__menu")


def public_pages(portal):
    """Home, a list, a detail page and a form, from the scenario's pages."""
    paths = [path for path, status in portal.pages if status == 200]
    detail = next(p for p in paths if p.startswith("/districts/") and p.count("/") == 3)
    return ["/", "/districts/", detail, "/salons/plans/"]


@pytest.mark.parametrize("furigana", ["off", "on"])
@pytest.mark.parametrize("width", [320, 390])
def test_the_heading_is_on_the_first_screen_at_xlarge(
    new_context, live_server, portal, width, furigana
):
    # ふりがな opens the lines up: the heading still makes the first screen.
    page = phone_context(new_context, live_server, width, furigana).new_page()
    for path in public_pages(portal):
        page.goto(path)
        expect(page.locator("html")).to_have_class(css_class("size-xlarge"))
        heading = page.get_by_role("heading", level=1)
        expect(heading).to_be_in_viewport()
        top = heading.bounding_box()["y"]
        assert top < SCREEN_HEIGHTS[width], f"{path}: the h1 starts {top}px down"
        # The controls and the menu wait closed behind their buttons.
        expect(page.get_by_role("searchbox", name="サイト内検索")).to_be_hidden()
        expect(page.get_by_role("link", name="特大", exact=True)).to_be_hidden()
        expect(tools(page).locator("summary")).to_be_visible()
        expect(menu(page).locator("summary")).to_be_visible()


@pytest.mark.parametrize("width", [320, 390])
def test_menu_labels_keep_their_words_whole(new_context, live_server, portal, width):
    page = phone_context(new_context, live_server, width).new_page()
    page.goto("/")
    menu(page).locator("summary").click()
    nav = page.get_by_role("navigation", name="メインメニュー")
    expect(nav.get_by_role("link", name="コーディネーター")).to_be_visible()
    broken = [(label, lines) for label, lines in nav.evaluate(NAV_LINE_COUNTS) if lines != 1]
    assert not broken, f"menu labels broken across lines at {width}px: {broken}"
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_buttons_open_and_close_by_keyboard(new_context, live_server, portal):
    page = phone_context(new_context, live_server, 390).new_page()
    page.goto("/districts/")
    search = page.get_by_role("searchbox", name="サイト内検索")
    summary = tools(page).locator("summary")

    # From the top of the page: the skip link, the council's name, then the button.
    for _ in range(3):
        page.keyboard.press("Tab")
    expect(summary).to_be_focused()
    page.keyboard.press("Enter")
    expect(tools(page)).to_have_attribute("open", "")
    expect(search).to_be_visible()
    for name in ("特大", "黒", "あり"):
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    # The next Tab goes into what opened: the search box.
    page.keyboard.press("Tab")
    expect(search).to_be_focused()

    summary.focus()
    page.keyboard.press("Space")
    expect(tools(page)).not_to_have_attribute("open", "")
    expect(search).to_be_hidden()

    nav = page.get_by_role("navigation", name="メインメニュー")
    menu(page).locator("summary").focus()
    page.keyboard.press("Space")
    expect(nav.get_by_role("link", name="協議体")).to_be_visible()
    page.keyboard.press("Tab")
    expect(nav.get_by_role("link").first).to_be_focused()


def test_the_buttons_work_without_javascript(new_context, live_server, portal):
    context = phone_context(new_context, live_server, 320, java_script_enabled=False)
    page = context.new_page()
    page.goto("/districts/")
    search = page.get_by_role("searchbox", name="サイト内検索")
    expect(search).to_be_hidden()

    tools(page).locator("summary").click()
    expect(search).to_be_visible()
    page.get_by_role("link", name="大", exact=True).click()
    expect(page).to_have_url(live_server.url + "/districts/")
    expect(page.locator("html")).to_have_class(css_class("size-large"))

    menu(page).locator("summary").click()
    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="協議体").click()
    expect(page).to_have_url(live_server.url + "/councils/")


def test_a_wide_screen_shows_everything_without_a_click(new_context, live_server, portal):
    context = new_context(viewport={"width": 1280, "height": 800})
    context.add_cookies([{"name": "text_size", "value": "xlarge", "url": live_server.url}])
    page = context.new_page()
    page.goto("/districts/")
    expect(page.get_by_role("searchbox", name="サイト内検索")).to_be_visible()
    for name in ("標準", "特大", "黒", "あり"):
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(
        page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="協議体")
    ).to_be_visible()
    # No button to press, so none to tab through or hear.
    expect(page.locator("summary", has_text="検索・表示の設定")).to_be_hidden()
    expect(page.locator("summary", has_text="メニュー")).to_be_hidden()
    nav = page.get_by_role("navigation", name="メインメニュー")
    broken = [(label, lines) for label, lines in nav.evaluate(NAV_LINE_COUNTS) if lines != 1]
    assert not broken, f"menu labels broken across lines: {broken}"


def test_the_home_page_says_whom_to_call_before_its_long_sections(new_context, live_server, portal):
    page = phone_context(new_context, live_server, 390).new_page()
    page.goto("/")
    desks = page.get_by_role("heading", level=2, name="相談窓口のいまの受付")
    ways_in = page.get_by_role("heading", level=2, name="目的から探す")
    expect(desks).to_be_visible()
    assert desks.bounding_box()["y"] < ways_in.bounding_box()["y"]
    section = page.locator("section", has=desks)
    expect(section.locator('a[href^="tel:"]').first).to_be_visible()
    # The scenario's offices publish their hours: each says whether it is open now.
    expect(section.locator(".office__status").first).to_be_visible()
