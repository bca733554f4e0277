"""Readings (よみがな): names sort by how they are read, in 50音 order.

Code-point order puts every katakana after every hiragana and が far from か,
so lists of people and places sort by reading_sort_key instead.
"""

import functools
import re
import unicodedata

from django.core.exceptions import ValidationError

READING_MESSAGE = "よみがなは、ひらがなまたはカタカナで入力してください。"

# ァ..ヶ sit exactly 0x60 above ぁ..ゖ. ー has no hiragana form and is kept.
_KATAKANA_TO_HIRAGANA = str.maketrans({code: code - 0x60 for code in range(0x30A1, 0x30F7)})


def to_hiragana(s: str) -> str:
    """NFKC (half-width ｶﾀｶﾅ to full width), then katakana to hiragana."""
    return unicodedata.normalize("NFKC", s).translate(_KATAKANA_TO_HIRAGANA)


def normalize_reading(value: str) -> str:
    """やまだ　タロウ -> やまだ たろう. Empty stays empty.

    Only kana, ー, ・ and spaces are a reading; anything else raises ValidationError.
    """
    reading = " ".join(to_hiragana(value).split())
    if not re.fullmatch(r"[ぁ-ゖゝゞー・ ]*", reading):
        raise ValidationError(READING_MESSAGE, code="invalid_reading")
    return reading


def validate_reading(value: str) -> None:
    normalize_reading(value)


# For the primary key: small kana sort as their full-size kana, ・ as a space, and
# the voicing marks that NFD splits off (が = か + ゛) are dropped.
_FOLD = str.maketrans(
    "ぁぃぅぇぉっゃゅょゎゕゖ・",
    "あいうえおつやゆよわかけ ",
    "\u3099\u309a",
)
# The 50音 table by columns, each headed by its vowel: what ー lengthens after each kana.
_VOWEL_COLUMNS = (
    "あかさたなはまやらわ",
    "いきしちにひみりゐ",
    "うくすつぬふむゆる",
    "えけせてねへめれゑ",
    "おこそとのほもよろを",
)
_VOWELS = {kana: column[0] for column in _VOWEL_COLUMNS for kana in column}


def _primary(reading: str) -> str:
    folded = []
    for char in unicodedata.normalize("NFD", reading).translate(_FOLD):
        if char == "ー":
            # The long-vowel mark sorts as the vowel it lengthens, as dictionaries
            # do: らーめん between らあめん and らいめん. After ん or at the start
            # there is no vowel to repeat and it is left out.
            char = _VOWELS.get(folded[-1], "") if folded else ""
        elif char == "ゝ":
            # ゝ repeats the kana before it (いすゞ); ゞ has become ゝ in the fold.
            char = folded[-1] if folded else ""
        if char:
            folded.append(char)
    return "".join(folded)


def reading_sort_key(value: str) -> tuple[str, str]:
    """A sort key in 50音 order: sorted(people, key=lambda p: reading_sort_key(p.reading)).

    The primary key reads が as か, ぱ as は, ゃ as や and ー as the vowel it
    lengthens; the exact hiragana breaks ties (か before が before ぱ... in code-point
    order), so equal keys mean the same reading, whichever kana it was written in.
    """
    reading = " ".join(to_hiragana(value).split())
    return _primary(reading), reading


# --- romaji, for the addresses of pages ------------------------------------------

# Long vowels are written once, as on road signs and station names (Hepburn
# without macrons): そうじゃ soja, おおがみ ogami, ちゅうおう chuo, ゆうき yuki.
# えい and いい stay as they are (えいと eito, にいみ niimi). A う that is no
# lengthening (おもう) is shortened too: a reading does not say which it is, and
# staff can always type the slug themselves.
_LONG_VOWELS = re.compile(r"o[ou]|uu")


def _repeat_marks(word: str) -> str:
    """いすゞ -> いすず: ゝ repeats the kana before it, ゞ repeats it voiced."""
    out = []
    for char in word:
        if char in "ゝゞ" and out:
            char = out[-1] if char == "ゝ" else unicodedata.normalize("NFC", out[-1] + "\u3099")
        out.append(char)
    return "".join(out)


@functools.cache
def _kakasi():
    # The converter loads its tables once per process.
    import pykakasi

    return pykakasi.kakasi()


def to_romaji(reading: str) -> str:
    """A reading in Hepburn romaji, lower case: そうじゃ -> soja, きよね -> kiyone,
    しんおおさか -> shinosaka. Spaces and ・ stay as spaces; what is no kana (ゞ,
    digits, Latin letters) is kept for the caller to judge."""
    words = []
    for word in re.split(r"[\s・]+", to_hiragana(reading)):
        # ー lengthens the vowel before it, which Hepburn without macrons leaves out.
        word = _repeat_marks(word.replace("ー", ""))
        converted = "".join(part["hepburn"] for part in _kakasi().convert(word))
        words.append(_LONG_VOWELS.sub(lambda m: m.group()[0], converted.replace("'", "")))
    return " ".join(word for word in words if word).lower()
