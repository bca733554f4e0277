"""The login and two-factor pages are valid HTML in every state, by the Nu Html
Checker: the paused login, the code step with an error, setting the app up,
the recovery codes shown once, and the page of a staff member with an app or
let off it."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from shakyo_portal.staff.roles import Role
from tests.factories import role_user
from tests.staff.test_two_factor import code
from tests.test_html_validity import check_pages, vnu_command
from tests.test_salon_html_validity import ADMIN_WARNINGS, Pages

PASSWORD = "correct horse battery staple"
LOGIN = reverse("admin:login")
TWO_FACTOR = reverse("admin:two_factor")


@pytest.mark.django_db
def test_the_login_and_two_factor_pages_are_valid_html(tmp_path):
    command = vnu_command()
    pages = Pages(tmp_path)
    newcomer = role_user(Role.OFFICE, username="newcomer", two_factor_exempt=False)
    role_user(Role.READER, username="exempt")

    for n in range(10):
        Client(REMOTE_ADDR=f"203.0.113.{n}").post(
            LOGIN, {"username": "someone", "password": "wrong password"}
        )
    pages.add(
        "login-paused",
        Client().post(LOGIN, {"username": "someone", "password": PASSWORD}),
        "a username paused after guesses from many addresses",
        status=429,
    )

    client = Client()
    client.post(LOGIN, {"username": "newcomer", "password": PASSWORD})
    pages.add("two-factor-set-up", client.get(TWO_FACTOR), "required, no app yet")
    device = TOTPDevice.objects.get(user=newcomer)
    pages.add(
        "recovery-codes-first",
        client.post(TWO_FACTOR, {"action": "enrol", "code": code(device)}),
        "the app confirmed, the codes shown once",
    )
    pages.add("two-factor-with-app", client.get(TWO_FACTOR), "required, with an app")
    pages.add(
        "recovery-codes-new",
        client.post(TWO_FACTOR, {"action": "recovery_codes"}),
        "a new set of codes",
    )

    client.post(reverse("admin:logout"))
    client.post(LOGIN, {"username": "newcomer", "password": PASSWORD})
    pages.add(
        "login-code-error",
        client.post(LOGIN, {"step": "code", "code": "12ab"}),
        "the code step with a malformed code",
    )

    exempt = Client()
    exempt.post(LOGIN, {"username": "exempt", "password": PASSWORD})
    pages.add("two-factor-exempt", exempt.get(TWO_FACTOR), "let off, no app")

    check_pages(command, tmp_path, pages.written, ADMIN_WARNINGS)
