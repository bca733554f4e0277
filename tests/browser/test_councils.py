"""協議体 in a real browser: a resident's journey from their district to the
layer-2 council, its next meeting and its calendar; axe on every 協議体 page in
白 and 黒 and at 特大; the annual plan as a phone and a wide screen show it."""

from pathlib import Path

import pytest
from django.conf import settings
from icalendar import Calendar
from playwright.sync_api import expect

from tests.browser.test_accessibility import (
    assert_no_axe_violations,
    show_in,
)
from tests.councils.scenario import build_councils, public_pages

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    return build_councils()


def test_a_resident_finds_their_council_its_next_meeting_and_subscribes(
    new_context, live_server, world
):
    context = new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/districts/kiyone/")
    section = page.locator("section", has=page.locator("#councils-heading"))
    expect(section).to_contain_text("いい輪ネットきよね")
    expect(section).to_contain_text(world.coming.when)

    with page.expect_navigation():
        section.get_by_role(
            "link", name="いい輪ネットきよね（清音中学校区 圏域地域包括ケア会議）"
        ).click()
    expect(page.locator("h1")).to_contain_text("いい輪ネットきよね")
    coming = page.locator("ul.council-coming")
    expect(coming.locator("li").first).to_contain_text(world.coming.when)
    expect(coming).to_contain_text("予定（目安）")

    # The next meeting's page says what it is about.
    with page.expect_navigation():
        coming.get_by_role("link", name=world.coming.when).click()
    expect(page.locator("h1")).to_contain_text(world.coming.label)
    expect(page.locator("main")).to_contain_text("移動販売の停留所")
    expect(page.locator("main")).to_contain_text("延期になった")
    page.go_back()

    # Subscribing: the webcal link for calendar apps, and the file itself.
    host = live_server.url.split("://", 1)[1]
    webcal = page.get_by_role("link", name="カレンダーアプリに登録する")
    expect(webcal).to_have_attribute("href", f"webcal://{host}/councils/kiyone-chu/calendar.ics")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="予定のファイル（iCalendar 形式）をダウンロードする").click()
    download = download_info.value
    assert download.suggested_filename == "kiyone-chu.ics"
    calendar = Calendar.from_ical(Path(download.path()).read_bytes())
    uids = {str(event["UID"]) for event in calendar.walk("VEVENT")}
    assert f"council-meeting-{world.coming.pk}@{settings.SITE_HOST}" in uids


def test_a_resident_chooses_their_district_on_the_list(page, live_server, world):
    page.goto(f"{live_server.url}/councils/")
    page.get_by_label("お住まいの地区", exact=True).select_option(label="山手")
    with page.expect_navigation():
        page.get_by_role("button", name="この地区の協議体を表示").click()
    expect(page.locator(".council-result")).to_contain_text("山手地区を受け持つ協議体")
    expect(page.locator("#areas-heading")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("昭和中学校区 圏域地域包括ケア会議")


@pytest.mark.parametrize(
    ("theme", "size"), [("white", "standard"), ("black", "standard"), ("white", "xlarge")]
)
def test_council_pages_have_no_axe_violations(theme, size, axe_context, live_server, world):
    show_in(axe_context, live_server, theme=theme, size=size)
    assert_no_axe_violations(
        axe_context.new_page(),
        [f"{live_server.url}{path}" for _name, path in public_pages(world)],
        theme=theme,
        size=size,
    )


def test_every_council_page_has_one_h1_and_a_title_of_its_own(page, live_server, world):
    # The same page in another state (an unknown district shows the whole list,
    # another year's plan the same council) rightly keeps its title.
    same_page = {"councils-bad-district", "council-city-last-plan"}
    titles = {}
    for name, path in public_pages(world):
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() == 1, path
        title = page.title()
        assert title and not title.startswith("｜"), path
        if name not in same_page:
            titles.setdefault(title, []).append(path)
    shared = {title: paths for title, paths in titles.items() if len(paths) > 1}
    assert not shared, f"pages share a title: {shared}"


def test_the_annual_plan_is_a_table_on_wide_screens_and_a_list_on_phones(
    new_context, live_server, world
):
    url = f"{live_server.url}{world.city.get_absolute_url()}"
    wide = new_context(viewport={"width": 1280, "height": 900}).new_page()
    wide.goto(url)
    expect(wide.locator(".council-plan-table")).to_be_visible()
    expect(wide.locator(".council-plan-list")).to_be_hidden()
    expect(wide.get_by_role("region", name="年間計画（業務内容と月ごとの予定）")).to_be_visible()
    phone = new_context(viewport={"width": 390, "height": 800}).new_page()
    phone.goto(url)
    expect(phone.locator(".council-plan-table")).to_be_hidden()
    row = phone.locator("details", has_text="第1層協議体")
    row.locator("summary").click()
    expect(row).to_contain_text("フォーラムの準備")
    # Nothing on the page is wider than the phone: the table's width stays in its box.
    overflow = phone.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow
