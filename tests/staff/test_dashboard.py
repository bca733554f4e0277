"""The admin's front page through the admin itself: each role sees the boxes
and numbers its rules allow, every link opens the admin list of exactly the
rows it counted, and the page's queries do not grow with the rows."""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from news.models import RegistrationStatus
from salons.models import PlanStatus, ReportStatus
from shakyo_portal.core.dates import format_date
from shakyo_portal.core.fiscal import current_fiscal_year, fiscal_year_label
from shakyo_portal.staff.roles import Role
from tests.factories import (
    ActivityLogFactory,
    ActivityPlanFactory,
    ActivityReportFactory,
    DistrictFactory,
    GrantProgramFactory,
    MeetingFactory,
    UserFactory,
    role_user,
)
from tests.news.factories import EventFactory, RegistrationFactory, days_from_now

INDEX = reverse("admin:index")
THIS_YEAR = current_fiscal_year()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def dashboard(response) -> str:
    """The boxes above the model list."""
    page = response.content.decode()
    start = page.index('class="dashboard-boxes"')
    return page[start : page.index('id="content-main"', start)]


def links(response) -> dict[str, str]:
    """{link text: address} of the dashboard's links."""
    found = re.findall(r'<a href="([^"]+)">([^<]+)</a>', dashboard(response))
    return {text: html.unescape(href) for href, text in found}


def listed(client, url) -> set[int]:
    """The primary keys an admin list shows (all on one page here)."""
    response = client.get(url)
    assert response.status_code == 200, url
    changelist = response.context["cl"]
    assert changelist.result_count == len(changelist.result_list)
    return {obj.pk for obj in changelist.result_list}


@pytest.fixture
def world(db):
    """Two districts' worth of work waiting, and some that is not."""
    mine = DistrictFactory(name="総社", slug="soja")
    other = DistrictFactory(name="清音", slug="kiyone")
    now_program = GrantProgramFactory(fiscal_year=THIS_YEAR)
    last_program = GrantProgramFactory(fiscal_year=THIS_YEAR - 1)
    next_program = GrantProgramFactory(fiscal_year=THIS_YEAR + 1)
    # Two years ago, with no reporting date entered: owed once its 年度 ended.
    undated_program = GrantProgramFactory(fiscal_year=THIS_YEAR - 2, report_due_on=None)

    def plan(district, status, program=now_program, **fields):
        return ActivityPlanFactory(
            salon__district=district, program=program, status=status, **fields
        )

    w = {"mine": mine, "other": other}
    w["received_mine"] = plan(mine, PlanStatus.RECEIVED)
    w["reviewing_mine"] = plan(mine, PlanStatus.REVIEWING)
    w["received_other"] = plan(other, PlanStatus.RECEIVED)
    plan(mine, PlanStatus.APPROVED, program=next_program)  # its 年度 has not come
    plan(mine, PlanStatus.APPROVED, requests_grant=False)  # no grant to settle
    w["due_mine"] = plan(mine, PlanStatus.APPROVED, program=last_program)
    w["due_other"] = [
        plan(other, PlanStatus.APPROVED, program=undated_program),
        plan(other, PlanStatus.APPROVED, program=undated_program),
    ]
    # This 年度's report is not owed before the program's reporting date.
    w["not_yet_due"] = plan(mine, PlanStatus.APPROVED)
    w["now_program"] = now_program
    ActivityReportFactory(plan=plan(mine, PlanStatus.APPROVED))  # handed in
    w["returned_mine"] = ActivityReportFactory(
        plan=plan(mine, PlanStatus.APPROVED), status=ReportStatus.RETURNED
    )

    today = timezone.localdate()
    w["meeting_soon"] = MeetingFactory(held_on=today + datetime.timedelta(days=3))
    w["meeting_later"] = MeetingFactory(held_on=today + datetime.timedelta(days=30))
    MeetingFactory(held_on=today + datetime.timedelta(days=31))
    MeetingFactory(held_on=today - datetime.timedelta(days=1))
    MeetingFactory(held_on=today, status="held")

    w["event"] = EventFactory(title="福祉まつり", signup=True, capacity=10)
    RegistrationFactory(event=w["event"], people=2)
    RegistrationFactory(event=w["event"])
    RegistrationFactory(event=w["event"], status=RegistrationStatus.WAITLISTED)
    RegistrationFactory(event=w["event"], status=RegistrationStatus.CANCELLED)
    w["event_open"] = EventFactory(title="健康体操", starts_at=days_from_now(20))
    EventFactory(title="来月の講演会", starts_at=days_from_now(40))
    EventFactory(title="先週の研修", past=True)

    w["logs"] = [
        ActivityLogFactory(date=today - datetime.timedelta(days=n), title=f"記録{n:02d}")
        for n in range(12)
    ]
    return w


def test_superuser_sees_every_box_with_every_districts_numbers(superuser, world):
    response = superuser.get(INDEX)

    assert response.status_code == 200
    found = links(response)
    assert "受付 2件" in found
    assert "審査中 1件" in found
    assert "審査を待つ活動計画書すべて（3件）" in found
    assert f"{fiscal_year_label(THIS_YEAR - 1)} 未提出 1件" in found
    assert f"{fiscal_year_label(THIS_YEAR - 2)} 未提出 2件" in found
    assert not any(text.startswith(f"{fiscal_year_label(THIS_YEAR)} 未提出") for text in found)
    assert f"{fiscal_year_label(THIS_YEAR)} 差戻し中 1件" in found
    assert "今後30日の会議すべて（2件）" in found
    assert "今後30日の行事すべて（2件）" in found
    assert "福祉まつり" in found
    # The log list shows the latest ten, newest first.
    logs = [text for text in found if text.startswith("記録")]
    assert logs == [f"記録{n:02d}" for n in range(10)]
    # Box headings and the audit box.
    text = dashboard(response)
    for heading in [
        "審査を待つ活動計画書",
        "実績報告の提出待ち",
        "今後30日の会議",
        "今後30日の行事",
        "コーディネーターの最近の活動記録",
        "監査・個人情報",
    ]:
        assert f">{heading}</h2>" in text
    assert "申込 3/10人" in text
    assert "申込不要" in text
    assert format_date(world["meeting_soon"].held_on) in text
    assert "先週の研修" not in text
    assert "来月の講演会" not in text


def test_each_link_lists_exactly_the_rows_it_counts(superuser, world):
    found = links(superuser.get(INDEX))
    w = world

    assert listed(superuser, found["受付 2件"]) == {w["received_mine"].pk, w["received_other"].pk}
    assert listed(superuser, found["審査中 1件"]) == {w["reviewing_mine"].pk}
    assert listed(superuser, found["審査を待つ活動計画書すべて（3件）"]) == {
        w["received_mine"].pk,
        w["received_other"].pk,
        w["reviewing_mine"].pk,
    }
    assert listed(superuser, found[f"{fiscal_year_label(THIS_YEAR - 1)} 未提出 1件"]) == {
        w["due_mine"].pk
    }
    assert listed(superuser, found[f"{fiscal_year_label(THIS_YEAR - 2)} 未提出 2件"]) == {
        plan.pk for plan in w["due_other"]
    }
    assert listed(superuser, found[f"{fiscal_year_label(THIS_YEAR)} 差戻し中 1件"]) == {
        w["returned_mine"].pk
    }
    assert listed(superuser, found["今後30日の会議すべて（2件）"]) == {
        w["meeting_soon"].pk,
        w["meeting_later"].pk,
    }
    assert listed(superuser, found["今後30日の行事すべて（2件）"]) == {
        w["event"].pk,
        w["event_open"].pk,
    }
    assert superuser.get(found["福祉まつり"]).status_code == 200
    assert superuser.get(found["活動記録の一覧へ"]).status_code == 200
    for label in ["変更・出力の記録（監査ログ）", "ログインの記録", "ログインの失敗"]:
        assert superuser.get(found[label]).status_code == 200


def test_this_years_report_is_owed_from_the_day_after_its_reporting_date(superuser, world):
    program = world["now_program"]
    label = f"{fiscal_year_label(THIS_YEAR)} 未提出 1件"
    program.report_due_on = timezone.localdate()
    program.save()
    assert label not in links(superuser.get(INDEX))
    program.report_due_on = timezone.localdate() - datetime.timedelta(days=1)
    program.save()
    found = links(superuser.get(INDEX))
    assert listed(superuser, found[label]) == {world["not_yet_due"].pk}


def test_district_officer_counts_only_their_districts(world):
    officer = client_for(role_user(Role.DISTRICT, districts=[world["mine"]]))

    response = officer.get(INDEX)

    found = links(response)
    assert "受付 1件" in found
    assert "審査を待つ活動計画書すべて（2件）" in found
    assert f"{fiscal_year_label(THIS_YEAR - 1)} 未提出 1件" in found
    assert f"{fiscal_year_label(THIS_YEAR)} 差戻し中 1件" in found
    # Another district's two plans are not theirs: no line for them at all.
    assert f"{fiscal_year_label(THIS_YEAR - 2)} 未提出 2件" not in found
    assert not any("未提出 2件" in text for text in found)
    assert listed(officer, found["受付 1件"]) == {world["received_mine"].pk}
    # Meetings, events and coordinators' logs are outside the role.
    text = dashboard(response)
    for heading in ["今後30日の会議", "今後30日の行事", "コーディネーターの最近の活動記録"]:
        assert heading not in text
    assert "監査・個人情報" not in text


def test_reader_sees_the_work_but_not_the_audit_box(world):
    reader = client_for(role_user(Role.READER))

    response = reader.get(INDEX)

    found = links(response)
    assert "審査を待つ活動計画書すべて（3件）" in found
    assert "今後30日の会議すべて（2件）" in found
    assert listed(reader, found["今後30日の行事すべて（2件）"]) == {
        world["event"].pk,
        world["event_open"].pk,
    }
    assert "監査・個人情報" not in dashboard(response)
    assert "変更・出力の記録（監査ログ）" not in found


def test_staff_without_a_role_sees_no_box(staff, world):
    response = staff.get(INDEX)

    assert response.status_code == 200
    assert "dashboard-boxes" not in response.content.decode()


def test_empty_boxes_say_so(db):
    office = client_for(role_user(Role.OFFICE))

    text = dashboard(office.get(INDEX))

    assert "審査を待つ活動計画書はありません。" in text
    assert "提出を待っている実績報告はありません。" in text
    assert "予定されている会議はありません。" in text
    assert "予定されている行事はありません。" in text
    assert "活動記録はまだありません。" in text


def test_queries_do_not_grow_with_the_rows(world, django_assert_max_num_queries):
    admin = client_for(UserFactory(username="boss", superuser=True))
    with CaptureQueriesContext(connection) as few:
        admin.get(INDEX)
    # Many more of everything the dashboard counts and lists.
    today = timezone.localdate()
    for n in range(15):
        ActivityPlanFactory(salon__district=world["other"], status=PlanStatus.RECEIVED)
        ActivityPlanFactory(salon__district=world["mine"], status=PlanStatus.APPROVED)
        MeetingFactory(held_on=today + datetime.timedelta(days=n % 30))
        event = EventFactory(signup=True, starts_at=days_from_now(n % 30 + 1))
        RegistrationFactory(event=event)
        ActivityLogFactory(date=today - datetime.timedelta(days=n))

    # The dashboard's own queries are 8: plans waiting, plans without a report,
    # reports returned, meetings (count, list), events (count, list), logs. The
    # rest are the session, the user, the admin's app list and the sidebar.
    with django_assert_max_num_queries(len(few)):
        response = admin.get(INDEX)
    assert "審査を待つ活動計画書すべて（18件）" in links(response)
