"""The members of a council, for 会議を追加 to offer before the meeting is
saved: the admin's JSON endpoint answers only what the user may see."""

import pytest
from django.test import Client
from django.urls import reverse

from shakyo_portal.staff.roles import Role
from tests.factories import (
    CoordinatorFactory,
    CouncilFactory,
    CouncilMemberFactory,
    LifeAreaFactory,
    role_user,
)

URL = "/admin/councils/meeting/council-members/"


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def councils(db):
    mine, other = LifeAreaFactory(), LifeAreaFactory()
    council = CouncilFactory(life_area=mine)
    CouncilMemberFactory(
        council=council,
        organisation="二番目の団体",
        role="local",
        display_order=2,
        representative_name="同意なし 代表",
    )
    CouncilMemberFactory(
        council=council, organisation="一番目の団体", role="local", display_order=1
    )
    CouncilMemberFactory(council=council, organisation="つなぐ団体", role="connecting")
    elsewhere = CouncilFactory(life_area=other)
    CouncilMemberFactory(council=elsewhere, organisation="よその団体")
    return {"mine": council, "elsewhere": elsewhere, "area": mine}


def test_the_endpoint_is_the_admins_own(db):
    assert reverse("admin:councils_meeting_council_members") == URL


def test_office_staff_get_a_councils_members_in_the_choosers_order(superuser, councils):
    response = superuser.get(URL, {"council": councils["mine"].pk})
    assert response.status_code == 200
    labels = [member["label"] for member in response.json()["members"]]
    assert labels == [
        "つなぐ団体（つなぐ活動者）",
        "一番目の団体（地域の活動者）",
        "二番目の団体（地域の活動者）",
    ]
    assert "同意なし 代表" not in response.content.decode()


def test_a_coordinator_gets_only_the_councils_of_their_areas(councils):
    user = role_user(Role.COORDINATOR, username="coord")
    CoordinatorFactory(user=user, life_areas=[councils["area"]])
    client = client_for(user)
    response = client.get(URL, {"council": councils["mine"].pk})
    assert response.status_code == 200
    assert len(response.json()["members"]) == 3
    response = client.get(URL, {"council": councils["elsewhere"].pk})
    assert response.status_code == 403
    assert "よその団体" not in response.content.decode()


def test_a_reader_who_cannot_add_meetings_gets_nothing(councils):
    client = client_for(role_user(Role.READER, username="reader"))
    response = client.get(URL, {"council": councils["mine"].pk})
    assert response.status_code == 403
    assert "団体" not in response.content.decode()


@pytest.mark.parametrize("value", ["", "abc", "１", "-1", "99999999", "9" * 40])
def test_a_council_that_is_not_one_gets_a_refusal_not_an_error(superuser, councils, value):
    response = superuser.get(URL, {"council": value})
    assert response.status_code == 403
    assert response.json()["error"]


def test_anyone_signed_out_is_sent_to_log_in(resident, councils):
    response = resident.get(URL, {"council": councils["mine"].pk})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_add_page_carries_the_endpoint_and_the_script(superuser, councils):
    html = superuser.get(reverse("admin:councils_meeting_add")).content.decode()
    assert f'data-members-url="{URL}"' in html
    assert "js/meeting-participants.js" in html


def test_the_council_box_finds_councils_as_staff_type(superuser, councils):
    response = superuser.get(
        "/admin/autocomplete/",
        {"app_label": "councils", "model_name": "meeting", "field_name": "council", "term": ""},
    )
    assert response.status_code == 200
    assert len(response.json()["results"]) == 2


def test_the_postponed_to_box_finds_meetings(superuser, councils):
    from tests.factories import MeetingFactory

    MeetingFactory(council=councils["mine"])
    response = superuser.get(
        "/admin/autocomplete/",
        {"app_label": "councils", "model_name": "meeting", "field_name": "replaced_by"},
    )
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1
