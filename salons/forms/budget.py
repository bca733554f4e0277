"""The tables of money lines: the plan's budget (収入 and 支出) and the 実績報告's
spending. One line form and one formset serve both; each table says only its
items, its label and its own messages.

An all-empty line is ignored; a started one must be whole. Amounts are read
as people type them on a phone: １２，０００, 12,000円.
"""

from django import forms

from salons.models import MAX_AMOUNT
from shakyo_portal.core.fields import CountField

MAX_LINES = 20


class MoneyLineForm(forms.Form):
    """One line: 費目, 内訳 and 金額."""

    item = forms.ChoiceField(label="費目", required=False)
    note = forms.CharField(
        label="内訳",
        required=False,
        max_length=100,
        error_messages={"max_length": "%(limit_value)d字以内で入力してください。"},
    )
    amount = CountField(label="金額（円）", unit="円", required=False, max_value=MAX_AMOUNT)

    invalid_item = "費目を一覧から選んでください。"
    # Messages of the amount field beyond CountField's own.
    amount_messages: dict[str, str] = {}

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", "選んでください")] + [(i, i) for i in items]
        self.fields["item"].error_messages["invalid_choice"] = self.invalid_item
        self.fields["amount"].error_messages.update(self.amount_messages)

    def clean(self):
        cleaned = super().clean()
        if self.is_blank():
            return cleaned
        if not cleaned.get("item") and "item" not in self.errors:
            self.add_error("item", "費目を選んでください。")
        if cleaned.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", "金額を入力してください。")
        return cleaned

    def is_blank(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return (
            not data.get("item")
            and not data.get("note")
            and data.get("amount") is None
            and not self.errors
        )


class MoneyLineFormSet(forms.BaseFormSet):
    # The table's name (収入, 支出), which also names its rows in the error summary.
    prefix_label = ""
    default_error_messages = {
        "missing_management_form": (
            "送信された内容が足りませんでした。お手数ですが、ページを読み込み直して入力してください。"
        ),
        "too_many_forms": f"1つの表は{MAX_LINES}行までです。",
    }

    def __init__(self, *args, items, require_lines=False, **kwargs):
        self.items = items
        self.require_lines = require_lines
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "items": self.items}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            renderer=self.renderer,
            items=self.items,
        )
        self.add_fields(form, None)
        return form

    def clean(self):
        if any(self.errors) or not self.require_lines:
            return
        if not self.lines():
            raise forms.ValidationError(
                f"{self.prefix_label}を1行以上入力してください。", code="no_lines"
            )

    def lines(self) -> list[dict]:
        """The filled-in lines, in the order they were typed."""
        return [
            {
                "item": form.cleaned_data["item"],
                "note": form.cleaned_data.get("note", ""),
                "amount": form.cleaned_data["amount"],
            }
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not form.is_blank()
        ]

    def total(self) -> int:
        return sum(line["amount"] for line in self.lines())

    def typed_total(self) -> int:
        """The sum of the amounts as typed, to show beside the table even when a line is wrong."""
        total = 0
        field = CountField(unit="円", required=False)
        for form in self.forms:
            raw = form["amount"].value() if self.is_bound else form.initial.get("amount")
            try:
                value = field.clean(raw)
            except forms.ValidationError:
                continue
            total += value or 0
        return total


def money_formset(
    form: type[MoneyLineForm],
    data=None,
    *,
    prefix: str,
    label: str,
    items: list[str],
    initial: list[dict] | None = None,
    rows: int,
    blank_rows: int,
    require_lines: bool = False,
    error_messages: dict[str, str] | None = None,
) -> MoneyLineFormSet:
    """A table of `form` lines showing at least `rows` rows, and `blank_rows` beyond
    the filled ones so a page without JavaScript has room to type."""
    initial = list(initial or [])
    formset_class = forms.formset_factory(
        form,
        formset=MoneyLineFormSet,
        extra=max(blank_rows, rows - len(initial)),
        max_num=MAX_LINES,
        absolute_max=MAX_LINES,
        validate_max=True,
    )
    formset_class.prefix_label = label
    return formset_class(
        data,
        initial=initial,
        prefix=prefix,
        items=items,
        require_lines=require_lines,
        error_messages=error_messages,
    )
