"""/resources/map.json: the map's markers, for the same search as the list, over
every page of it, in one query of positions."""

import pytest

from coordinators import directory as resource_module
from tests.resources.world import SECRETS, add_many, build_town


@pytest.fixture
def town(db):
    return build_town()


def points(client, **params):
    response = client.get("/resources/map.json", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_every_entry_with_a_position_and_nothing_else(resident, town):
    data = points(resident)
    assert data["truncated"] is False
    assert data["points"] == [
        {
            "name": "いきいき体操サロン",
            "category": "ふれあいサロン",
            "url": town.salons.taiso.get_absolute_url(),
            "lat": 34.6377,
            "lng": 133.7603,
        },
        {
            "name": "清音通いの場",
            "category": "通いの場",
            "url": town.resources.kayoi_kiyone.get_absolute_url(),
            "lat": 34.6361,
            "lng": 133.7579,
        },
        {
            "name": "総社配食",
            "category": "配食",
            "url": town.resources.haishoku.get_absolute_url(),
            "lat": 34.6726,
            "lng": 133.7465,
        },
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "salon"}, ["いきいき体操サロン"]),
        ({"category": "haishoku"}, ["総社配食"]),
        ({"scene": "kenko"}, ["いきいき体操サロン", "清音通いの場"]),
        ({"district": "soja"}, ["総社配食"]),
        ({"district": "karube", "scene": "ibasho"}, ["いきいき体操サロン", "清音通いの場"]),
        ({"category": "nope", "district": "nowhere", "page": "2"}, None),
    ],
)
def test_the_same_filters_as_the_list(resident, town, params, expected):
    names = [point["name"] for point in points(resident, **params)["points"]]
    assert names == (expected or ["いきいき体操サロン", "清音通いの場", "総社配食"])


def test_nothing_private_is_ever_on_the_map(resident, town):
    for params in [{}, {"category": "kayoi"}, {"district": "soja"}, {"scene": "ibasho"}]:
        body = resident.get("/resources/map.json", params).content.decode()
        for secret in SECRETS:
            assert secret not in body, secret


def test_all_pages_of_the_search_in_one_query(resident, town, django_assert_max_num_queries):
    add_many(town, 300)
    # the form's categories, scenes and districts; the positions
    with django_assert_max_num_queries(4):
        data = points(resident)
    assert len(data["points"]) == 3 + 300 + 100


def test_the_markers_are_capped(resident, town, monkeypatch):
    monkeypatch.setattr(resource_module, "MAX_MAP_POINTS", 10)
    add_many(town, 30)
    data = points(resident)
    assert len(data["points"]) == 10
    assert data["truncated"] is True


def test_read_only(resident, town):
    assert resident.post("/resources/map.json").status_code == 405
