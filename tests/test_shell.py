"""The site shell every page shares: structure, display preferences, errors, headers."""

import re

import pytest
from django.test import Client, override_settings
from django.urls import path

from shakyo_portal import urls as portal_urls
from shakyo_portal.core import preferences
from tests.factories import OfficeFactory, SiteProfileFactory


@pytest.fixture
def site(db):
    return SiteProfileFactory(), OfficeFactory(name="地域共生推進課")


def test_every_page_has_the_shell(resident, site):
    response = resident.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ja" class="size-standard theme-white">' in html
    assert '<a class="skip-link" href="#main">本文へ移動</a>' in html
    assert '<main id="main"' in html
    assert html.count("<h1") == 1
    assert "テスト市社会福祉協議会" in html
    # Global navigation in the council's order.
    nav = re.search(r'<nav class="global-nav".*?</nav>', html, re.S).group(0)
    labels = re.findall(r"<a [^>]*>([^<]+)</a>", nav)
    assert labels == [
        *("地区社協", "サロン", "協議体", "コーディネーター"),
        *("地域資源マップ", "お知らせ", "行事", "予定カレンダー", "お問合せ"),
    ]
    # The footer carries the office from the database, not from a template.
    assert "地域共生推進課" in html
    assert "0866-00-1234" in html


def test_navigation_marks_the_current_section(resident, site):
    html = resident.get("/districts/").content.decode()
    assert '<a href="/districts/" aria-current="page">地区社協</a>' in html
    # 社協だより sits under お知らせ in the menu.
    html = resident.get("/newsletters/").content.decode()
    assert '<a href="/news/" aria-current="page">お知らせ</a>' in html
    assert '<a href="/contact/" aria-current="page">' not in html


def test_shell_renders_before_staff_enter_the_council_profile(resident, db):
    response = resident.get("/")
    assert response.status_code == 200
    assert "社会福祉協議会" in response.content.decode()


@pytest.mark.parametrize(
    ("cookies", "expected"),
    [
        ({"text_size": "xlarge", "theme": "black"}, "size-xlarge theme-black"),
        ({"text_size": "large"}, "size-large theme-white"),
        ({"theme": "yellow"}, "size-standard theme-yellow"),
        ({"furigana": "on", "theme": "blue"}, "size-standard theme-blue furigana-on"),
        # Unknown values never reach the class attribute.
        (
            {"text_size": '"><script>', "theme": "pink", "furigana": "yes"},
            "size-standard theme-white",
        ),
    ],
)
def test_display_preferences_are_rendered_server_side(site, cookies, expected):
    client = Client()
    for name, value in cookies.items():
        client.cookies[name] = value
    html = client.get("/districts/").content.decode()
    assert f'<html lang="ja" class="{expected}">' in html


def test_current_preference_is_marked(site):
    client = Client()
    client.cookies["text_size"] = "large"
    html = client.get("/").content.decode()
    assert re.search(r'rel="nofollow" class="chip" aria-current="true">大</a>', html)
    assert not re.search(r'aria-current="true">特大</a>', html)
    assert re.search(
        r'furigana=off[^"]*" rel="nofollow" class="chip" aria-current="true">なし</a>', html
    )


def test_preference_link_sets_cookie_and_returns(resident, site):
    response = resident.get("/preferences/", {"size": "xlarge", "next": "/districts/?page=2"})
    assert response.status_code == 302
    assert response["Location"] == "/districts/?page=2"
    cookie = response.cookies[preferences.SIZE_COOKIE]
    assert cookie.value == "xlarge"
    assert cookie["max-age"] == preferences.COOKIE_MAX_AGE
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    # The next page is rendered with the choice.
    html = resident.get("/districts/").content.decode()
    assert 'class="size-xlarge theme-white"' in html


def test_preference_link_sets_theme(resident, site):
    response = resident.get("/preferences/", {"theme": "blue", "next": "/"})
    assert response.cookies[preferences.THEME_COOKIE].value == "blue"
    assert preferences.SIZE_COOKIE not in response.cookies


def test_preference_link_turns_furigana_on_and_off(resident, site):
    response = resident.get("/preferences/", {"furigana": "on", "next": "/contact/"})
    assert response["Location"] == "/contact/"
    cookie = response.cookies[preferences.FURIGANA_COOKIE]
    assert (cookie.value, cookie["max-age"], cookie["samesite"]) == (
        "on",
        preferences.COOKIE_MAX_AGE,
        "Lax",
    )
    assert cookie["httponly"]
    html = resident.get("/contact/").content.decode()
    assert 'class="size-standard theme-white furigana-on"' in html
    assert "<rt>" in html
    resident.get("/preferences/", {"furigana": "off", "next": "/contact/"})
    html = resident.get("/contact/").content.decode()
    assert 'class="size-standard theme-white"' in html
    assert "<rt>" not in html


@pytest.mark.parametrize("value", ["huge", "", "<b>", "STANDARD", "ON", "1"])
def test_preference_link_ignores_unknown_values(resident, site, value):
    response = resident.get(
        "/preferences/", {"size": value, "theme": value, "furigana": value, "next": "/"}
    )
    assert response.status_code == 302
    assert not response.cookies


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "\\\\evil"]
)
def test_preference_link_never_redirects_off_site(resident, site, target):
    response = resident.get("/preferences/", {"size": "large", "next": target})
    assert response["Location"] == "/"


def test_preference_link_is_get_only(resident, site):
    assert resident.post("/preferences/", {"size": "large"}).status_code == 405


def test_preference_links_return_to_the_current_page(resident, site):
    html = resident.get("/districts/activities/?type=x").content.decode()
    assert "/preferences/?size=large&amp;next=%2Fdistricts%2Factivities%2F%3Ftype%3Dx" in html


def test_404_is_japanese_and_keeps_the_shell(resident, site):
    response = resident.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>ページが見つかりません</h1>" in html
    assert 'href="/contact/"' in html
    assert "地域共生推進課" in html  # the footer's contact block


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom), *portal_urls.urlpatterns]
handler500 = "shakyo_portal.public.views.server_error"


@override_settings(ROOT_URLCONF=__name__)
def test_500_is_japanese_and_keeps_the_shell(site):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "ただいまページを表示できません" in html
    assert "地域共生推進課" in html


@override_settings(ROOT_URLCONF=__name__)
def test_500_falls_back_to_a_plain_page_when_the_shell_fails(site, monkeypatch):
    def broken(self):
        raise RuntimeError("database is down")

    monkeypatch.setattr(
        "shakyo_portal.public.context_processors.SiteContext.profile", property(broken)
    )
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "ただいまページを表示できません" in response.content.decode()


def test_security_headers(resident, site):
    response = resident.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_inline_styles_or_scripts(resident, site):
    for url in ["/", "/districts/", "/contact/", "/about/", "/about/plan/", "/missing/"]:
        html = resident.get(url).content.decode()
        assert " style=" not in html, url
        assert "<style" not in html, url
        assert "<script" not in html, url
        # Nothing is loaded from another host (og:url names this page, and loads nothing).
        assert not re.search(r'(?:src|href|action)="(?:https?:)?//', html), url
        assert html.count("http://testserver/") == 1, url


def test_favicon_and_robots(resident, site):
    assert resident.get("/favicon.ico")["Location"].endswith("favicon.svg")
    robots = resident.get("/robots.txt")
    assert robots["Content-Type"].startswith("text/plain")
    text = robots.content.decode()
    assert "Disallow: /admin/" in text
    # The applicant pages hold nothing to index; the sitemap lists what does.
    assert "Disallow: /salons/plans/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


# Each section pins its own page's queries; the shell alone (a 404 has nothing
# else) costs two.
def test_404_runs_a_fixed_number_of_queries(resident, site, django_assert_max_num_queries):
    OfficeFactory.create_batch(10)
    # site profile (and whether an emergency notice is current), footer offices
    with django_assert_max_num_queries(2):
        resident.get("/districts/no-such-district/x/")
