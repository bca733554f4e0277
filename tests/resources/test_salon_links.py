"""A resource tied to the salons whose venue it stops at (a 移動販売 at the 公会堂): the
resource's page lists those salons, only the ones the public may see, and the admin
links them."""

import pytest
from django.urls import reverse

from tests.factories import SalonFactory
from tests.news.helpers import form_values
from tests.resources.world import build_town


@pytest.fixture
def town(db):
    town = build_town()
    shop = town.resources.haishoku
    shop.salons.set([town.salons.taiso, town.salons.tea, town.salons.hidden])
    return town


def main(html):
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def test_the_resource_page_lists_the_salons_it_stops_at(resident, town):
    html = main(resident.get(town.resources.haishoku.get_absolute_url()).content.decode())
    salons = html.split('<ul class="resource-salons">', 1)[1].split("</ul>", 1)[0]
    taiso, tea = town.salons.taiso, town.salons.tea
    assert f'<a href="{taiso.get_absolute_url()}">いきいき体操サロン</a>（清音公会堂）' in salons
    # A paused salon is still where the shop stops: it is listed and says it is paused.
    assert (
        f'<a href="{tea.get_absolute_url()}">おちゃのみサロン</a>（総社東集会所・サロンは休止中）'
        in salons
    )
    assert "隠れ地区のサロン" not in html
    assert salons.index("いきいき体操サロン") < salons.index("おちゃのみサロン")  # by reading


def test_a_resource_tied_to_no_salon_says_nothing_about_salons(resident, town):
    html = main(resident.get(town.resources.niko.get_absolute_url()).content.decode())
    assert "立ち寄るサロン" not in html


def test_the_resource_page_query_count_does_not_grow_with_its_salons(
    resident, town, django_assert_max_num_queries
):
    url = town.resources.haishoku.get_absolute_url()
    with django_assert_max_num_queries(100) as one_salon_each:
        assert resident.get(url).status_code == 200
    town.resources.haishoku.salons.add(*SalonFactory.create_batch(10, district=town.soja))
    # The salons are one prefetch, however many (tests/resources/test_detail.py pins it).
    with django_assert_max_num_queries(len(one_salon_each.captured_queries)):
        assert resident.get(url).status_code == 200


def test_staff_link_salons_in_the_admin(superuser, town):
    resource = town.resources.niko
    url = reverse("admin:coordinators_resource_change", args=[resource.pk])
    html = superuser.get(url).content.decode()
    assert "立ち寄る・開かれるサロン" in html
    data = form_values(html, "resource_form")
    data["salons"] = [str(town.salons.taiso.pk)]
    response = superuser.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(resource.salons.all()) == [town.salons.taiso]
