"""Hostile and unlucky cases found in review: none may give a 500, leak a
reference number, or let one salon be granted twice in a 年度."""

import datetime
import re
import smtplib

import pytest
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend

from salons.models import ActivityPlan, GrantProgram, PlanStatus
from salons.services import WorkflowError, submit_plan, transition
from tests.factories import ActivityPlanFactory, GrantProgramFactory, UserFactory
from tests.salons.plan_data import make_world, plan_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return make_world()


@pytest.mark.parametrize("field", ["target_groups", "activity_types"])
def test_ids_too_large_for_the_database_are_a_form_error(resident, world, field):
    data = plan_data(world, action="submit")
    data[field] = "9" * 25
    response = resident.post("/salons/plans/new/", data)
    assert response.status_code == 200
    assert ActivityPlan.objects.count() == 0


def test_a_huge_attachment_id_to_remove_is_a_form_error(resident, world):
    resident.post("/salons/plans/new/", plan_data(world, action="draft"))
    draft = ActivityPlan.objects.get()
    data = plan_data(world, action="draft", remove_attachments="9" * 25)
    response = resident.post(f"/salons/plans/{draft.pk}/edit/", data)
    assert response.status_code == 200
    assert "remove_attachments" in response.context["form"].errors


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPException("mail server down")


def test_a_mail_server_failure_does_not_lose_the_plan(
    resident, world, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        response = resident.post("/salons/plans/new/", plan_data(world, action="submit"))
    assert response.status_code == 302
    assert ActivityPlan.objects.get().status == PlanStatus.RECEIVED


@pytest.mark.parametrize("year", [8, 20260, 0])
def test_a_mistyped_fiscal_year_is_refused(year):
    program = GrantProgramFactory.build(
        fiscal_year=year,
        opens_on=datetime.date(2026, 4, 1),
        closes_on=datetime.date(2027, 2, 28),
        report_due_on=None,
    )
    with pytest.raises(ValidationError) as error:
        program.full_clean()
    assert "fiscal_year" in error.value.message_dict


def test_the_missing_report_message_names_no_reference():
    clerk = UserFactory(staff=True)
    last_year = ActivityPlanFactory(program=GrantProgramFactory(fiscal_year=2025))
    submit_plan(last_year)
    transition(last_year, PlanStatus.REVIEWING, actor=clerk)
    transition(last_year, PlanStatus.APPROVED, actor=clerk)
    with pytest.raises(WorkflowError) as error:
        submit_plan(ActivityPlanFactory(salon=last_year.salon))
    assert "令和7年度の実績報告" in str(error.value)
    assert last_year.reference not in str(error.value)


def test_one_salon_is_not_accepted_twice_in_a_fiscal_year():
    first = ActivityPlanFactory()
    submit_plan(first)
    second = ActivityPlanFactory(salon=first.salon, program=first.program)
    with pytest.raises(WorkflowError, match="すでに受け付けています"):
        submit_plan(second)
    assert ActivityPlan.objects.get(pk=second.pk).status == PlanStatus.DRAFT
    # After a 不承認 the salon may send a new plan.
    clerk = UserFactory(staff=True)
    transition(first, PlanStatus.REJECTED, actor=clerk, reason="内容が対象外です")
    submit_plan(second)
    assert second.status == PlanStatus.RECEIVED


def test_grant_programs_stay_unique_per_year():
    GrantProgramFactory(fiscal_year=2026)
    assert GrantProgram.objects.filter(fiscal_year=2026).count() == 1


def test_replaying_the_first_page_does_not_resend_a_returned_plan(resident, world):
    html = resident.get("/salons/plans/new/").content.decode()
    token = re.search(r'name="submission_token" value="([^"]+)"', html)[1]
    data = plan_data(world, action="submit", submission_token=token)
    resident.post("/salons/plans/new/", data)
    plan = ActivityPlan.objects.get()
    transition(plan, PlanStatus.RETURNED, actor=UserFactory(staff=True), reason="日程を確認")
    # The same browser restoring the page from its cache sends it again.
    response = resident.post("/salons/plans/new/", data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED
    assert ActivityPlan.objects.count() == 1


@pytest.mark.parametrize("url", ["/salons/plans/new/", "/salons/plans/status/"])
def test_applicant_pages_are_not_cached_and_refuse_other_methods(resident, world, url):
    assert "no-store" in resident.get(url)["Cache-Control"]
    assert resident.put(url).status_code == 405
    assert resident.delete(url).status_code == 405


def test_a_new_plan_starts_with_the_grant_requested(resident, world):
    form = resident.get("/salons/plans/new/").context["form"]
    assert form["requests_grant"].value() is True
