"""salons.grants: the amount a plan would receive, and the rules in words.

The property tests build unsaved programs and pass their tiers in, so they
run without the database and hypothesis can try thousands of plans.
"""

import datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from salons.grants import SECOND_HALF_MONTHS, estimate, rules_in_words
from salons.models import MAX_PEOPLE, MAX_SESSIONS, GrantProgram, GrantTier, PlanKind
from tests.factories import GrantProgramFactory, GrantTierFactory

FY = 2026
KINDS = [PlanKind.NEW, PlanKind.RESUMED, PlanKind.CONTINUING]

sessions_st = st.integers(min_value=0, max_value=MAX_SESSIONS)
participants_st = st.integers(min_value=0, max_value=MAX_PEOPLE)
kinds_st = st.sampled_from(KINDS)
start_st = st.one_of(
    st.none(),
    st.dates(min_value=datetime.date(FY, 4, 1), max_value=datetime.date(FY + 1, 3, 31)),
)
amount_st = st.integers(min_value=0, max_value=100_000)


def program(**overrides) -> GrantProgram:
    """The factory's 令和8年度 rules, unsaved."""
    values = {
        "fiscal_year": FY,
        "name": "令和8年度ふれあいサロン活動助成",
        "opens_on": datetime.date(FY, 4, 1),
        "closes_on": datetime.date(FY + 1, 2, 28),
        "base_amount": 15000,
        "late_start_base_amount": 7500,
        "per_participant_amount": 200,
        "startup_amount": 10000,
        "cap_amount": 100000,
        "min_sessions": 6,
        "min_participants": 5,
        **overrides,
    }
    return GrantProgram(**values)


@st.composite
def tier_lists(draw, increasing=True):
    """Tiers at distinct session counts; by default more sessions never earn less."""
    thresholds = sorted(draw(st.sets(st.integers(min_value=1, max_value=MAX_SESSIONS), max_size=4)))
    amounts = draw(st.lists(amount_st, min_size=len(thresholds), max_size=len(thresholds)))
    if increasing:
        amounts = sorted(amounts)
    return [GrantTier(min_sessions=n, amount=a) for n, a in zip(thresholds, amounts, strict=True)]


@st.composite
def programs(draw):
    return program(
        base_amount=draw(amount_st),
        late_start_base_amount=draw(st.one_of(st.none(), amount_st)),
        per_participant_amount=draw(st.integers(min_value=0, max_value=2000)),
        startup_amount=draw(amount_st),
        cap_amount=draw(st.one_of(st.none(), st.integers(min_value=0, max_value=500_000))),
        min_sessions=draw(st.integers(min_value=0, max_value=24)),
        min_participants=draw(st.integers(min_value=0, max_value=20)),
    )


def run(p, tiers, kind, sessions, participants, start=None):
    return estimate(
        p,
        kind=kind,
        sessions=sessions,
        participants=participants,
        first_session_on=start,
        tiers=tiers,
    )


# --- properties ----------------------------------------------------------------------


@given(programs(), tier_lists(), kinds_st, sessions_st, participants_st, start_st)
def test_amount_is_never_negative_nor_above_the_cap(p, tiers, kind, sessions, people, start):
    result = run(p, tiers, kind, sessions, people, start)
    assert result.amount >= 0
    if p.cap_amount is not None:
        assert result.amount <= p.cap_amount
    assert result.capped == (
        p.cap_amount is not None and sum(a for _, a in result.lines) > p.cap_amount
    )
    if result.eligible and not result.capped:
        assert result.amount == sum(a for _, a in result.lines)


@given(programs(), tier_lists(), kinds_st, sessions_st, participants_st, start_st)
def test_below_the_minimums_there_is_nothing(p, tiers, kind, sessions, people, start):
    result = run(p, tiers, kind, sessions, people, start)
    below = sessions < p.min_sessions or people < p.min_participants
    assert result.eligible == (not below)
    if below:
        assert result.amount == 0
        assert result.reasons
        assert result.lines == []


@given(programs(), tier_lists(), kinds_st, sessions_st, sessions_st, participants_st, start_st)
def test_more_sessions_never_give_less(p, tiers, kind, s1, s2, people, start):
    low, high = sorted((s1, s2))
    assert run(p, tiers, kind, low, people, start).amount <= (
        run(p, tiers, kind, high, people, start).amount
    )


@given(programs(), tier_lists(), kinds_st, sessions_st, participants_st, participants_st, start_st)
def test_more_participants_never_give_less(p, tiers, kind, sessions, n1, n2, start):
    low, high = sorted((n1, n2))
    assert run(p, tiers, kind, sessions, low, start).amount <= (
        run(p, tiers, kind, sessions, high, start).amount
    )


@given(programs(), tier_lists(), sessions_st, participants_st, start_st)
def test_new_and_resumed_get_exactly_the_startup_amount_more(p, tiers, sessions, people, start):
    continuing = run(p, tiers, PlanKind.CONTINUING, sessions, people, start)
    for kind in (PlanKind.NEW, PlanKind.RESUMED):
        starting = run(p, tiers, kind, sessions, people, start)
        assert starting.amount >= continuing.amount
        assert starting.eligible == continuing.eligible
        uncapped = p.cap_amount is None or continuing.amount + p.startup_amount <= p.cap_amount
        if continuing.eligible and uncapped:
            assert starting.amount == continuing.amount + p.startup_amount


@given(programs(), tier_lists(), kinds_st, sessions_st, participants_st, start_st)
def test_a_late_start_uses_the_late_base(p, tiers, kind, sessions, people, start):
    result = run(p, tiers, kind, sessions, people, start)
    assume(result.eligible)
    labels = dict(result.lines)
    late = start is not None and start.month in SECOND_HALF_MONTHS
    if late and p.late_start_base_amount is not None:
        assert labels["基本額（年度の後半から開始）"] == p.late_start_base_amount
        assert "基本額" not in labels
    else:
        assert "基本額（年度の後半から開始）" not in labels
        assert labels.get("基本額", 0) == p.base_amount


@given(programs(), tier_lists(), kinds_st, sessions_st, participants_st)
def test_only_the_highest_tier_reached_counts(p, tiers, kind, sessions, people):
    result = run(p, tiers, kind, sessions, people)
    assume(result.eligible)
    tier_lines = [(label, a) for label, a in result.lines if label.endswith("回以上の加算")]
    reached = [t for t in tiers if t.min_sessions <= sessions]
    if not reached:
        assert tier_lines == []
    else:
        top = max(reached, key=lambda t: t.min_sessions)
        assert tier_lines == [(f"開催{top.min_sessions}回以上の加算", top.amount)]


@given(programs(), tier_lists(increasing=False))
def test_rules_in_words_mention_every_configured_rule(p, tiers):
    text = "\n".join(rules_in_words(p, tiers=tiers))
    if p.min_sessions:
        assert f"年間{p.min_sessions}回以上開催" in text
    if p.min_participants:
        assert f"参加者{p.min_participants}人以上" in text
    if p.base_amount:
        assert f"基本額: {p.base_amount:,}円" in text
    if p.late_start_base_amount is not None:
        assert f"10月以降に活動を始めるときの基本額: {p.late_start_base_amount:,}円" in text
    if p.per_participant_amount:
        assert f"参加者1人につき{p.per_participant_amount:,}円" in text
    for tier in tiers:
        assert f"年間{tier.min_sessions}回以上開催するときは{tier.amount:,}円を加算" in text
    if p.startup_amount:
        assert f"立ち上げ額{p.startup_amount:,}円" in text
    if p.cap_amount is not None:
        assert f"年間{p.cap_amount:,}円" in text
    else:
        assert "上限" not in text


# --- examples ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "sessions", "people", "start", "amount"),
    [
        (PlanKind.CONTINUING, 12, 15, datetime.date(FY, 4, 8), 18000),
        (PlanKind.NEW, 12, 15, datetime.date(FY, 4, 8), 28000),
        (PlanKind.RESUMED, 12, 15, datetime.date(FY, 4, 8), 28000),
        (PlanKind.NEW, 6, 10, datetime.date(FY, 10, 1), 7500 + 2000 + 10000),
        (PlanKind.CONTINUING, 6, 5, datetime.date(FY + 1, 3, 1), 7500 + 1000),
        (PlanKind.CONTINUING, 6, 5, datetime.date(FY, 9, 30), 15000 + 1000),
        (PlanKind.CONTINUING, 5, 15, None, 0),
        (PlanKind.CONTINUING, 12, 4, None, 0),
        (PlanKind.CONTINUING, 366, 10000, None, 100000),
    ],
)
def test_the_factory_rules(kind, sessions, people, start, amount):
    assert run(program(), [], kind, sessions, people, start).amount == amount


def test_missing_numbers_ask_for_them():
    result = estimate(program(), kind=PlanKind.NEW, sessions=None, participants=None)
    assert not result.eligible and result.amount == 0
    assert result.reasons == ["年間の開催回数と参加者数の見込みを入力すると計算します。"]


def test_reasons_name_each_minimum_missed():
    result = run(program(), [], PlanKind.CONTINUING, 5, 4)
    assert result.reasons == [
        "年間の開催回数が6回以上のサロンが対象です。",
        "参加者が5人以上のサロンが対象です。",
    ]


def test_capped_result_is_flagged():
    result = run(program(per_participant_amount=10000), [], PlanKind.NEW, 12, 15)
    assert result.amount == 100000 and result.capped


def test_tiers_highest_reached_only():
    tiers = [GrantTier(min_sessions=12, amount=5000), GrantTier(min_sessions=24, amount=12000)]
    assert run(program(), tiers, PlanKind.CONTINUING, 11, 15).amount == 18000
    assert run(program(), tiers, PlanKind.CONTINUING, 12, 15).amount == 23000
    assert run(program(), tiers, PlanKind.CONTINUING, 30, 15).amount == 30000


def test_a_bare_program_works():
    bare = program(
        base_amount=10000,
        late_start_base_amount=None,
        per_participant_amount=0,
        startup_amount=0,
        cap_amount=None,
        min_sessions=0,
        min_participants=0,
    )
    result = run(bare, [], PlanKind.NEW, 0, 0, datetime.date(FY, 12, 1))
    assert result.eligible and result.amount == 10000
    assert result.lines == [("基本額", 10000)]
    assert rules_in_words(bare, tiers=[]) == ["基本額: 10,000円。"]
    huge = run(bare, [], PlanKind.NEW, MAX_SESSIONS, MAX_PEOPLE)
    assert huge.amount == 10000 and not huge.capped


def test_a_zero_cap_gives_nothing_but_stays_eligible():
    result = run(program(cap_amount=0), [], PlanKind.NEW, 12, 15)
    assert result.eligible and result.amount == 0 and result.capped


@pytest.mark.django_db
def test_saved_tiers_are_read_from_the_database():
    saved = GrantProgramFactory()
    GrantTierFactory(program=saved, min_sessions=24, amount=12000)
    GrantTierFactory(program=saved, min_sessions=12, amount=5000)
    assert estimate(saved, kind=PlanKind.CONTINUING, sessions=24, participants=15).amount == 30000
    assert [rule for rule in rules_in_words(saved) if "回以上開催するとき" in rule] == [
        "年間12回以上開催するときは5,000円を加算。",
        "年間24回以上開催するときは12,000円を加算。",
    ]
