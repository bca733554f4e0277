"""The 年度's plans and grants as CSV that Excel opens as it should."""

import csv
import datetime
import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from salons.models import ActivityPlan, Grant, PlanStatus
from salons.services import adjust_grant, mark_grant_paid, submit_plan, transition
from shakyo_portal.core.csvexport import cell
from shakyo_portal.staff.roles import Role
from tests.factories import (
    ActivityPlanFactory,
    ActivityReportFactory,
    DistrictFactory,
    GrantProgramFactory,
    SalonFactory,
    UserFactory,
    role_user,
)
from tests.salons.test_admin import client_for

PLANS = reverse("admin:salons_activityplan_export")
GRANTS = reverse("admin:salons_grant_export")


@pytest.fixture
def year(db, superuser_user):
    """令和8年度: a plan in every interesting state, and one 令和7年度 plan that must not show."""
    district = DistrictFactory(name="総社")
    approved = ActivityPlanFactory(
        salon=SalonFactory(name='=HYPERLINK("http://evil")', district=district),
        salon_name="",
        representative_name="@SUM(1+1)",
        representative_phone="0866-92-0001",
    )
    submit_plan(approved)
    transition(approved, PlanStatus.REVIEWING, actor=superuser_user)
    transition(approved, PlanStatus.APPROVED, actor=superuser_user)
    grant = Grant.objects.get(plan=approved)
    adjust_grant(grant, 16000, reason="-会場費は不要", actor=superuser_user)
    mark_grant_paid(grant, paid_on=timezone.localdate(), actor=superuser_user)
    ActivityReportFactory(plan=approved)

    received = ActivityPlanFactory(salon_name="髙﨑サロン", district=district)
    submit_plan(received)
    ActivityPlanFactory(salon_name="まだ下書き")  # a draft is not an application
    older = ActivityPlanFactory(program=GrantProgramFactory(fiscal_year=2025))
    submit_plan(older)
    return {"approved": approved, "received": received, "grant": grant}


def read_csv(response):
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    text = content[3:].decode("utf-8")
    assert text.endswith("\r\n") and text.count("\n") == text.count("\r\n")
    return list(csv.reader(io.StringIO(text, newline="")))


def test_plans_csv_opens_in_excel_with_one_row_per_plan(superuser, year):
    response = superuser.get(PLANS, {"program__fiscal_year__exact": "2026"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="activity-plans-2026.csv"')
    assert f"filename*=UTF-8''{quote('活動計画書_令和8年度.csv')}" in disposition

    header, *rows = read_csv(response)
    assert header[:5] == ["受付番号", "年度", "状態", "区分", "受付方法"]
    assert "代表者の電話番号" in header and "実績報告の状態" in header
    assert [row[0] for row in rows] == ["R8-0001", "R8-0002"]  # not the draft, not 令和7年度

    first = dict(zip(header, rows[0], strict=True))
    assert first["年度"] == "令和8年度"
    assert first["状態"] == "承認"
    assert first["区分"] == "継続" and first["受付方法"] == "ウェブ"
    assert first["サロン名"] == '\'=HYPERLINK("http://evil")'  # a formula, made text
    assert first["代表者の氏名"] == "'@SUM(1+1)"
    assert first["代表者の電話番号"] == "0866-92-0001"
    assert first["地区"] == "総社"
    assert first["交付額（円）"] == "16000"
    assert first["助成金の状態"] == "交付済"
    assert first["交付日"] == timezone.localdate().isoformat()
    assert first["実績報告の状態"] == "提出済み"
    second = dict(zip(header, rows[1], strict=True))
    assert second["サロン名"] == "髙﨑サロン"
    assert second["状態"] == "受付" and second["交付額（円）"] == ""


def test_grants_csv_lists_that_years_grants(superuser, year):
    response = superuser.get(GRANTS, {"plan__program__fiscal_year__exact": "2026"})
    assert f"filename*=UTF-8''{quote('助成金_令和8年度.csv')}" in response["Content-Disposition"]
    header, *rows = read_csv(response)
    assert header[0] == "受付番号" and "交付額を変えた理由" in header
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["基準による額（円）"] == "18000" and row["交付額（円）"] == "16000"
    assert row["交付額を変えた理由"] == "'-会場費は不要"
    assert row["交付決定日"] == year["grant"].decided_on.isoformat()
    assert row["精算日"] == ""


def test_without_a_year_the_current_year_is_exported(superuser, year):
    _header, *rows = read_csv(superuser.get(PLANS))
    assert [row[0] for row in rows] == ["R8-0001", "R8-0002"]
    _header, *rows = read_csv(superuser.get(PLANS, {"program__fiscal_year__exact": "2025"}))
    assert [row[0] for row in rows] == ["R7-0001"]
    _header, *rows = read_csv(superuser.get(PLANS, {"program__fiscal_year__exact": "2019"}))
    assert rows == []


@pytest.mark.parametrize("value", ["abc", "令和8", "-1", "99999"])
def test_a_bad_year_is_refused_with_a_message(superuser, year, value):
    response = superuser.get(PLANS, {"program__fiscal_year__exact": value}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:salons_activityplan_changelist")
    assert "年度を選び直してください。" in [str(m) for m in response.context["messages"]]


def test_the_csv_holds_personal_data_and_needs_the_export_right(db, year, resident):
    nobody = client_for(UserFactory(username="nobody", staff=True))
    assert nobody.get(PLANS).status_code == 403
    assert nobody.get(GRANTS).status_code == 403
    # 閲覧のみ reads the plans but never takes personal data away.
    reader = client_for(role_user(Role.READER, username="reader"))
    assert reader.get(PLANS).status_code == 403
    assert reader.get(GRANTS).status_code == 403
    office = client_for(role_user(Role.OFFICE, username="office"))
    assert office.get(PLANS).status_code == 200
    assert office.get(GRANTS).status_code == 200
    response = resident.get(PLANS)
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_a_district_officer_exports_their_districts_plans_only(db, year):
    plans = ActivityPlan.objects.submitted().for_fiscal_year(2026)
    district = plans.exclude(district=None).first().district
    officer = client_for(role_user(Role.DISTRICT, districts=[district], username="tanto"))
    rows = list(csv.reader(io.StringIO(officer.get(PLANS).content.decode("utf-8-sig"))))
    expected = set(plans.filter(district=district).values_list("serial", flat=True))
    assert len(rows) - 1 == len(expected) and rows[1:]
    assert {row[6] for row in rows[1:]} == {district.name}


def test_the_changelists_link_to_the_csv_of_the_chosen_year(superuser, year):
    html = superuser.get(
        reverse("admin:salons_activityplan_changelist"), {"program__fiscal_year__exact": "2025"}
    ).content.decode()
    assert f'href="{PLANS}?program__fiscal_year__exact=2025"' in html
    assert "令和7年度のCSVを書き出す" in html
    html = superuser.get(reverse("admin:salons_grant_changelist")).content.decode()
    assert f'href="{GRANTS}?plan__program__fiscal_year__exact=2026"' in html


def test_the_export_runs_a_fixed_number_of_queries(superuser, year, django_assert_num_queries):
    for _ in range(10):
        submit_plan(ActivityPlanFactory())
    # session, user, whether two-factor login applies (device, exemption), the
    # exported keys and their audit entry, then one query for every plan with
    # its program, salon, district, grant and report.
    with django_assert_num_queries(7):
        response = superuser.get(PLANS)
    assert len(read_csv(response)) == 1 + 12
    with django_assert_num_queries(7):
        superuser.get(GRANTS)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (0, 0),
        (-5, -5),  # a number is a number, not a formula
        (True, "はい"),
        ("=1+1", "'=1+1"),
        ("+81 866", "'+81 866"),
        ("-会場費", "'-会場費"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("髙﨑", "髙﨑"),
        ("a=b", "a=b"),
        (datetime.date(2027, 3, 10), "2027-03-10"),
        (datetime.datetime(2026, 11, 22, 1, 30, tzinfo=datetime.UTC), "2026-11-22 10:30"),
    ],
)
def test_cells(value, expected):
    assert cell(value) == expected
