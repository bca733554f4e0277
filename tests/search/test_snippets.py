"""Snippets: a short stretch of the text around the first match, terms marked,
everything else escaped."""

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from shakyo_portal.public.search import SNIPPET_LENGTH, _pattern, highlight, snippet


def unmarked(text):
    return html.unescape(re.sub(r"</?mark>", "", text))


def test_the_snippet_starts_at_a_sentence_near_the_match():
    text = "あ" * 100 + "。今年の敬老会は公民館で開きました。" + "い" * 100
    result = snippet(text, _pattern(["敬老会"]))
    assert result.startswith("…今年の<mark>敬老会</mark>は")
    assert result.endswith("…")


def test_without_a_match_the_beginning_stands_in():
    result = snippet("はじめの言葉。" + "う" * 200, _pattern(["けいろうかい"]))
    assert result.startswith("はじめの言葉。") and "<mark>" not in result


def test_every_term_is_marked_and_the_longest_wins():
    result = highlight("敬老会と敬老の日", _pattern(["敬老", "敬老会"]))
    assert result == "<mark>敬老会</mark>と<mark>敬老</mark>の日"


def test_case_is_ignored_when_marking():
    assert highlight("NPO法人", _pattern(["npo"])) == "<mark>NPO</mark>法人"


@given(
    st.text(alphabet="あいう。 <>&\"'敬老会ab", max_size=300),
    st.lists(st.text(alphabet="敬老会ab<&", min_size=1, max_size=3), min_size=1, max_size=3),
)
def test_a_snippet_is_escaped_text_from_the_original(text, terms):
    result = snippet(text, _pattern(terms))
    assert "<" not in re.sub(r"</?mark>", "", result)
    words = " ".join(text.split())
    body = unmarked(result).removeprefix("…").removesuffix("…")
    assert body in words
    assert len(body) <= SNIPPET_LENGTH


def test_a_term_in_either_kana_marks_both():
    pattern = _pattern(["さろん"])
    assert highlight("ひまわりサロン（さろん）", pattern) == (
        "ひまわり<mark>サロン</mark>（<mark>さろん</mark>）"
    )
