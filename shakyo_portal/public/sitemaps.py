"""/sitemap.xml: every public page, for search engines.

Like the root URLconf this module sits above the apps and may use all of them.
Each section lists only what that app's own public queryset lets anyone read,
so a hidden district, a private council or an internal activity log never
appears. A section is one class and one line in SITEMAPS.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from coordinators.directory import public_resources
from coordinators.models import ActivityLog
from councils.models import Council, Meeting
from districts.models import District
from news.sitemaps import EventSitemap, NewsletterSitemap, PostSitemap
from salons.models import Salon


class StaticSitemap(Sitemap):
    """Pages that are not one record each: the lists, and the council's own pages."""

    changefreq = "weekly"

    def items(self):
        return [
            "home",
            "districts:list",
            "districts:activities",
            "salons:index",
            "councils:index",
            "coordinators:index",
            "coordinators:reports",
            "resources:index",
            "news:index",
            "news:events",
            "news:newsletters",
            "contact",
            "about",
            "about_plan",
        ]

    def location(self, item):
        return reverse(item)


class DistrictSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return District.objects.public().order_by("pk")


class SalonSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        # A closed salon's page stays (old links and leaflets point to it).
        return Salon.objects.public().order_by("pk")

    def lastmod(self, salon):
        return salon.updated_at


class CouncilSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Council.objects.public().order_by("pk")


class MeetingSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Meeting.objects.public().select_related("council").order_by("pk")

    def lastmod(self, meeting):
        return meeting.updated_at


class ActivityReportSitemap(Sitemap):
    """Coordinators' published reports; internal logs are not pages at all."""

    changefreq = "yearly"

    def items(self):
        return ActivityLog.objects.published().order_by("pk")

    def lastmod(self, log):
        return log.updated_at


class ResourceSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return public_resources().order_by("pk")

    def lastmod(self, resource):
        return resource.updated_at


SITEMAPS = {
    "pages": StaticSitemap,
    "districts": DistrictSitemap,
    "salons": SalonSitemap,
    "councils": CouncilSitemap,
    "meetings": MeetingSitemap,
    "reports": ActivityReportSitemap,
    "resources": ResourceSitemap,
    "news": PostSitemap,
    "events": EventSitemap,
    "newsletters": NewsletterSitemap,
}
