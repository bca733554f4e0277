"""The status page's form: a reference number and the organiser's phone or e-mail."""

import re
import unicodedata

from django import forms

from shakyo_portal.dates import ERAS
from shakyo_portal.forms import HoneypotMixin
from shakyo_portal.normalize import unify_hyphens

REFERENCE_MESSAGE = "受付番号は「R8-0012」のように、英字と数字で入力してください。"

# One message for an unknown reference and for a wrong contact alike, so the
# page never tells a stranger which reference numbers exist.
NOT_FOUND_MESSAGE = (
    "受付番号と電話番号またはメールアドレスの組み合わせが確認できませんでした。"
    "入力した内容を確かめて、もう一度お試しください。"
    "受付番号は、提出したときの画面とメールに書かれています。"
)

_ERA_LETTERS = {era.name: era.letter for era in ERAS}
_REFERENCE = re.compile(r"([A-Z])([0-9]{1,2})-([0-9]{1,6})")


def normalize_reference(value: str) -> str:
    """ｒ８－１２, R8 0012, 令和8-12 -> R8-0012 (the form reference_for() writes).

    Raises ValidationError when it cannot be a reference number.
    """
    text = unicodedata.normalize("NFKC", value).strip().upper()
    for name, letter in _ERA_LETTERS.items():
        text = text.replace(name, letter)
    # A space between the year and the serial separates them as a hyphen would.
    text = re.sub(r"(?<=[0-9])\s+(?=[0-9])", "-", text)
    text = re.sub(r"-+", "-", unify_hyphens(text))
    match = _REFERENCE.fullmatch(text)
    if match is None:
        raise forms.ValidationError(REFERENCE_MESSAGE, code="invalid_reference")
    letter, year, serial = match.groups()
    return f"{letter}{int(year)}-{int(serial):04d}"


class StatusLookupForm(HoneypotMixin, forms.Form):
    reference = forms.CharField(
        label="受付番号",
        max_length=30,
        help_text="例: R8-0012（提出したときの画面とメールに書かれています）",
        error_messages={"required": "受付番号を入力してください。"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    contact = forms.CharField(
        label="電話番号またはメールアドレス",
        max_length=254,
        help_text="活動計画書に書いた代表者の電話番号かメールアドレスを入力してください。",
        error_messages={"required": "電話番号またはメールアドレスを入力してください。"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_reference(self):
        return normalize_reference(self.cleaned_data["reference"])

    def clean_contact(self):
        # Full-width letters and ＠ from a Japanese keyboard compare as typed in ASCII;
        # phone numbers are normalised by the plan itself.
        return unicodedata.normalize("NFKC", self.cleaned_data["contact"]).strip()
