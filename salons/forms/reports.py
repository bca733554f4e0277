"""The 実績報告 form: what was held, what was spent, photos and comments.

Numbers are typed on phones with whatever keyboard is up: full-width digits,
commas and a trailing 円 or 回 are all read as the number they mean.
"""

from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.utils import timezone

from salons.forms.budget import MAX_LINES, MoneyLineForm, MoneyLineFormSet, money_formset
from salons.models import (
    EXPENSE_ITEMS,
    MAX_AMOUNT,
    MAX_PEOPLE,
    MAX_SESSIONS,
    ActivityReport,
)
from shakyo_portal.core.dates import format_date
from shakyo_portal.core.fields import CountField, LenientDateField, MultilineField
from shakyo_portal.core.fiscal import fiscal_year_label, fiscal_year_range
from shakyo_portal.core.forms import HoneypotMixin
from shakyo_portal.core.uploads import AttachmentsField

MAX_COMMENT_LENGTH = 2000


class ReportForm(HoneypotMixin, forms.Form):
    sessions_held = CountField(
        label="開催回数", unit="回", max_value=MAX_SESSIONS, help_text="この年度に開いた回数"
    )
    total_participants = CountField(
        label="延べ参加者数",
        unit="人",
        max_value=MAX_PEOPLE * MAX_SESSIONS,
        help_text="毎回の参加者数を足した人数（例: 15人が12回なら180）",
    )
    total_helpers = CountField(
        label="延べ協力者数",
        unit="人",
        max_value=MAX_PEOPLE * MAX_SESSIONS,
        help_text="協力者・ボランティアの人数を毎回足した人数。いなければ0",
    )
    last_held_on = LenientDateField(label="最後に開催した日")
    photos = AttachmentsField(max_files=5, allow_documents=False, required=False)
    comments = MultilineField(
        label="活動の感想・課題",
        required=False,
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"{MAX_COMMENT_LENGTH}字まで",
        error_messages={
            "max_length": "%(limit_value)d字以内で入力してください（いまは%(show_value)d字です）。"
        },
    )

    field_order = [
        "sessions_held",
        "total_participants",
        "total_helpers",
        "last_held_on",
        "photos",
        "comments",
    ]

    def __init__(self, *args, plan, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.today = today or timezone.localdate()
        self.fiscal_year = plan.program.fiscal_year
        first, last = fiscal_year_range(self.fiscal_year)
        self.fields["last_held_on"].help_text = (
            f"{fiscal_year_label(self.fiscal_year)}（{format_date(first, weekday=False)}〜"
            f"{format_date(last, weekday=False)}）の中の日"
        )
        self.fields["photos"].label = "活動の写真"
        self.fields[
            "photos"
        ].help_text = "5枚まで。JPEG・PNG・WebP。写真の位置情報などは取り除いて保存します。"
        self.helper = self.build_helper()

    def build_helper(self) -> FormHelper:
        """The report's fields, with the spending table between them, through the pack.

        The page (salons/report_form.html) writes the rest: the error summary (with the
        spending rows'), the <form> with its CSRF token, and after these the honeypot,
        the 利用目的 notice and the button. The spending table keeps its own template
        (salons/includes/report_spending.html, reading the page's formset, grant and
        planned_spending); the note about photos to choose again reads photos_again.
        """
        helper = FormHelper()
        helper.form_tag = False
        helper.form_show_errors = False
        helper.layout = Layout(
            Fieldset(
                "開催の実績",
                "sessions_held",
                "total_participants",
                "total_helpers",
                "last_held_on",
            ),
            HTML('{% include "salons/includes/report_spending.html" %}'),
            Fieldset(
                "写真と感想",
                HTML(
                    "{% if photos_again %}"
                    '<p class="plan-files-note" id="photos-again">選んだ写真は、'
                    "画面を表示し直したため外れました。お手数ですが、"
                    "もう一度選んでください。</p>"
                    "{% endif %}"
                ),
                "photos",
                "comments",
            ),
        )
        return helper

    def clean_last_held_on(self):
        day = self.cleaned_data["last_held_on"]
        first, last = fiscal_year_range(self.fiscal_year)
        if not first <= day <= last:
            raise forms.ValidationError(
                f"{fiscal_year_label(self.fiscal_year)}（{format_date(first, weekday=False)}〜"
                f"{format_date(last, weekday=False)}）の中の日を入力してください。",
                code="outside_fiscal_year",
            )
        if day > self.today:
            raise forms.ValidationError(
                "まだ来ていない日です。実際に開催した最後の日を入力してください。",
                code="future",
            )
        return day

    def clean(self):
        cleaned = super().clean()
        sessions = cleaned.get("sessions_held")
        participants = cleaned.get("total_participants")
        if sessions == 0 and participants:
            self.add_error(
                "total_participants", "開催回数が0回のときは、延べ参加者数も0にしてください。"
            )
        return cleaned

    def report_fields(self) -> dict:
        """The ActivityReport fields, for salons.services.submit_report(fields=…)."""
        names = ["sessions_held", "total_participants", "total_helpers", "last_held_on"]
        return {
            **{name: self.cleaned_data[name] for name in names},
            "comments": self.cleaned_data.get("comments", ""),
        }

    @staticmethod
    def initial_from(report: ActivityReport) -> dict:
        return {
            "sessions_held": report.sessions_held,
            "total_participants": report.total_participants,
            "total_helpers": report.total_helpers,
            "last_held_on": report.last_held_on,
            "comments": report.comments,
        }


class SpendingLineForm(MoneyLineForm):
    amount = CountField(label="金額", unit="円", required=False, max_value=MAX_AMOUNT)
    invalid_item = "費目は一覧から選んでください。"


# Rows shown beyond the filled ones, so a form without JavaScript has room to type.
BLANK_ROWS = 3


def spending_formset(data=None, *, initial=None) -> MoneyLineFormSet:
    """What was spent, for submit_report(spending=formset.lines())."""
    return money_formset(
        SpendingLineForm,
        data,
        prefix="spending",
        label="支出",
        items=EXPENSE_ITEMS,
        initial=initial,
        rows=5,
        blank_rows=BLANK_ROWS,
        error_messages={"too_many_forms": f"支出は{MAX_LINES}行までです。"},
    )
