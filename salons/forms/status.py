"""The status page's form: a reference number and the organiser's phone or e-mail."""

import unicodedata

from django import forms

from salons.models import normalize_reference
from shakyo_portal.core.forms import HoneypotMixin

# One message for an unknown reference and for a wrong contact alike, so the
# page never tells a stranger which reference numbers exist.
NOT_FOUND_MESSAGE = (
    "受付番号と電話番号またはメールアドレスの組み合わせが確認できませんでした。"
    "入力した内容を確かめて、もう一度お試しください。"
    "受付番号は、提出したときの画面とメールに書かれています。"
)
# Wrong tries for one 受付番号 pause it for every address (core.ratelimit.plan_secret),
# on the status page and the renewal form alike.
REFERENCE_PAUSED_MESSAGE = (
    "この受付番号は、確認に何度も失敗したため、数分間確認を止めています。"
    "3分ほどたってから、もう一度お試しください。お急ぎのときは、社協にお電話でお問い合わせください。"
)


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
