"""The one CSV import engine, as staff meet it through the admin: every import an
app declares gets the same pages; a council enters its 31 日常生活圏域 and its
地区社協 from a spreadsheet, checked first, saved whole or not at all, and only
by those who may add and change them."""

import csv
import io

import pytest
from django.urls import reverse

from councils.models import LifeArea
from districts.models import District
from shakyo_portal.backoffice.csv_imports import declared_imports
from shakyo_portal.core import csvimport
from shakyo_portal.staff.roles import Role
from tests.districts.csv_helpers import (
    ImportPages,
    client_for,
    csv_bytes,
    errors_by_number,
    rows_by_number,
)
from tests.factories import (
    DistrictFactory,
    LifeAreaFactory,
    MemberCategoryFactory,
    OfficeFactory,
    role_user,
)

AREAS = ImportPages("councils", "lifearea")
DISTRICTS = ImportPages("districts", "district")

AREA_HEADER = ["圏域名", "よみがな", "URL名", "圏域の種類", "含まれる地区社協"]
# 31 areas, as a city with 31 日常生活圏域 has them (names as that council writes them).
KANA = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほま"
THIRTY_ONE = [(f"{kana}地区圏域", f"{kana}ちく") for kana in KANA]


@pytest.fixture
def office(db):
    return client_for(role_user(Role.OFFICE))


@pytest.fixture
def soja(db):
    return DistrictFactory(name="総社", slug="soja", reading="そうじゃ")


@pytest.fixture
def kiyone(db):
    return DistrictFactory(name="清音", slug="kiyone", reading="きよね")


def thirty_one_rows():
    rows = [AREA_HEADER]
    for number, (name, reading) in enumerate(THIRTY_ONE):
        # The first areas contain districts; every other row leaves the URL名 to the site.
        slug = f"area-{number + 1}" if number % 2 else ""
        districts = {0: "総社", 1: "清音、soja"}.get(number, "")
        rows.append([name, reading, slug, "小学校区", districts])
    return rows


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp932"])
def test_thirty_one_life_areas_are_checked_then_saved(office, soja, kiyone, encoding):
    checked = AREAS.upload(office, csv_bytes(thirty_one_rows(), encoding))

    assert checked.status_code == 200
    html = checked.content.decode()
    assert "日常生活圏域をCSVから取り込む" in html
    assert "追加: 31件" in html
    assert "エラー: 0件" in html
    assert [row.action_label for row in checked.context["result"].rows] == ["追加"] * 31
    assert LifeArea.objects.count() == 0  # the check saved nothing

    done = AREAS.confirm(office, checked)

    assert done.status_code == 302
    assert done["Location"] == AREAS.changelist_url
    assert LifeArea.objects.count() == 31
    # The names as the council wrote them, and where no URL名 was given, one from the reading.
    saved = {area.name: area for area in LifeArea.objects.prefetch_related("districts")}
    assert set(saved) == {name for name, _ in THIRTY_ONE}
    assert saved["あ地区圏域"].slug == "achiku"
    assert saved["い地区圏域"].slug == "area-2"
    assert saved["い地区圏域"].kind == "elementary"
    assert {d.name for d in saved["い地区圏域"].districts.all()} == {"総社", "清音"}
    assert {d.name for d in saved["あ地区圏域"].districts.all()} == {"総社"}
    assert "追加 31件、更新 0件、変更なし 0件" in office.get(AREAS.changelist_url).content.decode()


def test_life_areas_update_by_url_name_and_show_what_changes(office, soja):
    area = LifeAreaFactory(name="総社中学校区", reading="そうじゃ", slug="soja-chu")
    LifeAreaFactory(name="旧総社圏域", reading="そうじゃ", slug="soja")
    content = csv_bytes(
        [
            AREA_HEADER,
            # Found by its URL名: renamed, and given a district.
            ["総社東中学校区", "そうじゃひがし", "soja-chu", "中学校区", "総社"],
            # No URL名, and no area of that name: added.
            ["総社西中学校区", "そうじゃ", "", "中学校区", ""],
            # No URL名: found by its name, and nothing in it changes.
            ["旧総社圏域", "そうじゃ", "", "中学校区", ""],
        ]
    )

    checked = AREAS.upload(office, content)

    rows = rows_by_number(checked)
    assert [rows[n].action_label for n in (2, 3, 4)] == ["更新", "追加", "変更なし"]
    html = checked.content.decode()
    assert "圏域名: 総社中学校区 → 総社東中学校区" in html
    assert "含まれる地区社協: （空欄） → 総社" in html
    AREAS.confirm(office, checked)
    area.refresh_from_db()
    assert area.name == "総社東中学校区"
    assert list(area.districts.all()) == [soja]
    # The new one's URL名 from its reading, past the one already taken.
    assert LifeArea.objects.get(name="総社西中学校区").slug == "soja-2"
    assert LifeArea.objects.count() == 3


def test_bad_life_area_rows_get_their_reasons_and_nothing_is_saved(office, soja):
    LifeAreaFactory(name="既存の圏域", slug="taken")
    other = LifeAreaFactory(name="別の圏域", slug="other")
    content = csv_bytes(
        [
            ["ID", *AREA_HEADER],
            ["", "良い圏域", "よい", "good", "中学校区", "総社"],
            ["", "", "なまえなし", "noname", "中学校区", ""],
            ["", "地区違い", "ちくちがい", "wrong-district", "中学校区", "総社、どこか"],
            # Another area (by its ID) given the URL名 one already has.
            [str(other.pk), "別の圏域", "べつ", "taken", "中学校区", ""],
            ["", "種類違い", "しゅるい", "kind", "市役所区域", ""],
            ["", "よみ違い", "Yomi", "yomi", "中学校区", ""],
            ["", "同じURL名", "おなじ", "good", "小学校区", ""],
        ]
    )

    response = AREAS.upload(office, content)

    assert errors_by_number(response) == {
        3: ["圏域名: 入力してください。"],
        4: [
            "含まれる地区社協: 「どこか」という地区社協が見つかりません。"
            "地区名かURL名で入力してください。"
        ],
        5: ["URL名: ほかの日常生活圏域が使っています。別のURL名にしてください。"],
        6: [
            "圏域の種類: 「中学校区」「小学校区」「地域包括支援センター区域」「地区」"
            "のどれかで入力してください。"
        ],
        7: ["よみがな: よみがなは、ひらがなまたはカタカナで入力してください。"],
        8: ["URL名: 「good」は2行目でも使われています。"],
    }
    html = response.content.decode()
    assert "エラーの行があるため、取り込めません。" in html
    assert "この内容で取り込む" not in html
    AREAS.confirm(office, response)
    assert sorted(LifeArea.objects.values_list("slug", flat=True)) == ["other", "taken"]


@pytest.mark.parametrize("role", [Role.READER, Role.COORDINATOR, Role.DISTRICT])
def test_roles_that_may_not_add_life_areas_cannot_reach_the_import(db, soja, role):
    client = client_for(role_user(role, districts=[soja] if role == Role.DISTRICT else ()))
    changelist = client.get(AREAS.changelist_url)
    if changelist.status_code == 200:
        assert "CSVから取り込む" not in changelist.content.decode()
    for url in (AREAS.url, AREAS.template_url):
        assert client.get(url).status_code == 403
    content = csv_bytes([AREA_HEADER, ["圏域", "けんいき", "k", "中学校区", ""]])
    assert AREAS.upload(client, content).status_code == 403
    assert client.post(AREAS.confirm_url, {"token": "x"}).status_code == 403
    assert LifeArea.objects.count() == 0


def test_the_life_area_template_downloads_with_the_admins_column_names(office):
    changelist = office.get(AREAS.changelist_url).content.decode()
    assert f'<a href="{AREAS.url}">CSVから取り込む</a>' in changelist

    response = office.get(AREAS.template_url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    header = next(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert header == [
        "ID",
        "圏域名",
        "よみがな",
        "URL名",
        "圏域の種類",
        "含まれる地区社協",
        "説明",
        "表示順",
    ]
    page = office.get(AREAS.url).content.decode()
    assert "必ず入れる列: 圏域名、よみがな、圏域の種類" in page
    assert (
        "含まれる地区社協は地区名かURL名で入れます（いくつもあるときは「、」で区切ります）。"
        in page
    )
    assert "URL名が空欄なら、よみがなからつくります" in page


# --- 地区社協 ---------------------------------------------------------------------------

DISTRICT_HEADER = [
    "地区名",
    "よみがな",
    "URL名",
    "上位の地区社協",
    "表示順",
    "公開する",
    "地区社協構成",
    "問合せ窓口（社協）",
]


def test_districts_with_their_parents_categories_and_office(office, soja):
    MemberCategoryFactory(name="民生委員・児童委員")
    MemberCategoryFactory(name="老人クラブ")
    OfficeFactory(name="地域共生推進課")
    content = csv_bytes(
        [
            DISTRICT_HEADER,
            [
                "清音第１小地区",
                "きよねだいいち",
                "",
                "総社",
                "２",
                "",
                "民生委員・児童委員、老人クラブ",
                "",
            ],
            ["山手", "やまて", "yamate", "", "3", "いいえ", "", "地域共生推進課"],
            # The existing district, by its URL名: only its order changes.
            ["総社", "そうじゃ", "soja", "", "1", "", "", ""],
        ],
        encoding="cp932",
    )

    checked = DISTRICTS.upload(office, content)

    rows = rows_by_number(checked)
    assert [rows[n].action_label for n in (2, 3, 4)] == ["追加", "追加", "更新"]
    assert rows[4].changes[0].label == "表示順"
    DISTRICTS.confirm(office, checked)
    child = District.objects.get(name="清音第１小地区")  # as typed, full-width digit and all
    assert (child.parent, child.slug, child.display_order, child.is_public) == (
        soja,
        "kiyonedaiichi",
        2,
        True,
    )
    assert {c.name for c in child.member_categories.all()} == {"民生委員・児童委員", "老人クラブ"}
    yamate = District.objects.get(slug="yamate")
    assert (yamate.is_public, yamate.office.name) == (False, "地域共生推進課")
    soja.refresh_from_db()
    assert soja.display_order == 1


def test_a_district_officer_cannot_import_districts(db, soja):
    # 地区担当 may change their own district but not add one: no import.
    client = client_for(role_user(Role.DISTRICT, districts=[soja]))
    assert "CSVから取り込む" not in client.get(DISTRICTS.changelist_url).content.decode()
    assert client.get(DISTRICTS.url).status_code == 403


def test_the_district_lists_own_export_reads_back_unchanged(office, soja):
    DistrictFactory(name="清音", slug="kiyone", parent=soja, office=OfficeFactory(name="本所"))
    export = office.post(
        DISTRICTS.changelist_url,
        {
            "action": "export_csv",
            "_selected_action": list(District.objects.values_list("pk", flat=True)),
        },
    )
    assert export.status_code == 200

    response = DISTRICTS.upload(office, export.content)

    assert [row.action_label for row in response.context["result"].rows] == ["変更なし"] * 2


# --- every declared import ----------------------------------------------------------------


def test_every_declared_import_has_its_pages_and_button(superuser):
    declared = declared_imports()
    assert {
        "districts.welfarecommitteemember",
        "districts.district",
        "councils.lifearea",
        "councils.council",
        "coordinators.coordinator",
    } <= set(declared)
    for label, declaration in declared.items():
        app_label, model_name = label.split(".")
        pages = ImportPages(app_label, model_name)
        importer = csvimport.importer(declaration)
        assert f'href="{pages.url}"' in superuser.get(pages.changelist_url).content.decode()
        page = superuser.get(pages.url)
        assert page.status_code == 200
        assert importer.title in page.content.decode()
        template = superuser.get(pages.template_url).content.decode("utf-8")
        assert next(csv.reader(io.StringIO(template.removeprefix("\ufeff")))) == importer.header
        # The template read back in is a file with no rows, said in Japanese.
        empty = pages.upload(superuser, template.encode("utf-8"))
        assert "見出しの行のほかに、取り込む行がありません。" in empty.content.decode()


def test_a_model_without_a_declared_import_has_no_import_page(superuser):
    with pytest.raises(Exception, match="Reverse"):
        reverse("admin:districts_activitytype_import")
