"""Model rules: what a log may say, where a coordinator works, and the district tag."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template

from coordinators.models import ActivityLog, Coordinator
from tests.factories import (
    ActivityLogFactory,
    CoordinatorFactory,
    DistrictFactory,
    LifeAreaFactory,
)


def errors_of(obj):
    with pytest.raises(ValidationError) as info:
        obj.full_clean()
    return info.value.message_dict


def test_a_log_cannot_be_in_the_future(db):
    log = ActivityLogFactory.build(coordinator=CoordinatorFactory(), date=datetime.date(2099, 1, 1))
    assert errors_of(log)["date"] == ["活動日に未来の日付は入力できません。"]


@pytest.mark.parametrize("day", [datetime.date(2024, 3, 31), datetime.date(2025, 4, 1)])
def test_a_log_must_fall_in_the_coordinators_period(db, day):
    coordinator = CoordinatorFactory(
        display_name="山田",
        active_from=datetime.date(2024, 4, 1),
        active_until=datetime.date(2025, 3, 31),
    )
    log = ActivityLogFactory.build(coordinator=coordinator, date=day)
    assert errors_of(log)["date"] == [
        "活動日が山田さんの担当の期間（令和6年4月1日(月)〜令和7年3月31日(月)）の外です。"
    ]
    log.date = datetime.date(2024, 4, 1)
    log.full_clean()


def test_a_district_and_a_life_area_must_agree(db):
    inside = DistrictFactory(name="総社")
    sub = DistrictFactory(name="総社北", parent=inside)
    outside = DistrictFactory(name="清音")
    area = LifeAreaFactory(name="総社中学校区", districts=[inside])
    coordinator = CoordinatorFactory()
    for district in (inside, sub):
        ActivityLogFactory.build(
            coordinator=coordinator, district=district, life_area=area
        ).full_clean()
    log = ActivityLogFactory.build(coordinator=coordinator, district=outside, life_area=area)
    assert errors_of(log)["district"] == [
        "清音は総社中学校区に含まれていません。"
        "地区社協か日常生活圏域のどちらかだけを選んでください。"
    ]


def test_counts_cannot_be_negative_in_the_database(db):
    log = ActivityLogFactory.build(coordinator=CoordinatorFactory(), consultations=-1)
    assert "consultations" in errors_of(log)


@pytest.mark.parametrize(
    ("starts", "ends", "label"),
    [
        (datetime.date(2024, 4, 1), None, "令和6年4月1日(月)から"),
        (None, datetime.date(2025, 3, 31), "令和7年3月31日(月)まで"),
        (None, None, "期間の定めなし"),
    ],
)
def test_active_period_label(starts, ends, label):
    assert Coordinator(active_from=starts, active_until=ends).active_period_label == label


def test_fiscal_years_are_newest_first(db):
    for day in ["2024-04-01", "2025-03-31", "2026-11-01", "2026-01-15"]:
        ActivityLogFactory(date=datetime.date.fromisoformat(day))
    assert ActivityLog.objects.fiscal_years() == [2026, 2025, 2024]


def test_area_label(db):
    parent = DistrictFactory(name="清音")
    sub = DistrictFactory(name="清音第1", parent=parent)
    area = LifeAreaFactory(name="総社西中学校区")
    hidden_parent = DistrictFactory(name="隠れ", hidden=True)
    under_hidden = DistrictFactory(name="隠れの小地区", parent=hidden_parent)
    assert ActivityLog(district=parent).area_label == "清音地区社協"
    assert ActivityLog(district=sub).area_label == "清音第1（清音地区）"
    assert ActivityLog(life_area=area).area_label == "総社西中学校区"
    assert ActivityLog(district=under_hidden, life_area=area).area_label == "総社西中学校区"
    assert ActivityLog().area_label == "市全域"


# --- who covers a district (the tag a district page can load) ------------------------------


def render_tag(district):
    return Template("{% load coordinators %}{% district_coordinators district %}").render(
        Context({"district": district})
    )


def test_district_coordinators(db, django_assert_num_queries):
    kiyone = DistrictFactory(name="清音")
    sub = DistrictFactory(name="清音第1", parent=kiyone)
    other = DistrictFactory(name="総社")
    area = LifeAreaFactory(districts=[kiyone, other])
    by_name = CoordinatorFactory(display_name="地区 担当", districts=[kiyone])
    by_area = CoordinatorFactory(display_name="圏域 担当", life_areas=[area])
    CoordinatorFactory(display_name="よその 担当", districts=[other])
    CoordinatorFactory(display_name="非公開 担当", districts=[kiyone], is_public=False)
    for district in (kiyone, sub):
        with django_assert_num_queries(1):
            html = render_tag(district)
        assert f'href="/coordinators/#coordinator-{by_name.pk}">地区 担当</a>' in html
        assert f'href="/coordinators/#coordinator-{by_area.pk}">圏域 担当</a>' in html
        assert "よその" not in html and "非公開" not in html
        assert html.count("<li>") == 2
    assert render_tag(DistrictFactory()).strip() == ""
