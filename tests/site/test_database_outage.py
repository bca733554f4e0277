"""The database going away: every page answers 503 with Retry-After and the
Japanese 「一時的に表示できません」 page, which still shows the emergency notice
and the office's phone (kept in the cache while the database was up); the
static files are served as before; a bug in a query is still a 500."""

import pytest
from django.db import OperationalError, ProgrammingError, connection
from django.test import Client
from django.utils import timezone

from shakyo_portal.core.models import EmergencyNotice
from shakyo_portal.public import outage
from tests.factories import OfficeFactory, SiteProfileFactory


@pytest.fixture
def site(db, settings):
    # These pages are built during the outage; a page kept before it is served
    # from the cache instead (the last test), so nothing is kept here.
    settings.PAGE_CACHE = False
    SiteProfileFactory()
    OfficeFactory(name="総社市社会福祉協議会", phone="0866-92-8552")
    EmergencyNotice.objects.create(
        title="災害ボランティアセンターを開設しました",
        body="受付は総合福祉センターです。",
        starts_at=timezone.now() - timezone.timedelta(hours=1),
    )
    # A page read while the database was up keeps the copy the 503 page shows.
    outage.forget()
    assert Client().get("/").status_code == 200


def failing(error):
    def wrapper(execute, sql, params, many, context):
        raise error

    return wrapper


def test_every_page_is_a_503_with_the_notice_and_the_phone(site):
    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(failing(OperationalError("server closed the connection"))):
        for url in ["/", "/salons/", "/news/", "/contact/"]:
            response = client.get(url)
            assert response.status_code == 503, url
            assert response["Retry-After"] == "60"
            assert response["Cache-Control"] == "no-store"
            page = response.content.decode()
            assert "<h1>一時的に表示できません</h1>" in page
            assert "災害ボランティアセンターを開設しました" in page
            assert 'href="tel:0866-92-8552"' in page
            assert response["X-Request-ID"] in page


def test_a_notice_whose_end_passed_during_the_outage_is_not_shown(site):
    # The copy keeps each notice's end, so one scheduled to end while the
    # database is away leaves the 503 page when its time comes.
    ended = EmergencyNotice.objects.get()
    ended.ends_at = timezone.now() - timezone.timedelta(minutes=1)
    outage.remember(notices=[ended], offices=[])
    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(failing(OperationalError("gone"))):
        page = client.get("/").content.decode()
    assert "災害ボランティアセンター" not in page


def test_static_files_are_served_while_the_database_is_away(site):
    client = Client(raise_request_exception=False)
    html = client.get("/").content.decode()
    stylesheet = html.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    with connection.execute_wrapper(failing(OperationalError("gone"))):
        response = client.get(stylesheet)
    assert response.status_code == 200


def test_a_bug_in_a_query_is_still_a_500(site):
    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(failing(ProgrammingError("no such column"))):
        response = client.get("/")
    assert response.status_code == 500
    assert "Retry-After" not in response


@pytest.mark.django_db(transaction=True)
def test_a_real_lost_connection_is_a_503(site):
    if connection.vendor != "postgresql":
        pytest.skip(
            "an in-memory SQLite database cannot be disconnected; the wrapper tests cover it"
        )
    saved = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "6399"  # nothing listens here
    try:
        response = Client(raise_request_exception=False).get("/")
    finally:
        connection.close()
        connection.settings_dict["PORT"] = saved
    assert response.status_code == 503
    assert "災害ボランティアセンターを開設しました" in response.content.decode()


def test_a_page_kept_before_the_outage_is_still_served_during_it(site, settings):
    """On a disaster day the database may fall over under the load; the pages
    residents already opened keep coming from the cache until its minute ends."""
    settings.PAGE_CACHE = True
    assert Client().get("/")["X-Page-Cache"] == "miss"
    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(failing(OperationalError("server closed the connection"))):
        kept = client.get("/")
        never_kept = client.get("/contact/")
    assert kept.status_code == 200
    assert kept["X-Page-Cache"] == "hit"
    assert "災害ボランティアセンターを開設しました" in kept.content.decode()
    assert never_kept.status_code == 503
