"""/newsletters/ and an issue's page: readable without the PDF, and found by the search."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from news.models import NewsletterIssue, Post
from tests.factories import SiteProfileFactory
from tests.news.factories import (
    CategoryFactory,
    EventFactory,
    NewsletterArticleFactory,
    NewsletterIssueFactory,
    PostFactory,
)
from tests.news.helpers import SHELL_QUERIES, main

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def issues(db):
    SiteProfileFactory()
    old = NewsletterIssueFactory(
        number=66, issued_on=datetime.date(2025, 11, 1), title="特集：見守り"
    )
    middle = NewsletterIssueFactory(number=67, issued_on=datetime.date(2026, 5, 1), title="")
    new = NewsletterIssueFactory(
        number=68, issued_on=datetime.date(2026, 11, 1), title="特集：協議体"
    )
    NewsletterIssueFactory(number=69, issued_on=datetime.date(2027, 2, 1), scheduled=True)
    NewsletterIssueFactory(number=70, issued_on=datetime.date(2027, 5, 1), draft=True)
    NewsletterArticleFactory(
        issue=new, title="協議体は話し合いの場", page=1, body="## 第1層と第2層\n\n市全体と圏域。"
    )
    NewsletterArticleFactory(issue=new, title="行事のご案内", page=4, body="活動発表会を開きます。")
    return {"old": old, "middle": middle, "new": new}


def test_the_archive_groups_issues_by_year_newest_first(resident, issues):
    response = resident.get("/newsletters/")
    html = main(response.content.decode())
    years = re.findall(r'<h2 id="year-\d+">([^<]+)</h2>', html)
    assert years == ["2026年（令和8年）", "2025年（令和7年）"]
    links = re.findall(r'<a href="/newsletters/(\d+)/">([^<]+)</a>', html)
    assert links == [
        ("68", "第68号（令和8年11月号）"),
        ("67", "第67号（令和8年5月号）"),
        ("66", "第66号（令和7年11月号）"),
    ]
    assert "特集：協議体" in html
    assert "第69号" not in html and "第70号" not in html
    assert "<title>社協だより｜テスト市社協</title>" in response.content.decode()


def test_an_issue_page_has_a_table_of_contents_and_the_articles_text(resident, issues):
    issue = issues["new"]
    response = resident.get("/newsletters/68/")
    assert response.status_code == 200
    html = main(response.content.decode())
    assert "<h1>社協だより 第68号" in html and "令和8年11月号" in html
    toc = html.split('<nav class="news-toc"', 1)[1].split("</nav>", 1)[0]
    anchors = re.findall(r'<a href="#(article-\d+)">([^<]+)</a>（(\d)ページ）', toc)
    assert [(title, page) for _, title, page in anchors] == [
        ("協議体は話し合いの場", "1"),
        ("行事のご案内", "4"),
    ]
    for anchor, title, _ in anchors:
        assert f'<article class="news-issue-article" id="{anchor}"' in html
        assert f'<h2 id="{anchor}-title">{title}</h2>' in html
    assert "<h3>第1層と第2層</h3>" in html  # under the article's h2
    assert "この号のPDFはありません。" in html
    assert issue.articles.count() == 2


def test_an_issue_with_pdf_and_cover_links_the_pdf_with_its_size(resident, issues):
    from tests.salons.crafted import png

    issue = issues["old"]
    issue.pdf.save("dayori.pdf", ContentFile(PDF), save=False)
    issue.cover.save("cover.png", ContentFile(png()), save=False)
    issue.cover_alt = "敬老会で花束を受け取る参加者"
    issue.save()
    html = main(resident.get("/newsletters/66/").content.decode())
    assert f'<a href="{issue.pdf.url}">第66号をPDFで見る</a>（{len(PDF)}' in html
    assert 'alt="敬老会で花束を受け取る参加者"' in html
    assert "この号の記事は、まだ文字で掲載していません。PDFをご覧ください。" in html
    archive = main(resident.get("/newsletters/").content.decode())
    assert f'<a href="{issue.pdf.url}">PDF</a>' in archive


@pytest.mark.parametrize("path", ["/newsletters/69/", "/newsletters/70/", "/newsletters/1/"])
def test_unpublished_or_missing_issues_are_404(resident, issues, path):
    assert resident.get(path).status_code == 404


@pytest.mark.parametrize("path", ["/newsletters/" + "9" * 12 + "/", "/newsletters/abc/"])
def test_numbers_that_cannot_be_an_issue_are_404(resident, issues, path):
    assert resident.get(path).status_code == 404


def test_pages_run_a_bounded_number_of_queries(resident, issues, django_assert_max_num_queries):
    for number in range(200, 260):
        NewsletterArticleFactory.create_batch(3, issue=NewsletterIssueFactory(number=number))
    # The shell, count (1), page (1).
    with django_assert_max_num_queries(SHELL_QUERIES + 2):
        assert resident.get("/newsletters/", {"page": 2}).status_code == 200
    NewsletterArticleFactory.create_batch(20, issue=issues["new"])
    # The shell, the issue (1), its articles (1).
    with django_assert_max_num_queries(SHELL_QUERIES + 2):
        assert resident.get("/newsletters/68/").status_code == 200


# --- the querysets the home page and the site search use ----------------------------


def test_search_finds_an_issue_by_its_articles_text_once(issues):
    found = NewsletterIssue.objects.published().search(["活動発表会"])
    assert list(found) == [issues["new"]]
    assert list(NewsletterIssue.objects.published().search(["第1層", "圏域"])) == [issues["new"]]
    assert not NewsletterIssue.objects.published().search(["存在しない言葉"]).exists()
    # Two articles matching make one result.
    assert NewsletterIssue.objects.search(["の"]).filter(number=68).count() == 1


def test_post_and_event_search_and_published_share_one_rule(db):
    category = CategoryFactory()
    PostFactory(title="サロン研修会", category=category)
    PostFactory(title="サロン研修会（下書き）", category=category, draft=True)
    PostFactory(title="サロン研修会（予約）", category=category, scheduled=True)
    assert list(
        Post.objects.published().search(["サロン", "研修"]).values_list("title", flat=True)
    ) == ["サロン研修会"]
    assert Post.objects.scheduled().get().title == "サロン研修会（予約）"
    later = timezone.now() + datetime.timedelta(days=5)
    assert Post.objects.published(later).count() == 2
    EventFactory(title="サロン交流会", place="清音公民館")
    EventFactory(title="サロン交流会（下書き）", draft=True)
    from news.models import Event

    assert list(Event.objects.published().search(["清音"]).values_list("title", flat=True)) == [
        "サロン交流会"
    ]
