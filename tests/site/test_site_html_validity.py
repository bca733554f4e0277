"""The council's own pages, the emergency banner and pages with ふりがな are valid HTML,
by the Nu Html Checker (vnu.jar), in one run of the checker."""

import datetime

from django.utils import timezone

from shakyo_portal.core.models import NoticeLevel, SpecialDayKind
from tests.factories import GrantProgramFactory, OfficeFactory
from tests.scenarios import build_portal
from tests.site.factories import (
    EmergencyNoticeFactory,
    PracticePlanFactory,
    PrivacyPolicyFactory,
    PrivacyPolicySectionFactory,
)
from tests.site.test_about import make_plan
from tests.test_html_validity import LARGE_BLACK, check_pages, render_pages, vnu_command

FURIGANA = {"furigana": "on"}
FURIGANA_LARGE_BLACK = {**LARGE_BLACK, **FURIGANA}


def test_site_pages_are_valid_html(db, tmp_path):
    command = vnu_command()
    written = render_pages(
        [
            ("about-empty", "/about/", {}, 200),
            ("plan-empty", "/about/plan/", {}, 200),
            ("home-furigana-empty", "/", FURIGANA, 200),
        ],
        tmp_path,
    )

    portal = build_portal()
    GrantProgramFactory()
    plan = make_plan(goals=3, rows=2, title="第7次地域福祉実践計画", motto="思いやりが根づくまち")
    goal = plan.goals.first()
    goal.projects_continue = False
    goal.save()
    PracticePlanFactory(draft=True)
    PracticePlanFactory(draft=True, starts_fiscal_year=None, ends_fiscal_year=None)
    policy = PrivacyPolicyFactory()
    PrivacyPolicySectionFactory.create_batch(3, policy=policy)
    EmergencyNoticeFactory(
        title="災害ボランティアセンターを開設しました",
        body="片付けのボランティアを募集しています。\n受付は9時からです。",
        link_url="/contact/",
    )
    EmergencyNoticeFactory(
        title="断水のお知らせ",
        level=NoticeLevel.IMPORTANT,
        starts_at=timezone.now() - datetime.timedelta(days=1),
    )

    # Offices with every part of their hours and numbers, and one that publishes no hours.
    lunch_break = OfficeFactory(
        name="権利擁護センター",
        phone_label="相談専用",
        hours_note="土曜日は電話相談のみです。",
        hours=[
            *((day, datetime.time(9), datetime.time(12)) for day in range(6)),
            *((day, datetime.time(13), datetime.time(16)) for day in range(5)),
        ],
    )
    lunch_break.phones.create(label="事務所", number="0866-00-0012")
    today = timezone.localdate()
    lunch_break.special_days.create(
        date=today + datetime.timedelta(days=3), kind=SpecialDayKind.CLOSED, label="研修のため"
    )
    lunch_break.special_days.create(
        date=today + datetime.timedelta(days=9), kind=SpecialDayKind.OPEN, label="相談会"
    )
    OfficeFactory(name="ボランティアセンター", publishes_hours=False, hours=[])

    district = portal.chuo.get_absolute_url()
    salon = portal.salons.full.get_absolute_url()
    written |= render_pages(
        [
            ("about", "/about/", {}, 200),
            ("about-xlarge-black", "/about/", LARGE_BLACK, 200),
            ("plan", "/about/plan/", {}, 200),
            ("plan-furigana-xlarge-black", "/about/plan/", FURIGANA_LARGE_BLACK, 200),
            ("home-banners", "/", {}, 200),
            ("home-furigana", "/", FURIGANA, 200),
            ("contact", "/contact/", {}, 200),
            ("contact-furigana", "/contact/", FURIGANA_LARGE_BLACK, 200),
            ("district-furigana", district, FURIGANA, 200),
            ("districts-furigana", "/districts/", FURIGANA, 200),
            ("matrix-furigana", "/districts/activities/", FURIGANA, 200),
            ("salons-furigana", "/salons/?q=体操&district=chuo", FURIGANA, 200),
            ("salon-furigana", salon, FURIGANA, 200),
            ("plan-form-furigana", "/salons/plans/new/", FURIGANA, 200),
            ("not-found-furigana", "/no-such-page/", FURIGANA, 404),
        ],
        tmp_path,
    )
    for name in ("plan-furigana-xlarge-black", "home-furigana", "plan-form-furigana"):
        assert "<rt>" in (tmp_path / f"{name}.html").read_text(), name
    assert 'class="emergency-banner ' in (tmp_path / "home-banners.html").read_text()
    check_pages(command, tmp_path, written)
