"""Changes to personal data keep who, when and what; 管理者 read them on the
record's page and in the site-wide report; nobody can edit or delete them."""

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from shakyo_portal.staff.roles import Role
from tests.factories import UserFactory, WelfareCommitteeMemberFactory, role_user


@pytest.fixture
def member(db):
    return WelfareCommitteeMemberFactory(name="山川 一郎", phone="0866-11-2222")


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def change_phone(client, member, phone):
    return client.post(
        reverse("admin:districts_welfarecommitteemember_change", args=[member.pk]),
        {
            "name": member.name,
            "reading": member.reading,
            "district": member.district.pk,
            "area_covered": member.area_covered,
            "role": member.role,
            "term_start": "2020-04-01",
            "phone": phone,
            "email": member.email,
        },
    )


def test_a_change_shows_with_the_staff_members_name_on_the_records_history(member):
    office = role_user(Role.OFFICE, username="jimu", last_name="事務", first_name="花子")
    assert change_phone(logged_in(office), member, "0866-99-8888").status_code == 302

    boss = logged_in(UserFactory(username="kanri", superuser=True))
    history = boss.get(
        reverse("admin:districts_welfarecommitteemember_history", args=[member.pk])
    ).content.decode()
    assert "事務 花子" in history or "花子 事務" in history
    assert "0866-11-2222" in history and "0866-99-8888" in history
    assert "電話番号" in history

    report = boss.get(reverse("admin:auditlog_logentry_changelist")).content.decode()
    assert "山川 一郎" in report


def test_only_administrators_see_the_history(member):
    office = logged_in(role_user(Role.OFFICE, username="jimu"))
    url = reverse("admin:districts_welfarecommitteemember_history", args=[member.pk])
    assert office.get(url).status_code == 403
    change_page = office.get(
        reverse("admin:districts_welfarecommitteemember_change", args=[member.pk])
    ).content.decode()
    assert url not in change_page
    assert office.get(reverse("admin:auditlog_logentry_changelist")).status_code == 403


def test_nobody_edits_or_deletes_the_history(member):
    boss = logged_in(UserFactory(username="kanri", superuser=True))
    member.name = "山川 二郎"
    member.save()
    entry = LogEntry.objects.get_for_object(member).latest("timestamp")
    change = reverse("admin:auditlog_logentry_change", args=[entry.pk])
    page = boss.get(change)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert boss.post(change, {"object_repr": "消した"}).status_code == 403
    delete = reverse("admin:auditlog_logentry_delete", args=[entry.pk])
    assert boss.post(delete, {"post": "yes"}).status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists()
    listing = boss.get(reverse("admin:auditlog_logentry_changelist")).content.decode()
    assert 'value="delete_selected"' not in listing
