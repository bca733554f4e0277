"""While the database is away: a 503 with the Japanese "一時的に表示できません"
page, and the emergency notices and the office's phone still on it.

Pages read both from the database; each time they do, a copy goes to the
shared cache (at most once a minute per process), so the 503 page can show
them without the database. A 災害ボランティアセンター notice is exactly what
must stay readable when the site is overloaded or its database restarts.
"""

import logging
import sys
import time

from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils import timezone

from shakyo_portal.core import requestids

logger = logging.getLogger(__name__)

KEY = "outage:shell"
RETRY_AFTER_SECONDS = 60
# A copy is written this often at most, by each process.
REFRESH_SECONDS = 60

_last_written: dict = {"at": 0.0, "copy": None}


def remember(*, notices, offices) -> None:
    """Keep a copy of what the 503 page shows. Never fails the page."""
    copy = {
        "notices": [
            {
                "level": notice.level,
                "level_label": notice.get_level_display(),
                "title": notice.title,
                "body": notice.body,
                "starts_at": notice.starts_at,
                "ends_at": notice.ends_at,
                "link_url": notice.link_url,
                "link_text": notice.link_text,
            }
            for notice in notices
        ],
        "offices": [
            {"name": office.name, "phone": office.phone, "phone_label": office.phone_label}
            for office in offices
            if office.phone
        ],
    }
    now = time.monotonic()
    if copy == _last_written["copy"] and now - _last_written["at"] < REFRESH_SECONDS:
        return
    try:
        cache.set(KEY, copy, timeout=None)
    except Exception:
        # The cache has its own alert (core.ratelimit); the page goes on.
        return
    _last_written.update(at=now, copy=copy)


def forget() -> None:
    """Write the next copy whatever this process wrote last (after the cache
    was emptied behind its back, as between tests)."""
    _last_written.update(at=0.0, copy=None)


def remembered() -> dict:
    try:
        copy = cache.get(KEY) or {}
    except Exception:
        copy = {}
    now = timezone.now()
    notices = [
        notice
        for notice in copy.get("notices", [])
        if notice["starts_at"] <= now and (notice["ends_at"] is None or notice["ends_at"] > now)
    ]
    return {"notices": notices, "offices": copy.get("offices", [])}


def database_is_away() -> bool:
    """Called from the 500 handler: is the exception being handled the
    database being unreachable (not a bug in a query)?"""
    error = sys.exc_info()[1]
    return isinstance(error, (OperationalError, InterfaceError))


def unavailable_response() -> HttpResponse:
    logger.error("The database is unreachable: answered 503")
    context = {"request_id": requestids.current(), **remembered()}
    body = loader.render_to_string("503.html", context)
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
