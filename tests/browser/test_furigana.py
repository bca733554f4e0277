"""ふりがな as a resident uses it: turned on with the other display choices, kept from
page to page, readable on a phone at 特大 on black, and working without JavaScript."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_display_preferences import VIEWPORTS, check_fits_phone, css_class, reveal

pytestmark = pytest.mark.browser


def chip(page, **choice):
    """A display-control link by what it sets: its name carries a reading once ふりがな is on.
    On a phone it waits behind 検索・表示の設定, which is opened first."""
    reveal(page)
    ((key, value),) = choice.items()
    return page.locator(f'.display-controls a[href*="{key}={value}"]')


def text_without_readings(locator):
    return locator.evaluate(
        """(element) => {
            const copy = element.cloneNode(true);
            copy.querySelectorAll("rt, rp").forEach((e) => e.remove());
            return copy.textContent.trim();
        }"""
    )


def check_furigana(page):
    """The page shows readings over its kanji, drawn above the text."""
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_class(css_class("furigana-on"))
    expect(chip(page, furigana="on")).to_have_attribute("aria-current", "true")
    reading = page.locator("main ruby rt").first
    expect(reading).to_be_visible()
    # Above its base, not beside it in brackets: <rp> is hidden where ruby is supported.
    boxes = page.evaluate(
        """() => {
            const ruby = document.querySelector("main ruby");
            const rt = ruby.querySelector("rt").getBoundingClientRect();
            const rp = getComputedStyle(ruby.querySelector("rp")).display;
            const base = ruby.getBoundingClientRect();
            return {rtBottom: rt.bottom, baseBottom: base.bottom, rp};
        }"""
    )
    assert boxes["rp"] == "none"
    assert boxes["rtBottom"] < boxes["baseBottom"]


def test_a_resident_reads_with_furigana_in_black_at_xlarge(new_context, live_server, portal):
    page = new_context(**VIEWPORTS["phone"]).new_page()
    page.goto("/")
    expect(page.locator("main ruby")).to_have_count(0)

    chip(page, theme="black").click()
    chip(page, size="xlarge").click()
    chip(page, furigana="on").click()
    expect(page).to_have_url(live_server.url + "/")
    check_furigana(page)
    expect(page.locator("html")).to_have_class(css_class("theme-black"))
    expect(page.locator("html")).to_have_class(css_class("size-xlarge"))
    check_fits_phone(page)

    reveal(page)
    page.get_by_role("navigation", name="メインメニュー").locator('a[href="/districts/"]').click()
    expect(page).to_have_url(live_server.url + "/districts/")
    check_furigana(page)
    check_fits_phone(page)

    page.locator('main a[href="/districts/chuo/"]').first.click()
    expect(page).to_have_url(live_server.url + "/districts/chuo/")
    check_furigana(page)
    # The heading reads 中央地区社協 with its readings over it.
    heading = page.get_by_role("heading", level=1)
    expect(heading.locator("ruby")).not_to_have_count(0)
    assert text_without_readings(heading) == "中央地区社協"
    check_fits_phone(page)

    chip(page, furigana="off").click()
    expect(page.locator("html")).not_to_have_class(css_class("furigana-on"))
    expect(page.locator("ruby")).to_have_count(0)
    expect(page.locator("html")).to_have_class(css_class("theme-black"))


def test_furigana_works_without_javascript(new_context, live_server, portal):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto("/contact/")
    chip(page, furigana="on").click()
    expect(page).to_have_url(live_server.url + "/contact/")
    expect(page.locator("html")).to_have_class(css_class("furigana-on"))
    expect(page.locator("main rt").first).to_be_visible()
    assert {c["name"]: c["value"] for c in context.cookies()}["furigana"] == "on"


@pytest.mark.parametrize("width", [320, 390])
def test_no_page_scrolls_sideways_with_furigana_at_xlarge(new_context, live_server, portal, width):
    phone = VIEWPORTS["phone"]
    context = new_context(**{**phone, "viewport": {**phone["viewport"], "width": width}})
    context.add_cookies(
        [
            {"name": name, "value": value, "url": live_server.url}
            for name, value in {"text_size": "xlarge", "furigana": "on"}.items()
        ]
    )
    page = context.new_page()
    for path, _status in portal.pages:
        page.goto(path)
        check_fits_phone(page, width)
