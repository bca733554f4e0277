"""Each page's title, description and OpenGraph tags, for search results and shared links."""

import html as html_module
import re

import pytest
from django.test import Client

from tests.factories import DistrictFactory, OfficeFactory, SiteProfileFactory
from tests.site.factories import PracticePlanFactory


def meta(html):
    """{name or property: content} of the page's <meta> tags."""
    found = {}
    for attrs in re.findall(r"<meta ([^>]*)>", html):
        key = re.search(r'(?:name|property)="([^"]+)"', attrs)
        content = re.search(r'content="([^"]*)"', attrs)
        if key and content:
            found[key.group(1)] = html_module.unescape(content.group(1))
    return found


def title(html):
    return html_module.unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1))


@pytest.fixture
def site(db):
    OfficeFactory()
    return SiteProfileFactory(tagline="だれもが安心して暮らせるまちを、みんなで。")


def test_every_page_has_opengraph_tags(resident, site):
    html = resident.get("/contact/", {"utm": "x"}).content.decode()
    tags = meta(html)
    assert title(html) == "お問合せ｜テスト市社協"
    assert tags["og:title"] == "お問合せ"
    assert tags["og:type"] == "website"
    # The page's own address, without the query string.
    assert tags["og:url"] == "http://testserver/contact/"
    assert tags["og:site_name"] == "テスト市社会福祉協議会"
    assert tags["og:locale"] == "ja_JP"
    # Without a description of its own, a page is described by the council's tagline.
    assert (
        tags["description"]
        == tags["og:description"]
        == "だれもが安心して暮らせるまちを、みんなで。"
    )


def test_pages_describe_themselves(resident, site):
    PracticePlanFactory(title="第7次地域福祉実践計画", motto="思いやりが根づくまち")
    tags = meta(resident.get("/about/plan/").content.decode())
    assert tags["og:title"] == "第7次地域福祉実践計画"
    assert tags["description"] == tags["og:description"]
    assert tags["description"].startswith(
        "第7次地域福祉実践計画（令和6年度〜令和10年度）の基本理念「思いやりが根づくまち」"
    )
    tags = meta(resident.get("/about/").content.decode())
    assert (
        tags["description"] == "テスト市社会福祉協議会の紹介、地域福祉実践計画、個人情報保護方針。"
    )


def test_titles_are_escaped_once(resident, site):
    district = DistrictFactory(name='A&B "地区"')
    html = resident.get(district.get_absolute_url()).content.decode()
    assert 'property="og:title" content="A&amp;B &quot;地区&quot;地区社協"' in html
    assert meta(html)["og:title"] == 'A&B "地区"地区社協'


def test_a_site_without_its_profile_still_describes_itself(resident, db):
    tags = meta(resident.get("/").content.decode())
    assert tags["og:site_name"] == "社会福祉協議会"
    assert tags["description"] == "社会福祉協議会のホームページです。"
    site = SiteProfileFactory()
    assert (
        meta(resident.get("/").content.decode())["description"]
        == f"{site.name}のホームページです。"
    )


def test_og_url_follows_the_host_and_scheme(site):
    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="localhost")
    tags = meta(client.get("/about/").content.decode())
    assert tags["og:url"] == "https://localhost/about/"
