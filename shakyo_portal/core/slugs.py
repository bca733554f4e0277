"""Slugs (URL名) made from a reading, for records whose staff leave the slug empty."""

import re
from collections.abc import Callable

from shakyo_portal.core.kana import to_romaji


def slug_from_reading(reading: str, *, max_length: int = 50) -> str:
    """そうじゃ -> soja, ひがし そうじゃ -> higashi-soja; "" when the reading gives no
    letters or digits at all."""
    slug = re.sub(r"[^a-z0-9]+", "-", to_romaji(reading)).strip("-")
    return slug[:max_length].rstrip("-")


def unique_slug(base: str, taken: Callable[[str], bool], *, max_length: int = 50) -> str:
    """base, or base-2, base-3 ... : the first that taken() does not refuse."""
    candidate, number = base, 1
    while taken(candidate):
        number += 1
        suffix = f"-{number}"
        candidate = base[: max_length - len(suffix)].rstrip("-") + suffix
    return candidate
