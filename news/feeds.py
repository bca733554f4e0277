"""RSS and Atom feeds of the news (all, and per category), and iCalendar of the events.

Feeds read `published(now)` like the pages, so a scheduled post enters the
feed at its time and a draft never does. Each feed runs a fixed number of
queries: the category (for a category feed) and the latest posts.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_safe
from icalendar import Event as CalendarEvent

from news import markdown
from news.models import Category, Event, EventStatus, Post
from shakyo_portal.core.calendars import calendar_bytes
from shakyo_portal.core.calendars import calendar_response as ical_response
from shakyo_portal.core.models import SiteProfile

ITEMS_IN_FEED = 20
# The calendar file: events from this long ago on, and at most this many.
CALENDAR_PAST = timedelta(days=90)
CALENDAR_LIMIT = 300


def site_name() -> str:
    profile = SiteProfile.objects.first()
    return profile.name if profile else "社会福祉協議会"


class LatestPostsFeed(Feed):
    """/news/feed/: the latest published posts, each with its whole text."""

    language = "ja"

    def get_object(self, request, *args, **kwargs):
        self.site_name = site_name()
        return None

    def title(self, obj):
        return f"{self.site_name}のお知らせ"

    def link(self, obj):
        return reverse("news:index")

    def description(self, obj):
        return f"{self.site_name}からのお知らせの新着です。"

    def items(self, obj):
        return Post.objects.published(timezone.now()).select_related("category")[:ITEMS_IN_FEED]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.body_html

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.published_at)

    def item_categories(self, item):
        return [item.category.name]

    def item_guid(self, item):
        # Stable even if staff change the slug.
        return f"{settings.SITE_URL}/news/posts/{item.pk}"

    item_guid_is_permalink = False


class LatestPostsAtomFeed(LatestPostsFeed):
    feed_type = Atom1Feed
    subtitle = LatestPostsFeed.description


class CategoryFeed(LatestPostsFeed):
    """/news/<category>/feed/: one category's posts."""

    def get_object(self, request, slug):
        self.site_name = site_name()
        return get_object_or_404(Category, slug=slug)

    def title(self, obj):
        return f"{self.site_name}のお知らせ（{obj.name}）"

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return f"{self.site_name}からの「{obj.name}」のお知らせの新着です。"

    def items(self, obj):
        return (
            Post.objects.published(timezone.now())
            .filter(category=obj)
            .select_related("category")[:ITEMS_IN_FEED]
        )


class CategoryAtomFeed(CategoryFeed):
    feed_type = Atom1Feed
    subtitle = CategoryFeed.description


# --- iCalendar -------------------------------------------------------------------------

SUMMARY_PREFIX = {EventStatus.CANCELLED: "【中止】", EventStatus.POSTPONED: "【延期】"}


def calendar_event(event: Event, *, host: str, stamp: datetime) -> CalendarEvent:
    item = CalendarEvent()
    item.add("uid", f"news-event-{event.pk}@{host}")
    item.add("dtstamp", stamp)
    item.add("dtstart", event.starts_at)
    if event.ends_at:
        item.add("dtend", event.ends_at)
    item.add("summary", SUMMARY_PREFIX.get(event.status, "") + event.title)
    item.add("location", " ".join(filter(None, [event.place, event.place_address])))
    text = markdown.plain_text(event.description)
    if event.is_called_off and event.status_note:
        text = f"{event.status_note}\n\n{text}"
    item.add("description", text)
    item.add("url", settings.SITE_URL + event.get_absolute_url())
    item.add("sequence", event.sequence)
    item.add("last-modified", event.updated_at)
    # A postponed event does not take place at this time either: calendars should drop it.
    item.add("status", "CONFIRMED" if event.status == EventStatus.SCHEDULED else "CANCELLED")
    return item


def calendar_response(events, *, key: str, name: str, filename: str) -> HttpResponse:
    host = settings.SITE_HOST
    stamp = timezone.now()
    body = calendar_bytes(
        [calendar_event(event, host=host, stamp=stamp) for event in events],
        source="news",
        key=key,
        name=name,
        host=host,
    )
    return ical_response(body, filename=filename)


@require_safe
def events_ical(request):
    """/events/calendar.ics: events of the last three months and all to come (one query)."""
    now = timezone.now()
    events = (
        Event.objects.published(now)
        .filter(starts_at__gte=now - CALENDAR_PAST)
        .order_by("starts_at", "pk")[:CALENDAR_LIMIT]
    )
    return calendar_response(
        events, key="events", name=f"{site_name()}の行事", filename="events.ics"
    )


@require_safe
def event_ical(request, pk):
    """/events/<pk>/event.ics: one event, to add to a phone's calendar."""
    event = get_object_or_404(Event.objects.published(timezone.now()), pk=pk)
    return calendar_response(
        [event], key=f"event-{event.pk}", name=event.title, filename=f"event-{event.pk}.ics"
    )
