"""What is settled before anything reads the request: a body larger than the
site takes is refused, and NUL characters are taken out of queries and forms.

They run before sessions, CSRF and the views, so a 300 MB body is refused
from its Content-Length without being read (a Japanese 413 page), and no admin
list filter or search box hands PostgreSQL a NUL, which it answers with an
error (a 500), not an empty result.
"""

import logging

from django.conf import settings
from django.db import DatabaseError
from django.http import QueryDict
from django.shortcuts import render

from shakyo_portal.core import requestids

logger = logging.getLogger("shakyo_portal.security")

FORMS = {"application/x-www-form-urlencoded", "multipart/form-data"}


def _declared_length(request) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None


def _has_nul(query) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in query.lists())


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = _declared_length(request)
        if length is None or length > settings.MAX_REQUEST_BYTES:
            logger.warning(
                "request body refused: Content-Length %s over %s bytes on %s",
                request.META.get("CONTENT_LENGTH"),
                settings.MAX_REQUEST_BYTES,
                request.path,
            )
            return render(
                request,
                "413.html",
                {"limit_mb": settings.MAX_REQUEST_BYTES // (1024 * 1024)},
                status=413,
            )
        if "\x00" in request.path:
            logger.warning("request with a NUL character in its path refused: %r", request.path)
            return render(request, "400.html", status=400)
        # A NUL in a query or a form is dropped, as the search and the forms
        # drop other control characters: the rest of what was typed still
        # counts, and no filter hands PostgreSQL a NUL.
        if _has_nul(request.GET):
            request.GET = _without_nul(request.GET)
        if self._is_form(request) and _has_nul(request.POST):
            request._post = _without_nul(request.POST)
        return self.get_response(request)

    @staticmethod
    def _is_form(request) -> bool:
        # CSRF reads the same form next anyway, so this costs no extra read;
        # the body's size was checked above. Uploaded files are not looked into.
        return request.method == "POST" and request.content_type in FORMS


def _without_nul(query):
    cleaned = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
    cleaned._mutable = False
    return cleaned


class RequestIdMiddleware:
    """First in the stack: every later log line, and the 500 page, carry the id.
    Refusals (403, 404) are logged with the signed-in user, so a staff member
    probing another district's records leaves a trace with their name."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id, token = requestids.begin(request.META.get("HTTP_X_REQUEST_ID"))
        request.request_id = request_id
        try:
            response = self.get_response(request)
            if response.status_code in (403, 404):
                logger.warning(
                    "refused %s %s %s user=%s",
                    response.status_code,
                    request.method,
                    request.get_full_path()[:300],
                    _user_name(request),
                )
            response["X-Request-ID"] = request_id
            return response
        finally:
            requestids.end(token)


def _user_name(request) -> str:
    user = getattr(request, "user", None)
    if user is None:
        return "-"
    try:
        return user.get_username() if user.is_authenticated else "anonymous"
    except DatabaseError:
        # The refusal may be the database failing; the log line still goes out.
        return "unknown"
