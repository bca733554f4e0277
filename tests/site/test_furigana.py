"""ふりがな: readings over kanji, turned on through /preferences/ and added by the middleware."""

import re
import time

import pytest
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.template import Context, Template
from django.test import Client, override_settings
from django.urls import path
from hypothesis import given, settings
from hypothesis import strategies as st

from shakyo_portal import urls as portal_urls
from shakyo_portal.core import furigana
from shakyo_portal.core.furigana import align, annotate_html, annotate_text
from shakyo_portal.core.preferences import Preferences
from shakyo_portal.public import middleware
from tests.factories import (
    DistrictFactory,
    GrantProgramFactory,
    OfficeFactory,
    SalonFactory,
    SiteProfileFactory,
)

RUBY = re.compile(r"<ruby>(.*?)<rp>\(</rp><rt>(.*?)</rt><rp>\)</rp></ruby>")
WRAPPER = re.compile(r'<span class="furigana">(.*?)</span>', re.S)


def plain(html):
    """What the page said before ふりがな: the ruby taken away, its base kept."""
    return WRAPPER.sub(r"\1", RUBY.sub(r"\1", html))


def readings(html):
    """{base: reading} of every ruby in the page."""
    return dict(RUBY.findall(html))


def furigana_client():
    client = Client()
    client.cookies["furigana"] = "on"
    return client


@pytest.fixture
def site(db):
    OfficeFactory(name="地域共生推進課")
    return SiteProfileFactory()


# --- the text -----------------------------------------------------------------------


def test_kanji_words_get_their_reading():
    html = annotate_text("地域福祉の計画を策定しました。")
    assert readings(html) == {
        "地域": "ちいき",
        "福祉": "ふくし",
        "計画": "けいかく",
        "策定": "さくてい",
    }
    assert plain(html) == "地域福祉の計画を策定しました。"


def test_only_the_kanji_of_a_word_are_read():
    # 見守り: the り is written already, so the reading covers 見守 alone.
    assert annotate_text("見守り") == "<ruby>見守<rp>(</rp><rt>みまも</rt><rp>)</rp></ruby>り"
    assert align("一人ひとり", "ひとりひとり") == [("一人", "ひとり"), ("ひとり", None)]
    assert align("お知らせ", "おしらせ") == [("お", None), ("知", "し"), ("らせ", None)]


@pytest.mark.parametrize("text", ["ふれあいサロン", "NPO No.12 (2026)", "ーー・…", ""])
def test_kana_and_latin_are_left_alone(text):
    assert annotate_text(text) == text


def test_numbers_and_their_counters_get_no_guessed_reading():
    # 3日 is みっか, 20日 はつか, 3本 さんぼん: the analyser would read 日 and 本 alone.
    # No reading beats a wrong one; 月 and 時 read the same after any number.
    html = annotate_text("12月3日と20日、3本、10時")
    assert plain(html) == "12月3日と20日、3本、10時"
    assert readings(html) == {"月": "がつ", "時": "じ"}


def test_weekdays_written_as_one_kanji_are_read_as_weekdays():
    # The analyser reads 月 alone as がつ and 金 as かね; in a date or office hours they are days.
    html = annotate_text("11月23日(月) 受付は月〜金（土・日・祝日を除く）")
    assert plain(html) == "11月23日(月) 受付は月〜金（土・日・祝日を除く）"
    assert RUBY.findall(html) == [
        ("月", "がつ"),
        ("月", "げつ"),
        ("受付", "うけつけ"),
        ("月", "げつ"),
        ("金", "きん"),
        ("土", "ど"),
        ("日", "にち"),
        ("祝日", "しゅくじつ"),
        ("除", "のぞ"),
    ]
    assert readings(annotate_text("（土・日・祝）")) == {"土": "ど", "日": "にち", "祝": "しゅく"}
    # Inside a word it is the word's own reading.
    assert readings(annotate_text("月に一度、日曜日"))["月"] == "つき"


def test_stored_readings_are_split_over_the_kanji_of_a_name():
    assert align("いきいきサロン中央", "いきいきさろんちゅうおう") == [
        ("いきいきサロン", None),
        ("中央", "ちゅうおう"),
    ]
    assert align("山田 花子", "やまだ はなこ") == [
        ("山田", "やまだ"),
        (" ", None),
        ("花子", "はなこ"),
    ]
    # Without a space in the reading, where 山田 ends is unknown: the whole name is read.
    assert align("山田 花子", "やまだはなこ") == [("山田 花子", "やまだはなこ")]
    # Kana that do not match the reading: the whole name, never a wrong split.
    assert align("サロンA中央", "さろんえーちゅうおう") == [("サロンA中央", "さろんえーちゅうおう")]


JAPANESE_TEXT = st.text(
    alphabet=st.sampled_from(
        list("地域福祉総社市清音見守活動日曜一人会議体協")
        + list("あいうえおのをがっゃー")
        + list("サロンボランティア")
        + list("AZaz09 .,()「」、。・\n")
    ),
    max_size=60,
)


@settings(max_examples=200)
@given(JAPANESE_TEXT)
def test_annotating_only_adds_readings(text):
    html = annotate_text(text)
    assert plain(html) == text
    for base, reading in RUBY.findall(html):
        assert furigana.HAS_KANJI.search(base)
        assert re.fullmatch(r"[ぁ-ゖゝゞー]+", reading)


@settings(max_examples=200)
@given(
    surface=JAPANESE_TEXT,
    reading=st.text(alphabet=st.sampled_from("あいうかきくさしすち の・"), min_size=1, max_size=20),
)
def test_alignment_keeps_the_name_whole(surface, reading):
    parts = align(surface, reading)
    assert "".join(base for base, _reading in parts) == surface
    # Every kanji run is read, and only kanji get a reading.
    for base, part_reading in parts:
        assert bool(part_reading) == bool(furigana.HAS_KANJI.search(base))


# --- the page -------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="ja"><head><title>地区社協</title><meta name="description" content="地域福祉">
<script src="/static/a.js"></script></head>
<body><p class="x" title="地域">地域 &amp; 福祉&#12354;</p>
<script>const s = "<p>漢字</p>";</script><style>p::after { content: "漢字"; }</style>
<textarea name="t">活動の内容</textarea><select><option value="清音">清音地区</option></select>
<input value="総社"><code>総社</code><ruby>既<rt>すで</rt></ruby>
<p data-furigana="off">総社</p><p translate="no">総社<span>清音</span></p>
<span data-yomi="きよね">清音</span><br><img src="/x.png" alt="総社"><!-- 総社 -->
<ul><li>見守り<li>地区</ul></body></html>"""


def test_the_page_changes_only_in_its_body_text():
    html = annotate_html(PAGE)
    assert plain(html) == PAGE
    assert "<title>地区社協</title>" in html
    assert 'content="地域福祉"' in html
    # The text of an element stays one box, entities and all.
    assert re.search(
        r'<p class="x" title="地域"><span class="furigana"><ruby>地域.*</ruby> &amp; <ruby>福祉'
        r".*</ruby>&#12354;</span></p>",
        html,
    )
    for untouched in [
        '<script>const s = "<p>漢字</p>";</script>',
        '<style>p::after { content: "漢字"; }</style>',
        '<textarea name="t">活動の内容</textarea>',
        '<option value="清音">清音地区</option>',
        '<input value="総社"><code>総社</code><ruby>既<rt>すで</rt></ruby>',
        '<p data-furigana="off">総社</p><p translate="no">総社<span>清音</span></p>',
        '<img src="/x.png" alt="総社"><!-- 総社 -->',
    ]:
        assert untouched in html
    # The stored reading, not the analyser's guess (せいおん).
    assert (
        '<span data-yomi="きよね"><ruby>清音<rp>(</rp><rt>きよね</rt><rp>)</rp></ruby></span>'
        in html
    )
    assert '<li><span class="furigana"><ruby>見守' in html
    assert '<li><span class="furigana"><ruby>地区' in html


def test_a_big_page_is_annotated_quickly():
    paragraph = (
        "<p>住み慣れた地域で、だれもが安心して暮らし続けるためには、困ったときに声をかけあえる"
        "関係と、気軽に集える居場所、災害に備えた地域づくりが欠かせません。{}</p>\n"
    )
    page = "<html><body>" + "".join(paragraph.format(n) for n in range(600)) + "</body></html>"
    assert len(page.encode()) > 120_000
    annotate_text("準備")  # the dictionary loads once per process, not per page
    started = time.perf_counter()
    html = annotate_html(page)
    elapsed = time.perf_counter() - started
    assert html.count("<ruby>") > 600 * 15
    # About 0.15 s on a 2-core machine; generous for a busy CI.
    assert elapsed < 2, f"{len(page.encode())} bytes took {elapsed:.2f} s"


# --- through the preferences link and the middleware -------------------------------------


def test_furigana_is_off_until_the_reader_turns_it_on(site, resident):
    html = resident.get("/contact/").content.decode()
    assert "<ruby>" not in html
    response = resident.get("/preferences/", {"furigana": "on", "next": "/contact/"})
    assert response.status_code == 302
    html = resident.get("/contact/").content.decode()
    assert readings(html)["受付"] == "うけつけ"
    assert plain(html).count("<h1>お問合せ</h1>") == 1
    # The chip shows the choice, and the next link turns it off again.
    assert re.search(
        r'furigana=on[^"]*" rel="nofollow" class="chip" aria-current="true">あり</a>', html
    )
    resident.get("/preferences/", {"furigana": "off", "next": "/contact/"})
    assert "<ruby>" not in resident.get("/contact/").content.decode()


def test_stored_readings_win_over_the_analyser(db):
    # The analyser reads 日本橋 as にほんばし; the council says にっぽんばし.
    assert readings(annotate_text("日本橋"))["日本橋"] == "にほんばし"
    SiteProfileFactory(
        name="日本橋社会福祉協議会", reading="にっぽんばししゃかいふくしきょうぎかい"
    )
    html = furigana_client().get("/contact/").content.decode()
    assert (
        '<span data-yomi="にっぽんばししゃかいふくしきょうぎかい"><ruby>日本橋社会福祉協議会'
        "<rp>(</rp><rt>にっぽんばししゃかいふくしきょうぎかい</rt>" in html
    )
    # The colour chips carry their readings too (黄 alone is き, not こう).
    assert '<span data-yomi="き"><ruby>黄<rp>(</rp><rt>き</rt><rp>)</rp></ruby></span>' in html


def test_forms_keep_their_values_and_options(site):
    district = DistrictFactory(name="清音", reading="きよね", slug="kiyone")
    SalonFactory(district=district)
    GrantProgramFactory()
    client = furigana_client()
    html = client.get("/salons/", {"q": "総社の体操"}).content.decode()
    assert 'value="総社の体操"' in html
    assert re.search(r"<option[^>]*>清音</option>", html)
    assert re.search(r"<title>[^<]*サロン[^<]*</title>", html)
    assert "<rt>" in html.split("<main", 1)[1]
    # The plan's first step makes the draft; its activity step has the text box.
    html = client.get("/salons/plans/new/").content.decode()
    token = re.search(r'name="submission_token" value="([^"]+)"', html)[1]
    response = client.post(
        "/salons/plans/new/",
        {"step": "salon", "action": "next", "submission_token": token, "website": ""},
    )
    assert response.status_code == 302
    activity = response["Location"].replace("/schedule/", "/activity/")
    html = client.get(activity).content.decode()
    token = re.search(r'name="submission_token" value="([^"]+)"', html)[1]
    client.post(
        activity,
        {
            "step": "activity",
            "action": "draft",
            "submission_token": token,
            "website": "",
            "content": "体操と茶話会を行います。",
        },
    )
    html = client.get(activity).content.decode()
    textareas = re.findall(r"<textarea[^>]*>(.*?)</textarea>", html, re.S)
    assert any("体操と茶話会" in text for text in textareas)
    assert not any("<ruby>" in text for text in textareas)
    assert "<ruby>" in html


def test_the_admin_is_never_annotated(superuser, site):
    superuser.cookies["furigana"] = "on"
    html = superuser.get("/admin/shakyo_portal/office/").content.decode()
    assert "地域共生推進課" in html
    assert "<ruby>" not in html


def test_html_varies_by_cookie_and_keeps_its_length_right(site):
    # Kept for anonymous readers, the page is kept per display choice and sent
    # private: no shared cache may hand one reader's page to another.
    for client in (Client(), furigana_client()):
        response = client.get("/contact/")
        assert "private" in response["Cache-Control"]
        assert int(response["Content-Length"]) == len(response.content)
    furigana = furigana_client().get("/contact/").content.decode()
    assert "<ruby>" in furigana
    assert "<ruby>" not in Client().get("/contact/").content.decode()


def _big(request):
    return HttpResponse("<html><body><p>" + "地域" * 600_000 + "</p></body></html>")


def _stream(request):
    return StreamingHttpResponse(iter(["<html><body><p>地域</p>", "</body></html>"]))


def _json(request):
    return JsonResponse({"name": "<p>地域</p>"})


def _text(request):
    return HttpResponse("<p>地域</p>", content_type="text/plain; charset=utf-8")


def _gzipped(request):
    response = HttpResponse(b"\x1f\x8b not really", content_type="text/html")
    response["Content-Encoding"] = "gzip"
    return response


urlpatterns = [
    path("big/", _big),
    path("stream/", _stream),
    path("json/", _json),
    path("text/", _text),
    path("gzipped/", _gzipped),
    *portal_urls.urlpatterns,
]


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize("url", ["/big/", "/stream/", "/json/", "/text/", "/gzipped/"])
def test_only_html_pages_of_bounded_size_are_annotated(db, url):
    response = furigana_client().get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"<ruby>" not in body
    if url == "/big/":
        assert len(body) > middleware.MAX_FURIGANA_BYTES
        assert "Cookie" in response["Vary"]
    if url in ("/json/", "/text/"):
        assert not response.has_header("Vary") or "Cookie" not in response["Vary"]


def test_the_yomi_tag_marks_a_name_with_its_reading_while_furigana_is_on():
    template = Template("{% yomi name reading %}")
    on, off = Preferences(furigana="on"), Preferences()

    def render(prefs, **names):
        return template.render(Context({"prefs": prefs, **names}))

    assert render(on, name="清音", reading="きよね") == '<span data-yomi="きよね">清音</span>'
    # Off, the page carries the name alone (nothing to strip, nothing extra to send).
    assert render(off, name="清音", reading="きよね") == "清音"
    # Without a reading the name is left to the analyser; either way it is escaped.
    assert render(on, name="A&B", reading="") == "A&amp;B"
    assert (
        render(on, name="<b>中</b>", reading='な"か')
        == '<span data-yomi="な&quot;か">&lt;b&gt;中&lt;/b&gt;</span>'
    )
    assert render(on, name=None, reading="x") == ""
