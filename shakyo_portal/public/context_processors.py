from functools import cached_property

from django.urls import reverse

from shakyo_portal.core import declarations, preferences
from shakyo_portal.core.models import EmergencyNotice, Office, SiteProfile
from shakyo_portal.public import outage


class SiteContext:
    """The council's profile, its offices and emergency notices, queried only
    when a template asks: 2 queries a page (5 when there are offices: their
    periods, special days and phones), one more while an emergency notice is up."""

    @cached_property
    def profile(self):
        return SiteProfile.objects.for_shell().first()

    @cached_property
    def all_offices(self):
        # Every office, not only the footer's: the contact page lists them all,
        # and an office named on another page is taken from here (office_for).
        return list(Office.objects.with_hours())

    @cached_property
    def offices(self):
        """The footer's offices."""
        return [office for office in self.all_offices if office.show_in_footer]

    @cached_property
    def publishes_hours(self) -> bool:
        """Does any office publish its hours? Else no page speaks of 受付時間."""
        return any(o.publishes_hours for o in self.all_offices)

    @cached_property
    def closes_on_holidays(self) -> bool:
        """Whether any office says 祝日 in its published hours."""
        return any(o.publishes_hours and o.closes_on_holidays for o in self.all_offices)

    def office_for(self, office):
        """This page's copy of an office, with its hours and numbers already
        fetched, so a district's or an event's office costs no query of its own."""
        by_pk = {each.pk: each for each in self.all_offices}
        return by_pk.get(office.pk, office)

    @cached_property
    def emergency_notices(self):
        # The profile's query already said whether any notice is current. A site
        # whose staff have not entered the council's profile yet shows none.
        profile = self.profile
        if profile is None or not profile.has_emergency_notice:
            notices = []
        else:
            notices = list(EmergencyNotice.objects.for_banner())
        # Kept for the 503 page, which must show them without the database.
        outage.remember(notices=notices, offices=self.offices)
        return notices


def site(request):
    return {"site": SiteContext()}


def _choices(options):
    """(value, label, the label's reading) for the display controls."""
    return [
        (key, label, preferences.LABEL_READINGS.get(label, "")) for key, label in options.items()
    ]


SIZE_CHOICES = _choices(preferences.TEXT_SIZES)
THEME_CHOICES = _choices(preferences.THEMES)


def display_preferences(request):
    return {
        "prefs": preferences.read(request),
        "text_sizes": SIZE_CHOICES,
        "themes": THEME_CHOICES,
        "furigana_choices": preferences.FURIGANA,
    }


def navigation(request):
    """The menu: every app's NAVIGATION entry (its portal.py), in their order."""
    items = []
    for entry in declarations.ordered("NAVIGATION"):
        url = reverse(entry.url_name)
        prefixes = (url, *(reverse(other) for other in entry.also))
        items.append(
            {"label": entry.label, "url": url, "current": request.path.startswith(prefixes)}
        )
    return {"navigation": items}
