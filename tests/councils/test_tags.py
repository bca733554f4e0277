"""{% coming_meetings %}: each public council's next date, for the home page."""

import datetime

from django.template import Context, Template
from django.utils import timezone

from councils.models import MeetingFormat, MeetingStatus
from tests.factories import CouncilFactory, MeetingFactory


def render(shown=""):
    return Template(f"{{% load councils %}}{{% coming_meetings {shown} %}}").render(Context())


def test_lists_each_councils_next_planned_meeting_as_the_council_list_does(
    db, django_assert_num_queries
):
    today = timezone.localdate()
    council = CouncilFactory(nickname="いい輪ネットきよね")
    later = MeetingFactory(council=council, held_on=today + datetime.timedelta(days=9))
    sooner = MeetingFactory(
        council=council, held_on=today + datetime.timedelta(days=2), format=MeetingFormat.ONLINE
    )
    MeetingFactory(
        council=council,
        held_on=today + datetime.timedelta(days=1),
        status=MeetingStatus.CANCELLED,
        status_reason="雨",
        title="中止になった会議",
    )
    MeetingFactory(council=council, held_on=today - datetime.timedelta(days=1), title="昨日の会議")
    MeetingFactory(
        council=CouncilFactory(is_public=False),
        held_on=today + datetime.timedelta(days=3),
        title="非公開の会議",
    )
    other = MeetingFactory(held_on=today + datetime.timedelta(days=5))
    with django_assert_num_queries(2):
        html = render()
    # The council's next meeting, as /councils/ names it; its later one is on its page.
    assert sooner.get_absolute_url() in html and later.get_absolute_url() not in html
    assert html.index(sooner.get_absolute_url()) < html.index(other.get_absolute_url())
    assert "（オンライン）" in html
    assert "いい輪ネットきよね" in html
    for hidden in ["中止になった会議", "昨日の会議", "非公開の会議"]:
        assert hidden not in html
    assert other.get_absolute_url() not in render(1)


def test_says_so_when_nothing_is_planned(db):
    assert "予定している協議体の会議はありません。" in render()


def test_the_home_page_section_costs_two_queries_however_many_councils_and_meetings(
    db, django_assert_num_queries
):
    today = timezone.localdate()

    def make(n):
        for i in range(n):
            council = CouncilFactory()
            for days in (1, 30, 60, 90, -10):
                MeetingFactory(council=council, held_on=today + datetime.timedelta(days=days + i))

    make(2)
    # the councils with their offices, then their next meetings
    with django_assert_num_queries(2):
        render()
    make(25)
    with django_assert_num_queries(2):
        html = render()
    assert html.count("<li>") == 5
