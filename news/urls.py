from django.urls import path, register_converter

from news import feeds, views


class RowIdConverter:
    """A row's number: at most 18 digits, so a 30-digit number in the address is a 404
    instead of an integer the database cannot hold."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


class IssueNumberConverter(RowIdConverter):
    """第68号: a number the integer column holds (PostgreSQL's integer stops at 2³¹)."""

    regex = "[0-9]{1,9}"


register_converter(RowIdConverter, "row_id")
register_converter(IssueNumberConverter, "issue_number")

app_name = "news"
# Mounted at the site's root: this app answers under /news/, /events/ and /newsletters/.
urlpatterns = [
    # お知らせ: all, a post, the feeds, then a category (its slug is checked against the
    # words above, see news.models.RESERVED_CATEGORY_SLUGS).
    path("news/", views.post_list, name="index"),
    path("news/feed/", feeds.LatestPostsFeed(), name="feed"),
    path("news/atom/", feeds.LatestPostsAtomFeed(), name="atom"),
    path("news/posts/<slug:slug>/", views.post_detail, name="post"),
    path("news/<slug:slug>/", views.post_list, name="category"),
    path("news/<slug:slug>/feed/", feeds.CategoryFeed(), name="category_feed"),
    path("news/<slug:slug>/atom/", feeds.CategoryAtomFeed(), name="category_atom"),
    # 行事
    path("events/", views.event_list, name="events"),
    path("events/calendar/", views.calendar_now, name="calendar_now"),
    path("events/calendar.ics", feeds.events_ical, name="ical"),
    path("events/calendar/<int:year>/<int:month>/", views.event_calendar, name="calendar"),
    path("events/<row_id:pk>/", views.event_detail, name="event"),
    path("events/<row_id:pk>/event.ics", feeds.event_ical, name="event_ical"),
    path("events/<row_id:pk>/register/", views.event_register, name="register"),
    path(
        "events/<row_id:pk>/registrations/<row_id:registration_pk>/",
        views.registration_done,
        name="registered",
    ),
    # 社協だより
    path("newsletters/", views.newsletter_list, name="newsletters"),
    path("newsletters/<issue_number:number>/", views.newsletter_detail, name="newsletter"),
]
