"""A small per-address limit on public POSTs, kept in the cache.

Public forms take no account, so a script could send thousands of plans or
try reference numbers one by one; a person never sends more than a few
forms in ten minutes.
"""

from functools import wraps

from django.core.cache import cache
from django.shortcuts import render


def client_address(request) -> str:
    # Behind a reverse proxy, the proxy must set REMOTE_ADDR (e.g. gunicorn's
    # --forwarded-allow-ips); X-Forwarded-For is not trusted here because any
    # client can write it.
    return request.META.get("REMOTE_ADDR", "unknown")


def client_ip(request) -> str | None:
    """The address for records that store an IP (login log, audit trail): None
    rather than a made-up value when the server was given none."""
    return request.META.get("REMOTE_ADDR") or None


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one attempt; True while the key stays within `limit` per `window` seconds."""
    cache_key = f"ratelimit:{scope}:{key}"
    cache.add(cache_key, 0, timeout=window)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window)
        count = 1
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
