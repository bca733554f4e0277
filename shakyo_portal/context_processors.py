from functools import cached_property

from django.urls import reverse

from shakyo_portal import preferences
from shakyo_portal.models import Office, SiteProfile


class SiteContext:
    """The council's profile and footer offices, queried only when a template asks."""

    @cached_property
    def profile(self):
        return SiteProfile.objects.first()

    @cached_property
    def offices(self):
        return list(Office.objects.in_footer())


def site(request):
    return {"site": SiteContext()}


def display_preferences(request):
    return {
        "prefs": preferences.read(request),
        "text_sizes": preferences.TEXT_SIZES,
        "themes": preferences.THEMES,
    }


NAVIGATION = [
    ("地区社協", "districts:list"),
    ("サロン", "salons:index"),
    ("協議体", "councils:index"),
    ("コーディネーター", "coordinators:index"),
    ("お知らせ", "news:index"),
    ("お問合せ", "contact"),
]


def navigation(request):
    items = []
    for label, name in NAVIGATION:
        url = reverse(name)
        items.append({"label": label, "url": url, "current": request.path.startswith(url)})
    return {"navigation": items}
