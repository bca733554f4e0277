"""Anonymous pages from the shared cache, never stale.

A GET from a reader with no session and no pending message is answered from
the cache (`CACHE_URL`: Redis in production) before sessions, CSRF, auth and
the rest of the middleware run. The key is the URL and the reader's three
display choices (文字サイズ, 背景色, ふりがな), never any other cookie. A kept
page is served only while

- every topic it read still has the version it was built under: any write to
  a table of a topic changes its version (shakyo_portal/core/cacheversions.py),
  so an admin save, a service's update(), an import or a restore shows on the
  very next request; and
- the minute it was built in has not ended: whatever changes with the clock
  (a post scheduled for 10:00, an office opening, today's date, an event
  becoming past) shows on the minute, with no list of schedules to keep.

A page is kept only when it was built for nobody in particular: a 200 to a
GET that set no cookie, used no CSRF or form token, was not marked private
(never_cache) and read only tables that a topic claims. It is kept with its
brotli and gzip bodies, a weak ETag and the Last-Modified of the first time
this exact body was built, so ConditionalGetMiddleware answers 304 to a
browser or a calendar app that already has it.
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

from shakyo_portal.core import cacheversions, preferences
from shakyo_portal.public import compression

ENTRY_PREFIX = "pagecache:p:"
# A page bigger than this is built each time rather than kept three times over.
MAX_BYTES = 2_000_000
# Headers that belong to one response, not to the page.
NOT_KEPT = {"content-length", "content-encoding", "set-cookie", "vary", "etag", "last-modified"}
HEADER = "X-Page-Cache"


def minute(now=None) -> str:
    return (now or timezone.now()).strftime("%Y%m%d%H%M")


def entry_key(request) -> str:
    prefs = preferences.read(request)
    raw = "|".join(
        (
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            prefs.size,
            prefs.theme,
            prefs.furigana,
        )
    )
    # The coding the client asks for is appended: one entry per coding.
    return ENTRY_PREFIX + hashlib.sha256(raw.encode()).hexdigest() + ":"


@functools.cache
def _admin_path() -> str:
    """/admin/ as request.path_info has it (without a script prefix), found once."""
    return "/" + reverse("admin:index")[len(get_script_prefix()) :]


def anonymous_read(request) -> bool:
    """May this request be answered from, or its answer go into, the cache?"""
    return (
        settings.PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        # A message waits for this reader (kept in a cookie when there is no session).
        and "messages" not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.path_info.startswith(_admin_path())
    )


def storable(request, response, read_topics) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not getattr(request, "private_page", False)
        and not getattr(request, "built_each_time", False)
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
        and cacheversions.UNTRACKED not in read_topics
        and len(response.content) <= MAX_BYTES
        and _varies_only_by_cookie(response)
    )


def _varies_only_by_cookie(response) -> bool:
    # The key already holds the cookies that matter; a page varying by any
    # other header (Accept, say) would need that header in the key too.
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    return vary <= {"cookie", "accept-encoding"}


CODINGS = ("br", "gzip", "")


def make_entries(response, versions, previous, started) -> dict[str, dict]:
    """One entry per coding a client may ask for, each holding only its own
    body: a hit then fetches the bytes it sends and nothing more."""
    body = response.content
    etag = hashlib.sha256(body).hexdigest()[:32]
    if previous and previous.get("etag") == etag:
        last_modified = previous["last_modified"]
    else:
        last_modified = int(started.timestamp())
    bodies = {"": body}
    if compression.compressible(response):
        for coding in ("br", "gzip"):
            encoded = compression.encode(body, coding, kept=True)
            if len(encoded) < len(body):
                bodies[coding] = encoded
    # Every header is worked out here, once, so a hit only copies them.
    kept = HttpResponse(status=response.status_code)
    for name, value in response.items():
        if name.lower() not in NOT_KEPT:
            kept[name] = value
    if len(bodies) > 1:
        kept["Vary"] = "Accept-Encoding"
    kept["ETag"] = f'W/"{etag}"'
    kept["Last-Modified"] = http_date(last_modified)
    # The page differs by the display cookies and no Vary: Cookie is sent, so
    # no shared cache may keep it; a browser asks again each time and gets a 304.
    patch_cache_control(kept, private=True, no_cache=True)
    common = {
        # The minute the build started in: rows read then, clock read then.
        "minute": minute(started),
        "versions": versions,
        "status": response.status_code,
        "etag": etag,
        "last_modified": last_modified,
    }
    entries = {}
    for asked in CODINGS:
        coding = asked if asked in bodies else ""
        headers = [*kept.items(), ("Content-Length", str(len(bodies[coding])))]
        if coding:
            headers.append(("Content-Encoding", coding))
        entries[asked] = {**common, "headers": headers, "body": bodies[coding]}
    return entries


def respond(request, entry, state: str) -> HttpResponse:
    response = HttpResponse(
        b"" if request.method == "HEAD" else entry["body"],
        status=entry["status"],
        headers=entry["headers"],
    )
    response[HEADER] = state
    return response


def built_each_time(view):
    """For a page that shows what is not in the database (a file, say), so no
    version can tell when it changed: it is built for every request."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        request.built_each_time = True
        return view(request, *args, **kwargs)

    return wrapper


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not anonymous_read(request) or cacheversions.breaker.skip():
            return self.get_response(request)
        names = cacheversions.topics()
        version_keys = [cacheversions.key(name) for name in names]
        asked = compression.choose(request.META.get("HTTP_ACCEPT_ENCODING", ""), secret=False)
        try:
            key = entry_key(request)
            found = cache.get_many([key + asked, *version_keys])
            versions = {name: found.get(cacheversions.key(name)) for name in names}
            missing = [name for name, version in versions.items() if version is None]
            if missing:
                # Before the page is built: a version given after a write
                # during the build would keep the old rows under the new one.
                versions.update(cacheversions.read(missing))
        except Exception as error:
            cacheversions.breaker.failed(error)
            return self.get_response(request)
        started = timezone.now()
        entry = found.get(key + asked)
        if entry and self._fresh(entry, versions, started):
            return respond(request, entry, "hit")

        with cacheversions.recording() as read_topics:
            response = self.get_response(request)
        if not storable(request, response, read_topics):
            return response
        # Every page shows the site's shell (notices, offices, menu), whether or
        # not this build read them from the database.
        kept = (read_topics | {cacheversions.SITE}) & versions.keys()
        entries = make_entries(response, {name: versions[name] for name in kept}, entry, started)
        try:
            # Past the minute it was built in, it is never served again.
            cache.set_many(
                {key + coding: value for coding, value in entries.items()},
                timeout=61 - started.second,
            )
        except Exception as error:
            cacheversions.breaker.failed(error)
        return respond(request, entries[asked], "miss")

    @staticmethod
    def _fresh(entry, versions, now) -> bool:
        return entry["minute"] == minute(now) and all(
            versions.get(name) == version for name, version in entry["versions"].items()
        )
