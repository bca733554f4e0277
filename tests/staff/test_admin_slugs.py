"""A slug left empty in the admin is made from the reading (Hepburn, long vowels
written once), kept unique with -2, -3 and clear of the model's reserved slugs;
a slug that is typed is kept as typed. No app's admin asks for this: the admin
site gives it to every model with a slug and a reading, inlines included."""

import pytest
from django.urls import reverse

from councils.models import LifeArea
from districts.models import District
from shakyo_portal.core.slugs import slug_from_reading
from tests.factories import DistrictFactory
from tests.staff.admin_forms import form_data

ADD_DISTRICT = "admin:districts_district_add"


def add_district(client, **fields):
    page = client.get(reverse(ADD_DISTRICT))
    return client.post(reverse(ADD_DISTRICT), form_data(page, **fields))


@pytest.mark.parametrize(
    ("reading", "slug"),
    [
        ("そうじゃ", "soja"),
        ("きよね", "kiyone"),
        ("おおがみ", "ogami"),
        ("ソウジャ", "soja"),
        ("ひがし そうじゃ", "higashi-soja"),
        ("しんおおさか", "shinosaka"),
        ("にいみ", "niimi"),
        ("まっちゃ", "matcha"),
        ("いすゞ", "isuzu"),
        ("なかの・みなみ", "nakano-minami"),
    ],
)
def test_a_reading_becomes_hepburn_without_long_vowels(reading, slug):
    assert slug_from_reading(reading) == slug


def test_an_empty_slug_is_made_from_the_reading_and_kept_unique(superuser, db):
    page = superuser.get(reverse(ADD_DISTRICT)).content.decode()
    assert "空のまま保存すると、よみがなのローマ字" in page

    response = add_district(superuser, name="総社", reading="そうじゃ", slug="")
    assert response.status_code == 302, response.content.decode()
    assert District.objects.get(name="総社").slug == "soja"

    add_district(superuser, name="総社（第二）", reading="ソウジャ", slug="")
    add_district(superuser, name="総社（第三）", reading="そうじゃ", slug="")
    assert District.objects.get(name="総社（第二）").slug == "soja-2"
    assert District.objects.get(name="総社（第三）").slug == "soja-3"


def test_a_typed_slug_is_kept_as_typed(superuser, db):
    response = add_district(superuser, name="清音", reading="きよね", slug="kiyone-east")
    assert response.status_code == 302
    assert District.objects.get(name="清音").slug == "kiyone-east"


def test_a_typed_slug_is_still_checked(superuser, db):
    DistrictFactory(slug="kiyone")
    response = add_district(superuser, name="清音", reading="きよね", slug="kiyone")
    assert response.status_code == 200
    assert "URL名" in response.content.decode()
    assert not District.objects.filter(name="清音").exists()


def test_a_made_slug_is_never_a_reserved_one(superuser, db, monkeypatch):
    # The model's own rule is asked, whatever it refuses.
    monkeypatch.setattr("districts.models.RESERVED_SLUGS", {"activities", "soja"})
    assert add_district(superuser, name="総社", reading="そうじゃ", slug="").status_code == 302
    assert District.objects.get(name="総社").slug == "soja-2"


def test_a_reading_with_no_letters_asks_for_the_slug(superuser, db):
    response = add_district(superuser, name="謎", reading="ー", slug="")
    assert "よみがなからURL名を作れませんでした。" in response.content.decode()
    assert 'name="name" value="謎"' in response.content.decode()
    assert not District.objects.filter(name="謎").exists()


def test_a_slug_left_empty_in_an_inline_row_is_made_too(superuser, db):
    parent = DistrictFactory(name="総社", reading="そうじゃ", slug="soja")
    url = reverse("admin:districts_district_change", args=[parent.pk])
    data = form_data(superuser.get(url))
    # A new row, as the page's 「追加」 link makes one from the empty form.
    empty = next(name for name in data if name.endswith("-__prefix__-slug"))
    prefix = empty.removesuffix("__prefix__-slug")
    for name in [n for n in data if n.startswith(f"{prefix}__prefix__-")]:
        data[name.replace("__prefix__", "0")] = data[name]
    data.update(
        {
            f"{prefix}TOTAL_FORMS": "1",
            f"{prefix}0-name": "総社東",
            f"{prefix}0-reading": "そうじゃ ひがし",
            f"{prefix}0-slug": "",
        }
    )
    response = superuser.post(url, data)
    assert response.status_code == 302, response.content.decode()
    assert District.objects.get(name="総社東").slug == "soja-higashi"


def test_another_model_with_a_reading_gets_it_too(superuser, db):
    url = reverse("admin:councils_lifearea_add")
    data = form_data(
        superuser.get(url),
        name="総社西中学校区",
        reading="そうじゃにし",
        slug="",
        kind="junior_high",
    )
    assert superuser.post(url, data).status_code == 302
    assert LifeArea.objects.get(name="総社西中学校区").slug == "sojanishi"
