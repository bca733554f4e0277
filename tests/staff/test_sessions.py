"""Staff sessions end: after STAFF_IDLE_MINUTES without a request, at logout,
and when the user is deactivated; each login is recorded."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from shakyo_portal.backoffice.sessions import SEEN_KEY
from shakyo_portal.staff.models import StaffSession
from shakyo_portal.staff.roles import Role
from tests.factories import UserFactory, role_user

PASSWORD = "correct horse battery staple"
LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")


def log_in(username, address="192.0.2.30"):
    client = Client(REMOTE_ADDR=address)
    response = client.post(LOGIN, {"username": username, "password": PASSWORD})
    assert response.status_code == 302, (
        "the login itself must work for these tests to mean anything"
    )
    return client


def key(client) -> str:
    return client.cookies["sessionid"].value


def with_cookie(session_key) -> Client:
    """Another browser presenting the same session cookie (a copied cookie)."""
    client = Client()
    client.cookies["sessionid"] = session_key
    return client


def idle_for(client, seconds):
    session = client.session
    session[SEEN_KEY] = int(time.time()) - seconds
    session.save()


@pytest.fixture
def clerk(db):
    return role_user(Role.OFFICE, username="clerk")


def test_each_login_is_recorded(clerk):
    first, second = log_in("clerk"), log_in("clerk", address="198.51.100.9")
    keys = set(StaffSession.objects.filter(user=clerk).values_list("session_key", flat=True))
    assert keys == {key(first), key(second)}


def test_the_session_cookie_ends_with_the_browser(clerk):
    client = Client()
    response = client.post(LOGIN, {"username": "clerk", "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""


def test_a_session_in_use_stays(clerk, settings):
    client = log_in("clerk")
    idle_for(client, settings.STAFF_IDLE_MINUTES * 60 - 60)
    assert client.get(INDEX).status_code == 200


def test_an_idle_session_ends_and_sends_the_clerk_back_to_log_in(clerk, settings):
    client = log_in("clerk")
    session_key = key(client)
    idle_for(client, settings.STAFF_IDLE_MINUTES * 60 + 1)

    response = client.get(INDEX)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={INDEX}"
    page = client.get(response["Location"]).content.decode()
    assert "30分間操作がなかったため、ログアウトしました。" in page
    assert not Session.objects.filter(session_key=session_key).exists()
    assert not StaffSession.objects.filter(session_key=session_key).exists()
    assert with_cookie(session_key).get(INDEX).status_code == 302


def test_the_idle_limit_is_a_setting(clerk, settings):
    client = log_in("clerk")
    settings.STAFF_IDLE_MINUTES = 1
    idle_for(client, 90)
    assert client.get(INDEX).status_code == 302


def test_an_idle_staff_member_on_a_public_page_just_reads_it_logged_out(clerk, settings):
    client = log_in("clerk")
    idle_for(client, settings.STAFF_IDLE_MINUTES * 60 + 1)
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_deletes_the_session_so_the_old_cookie_is_useless(clerk):
    client = log_in("clerk")
    session_key = key(client)
    assert with_cookie(session_key).get(INDEX).status_code == 200

    response = client.post(reverse("admin:logout"))
    assert response.status_code == 200
    assert not Session.objects.filter(session_key=session_key).exists()
    assert not StaffSession.objects.filter(session_key=session_key).exists()
    assert with_cookie(session_key).get(INDEX).status_code == 302


def test_deactivating_a_user_ends_every_session(clerk):
    clients = [log_in("clerk"), log_in("clerk", address="198.51.100.9")]
    clerk.is_active = False
    clerk.save()
    for client in clients:
        assert client.get(INDEX).status_code == 302
        assert not Session.objects.filter(session_key=key(client)).exists()
    assert not StaffSession.objects.filter(user=clerk).exists()


def test_someone_elses_deactivation_leaves_a_session_alone(clerk):
    other = role_user(Role.READER, username="reader")
    client = log_in("clerk")
    other.is_active = False
    other.save()
    assert client.get(INDEX).status_code == 200


def test_a_residents_session_is_not_a_staff_session(db):
    client = Client()
    client.force_login(UserFactory(username="resident"))
    assert not StaffSession.objects.exists()
