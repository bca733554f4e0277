"""The salon app's site-wide parts (shakyo_portal/core/declarations)."""

from urllib.parse import urlencode

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from salons.models import (
    ActivityPlan,
    ActivityReport,
    PlanStatus,
    ReportStatus,
    Salon,
    StatusSubject,
)
from shakyo_portal.core.declarations.cache import PageCacheTopic
from shakyo_portal.core.declarations.dashboard import (
    Box,
    DashboardBox,
    Item,
    counts,
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
from shakyo_portal.core.declarations.records import (
    DELETE,
    ERASED_NAME,
    PersonalDataKind,
    RetentionRule,
    years_before,
)
from shakyo_portal.core.fiscal import current_fiscal_year, fiscal_year_label
from shakyo_portal.staff import access
from shakyo_portal.staff.audit import Tracked
from shakyo_portal.staff.roles import CONTENT, ModelRule, by_district

# --- public pages ---------------------------------------------------------------------


def _salon_list_url(text: str) -> str:
    return f"{reverse('salons:index')}?{urlencode({'q': text})}"


SEARCH_KINDS = (
    SearchKind(
        key="salons",
        label="ふれあいサロン",
        order=20,
        public=lambda now: Salon.objects.listed(),
        # The organiser's name and contact are never searched: a hit would reveal them.
        fields=("name", "venue_name", "venue_address", "description", "district__name"),
        reading_fields=("reading",),
        title_fields=("name", "reading"),
        ordering=("reading", "pk"),
        select=("district",),
        snippet_text=lambda salon: join_text(
            salon.description, salon.venue_name, salon.venue_address
        ),
        list_url=_salon_list_url,
        result_template="salons/includes/search_result_salon.html",
    ),
)


class SalonSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        # A closed salon's page stays (old links and leaflets point to it).
        return Salon.objects.public().order_by("pk")

    def lastmod(self, salon):
        return salon.updated_at


SITEMAPS = (SitemapSection("salons", SalonSitemap, order=20),)
SITEMAP_PAGES = (SitemapPage("salons:index", order=20),)
NAVIGATION = (NavigationEntry("サロン", "salons:index", order=20),)

NO_SEARCH = {
    "salons.grantprogram": "a 年度's grant rules, reached from the plan pages, not a thing to find",
    "salons.attachment": "a plan's file, for staff and the plan's organiser only",
}
NO_SITEMAP = {
    "salons.grantprogram": "a 年度's grant rules, for organisers applying, not for search engines",
    "salons.attachment": "a plan's file, for staff and the plan's organiser only",
}

# --- staff policy ---------------------------------------------------------------------

# A 地区担当 works on their own districts' salons and plans.
ROLE_RULES = {
    "salons.targetgroup": ModelRule(roles=CONTENT),
    "salons.salonactivitytype": ModelRule(roles=CONTENT),
    "salons.salon": by_district("district", "VACE", personal=True),
    "salons.salonphoto": by_district("salon__district", "VACD"),
    "salons.salonschedulechange": by_district("salon__district", "VACD"),
    "salons.grantprogram": ModelRule(roles=CONTENT),
    "salons.granttier": ModelRule(roles=CONTENT),
    "salons.activityplan": by_district("district", "VCE", personal=True),
    "salons.budgetline": by_district("plan__district", "VACD", personal=True),
    "salons.attachment": by_district("plan__district", "VACD", personal=True),
    "salons.statuschange": by_district("plan__district", "V", personal=True),
    "salons.grant": by_district("plan__district", "VE", personal=True),
    "salons.activityreport": by_district("plan__district", "VCE", personal=True),
}
AUDITED = {
    "salons.salon": Tracked(),
    # A 中止 or 休み changes what residents are told; who recorded it is asked.
    "salons.salonschedulechange": Tracked(),
    "salons.activityplan": Tracked(),
    "salons.budgetline": Tracked(),
    "salons.attachment": Tracked(),
    "salons.grant": Tracked(),
    "salons.activityreport": Tracked(),
}

# --- personal data --------------------------------------------------------------------

PLANS = PersonalDataKind(
    label="活動計画書の代表者",
    model_label="salons.activityplan",
    order=30,
    names=("representative_name",),
    readings=("representative_reading",),
    phones=("representative_phone",),
    emails=("representative_email",),
    context=("reference", "salon_name", "status"),
    disclosed=(
        "reference",
        "salon_name",
        "status",
        "representative_name",
        "representative_reading",
        "representative_phone",
        "representative_email",
        "representative_postal_code",
        "representative_address",
        "consented_at",
        "submitted_at",
    ),
    erased={
        "representative_name": ERASED_NAME,
        "representative_reading": "",
        "representative_phone": "",
        "representative_email": "",
        "representative_postal_code": "",
        "representative_address": "",
    },
    keeps="受付番号・状態・予算・助成額は、会計と統計のために残します。",
    related=("salon",),
    cascades=(
        ("salons.budgetline", "plan"),
        ("salons.attachment", "plan"),
        ("salons.activityreport", "plan"),
    ),
)
PERSONAL_DATA = (
    PersonalDataKind(
        label="ふれあいサロンの代表者",
        model_label="salons.salon",
        order=20,
        names=("organiser_name",),
        phones=("organiser_phone",),
        emails=("organiser_email",),
        context=("name", "district"),
        disclosed=("name", "district", "organiser_name", "organiser_phone", "organiser_email"),
        erased={"organiser_name": ERASED_NAME, "organiser_phone": "", "organiser_email": ""},
        keeps="サロンの案内（名前・会場・日程）は公開中のため残し、代表者の連絡先だけを消します。",
        related=("district",),
    ),
    PLANS,
)
# A plan's other rows name no one but through the plan: erasing a plan deletes
# them with it (PLANS.cascades) or keeps them, nameless, for the accounts.
NO_PERSONAL_DATA = {
    "salons.budgetline": "a plan's budget, erased with its plan (PLANS.cascades)",
    "salons.attachment": "a plan's file, erased with its plan (PLANS.cascades)",
    "salons.activityreport": "a plan's report, erased with its plan (PLANS.cascades)",
    "salons.statuschange": "a plan's history of staff decisions, deleted with its plan",
    "salons.grant": "a plan's grant: amounts only, kept for the accounts",
    "salons.salonschedulechange": "a salon's 休み and 中止: dates and a public reason only",
}
NO_RETENTION = {
    "salons.salon": "kept while the salon runs; the organiser's contact is erased on request",
    "salons.budgetline": "goes with its plan (the plans' rules below)",
    "salons.attachment": "goes with its plan (the plans' rules below)",
    "salons.activityreport": "goes with its plan (the plans' rules below)",
    "salons.statuschange": "goes with its plan (the plans' rules below)",
    "salons.grant": "kept for the accounts; its plan is anonymised instead of deleted",
    "salons.salonschedulechange": (
        "no personal data; past ones change no coming date and go with their salon"
    ),
}

# A rejected plan may be questioned or audited as long as grant papers are
# kept, which is five years in the councils' document rules.
REJECTED_PLAN_YEARS = 5
# A draft never sent may be resumed in the next 年度, not later.
DRAFT_PLAN_YEARS = 1


def _rejected_plans(now):
    cutoff = years_before(now, REJECTED_PLAN_YEARS)
    decided = Max(
        "history__at",
        filter=Q(history__subject=StatusSubject.PLAN, history__to_status=PlanStatus.REJECTED),
    )
    return (
        ActivityPlan.objects.filter(status=PlanStatus.REJECTED)
        .alias(decided_at=Coalesce(decided, "updated_at"))
        .filter(decided_at__lt=cutoff)
    )


def _unsent_drafts(now):
    cutoff = years_before(now, DRAFT_PLAN_YEARS)
    return ActivityPlan.objects.filter(
        status=PlanStatus.DRAFT, submitted_at__isnull=True, updated_at__lt=cutoff
    )


RETENTION = (
    RetentionRule(
        f"不承認の活動計画書（決定から{REJECTED_PLAN_YEARS}年）",
        ActivityPlan,
        _rejected_plans,
        DELETE,
        order=20,
    ),
    RetentionRule(
        f"提出されなかった活動計画書の下書き（最後の保存から{DRAFT_PLAN_YEARS}年）",
        ActivityPlan,
        _unsent_drafts,
        DELETE,
        order=30,
    ),
)

# --- the admin's front page -----------------------------------------------------------

WAITING_FOR_REVIEW = (PlanStatus.RECEIVED, PlanStatus.REVIEWING)


def plans_box(user) -> Box | None:
    if not access.allows(user, "view", ActivityPlan):
        return None
    waiting = access.visible(user, ActivityPlan.objects.filter(status__in=WAITING_FOR_REVIEW))
    by_status = counts(waiting, "status")
    items = [
        Item(
            f"{status.label} {by_status[status]}件",
            list_url(ActivityPlan, status__exact=status.value),
        )
        for status in WAITING_FOR_REVIEW
        if by_status.get(status)
    ]
    total = sum(by_status.values())
    more = None
    if total:
        statuses = ",".join(status.value for status in WAITING_FOR_REVIEW)
        more = Item(
            f"審査を待つ活動計画書すべて（{total}件）", list_url(ActivityPlan, status__in=statuses)
        )
    return Box("plans", "審査を待つ活動計画書", items, "審査を待つ活動計画書はありません。", more)


def reports_box(user) -> Box | None:
    """実績報告 owed: granted plans without one past their reporting date,
    and reports sent back to be corrected. Grouped by 年度, the oldest being the
    most overdue, so each line is one filter of the admin list."""
    see_plans = access.allows(user, "view", ActivityPlan)
    see_reports = access.allows(user, "view", ActivityReport)
    if not (see_plans or see_reports):
        return None
    this_year = current_fiscal_year()
    missing, returned = {}, {}
    if see_plans:
        # As salons.services.missing_report: the report settles the grant.
        # Owed from the day after the program's reporting date, or, where staff
        # entered none, once its 年度 has ended: not from the 年度's first day.
        today = timezone.localdate()
        plans = ActivityPlan.objects.filter(
            Q(program__report_due_on__lt=today)
            | Q(program__report_due_on__isnull=True, program__fiscal_year__lt=this_year),
            status=PlanStatus.APPROVED,
            requests_grant=True,
            report__isnull=True,
        )
        missing = counts(access.visible(user, plans), "program__fiscal_year")
    if see_reports:
        reports = ActivityReport.objects.filter(
            status=ReportStatus.RETURNED, plan__program__fiscal_year__lte=this_year
        )
        returned = counts(access.visible(user, reports), "plan__program__fiscal_year")
    items = []
    for year in sorted(missing.keys() | returned.keys()):
        label = fiscal_year_label(year)
        if missing.get(year):
            url = list_url(
                ActivityPlan,
                status__exact=PlanStatus.APPROVED.value,
                requests_grant__exact=1,
                program__fiscal_year__exact=year,
                report__isnull="True",
            )
            items.append(Item(f"{label} 未提出 {missing[year]}件", url))
        if returned.get(year):
            url = list_url(
                ActivityReport,
                status__exact=ReportStatus.RETURNED.value,
                plan__program__fiscal_year__exact=year,
            )
            items.append(Item(f"{label} 差戻し中 {returned[year]}件", url))
    return Box("reports", "実績報告の提出待ち", items, "提出を待っている実績報告はありません。")


DASHBOARD = (
    DashboardBox(plans_box, order=10),
    DashboardBox(reports_box, order=20),
)

# --- demo data ------------------------------------------------------------------------

DEMO = (DemoPart("demo_salons", order=30),)

# --- page cache -----------------------------------------------------------------------

# Every table of the app: a write to any of them shows on the next page that read it.
PAGE_CACHE = (PageCacheTopic("salons"),)
