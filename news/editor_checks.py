"""Checks of what staff write, for readers who use a screen reader, large text or an old phone.

Each check is a pure function from text to Japanese warnings. The admin runs
them when a post, event or newsletter is saved and shows the warnings to the
editor; they never stop the save, because only a person can judge whether
"12月7日" is clear from its context.

- images without alternative text (a screen reader says nothing, or the file name);
- headings out of order (the page's title is 見出し1, so the text starts at ##);
- links whose text is only こちら or ここ (a list of links then reads "こちら, こちら");
- 機種依存文字 (①, ㈱, ㍻, Ⅲ …), which some devices and readers show or say wrongly;
- half-width katakana (ｻﾛﾝ), which readers spell out letter by letter;
- dates without a year (12月7日), which are ambiguous once a post is a year old.
"""

import re
import unicodedata
from collections.abc import Iterable
from html.parser import HTMLParser

from news.markdown import markdown_to_html

# Link texts that say nothing of where the link goes.
_VAGUE_LINK = re.compile(
    r"(詳しくは|詳細は)?(こちら|ここ|コチラ|ココ)(から|を?クリック|をご覧ください|です)?"
)
_PUNCTUATION = re.compile(r"[\s。、．，.,!！?？:：「」『』()（）\[\]【】→＞>]+")

# Characters that only some systems have (NEC and IBM extensions of Shift_JIS, and the
# Unicode compatibility blocks made for them). 髙 and 﨑 are left alone: they are the
# right spelling of people's names.
_PLATFORM_DEPENDENT = (
    (0x2116, 0x2116),  # №
    (0x2121, 0x2122),  # ℡ ™
    (0x2160, 0x217F),  # Ⅰ Ⅱ ⅰ ⅱ (Roman numerals)
    (0x2460, 0x24FF),  # ① ⑳ ⒜ Ⓐ (enclosed alphanumerics)
    (0x2776, 0x2793),  # ❶ ➀ (dingbat circled numbers)
    (0x3200, 0x33FF),  # ㈱ ㊤ ㍻ ㌔ ㎡ (enclosed CJK, CJK compatibility)
)
_HALF_WIDTH_KATAKANA = re.compile(r"[\uff61-\uff9f]+")

_DIGIT = r"[0-9０-９]"
# 12月7日 or 12/7(土); the look-behind keeps 2026年12月7日 and 令和8年12月7日 out.
_MONTH_DAY = re.compile(
    rf"(?<![0-9０-９年/／])(?:{_DIGIT}{{1,2}}\s*月\s*{_DIGIT}{{1,2}}\s*日"
    rf"|{_DIGIT}{{1,2}}[/／]{_DIGIT}{{1,2}}(?![0-9０-９/／])\s*[（(][月火水木金土日][）)]?)"
)
# A year written before the date in the same sentence covers it: 令和8年12月1日〜12月7日.
_YEAR = re.compile(rf"({_DIGIT}|元)\s*年(?!度)")
_SENTENCE_END = re.compile(r"[。\n]")


def _quote_each(items: Iterable[str]) -> str:
    return "".join(f"「{item}」" for item in items)


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


# --- checks on the words ------------------------------------------------------------


def is_platform_dependent(character: str) -> bool:
    code = ord(character)
    return any(low <= code <= high for low, high in _PLATFORM_DEPENDENT)


def platform_dependent_characters(text: str) -> list[str]:
    """One warning naming each 機種依存文字 in the text, with what to write instead."""
    found = _unique(ch for ch in text or "" if is_platform_dependent(ch))
    if not found:
        return []
    replacements = _quote_each(unicodedata.normalize("NFKC", ch) for ch in found)
    return [
        f"機種依存文字{_quote_each(found)}があります。機器によっては表示されなかったり、"
        f"読み上げで正しく伝わらなかったりします。{replacements}のように書き換えてください。"
    ]


def half_width_katakana(text: str) -> list[str]:
    found = _unique(_HALF_WIDTH_KATAKANA.findall(text or ""))
    if not found:
        return []
    full = _quote_each(unicodedata.normalize("NFKC", word) for word in found)
    return [
        f"半角カタカナ{_quote_each(found)}があります。読み上げで1文字ずつ読まれることがあります。"
        f"全角の{full}に書き換えてください。"
    ]


def dates_without_year(text: str) -> list[str]:
    """Dates like 12月7日 with no year written before them in the same sentence."""
    found = []
    for match in _MONTH_DAY.finditer(text or ""):
        sentence_start = max(
            (m.end() for m in _SENTENCE_END.finditer(text, 0, match.start())), default=0
        )
        if not _YEAR.search(text, sentence_start, match.start()):
            found.append(re.sub(r"\s+", "", match.group(0)))
    if not found:
        return []
    return [
        f"年のない日付{_quote_each(_unique(found))}があります。"
        "あとから読む人にもわかるよう、「令和8年12月7日」のように年も書いてください。"
    ]


def check_words(text: str) -> list[str]:
    """The checks that apply to any text a resident reads: a title, a place, a note."""
    return [
        *platform_dependent_characters(text),
        *half_width_katakana(text),
        *dates_without_year(text),
    ]


# --- checks on the structure of Markdown ----------------------------------------------


class _Structure(HTMLParser):
    """Headings, images and links of a rendered text, in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings: list[int] = []
        self.images_without_alt: list[str] = []
        self.links: list[str] = []
        self._link_text: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "img":
            if not (attributes.get("alt") or "").strip():
                self.images_without_alt.append(attributes.get("src") or "")
            if self._link_text is not None and attributes.get("alt"):
                self._link_text.append(attributes["alt"])
        elif tag == "a":
            self._link_text = []

    def handle_endtag(self, tag):
        if tag == "a" and self._link_text is not None:
            self.links.append("".join(self._link_text))
            self._link_text = None

    def handle_data(self, data):
        if self._link_text is not None:
            self._link_text.append(data)


def _structure(markdown_text: str) -> _Structure:
    parser = _Structure()
    parser.feed(markdown_to_html(markdown_text or ""))
    parser.close()
    return parser


def images_without_alt(markdown_text: str) -> list[str]:
    count = len(_structure(markdown_text).images_without_alt)
    if not count:
        return []
    return [
        f"代替テキスト（画像の説明）のない画像が{count}つあります。"
        "![公会堂で体操をする参加者](画像のアドレス) のように、"
        "[ ] の中に画像の内容を書いてください。"
    ]


def headings_out_of_order(markdown_text: str) -> list[str]:
    """The page's title is 見出し1; the text's headings go 2, 3 … without skipping a level."""
    levels = _structure(markdown_text).headings
    warnings = []
    if 1 in levels:
        warnings.append(
            "「#」（見出し1）が使われています。見出し1はページの題名だけに使うため、"
            "本文の見出しは「##」（見出し2）から始めてください。"
        )
    previous = 1
    for level in levels:
        if level > previous + 1:
            warnings.append(
                f"見出しの順番が飛んでいます（見出し{previous}の次に見出し{level}）。"
                f"「{'#' * (previous + 1)}」（見出し{previous + 1}）を使ってください。"
            )
            break
        previous = max(level, 1)
    return warnings


def is_vague_link_text(text: str) -> bool:
    return bool(_VAGUE_LINK.fullmatch(_PUNCTUATION.sub("", text or "")))


def vague_links(markdown_text: str) -> list[str]:
    found = _unique(
        text.strip() for text in _structure(markdown_text).links if is_vague_link_text(text)
    )
    if not found:
        return []
    return [
        f"リンクの文字が{_quote_each(found)}だけになっています。読み上げではリンクだけを続けて"
        "聞くことがあるため、「サロンの申込書（PDF）」のように行き先がわかる言葉にしてください。"
    ]


def check_markdown(markdown_text: str) -> list[str]:
    """Every check, for a body written in Markdown."""
    return [
        *images_without_alt(markdown_text),
        *headings_out_of_order(markdown_text),
        *vague_links(markdown_text),
        *check_words(markdown_text),
    ]


# --- a whole record --------------------------------------------------------------------


def labelled(fields: Iterable[tuple[str, str, bool]]) -> list[str]:
    """Warnings for (label, text, is_markdown) triples, each prefixed with its field's label."""
    warnings = []
    for label, text, is_markdown in fields:
        for warning in check_markdown(text) if is_markdown else check_words(text):
            warnings.append(f"{label}: {warning}")
    return warnings


def check_post(post, images=()) -> list[str]:
    return labelled(
        [
            ("題名", post.title, False),
            ("要約", post.summary, False),
            ("本文", post.body, True),
            *((f"画像「{image.alt_text}」の説明", image.alt_text, False) for image in images),
        ]
    )


def check_event(event) -> list[str]:
    return labelled(
        [
            ("行事名", event.title, False),
            ("内容", event.description, True),
            ("会場", event.place, False),
            ("対象", event.target, False),
            ("申込の補足", event.registration_note, False),
            ("中止・延期のお知らせ", event.status_note, False),
        ]
    )


def check_issue(issue, articles=()) -> list[str]:
    return labelled(
        [
            ("特集・見出し", issue.title, False),
            ("表紙画像の説明", issue.cover_alt, False),
            *(
                field
                for article in articles
                for field in (
                    (f"記事「{article.title}」の題名", article.title, False),
                    (f"記事「{article.title}」の本文", article.body, True),
                )
            ),
        ]
    )
