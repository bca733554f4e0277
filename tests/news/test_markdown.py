"""What staff write in Markdown reaches pages only as inert, allow-listed HTML."""

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from news.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, excerpt, plain_text, render


class Elements(HTMLParser):
    """Every element and attribute of a fragment, as a browser's parser would see them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(html):
    parser = Elements()
    parser.feed(str(html))
    parser.close()
    return parser.found


def assert_inert(html):
    for tag, attrs in elements(html):
        assert tag in ALLOWED_TAGS | {"div"}, tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name != "style", tag
            if name in ("href", "src"):
                assert not re.match(r"\s*(javascript|data|vbscript):", value or "", re.I), value
            if tag == "img" and name == "src":
                assert value.startswith("/") and not value.startswith("//"), value


HOSTILE = [
    ("<script>alert(1)</script>本文", "本文"),
    ('<img src="/x.png" onerror="alert(1)" alt="写真">', 'alt="写真"'),
    ("[押してね](javascript:alert(1))", "押してね"),
    ('<a href="JaVaScRiPt:alert(1)">大文字</a>', "大文字"),
    ('<a href=" javascript:alert(1)">空白</a>', "空白"),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">データ</a>', "データ"),
    ('<iframe src="https://example.com/"></iframe>埋め込み', "埋め込み"),
    ('<p style="position:fixed" onclick="x()">スタイル</p>', "スタイル"),
    ('<svg onload="alert(1)"><script>alert(1)</script></svg>図', "図"),
    ("<object data='x.swf'></object><embed src='x'>旧式", "旧式"),
    ('<form action="https://evil.example/"><input name="pw"></form>フォーム', "フォーム"),
    ("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", ""),
    ("<!-- <script>alert(1)</script> -->コメント", "コメント"),
    ("![外部](https://evil.example/track.png)", ""),
    ("![外部](//evil.example/track.png)", ""),
]


@pytest.mark.parametrize(("source", "kept"), HOSTILE)
def test_hostile_markdown_renders_inert(source, kept):
    html = str(render(source))
    assert_inert(html)
    assert "<script" not in html
    assert "alert(1)" not in html
    assert kept in html
    assert "<iframe" not in html and "<form" not in html and "<input" not in html


def test_links_keep_their_address_and_text_and_get_rel():
    html = str(
        render(
            "[社協のサイト](https://example.jp/) と [窓口](/contact/) と "
            "[メール](mailto:a@example.jp)"
        )
    )
    assert '<a href="https://example.jp/" rel="noopener noreferrer">社協のサイト</a>' in html
    assert '<a href="/contact/" rel="noopener noreferrer">窓口</a>' in html
    assert 'href="mailto:a@example.jp"' in html


def test_a_link_to_another_host_without_scheme_loses_its_address():
    html = str(render("[どこか](//evil.example/)"))
    assert "evil.example" not in html
    assert "どこか" in html


def test_images_on_this_site_stay_with_their_alt_text():
    html = str(render("![公会堂で体操をする参加者](/media/news/a.jpg)"))
    assert '<img alt="公会堂で体操をする参加者" src="/media/news/a.jpg">' in html


def test_the_page_title_stays_the_only_h1_and_offsets_move_headings_down():
    assert "<h1" not in str(render("# 大見出し\n\n## 中見出し"))
    assert "<h2>大見出し</h2>" in str(render("# 大見出し"))
    nested = str(render("# 一\n\n## 二\n\n### 三", heading_offset=1))
    assert re.findall(r"<h(\d)>", nested) == ["3", "3", "4"]
    assert "<h6>" in str(render("###### 六", heading_offset=1))


def test_tables_get_header_scope_and_a_scroll_region():
    html = str(render("| 日 | 内容 |\n|---|---|\n| 5日 | 発表会 |"))
    assert '<div class="table-scroll" tabindex="0" role="region" aria-label="表"><table>' in html
    assert '<th scope="col">日</th>' in html
    assert "<td>5日</td>" in html


def test_plain_text_and_excerpt_have_no_markup():
    source = "## 見出し\n\n本文の **強調** と [リンク](/x/) <b>太字</b>\n\n- 一\n- 二"
    assert plain_text(source) == "見出し\n本文の 強調 と リンク 太字\n一\n二"
    assert excerpt("あ" * 150, 100) == "あ" * 99 + "…"
    assert excerpt("短い本文") == "短い本文"
    assert plain_text("1 < 2 & 3 > 2") == "1 < 2 & 3 > 2"


_html_pieces = st.sampled_from(
    [
        "<script>",
        "</script>",
        "<img ",
        "src=",
        "onerror=",
        "javascript:",
        "<a ",
        "href=",
        "'",
        '"',
        ">",
        "<",
        "style=",
        "<iframe",
        "[x](",
        ")",
        "![y](",
        "data:",
        "//evil.example/",
        "\n\n",
        "# ",
        "alert(1)",
        "&#106;avascript:",
        "<svg",
        "<style>",
    ]
)


@settings(max_examples=300)
@given(st.lists(st.one_of(_html_pieces, st.text(max_size=5)), max_size=30).map("".join))
def test_whatever_is_typed_the_result_has_only_allowed_elements_and_attributes(source):
    html = str(render(source))
    for tag, attrs in elements(html):
        assert tag in ALLOWED_TAGS | {"div"}, (source, tag)
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}
        if tag == "div":
            allowed = {"class", "tabindex", "role", "aria-label"}
        assert set(attrs) <= allowed, (source, tag, attrs)
    assert_inert(html)
