"""The reader's display choices (文字サイズ, 背景色 and ふりがな), kept in cookies.

They are read on the server so the first paint already has the right size,
colours and readings, and they work without JavaScript.
"""

from dataclasses import dataclass

TEXT_SIZES = {"standard": "標準", "large": "大", "xlarge": "特大"}
THEMES = {"white": "白", "black": "黒", "blue": "青", "yellow": "黄"}
FURIGANA = {"off": "なし", "on": "あり"}
# How each choice's label is read, for the ふりがな over the controls themselves:
# a one-character word out of context is where the analyser guesses wrong (黄 as こう).
LABEL_READINGS = {
    "標準": "ひょうじゅん",
    "大": "だい",
    "特大": "とくだい",
    "白": "しろ",
    "黒": "くろ",
    "青": "あお",
    "黄": "き",
}
SIZE_COOKIE = "text_size"
THEME_COOKIE = "theme"
FURIGANA_COOKIE = "furigana"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60

# (query parameter, cookie, allowed values) for each choice /preferences/ sets.
CHOICES = (
    ("size", SIZE_COOKIE, TEXT_SIZES),
    ("theme", THEME_COOKIE, THEMES),
    ("furigana", FURIGANA_COOKIE, FURIGANA),
)


@dataclass(frozen=True)
class Preferences:
    size: str = "standard"
    theme: str = "white"
    furigana: str = "off"

    @property
    def furigana_on(self) -> bool:
        return self.furigana == "on"


def read(request) -> Preferences:
    size = request.COOKIES.get(SIZE_COOKIE)
    theme = request.COOKIES.get(THEME_COOKIE)
    furigana = request.COOKIES.get(FURIGANA_COOKIE)
    return Preferences(
        size=size if size in TEXT_SIZES else "standard",
        theme=theme if theme in THEMES else "white",
        furigana=furigana if furigana in FURIGANA else "off",
    )


def furigana_on(request) -> bool:
    return request.COOKIES.get(FURIGANA_COOKIE) == "on"
