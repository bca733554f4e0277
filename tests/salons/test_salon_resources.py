"""A salon's page lists the 地域資源 that stop at its venue (a 移動販売 at the 公会堂):
only public ones, each linking to its page, and in one query however many there are.
The salons app reaches them by the relation's name, never importing the coordinators app
(import-linter checks that)."""

import pytest

from tests.factories import ResourceFactory
from tests.resources.world import build_town


@pytest.fixture
def town(db):
    town = build_town()
    for resource in (
        town.resources.haishoku,
        town.resources.kayoi_kiyone,
        town.resources.private,
        town.resources.in_hidden,
    ):
        resource.salons.add(town.salons.taiso)
    return town


def main(html):
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def test_the_salon_page_lists_the_public_resources_that_stop_there(resident, town):
    html = main(resident.get(town.salons.taiso.get_absolute_url()).content.decode())
    section = html.split('<section aria-labelledby="resources-heading">', 1)[1].split(
        "</section>", 1
    )[0]
    assert '<h2 id="resources-heading">この会場に来る地域資源</h2>' in section
    assert "このサロンの会場（清音公会堂）" in section
    haishoku, kayoi = town.resources.haishoku, town.resources.kayoi_kiyone
    items = section.split('<ul class="salon-resources">', 1)[1]
    # By reading: きよね… before そうじゃ…
    assert items.index(kayoi.get_absolute_url()) < items.index(haishoku.get_absolute_url())
    assert f'<a href="{haishoku.get_absolute_url()}">総社配食</a>（配食）' in items
    assert "毎週水曜日 10:00〜12:00" in items  # its own schedule, as entered
    assert "非公開の資源" not in html
    assert "隠れ地区の資源" not in html


def test_a_salon_no_resource_stops_at_has_no_such_section(resident, town):
    html = main(resident.get(town.salons.tea.get_absolute_url()).content.decode())
    assert "この会場に来る地域資源" not in html


def test_the_query_count_does_not_grow_with_the_resources(
    resident, town, django_assert_max_num_queries
):
    url = town.salons.taiso.get_absolute_url()
    with django_assert_max_num_queries(100) as few:
        assert resident.get(url).status_code == 200
    more = ResourceFactory.create_batch(10, district=town.kiyone)
    for resource in more:
        resource.salons.add(town.salons.taiso)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = resident.get(url).content.decode()
    assert all(f'href="{resource.get_absolute_url()}"' in html for resource in more)
