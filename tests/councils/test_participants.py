"""Who took part in a meeting: members and guests in the order staff give,
words as typed; a member by its organisation only (as on the council page the
representative's name needs consent, and a meeting page never names them), a
guest's name only where staff publish it."""

import pytest
from django.urls import reverse

from councils.models import Meeting, MeetingParticipant
from tests.councils.scenario import HIDDEN_NAME, SECRET, build_known_in_part
from tests.councils.test_admin import meeting_form, with_participants
from tests.factories import CouncilFactory, CouncilMemberFactory


@pytest.fixture
def part(db):
    return build_known_in_part()


def participants_section(html):
    return html.split('id="participants-heading"', 1)[1].split("</section>", 1)[0]


def test_participants_show_in_staffs_order_as_typed(resident, part):
    html = participants_section(resident.get(part.exact.get_absolute_url()).content.decode())
    items = [item.split("</li>", 1)[0] for item in html.split("<li>")[1:]]
    assert items == [
        '老人クラブ<span class="muted">（代理出席）</span>',
        '移動販売 まるやま<span class="muted">（移動販売の事業者）</span>',
        "報告会地区社協",
        "講師",
        '構成員以外の参加者<span class="muted">（氏名は掲載していません）</span>',
    ]
    assert "<h3>そのほかの参加者</h3>" in html and "<p>地域住民 10人ほど</p>" in html


def test_names_nobody_published_never_show(resident, part):
    html = resident.get(part.exact.get_absolute_url()).content.decode()
    assert SECRET not in html  # the unpublished guests
    assert HIDDEN_NAME not in html  # a member's representative without consent
    assert "同意済 公子" not in html  # nor one with it: a meeting lists organisations
    search = resident.get("/search/", {"q": "非公開 講師"}).content.decode()
    assert SECRET not in search


def test_publishing_a_guests_name_shows_it(resident, part):
    guest = MeetingParticipant.objects.get(affiliation="講師")
    guest.name, guest.publish_name = "山田 講師", True
    guest.save()
    html = participants_section(resident.get(part.exact.get_absolute_url()).content.decode())
    assert '<li>山田 講師<span class="muted">（講師）</span></li>' in html


@pytest.fixture
def council(db):
    council = CouncilFactory(slug="sanka")
    CouncilMemberFactory(council=council, organisation="地区社協A", display_order=1)
    CouncilMemberFactory(council=council, organisation="地区社協B", display_order=2)
    return council


def test_staff_add_members_and_guests_in_their_order(superuser, council):
    a, b = council.members.all()
    data = with_participants(
        meeting_form(council),
        (b.pk, "", "", False),
        ("", "総社市長寿介護課", "オブザーバー", True),
        (a.pk, "", "代理出席", False),
        ("", "", "地域住民", False),
    )
    response = superuser.post(reverse("admin:councils_meeting_add"), data)
    assert response.status_code == 302, response.content.decode()
    meeting = Meeting.objects.get()
    assert [str(p) for p in meeting.participants.all()] == [
        "地区社協B",
        "総社市長寿介護課",
        "地区社協A",
        "地域住民",
    ]
    html = participants_section(superuser.get(meeting.get_absolute_url()).content.decode())
    assert html.index("地区社協B") < html.index("総社市長寿介護課") < html.index("地区社協A")


MEMBER_WITH_A_NAME = "構成員を選んだときは、氏名・名称の欄は空欄にしてください"
NOBODY = "構成員を選ぶか、構成員以外の参加者の氏名・名称か所属・立場を入力してください。"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("member", "山田 太郎", "", False), MEMBER_WITH_A_NAME),
        (("", "", "", False), NOBODY),
        (("", "", "講師", True), "公開する氏名・名称を入力してください。"),
    ],
)
def test_a_participant_row_that_says_nobody_is_refused(superuser, council, row, message):
    member = council.members.first()
    row = (member.pk if row[0] == "member" else "", *row[1:])
    data = with_participants(meeting_form(council, title="残したい会議名"), row)
    response = superuser.post(reverse("admin:councils_meeting_add"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'value="残したい会議名"' in html  # nothing typed is lost
    assert not Meeting.objects.exists()


def test_a_member_ticked_twice_is_refused(superuser, council):
    member = council.members.first()
    data = with_participants(
        meeting_form(council), (member.pk, "", "", False), (member.pk, "", "", False)
    )
    response = superuser.post(reverse("admin:councils_meeting_add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "同じ構成員が2回選ばれています。" in html
    assert not Meeting.objects.exists()


def test_a_guests_name_can_be_erased_on_request(superuser, part):
    from shakyo_portal.core import declarations

    kind = next(
        k
        for k in declarations.collect("PERSONAL_DATA")
        if k.model_label == "councils.meetingparticipant"
    )
    guest = MeetingParticipant.objects.get(affiliation="移動販売の事業者")
    for name, value in kind.erased.items():
        setattr(guest, name, value)
    guest.full_clean()
    guest.save()
    assert "移動販売 まるやま" not in superuser.get(part.exact.get_absolute_url()).content.decode()
