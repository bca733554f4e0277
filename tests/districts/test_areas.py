"""The 町名 each district serves: kept in the admin (inline and CSV), listed in
50音 order on /districts/areas/, and shown on the district's page."""

import re

import pytest
from django.urls import reverse

from districts.models import District, DistrictArea
from shakyo_portal.staff.roles import Role
from tests.districts.csv_helpers import ImportPages, client_for, csv_bytes, errors_by_number
from tests.factories import DistrictFactory, OfficeFactory, role_user

INDEX = "/districts/areas/"
AREAS = ImportPages("districts", "districtarea")
HEADER = ["地区社協", "町名・大字", "よみがな", "補足", "表示順"]


def area(district, name, reading, note="", order=0):
    return DistrictArea.objects.create(
        district=district, name=name, reading=reading, note=note, display_order=order
    )


@pytest.fixture
def misu(db):
    return DistrictFactory(name="三須", reading="みす", slug="misu")


@pytest.fixture
def kiyone(db):
    return DistrictFactory(name="清音", reading="きよね", slug="kiyone")


# --- the admin ------------------------------------------------------------------------


def district_form(district, **rows):
    data = {
        "name": district.name,
        "reading": district.reading,
        "slug": district.slug,
        "display_order": str(district.display_order),
        "is_public": "on",
        "summary": district.summary,
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
    data.update(rows)
    return data


def test_the_admin_inline_adds_an_area_with_its_reading_in_hiragana(superuser, misu):
    url = reverse("admin:districts_district_change", args=[misu.pk])
    page = superuser.get(url).content.decode()
    assert "対象区域の町名" in page and 'name="areas-0-name"' in page

    response = superuser.post(
        url,
        district_form(
            misu,
            **{
                "areas-TOTAL_FORMS": "1",
                "areas-0-name": "上林",
                "areas-0-reading": "カンバヤシ",
                "areas-0-note": "",
                "areas-0-display_order": "１０",
            },
        ),
    )

    assert response.status_code == 302, response.content.decode()
    added = DistrictArea.objects.get(district=misu)
    assert (added.name, added.reading, added.town, added.display_order) == (
        "上林",
        "かんばやし",
        "上林",
        10,
    )


def test_a_town_in_another_district_needs_a_note_and_what_was_typed_stays(superuser, misu, kiyone):
    area(kiyone, "久代", "くしろ")
    url = reverse("admin:districts_district_change", args=[misu.pk])
    rows = {
        "areas-TOTAL_FORMS": "1",
        "areas-0-name": "久代",
        "areas-0-reading": "くしろ",
        "areas-0-note": "",
        "areas-0-display_order": "0",
    }

    response = superuser.post(url, district_form(misu, **rows))

    html = response.content.decode()
    assert response.status_code == 200
    assert "「久代」は清音地区にも登録されています。" in html
    assert 'value="久代"' in html
    assert not DistrictArea.objects.filter(district=misu).exists()

    rows["areas-0-note"] = "東部"
    assert superuser.post(url, district_form(misu, **rows)).status_code == 302
    assert DistrictArea.objects.get(district=misu).label == "久代（東部）"


def test_a_reading_that_is_not_kana_is_refused_in_japanese(superuser, misu):
    response = superuser.post(
        reverse("admin:districts_district_change", args=[misu.pk]),
        district_form(
            misu,
            **{
                "areas-TOTAL_FORMS": "1",
                "areas-0-name": "上林",
                "areas-0-reading": "上林",
                "areas-0-display_order": "0",
            },
        ),
    )
    assert "よみがなは、ひらがなまたはカタカナで入力してください。" in response.content.decode()
    assert not DistrictArea.objects.exists()


def test_the_area_list_and_its_pages_load(superuser, misu):
    area(misu, "三須", "みす")
    assert superuser.get(reverse("admin:districts_districtarea_changelist")).status_code == 200
    assert (
        superuser.get(reverse("admin:districts_districtarea_changelist"), {"q": "三須"}).status_code
        == 200
    )
    assert superuser.get(reverse("admin:districts_districtarea_add")).status_code == 200


# --- the CSV import -------------------------------------------------------------------


@pytest.fixture
def office(db):
    return client_for(role_user(Role.OFFICE))


def test_a_council_loads_its_list_of_towns_at_once(office, misu, kiyone):
    rows = [
        HEADER,
        ["三須", "三須", "みす", "", "10"],
        ["misu", "上林", "かんばやし", "", "20"],
        ["清音", "清音軽部", "キヨネカルベ", "", "10"],
        ["清音", "中央一丁目〜三丁目", "ちゅうおう", "", "20"],
    ]
    checked = AREAS.upload(office, csv_bytes(rows))
    assert checked.status_code == 200
    assert "追加: 4件" in checked.content.decode()
    assert not DistrictArea.objects.exists()

    assert AREAS.confirm(office, checked).status_code == 302

    saved = {a.name: a for a in DistrictArea.objects.select_related("district")}
    assert saved["上林"].district == misu
    assert saved["清音軽部"].reading == "きよねかるべ"
    assert saved["中央一丁目〜三丁目"].town == "中央"


def test_a_bad_row_is_refused_in_japanese_and_keeps_what_was_there(office, misu):
    area(misu, "三須", "みす")
    rows = [
        HEADER,
        ["三須", "上林", "かんばやし", "", "10"],
        ["どこにもない地区", "下林", "しもばやし", "", "20"],
        ["三須", "下林", "下林", "", "30"],
    ]
    checked = AREAS.upload(office, csv_bytes(rows))

    html = checked.content.decode()
    errors = errors_by_number(checked)
    assert set(errors) == {3, 4}
    assert "どこにもない地区" in " ".join(errors[3])
    assert "よみがなは、ひらがなまたはカタカナで入力してください。" in " ".join(errors[4])
    assert "エラーの行があるため、取り込めません。" in html
    assert list(DistrictArea.objects.values_list("name", flat=True)) == ["三須"]


# --- the index page -------------------------------------------------------------------


def index_towns(html):
    """The 町名 in the order the page lists them, each with the 行 heading above it."""
    found, gyo = [], None
    for match in re.finditer(
        r'<h2 id="gyo-[a-z]+"[^>]*>(.+?)</h2>|<span class="area-index__town">(.+?)</span>', html
    ):
        if match.group(1):
            gyo = match.group(1)
        else:
            found.append((gyo, re.sub(r"<[^>]+>", "", match.group(2))))
    return found


def test_the_index_lists_every_town_in_50on_order_under_its_gyo(resident, misu, kiyone):
    sub = DistrictFactory(name="清音第1小地区", reading="きよねだいいちしょうちく", parent=kiyone)
    area(misu, "三須", "みす")
    area(misu, "上林", "かんばやし")
    area(kiyone, "久代", "くしろ", note="西部")
    area(misu, "久代", "くしろ", note="東部")
    area(sub, "清音柿木", "きよねかきのき")
    area(misu, "岡谷", "おかだに")
    area(misu, "御所", "ごしょ")  # voiced: after こ and before さ, under か行
    hidden = DistrictFactory(name="非公開", hidden=True)
    area(hidden, "秘密町", "ひみつちょう")

    html = resident.get(INDEX).content.decode()

    assert index_towns(html) == [
        ("あ行", "岡谷"),
        ("か行", "上林"),
        ("か行", "清音柿木"),
        # One 町名 split between two districts: in the districts' order.
        ("か行", "久代（東部）"),
        ("か行", "久代（西部）"),
        ("か行", "御所"),
        ("ま行", "三須"),
    ]
    assert html.count("<h1>") == 1
    # The jump list links the 行 that have towns and names the others without a link.
    assert '<a href="#gyo-a">あ行</a>' in html and '<a href="#gyo-ma">ま行</a>' in html
    assert 'href="#gyo-sa"' not in html and "さ行<span" in html
    # Each leads to its district; a sub-district is named with its parent.
    assert f'<a href="{sub.get_absolute_url()}">清音第1小地区（清音地区）</a>' in html
    assert f'<a href="{misu.get_absolute_url()}">三須地区</a>' in html
    assert "秘密町" not in html


def test_the_index_without_towns_says_so(resident, db):
    html = resident.get(INDEX).content.decode()
    assert "現在、掲載している情報はありません" in html
    assert "gyo-nav" not in html


@pytest.mark.parametrize("many", [3, 60])
def test_the_index_costs_the_same_queries_however_many_towns(
    resident, shell_queries, django_assert_max_num_queries, many
):
    parent = DistrictFactory(name="清音", reading="きよね")
    for n in range(many):
        district = DistrictFactory(parent=parent if n % 2 else None)
        area(district, f"町{n}", "あいうえおかきくけこさしすせそ"[n % 15] + "まち")
    # The shell, then every town with its district and that district's parent.
    with django_assert_max_num_queries(shell_queries + 1):
        html = resident.get(INDEX).content.decode()
    assert html.count('class="area-index__item"') == many


def test_the_district_pages_link_to_the_index(resident, misu):
    assert f'href="{INDEX}">お住まいの町名から探す' in resident.get("/districts/").content.decode()
    assert (
        f'href="{INDEX}">お住まいの町名から探す'
        in resident.get(misu.get_absolute_url()).content.decode()
    )


# --- a district's page ----------------------------------------------------------------


def test_a_district_page_lists_its_towns_and_keeps_the_councils_prose(resident, misu):
    misu.area_served = "三須・上林の各町内会（一部を除く）"
    misu.save()
    area(misu, "上林", "かんばやし", order=20)
    area(misu, "三須", "みす", order=10)
    area(misu, "久代", "くしろ", note="東部", order=30)

    html = resident.get(misu.get_absolute_url()).content.decode()

    section = re.search(r'<section id="areas".*?</section>', html, re.S).group(0)
    assert re.findall(r"<li>(.*?)</li>", section) == ["三須", "上林", "久代（東部）"]
    assert "三須・上林の各町内会（一部を除く）" in section


def test_a_parent_page_lists_its_sub_districts_towns_under_each(resident, kiyone):
    first = DistrictFactory(name="清音第1小地区", parent=kiyone)
    DistrictFactory(name="清音第2小地区", parent=kiyone)  # no towns: no heading
    area(first, "清音柿木", "きよねかきのき")

    html = resident.get(kiyone.get_absolute_url()).content.decode()

    section = re.search(r'<section id="areas".*?</section>', html, re.S).group(0)
    assert f'<a href="{first.get_absolute_url()}">清音第1小地区</a>' in section
    assert "清音第2小地区" not in section
    assert "<li>清音柿木</li>" in section


def test_a_change_of_towns_moves_the_districts_update_day(misu):
    District.objects.filter(pk=misu.pk).update(updated_at="2020-01-01T00:00:00+09:00")
    added = area(misu, "三須", "みす")
    misu.refresh_from_db()
    assert misu.updated_at.year > 2020

    District.objects.filter(pk=misu.pk).update(updated_at="2020-01-01T00:00:00+09:00")
    added.delete()
    misu.refresh_from_db()
    assert misu.updated_at.year > 2020


def test_district_pages_pass_their_update_day_and_office(resident, misu, kiyone):
    misu.office = OfficeFactory(name="三須の窓口")
    misu.save()
    kiyone.office = OfficeFactory(name="清音の窓口")
    kiyone.save()
    sub = DistrictFactory(name="清音第1小地区", parent=kiyone)
    area(misu, "三須", "みす")
    detail = resident.get(misu.get_absolute_url())
    misu.refresh_from_db()
    assert detail.context["page_updated"] == misu.updated_at
    assert detail.context["page_office"] == misu.office
    # A sub-district without an office of its own names its parent's.
    assert resident.get(sub.get_absolute_url()).context["page_office"] == kiyone.office
    for url in ["/districts/", "/districts/activities/", INDEX]:
        assert resident.get(url).context["page_updated"] is not None, url


@pytest.mark.parametrize("many", [2, 40])
def test_a_district_page_lists_its_towns_in_one_query(
    resident, kiyone, shell_queries, django_assert_max_num_queries, many
):
    children = [DistrictFactory(parent=kiyone) for _ in range(3)]
    for n in range(many):
        area([kiyone, *children][n % 4], f"町{n}", "まち")
    # tests/districts/test_district_detail.py counts the page's other queries (9);
    # the towns of the district and of all its sub-districts are one more.
    with django_assert_max_num_queries(shell_queries + 10):
        html = resident.get(kiyone.get_absolute_url()).content.decode()
    assert html.count("<li>町") == many
