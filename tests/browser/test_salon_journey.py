"""The 活動計画書 as people send it: an organiser on the keyboard alone, staff in the admin.

The organiser never touches the mouse: every field is reached with Tab, in the
order of the page, and filled with the keys a person would press (Space on
radios, check boxes and the file input, arrows in lists). The form comes in
steps, each saved as the draft by 「次へ」; the draft is saved, reopened from its
link in a browser that has never seen the plan, completed, checked on the check
page and sent; staff approve it in the admin; the organiser sees 承認 and the amount.
"""

import datetime
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from salons.grants import estimate
from salons.models import ActivityPlan, Attachment, PlanKind, PlanStatus
from shakyo_portal.core.normalize import normalize_phone
from tests.factories import (
    DistrictFactory,
    GrantProgramFactory,
    GrantTierFactory,
    SalonActivityTypeFactory,
    TargetGroupFactory,
    UserFactory,
)
from tests.salons.crafted import gps_jpeg

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's

# What the organiser types.
NAME = "髙橋 花子"  # 髙 must survive as typed
PHONE = "０８６６－９２－８５５２"  # typed with the Japanese keyboard still on
FIRST_SESSION = datetime.date(2026, 4, 8)
LAST_SESSION = datetime.date(2027, 3, 10)
SESSIONS = 12
PARTICIPANTS = 15

# A control as one word: its name (radios and check boxes of one question share it),
# or for a button what it does.
CONTROL_KEY = """(el) => el.tagName === "BUTTON"
    ? ["button", el.name || el.dataset.addRow || el.textContent, el.value].join(":")
    : el.name || el.id"""
# The control that has the focus, if it is one of a form.
FOCUSED_CONTROL = f"""() => {{
    const el = document.activeElement;
    return el && el.form ? ({CONTROL_KEY})(el) : null;
}}"""
# Every control a keyboard can reach, in the order of the page: what Tab must visit.
REACHABLE_CONTROLS = f"""(form) => [...form.elements]
    .filter((el) => el.tagName !== "FIELDSET" && el.type !== "hidden" && !el.disabled
        && el.tabIndex >= 0 && el.checkVisibility({{visibilityProperty: true}}))
    .map({CONTROL_KEY})"""


def collapse(keys):
    """Consecutive visits to one question (the parts of a date, a group of boxes) as one."""
    keys = [key for key in keys if key]
    return [key for n, key in enumerate(keys) if n == 0 or keys[n - 1] != key]


class Keyboard:
    """Tab from control to control, remembering each one the focus lands on."""

    def __init__(self, page):
        self.page = page
        self.visited = []

    def tab_to(self, target, *, within=8):
        """Press Tab until `target` has the focus; fail if it takes more than `within` presses."""
        for _ in range(within + 1):
            if target.evaluate("(el) => el === document.activeElement"):
                return
            self.page.keyboard.press("Tab")
            self.visited.append(self.page.evaluate(FOCUSED_CONTROL))
        pytest.fail(f"{target} not reached with {within} presses of Tab: {self.visited[-within:]}")

    def type_into(self, target, text, **kwargs):
        self.tab_to(target, **kwargs)
        self.page.keyboard.type(text)

    def choose(self, select, label):
        """Arrow down a focused list until `label` is chosen."""
        for _ in range(select.locator("option").count()):
            if select.evaluate("(el) => el.selectedOptions[0]?.textContent.trim()") == label:
                return
            self.page.keyboard.press("ArrowDown")
        pytest.fail(f"{label} is not in {select}")

    def type_time(self, field, hhmm):
        """Type 10:00 into the focused time box, on a 24-hour clock or a 12-hour one."""
        self.page.keyboard.type(hhmm.replace(":", ""))
        if field.input_value() != hhmm:
            # A 12-hour clock (Chromium with only its English locale) waits for AM or PM.
            self.page.keyboard.type("A" if int(hhmm[:2]) < 12 else "P")
        assert field.input_value() == hhmm

    def type_date(self, field, day):
        """Type a day into the focused date box, part by part (a slash moves to the next)."""
        self.page.keyboard.type(day.strftime("%m/%d/%Y"))
        # Chromium orders the parts by its own locale, not the page's: here only en-US.pak
        # is installed. A Chromium with its Japanese files shows 年/月/日 instead.
        assert field.input_value() == day.isoformat(), (
            f"typed {day:%m/%d/%Y} but got {field.input_value()!r}: this Chromium shows "
            "dates in another order; type the parts in that order"
        )


@pytest.fixture
def grant_world(transactional_db):
    """令和8年度 open for plans, with a tier, two districts and the lists to choose from."""
    program = GrantProgramFactory()
    GrantTierFactory(program=program, min_sessions=12, amount=5000)
    GrantTierFactory(program=program, min_sessions=24, amount=10000)
    districts = [
        DistrictFactory(name="清音", reading="きよね", display_order=1),
        DistrictFactory(name="中央", reading="ちゅうおう", display_order=2),
    ]
    TargetGroupFactory(name="高齢者", slug="elderly")
    TargetGroupFactory(name="どなたでも", slug="anyone")
    SalonActivityTypeFactory(name="体操", slug="exercise")
    SalonActivityTypeFactory(name="茶話会", slug="tea")
    return program, districts


def field(page, name):
    return page.locator(f'#plan-form [name="{name}"]')


def next_step(page, keys, slug, *, first=None, check_order=True):
    """Tab on to 「次へ」 past the step's remaining controls, and press Enter."""
    button = page.locator('#plan-form button[value="next"]')
    keys.tab_to(button, within=40)
    if check_order:
        expected = collapse(page.locator("#plan-form").evaluate(REACHABLE_CONTROLS))
        visited = collapse(keys.visited)
        start = expected.index(first) if first else 0
        assert visited == expected[start : start + len(visited)]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    target = r"/check/$" if slug == "check" else rf"/step/{slug}/$"
    expect(page).to_have_url(re.compile(target))


def test_organiser_sends_a_plan_by_keyboard_and_staff_approve_it(new_context, grant_world):
    program, _districts = grant_world
    staff = UserFactory(username="reviewer", superuser=True)

    # --- the organiser starts at the plan's start page --------------------------------------
    page = new_context().new_page()
    page.goto("/salons/plans/")
    keys = Keyboard(page)
    keys.tab_to(page.get_by_role("link", name="新しく活動計画書を入力する"), within=40)
    # Tab only once the new page has loaded, or the presses land on the old one.
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/salons/plans/new/$"))

    # Step 1, サロンと代表者. 区分: Space chooses 新規, the first of the group.
    expect(page.locator(".plan-steps")).to_contain_text("ステップ 1/6")
    keys.tab_to(page.locator("#id_kind_0"), within=40)
    # From here on, every control of the step must be visited, in order.
    keys.visited = [page.evaluate(FOCUSED_CONTROL)]
    page.keyboard.press("Space")
    expect(page.locator("#id_kind_0")).to_be_checked()
    # サロン: with JavaScript only the part for 新規 stays.
    expect(field(page, "salon")).to_be_hidden()
    keys.type_into(field(page, "salon_name"), "ひだまりサロン")
    keys.type_into(field(page, "salon_reading"), "ひだまりさろん")
    keys.tab_to(field(page, "district"))
    keys.choose(field(page, "district"), "清音")
    keys.tab_to(page.get_by_label("高齢者"))
    page.keyboard.press("Space")
    keys.tab_to(page.get_by_label("体操"))
    page.keyboard.press("Space")
    keys.tab_to(page.get_by_label("茶話会"))
    page.keyboard.press("Space")
    # 代表者
    keys.type_into(field(page, "representative_name"), NAME)
    keys.type_into(field(page, "representative_reading"), "たかはし はなこ")
    keys.type_into(field(page, "representative_phone"), PHONE)
    keys.type_into(field(page, "representative_email"), "hanako@example.jp")
    next_step(page, keys, "schedule")

    # Step 2, 会場と開催の予定. The saved draft holds 毎月, the form's default; Tab
    # enters the group of radios at the chosen one, and the arrows would move on.
    keys.type_into(field(page, "venue_name"), "清音公会堂", within=40)
    keys.visited = [page.evaluate(FOCUSED_CONTROL)]
    keys.tab_to(page.get_by_label("毎月"))
    expect(page.get_by_label("毎月")).to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("不定期")).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(page.get_by_label("毎月")).to_be_checked()
    keys.tab_to(page.get_by_label("第2"))
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
    keys.type_into(field(page, "sessions_planned"), str(SESSIONS))
    next_step(page, keys, "activity", first="venue_name")

    # Step 3, 参加者と活動の内容; then the rest later: 「下書きを保存する」.
    keys.type_into(field(page, "expected_participants"), str(PARTICIPANTS), within=40)
    keys.visited = [page.evaluate(FOCUSED_CONTROL)]
    keys.type_into(field(page, "expected_helpers"), "3")
    keys.type_into(field(page, "content"), "体操のあと、お茶を飲みながらおしゃべりをします。")
    draft_button = page.get_by_role("button", name="下書きを保存する")
    keys.tab_to(draft_button, within=20)
    expected_order = collapse(page.locator("#plan-form").evaluate(REACHABLE_CONTROLS))
    assert collapse(keys.visited) == expected_order[: len(collapse(keys.visited))]
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.get_by_text("下書きを保存しました。")).to_be_visible()
    resume_link = page.locator(".plan-resume__link a").get_attribute("href")
    assert re.fullmatch(r"http://[^/]+/salons/plans/resume/[\w-]+/", resume_link)
    page.reload()  # the link is shown once
    expect(page.locator(".plan-resume")).to_have_count(0)

    # --- later, in a browser that has never seen the plan -----------------------------
    page = new_context().new_page()
    # Playwright catches the file chooser only while something listens for it, and it
    # starts listening without waiting: a listener from the start means a key pressed
    # right after expect_file_chooser() cannot open the chooser before it is caught.
    page.on("filechooser", lambda _chooser: None)
    page.goto(resume_link)
    # It opens at the first step with something missing: the budget.
    expect(page).to_have_url(re.compile(r"/salons/plans/\d+/step/budget/$"))
    expect(page.locator(".plan-steps")).to_contain_text("ステップ 4/6")
    expect(page.locator('.plan-steps [aria-current="step"]')).to_contain_text("予算と活動助成")
    expect(field(page, "requests_grant")).to_be_checked()  # asked for unless unticked

    keys = Keyboard(page)
    # 予算: a list and an amount per line, amounts as people type them.
    lines = [
        ("income-0", "参加費", "１８，０００"),
        ("income-1", "助成金", "17000"),
        ("expense-0", "茶菓代", "20000円"),
        ("expense-1", "材料費", "15,000"),
    ]
    keys.tab_to(field(page, "income-0-item"), within=60)
    for prefix, item, amount in lines:
        keys.tab_to(field(page, f"{prefix}-item"), within=12)
        keys.choose(field(page, f"{prefix}-item"), item)
        keys.type_into(field(page, f"{prefix}-amount"), amount, within=2)
    expect(page.locator('[data-total="income"]')).to_have_text("35,000円")
    expect(page.locator('[data-total="expense"]')).to_have_text("35,000円")
    next_step(page, keys, "files", check_order=False)

    # Step 5, 添付ファイル: Space on the file box opens the chooser, as Enter would.
    keys.tab_to(field(page, "attachments"), within=40)
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(
        files=[{"name": "salon.jpg", "mimeType": "image/jpeg", "buffer": gps_jpeg((400, 300))}]
    )
    next_step(page, keys, "check", check_order=False)

    # The check page: every answer, a 「変更」 link to its step, and the one 「提出する」.
    expect(page.get_by_role("heading", level=1)).to_contain_text("入力内容の確認と提出")
    answers = page.locator(".summary-list")
    expect(answers.first).to_contain_text(NAME)
    expect(answers.first).to_contain_text(normalize_phone(PHONE))
    expect(page.locator(".plan-check-files")).to_contain_text("salon.jpg")
    # The budget claims 17,000円 of 助成金, the rules give more: a warning, not a block.
    expect(page.locator(".plan-warning")).to_contain_text("予算の助成金（17,000円）")
    change = page.get_by_role("link", name=re.compile(r"^変更\s*（代表者の電話番号）$"))
    keys.tab_to(change, within=80)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/step/salon/\?from=check#id_representative_phone_field$"))
    expect(field(page, "representative_phone")).to_have_value(normalize_phone(PHONE))
    # 「確認の画面に戻る」 saves the step and goes straight back to the answers.
    keys = Keyboard(page)
    keys.tab_to(page.get_by_role("button", name="確認の画面に戻る"), within=20)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/check/$"))
    keys = Keyboard(page)
    keys.tab_to(field(page, "consent"), within=120)
    page.keyboard.press("Space")
    keys.tab_to(page.get_by_role("button", name="提出する"))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("活動計画書を受け付けました")
    expect(page.locator(".plan-reference__number")).to_have_text("R8-0001")
    plan = ActivityPlan.objects.get()

    # --- staff review it in the admin ------------------------------------------------------
    admin = new_context().new_page()
    admin.goto(f"/admin/login/?next=/admin/salons/activityplan/{plan.pk}/change/")
    admin.get_by_label("ユーザー名").fill(staff.username)
    admin.get_by_label("パスワード").fill(PASSWORD)
    admin.get_by_role("button", name="ログイン").click()
    for step, label in [(PlanStatus.REVIEWING, "審査中にする"), (PlanStatus.APPROVED, "承認する")]:
        admin.get_by_role("link", name=label, exact=True).click()
        expect(admin.get_by_role("heading", level=1)).to_contain_text(PlanStatus(step).label)
        admin.get_by_role("button", name=label, exact=True).click()
        expect(admin.locator(".messagelist")).to_contain_text(
            f"「{PlanStatus(step).label}」にしました"
        )

    # --- the organiser sees the decision ---------------------------------------------------
    expected = estimate(
        program,
        kind=PlanKind.NEW,
        sessions=SESSIONS,
        participants=PARTICIPANTS,
        first_session_on=FIRST_SESSION,
    )
    assert expected.eligible
    page.goto(f"/salons/plans/{plan.pk}/")
    state = page.get_by_role("region", name="いまの状態")
    expect(state.locator(".lead")).to_have_text("承認")
    expect(state).to_contain_text(f"助成金は{expected.amount:,}円です。")
    expect(page.get_by_role("region", name="活動助成（助成金）")).to_contain_text(
        f"{expected.amount:,}円"
    )

    # --- and what was stored -----------------------------------------------------------------
    plan = ActivityPlan.objects.get()
    assert plan.reference == "R8-0001"
    assert plan.status == PlanStatus.APPROVED
    assert plan.representative_name == NAME
    assert plan.representative_phone == "0866-92-8552"
    assert plan.grant.amount == expected.amount
    attachment = Attachment.objects.get(plan=plan)
    assert "salon" not in attachment.file.name  # a generated name
    with attachment.file.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert not {"exif", "xmp", "comment"} & set(image.info)


# The page notes its buttons as they are once a submit is handled: in a timer set
# after the form's own script set its (which disables the buttons), and timers of
# the same delay run in the order they were set. The note waits in sessionStorage
# for the next page, and the console says when it is written.
BUTTONS_NOTED = "buttons noted"  # what NOTE_BUTTONS_AFTER_SUBMIT logs
NOTE_BUTTONS_AFTER_SUBMIT = """() => {
    const form = document.getElementById("plan-form");
    form.addEventListener("submit", () => window.setTimeout(() => {
        const buttons = [...form.querySelectorAll('button[type="submit"]')].map(
            (b) => ({value: b.value, disabled: b.disabled, text: b.textContent.trim()}));
        sessionStorage.setItem("buttons", JSON.stringify(buttons));
        console.log("buttons noted");
    }, 0));
}"""


def plan_form_filled(page, program):
    """A complete new plan, its steps filled in the quick way (this test is about the
    script), up to the budget step."""
    page.goto("/salons/plans/new/")
    page.get_by_label("新規").check()
    field(page, "salon_name").fill("ひだまりサロン")
    field(page, "salon_reading").fill("ひだまりさろん")
    field(page, "district").select_option(label="清音")
    page.get_by_label("高齢者").check()
    field(page, "representative_name").fill(NAME)
    field(page, "representative_reading").fill("たかはし はなこ")
    field(page, "representative_phone").fill(PHONE)
    field(page, "representative_email").fill("hanako@example.jp")
    page.get_by_role("button", name="次へ", exact=True).click()
    field(page, "venue_name").fill("清音公会堂")
    page.get_by_label("毎月").check()
    page.get_by_label("第2").check()
    field(page, "weekday").select_option(label="水曜日")
    field(page, "starts_at").fill("10:00")
    field(page, "ends_at").fill("12:00")
    field(page, "first_session_on").fill(FIRST_SESSION.isoformat())
    field(page, "last_session_on").fill(LAST_SESSION.isoformat())
    field(page, "sessions_planned").fill(str(SESSIONS))
    page.get_by_role("button", name="次へ", exact=True).click()
    field(page, "expected_participants").fill(str(PARTICIPANTS))
    field(page, "content").fill("体操と茶話会")
    page.get_by_role("button", name="次へ", exact=True).click()
    expect(page).to_have_url(re.compile(r"/step/budget/$"))
    for prefix, item, amount in [("income-0", "参加費", "35000"), ("expense-0", "茶菓代", "35000")]:
        field(page, f"{prefix}-item").select_option(label=item)
        field(page, f"{prefix}-amount").fill(amount)


def test_the_estimate_follows_the_grant_box_and_a_double_click_sends_once(new_context, grant_world):
    program, _districts = grant_world
    page = new_context().new_page()
    plan_form_filled(page, program)
    form_url = page.url
    expected = estimate(
        program,
        kind=PlanKind.NEW,
        sessions=SESSIONS,
        participants=PARTICIPANTS,
        first_session_on=FIRST_SESSION,
    )

    # The box screen readers hear, from the answers of the earlier steps, updated
    # from the server as the grant's box is ticked and unticked.
    box = page.locator("#plan-estimate")
    expect(box).to_have_attribute("aria-live", "polite")
    expect(box.locator(".estimate__amount")).to_have_text(f"{expected.amount:,}円")
    field(page, "requests_grant").uncheck()
    expect(box).to_contain_text("活動助成を申請しないため、計算していません。")
    field(page, "requests_grant").check()
    expect(box.locator(".estimate__amount")).to_have_text(f"{expected.amount:,}円")
    # The totals add up while amounts are typed; nothing was sent.
    amount = field(page, "income-0-amount")
    amount.fill("")
    amount.press_sequentially("３００００")
    expect(page.locator('[data-total="income"]')).to_have_text("30,000円")
    amount.fill("35000")
    assert page.url == form_url
    plan = ActivityPlan.objects.get()
    assert plan.budget_lines.count() == 0
    page.get_by_role("button", name="次へ", exact=True).click()
    page.get_by_role("button", name="次へ（確認の画面へ）").click()
    expect(page).to_have_url(re.compile(r"/check/$"))
    page.get_by_label("個人情報の利用目的に同意します").check()

    # Hold the POST, to count what the page sends, until the page has noted its buttons
    # as they are once the click is handled (Playwright cannot look at a page whose
    # navigation is held, so the page keeps the note for the next one to read). Both
    # arrive as events, and the first POST goes on once both are in: nothing is timed.
    # A second POST would stay held for good, and as a new navigation it would cancel
    # the first: the confirmation would never show, and `held` would count two.
    held, noted, released = [], [], []

    def release_once_noted():
        if held and noted and not released:
            released.append(held[0])
            held[0].fallback()

    def hold(route):
        if route.request.method != "POST":
            route.fallback()
            return
        held.append(route)
        release_once_noted()

    def note(message):
        if message.text == BUTTONS_NOTED:
            noted.append(message)
            release_once_noted()

    page.route("**/salons/plans/*/check/", hold)
    page.on("console", note)
    page.evaluate(NOTE_BUTTONS_AFTER_SUBMIT)
    page.locator('#plan-form button[value="submit"]').dblclick()

    expect(page.get_by_role("heading", level=1)).to_have_text("活動計画書を受け付けました")
    assert len(held) == 1
    plan = ActivityPlan.objects.get()
    assert plan.status == PlanStatus.RECEIVED
    assert plan.history.count() == 1
    # Once clicked, the button was disabled and said so.
    assert page.evaluate("JSON.parse(sessionStorage.getItem('buttons'))") == [
        {"value": "submit", "disabled": True, "text": "送信しています…"},
    ]
