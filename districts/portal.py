"""The district app's site-wide parts (shakyo_portal/core/declarations)."""

from dataclasses import dataclass

from django.contrib.sitemaps import Sitemap
from django.db.models import Q

from districts import imports
from districts.areas import town_candidates
from districts.models import Activity, District, DistrictArea, WelfareCommitteeMember
from shakyo_portal.core.declarations.cache import PageCacheTopic
from shakyo_portal.core.declarations.demo import DemoPart
from shakyo_portal.core.declarations.public import (
    NavigationEntry,
    Related,
    SearchKind,
    SitemapPage,
    SitemapSection,
    join_text,
)
from shakyo_portal.core.declarations.records import (
    ANONYMISE,
    ERASED_NAME,
    ERASED_READING,
    PersonalDataKind,
    RetentionRule,
    years_before,
)
from shakyo_portal.staff.audit import Tracked
from shakyo_portal.staff.roles import CONTENT, ModelRule, by_district


def assigned_district_ids(user) -> set[int]:
    """A 地区担当's districts, with their sub-districts."""
    assigned = set(District.objects.filter(staff_profiles__user=user).values_list("pk", flat=True))
    children = District.objects.filter(parent__in=assigned).values_list("pk", flat=True)
    return assigned | set(children)


# Scopes the staff policy core reads (shakyo_portal.staff.access).
STAFF_SCOPES = {"districts": assigned_district_ids}

# --- public pages ---------------------------------------------------------------------


def _district_text(district):
    return join_text(
        district.summary,
        district.description,
        district.area_served,
        "、".join(activity.name for activity in district.activities.all()),
    )


@dataclass(frozen=True)
class AreaSearchKind(SearchKind):
    """A 町名 is also found inside what was typed around it: 「総社市三須1000-5」 or
    「三須１０００」 finds 三須, matched exactly on its bare 町名 (districts/areas.py),
    as well as by the name or reading containing the term like every kind."""

    def condition(self, term: str) -> Q:
        return super().condition(term) | Q(town__in=sorted(town_candidates(term)))

    def title_condition(self, term: str) -> Q:
        return super().title_condition(term) | Q(town__in=sorted(town_candidates(term)))


def _area_title(area):
    return f"{area.label} → {area.district.place_name}"


SEARCH_KINDS = (
    SearchKind(
        key="districts",
        label="地区社協",
        order=10,
        public=lambda now: District.objects.public(),
        fields=("name", "summary", "description", "area_served"),
        reading_fields=("reading",),
        related=(Related(Activity, "district_id", ("name",)),),
        title_fields=("name", "reading"),
        ordering=("display_order", "reading", "pk"),
        select=("parent",),
        prefetch=("activities",),
        title=lambda district: district.title_name,
        snippet_text=_district_text,
        result_template="districts/includes/search_result_district.html",
    ),
    AreaSearchKind(
        key="district_areas",
        label="町名から探す地区社協",
        order=11,
        public=lambda now: DistrictArea.objects.public(),
        fields=("name",),
        reading_fields=("reading",),
        title_fields=("name", "reading"),
        ordering=("reading", "district__display_order", "pk"),
        select=("district", "district__parent"),
        title=_area_title,
        result_template="districts/includes/search_result_area.html",
    ),
)


class DistrictSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return District.objects.public().order_by("pk")


SITEMAPS = (SitemapSection("districts", DistrictSitemap, order=10),)
SITEMAP_PAGES = (
    SitemapPage("districts:list", order=10),
    SitemapPage("districts:activities", order=11),
    SitemapPage("districts:areas", order=12),
)
NO_SITEMAP = {
    "districts.districtarea": (
        "a line of its district's page (whose URL it leads to), listed whole on districts:areas"
    ),
}
NAVIGATION = (NavigationEntry("地区社協", "districts:list", order=10),)

# --- staff policy ---------------------------------------------------------------------

# A 地区担当 works on their own districts' rows.
ROLE_RULES = {
    "districts.activitytype": ModelRule(roles=CONTENT),
    "districts.membercategory": ModelRule(roles=CONTENT),
    "districts.district": by_district("", "VC"),
    "districts.activity": by_district("district", "VACD"),
    "districts.districtarea": by_district("district", "VACD"),
    "districts.welfarecommitteemember": by_district("district", "VACDE", personal=True),
}
AUDITED = {
    "districts.welfarecommitteemember": Tracked(),
    "districts.district": Tracked(),
    # The search key is made from the name on every save: no change of its own.
    "districts.districtarea": Tracked(exclude_fields=("town",)),
}

# --- personal data --------------------------------------------------------------------

_PUBLISH_OFF = {
    name: False
    for name in ("publish_name", "publish_area", "publish_role", "publish_phone", "publish_email")
}

MEMBERS = PersonalDataKind(
    label="福祉委員",
    model_label="districts.welfarecommitteemember",
    order=10,
    names=("name",),
    readings=("reading",),
    phones=("phone",),
    emails=("email",),
    context=("district", "term_end"),
    disclosed=(
        "name",
        "reading",
        "district",
        "area_covered",
        "role",
        "is_council_representative",
        "term_start",
        "term_end",
        "phone",
        "email",
        "consent_date",
        *_PUBLISH_OFF,
    ),
    # Nothing shows an anonymised member: every publish flag goes off.
    erased={
        "name": ERASED_NAME,
        "reading": ERASED_READING,
        "area_covered": "",
        "phone": "",
        "email": "",
        **_PUBLISH_OFF,
    },
    deletable=True,
    keeps="地区・役職・任期は、委員数の統計のために残します。",
    related=("district",),
)
PERSONAL_DATA = (MEMBERS,)

# A retired 福祉委員's past terms matter for reappointment and commendations
# (表彰); statistics keep the anonymised row.
MEMBER_YEARS = 5


def _retired_members(now):
    cutoff = years_before(now, MEMBER_YEARS).date()
    return WelfareCommitteeMember.objects.filter(term_end__lt=cutoff).exclude(
        MEMBERS.anonymised_q()
    )


RETENTION = (
    RetentionRule(
        f"福祉委員（任期の終了から{MEMBER_YEARS}年）",
        WelfareCommitteeMember,
        _retired_members,
        ANONYMISE,
        order=40,
    ),
)

# --- demo data ------------------------------------------------------------------------

DEMO = (DemoPart("demo_districts", order=20),)

# --- CSV imports ----------------------------------------------------------------------

IMPORTS = (imports.MEMBERS, imports.DISTRICTS, imports.AREAS)

# --- page cache -----------------------------------------------------------------------

# Every table of the app: a write to any of them shows on the next page that read it.
PAGE_CACHE = (PageCacheTopic("districts"),)
