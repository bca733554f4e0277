"""What cannot be a search gives a Japanese message or the empty form, never an error."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shakyo_portal.public.search import MAX_TERM_LENGTH, MAX_TERMS, parse_query
from tests.search.world import WORD, build_world

URL = "/search/"


@pytest.fixture
def world(db):
    return build_world()


def test_a_huge_query_is_refused_with_a_message(resident, world):
    response = resident.get(URL, {"q": WORD * 10_000})
    html = response.content.decode()
    assert response.status_code == 200
    assert "キーワードが長すぎます" in html
    assert "search-group" not in html
    assert 'aria-invalid="true"' in html
    assert "<title>入力エラー：サイト内検索｜" in html


def test_one_overlong_term_is_refused(resident, world):
    html = resident.get(URL, {"q": "あ" * (MAX_TERM_LENGTH + 1)}).content.decode()
    assert "キーワードが長すぎます" in html and "search-group" not in html


def test_six_terms_are_refused_with_a_message(resident, world):
    html = resident.get(URL, {"q": " ".join([WORD] * (MAX_TERMS + 1))}).content.decode()
    assert f"キーワードは{MAX_TERMS}つまでにしてください" in html
    assert "search-group" not in html
    # Five are searched.
    html = resident.get(URL, {"q": " ".join([WORD] * MAX_TERMS)}).content.decode()
    assert "search-group" in html


@pytest.mark.parametrize(
    "q",
    ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "%00", "\x00敬老会\x00", "'"],
)
def test_markup_and_control_characters_are_inert(resident, world, q):
    response = resident.get(URL, {"q": q})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "\x00" not in html


def test_a_nul_is_dropped_and_the_rest_searched(resident, world):
    html = resident.get(f"{URL}?q=%00{WORD}%00").content.decode()
    assert "search-group" in html


@pytest.mark.parametrize(
    "params",
    [
        {"q": WORD, "page": "abc"},
        {"q": WORD, "kind": "posts", "page": "abc"},
        {"q": WORD, "kind": "posts", "page": "99999"},
        {"q": WORD, "kind": "posts", "page": "-1"},
        {"q": WORD, "kind": "nothing"},
        {"q": WORD, "kind": "x" * 5000},
        {"kind": "posts"},
        {"q": ["a", "b"]},
    ],
)
def test_odd_parameters_never_fail(resident, world, params):
    assert resident.get(URL, params).status_code == 200


def test_an_unknown_kind_searches_everything(resident, world):
    html = resident.get(URL, {"q": WORD, "kind": "nothing"}).content.decode()
    assert html.count('class="search-group"') == 9


def test_only_get_and_head(resident, world):
    assert resident.post(URL, {"q": WORD}).status_code == 405
    assert resident.head(URL).status_code == 200


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_parse_query_always_gives_terms_or_a_reason(raw):
    query = parse_query(raw)
    if query.error:
        assert not query.terms
    else:
        assert len(query.terms) <= MAX_TERMS
        assert all(0 < len(term) <= MAX_TERM_LENGTH for term in query.terms)
        assert all(not any(ch.isspace() for ch in term) for term in query.terms)
        assert query.text == " ".join(query.terms)


@given(st.lists(st.text(alphabet="ａｂｃＡＢＣ１２３ｱｲｳ敬老会　 ", min_size=1), max_size=3))
def test_parse_query_reads_full_width_as_half_width(words):
    query = parse_query("　".join(words))
    assert not any(ch in query.text for ch in "ａｂｃＡＢＣ１２３ｱｲｳ\u3000")
