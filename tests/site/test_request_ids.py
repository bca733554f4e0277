"""Every request has an id: on the response, on every log line written while
it runs, and on the 500 page as お問い合わせ番号. Refusals are logged with the
user who was refused."""

import logging
import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from shakyo_portal.core.requestids import RequestIdFilter
from tests.factories import (
    ActivityPlanFactory,
    OfficeFactory,
    SiteProfileFactory,
    UserFactory,
)

ID = re.compile(r"[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}")


class Captured(logging.Handler):
    """Records as the site's console handler sees them: through its filter."""

    def __init__(self):
        super().__init__()
        self.addFilter(RequestIdFilter())
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def site(db):
    return SiteProfileFactory(), OfficeFactory()


def capture(name=""):
    handler = Captured()
    logging.getLogger(name).addHandler(handler)
    return handler


def test_each_response_names_its_request_and_ids_differ(resident, site):
    first = resident.get("/")["X-Request-ID"]
    second = resident.get("/")["X-Request-ID"]
    assert ID.fullmatch(first) and ID.fullmatch(second)
    assert first != second


def test_a_proxys_id_is_kept_and_a_hostile_one_replaced(resident, site):
    assert resident.get("/", HTTP_X_REQUEST_ID="abcd-1234-ef")["X-Request-ID"] == "abcd-1234-ef"
    replaced = resident.get("/", HTTP_X_REQUEST_ID="<script>\n")["X-Request-ID"]
    assert ID.fullmatch(replaced)


@override_settings(ROOT_URLCONF="tests.test_shell")
def test_the_500_page_and_the_error_log_carry_the_same_id(site):
    handler = capture("django.request")
    try:
        response = Client(raise_request_exception=False).get("/boom/")
    finally:
        logging.getLogger("django.request").removeHandler(handler)
    request_id = response["X-Request-ID"]
    assert response.status_code == 500
    assert f'お問い合わせ番号 <strong class="request-id">{request_id}</strong>' in (
        response.content.decode()
    )
    errors = [r for r in handler.records if r.levelno >= logging.ERROR]
    assert errors and all(r.request_id == request_id for r in errors)


def test_log_lines_outside_a_request_say_so():
    handler = capture("shakyo_portal")
    try:
        logging.getLogger("shakyo_portal.test").warning("outside")
    finally:
        logging.getLogger("shakyo_portal").removeHandler(handler)
    assert handler.records[0].request_id == "-"


def test_a_refusal_is_logged_with_the_staff_member_refused(site):
    plan = ActivityPlanFactory()
    user = UserFactory(username="kanri", staff=True)
    client = Client()
    client.force_login(user)
    handler = capture("shakyo_portal.security")
    try:
        response = client.get(reverse("admin:salons_activityplan_change", args=[plan.pk]))
    finally:
        logging.getLogger("shakyo_portal.security").removeHandler(handler)
    assert response.status_code in (403, 404)
    lines = [r.getMessage() for r in handler.records]
    assert any("user=kanri" in line and str(response.status_code) in line for line in lines)
    assert all(r.request_id == response["X-Request-ID"] for r in handler.records)


def test_an_anonymous_refusal_says_anonymous(resident, site):
    handler = capture("shakyo_portal.security")
    try:
        resident.get("/salons/plans/999999/")
    finally:
        logging.getLogger("shakyo_portal.security").removeHandler(handler)
    assert any("user=anonymous" in r.getMessage() for r in handler.records)
