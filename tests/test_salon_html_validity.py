"""The salon forms are valid HTML in every state, by the Nu Html Checker (vnu.jar).

tests/test_html_validity.py checks the pages anyone can open with a GET. This
checks what only a POST, a session or a staff login reaches: the 活動計画書 form
showing each kind of error, the start page's renew form and the status lookup
with theirs, the 実績報告 form with errors, the confirmation and print pages,
the plan's page in each state, and the admin's 差戻す confirmation. The pages
are rendered with the test client and checked in one run of the checker.
"""

import re
from types import SimpleNamespace

from django.test import Client

from salons.forms.plans import STEPS
from salons.models import ActivityPlan, PlanStatus
from salons.services import submit_plan, transition
from tests.factories import (
    ActivityPlanFactory,
    GrantTierFactory,
    SalonFactory,
    UserFactory,
)
from tests.salons.crafted import png, upload
from tests.salons.plan_data import make_world, plan_data
from tests.test_html_validity import (
    ALLOWED_WARNINGS,
    LARGE_BLACK,
    check_pages,
    vnu_command,
)

NEW = "/salons/plans/new/"
STATUS = "/salons/plans/status/"
PHONE = "0866-92-8552"

ADMIN_WARNINGS = [
    *ALLOWED_WARNINGS,
    (
        "A table row was 2 columns wide, which is less than the column count established by "
        "the first row (3)",
        "Django's own admin/app_list.html: the admin's side menu leaves out the 変更 column "
        "its header counts. Every admin page has it; it is not ours to change.",
    ),
]


class Pages:
    """Writes each rendered page to the folder and remembers what it was."""

    def __init__(self, folder):
        self.folder = folder
        self.written = {}

    def add(self, name, response, what, status=200):
        assert response.status_code == status, f"{name} ({what}): {response.status_code}"
        (self.folder / f"{name}.html").write_bytes(response.content)
        self.written[f"{name}.html"] = what
        return response.content.decode()


def organiser_for(plan):
    """A browser that proved it is the plan's organiser on the status page.

    Each gets its own address, so the status page's limit on tries never counts
    one page's lookups against another's.
    """
    client = Client(REMOTE_ADDR=f"192.0.2.{plan.pk % 250 + 1}")
    response = client.post(STATUS, {"reference": plan.reference, "contact": PHONE})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def build_states():
    """Plans in each state the organiser's pages show differently."""
    world = make_world()
    GrantTierFactory(program=world.program)
    clerk = UserFactory(username="clerk", staff=True)

    def sent(**kwargs):
        plan = ActivityPlanFactory(
            program=world.program,
            salon=SalonFactory(district=world.district),
            representative_phone=PHONE,
            **kwargs,
        )
        return submit_plan(plan)

    returned = sent()
    transition(returned, PlanStatus.REVIEWING, actor=clerk)
    transition(
        returned,
        PlanStatus.RETURNED,
        actor=clerk,
        reason="会場の住所を書いてください。\n開催回数も確かめてください。",
    )
    approved = sent()
    transition(approved, PlanStatus.REVIEWING, actor=clerk)
    transition(approved, PlanStatus.APPROVED, actor=clerk)
    rejected = sent()
    transition(rejected, PlanStatus.REJECTED, actor=clerk, reason="対象の地域の外です。")
    received = sent(requests_grant=False)
    return SimpleNamespace(
        world=world, returned=returned, approved=approved, rejected=rejected, received=received
    )


def render_plan_form_states(pages, world):
    """The 活動計画書 form after each kind of bad POST; none of them saves anything."""
    client = Client()
    pages.add("plan-form-blank", client.get(NEW), f"GET {NEW}")
    pages.add("plan-form-blank-xlarge-black", _with(LARGE_BLACK).get(NEW), f"GET {NEW} 特大・黒")
    html = pages.add(
        "plan-form-required",
        client.post(NEW, {"action": "submit"}),
        "提出する with nothing filled in",
    )
    assert 'class="error-summary" role="alert"' in html
    html = pages.add(
        "plan-form-rows-and-file",
        client.post(
            NEW,
            plan_data(
                world,
                action="submit",
                attachments=upload("photo.png", png(), "image/png"),
                **{"expense-1-amount": "ー5", "income-0-item": "お年玉", "income-1-amount": ""},
            ),
        ),
        "bad budget rows and a chosen file",
    )
    assert 'id="files-note"' in html
    html = pages.add(
        "plan-form-unbalanced",
        client.post(NEW, plan_data(world, action="submit", **{"income-0-amount": "1,000"})),
        "an unbalanced budget",
    )
    assert "が合っていません" in html
    html = pages.add(
        "plan-form-estimate",
        client.post(
            NEW,
            plan_data(world, action="estimate", attachments=upload("a.png", png(), "image/png")),
        ),
        "助成額を計算する with a chosen file",
    )
    assert "error-summary" not in html
    # A draft, and the page right after saving it that shows the resume link once.
    response = client.post(NEW, plan_data(world, action="draft", consent=None))
    assert response.status_code == 302, response.content.decode()[:500]
    html = pages.add(
        "plan-form-draft-saved",
        client.get(response["Location"], follow=True),
        "下書きを保存した直後 (the step it opens at)",
    )
    assert "plan-resume__link" in html
    render_plan_steps(pages, world, client, ActivityPlan.objects.get(status=PlanStatus.DRAFT))
    # The draft submitted: the confirmation page and the print version.
    draft = ActivityPlan.objects.get(status=PlanStatus.DRAFT)
    data = plan_data(world, action="submit")
    data["income-0-amount"] = "18000"
    response = client.post(f"/salons/plans/{draft.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:500]
    html = pages.add("plan-done", client.get(response["Location"]), "受付の確認 (plan_done)")
    assert "plan-reference__number" in html
    pages.add("plan-print", client.get(f"/salons/plans/{draft.pk}/print/"), "plan_print")
    pages.add("plan-detail-received", client.get(f"/salons/plans/{draft.pk}/"), "受付済み")


def render_plan_steps(pages, world, client, draft):
    """Each step of the form, a step refusing what was typed, the estimate without
    JavaScript, and the check page: plain, with the 助成金 warning, and with errors."""
    for step in STEPS:
        url = f"/salons/plans/{draft.pk}/step/{step.slug}/"
        pages.add(f"plan-step-{step.slug}", client.get(url), f"GET {url}")
    schedule = f"/salons/plans/{draft.pk}/step/schedule/"
    html = pages.add(
        "plan-step-errors",
        client.post(
            schedule,
            {
                "step": "schedule",
                "action": "next",
                "starts_at": "朝10時",
                "first_session_on": "2026-13-45",
                "sessions_planned": "たくさん",
                "weeks_of_month": ["9"],
            },
        ),
        "a step refusing words where dates and numbers belong",
    )
    assert 'id="error-summary"' in html
    budget = f"/salons/plans/{draft.pk}/step/budget/"
    html = pages.add(
        "plan-step-estimate",
        client.post(budget, {**plan_data(world), "step": "budget", "action": "estimate"}),
        "助成額を計算する on the budget step",
    )
    assert "estimate__amount" in html
    check = f"/salons/plans/{draft.pk}/check/"
    html = pages.add("plan-check", client.get(check), f"GET {check}")
    assert "summary-list" in html and "予算の助成金（17,000円）" in html
    html = pages.add(
        "plan-check-errors",
        client.post(check, {"action": "submit"}),
        "提出する on the check page without the consent",
    )
    assert 'id="error-summary"' in html


def _with(cookies):
    client = Client()
    client.cookies.load(cookies)
    return client


def render_start_and_status_states(pages):
    client = Client(REMOTE_ADDR="198.51.100.1")
    html = pages.add(
        "plan-start-renew-required",
        client.post("/salons/plans/renew/", {}),
        "前年度の内容を読み込む with nothing filled in",
    )
    assert "error-summary" in html
    html = pages.add(
        "plan-start-renew-not-found",
        client.post("/salons/plans/renew/", {"reference": "R7-0999", "contact": PHONE}),
        "an unknown reference to renew",
    )
    assert "組み合わせが確認できませんでした" in html
    pages.add(
        "plan-start-renew-bad-reference",
        client.post("/salons/plans/renew/", {"reference": "受付番号", "contact": "x" * 300}),
        "a reference that cannot be one, an overlong contact",
    )
    pages.add("status-lookup", client.get(STATUS), f"GET {STATUS}")
    html = pages.add("status-lookup-required", client.post(STATUS, {}), "状況を確認する, empty")
    assert "error-summary" in html
    html = pages.add(
        "status-lookup-not-found",
        client.post(STATUS, {"reference": "R8-0999", "contact": PHONE}),
        "an unknown reference",
    )
    assert "組み合わせが確認できませんでした" in html
    pages.add(
        "status-lookup-bad-reference",
        client.post(STATUS, {"reference": "ABC", "contact": ""}),
        "a reference that cannot be one",
    )
    pages.add(
        "resume-invalid",
        client.get("/salons/plans/resume/no-such-link/"),
        "a dead resume link",
        404,
    )


def render_plan_pages(pages, states):
    for name in ("returned", "approved", "rejected", "received"):
        plan = getattr(states, name)
        client = organiser_for(plan)
        pages.add(f"plan-detail-{name}", client.get(f"/salons/plans/{plan.pk}/"), name)
        if name == "returned":
            html = pages.add(
                "plan-form-returned",
                client.get(f"/salons/plans/{plan.pk}/edit/", follow=True),
                "the returned plan's form (its check page) with the reason",
            )
            assert "差戻しの理由" in html
        if name == "approved":
            report = f"/salons/plans/{plan.pk}/report/"
            pages.add("report-form", client.get(report), f"GET {report}")
            html = pages.add("report-form-required", client.post(report, {}), "実績報告, empty")
            assert "error-summary" in html
            html = pages.add(
                "report-form-rows-and-photo",
                client.post(
                    report,
                    {
                        "sessions_held": "０",
                        "total_participants": "12",
                        "total_helpers": "たくさん",
                        "last_held_on": "2026-04-01",
                        "comments": "あ" * 2001,
                        "spending-TOTAL_FORMS": "2",
                        "spending-INITIAL_FORMS": "0",
                        "spending-0-item": "お年玉",
                        "spending-0-amount": "-5",
                        "spending-1-item": "茶菓代",
                        "spending-1-amount": "",
                        "photos": upload("photo.png", png(), "image/png"),
                    },
                ),
                "実績報告 with bad rows and a chosen photo",
            )
            assert 'id="photos-again"' in html and "field--error" in html


def render_admin_confirmation(pages, plan):
    admin = Client()
    admin.force_login(UserFactory(username="admin", superuser=True))
    url = f"/admin/salons/activityplan/{plan.pk}/transition/returned/"
    pages.add("admin-return", admin.get(url), f"GET {url}")
    html = pages.add(
        "admin-return-no-reason",
        admin.post(url, {"reason": "", "seen_status": plan.status}),
        "差戻す without a reason",
    )
    assert re.search(r"理由を書いてください", html)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RECEIVED


def test_salon_forms_are_valid_html_in_every_state(db, tmp_path):
    command = vnu_command()
    pages = Pages(tmp_path)
    states = build_states()
    render_plan_form_states(pages, states.world)
    render_start_and_status_states(pages)
    render_plan_pages(pages, states)
    render_admin_confirmation(pages, states.received)
    check_pages(command, tmp_path, pages.written, ADMIN_WARNINGS)


def render_garbage_states(pages, states):
    """Words where the date and time pickers belong, shown back as typed."""
    client = Client()
    pages.add(
        "plan-form-garbage",
        client.post(
            NEW,
            plan_data(
                states.world,
                action="submit",
                kind="new",
                salon="",
                salon_name="あ" * 101,
                district="99999",
                representative_phone="0866-92",
                representative_email="hanako@",
                starts_at="朝10時",
                ends_at="25:00",
                first_session_on="2026-13-45",
                last_session_on="きのう",
                sessions_planned="たくさん",
                expected_participants="-3",
                target_groups=["999"],
                weeks_of_month=["9"],
            ),
        ),
        "words where dates, times and numbers belong",
    )
    plan = states.approved
    report = f"/salons/plans/{plan.pk}/report/"
    html = pages.add(
        "report-form-garbage",
        organiser_for(plan).post(
            report,
            {
                "sessions_held": "０",
                "total_participants": "12",
                "total_helpers": "たくさん",
                "last_held_on": "2026-13-01",
                "comments": "あ" * 2001,
                "spending-TOTAL_FORMS": "2",
                "spending-INITIAL_FORMS": "0",
                "spending-0-item": "お年玉",
                "spending-0-amount": "-5",
                "spending-1-item": "茶菓代",
                "spending-1-amount": "",
                "photos": upload("photo.png", png(), "image/png"),
            },
        ),
        "実績報告 with a date that is not one, bad rows and a chosen photo",
    )
    assert 'id="photos-again"' in html


# A browser's own date and time pickers never send such words, but a browser without
# them (or an old one) shows the inputs as text boxes, and there they can be typed.
# They come back in a plain text box (shakyo_portal.core.fields._PickerValueMixin): a date box
# may hold only a date, and a browser would show it empty, losing the words.
def test_words_typed_for_dates_and_times_are_shown_back_as_valid_html(db, tmp_path):
    command = vnu_command()
    pages = Pages(tmp_path)
    render_garbage_states(pages, build_states())
    form = (tmp_path / "plan-form-garbage.html").read_text()
    # What was typed is kept, in boxes that may hold it; a date that is one stays a date box.
    for name, typed in [("starts_at", "朝10時"), ("last_session_on", "きのう")]:
        assert re.search(rf'<input type="text" name="{name}" value="{typed}"', form), name
    check_pages(command, tmp_path, pages.written)
