"""ふりがな: readings over the kanji of a rendered page, for readers who ask for them.

When the reader's `furigana` cookie is on, FuriganaMiddleware hands the page's
HTML to `annotate_html`. The standard library's HTML parser walks it; every tag,
attribute, comment and entity is copied through as it was written, and only
text inside <body> changes: each word with kanji becomes

    <ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby>

Text that is not prose is left alone: scripts, styles, form values (textarea,
option), code, text already in <ruby>, and any element marked
data-furigana="off" or translate="no". Kana and Latin text never change.

Readings come from SudachiPy with SudachiDict-core (Apache-2.0). An analyser
guesses names badly, so names whose reading is stored (districts, salons,
people, councils) are marked by the `yomi` template filter as
<span data-yomi="ちゅうおう">中央</span>, and get that reading instead.
"""

import re
import threading
from functools import lru_cache
from html import escape
from html.parser import HTMLParser

from shakyo_portal.core.kana import to_hiragana

# Kanji, 々 〆 〇 〻, and ヵ ヶ (read か/が/こ inside names such as 霞ヶ関).
KANJI = (
    "\u3005-\u3007\u303b\u30f5\u30f6\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
)
HAS_KANJI = re.compile(f"[{KANJI}]")
KANJI_RUN = re.compile(f"([{KANJI}]+)")
READING = re.compile(r"[ぁ-ゖゝゞー]+")
SEPARATORS = re.compile(r"[\s・]+")
SEPARATORS_SPLIT = re.compile(r"([\s・]+)")

# Elements whose text is not prose to annotate, or may hold no <ruby> (option, title).
SKIP_ELEMENTS = frozenset(
    {
        "script",
        "style",
        "template",
        "title",
        "textarea",
        "select",
        "option",
        "optgroup",
        "datalist",
        "code",
        "kbd",
        "samp",
        "var",
        "ruby",
        "rt",
        "rp",
        "svg",
        "math",
        "iframe",
        "object",
    }
)
VOID_ELEMENTS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)

WEEKDAY_READINGS = {
    "月": "げつ",
    "火": "か",
    "水": "すい",
    "木": "もく",
    "金": "きん",
    "土": "ど",
    "日": "にち",
    "祝": "しゅく",
}
_DAY = "[月火水木金土日]"
# Where a single kanji is a weekday: in brackets, (月) or （土・日・祝）, and in ranges and
# lists of days, 月〜金 or 土・日 (not 土・日曜日, nor the 月 of 今月・来月).
WEEKDAYS = re.compile(
    f"[(（]{_DAY}(?:[・、]{_DAY})*(?:・祝)?[)）]"
    f"|(?<![{KANJI}]){_DAY}(?:[〜～・、]{_DAY}(?![{KANJI}]))+"
)

# Counters read differently after different numbers (1日 ついたち, 2人 ふたり, 3本 さんぼん).
VARYING_COUNTERS = frozenset("日人本匹杯分歳才階泊発軒羽頭足冊")

# Sudachi refuses input over 49,149 bytes; 4,000 characters stay far below it.
CHUNK_CHARS = 4000
# Short texts (labels, headings, the menu, the footer) repeat on every page: their
# annotation is remembered. Long paragraphs are analysed each time.
CACHED_TEXT_CHARS = 400


def ruby(base: str, reading: str) -> str:
    """One <ruby>; `base` is HTML already (text as it stood in the page)."""
    return f"<ruby>{base}<rp>(</rp><rt>{escape(reading)}</rt><rp>)</rp></ruby>"


def _literal(part: str, reading: str) -> str | None:
    """The pattern the kana (or other text) between kanji matches in the reading.

    Kana appear in the reading as hiragana. A space or ・ between two names must
    be in the reading too, or where one name ends in the reading is unknown.
    """
    pattern = []
    for piece in SEPARATORS_SPLIT.split(to_hiragana(part)):
        if not piece:
            continue
        if SEPARATORS.fullmatch(piece):
            if not SEPARATORS.search(reading):
                return None
            pattern.append(SEPARATORS.pattern)
        else:
            pattern.append(re.escape(piece))
    return "".join(pattern)


def align(surface: str, reading: str) -> list[tuple[str, str | None]]:
    """Split a word and its reading so each kanji run gets only its own reading.

    見守り, みまもり -> [(見守, みまも), (り, None)]; 一人ひとり, ひとりひとり ->
    [(一人, ひとり), (ひとり, None)]. When the kana do not line up with the
    reading, the whole word gets the whole reading.
    """
    if not HAS_KANJI.search(surface):
        return [(surface, None)]
    parts = [part for part in KANJI_RUN.split(surface) if part]
    if len(parts) == 1:
        return [(surface, reading)]
    pattern = []
    for part in parts:
        literal = "(.+?)" if HAS_KANJI.match(part) else _literal(part, reading)
        if literal is None:
            return [(surface, reading)]
        pattern.append(literal)
    match = re.fullmatch("".join(pattern), reading)
    if match is None:
        return [(surface, reading)]
    readings = iter(match.groups())
    return [(part, next(readings) if HAS_KANJI.match(part) else None) for part in parts]


def ruby_for(surface: str, reading: str) -> str:
    """`surface` (HTML text) with `reading` over its kanji."""
    return "".join(
        ruby(base, part_reading) if part_reading else base
        for base, part_reading in align(surface, reading)
    )


# --- the analyser ---------------------------------------------------------------------

_local = threading.local()
_analyser = None
_analyser_lock = threading.Lock()


class _Analyser:
    """The dictionary (shared) and what is looked up in it once."""

    def __init__(self):
        from sudachipy import Dictionary, SplitMode

        self.dictionary = Dictionary(dict="core")
        # Mode B: 総社市 and 協議会 stay whole, 社会福祉協議会 does not become one long ruby.
        self.mode = SplitMode.B
        self.is_number = self.dictionary.pos_matcher(lambda pos: pos[1] == "数詞")
        self.is_suffix = self.dictionary.pos_matcher(lambda pos: pos[0] == "接尾辞")


def _analyser_and_tokenizer():
    """One tokenizer per thread (they are not thread-safe) over one shared dictionary,
    loaded on the first page anyone reads with ふりがな (about 0.1 s; it is mmapped)."""
    global _analyser
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        with _analyser_lock:
            if _analyser is None:
                _analyser = _Analyser()
        tokenizer = _local.tokenizer = _analyser.dictionary.tokenizer(mode=_analyser.mode)
    return _analyser, tokenizer


def _chunks(text: str):
    while len(text) > CHUNK_CHARS:
        cut = max(text.rfind("。", 0, CHUNK_CHARS), text.rfind("\n", 0, CHUNK_CHARS))
        cut = cut + 1 if cut > 0 else CHUNK_CHARS
        yield text[:cut]
        text = text[cut:]
    if text:
        yield text


@lru_cache(maxsize=8192)
def _word(surface: str, reading_form: str) -> str:
    reading = to_hiragana(reading_form)
    return ruby_for(surface, reading) if READING.fullmatch(reading) else surface


def _annotate(text: str) -> str:
    # A weekday written as one kanji, (月) or 月〜金, is read げつ, not がつ as the
    # analyser reads 月 alone; likewise 火 水 木 金 土 日.
    out = []
    end = 0
    for match in WEEKDAYS.finditer(text):
        out.append(_annotate_words(text[end : match.start()]))
        out.append(
            "".join(
                ruby(char, WEEKDAY_READINGS[char]) if char in WEEKDAY_READINGS else char
                for char in match.group()
            )
        )
        end = match.end()
    out.append(_annotate_words(text[end:]))
    return "".join(out)


def _annotate_words(text: str) -> str:
    analyser, tokenizer = _analyser_and_tokenizer()
    out = []
    for chunk in _chunks(text):
        after_number = False
        for morpheme in tokenizer.tokenize(chunk):
            surface = morpheme.surface()
            is_number = analyser.is_number(morpheme)
            # Numbers and the counters after them are read together (三日 みっか, 20日
            # はつか, 3本 さんぼん), which the analyser, taking them apart, gets wrong:
            # better no reading than a wrong one; 一二三 and 日 本 are the first kanji
            # children learn. 12月 and 10時 read the same after any number and keep theirs.
            if (
                not HAS_KANJI.search(surface)
                or is_number
                or (
                    after_number
                    and (analyser.is_suffix(morpheme) or surface[0] in VARYING_COUNTERS)
                )
            ):
                out.append(surface)
            else:
                out.append(_word(surface, morpheme.reading_form()))
            after_number = is_number
    return "".join(out)


_annotate_cached = lru_cache(maxsize=4096)(_annotate)


def annotate_text(text: str) -> str:
    """Text as it stands in HTML (no tags, entities left as they are) with ruby over its kanji."""
    if not HAS_KANJI.search(text):
        return text
    if len(text) <= CACHED_TEXT_CHARS:
        return _annotate_cached(text)
    return _annotate(text)


# --- the page -------------------------------------------------------------------------


class _Annotator(HTMLParser):
    def __init__(self):
        # Entities stay entities: text arrives as written, and is copied back as written.
        super().__init__(convert_charrefs=False)
        self.out = []
        # Open elements: (tag, skip its text, stored reading or None).
        self.open = []
        self.in_body = False
        # The text since the last tag, as (piece, is an entity), annotated as one run.
        self.text = []

    @property
    def skipping(self) -> bool:
        return not self.in_body or (bool(self.open) and self.open[-1][1])

    def _text(self, piece, entity=False):
        if self.skipping:
            self.out.append(piece)
        else:
            self.text.append((piece, entity))

    def _flush(self):
        if not self.text:
            return
        pieces, self.text = self.text, []
        raw = "".join(piece for piece, _entity in pieces)
        reading = self.open[-1][2] if self.open else None
        if reading:
            # A name with its stored reading (the `yomi` filter's span).
            if not HAS_KANJI.search(raw):
                self.out.append(raw)
            elif any(entity for _piece, entity in pieces):
                # The alignment would split an entity: the whole name gets the whole reading.
                self.out.append(ruby(raw, reading))
            else:
                self.out.append(ruby_for(raw, reading))
            return
        annotated = "".join(piece if entity else annotate_text(piece) for piece, entity in pieces)
        # One box, as the text was: in a flex or grid container each <ruby> would
        # otherwise become an item of its own, and the line could no longer wrap.
        self.out.append(f'<span class="furigana">{annotated}</span>' if annotated != raw else raw)

    def handle_starttag(self, tag, attrs):
        self._flush()
        self.out.append(self.get_starttag_text())
        if tag == "body":
            self.in_body = True
        if tag in VOID_ELEMENTS:
            return
        attributes = dict(attrs)
        skip = (
            (bool(self.open) and self.open[-1][1])
            or tag in SKIP_ELEMENTS
            or attributes.get("data-furigana") == "off"
            or attributes.get("translate") == "no"
        )
        reading = None if skip or not self.in_body else attributes.get("data-yomi")
        self.open.append((tag, skip, reading))

    def handle_startendtag(self, tag, attrs):
        self._flush()
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self._flush()
        self.out.append(f"</{tag}>")
        if tag == "body":
            self.in_body = False
        # Close up to the matching element; elements left open (an unclosed <li>) close with it.
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                break

    def handle_data(self, data):
        self._text(data)

    def handle_entityref(self, name):
        self._text(f"&{name};", entity=True)

    def handle_charref(self, name):
        self._text(f"&#{name};", entity=True)

    def handle_comment(self, data):
        self._flush()
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self._flush()
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data):
        self._flush()
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data):
        self._flush()
        self.out.append(f"<![{data}]>")

    def close(self):
        super().close()
        self._flush()


def annotate_html(html: str) -> str:
    """The page with ruby over the kanji of its body text; everything else as it was."""
    parser = _Annotator()
    parser.feed(html)
    parser.close()
    return "".join(parser.out)
