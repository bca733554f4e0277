"""町名 as councils write them and as residents type them.

A council lists 「中央一丁目〜三丁目」, 「総社（1〜3丁目）」 or 「大字三須」; a resident
types 「三須」, 「総社市三須1000-5」 or 「岡山県総社市中央一丁目1番3号」. Both are
reduced to the bare 町名 (中央, 総社, 三須), which is what the site search matches
exactly, so an address finds its district without the city's own name (総社市)
being taken for the 町名 総社.

Text is NFKC-normalised first, as the site search does with what it is given
(shakyo_portal/public/search.py), so １０００ and 1000 read alike.
"""

import functools
import re
import unicodedata

from shakyo_portal.core.kana import reading_sort_key

_NUMERALS = "0-9０-９〇一二三四五六七八九十百"
# A 丁目 or a range of them, and everything after: 一丁目〜三丁目, 1・2丁目, 4丁目以降.
_CHOME = re.compile(rf"[{_NUMERALS}〜~～・、,\-]+丁目.*$")
# Brackets that say which part of the town is meant: 総社（1〜3丁目）.
_BRACKETS = re.compile(r"[(（][^)）]*[)）]")
_OAZA = re.compile(r"^(大字|字)")
_PART = re.compile(r"の?一部$")
# Where the 町名 of an address ends: its 番地 (digits, dashes) or a 小字 after 字.
_HOUSE_NUMBER = re.compile(rf"[{_NUMERALS[:6]}\-‐‑‒–—―−]")
_PREFECTURE = re.compile(r"^(北海道|東京都|京都府|大阪府|\S{2,3}?県)")
# A city, or a 郡 with its 町 or 村, and then a ward: each is tried cut and kept,
# since a 町名 may hold the same characters (市場, 東市場).
_MUNICIPALITY = re.compile(r"^(\S+?郡\S+?[町村]|\S+?市)")
_WARD = re.compile(r"^\S+?区")


def town_key(name: str) -> str:
    """中央一丁目〜三丁目 -> 中央; 総社（4丁目以降） -> 総社; 大字三須 -> 三須."""
    text = "".join(unicodedata.normalize("NFKC", name).split())
    bare = _PART.sub("", _CHOME.sub("", _OAZA.sub("", _BRACKETS.sub("", text))))
    return bare or text


def _without_prefixes(text: str) -> set[str]:
    """The text as typed, and with its prefecture, city and ward cut in every combination."""
    forms = {text}
    for pattern in (_PREFECTURE, _MUNICIPALITY, _WARD):
        forms |= {pattern.sub("", form, count=1) for form in forms}
    return {form for form in forms if form}


def town_candidates(term: str) -> set[str]:
    """The 町名 a search term may be naming, to match exactly against town_key():
    総社市三須1000-5 -> {三須, …}; 三須１０００ -> {三須, …}.

    Only the leading part before a 番地 counts, so the digits and what follows
    them never match a 町名 by themselves.
    """
    text = "".join(unicodedata.normalize("NFKC", term).split())
    candidates = set()
    for form in _without_prefixes(text):
        form = _OAZA.sub("", form)
        town = _HOUSE_NUMBER.split(form, maxsplit=1)[0]
        if not town:
            continue
        candidates |= {town, town_key(town), town.split("字", 1)[0]}
    return {candidate for candidate in candidates if candidate}


# --- the 50音 index ----------------------------------------------------------------

# Each 行 by the kana that head it; the reading's first kana, folded as
# reading_sort_key folds it (が as か, ゃ as や), finds its 行.
GYO = (
    ("a", "あ行", "あいうえお"),
    ("ka", "か行", "かきくけこ"),
    ("sa", "さ行", "さしすせそ"),
    ("ta", "た行", "たちつてと"),
    ("na", "な行", "なにぬねの"),
    ("ha", "は行", "はひふへほ"),
    ("ma", "ま行", "まみむめも"),
    ("ya", "や行", "やゆよ"),
    ("ra", "ら行", "らりるれろ"),
    ("wa", "わ行", "わゐゑをん"),
)
OTHER = ("other", "その他", "")
_GYO_OF = {kana: gyo for gyo in GYO for kana in gyo[2]}


@functools.lru_cache(maxsize=8192)
def sort_key(reading: str) -> tuple[str, str]:
    """reading_sort_key(reading), worked out once per reading in a process: the
    50音 lists (districts, 町名, 福祉委員) sort the same readings on every request,
    some thousands of them at a large council's size."""
    return reading_sort_key(reading)


def gyo_of(reading: str) -> tuple[str, str, str]:
    """The 行 a reading files under: ぎおん -> か行; a reading without kana -> その他."""
    primary = sort_key(reading)[0].strip()
    return _GYO_OF.get(primary[:1], OTHER)
