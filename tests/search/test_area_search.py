"""The site search finds a district by the 町名 a resident lives in: typed in kanji
or in かな, alone or inside a whole address, in half or full width."""

import re

import pytest

from districts.models import DistrictArea
from tests.factories import DistrictFactory, SiteProfileFactory

URL = "/search/"


def area_results(client, q):
    """The 町名 group's results as (title text, link), in order."""
    html = client.get(URL, {"q": q}).content.decode()
    group = re.search(r'aria-labelledby="district_areas-heading".*?</section>', html, re.S)
    if group is None:
        return []
    return [
        (re.sub(r"<[^>]+>", "", title), href)
        for href, title in re.findall(
            r'<h3 class="search-result__title"><a href="([^"]+)">(.*?)</a></h3>', group.group(0)
        )
    ]


@pytest.fixture
def towns(db):
    SiteProfileFactory()
    soja = DistrictFactory(name="総社", reading="そうじゃ", slug="soja")
    misu = DistrictFactory(name="三須", reading="みす", slug="misu")
    kamiari = DistrictFactory(name="神在", reading="かみあり", slug="kamiari")
    kushiro = DistrictFactory(name="久代", reading="くしろ", slug="kushiro")
    kiyone = DistrictFactory(name="清音", reading="きよね", slug="kiyone")
    first = DistrictFactory(name="清音第1小地区", reading="きよねだいいち", parent=kiyone)
    hidden = DistrictFactory(name="非公開", hidden=True)
    for district, name, reading, note in [
        (soja, "総社", "そうじゃ", ""),
        (soja, "中央一丁目〜六丁目", "ちゅうおう", ""),
        (misu, "三須", "みす", ""),
        (misu, "上林", "かんばやし", ""),
        (kamiari, "久代", "くしろ", "東部"),
        (kushiro, "久代", "くしろ", "西部"),
        (first, "清音柿木", "きよねかきのき", ""),
        (hidden, "秘密町", "ひみつちょう", ""),
    ]:
        DistrictArea.objects.create(district=district, name=name, reading=reading, note=note)
    return {d.slug: d.get_absolute_url() for d in (soja, misu, kamiari, kushiro, first)}


@pytest.mark.parametrize(
    "q",
    [
        "三須",
        "みす",
        "ミス",
        "ﾐｽ",
        "総社市三須1000-5",
        "三須１０００",
        "岡山県総社市三須１０００－５",
    ],
)
def test_a_town_is_found_however_it_is_typed(resident, towns, q):
    assert area_results(resident, q) == [("三須 → 三須地区", f"{towns['misu']}#areas")]


def test_the_citys_own_name_is_not_taken_for_the_town_it_shares(resident, towns):
    # 総社市 holds the 町名 総社: the address names 三須, not 総社.
    titles = [title for title, _ in area_results(resident, "総社市三須1000-5")]
    assert titles == ["三須 → 三須地区"]
    assert [t for t, _ in area_results(resident, "総社市総社1000-2")] == ["総社 → 総社地区"]


def test_a_town_written_with_its_chome_range_is_found_by_an_address_in_it(resident, towns):
    expected = [("中央一丁目〜六丁目 → 総社地区", f"{towns['soja']}#areas")]
    assert area_results(resident, "岡山県総社市中央一丁目1番3号") == expected
    assert area_results(resident, "総社市中央2000-1") == expected
    assert area_results(resident, "ちゅうおう") == expected


def test_a_split_town_lists_both_districts_with_their_notes(resident, towns):
    assert [t for t, _ in area_results(resident, "総社市久代1000-15")] == [
        "久代（東部） → 神在地区",
        "久代（西部） → 久代地区",
    ]


def test_a_sub_districts_town_names_its_parent(resident, towns):
    html = resident.get(URL, {"q": "総社市清音柿木1000-29"}).content.decode()
    assert "清音柿木 → 清音第1小地区（清音地区）" in html
    assert "小地区社協（清音地区）" in html


def test_a_hidden_districts_towns_are_not_found(resident, towns):
    assert area_results(resident, "秘密町") == []
    assert area_results(resident, "総社市秘密町1") == []


def test_house_numbers_alone_find_no_town(resident, towns):
    assert area_results(resident, "1000-5") == []
    assert area_results(resident, "総社市") == []
