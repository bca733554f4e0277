"""The 活動計画書 in steps with JavaScript off, on the keyboard alone: every step, 「戻る」
and 「次へ」 saving as they go, a step refusing what cannot be stored with the focus on
its error summary, the check page and its 「変更」 links, and 「提出する」.

(With JavaScript on, the same journey is tests/browser/test_salon_journey.py.)
"""

import re

import pytest
from playwright.sync_api import expect

from salons.grants import estimate
from salons.models import ActivityPlan, PlanKind, PlanStatus
from shakyo_portal.core.normalize import normalize_phone
from tests.browser.test_accessibility import RUN_AXE, axe_options, describe
from tests.browser.test_salon_journey import (
    FIRST_SESSION,
    LAST_SESSION,
    NAME,
    PHONE,
    Keyboard,
    field,
    grant_world,  # noqa: F401 (a fixture)
)

pytestmark = pytest.mark.browser


def press(page, keys, button, *, within=40):
    keys.tab_to(button, within=within)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def next_button(page):
    return page.locator('#plan-form button[value="next"]')


def test_the_steps_work_by_keyboard_with_javascript_off(new_context, grant_world):  # noqa: F811
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto("/salons/plans/new/")
    keys = Keyboard(page)

    # Step 1: without the script both salon parts stay; Space chooses 新規.
    expect(page.locator('.plan-steps [aria-current="step"]')).to_contain_text("サロンと代表者")
    expect(page.locator(".plan-steps")).to_contain_text("ステップ 1/6")
    keys.tab_to(page.locator("#id_kind_0"), within=40)
    page.keyboard.press("Space")
    expect(field(page, "salon")).to_be_visible()
    keys.type_into(field(page, "salon_name"), "ひだまりサロン", within=12)
    keys.type_into(field(page, "salon_reading"), "ひだまりさろん")
    keys.tab_to(field(page, "district"))
    keys.choose(field(page, "district"), "清音")
    keys.tab_to(page.get_by_label("高齢者"))
    page.keyboard.press("Space")
    keys.type_into(field(page, "representative_name"), NAME, within=12)
    keys.type_into(field(page, "representative_reading"), "たかはし はなこ")
    keys.type_into(field(page, "representative_phone"), PHONE)
    keys.type_into(field(page, "representative_email"), "hanako@example.jp")
    press(page, keys, next_button(page))
    expect(page).to_have_url(re.compile(r"/step/schedule/$"))
    plan = ActivityPlan.objects.get()
    assert plan.representative_name == NAME and plan.status == PlanStatus.DRAFT

    # Step 2, then 「戻る」: it saves too, and step 1 shows what was typed.
    keys.type_into(field(page, "venue_name"), "清音公会堂", within=40)
    press(page, keys, page.get_by_role("button", name=re.compile(r"^戻る")))
    expect(page).to_have_url(re.compile(r"/step/salon/$"))
    expect(field(page, "representative_name")).to_have_value(NAME)
    expect(page.locator("#id_kind_0")).to_be_checked()
    plan.refresh_from_db()
    assert plan.venue_name == "清音公会堂"
    # The steps reached are links now.
    keys.tab_to(page.locator(".plan-steps").get_by_role("link", name=re.compile("会場")), within=30)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(field(page, "venue_name")).to_have_value("清音公会堂")

    # A number that is none: the step comes back, the focus on its error summary.
    keys = Keyboard(page)
    keys.tab_to(page.get_by_label("第2"), within=40)
    page.keyboard.press("Space")
    keys.tab_to(field(page, "weekday"), within=10)
    keys.choose(field(page, "weekday"), "水曜日")
    keys.tab_to(field(page, "starts_at"))
    keys.type_time(field(page, "starts_at"), "10:00")
    keys.tab_to(field(page, "ends_at"))
    keys.type_time(field(page, "ends_at"), "12:00")
    keys.tab_to(field(page, "first_session_on"), within=12)
    keys.type_date(field(page, "first_session_on"), FIRST_SESSION)
    keys.tab_to(field(page, "last_session_on"))
    keys.type_date(field(page, "last_session_on"), LAST_SESSION)
    keys.type_into(field(page, "sessions_planned"), "たくさん")
    press(page, keys, next_button(page))
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("年間の開催回数")
    expect(field(page, "sessions_planned")).to_have_value("たくさん")
    expect(field(page, "first_session_on")).to_have_value(FIRST_SESSION.isoformat())
    # Its link leads to the field.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#id_sessions_planned_field$"))
    keys = Keyboard(page)
    keys.tab_to(field(page, "sessions_planned"), within=6)
    page.keyboard.press("Control+a")
    page.keyboard.type("１２")
    press(page, keys, next_button(page))
    expect(page).to_have_url(re.compile(r"/step/activity/$"))

    # Step 3
    keys.type_into(field(page, "expected_participants"), "15", within=40)
    keys.type_into(field(page, "content"), "体操と茶話会", within=4)
    press(page, keys, next_button(page))

    # Step 4: the estimate from the earlier answers, and the budget by keyboard.
    program, _districts = grant_world
    expected = estimate(
        program, kind=PlanKind.NEW, sessions=12, participants=15, first_session_on=FIRST_SESSION
    )
    expect(page.locator("#plan-estimate .estimate__amount")).to_have_text(f"{expected.amount:,}円")
    for prefix, item, amount in [
        ("income-0", "参加費", "35000"),
        ("expense-0", "茶菓代", "３５，０００"),
    ]:
        keys.tab_to(field(page, f"{prefix}-item"), within=60)
        keys.choose(field(page, f"{prefix}-item"), item)
        keys.type_into(field(page, f"{prefix}-amount"), amount, within=2)
    press(page, keys, next_button(page))

    # Step 5: no file; on to the check page.
    expect(page).to_have_url(re.compile(r"/step/files/$"))
    press(page, keys, next_button(page))
    expect(page).to_have_url(re.compile(r"/check/$"))
    expect(page.locator(".plan-steps")).to_contain_text("ステップ 6/6")
    expect(page.locator("main")).to_contain_text(normalize_phone(PHONE))
    expect(page.locator("main")).to_contain_text("35,000円")

    # 「提出する」 without the consent: the focus on the summary, nothing sent.
    press(page, keys, page.get_by_role("button", name="提出する"), within=120)
    expect(page.locator("#error-summary")).to_be_focused()
    assert ActivityPlan.objects.get().status == PlanStatus.DRAFT
    keys = Keyboard(page)
    keys.tab_to(field(page, "consent"), within=140)
    page.keyboard.press("Space")
    press(page, keys, page.get_by_role("button", name="提出する"), within=4)
    expect(page.get_by_role("heading", level=1)).to_have_text("活動計画書を受け付けました")
    plan = ActivityPlan.objects.get()
    assert plan.status == PlanStatus.RECEIVED and plan.reference == "R8-0001"
    assert plan.sessions_planned == 12 and plan.venue_name == "清音公会堂"


def test_the_check_page_with_the_grant_warning_has_no_axe_violations(
    axe_context,
    live_server,
    grant_world,  # noqa: F811
):
    page = axe_context.new_page()
    page.goto("/salons/plans/new/")
    page.get_by_label("継続").check()
    page.get_by_role("button", name="次へ", exact=True).click()
    field(page, "sessions_planned").fill("3")
    page.get_by_role("button", name="次へ", exact=True).click()
    field(page, "expected_participants").fill("15")
    page.get_by_role("button", name="次へ", exact=True).click()
    field(page, "income-0-item").select_option(label="助成金")
    field(page, "income-0-amount").fill("20000")
    page.get_by_role("button", name="次へ", exact=True).click()
    page.get_by_role("button", name="次へ（確認の画面へ）").click()
    warning = page.locator(".plan-warning")
    expect(warning).to_contain_text(
        "予算の助成金（20,000円）が、助成のきまりで計算した額"
        "（0円：年間の開催回数が最低回数の6回に届かないため）と違います。"
    )
    violations = {}
    for theme in ("white", "black"):
        axe_context.add_cookies([{"name": "theme", "value": theme, "url": live_server.url}])
        page.reload()
        found = page.evaluate(RUN_AXE, axe_options(theme, "standard"))
        if found:
            violations[f"check page, {theme}"] = found
    assert not violations, describe(violations)
