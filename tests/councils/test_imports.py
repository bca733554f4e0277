"""協議体 from a spreadsheet through the admin: the 日常生活圏域 by its name, the
meeting rule as the admin's form reads it, and every bad row named."""

import datetime

import pytest

from councils.models import Council, Layer, MeetingRule
from shakyo_portal.staff.roles import Role
from tests.districts.csv_helpers import (
    ImportPages,
    client_for,
    csv_bytes,
    errors_by_number,
    rows_by_number,
)
from tests.factories import CouncilFactory, LifeAreaFactory, role_user

COUNCILS = ImportPages("councils", "council")
HEADER = [
    "名称",
    "愛称",
    "よみがな",
    "URL名",
    "層",
    "日常生活圏域",
    "目的",
    "定例会の決まり",
    "第何週",
    "曜日",
    "開催する月",
    "開始時刻",
    "終了時刻",
]


@pytest.fixture
def office(db):
    return client_for(role_user(Role.OFFICE))


@pytest.fixture
def west(db):
    return LifeAreaFactory(name="総社西中学校区", slug="soja-nishi")


def test_councils_are_read_as_staff_write_them(office, west):
    content = csv_bytes(
        [
            HEADER,
            [
                "生活支援体制整備推進会議",
                "",
                "せいかつしえん",
                "",
                "第1層",
                "",
                "市全域の支え合いを話し合います。",
                "毎月第N曜日",
                "３",
                "火曜日",
                "",
                "１０：００",
                "12時",
            ],
            [
                "西部地区協議体",
                "いい輪ネット西",
                "せいぶ",
                "seibu",
                "第2層（日常生活圏域）",
                "総社西中学校区",
                "圏域の困りごとを話し合います。",
                "月末の曜日",
                "",
                "月曜日",
                "５、７、９月",
                "",
                "",
            ],
        ],
        encoding="cp932",
    )

    checked = COUNCILS.upload(office, content)

    assert errors_by_number(checked) == {}
    assert [row.action_label for row in checked.context["result"].rows] == ["追加", "追加"]
    COUNCILS.confirm(office, checked)
    city = Council.objects.get(name="生活支援体制整備推進会議")
    assert (city.layer, city.life_area, city.slug) == (Layer.CITY, None, "seikatsushien")
    assert (city.meeting_rule, city.meeting_week, city.meeting_weekday) == (
        MeetingRule.NTH_WEEKDAY,
        3,
        1,
    )
    assert (city.meeting_starts_at, city.meeting_ends_at) == (
        datetime.time(10),
        datetime.time(12),
    )
    area = Council.objects.get(slug="seibu")
    assert (area.nickname, area.layer, area.life_area) == ("いい輪ネット西", Layer.AREA, west)
    # The admin's own form stores the months as it always does.
    assert area.meeting_months == "5,7,9"


def test_bad_council_rows_are_named_and_nothing_is_saved(office, west):
    CouncilFactory(name="既存の協議体", slug="taken", life_area=west)
    other = CouncilFactory(name="別の協議体", slug="other", life_area=west)
    row = ["名", "", "めい", "", "第2層", "総社西中学校区", "目的", "不定期", "", "", "", "", ""]

    def changed(**cells):
        values = dict(zip(HEADER, row, strict=True))
        values.update(cells)
        return [values.get(column, "") for column in ["ID", *HEADER]]

    content = csv_bytes(
        [
            ["ID", *HEADER],
            changed(名称="良い協議体", URL名="good"),
            changed(名称="", URL名="noname"),
            changed(名称="圏域不明", URL名="unknown-area", 日常生活圏域="どこか中学校区"),
            changed(ID=str(other.pk), 名称="別の協議体", URL名="taken"),
            changed(名称="圏域なし", URL名="no-area", 日常生活圏域=""),
            changed(名称="時刻誤り", URL名="bad-time", 開始時刻="25:00"),
            changed(名称="時刻逆", URL名="reversed", 開始時刻="12:00", 終了時刻="10:00"),
            changed(名称="月誤り", URL名="months", 開催する月="13月"),
        ]
    )

    response = COUNCILS.upload(office, content)

    assert errors_by_number(response) == {
        3: ["名称: 入力してください。"],
        4: [
            "日常生活圏域: 「どこか中学校区」という日常生活圏域が見つかりません。"
            "圏域名かURL名で入力してください。"
        ],
        5: ["URL名: ほかの協議体が使っています。別のURL名にしてください。"],
        6: ["日常生活圏域: 第2層の協議体には日常生活圏域を選んでください。"],
        7: ["開始時刻: 時刻は「10:00」のように入力してください。"],
        8: ["終了時刻: 終了時刻は開始時刻より後にしてください。"],
        9: ["開催する月: 開催する月は1〜12の数字をカンマで区切って入力してください（例: 5,7,9）。"],
    }
    assert rows_by_number(response)[2].action_label == "追加"
    COUNCILS.confirm(office, response)
    assert sorted(Council.objects.values_list("slug", flat=True)) == ["other", "taken"]


def test_a_coordinator_who_keeps_councils_cannot_import_them(db, west):
    # A コーディネーター changes their areas' councils but adds none: no import.
    client = client_for(role_user(Role.COORDINATOR))
    assert client.get(COUNCILS.url).status_code == 403
    assert client.get(COUNCILS.template_url).status_code == 403
