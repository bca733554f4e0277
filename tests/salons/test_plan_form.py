"""The 活動計画書 form with the input real organisers type, good and bad."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salons.forms.plans import Mode, PlanEntry, RenewForm
from salons.models import ActivityPlan, PlanStatus
from salons.services import save_draft, submit_plan
from tests.factories import ActivityPlanFactory, GrantProgramFactory
from tests.salons.plan_data import budget, make_world, plan_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return make_world()


def entry_for(world, mode=Mode.SUBMIT, plan=None, **changes):
    entry = PlanEntry(world.program, plan=plan, data=plan_data(world, **changes), mode=mode)
    entry.is_valid()
    return entry


def save(entry):
    """What the form's 「下書きを保存する」 writes."""
    return save_draft(program=entry.program, data=entry.plan_input(), form_token="").plan


def errors_of(entry):
    return {name: list(messages) for name, messages in entry.form.errors.items()}


def test_a_complete_plan_is_valid_and_read_as_meant(world):
    entry = entry_for(world)
    assert not entry.has_errors, errors_of(entry)
    cleaned = entry.form.cleaned_data
    assert cleaned["representative_name"] == "髙﨑 花子"  # variant characters kept exactly
    assert cleaned["representative_reading"] == "たかさき はなこ"  # katakana accepted
    assert cleaned["representative_phone"] == "0866-92-8552"  # full-width digits and dashes
    assert cleaned["sessions_planned"] == 12
    assert entry.income.total() == 35000  # "１７，０００" is 17,000
    assert entry.expense.total() == 35000


def test_saved_plan_keeps_the_name_exactly(world):
    entry = entry_for(world)
    plan = save(entry)
    plan.refresh_from_db()
    assert plan.representative_name == "髙﨑 花子"
    assert plan.representative_name.encode() == "髙﨑 花子".encode()
    assert plan.weeks_of_month == "2"
    assert plan.salon_name == "" and plan.district == world.salon.district
    assert list(plan.budget_lines.values_list("side", "item", "amount")) == [
        ("expense", "茶菓代", 20000),
        ("expense", "材料費", 15000),
        ("income", "参加費", 18000),
        ("income", "助成金", 17000),
    ]


def test_empty_required_fields_are_named_in_japanese(world):
    entry = PlanEntry(world.program, data={"action": "submit"}, mode=Mode.SUBMIT)
    assert not entry.is_valid()
    errors = errors_of(entry)
    for name, message in {
        "kind": "区分を選んでください。",
        "target_groups": "対象を選んでください。",
        "representative_name": "氏名を入力してください。",
        "representative_reading": "よみがなを入力してください。",
        "representative_phone": "電話番号を入力してください。",
        "venue_name": "会場の名前を入力してください。",
        "first_session_on": "初回の開催日を入力してください。",
        "sessions_planned": "年間の開催回数を入力してください。",
        "content": "活動の内容を入力してください。",
    }.items():
        assert errors[name] == [message]
    assert "同意が必要です" in errors["consent"][0]
    assert entry.income.non_form_errors() == ["収入を1行以上入力してください。"]
    assert entry.expense.non_form_errors() == ["支出を1行以上入力してください。"]


def test_a_draft_may_be_empty(world):
    entry = PlanEntry(
        world.program,
        data={**budget("income"), **budget("expense"), "action": "draft"},
        mode=Mode.DRAFT,
    )
    assert entry.is_valid(), errors_of(entry)
    plan = save(entry)
    assert plan.status == PlanStatus.DRAFT
    assert plan.kind == "continuing"  # the model's default, as for any field not sent
    assert plan.budget_lines.count() == 0


def test_a_draft_still_refuses_malformed_values(world):
    entry = PlanEntry(
        world.program,
        data={
            "representative_phone": "12345",
            "representative_reading": "山田",
            "expected_participants": "たくさん",
            **budget("income", ("参加費", "-100")),
            **budget("expense"),
        },
        mode=Mode.DRAFT,
    )
    assert not entry.is_valid()
    errors = errors_of(entry)
    assert "電話番号は0から始まる10桁または11桁" in errors["representative_phone"][0]
    assert "ひらがなまたはカタカナ" in errors["representative_reading"][0]
    assert errors["expected_participants"] == ["半角または全角の数字で入力してください。"]
    assert entry.income.forms[0].errors["amount"] == ["金額は0円以上で入力してください。"]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("〒７１９－１１３１", "719-1131"),
        ("7191131", "719-1131"),
        ("719ー1131", "719-1131"),
    ],
)
def test_postal_code_and_address_are_a_way_to_reach_them(world, typed, stored):
    entry = entry_for(
        world,
        representative_email="",
        representative_postal_code=typed,
        representative_address="総社市清音軽部1-1",
    )
    assert not entry.has_errors, errors_of(entry)
    assert entry.form.cleaned_data["representative_postal_code"] == stored


def test_some_way_to_reach_them_is_required(world):
    entry = entry_for(world, representative_email="")
    assert errors_of(entry)["representative_email"] == [
        "連絡先として、メールアドレスか、郵便番号と住所のどちらかを入力してください。"
    ]
    half = entry_for(world, representative_email="", representative_postal_code="719-1131")
    assert errors_of(half)["representative_address"] == ["郵便番号に続けて住所を入力してください。"]


def test_full_width_email_is_read(world):
    entry = entry_for(world, representative_email="ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ")
    assert entry.form.cleaned_data["representative_email"] == "hanako@example.jp"


def test_overlong_text_is_refused_with_its_length(world):
    entry = entry_for(world, content="あ" * 2001, salon_name="", venue_name="会" * 101)
    errors = errors_of(entry)
    assert errors["content"] == ["2000字以内で入力してください（いまは2001字です）。"]
    assert errors["venue_name"] == ["100字以内で入力してください（いまは101字です）。"]


def test_line_breaks_count_once(world):
    # The browser sends \r\n but counted one character for it while typing.
    entry = entry_for(world, content="あ\r\n" * 1000)
    assert "content" not in entry.form.errors


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-500", "金額は0円以上で入力してください。"),
        ("ー500", "金額は0円以上で入力してください。"),
        ("99999999999", "金額が大きすぎます。1行10,000,000円以下で入力してください。"),
        ("1000.5", "金額は数字で入力してください（例: 1,000 または １０００）。"),
        ("千円", "金額は数字で入力してください（例: 1,000 または １０００）。"),
    ],
)
def test_negative_and_absurd_amounts_are_refused(world, typed, message):
    entry = entry_for(world, **{"expense-1-amount": typed})
    assert entry.expense.forms[1].errors["amount"] == [message]


@pytest.mark.parametrize("typed", ["１，０００", "1,000", "1000円", " 1000 ", "１０００"])
def test_amounts_are_read_as_typed_on_a_phone(world, typed):
    entry = entry_for(
        world,
        **budget("income", ("参加費", typed)),
        **budget("expense", ("茶菓代", "1000")),
    )
    assert not entry.has_errors, errors_of(entry)
    assert entry.income.total() == 1000


def test_a_started_line_must_be_whole(world):
    entry = entry_for(world, **budget("income", ("", "18000"), ("助成金", "")), **budget("expense"))
    assert entry.income.forms[0].errors["item"] == ["費目を選んでください。"]
    assert entry.income.forms[1].errors["amount"] == ["金額を入力してください。"]


def test_an_unbalanced_budget_names_both_totals(world):
    entry = entry_for(world, **{"expense-1-amount": "10,000"})
    assert not entry.is_valid()
    [message] = entry.form.non_field_errors()
    assert "収入の合計（35,000円）" in message
    assert "支出の合計（30,000円）" in message
    assert "差額は5,000円" in message


def test_session_dates_must_lie_inside_the_fiscal_year(world):
    entry = entry_for(world, first_session_on="2026-03-31", last_session_on="2027-04-01")
    errors = errors_of(entry)
    expected = "令和8年度（令和8年4月1日〜令和9年3月31日）の中の日を入力してください。"
    assert errors["first_session_on"] == [expected]
    assert errors["last_session_on"] == [expected]


def test_dates_in_the_wrong_order(world):
    entry = entry_for(world, first_session_on="2026-12-01", last_session_on="2026-06-01")
    [message] = errors_of(entry)["last_session_on"]
    assert "より前になっています" in message


@pytest.mark.parametrize(
    ("sessions", "first", "last", "message"),
    [
        ("400", "2026-04-08", "2027-03-10", "年間の開催回数は366回以下で入力してください。"),
        ("0", "2026-04-08", "2027-03-10", "1以上の数で入力してください。"),
        ("30", "2026-04-08", "2026-04-20", "初回から最終回までは13日間です"),
    ],
)
def test_sessions_must_fit_the_year(world, sessions, first, last, message):
    entry = entry_for(
        world, sessions_planned=sessions, first_session_on=first, last_session_on=last
    )
    assert message in errors_of(entry)["sessions_planned"][0]


def test_typed_dates_in_full_width_are_read(world):
    entry = entry_for(world, first_session_on="２０２６/４/８", starts_at="１０：００")
    assert not entry.has_errors, errors_of(entry)


def test_garbage_dates_and_times_get_a_message(world):
    errors = errors_of(entry_for(world, first_session_on="来月", starts_at="25:99"))
    assert "カレンダーから選んで" in errors["first_session_on"][0]
    assert errors["starts_at"] == ["時刻は「10:00」のように入力してください。"]


def test_missing_consent_is_refused(world):
    entry = entry_for(world, consent=None)
    assert "同意が必要です" in errors_of(entry)["consent"][0]


def test_honeypot_filled_is_refused(world):
    entry = entry_for(world, website="http://spam.example/")
    assert errors_of(entry)["website"] == ["送信できませんでした。もう一度お試しください。"]


def test_a_new_salon_is_described(world):
    entry = entry_for(world, kind="new", salon="")
    errors = errors_of(entry)
    assert errors["salon_name"] == ["新規のときは、サロン名を入力してください。"]
    assert errors["district"] == ["新規のときは、地区を選んでください。"]
    described = entry_for(
        world,
        kind="new",
        salon=str(world.salon.pk),  # chosen earlier, then the kind changed: ignored
        salon_name="あさがおサロン",
        salon_reading="アサガオサロン",
        district=str(world.district.pk),
    )
    assert not described.has_errors, errors_of(described)
    plan = save(described)
    assert plan.salon is None and plan.salon_name == "あさがおサロン"


def test_a_continuing_plan_names_its_salon(world):
    errors = errors_of(entry_for(world, salon=""))
    assert "サロンを一覧から選んでください" in errors["salon"][0]
    errors = errors_of(entry_for(world, salon="999999999999999999999"))
    assert errors["salon"] == ["サロンを選び直してください。"]


def test_schedule_parts_follow_the_frequency(world):
    errors = errors_of(entry_for(world, weeks_of_month=[], weekday="", ends_at="09:00"))
    assert errors["weeks_of_month"] == ["「毎月」のときは、第何週かを選んでください。"]
    assert errors["weekday"] == ["「毎週」「毎月」のときは、曜日を選んでください。"]
    assert errors["ends_at"] == ["終了時刻は開始時刻より後にしてください。"]
    irregular = entry_for(world, frequency="irregular", weeks_of_month=[], weekday="")
    assert not irregular.has_errors, errors_of(irregular)
    several = entry_for(world, weeks_of_month=["4", "2"])
    assert several.form.cleaned_data["weeks_of_month"] == "2,4"


def test_a_missing_row_count_is_recovered(world):
    data = plan_data(world)
    for key in ("income-TOTAL_FORMS", "income-INITIAL_FORMS", "expense-TOTAL_FORMS"):
        del data[key]
    entry = PlanEntry(world.program, data=data, mode=Mode.SUBMIT)
    assert entry.is_valid(), errors_of(entry)
    assert entry.income.total() == 35000


def test_too_many_rows_are_refused(world):
    data = plan_data(world, **{"income-TOTAL_FORMS": "5000"})
    entry = PlanEntry(world.program, data=data, mode=Mode.SUBMIT)
    assert not entry.is_valid()
    assert entry.income.non_form_errors() == ["1つの表は20行までです。"]


def test_an_existing_draft_fills_the_form(world):
    plan = ActivityPlanFactory(program=world.program, salon=world.salon)
    plan.target_groups.set([world.elderly])
    entry = PlanEntry(world.program, plan=plan)
    assert entry.form["representative_name"].value() == "髙﨑 花子"
    assert entry.form["weeks_of_month"].value() == ["2"]
    assert [f["amount"].value() for f in entry.income.forms[:2]] == [18000, 17000]
    assert len(entry.income.forms) == 4  # two lines and two blank rows


def test_a_salon_closed_since_stays_selectable_on_its_plan(world):
    world.salon.status = "closed"
    world.salon.save()
    option = f'<option value="{world.salon.pk}"'
    assert option not in str(PlanEntry(world.program).form["salon"])
    plan = ActivityPlanFactory(program=world.program, salon=world.salon)
    assert option in str(PlanEntry(world.program, plan=plan).form["salon"])
    entry = entry_for(world, plan=plan)
    assert not entry.has_errors, errors_of(entry)


# --- starting from last year's plan ---------------------------------------------------


@pytest.fixture
def last_year(world):
    program = GrantProgramFactory(fiscal_year=2025)
    plan = ActivityPlanFactory(
        program=program, salon=world.salon, representative_phone="0866-92-0000"
    )
    submit_plan(plan)
    return plan


@pytest.mark.parametrize(
    ("reference", "contact"),
    [("ｒ７－１", "０８６６ー９２ー００００"), ("R7-0001", None)],
)
def test_renewing_finds_last_years_plan(world, last_year, reference, contact):
    form = RenewForm(
        {"reference": reference, "contact": contact or last_year.representative_email},
        program=world.program,
    )
    assert form.is_valid(), form.errors
    assert form.source == last_year


@pytest.mark.parametrize(
    ("reference", "contact"),
    [("R7-0001", "0866-00-0000"), ("R7-0099", "0866-92-0000"), ("R7-0001", "nobody@example.jp")],
)
def test_renewing_does_not_tell_which_references_exist(world, last_year, reference, contact):
    form = RenewForm({"reference": reference, "contact": contact}, program=world.program)
    assert not form.is_valid()
    assert form.non_field_errors() == [
        "受付番号と電話番号またはメールアドレスの組み合わせが確認できませんでした。"
        "入力した内容を確かめて、もう一度お試しください。"
        "受付番号は、提出したときの画面とメールに書かれています。"
    ]


def test_a_draft_is_not_a_reference(world):
    draft = ActivityPlanFactory(program=GrantProgramFactory(fiscal_year=2025))
    ActivityPlan.objects.filter(pk=draft.pk).update(reference="R7-0005")
    form = RenewForm(
        {"reference": "R7-0005", "contact": draft.representative_email}, program=world.program
    )
    assert not form.is_valid()


# --- anything at all -----------------------------------------------------------------------

TYPED_FIELDS = [
    "kind",
    "salon",
    "district",
    "representative_name",
    "representative_reading",
    "representative_phone",
    "representative_email",
    "representative_postal_code",
    "weekday",
    "starts_at",
    "first_session_on",
    "last_session_on",
    "sessions_planned",
    "expected_participants",
    "income-0-amount",
    "expense-0-item",
    "income-TOTAL_FORMS",
]


@settings(
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    field=st.sampled_from(TYPED_FIELDS),
    typed=st.text(max_size=60),
    mode=st.sampled_from(Mode.ALL),
)
def test_anything_typed_anywhere_gives_a_message_not_a_crash(world, field, typed, mode):
    entry = PlanEntry(world.program, data=plan_data(world, **{field: typed}), mode=mode)
    if not entry.is_valid():
        assert entry.has_errors


def test_dates_typed_without_the_picker_are_shown_as_the_picker_writes_them(world):
    entry = entry_for(
        world, first_session_on="２０２６/４/８", starts_at="10時", last_session_on="来月"
    )
    assert 'type="date" name="first_session_on" value="2026-04-08"' in str(
        entry.form["first_session_on"]
    )
    assert 'value="10:00"' in str(entry.form["starts_at"])
    assert 'value="来月"' in str(entry.form["last_session_on"])  # nothing typed is lost
