"""Failed passwords counted per username across every address.

axes locks a username at one address after AXES_FAILURE_LIMIT failures, so
a guesser spread over many addresses (a botnet) was never stopped: twenty
wrong passwords from twenty addresses, and the right one from a twenty-first
logged in. Here every failure for a username counts, wherever it comes from,
and too many start a pause for that username.

The numbers, and why:

- FAILURES = 10 within WINDOW = 15 minutes. One person mistyping at one
  desk is locked by axes at 5 long before this; 10 means several addresses
  (or someone ignoring the lockout page), which a person never is.
- The pause is short, because it also keeps the real staff member out:
  3 minutes the first time, doubled at each further pause while failures go
  on (3, 6, 12), never more than 15 minutes, and forgotten an hour after the
  last pause. While the pause lasts the username's attempts are not even
  checked (and not counted, so hammering does not lengthen it).
- A browser that has given that username's right password before (a signed
  cookie, kept 180 days) is not paused: a guesser cannot keep a staff member
  out of their own desk's browser, and axes still guards that address.

With these numbers a guesser gets at most about 10 tries per 15 to 30
minutes for one username, some hundreds a day, against passwords of 12 or
more characters that are not in the common lists.

The same happens for a username that does not exist: the page must not tell
a guesser which usernames are real.

Counting goes through core.ratelimit.hit (shared cache, per-process count
while the cache is down); the pause record follows the same fallback.
"""

import hashlib
import logging
import threading
import time
import unicodedata

from django.conf import settings
from django.core import signing
from django.core.cache import cache

from shakyo_portal.core import ratelimit

logger = logging.getLogger("shakyo_portal.security")

FAILURES = 10
WINDOW = 15 * 60
FIRST_PAUSE = 3 * 60
MAX_PAUSE = 15 * 60
STRIKES_KEPT = 60 * 60

KNOWN_COOKIE = "staff_known"
KNOWN_SALT = "shakyo_portal.login_limits.known"
KNOWN_SECONDS = 180 * 24 * 60 * 60
# A shared office PC is used by a few people; more than this and the oldest goes.
KNOWN_USERNAMES = 5

# Wall-clock time of the pause records; tests move it instead of sleeping.
now = time.time


def _key(username: str) -> str:
    # Hashed: the cache is no place for a list of usernames, and any text
    # becomes a safe key. Case-folded, so "Clerk" counts against "clerk".
    folded = unicodedata.normalize("NFKC", username).strip().casefold()
    return hashlib.sha256(folded.encode()).hexdigest()


# --- the pause record: {"until": epoch seconds, "strikes": n} ----------------


class _LocalPauses:
    """Pauses for while the shared cache is unreachable (see core.ratelimit)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._records: dict[str, tuple[dict, float]] = {}

    def get(self, key):
        with self._lock:
            record, expires = self._records.get(key, (None, 0.0))
        return record if expires > time.monotonic() else None

    def set(self, key, record, timeout):
        with self._lock:
            if len(self._records) > 10_000:
                moment = time.monotonic()
                self._records = {k: v for k, v in self._records.items() if v[1] > moment}
            self._records[key] = (record, time.monotonic() + timeout)

    def delete(self, key):
        with self._lock:
            self._records.pop(key, None)


_local = _LocalPauses()


def _cache_call(method: str, key: str, *args):
    cache_key = f"login-pause:{key}"
    local_counts = ratelimit.local_counts
    if local_counts.skip():
        return getattr(_local, method)(cache_key, *args)
    try:
        result = getattr(cache, method)(cache_key, *args)
    except Exception as error:  # redis-py's errors share no Django base
        local_counts.failed(error)
        return getattr(_local, method)(cache_key, *args)
    local_counts.works()
    return result


def seconds_left(username: str) -> int:
    """How long this username's pause still lasts (0: not paused)."""
    if not username:
        return 0
    record = _cache_call("get", _key(username))
    if not record:
        return 0
    return max(0, int(record["until"] - now() + 0.999))


def failed(username: str) -> int:
    """Count a wrong password for this username; the pause it starts, in
    seconds (0 while the username stays within FAILURES per WINDOW)."""
    if not username:
        return 0
    key = _key(username)
    if ratelimit.hit("staff-login-username", key, limit=FAILURES - 1, window=WINDOW):
        return 0
    record = _cache_call("get", key) or {"strikes": 0}
    strikes = record["strikes"] + 1
    pause = min(FIRST_PAUSE * 2 ** (strikes - 1), MAX_PAUSE)
    _cache_call("set", key, {"until": now() + pause, "strikes": strikes}, STRIKES_KEPT + pause)
    logger.warning(
        "Staff login paused for %s seconds: %s failures for one username within %s seconds "
        "(pause %s in a row)",
        pause,
        FAILURES,
        WINDOW,
        strikes,
    )
    return pause


def succeeded(username: str) -> None:
    """The right password (and second step): earlier pauses stop growing."""
    _cache_call("delete", _key(username))


# --- browsers that have logged in as a username before ----------------------------


def known_here(request, username: str) -> bool:
    return _key(username) in _known(request)


def _known(request) -> list[str]:
    value = request.COOKIES.get(KNOWN_COOKIE)
    if not value:
        return []
    try:
        known = signing.loads(value, salt=KNOWN_SALT, max_age=KNOWN_SECONDS)
    except signing.BadSignature:
        return []
    return known if isinstance(known, list) else []


def remember(request, response, username: str) -> None:
    """Mark this browser as one the username logs in from."""
    key = _key(username)
    known = [key, *(k for k in _known(request) if k != key)][:KNOWN_USERNAMES]
    response.set_cookie(
        KNOWN_COOKIE,
        signing.dumps(known, salt=KNOWN_SALT),
        max_age=KNOWN_SECONDS,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )
