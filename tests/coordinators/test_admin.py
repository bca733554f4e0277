"""Coordinators and activity logs in the admin itself: a coordinator's own logs first,
bad data refused in Japanese with nothing saved, photos cleaned, CSV exports."""

import csv
import datetime
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from coordinators.models import ActivityLog, ActivityLogPhoto, Coordinator, LogKind, Visibility
from shakyo_portal.backoffice.admin_mixins import ADMIN_PARTIAL_DATE_MESSAGE
from shakyo_portal.staff.roles import Role
from tests.factories import (
    ActivityLogFactory,
    CoordinatorFactory,
    DistrictFactory,
    LifeAreaFactory,
    UserFactory,
    role_user,
)
from tests.salons.crafted import gps_jpeg, upload

LOG_ADD = reverse("admin:coordinators_activitylog_add")
LOG_LIST = reverse("admin:coordinators_activitylog_changelist")
COORDINATOR_ADD = reverse("admin:coordinators_coordinator_add")


def management_data(html):
    """The inline formsets' management fields, as the page rendered them."""
    return dict(
        re.findall(
            r'<input type="hidden" name="([\w-]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"'
            r' value="(\d+)"',
            html,
        )
    )


def log_form(client, coordinator, /, **overrides):
    html = client.get(LOG_ADD).content.decode()
    data = {
        **management_data(html),
        # No photo rows: the blank ones the page offers would need their defaults sent back.
        "photos-TOTAL_FORMS": "0",
        "coordinator": coordinator.pk,
        "date": "2026-11-02",
        "date_precision": "day",
        "starts_at": "",
        "ends_at": "",
        "place": "",
        "kind": LogKind.CONSULTATION,
        "title": "買い物の相談",
        "narrative": "車の運転をやめた方から相談を受けました。",
        "district": "",
        "life_area": "",
        "resource": "",
        "consultations": "２",
        "referrals": "",
        "participants": "0",
        "visibility": Visibility.INTERNAL,
        "staff_notes": "",
    }
    data.update(overrides)
    return data


def coordinator_user(username="fujii", **kwargs):
    user = role_user(Role.COORDINATOR, username=username)
    return user, CoordinatorFactory(user=user, **kwargs)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def changelist_titles(client, **params):
    html = client.get(LOG_LIST, params).content.decode()
    return re.findall(r'<td class="field-title"><a href="[^"]+">([^<]+)</a>', html)


# --- pages ----------------------------------------------------------------------------------


def test_every_admin_page_loads(superuser, db):
    coordinator = CoordinatorFactory(life_areas=[LifeAreaFactory()])
    log = ActivityLogFactory(coordinator=coordinator, district=DistrictFactory())
    for url in [
        reverse("admin:coordinators_coordinator_changelist"),
        COORDINATOR_ADD,
        reverse("admin:coordinators_coordinator_change", args=[coordinator.pk]),
        LOG_LIST,
        LOG_ADD,
        reverse("admin:coordinators_activitylog_change", args=[log.pk]),
        f"{LOG_LIST}?fiscal_year=2026&mine=1&kind=consultation&visibility=internal",
        f"{LOG_LIST}?q=見守り&date__year=2026",
    ]:
        response = superuser.get(url)
        assert response.status_code == 200, url


def test_japanese_names_and_help(superuser, db):
    html = superuser.get(LOG_ADD).content.decode()
    for text in ["活動記録を追加", "相談件数", "専門機関へのつなぎ件数", "職員メモ（非公開）",
                 "公開すると、件名・内容・件数・写真が「活動報告」としてだれでも読めます。",
                 "写っている方の了承を得てください"]:  # fmt: skip
        assert text in html, text


# --- a coordinator's own logs ---------------------------------------------------------------


def test_a_coordinator_sees_their_own_logs_first(db):
    user, mine = coordinator_user()
    other = CoordinatorFactory()
    ActivityLogFactory(
        coordinator=other, title="他の人の新しい記録", date=datetime.date(2026, 11, 1)
    )
    ActivityLogFactory(coordinator=mine, title="自分の古い記録", date=datetime.date(2025, 4, 1))
    ActivityLogFactory(coordinator=mine, title="自分の新しい記録", date=datetime.date(2026, 10, 1))
    client = client_for(user)
    assert changelist_titles(client) == ["自分の新しい記録", "自分の古い記録", "他の人の新しい記録"]
    assert changelist_titles(client, mine="1") == ["自分の新しい記録", "自分の古い記録"]
    # Someone who is no coordinator sees them by date.
    viewer = role_user(Role.READER, username="other-viewer")
    assert changelist_titles(client_for(viewer))[0] == "他の人の新しい記録"


def test_a_new_log_starts_as_the_coordinators_and_records_who_typed_it(db):
    user, mine = coordinator_user()
    client = client_for(user)
    html = client.get(LOG_ADD).content.decode()
    assert re.search(rf'<option value="{mine.pk}" selected>', html)
    response = client.post(LOG_ADD, log_form(client, mine))
    assert response.status_code == 302, response.content.decode()[:2000]
    log = ActivityLog.objects.get()
    assert (log.created_by, log.consultations, log.referrals) == (user, 2, 0)
    assert log.visibility == Visibility.INTERNAL


def test_view_on_site_only_for_published_logs(superuser, db):
    internal = ActivityLogFactory()
    published = ActivityLogFactory(published=True)
    html = superuser.get(reverse("admin:coordinators_activitylog_change", args=[internal.pk]))
    assert "サイト上で表示" not in html.content.decode()
    html = superuser.get(reverse("admin:coordinators_activitylog_change", args=[published.pk]))
    assert "サイト上で表示" in html.content.decode()


def test_the_year_filter(superuser, db):
    ActivityLogFactory(title="令和7年度の記録", date=datetime.date(2026, 3, 31))
    ActivityLogFactory(title="令和8年度の記録", date=datetime.date(2026, 4, 1))
    assert changelist_titles(superuser, fiscal_year="2025") == ["令和7年度の記録"]
    html = superuser.get(LOG_LIST).content.decode()
    assert "令和8年度（2026年度）" in html and "令和7年度（2025年度）" in html
    # A value that is no year shows the list unfiltered, as the admin does.
    response = superuser.get(LOG_LIST, {"fiscal_year": "令和8"})
    assert response.status_code == 302 and "e=1" in response["Location"]


# --- bad data -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"consultations": "-3"}, "consultations", "0以上の数で入力してください。"),
        ({"referrals": "ー1"}, "referrals", "0以上の数で入力してください。"),
        ({"participants": "たくさん"}, "participants", "半角または全角の数字で入力してください。"),
        ({"participants": "100001"}, "participants", "参加者数は100,000人以下で入力してください。"),
        ({"date": "2099-01-01"}, "date", "活動日に未来の日付は入力できません。"),
        ({"date": "きのう"}, "date", ADMIN_PARTIAL_DATE_MESSAGE),
        ({"title": ""}, "title", "件名を入力してください。"),
        ({"narrative": ""}, "narrative", "内容を入力してください。"),
        ({"kind": ""}, "kind", "活動の種類を選んでください。"),
    ],
)
def test_bad_logs_are_refused_in_japanese_and_nothing_is_saved(
    superuser, db, overrides, field, message
):
    coordinator = CoordinatorFactory()
    data = log_form(superuser, coordinator, **overrides)
    response = superuser.post(LOG_ADD, data)
    assert response.status_code == 200
    html = response.content.decode()
    errors = response.context["adminform"].form.errors
    assert errors[field] == [message]
    assert message in html
    # What was typed is still there.
    assert "車の運転をやめた方から相談を受けました。" in html or field == "narrative"
    assert ActivityLog.objects.count() == 0


def test_a_date_outside_the_coordinators_period_is_refused(superuser, db):
    coordinator = CoordinatorFactory(display_name="退任", active_until=datetime.date(2025, 3, 31))
    response = superuser.post(LOG_ADD, log_form(superuser, coordinator))
    assert "活動日が退任さんの担当の期間" in response.content.decode()
    assert ActivityLog.objects.count() == 0


def test_a_district_outside_the_life_area_is_refused(superuser, db):
    area = LifeAreaFactory(name="総社中学校区", districts=[DistrictFactory()])
    outside = DistrictFactory(name="清音")
    response = superuser.post(
        LOG_ADD,
        log_form(superuser, CoordinatorFactory(), district=outside.pk, life_area=area.pk),
    )
    assert "清音は総社中学校区に含まれていません。" in response.content.decode()
    assert ActivityLog.objects.count() == 0


# --- photos ---------------------------------------------------------------------------------


def photo_data(image, alt_text):
    return {
        "photos-TOTAL_FORMS": "1",
        "photos-0-image": image,
        "photos-0-alt_text": alt_text,
        "photos-0-caption": "",
        "photos-0-display_order": "0",
    }


def test_a_photo_needs_a_description_and_is_cleaned_of_its_location(superuser, db):
    coordinator = CoordinatorFactory()
    data = log_form(
        superuser, coordinator, **photo_data(upload("IMG_0001.JPG", gps_jpeg(), "image/jpeg"), "")
    )
    response = superuser.post(LOG_ADD, data)
    assert (
        "写真の説明を入力してください（画面の読み上げで伝わります）。" in response.content.decode()
    )
    assert ActivityLog.objects.count() == 0

    data = log_form(
        superuser,
        coordinator,
        **photo_data(upload("IMG_0001.JPG", gps_jpeg(), "image/jpeg"), "会議の様子"),
    )
    response = superuser.post(LOG_ADD, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    photo = ActivityLogPhoto.objects.get()
    assert "IMG_0001" not in photo.image.name
    with photo.image.open() as stored:
        image = Image.open(stored)
        assert not dict(image.getexif())
        assert image.size == (20, 40)  # turned upright


def test_a_file_that_is_no_photo_is_refused(superuser, db):
    data = log_form(
        superuser,
        CoordinatorFactory(),
        **photo_data(upload("photo.jpg", b"<html>hi</html>", "image/jpeg"), "説明"),
    )
    response = superuser.post(LOG_ADD, data)
    assert "「photo.jpg」は使えない形式です。" in response.content.decode()
    assert ActivityLog.objects.count() == 0


# --- coordinators ---------------------------------------------------------------------------


def coordinator_form(**overrides):
    data = {
        "display_name": "藤井 健太",
        "reading": "フジイ ケンタ",
        "kind": "living_support",
        "layer": "2",
        "is_public": "on",
        "display_order": "0",
        "active_from": "2024-04-01",
        "active_until": "",
        "photo_alt": "",
        "message": "",
        "office": "",
        "user": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"active_until": "2024-03-31"},
            "active_until",
            "担当の終了日は開始日より後にしてください。",
        ),
        ({"display_name": ""}, "display_name", "表示名を入力してください。"),
        ({"layer": ""}, "layer", "層を選んでください。"),
    ],
)
def test_bad_coordinators_are_refused(superuser, db, overrides, field, message):
    response = superuser.post(COORDINATOR_ADD, coordinator_form(**overrides))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [message]
    assert "フジイ ケンタ" in response.content.decode() or field == "reading"
    assert Coordinator.objects.count() == 0


def test_a_coordinators_photo_needs_a_description(superuser, db):
    photo = upload("me.jpg", gps_jpeg(), "image/jpeg")
    response = superuser.post(COORDINATOR_ADD, coordinator_form(photo=photo))
    assert response.context["adminform"].form.errors["photo_alt"] == [
        "写真を載せるときは、写真の説明を入力してください。"
    ]
    assert Coordinator.objects.count() == 0
    photo.seek(0)
    response = superuser.post(COORDINATOR_ADD, coordinator_form(photo=photo, photo_alt="藤井さん"))
    assert response.status_code == 302
    coordinator = Coordinator.objects.get()
    assert coordinator.reading == "ふじい けんた"
    with coordinator.photo.open() as stored:
        assert not dict(Image.open(stored).getexif())


# --- CSV ------------------------------------------------------------------------------------


def export(client, action, logs):
    response = client.post(
        LOG_LIST,
        {"action": action, "_selected_action": [log.pk for log in logs], "index": "0"},
    )
    assert response.status_code == 200, response.content.decode()[:500]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return response, list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


def test_logs_csv_holds_everything_staff_need(superuser, db):
    coordinator = CoordinatorFactory(display_name="藤井 健太")
    internal = ActivityLogFactory(
        coordinator=coordinator, title='=HYPERLINK("x")', staff_notes="次回12/3", consultations=3
    )
    published = ActivityLogFactory(
        coordinator=coordinator, published=True, date=datetime.date(2025, 5, 1)
    )
    response, rows = export(superuser, "export_logs", [internal, published])
    assert "attachment;" in response["Content-Disposition"]
    assert rows[0][:6] == ["番号", "活動日", "年度", "コーディネーター", "活動の種類", "件名"]
    assert [row[0] for row in rows[1:]] == [str(published.pk), str(internal.pk)]
    by_pk = {row[0]: row for row in rows[1:]}
    row = by_pk[str(internal.pk)]
    assert row[2] == "令和8年度"
    assert row[5] == '\'=HYPERLINK("x")'  # never a formula in Excel
    assert row[8] == "3"
    assert row[12] == "内部記録（職員のみ）"
    assert row[14] == "次回12/3"


def test_insights_csv_counts_exactly_by_year(superuser, db):
    soja = DistrictFactory(name="総社")
    day = datetime.date
    logs = [
        ActivityLogFactory(district=soja, consultations=2, referrals=1, date=day(2026, 5, 1)),
        ActivityLogFactory(district=soja, consultations=1, referrals=0, date=day(2026, 6, 1)),
        ActivityLogFactory(kind=LogKind.LAUNCH, consultations=0, referrals=0, date=day(2025, 6, 1)),
    ]
    _, rows = export(superuser, "export_insights", logs)
    assert rows[0] == INSIGHTS_HEADER
    # Exact, small counts included: this is for staff.
    assert ["令和8年度", "地区・圏域", "総社", "2", "3", "1", "0", "0"] in rows
    assert ["令和8年度", "合計", "合計", "2", "3", "1", "0", "0"] in rows
    assert ["令和7年度", "活動の種類", "立ち上げ支援", "1", "0", "0", "0", "1"] in rows
    assert rows.index(["令和7年度", "合計", "合計", "1", "0", "0", "0", "1"]) < rows.index(
        ["令和8年度", "合計", "合計", "2", "3", "1", "0", "0"]
    )


INSIGHTS_HEADER = [
    "年度",
    "集計の単位",
    "項目",
    "記録数",
    "相談件数",
    "専門機関へのつなぎ件数",
    "参加者数",
    "立ち上げ支援",
]


def test_exports_need_the_export_right(db):
    """閲覧のみ reads the logs but never takes their personal data away as a file."""
    log = ActivityLogFactory()
    data = {"action": "export_logs", "_selected_action": [log.pk], "index": "0"}
    nobody = client_for(UserFactory(username="nobody", staff=True))
    assert nobody.post(LOG_LIST, data).status_code == 403
    reader = client_for(role_user(Role.READER, username="viewer"))
    response = reader.post(LOG_LIST, data)
    # The action is not offered to them: the list comes back, and no file.
    assert response.status_code == 200 and "Content-Disposition" not in response
    assert response["Content-Type"].startswith("text/html")
    office = client_for(role_user(Role.OFFICE, username="office"))
    response = office.post(LOG_LIST, data)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
