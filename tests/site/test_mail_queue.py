"""Mail never holds up a request and is never lost (shakyo_portal.core.mail).

These tests use the database queue and its worker (`db_worker`), as the site
does, with real commits (transactional tests): the request stores the mail and
returns; the worker sends it; a mail server that refuses leaves the mail
queued, listed for staff with its error, and a later run sends it.
"""

import io
import signal
import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django.tasks import TaskResultStatus
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from salons.models import ActivityPlan, PlanStatus
from salons.services import submit_plan
from shakyo_portal.core.mail import (
    MAX_TRIES,
    RETRY_MINUTES,
    send_queued_mail,
    send_template_after_commit,
)
from shakyo_portal.core.models import MailStatus, OutgoingMail
from shakyo_portal.staff.roles import Role
from tests.factories import ActivityPlanFactory, OfficeFactory, SiteProfileFactory, role_user
from tests.salons.plan_data import make_world, plan_data

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PLAN = "/salons/plans/new/"
MAILS = "/admin/shakyo_portal/outgoingmail/"
QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
WORKING = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
REFUSING = {"default": {"BACKEND": f"{__name__}.RefusingBackend"}}


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down; it counts who asked."""

    asked = 0

    def send_messages(self, email_messages):
        RefusingBackend.asked += 1
        raise smtplib.SMTPServerDisconnected("mail server down")


@pytest.fixture(autouse=True)
def queue(settings):
    settings.TASKS = QUEUE
    settings.MAILERS = WORKING
    RefusingBackend.asked = 0


@pytest.fixture
def world():
    SiteProfileFactory()
    OfficeFactory()
    return make_world()


def run_worker():
    """One run of the worker, as `manage.py db_worker --batch`: every task due, then exit."""
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command(
            "db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO()
        )
    finally:
        # The worker takes Ctrl+C for a graceful stop; the test run gets it back.
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def time_passes():
    """The queued retries fall due (the worker compares run_after with now)."""
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(
        run_after=timezone.now() - timedelta(seconds=1)
    )


def ready_tasks():
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY)


def send_plan(client, world):
    response = client.post(NEW_PLAN, {**plan_data(world), "action": "submit"})
    assert response.status_code == 302
    return ActivityPlan.objects.get()


def test_the_request_returns_before_the_mail_server_is_asked(settings, world):
    settings.MAILERS = REFUSING
    plan = send_plan(Client(), world)

    assert RefusingBackend.asked == 0
    assert mail.outbox == []
    queued = OutgoingMail.objects.get()
    assert queued.status == MailStatus.PENDING and queued.attempts == 0
    assert queued.recipients == ["hanako@example.jp"]
    assert queued.subject.startswith(f"【受付番号 {plan.reference}】")
    assert ready_tasks().count() == 1

    settings.MAILERS = WORKING
    run_worker()

    [message] = mail.outbox
    assert message.to == ["hanako@example.jp"]
    assert message.subject == queued.subject
    assert plan.reference in message.body
    queued.refresh_from_db()
    assert queued.status == MailStatus.SENT and queued.sent_at is not None
    # What stays until the retention run: the address and the subject, no body.
    assert queued.body == ""
    assert not ready_tasks().exists()


def test_a_refused_mail_stays_queued_and_visible_and_a_later_run_sends_it(settings, world):
    settings.MAILERS = REFUSING
    plan = send_plan(Client(), world)
    run_worker()

    assert RefusingBackend.asked == 1
    queued = OutgoingMail.objects.get()
    assert queued.status == MailStatus.PENDING
    assert queued.attempts == 1
    assert queued.last_error == "SMTPServerDisconnected: mail server down"
    assert queued.body  # still there to send
    [retry] = ready_tasks()
    assert retry.run_after == queued.next_attempt_at
    assert queued.next_attempt_at - timezone.now() > timedelta(minutes=RETRY_MINUTES[0] - 0.5)

    # The office sees it, with the error; the body (the plan) is not shown.
    clerk = Client()
    clerk.force_login(role_user(Role.OFFICE, username="clerk"))
    listing = clerk.get(MAILS).content.decode()
    assert "送信待ち" in listing and "mail server down" in listing
    assert "hanako@example.jp" in listing and plan.reference in listing
    page = clerk.get(f"{MAILS}{queued.pk}/change/").content.decode()
    assert "mail server down" in page
    assert "髙﨑 花子" in queued.body and "髙﨑 花子" not in page

    # Not due yet: a run now leaves it alone.
    run_worker()
    assert RefusingBackend.asked == 1

    settings.MAILERS = WORKING
    time_passes()
    run_worker()
    [message] = mail.outbox
    assert message.to == ["hanako@example.jp"]
    queued.refresh_from_db()
    assert (queued.status, queued.attempts, queued.body) == (MailStatus.SENT, 2, "")


def test_after_the_last_try_the_mail_waits_for_staff_to_send_it_again(settings, world, caplog):
    settings.MAILERS = REFUSING
    send_plan(Client(), world)
    for _ in range(MAX_TRIES):
        time_passes()
        run_worker()

    assert RefusingBackend.asked == MAX_TRIES
    queued = OutgoingMail.objects.get()
    assert (queued.status, queued.attempts) == (MailStatus.FAILED, MAX_TRIES)
    assert queued.next_attempt_at is None
    assert not ready_tasks().exists()
    # Every try was logged by the part of the site that wrote the mail.
    tries = [r for r in caplog.records if r.name == "salons.services.mail"]
    assert len(tries) == MAX_TRIES
    assert f"try {MAX_TRIES} of {MAX_TRIES}" in tries[-1].getMessage()

    clerk = Client()
    clerk.force_login(role_user(Role.OFFICE, username="clerk"))
    assert "送信できず" in clerk.get(MAILS).content.decode()
    settings.MAILERS = WORKING
    response = clerk.post(
        MAILS, {"action": "send_again", "_selected_action": [queued.pk]}, follow=True
    )
    assert "1件のメールを送信の列に戻しました" in response.content.decode()
    run_worker()

    [message] = mail.outbox
    assert message.to == ["hanako@example.jp"]
    queued.refresh_from_db()
    assert queued.status == MailStatus.SENT


class Interrupted(Exception):
    pass


def test_a_rolled_back_transaction_queues_nothing(world):
    plan = ActivityPlanFactory(program=world.program, salon=world.salon, district=world.district)
    with pytest.raises(Interrupted), transaction.atomic():
        submit_plan(plan)
        raise Interrupted
    assert not OutgoingMail.objects.exists()
    assert not DBTaskResult.objects.exists()

    plan.refresh_from_db()
    submit_plan(plan)
    assert OutgoingMail.objects.count() == 1
    assert ready_tasks().count() == 1


def test_a_mail_sent_twice_by_mistake_goes_once(settings, world):
    """Staff's 再送 while a try is already queued: the second run finds it sent."""
    send_plan(Client(), world)
    queued = OutgoingMail.objects.get()
    send_queued_mail.enqueue(queued.pk)
    run_worker()
    assert len(mail.outbox) == 1
    assert plan_status() == PlanStatus.RECEIVED


def plan_status():
    return ActivityPlan.objects.get().status


def test_only_the_office_and_the_admin_see_the_mails(world):
    OutgoingMail.objects.create(to="hanako@example.jp", subject="件名")
    for role, status in (
        (Role.ADMIN, 200),
        (Role.OFFICE, 200),
        (Role.DISTRICT, 403),
        (Role.COORDINATOR, 403),
        (Role.READER, 403),
    ):
        client = Client()
        client.force_login(role_user(role, username=f"u-{role.name.lower()}"))
        assert client.get(MAILS).status_code == status, role
    assert OutgoingMail.objects.count() == 1


def test_a_template_with_a_mistake_is_logged_and_the_write_stands(world, caplog):
    with transaction.atomic():
        plan = ActivityPlanFactory(
            program=world.program, salon=world.salon, district=world.district
        )
        send_template_after_commit(
            "salons/email/no_such_mail.txt", {"plan": plan}, ["hanako@example.jp"], about="a test"
        )
    assert ActivityPlan.objects.filter(pk=plan.pk).exists()
    assert not OutgoingMail.objects.exists()
    [record] = [r for r in caplog.records if r.name == "shakyo_portal.core.mail"]
    assert record.getMessage() == "Could not queue a test"
