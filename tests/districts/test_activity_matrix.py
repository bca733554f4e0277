import pytest

from tests.factories import (
    ActivityFactory,
    ActivityTypeFactory,
    DistrictFactory,
    OfficeFactory,
    SiteProfileFactory,
)


@pytest.fixture
def data(db):
    SiteProfileFactory()
    OfficeFactory()
    kyushoku = ActivityTypeFactory(name="給食サービス", slug="kyushoku", display_order=2)
    keiro = ActivityTypeFactory(name="敬老会", slug="keirokai", display_order=1)
    ActivityTypeFactory(name="使われていない種類", slug="unused")
    soja = DistrictFactory(name="総社", slug="soja", display_order=1)
    tokiwa = DistrictFactory(name="常盤", slug="tokiwa", display_order=2)
    hidden = DistrictFactory(name="非公開地区", hidden=True)
    ActivityFactory(district=soja, activity_type=keiro, name="敬老会")
    ActivityFactory(district=tokiwa, activity_type=keiro, name="敬老会")
    ActivityFactory(district=tokiwa, activity_type=kyushoku, name="給食サービス")
    ActivityFactory(district=hidden, activity_type=kyushoku, name="秘密の給食")
    return soja, tokiwa


def test_matrix_is_an_accessible_table(resident, data):
    html = resident.get("/districts/activities/").content.decode()
    assert "<caption" in html
    assert '<th scope="col">地区</th>' in html
    assert '<th scope="row"><a href="/districts/soja/">総社</a></th>' in html
    assert html.index('?type=keirokai">敬老会') < html.index('?type=kyushoku">給食サービス')
    assert "使われていない種類" not in html
    assert "非公開地区" not in html and "秘密の給食" not in html
    # Each cell says in words whether the district runs it.
    assert html.count('<span class="visually-hidden">実施：</span>') == 3
    assert html.count('<span class="visually-hidden">なし</span>') == 1
    assert 'role="region"' in html and 'tabindex="0"' in html


def test_which_districts_run_a_type(resident, data):
    html = resident.get("/districts/activities/?type=kyushoku").content.decode()
    assert "<h1>給食サービスを実施している地区</h1>" in html
    assert "1地区が給食サービスを実施しています。" in html
    main = html.split("<main", 1)[1]
    assert "常盤" in main and ">総社<" not in main
    assert '<option value="kyushoku" selected>' in html


def test_unknown_type_shows_the_whole_table(resident, data):
    response = resident.get("/districts/activities/?type=<script>")
    assert response.status_code == 200
    assert "<caption" in response.content.decode()


def test_empty_state(resident, db):
    html = resident.get("/districts/activities/").content.decode()
    assert "現在、掲載している情報はありません" in html


def test_query_count_does_not_grow(resident, data, shell_queries, django_assert_max_num_queries):
    types = ActivityTypeFactory.create_batch(5)

    def make(n):
        for district in DistrictFactory.create_batch(n):
            for activity_type in types:
                ActivityFactory(district=district, activity_type=activity_type)

    make(2)
    # the shell (site profile, footer offices), then types, count, districts, activities
    for url in ["/districts/activities/", f"/districts/activities/?type={types[0].slug}"]:
        with django_assert_max_num_queries(shell_queries + 4):
            resident.get(url)
    make(20)
    for url in ["/districts/activities/", f"/districts/activities/?type={types[0].slug}"]:
        with django_assert_max_num_queries(shell_queries + 4):
            resident.get(url)
