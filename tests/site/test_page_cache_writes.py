"""Every kind of write shows on the very next anonymous page (issue 15).

Each test first has a public page kept (a second reader gets `X-Page-Cache:
hit`), then writes through the interface that really makes that change — the
admin as a superuser, a service as the app calls it, the back office's CSV
import pages, a management command — and the next reader, with a fresh client,
gets the page built anew (`miss`) with the change on it. Nothing here bumps a
version itself: a write path the versions miss leaves its test failing.

Each test runs on the local-memory cache and on the Redis at 127.0.0.1:6379,
and on a clock held still (page_cache_helpers.Clock): a minute ending between
two requests would throw the kept page away and hide a missed write.
"""

import datetime
import io
import re
import threading
import uuid

import pytest
import redis
from django.apps import apps
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import connection, connections
from django.db.models.signals import post_save
from django.urls import reverse

from districts.models import District
from news.models import Post, Registration, RegistrationKind
from news.services import cancel
from salons.models import PlanKind, PlanStatus, Salon, StatusChange, StatusSubject
from salons.services import CONFLICT_MESSAGE, WorkflowError, submit_plan, transition
from shakyo_portal.core import cacheversions
from shakyo_portal.core.models import EmergencyNotice, Office
from shakyo_portal.core.storage import private_storage
from tests.districts.csv_helpers import ImportPages, csv_bytes
from tests.factories import (
    ActivityLogFactory,
    ActivityPlanFactory,
    ActivityTypeFactory,
    CoordinatorFactory,
    CouncilFactory,
    DistrictFactory,
    MeetingFactory,
    OfficeFactory,
    ResourceFactory,
    SalonFactory,
    SiteProfileFactory,
    UserFactory,
    WelfareCommitteeMemberFactory,
)
from tests.news.factories import EventFactory, PostFactory, RegistrationFactory
from tests.site.factories import BasicGoalFactory, EmergencyNoticeFactory
from tests.site.page_cache_helpers import HEADER, TOKYO, Clock, cached, fresh, get, main
from tests.staff.admin_forms import form_data

REDIS_URL = "redis://127.0.0.1:6379/3"
# A Monday morning, on the minute: the office is open and nothing is due.
MOMENT = datetime.datetime(2026, 12, 7, 10, 30, tzinfo=TOKYO)
DISTRICTS = "/districts/"


# --- the two caches and the clock -----------------------------------------------------


@pytest.fixture(params=["locmem", "redis"])
def cache_backend(request):
    """None for the local-memory cache; for Redis, this test's own key prefix.

    Other test processes share the Redis database, so it is never flushed:
    only the keys under this prefix are removed, once the test's settings are
    put back (this fixture is set up before `settings`, so torn down after)."""
    if request.param == "locmem":
        yield None
        return
    prefix = uuid.uuid4().hex
    client = redis.Redis.from_url(REDIS_URL)
    yield prefix
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture(autouse=True)
def shared_cache(cache_backend, _fresh_cache, settings, monkeypatch):
    """The cache of this run. After tests/conftest.py's _fresh_cache, so the
    cache.clear() it does before and after each test reaches the local-memory
    cache only, never the shared Redis."""
    if cache_backend:
        settings.CACHES = {
            "default": {
                "BACKEND": "shakyo_portal.core.rediscache.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": cache_backend,
            }
        }
    # An outage another test staged must not leave the cache skipped here.
    cacheversions.breaker.reset()


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    return Clock(monkeypatch, MOMENT)


@pytest.fixture
def site(db):
    OfficeFactory(name="地域福祉課")
    return SiteProfileFactory()


# --- the admin: saves and deletes -----------------------------------------------------


def test_an_admin_save_shows_on_the_list_and_the_page(superuser, site):
    district = DistrictFactory(name="三須地区", slug="misu", summary="見守り活動をしています。")
    page = f"/districts/{district.slug}/"
    for url in (DISTRICTS, page):
        assert "三須地区" in main(cached(url))

    url = reverse("admin:districts_district_change", args=[district.pk])
    data = form_data(superuser.get(url), name="服部地区", summary="給食サービスを始めました。")
    assert superuser.post(url, data).status_code == 302

    html = main(fresh(DISTRICTS))
    assert "服部地区" in html and "給食サービスを始めました。" in html
    assert "三須地区" not in html
    html = main(fresh(page))
    assert "服部地区" in html and "三須地区" not in html


def test_a_district_added_in_the_admin_is_listed(superuser, site):
    DistrictFactory(name="総社地区", slug="soja")
    assert "山手地区" not in main(cached(DISTRICTS))

    url = reverse("admin:districts_district_add")
    data = form_data(superuser.get(url), name="山手地区", reading="やまて", slug="yamate")
    assert superuser.post(url, data).status_code == 302

    assert "山手地区" in main(fresh(DISTRICTS))


def test_a_district_deleted_in_the_admin_leaves_the_list(superuser, site):
    DistrictFactory(name="総社地区", slug="soja")
    district = DistrictFactory(name="山手地区", slug="yamate")
    assert "山手地区" in main(cached(DISTRICTS))

    url = reverse("admin:districts_district_delete", args=[district.pk])
    assert superuser.post(url, {"post": "yes"}).status_code == 302

    html = main(fresh(DISTRICTS))
    assert "山手地区" not in html and "総社地区" in html


def test_posts_deleted_by_the_admins_list_action_leave_the_news(superuser, site):
    """The changelist's 削除 action deletes a queryset, not one object."""
    PostFactory(title="残すお知らせ")
    gone = PostFactory(title="取り下げたお知らせ")
    assert "取り下げたお知らせ" in main(cached("/news/"))

    changelist = reverse("admin:news_post_changelist")
    data = {"action": "delete_selected", "_selected_action": [gone.pk], "post": "yes"}
    assert superuser.post(changelist, data).status_code == 302
    assert not Post.objects.filter(pk=gone.pk).exists()

    html = main(fresh("/news/"))
    assert "取り下げたお知らせ" not in html and "残すお知らせ" in html


# --- the admin: inlines ---------------------------------------------------------------


def test_activities_added_changed_and_deleted_inline_show_on_the_district(superuser, site):
    district = DistrictFactory(name="常盤地区", slug="tokiwa")
    kind = ActivityTypeFactory(name="給食サービス", slug="kyushoku")
    page = f"/districts/{district.slug}/"
    url = reverse("admin:districts_district_change", args=[district.pk])
    assert "ふれあい給食会" not in main(cached(page))

    data = form_data(
        superuser.get(url),
        **{"activities-0-activity_type": str(kind.pk), "activities-0-name": "ふれあい給食会"},
    )
    assert superuser.post(url, data).status_code == 302
    assert "ふれあい給食会" in main(fresh(page))

    assert "ふれあい給食会" in main(cached(page))
    data = form_data(superuser.get(url), **{"activities-0-name": "ふれあい配食会"})
    assert superuser.post(url, data).status_code == 302
    html = main(fresh(page))
    assert "ふれあい配食会" in html and "ふれあい給食会" not in html

    assert "ふれあい配食会" in main(cached(page))
    data = form_data(superuser.get(url), **{"activities-0-DELETE": "on"})
    assert superuser.post(url, data).status_code == 302
    assert not district.activities.exists()
    assert "ふれあい配食会" not in main(fresh(page))


def test_office_hours_changed_inline_show_on_the_contact_page(superuser, site):
    """The hours belong to the site's shell: its own topic, not an app's."""
    office = Office.objects.get(name="地域福祉課")
    assert "8:30〜17:15" in main(cached("/contact/"))

    url = reverse("admin:shakyo_portal_office_change", args=[office.pk])
    # 月〜金 are the office's five rows of hours (OfficeFactory): each now closes at 16:00.
    closes = {f"hours_periods-{row}-closes": "16:00" for row in range(5)}
    assert superuser.post(url, form_data(superuser.get(url), **closes)).status_code == 302

    html = main(fresh("/contact/"))
    assert "8:30〜16:00" in html and "8:30〜17:15" not in html


# --- workflow services ----------------------------------------------------------------


def test_approving_a_new_salons_plan_lists_the_salon(site):
    """transition() is what the admin's review buttons call: approval registers the salon."""
    clerk = UserFactory(username="clerk", staff=True)
    district = DistrictFactory(name="清音地区", slug="kiyone")
    plan = ActivityPlanFactory(
        kind=PlanKind.NEW, salon=None, salon_name="ひだまりサロン", district=district
    )
    submit_plan(plan)
    transition(plan, PlanStatus.REVIEWING, actor=clerk)
    pages = ("/salons/", f"/districts/{district.slug}/")
    for url in pages:
        assert "ひだまりサロン" not in main(cached(url))

    transition(plan, PlanStatus.APPROVED, actor=clerk, seen_status=PlanStatus.REVIEWING)

    assert Salon.objects.filter(name="ひだまりサロン").exists()
    for url in pages:
        assert "ひだまりサロン" in main(fresh(url))


def test_a_cancelled_registration_frees_its_seats_on_the_event_page(site):
    """news.services.cancel, as the registrations admin calls it: an UPDATE of a row
    the event page counts, not of the event."""
    event = EventFactory(title="福祉講演会", registration=RegistrationKind.REQUIRED, capacity=10)
    registration = RegistrationFactory(event=event, people=3)
    page = f"/events/{event.pk}/"
    for url in (page, "/events/"):
        assert "残り7人" in main(cached(url))

    cancel(registration)

    for url in (page, "/events/"):
        html = main(fresh(url))
        assert "残り10人" in html and "残り7人" not in html


def read_elsewhere(url: str):
    """The page as a reader served by another worker gets it now: on a connection of
    its own, which sees only what is committed."""
    answer = {}

    def read():
        try:
            answer["page"] = get(url)
        finally:
            connections.close_all()

    reader = threading.Thread(target=read)
    reader.start()
    reader.join()
    return answer["page"]


@pytest.mark.parametrize("before", ["alone", "after_a_conflict"])
@pytest.mark.django_db(transaction=True)
def test_a_page_built_from_the_rows_before_an_approval_commits_is_not_served_after(before):
    """Another worker builds /salons/ while the approval's transaction is still open:
    it reads the versions the approval's writes already gave, and the rows as they
    were. Only the bump after the commit can tell that page from the new one.

    "after_a_conflict": on this connection, two staff acted on one plan a moment
    earlier and the loser's transition() was rolled back (tests/salons/test_services.py,
    test_two_staff_acting_on_one_plan_cannot_both_succeed). The admin calls
    transition() outside any transaction of its own, so each call is the outermost
    transaction, and the next approval must still get its bump after the commit."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite's test database locks a table another connection is writing, so no "
            "reader can build the page while the approval's transaction is open"
        )
    SiteProfileFactory()
    clerk = UserFactory(username="clerk", staff=True)
    district = DistrictFactory(name="清音地区", slug="kiyone")
    plan = ActivityPlanFactory(
        kind=PlanKind.NEW, salon=None, salon_name="ひだまりサロン", district=district
    )
    submit_plan(plan)
    transition(plan, PlanStatus.REVIEWING, actor=clerk)
    if before == "after_a_conflict":
        other = ActivityPlanFactory(
            kind=PlanKind.NEW, salon=None, salon_name="せせらぎサロン", district=district
        )
        submit_plan(other)
        transition(other, PlanStatus.REVIEWING, actor=clerk)
        transition(other, PlanStatus.APPROVED, actor=clerk, seen_status=PlanStatus.REVIEWING)
        with pytest.raises(WorkflowError, match=re.escape(CONFLICT_MESSAGE)):
            transition(
                other,
                PlanStatus.RETURNED,
                actor=clerk,
                reason="会場を書いてください",
                seen_status=PlanStatus.REVIEWING,
            )
    assert "ひだまりサロン" not in main(cached("/salons/"))

    during = []

    def another_reader(sender, instance, **kwargs):
        # After the approval's last write (the grant's entry in the plan's history):
        # a page built before it would be kept under a version that write replaced.
        if instance.subject == StatusSubject.GRANT:
            during.append(read_elsewhere("/salons/"))

    post_save.connect(another_reader, sender=StatusChange, dispatch_uid="another_reader")
    try:
        transition(plan, PlanStatus.APPROVED, actor=clerk, seen_status=PlanStatus.REVIEWING)
    finally:
        post_save.disconnect(sender=StatusChange, dispatch_uid="another_reader")

    (built,) = during
    assert built.status_code == 200 and built[HEADER] == "miss"
    assert "ひだまりサロン" not in main(built.content.decode())
    assert "ひだまりサロン" in main(fresh("/salons/"))


# --- CSV imports through the back office ----------------------------------------------


def test_districts_imported_from_a_csv_are_listed(superuser, site):
    pages = ImportPages("districts", "district")
    DistrictFactory(name="総社地区", slug="soja", reading="そうじゃ")
    assert "山手地区" not in main(cached(DISTRICTS))
    content = csv_bytes(
        [
            ["地区名", "よみがな", "URL名", "表示順"],
            ["山手地区", "やまて", "yamate", "2"],
            ["総社中央地区", "そうじゃ", "soja", "1"],
        ]
    )

    checked = pages.upload(superuser, content)
    assert checked.status_code == 200 and "エラー: 0件" in checked.content.decode()
    # Checking saves nothing: the kept page is still the page.
    assert get(DISTRICTS)[HEADER] == "hit"
    assert pages.confirm(superuser, checked).status_code == 302

    html = main(fresh(DISTRICTS))
    assert "山手地区" in html and "総社中央地区" in html and "総社地区" not in html


def test_coordinators_imported_from_a_csv_are_listed(superuser, site):
    pages = ImportPages("coordinators", "coordinator")
    DistrictFactory(name="清音地区", slug="kiyone")
    assert "鈴木 一郎" not in main(cached("/coordinators/"))
    content = csv_bytes(
        [
            ["表示名", "よみがな", "種類", "層", "担当する地区社協", "担当の開始日", "公開する"],
            ["鈴木 一郎", "すずき いちろう", "CSW", "第2層", "清音地区", "R6.4.1", "はい"],
        ]
    )

    checked = pages.upload(superuser, content)
    assert "エラー: 0件" in checked.content.decode()
    assert pages.confirm(superuser, checked).status_code == 302

    assert "鈴木 一郎" in main(fresh("/coordinators/"))


# --- restore --------------------------------------------------------------------------


@pytest.fixture
def storage_folders(settings, tmp_path, monkeypatch):
    """Upload folders of this test's own, so a backup holds and a restore writes
    only its files (as in tests/staff/test_backup.py)."""
    media, private = tmp_path / "media", tmp_path / "private"
    settings.MEDIA_ROOT = str(media)
    settings.PRIVATE_MEDIA_ROOT = str(private)
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": str(private)}},
    }
    for model in apps.get_models():
        for field in model._meta.fields:
            if getattr(field, "_storage_callable", None) is private_storage:
                monkeypatch.setattr(field, "storage", storages["private"])
    return tmp_path


# flush and restore commit, so the rows must really be written.
@pytest.mark.django_db(transaction=True)
def test_a_restore_shows_the_site_as_it_was_backed_up(storage_folders):
    SiteProfileFactory()
    district = DistrictFactory(name="清音地区", slug="kiyone")
    call_command("backup_site", output=storage_folders / "backups", stdout=io.StringIO())
    (archive,) = (storage_folders / "backups").glob("*.tar.gz")
    district.name = "書き換えた地区"
    district.save()
    DistrictFactory(name="後から足した地区", slug="later")
    assert "書き換えた地区" in main(cached(DISTRICTS))

    # Over the data there is: --force empties the database first.
    call_command("restore_site", str(archive), force=True, stdout=io.StringIO())

    html = main(fresh(DISTRICTS))
    assert "清音地区" in html
    assert "書き換えた地区" not in html and "後から足した地区" not in html

    # Into an emptied database: the restore only adds rows.
    call_command("flush", interactive=False, verbosity=0)
    assert "清音地区" not in main(cached(DISTRICTS))
    call_command("restore_site", str(archive), stdout=io.StringIO())
    assert "清音地区" in main(fresh(DISTRICTS))


# --- retention ------------------------------------------------------------------------

# Of the rules that touch rows a public page reads, only the registrations'
# shows: a 福祉委員 is anonymised 5 years after their term ended, and no page
# shows a member whose term is over (districts: current() only); plans and
# their drafts are never public. A past event's card still says whether it
# was full, from its confirmed registrations, so deleting those shows there.


def test_registrations_deleted_by_retention_no_longer_fill_the_past_event(site):
    over = MOMENT - datetime.timedelta(days=400)
    event = EventFactory(
        title="昨年度の福祉講演会",
        registration=RegistrationKind.REQUIRED,
        capacity=2,
        starts_at=over,
        ends_at=over + datetime.timedelta(hours=2),
        published_at=over - datetime.timedelta(days=30),
    )
    RegistrationFactory(event=event, people=2)
    past = "/events/?when=past"
    html = main(cached(past))
    assert "昨年度の福祉講演会" in html and "満員" in html

    out = io.StringIO()
    call_command("apply_retention", stdout=out)

    assert "行事の申込（終了から1年）: 1件を削除" in out.getvalue()
    assert not Registration.objects.exists()
    html = main(fresh(past))
    assert "満員" not in html and "残り2人" in html


# --- personal-data erasure ------------------------------------------------------------

SEARCH = reverse("admin:personal_data")
ACT = reverse("admin:personal_data_act")


@pytest.mark.parametrize("action", ["anonymise", "delete"])
def test_an_erased_welfare_member_leaves_the_district_page(superuser, site, action):
    district = DistrictFactory(name="清音地区", slug="kiyone")
    member = WelfareCommitteeMemberFactory(
        consented=True, district=district, name="山田 太郎", reading="やまだ たろう"
    )
    page = f"/districts/{district.slug}/"
    assert "山田 太郎" in main(cached(page))

    # As the 管理者 does it: find the person, choose the record, confirm.
    pick = f"{member._meta.label_lower}:{member.pk}"
    assert f'value="{pick}"' in superuser.get(SEARCH, {"name": "山田"}).content.decode()
    data = {"action": action, "pick": [pick], "reason": "削除依頼 受付第1号", "name": "山田"}
    assert superuser.post(ACT, data).status_code == 200
    assert superuser.post(ACT, {**data, "confirmed": "1"}).status_code == 302

    assert "山田 太郎" not in main(fresh(page))


# --- scheduled publishing -------------------------------------------------------------


def test_a_post_scheduled_for_ten_is_not_shown_at_959_and_shown_at_ten(site, clock):
    """No write happens at 10:00: the kept page ends with its minute."""
    ten = MOMENT.replace(hour=10, minute=0)
    clock.set(ten - datetime.timedelta(minutes=1))
    PostFactory(title="年末年始の休業のお知らせ", slug="nenmatsu", published_at=ten)
    pages = ("/news/", "/", "/news/feed/")
    for url in pages:
        assert "年末年始の休業のお知らせ" not in cached(url)
    clock.set(ten - datetime.timedelta(seconds=1))
    for url in pages:
        page = get(url)
        assert page[HEADER] == "hit"
        assert "年末年始の休業のお知らせ" not in page.content.decode()

    clock.set(ten)

    for url in pages:
        assert "年末年始の休業のお知らせ" in fresh(url)
    assert "年末年始の休業のお知らせ" in main(fresh("/news/posts/nenmatsu/"))


# --- the emergency banner -------------------------------------------------------------


@pytest.fixture
def every_kind_of_page(site):
    """One page of each kind the site serves to the public, all kept by the cache."""
    district = DistrictFactory(name="清音地区", slug="kiyone")
    salon = SalonFactory(district=district)
    PostFactory(slug="kenshu")
    event = EventFactory()
    council = CouncilFactory(slug="soja-kyogitai")
    meeting = MeetingFactory(council=council)
    report = ActivityLogFactory(published=True, coordinator=CoordinatorFactory())
    resource = ResourceFactory()
    BasicGoalFactory()
    return [
        "/",
        "/contact/",
        "/about/",
        "/about/plan/",
        "/search/?q=サロン",
        "/calendar/",
        DISTRICTS,
        "/districts/activities/",
        "/districts/areas/",
        f"/districts/{district.slug}/",
        "/salons/",
        f"/salons/{salon.pk}/",
        "/salons/plans/",
        "/news/",
        "/news/posts/kenshu/",
        "/events/",
        f"/events/{event.pk}/",
        "/newsletters/",
        "/councils/",
        f"/councils/{council.slug}/",
        f"/councils/{council.slug}/meetings/{meeting.pk}/",
        "/coordinators/",
        "/coordinators/reports/",
        f"/coordinators/reports/{report.pk}/",
        "/resources/",
        f"/resources/{resource.pk}/",
    ]


def banners(html: str) -> int:
    return html.count('class="emergency-banner ')


def test_an_emergency_notice_shows_on_every_page_once_saved_and_goes_once_deleted(
    superuser, every_kind_of_page
):
    for url in every_kind_of_page:
        assert banners(cached(url)) == 0, url

    add = reverse("admin:shakyo_portal_emergencynotice_add")
    data = form_data(
        superuser.get(add),
        title="災害ボランティアセンターを開設しました",
        body="片付けを手伝うボランティアを募集しています。",
        # As staff type it: from 9:30 today, with no end.
        starts_at_0=f"{MOMENT:%Y/%m/%d}",
        starts_at_1="09:30",
    )
    assert superuser.post(add, data).status_code == 302
    notice = EmergencyNotice.objects.get()

    for url in every_kind_of_page:
        html = fresh(url)
        assert banners(html) == 1, url
        assert "災害ボランティアセンターを開設しました" in html, url
        cached(url)

    delete = reverse("admin:shakyo_portal_emergencynotice_delete", args=[notice.pk])
    assert superuser.post(delete, {"post": "yes"}).status_code == 302

    for url in every_kind_of_page:
        html = fresh(url)
        assert banners(html) == 0, url
        assert "災害ボランティアセンターを開設しました" not in html, url


def test_an_emergency_notice_switched_off_from_the_admins_list_goes_at_once(
    superuser, every_kind_of_page
):
    """The list's 掲載をやめる action is one UPDATE of a queryset."""
    notice = EmergencyNoticeFactory(title="断水のお知らせ")
    for url in every_kind_of_page:
        assert banners(cached(url)) == 1, url

    changelist = reverse("admin:shakyo_portal_emergencynotice_changelist")
    data = {"action": "switch_off", "_selected_action": [notice.pk]}
    assert superuser.post(changelist, data).status_code == 302

    for url in every_kind_of_page:
        html = fresh(url)
        assert banners(html) == 0 and "断水のお知らせ" not in html, url


# --- commands that load data ----------------------------------------------------------


def test_the_demo_loaded_by_its_command_shows_on_pages_kept_before(db):
    for url in (DISTRICTS, "/"):
        assert "清音" not in main(cached(url))

    call_command("load_demo", stdout=io.StringIO())

    assert District.objects.filter(name="清音").exists()
    assert "清音" in main(fresh(DISTRICTS))
    assert "総社市社会福祉協議会" in fresh("/")


COUNCIL_TOML = """
[council]
name = "テスト市社会福祉協議会"
short_name = "テスト市社協"

[[offices]]
name = "ボランティアセンター"
phone = "0866-00-0002"
hours = "月〜金 9:00〜17:00"

[staff]
username = "yamada"
"""


def test_a_council_set_up_by_its_command_shows_on_pages_kept_before(db, monkeypatch, tmp_path):
    monkeypatch.setenv("SETUP_COUNCIL_PASSWORD", "korehanagaipasuwa-do-desu")
    for url in ("/contact/", "/"):
        assert "ボランティアセンター" not in cached(url)
    path = tmp_path / "council.toml"
    path.write_text(COUNCIL_TOML, encoding="utf-8")

    call_command(
        "setup_council",
        "--file",
        str(path),
        stdin=io.StringIO(""),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )

    html = fresh("/contact/")
    assert "ボランティアセンター" in html and "9:00〜17:00" in html
    assert "テスト市社協" in fresh("/")
