"""The 活動計画書 pages through the test client: start, form, drafts, sending, print."""

import datetime
import re
import threading

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from salons.models import (
    ActivityPlan,
    Attachment,
    BudgetLine,
    PlanKind,
    PlanStatus,
    StatusChange,
)
from salons.services import submit_plan, transition
from salons.views.plans import PLAN_POST_LIMIT, RENEW_POST_LIMIT
from shakyo_portal.staff.roles import Role
from tests.factories import (
    ActivityPlanFactory,
    ActivityReportFactory,
    DistrictFactory,
    GrantProgramFactory,
    GrantTierFactory,
    OfficeFactory,
    SalonFactory,
    SiteProfileFactory,
    role_user,
)
from tests.salons.crafted import save, two_colour, upload
from tests.salons.plan_data import make_world, plan_data

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


def send(client, data, action="submit", url=NEW, **extra):
    return client.post(url, {**data, "action": action}, **extra)


def page(response):
    return response.content.decode()


def issued_token(client):
    """The token the form page gives this browser (bound to its form_key cookie)."""
    html = client.get(NEW).content.decode()
    return re.search(r'name="submission_token" value="([^"]+)"', html)[1]


def resume_link(html):
    return re.search(r'href="http://testserver(/salons/plans/resume/[^/"]+/)"', html)[1]


# --- the start page -------------------------------------------------------------------


def test_start_page_explains_and_links_the_open_program(
    resident, world, django_assert_max_num_queries
):
    # The open program, the council's profile (title, phone) and the footer offices;
    # a visitor without a session costs no session query.
    with django_assert_max_num_queries(3):
        response = resident.get("/salons/plans/")
    html = page(response)
    assert "<h1>活動計画書を出す" in html
    assert world.program.name in html
    assert 'href="/salons/programs/2026/"' in html
    assert 'href="/salons/plans/new/"' in html
    assert 'action="/salons/plans/renew/"' in html
    assert 'href="/salons/plans/status/"' in html
    assert "下書きを保存する" in html


def test_without_an_open_program_the_pages_say_when_and_whom_to_call(resident, world):
    world.program.closes_on = datetime.date(2026, 10, 31)
    world.program.save()
    GrantProgramFactory(fiscal_year=2027)
    html = page(resident.get("/salons/plans/"))
    assert "いまは受付期間ではありません" in html
    assert "2027年度ふれあいサロン活動助成の受付は、令和9年4月1日(木)から始まります。" in html
    assert "0866-00-0001" in html  # the council's phone
    form_page = page(resident.get(NEW))
    assert "いまは活動計画書の受付期間ではないため、入力できません。" in form_page
    assert "<form" not in form_page.split("<main")[1]
    assert ActivityPlan.objects.count() == 0
    send(resident, plan_data(world))
    assert ActivityPlan.objects.count() == 0


# --- the blank form -------------------------------------------------------------------


def test_blank_form_is_the_first_step_with_its_parts(
    resident, world, django_assert_max_num_queries
):
    SalonFactory.create_batch(10, district=DistrictFactory())
    # The open program, the salons with their districts (one query however many),
    # districts, target groups, activity types, the council's profile and the footer
    # offices. The first step has no estimate and no saved plan.
    with django_assert_max_num_queries(8):
        response = resident.get(NEW)
    html = page(response)
    assert response.status_code == 200
    # One form in the page's own content (the header has the site search).
    assert html.split('<main id="main"', 1)[1].count("<form") == 1
    for legend in ("サロン", "代表者"):
        assert f"<legend><h2>{legend}</h2></legend>" in html
    assert '<h2 id="section-kind">区分</h2>' in html
    assert '<optgroup label="清音地区">' in html
    assert html.count("<optgroup") == 2
    assert 'name="submission_token"' in html
    assert 'name="step" value="salon"' in html
    assert "ステップ 1/6" in html
    assert html.index('value="next"') < html.index('value="draft"')
    assert "js/plan-form.js" in html and "defer" in html
    assert 'value="continuing" checked' not in html  # the kind is chosen, not assumed


# --- submitting -----------------------------------------------------------------------


def test_submitting_creates_one_plan_with_a_reference_and_one_email(
    organiser, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(organiser, plan_data(world, submission_token=issued_token(organiser)))
    plan = ActivityPlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/salons/plans/{plan.pk}/sent/"
    assert plan.reference == "R8-0001"
    assert plan.status == PlanStatus.RECEIVED
    assert plan.representative_name == "髙﨑 花子"
    assert plan.representative_phone == "0866-92-8552"
    assert plan.consented_at is not None
    assert plan.estimated_amount == 15000 + 15 * 200
    assert set(plan.target_groups.all()) == {world.elderly}
    assert plan.budget_lines.count() == 4
    assert len(mail.outbox) == 1
    assert "R8-0001" in mail.outbox[0].subject
    assert mail.outbox[0].to == ["hanako@example.jp"]

    done = page(organiser.get(response["Location"]))
    assert '<p class="plan-reference__number">R8-0001</p>' in done
    assert "hanako@example.jp にお送りしました" in done
    assert "18,000円" in done  # the estimate
    assert f'href="/salons/plans/{plan.pk}/print/"' in done
    assert 'href="/salons/plans/status/"' in done


def test_a_double_click_sends_once(organiser, world, django_capture_on_commit_callbacks):
    data = plan_data(world, submission_token=issued_token(organiser))
    with django_capture_on_commit_callbacks(execute=True):
        first = send(organiser, data)
        second = send(organiser, data)
    plan = ActivityPlan.objects.get()
    assert first["Location"] == second["Location"] == f"/salons/plans/{plan.pk}/sent/"
    assert len(mail.outbox) == 1
    # The same browser with its session lost (the cookie that binds the token kept).
    lost = Client()
    lost.cookies["form_key"] = organiser.cookies["form_key"].value
    assert send(lost, data)["Location"] == f"/salons/plans/{plan.pk}/sent/"
    assert ActivityPlan.objects.count() == 1


def test_a_token_from_another_browser_opens_nothing(organiser, world):
    """Session B posting the token session A was given was sent to A's draft, saw its
    phone, and overwrote its name and phone."""
    data = plan_data(world, submission_token=issued_token(organiser))
    send(organiser, data, action="draft")
    draft = ActivityPlan.objects.get()
    stranger = Client()
    response = send(
        stranger,
        {**data, "representative_name": "乗っ取り 太郎", "representative_phone": "090-0000-9999"},
        action="draft",
    )
    assert response.get("Location") != f"/salons/plans/{draft.pk}/edit/"
    draft.refresh_from_db()
    assert draft.representative_name == "髙﨑 花子"
    assert draft.representative_phone == "0866-92-8552"
    assert stranger.get(f"/salons/plans/{draft.pk}/edit/").status_code == 404


def test_a_token_expires_after_a_day(organiser, world, monkeypatch):
    data = plan_data(world, submission_token=issued_token(organiser))
    send(organiser, data, action="draft")
    issued = int(data["submission_token"].split("-")[1], 36)
    monkeypatch.setattr("shakyo_portal.core.formtokens.time.time", lambda: issued + 24 * 3600)
    send(organiser, data, action="draft")
    # The day-old token no longer finds the first draft: a second one is made.
    assert ActivityPlan.objects.count() == 2


def test_errors_keep_everything_typed_and_link_to_the_fields(organiser, world):
    data = plan_data(world, representative_phone="0866-92", **{"expense-1-amount": "ー5"})
    response = send(organiser, data)
    html = page(response)
    assert response.status_code == 200
    assert ActivityPlan.objects.count() == 0
    assert "<title>入力内容の確認：活動計画書の入力" in html
    assert 'class="error-summary" role="alert"' in html
    assert 'href="#id_representative_phone_field"' in html
    assert 'href="#id_expense-1-amount_field"' in html
    assert "支出2行目 金額（円）: 金額は0円以上で入力してください。" in html
    assert 'value="0866-92"' in html and 'aria-invalid="true"' in html
    assert 'value="髙﨑 花子"' in html
    assert 'value="１７，０００"' in html
    assert "体操のあと、お茶を飲みながら" in html


def test_an_unbalanced_budget_is_shown_beside_the_budget(organiser, world):
    html = page(send(organiser, plan_data(world, **{"income-0-amount": "1,000"})))
    message = "収入の合計（18,000円）と支出の合計（35,000円）が合っていません。"
    assert html.count(message) == 2  # in the summary and in the budget part
    assert ActivityPlan.objects.count() == 0


def test_chosen_files_must_be_chosen_again_after_an_error(organiser, world):
    photo = upload("photo.png", save(two_colour(), "PNG"))
    html = page(send(organiser, plan_data(world, consent=None, attachments=photo)))
    assert "選んだファイルは、もう一度選んでください。" in html
    assert Attachment.objects.count() == 0
    without = page(send(organiser, plan_data(world, consent=None)))
    assert "もう一度選んでください" not in without


def test_a_photo_is_sent_with_the_plan(organiser, world):
    photo = upload("salon.png", save(two_colour(), "PNG"))
    send(organiser, plan_data(world, attachments=photo))
    attachment = Attachment.objects.get()
    assert attachment.plan == ActivityPlan.objects.get()
    assert attachment.original_name == "salon.png"


def test_a_disguised_file_is_refused_with_nothing_saved(organiser, world):
    fake = upload("photo.jpg", b"<html><script>alert(1)</script></html>")
    html = page(send(organiser, plan_data(world, attachments=fake)))
    assert "「photo.jpg」は使えない形式です" in html
    assert ActivityPlan.objects.count() == 0


# --- re-applying while last year's report is missing ---------------------------------


def test_reapplying_is_blocked_while_last_years_report_is_missing(organiser, world, staff_user):
    last_year = ActivityPlanFactory(
        program=GrantProgramFactory(fiscal_year=2025), salon=world.salon
    )
    submit_plan(last_year)
    transition(last_year, PlanStatus.REVIEWING, actor=staff_user)
    transition(last_year, PlanStatus.APPROVED, actor=staff_user)
    photo = upload("salon.png", save(two_colour(), "PNG"))
    html = page(send(organiser, plan_data(world, attachments=photo)))
    assert "このサロンの令和7年度の実績報告がまだ届いていません。" in html
    assert "R7-0001" not in html
    assert ActivityPlan.objects.count() == 1  # last year's only
    assert BudgetLine.objects.filter(plan__program=world.program).count() == 0
    assert Attachment.objects.count() == 0

    ActivityReportFactory(plan=last_year)
    send(organiser, plan_data(world))
    assert ActivityPlan.objects.get(program=world.program).reference == "R8-0001"


# --- drafts and the resume link ---------------------------------------------------------


def test_a_draft_is_saved_and_resumed_from_its_link(
    organiser, world, django_capture_on_commit_callbacks
):
    data = plan_data(world, content="", sessions_planned="", consent=None)
    with django_capture_on_commit_callbacks(execute=True):
        response = send(organiser, data, action="draft")
    plan = ActivityPlan.objects.get()
    assert plan.status == PlanStatus.DRAFT and plan.reference is None
    assert response["Location"] == f"/salons/plans/{plan.pk}/edit/"
    # The form opens again at the first step with something missing: the schedule.
    shown = organiser.get(response["Location"], follow=True)
    assert shown.redirect_chain[-1][0] == f"/salons/plans/{plan.pk}/step/schedule/"
    html = page(shown)
    assert "下書きを保存しました。" in html
    link = resume_link(html)
    assert "このリンクは、いまこの画面に一度だけ表示します。" in html
    assert "/salons/plans/resume/" not in page(organiser.get(shown.redirect_chain[-1][0]))  # once
    [message] = mail.outbox
    assert link in message.body

    other_device = Client()
    assert other_device.get(f"/salons/plans/{plan.pk}/edit/").status_code == 404
    resumed = other_device.get(link)
    assert resumed["Location"] == f"/salons/plans/{plan.pk}/edit/"
    form = page(other_device.get(resumed["Location"], follow=True))
    assert "下書き" in form
    assert 'value="髙﨑 花子"' in page(other_device.get(f"/salons/plans/{plan.pk}/step/salon/"))
    assert 'value="18000"' in page(other_device.get(f"/salons/plans/{plan.pk}/step/budget/"))

    # Sending it from there gives the number; the link no longer opens anything.
    send(other_device, plan_data(world), url=f"/salons/plans/{plan.pk}/edit/")
    plan.refresh_from_db()
    assert plan.reference == "R8-0001"
    assert ActivityPlan.objects.count() == 1
    assert other_device.get(link).status_code == 404


def test_a_draft_without_email_sends_no_mail(organiser, world, django_capture_on_commit_callbacks):
    data = plan_data(
        world,
        representative_email="",
        representative_postal_code="７１９－１１３１",
        representative_address="総社市",
    )
    with django_capture_on_commit_callbacks(execute=True):
        send(organiser, data, action="draft")
    assert mail.outbox == []
    assert ActivityPlan.objects.get().representative_postal_code == "719-1131"


def test_a_double_click_on_save_draft_saves_once(organiser, world):
    data = plan_data(world, submission_token=issued_token(organiser))
    send(organiser, data, action="draft")
    second = send(organiser, data, action="draft")
    plan = ActivityPlan.objects.get()
    assert second["Location"] == f"/salons/plans/{plan.pk}/edit/"


def test_the_page_left_by_the_back_button_sends_the_saved_draft(organiser, world):
    data = plan_data(world, submission_token=issued_token(organiser))
    send(organiser, data, action="draft")
    response = send(organiser, {**data, "content": "直しました"})
    plan = ActivityPlan.objects.get()
    assert response["Location"] == f"/salons/plans/{plan.pk}/sent/"
    assert plan.reference == "R8-0001"
    assert plan.content == "直しました"


def test_a_draft_of_a_closed_year_can_be_kept_but_not_sent(organiser, world):
    send(organiser, plan_data(world), action="draft")
    plan = ActivityPlan.objects.get()
    world.program.closes_on = datetime.date(2026, 11, 21)
    world.program.save()
    edit = f"/salons/plans/{plan.pk}/edit/"
    html = page(send(organiser, plan_data(world), url=edit))
    assert "の受付期間（令和8年4月1日(水)〜令和8年11月21日(土)）ではないため" in html
    assert send(organiser, plan_data(world), action="draft", url=edit).status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_a_draft_refuses_malformed_values(organiser, world):
    html = page(send(organiser, {"representative_phone": "abc"}, action="draft"))
    assert "電話番号は0から始まる" in html
    assert ActivityPlan.objects.count() == 0


def test_saved_files_are_listed_and_can_be_removed(organiser, world):
    photo = upload("salon.png", save(two_colour(), "PNG"))
    response = send(organiser, plan_data(world, attachments=photo), action="draft")
    attachment = Attachment.objects.get()
    plan = ActivityPlan.objects.get()
    html = page(organiser.get(f"/salons/plans/{plan.pk}/step/files/"))
    assert "salon.png" in html and "を削除する" in html
    send(
        organiser,
        plan_data(world, remove_attachments=[str(attachment.pk)]),
        action="draft",
        url=response["Location"],
    )
    assert Attachment.objects.count() == 0


def test_estimate_button_saves_nothing(organiser, world):
    html = page(send(organiser, plan_data(world, consent=None), action="estimate"))
    assert ActivityPlan.objects.count() == 0
    assert '<p class="estimate__amount">18,000円</p>' in html
    assert "error-summary" not in html  # missing consent is no fault while estimating


def test_unknown_resume_link_is_a_friendly_404(resident, world):
    response = resident.get("/salons/plans/resume/not-a-real-token/")
    assert response.status_code == 404
    html = page(response)
    assert "このリンクは使えません" in html
    assert 'href="/salons/plans/"' in html and 'href="/contact/"' in html


# --- who may edit what -------------------------------------------------------------------


def test_edit_is_only_for_the_session_that_may_see_the_plan(resident, world):
    plan = ActivityPlanFactory(program=world.program, salon=world.salon)
    assert resident.get(f"/salons/plans/{plan.pk}/edit/").status_code == 404
    assert resident.post(f"/salons/plans/{plan.pk}/edit/", {}).status_code == 404
    assert resident.get("/salons/plans/999999/edit/").status_code == 404


def test_a_sent_plan_cannot_be_edited(organiser, world):
    send(organiser, plan_data(world))
    plan = ActivityPlan.objects.get()
    response = organiser.get(f"/salons/plans/{plan.pk}/edit/")
    assert response["Location"] == f"/salons/plans/{plan.pk}/"
    assert "すでに提出されているため、直すことはできません" in page(
        organiser.get(response["Location"])
    )
    again = send(organiser, plan_data(world), url=f"/salons/plans/{plan.pk}/edit/")
    assert again["Location"] == f"/salons/plans/{plan.pk}/"
    assert ActivityPlan.objects.get().status == PlanStatus.RECEIVED


def test_a_returned_plan_shows_the_reason_and_is_resent_under_its_reference(
    organiser, world, staff_user, django_capture_on_commit_callbacks
):
    send(organiser, plan_data(world))
    plan = ActivityPlan.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        transition(plan, PlanStatus.RETURNED, actor=staff_user, reason="会場の住所を書いて。")
    link = re.search(r"/salons/plans/resume/[^/\s]+/", mail.outbox[-1].body)[0]
    fresh = Client()
    edit_url = fresh.get(link)["Location"]
    # Nothing is missing: it opens at the check page, with the reason on top.
    shown = fresh.get(edit_url, follow=True)
    assert shown.redirect_chain[-1][0] == f"/salons/plans/{plan.pk}/check/"
    html = page(shown)
    assert "社協からのお願い（差戻しの理由）" in html
    assert "会場の住所を書いて。" in html
    assert "受付番号 R8-0001 の修正" in html
    send(fresh, plan_data(world, venue_address="総社市清音軽部2-2"), url=edit_url)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RECEIVED
    assert plan.reference == "R8-0001"
    assert plan.venue_address == "総社市清音軽部2-2"
    assert ActivityPlan.objects.count() == 1
    assert list(StatusChange.objects.filter(plan=plan).values_list("from_status", "to_status")) == [
        ("draft", "received"),
        ("received", "returned"),
        ("returned", "received"),
    ]


def test_done_page_of_a_draft_goes_back_to_the_form(organiser, world):
    send(organiser, plan_data(world), action="draft")
    plan = ActivityPlan.objects.get()
    assert organiser.get(f"/salons/plans/{plan.pk}/sent/")["Location"] == (
        f"/salons/plans/{plan.pk}/edit/"
    )


# --- starting from last year's plan ---------------------------------------------------------


@pytest.fixture
def last_year(world):
    plan = ActivityPlanFactory(
        program=GrantProgramFactory(fiscal_year=2025),
        salon=world.salon,
        schedule_note="1月はお休み",
    )
    plan.target_groups.set([world.elderly, world.anyone])
    submit_plan(plan)
    return plan


def test_renewing_copies_last_years_plan_into_a_new_draft(
    organiser, world, last_year, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = organiser.post(
            "/salons/plans/renew/",
            {"reference": "ｒ７－０００１", "contact": last_year.representative_email},
        )
    plan = ActivityPlan.objects.get(program=world.program)
    assert response["Location"] == f"/salons/plans/{plan.pk}/edit/"
    assert plan.status == PlanStatus.DRAFT
    assert plan.kind == PlanKind.CONTINUING
    assert plan.salon == world.salon
    assert plan.representative_name == "髙﨑 花子"
    assert plan.schedule_note == "1月はお休み"
    assert set(plan.target_groups.all()) == {world.elderly, world.anyone}
    assert plan.budget_lines.count() == 4
    assert plan.first_session_on is None  # a new year's dates are typed anew
    # It opens at the first step with something missing: the new year's dates.
    shown = organiser.get(response["Location"], follow=True)
    assert shown.redirect_chain[-1][0] == f"/salons/plans/{plan.pk}/step/schedule/"
    html = page(shown)
    assert "令和7年度の活動計画書（受付番号 R7-0001）をもとに" in html
    assert 'value="1月はお休み"' in html
    # The link to come back to it, on the page and to last year's address.
    assert resume_link(html) in mail.outbox[-1].body
    assert mail.outbox[-1].to == [last_year.representative_email]


def test_renewing_with_a_wrong_contact_says_nothing_about_the_reference(
    organiser, world, last_year
):
    wrong = organiser.post("/salons/plans/renew/", {"reference": "R7-0001", "contact": "x@y.jp"})
    unknown = organiser.post("/salons/plans/renew/", {"reference": "R7-0999", "contact": "x@y.jp"})
    assert wrong.status_code == unknown.status_code == 200
    message = "組み合わせが確認できませんでした"
    assert message in page(wrong) and message in page(unknown)
    assert ActivityPlan.objects.count() == 1
    assert organiser.get("/salons/plans/renew/").status_code == 405


def test_renewing_is_rate_limited(organiser, world, last_year):
    for _ in range(RENEW_POST_LIMIT):
        organiser.post("/salons/plans/renew/", {"reference": "R7-0001", "contact": "x@y.jp"})
    response = organiser.post(
        "/salons/plans/renew/",
        {"reference": "R7-0001", "contact": last_year.representative_email},
    )
    assert response.status_code == 429
    assert ActivityPlan.objects.count() == 1


def test_wrong_phones_from_many_addresses_pause_the_reference_for_renewal(
    organiser, world, last_year
):
    """From eleven addresses, wrong phones for R7-0001 were never locked, and a right
    guess opened a draft prefilled with the old plan's representative."""
    for n in range(5):
        organiser.post(
            "/salons/plans/renew/",
            {"reference": "R7-0001", "contact": f"0866-00-{n:04}"},
            REMOTE_ADDR=f"192.0.2.{n}",
        )
    guess = organiser.post(
        "/salons/plans/renew/",
        {"reference": "R7-0001", "contact": last_year.representative_email},
        REMOTE_ADDR="192.0.2.77",
    )
    assert guess.status_code == 200
    assert "数分間確認を止めています" in page(guess)
    assert ActivityPlan.objects.count() == 1


def test_the_status_page_and_renewal_share_one_budget_of_wrong_tries(organiser, world, last_year):
    for n in range(5):
        organiser.post(
            "/salons/plans/status/",
            {"reference": "R7-0001", "contact": f"0866-00-{n:04}"},
            REMOTE_ADDR=f"192.0.2.{n}",
        )
    response = organiser.post(
        "/salons/plans/renew/",
        {"reference": "R7-0001", "contact": last_year.representative_email},
        REMOTE_ADDR="192.0.2.88",
    )
    assert "数分間確認を止めています" in page(response)


# --- the live estimate -----------------------------------------------------------------------


def test_estimate_fragment_for_typed_values(resident, world):
    GrantTierFactory(program=world.program, min_sessions=12, amount=5000)
    response = resident.get(
        "/salons/plans/estimate/",
        {
            "program": world.program.pk,
            "kind": "new",
            "sessions_planned": "１２回",
            "expected_participants": "10",
            "first_session_on": "2026-11-01",
        },
    )
    html = page(response)
    assert response.status_code == 200
    assert "<html" not in html
    # 7,500 (late start) + 2,000 (10 people) + 5,000 (12 sessions) + 10,000 (start-up)
    assert '<p class="estimate__amount">24,500円</p>' in html
    assert "基本額（年度の後半から開始）: 7,500円" in html


def test_estimate_says_why_nothing_is_given(resident, world):
    html = page(
        resident.get(
            "/salons/plans/estimate/", {"sessions_planned": "3", "expected_participants": "2"}
        )
    )
    assert "いまの内容では、活動助成の対象になりません。" in html
    assert "年間の開催回数が6回以上のサロンが対象です。" in html
    capped = page(
        resident.get(
            "/salons/plans/estimate/",
            {"sessions_planned": "100", "expected_participants": "9000"},
        )
    )
    assert "上限額に達しています" in capped and "100,000円" in capped
    not_asked = page(resident.get("/salons/plans/estimate/", {"requests_grant": "0"}))
    assert "活動助成を申請しないため" in not_asked


@pytest.mark.parametrize(
    "params",
    [
        {"sessions_planned": "たくさん", "expected_participants": "-3"},
        {"program": "abc", "kind": "<script>", "first_session_on": "2026-13-45"},
        {"program": "99999999999999999999999", "sessions_planned": "9" * 40},
        {"program": "-1", "expected_participants": "１，０００，０００"},
        {},
    ],
)
def test_estimate_with_garbage_never_fails(resident, world, params):
    response = resident.get("/salons/plans/estimate/", params)
    assert response.status_code == 200
    assert "<script>" not in page(response)


def test_estimate_without_any_program(resident, db):
    html = page(resident.get("/salons/plans/estimate/", {"sessions_planned": "12"}))
    assert "受付中の活動助成がないため、計算できません。" in html


# --- print ---------------------------------------------------------------------------------


def test_print_version_for_the_applicant(organiser, world):
    send(organiser, plan_data(world))
    plan = ActivityPlan.objects.get()
    html = page(organiser.get(f"/salons/plans/{plan.pk}/print/"))
    assert "令和8年度 ふれあいサロン活動計画書" in html
    assert "R8-0001" in html
    assert "受付印" in html and "課長" in html
    assert "令和8年4月8日(水)〜令和9年3月10日(水)" in html
    assert "20,000円" in html and "35,000円" in html
    assert "髙﨑 花子（たかさき はなこ）" in html
    assert "js/plan-print.js" in html


def test_print_version_is_private(resident, world, staff_user):
    plan = ActivityPlanFactory(program=world.program, salon=world.salon)
    submit_plan(plan)
    url = f"/salons/plans/{plan.pk}/print/"
    assert resident.get(url).status_code == 404
    staff = Client()
    staff.force_login(staff_user)
    assert staff.get(url).status_code == 404  # staff without a role
    staff.force_login(role_user(Role.READER))
    assert staff.get(url).status_code == 200


# --- limits and garbage -----------------------------------------------------------------------


def test_plan_posts_are_rate_limited(organiser, world):
    for _ in range(PLAN_POST_LIMIT):
        assert send(organiser, {}, action="estimate").status_code == 200
    response = send(organiser, plan_data(world))
    assert response.status_code == 429
    assert "しばらくしてからお試しください" in page(response)
    assert ActivityPlan.objects.count() == 0


GARBAGE = [
    {},
    {"action": "submit"},
    {"action": "draft", "kind": "x" * 5000, "salon": "'; DROP TABLE salons;--"},
    {"action": "draft", "salon": "-1", "district": "1e9", "target_groups": ["a", "99999999999"]},
    {"action": "draft", "weekday": "99", "frequency": "daily", "weeks_of_month": ["7", "0"]},
    {"action": "draft", "starts_at": "24:61", "first_session_on": "0000-00-00"},
    {"action": "draft", "first_session_on": "9999-12-31", "sessions_planned": "1e9"},
    {"action": "submit", "income-TOTAL_FORMS": "-4", "expense-TOTAL_FORMS": "abc"},
    {"action": "submit", "income-TOTAL_FORMS": "99999999999999999999"},
    {"action": "draft", "income-0-amount": "\x00", "income-0-item": "盗む"},
    {"action": "draft", "remove_attachments": ["1", "x"], "submission_token": "../../"},
    {"action": "delete", "representative_email": "@@@", "representative_phone": "📞"},
    {"action": "draft", "content": "\u0000", "requests_grant": "maybe"},
]


@pytest.mark.parametrize("data", GARBAGE)
def test_garbage_posts_never_fail(organiser, world, data):
    response = organiser.post(NEW, data)
    assert response.status_code in (200, 302)
    draft = ActivityPlanFactory(program=world.program, salon=world.salon)
    session = organiser.session
    session["salons_plans"] = [draft.pk]
    session.save()
    response = organiser.post(f"/salons/plans/{draft.pk}/edit/", data)
    assert response.status_code in (200, 302)


@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_the_same_moment_make_one_plan(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs two real concurrent transactions (PostgreSQL)")
    browser = Client()
    data = plan_data(world, submission_token=issued_token(browser))
    start = threading.Barrier(2)
    answers = []

    def click():
        try:
            start.wait()
            tab = Client()
            tab.cookies["form_key"] = browser.cookies["form_key"].value
            answers.append(send(tab, data)["Location"])
        finally:
            connection.close()

    clicks = [threading.Thread(target=click) for _ in range(2)]
    for thread in clicks:
        thread.start()
    for thread in clicks:
        thread.join()
    plan = ActivityPlan.objects.get()
    assert answers == [f"/salons/plans/{plan.pk}/sent/"] * 2
    assert plan.reference == "R8-0001"
