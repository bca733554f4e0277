"""News, events and 社協だより with every part of every page filled in.

The HTML checker and the browser tests look at the same pages; this gives them
the data, so each branch of each template is there.
"""

import datetime
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.utils import timezone

from news.models import RegistrationStatus
from tests.factories import (
    CouncilFactory,
    DistrictFactory,
    OfficeFactory,
    SiteProfileFactory,
)
from tests.news.factories import (
    AccommodationFactory,
    CategoryFactory,
    EventFactory,
    NewsletterArticleFactory,
    NewsletterIssueFactory,
    PostFactory,
    RegistrationFactory,
    days_from_now,
)
from tests.salons.crafted import png

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

RICH_BODY = """## 内容

令和8年12月7日(月)に、[総合福祉センター](/contact/)で研修会を開きます。

### 持ち物

- 筆記用具
- 上履き

| 時間 | 内容 |
|---|---|
| 10:00 | 受付 |
| 10:30 | 講演 |

> 申込は不要です。

![会場の様子](/static/favicon.svg)
"""


def build_news():
    SiteProfileFactory()
    office = OfficeFactory(name="地域共生推進課", phone="0866-92-8552")
    district = DistrictFactory(name="清音", slug="kiyone")
    council = CouncilFactory(name="第1層協議体")
    notice = CategoryFactory(name="お知らせ", slug="oshirase", display_order=1)
    volunteer = CategoryFactory(name="ボランティア", slug="volunteer", display_order=2)
    now = timezone.now()

    pinned = PostFactory(title="年末年始の休業のお知らせ", category=notice, pinned=True)
    rich = PostFactory(
        title="研修会のご案内",
        slug="kenshukai",
        category=notice,
        body=RICH_BODY,
        districts=[district],
        published_at=now - datetime.timedelta(days=2),
    )
    rich.images.create(
        image=ContentFile(png(), name="photo.png"),
        alt_text="体操をする参加者",
        caption="昨年の様子",
    )
    attachment = rich.attachments.create(title="申込書", file=ContentFile(PDF, name="a.pdf"))
    assert attachment.size
    for n in range(22):
        PostFactory(
            title=f"ボランティアのお知らせ{n}",
            category=volunteer,
            published_at=now - datetime.timedelta(days=10 + n),
        )
    draft = PostFactory(title="下書き", category=notice, draft=True)

    sign = AccommodationFactory(name="手話通訳", slug="shuwa", display_order=1)
    captions = AccommodationFactory(name="要約筆記", slug="yoyaku", display_order=2)
    signup = EventFactory(
        title="認知症サポーター養成講座",
        signup=True,
        capacity=5,
        fee=500,
        fee_note="資料代",
        office=office,
        description=RICH_BODY,
        registration_note="お電話でも受け付けます。",
        accommodations=[sign, captions],
        starts_at=days_from_now(3, 13),
    )
    RegistrationFactory(event=signup, people=2)
    full = EventFactory(title="満員の講座", signup=True, capacity=2, starts_at=days_from_now(4, 10))
    RegistrationFactory(event=full, people=2)
    RegistrationFactory(event=full, people=1, status=RegistrationStatus.WAITLISTED)
    closed = EventFactory(
        title="締め切った講座",
        signup=True,
        registration_deadline=now - datetime.timedelta(hours=1),
        starts_at=days_from_now(5, 10),
    )
    cancelled = EventFactory(
        title="ふれあい交流会", cancelled=True, district=district, starts_at=days_from_now(6, 10)
    )
    forum = EventFactory(
        title="活動発表会",
        council=council,
        district=district,
        office=office,
        capacity=300,
        accommodations=[sign],
        starts_at=days_from_now(8, 10),
    )
    past = EventFactory(title="福祉委員研修会", past=True)
    EventFactory(title="下書きの行事", draft=True)

    with_files = NewsletterIssueFactory(
        number=67, issued_on=datetime.date(2025, 11, 1), title="特集：見守り"
    )
    with_files.pdf.save("dayori.pdf", ContentFile(PDF), save=False)
    with_files.cover.save("cover.png", ContentFile(png()), save=False)
    with_files.cover_alt = "見守り活動の様子"
    with_files.save()
    text_only = NewsletterIssueFactory(
        number=68, issued_on=datetime.date(2026, 11, 1), title="特集：協議体"
    )
    NewsletterArticleFactory(issue=text_only, title="協議体とは", body=RICH_BODY)
    NewsletterArticleFactory(issue=text_only, title="行事のご案内", first_page=None)
    # A もくじ line with pages and no text on the site.
    NewsletterArticleFactory(
        issue=text_only, title="寄付のお礼", first_page=4, last_page=5, body=""
    )

    return SimpleNamespace(
        pinned=pinned,
        rich=rich,
        draft=draft,
        signup=signup,
        full=full,
        closed=closed,
        cancelled=cancelled,
        forum=forum,
        past=past,
        with_files=with_files,
        text_only=text_only,
    )


def public_pages(news):
    """(name, path) of every public page of the scenario."""
    today = timezone.localdate()
    return [
        ("news", "/news/"),
        ("news-page-2", "/news/?page=2"),
        ("news-category", "/news/volunteer/"),
        ("post", news.rich.get_absolute_url()),
        ("events", "/events/"),
        ("events-past", "/events/?when=past"),
        ("calendar", f"/events/calendar/{today.year}/{today.month}/"),
        ("calendar-empty", "/events/calendar/2030/1/"),
        ("event-signup", news.signup.get_absolute_url()),
        ("event-full", news.full.get_absolute_url()),
        ("event-closed", news.closed.get_absolute_url()),
        ("event-cancelled", news.cancelled.get_absolute_url()),
        ("event-forum", news.forum.get_absolute_url()),
        ("event-past", news.past.get_absolute_url()),
        ("register", f"/events/{news.signup.pk}/register/"),
        ("register-waitlist", f"/events/{news.full.pk}/register/"),
        ("register-closed", f"/events/{news.closed.pk}/register/"),
        ("newsletters", "/newsletters/"),
        ("newsletter-files", news.with_files.get_absolute_url()),
        ("newsletter-text", news.text_only.get_absolute_url()),
    ]
