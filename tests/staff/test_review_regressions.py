"""Holes a review of the staff side found, each kept shut by a test."""

import pytest
from auditlog.models import LogEntry
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from salons.models import ActivityReport, Grant, PlanStatus
from salons.services import adjust_grant, submit_plan, transition
from shakyo_portal.backoffice import sessions
from shakyo_portal.core.fiscal import current_fiscal_year
from shakyo_portal.staff.models import StaffProfile
from shakyo_portal.staff.roles import Role
from tests.factories import (
    ActivityLogFactory,
    ActivityPlanFactory,
    CoordinatorFactory,
    GrantProgramFactory,
    UserFactory,
    role_user,
)
from tests.salons.test_report import valid_data

PASSWORD = "correct horse battery staple"


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def approved_plan(actor):
    plan = submit_plan(
        ActivityPlanFactory(program=GrantProgramFactory(fiscal_year=current_fiscal_year()))
    )
    transition(plan, PlanStatus.REVIEWING, actor=actor)
    transition(plan, PlanStatus.APPROVED, actor=actor)
    return plan


@pytest.mark.parametrize("role", [Role.READER, Role.COORDINATOR, Role.OFFICE])
def test_staff_read_an_applicants_pages_but_never_write_through_them(db, role):
    plan = approved_plan(UserFactory(username="clerk", staff=True))
    client = logged_in(role_user(role))
    assert client.get(reverse("salons:plan_detail", args=[plan.pk])).status_code == 200
    response = client.post(reverse("salons:report_new", args=[plan.pk]), valid_data())
    assert response.status_code == 404
    assert not ActivityReport.objects.filter(plan=plan).exists()


def test_a_password_alone_reads_nothing_while_two_factor_is_still_to_be_set_up(db):
    clerk = role_user(Role.OFFICE, username="clerk")
    StaffProfile.objects.filter(user=clerk).update(
        two_factor_exempt=False, two_factor_exempt_reason=""
    )
    plan = submit_plan(ActivityPlanFactory(representative_address="秘密町1-2-3"))
    client = Client()
    response = client.post(reverse("admin:login"), {"username": "clerk", "password": PASSWORD})
    assert response.status_code == 302 and "two-factor" in response["Location"]
    page = client.get(reverse("salons:plan_print", args=[plan.pk]))
    assert page.status_code == 404 and "秘密町1-2-3" not in page.content.decode()


@pytest.mark.parametrize("index", ["x", "５", "9", "-1", ""])
def test_a_malformed_action_index_runs_nothing(db, index):
    me = role_user(Role.COORDINATOR, username="me")
    CoordinatorFactory(user=me)
    theirs = ActivityLogFactory(title="他人の記録", staff_notes="職員だけのメモ")
    response = logged_in(me).post(
        reverse("admin:coordinators_activitylog_changelist"),
        {"action": "export_csv", ACTION_CHECKBOX_NAME: [theirs.pk], "index": index},
    )
    body = b"".join(response.streaming_content if response.streaming else [response.content])
    assert "職員だけのメモ".encode() not in body
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


def test_ending_sessions_reaches_a_session_whose_key_changed(db):
    clerk = role_user(Role.OFFICE, username="clerk")
    client = Client()
    assert (
        client.post(reverse("admin:login"), {"username": "clerk", "password": PASSWORD}).status_code
        == 302
    )
    new = "an0ther-Long-passphrase!"
    changed = client.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert changed.status_code == 302
    sessions.end_sessions(clerk)
    assert client.get(reverse("admin:index")).status_code == 302


@pytest.mark.parametrize("value", ["²", "1" * 30, "١٢"])
def test_odd_digits_in_an_id_get_a_clear_answer_not_a_500(db, value):
    boss = logged_in(UserFactory(username="kanri", superuser=True))
    url = reverse("admin:news_event_registrants", args=[value])
    assert boss.get(url).status_code == 404
    response = boss.post(
        reverse("admin:personal_data_act"),
        {
            "action": "export",
            "pick": [f"districts.welfarecommitteemember:{value}"],
            "reason": "開示請求",
        },
    )
    assert response.status_code in (200, 302)


def test_workflow_steps_appear_in_the_records_history(db):
    clerk = role_user(Role.OFFICE, username="clerk", last_name="事務")
    plan = approved_plan(clerk)
    grant = Grant.objects.get(plan=plan)
    adjust_grant(grant, grant.amount + 5000, reason="参加者が多い", actor=clerk)
    plan_changes = [e.changes_dict for e in LogEntry.objects.get_for_object(plan)]
    assert {"status": [PlanStatus.REVIEWING, PlanStatus.APPROVED]} in plan_changes
    amount = LogEntry.objects.get_for_object(grant).latest("timestamp")
    assert amount.actor == clerk
    assert amount.changes_dict["amount"] == [str(grant.amount - 5000), str(grant.amount)]


def test_a_non_superuser_administrator_cannot_touch_a_superuser(db):
    boss = UserFactory(username="root", superuser=True)
    admin_role = logged_in(role_user(Role.ADMIN, username="kanri"))
    page = admin_role.get(reverse("admin:auth_user_change", args=[boss.pk]))
    assert 'name="_save"' not in page.content.decode()
    response = admin_role.post(
        reverse("admin:auth_user_changelist"),
        {"action": "deactivate", ACTION_CHECKBOX_NAME: [boss.pk]},
    )
    assert response.status_code in (200, 302)
    boss.refresh_from_db()
    assert boss.is_active
