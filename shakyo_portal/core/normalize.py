"""Phone numbers and postal codes as residents type them, made uniform; and
text as searches compare it.

People type these with full-width digits, whatever dash their input method
offers and spaces or brackets between the groups; all of that is accepted and
stored one way. Names are not touched here: they are kept exactly as typed.
Searches compare a folded form (`search_form`) of the text and of the words
typed, and store nothing folded in place of what was written.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError

# Every dash a Japanese input method or a copied document may give. NFKC already
# folds the small and compatibility forms (﹣ ﹘ ‑) onto these.
DASHES = "‐‑‒–—―−－ーｰ─━-"
_TO_HYPHEN = str.maketrans(dict.fromkeys(DASHES, "-"))

PHONE_MESSAGE = "電話番号は0から始まる10桁または11桁の数字で入力してください（例：0866-92-8552）。"
POSTAL_CODE_MESSAGE = "郵便番号は7桁の数字で入力してください（例：719-1131）。"


def _unify_dashes(s: str) -> str:
    return unicodedata.normalize("NFKC", s).translate(_TO_HYPHEN)


def unify_hyphens(s: str) -> str:
    """NFKC, every dash-like character to "-", all whitespace (also U+3000) removed."""
    return re.sub(r"\s+", "", _unify_dashes(s))


def normalize_phone(value: str) -> str:
    """０８６６ー９２ー８５５２, 0866 92 8552, 0866(92)8552 -> 0866-92-8552.

    The groups are kept as the person wrote them (09012345678 stays as it is):
    only they know where their number splits. Empty stays empty.
    """
    s = _unify_dashes(value).strip()
    if not s:
        return ""
    # Spaces and brackets separate groups just as hyphens do; a bracket that opens
    # the number, as in (0866)92-8552, separates nothing.
    s = re.sub(r"\s*-\s*", "-", s.removeprefix("("))
    s = re.sub(r"-?[\s()]+-?", "-", s)
    digits = s.replace("-", "")
    if not (
        re.fullmatch(r"[0-9]+(?:-[0-9]+)*", s)
        and digits.startswith("0")
        and len(digits) in (10, 11)
    ):
        raise ValidationError(PHONE_MESSAGE, code="invalid_phone")
    return s


def normalize_postal_code(value: str) -> str:
    """〒７１９－１１３１, 7191131, 719 1131 -> 719-1131. Empty stays empty."""
    s = unify_hyphens(value)
    if not s:
        return ""
    match = re.fullmatch(r"〒?([0-9]{3})-?([0-9]{4})", s)
    if match is None:
        raise ValidationError(POSTAL_CODE_MESSAGE, code="invalid_postal_code")
    return "-".join(match.groups())


def search_form(text: str) -> str:
    """ＮＰＯ法人 -> npo法人, ｻﾛﾝ -> サロン, １２ -> 12: NFKC, then lower case.

    How a search compares text with the words typed, both folded the same way;
    the database folds stored text the same (shakyo_portal/core/searchtext.py).
    Only ever compared: never stored in place of a field, nor shown.
    """
    return unicodedata.normalize("NFKC", text).lower()


def validate_phone(value: str) -> None:
    normalize_phone(value)


def validate_postal_code(value: str) -> None:
    normalize_postal_code(value)
