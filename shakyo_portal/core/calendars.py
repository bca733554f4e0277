"""iCalendar files and the one rule that keeps subscribed calendars current.

Every feed the site offers (協議体 meetings, 行事) is built here, so they
share their headers: a fixed UID per feed, the refresh interval calendar apps
honour, and Asia/Tokyo times with the zone included.
"""

from datetime import timedelta

from django.db import models
from django.http import HttpResponse
from icalendar import Calendar

# Calendar apps that honour it check back this often.
REFRESH = timedelta(hours=6)


def sequence_field():
    return models.PositiveIntegerField(default=0, editable=False)


class CalendarSequence(models.Model):
    """A row that appears in calendar feeds as an event.

    Calendar apps replace an event they already have only when its SEQUENCE
    grows, so every save after the first counts up. The model declares its
    own `sequence = sequence_field()`, where its other fields put it (an
    inherited field would come first, in the admin's CSV as well).
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            self.sequence += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "sequence"}
        super().save(*args, **kwargs)


def calendar_bytes(events, *, source: str, key: str, name: str, host: str, about=None) -> bytes:
    """The feed as bytes. `events` are icalendar Event components; `source`
    names the app in PRODID; `key` names the feed for good (councils,
    council-<pk>, events), so the same feed is the same calendar every time."""
    calendar = Calendar.new(
        prodid=f"-//shakyo-portal//{source}//JA",
        name=name,
        description=about,
        method="PUBLISH",
        refresh_interval=REFRESH,
        uid=f"{key}@{host}",
    )
    calendar.add("X-WR-TIMEZONE", "Asia/Tokyo")
    calendar.add("X-PUBLISHED-TTL", "PT6H")  # the older way to say REFRESH-INTERVAL
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def calendar_response(body: bytes, *, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
