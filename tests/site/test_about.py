"""社協について (/about/) and the 地域福祉実践計画 (/about/plan/), and their admin."""

import re

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shakyo_portal.core.models import BasicGoal, PlanPhoto, PracticePlan
from tests.factories import OfficeFactory, SiteProfileFactory
from tests.site.factories import (
    BasicGoalFactory,
    EmergencyNoticeFactory,
    MainProjectFactory,
    PlanPhotoFactory,
    PolicyFactory,
    PracticePlanFactory,
    PrivacyPolicyFactory,
    PrivacyPolicySectionFactory,
    png_upload,
)


@pytest.fixture
def site(db):
    OfficeFactory()
    return SiteProfileFactory(
        tagline="だれもが安心して暮らせるまちを、みんなで。",
        introduction="テスト市社協は、地域福祉をすすめる民間の団体です。\n\n会員のみなさんに支えられています。",
        email="info@example.jp",
    )


def make_plan(goals=2, rows=2, **kwargs):
    plan = PracticePlanFactory(**kwargs)
    for number in range(1, goals + 1):
        goal = BasicGoalFactory(
            plan=plan, number=number, title=f"目標その{number}", department=f"担当{number}課"
        )
        PolicyFactory.create_batch(rows, goal=goal)
        MainProjectFactory.create_batch(rows, goal=goal)
        PlanPhotoFactory.create_batch(rows, goal=goal)
    return plan


def main(html):
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def headings(html):
    return [
        (int(level), re.sub(r"<[^>]+>", "", text).strip())
        for level, text in re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", main(html), re.S)
    ]


# --- /about/ --------------------------------------------------------------------------


def test_about_page_introduces_the_council(resident, site):
    make_plan(title="第7次地域福祉実践計画", motto="思いやりが根づくまち")
    policy = PrivacyPolicyFactory(introduction="本会は個人情報を大切にします。")
    PrivacyPolicySectionFactory(
        policy=policy, title="利用の目的", body="サービスの提供に使います。", display_order=1
    )
    PrivacyPolicySectionFactory(
        policy=policy, title="第三者への提供", body="同意なく提供しません。", display_order=2
    )
    response = resident.get("/about/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>社協について｜テスト市社協</title>" in html
    assert "<p>テスト市社協は、地域福祉をすすめる民間の団体です。</p>" in html
    assert '<a href="mailto:info@example.jp">info@example.jp</a>' in html
    assert "第7次地域福祉実践計画（計画期間: 令和6年度〜令和10年度）" in html
    assert '<a href="/about/plan/">' in html
    assert '<section id="privacy"' in html
    assert headings(html) == [
        (1, "社協について"),
        (2, "基本情報"),
        (2, "地域福祉実践計画"),
        (2, "個人情報保護方針"),
        (3, "利用の目的"),
        (3, "第三者への提供"),
        # Every page ends with whom to ask (templates/includes/page_info.html).
        (2, "このページに関するお問い合わせ"),
    ]
    assert "令和6年4月1日(月) 改定" in html
    # The footer links to the policy from every page.
    assert (
        '<a href="/about/#privacy">個人情報保護方針</a>'
        in resident.get("/contact/").content.decode()
    )


def test_about_page_hides_what_is_not_published(resident, site):
    PracticePlanFactory(title="検討中の次期計画", draft=True)
    PrivacyPolicyFactory(introduction="改定作業中の方針", is_published=False)
    html = resident.get("/about/").content.decode()
    assert "検討中の次期計画" not in html
    assert "改定作業中の方針" not in html
    assert main(html).count("現在、掲載している情報はありません。") == 2


def test_about_page_before_staff_enter_anything(resident, db):
    response = resident.get("/about/")
    assert response.status_code == 200
    assert main(response.content.decode()).count("現在、掲載している情報はありません。") == 3


def test_about_page_queries_are_bounded(resident, site, django_assert_max_num_queries):
    make_plan(goals=1, rows=1)
    PrivacyPolicySectionFactory.create_batch(3, policy=PrivacyPolicyFactory())
    # shell: profile, footer offices; the profile with its introduction, the plan,
    # the policy, its sections
    with django_assert_max_num_queries(6):
        resident.get("/about/")
    make_plan(goals=10, rows=10)
    PrivacyPolicySectionFactory.create_batch(30, policy=PrivacyPolicyFactory())
    with django_assert_max_num_queries(6):
        resident.get("/about/")


# --- /about/plan/ ---------------------------------------------------------------------


def test_plan_page_shows_each_goal_with_its_department_policies_projects_and_photos(resident, site):
    plan = make_plan(title="第7次地域福祉実践計画", motto="思いやりが根づくまち")
    goal = plan.goals.get(number=1)
    goal.projects_continue = False
    goal.save()
    html = resident.get("/about/plan/").content.decode()
    assert "<title>第7次地域福祉実践計画｜テスト市社協</title>" in html
    assert '<span class="h1-sub">計画期間: 令和6年度〜令和10年度</span>' in html
    assert '<p class="plan-motto">思いやりが根づくまち</p>' in html
    assert headings(html) == [
        (1, "第7次地域福祉実践計画計画期間: 令和6年度〜令和10年度"),
        (2, "基本理念"),
        (2, "基本目標"),
        (2, "基本目標1 目標その1"),
        (3, "施策"),
        (3, "主な事業"),
        (2, "基本目標2 目標その2"),
        (3, "施策"),
        (3, "主な事業"),
        (2, "このページに関するお問い合わせ"),
    ]
    for number in (1, 2):
        assert f'<a href="#goal-{number}">' in html
        assert f'<section class="plan-goal" id="goal-{number}"' in html
        assert f'<span class="plan-goal__department-label">担当</span> 担当{number}課' in html
    for photo in PlanPhoto.objects.all():
        img = (
            f'<img src="{photo.image.url}" alt="公民館で折り紙を折る参加者" width="64" height="48"'
        )
        assert f'{img} loading="lazy">' in html
        assert f"<figcaption>{photo.caption}</figcaption>" in html
    for text in BasicGoal.objects.values_list("policies__text", flat=True):
        assert f"<li>{text}</li>" in html
    for name in BasicGoal.objects.values_list("projects__name", flat=True):
        assert f"<li>{name}</li>" in html
    # 「など」: goal 2 has more projects than listed, goal 1 does not.
    assert main(html).count("ほかにも事業を行っています。") == 1


def test_plan_page_shows_the_newest_published_plan(resident, site):
    PracticePlanFactory(title="第6次計画", starts_fiscal_year=2019, ends_fiscal_year=2023)
    PracticePlanFactory(
        title="第8次計画（案）", starts_fiscal_year=2029, ends_fiscal_year=2033, draft=True
    )
    make_plan(title="第7次計画")
    html = resident.get("/about/plan/").content.decode()
    assert "<h1>第7次計画" in html
    assert "第6次計画" not in html and "第8次計画" not in html


def test_plan_page_without_a_plan(resident, site):
    PracticePlanFactory(draft=True)
    response = resident.get("/about/plan/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>地域福祉実践計画</h1>" in html
    assert "現在、掲載している情報はありません。" in html


def test_plan_page_queries_are_bounded(resident, site, django_assert_max_num_queries):
    make_plan(goals=2, rows=2)
    # shell: profile, footer offices; the plan, goals, policies, projects, photos
    with django_assert_max_num_queries(7):
        resident.get("/about/plan/")
    PracticePlan.objects.all().delete()
    make_plan(goals=20, rows=20)
    with django_assert_max_num_queries(7):
        html = resident.get("/about/plan/").content.decode()
    assert html.count("<figure") == 400


@pytest.mark.parametrize("url", ["/about/", "/about/plan/"])
def test_about_pages_answer_only_get_and_head(resident, site, url):
    assert resident.post(url).status_code == 405
    assert resident.head(url).status_code == 200
    assert resident.get(url, {"page": "abc", "x": "あ" * 5000}).status_code == 200


# --- the admin ------------------------------------------------------------------------

MODELS = ["practiceplan", "basicgoal", "privacypolicy", "emergencynotice", "siteprofile", "office"]


@pytest.mark.parametrize("model", MODELS)
def test_admin_pages_load_in_japanese(superuser, site, model):
    make_plan(goals=1, rows=1)
    PrivacyPolicySectionFactory()
    EmergencyNoticeFactory()
    changelist = superuser.get(reverse(f"admin:shakyo_portal_{model}_changelist"), {"q": "計画"})
    assert changelist.status_code == 200
    if model != "siteprofile":
        assert superuser.get(reverse(f"admin:shakyo_portal_{model}_add")).status_code == 200
    pk = apps.get_model("shakyo_portal", model).objects.first().pk
    change = superuser.get(reverse(f"admin:shakyo_portal_{model}_change", args=[pk]))
    assert change.status_code == 200


def test_staff_without_permission_cannot_edit_the_plan(staff, site):
    assert staff.get(reverse("admin:shakyo_portal_practiceplan_changelist")).status_code == 403


PLAN_ADD = reverse("admin:shakyo_portal_practiceplan_add")


def plan_data(**changes):
    return {
        "title": "第2次地域福祉実践計画",
        "starts_fiscal_year": "2024",
        "ends_fiscal_year": "2028",
        "motto": "みんなでつくる支え合いのまち",
        "philosophy": "入力した基本理念の説明",
        "is_published": "on",
        "goals-TOTAL_FORMS": "1",
        "goals-INITIAL_FORMS": "0",
        "goals-MIN_NUM_FORMS": "0",
        "goals-MAX_NUM_FORMS": "1000",
        "goals-0-number": "1",
        "goals-0-title": "人づくり",
        "goals-0-department": "ボランティア担当",
        **changes,
    }


def test_staff_write_a_plan_with_its_goals(superuser, resident, site):
    response = superuser.post(PLAN_ADD, plan_data())
    html = response.content.decode()
    assert response.status_code == 200
    errors = re.search(
        r'<ul class="errorlist[^"]*" id="id_goals-0-summary_error">(.*?)</ul>', html, re.S
    )
    assert errors and "このフィールドは必須です。" in errors.group(1)
    assert not PracticePlan.objects.exists()

    response = superuser.post(PLAN_ADD, plan_data(**{"goals-0-summary": "担い手を育てます。"}))
    assert response.status_code == 302
    plan = PracticePlan.objects.get()
    goal = plan.goals.get()
    assert (goal.number, goal.title, goal.department) == (1, "人づくり", "ボランティア担当")
    html = superuser.get(
        reverse("admin:shakyo_portal_practiceplan_change", args=[plan.pk])
    ).content.decode()
    # Each goal's policies, projects and photos are edited on the goal's own page.
    assert reverse("admin:shakyo_portal_basicgoal_change", args=[goal.pk]) in html
    html = resident.get("/about/plan/").content.decode()
    assert "<h1>第2次地域福祉実践計画" in html
    assert "担い手を育てます。" in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"ends_fiscal_year": "2023"},
            "ends_fiscal_year",
            "計画期間の最終年度は初年度と同じか後にしてください。",
        ),
        ({"starts_fiscal_year": "令和6"}, "starts_fiscal_year", "整数を入力してください。"),
        (
            {"starts_fiscal_year": "1900"},
            "starts_fiscal_year",
            "この値は 1989 以上でなければなりません。",
        ),
        ({"motto": ""}, "motto", "このフィールドは必須です。"),
    ],
)
def test_bad_plans_are_refused_in_japanese(superuser, site, changes, field, message):
    response = superuser.post(PLAN_ADD, plan_data(**{"goals-TOTAL_FORMS": "0"}, **changes))
    html = response.content.decode()
    assert response.status_code == 200
    errors = re.search(rf'<ul class="errorlist[^"]*" id="id_{field}_error">(.*?)</ul>', html, re.S)
    assert errors and message in errors.group(1)
    assert "入力した基本理念の説明" in html
    assert not PracticePlan.objects.exists()


def test_two_goals_of_a_plan_cannot_share_a_number(superuser, site):
    plan = make_plan(goals=1, rows=0)
    response = superuser.post(
        reverse("admin:shakyo_portal_basicgoal_add"),
        {
            "plan": plan.pk,
            "number": "1",
            "title": "重なる目標",
            "department": "総務課",
            "summary": "説明",
            **inline_management("policies"),
            **inline_management("projects"),
            **inline_management("photos"),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "この番号の基本目標は、この計画にもうあります。" in html
    assert BasicGoal.objects.count() == 1


def inline_management(prefix, total=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_goal_photos_are_checked_and_re_encoded(superuser, resident, site):
    plan = make_plan(goals=0)
    goal_data = {
        "plan": plan.pk,
        "number": "1",
        "title": "居場所づくり",
        "department": "地域福祉担当",
        "summary": "だれでも通える居場所をつくります。",
        **inline_management("policies"),
        **inline_management("projects"),
        **inline_management("photos", total=1),
        "photos-0-alt_text": "公民館で折り紙を折る参加者",
        "photos-0-caption": "折り紙サロンの様子",
        "photos-0-display_order": "0",
    }
    not_an_image = SimpleUploadedFile("photo.png", b"not a picture", content_type="image/png")
    response = superuser.post(
        reverse("admin:shakyo_portal_basicgoal_add"), {**goal_data, "photos-0-image": not_an_image}
    )
    assert response.status_code == 200
    assert "photo.png" in response.content.decode()
    assert not BasicGoal.objects.exists()

    response = superuser.post(
        reverse("admin:shakyo_portal_basicgoal_add"),
        {**goal_data, "photos-0-image": png_upload("我が家の住所.png")},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    photo = PlanPhoto.objects.get()
    # Stored under a name the uploader did not choose.
    assert re.fullmatch(r"about/plan/[0-9a-f]{16,}\.png", photo.image.name)
    assert "折り紙サロンの様子" in resident.get("/about/plan/").content.decode()


def test_a_photo_needs_its_description(superuser, site):
    goal = BasicGoalFactory(plan=make_plan(goals=0))
    response = superuser.post(
        reverse("admin:shakyo_portal_basicgoal_change", args=[goal.pk]),
        {
            "plan": goal.plan.pk,
            "number": goal.number,
            "title": goal.title,
            "department": goal.department,
            "summary": goal.summary,
            **inline_management("policies"),
            **inline_management("projects"),
            **inline_management("photos", total=1),
            "photos-0-image": png_upload(),
            "photos-0-alt_text": "",
            "photos-0-caption": "",
        },
    )
    html = response.content.decode()
    assert "写真の説明を入力してください（画面の読み上げで伝わります）。" in html
    assert "写真の下に表示するキャプションを入力してください。" in html
    assert not PlanPhoto.objects.exists()


# --- a plan whose period the council does not state --------------------------------------


@pytest.mark.parametrize(
    ("starts", "ends", "period"),
    [
        ("2024", "2028", "令和6年度〜令和10年度"),
        ("2024", "", "令和6年度〜"),
        ("", "2028", "〜令和10年度"),
        ("", "", None),
    ],
)
def test_a_plan_shows_only_the_years_it_states(superuser, resident, site, starts, ends, period):
    response = superuser.post(
        PLAN_ADD,
        plan_data(
            **{"goals-TOTAL_FORMS": "0", "starts_fiscal_year": starts, "ends_fiscal_year": ends}
        ),
    )
    assert response.status_code == 302
    plan = PracticePlan.objects.get()
    assert plan.starts_fiscal_year == (int(starts) if starts else None)
    assert plan.ends_fiscal_year == (int(ends) if ends else None)
    about = resident.get("/about/").content.decode()
    page = resident.get("/about/plan/").content.decode()
    if period:
        assert f"第2次地域福祉実践計画（計画期間: {period}）は" in about
        assert f'<span class="h1-sub">計画期間: {period}</span></h1>' in page
        assert f"第2次地域福祉実践計画（{period}）の基本理念" in page
    else:
        assert "第2次地域福祉実践計画は、地域福祉をすすめるための社協の計画です。" in about
        assert "<h1>第2次地域福祉実践計画</h1>" in page
        assert "計画期間" not in about + page
    for html in (about, page):
        assert "年度〜年度" not in html and "None" not in html


def test_an_undated_plan_sorts_after_the_dated_ones(site):
    PracticePlanFactory(
        title="期間の分からない計画", starts_fiscal_year=None, ends_fiscal_year=None
    )
    PracticePlanFactory(title="第2次計画", starts_fiscal_year=2024, ends_fiscal_year=None)
    assert [plan.title for plan in PracticePlan.objects.all()] == [
        "第2次計画",
        "期間の分からない計画",
    ]
