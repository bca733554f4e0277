"""コーディネーター from a spreadsheet through the admin: their 日常生活圏域 and
地区社協 by name, dates as people write them, every bad row named."""

import datetime

import pytest

from coordinators.models import Coordinator
from shakyo_portal.staff.roles import Role
from tests.districts.csv_helpers import (
    ImportPages,
    client_for,
    csv_bytes,
    errors_by_number,
    rows_by_number,
)
from tests.factories import CoordinatorFactory, DistrictFactory, LifeAreaFactory, role_user

COORDINATORS = ImportPages("coordinators", "coordinator")
HEADER = [
    "表示名",
    "よみがな",
    "種類",
    "層",
    "担当する日常生活圏域",
    "担当する地区社協",
    "担当の開始日",
    "担当の終了日",
]


@pytest.fixture
def office(db):
    return client_for(role_user(Role.OFFICE))


@pytest.fixture
def areas(db):
    return (
        LifeAreaFactory(name="総社西中学校区", slug="soja-nishi"),
        LifeAreaFactory(name="総社東中学校区", slug="soja-higashi"),
    )


def test_coordinators_with_their_areas_and_dates(office, areas):
    kiyone = DistrictFactory(name="清音", slug="kiyone")
    existing = CoordinatorFactory(
        display_name="山田 花子", reading="やまだ はなこ", life_areas=[areas[0]]
    )
    content = csv_bytes(
        [
            HEADER,
            [
                "山田 花子",
                "ヤマダ ハナコ",
                "生活支援コーディネーター",
                "第2層",
                "総社西中学校区、総社東中学校区",
                "",
                "2024/4/1",
                "令和8年3月31日",
            ],
            ["鈴木", "すずき", "CSW", "第2層", "", "清音", "R6.4.1", ""],
        ]
    )

    checked = COORDINATORS.upload(office, content)

    rows = rows_by_number(checked)
    assert [rows[2].action_label, rows[3].action_label] == ["更新", "追加"]
    html = checked.content.decode()
    assert "担当する日常生活圏域: 総社西中学校区 → 総社西中学校区、総社東中学校区" in html
    assert "担当の終了日: （空欄） → 令和8年3月31日" in html
    COORDINATORS.confirm(office, checked)
    existing.refresh_from_db()
    assert set(existing.life_areas.all()) == set(areas)
    assert existing.active_until == datetime.date(2026, 3, 31)
    suzuki = Coordinator.objects.get(display_name="鈴木")
    assert (suzuki.kind, suzuki.active_from) == ("csw", datetime.date(2024, 4, 1))
    assert list(suzuki.districts.all()) == [kiyone]
    assert list(suzuki.life_areas.all()) == []


def test_bad_coordinator_rows_are_named_and_nothing_is_saved(office, areas):
    content = csv_bytes(
        [
            HEADER,
            ["良い 人", "よい", "CSW", "第2層", "総社西中学校区", "", "2024/4/1", ""],
            ["", "なし", "CSW", "第2層", "", "", "", ""],
            ["圏域 不明", "ふめい", "CSW", "第2層", "総社西中学校区、どこか", "", "", ""],
            ["日付 誤り", "ひづけ", "CSW", "第2層", "", "", "2024/2/30", ""],
            ["期間 逆", "きかん", "CSW", "第2層", "", "", "2025/4/1", "2024/3/31"],
            ["種類 不明", "しゅるい", "相談員", "", "", "", "", ""],
            ["良い 人", "よい", "CSW", "第2層", "", "", "", ""],
        ]
    )

    response = COORDINATORS.upload(office, content)

    assert errors_by_number(response) == {
        3: ["表示名: 入力してください。"],
        4: [
            "担当する日常生活圏域: 「どこか」という日常生活圏域が見つかりません。"
            "圏域名かURL名で入力してください。"
        ],
        5: [
            "担当の開始日: 「2024/2/30」という日付はありません。"
            "日付は「2026/4/1」「2026-04-01」「令和8年4月1日」のように入力してください。"
        ],
        6: ["担当の終了日: 担当の終了日は開始日より後にしてください。"],
        7: [
            "種類: 「生活支援コーディネーター」「地域福祉コーディネーター」"
            "「CSW（コミュニティソーシャルワーカー）」のどれかで入力してください。",
            "層: 入力してください。",
        ],
        8: ["2行目と同じコーディネーターです。1人1行にしてください。"],
    }
    COORDINATORS.confirm(office, response)
    assert Coordinator.objects.count() == 0


def test_the_coordinator_lists_own_export_reads_back_unchanged(office, areas):
    CoordinatorFactory(life_areas=[areas[1]], active_until=datetime.date(2027, 3, 31))
    export = office.post(
        COORDINATORS.changelist_url,
        {
            "action": "export_csv",
            "_selected_action": list(Coordinator.objects.values_list("pk", flat=True)),
        },
    )
    assert export.status_code == 200

    response = COORDINATORS.upload(office, export.content)

    # The photo and the login columns are read past, not refused.
    assert [row.action_label for row in response.context["result"].rows] == ["変更なし"]


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.READER])
def test_roles_that_may_not_add_coordinators_cannot_import_them(db, role):
    client = client_for(role_user(role))
    assert client.get(COORDINATORS.url).status_code == 403
    assert client.post(COORDINATORS.confirm_url, {"token": "x"}).status_code == 403
