"""/newsletters/ and an issue's page: readable without the PDF, and found by the search."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from news.models import NewsletterIssue, Post
from shakyo_portal.core.precision import DatePrecision
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
        issue=new,
        title="協議体は話し合いの場",
        first_page=1,
        body="## 第1層と第2層\n\n市全体と圏域。",
    )
    NewsletterArticleFactory(
        issue=new, title="行事のご案内", first_page=4, last_page=7, body="活動発表会を開きます。"
    )
    # Printed, but not typed in: a line of the もくじ only.
    NewsletterArticleFactory(issue=new, title="寄付のお礼", first_page=8, body="")
    return {"old": old, "middle": middle, "new": new}


@pytest.fixture
def partial_dates(issues):
    """Issues dated as their sources date them: a 年度 only, and a full day."""
    return {
        "fiscal_year": NewsletterIssueFactory(
            number=65,
            issued_on=datetime.date(2025, 4, 1),
            issued_on_precision=DatePrecision.FISCAL_YEAR,
            title="特別号",
        ),
        "day": NewsletterIssueFactory(
            number=64,
            issued_on=datetime.date(2025, 2, 14),
            issued_on_precision=DatePrecision.DAY,
            title="",
        ),
    }


def test_the_archive_groups_issues_by_fiscal_year_newest_first(resident, partial_dates):
    response = resident.get("/newsletters/")
    html = main(response.content.decode())
    years = re.findall(r'<h2 id="year-\d+">([^<]+)</h2>', html)
    assert years == ["令和8年度（2026年度）", "令和7年度（2025年度）", "令和6年度（2024年度）"]
    links = re.findall(r'<a href="/newsletters/(\d+)/">([^<]+)</a>', html)
    # Inside a 年度 by number: the issue known only to its 年度 has no month to sort by.
    assert links == [
        ("68", "第68号（令和8年11月）"),
        ("67", "第67号（令和8年5月）"),
        ("66", "第66号（令和7年11月）"),
        ("65", "第65号（令和7年度）"),
        ("64", "第64号（令和7年2月14日）"),
    ]
    assert "特集：協議体" in html
    assert "第69号" not in html and "第70号" not in html
    assert "<title>社協だより｜テスト市社協</title>" in response.content.decode()


def test_an_issue_known_to_its_year_or_day_says_just_that(resident, partial_dates):
    html = resident.get("/newsletters/65/").content.decode()
    assert "<title>社協だより 第65号（令和7年度）" in html
    assert '<span class="h1-sub">令和7年度発行　特別号</span>' in html
    # The 1 April it is stored on is never shown as if it were known.
    assert "4月" not in main(html)
    html = resident.get("/newsletters/64/").content.decode()
    assert '<span class="h1-sub">令和7年2月14日発行</span>' in html


def test_an_issue_page_has_a_table_of_contents_and_the_articles_text(resident, issues):
    issue = issues["new"]
    response = resident.get("/newsletters/68/")
    assert response.status_code == 200
    html = main(response.content.decode())
    assert "<h1>社協だより 第68号" in html and "令和8年11月発行" in html
    toc = html.split('<nav class="news-toc"', 1)[1].split("</nav>", 1)[0]
    lines = re.findall(r"<li>(.*?)</li>", toc)
    assert len(lines) == 3
    linked = (
        r'<a href="#(article-\d+)">([^<]+)</a><span class="news-toc__pages">（([^）]+)）</span>'
    )
    anchors = [re.fullmatch(linked, line).groups() for line in lines[:2]]
    assert [(title, pages) for _, title, pages in anchors] == [
        ("協議体は話し合いの場", "P1"),
        ("行事のご案内", "P4〜P7"),
    ]
    for anchor, title, _ in anchors:
        assert f'<article class="news-issue-article" id="{anchor}"' in html
        assert f'<h2 id="{anchor}-title">{title}</h2>' in html
    # The line without text: no link, no empty section, and the reader is told where to read it.
    assert lines[2] == '寄付のお礼<span class="news-toc__pages">（P8）</span>'
    assert html.count('<article class="news-issue-article"') == 2
    assert "<h2" not in html.split("寄付のお礼", 1)[1].split("</nav>", 1)[0]
    assert "リンクのない記事は、紙面でお読みください。" in toc
    assert "<h3>第1層と第2層</h3>" in html  # under the article's h2
    assert "この号のPDFはありません。" in html
    assert issue.articles.count() == 3


def test_an_issue_whose_articles_all_have_text_has_no_note_about_lines(resident, issues):
    issues["new"].articles.filter(body="").delete()
    html = main(resident.get("/newsletters/68/").content.decode())
    assert "リンクのない記事" not in html


def test_an_issue_with_pdf_and_cover_links_the_pdf_with_its_size(resident, issues):
    from tests.salons.crafted import png

    issue = issues["old"]
    issue.pdf.save("dayori.pdf", ContentFile(PDF), save=False)
    issue.cover.save("cover.png", ContentFile(png()), save=False)
    issue.cover_alt = "敬老会で花束を受け取る参加者"
    issue.save()
    html = main(resident.get("/newsletters/66/").content.decode())
    assert f'<a href="{issue.pdf.url}" download>第66号のPDF版</a>（{len(PDF)}' in html
    assert 'alt="敬老会で花束を受け取る参加者"' in html
    assert "この号の記事は、まだ文字で掲載していません。PDFをご覧ください。" in html
    archive = main(resident.get("/newsletters/").content.decode())
    assert (
        f'<a href="{issue.pdf.url}" download>PDF版'
        '<span class="visually-hidden">（第66号）</span></a>' in archive
    )


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
    NewsletterArticleFactory.create_batch(10, issue=issues["new"])
    NewsletterArticleFactory.create_batch(10, issue=issues["new"], body="", last_page=3)
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


def test_the_site_search_shows_an_issue_dated_as_far_as_known(resident, partial_dates):
    html = main(resident.get("/search/", {"q": "特別号"}).content.decode())
    assert '<p class="search-result__meta">令和7年度発行</p>' in html
    assert "令和7年4月" not in html


def test_an_issue_with_only_its_table_of_contents_promises_no_text(resident, db):
    issue = NewsletterIssueFactory(number=68)
    NewsletterArticleFactory(issue=issue, title="協議体だより", body="", first_page=4, last_page=7)
    html = main(resident.get(issue.get_absolute_url()).content.decode())
    assert "協議体だより" in html and "P4〜P7" in html
    assert "このページで読めます" not in html
    assert "この号のPDFはありません。" in html
    assert "紙面でお読みください" in html
