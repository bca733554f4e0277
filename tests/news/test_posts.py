"""/news/, a category's list and a post's page, as a resident (and a staff member) sees them."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from news.models import Post
from shakyo_portal.staff.roles import Role
from tests.factories import DistrictFactory, SiteProfileFactory, UserFactory, role_user
from tests.news.factories import CategoryFactory, PostFactory
from tests.news.helpers import SHELL_QUERIES, main


def titles(html):
    return re.findall(r'class="news-item__title"><a href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def newsroom(db):
    SiteProfileFactory()
    notice = CategoryFactory(name="お知らせ", slug="oshirase", display_order=1)
    volunteer = CategoryFactory(name="ボランティア", slug="volunteer", display_order=2)
    now = timezone.now()
    posts = {
        "old": PostFactory(
            title="古いお知らせ", category=notice, published_at=now - datetime.timedelta(days=9)
        ),
        "new": PostFactory(
            title="新しいお知らせ", category=notice, published_at=now - datetime.timedelta(days=1)
        ),
        "pinned": PostFactory(
            title="年末年始の休業",
            category=notice,
            pinned=True,
            published_at=now - datetime.timedelta(days=30),
        ),
        "recruit": PostFactory(title="ボランティア募集", category=volunteer),
        "draft": PostFactory(title="書きかけの下書き", category=notice, draft=True),
        "scheduled": PostFactory(title="来週公開の予定", category=notice, scheduled=True),
        "ended": PostFactory(title="掲載を終えたお知らせ", category=volunteer, ended=True),
    }
    return {"notice": notice, "volunteer": volunteer, **posts}


HIDDEN = ["書きかけの下書き", "来週公開の予定", "掲載を終えたお知らせ"]


def test_lists_published_posts_pinned_first_then_newest(resident, newsroom):
    response = resident.get("/news/")
    assert response.status_code == 200
    html = response.content.decode()
    assert titles(html) == ["年末年始の休業", "ボランティア募集", "新しいお知らせ", "古いお知らせ"]
    assert "<title>お知らせ｜テスト市社協</title>" in html
    assert main(html).count("<h1") == 1
    assert "news-item--pinned" in html and "重要" in html
    for hidden in HIDDEN:
        assert hidden not in html
    assert 'type="application/rss+xml"' in html and 'href="/news/feed/"' in html


def test_a_category_lists_only_its_posts(resident, newsroom):
    html = resident.get("/news/volunteer/").content.decode()
    assert titles(html) == ["ボランティア募集"]
    assert "<title>ボランティアのお知らせ｜テスト市社協</title>" in html
    assert 'href="/news/volunteer/" aria-current="page"' in html
    assert 'href="/news/volunteer/feed/"' in html


def test_unknown_category_is_404(resident, newsroom):
    assert resident.get("/news/no-such-category/").status_code == 404


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999", "9" * 30, "1.5", "２"])
def test_bad_page_numbers_never_fail(resident, newsroom, page):
    response = resident.get("/news/", {"page": page})
    assert response.status_code == 200
    assert "年末年始の休業" in response.content.decode() or page in ("99999", "9" * 30)


def test_paginates_twenty_a_page(resident, newsroom):
    PostFactory.create_batch(25, category=newsroom["notice"])
    first = resident.get("/news/").content.decode()
    assert len(titles(first)) == 20
    assert 'rel="next"' in first
    second = resident.get("/news/", {"page": 2}).content.decode()
    assert len(titles(second)) == 29 - 20
    assert "（2ページ目）" in second


def test_a_post_page_shows_body_as_safe_html(resident, newsroom):
    district = DistrictFactory(name="清音", slug="kiyone")
    post = PostFactory(
        title="研修会のご案内",
        category=newsroom["notice"],
        body="## 内容\n\n<script>alert(1)</script>[申込書（PDF）](/media/a.pdf)",
        districts=[district],
    )
    response = resident.get(post.get_absolute_url())
    assert response.status_code == 200
    html = main(response.content.decode())
    assert '<h1 id="post-title">研修会のご案内</h1>' in html
    assert "<h2>内容</h2>" in html
    assert "<script" not in html
    assert '<a href="/media/a.pdf" rel="noopener noreferrer">申込書（PDF）</a>' in html
    assert '<a href="/districts/kiyone/">清音</a>' in html
    assert "<title>研修会のご案内（お知らせ）｜テスト市社協</title>" in response.content.decode()


@pytest.mark.parametrize("name", ["draft", "scheduled", "ended"])
def test_unpublished_posts_are_404_for_residents(resident, newsroom, name):
    assert resident.get(newsroom[name].get_absolute_url()).status_code == 404


def test_a_scheduled_post_appears_on_its_own_when_its_time_comes(resident, newsroom):
    post = newsroom["scheduled"]
    assert "来週公開の予定" not in resident.get("/news/").content.decode()
    Post.objects.filter(pk=post.pk).update(
        published_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert "来週公開の予定" in resident.get("/news/").content.decode()
    assert resident.get(post.get_absolute_url()).status_code == 200


def test_staff_who_may_view_posts_preview_drafts(newsroom):
    client = Client()
    client.force_login(UserFactory(username="editor", staff=True))
    url = newsroom["draft"].get_absolute_url()
    assert client.get(url).status_code == 404  # staff, but without a role
    client.force_login(role_user(Role.READER))
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "プレビュー（職員だけに見えています）" in html
    assert '<meta name="robots" content="noindex">' in html
    assert "no-store" in response["Cache-Control"]
    # Preview is only on the post's own page: lists stay what the public sees.
    assert "書きかけの下書き" not in client.get("/news/").content.decode()


def test_only_get_and_head(resident, newsroom):
    assert resident.post("/news/").status_code == 405
    assert resident.head("/news/").status_code == 200
    assert resident.post(newsroom["new"].get_absolute_url()).status_code == 405


def test_the_list_runs_a_bounded_number_of_queries(
    resident, newsroom, django_assert_max_num_queries
):
    # The shell, categories (1), count (1), page of posts (1).
    with django_assert_max_num_queries(SHELL_QUERIES + 3):
        resident.get("/news/")
    PostFactory.create_batch(60, category=newsroom["volunteer"])
    with django_assert_max_num_queries(SHELL_QUERIES + 3):
        assert resident.get("/news/").status_code == 200
    with django_assert_max_num_queries(SHELL_QUERIES + 3):
        assert resident.get("/news/volunteer/", {"page": 2}).status_code == 200


def test_a_post_page_runs_a_bounded_number_of_queries(
    resident, newsroom, django_assert_max_num_queries
):
    districts = DistrictFactory.create_batch(10)
    post = PostFactory(category=newsroom["notice"], districts=districts)
    # The shell, the post (1), districts, images, attachments (3).
    with django_assert_max_num_queries(SHELL_QUERIES + 4):
        assert resident.get(post.get_absolute_url()).status_code == 200
