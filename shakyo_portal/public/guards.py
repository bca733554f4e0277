"""Refusals made before anything reads the request: a body larger than the
site takes, and a NUL character anywhere a query could carry it.

Both answer with a Japanese page instead of a 500 or a long wait. They run
before sessions, CSRF and the views, so a 300 MB body is refused from its
Content-Length without being read, and no admin list filter or search box
hands PostgreSQL a NUL (which it refuses with an error, not an empty result).
"""

import logging

from django.conf import settings
from django.db import DatabaseError
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
        if "\x00" in request.path or _has_nul(request.GET) or self._form_has_nul(request):
            logger.warning("request with a NUL character refused on %s", request.path)
            return render(request, "400.html", status=400)
        return self.get_response(request)

    @staticmethod
    def _form_has_nul(request) -> bool:
        # CSRF reads the same form next anyway, so this costs no extra read;
        # the body's size was checked above. Uploaded files are not looked into.
        if request.method != "POST" or request.content_type not in FORMS:
            return False
        return _has_nul(request.POST)


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
