"""A 地区担当 on their own: two-factor login, an edit of their district's
welfare member, a refused guess at another district's member, and 管理者
finding the change in the record's history under the 地区担当's name."""

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from districts.models import WelfareCommitteeMember
from shakyo_portal.staff.roles import Role
from tests.factories import (
    DistrictFactory,
    UserFactory,
    WelfareCommitteeMemberFactory,
    role_user,
)

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def log_in(page, username, device=None):
    page.goto("/admin/login/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    if device is not None:
        code = page.get_by_label("確認コード", exact=False)
        code.fill(current_code(device))
        page.get_by_role("button", name="確認してログイン").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


@pytest.fixture
def district_world(db):
    north = DistrictFactory(name="北地区", slug="kita")
    south = DistrictFactory(name="南地区", slug="minami")
    mine = WelfareCommitteeMemberFactory(name="北野 花子", district=north, phone="0866-11-2222")
    other = WelfareCommitteeMemberFactory(name="南田 次郎", district=south)
    staff = role_user(
        Role.DISTRICT, districts=[north], username="kita", last_name="北川", first_name="担当"
    )
    device = TOTPDevice.objects.create(user=staff, name="スマートフォン", confirmed=True)
    UserFactory(username="kanri", superuser=True)
    return {"mine": mine, "other": other, "staff": staff, "device": device}


def test_district_staff_edit_their_member_and_the_change_is_in_the_history(
    new_context, district_world
):
    mine, other = district_world["mine"], district_world["other"]
    page = new_context().new_page()

    # Password alone does not open the admin: the six digits are asked for.
    log_in(page, "kita", device=district_world["device"])
    page.goto("/admin/districts/welfarecommitteemember/")
    expect(page.get_by_role("link", name="北野 花子")).to_be_visible()
    expect(page.get_by_text("南田 次郎")).to_have_count(0)

    page.get_by_role("link", name="北野 花子").click()
    page.get_by_role("textbox", name="電話番号").fill("0866-99-8888")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("変更しました")
    mine.refresh_from_db()
    assert mine.phone == "0866-99-8888"

    # Guessing the other district's member by its number shows nothing of it.
    page.goto(f"/admin/districts/welfarecommitteemember/{other.pk}/change/")
    expect(page.get_by_text("南田 次郎")).to_have_count(0)
    expect(page.locator(".messagelist")).to_be_visible()
    assert WelfareCommitteeMember.objects.get(pk=other.pk).name == "南田 次郎"

    # 管理者, in a browser of their own, sees who changed what.
    boss = new_context().new_page()
    log_in(boss, "kanri")
    boss.goto(f"/admin/districts/welfarecommitteemember/{mine.pk}/change/")
    boss.get_by_role("link", name="変更履歴").click()
    history = boss.locator("#content-main")
    expect(history).to_contain_text("北川 担当")
    expect(history).to_contain_text("0866-11-2222")
    expect(history).to_contain_text("0866-99-8888")
