"""A district's page lists its salons, through the tag the salons app provides."""

import ast
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from salons.models import SalonStatus
from tests.factories import (
    DistrictFactory,
    OfficeFactory,
    SalonFactory,
    SiteProfileFactory,
    TargetGroupFactory,
)


@pytest.fixture
def kiyone(db):
    SiteProfileFactory()
    return DistrictFactory(name="清音", slug="kiyone", office=OfficeFactory())


def section(html):
    return html.split('id="salons-heading"', 1)[1].split("</section>", 1)[0]


def test_the_district_page_lists_its_salons_and_its_sub_districts(resident, kiyone):
    karube = DistrictFactory(name="軽部", slug="karube", parent=kiyone)
    SalonFactory(
        name="いきいきサロン", reading="いきいき", district=kiyone, venue_name="清音公会堂"
    )
    SalonFactory(
        name="軽部サロン", reading="かるべ", district=karube, frequency="weekly", weekday=0
    )
    SalonFactory(name="休んでいるサロン", reading="やすみ", district=kiyone, status="paused")
    SalonFactory(name="終わったサロン", district=kiyone, status=SalonStatus.CLOSED)
    SalonFactory(name="よその地区のサロン", district=DistrictFactory())
    html = resident.get("/districts/kiyone/").content.decode()
    assert '<h2 id="salons-heading">この地区のふれあいサロン</h2>' in html
    salons = section(html)
    assert "いきいきサロン" in salons and "清音公会堂" in salons
    assert "毎月第2水曜日 10:00〜12:00" in salons
    assert "軽部サロン" in salons and "（軽部）" in salons and "毎週月曜日" in salons
    assert "休んでいるサロン" in salons and "（休止中）" in salons
    assert "終わったサロン" not in salons
    assert "よその地区のサロン" not in salons
    assert 'href="/salons/?district=kiyone"' in salons
    # In reading order, each a link to its page.
    assert salons.index("いきいきサロン") < salons.index("軽部サロン") < salons.index("休んでいる")
    # The sub-district's own page lists only its own.
    sub = section(resident.get("/districts/karube/").content.decode())
    assert "軽部サロン" in sub and "いきいきサロン" not in sub
    assert 'href="/salons/?district=karube"' in sub


def test_the_link_leads_to_the_same_salons_in_the_directory(resident, kiyone):
    karube = DistrictFactory(name="軽部", slug="karube", parent=kiyone)
    SalonFactory(name="いきいきサロン", district=kiyone)
    SalonFactory(name="軽部サロン", district=karube)
    html = resident.get("/salons/?district=kiyone").content.decode()
    assert "2件見つかりました" in html


def test_a_district_with_many_salons_shows_ten_and_links_to_all(resident, kiyone):
    SalonFactory.create_batch(12, district=kiyone)
    salons = section(resident.get("/districts/kiyone/").content.decode())
    # ten salons, the link to all, and the district's calendar feed
    assert salons.count('<a href="/salons/') == 12
    assert "この地区のサロンをすべて見る" in salons


def test_a_district_without_salons_says_so(resident, kiyone):
    html = resident.get("/districts/kiyone/").content.decode()
    assert "この地区で掲載しているふれあいサロンは、まだありません" in section(html)
    assert 'href="/salons/"' in section(html)


def test_the_section_costs_the_same_however_many_salons(resident, kiyone):
    # tests/districts/test_district_detail.py pins the whole page; here the salons
    # (with their districts) must be one query for one salon or sixty.
    SalonFactory(district=kiyone)
    with CaptureQueriesContext(connection) as one:
        resident.get("/districts/kiyone/")
    groups = [TargetGroupFactory(), TargetGroupFactory()]
    for n in range(30):
        SalonFactory(district=kiyone if n % 2 else DistrictFactory(parent=kiyone))
        SalonFactory(district=kiyone, target_groups=groups)
    with CaptureQueriesContext(connection) as many:
        resident.get("/districts/kiyone/")
    assert len(many) == len(one)


def test_the_districts_app_never_imports_salons():
    """Lower layers do not know the higher ones: the template loads the tag library."""
    for path in Path(__file__).resolve().parents[2].joinpath("districts").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(name.split(".")[0] == "salons" for name in names), path
