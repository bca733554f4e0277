"""A body over the site's limit is refused from its Content-Length before it is
read, and a NUL character never reaches the database (PostgreSQL answers a
NUL in a text comparison with an error, which was a 500 in the admin)."""

import logging
from urllib.parse import quote, urlencode

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import ActivityPlanFactory


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


@override_settings(MAX_REQUEST_BYTES=1024 * 1024)
def test_a_body_over_the_limit_is_refused_unread_with_a_japanese_page(client, db, caplog):
    request = client.request(
        REQUEST_METHOD="POST",
        PATH_INFO=reverse("salons:plan_new"),
        CONTENT_TYPE="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(312 * 1024 * 1024),
        **{"wsgi.input": UnreadableBody()},
    )
    assert request.status_code == 413
    page = request.content.decode()
    assert "送信された内容が大きすぎます" in page
    assert "1MBまで" in page
    assert page.count("<h1") == 1
    assert any("Content-Length" in r.getMessage() for r in caplog.records)


@override_settings(MAX_REQUEST_BYTES=1024 * 1024)
def test_a_body_within_the_limit_goes_through(client, db):
    response = client.post(reverse("search"), {"q": "サロン"})
    # The search answers GET only: the guard let the POST reach the view.
    assert response.status_code == 405


def test_a_nonsense_content_length_is_refused(client, db):
    response = client.generic("POST", reverse("search"), b"", CONTENT_LENGTH="lots")
    assert response.status_code == 413


@pytest.mark.parametrize(
    "url",
    [
        "/admin/salons/activityplan/?status__exact=%00",
        "/admin/salons/activityplan/?channel__exact=%00",
        "/admin/news/event/?status__exact=%00",
        "/admin/salons/activityplan/?q=a%00b",
        "/admin/salons/activityplan/?fiscal%00_year=1",
    ],
)
def test_a_nul_in_an_admin_filter_never_reaches_the_database(superuser, url):
    ActivityPlanFactory()
    # PostgreSQL answers a NUL in a comparison with an error: this was a 500.
    assert superuser.get(url).status_code in (200, 302)


def test_a_nul_is_dropped_and_the_rest_of_the_query_kept(superuser):
    plan = ActivityPlanFactory(salon__name="いきいきサロン")
    listing = superuser.get(f"/admin/salons/activityplan/?q=%00{quote('いきいき')}%00")
    assert listing.status_code == 200
    assert [row.pk for row in listing.context["cl"].result_list] == [plan.pk]


def test_a_nul_in_the_path_is_a_japanese_400(resident, db, caplog):
    caplog.set_level(logging.WARNING, logger="shakyo_portal.security")
    response = resident.get("/salons/plans/resume/ab%00cd/")
    assert response.status_code == 400
    assert "使えない文字" in response.content.decode()
    assert any("NUL" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("encoded", [True, False])
def test_a_nul_in_a_posted_form_is_dropped(superuser, encoded):
    plan = ActivityPlanFactory()
    url = reverse("admin:salons_activityplan_changelist")
    data = {"action": "export_csv", "_selected_action": f"{plan.pk}\x00"}
    if encoded:
        response = superuser.post(
            url, urlencode(data), content_type="application/x-www-form-urlencoded"
        )
    else:
        response = superuser.post(url, data)
    # The plan chosen is exported; "1\x00" as a primary key was a 500.
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")


def test_the_same_filters_without_nul_still_work(superuser):
    ActivityPlanFactory()
    assert superuser.get("/admin/salons/activityplan/?status__exact=draft").status_code == 200
