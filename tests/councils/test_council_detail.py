"""A council's page: purpose, members by role, schedule and coming dates,
annual plan, and the archive of meetings by 年度."""

import datetime
import re

import pytest
from django.utils import timezone

from councils.models import MeetingFormat, MeetingStatus, MemberRole, Position
from shakyo_portal.core.fiscal import fiscal_year, fiscal_year_label
from tests.councils.scenario import HIDDEN_NAME, build_councils
from tests.factories import (
    AnnualPlanFactory,
    AnnualPlanItemFactory,
    CouncilFactory,
    CouncilMemberFactory,
    DistrictFactory,
    MeetingFactory,
)


@pytest.fixture
def world(db):
    return build_councils()


def section(html, heading_id):
    return html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def test_shows_purpose_area_and_districts(resident, world):
    html = resident.get(world.local.get_absolute_url()).content.decode()
    assert "<h1>いい輪ネットきよね（清音中学校区 圏域地域包括ケア会議）" in html
    assert "第2層（日常生活圏域）の協議体・清音中学校区" in html
    assert world.local.purpose in html
    assert "清音と山手の2つの地区からなる圏域です。" in html
    assert '<a href="/districts/kiyone/">清音' in html
    assert '<a href="/districts/yamate/">山手' in html


def test_members_by_role_with_only_consented_names(resident, world):
    html = section(resident.get(world.local.get_absolute_url()).content.decode(), "members-heading")
    local = html.index("<h3>地域の活動者</h3>")
    connecting = html.index("<h3>つなぐ活動者</h3>")
    supporting = html.index("<h3>支援の活動者</h3>")
    assert local < html.index("清音地区社協") < connecting
    assert connecting < html.index("生活協同組合") < supporting
    assert supporting < html.index("民生委員児童委員協議会")
    assert "会長" in html and "副会長" in html
    assert "（山﨑 花子）" in html
    assert HIDDEN_NAME not in html
    assert "解散した老人クラブ" not in html  # its term has ended


def test_a_council_with_no_members_says_so(resident, world):
    html = resident.get(world.irregular.get_absolute_url()).content.decode()
    assert "構成員の情報は、まだ掲載していません。" in html


def test_coming_dates_list_meetings_and_the_rules_expected_dates(resident, world):
    html = section(
        resident.get(world.local.get_absolute_url()).content.decode(), "schedule-heading"
    )
    assert "原則月末の月曜日 10:00〜12:00" in html
    assert "清音公民館" in html
    assert f'<a href="{world.coming.get_absolute_url()}">{world.coming.when}</a>' in html
    expected = [
        day
        for day in world.local.expected_dates(start=world.today, count=4)
        if (day.year, day.month) != (world.coming.held_on.year, world.coming.held_on.month)
    ][:2]
    for day in expected:
        assert f"{day.month}月{day.day}日" in html
    assert html.count("予定（目安）</span>") == 2
    assert "「予定（目安）」は定例会の決まりから計算した日です" in html


def test_a_called_off_coming_meeting_is_marked(resident, world):
    html = section(resident.get(world.city.get_absolute_url()).content.decode(), "schedule-heading")
    assert world.called_off.when in html
    assert 'council-badge--off">中止</span>' in html
    # It does not count: three dates are still planned besides it.
    assert html.count("予定（目安）</span>") == 3


def test_an_irregular_council_without_meetings_says_when_it_will_know(resident, world):
    html = section(
        resident.get(world.irregular.get_absolute_url()).content.decode(), "schedule-heading"
    )
    assert "不定期" in html
    assert "次回の日程は決まっていません。" in html
    assert "予定（目安）" not in html


def test_the_archive_is_grouped_by_fiscal_year_newest_first(resident, world):
    html = section(resident.get(world.local.get_absolute_url()).content.decode(), "archive-heading")
    years = re.findall(r"<h3>(令和\d+年度)</h3>", html)
    wanted = sorted(
        {fiscal_year(m.held_on) for m in world.past.values() if m.council_id == world.local.pk},
        reverse=True,
    )
    assert years == [fiscal_year_label(fy) for fy in wanted]
    # Called-off and written meetings stay, marked.
    assert 'council-badge--off">中止</span>' in html
    assert 'council-badge--off">延期</span>' in html
    assert 'council-badge">書面開催</span>' in html
    assert 'council-badge">オンライン</span>' in html
    assert world.past["cancelled"].get_absolute_url() in html
    # The coming meeting is not in the archive.
    assert world.coming.get_absolute_url() not in html


def test_a_meeting_held_today_is_in_the_archive(resident, world):
    today = MeetingFactory(council=world.irregular, held_on=timezone.localdate(), status="held")
    html = resident.get(world.irregular.get_absolute_url()).content.decode()
    assert today.get_absolute_url() in section(html, "archive-heading")
    assert today.get_absolute_url() not in section(html, "schedule-heading")


def test_a_long_archive_paginates(resident, world):
    url = world.city.get_absolute_url()
    first = section(resident.get(url).content.decode(), "archive-heading")
    second = section(resident.get(url, {"page": "2"}).content.decode(), "archive-heading")
    meeting_link = r'<a href="/councils/seikatsu-shien/meetings/\d+/">'
    assert len(re.findall(meeting_link, first)) == 20
    assert len(re.findall(meeting_link, second)) == 2
    assert "会議の記録のページ送り" in first


@pytest.mark.parametrize("query", [{"page": "abc"}, {"page": "0"}, {"page": "9" * 30}])
def test_bad_page_numbers_never_fail(resident, world, query):
    assert resident.get(world.city.get_absolute_url(), query).status_code == 200


def test_the_annual_plan_is_a_table_with_headers_and_merged_months(resident, world):
    html = section(resident.get(world.city.get_absolute_url()).content.decode(), "plan-heading")
    label = fiscal_year_label(world.plan.fiscal_year)
    assert f'<caption id="plan-caption">{label}の年間計画' in html
    assert '<th scope="col">4月</th>' in html and '<th scope="col">3月</th>' in html
    assert '<th scope="row">第1層協議体</th>' in html
    # One aim the whole year: one cell, whose span is said to a screen reader.
    assert '<td colspan="12"><span class="visually-hidden">4月〜3月：</span>情報交換</td>' in html
    # An empty month says so without reading out a dash.
    assert '<span aria-hidden="true">—</span><span class="visually-hidden">記載なし</span>' in html
    # The phone version: one expandable row per line of work.
    assert "<summary>第1層協議体</summary>" in html
    assert "<dt>10月</dt><dd>フォーラムの準備</dd>" in html
    assert "月ごとの予定は、まだ入っていません。" in html
    assert "予定は変わることがあります。" in html


def test_other_years_plans_are_one_link_away(resident, world):
    url = world.city.get_absolute_url()
    last = world.plan.fiscal_year - 1
    html = section(resident.get(url).content.decode(), "plan-heading")
    assert f'href="?plan={last}#plan-heading"' in html
    assert 'aria-current="page">' + fiscal_year_label(world.plan.fiscal_year) in html
    html = section(resident.get(url, {"plan": str(last)}).content.decode(), "plan-heading")
    assert f"{fiscal_year_label(last)}の年間計画の項目は、まだ掲載していません。" in html


@pytest.mark.parametrize("plan", ["1999", "abc", "２０２５", "9" * 50, ""])
def test_an_unknown_plan_year_shows_the_current_plan(resident, world, plan):
    response = resident.get(world.city.get_absolute_url(), {"plan": plan})
    assert response.status_code == 200
    assert fiscal_year_label(world.plan.fiscal_year) + "の年間計画" in response.content.decode()


def test_without_a_current_plan_the_newest_begun_one_is_shown(resident, db):
    council = CouncilFactory()
    fy = fiscal_year(timezone.localdate())
    AnnualPlanItemFactory(plan=AnnualPlanFactory(council=council, fiscal_year=fy - 2), title="古い")
    AnnualPlanItemFactory(plan=AnnualPlanFactory(council=council, fiscal_year=fy - 1), title="前年")
    AnnualPlanItemFactory(plan=AnnualPlanFactory(council=council, fiscal_year=fy + 1), title="来年")
    html = resident.get(council.get_absolute_url()).content.decode()
    assert '<th scope="row">前年</th>' in html
    only_future = CouncilFactory()
    AnnualPlanItemFactory(
        plan=AnnualPlanFactory(council=only_future, fiscal_year=fy + 1), title="来年だけ"
    )
    html = resident.get(only_future.get_absolute_url()).content.decode()
    assert '<th scope="row">来年だけ</th>' in html


def test_contact_is_the_councils_office_or_the_contact_page(resident, world):
    html = section(resident.get(world.city.get_absolute_url()).content.decode(), "contact-heading")
    assert "地域共生推進課" in html and "0866-92-8552" in html
    html = section(resident.get(world.local.get_absolute_url()).content.decode(), "contact-heading")
    assert 'href="/contact/"' in html


def test_hidden_and_unknown_councils_are_404(resident, world):
    assert resident.get(world.hidden.get_absolute_url()).status_code == 404
    assert resident.get("/councils/no-such-council/").status_code == 404


def test_post_is_not_allowed(resident, world):
    assert resident.post(world.local.get_absolute_url()).status_code == 405


def test_query_count_does_not_grow(resident, shell_queries, django_assert_max_num_queries):
    council = CouncilFactory()
    council.life_area.districts.set(DistrictFactory.create_batch(2))
    today = timezone.localdate()

    def make(n):
        for i in range(n):
            CouncilMemberFactory(council=council, role=MemberRole.CONNECTING, consented=True)
            CouncilMemberFactory(council=council, position=Position.CHAIR)
            MeetingFactory(council=council, held_on=today - datetime.timedelta(days=20 + i))
            MeetingFactory(
                council=council,
                held_on=today - datetime.timedelta(days=400 + i),
                format=MeetingFormat.WRITTEN,
                status=MeetingStatus.HELD,
            )
            MeetingFactory(council=council, held_on=today + datetime.timedelta(days=5 + i))
            council.life_area.districts.add(DistrictFactory())
            plan = AnnualPlanFactory(council=council, fiscal_year=2000 + i + 10 * n)
            AnnualPlanItemFactory.create_batch(3, plan=plan)
        AnnualPlanItemFactory.create_batch(
            n,
            plan=AnnualPlanFactory(council=council, fiscal_year=fiscal_year(today) + 10 * n),
        )

    make(2)
    # the shell's, then the council (+area, office), the area's districts, current
    # members, coming meetings, the archive's count and page, annual plans, the
    # shown plan's rows
    with django_assert_max_num_queries(shell_queries + 8):
        resident.get(council.get_absolute_url())
    make(20)
    with django_assert_max_num_queries(shell_queries + 8):
        assert resident.get(council.get_absolute_url()).status_code == 200
