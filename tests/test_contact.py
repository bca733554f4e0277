"""The offices as their council enters them: hours, special days, numbers, and
whether each is open now, on the contact page, the home page and the footer."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from shakyo_portal.core.models import Office, OfficeSpecialDay, SpecialDayKind
from shakyo_portal.public.context_processors import SiteContext
from tests.factories import OfficeFactory, SiteProfileFactory

TOKYO = ZoneInfo("Asia/Tokyo")
T = datetime.time


def at(*args):
    return datetime.datetime(*args, tzinfo=TOKYO)


def main_of(html):
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def footer_of(html):
    return html.split("<footer", 1)[1]


@pytest.fixture
def office(db):
    SiteProfileFactory()
    return OfficeFactory(name="地域共生推進課", phone="0866-92-8552", fax="0866-94-0089")


@pytest.mark.parametrize(
    ("moment", "is_open", "label"),
    [
        (at(2026, 11, 24, 10, 0), True, "ただいま受付中です"),  # Tuesday
        (at(2026, 11, 24, 8, 0), False, "本日は8:30から受付します"),
        (
            at(2026, 11, 24, 17, 15),
            False,
            "本日の受付は終了しました。次の受付は令和8年11月25日(水) 8:30からです",
        ),
        (
            at(2026, 11, 23, 10, 0),
            False,
            "本日は休業日です（勤労感謝の日）。次の受付は令和8年11月24日(火) 8:30からです",
        ),
        (
            at(2026, 12, 29, 10, 0),
            False,
            "本日は休業日です（年末年始）。次の受付は令和9年1月4日(月) 8:30からです",
        ),
    ],
)
def test_status_at(office, moment, is_open, label):
    status = office.status_at(moment)
    assert (status.is_open, status.label) == (is_open, label)


def test_holiday_or_year_end_follows_the_office_closure(office):
    office.year_end_start_day, office.year_end_end_day = 28, 4
    assert office.holiday_or_year_end(datetime.date(2026, 12, 28)) == "年末年始"
    assert office.holiday_or_year_end(datetime.date(2027, 1, 4)) == "年末年始"
    assert office.holiday_or_year_end(datetime.date(2026, 11, 23)) == "勤労感謝の日"
    office.closes_on_holidays = False  # a meeting's date rule asks all the same
    assert office.holiday_or_year_end(datetime.date(2026, 11, 23)) == "勤労感謝の日"
    assert office.holiday_or_year_end(datetime.date(2026, 11, 24)) is None


def test_contact_page_lists_each_office_with_its_status(resident, office, monkeypatch):
    OfficeFactory(name="総務課", show_in_footer=False)
    monkeypatch.setattr("django.utils.timezone.now", lambda: at(2026, 11, 23, 10, 0))
    html = resident.get(reverse("contact")).content.decode()
    main = main_of(html)
    assert "<h1>お問合せ</h1>" in main
    assert "地域共生推進課" in main and "総務課" in main
    # No label the council did not give (the source says only TEL).
    assert '<a href="tel:0866-92-8552">0866-92-8552</a></dd>' in main
    assert "月〜金 8:30〜17:15（土・日・祝日、12月29日〜1月3日を除く）" in main
    assert "本日は休業日です（勤労感謝の日）。次の受付は令和8年11月24日(火) 8:30からです" in main
    assert "総務課" not in footer_of(html)  # not a footer office


def test_footer_shows_open_now(resident, office, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: at(2026, 11, 24, 10, 0))
    assert "ただいま受付中です" in footer_of(resident.get("/").content.decode())


def test_empty_state(resident, db):
    assert "現在、掲載している情報はありません" in resident.get("/contact/").content.decode()


def test_query_count(resident, office, django_assert_max_num_queries):
    for extra in OfficeFactory.create_batch(10):
        extra.phones.create(label="直通", number="0866-00-0009")
        extra.special_days.create(date=datetime.date(2027, 2, 5), kind=SpecialDayKind.CLOSED)
    # site profile, every office with its periods, special days and phones
    with django_assert_max_num_queries(2):
        resident.get("/contact/")


def test_an_office_named_on_another_page_costs_no_query_of_its_own(
    office, rf, django_assert_num_queries
):
    """A district's or an event's office (select_related, nothing prefetched) is
    drawn from the shell's offices, which the footer fetches anyway."""
    office.phones.create(label="直通", number="0866-00-0009")
    site = SiteContext()
    site.all_offices  # noqa: B018 - the footer's query, run before the page's body
    plain = Office.objects.get(pk=office.pk)
    with django_assert_num_queries(0):
        html = render_to_string("includes/office_rows.html", {"office": plain, "site": site})
    assert "0866-00-0009</a>（直通）" in html
    assert "月〜金 8:30〜17:15" in html


# --- the admin ------------------------------------------------------------------------


def office_form(**fields):
    """The office change form as the admin posts it: its fields and its three inlines."""
    data = {
        "name": "権利擁護センター",
        "postal_code": "719-1131",
        "address": "岡山県総社市中央一丁目1番3号",
        "phone": "0866-00-0011",
        "phone_label": "相談専用",
        "fax": "",
        "email": "kenri@example.jp",
        "publishes_hours": "on",
        "closes_on_holidays": "on",
        "year_end_start_month": "12",
        "year_end_start_day": "28",
        "year_end_end_month": "1",
        "year_end_end_day": "4",
        "hours_note": "土曜日は電話相談のみです。",
        "display_order": "30",
        "show_in_footer": "on",
    }
    periods = fields.pop("periods", [])
    special_days = fields.pop("special_days", [])
    phones = fields.pop("phones", [])
    data.update(fields)
    for prefix, rows in (
        ("hours_periods", periods),
        ("special_days", special_days),
        ("phones", phones),
    ):
        data |= {
            f"{prefix}-TOTAL_FORMS": str(len(rows)),
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
        for n, row in enumerate(rows):
            data |= {f"{prefix}-{n}-{key}": value for key, value in row.items()}
    return {key: value for key, value in data.items() if value is not None}


def period(weekday, opens, closes):
    return {"weekday": str(weekday), "opens": opens, "closes": closes}


LUNCH_BREAK_WEEK = [
    *(period(day, "9:00", "12:00") for day in range(5)),
    *(period(day, "１３：００", "16:00") for day in range(5)),  # typed full width
    period(5, "9:00", "12:00"),
]


def test_admin_adds_an_office_and_every_page_shows_exactly_that(
    superuser, resident, office, monkeypatch
):
    response = superuser.post(
        reverse("admin:shakyo_portal_office_add"),
        office_form(
            periods=LUNCH_BREAK_WEEK,
            special_days=[
                {"date": "2026/12/5", "kind": "closed", "label": "職員研修のため臨時休業"},
                {
                    "date": "２０２６年１２月１３日",
                    "kind": "open",
                    "label": "日曜相談会",
                    "opens": "10:00",
                    "closes": "15:00",
                },
            ],
            phones=[{"label": "事務所", "number": "0866-00-0012", "display_order": "1"}],
        ),
    )
    assert response.status_code == 302, response.content.decode()
    added = Office.objects.get(name="権利擁護センター")
    assert added.hours_periods.count() == 11

    # A Monday, in the lunch break.
    monkeypatch.setattr("django.utils.timezone.now", lambda: at(2026, 11, 30, 12, 30))
    html = resident.get(reverse("contact")).content.decode()
    card = main_of(html).split(f'id="office-{added.pk}"', 1)[1].split("</section>", 1)[0]
    assert "本日は13:00から受付します" in card
    assert (
        "月〜金 9:00〜12:00、13:00〜16:00／土 9:00〜12:00（日・祝日、12月28日〜1月4日を除く）"
        in card
    )
    assert "<dd>土曜日は電話相談のみです。</dd>" in card
    assert '<a href="tel:0866-00-0011">0866-00-0011</a>（相談専用）' in card
    assert '<a href="tel:0866-00-0012">0866-00-0012</a>（事務所）' in card
    assert "令和8年12月5日(土) 休業します（職員研修のため臨時休業）" in card
    assert "令和8年12月13日(日) 10:00〜15:00に受付します（日曜相談会）" in card

    # The home page and the footer show the same office the same way.
    home = resident.get("/").content.decode()
    assert "権利擁護センター" in main_of(home)
    assert "0866-00-0011</a>（相談専用）" in main_of(home)
    assert '<a href="tel:0866-00-0012">0866-00-0012</a>（事務所）' in footer_of(home)

    # On the special open Sunday it is open; on the closed Saturday it is not.
    monkeypatch.setattr("django.utils.timezone.now", lambda: at(2026, 12, 13, 11, 0))
    assert "ただいま受付中です" in main_of(resident.get("/").content.decode())
    monkeypatch.setattr("django.utils.timezone.now", lambda: at(2026, 12, 5, 10, 0))
    assert (
        "本日は休業日です（職員研修のため臨時休業）。次の受付は令和8年12月7日(月) 9:00からです"
        in main_of(resident.get("/").content.decode())
    )


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        (
            {"periods": [period(0, "17:00", "9:00")]},
            "受付終了は受付開始より後の時刻にしてください。",
        ),
        (
            {"periods": [period(2, "8:30", "13:00"), period(2, "12:00", "17:15")]},
            "水曜日の受付時間が重なっています。",
        ),
        ({"periods": [period(0, "8時半", "17:00")]}, "時刻は「10:00」のように入力してください。"),
        (
            {"special_days": [{"date": "2026/12/5", "kind": "closed", "opens": "9:00"}]},
            "休業日には受付時間を入力しません。",
        ),
        (
            {"special_days": [{"date": "2026/12/5", "kind": "open", "opens": "9:00"}]},
            "受付開始と受付終了は、両方とも入力してください。",
        ),
        ({"year_end_end_day": ""}, "4つとも入力してください"),
        ({"year_end_start_month": "2", "year_end_start_day": "30"}, "2月に30日はありません。"),
        ({"year_end_end_month": "13"}, "この値は 12 以下でなければなりません。"),
        ({"phones": [{"label": "直通", "number": "0866-00", "display_order": "1"}]}, "電話番号は"),
    ],
)
def test_admin_refuses_bad_input_in_japanese_and_keeps_what_was_typed(
    superuser, office, fields, error
):
    response = superuser.post(reverse("admin:shakyo_portal_office_add"), office_form(**fields))
    html = response.content.decode()
    assert response.status_code == 200
    assert error in html
    assert 'value="権利擁護センター"' in html
    assert "土曜日は電話相談のみです。" in html
    for row in fields.get("periods", []):
        # As typed, or as the time it was read as (8:30 shown as 08:30).
        assert f'value="{row["opens"]}"' in html or f'value="{row["opens"]:0>5}"' in html
    assert not Office.objects.filter(name="権利擁護センター").exists()
    assert not OfficeSpecialDay.objects.exists()


def test_admin_refuses_a_bad_office_phone(superuser, office):
    response = superuser.post(
        reverse("admin:shakyo_portal_office_change", args=[office.pk]),
        office_form(name="地域共生推進課", phone="0866-92-855２２２", postal_code="71９-11"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "電話番号は0から始まる10桁または11桁" in html
    assert "郵便番号は7桁の数字で入力してください" in html
    office.refresh_from_db()
    assert office.phone == "0866-92-8552"


def test_admin_edits_the_council_profile_once(superuser, office):
    assert superuser.get(reverse("admin:shakyo_portal_siteprofile_changelist")).status_code == 200
    # The profile exists already, so there is no second one to add, and none to delete.
    assert superuser.get(reverse("admin:shakyo_portal_siteprofile_add")).status_code == 403
    assert (
        superuser.get(reverse("admin:shakyo_portal_office_change", args=[office.pk])).status_code
        == 200
    )
    assert Office.objects.count() == 1
    listing = superuser.get(reverse("admin:shakyo_portal_office_changelist")).content.decode()
    assert "月〜金 8:30〜17:15（土・日・祝日、12月29日〜1月3日を除く）" in listing


# --- hours not published --------------------------------------------------------------


@pytest.mark.parametrize("moment", [at(2026, 11, 24, 10, 0), at(2026, 11, 22, 10, 0)])
def test_unpublished_hours_claim_nothing_anywhere(resident, office, monkeypatch, moment):
    office.publishes_hours = False
    office.hours_note = "受付時間はお電話でお問い合わせください。"
    office.save()
    office.special_days.create(date=datetime.date(2026, 12, 5), kind=SpecialDayKind.CLOSED)
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    for url in ("/", reverse("contact")):
        html = resident.get(url).content.decode()
        for claim in (
            "受付中",
            "から受付します",
            "休業日",
            "次の受付",
            "受付は終了",
            "月〜金",
            "休業します",
        ):
            assert claim not in html, (url, claim)
        assert '<a href="tel:0866-92-8552">0866-92-8552</a>' in html
        assert "受付時間はお電話でお問い合わせください。" in html
    # Nor does any page speak of hours no office publishes.
    for url in ("/", reverse("about")):
        html = resident.get(url).content.decode()
        assert "いまの受付" not in html and "受付時間の一覧" not in html, url
        assert "電話番号と受付時間" not in html, url
