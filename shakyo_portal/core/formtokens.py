"""One-time form tokens bound to the browser that was given them.

A form's token lets a second POST of the same page (a double click, the back
button) find what the first one saved. A token alone must not be enough: a
stranger who learnt one could post it from their own browser, be sent to the
first browser's draft, see its phone number and overwrite it. So each token
carries a MAC over a random key kept in a cookie of the browser it was issued
to, and a time: from another browser, or after a day, it is no token at all.

Nothing is stored on the server (no session row per visitor of a form).
"""

import base64
import hmac
import re
import secrets
import time
from functools import wraps

from django.utils.crypto import salted_hmac
from django.utils.http import base36_to_int, int_to_base36

COOKIE = "form_key"
LIFETIME_SECONDS = 24 * 3600
SALT = "shakyo_portal.core.formtokens"
PATTERN = re.compile(r"([A-Za-z0-9_]{16})-([0-9a-z]{1,10})-([A-Za-z0-9_]{22})")
KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,64}")


def _mac(key: str, nonce: str, issued: str) -> str:
    digest = salted_hmac(SALT, f"{key}:{nonce}:{issued}", algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=").replace("-", "_")


def _browser_key(request) -> str:
    key = getattr(request, "_form_key", None) or request.COOKIES.get(COOKIE, "")
    if not KEY_PATTERN.fullmatch(key):
        key = secrets.token_urlsafe(32)
        request._form_key_new = key
    request._form_key = key
    return key


def issue(request) -> str:
    # A page holding a token bound to this browser is this browser's alone:
    # never kept for others (the page cache) nor compressed without padding.
    request.private_page = True
    nonce = secrets.token_hex(8)
    issued = int_to_base36(int(time.time()))
    return f"{nonce}-{issued}-{_mac(_browser_key(request), nonce, issued)}"


def posted(request, field: str = "submission_token") -> str:
    """The posted token if this browser was given it within the day, else ""."""
    match = PATTERN.fullmatch(request.POST.get(field, ""))
    key = request.COOKIES.get(COOKIE, "")
    if match is None or not KEY_PATTERN.fullmatch(key):
        return ""
    nonce, issued, mac = match.groups()
    if time.time() - base36_to_int(issued) >= LIFETIME_SECONDS:
        return ""
    if not hmac.compare_digest(mac, _mac(key, nonce, issued)):
        return ""
    return match.group(0)


def binds_tokens(view):
    """Sets the browser's key cookie when a token was issued to a new browser."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        key = getattr(request, "_form_key_new", None)
        if key:
            response.set_cookie(
                COOKIE,
                key,
                max_age=LIFETIME_SECONDS,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response

    return wrapper
