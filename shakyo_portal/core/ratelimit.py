"""A small per-address limit on public POSTs, kept in the cache.

Public forms take no account, so a script could send thousands of plans or
try reference numbers one by one; a person never sends more than a few
forms in ten minutes.
"""

import logging
import time
from functools import wraps

from django.core.cache import cache
from django.shortcuts import render

from shakyo_portal.core.cachehealth import Breaker

logger = logging.getLogger(__name__)


def client_address(request) -> str:
    # Behind a reverse proxy, the proxy must set REMOTE_ADDR (e.g. gunicorn's
    # --forwarded-allow-ips); X-Forwarded-For is not trusted here because any
    # client can write it.
    return request.META.get("REMOTE_ADDR", "unknown")


def client_ip(request) -> str | None:
    """The address for records that store an IP (login log, audit trail): None
    rather than a made-up value when the server was given none."""
    return request.META.get("REMOTE_ADDR") or None


class LocalCounts(Breaker):
    """Per-process counts for while the shared cache is unreachable.

    A limit that falls back to each worker counting alone is looser (a script
    spread over the workers gets a few times the limit) but a form that cannot
    be sent at all because Redis restarted is worse.
    """

    def __init__(self, retry_seconds: float = 30):
        super().__init__(
            logger,
            meanwhile="rate limits count per process",
            back="rate limits are shared again",
            retry_seconds=retry_seconds,
        )
        self._counts: dict[str, tuple[int, float]] = {}

    def incr(self, key: str, window: int) -> int:
        now = time.monotonic()
        with self._lock:
            if len(self._counts) > 10_000:
                # Expired keys go first; an outage must not grow memory without bound.
                self._counts = {k: v for k, v in self._counts.items() if v[1] > now}
            count, expires = self._counts.get(key, (0, now + window))
            if expires <= now:
                count, expires = 0, now + window
            self._counts[key] = (count + 1, expires)
            return count + 1

    def peek(self, key: str) -> int:
        with self._lock:
            count, expires = self._counts.get(key, (0, 0.0))
            return count if expires > time.monotonic() else 0


local_counts = LocalCounts()


def _shared_count(cache_key: str, window: int) -> int:
    cache.add(cache_key, 0, timeout=window)
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window)
        return 1


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one attempt; True while the key stays within `limit` per `window` seconds."""
    cache_key = f"ratelimit:{scope}:{key}"
    if local_counts.skip():
        return local_counts.incr(cache_key, window) <= limit
    try:
        count = _shared_count(cache_key, window)
    except Exception as error:  # redis-py's ConnectionError and kin share no Django base
        local_counts.failed(error)
        count = local_counts.incr(cache_key, window)
    else:
        local_counts.works()
    return count <= limit


def limit_posts(scope: str, *, limit: int, window: int = 600):
    """Answer 429 with a Japanese page once an address has POSTed too often."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST" and not hit(
                scope, client_address(request), limit=limit, window=window
            ):
                return render(request, "429.html", {"window_minutes": window // 60}, status=429)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class SecretLookupLimit:
    """Every lookup that takes a reference and a secret (受付番号 and phone).

    Guessing one reference's secret from many addresses is stopped per
    reference: after `failures` wrong tries the reference pauses for `pause`
    seconds, for every address. The pause is short on purpose. An hour-long
    lock let a stranger with ten wrong tries keep the real organiser out for
    an hour; a few minutes slows a guesser to five tries per pause (under
    2,500 a day, against a phone number's million or more), while the
    organiser, refused only during a pause, waits minutes at worst. Each
    address keeps its own limit on top (limit_posts).
    """

    def __init__(self, scope: str, *, failures: int = 5, pause: int = 180):
        self.scope = scope
        self.failures = failures
        self.pause = pause

    def _key(self, kind: str, reference: str) -> str:
        return f"ratelimit:{self.scope}:{kind}:{reference}"

    def paused(self, reference: str) -> bool:
        try:
            return bool(cache.get(self._key("pause", reference)))
        except Exception as error:
            local_counts.failed(error)
            return local_counts.peek(self._key("pause", reference)) > 0

    def failed(self, reference: str) -> None:
        """Count a wrong secret; the count's own window is the pause, so a
        guesser gets `failures` tries per pause at most."""
        if not hit(self.scope, reference, limit=self.failures - 1, window=self.pause):
            key = self._key("pause", reference)
            try:
                cache.set(key, 1, timeout=self.pause)
            except Exception as error:
                local_counts.failed(error)
                local_counts.incr(key, self.pause)


# The 活動計画書's status page and the renewal from last year's plan look up the
# same plans: one budget of wrong tries for each 受付番号, whichever page is used.
plan_secret = SecretLookupLimit("plan_secret")
