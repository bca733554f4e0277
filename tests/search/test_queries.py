"""The search runs a bounded number of queries, whatever the data size.

Per kind: one query for the rows shown, which carries the count of all matches
(COUNT(*) OVER ()), and one prefetch for the three kinds whose text sits in
other rows (a district's activities, a meeting's agenda, an issue's articles):
10 + 3 = 13. The page's shell adds the council's profile and the footer's
offices (2). A kind's own pages: a COUNT, the page's rows, a prefetch.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    ActivityFactory,
    ActivityLogFactory,
    AgendaItemFactory,
    CouncilFactory,
    DistrictFactory,
    MeetingFactory,
    ResourceFactory,
    SalonFactory,
)
from tests.news.factories import EventFactory, NewsletterArticleFactory, PostFactory
from tests.search.world import WORD, build_world

URL = "/search/"
ALL_KINDS = 10 + 3 + 2
ONE_KIND = 2 + 1 + 2  # the page's rows and their count, a prefetch, the shell


def grow(world, times):
    """`times` more matching rows of every kind, with related rows to prefetch."""
    for n in range(times):
        district = DistrictFactory(summary=f"{WORD}{n}")
        ActivityFactory(district=district, name=f"{WORD}{n}")
        ActivityFactory(district=district, name=f"その他{n}")
        SalonFactory(district=district, description=f"{WORD}の会{n}")
        council = CouncilFactory(purpose=f"{WORD}{n}")
        meeting = MeetingFactory(council=council, minutes=f"{WORD}の報告{n}")
        AgendaItemFactory(meeting=meeting, title=f"{WORD}{n}")
        AgendaItemFactory(meeting=meeting, title=f"その他{n}")
        ActivityLogFactory(published=True, narrative=f"{WORD}に伺う{n}")
        ResourceFactory(description=f"{WORD}{n}")
        PostFactory(body=f"{WORD}{n}")
        EventFactory(description=f"{WORD}{n}")
        NewsletterArticleFactory(issue=world.issue, body=f"{WORD}{n}")
        NewsletterArticleFactory(body=f"{WORD}{n}")


def queries_for(client, params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.parametrize("times", [5, 50])
def test_searching_every_kind(resident, db, django_assert_max_num_queries, times):
    world = build_world()
    grow(world, times)
    with django_assert_max_num_queries(ALL_KINDS):
        html = resident.get(URL, {"q": WORD}).content.decode()
    assert html.count('class="search-result"') == 9 * 5


@pytest.mark.parametrize("times", [5, 50])
def test_paging_through_one_kind(resident, db, django_assert_max_num_queries, times):
    world = build_world()
    grow(world, times)
    for kind in ("districts", "meetings", "newsletters", "posts"):
        with django_assert_max_num_queries(ONE_KIND):
            resident.get(URL, {"q": WORD, "kind": kind, "page": "2"})


def test_ten_times_the_data_costs_no_more_queries(resident, db):
    world = build_world()
    grow(world, 5)
    normal, _ = queries_for(resident, {"q": WORD})
    grow(world, 45)
    large, _ = queries_for(resident, {"q": WORD})
    assert large == normal


def test_a_kind_without_matches_costs_one_query(resident, db):
    build_world()
    count, html = queries_for(resident, {"q": "どこにもない"})
    assert "見つかりませんでした" in html
    assert count <= 10 + 2


def test_an_empty_or_refused_search_runs_no_search_query(resident, db):
    build_world()
    for q in ("", "あ" * 51):
        count, _ = queries_for(resident, {"q": q})
        assert count <= 2
