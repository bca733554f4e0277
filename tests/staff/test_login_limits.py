"""Guessing one staff member's password from many addresses: axes locks a
username only at one address, so failures are also counted per username
across all of them, and too many pause that username for a few minutes.

The pause is timed by login_limits.now, which these tests move forward
instead of sleeping."""

import logging
import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from shakyo_portal.backoffice import login_limits
from shakyo_portal.core import ratelimit
from shakyo_portal.staff.roles import Role
from tests.factories import role_user

PASSWORD = "correct horse battery staple"
LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
PAUSED = "いろいろな場所からのログインの失敗が続いているため"
UNREACHABLE = {
    "default": {
        "BACKEND": "shakyo_portal.core.rediscache.RedisCache",
        "LOCATION": "redis://127.0.0.1:6390/9",
    }
}


class Clock:
    def __init__(self):
        self.time = 1_800_000_000.0

    def __call__(self):
        return self.time

    def advance(self, seconds):
        self.time += seconds


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(login_limits, "now", clock)
    # Outage state and the per-process pauses start empty in each test.
    monkeypatch.setattr(ratelimit, "local_counts", ratelimit.LocalCounts())
    monkeypatch.setattr(login_limits, "_local", login_limits._LocalPauses())
    return clock


@pytest.fixture
def clerk(db):
    return role_user(Role.OFFICE, username="clerk")


def address(n: int) -> Client:
    return Client(REMOTE_ADDR=f"203.0.113.{n}")


def attempt(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def guess_from_many(username, addresses=range(1, 21)):
    """One wrong password from each address: never enough for axes at any one."""
    return [attempt(address(n), username, "wrong password").status_code for n in addresses]


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_twenty_addresses_then_the_right_password_from_a_21st_is_refused(clerk):
    statuses = guess_from_many("clerk")
    # The tenth failure starts the pause; the rest are not even checked.
    assert statuses == [200] * 9 + [429] * 11

    last = address(21)
    response = attempt(last, "clerk", PASSWORD)
    html = response.content.decode()
    assert response.status_code == 429 and not logged_in(last)
    assert PAUSED in html and "3分ほどたってから" in html
    assert 'role="alert"' in html and 'name="username" value="clerk"' in html
    assert last.get(INDEX).status_code == 302


def test_after_the_pause_the_right_password_logs_in(clerk, clock):
    guess_from_many("clerk")
    clock.advance(3 * 60 - 1)
    assert attempt(address(21), "clerk", PASSWORD).status_code == 429

    clock.advance(1)
    last = address(21)
    response = attempt(last, "clerk", PASSWORD)
    assert response.status_code == 302 and response["Location"] == INDEX
    assert logged_in(last)


def test_the_pause_grows_while_the_guessing_goes_on_but_stays_short(clerk, clock):
    guess_from_many("clerk", range(1, 11))
    pauses = []
    for n in range(11, 17):
        left = login_limits.seconds_left("clerk")
        pauses.append(left)
        clock.advance(left)
        # One more failure right after a pause starts the next, longer one.
        assert attempt(address(n), "clerk", "wrong password").status_code == 429
    pauses.append(login_limits.seconds_left("clerk"))
    assert pauses == [180, 360, 720, 900, 900, 900, 900]


def test_unknown_usernames_get_the_same_answers(clerk, clock):
    def answers(username):
        statuses = guess_from_many(username)
        response = attempt(address(21), username, PASSWORD)
        page = response.content.decode().replace(username, "?")
        return statuses, response.status_code, re.sub(r'value="[A-Za-z0-9]{64}"', "", page)

    real = answers("clerk")
    clock.advance(3600)
    unknown = answers("nobody")
    assert real[:2] == unknown[:2]
    assert real[2] == unknown[2] and PAUSED in unknown[2]


def test_a_pause_is_for_that_username_only(clerk):
    role_user(Role.READER, username="reader")
    guess_from_many("clerk")
    other = address(21)
    assert attempt(other, "reader", PASSWORD)["Location"] == INDEX


def test_the_staff_members_own_browser_is_not_kept_out(clerk):
    desk = address(99)
    assert attempt(desk, "clerk", PASSWORD).status_code == 302
    desk.post(reverse("admin:logout"))

    guess_from_many("clerk")
    assert attempt(address(21), "clerk", PASSWORD).status_code == 429
    # A mistype at the desk is only a wrong password there, not the pause page.
    response = attempt(desk, "clerk", "wrong password")
    assert response.status_code == 200 and PAUSED not in response.content.decode()
    assert attempt(desk, "clerk", PASSWORD)["Location"] == INDEX


def test_a_made_up_known_browser_cookie_does_not_help(clerk):
    guess_from_many("clerk")
    forger = address(21)
    forger.cookies[login_limits.KNOWN_COOKIE] = "not-signed"
    assert attempt(forger, "clerk", PASSWORD).status_code == 429


def test_fewer_failures_than_the_limit_pause_nothing(clerk):
    guess_from_many("clerk", range(1, 10))
    assert attempt(address(21), "clerk", PASSWORD)["Location"] == INDEX


def test_case_and_width_do_not_make_a_new_username(clerk):
    variants = ["clerk", "Clerk", "CLERK", "ｃｌｅｒｋ", " clerk"]
    for n in range(1, 11):
        attempt(address(n), variants[n % len(variants)], "wrong password")
    assert attempt(address(21), "clerk", PASSWORD).status_code == 429


def test_the_pause_is_logged_for_the_staff_who_watch_the_logs(clerk, caplog):
    caplog.set_level(logging.WARNING, logger="shakyo_portal.security")
    guess_from_many("clerk", range(1, 11))
    assert any("Staff login paused" in r.getMessage() for r in caplog.records)


@override_settings(CACHES=UNREACHABLE)
def test_guessing_is_still_paused_while_the_cache_is_down(clerk):
    assert guess_from_many("clerk") == [200] * 9 + [429] * 11
    assert attempt(address(21), "clerk", PASSWORD).status_code == 429
