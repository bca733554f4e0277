"""/salons/ and each salon's page, as a resident sees them."""

import datetime
import io
import re
from decimal import Decimal

import factory
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from salons.models import ReportStatus, SalonPhoto, SalonScheduleChange, SalonStatus
from shakyo_portal.core.dates import format_date
from tests.factories import (
    ActivityPlanFactory,
    ActivityReportFactory,
    DistrictFactory,
    GrantProgramFactory,
    OfficeFactory,
    SalonActivityTypeFactory,
    SalonFactory,
    SiteProfileFactory,
    TargetGroupFactory,
)


class SalonScheduleChangeFactory(factory.django.DjangoModelFactory):
    """A 休み of a day by default; tests/factories.py is shared, so it lives here."""

    class Meta:
        model = SalonScheduleChange

    kind = "break"
    starts_on = factory.LazyFunction(timezone.localdate)
    ends_on = factory.LazyAttribute(lambda change: change.starts_on)


def main(html):
    """The page's own content, without the shell's navigation and footer."""
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def card_names(html):
    return re.findall(r'<h3 class="card__title"><a href="/salons/\d+/">([^<]+)</a>', html)


@pytest.fixture
def town(db):
    """Two districts (清音 with a sub-district) and salons that differ in every filter."""
    SiteProfileFactory()
    office = OfficeFactory(name="地域共生推進課", phone="0866-92-8552")
    kiyone = DistrictFactory(name="清音", slug="kiyone", office=office)
    karube = DistrictFactory(name="軽部", slug="karube", parent=kiyone)
    soja = DistrictFactory(name="総社", slug="soja")
    hidden = DistrictFactory(name="非公開", slug="hidden", hidden=True)
    elderly = TargetGroupFactory(name="高齢者", slug="koreisha", display_order=1)
    families = TargetGroupFactory(name="子育て", slug="kosodate", display_order=2)
    exercise = SalonActivityTypeFactory(name="体操", slug="taiso", display_order=1)
    crafts = SalonActivityTypeFactory(name="手芸", slug="shugei", display_order=2)
    tea = SalonActivityTypeFactory(name="茶話会", slug="sawakai", display_order=3)
    salons = {
        "ikiiki": SalonFactory(
            name="いきいきサロン清音",
            reading="いきいきさろんきよね",
            district=kiyone,
            weekday=2,
            venue_name="清音公会堂",
            description="百歳体操のあと、お茶を飲みながらおしゃべりします。",
            target_groups=[elderly],
            activity_types=[exercise, tea],
            fee=100,
        ),
        "kodomo": SalonFactory(
            name="ひだまり親子サロン",
            reading="ひだまりおやこさろん",
            district=karube,
            frequency="weekly",
            weekday=4,
            venue_name="軽部集会所",
            description="乳幼児と保護者の集まりです。",
            target_groups=[families],
            activity_types=[crafts],
            fee=0,
            welcomes_newcomers=False,
        ),
        "tokiwa": SalonFactory(
            name="ときわ手芸の会",
            reading="ときわしゅげいのかい",
            district=soja,
            weekday=2,
            venue_name="総社市民会館",
            target_groups=[elderly, families],
            activity_types=[crafts, tea],
            fee=None,
            status=SalonStatus.PAUSED,
        ),
        "closed": SalonFactory(name="終わったサロン", district=soja, status=SalonStatus.CLOSED),
        "hidden": SalonFactory(name="隠れたサロン", district=hidden),
    }
    return {
        "office": office,
        "kiyone": kiyone,
        "karube": karube,
        "soja": soja,
        "hidden": hidden,
        "elderly": elderly,
        **salons,
    }


# The salons of `town` one can go to.
ALL = ["いきいきサロン清音", "ひだまり親子サロン", "ときわ手芸の会"]


def search(client, **params):
    response = client.get("/salons/", params)
    assert response.status_code == 200
    return response.content.decode()


# --- the list -------------------------------------------------------------------------


def test_lists_salons_one_can_go_to(resident, town):
    html = search(resident)
    assert sorted(card_names(html)) == sorted(
        ["いきいきサロン清音", "ひだまり親子サロン", "ときわ手芸の会"]
    )
    assert "3件見つかりました" in html
    assert "<title>ふれあいサロンを探す｜テスト市社協</title>" in html
    assert '<link rel="stylesheet" href="/static/css/salons.css">' in html
    assert main(html).count("<h1>") == 1


def test_a_card_says_when_where_what_for_whom_and_how_much(resident, town):
    town["ikiiki"].last_held_on = datetime.date(2026, 3, 11)
    town["ikiiki"].save()
    html = search(resident, q="いきいき")
    card = main(html).split('class="card salon-card"', 1)[1]
    for text in [
        "いきいきサロン清音",
        "<dd>清音</dd>",
        "毎月第2水曜日 10:00〜12:00",
        "清音公会堂",
        "<dd>高齢者</dd>",
        "<dd>体操、茶話会</dd>",
        "1回100円",
        f"<dt>次回</dt><dd>{format_date(second_wednesday_from(timezone.localdate()))} 10:00〜12:00",
    ]:
        assert text in card, text
    # Last year's 実績報告 date would read as the salon having stopped.
    assert "最終開催" not in card and "令和8年3月11日" not in card
    html = search(resident, q="手芸の会")
    assert '<p class="salon-badge salon-badge--paused">休止中</p>' in html
    assert "お問い合わせください" in html  # fee not set
    assert "最終開催" not in main(html)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ｲｷｲｷ", ["いきいきサロン清音"]),  # half-width katakana, matched on the reading
        ("イキイキ", ["いきいきサロン清音"]),
        ("ひだまり", ["ひだまり親子サロン"]),
        ("ﾋﾀﾞﾏﾘ", ["ひだまり親子サロン"]),
        ("軽部集会所", ["ひだまり親子サロン"]),  # the venue
        ("百歳体操", ["いきいきサロン清音"]),  # the description
        ("サロン　清音", ["いきいきサロン清音"]),  # full-width space: both words
        ("サロン 手芸", []),
        ("  ", ALL),
        ("100%_", []),  # LIKE wildcards are plain characters
    ],
)
def test_free_text_search(resident, town, query, expected):
    assert sorted(card_names(search(resident, q=query))) == sorted(expected)


def test_control_characters_in_the_search_are_dropped(resident, town):
    html = search(resident, q="いき\x00いき\x01\x7f\t")
    assert card_names(html) == ["いきいきサロン清音"]
    assert 'class="error-summary"' not in html


def test_search_keeps_what_was_typed(resident, town):
    html = search(resident, q="ｲｷｲｷ")
    assert 'value="ｲｷｲｷ"' in html
    assert "キーワード「イキイキ」" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"district": "kiyone"}, ["いきいきサロン清音", "ひだまり親子サロン"]),  # + sub-district
        ({"district": "karube"}, ["ひだまり親子サロン"]),
        ({"district": "soja"}, ["ときわ手芸の会"]),
        ({"weekday": "wed"}, ["いきいきサロン清音", "ときわ手芸の会"]),
        ({"weekday": ["wed", "fri"]}, ALL),
        ({"weekday": "mon"}, []),
        ({"target": "koreisha"}, ["いきいきサロン清音", "ときわ手芸の会"]),
        ({"target": ["koreisha", "kosodate"]}, ALL),
        ({"activity": "shugei"}, ["ひだまり親子サロン", "ときわ手芸の会"]),
        ({"activity": ["shugei", "sawakai"]}, ALL),
        ({"newcomers": "on"}, ["いきいきサロン清音", "ときわ手芸の会"]),
        # AND between filters
        ({"target": "koreisha", "activity": "shugei"}, ["ときわ手芸の会"]),
        ({"district": "kiyone", "weekday": "wed", "target": "koreisha"}, ["いきいきサロン清音"]),
        ({"district": "kiyone", "activity": "shugei", "newcomers": "on"}, []),
    ],
)  # fmt: skip
def test_filters(resident, town, params, expected):
    assert sorted(card_names(search(resident, **params))) == sorted(expected)


def test_checked_filters_stay_checked(resident, town):
    html = search(resident, district="karube", weekday=["wed", "fri"], target="koreisha")
    assert re.search(r'<option value="karube" selected>軽部（清音地区）</option>', html)
    assert re.search(r'<input type="checkbox" name="weekday" value="wed"[^>]*checked', html)
    assert re.search(r'<input type="checkbox" name="weekday" value="fri"[^>]*checked', html)
    assert not re.search(r'<input type="checkbox" name="weekday" value="mon"[^>]*checked', html)
    assert re.search(r'<input type="checkbox" name="target" value="koreisha"[^>]*checked', html)
    # The district choices: top-level ones, each followed by its sub-districts; never hidden ones.
    assert '<option value="kiyone">清音（小地区を含む）</option>' in html
    assert 'value="hidden"' not in html


def test_active_filters_each_have_a_link_that_drops_them(resident, town):
    html = search(resident, q="サロン", weekday=["wed", "fri"], target="koreisha", page="2")
    filters = html.split('class="active-filters"', 1)[1].split("</div>", 1)[0]
    assert "キーワード「サロン」" in filters
    assert "曜日: 水曜日" in filters and "曜日: 金曜日" in filters
    assert "対象: 高齢者" in filters
    # Dropping 水曜日 keeps the rest, and starts again at page 1.
    assert 'href="/salons/?q=%E3%82%B5%E3%83%AD%E3%83%B3&amp;weekday=fri&amp;target=koreisha"' in (
        filters
    )
    assert '<a href="/salons/">条件をクリア</a>' in filters


def test_the_title_tells_a_search_from_the_plain_list(resident, town):
    assert "<title>ふれあいサロンの検索結果（2件）｜" in search(resident, weekday="wed")
    assert "<title>入力エラー：ふれあいサロンを探す｜" in search(resident, weekday="x")
    SalonFactory.create_batch(20, district=town["soja"])
    assert "<title>ふれあいサロンを探す（2ページ目）｜" in search(resident, page="2")


def test_no_active_filters_without_conditions(resident, town):
    assert 'class="active-filters"' not in search(resident)


def test_empty_result_says_what_to_do(resident, town):
    html = search(resident, q="存在しないサロン")
    assert "サロンは見つかりませんでした" in html
    assert "この条件に合うサロンはありませんでした" in html
    assert '<a href="/salons/">条件をクリア</a>' in html
    assert 'href="/contact/"' in main(html)


def test_no_salons_at_all(resident, db):
    html = search(resident)
    assert "現在、掲載しているサロンはありません" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"district": "no-such"}, "指定された地区は見つかりませんでした"),
        ({"district": "hidden"}, "指定された地区は見つかりませんでした"),
        ({"weekday": "someday"}, "曜日は一覧から選んでください"),
        ({"weekday": ["wed", "x"]}, "曜日は一覧から選んでください"),
        ({"target": "<script>"}, "対象は一覧から選んでください"),
        ({"activity": "x" * 500}, "活動内容は一覧から選んでください"),
        ({"q": "あ" * 101}, "キーワードは100文字以内で入力してください"),
    ],
)
def test_bad_filter_values_are_explained_not_fatal(resident, town, params, message):
    html = search(resident, **params)
    assert message in html
    assert 'class="error-summary"' in html
    assert 'aria-invalid="true"' in html
    # The bad condition is ignored: every salon is listed.
    assert len(card_names(html)) == 3
    assert "<script>" not in main(html)


def test_a_bad_value_leaves_the_other_conditions_in_force(resident, town):
    html = search(resident, district="nowhere", target="kosodate")
    assert "指定された地区は見つかりませんでした" in html
    assert sorted(card_names(html)) == sorted(["ひだまり親子サロン", "ときわ手芸の会"])


@pytest.mark.parametrize("page", ["2", "999", "abc", "-1", ""])
def test_paginates_keeping_the_filters(resident, town, page):
    SalonFactory.create_batch(25, district=town["soja"], weekday=2, target_groups=[town["elderly"]])
    html = search(resident, weekday="wed", target="koreisha", page=page)
    assert "27件見つかりました" in html
    assert len(card_names(html)) in (20, 7)
    assert "?weekday=wed&amp;target=koreisha&amp;page=" in html


def test_pages_hold_twenty(resident, town):
    SalonFactory.create_batch(25, district=town["soja"])
    first, second = search(resident), search(resident, page="2")
    assert len(card_names(first)) == 20
    assert len(card_names(second)) == 8
    assert "28件中 21〜28件目を表示" in second
    assert "（2ページ目）" in second


def second_wednesday_from(day):
    """Worked out by counting days, not by the code under test."""
    while not (day.weekday() == 2 and (day.day - 1) // 7 == 1):
        day += datetime.timedelta(days=1)
    return day


def test_query_count_does_not_grow_with_the_data(resident, town, django_assert_max_num_queries):
    groups = [town["elderly"], TargetGroupFactory(), TargetGroupFactory()]
    activities = [SalonActivityTypeFactory() for _ in range(4)]

    def make(n):
        for i in range(n):
            district = DistrictFactory(parent=town["kiyone"] if i % 5 == 0 else None)
            salon = SalonFactory(
                district=district,
                weekday=i % 7,
                target_groups=groups[: i % 3 + 1],
                activity_types=activities[: i % 4 + 1],
                last_held_on=datetime.date(2026, 3, 1),
            )
            today = timezone.localdate()
            SalonScheduleChangeFactory.create_batch(
                2, salon=salon, starts_on=today, ends_on=today + datetime.timedelta(days=9)
            )

    # site profile, footer offices, the form's districts, target groups and
    # activity types, the count, the page of salons with districts, and the
    # page's target groups, activity types and 休み・中止
    expected = 10
    make(20)
    with django_assert_max_num_queries(expected):
        resident.get("/salons/")
    make(180)
    for params in [
        {},
        {"page": "3"},
        {"q": "サロン", "district": "kiyone", "weekday": ["mon", "wed"]},
        {"target": [g.slug for g in groups], "activity": activities[0].slug, "newcomers": "1"},
        {"district": "no-such", "weekday": "x"},
    ]:
        with django_assert_max_num_queries(expected):
            response = resident.get("/salons/", params)
        assert response.status_code == 200


def test_pages_are_read_only(resident, town):
    assert resident.post("/salons/", {"q": "x"}).status_code == 405
    assert resident.post(town["ikiiki"].get_absolute_url()).status_code == 405
    assert resident.head("/salons/").status_code == 200


# --- one salon ------------------------------------------------------------------------


@pytest.fixture
def photo(town, settings):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, "PNG")
    return SalonPhoto.objects.create(
        salon=town["ikiiki"],
        image=SimpleUploadedFile("x.png", buffer.getvalue(), content_type="image/png"),
        alt_text="公会堂で体操をする参加者",
    )


def test_the_salon_page_says_when_where_what_and_for_whom(resident, town, photo):
    salon = town["ikiiki"]
    salon.schedule_note = "8月はお休み"
    salon.venue_address = "総社市清音上中島1-1"
    salon.latitude, salon.longitude = Decimal("34.650000"), Decimal("133.750000")
    salon.save()
    html = resident.get(salon.get_absolute_url()).content.decode()
    body = main(html)
    for text in [
        "<h1>いきいきサロン清音",
        "毎月第2水曜日 10:00〜12:00",
        "8月はお休み",
        "清音公会堂",
        "総社市清音上中島1-1",
        "百歳体操のあと",
        "<li>体操</li>",
        "<li>茶話会</li>",
        "高齢者",
        "1回100円",
        "歓迎します",
    ]:
        assert text in body, text
    assert (
        'href="https://www.openstreetmap.org/?mlat=34.650000&amp;mlon=133.750000'
        '#map=17/34.650000/133.750000"' in body
    )
    assert re.search(
        r'<img src="/media/salons/[0-9a-f]{32}\.png" alt="公会堂で体操をする参加者"'
        r' width="40" height="30" loading="lazy">',
        body,
    )
    # Breadcrumbs: ホーム > サロンを探す > the salon
    crumbs = html.split('class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r">([^<>]+)</a>", crumbs) == ["ホーム", "サロンを探す", "いきいきサロン清音"]
    assert 'href="/salons/plans/">このサロンの活動計画書を出す</a>' in body
    # Nothing is loaded from another site: the map is a plain link.
    assert "<iframe" not in html and "<script" not in html and " style=" not in html


def test_no_map_link_without_coordinates(resident, town):
    html = resident.get(town["ikiiki"].get_absolute_url()).content.decode()
    assert "openstreetmap" not in html


def test_whom_to_ask_is_the_office_never_the_organiser(resident, town):
    salon = town["ikiiki"]
    html = main(resident.get(salon.get_absolute_url()).content.decode())
    join = html.split('id="join-heading"', 1)[1].split("</section>", 1)[0]
    assert "地域共生推進課" in join and "0866-92-8552" in join
    for private in [salon.organiser_name, salon.organiser_phone, salon.organiser_email]:
        assert private not in html


def test_sub_district_salons_ask_the_parents_office(resident, town):
    html = main(resident.get(town["kodomo"].get_absolute_url()).content.decode())
    assert "地域共生推進課" in html.split('id="join-heading"', 1)[1]
    assert "参加の前に、社協の窓口へご相談ください" in html  # not open to newcomers
    assert "無料" in html


def test_without_a_district_office_the_site_offices_are_given(resident, town):
    OfficeFactory(name="総務課", phone="0866-00-0001")
    html = main(resident.get(town["tokiwa"].get_absolute_url()).content.decode())
    join = html.split('id="join-heading"', 1)[1].split("</section>", 1)[0]
    assert "総務課" in join and "地域共生推進課" in join
    assert "このサロンは現在、休止中です" in html


def test_a_closed_salon_says_so(resident, town):
    response = resident.get(town["closed"].get_absolute_url())
    assert response.status_code == 200
    assert "このサロンは活動を終了しました" in response.content.decode()


def test_a_preparing_salon_says_so(resident, town):
    town["ikiiki"].status = SalonStatus.PREPARING
    town["ikiiki"].save()
    html = resident.get(town["ikiiki"].get_absolute_url()).content.decode()
    assert "始める準備をしています" in html
    assert '<p class="salon-badge salon-badge--preparing">準備中</p>' in search(
        resident, q="いきいき"
    )


@pytest.mark.parametrize("path", ["/salons/999999/", "/salons/abc/", "/salons/0/"])
def test_unknown_salons_are_404(resident, town, path):
    assert resident.get(path).status_code == 404


def test_salons_of_hidden_districts_are_404(resident, town):
    assert resident.get(town["hidden"].get_absolute_url()).status_code == 404
    town["kiyone"].is_public = False
    town["kiyone"].save()
    # Hiding a district hides its sub-districts' salons too.
    assert resident.get(town["kodomo"].get_absolute_url()).status_code == 404
    assert "ひだまり" not in search(resident)


def report(salon, fiscal_year, *, sessions, participants, status=ReportStatus.CONFIRMED, **kw):
    plan = ActivityPlanFactory(
        salon=salon, program=GrantProgramFactory(fiscal_year=fiscal_year), status="approved"
    )
    return ActivityReportFactory(
        plan=plan,
        status=status,
        sessions_held=sessions,
        total_participants=participants,
        confirmed_at=datetime.datetime(fiscal_year + 1, 5, 1, tzinfo=datetime.UTC),
        **kw,
    )


def test_yearly_totals_come_from_confirmed_reports(resident, town):
    salon = town["ikiiki"]
    report(salon, 2021, sessions=9, participants=90)  # older than the three shown
    report(salon, 2022, sessions=10, participants=100)
    report(salon, 2023, sessions=11, participants=110)
    report(salon, 2025, sessions=12, participants=150)
    # Two confirmed reports in one 年度 (a plan sent twice): the later one counts.
    later = report(salon, 2025, sessions=13, participants=160)
    later.confirmed_at = datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)
    later.save()
    report(salon, 2024, sessions=20, participants=999, status=ReportStatus.SUBMITTED)
    report(town["tokiwa"], 2025, sessions=30, participants=300)  # another salon
    html = main(resident.get(salon.get_absolute_url()).content.decode())
    table = html.split('id="totals-caption"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)回</td><td>(\d+)人</td>', table)
    assert [r[0] for r in rows] == ["令和7年度", "令和5年度", "令和4年度"]
    assert rows[0] == ("令和7年度", "13", "160")
    assert ("令和5年度", "11", "110") in rows
    assert "999" not in table and "300" not in table


def test_no_totals_section_without_reports(resident, town):
    html = resident.get(town["ikiiki"].get_absolute_url()).content.decode()
    assert "これまでの活動" not in html


def test_salon_page_query_count(resident, town, photo, django_assert_max_num_queries):
    for fy in range(2015, 2026):
        report(town["ikiiki"], fy, sessions=12, participants=100)
    today = timezone.localdate()
    for i in range(30):
        SalonScheduleChangeFactory(
            salon=town["ikiiki"], starts_on=today + datetime.timedelta(days=40 * i)
        )
    # site profile, footer offices, the salon (+district, office), target groups,
    # activity types, photos, 休み・中止, the 地域資源 that stop there, yearly totals
    with django_assert_max_num_queries(9):
        response = resident.get(town["ikiiki"].get_absolute_url())
    assert response.status_code == 200


# --- privacy --------------------------------------------------------------------------

ORGANISER = {
    "organiser_name": "秘密野 花代",
    "organiser_phone": "090-7777-6543",
    "organiser_email": "himitsu.organiser@example.jp",
}
REPRESENTATIVE = {
    "representative_name": "代表者 内緒子",
    "representative_reading": "だいひょうしゃ ないしょこ",
    "representative_phone": "080-4444-3210",
    "representative_email": "naisho.rep@example.jp",
    "representative_postal_code": "719-9999",
    "representative_address": "総社市ひみつ町9-9-9",
}


def test_no_organiser_data_on_any_public_page(resident, town):
    salon = town["ikiiki"]
    for name, value in ORGANISER.items():
        setattr(salon, name, value)
    salon.save()
    # A new salon's plan, waiting for review, and an approved one of this salon.
    ActivityPlanFactory(
        salon=None, salon_name="計画中の新しいサロン", district=town["kiyone"], **REPRESENTATIVE
    )
    plan = ActivityPlanFactory(salon=salon, status="approved", **REPRESENTATIVE)
    ActivityReportFactory(plan=plan, status=ReportStatus.CONFIRMED)
    private = [*ORGANISER.values(), *REPRESENTATIVE.values(), "0907777", "himitsu"]
    urls = [
        "/salons/",
        "/salons/?q=いきいき",
        "/salons/?district=kiyone",
        "/salons/?weekday=wed",
        "/salons/?target=koreisha",
        "/salons/?activity=taiso",
        "/salons/?newcomers=on",
        salon.get_absolute_url(),
        "/districts/kiyone/",
    ]
    for url in urls:
        response = resident.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for value in private:
            assert value not in html, (url, value)
    # Searching for the organiser finds nothing (the page echoes only the query).
    for query in ["秘密野", "090-7777-6543", "himitsu", "内緒子"]:
        assert card_names(search(resident, q=query)) == [], query
    assert "計画中の新しいサロン" not in search(resident)  # not a salon until approved
