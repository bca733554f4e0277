"""The site search finds each kind by a word in the middle of a sentence, with
every term required, full-width and kana input, titles ranked first."""

import datetime
import re

import pytest
from django.utils import timezone

from tests.factories import DistrictFactory, SalonFactory
from tests.news.factories import PostFactory
from tests.search.world import KINDS, WORD, build_world

URL = "/search/"


def groups_in(html):
    """{kind key: [result titles]} in the order the page shows them."""
    found = {}
    for key, body in re.findall(
        r'<section class="search-group" id="(\w+)".*?>(.*?)</section>', html, re.S
    ):
        titles = re.findall(r'<h3 class="search-result__title"><a href="[^"]*">(.*?)</a>', body)
        found[key] = [re.sub(r"</?mark>", "", title) for title in titles]
    return found


def search(client, q, **params):
    response = client.get(URL, {"q": q, **params})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def world(db):
    return build_world()


def test_every_kind_is_found_by_a_word_in_the_middle_of_a_sentence(resident, world):
    html = search(resident, WORD)
    found = groups_in(html)
    assert list(found) == list(KINDS)
    assert all(len(titles) == 1 for titles in found.values()), found
    assert f"「{WORD}」の検索結果" in html
    assert "9件" in html
    # Each links to the thing's own page, and the word is marked in the snippet.
    for obj in vars(world).values():
        assert f'href="{obj.get_absolute_url()}"' in html
    assert html.count(f"<mark>{WORD}</mark>") >= 9
    assert '<meta name="robots" content="noindex">' in html


def test_the_kinds_index_links_to_each_group(resident, world):
    html = search(resident, WORD)
    nav = re.search(r'<nav class="search-kinds".*?</nav>', html, re.S).group(0)
    for key in KINDS:
        assert f'href="#{key}"' in nav
        assert f'aria-labelledby="{key}-heading"' in html


def test_every_term_must_appear(resident, world):
    found = groups_in(search(resident, f"{WORD} 体育館"))
    assert found == {"events": ["清音の集い"]}
    assert groups_in(search(resident, f"{WORD} 存在しない言葉")) == {}


def test_terms_may_sit_in_different_fields(resident, world):
    # 清音 is the salon's district's name; 敬老会 is in its description.
    found = groups_in(search(resident, f"清音　{WORD}"))
    assert "ひまわりサロン" in found["salons"]


def test_full_width_input_is_read_as_half_width(resident, db):
    PostFactory(title="ＮＰＯ講座", body="NPO2026のご案内です。")
    found = groups_in(search(resident, "ｎｐｏ２０２６"))
    assert found == {"posts": ["ＮＰＯ講座"]}


def test_a_reading_matches_in_hiragana_or_katakana(resident, world):
    for typed in ("ひまわりさろん", "ヒマワリサロン", "ﾋﾏﾜﾘｻﾛﾝ"):
        found = groups_in(search(resident, typed))
        assert found.get("salons") == ["ひまわりサロン"], typed
    assert groups_in(search(resident, "キヨネ"))["districts"] == ["清音地区社協"]


def test_a_match_in_the_title_ranks_above_a_match_in_the_text(resident, db):
    district = DistrictFactory(summary="")
    older = SalonFactory(
        name="あおぞら", reading="あおぞら", district=district, description="体操クラブ"
    )
    titled = SalonFactory(name="体操クラブ", reading="んー", district=district, description="")
    later = SalonFactory(
        name="いずみ", reading="いずみ", district=district, description="体操クラブ"
    )
    titles = groups_in(search(resident, "体操"))["salons"]
    assert titles == [titled.name, older.name, later.name]


def test_newest_first_among_equal_matches(resident, db):
    now = timezone.now()
    for days, title in [(5, "古いお知らせ"), (1, "新しいお知らせ"), (3, "中くらいのお知らせ")]:
        PostFactory(
            title=title, body="バザーのご案内", published_at=now - datetime.timedelta(days=days)
        )
    assert groups_in(search(resident, "バザー"))["posts"] == [
        "新しいお知らせ",
        "中くらいのお知らせ",
        "古いお知らせ",
    ]


def test_each_kind_shows_five_and_links_to_all_of_them(resident, db):
    for n in range(7):
        PostFactory(title=f"福祉まつり{n}", body="")
    html = search(resident, "福祉まつり")
    assert len(groups_in(html)["posts"]) == 5
    assert "お知らせの検索結果をすべて見る（7件）" in html
    more = re.search(r'<a href="([^"]*kind=posts[^"]*)">', html).group(1).replace("&amp;", "&")
    page = resident.get(more).content.decode()
    assert len(groups_in(page)["posts"]) == 7
    assert "「福祉まつり」のお知らせの検索結果" in page
    assert "すべての種類の検索結果に戻る" in page


def test_a_kind_page_paginates(resident, db):
    for n in range(23):
        PostFactory(title=f"講座{n}", body="")
    first = search(resident, "講座", kind="posts")
    second = search(resident, "講座", kind="posts", page="2")
    assert len(groups_in(first)["posts"]) == 20
    assert len(groups_in(second)["posts"]) == 3
    assert "（2ページ目）" in second


def test_the_salon_group_links_to_the_directory_searched(resident, world):
    html = search(resident, WORD)
    assert 'href="/salons/?q=%E6%95%AC%E8%80%81%E4%BC%9A"' in html


def test_snippets_escape_everything_but_the_mark(resident, db):
    PostFactory(title="お知らせ", body="<b>太字</b> & 敬老会 <script>alert(1)</script>")
    html = search(resident, "敬老会")
    snippet = re.search(r'<p class="search-result__snippet">(.*?)</p>', html, re.S).group(1)
    assert "<script" not in snippet and "<b>" not in snippet
    assert "<mark>敬老会</mark>" in snippet


def test_markdown_is_shown_as_plain_text(resident, db):
    PostFactory(
        title="案内", body="## 見出し\n\n[敬老会のページ](https://example.jp/) をご覧ください。"
    )
    html = search(resident, "敬老会")
    snippet = re.search(r'<p class="search-result__snippet">(.*?)</p>', html, re.S).group(1)
    assert "##" not in snippet and "](" not in snippet and "https://" not in snippet
    assert "<mark>敬老会</mark>のページ" in snippet


def test_no_results_suggests_other_ways(resident, world):
    html = search(resident, "どこにもない言葉")
    assert "「どこにもない言葉」を含む情報は見つかりませんでした" in html
    assert 'href="/districts/"' in html and 'href="/contact/"' in html
    assert "<strong>0件</strong>" in html


def test_the_typed_text_stays_in_the_box(resident, world):
    html = search(resident, f"  {WORD}\u3000清音 ")
    assert f'value="{WORD} 清音"' in html


def test_an_empty_search_shows_the_form_and_hints(resident, world):
    for q in ("", "   ", "\u3000\u3000"):
        html = search(resident, q)
        assert "探し方" in html
        assert "search-group" not in html
        assert "<title>サイト内検索｜" in html
        assert "noindex" not in html


def test_the_header_has_a_search_form_on_every_other_page(resident, world):
    html = resident.get("/").content.decode()
    form = re.search(r'<form class="filter site-search" role="search".*?</form>', html, re.S)
    assert form is not None
    assert 'action="/search/"' in form.group(0) and 'method="get"' in form.group(0)
    assert '<label for="site-search-q">サイト内検索</label>' in form.group(0)
    # The search page has its own form instead, so there is one search box.
    assert search(resident, WORD).count('role="search"') == 1
