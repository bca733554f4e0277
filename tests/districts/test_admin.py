"""The districts admin through the admin itself: pages load, good input saves,
bad input gets a Japanese error next to the field and saves nothing."""

import datetime

import pytest
from django.apps import apps
from django.urls import reverse

from districts.models import (
    Activity,
    ActivityType,
    District,
    MemberCategory,
    WelfareCommitteeMember,
)
from tests.factories import (
    ActivityFactory,
    ActivityTypeFactory,
    DistrictFactory,
    MemberCategoryFactory,
    WelfareCommitteeMemberFactory,
)

MODELS = ["district", "activitytype", "activity", "membercategory", "welfarecommitteemember"]


@pytest.fixture
def records(db):
    district = DistrictFactory(name="総社", slug="soja")
    ActivityFactory(district=district)
    MemberCategoryFactory()
    WelfareCommitteeMemberFactory(district=district, consented=True)
    return district


@pytest.mark.parametrize("model", MODELS)
def test_changelist_add_and_change_pages_load(superuser, records, model):
    assert superuser.get(reverse(f"admin:districts_{model}_changelist")).status_code == 200
    assert (
        superuser.get(reverse(f"admin:districts_{model}_changelist"), {"q": "総社"}).status_code
        == 200
    )
    assert superuser.get(reverse(f"admin:districts_{model}_add")).status_code == 200
    pk = apps.get_model("districts", model).objects.first().pk
    assert superuser.get(reverse(f"admin:districts_{model}_change", args=[pk])).status_code == 200


def test_admin_pages_are_japanese(superuser, records):
    html = superuser.get(reverse("admin:districts_district_changelist")).content.decode()
    assert "地区社協" in html
    # Natural titles, not Django's word-for-word 「変更する 地区社協 を選択」.
    assert "<h1>地区社協の一覧</h1>" in html and "変更する 地区社協 を選択" not in html


def test_staff_without_permission_cannot_see_districts(staff, records):
    assert staff.get(reverse("admin:districts_district_changelist")).status_code == 403


def test_anonymous_is_sent_to_login(resident, records):
    response = resident.get(reverse("admin:districts_district_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def district_form(**overrides):
    data = {
        "name": "新しい地区",
        "reading": "アタラシイチク",
        "slug": "atarashii",
        "display_order": "5",
        "is_public": "on",
        "summary": "",
        "description": "",
        "area_served": "",
        "contact_name": "",
        "contact_phone": "",
        "contact_email": "",
        "activities-TOTAL_FORMS": "0",
        "activities-INITIAL_FORMS": "0",
        "children-TOTAL_FORMS": "0",
        "children-INITIAL_FORMS": "0",
        "areas-TOTAL_FORMS": "0",
        "areas-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_add_district_normalises_reading_and_phone(superuser, db):
    activity_type = ActivityTypeFactory(name="敬老会")
    response = superuser.post(
        reverse("admin:districts_district_add"),
        district_form(
            contact_phone="０８６６ー９２ー８５５２",
            **{
                "activities-TOTAL_FORMS": "1",
                "activities-0-activity_type": activity_type.pk,
                "activities-0-name": "敬老会",
                "activities-0-season": "9月",
                "activities-0-display_order": "0",
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()
    district = District.objects.get(slug="atarashii")
    assert district.reading == "あたらしいちく"
    assert district.contact_phone == "0866-92-8552"
    assert Activity.objects.get(district=district).season == "9月"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("contact_phone", "12345", "電話番号は0から始まる10桁または11桁"),
        ("reading", "新しい", "よみがなは、ひらがなまたはカタカナで入力してください。"),
        ("slug", "activities", "このURL名は使えません。"),
        ("slug", "日本語", "半角"),
        ("name", "", "このフィールドは必須です。"),
        ("contact_email", "not-an-email", "有効なメールアドレスを入力してください。"),
    ],
)
def test_bad_district_input_is_refused_in_japanese(superuser, records, field, value, message):
    before = District.objects.count()
    response = superuser.post(
        reverse("admin:districts_district_add"), district_form(**{field: value})
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'aria-invalid="true"' in html
    assert District.objects.count() == before
    # What was typed is kept.
    if value:
        assert f'value="{value}"' in html or f">{value}<" in html


def test_district_cannot_be_its_own_grandparent(superuser, records):
    child = DistrictFactory(name="軽部", slug="karube", parent=records)
    response = superuser.post(
        reverse("admin:districts_district_add"), district_form(parent=child.pk)
    )
    assert "小地区社協の下に、さらに小地区社協は置けません。" in response.content.decode()
    response = superuser.post(
        reverse("admin:districts_district_change", args=[records.pk]),
        district_form(name="総社", slug="soja", parent=DistrictFactory().pk),
    )
    assert "小地区社協をもつ地区社協は" in response.content.decode()
    records.refresh_from_db()
    assert records.parent is None


def member_form(district, **overrides):
    data = {
        "name": "山﨑 花子",
        "reading": "やまさき はなこ",
        "district": district.pk,
        "area_covered": "中央1区",
        "role": "member",
        "term_start": "2025-04-01",
        "term_end": "2028-03-31",
        "phone": "",
        "email": "",
        "consent_date": "",
    }
    data.update(overrides)
    return data


def test_add_member_keeps_variant_characters(superuser, records):
    response = superuser.post(
        reverse("admin:districts_welfarecommitteemember_add"),
        member_form(records, consent_date="2025-04-10", publish_name="on"),
    )
    assert response.status_code == 302
    member = WelfareCommitteeMember.objects.get(reading="やまさき はなこ")
    assert member.name == "山﨑 花子"
    assert member.publish_name


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"publish_name": "on"},
            "公開する項目を選ぶときは、公開に同意を得た日を入力してください。",
        ),
        ({"term_end": "2020-01-01"}, "任期の終了日は開始日より後にしてください。"),
        ({"term_start": "2025-13-01"}, "年・月・日の順に入力してください。"),
        ({"phone": "090-1234"}, "電話番号は0から始まる10桁または11桁"),
        ({"consent_date": "2999-01-01"}, "同意を得た日に未来の日付は入力できません。"),
        ({"role": "boss"}, "正しく選択してください。"),
    ],
)
def test_bad_member_input_is_refused_in_japanese(superuser, records, overrides, message):
    before = WelfareCommitteeMember.objects.count()
    response = superuser.post(
        reverse("admin:districts_welfarecommitteemember_add"), member_form(records, **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert WelfareCommitteeMember.objects.count() == before


def test_failed_edit_leaves_the_record_as_it_was(superuser, records):
    member = WelfareCommitteeMember.objects.get()
    before = (member.name, member.phone)
    response = superuser.post(
        reverse("admin:districts_welfarecommitteemember_change", args=[member.pk]),
        member_form(records, name="変更後", phone="abc", term_start=str(datetime.date(2020, 4, 1))),
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert (member.name, member.phone) == before


def test_a_sub_district_page_offers_no_sub_districts(superuser, records):
    child = DistrictFactory(name="軽部", slug="karube", parent=records)
    html = superuser.get(
        reverse("admin:districts_district_change", args=[child.pk])
    ).content.decode()
    assert 'id="children-group"' not in html
    parent_html = superuser.get(
        reverse("admin:districts_district_change", args=[records.pk])
    ).content.decode()
    assert 'id="children-group"' in parent_html


def test_activity_type_saves_and_refuses_a_bad_slug(superuser, db):
    url = reverse("admin:districts_activitytype_add")
    data = {"name": "給食サービス", "slug": "kyushoku", "description": "", "display_order": "1"}
    assert superuser.post(url, data).status_code == 302
    response = superuser.post(url, {**data, "name": "配食", "slug": "給食"})
    assert response.status_code == 200
    assert "半角" in response.content.decode()
    response = superuser.post(url, {**data, "slug": "other"})
    assert "この 名称 を持った 活動の種類 が既に存在します。" in response.content.decode()
    assert ActivityType.objects.count() == 1


def test_activity_saves_and_requires_a_type(superuser, records):
    url = reverse("admin:districts_activity_add")
    activity_type = ActivityTypeFactory()
    data = {
        "district": records.pk,
        "activity_type": activity_type.pk,
        "name": "秋は集まろう会",
        "description": "",
        "season": "秋",
        "display_order": "0",
    }
    assert superuser.post(url, data).status_code == 302
    before = Activity.objects.count()
    response = superuser.post(url, {**data, "activity_type": ""})
    assert "このフィールドは必須です。" in response.content.decode()
    assert Activity.objects.count() == before


def test_member_category_saves_and_refuses_a_duplicate(superuser, db):
    url = reverse("admin:districts_membercategory_add")
    assert superuser.post(url, {"name": "老人クラブ", "display_order": "0"}).status_code == 302
    response = superuser.post(url, {"name": "老人クラブ", "display_order": "1"})
    assert response.status_code == 200
    assert "既に存在します" in response.content.decode()
    assert MemberCategory.objects.count() == 1
