"""The reader's display choices (文字サイズ and 背景色), kept in cookies.

They are read on the server so the first paint already has the right size
and colours, and they work without JavaScript.
"""

from dataclasses import dataclass

TEXT_SIZES = {"standard": "標準", "large": "大", "xlarge": "特大"}
THEMES = {"white": "白", "black": "黒", "blue": "青", "yellow": "黄"}
SIZE_COOKIE = "text_size"
THEME_COOKIE = "theme"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60


@dataclass(frozen=True)
class Preferences:
    size: str = "standard"
    theme: str = "white"


def read(request) -> Preferences:
    size = request.COOKIES.get(SIZE_COOKIE)
    theme = request.COOKIES.get(THEME_COOKIE)
    return Preferences(
        size=size if size in TEXT_SIZES else "standard",
        theme=theme if theme in THEMES else "white",
    )
