"""News, events and 社協だより on other pages (the home page, a district's page): {% load news %}.

The pages that show them know nothing of this app's models; each tag runs the
one query it names.
"""

from django import template
from django.utils import timezone

from news.models import Event, NewsletterIssue, Post

register = template.Library()

POSTS_SHOWN = 5
EVENTS_SHOWN = 5


@register.inclusion_tag("news/includes/latest_posts.html")
def latest_posts(count=POSTS_SHOWN, district=None):
    """The newest published posts, pinned first (one query); only a district's when given."""
    posts = Post.objects.published(timezone.now()).for_list()
    if district is not None:
        posts = posts.filter(districts=district)
    return {"posts": list(posts[:count]), "district": district}


@register.inclusion_tag("news/includes/upcoming_events.html")
def upcoming_events(count=EVENTS_SHOWN, district=None):
    """The next published events, soonest first (one query, one prefetch)."""
    now = timezone.now()
    events = Event.objects.published(now).upcoming(now).for_list()
    if district is not None:
        events = events.filter(district=district)
    return {"events": list(events[:count]), "district": district}


@register.simple_tag
def latest_newsletter():
    """The newest published 社協だより, or None (one query): {% latest_newsletter as issue %}."""
    return NewsletterIssue.objects.published(timezone.now()).order_by("-number").first()
