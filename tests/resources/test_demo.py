"""fixtures/demo_resources.py: the demo 地域資源 load, pass the model's own checks,
sit inside 総社市, and give the keys later demo modules refer to."""

import datetime
import importlib.util
import json
from pathlib import Path

import pytest
from django.core import serializers

from coordinators.models import Resource
from tests.factories import DistrictFactory, OfficeFactory, SiteProfileFactory

# fixtures/ is not a package: build_demo.py imports its modules by path, and so do we.
_path = Path(__file__).resolve().parents[2] / "fixtures" / "demo_resources.py"
_spec = importlib.util.spec_from_file_location("demo_resources", _path)
demo_resources = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(demo_resources)

DISTRICT_SLUGS = [
    "soja", "tokiwa", "misu", "hattori", "azo", "ikeda", "hada",
    "kamiari", "kushiro", "yamada", "shinbo", "showa", "yamate", "kiyone",
]  # fmt: skip


def build():
    objects = []

    def add(model, pk, **fields):
        objects.append({"model": model, "pk": pk, "fields": fields})

    ctx = {
        "district_pk": {slug: n for n, slug in enumerate(DISTRICT_SLUGS, start=1)},
        "office_pk": 1,
        "today": datetime.date(2026, 11, 22),
    }
    demo_resources.build(add, ctx)
    return objects, ctx


def test_is_deterministic_and_hands_on_its_keys():
    first, ctx = build()
    assert build()[0] == first
    assert {"niko-niko-support", "kayoi-1"} <= set(ctx["resource_pk"])
    assert set(ctx["life_scene_pk"]) == {
        "kaimono",
        "gaishutsu",
        "ibasho",
        "kenko",
        "mimamori",
        "kaji",
    }
    assert {"salon", "kayoi", "hyakusai-taiso", "ninchisho-cafe", "ido-hanbai", "haishoku",
            "kaimono-shien", "ido-shien", "mimamori", "volunteer", "kodomo-shokudo"} <= set(
        ctx["resource_category_pk"]
    )  # fmt: skip
    resources = [o["fields"] for o in first if o["model"] == "coordinators.resource"]
    assert len(resources) >= 25
    # Every category but サロン (salons come from their own records) has a resource.
    used = {fields["category"] for fields in resources}
    assert used == set(ctx["resource_category_pk"].values()) - {
        ctx["resource_category_pk"]["salon"]
    }


@pytest.fixture
def loaded(db):
    SiteProfileFactory()
    office = OfficeFactory()
    for n, slug in enumerate(DISTRICT_SLUGS, start=1):
        DistrictFactory(pk=n, slug=slug, name=f"地区{n}", office=office)
    objects, ctx = build()
    for obj in serializers.deserialize("json", json.dumps(objects, ensure_ascii=False)):
        obj.save()
    return ctx


def test_loads_and_passes_the_models_checks(loaded):
    for resource in Resource.objects.all():
        resource.full_clean()
        if resource.latitude is not None:
            # Inside 総社市.
            assert 34.6 < resource.latitude < 34.8, resource
            assert 133.6 < resource.longitude < 133.85, resource
        for phone in [resource.contact_phone]:
            assert phone in ("", "0866-92-8552") or phone.startswith(("0866-00-", "090-0000-"))


def test_niko_niko_support_offers_help_and_says_how_to_ask(loaded, resident):
    niko = Resource.objects.get(pk=loaded["resource_pk"]["niko-niko-support"])
    assert niko.formality == "informal"
    assert niko.district is None
    assert [item.split("（")[0] for item in niko.help_items[:4]] == [
        "掃除",
        "簡単な家事",
        "買い物",
        "外出時の付き添い",
    ]
    assert "0866-92-8552" in niko.how_to_ask
    html = resident.get(niko.get_absolute_url()).content.decode()
    assert "外出時の付き添い" in html


def test_the_demo_map_lists_and_hides_what_it_should(loaded, resident):
    html = resident.get("/resources/", {"category": "kayoi"}).content.decode()
    assert "ひだまり通いの場" in html
    assert "ゆうやけ通いの場" not in html  # not yet public
    assert resident.get("/resources/map.json").json()["points"]


def test_mobile_shops_stop_at_the_salons_the_salons_part_made():
    objects, _ = build()
    assert all(
        not o["fields"]["salons"] for o in objects if o["model"] == "coordinators.resource"
    )  # without the salons part, no salon is named
    linked = []
    demo_resources.build(
        lambda model, pk, **fields: linked.append(fields),
        {
            "district_pk": {slug: n for n, slug in enumerate(DISTRICT_SLUGS, start=1)},
            "office_pk": 1,
            "salon_pks": [23, 25],
        },
    )
    assert {tuple(f["salons"]) for f in linked if f.get("salons")} == {(23,), (25,)}
