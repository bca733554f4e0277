"""Site search: one box that finds every kind of public page, as each app
declares its kinds in its portal.py (SEARCH_KINDS), and shows each result with
the partial its kind names.

What a kind searches, and why only its public set and the fields its pages
show, is in shakyo_portal/core/declarations/public.py. Here: the words typed,
the groups in their stated order, the terms marked in titles and snippets.

Cost, whatever the data size: per kind one query for the rows shown with the
count of all matches (plus one prefetch for a kind whose text lives in related
rows, such as a district's activities); a kind's own pages, a COUNT and the
page's rows. On PostgreSQL a term of three characters or more is looked up in
each table's trigram index; a shorter one, which no trigram holds, is looked
for in the folded text of every row (core/searchtext.py).
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Window
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from shakyo_portal.core import declarations
from shakyo_portal.core.declarations.public import SearchKind
from shakyo_portal.core.kana import to_hiragana
from shakyo_portal.core.normalize import search_form

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


@cache
def kinds() -> tuple[SearchKind, ...]:
    """Every app's kinds, in the order their groups appear."""
    return tuple(declarations.ordered("SEARCH_KINDS"))


@cache
def kinds_by_key() -> dict[str, SearchKind]:
    return {kind.key: kind for kind in kinds()}


# --- marking the terms ----------------------------------------------------------------


# ぁ..ゖ sit exactly 0x60 below ァ..ヶ (the inverse of kana.to_hiragana).
_HIRAGANA_TO_KATAKANA = str.maketrans({code: code + 0x60 for code in range(0x3041, 0x3097)})


# Where stored text may hold a character that the search folds into another
# (normalize.search_form): full-width and half-width forms, circled digits,
# compatibility ideographs and radicals.
_FOLDED_BLOCKS = ((0x2000, 0x33FF), (0xF900, 0xFAFF), (0xFE30, 0xFE6F), (0xFF00, 0xFFEF))
_HALF_WIDTH_VOICING = "\uff9e\uff9f"  # ﾞ ﾟ, which fold with the kana before them


@cache
def _unfolded() -> dict[str, tuple[str, ...]]:
    """{a folded character: the other characters and half-width kana pairs that
    fold to it}: Ｎ and ｎ for n, ｻ for サ, ｶﾞ for ガ, ① and １ for 1."""
    found = {}
    for start, end in _FOLDED_BLOCKS:
        for code in range(start, end + 1):
            char = chr(code)
            folded = search_form(char)
            if len(folded) == 1 and folded != char:
                found.setdefault(folded, set()).add(char)
    for code in range(0xFF66, 0xFF9E):
        for mark in _HALF_WIDTH_VOICING:
            pair = chr(code) + mark
            if len(folded := search_form(pair)) == 1:
                found.setdefault(folded, set()).add(pair)
    return {
        char: tuple(sorted(forms, key=lambda form: (-len(form), form)))
        for char, forms in found.items()
    }


def _as_written(term: str) -> str:
    """A regular expression for `term` however the text wrote each character:
    NPO also marks ＮＰＯ, サロン marks ｻﾛﾝ, as the search found them."""
    parts = []
    for char in term:
        forms = _unfolded().get(search_form(char), ())
        if forms:
            parts.append("(?:" + "|".join(re.escape(form) for form in (*forms, char)) + ")")
        else:
            parts.append(re.escape(char))
    return "".join(parts)


def _pattern(terms) -> re.Pattern:
    """Each term as typed, in hiragana and in katakana, each in any width: さろん
    marks サロン, NPO marks ＮＰＯ, as the search found them."""
    variants = set()
    for term in terms:
        hiragana = to_hiragana(term)
        variants |= {term, hiragana, hiragana.translate(_HIRAGANA_TO_KATAKANA)}
    # Longest first, so 敬老会 is marked whole where 敬老 is a term too.
    alternatives = sorted(variants, key=len, reverse=True)
    return re.compile("|".join(_as_written(term) for term in alternatives), re.IGNORECASE)


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
    kind: SearchKind
    count: int
    hits: list[Hit] = field(default_factory=list)
    page: object = None  # the Paginator page, on a kind's own result pages
    more_url: str = ""  # all of this kind's results, a page at a time
    list_url: str = ""  # the kind's own list, searched for the same words


def hits(kind: SearchKind, rows, pattern: re.Pattern) -> list[Hit]:
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
    for kind in kinds():
        # The count rides along with the rows (COUNT(*) OVER () is taken before the
        # LIMIT), so each kind's matches are scanned once; no row means no match.
        rows = list(kind.ranked(terms, now).annotate(total=Window(Count("pk")))[:SHOWN_PER_KIND])
        count = rows[0].total if rows else 0
        groups.append(Group(kind, count, hits(kind, rows, pattern)))
    return groups


def search_kind(kind: SearchKind, terms, now: datetime, page_number) -> Group:
    """One kind's results, a page at a time: a COUNT and the page's rows (and prefetch)."""
    page = Paginator(kind.ranked(terms, now), RESULTS_PER_PAGE).get_page(page_number)
    return Group(kind, page.paginator.count, hits(kind, page.object_list, _pattern(terms)), page)


@require_safe
def search(request):
    """/search/?q=敬老会: every kind's first results; &kind=posts pages through one kind."""
    query = parse_query(request.GET.get("q", ""))
    kind = kinds_by_key().get(request.GET.get("kind", ""))
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
