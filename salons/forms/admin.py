"""Forms of the staff side: the plan entered from paper, and the confirmation
pages behind each workflow button (審査中・承認・差戻し・不承認, 受付, 交付額,
交付済, 実績報告の確認・差戻し).

Each confirmation form carries what the staff member's screen showed (the
status, or the amount) in a hidden field, so a second person acting on a stale
screen gets the services' conflict message instead of overwriting the first.
"""

from datetime import date

from django import forms
from django.utils import timezone

from salons.forms.plans import PLAN_FIELDS
from salons.models import (
    MAX_AMOUNT,
    ActivityPlan,
    BudgetLine,
    Channel,
    GrantProgram,
    PlanStatus,
    ReportStatus,
    SalonPhoto,
)
from salons.workflow import REASON_REQUIRED
from shakyo_portal.core.dates import format_date
from shakyo_portal.core.fields import CountField, LenientDateField, MultilineField, limit_messages
from shakyo_portal.core.fiscal import current_fiscal_year, fiscal_year_label, fiscal_year_range
from shakyo_portal.core.uploads import PhotoField

MAX_REASON_LENGTH = 2000
# What staff type plans in from: the web channel is the organiser's own form.
PAPER_CHANNELS = [(c.value, c.label) for c in (Channel.POST, Channel.FAX, Channel.COUNTER)]


def reason_field(*, label, required, help_text) -> forms.CharField:
    return MultilineField(
        label=label,
        required=required,
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 60}),
        help_text=help_text,
        error_messages={
            "max_length": "%(limit_value)d字以内で入力してください（いまは%(show_value)d字です）。"
        },
    )


# --- plans ----------------------------------------------------------------------------


class ActivityPlanAdminForm(forms.ModelForm):
    """The plan as staff see it. On a plan typed in from paper, the checks the
    public form makes on sending are made here, so 受付 numbers a usable plan."""

    class Meta:
        model = ActivityPlan
        # The admin narrows this to the fields of its fieldsets.
        fields = [*PLAN_FIELDS, "program", "channel", "consented_at", "staff_note"]
        widgets = {
            "target_groups": forms.CheckboxSelectMultiple,
            "activity_types": forms.CheckboxSelectMultiple,
            "content": forms.Textarea(attrs={"rows": 5}),
            "staff_note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "channel" in self.fields:
            self.fields["channel"] = forms.ChoiceField(
                label="受付方法",
                choices=[("", "選んでください"), *PAPER_CHANNELS],
                help_text="紙の活動計画書を受け取った方法。ウェブからの提出は自動で記録されます。",
                error_messages={"required": "受付方法を選んでください。"},
            )
        if "program" in self.fields and self.instance.pk is None:
            self.fields["program"].initial = (
                GrantProgram.objects.filter(fiscal_year=current_fiscal_year())
                .values_list("pk", flat=True)
                .first()
            )

    def clean(self):
        cleaned = super().clean()
        if "representative_name" in self.fields and not cleaned.get("representative_name"):
            self.add_error("representative_name", "代表者の氏名を入力してください。")
        if "salon" in self.fields:
            salon = cleaned.get("salon")
            if salon is None and not cleaned.get("salon_name"):
                self.add_error(
                    "salon_name", "サロンを選ぶか、新しいサロンのサロン名を入力してください。"
                )
            if salon is None and not cleaned.get("district") and "district" not in self.errors:
                self.add_error("district", "新しいサロンは地区を選んでください。")
        contacts = ("representative_phone", "representative_email", "representative_address")
        if (
            "representative_phone" in self.fields
            and not any(cleaned.get(name) for name in contacts)
            and not any(name in self.errors for name in contacts)
        ):
            self.add_error(
                "representative_phone", "電話番号・メールアドレス・住所のどれかを入力してください。"
            )
        self._clean_schedule(cleaned)
        self._clean_session_dates(cleaned)
        return cleaned

    def _clean_schedule(self, cleaned):
        names = ["frequency", "weeks_of_month", "weekday", "starts_at", "ends_at"]
        if not all(name in self.fields for name in names):
            return
        probe = ActivityPlan(**{name: cleaned.get(name) for name in names})
        probe.weeks_of_month = probe.weeks_of_month or ""
        for name, message in probe.clean_schedule().items():
            if name not in self.errors:
                self.add_error(name, message)

    def _clean_session_dates(self, cleaned):
        program = cleaned.get("program") or getattr(self.instance, "program", None)
        first, last = cleaned.get("first_session_on"), cleaned.get("last_session_on")
        if program is not None:
            start, end = fiscal_year_range(program.fiscal_year)
            for name, day in (("first_session_on", first), ("last_session_on", last)):
                if day is not None and not start <= day <= end and name not in self.errors:
                    self.add_error(
                        name,
                        f"{fiscal_year_label(program.fiscal_year)}"
                        f"（{format_date(start, weekday=False)}〜"
                        f"{format_date(end, weekday=False)}）の中の日を入力してください。",
                    )
        if first and last and last < first and "last_session_on" not in self.errors:
            self.add_error("last_session_on", "最終回の開催日は初回の開催日より後にしてください。")


class BudgetLineAdminForm(forms.ModelForm):
    """A budget line typed from paper: amounts as ４，０００ or 4000円, like the public form."""

    amount = limit_messages(
        CountField(label="金額（円）", unit="円", max_value=MAX_AMOUNT), "金額", "円"
    )

    class Meta:
        model = BudgetLine
        fields = ["side", "item", "note", "amount", "display_order"]
        help_texts = {"item": "例: 参加費、助成金、会場費、材料費、茶菓代、保険料"}


class TransitionForm(forms.Form):
    """The confirmation page of one review step."""

    reason = reason_field(label="理由", required=False, help_text="")
    seen_status = forms.ChoiceField(
        label="画面に表示されていた状態", choices=PlanStatus.choices, widget=forms.HiddenInput
    )

    def __init__(self, *args, target: PlanStatus, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = target
        reason = self.fields["reason"]
        if target in REASON_REQUIRED:
            reason.required = True
            reason.label = "申請者に伝える理由"
            reason.help_text = (
                "申請者へのメールと状況確認ページにそのまま表示されます。"
                "何をどう直せばよいか、わかる言葉で書いてください。"
            )
            reason.error_messages["required"] = (
                f"「{target.label}」にするときは、申請者に伝える理由を書いてください。"
            )
        else:
            reason.label = "メモ（任意）"
            reason.help_text = "履歴に残ります。承認のときは申請者へのメールにも書き添えます。"


class ReceiveForm(forms.Form):
    """受付 of a plan staff typed in: nothing to fill in, only the status seen."""

    seen_status = forms.ChoiceField(
        label="画面に表示されていた状態", choices=PlanStatus.choices, widget=forms.HiddenInput
    )


# --- grants ---------------------------------------------------------------------------


class GrantAdjustForm(forms.Form):
    amount = limit_messages(
        CountField(label="交付額（円）", unit="円", max_value=MAX_AMOUNT),
        "交付額",
        "円",
    )
    reason = reason_field(
        label="変更の理由",
        required=False,
        help_text="基準による額と違う額にするときは必須です。履歴に残り、申請者の受付状況のページにも表示されます。",
    )
    seen_amount = forms.IntegerField(
        label="画面に表示されていた交付額", widget=forms.HiddenInput, min_value=0
    )

    def __init__(self, *args, grant, **kwargs):
        super().__init__(*args, **kwargs)
        self.grant = grant

    def clean(self):
        cleaned = super().clean()
        amount = cleaned.get("amount")
        if (
            amount is not None
            and amount != self.grant.computed_amount
            and not cleaned.get("reason", "").strip()
            and "reason" not in self.errors
        ):
            self.add_error(
                "reason",
                f"基準による額（{self.grant.computed_amount:,}円）と違う額にするときは、"
                "理由を書いてください。",
            )
        return cleaned


class GrantPaidForm(forms.Form):
    paid_on = LenientDateField(label="交付日", help_text="振込などで実際に交付した日")

    def __init__(self, *args, decided_on: date | None = None, **kwargs):
        kwargs.setdefault("initial", {"paid_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.decided_on = decided_on

    def clean_paid_on(self):
        day = self.cleaned_data["paid_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("交付日に未来の日付は入力できません。")
        if self.decided_on is not None and day < self.decided_on:
            raise forms.ValidationError(
                f"交付日は交付決定日（{format_date(self.decided_on)}）より後にしてください。"
            )
        return day


# --- reports --------------------------------------------------------------------------


class ReportDecisionForm(forms.Form):
    """確認 (no reason) or 差戻し (a reason the organiser reads) of a 実績報告."""

    reason = reason_field(
        label="申請者に伝える理由",
        required=True,
        help_text="申請者へのメールにそのまま書かれます。何をどう直せばよいか書いてください。",
    )
    seen_status = forms.ChoiceField(
        label="画面に表示されていた状態", choices=ReportStatus.choices, widget=forms.HiddenInput
    )

    def __init__(self, *args, needs_reason: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_reason:
            self.fields["reason"].error_messages["required"] = (
                "差戻しにするときは、申請者に伝える理由を書いてください。"
            )
        else:
            del self.fields["reason"]


# --- salons ---------------------------------------------------------------------------


class SalonPhotoAdminForm(forms.ModelForm):
    image = PhotoField(label="写真")

    class Meta:
        model = SalonPhoto
        fields = ["image", "alt_text", "display_order"]
        error_messages = {
            "alt_text": {"required": "写真の説明を入力してください（画面の読み上げで伝わります）。"}
        }


GRANT_PROGRAM_HELP = {
    "base_amount": "最低開催回数と最低参加者数を満たすサロンに交付する額。",
    "per_participant_amount": (
        "参加者数の見込み（1回あたり）× この額を加算します。0なら加算しません。"
    ),
    "startup_amount": "新規・再開のサロンに一度だけ加算する額。0なら加算しません。",
    "min_sessions": "年間の開催回数がこれより少ない計画には交付しません。",
    "min_participants": "参加者数の見込みがこれより少ない計画には交付しません。",
    "report_due_on": "この日までに実績報告を出すよう、申請者に案内します。",
    "notes": "公開ページに、上の基準の説明と一緒に表示されます。",
}


class GrantProgramAdminForm(forms.ModelForm):
    class Meta:
        model = GrantProgram
        fields = [
            "fiscal_year",
            "name",
            "opens_on",
            "closes_on",
            "report_due_on",
            "base_amount",
            "late_start_base_amount",
            "per_participant_amount",
            "startup_amount",
            "cap_amount",
            "min_sessions",
            "min_participants",
            "notes",
        ]
        help_texts = GRANT_PROGRAM_HELP
