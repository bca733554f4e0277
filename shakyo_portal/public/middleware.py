from django.urls import reverse
from django.utils.cache import patch_vary_headers

from shakyo_portal.core import preferences
from shakyo_portal.core.furigana import annotate_html

# Annotating costs about 1.2 ms a kilobyte of Japanese text (measured on a 2-core
# machine); a page bigger than this (none here is near it) is sent without ふりがな
# rather than kept waiting more than a second for it.
MAX_FURIGANA_BYTES = 1_000_000


class FuriganaMiddleware:
    """Puts readings over the kanji of a page when the reader asked for ふりがな.

    Every HTML page also varies by cookie: the cookies choose its size class,
    colours and readings, so no shared cache may hand one reader's page to another.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        patch_vary_headers(response, ["Cookie"])
        if preferences.furigana_on(request) and self.can_annotate(request, response):
            charset = response.charset
            response.content = annotate_html(response.content.decode(charset)).encode(charset)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response

    @staticmethod
    def can_annotate(request, response) -> bool:
        return (
            not response.streaming
            and not response.has_header("Content-Encoding")
            and len(response.content) <= MAX_FURIGANA_BYTES
            # Staff read the admin as it is: its forms are no place for added markup.
            and not request.path.startswith(reverse("admin:index"))
        )
