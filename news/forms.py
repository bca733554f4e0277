"""The public registration form for an event, and the admin's file fields and checks."""

import re
import unicodedata

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from news.models import MAX_PARTY, Accommodation, Event, NewsletterIssue, Post
from shakyo_portal.core.fields import (
    ChoicesByIdField,
    CountField,
    KanaReadingFormField,
    MultilineField,
    PhoneNumberFormField,
)
from shakyo_portal.core.forms import HoneypotMixin
from shakyo_portal.core.uploads import DOCUMENT, PhotoField, display_name, process_upload

MAX_NOTE_LENGTH = 500
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,64}")


class TypedEmailField(forms.EmailField):
    """An address typed with the Japanese keyboard on (ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ) is the
    same address in ASCII."""

    def to_python(self, value):
        return unicodedata.normalize("NFKC", super().to_python(value)).strip()


class RegistrationForm(HoneypotMixin, forms.Form):
    """Name, reading, a way to reach them, how many, and what they need."""

    name = forms.CharField(
        label="氏名",
        max_length=100,
        help_text="代表の方のお名前。戸籍などの字のとおりに（髙・﨑などもそのまま使えます）。",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    reading = KanaReadingFormField(
        label="よみがな",
        max_length=100,
        help_text="ひらがなかカタカナで。例: たかはし はなこ",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone = PhoneNumberFormField(
        label="電話番号",
        required=False,
        max_length=20,
        help_text="日中に連絡がつく番号。例: 0866-92-8552 または 090-1234-5678",
    )
    email = TypedEmailField(
        label="メールアドレス",
        required=False,
        max_length=254,
        help_text="入力すると、申込の確認メールをお送りします。",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    people = CountField(
        label="人数",
        unit="人",
        min_value=1,
        max_value=MAX_PARTY,
        help_text=f"ご本人を含めた人数。{MAX_PARTY}人までです。それより多いときはお電話ください。",
    )
    accommodations = ChoicesByIdField(
        label="必要な配慮・サポート",
        queryset=Accommodation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="必要なものにチェックを入れてください。",
    )
    note = MultilineField(
        label="伝えたいこと",
        required=False,
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 40}),
        help_text="車いすでの来場、託児のお子さんの年齢など。",
        error_messages={
            "max_length": "%(limit_value)d字以内で入力してください（いまは%(show_value)d字です）。"
        },
    )
    consent = forms.BooleanField(
        label="個人情報の利用目的に同意します",
        help_text="上の利用目的をお読みのうえ、チェックしてください。",
        error_messages={
            "required": (
                "申し込むには、個人情報の利用目的への同意が必要です。"
                "利用目的をお読みのうえ、チェックしてください。"
            )
        },
    )
    # Checked and replaced by the view (news.views.event_register) before the form sees it.
    submission_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        offered = list(event.accommodations.all())
        if offered:
            self.fields["accommodations"].queryset = Accommodation.objects.filter(
                pk__in=[a.pk for a in offered]
            )
        else:
            del self.fields["accommodations"]
        for name in ("name", "reading", "people"):
            self.fields[name].error_messages["required"] = (
                f"{self.fields[name].label}を入力してください。"
            )
        self.fields["people"].error_messages["min_value"] = "1以上の数で入力してください。"
        self.fields["email"].error_messages["invalid"] = (
            "メールアドレスは「hanako@example.jp」のように入力してください。"
        )
        if "accommodations" in self.fields:
            self.fields["accommodations"].error_messages["invalid_choice"] = (
                "必要な配慮・サポートを選び直してください。"
            )
            self.fields["accommodations"].error_messages["invalid_pk_value"] = (
                "必要な配慮・サポートを選び直してください。"
            )
        self.helper = self.build_helper()

    def build_helper(self):
        """The fields up to 伝えたいこと, in page order, through the portal's template pack.

        The page (news/event_register.html) writes the rest: the <form> with its CSRF
        token, the error summary above it, and after these fields the 利用目的 notice,
        the consent that refers to it, the honeypot and the button.
        """
        helper = FormHelper()
        helper.form_tag = False
        helper.form_show_errors = False
        helper.layout = Layout(
            "submission_token",
            "name",
            "reading",
            "phone",
            "email",
            "people",
            *(["accommodations"] if "accommodations" in self.fields else []),
            "note",
        )
        return helper

    def clean(self):
        cleaned = super().clean()
        typed_any = self.has_error("phone") or self.has_error("email")
        if not typed_any and not cleaned.get("phone") and not cleaned.get("email"):
            self.add_error(
                "phone",
                "電話番号かメールアドレスの、どちらかを入力してください（両方でもかまいません）。",
            )
        return cleaned


# --- the admin ------------------------------------------------------------------------


class PdfField(forms.FileField):
    """One PDF, checked by shakyo_portal.core.uploads (no scripts, no embedded files, readable)."""

    default_error_messages = {
        "not_pdf": "「%(name)s」は PDF ではありません。PDF を選んでください。"
    }

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput):
            attrs["accept"] = "application/pdf"
        return attrs

    def to_python(self, data):
        data = super().to_python(data)
        if data is None:
            return None
        try:
            processed = process_upload(data, allow_documents=True)
        except ValidationError as error:
            if error.code != "unsupported":
                raise
            # The shared message offers photos too; this field takes a PDF only.
            processed = None
        if processed is None or processed.kind != DOCUMENT:
            raise ValidationError(
                self.error_messages["not_pdf"],
                code="not_pdf",
                params={"name": display_name(data.name)},
            )
        return SimpleUploadedFile(
            processed.content.name, processed.content.file.getvalue(), "application/pdf"
        )


class PostAdminForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = [
            "title",
            "slug",
            "category",
            "summary",
            "body",
            "districts",
            "is_pinned",
            "status",
            "published_at",
            "ends_at",
        ]
        widgets = {"body": forms.Textarea(attrs={"rows": 20, "cols": 80})}


class EventAdminForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "title",
            "description",
            "starts_at",
            "ends_at",
            "place",
            "place_address",
            "target",
            "capacity",
            "fee",
            "fee_note",
            "registration",
            "registration_deadline",
            "waitlist",
            "registration_note",
            "accommodations",
            "organiser",
            "flyer",
            "status",
            "status_note",
            "district",
            "council",
            "office",
            "publication",
            "published_at",
        ]
        field_classes = {"flyer": PdfField}
        widgets = {"description": forms.Textarea(attrs={"rows": 12, "cols": 80})}


class NewsletterIssueAdminForm(forms.ModelForm):
    class Meta:
        model = NewsletterIssue
        fields = [
            "number",
            "issued_on",
            "issued_on_precision",
            "title",
            "pdf",
            "cover",
            "cover_alt",
            "status",
            "published_at",
        ]
        field_classes = {"pdf": PdfField, "cover": PhotoField}
