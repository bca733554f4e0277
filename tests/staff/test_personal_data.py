"""個人情報の開示・削除: finding a person across the portal, the disclosure
file, and anonymising or deleting their records with their history."""

import csv
import io
import json
import re

import pytest
from django.urls import reverse

from news.models import Registration
from salons.models import ActivityPlan, PlanStatus
from shakyo_portal.staff import audit
from shakyo_portal.staff.roles import Role
from tests.factories import ActivityPlanFactory, WelfareCommitteeMemberFactory, role_user
from tests.news.factories import AccommodationFactory, RegistrationFactory

SEARCH = reverse("admin:personal_data")
ACT = reverse("admin:personal_data_act")

NAME, READING, PHONE, EMAIL = "山田 太郎", "やまだ たろう", "090-1234-5678", "taro@example.jp"
# The same person as the office typed them on another day.
OTHER_PHONE_FORM = "09012345678"


@pytest.fixture
def taro(db):
    """One person in three kinds of records, each changed once so the history
    holds their old values, and someone else with similar data."""
    registration = RegistrationFactory(
        name=NAME, reading=READING, phone="090-9999-0000", email=EMAIL, note="車いすで伺います"
    )
    registration.accommodations.set([AccommodationFactory(name="車いす席")])
    registration.phone = PHONE
    registration.save()
    member = WelfareCommitteeMemberFactory(
        name="山田太郎", reading="やまだたろう", phone=OTHER_PHONE_FORM, email=""
    )
    member.area_covered = "中央3区"
    member.save()
    plan = ActivityPlanFactory(
        representative_name=NAME,
        representative_reading=READING,
        representative_phone=PHONE,
        representative_email=EMAIL,
        representative_address="総社市中央3丁目3-3",
        status=PlanStatus.RECEIVED,
    )
    other = RegistrationFactory(
        event=registration.event,
        name="佐藤 次郎",
        reading="さとう じろう",
        phone="080-1111-2222",
        email="jiro@example.jp",
    )
    return {"registration": registration, "member": member, "plan": plan, "other": other}


def picks(*objs):
    return [f"{obj._meta.label_lower}:{obj.pk}" for obj in objs]


def history_text() -> str:
    """Every audit entry, as the JSON a database dump would hold."""
    rows = audit.LogEntry.objects.values(
        "object_repr", "changes", "changes_text", "serialized_data", "additional_data"
    )
    return json.dumps(list(rows), ensure_ascii=False)


# --- who may ----------------------------------------------------------------------


def test_office_staff_are_refused_every_page(taro, client):
    client.force_login(role_user(Role.OFFICE))
    assert client.get(SEARCH, {"name": "山田"}).status_code == 403
    response = client.post(
        ACT, {"action": "disclose", "pick": picks(taro["registration"]), "reason": "受付第1号"}
    )
    assert response.status_code == 403
    assert not audit.LogEntry.objects.filter(action=audit.LogEntry.Action.ACCESS).exists()


def test_the_admin_role_reaches_the_page(taro, client):
    client.force_login(role_user(Role.ADMIN))
    response = client.get(SEARCH, {"name": "山田"})
    assert response.status_code == 200
    assert f'value="{picks(taro["registration"])[0]}"' in response.content.decode()


def test_anonymous_visitors_are_sent_to_login(client, db):
    response = client.get(SEARCH)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_actions_take_only_post(superuser):
    assert superuser.get(ACT).status_code == 405


# --- finding ------------------------------------------------------------------------


def test_a_name_finds_the_person_in_every_kind(superuser, taro):
    response = superuser.get(SEARCH, {"name": "山田太郎"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "行事の申込（1件）" in html
    assert "福祉委員（1件）" in html
    assert "活動計画書の代表者（1件）" in html
    for obj in (taro["registration"], taro["member"], taro["plan"]):
        assert f'value="{picks(obj)[0]}"' in html
    assert "佐藤" not in html


def test_a_reading_in_katakana_finds_the_person(superuser, taro):
    html = superuser.get(SEARCH, {"name": "ヤマダ タロウ"}).content.decode()
    assert f'value="{picks(taro["registration"])[0]}"' in html
    assert f'value="{picks(taro["member"])[0]}"' in html


def test_a_phone_typed_full_width_finds_every_grouping(superuser, taro):
    html = superuser.get(SEARCH, {"phone": "０９０ー１２３４ー５６７８"}).content.decode()
    for obj in (taro["registration"], taro["member"], taro["plan"]):
        assert f'value="{picks(obj)[0]}"' in html
    assert f'value="{picks(taro["other"])[0]}"' not in html


def test_an_email_finds_the_person(superuser, taro):
    html = superuser.get(SEARCH, {"email": "TARO@example.jp"}).content.decode()
    assert f'value="{picks(taro["registration"])[0]}"' in html
    assert f'value="{picks(taro["plan"])[0]}"' in html
    assert f'value="{picks(taro["member"])[0]}"' not in html


def test_an_empty_or_wrong_search_says_what_to_fix(superuser, taro):
    html = superuser.get(SEARCH, {"name": "", "phone": ""}).content.decode()
    assert "氏名・よみがな、電話番号、メールアドレスのどれかを入力してください。" in html
    html = superuser.get(SEARCH, {"phone": "12345"}).content.decode()
    assert "電話番号は0から始まる10桁または11桁の数字で入力してください" in html
    assert 'name="pick"' not in html


def test_nothing_found_says_so(superuser, taro):
    html = superuser.get(SEARCH, {"name": "鈴木"}).content.decode()
    assert "一致する記録は見つかりませんでした。" in html


# --- disclosure ---------------------------------------------------------------------


def test_the_disclosure_file_holds_their_data_and_nobody_elses(superuser, superuser_user, taro):
    chosen = (taro["registration"], taro["member"], taro["plan"])
    response = superuser.post(
        ACT, {"action": "disclose", "pick": picks(*chosen), "reason": "開示請求 受付第12号"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["種類", "記録の番号", "記録", "項目", "内容"]
    values = {(row[0], row[3]): row[4] for row in rows[1:]}
    assert values["行事の申込", "電話番号"] == PHONE
    assert values["行事の申込", "必要な配慮"] == "車いす席"
    assert values["福祉委員", "氏名"] == "山田太郎"
    assert values["活動計画書の代表者", "代表者の住所"] == "総社市中央3丁目3-3"
    assert "佐藤" not in text and "jiro@example.jp" not in text

    entries = audit.LogEntry.objects.filter(additional_data__event="disclosure")
    assert entries.count() == 3
    entry = entries.get(content_type__model="registration")
    assert entry.actor == superuser_user
    assert entry.additional_data["reason"] == "開示請求 受付第12号"
    assert entry.additional_data["pks"] == [str(taro["registration"].pk)]


def test_a_disclosure_needs_a_reason_and_a_record(superuser, taro):
    response = superuser.post(
        ACT, {"action": "disclose", "pick": picks(taro["registration"]), "name": "山田"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "依頼の受付番号や理由を書いてください。" in html
    # The search is shown again with the choice kept.
    assert re.search(rf'value="{picks(taro["registration"])[0]}" id="[^"]+" checked>', html)

    response = superuser.post(ACT, {"action": "disclose", "reason": "受付第1号", "name": "山田"})
    assert "対象の記録を1件以上選んでください。" in response.content.decode()
    assert not audit.LogEntry.objects.filter(additional_data__event="disclosure").exists()


@pytest.mark.parametrize(
    "pick, message",
    [
        ("auth.user:1", "選んだ記録が正しくありません。"),
        ("news.registration:abc", "選んだ記録が正しくありません。"),
        ("news.registration:999999", "選んだ記録の一部が見つかりません"),
    ],
)
def test_a_tampered_or_stale_choice_is_refused(superuser, taro, pick, message):
    response = superuser.post(ACT, {"action": "delete", "pick": [pick], "reason": "受付第1号"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Registration.objects.count() == 2


# --- anonymising and deleting ---------------------------------------------------------


def test_anonymising_asks_first_and_says_what_will_happen(superuser, taro):
    data = {"action": "anonymise", "pick": picks(taro["plan"]), "reason": "削除依頼 受付第3号"}
    response = superuser.post(ACT, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "活動計画書の代表者（1件）を匿名化します" in html
    assert "代表者の氏名・代表者の氏名のよみがな・代表者の電話番号" in html
    assert "受付番号・状態・予算・助成額は、会計と統計のために残します。" in html
    taro["plan"].refresh_from_db()
    assert taro["plan"].representative_name == NAME


def test_anonymising_keeps_the_row_and_erases_the_person_everywhere(
    superuser, superuser_user, taro
):
    registration = taro["registration"]
    assert NAME in history_text() and "090-9999-0000" in history_text()
    response = superuser.post(
        ACT,
        {
            "action": "anonymise",
            "pick": picks(registration, taro["plan"]),
            "reason": "削除依頼 受付第3号",
            "confirmed": "1",
            "name": "山田",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{SEARCH}?name=%E5%B1%B1%E7%94%B0"

    registration.refresh_from_db()
    assert (registration.name, registration.reading) == ("削除済み", "さくじょずみ")
    assert (registration.phone, registration.email, registration.note) == ("", "", "")
    assert not registration.accommodations.exists()
    assert registration.people == 1 and registration.event_id == taro["other"].event_id
    plan = ActivityPlan.objects.get(pk=taro["plan"].pk)
    assert plan.representative_name == "削除済み" and plan.representative_address == ""
    assert plan.status == PlanStatus.RECEIVED and plan.budget_totals() == (35000, 35000)

    # Neither the row's history nor any other entry still holds the old values.
    text = history_text()
    for old in (NAME, READING, PHONE, "090-9999-0000", EMAIL, "車いすで伺います", "中央3丁目"):
        assert old not in text
    assert "（削除済み）" in text
    # The other person and the welfare member were not touched.
    assert "佐藤 次郎" in text and "中央3区" in text

    entry = audit.LogEntry.objects.get(
        additional_data__event="anonymise", content_type__model="registration"
    )
    assert entry.additional_data["reason"] == "削除依頼 受付第3号"
    assert entry.additional_data["pks"] == [str(registration.pk)]
    assert audit.describe(entry)["actor"] == superuser_user.get_username()
    # The history page of the row still renders for the 管理者.
    url = reverse("admin:news_registration_history", args=[registration.pk])
    page = superuser.get(url).content.decode()
    assert "（削除済み）" in page and NAME not in page


def test_deleting_removes_what_may_go_and_anonymises_the_rest(superuser, taro):
    registration, plan, member = taro["registration"], taro["plan"], taro["member"]
    data = {
        "action": "delete",
        "pick": picks(registration, plan, member),
        "reason": "削除依頼 受付第4号",
    }
    html = superuser.post(ACT, data).content.decode()
    assert "行事の申込（1件）を削除します" in html
    assert "福祉委員（1件）を削除します" in html
    # Plans hold accounting records: the confirmation says they are kept.
    assert "活動計画書の代表者（1件）を匿名化します" in html

    response = superuser.post(ACT, {**data, "confirmed": "1"})
    assert response.status_code == 302
    assert not Registration.objects.filter(pk=registration.pk).exists()
    assert not type(member).objects.filter(pk=member.pk).exists()
    assert ActivityPlan.objects.get(pk=plan.pk).representative_email == ""
    text = history_text()
    for old in (NAME, "山田太郎", PHONE, EMAIL, "中央3区"):
        assert old not in text
    events = set(
        audit.LogEntry.objects.filter(additional_data__reason="削除依頼 受付第4号").values_list(
            "additional_data__event", flat=True
        )
    )
    assert events == {"delete", "anonymise"}
    follow = superuser.get(response["Location"]).content.decode()
    assert "行事の申込 1件を削除" in follow
