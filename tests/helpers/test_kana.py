import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from shakyo_portal.core.kana import (
    normalize_reading,
    reading_sort_key,
    to_hiragana,
    validate_reading,
)

# Every katakana with a hiragana twin (ァ..ヶ), the long-vowel mark and the middle dot.
KATAKANA = "".join(chr(code) for code in range(0x30A1, 0x30F7)) + "ー・"
HIRAGANA = "".join(chr(code) for code in range(0x3041, 0x3097)) + "ー・"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ヤマダ", "やまだ"),
        ("ｶﾞｯｺｳ", "がっこう"),
        ("ﾊﾟｰﾃｨｰ", "ぱーてぃー"),
        ("ヴァイオリン", "ゔぁいおりん"),
        ("ヵヶ", "ゕゖ"),
        ("らーめん", "らーめん"),
        ("髙橋", "髙橋"),
    ],
)
def test_to_hiragana(text, expected):
    assert to_hiragana(text) == expected


@given(st.text())
def test_to_hiragana_is_idempotent(text):
    once = to_hiragana(text)
    assert to_hiragana(once) == once


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("やまだ たろう", "やまだ たろう"),
        ("  ヤマダ\u3000\u3000タロウ ", "やまだ たろう"),
        ("ｽｽﾞｷ ｲﾁﾛｳ", "すずき いちろう"),
        ("ジョン・スミス", "じょん・すみす"),
        ("いすゞ", "いすゞ"),
        ("", ""),
        ("\u3000", ""),
    ],
)
def test_normalize_reading(typed, stored):
    assert normalize_reading(typed) == stored


@pytest.mark.parametrize(
    "typed", ["山田", "yamada", "やまだ1", "やまだ（たろう）", "やまだ、たろう"]
)
def test_normalize_reading_rejects(typed):
    with pytest.raises(ValidationError) as caught:
        normalize_reading(typed)
    assert caught.value.code == "invalid_reading"
    assert caught.value.messages == ["よみがなは、ひらがなまたはカタカナで入力してください。"]
    with pytest.raises(ValidationError):
        validate_reading(typed)


def test_sorts_in_gojuon_order():
    readings = ["わだ", "ぱく", "あべ", "ばば", "はやし", "ガトウ", "かとう", "いとう", "アオキ"]
    assert sorted(readings, key=reading_sort_key) == [
        "アオキ",
        "あべ",
        "いとう",
        "かとう",
        "ガトウ",
        # ぱく, ばば and はやし sort as はく, はは, はやし.
        "ぱく",
        "ばば",
        "はやし",
        "わだ",
    ]


def test_voiced_and_small_kana_sort_with_their_plain_kana():
    # Code-point order would put さとう between ごとう and じょう; 50音 order reads
    # ご as こ and じょ as しよ.
    assert sorted(["さとう", "ごとう", "こばやし", "じょう", "しみず"], key=reading_sort_key) == [
        "ごとう",
        "こばやし",
        "さとう",
        "しみず",
        "じょう",
    ]
    assert reading_sort_key("きっど")[0] == reading_sort_key("きつと")[0]


def test_long_vowel_mark_sorts_as_the_vowel_it_lengthens():
    assert reading_sort_key("らーめん")[0] == "らあめん"
    assert reading_sort_key("コーヒー")[0] == "こおひい"
    assert reading_sort_key("きゃー")[0] == "きやあ"
    assert sorted(["らいむ", "らーめん", "らあめん", "らくだ"], key=reading_sort_key) == [
        "らあめん",
        "らーめん",
        "らいむ",
        "らくだ",
    ]


def test_family_name_sorts_before_longer_names():
    assert sorted(["やまだい じろう", "やまだ はなこ", "やまだ たろう"], key=reading_sort_key) == [
        "やまだ たろう",
        "やまだ はなこ",
        "やまだい じろう",
    ]


@given(st.text(KATAKANA + " "))
def test_katakana_and_hiragana_readings_sort_equal(katakana):
    hiragana = katakana.translate({code: code - 0x60 for code in range(0x30A1, 0x30F7)})
    assert reading_sort_key(katakana) == reading_sort_key(hiragana)


@given(st.text(HIRAGANA + " "), st.text(HIRAGANA + " "))
def test_equal_keys_mean_the_same_reading(a, b):
    if reading_sort_key(a) == reading_sort_key(b):
        assert " ".join(a.split()) == " ".join(b.split())
