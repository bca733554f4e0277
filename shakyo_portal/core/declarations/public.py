"""What an app shows the public, as its portal.py declares it: the kinds the
site search finds, its sections and pages in /sitemap.xml, its menu entry.

A search kind searches only the public set its own app defines (`public()`,
`listed()`, `published(now)`) and only fields those pages already show, so no
result can hint at a staff note, a draft, a scheduled post or a name nobody
consented to publish. Japanese has no spaces between words, so matching is by
substring: 敬老会 is found in the middle of 「今年の敬老会は…」. Every term must
appear (AND), each in any of the kind's fields (OR); a reading also matches the
term in hiragana, so サロン and さろん find the same names.

Text is compared folded (NFKC, lower case) on both sides, so ＮＰＯ, ｻﾛﾝ and
１２ find NPO, サロン and 12 and the other way round; what was typed is shown
as typed. A kind's own fields are matched through its table's `search_text`
(shakyo_portal/core/searchtext.py: on PostgreSQL a folded, trigram-indexed
column), which holds the title fields among them, then the others, in the
order `fields` names them; so does each Related model's, with its `fields`.
Adding a field to a kind, or a kind, therefore comes with an AddSearchText
migration for that table (tests/search/test_search_text.py says which).
Fields through a relation (`district__name`) are folded as they are read,
in a subquery on the related table.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from shakyo_portal.core.searchtext import SearchText, as_reading, text_contains


def reading_contains(name: str, reading: str) -> Q:
    """A reading field holds hiragana (KanaReadingField), which has no case nor
    width to fold: the term in hiragana (as_reading) is matched as it is."""
    return Q(**{f"{name}__contains": reading})


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

    @property
    def search_text(self) -> SearchText:
        return SearchText(text=self.fields)


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

    @cached_property
    def model(self):
        return self.public(timezone.now()).model

    @property
    def search_text(self) -> SearchText:
        """What the model's `search_text` holds: the kind's own fields, title ones first."""
        own = [name for name in self.fields if "__" not in name]
        return SearchText(
            title=tuple(name for name in own if name in self.title_fields),
            text=tuple(name for name in own if name not in self.title_fields),
        )

    def _through_relations(self, names, term: str) -> Q:
        """`names` that reach another model (`district__name`), matched in a
        subquery on that model's table per relation, so no join repeats a row."""
        by_relation = {}
        for name in names:
            if "__" in name:
                relation, rest = name.split("__", 1)
                by_relation.setdefault(relation, []).append(rest)
        condition = Q()
        for relation, rest in by_relation.items():
            related_model = self.model._meta.get_field(relation).related_model
            matching = related_model._base_manager.filter(text_contains(rest, term))
            condition |= Q(**{f"{relation}__in": matching.values("pk")})
        return condition

    def condition(self, term: str) -> Q:
        """Rows where `term` appears in any of the kind's fields."""
        condition = self.search_text.contains(term) | self._through_relations(self.fields, term)
        if reading := as_reading(term):
            for name in self.reading_fields:
                condition |= reading_contains(name, reading)
        for related in self.related:
            matching = related.model.objects.filter(related.search_text.contains(term))
            condition |= Q(pk__in=matching.values(related.key))
        return condition

    def title_condition(self, term: str) -> Q:
        condition = Q()
        if self.search_text.title:
            condition |= self.search_text.title_contains(term)
        reading = as_reading(term)
        for name in self.title_fields:
            if name in self.reading_fields:
                if reading:
                    condition |= reading_contains(name, reading)
            elif "__" in name:
                condition |= self._through_relations([name], term)
            elif name not in self.fields:
                condition |= text_contains([name], term)
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
