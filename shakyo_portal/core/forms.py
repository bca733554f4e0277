"""Pieces every public form shares."""

from django import forms

HONEYPOT_FIELD = "website"


class HoneypotMixin:
    """A field people never see (display: none) and simple bots fill in.

    Render it with `{% include "includes/honeypot.html" %}`; it is left out of
    the form's visible fields so the generic templates do not show it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            label="この欄は空のままにしてください",
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )

    def clean_website(self):
        if self.cleaned_data.get(HONEYPOT_FIELD):
            raise forms.ValidationError("送信できませんでした。もう一度お試しください。")
        return ""

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != HONEYPOT_FIELD]

    @property
    def honeypot(self):
        return self[HONEYPOT_FIELD]
