"""Model and form fields for phone numbers, postal codes and readings.

Every app uses these, so the admin and the public forms accept the same input,
store the same normalised form and show the same Japanese error beside the field.
"""

from django import forms
from django.db import models

from shakyo_portal.kana import normalize_reading, validate_reading
from shakyo_portal.normalize import (
    normalize_phone,
    normalize_postal_code,
    validate_phone,
    validate_postal_code,
)


class NormalizedFormField(forms.CharField):
    """A CharField whose cleaned value is normalize(typed text).

    An invalid value raises the helper's ValidationError, so the form shows it
    beside the field and re-displays what was typed.
    """

    normalize = None  # set by each subclass: str -> str, raising ValidationError
    html_attrs: dict[str, str] = {}

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return self.normalize(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        # The length limit is on the normalised value (checked on clean); a
        # browser-side maxlength would cut off 〒７１９－１１３１ while it is typed.
        attrs.pop("maxlength", None)
        return {**attrs, **self.html_attrs}


class PhoneNumberFormField(NormalizedFormField):
    normalize = staticmethod(normalize_phone)
    html_attrs = {"inputmode": "tel", "autocomplete": "tel"}


class PostalCodeFormField(NormalizedFormField):
    normalize = staticmethod(normalize_postal_code)
    html_attrs = {"inputmode": "numeric", "autocomplete": "postal-code"}


class KanaReadingFormField(NormalizedFormField):
    normalize = staticmethod(normalize_reading)


class NormalizedField(models.CharField):
    """A CharField with a default max_length, a validator and a normalising form field.

    Saving never validates or changes the value (the ORM must not fail on old
    rows); full_clean() rejects an invalid value and stores the normalised one.
    """

    # Each subclass sets default_max_length, default_validators and form_class.

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", self.default_max_length)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == self.default_max_length:
            del kwargs["max_length"]
        return name, path, args, kwargs

    def clean(self, value, model_instance):
        value = super().clean(value, model_instance)
        # The validators have passed, so normalising cannot fail here.
        return self.form_class.normalize(value) if value else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": self.form_class, **kwargs})


class PhoneNumberField(NormalizedField):
    default_max_length = 20
    default_validators = [validate_phone]
    form_class = PhoneNumberFormField


class PostalCodeField(NormalizedField):
    default_max_length = 8
    default_validators = [validate_postal_code]
    form_class = PostalCodeFormField


class KanaReadingField(NormalizedField):
    default_max_length = 100
    default_validators = [validate_reading]
    form_class = KanaReadingFormField
