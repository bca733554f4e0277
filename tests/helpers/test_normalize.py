import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from shakyo_portal.core.normalize import (
    DASHES,
    normalize_phone,
    normalize_postal_code,
    unify_hyphens,
    validate_phone,
    validate_postal_code,
)

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def test_unify_hyphens():
    assert unify_hyphens("０８６６ー９２－８５５２") == "0866-92-8552"
    assert unify_hyphens(" 719\u3000‐ 1131 ") == "719-1131"
    assert unify_hyphens("a‐b‑c‒d–e—f―g−h－iーjｰk─l-m") == "a-b-c-d-e-f-g-h-i-j-k-l-m"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("０８６６ー９２ー８５５２", "0866-92-8552"),
        ("0866-92-8552", "0866-92-8552"),
        ("0866 92 8552", "0866-92-8552"),
        ("0866\u300092\u30008552", "0866-92-8552"),
        ("0866 - 92 - 8552", "0866-92-8552"),
        ("0866(92)8552", "0866-92-8552"),
        ("０８６６（９２）８５５２", "0866-92-8552"),
        ("(0866)92-8552", "0866-92-8552"),
        ("09012345678", "09012345678"),
        ("090−1234−5678", "090-1234-5678"),
        ("  0866928552  ", "0866928552"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_normalize_phone(typed, stored):
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "1866-92-8552",  # does not start with 0
        "0866-92-855",  # 9 digits
        "090-1234-56789",  # 12 digits
        "0866--92-8552",  # two hyphens in a row
        "-0866-92-8552",
        "0866-92-8552-",
        "+81-866-92-8552",
        "0866-92-8552 内線12",
        "٠٨٦٦٩٢٨٥٥٢",  # digits, but not ones we can store
        "abc",
    ],
)
def test_normalize_phone_rejects(typed):
    with pytest.raises(ValidationError) as caught:
        normalize_phone(typed)
    assert caught.value.code == "invalid_phone"
    assert caught.value.messages == [
        "電話番号は0から始まる10桁または11桁の数字で入力してください（例：0866-92-8552）。"
    ]


@st.composite
def phone_groups(draw):
    """A valid number as its groups of ASCII digits: 0 first, 10 or 11 digits in all."""
    n = draw(st.sampled_from([10, 11]))
    digits = "0" + draw(st.text("0123456789", min_size=n - 1, max_size=n - 1))
    cuts = sorted(draw(st.sets(st.integers(1, n - 1), max_size=3)))
    return [digits[i:j] for i, j in zip([0, *cuts], [*cuts, n], strict=True)]


@given(
    phone_groups(),
    st.sampled_from([*DASHES, " ", "\u3000", " - ", "\u3000ー\u3000"]),
    st.booleans(),
)
def test_normalize_phone_accepts_any_rendering(groups, separator, full_width):
    typed = separator.join(groups)
    if full_width:
        typed = typed.translate(FULL_WIDTH)
    assert normalize_phone(typed) == "-".join(groups)


@given(phone_groups())
def test_normalize_phone_is_idempotent(groups):
    once = normalize_phone(" ".join(groups))
    assert normalize_phone(once) == once


@given(st.text(max_size=20))
def test_normalize_phone_returns_digits_and_hyphens_or_raises(text):
    try:
        result = normalize_phone(text)
    except ValidationError:
        return
    assert result == "" or set(result) <= set("0123456789-")
    assert normalize_phone(result) == result


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("〒７１９－１１３１", "719-1131"),
        ("7191131", "719-1131"),
        ("719 1131", "719-1131"),
        ("719-1131", "719-1131"),
        ("〒 719ー1131", "719-1131"),
        ("", ""),
    ],
)
def test_normalize_postal_code(typed, stored):
    assert normalize_postal_code(typed) == stored


@pytest.mark.parametrize("typed", ["719-113", "71911311", "7191-131", "719--1131", "〒", "abc"])
def test_normalize_postal_code_rejects(typed):
    with pytest.raises(ValidationError) as caught:
        normalize_postal_code(typed)
    assert caught.value.code == "invalid_postal_code"
    assert caught.value.messages == ["郵便番号は7桁の数字で入力してください（例：719-1131）。"]


@given(
    st.text("0123456789", min_size=7, max_size=7),
    st.sampled_from(["", " ", *DASHES]),
    st.booleans(),
    st.booleans(),
)
def test_normalize_postal_code_round_trips(digits, separator, full_width, mark):
    stored = f"{digits[:3]}-{digits[3:]}"
    typed = digits[:3] + separator + digits[3:]
    if full_width:
        typed = typed.translate(FULL_WIDTH)
    if mark:
        typed = "〒" + typed
    assert normalize_postal_code(typed) == stored
    assert normalize_postal_code(stored) == stored


def test_validators_raise_the_same_errors_and_return_none():
    assert validate_phone("0866 92 8552") is None
    assert validate_postal_code("7191131") is None
    with pytest.raises(ValidationError) as caught:
        validate_phone("12345")
    assert caught.value.code == "invalid_phone"
    with pytest.raises(ValidationError) as caught:
        validate_postal_code("12345")
    assert caught.value.code == "invalid_postal_code"
