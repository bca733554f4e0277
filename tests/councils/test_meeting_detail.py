"""A meeting's page, whatever became of the meeting, and its materials."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from councils.models import MeetingMaterial, MeetingParticipant, MeetingStatus
from tests.councils.scenario import HIDDEN_NAME, SECRET, build_councils
from tests.factories import (
    AgendaItemFactory,
    CouncilMemberFactory,
    MeetingFactory,
)
from tests.salons.crafted import pdf


@pytest.fixture
def world(db):
    return build_councils()


def test_a_held_meeting_shows_participants_agenda_minutes_and_materials(resident, world):
    meeting = world.past["held"]
    html = resident.get(meeting.get_absolute_url()).content.decode()
    assert f"<h1>{meeting.label}" in html
    assert "いい輪ネットきよね（清音中学校区 圏域地域包括ケア会議）" in html
    assert meeting.when in html
    assert "参加者数：18人" in html
    assert "<li>清音地区社協</li>" in html and "<li>生活協同組合</li>" in html
    assert "民生委員児童委員協議会" not in html  # did not attend
    assert "山﨑 花子" not in html  # attendees are organisations only
    assert "市長寿介護課、地域住民" in html
    assert html.index("見守り活動の報告") < html.index("買い物支援</li>")
    assert "報告</span>見守り活動の報告" in html
    assert "<p>買い物支援について話し合いました。</p>" in html
    material = meeting.materials.get()
    assert f'href="/councils/kiyone-chu/meetings/{meeting.pk}/materials/{material.pk}/"' in html
    assert "会議次第" in html and "（PDF・" in html
    assert "この会議は" not in html  # no notice for an ordinary meeting


def test_a_cancelled_meeting_says_so_first_with_reason_and_replacement(resident, world):
    html = resident.get(world.past["cancelled"].get_absolute_url()).content.decode()
    notice = html.split('class="council-notice"', 1)[1].split("</div>", 1)[0]
    assert "この会議は中止になりました。" in notice
    assert "理由：台風の接近のため" in notice
    assert "代わりに行ったこと：資料を郵送し、書面でご意見をいただきました。" in notice
    assert html.index("council-notice") < html.index('id="when-heading"')
    assert "予定していた内容" in html


def test_a_postponed_meeting_links_to_its_replacement_and_back(resident, world):
    postponed, later = world.past["postponed"], world.coming
    html = resident.get(postponed.get_absolute_url()).content.decode()
    assert "この会議は延期になりました。" in html
    assert "理由：会場の点検のため" in html
    assert f'延期後の日程：<a href="{later.get_absolute_url()}">{later.when}' in html
    html = resident.get(later.get_absolute_url()).content.decode()
    assert f'延期になった<a href="{postponed.get_absolute_url()}">' in html


def test_a_postponed_meeting_without_a_new_date_says_it_will_follow(resident, world):
    meeting = MeetingFactory(
        council=world.local,
        held_on=datetime.date(2026, 2, 1),
        status=MeetingStatus.POSTPONED,
        status_reason="大雪",
    )
    html = resident.get(meeting.get_absolute_url()).content.decode()
    assert "延期後の日程は、決まりしだいお知らせします。" in html


def test_a_written_meeting_says_it_was_held_on_paper(resident, world):
    meeting = world.past["written"]
    html = resident.get(meeting.get_absolute_url()).content.decode()
    assert "この会議は書面で開催しました" in html
    assert "資料を郵送し、書面でご意見をいただきました。" in html
    assert "<dt>開催方法</dt><dd>書面開催</dd>" in html
    assert meeting.when in html and "00〜" not in meeting.when


def test_staff_notes_and_unconsented_names_never_show(resident, world):
    for meeting in [*world.past.values(), world.coming]:
        html = resident.get(meeting.get_absolute_url()).content.decode()
        assert SECRET not in html, meeting
        assert HIDDEN_NAME not in html, meeting


@pytest.mark.parametrize(
    "path",
    [
        "/councils/seikatsu-shien/meetings/{pk}/",  # another council's slug
        "/councils/no-such/meetings/{pk}/",
        "/councils/kiyone-chu/meetings/999999/",
    ],
)
def test_a_meeting_under_the_wrong_council_is_404(resident, world, path):
    assert resident.get(path.format(pk=world.past["held"].pk)).status_code == 404


def test_a_hidden_councils_meeting_is_404(resident, world):
    meeting = world.hidden.meetings.get()
    assert resident.get(meeting.get_absolute_url()).status_code == 404


def test_a_material_downloads_as_a_pdf_named_after_its_title(resident, world):
    meeting = world.past["held"]
    material = meeting.materials.get()
    response = resident.get(f"{meeting.get_absolute_url()}materials/{material.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=utf-8''%E4%BC%9A%E8%AD%B0%E6%AC%A1%E7%AC%AC.pdf"
        in response["Content-Disposition"]
    )
    assert b"".join(response.streaming_content) == world.document


def test_materials_of_other_meetings_or_hidden_councils_are_404(resident, world):
    material = world.past["held"].materials.get()
    other = world.past["cancelled"]
    assert resident.get(f"{other.get_absolute_url()}materials/{material.pk}/").status_code == 404
    hidden_meeting = world.hidden.meetings.get()
    hidden = MeetingMaterial.objects.create(
        meeting=hidden_meeting,
        title="非公開",
        file=SimpleUploadedFile("b.pdf", pdf(), content_type="application/pdf"),
    )
    url = f"/councils/hidden/meetings/{hidden_meeting.pk}/materials/{hidden.pk}/"
    assert resident.get(url).status_code == 404


def test_a_material_whose_file_is_gone_is_404(resident, world):
    meeting = world.past["held"]
    material = meeting.materials.get()
    material.file.delete(save=False)
    response = resident.get(f"{meeting.get_absolute_url()}materials/{material.pk}/")
    assert response.status_code == 404


def test_query_count_does_not_grow(resident, world, shell_queries, django_assert_max_num_queries):
    meeting = world.past["held"]

    def make(n):
        for _ in range(n):
            AgendaItemFactory(meeting=meeting)
            MeetingParticipant.objects.create(
                meeting=meeting, member=CouncilMemberFactory(council=world.local)
            )
            MeetingParticipant.objects.create(meeting=meeting, name="来賓", publish_name=True)
            MeetingMaterial.objects.create(
                meeting=meeting,
                title="資料",
                file=SimpleUploadedFile("c.pdf", b"%PDF-1.4\n%%EOF\n"),
            )
            MeetingFactory(
                council=world.local,
                held_on=datetime.date(2020, 1, 1),
                status=MeetingStatus.POSTPONED,
                status_reason="雨",
                replaced_by=meeting,
            )

    make(2)
    # the shell's, then the meeting (+council, area, replacement), agenda (+kinds),
    # materials, participants (+members), the meetings it replaces
    with django_assert_max_num_queries(shell_queries + 5):
        resident.get(meeting.get_absolute_url())
    make(20)
    with django_assert_max_num_queries(shell_queries + 5):
        assert resident.get(meeting.get_absolute_url()).status_code == 200
    postponed = meeting.replaces.first().get_absolute_url()
    with django_assert_max_num_queries(shell_queries + 5):
        html = resident.get(postponed).content.decode()
    assert f'延期後の日程：<a href="{meeting.get_absolute_url()}">' in html


def test_the_page_says_no_more_than_staff_entered(resident, world):
    """対面 is the form's default, not a fact; a called-off meeting's time was a plan."""
    meeting = world.past["written"]
    meeting.format, meeting.place = "in_person", ""
    meeting.save()
    html = resident.get(meeting.get_absolute_url()).content.decode()
    assert "開催方法" not in html and "<dt>会場</dt>" not in html
    cancelled = MeetingFactory(status="cancelled", status_reason="台風のため中止しました。")
    html = resident.get(cancelled.get_absolute_url()).content.decode()
    assert "<dt>予定していた日時</dt>" in html
