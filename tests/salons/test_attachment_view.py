"""The private attachment view, for each persona; and that no public URL reaches the files."""

from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.static import serve

from salons.services import save_attachment
from shakyo_portal.core.uploads import process_upload
from shakyo_portal.staff.roles import Role
from tests.factories import ActivityPlanFactory, ActivityReportFactory, role_user
from tests.salons import crafted
from tests.salons.crafted import upload

pytestmark = pytest.mark.django_db


def attach(*, plan=None, report=None, name="写真 1.jpg", data=None):
    processed = process_upload(upload(name, data or crafted.png() + crafted.HTML))
    return save_attachment(plan=plan, report=report, **processed.as_attachment_kwargs())


@pytest.fixture
def plan_file():
    # A PNG named .jpg with HTML after its end: stored as a clean PNG.
    return attach(plan=ActivityPlanFactory())


@pytest.fixture
def report_file():
    return attach(report=ActivityReportFactory(), name="実績報告.pdf", data=crafted.pdf())


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_is_sent_to_the_admin_login(resident, plan_file):
    url = plan_file.get_absolute_url()

    response = resident.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={quote(url)}"


def test_staff_without_permission_gets_the_same_404_as_for_nothing(staff, plan_file):
    assert staff.get(plan_file.get_absolute_url()).status_code == 404
    assert staff.get(reverse("salons:attachment", kwargs={"pk": 999_999})).status_code == 404


def test_a_non_staff_account_gets_404_even_with_a_role(plan_file):
    user = role_user(Role.READER, is_staff=False)
    assert not user.is_staff
    assert client_for(user).get(plan_file.get_absolute_url()).status_code == 404


def test_staff_who_may_view_plans_downloads_the_clean_file(plan_file):
    client = client_for(role_user(Role.READER))

    response = client.get(plan_file.get_absolute_url())

    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    with plan_file.file.open("rb") as stored:
        assert body == stored.read()
    assert body.startswith(b"\x89PNG")
    assert b"<script" not in body
    assert response["Content-Type"] == "image/png"
    # The name the organiser knows, with the extension of what is really inside.
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E5%86%99%E7%9C%9F%201.png"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert int(response["Content-Length"]) == plan_file.size


def test_a_district_officer_opens_the_files_of_their_own_districts_only(plan_file, report_file):
    """Every role that sees plans sees reports too; what divides staff is the 担当地区."""
    own = role_user(Role.DISTRICT, districts=[report_file.report.plan.district])
    client = client_for(own)

    response = client.get(report_file.get_absolute_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert plan_file.plan.district != report_file.report.plan.district
    assert client.get(plan_file.get_absolute_url()).status_code == 404


def test_superuser_opens_both(superuser, plan_file, report_file):
    assert superuser.get(plan_file.get_absolute_url()).status_code == 200
    assert superuser.get(report_file.get_absolute_url()).status_code == 200


def test_heic_downloads_as_jpg(superuser):
    try:
        source = crafted.heic_with_gps()
    except (OSError, ValueError, KeyError) as error:  # pragma: no cover - depends on libheif
        pytest.skip(f"pillow-heif cannot encode HEIC here ({error})")
    item = attach(plan=ActivityPlanFactory(), name="IMG_0002.HEIC", data=source)

    response = superuser.get(item.get_absolute_url())

    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'attachment; filename="IMG_0002.jpg"'


def test_missing_file_on_disk_is_404(superuser, plan_file):
    plan_file.file.storage.delete(plan_file.file.name)
    assert superuser.get(plan_file.get_absolute_url()).status_code == 404


def test_only_get_and_head(superuser, plan_file):
    assert superuser.head(plan_file.get_absolute_url()).status_code == 200
    assert superuser.post(plan_file.get_absolute_url()).status_code == 405


def test_files_live_outside_media_root_and_have_no_public_url(resident, superuser, plan_file):
    path = Path(plan_file.file.path).resolve()
    media_root = Path(settings.MEDIA_ROOT).resolve()
    private_root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()

    assert path.is_file()
    assert path.is_relative_to(private_root)
    assert not path.is_relative_to(media_root)
    for client in (resident, superuser):
        assert client.get(f"{settings.MEDIA_URL}{plan_file.file.name}").status_code == 404
        assert client.get(f"{settings.MEDIA_URL}{path.name}").status_code == 404


def test_the_development_media_server_does_not_find_them_either(plan_file):
    # `make run` (DEBUG) serves MEDIA_ROOT with this view; the private files are not in it.
    request = RequestFactory().get(f"{settings.MEDIA_URL}{plan_file.file.name}")
    for name in (plan_file.file.name, Path(plan_file.file.name).name):
        with pytest.raises(Http404):
            serve(request, name, document_root=settings.MEDIA_ROOT)
