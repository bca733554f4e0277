"""axe-core and the error states of the salon forms, as a screen reader or a phone meets them.

tests/browser/test_accessibility.py checks every page a GET reaches. The forms
matter most once something is wrong, so here each is sent wrong first (with
the keyboard) and then checked: the error summary is announced, every field at
fault says so (aria-invalid) and points at its message (aria-describedby), and
axe finds nothing, in the default look and in black at 特大.
"""

import re

import pytest
from playwright.sync_api import expect

from salons.models import ActivityPlan, PlanStatus
from salons.services import submit_plan, transition
from tests.browser.test_accessibility import RUN_AXE, axe_options, describe
from tests.factories import (
    ActivityPlanFactory,
    DistrictFactory,
    GrantProgramFactory,
    GrantTierFactory,
    SalonActivityTypeFactory,
    SalonFactory,
    TargetGroupFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

PHONE = "0866-92-8552"

# Each field showing an error: its controls marked invalid, and described by
# ids that exist, one of them its own error message. Returns what is wrong.
FIELD_ERRORS_ARE_TIED = """() => {
    const problems = [];
    const fields = document.querySelectorAll("main .field--error");
    if (!fields.length) problems.push("no field shows an error");
    for (const field of fields) {
        const controls = [...field.querySelectorAll(
            "input:not([type=hidden]), select, textarea")];
        for (const control of controls) {
            const invalid = control.getAttribute("aria-invalid");
            if (invalid !== "true") problems.push(`${control.id}: aria-invalid=${invalid}`);
        }
        const described = [...controls, ...field.querySelectorAll("fieldset")]
            .filter((el) => el.hasAttribute("aria-describedby"))
            .flatMap((el) => el.getAttribute("aria-describedby").trim().split(/\\s+/));
        for (const id of described) {
            if (!document.getElementById(id)) problems.push(`${field.id}: no element #${id}`);
        }
        const toError = described.some((id) => {
            const el = document.getElementById(id);
            return el && field.contains(el) && el.classList.contains("field__errors");
        });
        if (!toError) problems.push(`${field.id}: aria-describedby misses its error message`);
    }
    for (const link of document.querySelectorAll("#error-summary a[href^='#']")) {
        if (!document.getElementById(link.hash.slice(1))) {
            problems.push(`summary links to a missing ${link.hash}`);
        }
    }
    return problems;
}"""


@pytest.fixture
def salon_states(transactional_db):
    """令和8年度 open, a salon to list, and plans returned, approved and left unbalanced."""
    program = GrantProgramFactory()
    GrantTierFactory(program=program)
    district = DistrictFactory(name="清音", reading="きよね")
    elderly = TargetGroupFactory(name="高齢者", slug="koreisha")
    tea = SalonActivityTypeFactory(name="茶話会", slug="sawakai")
    clerk = UserFactory(username="clerk", staff=True)

    def salon():
        # One plan a salon a 年度.
        return SalonFactory(district=district, target_groups=[elderly], activity_types=[tea])

    def sent():
        plan = submit_plan(
            ActivityPlanFactory(program=program, salon=salon(), representative_phone=PHONE)
        )
        transition(plan, PlanStatus.REVIEWING, actor=clerk)
        return plan

    returned = transition(
        sent(), PlanStatus.RETURNED, actor=clerk, reason="会場の住所を書いてください。"
    )
    approved = transition(sent(), PlanStatus.APPROVED, actor=clerk)
    unbalanced = ActivityPlanFactory(
        program=program,
        salon=salon(),
        budget=[("income", "参加費", 18000), ("expense", "茶菓代", 20000)],
    )
    unbalanced.target_groups.set([elderly])
    token = unbalanced.issue_draft_token()
    ActivityPlan.objects.filter(pk=unbalanced.pk).update(
        draft_token_hash=unbalanced.draft_token_hash
    )
    return {"returned": returned, "approved": approved, "resume": f"/salons/plans/resume/{token}/"}


def press(page, button_name):
    """Send a form the keyboard way: focus its button, press Enter, wait for the answer."""
    page.get_by_role("button", name=button_name, exact=True).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def check_errors_are_announced(page):
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    # Focus is on the summary when the page has loaded (no script moves it), so
    # the next Tab goes to its first link; and it is announced.
    expect(summary).to_be_focused()
    assert summary.get_attribute("role") == "alert", page.url
    problems = page.evaluate(FIELD_ERRORS_ARE_TIED)
    assert not problems, f"{page.url}: {problems}"


def look_up(page, reference, contact):
    page.goto("/salons/plans/status/")
    page.get_by_label("受付番号").fill(reference)
    page.get_by_label("電話番号またはメールアドレス").fill(contact)
    press(page, "状況を確認する")


@pytest.mark.parametrize(("theme", "size"), [("white", "standard"), ("black", "xlarge")])
def test_salon_forms_in_their_states_have_no_axe_violations(
    theme, size, axe_context, live_server, salon_states
):
    axe_context.add_cookies(
        [
            {"name": "theme", "value": theme, "url": live_server.url},
            {"name": "text_size", "value": size, "url": live_server.url},
        ]
    )
    page = axe_context.new_page()
    violations_by_state = {}

    def check(state):
        classes = page.evaluate("[...document.documentElement.classList]")
        assert {f"size-{size}", f"theme-{theme}"} <= set(classes), state
        violations = page.evaluate(RUN_AXE, axe_options(theme, size))
        if violations:
            violations_by_state[f"{state} ({page.url})"] = violations

    page.goto("/salons/plans/new/")
    check("活動計画書, first step blank")
    page.get_by_label("電話番号").fill("abc")
    press(page, "次へ")
    check_errors_are_announced(page)
    expect(page.locator("#error-summary")).to_contain_text("電話番号は0から始まる")
    check("活動計画書, a step refusing what was typed")

    # The unbalanced draft opens at its budget step; its check page refuses to send it.
    page.goto(salon_states["resume"])
    expect(page).to_have_url(re.compile(r"/step/budget/$"))
    check("活動計画書, budget step with the estimate")
    page.goto(page.url.replace("/step/budget/", "/check/"))
    check("活動計画書, check page")
    press(page, "提出する")
    check_errors_are_announced(page)  # the consent, the one field on this page
    expect(page.locator("#error-summary")).to_contain_text("同意が必要です")
    check("活動計画書, check page without the consent")
    page.get_by_label("個人情報の利用目的に同意します").check()
    press(page, "提出する")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("合っていません")
    # The line leads to the step where the budget is.
    expect(summary.get_by_role("link")).to_have_attribute(
        "href", re.compile(r"/step/budget/\?from=check$")
    )
    check("活動計画書, check page with an unbalanced budget")

    page.goto("/salons/plans/status/")
    press(page, "状況を確認する")
    check_errors_are_announced(page)
    check("status lookup, sent empty")
    look_up(page, "R8-0999", PHONE)
    expect(page.locator("#error-summary")).to_contain_text("確認できませんでした")
    check("status lookup, not found")

    returned, approved = salon_states["returned"], salon_states["approved"]
    look_up(page, returned.reference, PHONE)
    expect(page).to_have_url(f"{live_server.url}/salons/plans/{returned.pk}/")
    expect(page.get_by_role("link", name="修正して再提出する")).to_be_visible()
    check("plan page, returned")
    look_up(page, approved.reference, PHONE)
    expect(page).to_have_url(f"{live_server.url}/salons/plans/{approved.pk}/")
    check("plan page, approved")

    page.goto(f"/salons/plans/{approved.pk}/report/")
    check("実績報告, blank")
    press(page, "実績報告を提出する")
    check_errors_are_announced(page)
    check("実績報告, sent empty")

    page.goto("/salons/?district=nowhere&weekday=someday&q=" + "あ" * 101)
    check("salon list, bad filters")

    assert not violations_by_state, (
        f"axe violations in 背景色 {theme}, 文字サイズ {size}:\n{describe(violations_by_state)}"
    )


def test_plan_form_fits_320_px_without_scrolling_sideways(new_context, live_server, salon_states):
    context = new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(salon_states["resume"])
    check_url = page.url.replace("/step/budget/", "/check/")
    for size in ("standard", "xlarge"):
        context.add_cookies([{"name": "text_size", "value": size, "url": live_server.url}])
        states = {"first step": "/salons/plans/new/", "budget step": salon_states["resume"]}
        for state, url in states.items():
            page.goto(url)
            assert_no_sideways_scroll(page, f"{size}, {state}")
        page.goto(check_url)
        press(page, "提出する")  # the longest state: every answer and its messages shown
        assert_no_sideways_scroll(page, f"{size}, check page with errors")


def assert_no_sideways_scroll(page, state):
    widths = page.evaluate(
        "({scroll: document.scrollingElement.scrollWidth,"
        " client: document.scrollingElement.clientWidth})"
    )
    assert widths["scroll"] <= widths["client"], f"{state}: {widths}"
