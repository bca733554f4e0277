"""The district app's site-wide parts (shakyo_portal/core/declarations)."""

from django.contrib.sitemaps import Sitemap

from districts import imports
from districts.models import Activity, District, WelfareCommitteeMember
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
)


class DistrictSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return District.objects.public().order_by("pk")


SITEMAPS = (SitemapSection("districts", DistrictSitemap, order=10),)
SITEMAP_PAGES = (
    SitemapPage("districts:list", order=10),
    SitemapPage("districts:activities", order=11),
)
NAVIGATION = (NavigationEntry("地区社協", "districts:list", order=10),)

# --- staff policy ---------------------------------------------------------------------

# A 地区担当 works on their own districts' rows.
ROLE_RULES = {
    "districts.activitytype": ModelRule(roles=CONTENT),
    "districts.membercategory": ModelRule(roles=CONTENT),
    "districts.district": by_district("", "VC"),
    "districts.activity": by_district("district", "VACD"),
    "districts.welfarecommitteemember": by_district("district", "VACDE", personal=True),
}
AUDITED = {
    "districts.welfarecommitteemember": Tracked(),
    "districts.district": Tracked(),
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

IMPORTS = (imports.MEMBERS, imports.DISTRICTS)
