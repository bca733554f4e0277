import pytest
from django import forms
from django.contrib.admin.widgets import AdminTextInputWidget
from django.core.exceptions import ValidationError
from django.db.migrations.writer import MigrationWriter

from shakyo_portal.core.fields import (
    KanaReadingField,
    KanaReadingFormField,
    PhoneNumberField,
    PhoneNumberFormField,
    PostalCodeField,
    PostalCodeFormField,
)

PHONE_ERROR = "電話番号は0から始まる10桁または11桁の数字で入力してください（例：0866-92-8552）。"
POSTAL_CODE_ERROR = "郵便番号は7桁の数字で入力してください（例：719-1131）。"
READING_ERROR = "よみがなは、ひらがなまたはカタカナで入力してください。"


class ContactForm(forms.Form):
    reading = KanaReadingFormField(label="よみがな")
    phone = PhoneNumberFormField(label="電話番号")
    postal_code = PostalCodeFormField(label="郵便番号", required=False)


def test_form_stores_the_normalised_values():
    form = ContactForm(
        {
            "reading": " ヤマダ　タロウ ",
            "phone": "０８６６ー９２ー８５５２",
            "postal_code": "〒７１９－１１３１",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "reading": "やまだ たろう",
        "phone": "0866-92-8552",
        "postal_code": "719-1131",
    }


def test_blank_optional_field_stays_empty():
    form = ContactForm({"reading": "やまだ", "phone": "0866928552", "postal_code": "  "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["postal_code"] == ""


def test_required_field_says_so():
    form = ContactForm({"reading": "", "phone": "", "postal_code": ""})
    assert not form.is_valid()
    assert form.errors["phone"] == ["このフィールドは必須です。"]
    assert form.errors["reading"] == ["このフィールドは必須です。"]


def test_invalid_values_show_the_japanese_error_and_keep_what_was_typed():
    form = ContactForm({"reading": "山田", "phone": "0866-92", "postal_code": "719"})
    assert not form.is_valid()
    assert form.errors == {
        "reading": [READING_ERROR],
        "phone": [PHONE_ERROR],
        "postal_code": [POSTAL_CODE_ERROR],
    }
    assert form.errors.as_data()["phone"][0].code == "invalid_phone"
    html = str(form["phone"])
    assert 'value="0866-92"' in html
    assert 'aria-invalid="true"' in html
    assert 'value="山田"' in str(form["reading"])


def test_form_fields_set_input_hints_and_no_browser_maxlength():
    phone = str(ContactForm()["phone"])
    assert 'inputmode="tel"' in phone
    assert 'autocomplete="tel"' in phone
    postal_code = str(ContactForm()["postal_code"])
    assert 'inputmode="numeric"' in postal_code
    assert 'autocomplete="postal-code"' in postal_code
    # 〒７１９－１１３１ is nine characters; the stored 719-1131 fits in eight.
    assert "maxlength" not in str(PostalCodeField().formfield().widget.attrs)
    assert "inputmode" not in str(ContactForm()["reading"])


def test_admin_widget_keeps_the_input_hints():
    # The admin passes its own text widget for every CharField.
    formfield = PhoneNumberField().formfield(widget=AdminTextInputWidget)
    assert type(formfield) is PhoneNumberFormField
    assert formfield.widget.attrs == {
        "class": "vTextField",
        "inputmode": "tel",
        "autocomplete": "tel",
    }


@pytest.mark.parametrize(
    ("field", "form_class", "max_length"),
    [
        (PhoneNumberField("電話番号", blank=True), PhoneNumberFormField, 20),
        (PostalCodeField("郵便番号", blank=True), PostalCodeFormField, 8),
        (KanaReadingField("よみがな", blank=True), KanaReadingFormField, 100),
    ],
)
def test_model_field_gives_its_form_field(field, form_class, max_length):
    formfield = field.formfield()
    assert type(formfield) is form_class
    assert formfield.label == field.verbose_name
    assert formfield.required is False
    assert formfield.max_length == field.max_length == max_length
    assert formfield.clean("") == ""


def test_nullable_field_cleans_blank_to_none():
    formfield = PhoneNumberField(blank=True, null=True).formfield()
    assert formfield.clean("") is None


@pytest.mark.parametrize("field_class", [PhoneNumberField, PostalCodeField, KanaReadingField])
def test_deconstruct_leaves_out_the_default_max_length(field_class):
    field = field_class("名前", blank=True)
    field.set_attributes_from_name("value")
    _name, path, args, kwargs = field.deconstruct()
    assert path == f"shakyo_portal.core.fields.{field_class.__name__}"
    assert kwargs == {"verbose_name": "名前", "blank": True}
    rebuilt = field_class(*args, **kwargs)
    assert rebuilt.max_length == field.max_length
    assert "validators" not in kwargs


def test_deconstruct_keeps_a_custom_max_length():
    field = PhoneNumberField(max_length=30)
    field.set_attributes_from_name("phone")
    assert field.deconstruct()[3] == {"max_length": 30}


def test_migration_writer_serializes_the_field():
    code, imports = MigrationWriter.serialize(PhoneNumberField("電話番号", blank=True))
    assert code == "shakyo_portal.core.fields.PhoneNumberField(blank=True, verbose_name='電話番号')"
    assert imports == {"import shakyo_portal.core.fields"}


@pytest.mark.parametrize(
    ("field", "stored", "cleaned"),
    [
        (PhoneNumberField(), "0866 92 8552", "0866-92-8552"),
        (PostalCodeField(), "7191131", "719-1131"),
        (KanaReadingField(), "ヤマダ", "やまだ"),
    ],
)
def test_model_clean_normalises_the_stored_value(field, stored, cleaned):
    # Field.clean() is what model.full_clean() calls and assigns back to the instance.
    assert field.clean(stored, None) == cleaned


@pytest.mark.parametrize(
    ("field", "stored", "message"),
    [
        (PhoneNumberField(), "12345", PHONE_ERROR),
        (PostalCodeField(), "719", POSTAL_CODE_ERROR),
        (KanaReadingField(), "山田", READING_ERROR),
    ],
)
def test_model_validation_rejects_a_bad_stored_value_but_saving_does_not(field, stored, message):
    with pytest.raises(ValidationError) as caught:
        field.clean(stored, None)
    assert caught.value.messages == [message]
    # What the ORM sends to the database: passed through untouched, never an error.
    assert field.get_prep_value(stored) == stored


def test_blank_model_field_accepts_empty():
    assert PhoneNumberField(blank=True).clean("", None) == ""
    with pytest.raises(ValidationError):
        PhoneNumberField().clean("", None)
