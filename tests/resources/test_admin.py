"""The 地域資源 admin through the admin itself: lists, search, filters and
autocomplete work; good input saves normalised; bad input gets a Japanese error
beside the field, keeps what was typed, and saves nothing."""

import pytest
from django.apps import apps
from django.urls import reverse

from coordinators.models import Resource, ResourceCategory
from tests.resources.world import add_many, build_town

MODELS = ["resource", "resourcecategory", "lifescene"]


@pytest.fixture
def town(db):
    return build_town()


@pytest.mark.parametrize("model", MODELS)
def test_changelist_add_and_change_pages_load(superuser, town, model):
    changelist = reverse(f"admin:coordinators_{model}_changelist")
    assert superuser.get(changelist).status_code == 200
    assert superuser.get(changelist, {"q": "清音"}).status_code == 200
    assert superuser.get(reverse(f"admin:coordinators_{model}_add")).status_code == 200
    pk = apps.get_model("coordinators", model).objects.first().pk
    assert (
        superuser.get(reverse(f"admin:coordinators_{model}_change", args=[pk])).status_code == 200
    )


def test_resource_list_is_japanese_and_shows_what_staff_need(superuser, town):
    html = superuser.get(reverse("admin:coordinators_resource_changelist")).content.decode()
    for text in ["地域資源", "分類", "地区", "種別", "地図", "公開する", "市全域", "清音通いの場"]:
        assert text in html, text
    # Staff see what is not public, so they can publish it.
    assert "非公開の資源" in html


@pytest.mark.parametrize(
    ("params", "shown", "not_shown"),
    [
        ({"q": "にこにこ"}, "にこにこサポート", "清音通いの場"),
        ({"q": "きよね"}, "清音通いの場", "にこにこサポート"),
        ({"is_public__exact": "0"}, "非公開の資源", "清音通いの場"),
        ({"formality__exact": "formal"}, "総社配食", "清音通いの場"),
    ],
)
def test_search_and_filters(superuser, town, params, shown, not_shown):
    html = superuser.get(reverse("admin:coordinators_resource_changelist"), params).content.decode()
    assert shown in html
    assert not_shown not in html


def test_filter_by_category_scene_and_district(superuser, town):
    url = reverse("admin:coordinators_resource_changelist")
    html = superuser.get(url, {"category__id__exact": town.category["haishoku"].pk}).content
    assert "総社配食" in html.decode() and "清音通いの場" not in html.decode()
    html = superuser.get(url, {"life_scenes__id__exact": town.scene["kenko"].pk}).content.decode()
    assert "清音通いの場" in html and "総社配食" not in html
    html = superuser.get(url, {"district__id__exact": town.karube.pk}).content.decode()
    assert "軽部お茶のみ会" in html and "清音通いの場" not in html


def test_resource_list_query_count_does_not_grow(superuser, town, django_assert_max_num_queries):
    add_many(town, 30)
    url = reverse("admin:coordinators_resource_changelist")
    with django_assert_max_num_queries(20) as small:
        superuser.get(url)
    add_many(town, 300, start=1000)
    with django_assert_max_num_queries(len(small.captured_queries)):
        superuser.get(url)


# DistrictAdmin orders its list explicitly: its count annotation drops the model's
# ordering, and an unordered autocomplete page is a warning the suite makes an error.
def test_district_is_picked_by_autocomplete(superuser, town):
    html = superuser.get(reverse("admin:coordinators_resource_add")).content.decode()
    assert 'class="admin-autocomplete' in html
    response = superuser.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "coordinators",
            "model_name": "resource",
            "field_name": "district",
            "term": "清音",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["清音"]


def test_the_form_says_contacts_are_public(superuser, town):
    html = superuser.get(reverse("admin:coordinators_resource_add")).content.decode()
    assert "ここに入れた連絡先は公開ページに表示されます。" in html
    assert "個人の携帯電話などは入れないでください。" in html


def test_category_and_scene_forms_say_which_slugs_salons_use(superuser, town):
    html = superuser.get(reverse("admin:coordinators_resourcecategory_add")).content.decode()
    assert "URL名が「salon」の分類には、ふれあいサロンの名簿にある" in html
    html = superuser.get(reverse("admin:coordinators_lifescene_add")).content.decode()
    assert "「ibasho」" in html and "「kenko」" in html


def test_staff_without_permission_cannot_see_resources(staff, town):
    assert staff.get(reverse("admin:coordinators_resource_changelist")).status_code == 403


def test_anonymous_is_sent_to_login(resident, town):
    response = resident.get(reverse("admin:coordinators_resource_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def resource_form(town, **overrides):
    data = {
        "name": "みどり通いの場",
        "reading": "ミドリカヨイノバ",
        "category": town.category["kayoi"].pk,
        "formality": "informal",
        "is_public": "on",
        "life_scenes": [town.scene["ibasho"].pk, town.scene["kenko"].pk],
        "summary": "",
        "description": "",
        "schedule": "毎週火曜日 10:00〜11:30",
        "help_offered": "",
        "how_to_ask": "",
        "district": town.soja.pk,
        "postal_code": "７１９－１１３１",
        "address": "総社市中央3-3",
        "latitude": "34.6700",
        "longitude": "133.7400",
        "contact_name": "みどり会",
        "contact_phone": "０８６６ー００ー１２３４",
        "contact_email": "",
        "website": "",
    }
    data.update(overrides)
    return data


def test_add_resource_normalises_reading_phone_and_postal_code(superuser, town):
    response = superuser.post(reverse("admin:coordinators_resource_add"), resource_form(town))
    assert response.status_code == 302, response.content.decode()[:3000]
    resource = Resource.objects.get(name="みどり通いの場")
    assert resource.reading == "みどりかよいのば"
    assert resource.contact_phone == "0866-00-1234"
    assert resource.postal_code == "719-1131"
    assert {s.slug for s in resource.life_scenes.all()} == {"ibasho", "kenko"}
    assert resource.district == town.soja
    # It is on the map at once.
    assert resource.name in superuser.get("/resources/", {"district": "soja"}).content.decode()


def test_a_city_wide_resource_has_no_district(superuser, town):
    response = superuser.post(
        reverse("admin:coordinators_resource_add"),
        resource_form(town, district="", latitude="", longitude=""),
    )
    assert response.status_code == 302
    assert Resource.objects.get(name="みどり通いの場").district is None


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"longitude": ""}, "longitude", "緯度と経度は両方入力するか、両方空欄にしてください。"),
        ({"latitude": ""}, "longitude", "緯度と経度は両方入力するか、両方空欄にしてください。"),
        ({"latitude": "10"}, "latitude", "20"),
        ({"longitude": "200"}, "longitude", "154"),
        ({"latitude": "北緯34度"}, "latitude", "数値を入力してください。"),
        ({"contact_phone": "12345"}, "contact_phone", "電話番号は0から始まる10桁または11桁"),
        ({"reading": "緑"}, "reading", "よみがなは、ひらがなまたはカタカナで入力してください。"),
        ({"name": ""}, "name", "このフィールドは必須です。"),
        ({"category": ""}, "category", "このフィールドは必須です。"),
        ({"contact_email": "midori@"}, "contact_email", "有効なメールアドレスを入力してください。"),
        ({"website": "midori"}, "website", "URLを正しく入力してください。"),
    ],
)
def test_bad_resource_input_is_refused_in_japanese(superuser, town, overrides, field, message):
    before = Resource.objects.count()
    response = superuser.post(
        reverse("admin:coordinators_resource_add"), resource_form(town, **overrides)
    )
    html = response.content.decode()
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert message in html
    assert Resource.objects.count() == before
    # What was typed is kept.
    assert 'value="みどり通いの場"' in html or not overrides.get("name", "x")
    for value in overrides.values():
        if value:
            assert f'value="{value}"' in html or f'value="{value}" selected' in html


def test_category_slug_is_unique_in_japanese(superuser, town):
    response = superuser.post(
        reverse("admin:coordinators_resourcecategory_add"),
        {"name": "別のサロン", "slug": "salon", "display_order": "0"},
    )
    assert response.status_code == 200
    assert "この URL名 を持った 地域資源の分類 が既に存在します。" in response.content.decode()
    assert ResourceCategory.objects.filter(slug="salon").count() == 1
