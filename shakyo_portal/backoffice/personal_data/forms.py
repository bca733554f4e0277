"""The disclosure page's forms: what to search for, and what to do to which records."""

from django import forms
from django.core.exceptions import ValidationError

from shakyo_portal.backoffice.personal_data.actions import ACTIONS
from shakyo_portal.backoffice.personal_data.registry import kinds, kinds_by_key
from shakyo_portal.core.fields import PhoneNumberFormField


class SearchForm(forms.Form):
    name = forms.CharField(
        label="氏名・よみがな",
        required=False,
        max_length=100,
        help_text="姓だけ、名だけでも探せます。空白の有無は区別しません。",
    )
    phone = PhoneNumberFormField(
        label="電話番号", required=False, help_text="全角の数字やハイフンでも入力できます。"
    )
    email = forms.EmailField(label="メールアドレス", required=False)

    def clean(self):
        data = super().clean()
        if not self.errors and not any(data.get(n) for n in ("name", "phone", "email")):
            raise ValidationError(
                "氏名・よみがな、電話番号、メールアドレスのどれかを入力してください。"
            )
        return data

    def query(self) -> dict:
        return {n: self.data.get(n, "") for n in ("name", "phone", "email") if self.data.get(n)}


class PicksField(forms.Field):
    """The chosen records, posted as "app.model:pk", resolved to rows."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        keys = [value] if isinstance(value, str) else list(value or [])
        if not keys:
            raise ValidationError("対象の記録を1件以上選んでください。", code="required")
        wanted: dict[str, set[int]] = {}
        for key in keys:
            kind_key, _, pk = key.partition(":")
            if kind_key not in kinds_by_key() or not (
                pk.isascii() and pk.isdigit() and len(pk) <= 18
            ):
                raise ValidationError("選んだ記録が正しくありません。もう一度検索してください。")
            wanted.setdefault(kind_key, set()).add(int(pk))
        picked = []
        for kind in kinds():
            if kind.key not in wanted:
                continue
            rows = list(kind.rows().filter(pk__in=wanted[kind.key]).order_by("pk"))
            if len(rows) != len(wanted[kind.key]):
                raise ValidationError(
                    "選んだ記録の一部が見つかりません（すでに削除された可能性があります）。"
                    "もう一度検索してください。"
                )
            picked.append((kind, rows))
        return picked


class ActForm(forms.Form):
    action = forms.ChoiceField(label="操作", choices=ACTIONS.items(), widget=forms.HiddenInput)
    pick = PicksField()
    reason = forms.CharField(
        label="依頼の受付番号・理由",
        max_length=200,
        help_text=(
            "例: 開示請求 受付第12号。記録に残ります。氏名などの個人情報は書かないでください。"
        ),
        error_messages={"required": "依頼の受付番号や理由を書いてください。"},
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
