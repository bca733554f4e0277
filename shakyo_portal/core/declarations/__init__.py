"""Each app's site-wide parts, declared in one module of its own.

An app that has pages, personal data or staff scopes writes them down in
`<app>/portal.py` as module-level names; the site's own models are declared in
`shakyo_portal/portal.py`. The compositions above every app (the public pages,
the back office) and the staff policy core collect them here, the way Django's
admin finds each app's `admin.py`, so no central list names the apps and the
ground still imports none of them.

The names, and the types their entries are made of:

    SEARCH_KINDS    SearchKind          the site search's kinds   (.public)
    SITEMAPS        SitemapSection      /sitemap.xml's sections   (.public)
    SITEMAP_PAGES   SitemapPage         its pages that are no one record (.public)
    NAVIGATION      NavigationEntry     the menu in every page's header (.public)
    ROLE_RULES      {label: ModelRule}  what each role may do     (staff.roles)
    AUDITED         {label: Tracked}    models that keep a history (staff.audit)
    PERSONAL_DATA   PersonalDataKind    records that name a person (.records)
    RETENTION       RetentionRule       how long they are kept    (.records)
    DASHBOARD       DashboardBox        the admin's front page    (.dashboard)
    DEMO            DemoPart            its part of fixtures/demo.json (.demo)
    IMPORTS         CsvImport           its CSV imports in the admin (.imports)
    STAFF_SCOPES    {name: resolver}    scopes for staff.access

and the reasoned exemptions tests/test_declarations.py accepts, each a
{label: why}: NO_SEARCH and NO_SITEMAP (a model with pages of its own that is
not searched or not in the sitemap), NO_PERSONAL_DATA and NO_RETENTION (a
model holding personal data the disclosure page does not search, or that no
rule lets go of), UNMANAGED (a model no role works on).

Where the order of entries shows (search groups, sitemap sections, menus,
boxes, the retention run), each entry carries its `order`: INSTALLED_APPS
puts coordinators before councils, the pages put 協議体 first.
"""

from functools import cache
from importlib import import_module
from operator import attrgetter

from django.apps import apps

MODULE = "portal"


@cache
def modules() -> tuple:
    """The declaration modules, in INSTALLED_APPS order.

    Asked first from ShakyoPortalConfig.ready(), when every model is loaded;
    before that the app registry raises, so nothing half-ready is cached.
    """
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.{MODULE}"
        try:
            found.append(import_module(name))
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
    return tuple(found)


def collect(attribute: str) -> list:
    """Every app's `attribute` (a list or tuple), joined in app order."""
    items = []
    for module in modules():
        items.extend(getattr(module, attribute, ()))
    return items


def ordered(attribute: str) -> list:
    """Every app's `attribute`, by each entry's `order` (app order breaks ties)."""
    return sorted(collect(attribute), key=attrgetter("order"))


def collect_mapping(attribute: str) -> dict:
    """Every app's `attribute` (a dict), merged; a key declared twice is a
    mistake worth failing on at start-up."""
    merged = {}
    for module in modules():
        for key, value in getattr(module, attribute, {}).items():
            if key in merged:
                raise ValueError(f"{module.__name__}.{attribute}: {key!r} is declared twice")
            merged[key] = value
    return merged
