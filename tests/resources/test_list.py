"""/resources/ (地域資源マップ) as a resident sees it: one list of resources and
salons, filtered by category, life scene and district, complete without JavaScript."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coordinators.models import Resource
from salons.models import Salon
from tests.resources.world import ALL, SECRETS, add_many, build_town


def main(html):
    """The page's own content, without the shell's navigation and footer."""
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def names(html):
    return re.findall(r'<h3 class="card__title"><a href="[^"]+">([^<]+)</a>', html)


def search(client, **params):
    response = client.get("/resources/", params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def town(db):
    return build_town()


# --- the list -------------------------------------------------------------------------


def test_lists_every_public_resource_and_salon_in_reading_order(resident, town):
    html = search(resident)
    assert names(html) == ALL
    assert "6件見つかりました" in html
    assert "<title>地域資源マップ｜テスト市社協</title>" in html
    assert '<link rel="stylesheet" href="/static/css/resources.css">' in html
    assert main(html).count("<h1>") == 1


def test_salons_link_to_their_own_page_and_resources_to_theirs(resident, town):
    html = search(resident)
    taiso, niko = town.salons.taiso, town.resources.niko
    assert f'<a href="/salons/{taiso.pk}/">いきいき体操サロン</a>' in html
    assert f'<a href="/resources/{niko.pk}/">にこにこサポート</a>' in html


def card(html, name):
    """The card of the entry called `name`."""
    return main(html).split(f">{name}</a></h3>", 1)[1].split("</li>", 1)[0]


def test_a_resource_card_says_what_where_when_and_for_which_scenes(resident, town):
    html = search(resident)
    kayoi = card(html, "清音通いの場")
    for text in [
        "通いの場",
        "（住民の支え合い）",
        "公会堂で体操とおしゃべり。",
        "<dd>清音</dd>",
        "<dd>居場所、健康づくり</dd>",
        "<dd>毎週水曜日 10:00〜12:00</dd>",
        "総社市清音1-1",
        "https://www.openstreetmap.org/?mlat=34.636100&amp;mlon=133.757900",
        '地図で場所を見る<span class="visually-hidden">（清音通いの場）</span>',
    ]:
        assert text in kayoi, text
    niko = card(html, "にこにこサポート")
    assert "<dd>市全域</dd>" in niko
    assert "<dd>買い物、外出、家事</dd>" in niko
    assert "地図で場所を見る" not in niko
    assert "（公的なサービス）" in card(html, "総社配食")


def test_a_salon_is_a_place_to_be_and_with_exercise_a_place_for_health(resident, town):
    html = search(resident)
    taiso = card(html, "いきいき体操サロン")
    assert "ふれあいサロン" in taiso
    assert "<dd>居場所、健康づくり</dd>" in taiso
    assert "<dd>毎月第2水曜日 10:00〜12:00</dd>" in taiso
    assert "清音公会堂" in taiso
    assert "openstreetmap" in taiso
    tea = card(html, "おちゃのみサロン")
    assert "<dd>居場所</dd>" in tea
    assert '<p class="resource-badge">休止中</p>' in tea
    assert "openstreetmap" not in tea


def test_salons_are_listed_before_staff_make_the_salon_category(resident, town):
    town.category["salon"].delete()
    html = search(resident, category="salon")
    assert names(html) == ["いきいき体操サロン", "おちゃのみサロン"]
    assert 'value="salon"' in html
    assert "ふれあいサロン" in card(html, "いきいき体操サロン")


def test_the_salon_category_takes_the_name_staff_give_it(resident, town):
    town.category["salon"].name = "サロン・集いの場"
    town.category["salon"].save()
    assert "サロン・集いの場" in card(search(resident), "おちゃのみサロン")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "salon"}, ["いきいき体操サロン", "おちゃのみサロン"]),
        ({"category": "kayoi"}, ["軽部お茶のみ会", "清音通いの場"]),
        ({"category": ["kayoi", "haishoku"]}, ["軽部お茶のみ会", "清音通いの場", "総社配食"]),
        ({"scene": "kenko"}, ["いきいき体操サロン", "清音通いの場"]),
        (
            {"scene": "ibasho"},
            ["いきいき体操サロン", "おちゃのみサロン", "軽部お茶のみ会", "清音通いの場"],
        ),
        ({"scene": "kaimono"}, ["にこにこサポート"]),
        ({"scene": ["kaimono", "mimamori"]}, ["総社配食", "にこにこサポート"]),
        # A district: its own, its sub-districts' and the city-wide ones.
        (
            {"district": "kiyone"},
            ["いきいき体操サロン", "軽部お茶のみ会", "清音通いの場", "にこにこサポート"],
        ),
        # A sub-district: its own, its parent district's and the city-wide ones.
        (
            {"district": "karube"},
            ["いきいき体操サロン", "軽部お茶のみ会", "清音通いの場", "にこにこサポート"],
        ),
        ({"district": "soja"}, ["おちゃのみサロン", "総社配食", "にこにこサポート"]),
        ({"category": "kayoi", "district": "soja"}, []),
        ({"category": "salon", "scene": "kenko"}, ["いきいき体操サロン"]),
        ({"category": "salon", "scene": "kaji"}, []),
        ({"scene": "kenko", "district": "soja"}, []),
    ],
)
def test_filters(resident, town, params, expected):
    assert names(search(resident, **params)) == expected


def test_checked_filters_stay_checked(resident, town):
    html = search(resident, category="kayoi", scene="kenko", district="kiyone")
    assert re.search(r'<input type="checkbox" name="category" value="kayoi"[^>]* checked', html)
    assert re.search(r'<input type="checkbox" name="scene" value="kenko"[^>]* checked', html)
    assert '<option value="kiyone" selected>清音（小地区を含む）</option>' in html
    assert '<option value="karube">軽部（清音地区）</option>' in html
    assert "非公開地区" not in html


def test_active_filters_each_have_a_link_that_drops_them(resident, town):
    html = search(resident, category=["kayoi", "salon"], district="kiyone")
    for words in ["分類: 通いの場", "分類: ふれあいサロン", "地区: 清音"]:
        assert f"<li>{words} <a href=" in html, words
    assert 'href="/resources/?category=salon&amp;district=kiyone">外す' in html
    assert "<title>地域資源の検索結果（3件）｜テスト市社協</title>" in html


def test_empty_result_says_what_to_do(resident, town):
    html = search(resident, category="kayoi", district="soja")
    assert "地域資源は見つかりませんでした" in html
    assert "この条件に合う地域資源はありませんでした。" in html
    assert 'id="resource-map"' not in html


def test_nothing_at_all(resident, db):
    html = search(resident)
    assert "現在、掲載している地域資源はありません。" in html
    assert names(html) == []
    assert 'value="salon"' in html  # salons can still be looked for


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"category": "nope"}, "分類は一覧から選んでください。"),
        ({"scene": "x" * 5000}, "暮らしの場面は一覧から選んでください。"),
        ({"district": "hidden"}, "指定された地区は見つかりませんでした。"),
        ({"district": "\x00nowhere\x01"}, "指定された地区は見つかりませんでした。"),
    ],
)
def test_bad_filter_values_are_explained_not_fatal(resident, town, params, message):
    html = search(resident, **params)
    assert message in html
    assert "<title>入力エラー：" in html
    assert names(html) == ALL


def test_a_bad_value_leaves_the_other_conditions_in_force(resident, town):
    html = search(resident, category=["kayoi", "nope"], district="soja")
    assert names(html) == []
    html = search(resident, category="kayoi", district="nowhere")
    assert names(html) == ["軽部お茶のみ会", "清音通いの場"]


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999", "1" * 400, "２"])
def test_any_page_number_gives_a_page(resident, town, page):
    response = resident.get("/resources/", {"page": page})
    assert response.status_code == 200


def test_pages_hold_twenty_in_one_order_without_repeats(resident, town):
    add_many(town, 40)
    seen = []
    for number in (1, 2, 3):
        html = search(resident, page=number)
        seen += names(html)
    # By reading: つ (ついか0000…, then ついかさろん0000…) falls between そ and に.
    assert seen == [
        *ALL[:5],
        *(f"追加の資源{i:04d}" for i in range(40)),
        *(f"追加のサロン{i:04d}" for i in range(13)),
        "にこにこサポート",
    ]
    assert "59件中 41〜59件目を表示" in html
    assert "（3ページ目）" in html
    assert search(resident, page=99999).count('class="card resource-card"') == 19


def test_paging_keeps_the_filters(resident, town):
    add_many(town, 60)
    html = search(resident, scene="ibasho", district="kiyone")
    assert 'href="?scene=ibasho&amp;district=kiyone&amp;page=2"' in html


def test_query_count_does_not_grow_with_the_data(resident, town, django_assert_max_num_queries):
    # site profile, footer offices; the form's categories, scenes and districts; the
    # count; the page's (reading, kind, pk); its resources with category and district,
    # their life scenes; its salons with district
    expected = 10
    add_many(town, 30)
    with django_assert_max_num_queries(expected):
        search(resident)
    add_many(town, 300, start=1000)
    for params in [
        {},
        {"page": "7"},
        {"category": ["salon", "kayoi"], "scene": "kenko", "district": "kiyone"},
        {"scene": ["ibasho", "kaji"], "page": "3"},
        {"district": "no-such", "category": "x", "page": "abc"},
    ]:
        with django_assert_max_num_queries(expected):
            search(resident, **params)


def test_the_page_is_read_only(resident, town):
    assert resident.post("/resources/", {"category": "kayoi"}).status_code == 405
    assert resident.head("/resources/").status_code == 200


# --- privacy --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [{}, {"category": "kayoi"}, {"scene": "ibasho"}, {"district": "soja"}, {"category": "salon"}],
)
def test_nothing_private_is_ever_listed(resident, town, params):
    html = search(resident, **params)
    for secret in SECRETS:
        assert secret not in html, secret


# --- the map panel --------------------------------------------------------------------


def test_the_map_waits_for_the_resident(resident, town, settings):
    settings.MAP_TILE_URL = "https://tiles.example.jp/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "地図: テスト地図"
    html = search(resident, category="kayoi")
    panel = html.split('<div class="resource-map" id="resource-map" hidden', 1)[1].split(
        "</div>", 1
    )[0]
    assert 'data-points="/resources/map.json?category=kayoi"' in panel
    assert 'data-tiles="https://tiles.example.jp/{z}/{x}/{y}.png"' in panel
    assert 'data-leaflet-js="/static/leaflet/leaflet.js"' in panel
    assert "外部のサイト（地図: テスト地図）から読み込みます" in panel
    assert '<script src="/static/js/resource-map.js" defer></script>' in html
    # Nothing on the page itself fetches Leaflet or a tile.
    assert '<script src="/static/leaflet' not in html
    assert 'href="/static/leaflet' not in html
    assert "tiles.example.jp" not in html.replace(panel, "")


def test_the_map_drops_the_page_number(resident, town):
    html = search(resident, scene="kenko", page="2")
    assert 'data-points="/resources/map.json?scene=kenko"' in html


def test_no_map_when_the_tile_server_is_turned_off(resident, town, settings):
    settings.MAP_TILE_URL = ""
    html = search(resident)
    assert 'id="resource-map"' not in html
    assert "resource-map.js" not in html
    assert "地図で場所を見る" in html


# --- the rule, over every combination ---------------------------------------------------

CATEGORY_VALUES = ["salon", "kayoi", "haishoku", "tasukeai", "nope"]
SCENE_VALUES = ["kaimono", "gaishutsu", "ibasho", "kenko", "mimamori", "kaji", "x"]
DISTRICT_VALUES = ["", "kiyone", "karube", "soja", "hidden", "nowhere"]


def expected_names(town, categories, scenes, district):
    """What the list should hold, worked out in Python from the town's records."""
    r, s = town.resources, town.salons
    entries = [
        # (name, category slug, scene slugs, district slugs it serves)
        (r.niko.name, "tasukeai", {"kaji", "kaimono", "gaishutsu"}, None),
        (r.kayoi_kiyone.name, "kayoi", {"ibasho", "kenko"}, {"kiyone", "karube"}),
        (r.kayoi_karube.name, "kayoi", {"ibasho"}, {"kiyone", "karube"}),
        (r.haishoku.name, "haishoku", {"kaji", "mimamori"}, {"soja"}),
        (s.taiso.name, "salon", {"ibasho", "kenko"}, {"kiyone", "karube"}),
        (s.tea.name, "salon", {"ibasho"}, {"soja"}),
    ]
    categories = {c for c in categories if c in CATEGORY_VALUES[:-1]}
    scenes = {c for c in scenes if c in SCENE_VALUES[:-1]}
    district = district if district in {"kiyone", "karube", "soja"} else ""
    return sorted(
        (
            name
            for name, category, entry_scenes, serves in entries
            if (not categories or category in categories)
            and (not scenes or scenes & entry_scenes)
            and (not district or serves is None or district in serves)
        ),
        key=ALL.index,
    )


@settings(
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    categories=st.lists(st.sampled_from(CATEGORY_VALUES), max_size=3),
    scenes=st.lists(st.sampled_from(SCENE_VALUES), max_size=3),
    district=st.sampled_from(DISTRICT_VALUES),
)
def test_any_combination_lists_exactly_what_matches(resident, town, categories, scenes, district):
    html = search(resident, category=categories, scene=scenes, district=district)
    assert names(html) == expected_names(town, categories, scenes, district)


@settings(
    max_examples=40,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=st.dictionaries(st.sampled_from(["category", "scene", "district", "page"]), st.text()))
def test_no_query_string_breaks_the_page(resident, town, query):
    response = resident.get("/resources/", query)
    assert response.status_code == 200


def test_entries_with_the_same_reading_keep_one_order_across_pages(resident, town):
    add_many(town, 45)
    Resource.objects.update(reading="おなじ")
    Salon.objects.update(reading="おなじ")
    seen = [name for page in (1, 2, 3, 4) for name in names(search(resident, page=page))]
    # Salons after resources (by kind), each kind in the order it was entered.
    assert len(seen) == len(set(seen)) == 6 + 45 + 15
    assert seen.index("追加の資源0044") < seen.index("いきいき体操サロン")
