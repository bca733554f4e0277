"""The page cache, compression and conditional requests, as a reader's browser
and a calendar app meet them: through the test client, on the local-memory
cache and on the Redis at 127.0.0.1:6379.

The write paths (admin, services, imports, restores, retention, erasure,
scheduled publishing, the emergency banner) are in test_page_cache_writes.py.
"""

import gzip
import logging
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import brotli
import pytest
import redis
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from districts.models import District
from tests.factories import DistrictFactory, SalonFactory, UserFactory

TOKYO = ZoneInfo("Asia/Tokyo")
HEADER = "X-Page-Cache"


REDIS_URL = "redis://127.0.0.1:6379/3"


@pytest.fixture(params=["locmem", "redis"])
def redis_prefix(request):
    """None, or this test's own key prefix in Redis: other test processes share
    the database, so it is never flushed; this prefix's keys go afterwards (set
    up before `settings`, so torn down after it)."""
    if request.param == "locmem":
        yield None
        return
    prefix = uuid.uuid4().hex
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def shared_cache(redis_prefix, settings):
    """Each test once with the local-memory cache and once with Redis."""
    if redis_prefix:
        settings.CACHES = {
            "default": {
                "BACKEND": "shakyo_portal.core.rediscache.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": redis_prefix,
            }
        }
        return "redis"
    return "locmem"


@pytest.fixture
def district(db):
    return DistrictFactory(name="三須地区", slug="misu")


def get(url, client=None, **headers):
    return (client or Client()).get(url, headers=headers)


def test_an_anonymous_page_is_built_once_then_served_without_a_query(
    shared_cache, district, django_assert_num_queries
):
    first = get("/districts/")
    assert first[HEADER] == "miss"
    with django_assert_num_queries(0):
        second = get("/districts/")
    assert second[HEADER] == "hit"
    assert second.content == first.content
    assert "三須地区" in second.content.decode()


def test_a_write_by_queryset_update_shows_on_the_next_request(shared_cache, district):
    assert get("/districts/")[HEADER] == "miss"
    assert get("/districts/")[HEADER] == "hit"
    District.objects.filter(pk=district.pk).update(name="服部地区")
    page = get("/districts/")
    assert page[HEADER] == "miss"
    assert "服部地区" in page.content.decode()
    assert "三須地区" not in page.content.decode()


def test_a_write_to_another_topic_leaves_the_page_kept(shared_cache, district):
    """A salon's change does not throw away the 地区 list, which reads no salon."""
    get("/districts/")
    SalonFactory(district=district, name="ひだまりサロン")
    assert get("/districts/")[HEADER] == "hit"


def test_a_signed_in_staff_member_is_never_served_from_or_into_the_cache(shared_cache, district):
    staff = Client()
    staff.force_login(UserFactory(username="kanri", staff=True))
    for _ in range(2):
        page = get("/districts/", staff)
        assert page.status_code == 200
        assert HEADER not in page
    # Nothing the staff member saw was kept for residents.
    assert get("/districts/")[HEADER] == "miss"
    # And a page kept for residents is not handed to staff.
    assert HEADER not in get("/districts/", staff)


def test_a_reader_with_a_waiting_message_gets_the_page_built_for_them(shared_cache, district):
    get("/districts/")
    reader = Client()
    reader.cookies["messages"] = "anything"
    assert HEADER not in get("/districts/", reader)


def test_a_page_with_a_form_token_is_never_kept(shared_cache, db):
    url = reverse("salons:plan_status")
    for _ in range(2):
        page = get(url)
        assert page.status_code == 200
        assert "csrfmiddlewaretoken" in page.content.decode()
        assert HEADER not in page


def test_each_display_choice_has_its_own_copy(shared_cache, district):
    black = Client()
    black.cookies["theme"] = "black"
    plain = get("/districts/")
    dark = get("/districts/", black)
    assert dark[HEADER] == "miss"
    assert dark.content != plain.content
    assert "theme-black" in dark.content.decode()
    assert get("/districts/", black)[HEADER] == "hit"
    large = Client()
    large.cookies["text_size"] = "xlarge"
    assert get("/districts/", large)[HEADER] == "miss"
    assert get("/districts/")[HEADER] == "hit"


def test_other_cookies_share_one_copy_and_no_vary_cookie_goes_out(shared_cache, district):
    get("/districts/")
    other = Client()
    other.cookies["csrftoken"] = "x" * 32
    other.cookies["_some_tracker"] = "abc"
    other.cookies["theme"] = "not-a-theme"
    page = get("/districts/", other)
    assert page[HEADER] == "hit"
    vary = [v.strip().lower() for v in page.get("Vary", "").split(",")]
    assert "cookie" not in vary
    # The reader's browser asks again each time; no shared cache keeps it.
    assert "private" in page["Cache-Control"] and "no-cache" in page["Cache-Control"]


def test_a_revalidating_browser_gets_304_for_a_page(shared_cache, district):
    first = get("/districts/")
    assert first["ETag"].startswith('W/"')
    again = get("/districts/", **{"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    since = get("/districts/", **{"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304


def test_a_changed_page_answers_200_to_an_old_validator(shared_cache, district):
    first = get("/districts/")
    District.objects.filter(pk=district.pk).update(name="服部地区")
    again = get("/districts/", **{"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert "服部地区" in again.content.decode()
    assert again["ETag"] != first["ETag"]


def test_a_calendar_app_polling_a_feed_gets_304(shared_cache, district, monkeypatch):
    salon = SalonFactory(district=district)
    url = reverse("salons:salon_calendar", args=[salon.pk])
    first = get(url)
    assert first.status_code == 200
    assert first["Content-Type"].startswith("text/calendar")
    assert get(url, **{"If-None-Match": first["ETag"]}).status_code == 304


def test_the_same_body_keeps_its_last_modified_past_the_minute(shared_cache, district, monkeypatch):
    monkeypatch.setattr(
        "django.utils.timezone.now", lambda: datetime(2026, 12, 7, 9, 59, 30, tzinfo=TOKYO)
    )
    first = get("/districts/")
    monkeypatch.setattr(
        "django.utils.timezone.now", lambda: datetime(2026, 12, 7, 10, 5, tzinfo=TOKYO)
    )
    rebuilt = get("/districts/")
    assert rebuilt[HEADER] == "miss"
    assert rebuilt["Last-Modified"] == first["Last-Modified"]
    assert get("/districts/", **{"If-Modified-Since": first["Last-Modified"]}).status_code == 304


def test_a_kept_page_is_not_served_past_the_minute_it_was_built_in(
    shared_cache, district, monkeypatch
):
    monkeypatch.setattr(
        "django.utils.timezone.now", lambda: datetime(2026, 12, 7, 9, 59, 59, tzinfo=TOKYO)
    )
    assert get("/districts/")[HEADER] == "miss"
    assert get("/districts/")[HEADER] == "hit"
    monkeypatch.setattr(
        "django.utils.timezone.now", lambda: datetime(2026, 12, 7, 10, 0, 0, tzinfo=TOKYO)
    )
    assert get("/districts/")[HEADER] == "miss"


@pytest.mark.parametrize("kept", [False, True], ids=["built", "from the cache"])
def test_pages_go_out_as_brotli_or_gzip_as_the_client_asks(shared_cache, district, kept):
    plain = get("/districts/")
    if not kept:
        cache.clear() if shared_cache == "locmem" else None
    as_br = get("/districts/", **{"Accept-Encoding": "gzip, deflate, br"})
    assert as_br["Content-Encoding"] == "br"
    assert brotli.decompress(as_br.content) == plain.content
    as_gzip = get("/districts/", **{"Accept-Encoding": "gzip"})
    assert as_gzip["Content-Encoding"] == "gzip"
    assert gzip.decompress(as_gzip.content) == plain.content
    assert "accept-encoding" in as_gzip["Vary"].lower()
    refused = get("/districts/", **{"Accept-Encoding": "br;q=0, gzip;q=0"})
    assert not refused.has_header("Content-Encoding")
    assert refused.content == plain.content


def test_a_page_carrying_a_csrf_token_is_never_brotli(shared_cache, db):
    """BREACH: a secret in a compressed page goes out as padded gzip only."""
    url = reverse("salons:plan_status")
    lengths = set()
    for _ in range(6):
        page = get(url, **{"Accept-Encoding": "br, gzip"})
        assert page["Content-Encoding"] == "gzip"
        body = gzip.decompress(page.content).decode()
        assert "csrfmiddlewaretoken" in body
        lengths.add(len(page.content))
    # The random padding makes the compressed length vary from send to send.
    assert len(lengths) > 1


def test_a_staff_page_is_never_brotli(shared_cache, district):
    staff = Client()
    staff.force_login(UserFactory(username="kanri", staff=True))
    page = get("/districts/", staff, **{"Accept-Encoding": "br, gzip"})
    assert page["Content-Encoding"] == "gzip"


def test_head_is_answered_from_the_kept_page_without_a_body(shared_cache, district):
    page = get("/districts/")
    head = Client().head("/districts/")
    assert head.status_code == 200
    assert head[HEADER] == "hit"
    assert head.content == b""
    assert head["Content-Length"] == str(len(page.content))


def test_a_not_found_page_is_not_kept(shared_cache, db):
    for _ in range(2):
        page = get("/districts/no-such-district/")
        assert page.status_code == 404
        assert HEADER not in page


def test_with_the_shared_cache_gone_pages_are_built_and_one_alert_is_logged(
    settings, district, caplog
):
    from shakyo_portal.core import cacheversions

    settings.CACHES = {
        "default": {
            "BACKEND": "shakyo_portal.core.rediscache.RedisCache",
            # Nothing listens here.
            "LOCATION": "redis://127.0.0.1:6390/9",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    cacheversions.breaker.reset()
    try:
        with caplog.at_level(logging.ERROR, logger="shakyo_portal.core.cacheversions"):
            for _ in range(3):
                page = get("/districts/")
                assert page.status_code == 200
                assert "三須地区" in page.content.decode()
                assert HEADER not in page
            # A write still succeeds while its bump cannot reach the cache.
            District.objects.filter(pk=district.pk).update(name="服部地区")
        alerts = [r for r in caplog.records if "unreachable" in r.getMessage()]
        assert len(alerts) == 1
        assert "服部地区" in get("/districts/").content.decode()
    finally:
        cacheversions.breaker.reset()


def test_the_page_cache_can_be_switched_off(settings, district):
    settings.PAGE_CACHE = False
    get("/districts/")
    assert HEADER not in get("/districts/")
