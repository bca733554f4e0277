"""The councils' own rules: schedule words, the coming schedule, plan rows,
the checks staff meet, and what search may find."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import given
from hypothesis import strategies as st

from councils.models import (
    AnnualPlanItem,
    Council,
    CouncilMember,
    Layer,
    Meeting,
    MeetingFormat,
    MeetingRule,
    MeetingStatus,
)
from tests.factories import (
    AgendaItemFactory,
    CouncilFactory,
    CouncilMemberFactory,
    LifeAreaFactory,
    MeetingFactory,
)

TODAY = datetime.date(2026, 11, 22)
T10, T12 = datetime.time(10, 0), datetime.time(12, 0)


def council(**fields):
    base = {
        "name": "テスト協議体",
        "layer": Layer.CITY,
        "meeting_rule": MeetingRule.NTH_WEEKDAY,
        "meeting_week": 3,
        "meeting_weekday": 1,
        "meeting_starts_at": T10,
        "meeting_ends_at": T12,
    }
    return Council(**(base | fields))


# --- schedule words -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "label"),
    [
        ({}, "原則毎月第3火曜日 10:00〜12:00"),
        (
            {"meeting_rule": MeetingRule.LAST_WEEKDAY, "meeting_week": None, "meeting_weekday": 0},
            "原則月末の月曜日 10:00〜12:00",
        ),
        (
            {"meeting_months": "1,3,5,7,9,11", "meeting_week": 1, "meeting_weekday": 4},
            "原則5月・7月・9月・11月・1月・3月の第1金曜日 10:00〜12:00",
        ),
        ({"meeting_as_a_rule": False, "meeting_ends_at": None}, "毎月第3火曜日 10:00〜"),
        ({"meeting_rule": MeetingRule.IRREGULAR}, "不定期 10:00〜12:00"),
        (
            {"meeting_rule": MeetingRule.IRREGULAR, "meeting_starts_at": None},
            "不定期",
        ),
    ],
)
def test_schedule_label_says_the_rule_in_words(fields, label):
    assert council(**fields).schedule_label == label


# --- the coming schedule ------------------------------------------------------------


def meeting(day, status=MeetingStatus.SCHEDULED, **fields):
    return Meeting(held_on=day, starts_at=T10, ends_at=T12, status=status, **fields)


def test_without_meetings_the_rule_gives_three_expected_dates():
    coming = council().coming_dates([], today=TODAY)
    assert [entry.on for entry in coming] == [
        datetime.date(2026, 12, 15),
        datetime.date(2027, 1, 19),
        datetime.date(2027, 2, 16),
    ]
    assert all(entry.is_expected for entry in coming)
    assert coming[0].when == "令和8年12月15日(火) 10:00〜12:00"


def test_a_registered_meeting_takes_its_month_even_off_the_rules_day():
    moved = meeting(datetime.date(2026, 12, 22))
    coming = council().coming_dates([moved], today=TODAY)
    assert [(entry.on, entry.meeting) for entry in coming] == [
        (datetime.date(2026, 12, 22), moved),
        (datetime.date(2027, 1, 19), None),
        (datetime.date(2027, 2, 16), None),
    ]


def test_a_cancelled_meeting_stays_listed_but_does_not_count():
    cancelled = meeting(datetime.date(2026, 12, 15), MeetingStatus.CANCELLED)
    coming = council().coming_dates([cancelled], today=TODAY)
    assert [entry.on for entry in coming] == [
        datetime.date(2026, 12, 15),
        datetime.date(2027, 1, 19),
        datetime.date(2027, 2, 16),
        datetime.date(2027, 3, 16),
    ]
    assert coming[0].meeting is cancelled and not coming[0].is_planned
    next_date = council().next_date([cancelled], today=TODAY)
    assert next_date.on == datetime.date(2027, 1, 19) and next_date.is_expected


def test_held_and_past_meetings_are_not_coming():
    held = meeting(TODAY, MeetingStatus.HELD)
    past = meeting(TODAY - datetime.timedelta(days=1))
    coming = council().coming_dates([held, past], today=TODAY)
    assert [entry.meeting for entry in coming] == [None, None, None]


def test_an_irregular_council_lists_only_its_meetings():
    irregular = council(meeting_rule=MeetingRule.IRREGULAR)
    assert irregular.coming_dates([], today=TODAY) == []
    assert irregular.next_date([], today=TODAY) is None
    one = meeting(datetime.date(2027, 2, 1))
    assert [entry.meeting for entry in irregular.coming_dates([one], today=TODAY)] == [one]


def test_many_registered_meetings_are_all_listed_and_no_rule_date_added():
    meetings = [meeting(datetime.date(2026, 12, d)) for d in (1, 8, 15, 22)]
    coming = council().coming_dates(meetings, today=TODAY)
    assert [entry.meeting for entry in coming] == meetings


@given(
    start=st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2040, 12, 1)),
    offsets=st.lists(st.integers(min_value=0, max_value=200), max_size=6),
    statuses=st.lists(st.sampled_from(list(MeetingStatus)), min_size=6, max_size=6),
    week=st.one_of(st.none(), st.integers(1, 4)),
)
def test_coming_dates_properties(start, offsets, statuses, week):
    rule = MeetingRule.LAST_WEEKDAY if week is None else MeetingRule.NTH_WEEKDAY
    the_council = council(meeting_rule=rule, meeting_week=week)
    meetings = [
        meeting(start + datetime.timedelta(days=offset), status)
        for offset, status in zip(offsets, statuses, strict=False)
    ]
    coming = the_council.coming_dates(meetings, today=start)
    days = [entry.on for entry in coming]
    assert days == sorted(days)
    assert all(day >= start for day in days)
    # Every registered meeting still to come is there, held ones are not.
    listed = [entry.meeting for entry in coming if entry.meeting is not None]
    assert sorted(listed, key=id) == sorted(
        (m for m in meetings if m.status != MeetingStatus.HELD), key=id
    )
    # A rule that every month has always fills up to three planned dates.
    assert sum(entry.is_planned for entry in coming) >= 3
    # No expected date in a month that has a meeting, nor two in one month.
    taken = {(m.held_on.year, m.held_on.month) for m in listed}
    expected = [(e.on.year, e.on.month) for e in coming if e.is_expected]
    assert not taken & set(expected)
    assert len(set(expected)) == len(expected)
    next_date = the_council.next_date(meetings, today=start)
    assert next_date == next(entry for entry in coming if entry.is_planned)


# --- annual plan rows ---------------------------------------------------------------


def test_plan_rows_merge_months_with_the_same_text():
    item = AnnualPlanItem(title="連携", apr="会議", may="会議", jun="", jul="研修", mar="まとめ")
    item.aug = item.sep = item.oct = item.nov = item.dec = item.jan = item.feb = ""
    spans = item.spans()
    assert [(s.label, s.text, s.length) for s in spans[:4]] == [
        ("4月〜5月", "会議", 2),
        ("6月", "", 1),
        ("7月", "研修", 1),
        ("8月", "", 1),
    ]
    assert spans[-1].label == "3月" and spans[-1].text == "まとめ"
    assert sum(span.length for span in spans) == 12


def test_an_aim_for_the_whole_year_is_one_cell():
    item = AnnualPlanItem(title="連携", **dict.fromkeys(AnnualPlanItem.MONTH_FIELDS, "○情報交換"))
    [span] = item.spans()
    assert (span.label, span.length) == ("4月〜3月", 12)


@given(st.lists(st.sampled_from(["", "会議", "研修"]), min_size=12, max_size=12))
def test_spans_cover_the_twelve_months_in_order(texts):
    item = AnnualPlanItem(title="x", **dict(zip(AnnualPlanItem.MONTH_FIELDS, texts, strict=True)))
    spans = item.spans()
    assert sum(span.length for span in spans) == 12
    assert [text for span in spans for text in [span.text] * span.length] == texts
    # Two neighbours never have the same text unless both are empty.
    for a, b in itertools.pairwise(spans):
        assert a.text != b.text or a.text == ""


# --- checks staff meet ---------------------------------------------------------------


def errors_of(obj):
    with pytest.raises(ValidationError) as caught:
        obj.full_clean()
    return caught.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"layer": Layer.AREA, "life_area": None}, "life_area", "第2層の協議体には日常生活圏域"),
        ({"meeting_ends_at": datetime.time(9, 0)}, "meeting_ends_at", "終了時刻は開始時刻より後"),
        ({"meeting_weekday": None}, "meeting_weekday", "曜日を選んでください"),
        ({"meeting_week": None}, "meeting_week", "第何週か"),
        ({"meeting_months": "4,13"}, "meeting_months", "1〜12の数字"),
    ],
)
def test_council_rules_are_checked_in_japanese(fields, field, message):
    the_council = CouncilFactory.build(**fields)
    assert message in errors_of(the_council)[field][0]


@pytest.mark.django_db
def test_a_city_council_has_no_area():
    the_council = CouncilFactory.build(layer=Layer.CITY, life_area=LifeAreaFactory())
    assert "空欄" in errors_of(the_council)["life_area"][0]


@pytest.mark.django_db
def test_the_database_refuses_a_layer_2_council_without_an_area():
    the_council = CouncilFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Council.objects.filter(pk=the_council.pk).update(life_area=None)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"term_start": datetime.date(2026, 4, 1), "term_end": datetime.date(2025, 3, 31)},
            "term_end",
            "任期の終了日は開始日より後",
        ),
        ({"publish_representative": True}, "consent_date", "同意を得た日を入力"),
        ({"consent_date": datetime.date(2999, 1, 1)}, "consent_date", "未来の日付"),
    ],
)
def test_member_rules_are_checked_in_japanese(fields, field, message):
    member = CouncilMemberFactory.build(council=CouncilFactory(), **fields)
    assert message in errors_of(member)[field][0]


@pytest.mark.django_db
def test_the_database_refuses_publishing_a_name_without_consent():
    member = CouncilMemberFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CouncilMember.objects.filter(pk=member.pk).update(publish_representative=True)


@pytest.mark.django_db
def test_meeting_rules_are_checked_in_japanese():
    other = MeetingFactory(held_on=datetime.date(2026, 12, 20))
    the_meeting = MeetingFactory(held_on=datetime.date(2026, 12, 15))
    cases = [
        ({"ends_at": datetime.time(9, 0)}, "ends_at", "終了時刻は開始時刻より後"),
        ({"starts_at": None}, "starts_at", "開始時刻も入力"),
        ({"status": MeetingStatus.CANCELLED}, "status_reason", "理由を入力"),
        ({"status": MeetingStatus.POSTPONED, "status_reason": " "}, "status_reason", "理由"),
        ({"replaced_by": the_meeting}, "replaced_by", "この会議自身"),
        ({"replaced_by": other}, "replaced_by", "同じ協議体"),
    ]
    for fields, field, message in cases:
        for name, value in fields.items():
            setattr(the_meeting, name, value)
        assert message in errors_of(the_meeting)[field][0], fields
        the_meeting.refresh_from_db()
    earlier = MeetingFactory(council=the_meeting.council, held_on=datetime.date(2026, 12, 1))
    the_meeting.replaced_by = earlier
    assert "後の日付" in errors_of(the_meeting)["replaced_by"][0]


@pytest.mark.django_db
def test_the_database_refuses_a_meeting_that_ends_before_it_starts():
    the_meeting = MeetingFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=the_meeting.pk).update(ends_at=datetime.time(9, 0))


@pytest.mark.django_db
def test_every_save_raises_the_calendar_sequence():
    the_meeting = MeetingFactory()
    assert the_meeting.sequence == 0
    the_meeting.status = MeetingStatus.CANCELLED
    the_meeting.save()
    the_meeting.save(update_fields=["status"])
    the_meeting.refresh_from_db()
    assert the_meeting.sequence == 2


@pytest.mark.parametrize(
    ("fields", "label", "place"),
    [
        ({"number": 2}, "令和8年度第2回", "会議室"),
        ({"number": None}, "令和8年度の会議", "会議室"),
        ({"title": "合同研修会"}, "合同研修会", "会議室"),
        (
            {"number": 1, "format": MeetingFormat.ONLINE, "place": ""},
            "令和8年度第1回",
            "オンライン",
        ),
        (
            {"number": 1, "format": MeetingFormat.WRITTEN, "place": ""},
            "令和8年度第1回",
            "書面（資料の送付）",
        ),
    ],
)
def test_meeting_label_and_place(fields, label, place):
    the_meeting = Meeting(**({"held_on": datetime.date(2027, 3, 31), "place": "会議室"} | fields))
    assert the_meeting.label == label
    assert the_meeting.place_label == place


def test_a_meeting_without_a_time_is_its_date():
    the_meeting = Meeting(held_on=datetime.date(2027, 4, 1))
    assert the_meeting.when == "令和9年4月1日(木)"
    assert the_meeting.starts() is None
    assert the_meeting.fiscal_year == 2027


# --- search -------------------------------------------------------------------------


@pytest.mark.django_db
def test_search_finds_public_text_and_never_staff_notes_or_unconsented_names():
    the_council = CouncilFactory(name="ささえあい会議", purpose="買い物の支援")
    hidden = CouncilFactory(name="ささえあい秘密会議", is_public=False)
    CouncilMemberFactory(council=the_council, representative_name="非公開 太郎")
    held = MeetingFactory(council=the_council, minutes="移動販売の話", staff_notes="職員だけの話")
    AgendaItemFactory(meeting=held, title="ごみ出しの手助け")
    MeetingFactory(council=hidden, minutes="移動販売の話")

    assert list(Council.objects.search("ささえあい")) == [the_council]
    assert list(Council.objects.search("買い物")) == [the_council]
    assert not Council.objects.search("非公開 太郎").exists()
    assert list(Meeting.objects.search("移動販売")) == [held]
    assert list(Meeting.objects.search("ごみ出し")) == [held]
    assert not Meeting.objects.search("職員だけ").exists()


@pytest.mark.django_db
def test_by_life_area_links_each_area_to_its_public_council():
    first = CouncilFactory(display_order=1)
    CouncilFactory(life_area=first.life_area, display_order=2)
    hidden = CouncilFactory(is_public=False)
    CouncilFactory(city=True)
    by_area = Council.objects.by_life_area()
    assert by_area[first.life_area_id] == first
    assert hidden.life_area_id not in by_area
    assert None not in by_area
