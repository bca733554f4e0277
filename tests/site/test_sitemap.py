"""/sitemap.xml lists every public page and nothing else; /robots.txt points to it."""

import re
import xml.etree.ElementTree as ET

import pytest

from coordinators.models import Visibility
from tests.factories import (
    ActivityLogFactory,
    CoordinatorFactory,
    CouncilFactory,
    DistrictFactory,
    MeetingFactory,
    ResourceFactory,
    SalonFactory,
    SiteProfileFactory,
)
from tests.news.factories import EventFactory, NewsletterIssueFactory, PostFactory

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def locations(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return [loc.text for loc in root.findall("s:url/s:loc", NS)]


def paths(client):
    return {re.sub(r"^http://testserver", "", url) for url in locations(client)}


@pytest.fixture
def public_and_private(db):
    SiteProfileFactory()
    shown = DistrictFactory(slug="kiyone")
    hidden = DistrictFactory(slug="kakushi", hidden=True)
    under_hidden = DistrictFactory(slug="kakushi-kita", parent=hidden)
    council = CouncilFactory(slug="chuo-kyogitai")
    private_council = CouncilFactory(slug="naibu-kaigi", is_public=False)
    coordinator = CoordinatorFactory()
    hidden_coordinator = CoordinatorFactory(is_public=False)
    return {
        "shown": [
            "/",
            "/about/",
            "/about/plan/",
            "/contact/",
            "/districts/",
            "/salons/",
            "/councils/",
            "/news/",
            shown.get_absolute_url(),
            SalonFactory(district=shown).get_absolute_url(),
            council.get_absolute_url(),
            MeetingFactory(council=council).get_absolute_url(),
            ActivityLogFactory(coordinator=coordinator, published=True).get_absolute_url(),
            ResourceFactory(district=shown).get_absolute_url(),
            ResourceFactory(district=None).get_absolute_url(),
        ],
        "hidden": [
            hidden.get_absolute_url(),
            under_hidden.get_absolute_url(),
            SalonFactory(district=hidden).get_absolute_url(),
            SalonFactory(district=under_hidden).get_absolute_url(),
            private_council.get_absolute_url(),
            MeetingFactory(council=private_council).get_absolute_url(),
            ActivityLogFactory(coordinator=coordinator).get_absolute_url(),
            ActivityLogFactory(coordinator=hidden_coordinator, published=True).get_absolute_url(),
            ResourceFactory(is_public=False).get_absolute_url(),
            ResourceFactory(district=hidden).get_absolute_url(),
        ],
    }


def test_sitemap_lists_public_pages_only(resident, public_and_private):
    listed = paths(resident)
    for path in public_and_private["shown"]:
        assert path in listed, path
    for path in public_and_private["hidden"]:
        assert path not in listed, path
    # Applicant pages are for one organiser each, not for search engines.
    assert not any(path.startswith("/salons/plans/") for path in listed)
    assert not any(path.startswith("/admin/") for path in listed)


def test_every_listed_page_answers(resident, public_and_private):
    for path in paths(resident):
        assert resident.get(path).status_code == 200, path


def test_a_page_hidden_later_leaves_the_sitemap(resident, public_and_private):
    district = DistrictFactory(slug="sakura")
    assert district.get_absolute_url() in paths(resident)
    district.is_public = False
    district.save()
    assert district.get_absolute_url() not in paths(resident)
    log = ActivityLogFactory(published=True)
    assert log.get_absolute_url() in paths(resident)
    log.visibility = Visibility.INTERNAL
    log.save()
    assert log.get_absolute_url() not in paths(resident)


def test_sitemap_queries_are_bounded(resident, db, django_assert_max_num_queries):
    def make(n):
        district = DistrictFactory()
        council = CouncilFactory()
        for _ in range(n):
            SalonFactory(district=district)
            MeetingFactory(council=council)
            ActivityLogFactory(published=True)
            ResourceFactory(district=district)
            PostFactory()
            EventFactory()
            NewsletterIssueFactory()

    make(2)
    # Per section, its count and its rows: pages, districts, salons, councils,
    # meetings (with their council), reports, resources, posts, events, newsletters.
    with django_assert_max_num_queries(20):
        resident.get("/sitemap.xml")
    make(20)
    with django_assert_max_num_queries(20):
        resident.get("/sitemap.xml")


def test_robots_points_to_the_sitemap_and_keeps_crawlers_out(resident, db):
    text = resident.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text.splitlines()
    for path in ["/admin/", "/preferences/", "/salons/plans/", "/salons/attachments/"]:
        assert f"Disallow: {path}" in text.splitlines()
