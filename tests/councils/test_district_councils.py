"""A district's page leads to its layer-2 council and its next meeting,
through the tag the councils app provides."""

import ast
import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from councils.models import MeetingStatus
from tests.factories import (
    CouncilFactory,
    DistrictFactory,
    LifeAreaFactory,
    MeetingFactory,
    OfficeFactory,
    SiteProfileFactory,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def kiyone(db):
    SiteProfileFactory()
    return DistrictFactory(name="清音", slug="kiyone", office=OfficeFactory())


def section(html):
    return html.split('id="councils-heading"', 1)[1].split("</section>", 1)[0]


def test_the_district_page_shows_its_council_and_next_meeting(resident, kiyone):
    today = timezone.localdate()
    council = CouncilFactory(
        name="清音中学校区 圏域地域包括ケア会議",
        nickname="いい輪ネットきよね",
        life_area=LifeAreaFactory(name="清音中学校区", districts=[kiyone]),
    )
    MeetingFactory(
        council=council,
        held_on=today + datetime.timedelta(days=1),
        status=MeetingStatus.CANCELLED,
        status_reason="雨",
    )
    meeting = MeetingFactory(council=council, held_on=today + datetime.timedelta(days=9))
    CouncilFactory(name="よその協議体")
    CouncilFactory(name="非公開の協議体", life_area=council.life_area, is_public=False)
    html = resident.get("/districts/kiyone/").content.decode()
    assert '<h2 id="councils-heading">この地区の協議体（話し合いの場）</h2>' in html
    councils = section(html)
    assert f'<a href="{council.get_absolute_url()}">いい輪ネットきよね' in councils
    assert "清音中学校区" in councils
    assert "原則毎月第3火曜日 10:00〜12:00" in councils
    # The next planned one, not the cancelled one before it.
    assert f'<a href="{meeting.get_absolute_url()}">{meeting.when}</a>' in councils
    assert "よその協議体" not in councils
    assert "非公開の協議体" not in councils
    assert 'href="/councils/"' in councils


def test_a_sub_district_shows_its_parents_council(resident, kiyone):
    sub = DistrictFactory(name="清音第1小地区", slug="kiyone-1", parent=kiyone)
    council = CouncilFactory(life_area=LifeAreaFactory(districts=[kiyone]))
    html = section(resident.get(sub.get_absolute_url()).content.decode())
    assert council.get_absolute_url() in html


def test_without_a_registered_meeting_the_rules_date_is_shown(resident, kiyone):
    council = CouncilFactory(life_area=LifeAreaFactory(districts=[kiyone]))
    expected = council.expected_dates(start=timezone.localdate(), count=1)[0]
    html = section(resident.get("/districts/kiyone/").content.decode())
    assert f"{expected.month}月{expected.day}日" in html
    assert "予定（目安）" in html


def test_a_district_without_a_council_says_so(resident, kiyone):
    html = section(resident.get("/districts/kiyone/").content.decode())
    assert "この地区を受け持つ協議体の情報は、まだ掲載していません。" in html
    assert 'href="/councils/"' in html
    # The districts' own empty states are not counted up by this section.
    assert "現在、掲載している情報はありません" not in html


def test_the_section_adds_at_most_two_queries(resident, kiyone, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        resident.get("/districts/kiyone/")
    area = LifeAreaFactory(districts=[kiyone])
    today = timezone.localdate()
    for n in range(30):
        council = CouncilFactory(life_area=area)
        for days in (2, 20, 40):
            MeetingFactory(council=council, held_on=today + datetime.timedelta(days=days + n))
    # The councils (with areas), and their next meetings.
    with django_assert_max_num_queries(len(before.captured_queries) + 1):
        html = resident.get("/districts/kiyone/").content.decode()
    assert section(html).count('class="card"') == 5


def imports_of(app):
    for path in (ROOT / app).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                yield path, [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                yield path, [node.module or ""]


@pytest.mark.parametrize(
    ("app", "forbidden"),
    [
        ("districts", "councils"),
        ("councils", "salons"),
        ("councils", "coordinators"),
        ("councils", "news"),
    ],
)
def test_imports_run_downward_only(app, forbidden):
    for path, names in imports_of(app):
        assert not any(name.split(".")[0] == forbidden for name in names), path
