"""news.sitemaps: only what the public may read, so nothing is announced before its time."""

import datetime

from django.utils import timezone

from news.models import Post
from news.sitemaps import EventSitemap, NewsletterSitemap, PostSitemap
from tests.news.factories import CategoryFactory, EventFactory, NewsletterIssueFactory, PostFactory


def locations(sitemap):
    return [sitemap.location(item) for item in sitemap.items()]


def test_sitemaps_list_published_items_only(db):
    category = CategoryFactory()
    shown = PostFactory(category=category)
    scheduled = PostFactory(category=category, scheduled=True)
    PostFactory(category=category, draft=True)
    PostFactory(category=category, ended=True)
    assert locations(PostSitemap()) == [shown.get_absolute_url()]
    Post.objects.filter(pk=scheduled.pk).update(
        published_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert locations(PostSitemap()) == [shown.get_absolute_url(), scheduled.get_absolute_url()]

    event = EventFactory()
    EventFactory(draft=True)
    EventFactory(scheduled=True)
    assert locations(EventSitemap()) == [event.get_absolute_url()]

    issue = NewsletterIssueFactory(number=68)
    NewsletterIssueFactory(number=69, scheduled=True)
    NewsletterIssueFactory(number=70, draft=True)
    assert locations(NewsletterSitemap()) == [issue.get_absolute_url()]
    assert PostSitemap().lastmod(shown) >= shown.published_at
