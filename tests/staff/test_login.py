"""The staff login page: password step, lockout per (username, address), the
login logs, and where a successful login goes."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.test import Client
from django.urls import reverse

from shakyo_portal.staff.roles import Role
from tests.factories import UserFactory, role_user

PASSWORD = "correct horse battery staple"
LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")


def post_login(client, username, password, next_url=None):
    data = {"username": username, "password": password}
    url = LOGIN
    if next_url is not None:
        data["next"] = next_url
        url = f"{LOGIN}?next={next_url}"
    return client.post(url, data)


@pytest.fixture
def clerk(db):
    return role_user(Role.OFFICE, username="clerk")


@pytest.fixture
def office(db):
    return Client(REMOTE_ADDR="192.0.2.10")


def test_the_login_page_is_japanese_with_labelled_fields(office, clerk):
    response = office.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_username" class="required">ユーザー名:</label>' in html
    assert '<label for="id_password" class="required">パスワード:</label>' in html
    assert 'value="ログイン"' in html
    assert "<style" not in html and " style=" not in html


def test_right_password_logs_in_and_goes_to_the_admin(office, clerk):
    response = post_login(office, "clerk", PASSWORD)
    assert response.status_code == 302 and response["Location"] == INDEX
    assert office.get(INDEX).status_code == 200


def test_wrong_password_says_so_in_japanese_and_keeps_the_username(office, clerk):
    response = post_login(office, "clerk", "not the password")
    html = response.content.decode()
    assert response.status_code == 200
    assert "_auth_user_id" not in office.session
    assert 'role="alert"' in html
    assert "スタッフアカウントの正しいユーザー名とパスワードを入力してください" in html
    assert 'name="username" value="clerk"' in html


def test_a_user_who_is_not_staff_cannot_log_in(office):
    UserFactory(username="resident")
    response = post_login(office, "resident", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in office.session


def test_next_is_followed_when_it_stays_on_this_site(office, clerk):
    changelist = reverse("admin:salons_salon_changelist")
    response = post_login(office, "clerk", PASSWORD, next_url=changelist)
    assert response["Location"] == changelist


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/admin/", "javascript:alert(1)"]
)
def test_next_pointing_elsewhere_is_ignored(office, clerk, next_url):
    response = office.post(LOGIN, {"username": "clerk", "password": PASSWORD, "next": next_url})
    assert response.status_code == 302 and response["Location"] == INDEX


def test_a_logged_in_staff_member_opening_login_goes_on_to_next(office, clerk):
    post_login(office, "clerk", PASSWORD)
    changelist = reverse("admin:salons_salon_changelist")
    response = office.get(f"{LOGIN}?next={changelist}")
    assert response.status_code == 302 and response["Location"] == changelist


# --- lockout (axes) -------------------------------------------------------


def fail(client, username, times):
    return [post_login(client, username, "wrong password").status_code for _ in range(times)]


def test_five_wrong_passwords_lock_that_user_from_that_address(office, clerk):
    # The fifth failure itself already answers with the lockout page.
    assert fail(office, "clerk", 5) == [200, 200, 200, 200, 429]

    response = post_login(office, "clerk", PASSWORD)
    html = response.content.decode()
    assert response.status_code == 429
    assert "30分間止めています" in html and 'role="alert"' in html
    assert "_auth_user_id" not in office.session


def test_four_wrong_passwords_do_not_lock(office, clerk):
    fail(office, "clerk", 4)
    assert post_login(office, "clerk", PASSWORD).status_code == 302


def test_the_same_user_from_another_address_can_still_log_in(office, clerk):
    fail(office, "clerk", 5)
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    response = post_login(elsewhere, "clerk", PASSWORD)
    assert response.status_code == 302 and response["Location"] == INDEX


def test_another_user_from_the_same_address_can_still_log_in(office, clerk):
    role_user(Role.READER, username="reader")
    fail(office, "clerk", 5)
    response = post_login(office, "reader", PASSWORD)
    assert response.status_code == 302 and response["Location"] == INDEX


def test_failures_and_logins_are_logged(office, clerk):
    fail(office, "clerk", 2)
    post_login(office, "clerk", PASSWORD)

    failures = AccessFailureLog.objects.filter(username="clerk", ip_address="192.0.2.10")
    assert failures.count() == 2
    assert AccessLog.objects.filter(username="clerk", ip_address="192.0.2.10").count() == 1
    # A successful login clears the count (AXES_RESET_ON_SUCCESS).
    assert not AccessAttempt.objects.filter(username="clerk").exists()


def test_attempts_are_counted_per_username_and_address(office, clerk):
    fail(office, "clerk", 3)
    attempt = AccessAttempt.objects.get(username="clerk")
    assert attempt.ip_address == "192.0.2.10" and attempt.failures_since_start == 3
