"""Model and form fields for phone numbers, postal codes, readings, dates and times.

Every app uses these, so the admin and the public forms accept the same input,
store the same normalised form and show the same Japanese error beside the field.
"""

import datetime
import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from shakyo_portal.core.dates import parse_typed_date
from shakyo_portal.core.kana import normalize_reading, validate_reading
from shakyo_portal.core.normalize import (
    normalize_phone,
    normalize_postal_code,
    unify_hyphens,
    validate_phone,
    validate_postal_code,
)
from shakyo_portal.core.precision import coarser, parse_partial


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


class CountField(forms.IntegerField):
    """A whole number typed as １２, 1,200, 12回 or 3,000円.

    A text input, not type=number: number inputs drop full-width digits and
    commas in some browsers, and what was typed must come back unchanged.
    """

    unit = ""

    def __init__(self, *, unit="", **kwargs):
        self.unit = unit
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(**kwargs)
        self.error_messages["invalid"] = "半角または全角の数字で入力してください。"
        self.error_messages["required"] = "入力してください。"
        self.error_messages["min_value"] = "0以上の数で入力してください。"
        if self.max_value is not None:
            subject = f"{self.label}は" if self.label else ""
            self.error_messages["max_value"] = (
                f"{subject}{self.max_value:,}{unit}以下で入力してください。"
            )

    def to_python(self, value):
        if isinstance(value, str):
            # NFKC turns １２ into 12 and ， into ","; dashes of every kind become "-",
            # so a negative number is refused by min_value with its own message.
            value = unify_hyphens(value).replace(",", "")
            if self.unit:
                value = value.removesuffix(self.unit)
            if value and not re.fullmatch(r"-?[0-9]+", value):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        # min/max as attributes belong to number inputs; on a text input they are invalid HTML.
        attrs.pop("min", None)
        attrs.pop("max", None)
        attrs.pop("step", None)
        return {**attrs, "inputmode": "numeric", "autocomplete": "off"}


def limit_messages(field: CountField, label: str, unit: str) -> CountField:
    """Name the quantity in the limit messages when the label says more than that
    ("金額" for a field labelled 金額（円）)."""
    field.error_messages["min_value"] = "0以上の数で入力してください。"
    if field.max_value is not None:
        field.error_messages["max_value"] = (
            f"{label}は{field.max_value:,}{unit}以下で入力してください。"
        )
    return field


class MultilineField(forms.CharField):
    """Text whose line breaks count as one character each, as the browser counts them."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


class ChoicesByIdField(forms.ModelMultipleChoiceField):
    """Checkboxes of records by id, refusing values that cannot be an id before
    they reach the database (SQLite raises OverflowError on 2**63 and up)."""

    def _check_values(self, value):
        for pk in value:
            if not re.fullmatch(r"[0-9]{1,18}", str(pk)):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


def _typed(value):
    """What people type with the Japanese keyboard on, made plain: ２０２６／４／８ and
    2026ー04ー08 become 2026/4/8 and 2026-04-08."""
    if not isinstance(value, str):
        return value
    return unify_hyphens(unicodedata.normalize("NFKC", value).strip())


class _PickerValueMixin:
    """Show a value typed in another format (a browser without the picker) the way the
    picker writes it. Something that is no date at all is shown back as typed, in a plain
    text box: a date box may only hold a date, and the person must see what they typed."""

    def __init__(self, *args, parse, **kwargs):
        self.parse = parse
        super().__init__(*args, **kwargs)

    def _unreadable(self, value) -> bool:
        if not isinstance(value, str) or not value:
            return False
        try:
            self.parse(value)
        except forms.ValidationError:
            return True
        return False

    def format_value(self, value):
        if isinstance(value, str) and value and not self._unreadable(value):
            value = self.parse(value)
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self._unreadable(value):
            context["widget"]["type"] = "text"
        return context


class DatePickerInput(_PickerValueMixin, forms.DateInput):
    input_type = "date"


class TimePickerInput(_PickerValueMixin, forms.TimeInput):
    input_type = "time"


class LenientDateField(forms.DateField):
    """A date from the calendar picker, or typed as ２０２６/４/８, 2026年4月8日 or
    令和8年4月8日 (core.dates.parse_typed_date). 04/08/2026 is refused with a message
    that names the order, never read as April or August."""

    default_error_messages = {
        "required": "日付を入力してください。",
        "invalid": "日付は「2026-04-08」のように入力するか、カレンダーから選んでください。",
        # Followed by the "invalid" message, which says how to write one.
        "no_such_date": "「%(value)s」という日付はありません。",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", DatePickerInput(parse=self.to_python, format="%Y-%m-%d"))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value)
        try:
            day = parse_typed_date(text)
        except ValidationError as error:
            if error.code != "no_such_date":
                raise
            message = self.error_messages["no_such_date"] % {"value": text.strip()}
            raise ValidationError(
                f"{message}{self.error_messages['invalid']}", code="no_such_date"
            ) from None
        if day is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return day


class PartialDateField(LenientDateField):
    """A LenientDateField for a date stored with its precision
    (core.precision): it also reads a month or a 年度 as the source writes it
    (2019.5, 令和元年度) and keeps, as typed_precision, how much was typed, for
    the form to set the companion precision field (PartialDatesFormMixin)."""

    typed_precision = None

    def to_python(self, value):
        self.typed_precision = None
        if isinstance(value, str) and value.strip():
            try:
                partial = parse_partial(value)
            except ValidationError as error:
                raise ValidationError(
                    f"{error.messages[0]}{self.error_messages['invalid']}", code="no_such_date"
                ) from None
            if partial is not None:
                day, self.typed_precision = partial
                return day
        return super().to_python(value)


class PartialDatesFormMixin:
    """For a ModelForm whose dates keep their precision in `<name>_precision`:
    a month or 年度 typed in the date box sets that precision (the less precise
    of what was typed and what was chosen wins), so 「2019.5」 is never stored
    as 1 May."""

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            typed = getattr(field, "typed_precision", None)
            companion = f"{name}_precision"
            if typed and name in cleaned and companion in self.fields:
                cleaned[companion] = coarser(typed, cleaned.get(companion) or typed)
        return cleaned


class LenientTimeField(forms.TimeField):
    """A time from the picker, or typed as １０：００ or 10時."""

    input_formats = ["%H:%M", "%H:%M:%S", "%H時%M分", "%H時"]
    default_error_messages = {
        "required": "時刻を入力してください。",
        "invalid": "時刻は「10:00」のように入力してください。",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", TimePickerInput(parse=self.to_python, format="%H:%M"))
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(_typed(value))


class LenientSplitDateTimeField(forms.SplitDateTimeField):
    """A date and a time in two boxes (the admin's split widget), each read as
    LenientDateField and LenientTimeField read them: 令和3年2月6日 and ９：３０."""

    default_error_messages = {
        "invalid_date": "日付も入力してください（例: 2021/2/6）。",
        "invalid_time": "時刻も入力してください（例: 9:30）。",
    }

    def __init__(
        self,
        *,
        input_date_formats=None,
        input_time_formats=None,
        date_error_messages=None,
        **kwargs,
    ):
        # Django's SplitDateTimeField builds plain DateField and TimeField parts;
        # the lenient ones go in their place.
        fields = (LenientDateField(error_messages=date_error_messages), LenientTimeField())
        forms.MultiValueField.__init__(self, fields, **kwargs)

    def clean(self, value):
        # Django says only "required" when one box of a required pair is empty;
        # the person should hear which box.
        if self.required and isinstance(value, list | tuple) and len(value) == 2:
            day, time = (part in self.empty_values for part in value)
            if time and not day:
                raise ValidationError(self.error_messages["invalid_time"], code="invalid_time")
            if day and not time:
                raise ValidationError(self.error_messages["invalid_date"], code="invalid_date")
        return super().clean(value)
