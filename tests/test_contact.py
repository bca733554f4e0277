"""The offices, and whether each is open now (土日, 祝日 and 12/29–1/3 closed)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shakyo_portal.core.models import Office
from tests.factories import OfficeFactory, SiteProfileFactory

TOKYO = ZoneInfo("Asia/Tokyo")


def at(*args):
    return datetime.datetime(*args, tzinfo=TOKYO)


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
            at(2026, 11, 21, 10, 0),
            False,
            "本日は休業日です（土曜日）。次の受付は令和8年11月24日(火) 8:30からです",
        ),
        (
            at(2026, 11, 23, 10, 0),
            False,
            "本日は休業日です（勤労感謝の日）。次の受付は令和8年11月24日(火) 8:30からです",
        ),
        (
            at(2025, 5, 6, 10, 0),
            False,
            "本日は休業日です（振替休日）。次の受付は令和7年5月7日(水) 8:30からです",
        ),
        (
            at(2026, 12, 29, 10, 0),
            False,
            "本日は休業日です（年末年始）。次の受付は令和9年1月4日(月) 8:30からです",
        ),
        (at(2027, 1, 4, 10, 0), True, "ただいま受付中です"),
        # A UTC moment is judged in Japan time: 01:00 UTC is 10:00 in Tokyo.
        (datetime.datetime(2026, 11, 24, 1, 0, tzinfo=datetime.UTC), True, "ただいま受付中です"),
    ],
)
def test_status_at(office, moment, is_open, label):
    status = office.status_at(moment)
    assert (status.is_open, status.label) == (is_open, label)


def test_contact_page_lists_each_office_with_its_status(resident, office, monkeypatch):
    OfficeFactory(name="総務課", show_in_footer=False)
    monkeypatch.setattr("django.utils.timezone.now", lambda: at(2026, 11, 23, 10, 0))
    html = resident.get(reverse("contact")).content.decode()
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<h1>お問合せ</h1>" in main
    assert "地域共生推進課" in main and "総務課" in main
    assert '<a href="tel:0866-92-8552">0866-92-8552</a>' in main
    assert "月〜金 8:30〜17:15（土・日・祝日、12月29日〜1月3日を除く）" in main
    assert "本日は休業日です（勤労感謝の日）。次の受付は令和8年11月24日(火) 8:30からです" in main
    footer = html.split("<footer", 1)[1]
    assert "総務課" not in footer  # not a footer office


def test_footer_shows_open_now(resident, office, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: at(2026, 11, 24, 10, 0))
    footer = resident.get("/").content.decode().split("<footer", 1)[1]
    assert "ただいま受付中です" in footer


def test_empty_state(resident, db):
    assert "現在、掲載している情報はありません" in resident.get("/contact/").content.decode()


def test_office_hours_must_be_in_order(office):
    office.opens_at = datetime.time(18, 0)
    with pytest.raises(ValidationError, match="受付終了時刻は受付開始時刻より後にしてください。"):
        office.full_clean()


def test_query_count(resident, office, django_assert_max_num_queries):
    OfficeFactory.create_batch(10)
    # site profile, all offices, footer offices
    with django_assert_max_num_queries(3):
        resident.get("/contact/")


def test_admin_edits_the_council_profile_once(superuser, office):
    assert superuser.get(reverse("admin:shakyo_portal_siteprofile_changelist")).status_code == 200
    # The profile exists already, so there is no second one to add, and none to delete.
    assert superuser.get(reverse("admin:shakyo_portal_siteprofile_add")).status_code == 403
    assert Office.objects.count() == 1


def test_admin_refuses_a_bad_office_phone(superuser, office):
    response = superuser.post(
        reverse("admin:shakyo_portal_office_change", args=[office.pk]),
        {
            "name": "地域共生推進課",
            "phone": "0866-92-855２２２",
            "fax": "",
            "email": "",
            "postal_code": "71９-11",
            "address": "",
            "opens_at": "08:30",
            "closes_at": "17:15",
            "display_order": "0",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "電話番号は0から始まる10桁または11桁" in html
    assert "郵便番号は7桁の数字で入力してください" in html
    office.refresh_from_db()
    assert office.phone == "0866-92-8552"
