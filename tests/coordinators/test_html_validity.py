"""Every coordinators page is valid HTML, by the Nu Html Checker (vnu.jar), in one run.

The empty states are rendered first, then the scenario's pages in each state:
filters good and bad, a report with photos, 見える化 with hidden counts and the
notice for a bad year, and the district fragment other pages can include.
"""

from django.template import Context, Template
from django.test import Client

from tests.coordinators.scenario import build_coordinators
from tests.test_html_validity import LARGE_BLACK, check_pages, vnu_command

EMPTY = [
    ("empty-index", "/coordinators/", {}),
    ("empty-reports", "/coordinators/reports/", {}),
    ("empty-insights", "/coordinators/insights/", {}),
]


def pages_of(world):
    reports = "/coordinators/reports/"
    return [
        ("index", "/coordinators/", {}),
        ("index-xlarge-black", "/coordinators/", LARGE_BLACK),
        ("reports", reports, {}),
        ("reports-xlarge-black", reports, LARGE_BLACK),
        ("reports-page-2", f"{reports}?page=2", {}),
        ("reports-filtered", f"{reports}?kind=launch&district=kiyone&year=2025", {}),
        ("reports-none", f"{reports}?kind=study&year=2025", {}),
        (
            "reports-bad-filters",
            f"{reports}?kind=zzz&district=kakure&area=x&year=1&coordinator=abc&page=abc",
            {},
        ),
        ("report-full", world.full.get_absolute_url(), {}),
        ("report-full-xlarge-black", world.full.get_absolute_url(), LARGE_BLACK),
        ("report-sub-district", world.sub.get_absolute_url(), {}),
        ("report-city-wide", world.city_wide.get_absolute_url(), {}),
        ("insights", "/coordinators/insights/", {}),
        ("insights-xlarge-black", "/coordinators/insights/", LARGE_BLACK),
        ("insights-2025", "/coordinators/insights/2025/", {}),
        ("insights-bad-year", "/coordinators/insights/?year=abc", {}),
    ]


def render(pages, folder):
    written = {}
    for name, path, cookies in pages:
        client = Client()
        client.cookies.load(cookies)
        response = client.get(path)
        assert response.status_code == 200, path
        (folder / f"{name}.html").write_bytes(response.content)
        written[f"{name}.html"] = f"{path} {cookies or ''}".strip()
    return written


def render_district_fragment(folder, district):
    fragment = Template("{% load coordinators %}{% district_coordinators district %}").render(
        Context({"district": district})
    )
    assert "この地区を担当するコーディネーター" in fragment
    (folder / "district-fragment.html").write_text(
        f'<!DOCTYPE html><html lang="ja"><title>地区</title><main><h1>地区</h1>{fragment}</main>'
    )
    return {"district-fragment.html": "{% district_coordinators %}"}


def test_coordinators_pages_are_valid_html(db, tmp_path):
    command = vnu_command()
    written = render(EMPTY, tmp_path)
    world = build_coordinators()
    written |= render(pages_of(world), tmp_path)
    written |= render_district_fragment(tmp_path, world.kiyone)
    check_pages(command, tmp_path, written)
