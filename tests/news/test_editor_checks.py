"""The editor checks: each one warns about what it should and stays silent otherwise."""

import unicodedata
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from news import editor_checks as checks


@pytest.mark.parametrize(
    ("text", "warns"),
    [
        ("![](/media/a.jpg)", True),
        ("![ ](/media/a.jpg)", True),
        ('<img src="/media/a.jpg">', True),
        ("![公会堂で体操をする参加者](/media/a.jpg)", False),
        ("画像はありません。", False),
    ],
)
def test_images_without_alt(text, warns):
    assert bool(checks.images_without_alt(text)) is warns


def test_images_without_alt_counts_them():
    [warning] = checks.images_without_alt("![](/a.jpg) ![説明](/b.jpg) ![](/c.jpg)")
    assert "画像が2つあります" in warning


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("## 内容\n\n### 日時\n\n## 申込", []),
        ("本文だけ", []),
        ("# 大見出し", ["「#」（見出し1）が使われています"]),
        ("## 内容\n\n#### 細目", ["見出し2の次に見出し4"]),
        ("### いきなり3", ["見出し1の次に見出し3"]),
    ],
)
def test_headings_out_of_order(text, expected):
    warnings = checks.headings_out_of_order(text)
    assert len(warnings) == len(expected)
    for warning, fragment in zip(warnings, expected, strict=True):
        assert fragment in warning


@pytest.mark.parametrize(
    ("text", "warns"),
    [
        ("申込書は[こちら](/a.pdf)", True),
        ("[ここ](/a/)から", True),
        ("[こちらから](/a/)", True),
        ("[詳しくはこちら](/a/)", True),
        ("[ここをクリック](/a/)", True),
        ("[こちら。](/a/)", True),
        ("[サロンの申込書（PDF）](/a.pdf)", False),
        ("こちらをご覧ください: [活動計画書の出し方](/salons/plans/)", False),
        ("[ここのつの地区](/districts/)", False),
    ],
)
def test_vague_link_text(text, warns):
    assert bool(checks.vague_links(text)) is warns


def test_vague_links_name_the_text_once():
    [warning] = checks.vague_links("[こちら](/a/) と [こちら](/b/)")
    assert warning.count("「こちら」") == 1


@pytest.mark.parametrize(
    ("text", "found", "suggested"),
    [
        ("①受付 ②説明", "「①」「②」", "「1」「2」"),
        ("㈱総社商店", "「㈱」", "「(株)」"),
        ("㍻31年", "「㍻」", "「平成」"),
        ("第Ⅲ期計画", "「Ⅲ」", "「III」"),
        ("5㌔歩く", "「㌔」", "「キロ」"),
        ("℡ 0866-92-8552", "「℡」", "「TEL」"),
    ],
)
def test_platform_dependent_characters(text, found, suggested):
    [warning] = checks.platform_dependent_characters(text)
    assert found in warning
    assert suggested in warning


@pytest.mark.parametrize("text", ["1. 受付", "株式会社", "髙橋さんと山﨑さん", "平成31年", "(1)"])
def test_ordinary_characters_and_variant_name_characters_are_fine(text):
    assert checks.platform_dependent_characters(text) == []


def test_half_width_katakana():
    [warning] = checks.half_width_katakana("ﾌﾚｱｲｻﾛﾝへようこそ")
    assert "「ﾌﾚｱｲｻﾛﾝ」" in warning
    assert "「フレアイサロン」" in warning
    assert checks.half_width_katakana("フレアイサロン") == []
    assert checks.half_width_katakana("abc 123") == []


@given(st.text())
def test_half_width_katakana_is_found_exactly_when_present(text):
    present = any("\uff61" <= ch <= "\uff9f" for ch in text)
    assert bool(checks.half_width_katakana(text)) is present


@given(st.text())
def test_a_platform_dependent_warning_always_names_what_it_found(text):
    for warning in checks.platform_dependent_characters(text):
        named = [ch for ch in dict.fromkeys(text) if checks.is_platform_dependent(ch)]
        assert all(f"「{ch}」" in warning for ch in named)
        assert all(f"「{unicodedata.normalize('NFKC', ch)}」" in warning for ch in named)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("12月7日(土)に開きます。", ["12月7日"]),
        ("１２月７日に開きます。", ["１２月７日"]),
        ("12/7(土)に開きます。", ["12/7(土)"]),
        ("締切は 1 月 9 日です。", ["1月9日"]),
        ("令和8年12月1日に決まりました。12月7日に開きます。", ["12月7日"]),
    ],
)
def test_dates_without_year(text, found):
    [warning] = checks.dates_without_year(text)
    for date in found:
        assert f"「{date}」" in warning


@pytest.mark.parametrize(
    "text",
    [
        "令和8年12月7日(月)に開きます。",
        "2026年12月7日に開きます。",
        "令和8年12月1日から12月7日まで受け付けます。",
        "令和元年5月1日",
        "毎月第2水曜日に開きます。",
        "3/4の人が参加しました。",
        "2026/12/7(月)",
    ],
)
def test_dates_with_a_year_or_no_date_are_fine(text):
    assert checks.dates_without_year(text) == []


def test_check_post_labels_each_warning_with_its_field():
    post = SimpleNamespace(
        title="①研修会のお知らせ",
        summary="",
        body="# 研修会\n\n詳しくは[こちら](/a/)。ﾎﾞﾗﾝﾃｨｱ募集。12月7日開催。\n\n![](/x.jpg)",
    )
    image = SimpleNamespace(alt_text="㈱総社商店の前")
    warnings = checks.check_post(post, images=[image])
    assert any(w.startswith("題名: 機種依存文字「①」") for w in warnings)
    body = [w for w in warnings if w.startswith("本文: ")]
    assert len(body) == 5  # alt, heading, link, katakana, date
    assert any(w.startswith("画像「㈱総社商店の前」の説明: 機種依存文字") for w in warnings)


def test_a_clean_record_has_no_warnings():
    post = SimpleNamespace(
        title="研修会のお知らせ",
        summary="令和8年12月7日(月)に研修会を開きます。",
        body="## 内容\n\n[研修会の申込書（PDF）](/a.pdf)を出してください。",
    )
    assert checks.check_post(post) == []
    event = SimpleNamespace(
        title="講座",
        description="## 内容\n\n体操をします。",
        place="公民館",
        target="どなたでも",
        registration_note="",
        status_note="",
    )
    assert checks.check_event(event) == []
    issue = SimpleNamespace(title="特集", cover_alt="")
    assert checks.check_issue(issue, [SimpleNamespace(title="記事", body="見守り")]) == []
    [warning] = checks.check_issue(issue, [SimpleNamespace(title="記事", body="① 見守り")])
    assert warning.startswith("記事「記事」の本文: 機種依存文字「①」")
