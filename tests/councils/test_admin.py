"""The councils admin through the admin itself: pages load, good input saves,
bad input gets a Japanese error next to the field, keeps what was typed and
saves nothing."""

import datetime

import pytest
from django.apps import apps
from django.urls import reverse

from councils.models import (
    AgendaItem,
    AgendaItemKind,
    AnnualPlan,
    AnnualPlanItem,
    Council,
    CouncilMember,
    Meeting,
    MeetingMaterial,
    MeetingParticipant,
)
from tests.factories import (
    AgendaItemFactory,
    AnnualPlanFactory,
    AnnualPlanItemFactory,
    CouncilFactory,
    CouncilMemberFactory,
    LifeAreaFactory,
    MeetingFactory,
)
from tests.salons.crafted import pdf, pdf_with_javascript, png, upload

MODELS = ["lifearea", "council", "councilmember", "meeting", "annualplan", "agendaitemkind"]


@pytest.fixture
def records(db):
    council = CouncilFactory(name="総社中学校区 圏域地域包括ケア会議", slug="soja-chu")
    member = CouncilMemberFactory(council=council, organisation="総社地区社協")
    meeting = MeetingFactory(council=council, held_on=datetime.date(2025, 6, 17))
    MeetingParticipant.objects.create(meeting=meeting, member=member)
    AgendaItemFactory(meeting=meeting)
    AnnualPlanItemFactory(plan=AnnualPlanFactory(council=council, fiscal_year=2026))
    return council


@pytest.mark.parametrize("model", MODELS)
def test_changelist_search_add_and_change_pages_load(superuser, records, model):
    changelist = reverse(f"admin:councils_{model}_changelist")
    assert superuser.get(changelist).status_code == 200
    assert superuser.get(changelist, {"q": "総社"}).status_code == 200
    assert superuser.get(reverse(f"admin:councils_{model}_add")).status_code == 200
    pk = apps.get_model("councils", model).objects.first().pk
    assert superuser.get(reverse(f"admin:councils_{model}_change", args=[pk])).status_code == 200


def test_admin_pages_are_japanese(superuser, records):
    html = superuser.get(reverse("admin:councils_council_changelist")).content.decode()
    assert "<h1>協議体の一覧</h1>" in html and "変更する 協議体 を選択" not in html
    assert "原則毎月第3火曜日 10:00〜12:00" in html
    html = superuser.get(reverse("admin:index")).content.decode()
    for name in ["日常生活圏域", "協議体", "構成員", "会議", "年間計画"]:
        assert name in html


def test_staff_without_permission_cannot_see_councils(staff, records):
    assert staff.get(reverse("admin:councils_council_changelist")).status_code == 403


def test_anonymous_is_sent_to_login(resident, records):
    response = resident.get(reverse("admin:councils_meeting_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_view_on_site_leads_to_the_public_pages(superuser, records):
    meeting = records.meetings.get()
    plan = records.annual_plans.get()
    for obj, model in [(records, "council"), (meeting, "meeting"), (plan, "annualplan")]:
        html = superuser.get(reverse(f"admin:councils_{model}_change", args=[obj.pk])).content
        assert "サイト上で表示".encode() in html
        response = superuser.get(obj.get_absolute_url())
        assert response.status_code == 200, model
    assert plan.get_absolute_url() == "/councils/soja-chu/?plan=2026#plan-heading"


def test_the_council_page_links_to_its_meetings(superuser, records):
    html = superuser.get(reverse("admin:councils_council_change", args=[records.pk])).content
    html = html.decode()
    assert f'?council__id__exact={records.pk}">会議の一覧（1件）</a>' in html
    assert f'/admin/councils/meeting/add/?council={records.pk}">会議を追加する</a>' in html


# --- councils -------------------------------------------------------------------------


def council_form(**overrides):
    data = {
        "name": "新しい協議体",
        "nickname": "",
        "reading": "アタラシイキョウギタイ",
        "slug": "atarashii",
        "layer": "2",
        "life_area": LifeAreaFactory().pk,
        "display_order": "0",
        "is_public": "on",
        "purpose": "支え合いについて話し合います。",
        "description": "",
        "office": "",
        "meeting_rule": "nth",
        "meeting_week": "3",
        "meeting_weekday": "1",
        "meeting_months": "",
        "meeting_starts_at": "10:00",
        "meeting_ends_at": "12:00",
        "meeting_as_a_rule": "on",
        "meeting_place": "公民館",
        "meeting_on_closed_days": "skip",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-0-organisation": "老人クラブ連合会",
        "members-0-role": "local",
        "members-0-position": "chair",
        "members-0-representative_name": "岡本 和夫",
        "members-0-consent_date": "2025-04-10",
        "members-0-publish_representative": "on",
        "members-0-term_start": "2025-04-01",
        "members-0-term_end": "2027-03-31",
        "members-0-display_order": "0",
    }
    data.update(overrides)
    return data


def test_add_a_council_with_its_members(superuser, db):
    response = superuser.post(
        reverse("admin:councils_council_add"),
        council_form(meeting_months="１１、９，５月"),
    )
    assert response.status_code == 302, response.content.decode()
    council = Council.objects.get(slug="atarashii")
    assert council.reading == "あたらしいきょうぎたい"
    assert council.meeting_months == "5,9,11"
    assert council.schedule_label == "原則5月・9月・11月の第3火曜日 10:00〜12:00"
    member = council.members.get()
    assert member.public_representative == "岡本 和夫"


@pytest.mark.parametrize(
    ("overrides", "message", "kept"),
    [
        ({"life_area": ""}, "第2層の協議体には日常生活圏域を選んでください。", None),
        ({"meeting_ends_at": "09:00"}, "終了時刻は開始時刻より後にしてください。", "09:00"),
        ({"meeting_months": "4,13"}, "開催する月は1〜12の数字", "4,13"),
        ({"meeting_months": "毎月"}, "開催する月は1〜12の数字", "毎月"),
        ({"meeting_week": ""}, "第何週かを1〜5から選んでください。", None),
        ({"meeting_week": "6"}, "5 以下", "6"),
        ({"meeting_weekday": ""}, "曜日を選んでください。", None),
        ({"meeting_starts_at": "朝"}, "時刻は「10:00」のように入力してください。", "朝"),
        ({"slug": "日本語"}, "半角", "日本語"),
        (
            {"members-0-term_end": "2024-03-31"},
            "任期の終了日は開始日より後にしてください。",
            "2024-03-31",
        ),
        (
            {"members-0-consent_date": ""},
            "氏名を公開するときは、公開に同意を得た日を入力してください。",
            "岡本 和夫",
        ),
        (
            {"members-0-consent_date": "2999-01-01"},
            "同意を得た日に未来の日付は入力できません。",
            "2999-01-01",
        ),
    ],
)
def test_bad_council_input_is_refused_in_japanese(superuser, db, overrides, message, kept):
    response = superuser.post(reverse("admin:councils_council_add"), council_form(**overrides))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "errorlist" in html
    if kept:
        assert f'value="{kept}"' in html
    assert not Council.objects.exists()
    assert not CouncilMember.objects.exists()


def test_a_city_council_needs_no_area(superuser, db):
    response = superuser.post(
        reverse("admin:councils_council_add"),
        council_form(layer="1", life_area="", **{"members-TOTAL_FORMS": "0"}),
    )
    assert response.status_code == 302, response.content.decode()


# --- meetings -------------------------------------------------------------------------


def meeting_form(council, **overrides):
    data = {
        "council": council.pk,
        "number": "2",
        "title": "",
        "held_on": "2026-12-15",
        "starts_at": "10:00",
        "ends_at": "12:00",
        "format": "in_person",
        "place": "総社公民館",
        "status": "scheduled",
        "status_reason": "",
        "replacement": "",
        "replaced_by": "",
        "guests": "",
        "participant_count": "",
        "minutes": "",
        "staff_notes": "職員メモ",
        "held_on_precision": "day",
        "participants-TOTAL_FORMS": "0",
        "participants-INITIAL_FORMS": "0",
        "agenda_items-TOTAL_FORMS": "1",
        "agenda_items-INITIAL_FORMS": "0",
        "agenda_items-0-kind": str(AgendaItemKind.objects.get_or_create(name="報告")[0].pk),
        "agenda_items-0-title": "見守り活動の報告",
        "agenda_items-0-display_order": "0",
        "materials-TOTAL_FORMS": "0",
        "materials-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def with_material(data, name, content, title="会議次第"):
    return data | {
        "materials-TOTAL_FORMS": "1",
        "materials-0-title": title,
        "materials-0-file": upload(name, content),
        "materials-0-display_order": "0",
    }


def with_participants(data, *rows):
    """Participant rows as the inline posts them: (member pk or "", name, affiliation, public)."""
    data = data | {"participants-TOTAL_FORMS": str(len(rows))}
    for n, (member, name, affiliation, public) in enumerate(rows):
        data |= {
            f"participants-{n}-member": member,
            f"participants-{n}-name": name,
            f"participants-{n}-affiliation": affiliation,
            f"participants-{n}-display_order": str((n + 1) * 10),
        }
        if public:
            data[f"participants-{n}-publish_name"] = "on"
    return data


def test_add_a_meeting_with_agenda_and_a_pdf(superuser, records):
    member = records.members.get()
    document = pdf()  # Pillow dates each PDF it writes: keep this one
    data = with_participants(meeting_form(records), (member.pk, "", "", False))
    data = with_material(data, "次第.pdf", document)
    response = superuser.post(reverse("admin:councils_meeting_add"), data)
    assert response.status_code == 302, response.content.decode()
    meeting = Meeting.objects.get(held_on=datetime.date(2026, 12, 15))
    assert [p.member for p in meeting.participants.all()] == [member]
    assert meeting.agenda_items.get().title == "見守り活動の報告"
    material = meeting.materials.get()
    assert material.size == len(document)
    # Stored under a name nobody chose, where the year says when.
    assert material.file.name.startswith("councils/materials/2026/")
    assert "次第" not in material.file.name
    with material.file.open("rb") as handle:
        assert handle.read() == document


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "photo.png",
            png(),
            "「photo.png」は PDF ではありません。会議資料は PDF で登録してください。",
        ),
        ("fake.pdf", b"not a pdf at all", "使えない形式です"),
        ("script.pdf", pdf_with_javascript(), "プログラム（JavaScript）が含まれている"),
        ("empty.pdf", b"", "ファイル"),
    ],
)
def test_a_material_that_is_not_a_clean_pdf_is_refused(superuser, records, name, content, message):
    data = with_material(meeting_form(records), name, content)
    response = superuser.post(reverse("admin:councils_meeting_add"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'value="見守り活動の報告"' in html  # what was typed is kept
    assert Meeting.objects.count() == 1
    assert not MeetingMaterial.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message", "kept"),
    [
        ({"ends_at": "09:30"}, "終了時刻は開始時刻より後にしてください。", "09:30"),
        ({"starts_at": ""}, "終了時刻を入れるときは開始時刻も入力してください。", None),
        ({"status": "cancelled"}, "中止・延期のときは理由を入力してください。", None),
        ({"held_on": "2026-02-30"}, "「2026-02-30」という日付はありません。", "2026-02-30"),
        ({"participant_count": "-3"}, "0 以上", "-3"),
        ({"participant_count": "20000"}, "10000 以下", "20000"),
        ({"agenda_items-0-kind": "party"}, "正しく選択してください。", None),
        (
            {"held_on_precision": "month", "held_on": "2026-12-15"},
            "開催日が月や年度までしか分からないときは、時刻は空欄にしてください",
            "10:00",
        ),
    ],
)
def test_bad_meeting_input_is_refused_in_japanese(superuser, records, overrides, message, kept):
    response = superuser.post(
        reverse("admin:councils_meeting_add"), meeting_form(records, **overrides)
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    if kept:
        assert f'value="{kept}"' in html
    assert Meeting.objects.count() == 1
    assert AgendaItem.objects.count() == 1


def test_participants_are_chosen_from_the_meetings_own_council(superuser, records):
    stranger = CouncilMemberFactory(organisation="よその協議体の団体")
    response = superuser.post(
        reverse("admin:councils_meeting_add"),
        with_participants(meeting_form(records), (stranger.pk, "", "", False)),
    )
    assert response.status_code == 200
    assert "正しく選択してください。" in response.content.decode()
    assert Meeting.objects.count() == 1
    meeting = records.meetings.get()
    html = superuser.get(reverse("admin:councils_meeting_change", args=[meeting.pk])).content
    html = html.decode()
    assert "総社地区社協（地域の活動者）" in html
    assert "よその協議体の団体" not in html
    add = superuser.get(reverse("admin:councils_meeting_add")).content.decode()
    assert "一度保存すると選べるようになります" in add
    # The council's own link (?council=) offers its members before any save.
    add = superuser.get(reverse("admin:councils_meeting_add"), {"council": records.pk})
    assert "総社地区社協（地域の活動者）" in add.content.decode()


def test_a_postponed_meeting_points_at_a_later_one_of_the_same_council(superuser, records):
    earlier = records.meetings.get()
    other = MeetingFactory(held_on=datetime.date(2027, 1, 1))
    response = superuser.post(
        reverse("admin:councils_meeting_add"),
        meeting_form(records, status="postponed", status_reason="雨", replaced_by=other.pk),
    )
    assert "延期後の会議は、同じ協議体の会議から選んでください。" in response.content.decode()
    response = superuser.post(
        reverse("admin:councils_meeting_add"),
        meeting_form(records, status="postponed", status_reason="雨", replaced_by=earlier.pk),
    )
    assert "この会議より後の日付の会議を選んでください。" in response.content.decode()
    assert Meeting.objects.count() == 2


def test_editing_a_meeting_keeps_its_material_and_raises_its_sequence(superuser, records):
    meeting = records.meetings.get()
    document = pdf()
    response = superuser.post(
        reverse("admin:councils_meeting_add"),
        with_material(meeting_form(records), "a.pdf", document),
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(held_on=datetime.date(2026, 12, 15))
    material = meeting.materials.get()
    agenda = meeting.agenda_items.get()
    data = meeting_form(
        records,
        status="cancelled",
        status_reason="台風のため",
        **{
            "agenda_items-INITIAL_FORMS": "1",
            "agenda_items-0-id": agenda.pk,
            "agenda_items-0-meeting": meeting.pk,
            "materials-TOTAL_FORMS": "1",
            "materials-INITIAL_FORMS": "1",
            "materials-0-id": material.pk,
            "materials-0-meeting": meeting.pk,
            "materials-0-title": "会議次第（改訂）",
            "materials-0-display_order": "0",
        },
    )
    response = superuser.post(reverse("admin:councils_meeting_change", args=[meeting.pk]), data)
    assert response.status_code == 302, response.content.decode()
    meeting.refresh_from_db()
    material.refresh_from_db()
    assert meeting.status == "cancelled" and meeting.sequence == 1
    assert material.title == "会議次第（改訂）" and material.size == len(document)


def test_meetings_filter_by_fiscal_year(superuser, records):
    MeetingFactory(council=records, held_on=datetime.date(2026, 4, 1), title="新年度の会議")
    MeetingFactory(council=records, held_on=datetime.date(2026, 3, 31), title="年度末の会議")
    url = reverse("admin:councils_meeting_changelist")
    html = superuser.get(url).content.decode()
    assert "令和7年度（2025年度）" in html and "令和8年度（2026年度）" in html
    html = superuser.get(url, {"fiscal_year": "2025"}).content.decode()
    assert "年度末の会議" in html and "新年度の会議" not in html
    html = superuser.get(url, {"fiscal_year": "2026"}).content.decode()
    assert "新年度の会議" in html and "年度末の会議" not in html
    for bad in ["abc", "２０２５", "99999999999999999999"]:
        response = superuser.get(url, {"fiscal_year": bad})
        assert response.status_code == 302  # the admin's own "?e=1"
        assert "e=1" in response["Location"]


# --- annual plans ---------------------------------------------------------------------

MONTHS = ["apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "jan", "feb", "mar"]


def plan_form(council, **overrides):
    data = {
        "council": council.pk,
        "fiscal_year": "令和9年度",
        "note": "",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-0-title": "第1層協議体",
        "items-0-display_order": "1",
        "items-1-title": "第2層との連携",
        "items-1-display_order": "2",
        **{f"items-0-{m}": "" for m in MONTHS},
        **{f"items-1-{m}": "情報交換" for m in MONTHS},
    }
    data["items-0-apr"] = "重点の確認"
    data["items-0-oct"] = "フォーラム"
    data.update(overrides)
    return data


def test_the_plan_is_edited_as_a_grid_of_months(superuser, records):
    html = superuser.get(reverse("admin:councils_annualplan_add")).content.decode()
    for month in ["apr", "dec", "mar"]:
        assert f'<th class="column-{month}">' in html
    assert '<th class="column-apr">4月' in html and '<th class="column-mar">3月' in html
    assert '<textarea name="items-0-apr" cols="10" rows="2"' in html
    response = superuser.post(reverse("admin:councils_annualplan_add"), plan_form(records))
    assert response.status_code == 302, response.content.decode()
    plan = AnnualPlan.objects.get(fiscal_year=2027)
    first, second = plan.items.all()
    assert first.months()[0] == (4, "重点の確認") and first.oct == "フォーラム"
    assert [span.length for span in second.spans()] == [12]


@pytest.mark.parametrize("typed", ["2027", "R9", "２０２７年度", "令和9年度"])
def test_the_fiscal_year_is_typed_as_people_write_it(superuser, records, typed):
    response = superuser.post(
        reverse("admin:councils_annualplan_add"), plan_form(records, fiscal_year=typed)
    )
    assert response.status_code == 302, response.content.decode()
    assert AnnualPlan.objects.filter(fiscal_year=2027).exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("来年", "年度は「令和6年度」「R6」「2024年度」のように入力してください。"),
        ("令和0年度", "令和0年度という年度はありません。"),
        ("1999", "2000 以上"),
        ("令和8年度", "この協議体のこの年度の年間計画は、すでにあります。"),
        ("", "このフィールドは必須です。"),
    ],
)
def test_bad_plans_are_refused_in_japanese(superuser, records, typed, message):
    response = superuser.post(
        reverse("admin:councils_annualplan_add"), plan_form(records, fiscal_year=typed)
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "第2層との連携</textarea>" in html  # what was typed is kept
    assert AnnualPlan.objects.count() == 1
    assert AnnualPlanItem.objects.count() == 1


@pytest.mark.parametrize("value", ["abc", "１", "-1", "1;drop"])
def test_a_hand_edited_add_link_still_opens_the_form(superuser, value):
    response = superuser.get("/admin/councils/meeting/add/", {"council": value})
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["0000", "9999", "abcd", "２０２６"])
def test_a_year_that_is_no_year_leaves_the_lists_unfiltered(superuser, value):
    for url in ["/admin/councils/meeting/", "/admin/coordinators/activitylog/"]:
        response = superuser.get(url, {"fiscal_year": value})
        assert response.status_code in (200, 302), url


def test_members_whose_roles_the_council_does_not_publish_keep_staffs_order(
    superuser, resident, db
):
    """周南市's layer-1 list names organisations only: no role is invented for them."""
    names = ["シルバー人材センター", "コープやまぐち", "自治会連合会"]
    data = {
        key: value
        for key, value in council_form(**{"members-TOTAL_FORMS": str(len(names))}).items()
        if not key.startswith("members-0-")
    }
    for i, name in enumerate(names):
        data[f"members-{i}-organisation"] = name
        data[f"members-{i}-role"] = ""
        data[f"members-{i}-position"] = "member"
        data[f"members-{i}-display_order"] = str(i)
    response = superuser.post(reverse("admin:councils_council_add"), data)
    assert response.status_code == 302, response.content.decode()
    council = Council.objects.get(slug="atarashii")
    assert list(council.members.values_list("role", flat=True)) == ["", "", ""]
    html = resident.get(council.get_absolute_url()).content.decode()
    section = html[html.index('id="members-heading"') : html.index('id="plan-heading"')]
    positions = [section.index(name) for name in names]
    assert positions == sorted(positions)
    assert "<h3>" not in section and "それぞれの立場から" not in section
