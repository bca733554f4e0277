"""見える化: counts by kind and by area for a 年度, with small counts about people hidden."""

import datetime
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coordinators.insights import SMALL, Tally, insights, protect, protect_complements
from coordinators.models import LogKind
from tests.coordinators.scenario import SHELL_QUERIES
from tests.factories import (
    ActivityLogFactory,
    CoordinatorFactory,
    DistrictFactory,
    LifeAreaFactory,
)

URL = "/coordinators/insights/"


def main(html):
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def table(html, caption):
    """{row header: [cell texts]} of the table with this caption."""
    part = html.split(caption, 1)[1].split("</table>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", part, re.S):
        header = re.search(r'<th scope="row">(.*?)</th>', row, re.S)
        if header:
            rows[header.group(1).strip()] = re.findall(r'<td class="number">([^<]*)</td>', row)
    return rows


@pytest.fixture
def year(db):
    """令和8年度: a busy district, a quiet one, a sub-district, a life area, city-wide work."""
    soja = DistrictFactory(name="総社", slug="soja", display_order=1)
    tokiwa = DistrictFactory(name="常盤", slug="tokiwa", display_order=2)
    kiyone = DistrictFactory(name="清音", slug="kiyone", display_order=3)
    kiyone_1 = DistrictFactory(name="清音第1", slug="kiyone-1", parent=kiyone)
    hidden = DistrictFactory(name="隠れ地区", slug="kakure", hidden=True)
    west = LifeAreaFactory(name="総社西中学校区", slug="west", districts=[kiyone])
    coordinator = CoordinatorFactory()
    day = datetime.date(2026, 6, 1)

    def log(**kwargs):
        kwargs.setdefault("consultations", 0)
        kwargs.setdefault("referrals", 0)
        return ActivityLogFactory(coordinator=coordinator, date=day, **kwargs)

    # Internal logs count too (as numbers only).
    log(district=soja, kind=LogKind.CONSULTATION, consultations=12, referrals=6)
    log(district=soja, kind=LogKind.LAUNCH, participants=5, published=True)
    log(district=tokiwa, kind=LogKind.VISIT, consultations=2, referrals=1)
    log(district=kiyone_1, kind=LogKind.CONSULTATION, consultations=7, referrals=2)
    log(life_area=west, kind=LogKind.MEETING, participants=20, published=True)
    log(kind=LogKind.STUDY, participants=3, published=True)
    log(district=hidden, kind=LogKind.NETWORKING, participants=8)
    # Other 年度 stay out of this one.
    ActivityLogFactory(coordinator=coordinator, date=datetime.date(2026, 3, 31), published=True)
    ActivityLogFactory(coordinator=coordinator, date=datetime.date(2024, 4, 1))
    return coordinator


def test_counts_every_log_of_the_year_by_kind_and_by_area(resident, year):
    response = resident.get("/coordinators/insights/2026/")
    assert response.status_code == 200
    html = main(response.content.decode())
    by_kind = table(html, "令和8年度 活動の種類ごとの件数")
    # [logs, consultations, referrals, participants]
    # 個別訪問's 2 and 1 are hidden; so that the total less 相談対応 cannot give
    # them away, 相談対応's counts (the only others) are hidden too.
    assert by_kind["相談対応"] == ["2件", "非公表", "非公表", "0人"]
    assert by_kind["個別訪問"] == ["1件", "非公表", "非公表", "0人"]
    assert by_kind["立ち上げ支援"] == ["1件", "0件", "0件", "5人"]
    assert by_kind["研修"] == ["1件", "0件", "0件", "3人"]
    assert by_kind["合計"] == ["7件", "21件", "9件", "36人"]

    by_area = table(html, "令和8年度 地区・圏域ごとの件数")
    # [logs, consultations, referrals, participants, launches]
    assert list(by_area) == [
        "総社",
        "常盤",
        "清音",
        "総社西中学校区",
        "市全域・地区の指定なし",
        "合計",
    ]
    assert by_area["総社"] == ["2件", "12件", "6件", "5人", "1件"]
    # 常盤's 2 and 1 are hidden; so that they cannot be worked out from the total,
    # the next smallest shown count is hidden too (清音's 7 and 2).
    assert by_area["常盤"] == ["1件", "非公表", "非公表", "0人", "0件"]
    assert by_area["清音"] == ["1件", "非公表", "非公表", "0人", "0件"]
    assert by_area["総社西中学校区"] == ["1件", "0件", "0件", "20人", "0件"]
    # The hidden district's log counts as 市全域, unnamed.
    assert by_area["市全域・地区の指定なし"] == ["2件", "0件", "0件", "11人", "0件"]
    assert "隠れ地区" not in html
    assert "令和8年度のまとめ" in html


def test_the_page_says_what_it_counts_and_why_it_hides(resident, year):
    html = main(resident.get("/coordinators/insights/2026/").content.decode())
    assert "公開していない記録も、件数だけを数えています" in html
    assert f"{SMALL}件未満のときは「非公表」" in html


def test_charts_are_server_drawn_images_with_a_name_and_summary(resident, year):
    html = main(resident.get("/coordinators/insights/2026/").content.decode())
    charts = re.findall(r"<svg [^>]*>", html)
    assert len(charts) == 2
    for chart_id, svg in zip(["chart-kind", "chart-area"], charts, strict=True):
        assert 'role="img"' in svg
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in svg
        assert f'<title id="{chart_id}-title">' in html
        assert f'<desc id="{chart_id}-desc">' in html
    assert "最も多いのは相談対応（2件）" in html
    # The second series is hatched, so it reads apart without colour.
    assert 'fill="url(#chart-area-hatch)"' in html
    # Hidden counts have no bar, only the word.
    area_svg = html.split('id="chart-area-title"', 1)[1].split("</svg>", 1)[0]
    assert area_svg.count(">非公表</text>") == 4
    assert "<script" not in html and "style=" not in html


def test_default_is_the_current_year_and_the_year_form_goes_to_its_address(resident, year):
    html = main(resident.get(URL).content.decode())
    assert "令和8年度（2026年4月〜2027年3月）" in html
    assert 'value="2026" selected' in html
    assert '<option value="2024">令和6年度（2024年度）</option>' in html
    response = resident.get(URL, {"year": "2025"})
    assert response.status_code == 302
    assert response["Location"] == "/coordinators/insights/2025/"
    html = main(resident.get("/coordinators/insights/2025/").content.decode())
    assert "令和7年度（2025年4月〜2026年3月）" in html


@pytest.mark.parametrize("value", ["abc", "2019", "令和8", "２０２５", "", "9" * 100])
def test_a_bad_year_shows_the_default_with_a_message(resident, year, value):
    response = resident.get(URL, {"year": value})
    assert response.status_code == 200
    html = main(response.content.decode())
    assert "指定された年度の集計はないため、令和8年度の集計を表示しています。" in html
    assert "<title>年度の指定エラー：活動の見える化（令和8年度）｜" in response.content.decode()


@pytest.mark.parametrize("path", ["2019/", "2027/", "99999999999999999999/"])
def test_a_year_without_logs_is_not_found(resident, year, path):
    assert resident.get(URL + path).status_code == 404


def test_without_this_years_logs_the_latest_year_is_shown(resident, db):
    ActivityLogFactory(date=datetime.date(2024, 5, 1))
    html = main(resident.get(URL).content.decode())
    assert "令和6年度" in html
    assert "年度を選ぶ" not in html  # one year: nothing to choose


def test_empty(resident, db):
    response = resident.get(URL)
    assert response.status_code == 200
    assert "の活動は、まだ記録されていません。" in main(response.content.decode())
    assert "<svg" not in response.content.decode()


def test_read_only(resident, year):
    assert resident.post(URL).status_code == 405
    assert resident.post(URL + "2026/").status_code == 405


def test_query_count_does_not_grow_with_the_data(resident, db, django_assert_max_num_queries):
    def make(n):
        for i in range(n):
            district = DistrictFactory(parent=DistrictFactory() if i % 4 == 0 else None)
            area = LifeAreaFactory(districts=[district])
            for kind in list(LogKind)[: i % 8 + 1]:
                ActivityLogFactory(
                    kind=kind,
                    district=district if i % 2 else None,
                    life_area=None if i % 2 else area,
                    date=datetime.date(2026, 4 + i % 6, 1),
                    published=i % 3 == 0,
                )

    # the shell, the 年度 with logs, the counts by kind and area (one query for both
    # tables), those districts' and those life areas' names
    expected = SHELL_QUERIES + 4
    make(5)
    with django_assert_max_num_queries(expected):
        assert resident.get(URL + "2026/").status_code == 200
    make(50)
    for path in ["", "2026/", "?year=bad"]:
        with django_assert_max_num_queries(expected):
            assert resident.get(URL + path).status_code == 200


def test_exact_counts_for_staff_are_not_protected(year):
    result = insights(2026)
    assert next(t for t in result.by_kind if t.label == "個別訪問").consultations == 2
    assert not any(t.hidden for t in [*result.by_kind, *result.by_area, result.total])


# --- the rule, over every table -----------------------------------------------------------

counts = st.integers(min_value=0, max_value=40)


@given(st.lists(st.tuples(counts, counts), min_size=1, max_size=12))
def test_no_hidden_count_can_be_worked_out_from_the_rest(cells):
    rows = [Tally(f"地区{n}", consultations=c, referrals=r) for n, (c, r) in enumerate(cells)]
    total = Tally(
        "合計", consultations=sum(c for c, _ in cells), referrals=sum(r for _, r in cells)
    )
    protect([*rows, total])
    protect_complements(rows, total)
    for name in ("consultations", "referrals"):
        for tally in [*rows, total]:
            value = getattr(tally, name)
            # Nothing small is ever shown, and nothing but small or protecting counts is hidden.
            if 0 < value < SMALL:
                assert tally.shown(name) is None
            if value == 0:
                assert tally.shown(name) == 0
        hidden = [row for row in rows if row.shown(name) is None]
        if total.shown(name) is not None:
            # Subtracting what is shown from the total leaves the sum of two or more areas.
            assert len(hidden) != 1
        # Exactly one area at most is hidden only to protect another.
        assert len([row for row in hidden if getattr(row, name) >= SMALL]) <= 1


def test_neither_table_gives_a_hidden_count_away(year):
    # The review's case: one kind with a small count, the total shown.
    result = insights(2026).protected()
    for rows in (result.by_kind, result.by_area):
        for name in ("consultations", "referrals"):
            if result.total.shown(name) is None:
                continue
            hidden = [row for row in rows if row.shown(name) is None]
            assert len(hidden) != 1, (name, [row.label for row in hidden])
