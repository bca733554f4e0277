"""Internal logs, staff notes and anything hidden never reach a public page.

Every public page that could show a coordinator or a log is fetched, in every
state of its filters, and searched for the text only internal records hold.
"""

import contextlib
import re

import pytest
from django.urls import NoReverseMatch, reverse

from coordinators.insights import SMALL
from tests.coordinators.scenario import SECRETS, build_coordinators


@pytest.fixture
def world(db):
    return build_coordinators()


def public_pages(world):
    reports = "/coordinators/reports/"
    pages = [
        "/",
        "/coordinators/",
        "/coordinators/?page=2",
        reports,
        f"{reports}?page=2",
        f"{reports}?kind=consultation",
        f"{reports}?district={world.tokiwa.slug}",
        f"{reports}?district={world.hidden.slug}",
        f"{reports}?area={world.east.slug}",
        f"{reports}?coordinator={world.secret.pk}",
        f"{reports}?coordinator={world.area.pk}&year=2026",
        *[
            log.get_absolute_url()
            for log in (world.full, world.sub, world.on_area, world.city_wide)
        ],
        world.in_hidden_district.get_absolute_url(),
        "/coordinators/insights/",
        "/coordinators/insights/2025/",
        "/coordinators/insights/2026/",
        "/coordinators/insights/?year=2019",
        world.soja.get_absolute_url(),
        world.tokiwa.get_absolute_url(),
        world.kiyone.get_absolute_url(),
    ]
    # Pages other apps add that list reports, where they exist yet.
    for name in ("sitemap", "search"):
        with contextlib.suppress(NoReverseMatch):
            pages.append(reverse(name))
    return pages


def test_no_public_page_shows_what_is_internal_or_hidden(resident, world):
    for path in public_pages(world):
        response = resident.get(path, follow=True)
        assert response.status_code == 200, path
        html = response.content.decode()
        for secret in SECRETS:
            assert secret not in html, f"{secret!r} on {path}"
        assert "非公開 太郎" not in html, path


def test_internal_and_hidden_logs_have_no_page(resident, world):
    for log in (world.internal, world.by_secret):
        assert resident.get(log.get_absolute_url()).status_code == 404


def test_publishing_a_log_publishes_its_narrative_but_never_its_notes(resident, world):
    world.internal.visibility = "published"
    world.internal.save()
    html = resident.get(world.internal.get_absolute_url()).content.decode()
    assert "ひとり暮らしの甲野さん宅で見た通帳の話" in html  # the proof that the page is there
    assert "職員だけが読むメモ" not in html


def test_small_counts_of_consultations_are_never_shown(resident, world):
    # Each report of the scenario counts 2 consultations and 1 referral unless it says
    # otherwise; 常盤's internal log counts 12 and 6.
    checked = 0
    for year in ("2025", "2026"):
        html = resident.get(f"/coordinators/insights/{year}/").content.decode()
        for table in html.split("<table")[1:]:
            for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
                cells = re.findall(r'<td class="number">([^<]*)</td>', row)
                if not cells:
                    continue
                # [activities, consultations, referrals, participants(, launches)]
                for text in cells[1:3]:
                    checked += 1
                    assert text == "非公表" or text == "0件" or int(text[:-1]) >= SMALL, (
                        year,
                        row,
                    )
    assert checked > 20
