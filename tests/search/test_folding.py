"""The search compares text folded (NFKC, lower case) on both sides, so how a
council typed a word and how a resident types it need not agree: ＮＰＯ finds
NPO and NPO finds ＮＰＯ, full-width digits and half-width katakana alike. What
was typed is still shown exactly as typed, with the match marked.

Through the real page, on whichever database the suite runs on: on PostgreSQL
the folded text is the tables' generated search_text (core/searchtext.py), so
the write paths that skip save() are tried too.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from councils.models import AgendaItem
from news.models import Post
from tests.factories import (
    AgendaItemFactory,
    CouncilFactory,
    DistrictFactory,
    MeetingFactory,
    SalonFactory,
    SiteProfileFactory,
)
from tests.news.factories import PostFactory
from tests.search.test_search import groups_in, search


@pytest.fixture(autouse=True)
def site(db):
    SiteProfileFactory()


def titles(client, q, kind="posts"):
    return groups_in(search(client, q)).get(kind, [])


@pytest.mark.parametrize(
    "stored, typed",
    [
        ("ＮＰＯ法人ひまわりの講座", "NPO"),
        ("ＮＰＯ法人ひまわりの講座", "npo"),
        ("NPO法人ひまわりの講座", "ＮＰＯ"),
        ("NPO法人ひまわりの講座", "ｎｐｏ"),
        ("第１２回ふれあい講座", "12"),
        ("第12回ふれあい講座", "１２"),
        ("ｻﾛﾝ交流会", "サロン"),
        ("サロン交流会", "ｻﾛﾝ"),
        ("ｶﾞｰﾃﾞﾆﾝｸﾞ講座", "ガーデニング"),
        ("ガーデニング講座", "ｶﾞｰﾃﾞﾆﾝｸﾞ"),
    ],
)
def test_either_width_finds_the_other(resident, stored, typed):
    PostFactory(title="お知らせ", body=f"今月は{stored}を開きます。")
    PostFactory(title="別のお知らせ", body="関係のない本文です。")
    assert titles(resident, typed) == ["お知らせ"]


def test_what_was_typed_is_shown_as_typed_and_marked(resident):
    PostFactory(title="ＮＰＯ講座", body="ＮＰＯ法人とｻﾛﾝの第１２回です。")
    html = search(resident, "npo")
    assert "<mark>ＮＰＯ</mark>講座" in html
    assert "<mark>ＮＰＯ</mark>法人とｻﾛﾝの第１２回です。" in html
    html = search(resident, "サロン 12")
    assert "ＮＰＯ法人と<mark>ｻﾛﾝ</mark>の第<mark>１２</mark>回です。" in html
    # The query is shown folded only as far as it was before: NFKC, its case kept.
    assert "「<strong>サロン 12</strong>」の検索結果" in html


def test_two_characters_no_trigram_holds_are_still_found(resident):
    PostFactory(title="お知らせ", body="秋の敬老会のご案内です。")
    PostFactory(title="半角", body="ｹｲﾛｳ会ではありません。")
    assert titles(resident, "敬老") == ["お知らせ"]
    assert titles(resident, "ケイ") == ["半角"]
    assert titles(resident, "ｹｲ") == ["半角"]


def test_a_title_in_the_other_width_still_ranks_first(resident):
    PostFactory(title="ふれあい広場", body="ＮＰＯの紹介")
    PostFactory(title="ＮＰＯ講座", body="")
    assert titles(resident, "npo") == ["ＮＰＯ講座", "ふれあい広場"]


def test_a_name_through_a_relation_is_folded_too(resident):
    # A salon is found by its district's name (salons/portal.py: district__name).
    district = DistrictFactory(name="ＡＢＣ地区", reading="えーびーしー", summary="")
    SalonFactory(name="ひまわり", reading="ひまわり", district=district, description="")
    assert groups_in(search(resident, "abc")).get("salons") == ["ひまわり"]
    meeting = MeetingFactory(council=CouncilFactory(name="ＸＹＺ協議体"), title="定例会")
    found = groups_in(search(resident, "xyz"))
    assert found.get("meetings") == [f"{meeting.council.display_name} {meeting.label}"]


def test_text_written_without_save_is_found(resident):
    """update() and bulk_create() skip save() and its signals; the folded text
    follows anyway, and text taken out is no longer found."""
    post = PostFactory(title="お知らせ", body="最初の本文")
    Post.objects.filter(pk=post.pk).update(body="ＮＰＯ法人の紹介")
    assert titles(resident, "npo") == ["お知らせ"]
    Post.objects.filter(pk=post.pk).update(body="書き換えた本文")
    assert titles(resident, "npo") == []

    template = PostFactory.build(title="一括", body="ｸﾞﾙｰﾌﾟ活動")
    template.category.save()
    Post.objects.bulk_create([template])
    assert titles(resident, "グループ") == ["一括"]

    meeting = MeetingFactory(title="定例会", minutes="")
    item = AgendaItemFactory(meeting=meeting, title="予算")
    AgendaItem.objects.filter(pk=item.pk).update(title="ＩＴ講習の報告")
    assert groups_in(search(resident, "it講習")).get("meetings") == [
        f"{meeting.council.display_name} {meeting.label}"
    ]


def test_a_reading_still_matches_either_kana_and_a_kanji_term_skips_it(resident):
    SalonFactory(
        name="陽だまり", reading="ひだまり", district=DistrictFactory(summary=""), description=""
    )
    for typed in ("ひだまり", "ヒダマリ", "ﾋﾀﾞﾏﾘ", "陽だまり"):
        assert groups_in(search(resident, typed)).get("salons") == ["陽だまり"], typed


def test_like_wildcards_are_text(resident):
    PostFactory(title="割合", body="参加率100%でした。")
    PostFactory(title="別", body="参加率1000でした。")
    assert titles(resident, "100%") == ["割合"]
    assert titles(resident, "１００％") == ["割合"]
    assert re.search(r"<mark>100%</mark>", search(resident, "100%"))


def test_ten_times_the_rows_cost_no_more_queries(resident):
    def count():
        with CaptureQueriesContext(connection) as captured:
            assert resident.get("/search/", {"q": "ＮＰＯ"}).status_code == 200
        return len(captured)

    PostFactory.create_batch(3, body="NPOの集い")
    small = count()
    PostFactory.create_batch(30, body="ｎｐｏの集い")
    assert count() == small
    assert "（33件）" in search(resident, "npo")
