"""Compressed HTML, feeds and JSON: brotli or gzip, as the client asks.

BREACH reads a secret out of a compressed page by reflecting guesses into it
and watching the length. A response that carries a secret — a CSRF token, a
form token bound to the browser, a signed-in person's page — is therefore sent
only as gzip with Django's "Heal The Breach" padding (a random-length name in
the gzip header, so the length no longer tells), never as brotli, which has no
such field. The anonymous pages the page cache keeps carry no secret and go
out as brotli (precompressed once, in shakyo_portal/public/pagecache.py).
"""

import re

import brotli
from django.conf import settings
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/javascript",
    "application/manifest+json",
)
# Below this, the headers outweigh what compressing saves.
MIN_BYTES = 200
# Django's own choice for GZipMiddleware.
BREACH_PADDING_BYTES = 100
# Quality for a page built per request (a few ms for 100 KB) and for one
# compressed once and served many times from the page cache.
LIVE_QUALITY = 4
KEPT_QUALITY = 9

_ACCEPT = re.compile(r"\s*([\w*-]+)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*")


def accepted(header: str) -> set[str]:
    """The codings an Accept-Encoding header allows (q > 0)."""
    codings = set()
    for part in (header or "").split(","):
        match = _ACCEPT.fullmatch(part)
        if not match:
            continue
        name, q = match.group(1).lower(), match.group(2)
        try:
            if q is not None and float(q) <= 0:
                continue
        except ValueError:
            continue
        codings.add(name)
    return codings


def choose(header: str, *, secret: bool) -> str:
    """ "br", "gzip" or "" (send as is)."""
    codings = accepted(header)
    if "br" in codings and not secret:
        return "br"
    if "gzip" in codings or "*" in codings:
        return "gzip"
    return ""


def compressible(response) -> bool:
    return (
        not response.streaming
        and not response.has_header("Content-Encoding")
        and response.get("Content-Type", "").startswith(COMPRESSIBLE)
        and len(response.content) >= MIN_BYTES
    )


def encode(body: bytes, coding: str, *, kept: bool = False, secret: bool = False) -> bytes:
    if coding == "br":
        return brotli.compress(body, quality=KEPT_QUALITY if kept else LIVE_QUALITY)
    return compress_string(body, max_random_bytes=BREACH_PADDING_BYTES if secret else None)


def carries_secret(request, response) -> bool:
    return bool(
        # get_token() (every {% csrf_token %}) makes the CSRF middleware send the cookie.
        settings.CSRF_COOKIE_NAME in response.cookies
        or getattr(request, "private_page", False)
        or settings.SESSION_COOKIE_NAME in request.COOKIES
    )


def weaken_etag(response) -> None:
    # A compressed body is not byte-for-byte the page the ETag was made from.
    etag = response.get("ETag")
    if etag and etag.startswith('"'):
        response["ETag"] = "W/" + etag


class CompressionMiddleware:
    """Compresses what the page cache did not already send compressed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not compressible(response):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        secret = carries_secret(request, response)
        coding = choose(request.META.get("HTTP_ACCEPT_ENCODING", ""), secret=secret)
        if not coding:
            return response
        body = encode(response.content, coding, secret=secret)
        if len(body) >= len(response.content):
            return response
        response.content = body
        response["Content-Length"] = str(len(body))
        response["Content-Encoding"] = coding
        weaken_etag(response)
        return response
