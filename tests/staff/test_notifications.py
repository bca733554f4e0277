"""Staff hear of new work: a 活動計画書 sent, a 実績報告 sent, an event filling
up or starting a waiting list. Who hears is set in the admin
(StaffNotification); the mail goes only once the resident's write commits."""

import logging
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.test import Client

from news.models import Registration, RegistrationStatus
from salons.models import ActivityPlan, ActivityReport, PlanStatus, ReportStatus
from salons.services import submit_plan, transition
from shakyo_portal.staff.models import NotificationKind, StaffNotification
from shakyo_portal.staff.notifications import notify_staff
from shakyo_portal.staff.roles import Role
from tests.factories import (
    ActivityPlanFactory,
    DistrictFactory,
    OfficeFactory,
    SiteProfileFactory,
    UserFactory,
    role_user,
)
from tests.news.factories import EventFactory
from tests.salons.plan_data import make_world, plan_data
from tests.salons.test_report import STATUS_URL, report_url, sent_plan, valid_data

pytestmark = pytest.mark.django_db

SITE = "https://shakyo.example.jp"
NEW_PLAN = "/salons/plans/new/"
OFFICE_BOX = "fukushi@example.jp"


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("mail server down")


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def world(db):
    SiteProfileFactory()
    OfficeFactory()
    return make_world()


def setting(kind, **fields):
    return StaffNotification.objects.create(kind=kind, **fields)


def staff_mail():
    """The messages sent to staff: the residents' own confirmations begin 【受付番号 …】."""
    return [message for message in mail.outbox if not message.subject.startswith("【受付番号")]


def only_staff_mail():
    [message] = staff_mail()
    return message


def send_plan(client, world, captured, **changes):
    with captured(execute=True):
        return client.post(NEW_PLAN, {**plan_data(world, **changes), "action": "submit"})


# --- 活動計画書 ------------------------------------------------------------------------


def test_a_sent_plan_is_mailed_to_the_address_and_the_role_holders(
    resident, world, django_capture_on_commit_callbacks
):
    clerk = role_user(Role.OFFICE, username="clerk", email="clerk@example.jp")
    role_user(Role.OFFICE, username="second", email="CLERK@example.jp")  # same box, told once
    role_user(Role.OFFICE, username="no-address", email="")
    role_user(Role.OFFICE, username="left", email="left@example.jp", is_active=False)
    role_user(Role.READER, username="reader", email="reader@example.jp")
    setting(NotificationKind.PLAN_SUBMITTED, email=OFFICE_BOX)
    setting(NotificationKind.PLAN_SUBMITTED, role=Role.OFFICE)
    setting(NotificationKind.REPORT_SUBMITTED, email="reports@example.jp")

    response = send_plan(resident, world, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    plan = ActivityPlan.objects.get()
    message = only_staff_mail()
    assert message.to == [OFFICE_BOX, clerk.email]
    assert message.subject == f"【活動計画書】{plan.reference} ひまわりサロンが提出されました"
    assert f"受付番号: {plan.reference}" in message.body
    assert "サロン名: ひまわりサロン" in message.body
    assert "地区: 清音" in message.body
    assert "代表者: 髙﨑 花子" in message.body
    assert f"{SITE}/admin/salons/activityplan/{plan.pk}/change/" in message.body
    assert f"{SITE}/admin/shakyo_portal/staffnotification/" in message.body
    # Staff see the organiser's name; the phone and address stay in the admin.
    assert "0866-92-8552" not in message.body
    assert "hanako@example.jp" not in message.body
    # The organiser's own mail is unchanged.
    assert [m.to for m in mail.outbox if m is not message] == [["hanako@example.jp"]]


def test_nothing_is_sent_before_the_transaction_commits(
    resident, world, django_capture_on_commit_callbacks
):
    setting(NotificationKind.PLAN_SUBMITTED, email=OFFICE_BOX)
    with django_capture_on_commit_callbacks() as callbacks:
        resident.post(NEW_PLAN, {**plan_data(world), "action": "submit"})
    assert staff_mail() == []
    for callback in callbacks:
        callback()
    assert [m.to for m in staff_mail()] == [[OFFICE_BOX]]


class Interrupted(Exception):
    pass


def test_a_rolled_back_submission_tells_no_one(world, django_capture_on_commit_callbacks):
    setting(NotificationKind.PLAN_SUBMITTED, email=OFFICE_BOX)
    plan = ActivityPlanFactory(program=world.program, salon=world.salon, district=world.district)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Interrupted),
        transaction.atomic(),
    ):
        submit_plan(plan)
        # Whatever fails after the plan was sent undoes the sending, and the notice.
        raise Interrupted
    assert callbacks == []
    assert mail.outbox == []
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert plan.reference is None
    # The same sending, committed, is told.
    with django_capture_on_commit_callbacks(execute=True):
        submit_plan(plan)
    assert [m.to for m in staff_mail()] == [[OFFICE_BOX]]


def test_an_inactive_setting_sends_nothing(resident, world, django_capture_on_commit_callbacks):
    setting(NotificationKind.PLAN_SUBMITTED, email=OFFICE_BOX, is_active=False)
    role_user(Role.OFFICE, username="clerk", email="clerk@example.jp")
    setting(NotificationKind.PLAN_SUBMITTED, role=Role.OFFICE, is_active=False)
    send_plan(resident, world, django_capture_on_commit_callbacks)
    assert ActivityPlan.objects.get().status == PlanStatus.RECEIVED
    assert staff_mail() == []


def test_a_district_officer_hears_of_their_own_districts_plans_only(
    resident, world, django_capture_on_commit_callbacks
):
    own = role_user(Role.DISTRICT, username="kiyone", districts=[world.district])
    other_district = DistrictFactory(name="山手", reading="やまて")
    role_user(Role.DISTRICT, username="yamate", districts=[other_district])
    setting(NotificationKind.PLAN_SUBMITTED, role=Role.DISTRICT)

    send_plan(resident, world, django_capture_on_commit_callbacks)

    assert only_staff_mail().to == [own.email]


def test_the_admin_role_includes_superusers(resident, world, django_capture_on_commit_callbacks):
    kanri = role_user(Role.ADMIN, username="kanri")
    root = UserFactory(username="root", superuser=True)
    setting(NotificationKind.PLAN_SUBMITTED, role=Role.ADMIN)
    send_plan(resident, world, django_capture_on_commit_callbacks)
    assert only_staff_mail().to == [kanri.email, root.email]


# --- 実績報告 --------------------------------------------------------------------------


def test_a_sent_report_is_mailed_to_staff(resident, django_capture_on_commit_callbacks):
    clerk = UserFactory(username="clerk", staff=True)
    plan = sent_plan()
    transition(plan, PlanStatus.REVIEWING, actor=clerk)
    transition(plan, PlanStatus.APPROVED, actor=clerk)
    setting(NotificationKind.REPORT_SUBMITTED, email=OFFICE_BOX)
    setting(NotificationKind.PLAN_SUBMITTED, email="plans@example.jp")
    resident.post(STATUS_URL, {"reference": plan.reference, "contact": "0866928552"})

    with django_capture_on_commit_callbacks(execute=True):
        response = resident.post(report_url(plan), valid_data())

    assert response.status_code == 302
    report = ActivityReport.objects.get()
    assert report.status == ReportStatus.SUBMITTED
    message = only_staff_mail()
    assert message.to == [OFFICE_BOX]
    assert message.subject.startswith(f"【実績報告】{plan.reference} ")
    assert "実績報告が提出されました" in message.subject
    assert "開催回数: 12回" in message.body
    assert "参加者数（延べ）: 180人" in message.body
    assert f"{SITE}/admin/salons/activityreport/{report.pk}/change/" in message.body
    assert "秘密町" not in message.body  # the organiser's address


# --- 行事 ------------------------------------------------------------------------------


def register(event, captured, people="1", email="resident@example.jp"):
    """A resident registers through the public form, as a browser does."""
    client = Client()
    form = client.get(f"/events/{event.pk}/register/").content.decode()
    token = form.split('name="submission_token" value="', 1)[1].split('"', 1)[0]
    with captured(execute=True):
        response = client.post(
            f"/events/{event.pk}/register/",
            {
                "name": "髙橋 花子",
                "reading": "タカハシ ハナコ",
                "phone": "０９０－００００－１２３４",
                "email": email,
                "people": people,
                "note": "",
                "consent": "on",
                "submission_token": token,
            },
        )
    assert response.status_code == 302
    return Registration.objects.order_by("-pk").first()


@pytest.fixture
def lecture(db):
    SiteProfileFactory()
    return EventFactory(title="認知症サポーター養成講座", signup=True, capacity=3, waitlist=True)


def test_staff_hear_once_when_an_event_fills_up_and_when_its_waiting_list_starts(
    lecture, django_capture_on_commit_callbacks
):
    setting(NotificationKind.EVENT_FULL, email="full@example.jp")
    setting(NotificationKind.EVENT_WAITLIST, email="waiting@example.jp")

    register(lecture, django_capture_on_commit_callbacks, people="2")
    assert staff_mail() == []

    filling = register(lecture, django_capture_on_commit_callbacks, people="1")
    assert filling.status == RegistrationStatus.CONFIRMED
    [full] = staff_mail()
    assert full.to == ["full@example.jp"]
    assert full.subject == "【行事】「認知症サポーター養成講座」が定員に達しました"
    assert "定員: 3人（申込済 3人）" in full.body
    assert f"受付番号 {filling.reference}（1人）" in full.body
    assert f"{SITE}/admin/news/event/{lecture.pk}/change/" in full.body
    assert "髙橋" not in full.body and "090-0000-1234" not in full.body

    first_waiting = register(lecture, django_capture_on_commit_callbacks, people="2")
    assert first_waiting.status == RegistrationStatus.WAITLISTED
    [_, waiting] = staff_mail()
    assert waiting.to == ["waiting@example.jp"]
    assert waiting.subject == (
        "【行事】「認知症サポーター養成講座」にキャンセル待ちの申込がありました"
    )
    assert f"受付番号 {first_waiting.reference}（2人）" in waiting.body
    assert f"{SITE}/admin/news/event/{lecture.pk}/change/" in waiting.body

    # The second on the waiting list is not news: the list is already there.
    register(lecture, django_capture_on_commit_callbacks)
    assert len(staff_mail()) == 2


def test_a_party_that_overfills_without_a_waiting_list_is_refused_and_says_nothing(
    lecture, django_capture_on_commit_callbacks
):
    lecture.waitlist = False
    lecture.save()
    setting(NotificationKind.EVENT_FULL, email="full@example.jp")
    register(lecture, django_capture_on_commit_callbacks, people="2")
    # Two more do not fit in the one seat left: refused, not full.
    client = Client()
    form = client.get(f"/events/{lecture.pk}/register/").content.decode()
    token = form.split('name="submission_token" value="', 1)[1].split('"', 1)[0]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/events/{lecture.pk}/register/",
            {
                "name": "山田 太郎",
                "reading": "やまだ たろう",
                "phone": "0866-00-0000",
                "people": "2",
                "consent": "on",
                "submission_token": token,
            },
        )
    assert Registration.objects.count() == 1
    assert staff_mail() == []
    register(lecture, django_capture_on_commit_callbacks, people="1")
    assert [m.to for m in staff_mail()] == [["full@example.jp"]]
    assert "キャンセル待ちを受け付けない設定のため" in staff_mail()[0].body


def test_a_district_officer_is_not_told_of_events_they_cannot_see(
    lecture, django_capture_on_commit_callbacks
):
    role_user(Role.DISTRICT, username="kiyone", districts=[DistrictFactory()])
    clerk = role_user(Role.OFFICE, username="clerk")
    setting(NotificationKind.EVENT_FULL, role=Role.DISTRICT)
    setting(NotificationKind.EVENT_FULL, role=Role.OFFICE)
    register(lecture, django_capture_on_commit_callbacks, people="3")
    [message] = staff_mail()
    assert message.to == [clerk.email]


def test_a_written_notice_goes_out_on_commit_to_everyone_set_for_its_kind(
    db, django_capture_on_commit_callbacks
):
    clerk = role_user(Role.OFFICE, username="clerk")
    setting(NotificationKind.EVENT_FULL, email=OFFICE_BOX)
    setting(NotificationKind.EVENT_FULL, role=Role.OFFICE)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify_staff(NotificationKind.EVENT_FULL, "件名", "本文\n")
        assert mail.outbox == []
    [message] = mail.outbox
    assert (message.subject, message.body, message.to) == (
        "件名",
        "本文\n",
        [OFFICE_BOX, clerk.email],
    )


# --- failures ----------------------------------------------------------------------------


def test_a_mail_server_that_is_down_is_logged_and_the_resident_still_gets_their_page(
    resident, world, settings, caplog, django_capture_on_commit_callbacks
):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingBackend"}}
    setting(NotificationKind.PLAN_SUBMITTED, email=OFFICE_BOX)

    with caplog.at_level(logging.ERROR, logger="shakyo_portal.staff.notifications"):
        response = send_plan(resident, world, django_capture_on_commit_callbacks)

    plan = ActivityPlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/salons/plans/{plan.pk}/sent/"
    assert plan.status == PlanStatus.RECEIVED
    [record] = [r for r in caplog.records if r.name == "shakyo_portal.staff.notifications"]
    assert "plan_submitted" in record.getMessage()
    assert record.exc_info[0] is smtplib.SMTPServerDisconnected
    assert resident.get(response["Location"]).status_code == 200


def test_a_mail_server_that_is_down_does_not_lose_a_registration(
    lecture, settings, caplog, django_capture_on_commit_callbacks
):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingBackend"}}
    setting(NotificationKind.EVENT_FULL, email="full@example.jp")
    with caplog.at_level(logging.ERROR, logger="shakyo_portal.staff.notifications"):
        registration = register(lecture, django_capture_on_commit_callbacks, people="3")
    assert registration.status == RegistrationStatus.CONFIRMED
    assert any(r.name == "shakyo_portal.staff.notifications" for r in caplog.records)


# --- the setting in the admin ----------------------------------------------------------

ADD = "/admin/shakyo_portal/staffnotification/add/"


@pytest.fixture
def kanri_client(db):
    client = Client()
    client.force_login(role_user(Role.ADMIN, username="kanri"))
    return client


def test_the_admin_adds_a_setting(kanri_client):
    response = kanri_client.post(
        ADD,
        {"kind": "plan_submitted", "email": OFFICE_BOX, "role": "", "is_active": "on", "note": ""},
    )
    assert response.status_code == 302
    saved = StaffNotification.objects.get()
    assert (saved.kind, saved.email, saved.role, saved.is_active) == (
        NotificationKind.PLAN_SUBMITTED,
        OFFICE_BOX,
        "",
        True,
    )
    listing = kanri_client.get("/admin/shakyo_portal/staffnotification/").content.decode()
    assert "活動計画書の提出" in listing and OFFICE_BOX in listing


def test_a_bad_address_gets_a_japanese_error_and_keeps_what_was_typed(kanri_client):
    response = kanri_client.post(
        ADD, {"kind": "event_full", "email": "fukushi@", "role": "", "is_active": "on"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "有効なメールアドレスを入力してください。" in html
    assert 'value="fukushi@"' in html
    assert StaffNotification.objects.count() == 0


@pytest.mark.parametrize(
    ("email", "role"), [("", ""), (OFFICE_BOX, Role.OFFICE.value)], ids=["neither", "both"]
)
def test_a_setting_names_one_destination(kanri_client, email, role):
    response = kanri_client.post(
        ADD, {"kind": "plan_submitted", "email": email, "role": role, "is_active": "on"}
    )
    assert response.status_code == 200
    assert "メールアドレスか役割のどちらか一つを指定してください。" in response.content.decode()
    assert StaffNotification.objects.count() == 0


def test_only_the_admin_role_keeps_the_settings(db):
    clerk = Client()
    clerk.force_login(role_user(Role.OFFICE, username="clerk"))
    assert clerk.get(ADD).status_code == 403
    assert clerk.get("/admin/shakyo_portal/staffnotification/").status_code == 403
