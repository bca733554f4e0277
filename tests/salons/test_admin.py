"""Staff review through the admin itself: each step as a button and a
confirmation page, for staff with the right permissions and without, on
fresh and on stale screens; paper entry and 受付; grants; reports."""

import datetime
import io
import re

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from salons.models import (
    ActivityPlan,
    ActivityReport,
    Attachment,
    BudgetLine,
    Channel,
    Grant,
    GrantStatus,
    PlanKind,
    PlanStatus,
    ReportStatus,
    Salon,
    SalonPhoto,
    StatusChange,
)
from salons.services import CONFLICT_MESSAGE, save_attachment, submit_plan, transition
from shakyo_portal.staff.roles import Role
from tests.factories import (
    ActivityPlanFactory,
    ActivityReportFactory,
    DistrictFactory,
    GrantProgramFactory,
    GrantTierFactory,
    SalonActivityTypeFactory,
    SalonFactory,
    TargetGroupFactory,
    UserFactory,
    role_user,
)


def reviewer_named(username):
    """事務局職員: reviews, approves and edits plans, grants and reports."""
    return role_user(Role.OFFICE, username=username, first_name="審査", last_name="担当")


def reader():
    """閲覧のみ: sees the plans, grants and reports, and may change none of them."""
    return client_for(role_user(Role.READER, username="viewer"))


def client_for(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


@pytest.fixture
def reviewer_user(db):
    return reviewer_named("reviewer")


@pytest.fixture
def reviewer(reviewer_user):
    return client_for(reviewer_user)


@pytest.fixture
def received(db):
    """A plan an organiser sent on the web: 受付, R8-0001."""
    plan = ActivityPlanFactory()
    submit_plan(plan)
    return plan


def transition_url(plan, to):
    return reverse("admin:salons_activityplan_transition", args=[plan.pk, to])


def change_url(plan):
    return reverse("admin:salons_activityplan_change", args=[plan.pk])


def hidden(html, name):
    """The value of a hidden input as the page rendered it (what a stale screen would send)."""
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden {name} in the page"
    return match.group(1)


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def status_of(plan):
    return ActivityPlan.objects.get(pk=plan.pk).status


# --- pages load -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "model",
    [
        "targetgroup",
        "salonactivitytype",
        "salon",
        "grantprogram",
        "activityplan",
        "grant",
        "activityreport",
    ],
)
def test_changelist_and_change_pages_load(superuser, superuser_user, model):
    plan = ActivityPlanFactory(salon=SalonFactory(target_groups=[TargetGroupFactory()]))
    submit_plan(plan)
    SalonActivityTypeFactory()
    GrantTierFactory(program=plan.program)
    transition(plan, PlanStatus.REVIEWING, actor=superuser_user)
    transition(plan, PlanStatus.APPROVED, actor=superuser_user)
    ActivityReportFactory(plan=plan)
    assert superuser.get(reverse(f"admin:salons_{model}_changelist")).status_code == 200
    assert (
        superuser.get(reverse(f"admin:salons_{model}_changelist"), {"q": "R8"}).status_code == 200
    )

    obj = apps.get_model("salons", model).objects.first()
    assert superuser.get(reverse(f"admin:salons_{model}_change", args=[obj.pk])).status_code == 200


def test_a_salon_page_labels_the_organisers_contact_as_private(superuser, db):
    salon = SalonFactory()
    html = superuser.get(reverse("admin:salons_salon_change", args=[salon.pk])).content.decode()
    assert "代表者（非公開）" in html
    assert salon.organiser_phone in html
    assert "公開ページには表示されません" in html


def test_the_program_page_previews_its_rules_in_words(superuser, db):
    program = GrantProgramFactory()
    GrantTierFactory(program=program, min_sessions=12, amount=5000)
    html = superuser.get(
        reverse("admin:salons_grantprogram_change", args=[program.pk])
    ).content.decode()
    assert "<li>基本額: 15,000円。</li>" in html
    assert "年間12回以上開催するときは5,000円を加算。" in html
    assert "最低開催回数と最低参加者数を満たすサロンに交付する額。" in html


# --- the review steps -----------------------------------------------------------------


def test_review_and_approval_through_the_buttons(
    reviewer, reviewer_user, received, mailoutbox, django_capture_on_commit_callbacks
):
    page = reviewer.get(change_url(received)).content.decode()
    # 受付 offers exactly the steps the workflow allows from it.
    assert "審査中にする" in page and "差戻す" in page and "不承認にする" in page
    assert transition_url(received, "approved") not in page

    confirm = reviewer.get(transition_url(received, "reviewing"))
    assert confirm.status_code == 200
    assert hidden(confirm.content.decode(), "seen_status") == "received"
    response = reviewer.post(transition_url(received, "reviewing"), {"seen_status": "received"})
    assert response.status_code == 302 and response["Location"] == change_url(received)
    assert status_of(received) == PlanStatus.REVIEWING

    page = reviewer.get(change_url(received)).content.decode()
    assert transition_url(received, "approved") in page
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer.post(
            transition_url(received, "approved"),
            {"seen_status": "reviewing", "reason": "よい計画です。"},
            follow=True,
        )
    assert "「承認」にしました" in " ".join(messages_of(response))
    assert status_of(received) == PlanStatus.APPROVED

    grant = Grant.objects.get(plan=received)
    assert grant.amount == grant.computed_amount == 15000 + 15 * 200
    approved = received.history.get(to_status="approved")
    assert approved.actor == reviewer_user and approved.reason == "よい計画です。"
    assert received.history.get(to_status="reviewing").actor == reviewer_user
    assert mailoutbox[-1].to == [received.representative_email]
    assert "承認" in mailoutbox[-1].subject
    assert "交付決定額: 18,000円" in mailoutbox[-1].body

    # The history is on the plan's page: who, when, from → to, why.
    page = response.content.decode()
    assert "審査 担当" in page
    assert "審査中 → 承認" in page
    assert "よい計画です。" in page
    assert "基準による額 18,000円" in page


@pytest.mark.parametrize(
    ("to", "subject"), [("returned", "修正をお願いします"), ("rejected", "審査結果")]
)
def test_returning_or_rejecting_mails_the_reason(
    reviewer, received, mailoutbox, django_capture_on_commit_callbacks, to, subject
):
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer.post(
            transition_url(received, to),
            {"seen_status": "received", "reason": "会場の住所を書いてください。"},
        )
    assert response.status_code == 302
    assert status_of(received) == to
    assert received.history.get(to_status=to).reason == "会場の住所を書いてください。"
    assert len(mailoutbox) == 1
    assert subject in mailoutbox[0].subject
    assert "会場の住所を書いてください。" in mailoutbox[0].body


@pytest.mark.parametrize(("to", "label"), [("returned", "差戻し"), ("rejected", "不承認")])
def test_returning_or_rejecting_without_a_reason_is_refused_in_japanese(
    reviewer, received, mailoutbox, to, label
):
    response = reviewer.post(
        transition_url(received, to), {"seen_status": "received", "reason": "　\n "}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f"「{label}」にするときは、申請者に伝える理由を書いてください。" in html
    assert 'aria-invalid="true"' in html
    assert status_of(received) == PlanStatus.RECEIVED
    assert not received.history.filter(to_status=to).exists()
    assert mailoutbox == []


def test_an_overlong_reason_is_refused_and_kept(reviewer, received):
    reason = "あ" * 2001
    response = reviewer.post(
        transition_url(received, "returned"), {"seen_status": "received", "reason": reason}
    )
    html = response.content.decode()
    assert "2000字以内で入力してください（いまは2001字です）。" in html
    assert reason in html
    assert status_of(received) == PlanStatus.RECEIVED


def test_opening_a_confirmation_page_changes_nothing(reviewer, received):
    for to in ("reviewing", "returned", "rejected"):
        response = reviewer.get(transition_url(received, to))
        assert response.status_code == 200
        assert "申請者に伝える理由" in response.content.decode() or to == "reviewing"
    assert status_of(received) == PlanStatus.RECEIVED
    assert received.history.count() == 1


def test_a_step_the_workflow_does_not_allow_is_refused(reviewer, received):
    response = reviewer.get(transition_url(received, "approved"), follow=True)
    assert "「受付」の活動計画書は「承認」にできません。" in " ".join(messages_of(response))
    response = reviewer.post(
        transition_url(received, "approved"), {"seen_status": "received"}, follow=True
    )
    assert "「受付」から「承認」には変更できません。" in " ".join(messages_of(response))
    assert status_of(received) == PlanStatus.RECEIVED
    assert reviewer.get(transition_url(received, "draft")).status_code == 404
    assert reviewer.get(transition_url(received, "nonsense")).status_code == 404
    assert reviewer.get(transition_url(ActivityPlan(pk=999999), "reviewing")).status_code == 404


def test_two_stale_screens_cannot_both_succeed(db, received):
    first = client_for(reviewer_named("first"))
    second = client_for(reviewer_named("second"))
    first_page = first.get(transition_url(received, "reviewing")).content.decode()
    second_page = second.get(transition_url(received, "rejected")).content.decode()

    first.post(
        transition_url(received, "reviewing"),
        {"seen_status": hidden(first_page, "seen_status")},
    )
    response = second.post(
        transition_url(received, "rejected"),
        {"seen_status": hidden(second_page, "seen_status"), "reason": "重複しています。"},
        follow=True,
    )
    assert CONFLICT_MESSAGE in messages_of(response)
    assert status_of(received) == PlanStatus.REVIEWING
    assert not received.history.filter(to_status="rejected").exists()


def test_staff_without_change_permission_get_403(db, received):
    viewer = reader()
    assert viewer.get(change_url(received)).status_code == 200
    assert viewer.get(transition_url(received, "reviewing")).status_code == 403
    response = viewer.post(transition_url(received, "reviewing"), {"seen_status": "received"})
    assert response.status_code == 403
    # Staff without a role reach no row at all: the plan is not there for them.
    nobody = client_for(UserFactory(username="nobody", staff=True))
    assert nobody.get(transition_url(received, "reviewing")).status_code == 404
    assert status_of(received) == PlanStatus.RECEIVED


def test_anonymous_visitors_are_sent_to_log_in(resident, received):
    response = resident.post(transition_url(received, "reviewing"), {"seen_status": "received"})
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    assert status_of(received) == PlanStatus.RECEIVED


def test_a_step_needs_the_csrf_token(reviewer_user, received):
    client = client_for(reviewer_user, enforce_csrf_checks=True)
    response = client.post(transition_url(received, "reviewing"), {"seen_status": "received"})
    assert response.status_code == 403
    assert status_of(received) == PlanStatus.RECEIVED


def test_the_plain_form_cannot_change_the_status(superuser, received):
    page = superuser.get(change_url(received)).content.decode()
    assert 'name="status"' not in page
    assert 'name="reference"' not in page
    assert 'name="draft_token_hash"' not in page
    assert 'name="submission_token"' not in page
    assert 'name="estimated_amount"' not in page


def test_bulk_start_review_changes_only_received_plans(reviewer, received, db):
    second = ActivityPlanFactory()
    submit_plan(second)
    transition(second, PlanStatus.REVIEWING, actor=None)
    paper_draft = ActivityPlanFactory(channel=Channel.POST, salon_name="紙のサロン")
    response = reviewer.post(
        reverse("admin:salons_activityplan_changelist"),
        {
            "action": "start_review",
            "_selected_action": [received.pk, second.pk, paper_draft.pk],
            "index": "0",
        },
        follow=True,
    )
    text = " ".join(messages_of(response))
    assert "1件を審査中にしました。" in text
    assert "2件は変えませんでした" in text
    assert "R8-0002" in text and "紙のサロン" in text
    assert status_of(received) == PlanStatus.REVIEWING
    assert status_of(paper_draft) == PlanStatus.DRAFT


def test_a_plan_page_links_its_private_attachments(reviewer, received):
    attachment = save_attachment(
        plan=received,
        content=ContentFile(b"%PDF-1.4\n%%EOF\n", name="x.pdf"),
        kind="document",
        content_type="application/pdf",
        original_name="会場の地図.pdf",
        size=2048,
    )
    html = reviewer.get(change_url(received)).content.decode()
    assert reverse("salons:attachment", kwargs={"pk": attachment.pk}) in html
    assert "会場の地図.pdf" in html
    assert "2.0" in html  # 2.0 KB
    assert Attachment.objects.count() == 1


def test_an_organisers_draft_is_view_only(superuser, db):
    draft = ActivityPlanFactory()
    html = superuser.get(change_url(draft)).content.decode()
    assert 'name="_save"' not in html
    assert "受付する" not in html
    assert superuser.post(change_url(draft), {"salon_name": "乗っ取り"}).status_code == 403


# --- the changelist -------------------------------------------------------------------


def test_the_changelist_runs_the_same_queries_for_many_plans(
    reviewer, reviewer_user, db, django_assert_max_num_queries
):
    program = GrantProgramFactory()
    districts = [DistrictFactory() for _ in range(3)]
    for n in range(30):
        plan = ActivityPlanFactory(program=program, salon=SalonFactory(district=districts[n % 3]))
        submit_plan(plan)
        if n % 2:
            transition(plan, PlanStatus.REVIEWING, actor=reviewer_user)
            transition(plan, PlanStatus.APPROVED, actor=reviewer_user)
    # 13, none per row: session, user; the user's OTP device and whether their profile or
    # the site asks for two factors; the user's role groups; the user's and the groups'
    # permissions; the 年度 filter's years; the district filter's districts; the count and
    # the total count; the page of plans with program, salon, district and grant joined.
    with django_assert_max_num_queries(13):
        response = reviewer.get(reverse("admin:salons_activityplan_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "R8-0030" in html and "令和8年度" in html and "18,000円" in html


def test_search_finds_a_plan_by_its_reference_however_typed(reviewer, db):
    plans = [ActivityPlanFactory(representative_name=f"代表{n}") for n in range(3)]
    for plan in plans:
        submit_plan(plan)
    url = reverse("admin:salons_activityplan_changelist")
    for term in ("R8-0002", "ｒ８－２", "令和8-2"):
        result = reviewer.get(url, {"q": term}).context["cl"].result_list
        assert [plan.reference for plan in result] == ["R8-0002"], term
    result = reviewer.get(url, {"q": "代表1"}).context["cl"].result_list
    assert [plan.reference for plan in result] == ["R8-0002"]
    result = reviewer.get(url, {"q": plans[0].salon.name}).context["cl"].result_list
    assert plans[0] in list(result)


def test_the_changelist_filters_by_fiscal_year(reviewer, received, db):
    older = ActivityPlanFactory(program=GrantProgramFactory(fiscal_year=2025))
    submit_plan(older)
    url = reverse("admin:salons_activityplan_changelist")
    response = reviewer.get(url, {"program__fiscal_year__exact": "2025"})
    assert [p.reference for p in response.context["cl"].result_list] == ["R7-0001"]
    assert "令和7年度（2025年度）" in response.content.decode()
    assert "program__fiscal_year__exact=2025" in response.content.decode()  # the CSV link
    # A year typed into the address bar by hand is refused, not a 500.
    assert reviewer.get(url, {"program__fiscal_year__exact": "abc"}).status_code == 302


# --- paper, FAX and counter -----------------------------------------------------------


def management_data(html):
    """The inline formsets' management fields, as the add page rendered them."""
    return dict(
        re.findall(
            r'<input type="hidden" name="([\w-]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"'
            r' value="(\d+)"',
            html,
        )
    )


def paper_plan_form(program, district, html, /, **overrides):
    data = {
        **management_data(html),
        "program": program.pk,
        "kind": PlanKind.NEW,
        "channel": Channel.FAX,
        "requests_grant": "on",
        "salon": "",
        "salon_name": "ひまわりサロン",
        "salon_reading": "ヒマワリサロン",
        "district": district.pk,
        "representative_name": "山﨑 太郎",
        "representative_reading": "やまさき たろう",
        "representative_phone": "０８６６－９２－１２３４",
        "representative_email": "",
        "representative_postal_code": "",
        "representative_address": "総社市中央2丁目",
        "venue_name": "東公会堂",
        "venue_address": "",
        "frequency": "monthly",
        "weeks_of_month": "1",
        "weekday": "3",
        "starts_at": "13:30",
        "ends_at": "15:30",
        "schedule_note": "",
        "first_session_on": "2026-12-03",
        "last_session_on": "2027-03-04",
        "sessions_planned": "6",
        "expected_participants": "10",
        "expected_helpers": "2",
        "content": "茶話会",
        "consented_at_0": "2026-11-20",
        "consented_at_1": "10:00",
        "staff_note": "FAXで届いた原本はファイル済み",
        "budget_lines-TOTAL_FORMS": "2",
        "budget_lines-0-side": "income",
        "budget_lines-0-item": "参加費",
        "budget_lines-0-note": "",
        "budget_lines-0-amount": "４，０００",
        "budget_lines-0-display_order": "0",
        "budget_lines-1-side": "expense",
        "budget_lines-1-item": "茶菓代",
        "budget_lines-1-note": "",
        "budget_lines-1-amount": "4000円",
        "budget_lines-1-display_order": "1",
    }
    data.update(overrides)
    return data


def test_paper_entry_then_receive_numbers_it_and_records_the_channel(
    reviewer, reviewer_user, db, mailoutbox, django_capture_on_commit_callbacks
):
    program, district = GrantProgramFactory(), DistrictFactory()
    add_url = reverse("admin:salons_activityplan_add")
    html = reviewer.get(add_url).content.decode()
    assert '<option value="web"' not in html  # the web is the organiser's own channel
    response = reviewer.post(add_url, paper_plan_form(program, district, html))
    plan = ActivityPlan.objects.get(salon_name="ひまわりサロン")
    assert response.status_code == 302 and response["Location"] == change_url(plan)
    assert (plan.status, plan.channel, plan.reference) == (PlanStatus.DRAFT, "fax", None)
    assert plan.representative_name == "山﨑 太郎"
    assert plan.representative_phone == "0866-92-1234"
    assert plan.budget_totals() == (4000, 4000)

    page = reviewer.get(change_url(plan)).content.decode()
    receive_url = reverse("admin:salons_activityplan_receive", args=[plan.pk])
    assert receive_url in page
    assert "審査中にする" not in page
    assert reviewer.get(receive_url).status_code == 200
    assert ActivityPlan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT

    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer.post(receive_url, {"seen_status": "draft"}, follow=True)
    assert "FAXで受付しました。受付番号は R8-0001 です。" in messages_of(response)
    plan.refresh_from_db()
    assert (plan.status, plan.channel, plan.reference) == ("received", "fax", "R8-0001")
    assert plan.estimated_amount == 7500 + 10 * 200 + 10000  # starts in December
    step = plan.history.get(to_status="received")
    assert step.actor == reviewer_user and step.reason == "FAXで受付"
    assert mailoutbox == []  # no e-mail address: the office writes to them

    # Pressing it again (a second tab) does nothing but say so.
    response = reviewer.post(receive_url, {"seen_status": "draft"}, follow=True)
    assert "受付できるのは" in " ".join(messages_of(response))
    assert ActivityPlan.objects.filter(reference__isnull=False).count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"channel": "web"}, "channel", "正しく選択してください。"),
        ({"channel": ""}, "channel", "受付方法を選んでください。"),
        ({"representative_name": ""}, "representative_name", "代表者の氏名を入力してください。"),
        (
            {"salon_name": ""},
            "salon_name",
            "サロンを選ぶか、新しいサロンのサロン名を入力してください。",
        ),
        ({"district": ""}, "district", "新しいサロンは地区を選んでください。"),
        (
            {"representative_phone": "", "representative_address": ""},
            "representative_phone",
            "電話番号・メールアドレス・住所のどれかを入力してください。",
        ),
        ({"representative_phone": "12345"}, "representative_phone", "電話番号は0から始まる"),
        ({"weekday": ""}, "weekday", "曜日を選んでください。"),
        ({"ends_at": "09:00"}, "ends_at", "終了時刻は開始時刻より後にしてください。"),
        ({"first_session_on": "2026-03-01"}, "first_session_on", "令和8年度"),
        ({"last_session_on": "2026-12-01"}, "last_session_on", "初回の開催日より後に"),
        ({"budget_lines-0-amount": "-5"}, "budget_lines", "0以上の数で入力してください。"),
        ({"budget_lines-0-amount": "十万"}, "budget_lines", "半角または全角の数字で"),
    ],
)
def test_bad_paper_entry_is_refused_in_japanese(reviewer, db, overrides, field, message):
    program, district = GrantProgramFactory(), DistrictFactory()
    add_url = reverse("admin:salons_activityplan_add")
    html = reviewer.get(add_url).content.decode()
    response = reviewer.post(add_url, paper_plan_form(program, district, html, **overrides))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert ActivityPlan.objects.count() == 0
    assert "山﨑 太郎" in html or field == "representative_name"  # what was typed is kept


def test_receiving_is_refused_while_last_years_report_is_missing(reviewer, reviewer_user, db):
    last_year = ActivityPlanFactory(program=GrantProgramFactory(fiscal_year=2025))
    submit_plan(last_year)
    transition(last_year, PlanStatus.REVIEWING, actor=reviewer_user)
    transition(last_year, PlanStatus.APPROVED, actor=reviewer_user)
    paper = ActivityPlanFactory(salon=last_year.salon, channel=Channel.COUNTER)
    url = reverse("admin:salons_activityplan_receive", args=[paper.pk])
    response = reviewer.post(url, {"seen_status": "draft"}, follow=True)
    assert "令和7年度の実績報告がまだ届いていません。" in " ".join(messages_of(response))
    paper.refresh_from_db()
    assert (paper.status, paper.reference) == (PlanStatus.DRAFT, None)


def test_staff_correct_a_sent_plan_but_never_its_status_or_reference(reviewer, db):
    plan = ActivityPlanFactory(budget=[])
    submit_plan(plan)
    html = reviewer.get(change_url(plan)).content.decode()
    data = paper_plan_form(
        plan.program,
        plan.district,
        html,
        kind="continuing",
        salon=plan.salon.pk,
        first_session_on="2026-04-08",
        sessions_planned="12",
        expected_participants="20",
        status="approved",
        reference="R8-9999",
        channel="counter",
    )
    response = reviewer.post(change_url(plan), data)
    assert response.status_code == 302, response.content.decode()
    plan.refresh_from_db()
    assert (plan.status, plan.reference, plan.channel) == ("received", "R8-0001", "web")
    assert (plan.sessions_planned, plan.expected_participants) == (12, 20)
    assert plan.estimated_amount == 15000 + 20 * 200
    assert plan.representative_name == "山﨑 太郎"
    assert not Grant.objects.exists()


def test_a_web_plan_has_no_receive_button_and_refuses_it(reviewer, received):
    url = reverse("admin:salons_activityplan_receive", args=[received.pk])
    assert url not in reviewer.get(change_url(received)).content.decode()
    response = reviewer.post(url, {"seen_status": "received"}, follow=True)
    assert "受付できるのは" in " ".join(messages_of(response))


# --- grants ---------------------------------------------------------------------------


@pytest.fixture
def grant(received, reviewer_user):
    transition(received, PlanStatus.REVIEWING, actor=reviewer_user)
    transition(received, PlanStatus.APPROVED, actor=reviewer_user)
    return Grant.objects.get(plan=received)


def adjust_url(grant):
    return reverse("admin:salons_grant_adjust", args=[grant.pk])


def test_adjusting_the_grant_needs_a_reason_and_keeps_the_input(reviewer, grant):
    page = reviewer.get(reverse("admin:salons_grant_change", args=[grant.pk])).content.decode()
    assert adjust_url(grant) in page
    form = reviewer.get(adjust_url(grant)).content.decode()
    assert hidden(form, "seen_amount") == "18000"

    response = reviewer.post(
        adjust_url(grant), {"amount": "１２，０００円", "seen_amount": "18000"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "基準による額（18,000円）と違う額にするときは、理由を書いてください。" in html
    assert 'value="１２，０００円"' in html
    assert Grant.objects.get(pk=grant.pk).amount == 18000

    response = reviewer.post(
        adjust_url(grant),
        {"amount": "１２，０００円", "reason": "会場費が不要になったため", "seen_amount": "18000"},
        follow=True,
    )
    assert "交付額を12,000円にしました。" in messages_of(response)
    grant.refresh_from_db()
    assert (grant.amount, grant.adjustment_reason) == (12000, "会場費が不要になったため")
    assert StatusChange.objects.filter(reason__contains="18,000円から12,000円").exists()

    # Back to the rule amount: no reason needed.
    reviewer.post(adjust_url(grant), {"amount": "18000", "seen_amount": "12000"})
    assert Grant.objects.get(pk=grant.pk).amount == 18000


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-1", "0以上の数で入力してください。"),
        ("abc", "半角または全角の数字で入力してください。"),
        ("", "入力してください。"),
        ("99999999", "交付額は10,000,000円以下で入力してください。"),
    ],
)
def test_bad_amounts_are_refused(reviewer, grant, amount, message):
    response = reviewer.post(
        adjust_url(grant), {"amount": amount, "reason": "理由", "seen_amount": "18000"}
    )
    assert message in response.content.decode()
    assert Grant.objects.get(pk=grant.pk).amount == 18000


def test_an_adjustment_on_a_stale_screen_is_refused_and_shows_the_current_amount(
    reviewer, grant, reviewer_user
):
    from salons.services import adjust_grant

    adjust_grant(grant, 15000, reason="先に別の職員が", actor=reviewer_user)
    response = reviewer.post(
        adjust_url(grant), {"amount": "10000", "reason": "減額", "seen_amount": "18000"}
    )
    html = response.content.decode()
    assert "ほかの職員が先に変更しました" in html
    assert 'value="10000"' in html  # kept
    assert hidden(html, "seen_amount") == "15000"
    assert Grant.objects.get(pk=grant.pk).amount == 15000


def test_the_grant_form_itself_cannot_change_amount_or_status(superuser, grant):
    url = reverse("admin:salons_grant_change", args=[grant.pk])
    html = superuser.get(url).content.decode()
    assert 'name="amount"' not in html and 'name="status"' not in html
    assert 'name="_save"' not in html
    superuser.post(url, {"amount": "1", "status": "paid"})
    grant.refresh_from_db()
    assert (grant.amount, grant.status) == (18000, GrantStatus.DECIDED)
    assert superuser.get(reverse("admin:salons_grant_add")).status_code == 403


def test_marking_a_grant_paid(reviewer, grant):
    url = reverse("admin:salons_grant_paid", args=[grant.pk])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for value, message in [
        (tomorrow.isoformat(), "交付日に未来の日付は入力できません。"),
        ("2026-04-01", "交付日は交付決定日"),
        ("2026-13-01", "日付は「2026-04-08」のように入力するか、カレンダーから選んでください。"),
    ]:
        response = reviewer.post(url, {"paid_on": value})
        assert message in response.content.decode()
    assert Grant.objects.get(pk=grant.pk).status == GrantStatus.DECIDED

    today = timezone.localdate()
    response = reviewer.post(url, {"paid_on": unicode_fullwidth(today.isoformat())}, follow=True)
    assert any("交付済にしました" in m for m in messages_of(response))
    grant.refresh_from_db()
    assert (grant.status, grant.paid_on) == (GrantStatus.PAID, today)
    # Paid: no more buttons, and the adjustment page says why.
    page = reviewer.get(reverse("admin:salons_grant_change", args=[grant.pk])).content.decode()
    assert adjust_url(grant) not in page
    response = reviewer.get(adjust_url(grant), follow=True)
    assert "「交付済」のため、変更できません。" in " ".join(messages_of(response))


def unicode_fullwidth(text):
    return text.translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))


def test_the_paid_action_marks_several_grants_with_one_date(reviewer, grant, reviewer_user):
    other = ActivityPlanFactory()
    submit_plan(other)
    transition(other, PlanStatus.REVIEWING, actor=reviewer_user)
    transition(other, PlanStatus.APPROVED, actor=reviewer_user)
    second = Grant.objects.get(plan=other)
    changelist = reverse("admin:salons_grant_changelist")
    selected = {"action": "mark_paid", "_selected_action": [grant.pk, second.pk]}
    page = reviewer.post(changelist, {**selected, "index": "0"})
    assert page.status_code == 200 and "R8-0002" in page.content.decode()
    assert Grant.objects.filter(status=GrantStatus.PAID).count() == 0
    today = timezone.localdate().isoformat()
    response = reviewer.post(changelist, {**selected, "apply": "1", "paid_on": today}, follow=True)
    assert "2件を交付済にしました。" in messages_of(response)
    assert Grant.objects.filter(status=GrantStatus.PAID).count() == 2


def test_grant_pages_need_the_grant_permission(db, grant):
    viewer = reader()
    assert viewer.get(adjust_url(grant)).status_code == 403
    assert viewer.post(adjust_url(grant), {"amount": "1", "reason": "x"}).status_code == 403
    assert Grant.objects.get(pk=grant.pk).amount == 18000


# --- reports --------------------------------------------------------------------------


@pytest.fixture
def report(grant):

    report = ActivityReportFactory(plan=grant.plan, last_held_on=datetime.date(2027, 3, 10))
    BudgetLine.objects.create(report=report, side="expense", item="茶菓代", amount=20000)
    save_attachment(
        report=report,
        content=ContentFile(jpeg_bytes(), name="x.jpg"),
        kind="photo",
        content_type="image/jpeg",
        original_name="集合写真.jpg",
        size=1234,
    )
    return report


def test_confirming_a_report_settles_the_grant_and_dates_the_salon(reviewer, report):
    page = reviewer.get(
        reverse("admin:salons_activityreport_change", args=[report.pk])
    ).content.decode()
    assert "茶菓代" in page and "20,000円" in page
    assert "集合写真.jpg" in page
    assert reverse("salons:attachment", kwargs={"pk": report.attachments.get().pk}) in page
    url = reverse("admin:salons_activityreport_confirm", args=[report.pk])
    assert url in page
    assert reviewer.get(url).status_code == 200
    assert ActivityReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED

    response = reviewer.post(url, {"seen_status": "submitted"}, follow=True)
    assert "実績報告を「確認済み」にしました。" in messages_of(response)
    assert ActivityReport.objects.get(pk=report.pk).status == ReportStatus.CONFIRMED
    assert Grant.objects.get(plan=report.plan).status == GrantStatus.SETTLED
    assert Salon.objects.get(pk=report.plan.salon_id).last_held_on == datetime.date(2027, 3, 10)


def test_returning_a_report_needs_a_reason(
    reviewer, report, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("admin:salons_activityreport_return", args=[report.pk])
    response = reviewer.post(url, {"seen_status": "submitted", "reason": ""})
    assert "差戻しにするときは、申請者に伝える理由を書いてください。" in response.content.decode()
    assert ActivityReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED

    with django_capture_on_commit_callbacks(execute=True):
        reviewer.post(url, {"seen_status": "submitted", "reason": "写真を足してください。"})
    assert ActivityReport.objects.get(pk=report.pk).status == ReportStatus.RETURNED
    assert "写真を足してください。" in mailoutbox[-1].body
    # A stale confirm screen after the return changes nothing.
    confirm = reverse("admin:salons_activityreport_confirm", args=[report.pk])
    response = reviewer.post(confirm, {"seen_status": "submitted"}, follow=True)
    assert "「差戻し」のため、操作できません。" in " ".join(messages_of(response))
    assert Grant.objects.get(plan=report.plan).status == GrantStatus.DECIDED


def test_report_decisions_need_the_report_permission(db, report):
    viewer = reader()
    url = reverse("admin:salons_activityreport_confirm", args=[report.pk])
    assert viewer.post(url, {"seen_status": "submitted"}).status_code == 403
    assert ActivityReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


# --- salons ---------------------------------------------------------------------------


def jpeg_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(buffer, format="JPEG")
    return buffer.getvalue()


def salon_form(district, html, /, **overrides):
    data = {
        **management_data(html),
        "name": "すみれサロン",
        "reading": "スミレサロン",
        "district": district.pk,
        "status": "active",
        "welcomes_newcomers": "on",
        "venue_name": "西公会堂",
        "venue_address": "",
        "latitude": "",
        "longitude": "",
        "frequency": "weekly",
        "weeks_of_month": "",
        "weekday": "1",
        "starts_at": "10:00",
        "ends_at": "11:30",
        "schedule_note": "",
        "description": "",
        "fee": "",
        "fee_note": "",
        "organiser_name": "代表 者",
        "organiser_phone": "",
        "organiser_email": "",
    }
    data.update(overrides)
    return data


def test_a_salon_photo_is_re_encoded_and_needs_a_description(superuser, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    district = DistrictFactory()
    url = reverse("admin:salons_salon_add")
    html = superuser.get(url).content.decode()
    photo = {
        "photos-TOTAL_FORMS": "1",
        "photos-0-image": SimpleUploadedFile("IMG_0001.JPG", jpeg_bytes(), "image/jpeg"),
        "photos-0-display_order": "0",
    }
    response = superuser.post(url, salon_form(district, html, **photo, **{"photos-0-alt_text": ""}))
    assert "写真の説明を入力してください" in response.content.decode()
    assert Salon.objects.count() == 0

    photo["photos-0-image"].seek(0)
    response = superuser.post(
        url, salon_form(district, html, **photo, **{"photos-0-alt_text": "体操の様子"})
    )
    assert response.status_code == 302
    stored = SalonPhoto.objects.get()
    assert stored.alt_text == "体操の様子"
    assert "IMG_0001" not in stored.image.name
    assert (stored.width, stored.height) == (40, 30)


def test_a_disguised_file_is_refused_as_a_salon_photo(superuser, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("admin:salons_salon_add")
    html = superuser.get(url).content.decode()
    data = salon_form(
        DistrictFactory(),
        html,
        **{
            "photos-TOTAL_FORMS": "1",
            "photos-0-image": SimpleUploadedFile("photo.jpg", b"<html>hi</html>", "image/jpeg"),
            "photos-0-alt_text": "説明",
            "photos-0-display_order": "0",
        },
    )
    response = superuser.post(url, data)
    assert "「photo.jpg」は使えない形式です。" in response.content.decode()
    assert Salon.objects.count() == 0
