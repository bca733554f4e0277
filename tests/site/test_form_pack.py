"""The portal's crispy-forms template pack (templates/portal/) renders the site's own form
markup: labels with 必須, help text and errors linked to their field, the error summary,
and the layout objects a long form declares in its FormHelper, with no class the site's
CSS does not have.

The event registration page is the pack's first user (news.forms.RegistrationForm
declares its layout); a small form with every layout object stands in for the long
salon forms, served through the test client from this module's URLs (the 活動計画書 and
実績報告 pages themselves: tests/salons/test_form_layouts.py).
"""

import re
from pathlib import Path

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, ButtonHolder, Div, Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.http import HttpResponse
from django.template import engines
from django.template.loader import render_to_string
from django.test import override_settings
from django.test.html import Element, parse_html
from django.urls import path

from news.forms import RegistrationForm
from shakyo_portal import urls as portal_urls
from tests.factories import OfficeFactory, SiteProfileFactory
from tests.news.factories import AccommodationFactory, EventFactory
from tests.news.helpers import main

# Classes Django itself puts on an error list (templates/django/forms/errors/list/ul.html).
DJANGO_CLASSES = {"errorlist"}
SITE_CSS = "\n".join(
    path.read_text(encoding="utf-8")
    for path in (Path(settings.BASE_DIR) / "static" / "css").glob("*.css")
)


# --- reading the HTML ------------------------------------------------------------------------


def tree(html):
    return parse_html(main(html) if '<main id="main"' in html else html)


def elements(node):
    for child in node.children:
        if isinstance(child, Element):
            yield child
            yield from elements(child)


def attrs(element):
    return dict(element.attributes)


def by_id(root, element_id):
    found = [e for e in elements(root) if attrs(e).get("id") == element_id]
    assert len(found) == 1, f"{len(found)} elements with id {element_id!r}"
    return found[0]


def text(node):
    if isinstance(node, str):
        return node
    return "".join(text(child) for child in node.children)


def child_elements(element):
    return [child for child in element.children if isinstance(child, Element)]


def described_by(element):
    return attrs(element).get("aria-describedby", "").split()


def classes(element):
    return attrs(element).get("class", "").split()


def foreign_classes(root):
    """Classes in the markup that neither the site's CSS nor Django's error list has."""
    return {
        name
        for element in [root, *elements(root)]
        for name in classes(element)
        if name not in DJANGO_CLASSES and not re.search(rf"\.{re.escape(name)}(?![\w-])", SITE_CSS)
    }


# --- the registration page -------------------------------------------------------------------


@pytest.fixture
def lecture(db):
    """A 要申込 event offering 要約筆記, so the form has its checkbox group too."""
    SiteProfileFactory()
    return EventFactory(
        title="認知症サポーター養成講座",
        signup=True,
        capacity=5,
        office=OfficeFactory(),
        accommodations=[AccommodationFactory(name="要約筆記", slug="yoyaku")],
    )


def register_url(event):
    return f"/events/{event.pk}/register/"


@pytest.fixture
def empty_post(resident, lecture):
    """The page after 申し込む with nothing typed: the errors, and the same form again."""
    token = re.search(
        r'name="submission_token" value="([^"]+)"',
        resident.get(register_url(lecture)).content.decode(),
    )[1]
    response = resident.post(register_url(lecture), {"submission_token": token})
    assert response.status_code == 200
    return response


def test_a_required_field_shows_必須_and_an_optional_one_does_not(resident, lecture):
    page = tree(resident.get(register_url(lecture)).content.decode())
    labels = {attrs(e).get("for"): e for e in elements(page) if e.name == "label"}

    mark = child_elements(labels["id_name"])
    assert [(e.name, classes(e), text(e).strip()) for e in mark] == [("span", ["required"], "必須")]
    assert "必須" not in text(labels["id_phone"])
    # The consent, rendered after the 利用目的 notice with |as_crispy_field, too.
    assert "必須" in text(labels["id_consent"])
    # A group of checkboxes is a fieldset whose legend is the label.
    legend = child_elements(child_elements(by_id(page, "id_accommodations_field"))[0])[0]
    assert legend.name == "legend"
    assert text(legend).strip() == "必要な配慮・サポート"


def test_a_help_text_is_linked_to_its_field(resident, lecture):
    page = tree(resident.get(register_url(lecture)).content.decode())
    name = by_id(page, "id_name")
    help_text = by_id(page, "id_name_helptext")

    assert "id_name_helptext" in described_by(name)
    assert help_text.name == "p"
    assert classes(help_text) == ["field__help"]
    assert text(help_text) == RegistrationForm.base_fields["name"].help_text
    assert "aria-invalid" not in attrs(name)


def test_a_field_with_an_error_is_marked_invalid_and_linked_to_its_message(empty_post):
    page = tree(empty_post.content.decode())
    name = by_id(page, "id_name")
    error = by_id(page, "id_name_error")

    assert attrs(name)["aria-invalid"] == "true"
    assert described_by(name) == ["id_name_helptext", "id_name_error"]
    assert error.name == "ul"
    assert "field__errors" in classes(error)
    assert text(error) == "氏名を入力してください。"
    assert "field--error" in classes(by_id(page, "id_name_field"))
    # A field without an error is not marked.
    assert "aria-invalid" not in attrs(by_id(page, "id_note"))
    assert "field--error" not in classes(by_id(page, "id_note_field"))


def test_the_error_summary_links_each_message_to_its_field(empty_post):
    page = tree(empty_post.content.decode())
    summary = by_id(page, "error-summary")
    links = {attrs(a)["href"]: text(a) for a in elements(summary) if a.name == "a"}

    assert links["#id_name_field"] == "氏名: 氏名を入力してください。"
    assert links["#id_consent_field"].startswith("個人情報の利用目的に同意します: ")
    for href in links:
        by_id(page, href.removeprefix("#"))
    assert attrs(summary)["role"] == "alert"
    assert attrs(summary)["tabindex"] == "-1"


def test_the_registration_page_renders_its_form_through_the_pack(resident, lecture, monkeypatch):
    """The fields come from the form's helper: an element only the layout has shows up
    in the page, in the layout's place, and the fields keep the page's order."""
    build_helper = RegistrationForm.build_helper

    def with_probe(form):
        helper = build_helper(form)
        helper.layout.append(HTML('<p id="layout-probe">レイアウトから</p>'))
        return helper

    monkeypatch.setattr(RegistrationForm, "build_helper", with_probe)
    response = resident.get(register_url(lecture))
    rendered = [template.name for template in response.templates]
    html = main(response.content.decode())

    assert "portal/whole_uni_form.html" in rendered
    assert "portal/field.html" in rendered
    assert text(by_id(tree(html), "layout-probe")) == "レイアウトから"
    order = re.findall(r'id="(id_\w+_field|layout-probe|purpose-of-use-event-registration)"', html)
    assert order == [
        "id_name_field",
        "id_reading_field",
        "id_phone_field",
        "id_email_field",
        "id_people_field",
        "id_accommodations_field",
        "id_note_field",
        "layout-probe",
        "purpose-of-use-event-registration",
        "id_consent_field",
    ]
    # The one-time token is the bare hidden input, not a field with a label.
    assert html.count('name="submission_token"') == 1
    assert 'id="id_submission_token_field"' not in html


def test_an_event_without_accommodations_leaves_the_group_out_of_its_layout(resident, db):
    SiteProfileFactory()
    event = EventFactory(signup=True, office=OfficeFactory())
    html = main(resident.get(register_url(event)).content.decode())

    assert 'id="id_name_field"' in html
    assert "accommodations" not in html


def test_the_pack_field_is_the_site_field_byte_for_byte(lecture):
    """One field template: the pack's field is templates/django/forms/field.html's output
    (Django's renderer strips the whitespace around a template's output; crispy does not)."""
    form = RegistrationForm({"email": "bad"}, event=lecture)
    form.is_valid()
    for field in form.visible_fields():
        pack = render_to_string("portal/field.html", {"field": field})
        assert pack.strip() == field.as_field_group(), field.name


def test_the_registration_form_adds_no_class_the_site_lacks(empty_post):
    page = tree(empty_post.content.decode())
    form = next(e for e in elements(page) if e.name == "form" and "news-form" in classes(e))
    fields = [e for e in child_elements(form) if attrs(e).get("id", "").endswith("_field")]
    assert len(fields) == 8
    for field in [*fields, by_id(page, "error-summary")]:
        assert foreign_classes(field) == set(), attrs(field)["id"]


# --- every layout object, on a page of its own -----------------------------------------------


class LayoutForm(forms.Form):
    """A small long form: a section, a fieldset with a heading and a hint, a pair, buttons."""

    token = forms.CharField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(
        label="区分", choices=[("new", "新規"), ("renew", "継続")], widget=forms.RadioSelect
    )
    representative = forms.CharField(label="代表者の氏名", help_text="戸籍などの字のとおりに。")
    starts_at = forms.TimeField(label="開始時刻", required=False)
    ends_at = forms.TimeField(label="終了時刻", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = "/layout/"
        self.helper.form_class = "plan-form"
        self.helper.attrs = {"novalidate": True}
        self.helper.layout = Layout(
            "token",
            Div(
                HTML('<h2 id="section-kind">1. 区分</h2>'),
                "kind",
                template="%s/layout/section.html",
                css_class="plan-section",
                aria_labelledby="section-kind",
            ),
            Fieldset(
                "<h2>2. 代表者</h2>",
                HTML('<p id="representative-hint">電話番号を必ず書いてください。</p>'),
                "representative",
                Div("starts_at", "ends_at", css_class="plan-pair"),
                css_class="plan-section",
            ),
            ButtonHolder(Submit("action", "保存する", aria_describedby="representative-hint")),
        )


def layout_page(request):
    form = LayoutForm(request.POST or None)
    if form.is_bound:
        form.is_valid()
    page = engines["django"].from_string(
        '{% load crispy_forms_tags %}<main id="main">{% crispy form %}</main>'
    )
    return HttpResponse(page.render({"form": form}, request))


urlpatterns = [path("layout/", layout_page), *portal_urls.urlpatterns]


@override_settings(ROOT_URLCONF=__name__)
def test_a_form_s_layout_renders_as_the_site_s_markup(resident):
    page = tree(resident.get("/layout/").content.decode())
    form = next(e for e in elements(page) if e.name == "form")
    assert attrs(form) == {
        "action": "/layout/",
        "class": "plan-form",
        "method": "post",
        "novalidate": None,
    }
    assert any(attrs(e).get("name") == "csrfmiddlewaretoken" for e in elements(form))
    assert "error-summary" not in str(form)

    # A section named by its heading, holding its field.
    section = next(e for e in elements(form) if e.name == "section")
    assert attrs(section) == {"class": "plan-section", "aria-labelledby": "section-kind"}
    assert [e.name for e in child_elements(section)] == ["h2", "div"]
    assert attrs(child_elements(section)[1])["id"] == "id_kind_field"

    # A fieldset: its legend (a heading), the hint, the fields, the pair.
    fieldset = next(e for e in child_elements(form) if e.name == "fieldset")
    legend, hint, field, pair = child_elements(fieldset)
    assert classes(fieldset) == ["plan-section"]
    assert legend.name == "legend"
    assert [(e.name, text(e)) for e in child_elements(legend)] == [("h2", "2. 代表者")]
    assert attrs(hint)["id"] == "representative-hint"
    assert attrs(field)["id"] == "id_representative_field"
    assert "必須" in text(field)
    assert classes(pair) == ["plan-pair"]
    assert [attrs(e)["id"] for e in child_elements(pair)] == [
        "id_starts_at_field",
        "id_ends_at_field",
    ]

    # The button row: a paragraph with the site's button.
    row = child_elements(form)[-1]
    button = child_elements(row)[0]
    assert row.name == "p"
    assert button.name == "button"
    assert attrs(button)["type"] == "submit"
    assert attrs(button)["class"] == "button"
    assert attrs(button)["aria-describedby"] == "representative-hint"
    assert text(button) == "保存する"

    # The hidden field is its bare input.
    assert not any(attrs(e).get("id") == "id_token_field" for e in elements(form))
    assert foreign_classes(page) == set()


@override_settings(ROOT_URLCONF=__name__)
def test_a_form_the_pack_writes_shows_the_summary_at_its_top(resident):
    page = tree(resident.post("/layout/", {"starts_at": "25時"}).content.decode())
    form = next(e for e in elements(page) if e.name == "form")
    summary = child_elements(form)[1]  # after the CSRF token
    links = [attrs(a)["href"] for a in elements(summary) if a.name == "a"]

    assert attrs(summary)["id"] == "error-summary"
    assert links == ["#id_kind_field", "#id_representative_field", "#id_starts_at_field"]
    representative = by_id(page, "id_representative")
    assert attrs(representative)["aria-invalid"] == "true"
    assert described_by(representative) == [
        "id_representative_helptext",
        "id_representative_error",
    ]
    # The radio group is a fieldset; its errors are linked from the fieldset.
    group = child_elements(by_id(page, "id_kind_field"))[0]
    assert group.name == "fieldset"
    assert "id_kind_error" in described_by(group)
    assert foreign_classes(page) == set()


def test_the_crispy_filter_renders_every_visible_field_and_not_the_honeypot(lecture):
    form = RegistrationForm(event=lecture)
    html = engines["django"].from_string("{% load crispy_forms_tags %}{{ form|crispy }}")
    rendered = html.render({"form": form})

    assert 'id="id_name_field"' in rendered
    assert 'id="id_consent_field"' in rendered
    assert 'name="submission_token"' in rendered
    assert 'name="website"' not in rendered
