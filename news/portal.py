"""The news app's site-wide parts (shakyo_portal/core/declarations): お知らせ,
行事 with their registrations, and 社協だより."""

from datetime import timedelta

from django.db.models.functions import Coalesce
from django.utils import timezone

from news.markdown import plain_text
from news.models import (
    Event,
    EventQuerySet,
    EventStatus,
    NewsletterArticle,
    NewsletterIssue,
    Post,
    PostQuerySet,
    PublicationStatus,
    Registration,
    RegistrationKind,
)
from news.sitemaps import EventSitemap, NewsletterSitemap, PostSitemap
from shakyo_portal.core.dates import format_period
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
from shakyo_portal.core.declarations.records import (
    DELETE,
    ERASED_NAME,
    ERASED_READING,
    PersonalDataKind,
    RetentionRule,
    years_before,
)
from shakyo_portal.staff import access
from shakyo_portal.staff.audit import Tracked
from shakyo_portal.staff.roles import CONTENT, PERSONAL, ModelRule

# --- public pages ---------------------------------------------------------------------


def _newsletter_text(issue):
    return join_text(
        *(join_text(article.title, plain_text(article.body)) for article in issue.articles.all())
    )


SEARCH_KINDS = (
    SearchKind(
        key="posts",
        label="お知らせ",
        order=70,
        public=lambda now: Post.objects.published(now),
        fields=PostQuerySet.SEARCH_FIELDS,
        title_fields=("title",),
        ordering=("-published_at", "-pk"),
        select=("category",),
        title=lambda post: post.title,
        snippet_text=lambda post: join_text(post.summary, plain_text(post.body)),
        result_template="news/includes/search_result_post.html",
    ),
    SearchKind(
        key="events",
        label="行事",
        order=80,
        public=lambda now: Event.objects.published(now),
        fields=EventQuerySet.SEARCH_FIELDS,
        title_fields=("title",),
        ordering=("-starts_at", "-pk"),
        title=lambda event: event.title,
        snippet_text=lambda event: join_text(
            plain_text(event.description), event.place, event.target, event.organiser
        ),
        result_template="news/includes/search_result_event.html",
    ),
    SearchKind(
        key="newsletters",
        label="社協だより",
        order=90,
        public=lambda now: NewsletterIssue.objects.published(now),
        fields=("title",),
        related=(Related(NewsletterArticle, "issue_id", ("title", "body")),),
        title_fields=("title",),
        ordering=("-issued_on", "-number"),
        prefetch=("articles",),
        title=lambda issue: (
            f"社協だより {issue.number_label}" + (f"「{issue.title}」" if issue.title else "")
        ),
        snippet_text=_newsletter_text,
        result_template="news/includes/search_result_newsletter.html",
    ),
)

SITEMAPS = (
    SitemapSection("news", PostSitemap, order=70),
    SitemapSection("events", EventSitemap, order=80),
    SitemapSection("newsletters", NewsletterSitemap, order=90),
)
SITEMAP_PAGES = (
    SitemapPage("news:index", order=70),
    SitemapPage("news:events", order=80),
    SitemapPage("news:newsletters", order=90),
)
NAVIGATION = (
    NavigationEntry("お知らせ", "news:index", order=70, also=("news:newsletters",)),
    NavigationEntry("行事", "news:events", order=80),
)

NO_SEARCH = {"news.category": "a list of the posts in one category; the posts are searched"}
NO_SITEMAP = {"news.category": "a list of the posts in one category; the posts are listed"}

# --- staff policy ---------------------------------------------------------------------

ROLE_RULES = {
    "news.category": ModelRule(roles=CONTENT),
    "news.post": ModelRule(roles=CONTENT),
    "news.postimage": ModelRule(roles=CONTENT),
    "news.postattachment": ModelRule(roles=CONTENT),
    "news.accommodation": ModelRule(roles=CONTENT),
    "news.event": ModelRule(roles=CONTENT),
    "news.registration": ModelRule(personal=True, roles=PERSONAL),
    "news.newsletterissue": ModelRule(roles=CONTENT),
    "news.newsletterarticle": ModelRule(roles=CONTENT),
}
AUDITED = {"news.registration": Tracked(m2m_fields=("accommodations",))}

# --- personal data --------------------------------------------------------------------

PERSONAL_DATA = (
    PersonalDataKind(
        label="行事の申込",
        model_label="news.registration",
        order=40,
        names=("name",),
        readings=("reading",),
        phones=("phone",),
        emails=("email",),
        context=("event",),
        disclosed=(
            "event",
            "serial",
            "name",
            "reading",
            "phone",
            "email",
            "people",
            "accommodations",
            "note",
            "status",
            "consented_at",
            "created_at",
        ),
        erased={
            "name": ERASED_NAME,
            "reading": ERASED_READING,
            "phone": "",
            "email": "",
            "note": "",
        },
        erased_m2m=("accommodations",),
        deletable=True,
        keeps="人数は、行事の参加者数の統計のために残します。",
        related=("event",),
    ),
)

# A registration serves the event and the questions that follow it
# (who came, a refund); a year covers that.
REGISTRATION_YEARS = 1


def _registrations(now):
    cutoff = years_before(now, REGISTRATION_YEARS)
    return Registration.objects.alias(ended=Coalesce("event__ends_at", "event__starts_at")).filter(
        ended__lt=cutoff
    )


RETENTION = (
    RetentionRule(
        f"行事の申込（終了から{REGISTRATION_YEARS}年）",
        Registration,
        _registrations,
        DELETE,
        order=10,
    ),
)

# --- the admin's front page -----------------------------------------------------------

UPCOMING_DAYS = 30
SHOWN = 10


def events_box(user) -> Box | None:
    if not access.allows(user, "view", Event):
        return None
    today = timezone.localdate()
    until = today + timedelta(days=UPCOMING_DAYS)
    # By the day it starts in Japan time, as the admin list's __date filter reads it.
    coming = access.visible(user, Event.objects.filter(starts_at__date__range=(today, until)))
    total = coming.count()
    events = coming.with_counts().order_by("starts_at", "pk")[:SHOWN]
    items = [Item(event.title, change_url(event), _event_note(event)) for event in events]
    more = None
    if total:
        more = Item(
            f"今後{UPCOMING_DAYS}日の行事すべて（{total}件）",
            list_url(
                Event,
                starts_at__date__gte=today.isoformat(),
                starts_at__date__lte=until.isoformat(),
            ),
        )
    return Box(
        "events", f"今後{UPCOMING_DAYS}日の行事", items, "予定されている行事はありません。", more
    )


def _event_note(event) -> str:
    parts = [format_period(event.starts_at, event.ends_at)]
    if event.registration != RegistrationKind.REQUIRED:
        parts.append("申込不要")
    elif event.capacity is None:
        parts.append(f"申込 {event.confirmed_people}人（定員なし）")
    else:
        parts.append(f"申込 {event.confirmed_people}/{event.capacity}人")
    if event.status != EventStatus.SCHEDULED:
        parts.append(event.get_status_display())
    if event.publication == PublicationStatus.DRAFT:
        parts.append("下書き")
    return "　".join(parts)


DASHBOARD = (DashboardBox(events_box, order=40),)

# --- demo data ------------------------------------------------------------------------

DEMO = (DemoPart("demo_news", order=80),)

# --- page cache -----------------------------------------------------------------------

# Every table of the app: a write to any of them shows on the next page that read it.
PAGE_CACHE = (PageCacheTopic("news"),)
