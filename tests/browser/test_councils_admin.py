"""会議を追加 in a real browser: choosing the council brings up its members to
tick before anything is saved, ticking adds participant rows in the order
ticked, a guest is typed in a row of its own, and the meeting saves with them
all in that order."""

import pytest
from playwright.sync_api import expect

from councils.models import Meeting
from tests.browser.test_staff_journey import log_in
from tests.factories import CouncilFactory, CouncilMemberFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def councils(transactional_db):
    UserFactory(username="kanri", superuser=True)
    council = CouncilFactory(name="ささえあい会議", reading="ささえあいかいぎ", slug="sasaeai")
    for order, name in enumerate(["地区社協A", "地区社協B", "生協"], start=1):
        CouncilMemberFactory(council=council, organisation=name, display_order=order)
    other = CouncilFactory(name="よその会議", reading="よそのかいぎ", slug="yoso")
    CouncilMemberFactory(council=other, organisation="よその団体")
    return council


def choose_council(page, name):
    page.locator("#id_council + .select2 .select2-selection").click()
    page.locator(".select2-search__field").fill(name)
    page.locator(".select2-results__option", has_text=name).click()


def test_members_come_up_with_the_council_and_save_in_the_order_ticked(new_context, councils):
    page = new_context().new_page()
    log_in(page, "kanri")
    page.goto("/admin/councils/meeting/add/")
    picker = page.locator("fieldset.meeting-member-picker")
    expect(picker).to_contain_text("協議体を選ぶと、ここにその構成員が並びます。")

    choose_council(page, "よその会議")
    expect(picker.get_by_label("よその団体（地域の活動者）")).to_be_visible()
    choose_council(page, "ささえあい会議")  # changed: the other council's members go
    expect(picker.get_by_label("よその団体（地域の活動者）")).to_have_count(0)

    picker.get_by_label("地区社協B（地域の活動者）").check()
    picker.get_by_label("地区社協A（地域の活動者）").check()
    picker.get_by_label("生協（地域の活動者）").check()
    picker.get_by_label("生協（地域の活動者）").uncheck()  # a row added by mistake goes again
    rows = page.locator("#participants-group tr.dynamic-participants:not(.empty-form)")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("select")).to_have_value(
        str(councils.members.get(organisation="地区社協B").pk)
    )

    # A guest for this meeting alone, typed into a row of its own.
    page.locator("#participants-group .add-row a").click()
    expect(rows).to_have_count(3)
    guest = rows.nth(2)
    guest.locator("input[name$='-name']").fill("総社市長寿介護課")
    guest.locator("input[name$='-affiliation']").fill("オブザーバー")
    guest.locator("input[name$='-publish_name']").check()
    guest.locator("input[name$='-display_order']").fill("30")

    page.locator("#id_held_on").fill("2026-12-15")
    page.locator("#id_starts_at").fill("10:00")
    page.locator("#id_ends_at").fill("12:00")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".messagelist")).to_be_visible()

    meeting = Meeting.objects.get()
    assert [str(p) for p in meeting.participants.all()] == [
        "地区社協B",
        "地区社協A",
        "総社市長寿介護課",
    ]
    page.goto(meeting.get_absolute_url())
    participants = page.locator("section", has=page.locator("#participants-heading"))
    expect(participants.locator("li")).to_have_text(
        ["地区社協B", "地区社協A", "総社市長寿介護課（オブザーバー）"]
    )
