"""The council app's site-wide parts (shakyo_portal/core/declarations): 協議体
and their meetings."""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.utils import timezone

from councils.models import AgendaItem, Council, Meeting, MeetingStatus, not_over
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
    Related,
    SearchKind,
    SitemapPage,
    SitemapSection,
    join_text,
)
from shakyo_portal.core.declarations.records import ERASED_NAME, PersonalDataKind
from shakyo_portal.staff import access
from shakyo_portal.staff.audit import Tracked
from shakyo_portal.staff.roles import CONTENT, OFFICE, C, ModelRule, R, by_council

# --- public pages ---------------------------------------------------------------------


def _meeting_text(meeting):
    return join_text(
        meeting.minutes,
        "、".join(item.title for item in meeting.agenda_items.all()),
        meeting.status_reason,
        meeting.replacement,
        meeting.guests,
    )


SEARCH_KINDS = (
    SearchKind(
        key="councils",
        label="協議体",
        order=30,
        public=lambda now: Council.objects.public(),
        # Representatives' names are never searched (see CouncilQuerySet.search).
        fields=("name", "nickname", "purpose", "description", "life_area__name"),
        reading_fields=("reading",),
        title_fields=("name", "nickname", "reading"),
        ordering=("layer", "display_order", "reading", "pk"),
        select=("life_area",),
        title=lambda council: council.display_name,
        snippet_text=lambda council: join_text(council.purpose, council.description),
        result_template="councils/includes/search_result_council.html",
    ),
    SearchKind(
        key="meetings",
        label="協議体の会議",
        order=40,
        public=lambda now: Meeting.objects.public(),
        # Staff notes are never searched, so no result can hint at what they say.
        fields=(
            "title",
            "place",
            "minutes",
            "guests",
            "status_reason",
            "replacement",
            "council__name",
            "council__nickname",
        ),
        related=(Related(AgendaItem, "meeting_id", ("title",)),),
        title_fields=("title",),
        ordering=("-held_on", "-starts_at", "-pk"),
        select=("council",),
        prefetch=("agenda_items",),
        title=lambda meeting: f"{meeting.council.display_name} {meeting.label}",
        snippet_text=_meeting_text,
        result_template="councils/includes/search_result_meeting.html",
    ),
)


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


SITEMAPS = (
    SitemapSection("councils", CouncilSitemap, order=30),
    SitemapSection("meetings", MeetingSitemap, order=40),
)
SITEMAP_PAGES = (SitemapPage("councils:index", order=30),)
NAVIGATION = (NavigationEntry("協議体", "councils:index", order=30),)

NO_SEARCH = {"councils.annualplan": "a section of its council's page, found with the council"}
NO_SITEMAP = {"councils.annualplan": "a section of its council's page, listed with the council"}

# --- staff policy ---------------------------------------------------------------------

# A コーディネーター keeps the councils of their areas.
ROLE_RULES = {
    "councils.lifearea": ModelRule(roles=CONTENT),
    "councils.council": ModelRule(area="", roles={OFFICE: "vacde", C: "vCe", R: "ve"}),
    # Representatives' names are published only with consent.
    "councils.councilmember": by_council("council", personal=True),
    "councils.meeting": by_council("council"),
    # A guest's name is published only when staff say so.
    "councils.meetingparticipant": by_council("meeting__council", personal=True),
    # One list for every council: the office keeps it, everyone else chooses from it.
    "councils.agendaitemkind": ModelRule(roles=CONTENT),
    "councils.agendaitem": by_council("meeting__council"),
    "councils.meetingmaterial": by_council("meeting__council"),
    "councils.annualplan": by_council("council"),
    "councils.annualplanitem": by_council("plan__council"),
}
AUDITED = {"councils.councilmember": Tracked(), "councils.meetingparticipant": Tracked()}

# --- personal data --------------------------------------------------------------------

PERSONAL_DATA = (
    PersonalDataKind(
        label="協議体の構成員の代表者",
        model_label="councils.councilmember",
        order=50,
        names=("representative_name",),
        context=("council", "organisation"),
        disclosed=(
            "council",
            "organisation",
            "position",
            "representative_name",
            "term_start",
            "term_end",
            "consent_date",
            "publish_representative",
        ),
        erased={"representative_name": "", "publish_representative": False},
        keeps="構成団体は協議体の記録のために残し、代表者の氏名だけを消します。",
        related=("council",),
    ),
    PersonalDataKind(
        label="協議体の会議の参加者（構成員以外）",
        model_label="councils.meetingparticipant",
        order=55,
        names=("name",),
        context=("meeting", "affiliation"),
        disclosed=("meeting", "name", "affiliation", "publish_name", "display_order"),
        erased={"name": ERASED_NAME, "publish_name": False},
        deletable=True,
        keeps="所属・立場は会議の記録のために残し、氏名を消して非公開にします。",
        related=("meeting__council",),
    ),
)
NO_RETENTION = {
    "councils.councilmember": "the council's record of who took part; a name is erased on request",
    "councils.meetingparticipant": (
        "the meeting's record of who took part; a guest's name is erased on request"
    ),
}

# --- the admin's front page -----------------------------------------------------------

UPCOMING_DAYS = 30
SHOWN = 10
# Meeting.objects.upcoming() leaves out only the meetings already held; the
# admin list can say that only as the statuses that remain.
NOT_HELD = [status.value for status in MeetingStatus if status != MeetingStatus.HELD]


def meetings_box(user) -> Box | None:
    if not access.allows(user, "view", Meeting):
        return None
    today = timezone.localdate()
    until = today + timedelta(days=UPCOMING_DAYS)
    # A meeting known only to this month or 年度 is still coming (not_over).
    coming = access.visible(
        user, Meeting.objects.filter(not_over(today), held_on__lte=until, status__in=NOT_HELD)
    )
    total = coming.count()
    meetings = coming.select_related("council").order_by("held_on", "starts_at", "pk")[:SHOWN]
    items = [
        Item(str(meeting), change_url(meeting), _meeting_note(meeting)) for meeting in meetings
    ]
    more = None
    if total:
        more = Item(
            f"今後{UPCOMING_DAYS}日の会議すべて（{total}件）",
            list_url(
                Meeting,
                held_on__gte=today.isoformat(),
                held_on__lte=until.isoformat(),
                status__in=",".join(NOT_HELD),
            ),
        )
    return Box(
        "meetings", f"今後{UPCOMING_DAYS}日の会議", items, "予定されている会議はありません。", more
    )


def _meeting_note(meeting) -> str:
    note = meeting.when
    if meeting.is_called_off:
        note += f"（{meeting.get_status_display()}）"
    return note


DASHBOARD = (DashboardBox(meetings_box, order=30),)

# --- demo data ------------------------------------------------------------------------

DEMO = (DemoPart("demo_councils", order=50),)

# --- CSV imports (councils/imports.py) -------------------------------------------------

from councils.imports import COUNCILS, LIFE_AREAS  # noqa: E402  (appended apart)

IMPORTS = (LIFE_AREAS, COUNCILS)

# --- page cache -----------------------------------------------------------------------

# Every table of the app: a write to any of them shows on the next page that read it.
PAGE_CACHE = (PageCacheTopic("councils"),)
