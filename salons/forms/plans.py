"""The 活動計画書 form: the plan's fields, its budget, its files, and how it is checked.

One long form serves three buttons. 「提出する」 checks everything; 「下書きを
保存する」 and 「助成額を計算する」 check only that what was typed is well formed
(a phone number with the right number of digits, an amount that is a number),
so a half-finished plan can be kept and the estimate shown at any point.
"""

import re
import unicodedata
from dataclasses import dataclass

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, ButtonHolder, Div, Fieldset, Layout
from django import forms
from django.http import QueryDict

from districts.models import District
from salons.forms.budget import MAX_LINES, MoneyLineForm, MoneyLineFormSet, money_formset
from salons.forms.status import NOT_FOUND_MESSAGE, REFERENCE_PAUSED_MESSAGE
from salons.grants import Estimate, estimate
from salons.models import (
    EXPENSE_ITEMS,
    INCOME_ITEMS,
    MAX_AMOUNT,
    MAX_PEOPLE,
    MAX_SESSIONS,
    WEEKS_OF_MONTH,
    ActivityPlan,
    Attachment,
    BudgetSide,
    Frequency,
    GrantProgram,
    PlanKind,
    Salon,
    SalonActivityType,
    SalonStatus,
    TargetGroup,
    normalize_reference,
)
from salons.services import PlanInput
from shakyo_portal.core.dates import format_date
from shakyo_portal.core.fields import (
    ChoicesByIdField,
    CountField,
    LenientDateField,
    LenientTimeField,
    MultilineField,
)
from shakyo_portal.core.forms import HoneypotMixin
from shakyo_portal.core.kana import reading_sort_key
from shakyo_portal.core.ratelimit import plan_secret
from shakyo_portal.core.uploads import MAX_FILES, AttachmentsField

MAX_CONTENT_LENGTH = 2000
# Rows shown beyond the filled ones, so a form without JavaScript has room to type.
BLANK_ROWS = 2


class Mode:
    """What the pressed button asks of the form."""

    SUBMIT = "submit"
    DRAFT = "draft"
    ESTIMATE = "estimate"
    ALL = (SUBMIT, DRAFT, ESTIMATE)


def _nfkc(value):
    return unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else value


class LenientEmailField(forms.EmailField):
    """ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ typed with the Japanese keyboard still on is an address."""

    default_error_messages = {
        "invalid": "メールアドレスは「taro@example.jp」のように入力してください。"
    }

    def to_python(self, value):
        return super().to_python(_nfkc(value))


class SalonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, salon):
        if salon.status == SalonStatus.PAUSED:
            return f"{salon.name}（休止中）"
        return salon.name


def salon_choices(salons) -> list:
    """The salons as <optgroup>s by district, each in 50音 order of its reading."""
    groups: dict[int, tuple[District, list]] = {}
    for salon in salons:
        groups.setdefault(salon.district_id, (salon.district, []))[1].append(salon)
    field = SalonChoiceField(queryset=Salon.objects.none())
    choices: list = [("", "サロンを選んでください")]
    for district, members in sorted(
        groups.values(), key=lambda g: (g[0].display_order, reading_sort_key(g[0].reading))
    ):
        members.sort(key=lambda s: reading_sort_key(s.reading))
        choices.append(
            (
                f"{district.name}地区",
                [(salon.pk, field.label_from_instance(salon)) for salon in members],
            )
        )
    return choices


# The model fields the form edits (the budget, files and consent are handled apart).
PLAN_FIELDS = [
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
    "content",
    "requests_grant",
]

# The plan's own columns among them.
PLAN_COLUMNS = tuple(
    name for name in PLAN_FIELDS if name not in ("target_groups", "activity_types")
)

# Required for 「提出する」 whatever the kind; the rest depends on the kind and schedule.
SUBMIT_REQUIRED = {
    "kind",
    "target_groups",
    "representative_name",
    "representative_reading",
    "representative_phone",
    "venue_name",
    "frequency",
    "starts_at",
    "ends_at",
    "first_session_on",
    "last_session_on",
    "sessions_planned",
    "expected_participants",
    "content",
    "consent",
}

CHOOSE_FIELDS = {
    "kind",
    "salon",
    "district",
    "target_groups",
    "frequency",
    "weekday",
    "weeks_of_month",
}


class PlanForm(HoneypotMixin, forms.ModelForm):
    kind = forms.ChoiceField(
        label="区分",
        choices=PlanKind.choices,
        widget=forms.RadioSelect,
        help_text="新規: 初めて始めるサロン。再開: 休んでいたサロンをまた始める。"
        "継続: 前年度から続けているサロン。",
    )
    salon = SalonChoiceField(
        label="サロン",
        queryset=Salon.objects.none(),
        required=False,
        help_text="継続・再開のときに選んでください。地区ごとに、よみがなの順に並んでいます。",
    )
    district = forms.ModelChoiceField(
        label="地区",
        queryset=District.objects.none(),
        required=False,
        empty_label="地区を選んでください",
    )
    target_groups = ChoicesByIdField(
        label="対象",
        queryset=TargetGroup.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="当てはまるものをすべて選んでください。",
    )
    activity_types = ChoicesByIdField(
        label="活動内容",
        queryset=SalonActivityType.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="当てはまるものをすべて選んでください。ほかの活動は「活動の内容」に書いてください。",
    )
    representative_email = LenientEmailField(
        label="メールアドレス",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        help_text="書いていただくと、受付の確認や下書きのリンクをメールでお送りします。",
    )
    frequency = forms.ChoiceField(
        label="開催の頻度", choices=Frequency.choices, widget=forms.RadioSelect
    )
    weeks_of_month = forms.MultipleChoiceField(
        label="第何週",
        choices=WEEKS_OF_MONTH,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="「毎月」のときに選んでください。例: 第2と第4の水曜日なら、第2と第4。",
    )
    starts_at = LenientTimeField(label="開始時刻", required=False)
    ends_at = LenientTimeField(label="終了時刻", required=False)
    first_session_on = LenientDateField(label="初回の開催日", required=False)
    last_session_on = LenientDateField(label="最終回の開催日", required=False)
    sessions_planned = CountField(
        label="年間の開催回数",
        unit="回",
        min_value=1,
        max_value=MAX_SESSIONS,
        required=False,
        help_text="この年度に開く予定の回数（例: 毎月1回なら12）",
    )
    expected_participants = CountField(
        label="参加者数の見込み（1回あたり）",
        unit="人",
        min_value=1,
        max_value=MAX_PEOPLE,
        required=False,
        help_text="協力者・ボランティアを除いた、1回に来る人のおおよその数",
    )
    expected_helpers = CountField(
        label="協力者・ボランティアの人数",
        unit="人",
        max_value=MAX_PEOPLE,
        required=False,
        help_text="いなければ0",
    )
    content = MultilineField(
        label="活動の内容",
        max_length=MAX_CONTENT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=f"どんなことをするか、自由に書いてください（{MAX_CONTENT_LENGTH}字まで）。"
        "例: 体操のあと、お茶を飲みながらおしゃべりをします。季節ごとに手芸もします。",
        error_messages={
            "max_length": "%(limit_value)d字以内で入力してください（いまは%(show_value)d字です）。"
        },
    )
    requests_grant = forms.BooleanField(
        label="活動助成を申請する",
        required=False,
        help_text="申請しないときは、チェックを外してください。",
    )
    attachments = AttachmentsField(
        label="添付ファイル", max_files=MAX_FILES, allow_documents=True, required=False
    )
    remove_attachments = ChoicesByIdField(
        label="添付済みのファイル",
        queryset=Attachment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="削除するファイルにチェックを入れてください。チェックしないファイルはそのまま残ります。",
    )
    consent = forms.BooleanField(
        label="個人情報の利用目的に同意します",
        required=False,
        help_text="上の利用目的をお読みのうえ、チェックしてください。",
    )

    class Meta:
        model = ActivityPlan
        fields = PLAN_FIELDS
        labels = {
            "salon_name": "サロン名",
            "salon_reading": "サロン名のよみがな",
            "representative_name": "氏名",
            "representative_reading": "よみがな",
            "representative_phone": "電話番号",
            "representative_postal_code": "郵便番号",
            "representative_address": "住所",
            "venue_name": "会場の名前",
            "venue_address": "会場の住所",
            "weekday": "曜日",
            "schedule_note": "開催日の補足",
        }
        help_texts = {
            "salon_name": "新規のときに書いてください。例: ひまわりサロン",
            "salon_reading": "ひらがなかカタカナで。例: ひまわりさろん",
            "representative_name": (
                "戸籍などの字のとおりに書いてください（髙・﨑などもそのまま使えます）。"
            ),
            "representative_reading": "ひらがなかカタカナで。例: たかはし はなこ",
            "representative_phone": "日中に連絡がつく番号。例: 0866-92-8552 または 090-1234-5678",
            "representative_postal_code": (
                "メールアドレスがないときは、郵便番号と住所を書いてください。例: 719-1131"
            ),
            "representative_address": "例: 総社市中央1丁目1-1",
            "venue_name": "例: 中央公会堂",
            "venue_address": "例: 総社市中央1丁目1-1",
            "weekday": "「毎週」「毎月」のときに選んでください。",
            "schedule_note": "例: 8月はお休み",
        }
        widgets = {
            "salon_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "salon_reading": forms.TextInput(attrs={"autocomplete": "off"}),
            "representative_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "representative_reading": forms.TextInput(attrs={"autocomplete": "off"}),
        }

    field_order = [*PLAN_FIELDS, "attachments", "remove_attachments", "consent"]

    def __init__(self, *args, program: GrantProgram, mode: str = Mode.SUBMIT, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.mode = mode
        salons = Salon.objects.listed().select_related("district")
        if self.instance.salon_id:
            # A salon closed since the plan was saved stays selectable on that plan.
            salons = salons | Salon.objects.filter(pk=self.instance.salon_id).select_related(
                "district"
            )
        self.fields["salon"].queryset = salons
        self.fields["salon"].widget.choices = salon_choices(salons)
        self.fields["district"].queryset = District.objects.public()
        self.fields["target_groups"].queryset = TargetGroup.objects.all()
        self.fields["activity_types"].queryset = SalonActivityType.objects.all()
        self.fields["weekday"].choices = [("", "曜日を選んでください")] + [
            choice for choice in self.fields["weekday"].choices if choice[0] != ""
        ]
        # The files saved with the plan: the page offers them for removal when there are any.
        self.saved_attachments: list[Attachment] = []
        if self.instance.pk:
            self.fields["remove_attachments"].queryset = self.instance.attachments.all()
            self.fields["remove_attachments"].label_from_instance = _attachment_label
            self.saved_attachments = list(self.instance.attachments.all())
        else:
            del self.fields["remove_attachments"]
        if self.instance.weeks_of_month and not self.is_bound:
            self.initial["weeks_of_month"] = [str(n) for n in self.instance.weeks]
        first, last = program.period
        for name in ("first_session_on", "last_session_on"):
            self.fields[name].help_text = (
                f"{program.fiscal_year_label}（{format_date(first, weekday=False)}〜"
                f"{format_date(last, weekday=False)}）の中の日"
            )
        for name, field in self.fields.items():
            field.required = name in SUBMIT_REQUIRED
            verb = "選んでください" if name in CHOOSE_FIELDS else "入力してください"
            field.error_messages["required"] = f"{field.label}を{verb}。"
        self.fields["consent"].error_messages["required"] = (
            "提出するには、個人情報の利用目的への同意が必要です。"
            "利用目的をお読みのうえ、チェックしてください。"
        )
        for name in ("sessions_planned", "expected_participants"):
            self.fields[name].error_messages["min_value"] = "1以上の数で入力してください。"
        self.fields["kind"].error_messages["invalid_choice"] = "区分を選び直してください。"
        for name in ("salon", "district", "target_groups", "activity_types", "weekday"):
            self.fields[name].error_messages["invalid_choice"] = (
                f"{self.fields[name].label}を選び直してください。"
            )
        self.fields["target_groups"].error_messages["invalid_pk_value"] = (
            "対象を選び直してください。"
        )
        self.fields["activity_types"].error_messages["invalid_pk_value"] = (
            "活動内容を選び直してください。"
        )
        overlong = "%(limit_value)d字以内で入力してください（いまは%(show_value)d字です）。"
        for field in self.fields.values():
            if getattr(field, "max_length", None):
                field.error_messages["max_length"] = overlong
        self.helper = self.build_helper()

    def build_helper(self, step: str | None = None) -> FormHelper:
        """The form's parts through the portal's template pack: all of them (parts 1
        to 9 of the one long page a whole-form POST re-renders) or one step's.

        The page (salons/plan_form.html, salons/plan_step.html) writes the rest: the
        error summary (with the budget tables' rows), the <form> with its CSRF token
        and one-time token, and the buttons; the long page also part 10, where the
        利用目的 notice, the consent and the honeypot are.
        The budget tables keep their own template (salons/includes/plan_budget.html);
        the estimate box, the budget tables and the notes about files read the page's
        context (estimate, entry, income, expense and their totals, files_dropped).
        """
        helper = FormHelper()
        helper.form_tag = False
        helper.form_show_errors = False
        if step is None:
            helper.layout = Layout(*self._parts(numbered=True))
        else:
            helper.layout = Layout(*self._step_parts(step))
        return helper

    def _step_parts(self, step: str) -> list:
        parts = self._parts(numbered=False)
        kind, salon, representative, venue, schedule, people, grant, content, budget, files = parts
        return {
            "salon": [kind, salon, representative],
            "schedule": [venue, schedule],
            "activity": [people, content],
            "budget": [grant, budget],
            "files": [files],
        }[step]

    def _parts(self, *, numbered: bool) -> list:
        """The sections in the long page's order; the long page joins 参加者 and 活動助成."""

        def title(number, text):
            return f"{number}. {text}" if numbered else text

        estimate = [
            HTML('{% include "salons/includes/plan_estimate_box.html" with live=True %}'),
            ButtonHolder(
                HTML(
                    '<button type="submit" name="action" value="estimate" '
                    'class="button button--secondary">助成額を計算する</button>'
                ),
            ),
            HTML(
                '<p class="field__help">区分・開催回数・参加者数・初回の開催日から'
                "計算します。このボタンでは保存も提出もしません。</p>"
            ),
        ]
        people = ["expected_participants", "expected_helpers"]
        if numbered:
            people_part = Fieldset(
                f"<h2>{title(6, '参加者と活動助成')}</h2>",
                *people,
                "requests_grant",
                *estimate,
                css_class="plan-section",
            )
            grant_part = None
        else:
            people_part = Fieldset("<h2>参加者</h2>", *people, css_class="plan-section")
            grant_part = Fieldset(
                "<h2>活動助成</h2>", "requests_grant", *estimate, css_class="plan-section"
            )
        parts = [
            Div(
                HTML(f'<h2 id="section-kind">{title(1, "区分")}</h2>'),
                "kind",
                template="%s/layout/section.html",
                css_class="plan-section",
                aria_labelledby="section-kind",
            ),
            Fieldset(
                f"<h2>{title(2, 'サロン')}</h2>",
                Div(
                    HTML("<h3>継続・再開のとき</h3>"),
                    "salon",
                    css_class="plan-part",
                    data_kind_part="existing",
                ),
                Div(
                    HTML("<h3>新規のとき</h3>"),
                    "salon_name",
                    "salon_reading",
                    "district",
                    css_class="plan-part",
                    data_kind_part="new",
                ),
                "target_groups",
                "activity_types",
                css_class="plan-section",
            ),
            Fieldset(
                f"<h2>{title(3, '代表者')}</h2>",
                HTML(
                    "<p>連絡先として、電話番号と、メールアドレスか住所（郵便番号と住所）の"
                    "どちらかを必ず書いてください。</p>"
                ),
                "representative_name",
                "representative_reading",
                "representative_phone",
                "representative_email",
                "representative_postal_code",
                "representative_address",
                css_class="plan-section",
            ),
            Fieldset(
                f"<h2>{title(4, '会場')}</h2>",
                "venue_name",
                "venue_address",
                css_class="plan-section",
            ),
            Fieldset(
                f"<h2>{title(5, '開催日程')}</h2>",
                "frequency",
                "weeks_of_month",
                "weekday",
                Div("starts_at", "ends_at", css_class="plan-pair"),
                "schedule_note",
                Div("first_session_on", "last_session_on", css_class="plan-pair"),
                "sessions_planned",
                css_class="plan-section",
            ),
            people_part,
            grant_part,
            Fieldset(
                f"<h2>{title(7, '活動の内容')}</h2>",
                "content",
                css_class="plan-section",
            ),
            Fieldset(
                f"<h2>{title(8, '予算（収入と支出）')}</h2>",
                HTML(
                    "<p>この年度の収入と支出の予定を、1行に1つずつ書いてください。"
                    "使わない行は空のままで構いません。行が足りないときは、"
                    "「下書きを保存する」を押すと空の行が増えます。"
                    "収入の合計と支出の合計は、同じ額にしてください。"
                    "金額は「1,000」「１０００」のどちらの書き方でも読み取ります。</p>"
                ),
                HTML(
                    "{% if entry.budget_error %}"
                    '<p class="field__errors plan-budget-error">{{ entry.budget_error }}</p>'
                    "{% endif %}"
                ),
                HTML(
                    '{% include "salons/includes/plan_budget.html" '
                    'with formset=income total=income_total side="income" %}'
                ),
                HTML(
                    '{% include "salons/includes/plan_budget.html" '
                    'with formset=expense total=expense_total side="expense" %}'
                ),
                css_class="plan-section",
            ),
            Fieldset(
                f"<h2>{title(9, '添付ファイル（任意）')}</h2>",
                HTML(
                    "<p>活動の写真や、会場の案内・チラシなどがあれば付けてください。"
                    "なくても提出できます。写真の位置情報などは取り除いて保存します。</p>"
                ),
                *(
                    [
                        HTML(
                            "<p>保存済みのファイルが{{ form.saved_attachments|length }}個"
                            "あります。このまま提出すると一緒に届きます。</p>"
                        ),
                        "remove_attachments",
                    ]
                    if self.saved_attachments
                    else []
                ),
                HTML(
                    "{% if files_dropped %}"
                    '<p class="plan-files-note" id="files-note"><strong>選んだファイルは、'
                    "もう一度選んでください。</strong>入力内容を確認するためにページを"
                    "表示し直すと、ブラウザの決まりで、選んだファイルは消えてしまいます。</p>"
                    "{% endif %}"
                ),
                "attachments",
                css_class="plan-section",
            ),
        ]
        return parts if not numbered else [part for part in parts if part is not None]

    @property
    def lenient(self) -> bool:
        return self.mode != Mode.SUBMIT

    def full_clean(self):
        # A draft or an estimate may leave anything empty; what is typed must still be
        # well formed. The fields keep `required` for the 必須 marks when re-rendered.
        if not self.lenient:
            return super().full_clean()
        required = {name: field.required for name, field in self.fields.items()}
        for field in self.fields.values():
            field.required = False
        try:
            super().full_clean()
        finally:
            for name, field in self.fields.items():
                field.required = required[name]

    def clean_weeks_of_month(self):
        return ",".join(sorted(self.cleaned_data.get("weeks_of_month") or []))

    def clean_kind(self):
        return self.cleaned_data.get("kind") or ""

    def clean_frequency(self):
        # A draft without a frequency keeps the model's default (毎月), as a new form shows.
        return self.cleaned_data.get("frequency") or Frequency.MONTHLY

    def clean(self):
        cleaned = super().clean()
        if self.lenient:
            return cleaned
        self._clean_salon(cleaned)
        self._clean_contact(cleaned)
        self._clean_schedule(cleaned)
        self._clean_dates(cleaned)
        return cleaned

    def _require(self, cleaned, name, message=None):
        if name not in self.errors and cleaned.get(name) in (None, "", []):
            self.add_error(name, message or self.fields[name].error_messages["required"])

    def _clean_salon(self, cleaned):
        kind = cleaned.get("kind")
        if kind in (PlanKind.CONTINUING, PlanKind.RESUMED):
            self._require(
                cleaned,
                "salon",
                "継続・再開のときは、サロンを一覧から選んでください。"
                "一覧にないときは、区分を「新規」にしてサロン名を書いてください。",
            )
        elif kind == PlanKind.NEW:
            self._require(cleaned, "salon_name", "新規のときは、サロン名を入力してください。")
            self._require(
                cleaned, "salon_reading", "新規のときは、サロン名のよみがなを入力してください。"
            )
            self._require(cleaned, "district", "新規のときは、地区を選んでください。")

    def _clean_contact(self, cleaned):
        email = cleaned.get("representative_email")
        postal = cleaned.get("representative_postal_code")
        address = cleaned.get("representative_address")
        failed = {"representative_email", "representative_postal_code"} & set(self.errors)
        if failed:
            return
        if postal and not address:
            self._require(
                cleaned, "representative_address", "郵便番号に続けて住所を入力してください。"
            )
        elif address and not postal:
            self._require(
                cleaned, "representative_postal_code", "住所の郵便番号を入力してください。"
            )
        elif not email and not postal and not address:
            self.add_error(
                "representative_email",
                "連絡先として、メールアドレスか、郵便番号と住所のどちらかを入力してください。",
            )

    def _clean_schedule(self, cleaned):
        if "frequency" in self.errors:
            return  # Which of weekday and weeks are needed depends on it.
        probe = ActivityPlan(
            frequency=cleaned.get("frequency") or Frequency.MONTHLY,
            weeks_of_month=cleaned.get("weeks_of_month") or "",
            weekday=cleaned.get("weekday"),
            starts_at=cleaned.get("starts_at"),
            ends_at=cleaned.get("ends_at"),
        )
        messages = {
            "weekday": "「毎週」「毎月」のときは、曜日を選んでください。",
            "weeks_of_month": "「毎月」のときは、第何週かを選んでください。",
        }
        for name, message in probe.clean_schedule().items():
            if name not in self.errors:
                self.add_error(name, messages.get(name, message))

    def _clean_dates(self, cleaned):
        first_day, last_day = self.program.period
        label = self.program.fiscal_year_label
        span = f"{format_date(first_day, weekday=False)}〜{format_date(last_day, weekday=False)}"
        first = cleaned.get("first_session_on")
        last = cleaned.get("last_session_on")
        for name, day in (("first_session_on", first), ("last_session_on", last)):
            if day is not None and not first_day <= day <= last_day:
                self.add_error(name, f"{label}（{span}）の中の日を入力してください。")
        if "first_session_on" in self.errors or "last_session_on" in self.errors:
            return
        if first and last and last < first:
            self.add_error(
                "last_session_on",
                f"最終回の開催日（{format_date(last)}）が、初回の開催日（{format_date(first)}）"
                "より前になっています。日付の順を確かめてください。",
            )
            return
        sessions = cleaned.get("sessions_planned")
        if first and last and sessions and "sessions_planned" not in self.errors:
            days = (last - first).days + 1
            if sessions > days:
                self.add_error(
                    "sessions_planned",
                    f"初回から最終回までは{days}日間です。年間の開催回数（{sessions}回）が"
                    "入りきりません。回数か日付を確かめてください。",
                )


def _attachment_label(attachment: Attachment) -> str:
    size = attachment.size
    shown = f"{size / 1024 / 1024:.1f}MB" if size >= 1024 * 1024 else f"{max(size // 1024, 1)}KB"
    return f"{attachment.original_name or '名前のないファイル'}（{shown}）を削除する"


# --- the budget ---------------------------------------------------------------------


class BudgetLineForm(MoneyLineForm):
    amount_messages = {
        "min_value": "金額は0円以上で入力してください。",
        "max_value": f"金額が大きすぎます。1行{MAX_AMOUNT:,}円以下で入力してください。",
        "invalid": "金額は数字で入力してください（例: 1,000 または １０００）。",
    }


def budget_formset(side, data=None, *, initial=None, mode=Mode.SUBMIT) -> MoneyLineFormSet:
    """One side of the budget; 「提出する」 needs a line in each."""
    income = side == BudgetSide.INCOME
    return money_formset(
        BudgetLineForm,
        data,
        prefix=side,
        label=BudgetSide(side).label,
        items=INCOME_ITEMS if income else EXPENSE_ITEMS,
        initial=initial,
        rows=4 if income else 5,
        blank_rows=BLANK_ROWS,
        require_lines=mode == Mode.SUBMIT,
    )


# --- the whole form -------------------------------------------------------------------


def initial_lines(plan: ActivityPlan | None) -> dict[str, list[dict]]:
    lines = {BudgetSide.INCOME: [], BudgetSide.EXPENSE: []}
    if plan is not None and plan.pk:
        for line in plan.budget_lines.all():
            lines[line.side].append({"item": line.item, "note": line.note, "amount": line.amount})
    return lines


def _with_row_count(data, prefix):
    """A browser always sends each table's row count; a POST without it (a script, a
    cut-off request) is read as the rows it carries, so the page can still be corrected."""
    total, initial = f"{prefix}-TOTAL_FORMS", f"{prefix}-INITIAL_FORMS"
    try:
        if int(data.get(total, "")) >= 0 and int(data.get(initial, "")) >= 0:
            return data
    except (TypeError, ValueError):
        pass
    pattern = re.compile(rf"{re.escape(prefix)}-([0-9]{{1,3}})-\w+")
    rows = [int(match.group(1)) for key in data if (match := pattern.fullmatch(key))]
    data = data.copy()
    data[total] = str(min(max(rows, default=-1) + 1, MAX_LINES))
    data[initial] = "0"
    return data


class PlanEntry:
    """The plan form with its two budget tables, checked as one; salons.services writes it."""

    def __init__(
        self, program, *, plan=None, data=None, files=None, mode=Mode.SUBMIT, initial=None
    ):
        self.program = program
        self.plan = plan
        self.mode = mode
        self.form = PlanForm(
            data, files, instance=plan, initial=initial, program=program, mode=mode
        )
        lines = initial_lines(plan) if data is None else {}
        self.income, self.expense = (
            budget_formset(
                side,
                None if data is None else _with_row_count(data, side),
                initial=lines.get(side),
                mode=mode,
            )
            for side in (BudgetSide.INCOME, BudgetSide.EXPENSE)
        )
        self.budget_error = ""

    @property
    def formsets(self):
        return [self.income, self.expense]

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        valid = self.income.is_valid() and valid
        valid = self.expense.is_valid() and valid
        if valid:
            valid = self._check_attachment_count() and valid
        if valid and self.mode == Mode.SUBMIT:
            income, expense = self.income.total(), self.expense.total()
            if income != expense:
                self.budget_error = (
                    f"収入の合計（{income:,}円）と支出の合計（{expense:,}円）が合っていません。"
                    f"差額は{abs(income - expense):,}円です。収入と支出の合計が同じになるように"
                    "してください（例: 足りない分を「繰越金」や「その他の収入」にする）。"
                )
                self.form.add_error(None, self.budget_error)
                valid = False
        return valid

    def _check_attachment_count(self) -> bool:
        new = self.form.cleaned_data.get("attachments") or []
        if not new or not (self.plan and self.plan.pk):
            return True
        removed = {a.pk for a in self.form.cleaned_data.get("remove_attachments") or []}
        kept = [a for a in self.form.fields["remove_attachments"].queryset if a.pk not in removed]
        if len(kept) + len(new) > MAX_FILES:
            self.form.add_error(
                "attachments",
                f"添付ファイルは合わせて{MAX_FILES}個までです（添付済み{len(kept)}個、"
                f"新しく選んだもの{len(new)}個）。添付済みのファイルを削除するか、"
                "選ぶファイルを減らしてください。",
            )
            return False
        return True

    @property
    def formsets_with_errors(self):
        return [fs for fs in self.formsets if fs.is_bound and fs.total_error_count()]

    @property
    def has_errors(self) -> bool:
        return bool(self.form.errors) or bool(self.formsets_with_errors)

    def plan_input(self) -> PlanInput:
        """What was typed, checked, for the services to write (after is_valid())."""
        cleaned = self.form.cleaned_data
        return PlanInput(
            # The form has already set the typed values on its instance.
            plan=self.form.instance,
            fields=PLAN_COLUMNS,
            target_groups=list(cleaned.get("target_groups") or []),
            activity_types=list(cleaned.get("activity_types") or []),
            budget={formset.prefix: formset.lines() for formset in self.formsets},
            new_files=[u.as_attachment_kwargs() for u in cleaned.get("attachments") or []],
            removed_files=list(cleaned.get("remove_attachments") or []),
            consent=self.mode == Mode.SUBMIT and bool(cleaned.get("consent")),
        )


# --- the form in steps ----------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One page of the stepped form: the fields it posts, and the budget tables if it has them."""

    slug: str
    title: str
    fields: tuple[str, ...]
    budget: bool = False


STEPS = (
    Step(
        "salon",
        "サロンと代表者",
        (
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
        ),
    ),
    Step(
        "schedule",
        "会場と開催の予定",
        (
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
        ),
    ),
    Step(
        "activity", "参加者と活動の内容", ("expected_participants", "expected_helpers", "content")
    ),
    Step("budget", "予算と活動助成", ("requests_grant",), budget=True),
    Step("files", "添付ファイル", ("attachments", "remove_attachments")),
)
STEP_BY_SLUG = {step.slug: step for step in STEPS}
BUDGET_PREFIXES = (BudgetSide.INCOME, BudgetSide.EXPENSE)


def step_of_field(name: str) -> Step | None:
    """The step that asks for a form field (a budget row's too); None for the check page's."""
    for step in STEPS:
        if name in step.fields:
            return step
    if name.split("-", 1)[0] in BUDGET_PREFIXES:
        return STEP_BY_SLUG["budget"]
    return None


def plan_as_data(plan: ActivityPlan | None, program: GrantProgram) -> QueryDict:
    """The draft's stored values as the form would post them, so a step's own fields can
    be laid over the rest and the whole plan checked as one."""
    data = QueryDict(mutable=True)
    if plan is None or plan.pk is None:
        for prefix in BUDGET_PREFIXES:
            data[f"{prefix}-TOTAL_FORMS"] = "0"
            data[f"{prefix}-INITIAL_FORMS"] = "0"
        data["requests_grant"] = "on"
        return data
    form = PlanForm(instance=plan, program=program)
    for name in PLAN_FIELDS:
        value = form[name].value()
        if isinstance(
            form.fields[name], (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)
        ):
            values = value if isinstance(value, (list, tuple)) else [value] if value else []
            data.setlist(name, [str(getattr(item, "pk", item)) for item in values])
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is None:
            data[name] = ""
        elif hasattr(value, "strftime") and hasattr(value, "hour"):
            data[name] = value.strftime("%H:%M")
        else:
            data[name] = str(value)
    lines = initial_lines(plan)
    for prefix in BUDGET_PREFIXES:
        side = lines[prefix]
        data[f"{prefix}-TOTAL_FORMS"] = str(len(side))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for n, line in enumerate(side):
            data[f"{prefix}-{n}-item"] = line["item"]
            data[f"{prefix}-{n}-note"] = line["note"]
            data[f"{prefix}-{n}-amount"] = str(line["amount"])
    return data


def merge_step(stored: QueryDict, step: Step, posted) -> QueryDict:
    """The stored draft with `step`'s fields as posted: a checkbox left unticked on the
    step is posted as nothing, so the step's names are cleared before its values go in."""
    data = stored.copy()
    names = set(step.fields)
    for key in list(data.keys()):
        if key in names or (step.budget and key.split("-", 1)[0] in BUDGET_PREFIXES):
            del data[key]
    for key in posted:
        if key in names or (step.budget and key.split("-", 1)[0] in BUDGET_PREFIXES):
            data.setlist(key, posted.getlist(key))
    if "website" in posted:
        data["website"] = posted.get("website", "")
    return data


# --- the estimate ---------------------------------------------------------------------


class EstimateForm(forms.Form):
    """The few fields the estimate needs, read leniently from the form or the query string."""

    kind = forms.ChoiceField(choices=PlanKind.choices, required=False)
    sessions_planned = CountField(
        label="年間の開催回数", unit="回", max_value=MAX_SESSIONS, required=False
    )
    expected_participants = CountField(
        label="参加者数の見込み", unit="人", max_value=MAX_PEOPLE, required=False
    )
    first_session_on = LenientDateField(required=False)
    requests_grant = forms.CharField(required=False)


@dataclass
class EstimateView:
    """What the estimate box shows."""

    program: GrantProgram | None
    requested: bool = True
    result: Estimate | None = None
    problems: list[str] | None = None
    # Sessions or participants not typed yet: the result only says what to type.
    incomplete: bool = False


def estimate_from(program: GrantProgram | None, data, *, requested=None) -> EstimateView:
    """The estimate for `data` (a QueryDict or dict with the form's field names).

    Values that are not numbers give a message instead of an estimate; this never raises.
    """
    if program is None:
        return EstimateView(None, problems=["受付中の活動助成がないため、計算できません。"])
    form = EstimateForm(data)
    form.is_valid()
    if requested is None:
        raw = str(form.cleaned_data.get("requests_grant") or data.get("requests_grant") or "")
        requested = raw.lower() not in ("0", "false", "off", "no")
    if not requested:
        return EstimateView(program, requested=False)
    problems = []
    for name in ("sessions_planned", "expected_participants"):
        if name in form.errors:
            problems.append(f"{form.fields[name].label}: {form.errors[name][0]}")
    if problems:
        return EstimateView(program, problems=problems)
    cleaned = form.cleaned_data
    result = estimate(
        program,
        kind=cleaned.get("kind") or PlanKind.CONTINUING,
        sessions=cleaned.get("sessions_planned"),
        participants=cleaned.get("expected_participants"),
        first_session_on=cleaned.get("first_session_on"),
    )
    incomplete = cleaned.get("sessions_planned") is None or (
        cleaned.get("expected_participants") is None
    )
    return EstimateView(program, result=result, incomplete=incomplete)


def estimate_for_plan(plan: ActivityPlan) -> EstimateView:
    return estimate_from(
        plan.program,
        {
            "kind": plan.kind,
            "sessions_planned": plan.sessions_planned,
            "expected_participants": plan.expected_participants,
            "first_session_on": plan.first_session_on,
        },
        requested=plan.requests_grant,
    )


# --- starting from last year's plan -------------------------------------------------


class RenewForm(HoneypotMixin, forms.Form):
    reference = forms.CharField(
        label="前年度の受付番号",
        max_length=30,
        help_text="例: R7-0012（前年度に提出したときの画面やメールに書かれています）",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "前年度の受付番号を入力してください。"},
    )
    contact = forms.CharField(
        label="電話番号またはメールアドレス",
        max_length=254,
        help_text="前年度の活動計画書に書いた代表者の電話番号かメールアドレス",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "電話番号またはメールアドレスを入力してください。"},
    )

    def __init__(self, *args, program: GrantProgram, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.source: ActivityPlan | None = None

    def clean_reference(self):
        return normalize_reference(self.cleaned_data["reference"])

    def clean(self):
        cleaned = super().clean()
        reference, contact = cleaned.get("reference"), cleaned.get("contact")
        if not reference or not contact or self.errors:
            return cleaned
        # The status page's limit: wrong tries for one 受付番号 pause it for everyone.
        if plan_secret.paused(reference):
            raise forms.ValidationError(REFERENCE_PAUSED_MESSAGE, code="paused")
        plan = (
            ActivityPlan.objects.submitted()
            .by_reference(reference)
            .select_related("program", "salon")
            .first()
        )
        # The same message whether the number is unknown or the contact is wrong, so
        # nobody learns from this form which reference numbers exist.
        if plan is None or not plan.matches_contact(contact):
            plan_secret.failed(reference)
            raise forms.ValidationError(NOT_FOUND_MESSAGE, code="not_found")
        if plan.program.fiscal_year >= self.program.fiscal_year:
            raise forms.ValidationError(
                f"受付番号 {plan.reference} は{plan.program.fiscal_year_label}の活動計画書です。"
                "前年度までの受付番号を入力してください。"
                "提出した活動計画書の状況は「受付状況の確認」から見られます。",
                code="same_year",
            )
        self.source = plan
        return cleaned
