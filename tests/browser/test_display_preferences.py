"""文字サイズ and 背景色 as residents use them: by mouse or finger, by keyboard, without JS."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 3,
        "is_mobile": True,
        "has_touch": True,
    },
}


def root_font_px(page):
    return page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")


def link(scope, name):
    return scope.get_by_role("link", name=name, exact=True)


def css_class(name):
    """Matches a class attribute that has this class among others."""
    return re.compile(rf"(^|\s){name}(\s|$)")


def reveal(page):
    """Open the header's buttons (検索・表示の設定, メニュー) where they show: on a
    phone the display choices and the menu wait behind them; a wide screen has none."""
    page.wait_for_load_state()
    for summary in page.locator(".site-header summary").all():
        if summary.is_visible() and summary.evaluate("(s) => !s.parentElement.open"):
            summary.click()


def check_fits_phone(page, width=VIEWPORTS["phone"]["viewport"]["width"]):
    """The page does not scroll sideways on a phone."""
    # A phone (is_mobile) zooms out to fit a page that is too wide, and then
    # window.innerWidth grows with it; so compare with the screen's own width.
    widths = page.evaluate(
        "({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert widths["scroll"] <= width, f"{page.url} scrolls sideways: {widths}"
    assert widths["inner"] == width, f"{page.url} is zoomed out to fit: {widths}"


def check_display(page, *, viewport, standard_px):
    """The page shows 特大 on black, and (on a phone) does not scroll sideways."""
    # Computed styles need the stylesheet, not just the new <html>.
    page.wait_for_load_state()
    reveal(page)
    html = page.locator("html")
    expect(html).to_have_class(css_class("size-xlarge"))
    expect(html).to_have_class(css_class("theme-black"))
    expect(link(page, "特大")).to_have_attribute("aria-current", "true")
    expect(link(page, "黒")).to_have_attribute("aria-current", "true")
    assert root_font_px(page) > standard_px, page.url
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    if viewport == "phone":
        check_fits_phone(page)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_display_choice_stays_from_page_to_page(viewport, new_context, live_server, portal):
    page = new_context(**VIEWPORTS[viewport]).new_page()
    page.goto("/")
    standard_px = root_font_px(page)
    reveal(page)
    expect(link(page, "標準")).to_have_attribute("aria-current", "true")
    expect(link(page, "白")).to_have_attribute("aria-current", "true")

    link(page, "特大").click()
    expect(page.locator("html")).to_have_class(css_class("size-xlarge"))
    reveal(page)
    expect(link(page, "標準")).not_to_have_attribute("aria-current", re.compile(".*"))
    link(page, "黒").click()
    expect(page).to_have_url(live_server.url + "/")
    check_display(page, viewport=viewport, standard_px=standard_px)

    menu = page.get_by_role("navigation", name="メインメニュー")
    link(menu, "地区社協").click()
    expect(page).to_have_url(live_server.url + "/districts/")
    reveal(page)
    expect(link(menu, "地区社協")).to_have_attribute("aria-current", "page")
    check_display(page, viewport=viewport, standard_px=standard_px)

    # The list's links read 中央 and a visually hidden 地区社協 (Chromium puts a space between).
    link(page.get_by_role("main"), re.compile(r"^中央\s*地区社協$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("中央地区社協")
    check_display(page, viewport=viewport, standard_px=standard_px)

    breadcrumbs = page.get_by_role("navigation", name="現在位置")
    link(breadcrumbs, "地区社協").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("地区社協の一覧")
    check_display(page, viewport=viewport, standard_px=standard_px)

    link(breadcrumbs, "ホーム").click()
    expect(page).to_have_url(live_server.url + "/")
    check_display(page, viewport=viewport, standard_px=standard_px)


# 320 px is the narrowest phone and what a 1280 px window shows at 400 % zoom
# (WCAG 1.4.10 reflow); 640 px is the same window at 200 %.
@pytest.mark.parametrize("width", [320, 390, 640])
def test_no_page_scrolls_sideways_at_xlarge(new_context, live_server, portal, width):
    phone = VIEWPORTS["phone"]
    context = new_context(**{**phone, "viewport": {**phone["viewport"], "width": width}})
    context.add_cookies([{"name": "text_size", "value": "xlarge", "url": live_server.url}])
    page = context.new_page()
    for path, _status in portal.pages:
        page.goto(path)
        check_fits_phone(page, width)


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, live_server, portal):
    page.goto("/districts/")
    skip_link = link(page, "本文へ移動")

    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    expect(page).to_have_url(live_server.url + "/districts/#main")


def test_text_size_links_work_without_javascript(new_context, live_server, portal):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto("/districts/")

    link(page, "大").click()

    expect(page).to_have_url(live_server.url + "/districts/")
    expect(page.locator("html")).to_have_class(css_class("size-large"))
    expect(link(page, "大")).to_have_attribute("aria-current", "true")
    assert {c["name"]: c["value"] for c in context.cookies()}["text_size"] == "large"
