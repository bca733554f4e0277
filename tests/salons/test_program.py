"""The public page of a 年度's 活動助成: its rules in words, its window, worked examples."""

import datetime

import pytest
from django.utils import timezone

from salons.grants import rules_in_words
from tests.factories import GrantProgramFactory, GrantTierFactory


@pytest.fixture
def program(db):
    today = timezone.localdate()
    return GrantProgramFactory(
        fiscal_year=2026,
        name="令和8年度ふれあいサロン活動助成",
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=10),
        report_due_on=datetime.date(2027, 4, 30),
        notes="領収書の写しを保管してください。\n\n会食は衛生に気をつけてください。",
    )


def page(client, fy=2026):
    return client.get(f"/salons/programs/{fy}/").content.decode()


def test_the_rules_are_written_out(resident, program):
    html = page(resident)
    assert "<h1>令和8年度ふれあいサロン活動助成</h1>" in html
    for rule in rules_in_words(program):
        assert rule in html
    assert "基本額: 15,000円。" in html
    assert "参加者1人につき200円を加算。" in html
    assert "上限: 1サロンにつき年間100,000円。" in html
    assert "令和9年4月30日(金)までに提出" in html
    assert "<p>領収書の写しを保管してください。</p>" in html


def test_the_window_is_in_wareki_and_open_means_a_link_to_start(resident, program):
    html = page(resident)
    assert f"{program.opens_on.month}月{program.opens_on.day}日" in html
    assert "令和" in html
    assert "受付中です" in html
    assert 'href="/salons/plans/"' in html


def test_a_closed_window_offers_no_form(resident, program):
    GrantProgramFactory(
        fiscal_year=2024,
        name="令和6年度ふれあいサロン活動助成",
        opens_on=datetime.date(2024, 4, 1),
        closes_on=datetime.date(2025, 2, 28),
    )
    html = page(resident, 2024)
    assert "受付は終わりました" in html
    assert "令和6年4月1日(月)〜令和7年2月28日(金)" in html
    assert 'href="/salons/plans/"' not in html
    # Each year links to the others.
    assert 'href="/salons/programs/2026/"' in html


def test_a_window_yet_to_open_says_when(resident, db):
    today = timezone.localdate()
    GrantProgramFactory(
        fiscal_year=2030,
        opens_on=today + datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=60),
    )
    html = page(resident, 2030)
    assert "から受け付けます" in html
    assert 'href="/salons/plans/"' not in html


def test_worked_examples_follow_the_rules(resident, program):
    html = page(resident)
    # 継続 12回 15人: 15,000 + 15 × 200
    assert "継続・年12回・参加者15人・4月から" in html
    assert "18,000円" in html
    # 新規: + 10,000 start-up
    assert "新規・年12回・参加者15人・4月から" in html
    assert "28,000円" in html
    # 新規 from October: late base 7,500 + 3,000 + 10,000
    assert "新規・年6回・参加者15人・10月から" in html
    assert "20,500円" in html
    # One session short of the minimum gets nothing, and says why.
    assert "継続・年5回・参加者15人・4月から" in html
    assert "対象外" in html
    assert "年間の開催回数が6回以上のサロンが対象です。" in html


def test_examples_are_computed_not_typed(resident, program):
    GrantTierFactory(program=program, min_sessions=12, amount=5000)
    program.base_amount = 20000
    program.save()
    html = page(resident)
    assert "年間12回以上開催するときは5,000円を加算。" in html
    assert "28,000円" in html  # 継続: 20,000 + 3,000 + 5,000
    assert "開催12回以上の加算: 5,000円" in html


def test_the_cap_is_shown_when_it_applies(resident, program):
    program.per_participant_amount = 10000
    program.save()
    html = page(resident)
    assert "（上限の100,000円まで）" in html


def test_a_program_without_optional_rules(resident, db):
    GrantProgramFactory(
        fiscal_year=2025,
        late_start_base_amount=None,
        per_participant_amount=0,
        startup_amount=0,
        cap_amount=None,
        min_sessions=0,
        min_participants=0,
        notes="",
    )
    html = page(resident, 2025)
    assert "基本額: 15,000円。" in html
    assert "上限" not in html
    assert "10月から" not in html
    assert "対象外" not in html


def test_unknown_years_are_404(resident, program):
    assert resident.get("/salons/programs/1999/").status_code == 404
    assert resident.get("/salons/programs/99999999999999999999/").status_code == 404
    assert resident.get("/salons/programs/r8/").status_code == 404


def test_queries_are_bounded(resident, program, django_assert_max_num_queries):
    for n in range(5):
        GrantTierFactory(program=program, min_sessions=10 + n, amount=1000 * n)
    for fy in range(2015, 2025):
        GrantProgramFactory(fiscal_year=fy)
    # program, its tiers, the other years, site profile, footer offices.
    with django_assert_max_num_queries(5):
        assert resident.get("/salons/programs/2026/").status_code == 200
