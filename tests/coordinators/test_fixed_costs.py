"""What keeps the coordinators' pages and the resource map cheap at a large council's
size, and that each shortcut gives what the long way gave.

- ListSelect writes the <select> Django's templates write;
- UrlPattern writes the URL reverse() writes;
- date_bounds() finds the first and last date MIN and MAX find;
- 見える化's chart and table rows (written in Python) escape what a template escapes;
- the reports list, cut from keys, pages through the reports in the same order;
- the pages whose query counts other files do not grow with the data here.
"""

import datetime
import re

import pytest
from django import forms
from django.urls import reverse
from django.utils.safestring import mark_safe

from coordinators.choices import public_districts
from coordinators.forms.logs import ReportFilterForm
from coordinators.models import ActivityLog, LogKind
from shakyo_portal.core.links import UrlPattern
from shakyo_portal.core.widgets import ListSelect
from tests.coordinators.scenario import SHELL_QUERIES, add_photo
from tests.factories import (
    ActivityLogFactory,
    CoordinatorFactory,
    DistrictFactory,
    LifeAreaFactory,
    LifeSceneFactory,
    ResourceFactory,
    SalonFactory,
)

CHOICES = [
    ("", "すべての地区"),
    ("soja", "総社（小地区を含む）"),
    ("kiyone-1", "清音第1（清音地区）"),
    ("amp", 'A&B <b>"引用"</b>'),
    ("safe", mark_safe("<em>そのまま</em>")),
    (3, 2026),
    ("果物", [("apple", "りんご"), ("pear", "なし")]),
]


@pytest.mark.parametrize("value", [None, "", "soja", "pear", "3", ["soja"], "no-such"])
@pytest.mark.parametrize(
    "attrs",
    [
        None,
        {"id": "id_district"},
        {
            "id": "id_district",
            "aria-describedby": "id_district_helptext id_district_error",
            "aria-invalid": "true",
            "required": True,
            "disabled": False,
        },
    ],
)
def test_list_select_writes_what_djangos_select_writes(value, attrs):
    ours = ListSelect(choices=CHOICES).render("district", value, attrs)
    django = forms.Select(choices=CHOICES).render("district", value, attrs)
    assert ours == django


def test_the_report_filter_renders_as_with_djangos_select(db):
    soja = DistrictFactory(name="総社", slug="soja")
    DistrictFactory(name="清音第1", slug="kiyone-1", parent=soja)
    area = LifeAreaFactory(name="総社西中学校区", slug="west")
    coordinator = CoordinatorFactory(display_name="藤井 健太")
    # Wrong values, so each field group carries its error and aria-invalid.
    data = {"district": "no-such", "kind": "visit", "year": "1999", "coordinator": "x"}

    def render(widget):
        form = ReportFilterForm(
            data,
            districts=public_districts(),
            life_areas=[area],
            coordinators=[coordinator],
            years=[2026, 2025],
        )
        if widget is not None:
            for field in form.fields.values():
                field.widget = widget(choices=field.choices)
        form.is_valid()
        return "".join(str(form[name].as_field_group()) for name in form.fields)

    ours = render(None)
    assert 'aria-invalid="true"' in ours
    assert "清音第1（総社地区）" in ours
    assert ours == render(forms.Select)


@pytest.mark.parametrize(
    ("viewname", "kwarg", "values"),
    [
        ("resources:detail", "pk", [1, 7, 12345678901]),
        ("salons:detail", "pk", [2, 960]),
        ("districts:detail", "slug", ["soja", "kiyone-1", "d0150", "a_b"]),
    ],
)
def test_url_pattern_writes_what_reverse_writes(viewname, kwarg, values):
    url = UrlPattern(viewname, kwarg)
    for value in values:
        assert url(value) == reverse(viewname, kwargs={kwarg: value})


def test_date_bounds_and_fiscal_years(db):
    assert ActivityLog.objects.date_bounds() is None
    assert ActivityLog.objects.fiscal_years() == []
    hidden = CoordinatorFactory(is_public=False)
    ActivityLogFactory(date=datetime.date(2023, 5, 1), coordinator=hidden, published=True)
    ActivityLogFactory(date=datetime.date(2026, 1, 10))
    # Logs exist, but none is published by a public coordinator.
    assert ActivityLog.objects.published().date_bounds() is None
    assert ActivityLog.objects.published().fiscal_years() == []
    ActivityLogFactory(date=datetime.date(2024, 4, 1), published=True)
    ActivityLogFactory(date=datetime.date(2024, 9, 30), published=True)
    assert ActivityLog.objects.published().date_bounds() == (
        datetime.date(2024, 4, 1),
        datetime.date(2024, 9, 30),
    )
    assert ActivityLog.objects.published().fiscal_years() == [2024]
    assert ActivityLog.objects.date_bounds() == (
        datetime.date(2023, 5, 1),
        datetime.date(2026, 1, 10),
    )
    assert ActivityLog.objects.fiscal_years() == [2025, 2024, 2023]


def test_the_reports_list_pages_through_every_report_in_order(resident, db):
    coordinator = CoordinatorFactory()
    # Seven days for 45 logs: most reports share their date with others.
    for n in range(45):
        day = datetime.date(2026, 4, 1) + datetime.timedelta(days=n % 7)
        ActivityLogFactory(coordinator=coordinator, date=day, published=n % 5 != 0)
    expected = list(
        ActivityLog.objects.published().order_by("-date", "-pk").values_list("title", flat=True)
    )
    shown = []
    for page in ("1", "2"):
        html = resident.get("/coordinators/reports/", {"page": page}).content.decode()
        shown += re.findall(r'<h3 class="report-card__title"><a href="[^"]+">([^<]+)</a>', html)
    assert len(expected) == 36
    assert shown == expected


def test_chart_and_table_rows_escape_names(resident, db):
    district = DistrictFactory(name='A&B <i>"地区"</i>')
    ActivityLogFactory(
        district=district, kind=LogKind.VISIT, consultations=9, date=datetime.date(2026, 6, 1)
    )
    html = resident.get("/coordinators/insights/2026/").content.decode()
    assert "<i>" not in html.split('<main id="main"', 1)[1]
    escaped = "A&amp;B &lt;i&gt;&quot;地区&quot;&lt;/i&gt;"
    # The table's row header, and the chart's label.
    assert f'<th scope="row">{escaped}</th>' in html
    assert f">{escaped}</text>" in html


# --- query counts that stay fixed as the data grows ----------------------------------------


def test_a_report_page_costs_the_same_with_many_photos_and_reports(
    resident, db, django_assert_max_num_queries
):
    district = DistrictFactory(parent=DistrictFactory())
    report = ActivityLogFactory(
        published=True, district=district, resource=ResourceFactory(district=district)
    )
    for n in range(12):
        add_photo(report, f"写真{n}")
    ActivityLogFactory.create_batch(30, published=True, coordinator=report.coordinator)
    # the shell; the report with coordinator, area and office, and its photos; its resource
    with django_assert_max_num_queries(SHELL_QUERIES + 2):
        assert resident.get(report.get_absolute_url()).status_code == 200


def test_a_resource_page_costs_the_same_with_many_scenes_and_salons(
    resident, db, django_assert_max_num_queries
):
    district = DistrictFactory(parent=DistrictFactory())

    def resource_with(n):
        resource = ResourceFactory(
            district=district, life_scenes=[LifeSceneFactory() for _ in range(n)]
        )
        resource.salons.set(SalonFactory.create_batch(n, district=district))
        return resource

    few, many = resource_with(1), resource_with(12)
    with django_assert_max_num_queries(100) as first:
        assert resident.get(few.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert resident.get(many.get_absolute_url()).status_code == 200


def test_the_markers_cost_the_same_for_many_resources(resident, db, django_assert_max_num_queries):
    district = DistrictFactory(slug="soja")
    LifeAreaFactory(districts=[district])
    ResourceFactory(district=district, latitude="34.6", longitude="133.7")
    with django_assert_max_num_queries(100) as first:
        assert resident.get("/resources/map.json").status_code == 200
    for n in range(40):
        ResourceFactory(district=district, latitude="34.6", longitude=f"133.{700 + n}")
        SalonFactory(district=district, latitude="34.6", longitude=f"133.{700 + n}")
    for params in [{}, {"district": "soja"}, {"scene": "ibasho", "category": "salon"}]:
        with django_assert_max_num_queries(len(first.captured_queries)):
            response = resident.get("/resources/map.json", params)
        assert response.status_code == 200
    assert len(resident.get("/resources/map.json").json()["points"]) == 81
