"""A 地区担当 reaches their districts' rows only, and a コーディネーター writes
only their own logs: in lists, searches, exports, forms, actions and by
guessing an id."""

import csv
import io

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from coordinators.models import ActivityLog
from districts.models import WelfareCommitteeMember
from shakyo_portal.staff.roles import Role
from tests.factories import (
    ActivityLogFactory,
    ActivityPlanFactory,
    CoordinatorFactory,
    DistrictFactory,
    WelfareCommitteeMemberFactory,
    role_user,
)

MEMBERS = "admin:districts_welfarecommitteemember_changelist"


def member_url(member, view="change"):
    return reverse(f"admin:districts_welfarecommitteemember_{view}", args=[member.pk])


@pytest.fixture
def districts(db):
    return DistrictFactory(name="北地区", slug="kita"), DistrictFactory(
        name="南地区", slug="minami"
    )


@pytest.fixture
def members(districts):
    north, south = districts
    return (
        WelfareCommitteeMemberFactory(name="北野 花子", district=north),
        WelfareCommitteeMemberFactory(name="南田 次郎", district=south),
    )


@pytest.fixture
def north_staff(districts):
    user = role_user(Role.DISTRICT, districts=[districts[0]], username="kita-tanto")
    client = Client()
    client.force_login(user)
    return client


def csv_rows(response):
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def test_lists_and_searches_show_only_the_assigned_district(north_staff, members):
    page = north_staff.get(reverse(MEMBERS)).content.decode()
    assert "北野 花子" in page and "南田 次郎" not in page
    found = north_staff.get(reverse(MEMBERS), {"q": "南田"}).content.decode()
    assert "北野 花子" not in found and "南田 次郎" not in found


def test_another_districts_member_cannot_be_reached_by_its_id(north_staff, members):
    south_member = members[1]
    for view in ("change", "delete", "history"):
        response = north_staff.get(member_url(south_member, view))
        # The admin answers as if the row did not exist: nothing of it is shown.
        assert response.status_code in (302, 403, 404), view
        assert "南田" not in response.content.decode()
    response = north_staff.post(member_url(south_member), {"name": "書き換え"})
    assert response.status_code in (302, 403, 404)
    south_member.refresh_from_db()
    assert south_member.name == "南田 次郎"


def test_a_member_cannot_be_moved_into_another_district(north_staff, members, districts):
    member = members[0]
    page = north_staff.get(member_url(member)).content.decode()
    assert "南地区" not in page  # not even offered as a choice
    response = north_staff.post(
        member_url(member),
        {
            "name": member.name,
            "reading": member.reading,
            "district": districts[1].pk,
            "role": "member",
            "term_start": "2020-04-01",
        },
    )
    assert response.status_code == 200
    assert "正しく選択してください" in response.content.decode()
    member.refresh_from_db()
    assert member.district == districts[0]


def test_export_holds_only_the_assigned_district_and_is_logged(north_staff, members):
    everyone = [str(pk) for pk in WelfareCommitteeMember.objects.values_list("pk", flat=True)]
    # A hand-made POST naming the other district's member too, and "select
    # across" everything: the file holds their own district's member only.
    response = north_staff.post(
        reverse(MEMBERS),
        {"action": "export_csv", "_selected_action": everyone, "select_across": "1"},
    )
    rows = csv_rows(response)
    assert [row[1] for row in rows[1:]] == ["北野 花子"]
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).latest("timestamp")
    assert entry.actor.username == "kita-tanto"
    assert entry.additional_data["pks"] == [str(members[0].pk)]


def test_plans_of_other_districts_do_not_appear(north_staff, districts):
    mine = ActivityPlanFactory(district=districts[0], representative_name="北の代表")
    other = ActivityPlanFactory(district=districts[1], representative_name="南の代表")
    page = north_staff.get(reverse("admin:salons_activityplan_changelist")).content.decode()
    assert mine.display_salon_name in page or "北の代表" in page
    response = north_staff.get(reverse("admin:salons_activityplan_change", args=[other.pk]))
    assert response.status_code == 302


def test_a_coordinator_reads_every_log_and_writes_only_their_own(db):
    me = role_user(Role.COORDINATOR, username="coord-me")
    mine = ActivityLogFactory(coordinator=CoordinatorFactory(user=me), title="自分の記録")
    theirs = ActivityLogFactory(title="同僚の記録")
    client = Client()
    client.force_login(me)
    page = client.get(reverse("admin:coordinators_activitylog_change", args=[theirs.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    own = client.get(reverse("admin:coordinators_activitylog_change", args=[mine.pk]))
    assert 'name="_save"' in own.content.decode()
    # Deleting a selection that includes a colleague's log is refused whole.
    response = client.post(
        reverse("admin:coordinators_activitylog_changelist"),
        {"action": "delete_selected", "_selected_action": [mine.pk, theirs.pk], "post": "yes"},
        follow=True,
    )
    assert "権限のない記録" in response.content.decode()
    assert ActivityLog.objects.filter(pk__in=[mine.pk, theirs.pk]).count() == 2


def test_a_reader_never_exports_personal_data(db, members):
    reader = role_user(Role.READER, username="yomu")
    client = Client()
    client.force_login(reader)
    page = client.get(reverse(MEMBERS)).content.decode()
    assert "北野 花子" in page and 'value="export_csv"' not in page
    response = client.post(
        reverse(MEMBERS),
        {"action": "export_csv", "_selected_action": [members[0].pk]},
        follow=True,
    )
    assert "text/csv" not in response["Content-Type"]
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()
