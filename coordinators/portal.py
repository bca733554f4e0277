"""The coordinator app's site-wide parts (shakyo_portal/core/declarations):
coordinators' activity reports and the 地域資源 map."""

from django.contrib.sitemaps import Sitemap

from coordinators.directory import public_resources
from coordinators.models import ActivityLog, Coordinator
from shakyo_portal.core.declarations.cache import PageCacheTopic
from shakyo_portal.core.declarations.dashboard import (
    Box,
    DashboardBox,
    Item,
    change_url,
    list_url,
)
from shakyo_portal.core.declarations.demo import DemoPart
from shakyo_portal.core.declarations.public import (
    NavigationEntry,
    SearchKind,
    SitemapPage,
    SitemapSection,
    join_text,
)
from shakyo_portal.core.declarations.records import PersonalDataKind
from shakyo_portal.staff import access
from shakyo_portal.staff.audit import Tracked
from shakyo_portal.staff.roles import CONTENT, OFFICE, PERSONAL, C, ModelRule, R


def coordinator_areas(user) -> tuple[set[int], bool]:
    """The life areas a コーディネーター covers, and whether they work at 第1層
    (whose councils are the whole city's)."""
    areas, first_layer = set(), False
    for coordinator in Coordinator.objects.filter(user=user).prefetch_related("life_areas"):
        areas.update(area.pk for area in coordinator.life_areas.all())
        first_layer = first_layer or coordinator.layer == 1
    return areas, first_layer


# Scopes the staff policy core reads (shakyo_portal.staff.access).
STAFF_SCOPES = {"areas": coordinator_areas}

# --- public pages ---------------------------------------------------------------------

SEARCH_KINDS = (
    SearchKind(
        key="reports",
        label="コーディネーターの活動報告",
        order=50,
        public=lambda now: ActivityLog.objects.published(),
        # Staff notes are never searched (see ActivityLog.staff_notes).
        fields=("title", "narrative", "place"),
        title_fields=("title",),
        ordering=("-date", "-pk"),
        select=("coordinator", "district__parent", "life_area"),
        title=lambda log: log.title,
        snippet_text=lambda log: log.narrative,
        result_template="coordinators/includes/search_result_report.html",
    ),
    SearchKind(
        key="resources",
        label="地域資源",
        order=60,
        public=lambda now: public_resources(),
        fields=("name", "summary", "description", "help_offered", "address"),
        reading_fields=("reading",),
        title_fields=("name", "reading"),
        ordering=("reading", "pk"),
        select=("category", "district"),
        snippet_text=lambda resource: join_text(
            resource.summary, resource.description, resource.help_offered, resource.address
        ),
        result_template="resources/includes/search_result_resource.html",
    ),
)


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


SITEMAPS = (
    SitemapSection("reports", ActivityReportSitemap, order=50),
    SitemapSection("resources", ResourceSitemap, order=60),
)
SITEMAP_PAGES = (
    SitemapPage("coordinators:index", order=50),
    SitemapPage("coordinators:reports", order=51),
    SitemapPage("resources:index", order=60),
)
NAVIGATION = (
    NavigationEntry("コーディネーター", "coordinators:index", order=50),
    NavigationEntry("地域資源マップ", "resources:index", order=60),
)

# --- staff policy ---------------------------------------------------------------------

# A コーディネーター writes their own logs, reads everyone's.
ROLE_RULES = {
    "coordinators.coordinator": ModelRule(roles=CONTENT),
    "coordinators.activitylog": ModelRule(
        personal=True, owner="coordinator__user", roles={OFFICE: "vacde", C: "vACDE", R: "v"}
    ),
    "coordinators.activitylogphoto": ModelRule(
        personal=True, owner="log__coordinator__user", roles={OFFICE: "vacde", C: "vACD", R: "v"}
    ),
    "coordinators.resourcecategory": ModelRule(roles=CONTENT),
    "coordinators.lifescene": ModelRule(roles=CONTENT),
    # Informal resources carry a contact person's name, phone and e-mail.
    "coordinators.resource": ModelRule(personal=True, roles=PERSONAL),
}
AUDITED = {
    "coordinators.coordinator": Tracked(),
    "coordinators.activitylog": Tracked(),
}

# --- personal data --------------------------------------------------------------------

PERSONAL_DATA = (
    PersonalDataKind(
        label="地域資源の連絡先",
        model_label="coordinators.resource",
        order=60,
        names=("contact_name",),
        phones=("contact_phone",),
        emails=("contact_email",),
        context=("name",),
        disclosed=("name", "contact_name", "contact_phone", "contact_email"),
        # The contact name is shown on the public page: blank, not 削除済み.
        erased={"contact_name": "", "contact_phone": "", "contact_email": ""},
        keeps="地域資源の案内は残し、連絡先だけを消します。",
    ),
)
NO_PERSONAL_DATA = {
    "coordinators.activitylog": (
        "names residents in its narrative and staff notes, in prose if at all:"
        " no search by name or phone finds them reliably"
    ),
    "coordinators.activitylogphoto": "a log's photo, with the log",
}
NO_RETENTION = {
    "coordinators.activitylog": "the coordinators' record of their work, kept as the council's",
    "coordinators.activitylogphoto": "goes with its log",
    "coordinators.resource": "kept while the resource is listed; the contact is erased on request",
}

# --- the admin's front page -----------------------------------------------------------

SHOWN = 10


def logs_box(user) -> Box | None:
    if not access.allows(user, "view", ActivityLog):
        return None
    logs = access.visible(
        user, ActivityLog.objects.select_related("coordinator", "district", "life_area")
    ).order_by("-date", "-pk")[:SHOWN]
    items = [Item(log.title, change_url(log), _log_note(log)) for log in logs]
    more = Item("活動記録の一覧へ", list_url(ActivityLog)) if items else None
    return Box(
        "logs", "コーディネーターの最近の活動記録", items, "活動記録はまだありません。", more
    )


def _log_note(log) -> str:
    if log.district_id:
        area = log.district.name
    else:
        area = log.life_area.name if log.life_area_id else "市全域"
    return f"{log.date_label}　{log.coordinator.display_name}　{area}"


DASHBOARD = (DashboardBox(logs_box, order=50),)

# --- demo data ------------------------------------------------------------------------

# After the councils: a coordinator's log names the life areas and councils.
DEMO = (
    DemoPart("demo_resources", order=60),
    DemoPart("demo_coordinators", order=70),
)

# --- CSV imports (coordinators/imports.py) ---------------------------------------------

from coordinators.imports import COORDINATORS  # noqa: E402  (appended apart)

IMPORTS = (COORDINATORS,)

# --- page cache -----------------------------------------------------------------------

# Every table of the app: a write to any of them shows on the next page that read it.
PAGE_CACHE = (PageCacheTopic("coordinators"),)
