"""The 協議体 forms: the district chooser on /councils/ and the admin's own checks."""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from councils.models import (
    AnnualPlan,
    Council,
    CouncilMember,
    Meeting,
    MeetingMaterial,
    MeetingParticipant,
    parse_months,
)
from shakyo_portal.core.fiscal import parse_fiscal_year
from shakyo_portal.core.uploads import DOCUMENT, process_upload
from shakyo_portal.core.widgets import ListSelect

# --- public -------------------------------------------------------------------------


class CouncilFilterForm(forms.Form):
    """/councils/?district=soja: which councils cover where I live."""

    district = forms.ChoiceField(
        label="お住まいの地区",
        required=False,
        widget=ListSelect,
        error_messages={
            "invalid_choice": "その地区は見つかりませんでした。一覧から選んでください。"
        },
    )

    def __init__(self, data=None, *, districts):
        super().__init__(data)
        self.fields["district"].choices = [("", "すべての地区")] + [
            (district.slug, district.name) for district in districts
        ]


# --- admin --------------------------------------------------------------------------


class CouncilAdminForm(forms.ModelForm):
    class Meta:
        model = Council
        # The admin's fieldsets narrow this down.
        fields = [
            "name",
            "nickname",
            "reading",
            "slug",
            "layer",
            "life_area",
            "display_order",
            "is_public",
            "purpose",
            "description",
            "office",
            "meeting_rule",
            "meeting_week",
            "meeting_weekday",
            "meeting_months",
            "meeting_starts_at",
            "meeting_ends_at",
            "meeting_as_a_rule",
            "meeting_place",
            "meeting_on_closed_days",
        ]

    def clean_meeting_months(self):
        """５、７、９月 or 9, 5, 7 is stored as 5,7,9."""
        text = unicodedata.normalize("NFKC", self.cleaned_data["meeting_months"] or "")
        text = re.sub(r"[\s月]", "", text).replace("、", ",").replace("・", ",")
        try:
            months = parse_months(text)
        except ValueError:
            raise ValidationError(
                "開催する月は1〜12の数字をカンマで区切って入力してください（例: 5,7,9）。"
            ) from None
        return ",".join(str(m) for m in sorted(months))


def _pk(value) -> int | None:
    """The pk typed into a form, or None for anything that cannot be one."""
    value = str(value or "")
    # "²".isdigit() is true too; only ASCII digits that fit a key are one.
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


def council_of_form(data, initial, instance) -> int | None:
    """The council a meeting form is about: the one posted, else the meeting's
    own, else the one its add link names (?council=)."""
    council = _pk(data.get("council")) if data is not None else None
    if council is None:
        council = getattr(instance, "council_id", None) or _pk((initial or {}).get("council"))
    return council


def member_label(member) -> str:
    """How staff tell members apart when choosing: the organisation and its
    role, never the representative's name."""
    return (
        f"{member.organisation}（{member.get_role_display()}）"
        if member.role
        else member.organisation
    )


def members_to_choose(council):
    return CouncilMember.objects.filter(council=council).order_by("role", "display_order", "pk")


class MeetingAdminForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "council",
            "number",
            "title",
            "held_on",
            "held_on_precision",
            "starts_at",
            "ends_at",
            "format",
            "place",
            "status",
            "status_reason",
            "replacement",
            "replaced_by",
            "guests",
            "participant_count",
            "minutes",
            "staff_notes",
        ]


class MeetingParticipantAdminForm(forms.ModelForm):
    """A participant row: the members to choose from are the meeting's own
    council's (the formset gives the council)."""

    class Meta:
        model = MeetingParticipant
        fields = ["member", "name", "affiliation", "publish_name", "display_order"]

    def __init__(self, *args, council=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        field.queryset = members_to_choose(council)
        field.label_from_instance = member_label
        field.widget.attrs["data-council-members"] = "1"


class MeetingMaterialAdminForm(forms.ModelForm):
    """A material is a checked PDF stored under a name nobody chose."""

    file = forms.FileField(
        label="ファイル（PDF）",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
        help_text="PDF だけを登録できます。1つのファイルは 10 MB までです。",
    )

    class Meta:
        model = MeetingMaterial
        fields = ["title", "file", "display_order"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not hasattr(upload, "content_type"):
            return upload  # the file already stored, unchanged
        processed = process_upload(upload, allow_documents=True)
        if processed.kind != DOCUMENT:
            raise ValidationError(
                "「%(name)s」は PDF ではありません。会議資料は PDF で登録してください。",
                code="not_pdf",
                params={"name": processed.original_name},
            )
        self.instance.size = processed.size
        return SimpleUploadedFile(
            processed.content.name,
            processed.content.file.getvalue(),
            content_type=processed.content_type,
        )


class FiscalYearFormField(forms.Field):
    """令和8年度, R8, ２０２６ or 2026 -> 2026."""

    widget = forms.TextInput(attrs={"size": 12, "maxlength": 20})

    def to_python(self, value):
        value = str(value or "").strip()
        if not value:
            return None
        if len(value) > 20:
            raise ValidationError("年度は20字以内で入力してください。", code="max_length")
        try:
            return parse_fiscal_year(value)
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from None


class AnnualPlanAdminForm(forms.ModelForm):
    fiscal_year = FiscalYearFormField(
        label="年度",
        help_text="「令和8年度」「R8」「2026」のように入力します（4月に始まる年度）。",
    )

    class Meta:
        model = AnnualPlan
        fields = ["council", "fiscal_year", "note"]
