import logging

from django.http import HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_safe

from shakyo_portal.core import preferences, requestids
from shakyo_portal.core.models import PracticePlan, PrivacyPolicy, SiteProfile
from shakyo_portal.public import outage

logger = logging.getLogger(__name__)


def home(request):
    return render(request, "home.html")


def contact(request):
    # The offices come with the page's shell (site.all_offices), hours and all. An
    # office keeps no date of its last change, so the page claims no 更新日.
    return render(request, "contact.html")


@require_safe
def about(request):
    """社協について: the council, its 地域福祉実践計画 and its 個人情報保護方針."""
    # The shell's profile leaves out the introduction, so this page reads it itself.
    # The profile keeps no date of its last change, so the page claims no 更新日.
    return render(
        request,
        "about/about.html",
        {
            "profile": SiteProfile.objects.first(),
            "plan": PracticePlan.objects.published().first(),
            "privacy_policy": PrivacyPolicy.objects.for_page().first(),
        },
    )


@require_safe
def practice_plan(request):
    plan = PracticePlan.objects.for_page().first()
    # Its goals, policies and photos are edited on the plan's own admin page, which
    # saves the plan too: its updated_at is the page's.
    return render(
        request,
        "about/plan.html",
        {"plan": plan, "page_updated": plan.updated_at if plan else None},
    )


@require_GET
def set_preferences(request):
    """Remember a display choice and go back where the reader was."""
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    for key, cookie, allowed in preferences.CHOICES:
        value = request.GET.get(key)
        if value in allowed:
            response.set_cookie(
                cookie,
                value,
                max_age=preferences.COOKIE_MAX_AGE,
                samesite="Lax",
                secure=request.is_secure(),
                httponly=True,
            )
    return response


def favicon(request):
    # Browsers that ignore <link rel="icon"> still ask for /favicon.ico.
    return HttpResponseRedirect(static("favicon.svg"))


def server_error(request):
    """The 500 page inside the site shell, or a bare one if the shell itself fails;
    a 503 with its own page when the database cannot be reached at all."""
    if outage.database_is_away():
        return outage.unavailable_response()
    context = {"request_id": requestids.current()}
    try:
        body = loader.render_to_string("500.html", context, request=request)
    except Exception:
        logger.exception("Could not render the 500 page with the site shell")
        body = loader.render_to_string("500_plain.html", context)
    return HttpResponseServerError(body)
