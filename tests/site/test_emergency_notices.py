"""緊急時のお知らせ: switched on in the admin, above every page while current, gone when
switched off or ended, not there before it starts."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shakyo_portal.core.models import EmergencyNotice, NoticeLevel
from tests.factories import OfficeFactory, SiteProfileFactory
from tests.site.factories import EmergencyNoticeFactory

PAGES = ["/", "/contact/", "/about/", "/about/plan/", "/districts/", "/no-such-page/"]
BANNER = re.compile(r'<section class="emergency-banner[^"]*"[^>]*>.*?</section>', re.S)


@pytest.fixture
def site(db):
    OfficeFactory()
    return SiteProfileFactory()


def banners(client, url="/"):
    return BANNER.findall(client.get(url).content.decode())


def test_a_current_notice_is_on_every_page_above_the_header(resident, site):
    EmergencyNoticeFactory(
        title="災害ボランティアセンターを開設しました",
        body="ボランティアを募集しています。\n受付は総社市総合福祉センターです。",
        link_url="/contact/",
        link_label="受付の窓口",
    )
    for url in PAGES:
        html = resident.get(url).content.decode()
        assert html.count('class="emergency-banner ') == 1, url
        # After the skip link, before the header.
        assert (
            html.index('class="skip-link"')
            < html.index("emergency-banner")
            < html.index('<header class="site-header">')
        ), url
    banner = banners(resident)[0]
    assert 'class="emergency-banner emergency-banner--urgent"' in banner
    # A region named by its heading; never role="alert", which would interrupt on every page.
    assert re.search(r'aria-labelledby="(emergency-\d+-heading)".*id="\1"', banner, re.S)
    assert "role=" not in banner
    assert re.search(
        r"<h2 [^>]*>\s*<span [^>]*>緊急</span>\s*災害ボランティアセンターを開設しました", banner
    )
    assert "ボランティアを募集しています。<br>受付は総社市総合福祉センターです。" in banner
    assert '<a class="emergency-banner__link" href="/contact/">受付の窓口</a>' in banner
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0900">令和', banner)


def test_a_notice_without_a_link_says_what_it_must_and_stops(resident, site):
    EmergencyNoticeFactory(level=NoticeLevel.IMPORTANT, title="断水のお知らせ")
    banner = banners(resident)[0]
    assert "emergency-banner--important" in banner
    assert ">重要</span>" in banner
    assert "<a " not in banner


def test_urgent_notices_come_first_then_the_newest(resident, site):
    now = timezone.now()
    EmergencyNoticeFactory(
        title="重要で新しい",
        level=NoticeLevel.IMPORTANT,
        starts_at=now - datetime.timedelta(minutes=5),
    )
    EmergencyNoticeFactory(title="緊急で古い", starts_at=now - datetime.timedelta(days=2))
    EmergencyNoticeFactory(title="緊急で新しい", starts_at=now - datetime.timedelta(hours=1))
    found = [
        re.search(r"(緊急|重要)で(古い|新しい)", banner).group(0) for banner in banners(resident)
    ]
    assert found == ["緊急で新しい", "緊急で古い", "重要で新しい"]


@pytest.mark.parametrize("state", ["switched_off", "ended", "scheduled"])
def test_only_current_notices_show(resident, site, state):
    EmergencyNoticeFactory(title="表示されないお知らせ", **{state: True})
    for url in PAGES:
        html = resident.get(url).content.decode()
        assert "emergency-banner" not in html, url
        assert "表示されないお知らせ" not in html, url


def test_a_notice_ends_at_its_end_time(site):
    now = timezone.now()
    notice = EmergencyNoticeFactory(ends_at=now + datetime.timedelta(minutes=10))
    assert list(EmergencyNotice.objects.current(now)) == [notice]
    assert list(EmergencyNotice.objects.current(now + datetime.timedelta(minutes=10))) == []
    assert not notice.is_current_at(now + datetime.timedelta(minutes=10))
    scheduled = EmergencyNoticeFactory(scheduled=True)
    assert not scheduled.is_current
    assert scheduled in EmergencyNotice.objects.current(scheduled.starts_at)


MOMENTS = st.datetimes(
    # Naive bounds are how hypothesis takes them; the values come out in UTC.
    min_value=datetime.datetime(2026, 1, 1),  # noqa: DTZ001
    max_value=datetime.datetime(2026, 1, 3),  # noqa: DTZ001
    timezones=st.just(datetime.UTC),
)


@settings(
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    starts=MOMENTS,
    length=st.none()
    | st.timedeltas(min_value=datetime.timedelta(seconds=1), max_value=datetime.timedelta(days=1)),
    active=st.booleans(),
    now=MOMENTS,
)
def test_the_database_and_the_model_agree_on_what_is_current(db, starts, length, active, now):
    notice = EmergencyNoticeFactory(
        starts_at=starts, ends_at=starts + length if length else None, is_active=active
    )
    try:
        in_database = EmergencyNotice.objects.current(now).filter(pk=notice.pk).exists()
        assert in_database == notice.is_current_at(now)
    finally:
        notice.delete()


def test_escapes_what_staff_type(resident, site):
    EmergencyNoticeFactory(title="<script>alert(1)</script>", body="<b>太字</b>")
    html = resident.get("/").content.decode()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;太字&lt;/b&gt;" in html


NOWHERE = "/no-such-page/"


def test_pages_spend_a_query_on_notices_only_while_one_is_up(
    resident, site, django_assert_max_num_queries, django_assert_num_queries
):
    OfficeFactory.create_batch(5)
    for state in ["switched_off", "ended", "scheduled"]:
        EmergencyNoticeFactory.create_batch(10, **{state: True})
    # On a page with nothing else to ask (the 404): site profile (asking whether
    # a notice is current), footer offices.
    with django_assert_num_queries(2):
        resident.get(NOWHERE)
    EmergencyNoticeFactory.create_batch(3)
    # the same, and the current notices
    with django_assert_num_queries(3):
        html = resident.get(NOWHERE).content.decode()
    assert html.count('class="emergency-banner ') == 3
    EmergencyNoticeFactory.create_batch(27)
    with django_assert_max_num_queries(3):
        html = resident.get(NOWHERE).content.decode()
    assert html.count('class="emergency-banner ') == 30


def test_a_site_without_its_profile_shows_no_notice(resident, db):
    EmergencyNoticeFactory(title="プロフィールより先のお知らせ")
    response = resident.get("/")
    assert response.status_code == 200
    assert "emergency-banner" not in response.content.decode()


# --- the admin ------------------------------------------------------------------------

ADD = reverse("admin:shakyo_portal_emergencynotice_add")
CHANGELIST = reverse("admin:shakyo_portal_emergencynotice_changelist")


def notice_data(**changes):
    today = timezone.localdate()
    return {
        "level": "urgent",
        "title": "災害ボランティアセンターを開設しました",
        "body": "片付けのボランティアを募集しています。",
        "link_url": "/contact/",
        "link_label": "",
        "is_active": "on",
        "starts_at_0": (today - datetime.timedelta(days=1)).isoformat(),
        "starts_at_1": "09:00",
        "ends_at_0": "",
        "ends_at_1": "",
        **changes,
    }


def test_staff_switch_a_notice_on_and_off(superuser, resident, site):
    response = superuser.post(ADD, notice_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    notice = EmergencyNotice.objects.get()
    assert "災害ボランティアセンターを開設しました" in banners(resident)[0]
    assert "詳しい情報を見る" in banners(resident)[0]

    changelist = superuser.get(CHANGELIST).content.decode()
    assert "いま表示中" in changelist
    # Unticking 掲載する in the list switches it off at once.
    response = superuser.post(
        CHANGELIST,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(notice.pk),
            "_save": "保存",
        },
    )
    assert response.status_code == 302
    assert not EmergencyNotice.objects.get().is_active
    assert banners(resident) == []


def test_the_switch_off_action(superuser, resident, site):
    notices = EmergencyNoticeFactory.create_batch(2)
    response = superuser.post(
        CHANGELIST,
        {"action": "switch_off", "_selected_action": [n.pk for n in notices]},
        follow=True,
    )
    assert "2件のお知らせの掲載をやめました。" in response.content.decode()
    assert not EmergencyNotice.objects.filter(is_active=True).exists()
    assert banners(resident) == []


def test_showing_now_filter(superuser, site):
    EmergencyNoticeFactory(title="いま出ているお知らせ")
    EmergencyNoticeFactory(title="終わったお知らせ", ended=True)
    html = superuser.get(CHANGELIST, {"showing": "yes"}).content.decode()
    assert "いま出ているお知らせ" in html and "終わったお知らせ" not in html
    html = superuser.get(CHANGELIST, {"showing": "no"}).content.decode()
    assert "終わったお知らせ" in html and "いま出ているお知らせ" not in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"ends_at_0": "2020-01-01", "ends_at_1": "09:00"},
            "ends_at",
            "掲載終了日時は掲載開始日時より後にしてください。",
        ),
        (
            {"link_url": "javascript:alert(1)"},
            "link_url",
            "リンク先は「/」で始まるこのサイトのアドレスか、「https://」で始まるアドレスを入力してください。",
        ),
        ({"link_url": "//evil.example/"}, "link_url", "リンク先は「/」で始まる"),
        ({"title": ""}, "title", "このフィールドは必須です。"),
    ],
)
def test_bad_notices_are_refused_in_japanese(superuser, resident, site, changes, field, message):
    data = notice_data(body="入力した本文は消えません。", **changes)
    response = superuser.post(ADD, data)
    html = response.content.decode()
    assert response.status_code == 200
    # The message is attached to the field at fault.
    errors = re.search(rf'<ul class="errorlist[^"]*" id="id_{field}_error">(.*?)</ul>', html, re.S)
    assert errors and message in errors.group(1)
    # What was typed is still there.
    assert "入力した本文は消えません。" in html
    assert not EmergencyNotice.objects.exists()
    assert banners(resident) == []


def test_notices_can_link_to_another_site(superuser, site):
    response = superuser.post(ADD, notice_data(link_url="https://www.example.jp/saigai/"))
    assert response.status_code == 302
    assert EmergencyNotice.objects.get().link_url == "https://www.example.jp/saigai/"
