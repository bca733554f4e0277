"""Sitemap sections for posts, events and 社協だより, declared in news/portal.py.

Each lists only what `published(now)` lets anyone read, so a draft or a post
scheduled for later is not announced to search engines before its time.
"""

from django.contrib.sitemaps import Sitemap
from django.utils import timezone

from news.models import Event, NewsletterIssue, Post


class PostSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Post.objects.published(timezone.now()).order_by("pk")

    def lastmod(self, post):
        return max(post.updated_at, post.published_at)


class EventSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Event.objects.published(timezone.now()).order_by("pk")

    def lastmod(self, event):
        return max(event.updated_at, event.published_at)


class NewsletterSitemap(Sitemap):
    changefreq = "yearly"

    def items(self):
        return NewsletterIssue.objects.published(timezone.now()).order_by("pk")

    def lastmod(self, issue):
        return max(issue.updated_at, issue.published_at)
