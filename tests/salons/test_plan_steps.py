"""The 活動計画書 in steps, through the test client: each step saves the draft, back
and forth keep what was typed, the check page lists every answer with its 「変更」
link, 「提出する」 checks everything, and the budget's 助成金 is compared with the
rules on the check page and on staff's approval pages."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from salons.forms.plans import STEPS
from salons.models import ActivityPlan, BudgetLine, Grant, PlanStatus
from salons.services import submit_plan
from shakyo_portal.staff.roles import Role
from tests.factories import OfficeFactory, SiteProfileFactory, role_user
from tests.salons.crafted import png, upload
from tests.salons.plan_data import budget, make_world, plan_data

pytestmark = pytest.mark.django_db

NEW = "/salons/plans/new/"


@pytest.fixture
def world(db):
    SiteProfileFactory()
    OfficeFactory()
    return make_world()


@pytest.fixture
def organiser():
    return Client()


def page(response):
    return response.content.decode()


def token_of(html):
    return re.search(r'name="submission_token" value="([^"]+)"', html)[1]


def progress(html):
    return html.split('<nav class="plan-steps"', 1)[1].split("</nav>", 1)[0]


def step_url(plan, slug):
    return f"/salons/plans/{plan.pk}/step/{slug}/"


def check_url(plan):
    return f"/salons/plans/{plan.pk}/check/"


def only_step(data, slug):
    """What the browser sends from one step's page: that step's fields and nothing else."""
    step = next(step for step in STEPS if step.slug == slug)
    picked = {
        key: value
        for key, value in data.items()
        if key in step.fields or (step.budget and key.split("-", 1)[0] in ("income", "expense"))
    }
    return {**picked, "website": "", "step": slug}


def post_step(client, url, data, slug, action="next"):
    html = page(client.get(url))
    return client.post(
        url, {**only_step(data, slug), "action": action, "submission_token": token_of(html)}
    )


def latest():
    return ActivityPlan.objects.get()


def walk(client, data, until="files"):
    """Through the steps from the new form, each with its 「次へ」; returns the draft."""
    response = post_step(client, NEW, data, "salon")
    assert response.status_code == 302
    plan = latest()
    for step in STEPS[1:]:
        response = post_step(client, step_url(plan, step.slug), data, step.slug)
        assert response.status_code == 302, page(response)[:3000]
        if step.slug == until:
            break
    return plan, response


# --- the steps ------------------------------------------------------------------------


def test_the_new_form_is_the_first_step_with_its_progress(organiser, world):
    html = page(organiser.get(NEW))
    assert "<h1>サロンと代表者" in html
    assert "ステップ 1/6" in html
    assert re.search(r'<span aria-current="step"><span class="plan-steps__number">1\.</span>', html)
    # Not reached yet: the later steps are not links.
    assert "/step/schedule/" not in html and "/check/" not in html
    assert 'name="step" value="salon"' in html
    assert 'name="representative_phone"' in html
    assert 'name="venue_name"' not in html and 'name="consent"' not in html
    assert html.count('name="submission_token"') == 1


def test_each_step_saves_the_draft(organiser, world, django_capture_on_commit_callbacks):
    data = plan_data(world)
    response = post_step(organiser, NEW, data, "salon")
    plan = latest()
    assert response["Location"] == step_url(plan, "schedule")
    assert plan.status == PlanStatus.DRAFT
    assert plan.representative_name == "髙﨑 花子"
    assert plan.representative_phone == "0866-92-8552"
    assert list(plan.target_groups.all()) == [world.elderly]
    assert plan.venue_name == ""  # not asked yet

    response = post_step(organiser, step_url(plan, "schedule"), data, "schedule")
    assert response["Location"] == step_url(plan, "activity")
    plan.refresh_from_db()
    assert plan.venue_name == "清音公会堂" and plan.sessions_planned == 12
    assert plan.representative_name == "髙﨑 花子"  # the first step's answers stay

    post_step(organiser, step_url(plan, "activity"), data, "activity")
    plan.refresh_from_db()
    assert plan.content.startswith("体操のあと") and plan.expected_participants == 15

    response = post_step(organiser, step_url(plan, "budget"), data, "budget")
    assert response["Location"] == step_url(plan, "files")
    lines = list(BudgetLine.objects.filter(plan=plan).values_list("side", "item", "amount"))
    assert ("income", "助成金", 17000) in lines and ("expense", "茶菓代", 20000) in lines

    html = page(organiser.get(step_url(plan, "files")))
    response = organiser.post(
        step_url(plan, "files"),
        {
            "step": "files",
            "action": "next",
            "submission_token": token_of(html),
            "attachments": upload("photo.png", png(), "image/png"),
        },
    )
    assert response["Location"] == check_url(plan)
    assert plan.attachments.count() == 1
    assert ActivityPlan.objects.count() == 1
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.content.startswith("体操のあと")


def test_the_resume_link_is_mailed_once_not_at_every_step(
    organiser, world, django_capture_on_commit_callbacks
):
    data = plan_data(world)
    with django_capture_on_commit_callbacks(execute=True):
        plan, _ = walk(organiser, data)
    links = [m for m in mail.outbox if "/salons/plans/resume/" in m.body]
    assert len(links) == 1
    # That one link still opens the draft after all the steps.
    token = links[0].body.split("/salons/plans/resume/", 1)[1].split("/", 1)[0]
    assert ActivityPlan.find_by_draft_token(token) == plan
    # 「下書きを保存する」 mails a fresh one, as the page says.
    with django_capture_on_commit_callbacks(execute=True):
        post_step(organiser, step_url(plan, "activity"), data, "activity", action="draft")
    assert len([m for m in mail.outbox if "/salons/plans/resume/" in m.body]) == 2


def test_a_step_may_be_left_with_gaps(organiser, world):
    data = plan_data(world, representative_phone="", kind="")
    response = post_step(organiser, NEW, data, "salon")
    assert response.status_code == 302
    assert latest().representative_phone == ""


def test_going_back_saves_and_keeps_the_values(organiser, world):
    data = plan_data(world)
    plan, _ = walk(organiser, data, until="schedule")
    changed = plan_data(world, content="季節の手芸もします。")
    response = post_step(organiser, step_url(plan, "activity"), changed, "activity", "back")
    assert response["Location"] == step_url(plan, "schedule")
    plan.refresh_from_db()
    assert plan.content == "季節の手芸もします。"
    html = page(organiser.get(step_url(plan, "schedule")))
    assert 'value="清音公会堂"' in html
    assert "ステップ 2/6" in html
    # Reached steps are links, the current one is not.
    steps = progress(html)
    assert f'href="{step_url(plan, "salon")}"' in steps
    assert f'href="{step_url(plan, "activity")}"' in steps
    assert f'href="{step_url(plan, "schedule")}"' not in steps
    assert "/check/" not in steps  # not reached yet
    html = page(organiser.get(step_url(plan, "activity")))
    assert "季節の手芸もします。" in html


def test_a_step_with_invalid_input_keeps_what_was_typed(organiser, world):
    plan, _ = walk(organiser, plan_data(world), until="schedule")
    bad = plan_data(world, sessions_planned="十二回くらい", venue_name="中央公会堂")
    response = post_step(organiser, step_url(plan, "schedule"), bad, "schedule")
    html = page(response)
    assert response.status_code == 200
    assert 'class="error-summary" role="alert" tabindex="-1" id="error-summary" autofocus' in html
    assert 'href="#id_sessions_planned_field"' in html
    assert 'value="十二回くらい"' in html and 'value="中央公会堂"' in html
    assert "<title>入力内容の確認：" in html
    plan.refresh_from_db()
    assert plan.venue_name == "清音公会堂"  # nothing of the refused page is half-saved


def test_the_estimate_button_without_javascript_shows_the_figure_and_keeps_nothing(
    organiser, world
):
    plan, _ = walk(organiser, plan_data(world), until="activity")
    response = post_step(
        organiser, step_url(plan, "budget"), plan_data(world), "budget", "estimate"
    )
    html = page(response)
    assert response.status_code == 200
    # 15,000円 + 15人 × 200円, from the answers of the earlier steps.
    assert '<p class="estimate__amount">18,000円</p>' in html
    assert 'id="plan-estimate" aria-live="polite"' in html
    assert "data-estimate-base=" in html and "sessions_planned=12" in html
    assert 'value="１７，０００"' in html  # the typed budget is shown again as typed
    assert "error-summary" not in html
    assert BudgetLine.objects.filter(plan=plan).count() == 0


def test_save_draft_on_a_step_shows_the_resume_link_once(
    organiser, world, django_capture_on_commit_callbacks
):
    plan, _ = walk(organiser, plan_data(world), until="schedule")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_step(
            organiser, step_url(plan, "activity"), plan_data(world), "activity", "draft"
        )
    assert response["Location"] == step_url(plan, "activity")
    html = page(organiser.get(response["Location"]))
    assert "下書きを保存しました。" in html
    link = re.search(r'href="http://testserver(/salons/plans/resume/[^/"]+/)"', html)[1]
    assert "/salons/plans/resume/" not in page(organiser.get(step_url(plan, "activity")))
    assert mail.outbox[-1].to == ["hanako@example.jp"]
    # Another browser opens the link: it lands on the first step with something missing.
    other = Client()
    response = other.get(link, follow=True)
    assert response.redirect_chain[-1][0] == step_url(plan, "budget")


def test_edit_resumes_at_the_check_page_when_nothing_is_missing(organiser, world):
    plan, _ = walk(organiser, plan_data(world))
    response = organiser.get(f"/salons/plans/{plan.pk}/edit/")
    assert response["Location"] == check_url(plan)


def test_steps_are_only_for_the_session_that_may_see_the_plan(organiser, world):
    plan, _ = walk(organiser, plan_data(world), until="schedule")
    stranger = Client()
    assert stranger.get(step_url(plan, "activity")).status_code == 404
    assert stranger.get(check_url(plan)).status_code == 404
    assert organiser.get(step_url(plan, "nonsense")).status_code == 404


# --- the check page ---------------------------------------------------------------------


def test_the_check_page_shows_every_answer_with_its_change_link(organiser, world):
    plan, response = walk(organiser, plan_data(world))
    html = page(organiser.get(response["Location"]))
    assert "<h1>入力内容の確認と提出" in html
    assert "ステップ 6/6" in html
    for answer in (
        "継続",
        "ひまわりサロン",
        "高齢者",
        "体操、茶話会",
        "髙﨑 花子",
        "たかさき はなこ",
        "0866-92-8552",
        "hanako@example.jp",
        "清音公会堂",
        "毎月",
        "第2",
        "10:00",
        "令和8年4月8日(水)",
        "12回",
        "15人",
        "体操のあと、お茶を飲みながらおしゃべりをします。",
        "申請する",
        "18,000円",  # the estimate
        "35,000円",  # both totals
    ):
        assert answer in html, answer
    assert '<dl class="summary-list">' in html
    phone = (
        f'<a href="{step_url(plan, "salon")}?from=check#id_representative_phone_field">'
        '変更<span class="visually-hidden">（代表者の電話番号）</span></a>'
    )
    assert phone in html
    assert f'href="{step_url(plan, "schedule")}?from=check#id_sessions_planned_field"' in html
    assert f'href="{step_url(plan, "budget")}?from=check#budget-income"' in html
    # The link leads to the step, where the field is.
    target = page(organiser.get(step_url(plan, "salon") + "?from=check"))
    assert 'id="id_representative_phone_field"' in target
    assert 'value="0866-92-8552"' in target
    # Changed there, 「確認の画面に戻る」 saves and goes straight back to the answers.
    assert "確認の画面に戻る" in target and 'name="from" value="check"' in target
    changed = plan_data(world, representative_phone="090-1234-5678")
    response = organiser.post(
        step_url(plan, "salon"),
        {
            **only_step(changed, "salon"),
            "from": "check",
            "action": "next",
            "submission_token": token_of(target),
        },
    )
    assert response["Location"] == check_url(plan)
    assert "090-1234-5678" in page(organiser.get(check_url(plan)))
    assert html.count('value="submit"') == 1 and 'name="consent"' in html


def test_submitting_with_something_missing_lists_it_and_sends_nothing(organiser, world):
    plan, _ = walk(organiser, plan_data(world, content="", venue_name=""))
    html = page(organiser.get(check_url(plan)))
    assert "未入力" in html
    response = organiser.post(
        check_url(plan), {"action": "submit", "consent": "on", "submission_token": token_of(html)}
    )
    html = page(response)
    assert response.status_code == 200
    assert 'id="error-summary" autofocus' in html
    assert f'href="{step_url(plan, "activity")}?from=check#id_content_field"' in html
    assert f'href="{step_url(plan, "schedule")}?from=check#id_venue_name_field"' in html
    assert "活動の内容を入力してください。" in html
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and not plan.reference


def test_submitting_without_consent_points_to_the_box_on_the_page(organiser, world):
    plan, _ = walk(organiser, plan_data(world))
    html = page(organiser.get(check_url(plan)))
    response = organiser.post(
        check_url(plan), {"action": "submit", "submission_token": token_of(html)}
    )
    assert 'href="#id_consent_field"' in page(response)
    assert latest().status == PlanStatus.DRAFT


def test_the_happy_path_sends_once(organiser, world, django_capture_on_commit_callbacks):
    plan, _ = walk(organiser, plan_data(world))
    html = page(organiser.get(check_url(plan)))
    sent = {"action": "submit", "consent": "on", "submission_token": token_of(html)}
    with django_capture_on_commit_callbacks(execute=True):
        first = organiser.post(check_url(plan), sent)
    assert first["Location"] == f"/salons/plans/{plan.pk}/sent/"
    second = organiser.post(check_url(plan), sent)  # a double click, or the back button
    assert second["Location"] == f"/salons/plans/{plan.pk}/sent/"
    assert ActivityPlan.objects.count() == 1
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RECEIVED and plan.reference == "R8-0001"
    assert plan.consented_at is not None
    assert plan.history.filter(to_status=PlanStatus.RECEIVED).count() == 1
    # After sending, the steps are closed.
    response = organiser.get(step_url(plan, "salon"))
    assert response["Location"] == f"/salons/plans/{plan.pk}/"


def test_a_double_click_on_the_first_step_makes_one_draft(organiser, world):
    html = page(organiser.get(NEW))
    sent = {
        **only_step(plan_data(world), "salon"),
        "action": "next",
        "submission_token": token_of(html),
    }
    organiser.post(NEW, sent)
    second = organiser.post(NEW, sent)
    assert ActivityPlan.objects.count() == 1
    assert second["Location"] == step_url(latest(), "schedule")


# --- the 助成金 of the budget against the rules ------------------------------------------

SHORT_YEAR = {
    "sessions_planned": "3",
    "first_session_on": "2026-04-08",
    "last_session_on": "2026-06-10",
    **budget("income", ("参加費", "5,000"), ("助成金", "20,000")),
    **budget("expense", ("茶菓代", "25000")),
}

WARNING = (
    "予算の助成金（20,000円）が、助成のきまりで計算した額"
    "（0円：年間の開催回数が最低回数の6回に届かないため）と違います。"
)


def test_the_check_page_warns_when_the_budget_claims_another_grant(organiser, world):
    plan, _ = walk(organiser, plan_data(world, **SHORT_YEAR))
    html = page(organiser.get(check_url(plan)))
    assert WARNING in html
    # A warning, not a block: the plan can still be sent.
    response = organiser.post(
        check_url(plan), {"action": "submit", "consent": "on", "submission_token": token_of(html)}
    )
    assert response.status_code == 302
    assert latest().status == PlanStatus.RECEIVED


def test_no_warning_when_the_budget_matches_the_rules(organiser, world):
    matching = {
        **budget("income", ("参加費", "17,000"), ("助成金", "18,000")),
        **budget("expense", ("茶菓代", "35000")),
    }
    plan, _ = walk(organiser, plan_data(world, **matching))
    html = page(organiser.get(check_url(plan)))
    assert "予算の助成金" not in html


@pytest.fixture
def reviewer(db):
    client = Client()
    client.force_login(role_user(Role.OFFICE, username="reviewer"))
    return client


def test_staff_see_the_warning_when_approving_and_after(organiser, world, reviewer):
    plan, _ = walk(organiser, plan_data(world, **SHORT_YEAR))
    html = page(organiser.get(check_url(plan)))
    organiser.post(
        check_url(plan), {"action": "submit", "consent": "on", "submission_token": token_of(html)}
    )
    change = reverse("admin:salons_activityplan_change", args=[plan.pk])
    assert WARNING in page(reviewer.get(change))

    def step(to, seen):
        url = reverse("admin:salons_activityplan_transition", args=[plan.pk, to])
        return url, {"seen_status": seen, "reason": "確認しました。"}

    url, data = step("reviewing", "received")
    reviewer.post(url, data)
    url, data = step("approved", "reviewing")
    confirm = page(reviewer.get(url))
    assert WARNING in confirm and "承認すると、交付決定額は0円になります" in confirm
    response = reviewer.post(url, data, follow=True)
    shown = [str(message) for message in response.context["messages"]]
    # Approved at 0円 while the budget counts on 20,000円: said at once.
    decided = "予算の助成金（20,000円）が、交付決定額（0円）と違います。"
    assert any(decided in message for message in shown), shown
    assert Grant.objects.get(plan=plan).amount == 0
    # And on the plan's page from now on.
    assert decided in page(reviewer.get(change))


def test_staff_see_no_warning_when_the_budget_matches(world, reviewer):
    plan = submit_plan(_plan_with_grant_line(world, 18000))
    change = reverse("admin:salons_activityplan_change", args=[plan.pk])
    assert "予算の助成金を確かめてください" not in page(reviewer.get(change))


def _plan_with_grant_line(world, amount):
    from tests.factories import ActivityPlanFactory

    return ActivityPlanFactory(
        program=world.program,
        sessions_planned=12,
        expected_participants=15,
        budget=[("income", "助成金", amount), ("expense", "茶菓代", amount)],
    )


# --- the 利用目的 notice, and posts nobody meant ---------------------------------------------


def test_every_step_and_the_check_page_state_the_purpose_before_saving(organiser, world):
    from shakyo_portal.core.purposes import notice_id
    from tests.site.test_purpose_of_use import post_forms

    plan, _ = walk(organiser, plan_data(world, content=""))
    pages = [NEW, *(step_url(plan, step.slug) for step in STEPS), check_url(plan)]
    # And again with errors: a step refusing a malformed value, the check page a gap.
    bad = post_step(
        organiser, step_url(plan, "activity"), plan_data(world, expected_helpers="x"), "activity"
    )
    token = token_of(page(organiser.get(check_url(plan))))
    refused = organiser.post(check_url(plan), {"action": "submit", "submission_token": token})
    htmls = [page(organiser.get(url)) for url in pages] + [page(bad), page(refused)]
    for html in htmls:
        [form] = post_forms(html)
        notices = [item for item in form["items"] if item["kind"] == "notice"]
        assert len(notices) == 1 and notices[0]["id"] == notice_id("plan")
        seen = False
        for item in form["items"]:
            if item["kind"] == "notice":
                seen = True
            elif item["value"] != "estimate":  # 「助成額を計算する」 keeps nothing
                assert seen and notice_id("plan") in item["describedby"], item["label"]


GARBAGE_STEPS = [
    {},
    {"step": "../../etc", "action": "next"},
    {"step": "budget", "action": "next", "income-TOTAL_FORMS": "99999999999999999999"},
    {"step": "budget", "action": "next", "income-TOTAL_FORMS": "-4", "expense-0-amount": "¥"},
    {"step": "salon", "action": "back", "kind": "x" * 5000, "target_groups": ["a", "9" * 30]},
    {"step": "schedule", "action": "draft", "weeks_of_month": ["7"], "first_session_on": "0-0-0"},
    {"step": "files", "action": "next", "remove_attachments": ["1", "x"]},
    {"step": "activity", "action": "delete", "submission_token": "../../"},
]


@pytest.mark.parametrize("data", GARBAGE_STEPS)
def test_garbage_step_posts_never_fail(organiser, world, data):
    plan, _ = walk(Client(), plan_data(world), until="schedule")
    assert organiser.post(NEW, {"step": "salon", **data}).status_code in (200, 302)
    session = organiser.session
    session["salons_plans"] = [plan.pk]
    session.save()
    for slug in ("salon", "budget", "files"):
        assert organiser.post(step_url(plan, slug), data).status_code in (200, 302)
    assert organiser.post(check_url(plan), data).status_code in (200, 302)
    assert ActivityPlan.objects.filter(status=PlanStatus.DRAFT).count() <= 2
