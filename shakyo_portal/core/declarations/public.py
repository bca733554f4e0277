"""What an app shows the public, as its portal.py declares it: the kinds the
site search finds, its sections and pages in /sitemap.xml, its menu entry.

A search kind searches only the public set its own app defines (`public()`,
`listed()`, `published(now)`) and only fields those pages already show, so no
result can hint at a staff note, a draft, a scheduled post or a name nobody
consented to publish. Japanese has no spaces between words, so matching is by
substring (`icontains`, which both SQLite and PostgreSQL answer for any
script): 敬老会 is found in the middle of 「今年の敬老会は…」. Every term must
appear (AND), each in any of the kind's fields (OR); a reading also matches the
term in hiragana, so サロン and さろん find the same names.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from shakyo_portal.core.kana import to_hiragana


def contains(name: str, term: str) -> Q:
    """`name` contains `term`, ignoring case where the term has any.

    Kanji and kana have no case, and PostgreSQL's icontains wraps every row's
    text in UPPER(), which makes a scan of 40,000 reports about three times
    slower; so a term without cased letters is matched as it is.
    """
    lookup = "icontains" if term.lower() != term.upper() else "contains"
    return Q(**{f"{name}__{lookup}": term})


def join_text(*parts: str) -> str:
    """A result's snippet text from several fields, the empty ones left out."""
    return "\n".join(part for part in parts if part)


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
class SearchKind:
    """One kind of result: its group on /search/ and its own result pages.

    Cost: one query for the rows shown with the count of all matches, plus one
    prefetch for a kind whose text lives in related rows.
    """

    key: str  # the ?kind= value and the group's id on the page
    label: str
    order: int  # the group's place on the page, among every app's kinds
    public: Callable[[datetime], QuerySet]  # the app's public set at `now`
    fields: tuple[str, ...]
    title_fields: tuple[str, ...]  # a match here ranks first
    ordering: tuple[str, ...]  # then newest, or the list's own order where there is no date
    result_template: str  # one result's meta line, with `obj` the row
    reading_fields: tuple[str, ...] = ()
    related: tuple[Related, ...] = ()
    select: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()
    title: Callable = str
    snippet_text: Callable = lambda obj: ""
    list_url: Callable[[str], str] | None = None  # the kind's own list, searched

    @property
    def model(self):
        return self.public(timezone.now()).model

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
        """The matches, those with more terms in the title first, then in `ordering`."""
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
        return rows.order_by("-title_hits", *self.ordering)


@dataclass(frozen=True)
class SitemapSection:
    """One section of /sitemap.xml: a django.contrib.sitemaps.Sitemap listing
    only the rows the app's own public queryset lets anyone read."""

    key: str  # /sitemap.xml?section=… would name it
    sitemap: type
    order: int

    @property
    def model(self):
        return self.sitemap().items().model


@dataclass(frozen=True)
class SitemapPage:
    """A page that is no one record (a list, an about page), by URL name: all
    of them together are the sitemap's first section."""

    url_name: str
    order: int


@dataclass(frozen=True)
class NavigationEntry:
    """The app's entry in the menu of every page. `also`: the URL names of other
    sections it stands for (the entry is marked current on those too)."""

    label: str
    url_name: str
    order: int
    also: tuple[str, ...] = ()
