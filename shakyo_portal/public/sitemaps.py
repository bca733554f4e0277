"""/sitemap.xml: every public page, for search engines.

Each app declares its sections in its portal.py (SITEMAPS): each lists only
what that app's own public queryset lets anyone read, so a hidden district, a
private council or an internal activity log never appears. The pages that are
no one record (the lists, the council's own pages) are the first section, from
every app's SITEMAP_PAGES.

SITEMAPS is read when the URLconf is imported, after start-up.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from shakyo_portal.core import declarations


class StaticSitemap(Sitemap):
    """Pages that are not one record each: the lists, and the council's own pages."""

    changefreq = "weekly"

    def items(self):
        return [page.url_name for page in declarations.ordered("SITEMAP_PAGES")]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": StaticSitemap,
    **{section.key: section.sitemap for section in declarations.ordered("SITEMAPS")},
}
