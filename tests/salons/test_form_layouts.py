"""The 活動計画書 and 実績報告 forms declare their layouts (FormHelper) and the pages render
them through the portal's template pack ({% crispy form %}); the markup is the one the
pages wrote field by field before, so the other tests of these pages still hold.

An element only the layout has (a probe appended to it) shows up in the page, in the
layout's place: after the form's parts and before the 利用目的 notice the page keeps.
"""

import re

import pytest
from crispy_forms.layout import HTML
from django.test import Client

from salons.forms.plans import PlanForm
from salons.forms.reports import ReportForm
from salons.models import ActivityPlan, PlanStatus
from salons.services import submit_plan, transition
from tests.factories import (
    ActivityPlanFactory,
    GrantProgramFactory,
    OfficeFactory,
    SiteProfileFactory,
    UserFactory,
)
from tests.salons.crafted import png, upload
from tests.salons.plan_data import make_world, plan_data

pytestmark = pytest.mark.django_db

NEW = "/salons/plans/new/"
PHONE = "0866-92-8552"
PROBE = '<p id="layout-probe">レイアウトから</p>'


@pytest.fixture
def world(db):
    SiteProfileFactory()
    OfficeFactory()
    return make_world()


def main(html):
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def with_probe(monkeypatch, form_class):
    build_helper = form_class.build_helper

    def probed(form, *args, **kwargs):
        helper = build_helper(form, *args, **kwargs)
        helper.layout.append(HTML(PROBE))
        return helper

    monkeypatch.setattr(form_class, "build_helper", probed)


def layout_fields(form):
    return [pointer.name for pointer in form.helper.layout.get_field_names()]


# --- the 活動計画書 -------------------------------------------------------------------------


PLAN_PARTS = [
    "1. 区分",
    "2. サロン",
    "3. 代表者",
    "4. 会場",
    "5. 開催日程",
    "6. 参加者と活動助成",
    "7. 活動の内容",
    "8. 予算（収入と支出）",
    "9. 添付ファイル（任意）",
]


# The long page's parts, shown again when a whole plan is POSTed at once with mistakes.
LONG_PAGE_PARTS = PLAN_PARTS

# Each step's parts, in the order of the steps.
STEP_PARTS = {
    "salon": ["区分", "サロン", "代表者"],
    "schedule": ["会場", "開催日程"],
    "activity": ["参加者", "活動の内容"],
    "budget": ["活動助成", "予算（収入と支出）"],
    "files": ["添付ファイル（任意）"],
}


def _draft_in_steps(world):
    """A client with a saved draft it may open, and that draft's pk."""
    organiser = Client()
    html = organiser.get(NEW).content.decode()
    token = re.search(r'name="submission_token" value="([^"]+)"', html)[1]
    organiser.post(
        NEW,
        {"step": "salon", "action": "next", "kind": "continuing", "submission_token": token},
    )
    return organiser, ActivityPlan.objects.get().pk


def test_each_step_renders_its_parts_through_the_pack(world, monkeypatch):
    with_probe(monkeypatch, PlanForm)
    organiser, pk = _draft_in_steps(world)
    seen_fields = []
    for slug, parts in STEP_PARTS.items():
        response = organiser.get(f"/salons/plans/{pk}/step/{slug}/")
        rendered = {template.name for template in response.templates}
        html = main(response.content.decode())
        assert {"portal/whole_uni_form.html", "portal/field.html"} <= rendered
        # The step's parts from the layout, then the probe (the progress list's own heading
        # comes before them).
        form_part = html.split("</form>", 1)[0]
        headings = re.findall(r"<h2[^>]*>([^<]+)</h2>|(layout-probe)", form_part)
        names = [heading or probe for heading, probe in headings]
        start = names.index(parts[0])
        # Then the page's own 利用目的 notice, before the buttons that save.
        assert names[start:] == [*parts, "layout-probe", "個人情報の利用目的"], slug
        assert html.count('name="submission_token"') == 1
        assert html.count(f'name="step" value="{slug}"') == 1
        found = re.findall(r'id="id_(\w+)_field"|data-budget="(\w+)"', html)
        seen_fields += [field or f"budget-{side}" for field, side in found]
    # Every field of the long page is on exactly one step, in the same order but for
    # the grant's checkbox, which sits with the budget.
    order = [name for name in PLAN_ORDER if name != "requests_grant"]
    assert seen_fields == [
        *order[: order.index("content") + 1],
        "requests_grant",
        "budget-income",
        "budget-expense",
        "attachments",
    ]


def test_the_budget_step_has_the_estimate_and_its_button(world):
    organiser, pk = _draft_in_steps(world)
    html = main(organiser.get(f"/salons/plans/{pk}/step/budget/").content.decode())
    part = html.split("<h2>活動助成</h2>", 1)[1].split("</fieldset>", 1)[0]
    assert 'id="plan-estimate"' in part
    assert '<p><button type="submit" name="action" value="estimate"' in part


def test_the_long_page_renders_its_parts_through_the_pack(world, monkeypatch):
    """A whole plan POSTed at once (a script, an old page) comes back as the long page."""
    with_probe(monkeypatch, PlanForm)
    response = Client().post(NEW, plan_data(world, action="submit", venue_name=""))
    rendered = {template.name for template in response.templates}
    html = main(response.content.decode())
    assert {
        "portal/whole_uni_form.html",
        "portal/layout/section.html",
        "portal/layout/fieldset.html",
        "portal/layout/div.html",
        "portal/layout/buttonholder.html",
        "portal/field.html",
    } <= rendered
    headings = re.findall(r"<h2[^>]*>([^<]+)</h2>|(layout-probe)", html.split("</form>", 1)[0])
    parts = [heading or probe for heading, probe in headings]
    start = parts.index("1. 区分")
    assert parts[start:] == [*LONG_PAGE_PARTS, "layout-probe", "10. 確認と提出"]
    part6 = html.split("<h2>6. 参加者と活動助成</h2>", 1)[1].split("</fieldset>", 1)[0]
    assert 'id="plan-estimate"' in part6


PLAN_ORDER = [
    "kind",
    "salon",
    "salon_name",
    "salon_reading",
    "district",
    "target_groups",
    "activity_types",
    "representative_name",
    "representative_reading",
    "representative_phone",
    "representative_email",
    "representative_postal_code",
    "representative_address",
    "venue_name",
    "venue_address",
    "frequency",
    "weeks_of_month",
    "weekday",
    "starts_at",
    "ends_at",
    "schedule_note",
    "first_session_on",
    "last_session_on",
    "sessions_planned",
    "expected_participants",
    "expected_helpers",
    "requests_grant",
    "content",
]


def test_the_plan_layout_names_each_field_once_but_the_pages_own(world):
    form = PlanForm(program=world.program)
    names = layout_fields(form)
    assert len(names) == len(set(names))
    # The consent follows the 利用目的 notice and the honeypot has its include: the page's.
    assert set(form.fields) - set(names) == {"consent", "website"}
    assert names == [*PLAN_ORDER, "attachments"]
    assert form.helper.form_tag is False
    assert form.helper.form_show_errors is False


def test_saved_files_are_in_the_layout_only_when_there_are_some(world):
    draft = ActivityPlanFactory(program=world.program, salon=world.salon)
    # A saved plan without files: nothing to remove, as the page showed before.
    form = PlanForm(instance=draft, program=world.program)
    assert "remove_attachments" in form.fields
    assert "remove_attachments" not in layout_fields(form)


def test_a_draft_with_a_file_offers_it_for_removal_on_the_files_step(world):
    organiser = Client()
    response = organiser.post(
        NEW,
        plan_data(
            world,
            action="draft",
            consent=None,
            attachments=upload("photo.png", png(), "image/png"),
        ),
    )
    assert response.status_code == 302
    pk = ActivityPlan.objects.get().pk
    html = main(organiser.get(f"/salons/plans/{pk}/step/files/").content.decode())
    part9 = html.split("<h2>添付ファイル（任意）</h2>", 1)[1].split('value="next"', 1)[0]
    assert "<p>保存済みのファイルが1個あります。このまま提出すると一緒に届きます。</p>" in part9
    assert part9.index('id="id_remove_attachments_field"') < part9.index(
        'id="id_attachments_field"'
    )
    assert "photo.png" in part9


def test_the_plan_form_s_errors_stay_in_the_page_s_summary(world):
    html = main(
        Client()
        .post(NEW, plan_data(world, action="submit", venue_name="", consent=None))
        .content.decode()
    )
    assert html.count('id="error-summary"') == 1
    assert html.index('id="error-summary"') < html.index('<form method="post"')
    assert 'href="#id_venue_name_field"' in html
    assert 'href="#id_consent_field"' in html


# --- the 実績報告 ---------------------------------------------------------------------------


@pytest.fixture
def approved(db):
    SiteProfileFactory()
    clerk = UserFactory(username="clerk", staff=True)
    plan = submit_plan(
        ActivityPlanFactory(program=GrantProgramFactory(), representative_phone=PHONE)
    )
    transition(plan, PlanStatus.REVIEWING, actor=clerk)
    return transition(plan, PlanStatus.APPROVED, actor=clerk)


@pytest.fixture
def organiser(approved):
    client = Client()
    response = client.post(
        "/salons/plans/status/", {"reference": approved.reference, "contact": PHONE}
    )
    assert response.status_code == 302
    return client


def report_url(plan):
    return f"/salons/plans/{plan.pk}/report/"


def test_the_report_form_renders_through_the_pack(organiser, approved, monkeypatch):
    with_probe(monkeypatch, ReportForm)
    response = organiser.get(report_url(approved))
    rendered = {template.name for template in response.templates}
    html = main(response.content.decode())

    assert {"portal/whole_uni_form.html", "portal/layout/fieldset.html"} <= rendered
    assert "salons/includes/report_spending.html" in rendered
    legends = re.findall(r"<legend>([^<]+)</legend>|(layout-probe)", html)
    assert [legend or probe for legend, probe in legends] == [
        "開催の実績",
        "使ったお金（支出）",
        "写真と感想",
        "layout-probe",
    ]
    order = re.findall(
        r'id="(id_(?!spending)\w+_field|spending-caption|layout-probe|purpose-of-use-report)"',
        html,
    )
    assert order == [
        "id_sessions_held_field",
        "id_total_participants_field",
        "id_total_helpers_field",
        "id_last_held_on_field",
        "spending-caption",
        "id_photos_field",
        "id_comments_field",
        "layout-probe",
        "purpose-of-use-report",
    ]


def test_the_report_layout_names_each_field_once_but_the_honeypot(approved):
    form = ReportForm(plan=approved)
    names = layout_fields(form)
    assert names == [
        "sessions_held",
        "total_participants",
        "total_helpers",
        "last_held_on",
        "photos",
        "comments",
    ]
    assert set(form.fields) - set(names) == {"website"}
    assert form.helper.form_tag is False
    assert form.helper.form_show_errors is False


def test_the_report_form_s_photo_note_comes_from_its_layout(organiser, approved):
    html = main(
        organiser.post(
            report_url(approved),
            {
                "sessions_held": "x",
                "spending-TOTAL_FORMS": "1",
                "spending-INITIAL_FORMS": "0",
                "photos": upload("photo.png", png(), "image/png"),
            },
        ).content.decode()
    )
    photos = html.split("<legend>写真と感想</legend>", 1)[1]
    assert photos.index('id="photos-again"') < photos.index('id="id_photos_field"')
    assert html.count('id="error-summary"') == 1
    assert html.index('id="error-summary"') < html.index('<form method="post"')
