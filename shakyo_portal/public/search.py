"""Site search: one box that finds districts, salons, councils, meetings,
coordinators' reports, resources, news, events and 社協だより.

Each kind searches only the public set its own app defines (`public()`,
`listed()`, `published(now)`) and only fields those pages already show, so no
result can hint at a staff note, a draft, a scheduled post or a name nobody
consented to publish. Japanese has no spaces between words, so matching is by
substring (`icontains`, which both SQLite and PostgreSQL answer for any
script): 敬老会 is found in the middle of 「今年の敬老会は…」. Every term must
appear (AND), each in any of the kind's fields (OR); a reading also matches the
term in hiragana, so サロン and さろん find the same names.

Cost, whatever the data size: per kind one query for the rows shown with the
count of all matches (plus one prefetch for the three kinds whose text lives in
related rows: a district's activities, a meeting's agenda, an issue's
articles); a kind's own pages, a COUNT and the page's rows.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When, Window
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from coordinators.directory import public_resources
from coordinators.models import ActivityLog
from councils.models import AgendaItem, Council, Meeting
from districts.models import Activity, District
from news.markdown import plain_text
from news.models import (
    Event,
    EventQuerySet,
    NewsletterArticle,
    NewsletterIssue,
    Post,
    PostQuerySet,
)
from salons.models import Salon
from shakyo_portal.core.kana import to_hiragana

MAX_TERMS = 5
MAX_TERM_LENGTH = 50
# Longer than five terms of the longest length and their spaces is a pasted
# text, not a search; it is refused before any normalisation work.
MAX_QUERY_LENGTH = MAX_TERMS * (MAX_TERM_LENGTH + 1)
SHOWN_PER_KIND = 5
RESULTS_PER_PAGE = 20
SNIPPET_LENGTH = 80

TOO_LONG = (
    f"キーワードが長すぎます。{MAX_TERM_LENGTH}文字以内の短い言葉にして、もう一度お探しください。"
)
TOO_MANY = f"キーワードは{MAX_TERMS}つまでにしてください。言葉を減らして、もう一度お探しください。"


@dataclass(frozen=True)
class Query:
    """What was typed, as terms to search for, or the reason it cannot be searched."""

    text: str = ""
    terms: tuple[str, ...] = ()
    error: str = ""


def parse_query(raw: str) -> Query:
    """ｻﾛﾝ　体操 -> ("サロン", "体操"): NFKC, any space (also U+3000) separates terms.

    Control characters (a pasted NUL, a tab) are dropped. More than MAX_TERMS
    terms, or a term longer than MAX_TERM_LENGTH, is refused with a message
    rather than searched in part: a search for half of what was asked would
    look like an answer to all of it.
    """
    if len(raw) > MAX_QUERY_LENGTH:
        return Query(error=TOO_LONG)
    text = "".join(ch for ch in raw if unicodedata.category(ch) != "Cc")
    terms = tuple(unicodedata.normalize("NFKC", text).split())
    text = " ".join(terms)
    if len(terms) > MAX_TERMS:
        return Query(text, error=TOO_MANY)
    if any(len(term) > MAX_TERM_LENGTH for term in terms):
        return Query(text, error=TOO_LONG)
    return Query(text, terms)


def contains(name: str, term: str) -> Q:
    """`name` contains `term`, ignoring case where the term has any.

    Kanji and kana have no case, and PostgreSQL's icontains wraps every row's
    text in UPPER(), which makes a scan of 40,000 reports about three times
    slower; so a term without cased letters is matched as it is.
    """
    lookup = "icontains" if term.lower() != term.upper() else "contains"
    return Q(**{f"{name}__{lookup}": term})


@dataclass(frozen=True)
class Related:
    """Text in other rows: `model` rows whose `fields` match point back by `key`.

    Matched through `pk__in=(subquery)`, never a join, so a district with two
    matching activities is still one result and needs no DISTINCT.
    """

    model: type
    key: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Kind:
    key: str  # the ?kind= value and the group's id on the page
    label: str
    public: Callable[[datetime], QuerySet]  # the app's public set at `now`
    fields: tuple[str, ...]
    title_fields: tuple[str, ...]  # a match here ranks first
    order: tuple[str, ...]  # then newest, or the list's own order where there is no date
    reading_fields: tuple[str, ...] = ()
    related: tuple[Related, ...] = ()
    select: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()
    title: Callable = str
    snippet_text: Callable = lambda obj: ""
    list_url: Callable[[str], str] | None = None  # the kind's own list, searched

    def condition(self, term: str) -> Q:
        """Rows where `term` appears in any of the kind's fields."""
        condition = Q()
        for name in self.fields:
            condition |= contains(name, term)
        reading = to_hiragana(term)
        for name in self.reading_fields:
            condition |= contains(name, reading)
        for related in self.related:
            matching = Q()
            for name in related.fields:
                matching |= contains(name, term)
            condition |= Q(pk__in=related.model.objects.filter(matching).values(related.key))
        return condition

    def title_condition(self, term: str) -> Q:
        condition = Q()
        for name in self.title_fields:
            condition |= contains(name, to_hiragana(term) if name in self.reading_fields else term)
        return condition

    def matching(self, terms, now: datetime) -> QuerySet:
        rows = self.public(now)
        for term in terms:
            rows = rows.filter(self.condition(term))
        return rows

    def ranked(self, terms, now: datetime) -> QuerySet:
        """The matches, those with more terms in the title first, then in `order`."""
        title_hits = sum(
            (
                Case(When(self.title_condition(term), then=Value(1)), default=Value(0))
                for term in terms
            ),
            start=Value(0, output_field=IntegerField()),
        )
        rows = self.matching(terms, now).annotate(title_hits=title_hits)
        if self.select:
            rows = rows.select_related(*self.select)
        if self.prefetch:
            rows = rows.prefetch_related(*self.prefetch)
        return rows.order_by("-title_hits", *self.order)


# --- what each kind shows ----------------------------------------------------------------


def _join(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


def _district_text(district):
    return _join(
        district.summary,
        district.description,
        district.area_served,
        "、".join(activity.name for activity in district.activities.all()),
    )


def _meeting_text(meeting):
    return _join(
        meeting.minutes,
        "、".join(item.title for item in meeting.agenda_items.all()),
        meeting.status_reason,
        meeting.replacement,
        meeting.guests,
    )


def _newsletter_text(issue):
    return _join(
        *(_join(article.title, plain_text(article.body)) for article in issue.articles.all())
    )


def _salon_list_url(text: str) -> str:
    return f"{reverse('salons:index')}?{urlencode({'q': text})}"


KINDS = (
    Kind(
        key="districts",
        label="地区社協",
        public=lambda now: District.objects.public(),
        fields=("name", "summary", "description", "area_served"),
        reading_fields=("reading",),
        related=(Related(Activity, "district_id", ("name",)),),
        title_fields=("name", "reading"),
        order=("display_order", "reading", "pk"),
        select=("parent",),
        prefetch=("activities",),
        title=lambda district: district.title_name,
        snippet_text=_district_text,
    ),
    Kind(
        key="salons",
        label="ふれあいサロン",
        public=lambda now: Salon.objects.listed(),
        # The organiser's name and contact are never searched: a hit would reveal them.
        fields=("name", "venue_name", "venue_address", "description", "district__name"),
        reading_fields=("reading",),
        title_fields=("name", "reading"),
        order=("reading", "pk"),
        select=("district",),
        snippet_text=lambda salon: _join(salon.description, salon.venue_name, salon.venue_address),
        list_url=_salon_list_url,
    ),
    Kind(
        key="councils",
        label="協議体",
        public=lambda now: Council.objects.public(),
        # Representatives' names are never searched (see CouncilQuerySet.search).
        fields=("name", "nickname", "purpose", "description", "life_area__name"),
        reading_fields=("reading",),
        title_fields=("name", "nickname", "reading"),
        order=("layer", "display_order", "reading", "pk"),
        select=("life_area",),
        title=lambda council: council.display_name,
        snippet_text=lambda council: _join(council.purpose, council.description),
    ),
    Kind(
        key="meetings",
        label="協議体の会議",
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
        order=("-held_on", "-starts_at", "-pk"),
        select=("council",),
        prefetch=("agenda_items",),
        title=lambda meeting: f"{meeting.council.display_name} {meeting.label}",
        snippet_text=_meeting_text,
    ),
    Kind(
        key="reports",
        label="コーディネーターの活動報告",
        public=lambda now: ActivityLog.objects.published(),
        # Staff notes are never searched (see ActivityLog.staff_notes).
        fields=("title", "narrative"),
        title_fields=("title",),
        order=("-date", "-pk"),
        select=("coordinator", "district__parent", "life_area"),
        title=lambda log: log.title,
        snippet_text=lambda log: log.narrative,
    ),
    Kind(
        key="resources",
        label="地域資源",
        public=lambda now: public_resources(),
        fields=("name", "summary", "description", "help_offered", "address"),
        reading_fields=("reading",),
        title_fields=("name", "reading"),
        order=("reading", "pk"),
        select=("category", "district"),
        snippet_text=lambda resource: _join(
            resource.summary, resource.description, resource.help_offered, resource.address
        ),
    ),
    Kind(
        key="posts",
        label="お知らせ",
        public=lambda now: Post.objects.published(now),
        fields=PostQuerySet.SEARCH_FIELDS,
        title_fields=("title",),
        order=("-published_at", "-pk"),
        select=("category",),
        title=lambda post: post.title,
        snippet_text=lambda post: _join(post.summary, plain_text(post.body)),
    ),
    Kind(
        key="events",
        label="行事",
        public=lambda now: Event.objects.published(now),
        fields=EventQuerySet.SEARCH_FIELDS,
        title_fields=("title",),
        order=("-starts_at", "-pk"),
        title=lambda event: event.title,
        snippet_text=lambda event: _join(
            plain_text(event.description), event.place, event.target, event.organiser
        ),
    ),
    Kind(
        key="newsletters",
        label="社協だより",
        public=lambda now: NewsletterIssue.objects.published(now),
        fields=("title",),
        related=(Related(NewsletterArticle, "issue_id", ("title", "body")),),
        title_fields=("title",),
        order=("-issued_on", "-number"),
        prefetch=("articles",),
        title=lambda issue: (
            f"社協だより {issue.number_label}" + (f"「{issue.title}」" if issue.title else "")
        ),
        snippet_text=_newsletter_text,
    ),
)
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}


# --- marking the terms ----------------------------------------------------------------


# ぁ..ゖ sit exactly 0x60 below ァ..ヶ (the inverse of kana.to_hiragana).
_HIRAGANA_TO_KATAKANA = str.maketrans({code: code + 0x60 for code in range(0x3041, 0x3097)})


def _pattern(terms) -> re.Pattern:
    """Each term as typed, in hiragana and in katakana: さろん marks サロン, as it found it."""
    variants = set()
    for term in terms:
        hiragana = to_hiragana(term)
        variants |= {term, hiragana, hiragana.translate(_HIRAGANA_TO_KATAKANA)}
    # Longest first, so 敬老会 is marked whole where 敬老 is a term too.
    alternatives = sorted(variants, key=len, reverse=True)
    return re.compile("|".join(re.escape(term) for term in alternatives), re.IGNORECASE)


def highlight(text: str, pattern: re.Pattern) -> SafeString:
    """`text` escaped, each match wrapped in <mark>."""
    parts = []
    position = 0
    for match in pattern.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))


def snippet(text: str, pattern: re.Pattern, length: int = SNIPPET_LENGTH) -> SafeString:
    """About `length` characters around the first match, on one line, terms marked.

    Without a match in the text (it was in a reading, a related name or the
    Markdown's link address) the text's beginning stands in.
    """
    words = " ".join(text.split())
    match = pattern.search(words)
    start = 0
    if match is not None:
        # A little context before the match, the rest after it, starting at the
        # beginning of a sentence or word where there is one in that little.
        start = max(0, min(match.start() - length // 4, len(words) - length))
        boundary = max(words.rfind(mark, start, match.start()) for mark in ("。", " "))
        if boundary >= start:
            start = boundary + 1
    end = start + length
    cut = words[start:end]
    return mark_safe(
        ("…" if start > 0 else "") + highlight(cut, pattern) + ("…" if end < len(words) else "")
    )


@dataclass(frozen=True)
class Hit:
    obj: object
    title: SafeString
    snippet: SafeString


@dataclass
class Group:
    kind: Kind
    count: int
    hits: list[Hit] = field(default_factory=list)
    page: object = None  # the Paginator page, on a kind's own result pages
    more_url: str = ""  # all of this kind's results, a page at a time
    list_url: str = ""  # the kind's own list, searched for the same words


def hits(kind: Kind, rows, pattern: re.Pattern) -> list[Hit]:
    return [
        Hit(
            obj=row,
            title=highlight(kind.title(row), pattern),
            snippet=snippet(kind.snippet_text(row), pattern),
        )
        for row in rows
    ]


def search_all(terms, now: datetime) -> list[Group]:
    """Every kind's count and its first SHOWN_PER_KIND results: one query a kind
    (two with a prefetch, which a kind with no match does not run)."""
    pattern = _pattern(terms)
    groups = []
    for kind in KINDS:
        # The count rides along with the rows (COUNT(*) OVER () is taken before the
        # LIMIT), so each kind's matches are scanned once; no row means no match.
        rows = list(kind.ranked(terms, now).annotate(total=Window(Count("pk")))[:SHOWN_PER_KIND])
        count = rows[0].total if rows else 0
        groups.append(Group(kind, count, hits(kind, rows, pattern)))
    return groups


def search_kind(kind: Kind, terms, now: datetime, page_number) -> Group:
    """One kind's results, a page at a time: a COUNT and the page's rows (and prefetch)."""
    page = Paginator(kind.ranked(terms, now), RESULTS_PER_PAGE).get_page(page_number)
    return Group(kind, page.paginator.count, hits(kind, page.object_list, _pattern(terms)), page)


@require_safe
def search(request):
    """/search/?q=敬老会: every kind's first results; &kind=posts pages through one kind."""
    query = parse_query(request.GET.get("q", ""))
    kind = KINDS_BY_KEY.get(request.GET.get("kind", ""))
    groups = []
    if query.terms:
        now = timezone.now()
        if kind is not None:
            groups = [search_kind(kind, query.terms, now, request.GET.get("page"))]
        else:
            groups = search_all(query.terms, now)
    found = [group for group in groups if group.count]
    for group in found:
        group.more_url = f"{request.path}?{urlencode({'q': query.text, 'kind': group.kind.key})}"
        if group.kind.list_url is not None:
            group.list_url = group.kind.list_url(query.text)
    return render(
        request,
        "search.html",
        {
            "query": query,
            "kind": kind if query.terms else None,
            "groups": found,
            "total": sum(group.count for group in groups),
            "shown_per_kind": SHOWN_PER_KIND,
            "all_url": f"{request.path}?{urlencode({'q': query.text})}",
            "max_terms": MAX_TERMS,
        },
    )
