"""fixtures/demo_coordinators.py builds records that load and pass every model check."""

import importlib.util
from pathlib import Path

import pytest
from django.core import serializers

from coordinators.models import ActivityLog, Coordinator, LogKind, Visibility
from shakyo_portal.core.fiscal import fiscal_year
from tests.factories import (
    DistrictFactory,
    LifeAreaFactory,
    OfficeFactory,
    ResourceFactory,
    UserFactory,
)

MODULE = Path(__file__).resolve().parents[2] / "fixtures" / "demo_coordinators.py"
DISTRICTS = [
    "soja",
    "tokiwa",
    "misu",
    "hattori",
    "azo",
    "ikeda",
    "kamiari",
    "kiyone",
    "yamate",
    "showa",
]
LIFE_AREAS = ["soja-chu", "soja-higashi-chu", "soja-nishi-chu", "showa-chu"]


def demo_module():
    spec = importlib.util.spec_from_file_location("demo_coordinators", MODULE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def loaded(db):
    """The demo's coordinators and logs, loaded the way loaddata loads demo.json."""
    UserFactory(username="shokuin", staff=True)
    ctx = {
        "district_pk": {slug: DistrictFactory(slug=slug).pk for slug in DISTRICTS},
        "office_pk": OfficeFactory().pk,
        "staff_user_key": ["shokuin"],
        "life_area_pk": {slug: LifeAreaFactory(slug=slug).pk for slug in LIFE_AREAS},
        "resource_pk": {key: ResourceFactory().pk for key in ("niko-niko-support", "kayoi-1")},
    }
    objects = []
    demo_module().build(
        lambda model, pk, **fields: objects.append({"model": model, "pk": pk, "fields": fields}),
        ctx,
    )
    for obj in serializers.deserialize("python", objects):
        obj.save()
    return objects


def test_every_record_passes_the_model_checks(loaded):
    assert Coordinator.objects.count() == 4
    for obj in [*Coordinator.objects.all(), *ActivityLog.objects.all()]:
        obj.full_clean()


def test_coordinators_of_each_kind_and_layer(loaded):
    assert set(Coordinator.objects.values_list("kind", flat=True)) == {
        "living_support",
        "community_welfare",
        "csw",
    }
    assert set(Coordinator.objects.values_list("layer", flat=True)) == {1, 2}
    assert Coordinator.objects.get(user__username="shokuin").layer == 1
    assert Coordinator.objects.filter(life_areas__isnull=False).distinct().count() == 2
    assert Coordinator.objects.filter(districts__isnull=False).distinct().count() == 1


def test_logs_over_two_years_about_half_published(loaded):
    logs = list(ActivityLog.objects.all())
    assert 35 <= len(logs) <= 50
    published = [log for log in logs if log.visibility == Visibility.PUBLISHED]
    assert 0.4 <= len(published) / len(logs) <= 0.65
    assert {fiscal_year(log.date) for log in logs} == {2025, 2026}
    assert {log.kind for log in logs} == set(LogKind.values)
    assert all(log.created_by.username == "shokuin" for log in logs)
    # Private detail is only on internal logs.
    assert not any(log.staff_notes for log in published)
    assert ActivityLog.objects.filter(resource__isnull=False).exists()
    assert ActivityLog.objects.filter(life_area__isnull=False).exists()


def test_some_logs_are_dated_as_sources_date_them_and_one_has_its_hours_and_place(loaded):
    assert ActivityLog.objects.filter(date_precision="fiscal_year", visibility="published").exists()
    assert ActivityLog.objects.filter(date_precision="month").exists()
    food_drive = ActivityLog.objects.get(place__gt="")
    assert (food_drive.time_label, food_drive.is_published) == ("10:00〜14:00", True)
