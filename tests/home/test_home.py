"""The home page: what matters now, the ways in, and whom to call."""

import datetime

import pytest
from django.utils import timezone

from councils.models import MeetingStatus
from tests.factories import (
    CouncilFactory,
    MeetingFactory,
    OfficeFactory,
    SiteProfileFactory,
)
from tests.news.factories import EventFactory, NewsletterIssueFactory, PostFactory
from tests.test_html_validity import LARGE_BLACK, check_pages, vnu_command


@pytest.fixture
def site(db):
    return SiteProfileFactory(), OfficeFactory(name="地域共生推進課")


def soon(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def fill(n):
    """n of each thing the home page shows, and things it must not show."""
    council = CouncilFactory()
    for i in range(n):
        PostFactory(title=f"お知らせ{i}")
        EventFactory(title=f"行事{i}")
        MeetingFactory(council=council, held_on=soon(10 + i), number=i + 1)
        NewsletterIssueFactory()


def test_shows_what_matters_now(resident, site):
    PostFactory(title="ふつうのお知らせ")
    PostFactory(title="年末年始の休業", pinned=True)
    PostFactory(title="来週公開の記事", scheduled=True)
    PostFactory(title="下書きの記事", draft=True)
    EventFactory(title="介護予防教室")
    EventFactory(title="先週の行事", past=True)
    EventFactory(title="未公開の行事", draft=True)
    council = CouncilFactory(name="生活支援サービス検討委員会", city=True)
    MeetingFactory(council=council, held_on=soon(5), title="第3回検討委員会")
    MeetingFactory(
        council=council,
        held_on=soon(6),
        title="取りやめた会議",
        status=MeetingStatus.CANCELLED,
        status_reason="台風のため",
    )
    NewsletterIssueFactory(number=68)
    html = resident.get("/").content.decode()
    # Pinned news first, scheduled and draft posts nowhere.
    assert html.index("年末年始の休業") < html.index("ふつうのお知らせ")
    assert "来週公開の記事" not in html and "下書きの記事" not in html
    assert "介護予防教室" in html
    assert "先週の行事" not in html and "未公開の行事" not in html
    assert "第3回検討委員会" in html and "取りやめた会議" not in html
    assert "第68号" in html
    # The ways in the issue names, each a link.
    for label, url in [
        ("地区を探す", "/districts/"),
        ("サロンを探す", "/salons/"),
        ("活動計画書を出す", "/salons/plans/"),
        ("相談窓口", "/contact/"),
    ]:
        assert f'href="{url}"' in html and label in html
    # Whom to call, and whether they answer now.
    assert "相談窓口のいまの受付" in html
    assert "地域共生推進課" in html


def test_an_empty_site_still_makes_sense(resident, db):
    html = resident.get("/").content.decode()
    assert "予定している協議体の会議はありません。" in html
    assert "社協だよりは、まだ掲載していません。" in html
    assert "窓口の情報は、まだ掲載していません。" in html


def test_queries_do_not_grow_with_the_data(resident, site, django_assert_max_num_queries):
    fill(3)
    # site profile, offices, posts, events (+ accommodations), meetings, newsletter
    with django_assert_max_num_queries(8):
        resident.get("/")
    fill(30)
    with django_assert_max_num_queries(8):
        resident.get("/")


def test_home_with_everything_is_valid_html(resident, site, tmp_path):
    command = vnu_command()
    fill(3)
    PostFactory(title="重要なお知らせ", pinned=True)
    written = {}
    for name, cookies in [("home-full", {}), ("home-full-xlarge-black", LARGE_BLACK)]:
        resident.cookies.load(cookies)
        (tmp_path / f"{name}.html").write_bytes(resident.get("/").content)
        written[f"{name}.html"] = f"/ {cookies}"
    check_pages(command, tmp_path, written)
