"""Every public form that takes personal data says what the data is for, before it is sent.

The notice (templates/includes/purpose_of_use.html, its words from
shakyo_portal.core.purposes) must sit inside the form, before each submit button
that sends or saves what was typed, be named by that button's
aria-describedby, be visible, and link to the privacy policy. Each form is
checked as it first shows and as it shows again after a failed check, since
that is when people read it a second time.

The last tests find every template with a POST form, so a new public form
without a page here, or without a notice, fails.
"""

import datetime
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from salons.models import ActivityPlan, PlanStatus
from salons.services import submit_plan, transition
from shakyo_portal.core.fiscal import current_fiscal_year
from shakyo_portal.core.purposes import PURPOSES, notice_id
from tests.factories import (
    ActivityPlanFactory,
    GrantProgramFactory,
    SiteProfileFactory,
    UserFactory,
)
from tests.news.factories import EventFactory

PHONE = "0866-92-8552"
PRIVACY_LINK = "/about/#privacy"
# Elements without an end tag, so the parser's stack of open elements stays true.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class PostForms(HTMLParser):
    """The page's POST forms, each as the notices and submit buttons in it, in page order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._open = []  # (tag, hidden) of the elements the parser is inside
        self._form = None
        self._notice = None
        self._notice_depth = None
        self._button = None

    def _hidden(self):
        return any(hidden for _, hidden in self._open)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        hidden = "hidden" in attrs or attrs.get("aria-hidden") == "true"
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = {"action": attrs.get("action"), "items": []}
            self.forms.append(self._form)
        if self._form is not None:
            classes = (attrs.get("class") or "").split()
            if "purpose-of-use" in classes and self._notice is None:
                self._notice = {
                    "kind": "notice",
                    "tag": tag,
                    "id": attrs.get("id"),
                    "hidden": hidden or self._hidden(),
                    "text": "",
                    "links": [],
                }
                self._form["items"].append(self._notice)
                self._notice_depth = len(self._open)
            if self._notice is not None and tag == "a":
                self._notice["links"].append(attrs.get("href"))
            kind = attrs.get("type", "submit" if tag == "button" else "text").lower()
            if tag in ("button", "input") and kind in ("submit", "image"):
                self._button = {
                    "kind": "button",
                    "value": attrs.get("value", ""),
                    "describedby": (attrs.get("aria-describedby") or "").split(),
                    "label": attrs.get("value", "") if tag == "input" else "",
                }
                self._form["items"].append(self._button)
        if tag not in VOID:
            self._open.append((tag, hidden))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self._open:
            if self._open.pop()[0] == tag:
                break
        if self._notice is not None and len(self._open) == self._notice_depth:
            self._notice = None
        if tag == "button":
            self._button = None
        if tag == "form":
            self._form = None

    def handle_data(self, data):
        if self._notice is not None:
            self._notice["text"] += data
        if self._button is not None:
            self._button["label"] += data.strip()


def post_forms(html):
    parser = PostForms()
    parser.feed(html)
    return parser.forms


# --- the pages ------------------------------------------------------------------------------


def open_program():
    """This 年度's 活動助成, taking plans today."""
    today = timezone.localdate()
    return GrantProgramFactory(
        fiscal_year=current_fiscal_year(),
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=30),
    )


def organiser(plan):
    """A browser that proved on the status page it is the plan's organiser."""
    client = Client()
    response = client.post(
        reverse("salons:plan_status"), {"reference": plan.reference, "contact": PHONE}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def plan_new():
    open_program()
    return Client(), reverse("salons:plan_new"), {"action": "submit"}


def plan_edit():
    """A saved draft, opened again from the link in the 下書き mail."""
    plan = ActivityPlanFactory(program=open_program(), representative_phone=PHONE)
    token = plan.issue_draft_token()
    ActivityPlan.objects.filter(pk=plan.pk).update(draft_token_hash=plan.draft_token_hash)
    client = Client()
    response = client.get(reverse("salons:plan_resume", args=[token]))
    assert response.status_code == 302
    return client, reverse("salons:plan_edit", args=[plan.pk]), {"action": "submit"}


def _draft_opened_from_its_mail():
    plan = ActivityPlanFactory(program=open_program(), representative_phone=PHONE)
    token = plan.issue_draft_token()
    ActivityPlan.objects.filter(pk=plan.pk).update(draft_token_hash=plan.draft_token_hash)
    client = Client()
    assert client.get(reverse("salons:plan_resume", args=[token])).status_code == 302
    return client, plan


def plan_step():
    """A step of the stepped form; a POST with a number that is not one comes back."""
    client, plan = _draft_opened_from_its_mail()
    path = reverse("salons:plan_step", args=[plan.pk, "schedule"])
    return client, path, {"step": "schedule", "sessions_planned": "x"}


def plan_check():
    """The check page; 提出 without the consent ticked comes back with the error."""
    client, plan = _draft_opened_from_its_mail()
    return client, reverse("salons:plan_check", args=[plan.pk]), {"action": "submit"}


def plan_start():
    open_program()
    return Client(), reverse("salons:plan_start"), None


def plan_renew():
    """Only a POST reaches it: the start page again, with the renew form's errors."""
    open_program()
    return Client(), reverse("salons:plan_renew"), {"reference": "", "contact": ""}


def plan_status():
    return Client(), reverse("salons:plan_status"), {"reference": "", "contact": ""}


def report_new():
    clerk = UserFactory(username="clerk", staff=True)
    plan = submit_plan(ActivityPlanFactory(program=open_program(), representative_phone=PHONE))
    transition(plan, PlanStatus.REVIEWING, actor=clerk)
    transition(plan, PlanStatus.APPROVED, actor=clerk)
    return organiser(plan), reverse("salons:report_new", args=[plan.pk]), {}


def event_register():
    event = EventFactory(signup=True)
    return Client(), reverse("news:register", args=[event.pk]), {}


class Page(NamedTuple):
    reach: Callable  # () -> (client, path, what a POST with nothing filled in sends)
    methods: tuple  # "get": the form as it first shows; "post": again, with its errors
    template: str
    purpose: str  # its key in shakyo_portal.core.purposes.PURPOSES
    # Buttons (by value) that keep nothing and so may come before the notice: the plan's
    # 「助成額を計算する」 only computes the estimate.
    send_nothing: frozenset = frozenset()


BOTH = ("get", "post")
PAGES = {
    # The new form opens at its first step; the whole form in one POST (which no
    # page sends any more, but a saved page or a script may) still answers with it.
    "salons:plan_new": Page(
        plan_new, ("get",), "salons/plan_step.html", "plan", frozenset({"estimate"})
    ),
    "salons:plan_new (whole form)": Page(
        plan_new, ("post",), "salons/plan_form.html", "plan", frozenset({"estimate"})
    ),
    "salons:plan_edit": Page(
        plan_edit, ("post",), "salons/plan_form.html", "plan", frozenset({"estimate"})
    ),
    "salons:plan_step": Page(
        plan_step, BOTH, "salons/plan_step.html", "plan", frozenset({"estimate"})
    ),
    "salons:plan_check": Page(plan_check, BOTH, "salons/plan_check.html", "plan"),
    "salons:plan_start": Page(plan_start, ("get",), "salons/plan_start.html", "plan-renew"),
    "salons:plan_renew": Page(plan_renew, ("post",), "salons/plan_start.html", "plan-renew"),
    "salons:plan_status": Page(plan_status, BOTH, "salons/plan_status.html", "plan-status"),
    "salons:report_new": Page(report_new, BOTH, "salons/report_form.html", "report"),
    "news:register": Page(event_register, BOTH, "news/event_register.html", "event-registration"),
}
CASES = [(name, method) for name, page in PAGES.items() for method in page.methods]


@pytest.mark.parametrize(("name", "method"), CASES)
def test_each_post_form_states_its_purpose_before_it_is_sent(db, name, method):
    SiteProfileFactory()
    page = PAGES[name]
    client, path, empty = page.reach()
    # A POST sends what a person sends with nothing filled in: the form comes back with errors.
    response = client.get(path) if method == "get" else client.post(path, empty)
    assert response.status_code == 200, response.content.decode()[:500]
    assert page.template in [t.name for t in response.templates]
    html = response.content.decode()
    if method == "post":
        assert 'class="error-summary' in html or "field__errors" in html, "no errors shown"

    forms = post_forms(html)
    assert forms, f"{name}: no POST form on the page"
    purpose = PURPOSES[page.purpose]
    for form in forms:
        notices = [item for item in form["items"] if item["kind"] == "notice"]
        assert len(notices) == 1, f"{name} {form['action']}: {len(notices)} notices"
        notice = notices[0]
        assert notice["id"] == notice_id(page.purpose)
        assert notice["tag"] == "section"
        assert not notice["hidden"]
        text = re.sub(r"\s+", "", notice["text"])
        for words in (purpose.use, purpose.seen_by, purpose.kept):
            assert words in text
        assert PRIVACY_LINK in notice["links"]

        buttons = [item for item in form["items"] if item["kind"] == "button"]
        assert buttons, f"{name} {form['action']}: no submit button"
        seen_notice = False
        for item in form["items"]:
            if item["kind"] == "notice":
                seen_notice = True
            elif item["value"] not in page.send_nothing:
                assert seen_notice, f"{name}: 「{item['label']}」 comes before the notice"
                assert notice["id"] in item["describedby"], f"{name}: 「{item['label']}」"


def test_the_privacy_link_leads_to_the_policy(resident):
    SiteProfileFactory()
    html = resident.get(reverse("about")).content.decode()
    assert 'id="privacy"' in html
    assert reverse("about") + "#privacy" == PRIVACY_LINK


def test_every_purpose_belongs_to_a_form_that_is_checked():
    assert {page.purpose for page in PAGES.values()} == set(PURPOSES)


# --- every POST form is one of the pages above -----------------------------------------------

TEMPLATES = Path(settings.TEMPLATES[0]["DIRS"][0])
# Staff pages in the admin, and mail, are not forms a resident sends.
NOT_PUBLIC = ("admin/", "news/admin/")
POST_FORM = re.compile(r"<form\b[^>]*\bmethod=[\"']?post\b", re.IGNORECASE)


def public_post_form_templates():
    found = set()
    for path in TEMPLATES.rglob("*.html"):
        name = path.relative_to(TEMPLATES).as_posix()
        if name.startswith(NOT_PUBLIC) or "/email/" in f"/{name}":
            continue
        if POST_FORM.search(path.read_text(encoding="utf-8")):
            found.add(name)
    return found


def test_every_public_post_form_has_a_page_in_this_test():
    """A new form's template shows up here until its page is added to PAGES."""
    found = public_post_form_templates()
    assert found, "the search for POST forms found none: the pattern is wrong"
    assert found == {page.template for page in PAGES.values()}


def test_every_public_post_form_template_uses_the_notice():
    for name in public_post_form_templates():
        source = (TEMPLATES / name).read_text(encoding="utf-8")
        assert "{% purpose_of_use " in source, name
