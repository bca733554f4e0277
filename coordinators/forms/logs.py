"""The public filter of the reports list and the year choice of 見える化 (GET forms), and
the admin's forms for coordinators, activity logs and their photos.

The GET forms take their choices from lists the view has already fetched (one query
each). A value that is not a choice (an old link, a typed URL, a pasted paragraph)
is an error shown beside its field, and the other conditions still apply.
"""

from django import forms

from coordinators.models import MAX_COUNT, ActivityLog, ActivityLogPhoto, Coordinator, LogKind
from districts.forms import district_choices
from shakyo_portal.core.fields import CountField, LenientTimeField
from shakyo_portal.core.fiscal import fiscal_year_label
from shakyo_portal.core.uploads import PhotoField
from shakyo_portal.core.widgets import ListSelect


def year_choices(years: list[int]) -> list[tuple[str, str]]:
    return [(str(fy), fiscal_year_label(fy, western=True)) for fy in years]


class ReportFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="活動の種類",
        required=False,
        widget=ListSelect,
        choices=[("", "すべての種類"), *LogKind.choices],
        error_messages={
            "invalid_choice": "その活動の種類はありません。一覧から選び直してください。"
        },
    )
    district = forms.ChoiceField(
        label="地区",
        required=False,
        widget=ListSelect,
        error_messages={
            "invalid_choice": "指定された地区は見つかりませんでした。一覧から選び直してください。"
        },
    )
    area = forms.ChoiceField(
        label="日常生活圏域",
        required=False,
        widget=ListSelect,
        error_messages={
            "invalid_choice": "指定された圏域は見つかりませんでした。一覧から選び直してください。"
        },
    )
    year = forms.ChoiceField(
        label="年度",
        required=False,
        widget=ListSelect,
        error_messages={
            "invalid_choice": "その年度の活動報告はありません。一覧から選び直してください。"
        },
    )
    coordinator = forms.ChoiceField(
        label="コーディネーター",
        required=False,
        widget=ListSelect,
        error_messages={
            "invalid_choice": (
                "指定されたコーディネーターは見つかりませんでした。一覧から選び直してください。"
            )
        },
    )

    def __init__(self, data, *, districts, life_areas, coordinators, years):
        super().__init__(data)
        self.districts = {d.slug: d for d in districts}
        self.life_areas = {a.slug: a for a in life_areas}
        self.coordinators = {str(c.pk): c for c in coordinators}
        self.fields["district"].choices = district_choices(districts)
        self.fields["area"].choices = [("", "すべての圏域")] + [
            (a.slug, a.name) for a in life_areas
        ]
        self.fields["year"].choices = [("", "すべての年度"), *year_choices(years)]
        self.fields["coordinator"].choices = [("", "すべてのコーディネーター")] + [
            (str(c.pk), c.display_name) for c in coordinators
        ]

    def filter(self, reports):
        """The reports that meet every condition that was valid."""
        data = getattr(self, "cleaned_data", {})
        if data.get("kind"):
            reports = reports.filter(kind=data["kind"])
        if data.get("district"):
            reports = reports.in_district(self.districts[data["district"]].pk)
        if data.get("area"):
            reports = reports.in_life_area(self.life_areas[data["area"]].pk)
        if data.get("year"):
            reports = reports.for_fiscal_year(int(data["year"]))
        if data.get("coordinator"):
            reports = reports.filter(coordinator=self.coordinators[data["coordinator"]].pk)
        return reports

    def active_filters(self) -> list[str]:
        """What the list is narrowed to, in words."""
        data = getattr(self, "cleaned_data", {})
        return [
            dict(self.fields[name].choices)[data[name]]
            for name in ("kind", "district", "area", "year", "coordinator")
            if data.get(name)
        ]


class YearForm(forms.Form):
    year = forms.ChoiceField(label="年度")

    def __init__(self, *, years, selected):
        super().__init__(initial={"year": str(selected)})
        self.fields["year"].choices = year_choices(years)


# --- admin ------------------------------------------------------------------------------


class LogCountField(CountField):
    """A count in a log: blank means none."""

    def __init__(self, *, label, unit, help_text):
        super().__init__(
            label=label, unit=unit, required=False, max_value=MAX_COUNT, help_text=help_text
        )

    def clean(self, value):
        value = super().clean(value)
        return 0 if value is None else value


class ActivityLogAdminForm(forms.ModelForm):
    consultations = LogCountField(
        label="相談件数", unit="件", help_text="この活動で受けた相談の件数。空欄は0件です。"
    )
    referrals = LogCountField(
        label="専門機関へのつなぎ件数",
        unit="件",
        help_text="地域包括支援センターや行政の窓口などへつないだ件数。空欄は0件です。",
    )
    participants = LogCountField(
        label="参加者数", unit="人", help_text="会議や講座などに参加した人数。空欄は0人です。"
    )

    class Meta:
        model = ActivityLog
        fields = [
            "coordinator",
            "date",
            "date_precision",
            "starts_at",
            "ends_at",
            "place",
            "kind",
            "title",
            "narrative",
            "district",
            "life_area",
            "resource",
            "consultations",
            "referrals",
            "participants",
            "visibility",
            "staff_notes",
        ]
        # １０：００ and 10時 are read as 10:00.
        field_classes = {"starts_at": LenientTimeField, "ends_at": LenientTimeField}
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 8}),
            "staff_notes": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "coordinator": {"required": "コーディネーターを選んでください。"},
            "starts_at": {"invalid": "開始時刻は「10:00」のように入力してください。"},
            "ends_at": {"invalid": "終了時刻は「14:00」のように入力してください。"},
            # How to write one is the admin's message for every date kept with its
            # precision (2021/2/6, 令和3年2月6日, 2019年5月, 令和元年度).
            "date": {"required": "活動日を入力してください。"},
            "kind": {"required": "活動の種類を選んでください。"},
            "title": {"required": "件名を入力してください。"},
            "narrative": {"required": "内容を入力してください。"},
        }


class ActivityLogPhotoAdminForm(forms.ModelForm):
    class Meta:
        model = ActivityLogPhoto
        fields = ["image", "alt_text", "caption", "display_order"]
        # Re-encoded from its pixels: no GPS or other metadata is kept (shakyo_portal.core.uploads).
        field_classes = {"image": PhotoField}
        error_messages = {
            "alt_text": {"required": "写真の説明を入力してください（画面の読み上げで伝わります）。"}
        }


class CoordinatorAdminForm(forms.ModelForm):
    class Meta:
        model = Coordinator
        fields = [
            "display_name",
            "reading",
            "kind",
            "layer",
            "is_public",
            "display_order",
            "life_areas",
            "districts",
            "active_from",
            "active_until",
            "photo",
            "photo_alt",
            "message",
            "office",
            "user",
        ]
        field_classes = {"photo": PhotoField}
        widgets = {
            "districts": forms.CheckboxSelectMultiple,
            "life_areas": forms.CheckboxSelectMultiple,
            "message": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "display_name": {"required": "表示名を入力してください。"},
            "kind": {"required": "種類を選んでください。"},
            "layer": {"required": "層を選んでください。"},
        }
