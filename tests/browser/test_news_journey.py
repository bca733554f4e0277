"""A resident finds an event, registers for it, and sees the confirmation; the next one
to come finds one seat fewer, and when the seats are gone, the waiting list."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from news.models import Registration, RegistrationStatus
from tests.factories import OfficeFactory, SiteProfileFactory
from tests.news.factories import AccommodationFactory, EventFactory, days_from_now

pytestmark = pytest.mark.browser


@pytest.fixture
def lecture(transactional_db):
    SiteProfileFactory()
    EventFactory(title="活動発表会", starts_at=days_from_now(2))
    return EventFactory(
        title="認知症サポーター養成講座",
        signup=True,
        capacity=3,
        office=OfficeFactory(name="地域共生推進課", phone="0866-92-8552"),
        starts_at=days_from_now(10, 13),
        accommodations=[AccommodationFactory(name="手話通訳", slug="shuwa")],
    )


def register(page, *, name, reading, people, email=""):
    page.goto("/")
    page.get_by_role("navigation", name="メインメニュー").get_by_role(
        "link", name="お知らせ"
    ).click()
    page.get_by_role("navigation", name="お知らせ・行事のメニュー").get_by_role(
        "link", name="行事", exact=True
    ).click()
    expect(page.locator("h1")).to_have_text("行事のご案内")
    page.get_by_role("link", name="認知症サポーター養成講座").click()
    expect(page.locator("h1")).to_have_text("認知症サポーター養成講座")
    page.get_by_role("link", name=re.compile("この行事に申し込む")).click()
    expect(page.locator("h1")).to_contain_text("行事の申込")
    page.get_by_label("氏名").fill(name)
    page.get_by_label("よみがな").fill(reading)
    page.get_by_label("電話番号").fill("０９０ー００００ー１２３４")
    if email:
        page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("人数").fill(people)
    page.get_by_label("手話通訳").check()
    page.get_by_label("個人情報の利用目的に同意します").check()
    # A double click, as people do: the second submission cancels the first page load,
    # so wait for where the browser ends up rather than for one navigation.
    page.get_by_role("button", name="申し込む").dblclick()
    page.wait_for_url(re.compile(r"/registrations/[0-9]+/"))


def test_a_resident_finds_an_event_registers_and_sees_the_confirmation(
    new_context, live_server, lecture
):
    page = new_context().new_page()
    register(
        page, name="髙橋 花子", reading="タカハシ ハナコ", people="２", email="hanako@example.jp"
    )
    expect(page.locator("h1")).to_have_text("申込を受け付けました")
    expect(page.locator(".news-reference__number")).to_have_text(f"{lecture.pk}-001")
    expect(page.locator("main")).to_contain_text("髙橋 花子 様")
    expect(page.locator("main")).to_contain_text("手話通訳")
    expect(page.locator("main")).to_contain_text("hanako@example.jp にお送りしました")
    confirmation = page.url
    registration = Registration.objects.get()  # the double click registered once
    assert registration.people == 2 and registration.phone == "090-0000-1234"
    assert [m.to for m in mail.outbox] == [["hanako@example.jp"]]

    # Back on the event's page, one seat is left.
    page.get_by_role("link", name="認知症サポーター養成講座").first.click()
    expect(page.locator(".news-register")).to_contain_text("残り1人")

    # Someone else, wanting two seats, goes on the waiting list.
    other = new_context().new_page()
    register(other, name="森 さくら", reading="もり さくら", people="2")
    expect(other.locator("h1")).to_have_text("キャンセル待ちで受け付けました")
    expect(other.locator("main")).to_contain_text("キャンセル待ちの1番目")
    assert Registration.objects.filter(status=RegistrationStatus.WAITLISTED).count() == 1

    # Neither can open the other's confirmation.
    others = other.url
    assert other.goto(confirmation).status == 404
    assert page.goto(others).status == 404


def test_with_furigana_in_black_at_xlarge_a_resident_goes_from_the_home_page_to_a_seat(
    new_context, live_server, lecture
):
    """The issue's journey: the home page read with ふりがな on, in 黒 at 特大; the event
    found from it; the registration sent and confirmed. Kanji carry readings, so the
    steps go by addresses and field names where visible text gains them."""
    context = new_context()
    context.add_cookies(
        [
            {"name": name, "value": value, "url": live_server.url}
            for name, value in [("theme", "black"), ("text_size", "xlarge"), ("furigana", "on")]
        ]
    )
    page = context.new_page()
    page.goto("/")
    assert {"theme-black", "size-xlarge"} <= set(
        page.evaluate("[...document.documentElement.classList]")
    )
    # The home page is read with readings over its kanji.
    expect(page.locator("main ruby").first).to_be_visible()
    expect(page.locator("main rt").first).not_to_be_empty()
    # The coming event is on the home page; its page leads to the form.
    page.locator(f'main a[href="{lecture.get_absolute_url()}"]').first.click()
    expect(page.locator("h1")).to_contain_text("サポーター")
    page.locator(f'main a[href$="{lecture.get_absolute_url()}register/"]').first.click()
    page.locator('input[name="name"]').fill("山田 太郎")
    page.locator('input[name="reading"]').fill("やまだ たろう")
    page.locator('input[name="phone"]').fill("090-0000-5678")
    page.locator('input[name="people"]').fill("1")
    page.locator('input[name="consent"]').check()
    with page.expect_navigation():
        page.locator('main button[type="submit"]').click()
    expect(page.locator("h1")).to_contain_text("けました")
    assert Registration.objects.get().name == "山田 太郎"
    # The confirmation, too, is shown with readings and in the chosen look.
    expect(page.locator("main ruby").first).to_be_visible()
    assert "theme-black" in page.evaluate("document.documentElement.className")


def test_a_registration_sent_with_mistakes_puts_focus_on_the_error_summary(
    new_context, live_server, lecture
):
    """With or without JavaScript, the summary has focus when the page returns,
    so the next Tab reaches its first link to the field to fix."""
    for javascript in (True, False):
        page = new_context(java_script_enabled=javascript).new_page()
        page.goto(f"/events/{lecture.pk}/register/")
        page.get_by_label("氏名").fill("髙橋 花子")
        page.get_by_label("人数").fill("たくさん")
        page.get_by_role("button", name="申し込む").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        summary = page.locator("#error-summary")
        expect(summary).to_be_focused()
        expect(page.get_by_label("氏名")).to_have_value("髙橋 花子")
        page.keyboard.press("Tab")
        focused_link = page.evaluate("document.activeElement.closest('#error-summary') !== null")
        assert focused_link, javascript
