"""An activity log's time range, place and partly known date: typed in the admin as the
source gives them, refused in Japanese when they cannot be, and shown on the public
report pages exactly as entered (and not at all when not entered)."""

import datetime
import re

import pytest

from coordinators.models import ActivityLog
from shakyo_portal.core.precision import DatePrecision
from tests.coordinators.test_admin import LOG_ADD, LOG_LIST, export, log_form
from tests.factories import ActivityLogFactory, CoordinatorFactory


def main(html):
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def saved(client, **overrides):
    coordinator = overrides.pop("coordinator", None) or CoordinatorFactory()
    response = client.post(LOG_ADD, log_form(client, coordinator, **overrides))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return ActivityLog.objects.get()


# --- the admin ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"starts_at": "10:00", "ends_at": "9:00"},
            "ends_at",
            "終了時刻は開始時刻より後にしてください。",
        ),
        (
            {"starts_at": "10:00", "ends_at": "10:00"},
            "ends_at",
            "終了時刻は開始時刻より後にしてください。",
        ),
        ({"ends_at": "14:00"}, "starts_at", "終了時刻を入れるときは開始時刻も入力してください。"),
        ({"starts_at": "あさ"}, "starts_at", "開始時刻は「10:00」のように入力してください。"),
        (
            {"starts_at": "10:00", "date_precision": "month"},
            "starts_at",
            "時刻を入れるときは、活動日を日付まで入力してください"
            "（活動日の精度を「日付まで分かる」に）。",
        ),
    ],
)
def test_times_that_cannot_be_are_refused_in_japanese_and_nothing_is_saved(
    superuser, db, overrides, field, message
):
    data = log_form(superuser, CoordinatorFactory(), place="市民会館 特設会場", **overrides)
    response = superuser.post(LOG_ADD, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [message]
    html = response.content.decode()
    assert message in html
    assert 'value="市民会館 特設会場"' in html  # what was typed stays
    assert not ActivityLog.objects.exists()


def test_a_time_range_and_place_are_kept_as_typed(superuser, db):
    log = saved(
        superuser, starts_at="１０：００", ends_at="14時", place="コープ総社センター 特設会場"
    )
    assert (log.starts_at, log.ends_at) == (datetime.time(10), datetime.time(14))
    assert log.place == "コープ総社センター 特設会場"
    assert log.time_label == "10:00〜14:00"


def test_a_start_without_an_end_is_kept(superuser, db):
    log = saved(superuser, starts_at="9:30")
    assert (log.starts_at, log.ends_at, log.time_label) == (datetime.time(9, 30), None, "9:30〜")


@pytest.mark.parametrize(
    ("precision", "typed", "stored", "label"),
    [
        ("month", "2025-12-18", datetime.date(2025, 12, 1), "令和7年12月"),
        ("fiscal_year", "2026-02-10", datetime.date(2025, 4, 1), "令和7年度"),
    ],
)
def test_a_date_known_only_to_its_month_or_year_keeps_only_that(
    superuser, db, precision, typed, stored, label
):
    log = saved(superuser, date=typed, date_precision=precision)
    assert (log.date, log.date_precision, log.date_label) == (stored, precision, label)
    changelist = superuser.get(LOG_LIST).content.decode()
    assert f">{label}</a>" in changelist


def test_a_year_long_date_fits_a_coordinator_who_started_during_it(superuser, db):
    """Any day of the 年度 could be the day: one inside the period is enough."""
    coordinator = CoordinatorFactory(
        display_name="途中から", active_from=datetime.date(2025, 10, 1)
    )
    log = saved(superuser, coordinator=coordinator, date="2025-04-01", date_precision="fiscal_year")
    assert log.date == datetime.date(2025, 4, 1)
    response = superuser.post(
        LOG_ADD,
        log_form(superuser, coordinator, date="2025-09-01", date_precision="month"),
    )
    assert "活動日が途中からさんの担当の期間" in response.content.decode()
    assert ActivityLog.objects.count() == 1


def test_the_csv_writes_a_partial_date_as_known_and_the_time_and_place(superuser, db):
    exact = ActivityLogFactory(
        date=datetime.date(2026, 10, 24),
        starts_at=datetime.time(10),
        ends_at=datetime.time(14),
        place="特設会場",
    )
    yearly = ActivityLogFactory(
        date=datetime.date(2025, 4, 1), date_precision=DatePrecision.FISCAL_YEAR
    )
    _, rows = export(superuser, "export_logs", [exact, yearly])
    assert rows[0][-2:] == ["時間", "会場"]
    by_pk = {row[0]: row for row in rows[1:]}
    assert by_pk[str(exact.pk)][1] == "2026-10-24"
    assert by_pk[str(exact.pk)][-2:] == ["10:00〜14:00", "特設会場"]
    assert by_pk[str(yearly.pk)][1] == "2025年度"
    assert by_pk[str(yearly.pk)][-2:] == ["", ""]


# --- the public pages -----------------------------------------------------------------


@pytest.fixture
def food_drive(db):
    return ActivityLogFactory(
        published=True,
        title="フードドライブの開催",
        date=datetime.date(2026, 10, 24),
        starts_at=datetime.time(10),
        ends_at=datetime.time(14),
        place="コープ総社センター 特設会場",
    )


def test_the_report_shows_the_time_range_and_place(resident, food_drive):
    html = main(resident.get(food_drive.get_absolute_url()).content.decode())
    assert "<dt>活動日</dt><dd>令和8年10月24日(土) 10:00〜14:00</dd>" in html
    assert "<dt>会場</dt><dd>コープ総社センター 特設会場</dd>" in html
    listing = main(resident.get("/coordinators/reports/").content.decode())
    assert '<span class="report-card__date">令和8年10月24日(土) 10:00〜14:00</span>' in listing
    assert "<dt>会場</dt><dd>コープ総社センター 特設会場</dd>" in listing


def test_without_time_or_place_nothing_is_shown_for_them(resident, db):
    report = ActivityLogFactory(published=True, date=datetime.date(2026, 6, 10))
    html = main(resident.get(report.get_absolute_url()).content.decode())
    assert "<dt>活動日</dt><dd>令和8年6月10日(水)</dd>" in html
    assert "<dt>会場</dt>" not in html
    assert "〜" not in html.split("<dt>活動日</dt>", 1)[1].split("</dd>", 1)[0]


def test_a_report_known_only_to_its_year_never_shows_a_day(resident, db):
    report = ActivityLogFactory(
        published=True,
        title="活動報告会",
        date=datetime.date(2025, 4, 1),
        date_precision=DatePrecision.FISCAL_YEAR,
    )
    html = main(resident.get(report.get_absolute_url()).content.decode())
    assert "<dt>活動日</dt><dd>令和7年度</dd>" in html
    listing = main(resident.get("/coordinators/reports/").content.decode())
    assert '<span class="report-card__date">令和7年度</span>' in listing
    assert not re.search(r"令和7年4月1日", html + listing)
    found = main(resident.get("/search/", {"q": "活動報告会"}).content.decode())
    assert '<p class="search-result__meta">令和7年度・' in found


def test_the_site_search_finds_a_report_by_its_place(resident, food_drive):
    found = main(resident.get("/search/", {"q": "コープ総社"}).content.decode())
    assert "フードドライブの開催" in found
