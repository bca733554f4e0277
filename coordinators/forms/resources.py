"""The 地域資源マップ's filter form, and the admin's form for a resource.

The filter is a GET form, so a result's URL can be shared. Its choices come
from lists the view has already fetched; a value that is not a choice (an old
link, a typed URL) is an error shown beside its field, and the other
conditions still apply.
"""

from django import forms

from coordinators.directory import Filters
from coordinators.models import Resource
from districts.forms import district_choices
from shakyo_portal.core.widgets import ListSelect


class ResourceFilterForm(forms.Form):
    category = forms.MultipleChoiceField(
        label="分類",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "分類は一覧から選んでください。"},
    )
    scene = forms.MultipleChoiceField(
        label="暮らしの場面",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "暮らしの場面は一覧から選んでください。"},
    )
    district = forms.ChoiceField(
        label="地区",
        required=False,
        help_text="市全域で利用できるものも一緒に表示します。",
        widget=ListSelect,
        error_messages={
            "invalid_choice": "指定された地区は見つかりませんでした。一覧から選び直してください。"
        },
    )

    def __init__(self, data, *, vocabulary, districts):
        super().__init__(data)
        self.districts = {d.slug: d for d in districts}
        self.fields["category"].choices = vocabulary.category_choices()
        self.fields["scene"].choices = [(s.slug, s.name) for s in vocabulary.scenes]
        self.fields["district"].choices = district_choices(districts)

    def value_of(self, name):
        """A field's cleaned value. After an error, a checkbox group keeps the values
        that are choices (an old link's one stale value does not drop the others);
        any other field is ignored."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        field = self.fields[name]
        if name in self.cleaned_data:
            return self.cleaned_data[name] or field.to_python(None)
        if isinstance(field, forms.MultipleChoiceField):
            sent = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            return [value for value in sent or [] if field.valid_value(value)]
        return field.to_python(None)

    def filters(self) -> Filters:
        return Filters(
            categories=frozenset(self.value_of("category")),
            scenes=frozenset(self.value_of("scene")),
            district=self.districts.get(self.value_of("district")),
        )

    def active_filters(self) -> list[tuple[str, str, str]]:
        """What is being applied, as (query parameter, value, words): one per value."""
        categories = dict(self.fields["category"].choices)
        scenes = dict(self.fields["scene"].choices)
        active = [("category", s, f"分類: {categories[s]}") for s in self.value_of("category")]
        active += [("scene", s, f"暮らしの場面: {scenes[s]}") for s in self.value_of("scene")]
        if district := self.districts.get(self.value_of("district")):
            active.append(("district", district.slug, f"地区: {district.name}"))
        return active


class ResourceAdminForm(forms.ModelForm):
    """Staff enter only what may be public: the service's own contact, never a person's."""

    class Meta:
        model = Resource
        fields = [
            "name",
            "reading",
            "category",
            "formality",
            "is_public",
            "life_scenes",
            "summary",
            "description",
            "schedule",
            "help_offered",
            "how_to_ask",
            "district",
            "salons",
            "postal_code",
            "address",
            "latitude",
            "longitude",
            "contact_name",
            "contact_phone",
            "contact_email",
            "website",
        ]
        widgets = {
            "life_scenes": forms.CheckboxSelectMultiple,
            "formality": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
            "help_offered": forms.Textarea(attrs={"rows": 5}),
            "how_to_ask": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "contact_name": (
                "公開ページに表示されます。団体や窓口の名称を入れ、個人の名前は入れないでください"
                "（例: 総社市社協 地域共生推進課）。"
            ),
            "contact_phone": (
                "公開ページに表示されます。団体や窓口の電話番号だけを入れ、"
                "個人の携帯電話などは入れないでください。"
            ),
            "contact_email": "公開ページに表示されます。団体や窓口のアドレスだけを入れてください。",
            "latitude": "地図に表示するときだけ。例: 34.672600",
            "longitude": "緯度と経度は両方入れるか、両方空欄にします。例: 133.746500",
            "is_public": "外すと、地域資源マップにも地図にも表示されません。",
        }
