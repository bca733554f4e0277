"""What staff write in Markdown, turned into HTML that is safe to put in a page.

Staff type Markdown in the admin; Markdown passes raw HTML through, so the
result goes through nh3 (an allow-list sanitiser) before any page shows it:
no script, no event handlers, no inline style, no iframes, no forms. Links
keep their text and their address when it is http(s), mailto, tel or on this
site; anything else (javascript:, data:) loses the address. Images are kept
only when they are on this site: the pages load nothing from another host.

Rendering happens when a page asks, not on save, so what is stored is only
what staff typed, and a fix here applies to every old post at once.
"""

import re
import threading

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "caption",
    "code",
    "del",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Removed with everything inside them, not just unwrapped.
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template"}

MARKDOWN_EXTENSIONS = ["tables", "sane_lists", "nl2br"]


def _same_site(url: str) -> bool:
    """/media/x.jpg is; //evil.example/x.jpg (another host, no scheme) and \\\\host are not."""
    return url.startswith("/") and not url.startswith(("//", "/\\"))


def _relative_url(url: str) -> str | None:
    # Relative addresses are fine for links ("#top", "../events/"), except those that
    # name another host without a scheme.
    return None if url.lstrip().startswith(("//", "\\\\", "/\\", "\\/")) else url


def _attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if _same_site(value) else None
    if attribute in ("width", "height") and not value.isdigit():
        return None
    if tag == "th" and attribute == "scope" and value not in ("col", "row"):
        return None
    return value


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags=DROPPED_WITH_CONTENT,
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_attribute,
    url_schemes=URL_SCHEMES,
    url_relative=_relative_url,
    link_rel="noopener noreferrer",
    strip_comments=True,
)

_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>\n?")
_HEADING = re.compile(r"<(/?)h([1-6])>")
_THEAD = re.compile(r"<thead>.*?</thead>", re.DOTALL)
_TABLE = re.compile(r"<table>.*?</table>", re.DOTALL)


_converters = threading.local()


def markdown_to_html(text: str) -> str:
    """Markdown as HTML, before sanitising: what staff meant, for the editor checks."""
    # One converter per thread, reset before each use: an instance keeps state
    # between calls (reset() clears it) and is not safe to share between threads;
    # building one loads every extension again, some 0.3 ms, and a search result
    # page turns thirty posts into snippets.
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, output_format="html")
        _converters.markdown = converter
    return converter.reset().convert(text or "")


def sanitize(html: str) -> str:
    clean = _cleaner.clean(html)
    # An image from another host lost its src above; without one it shows nothing, and
    # a paragraph left empty by what was removed is dropped too.
    return _EMPTY_PARAGRAPH.sub("", _IMG_WITHOUT_SRC.sub("", clean))


def _accessible_table(match: re.Match) -> str:
    # Markdown's tables have a header row but no scope; a phone scrolls a wide one in
    # its own box, which a keyboard can reach (as the site's own tables do).
    table = _THEAD.sub(lambda m: m.group(0).replace("<th>", '<th scope="col">'), match.group(0))
    return f'<div class="table-scroll" tabindex="0" role="region" aria-label="表">{table}</div>'


def render(text: str, *, heading_offset: int = 0) -> SafeString:
    """Markdown to sanitised HTML, ready for a template.

    The page's title is its only h1: a "# heading" in the body becomes an h2. Where the
    text sits under a heading of the page (an event's 内容, a newsletter's article),
    heading_offset=1 moves every heading one level down, so the outline stays in order.
    """

    def level(match: re.Match) -> str:
        return f"<{match[1]}h{min(max(int(match[2]), 2) + heading_offset, 6)}>"

    html = _HEADING.sub(level, sanitize(markdown_to_html(text)))
    # Only markup added here, around what was sanitised just above.
    return mark_safe(_TABLE.sub(_accessible_table, html))


def plain_text(text: str) -> str:
    """The words of a Markdown text without any markup, for summaries, feeds and calendars."""
    html = markdown_to_html(text)
    # Block ends become line breaks so words of two paragraphs do not run together.
    html = re.sub(r"</(p|h[1-6]|li|tr|blockquote|pre)>|<br\s*/?>", "\n", html)
    words = nh3.clean(html, tags=set(), clean_content_tags=DROPPED_WITH_CONTENT)
    words = (
        words.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&#39;", "'")
    )
    words = words.replace("&amp;", "&")
    return re.sub(r"\n{2,}", "\n", words).strip()


def excerpt(text: str, length: int = 100) -> str:
    """The first `length` characters of the words, on one line, with … when cut."""
    words = " ".join(plain_text(text).split())
    return words if len(words) <= length else words[: length - 1] + "…"
