"""The /salons/ search form: a GET form, so a result's URL can be shared.

Its choices come from lists the view has already fetched (one query each), and
`filter()` turns what was chosen into conditions on a salon queryset. A value
that is not a choice (an old link, a typed URL) is an error shown beside its
field; the other conditions still apply.
"""

import unicodedata

from django import forms

from districts.forms import district_choices
from salons.models import Salon
from shakyo_portal.core.recurrence import Weekday
from shakyo_portal.core.widgets import ListSelect

# Readable in a shared URL: ?weekday=wed rather than ?weekday=2.
WEEKDAY_SLUGS = {
    "mon": Weekday.MONDAY,
    "tue": Weekday.TUESDAY,
    "wed": Weekday.WEDNESDAY,
    "thu": Weekday.THURSDAY,
    "fri": Weekday.FRIDAY,
    "sat": Weekday.SATURDAY,
    "sun": Weekday.SUNDAY,
}
# More words than this are a pasted paragraph, not a search; the rest are dropped
# so one request cannot build an arbitrarily long query.
MAX_TERMS = 5


def search_terms(text: str) -> list[str]:
    """ｻﾛﾝ　たいそう -> ["サロン", "たいそう"]: NFKC, split on any space."""
    return unicodedata.normalize("NFKC", text).split()[:MAX_TERMS]


class SearchField(forms.CharField):
    """Free text with control characters (a pasted NUL, a tab) dropped, not refused."""

    def to_python(self, value):
        value = super().to_python(value)
        return "".join(ch for ch in value if unicodedata.category(ch) != "Cc")


class SalonFilterForm(forms.Form):
    q = SearchField(
        label="キーワード",
        required=False,
        max_length=100,
        help_text="サロン名（ひらがな・カタカナどちらでも）、会場、活動の様子から探します。",
        error_messages={"max_length": "キーワードは%(limit_value)d文字以内で入力してください。"},
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    district = forms.ChoiceField(
        label="地区",
        required=False,
        widget=ListSelect,
        error_messages={
            "invalid_choice": "指定された地区は見つかりませんでした。一覧から選び直してください。"
        },
    )
    weekday = forms.MultipleChoiceField(
        label="曜日",
        required=False,
        choices=[(slug, Weekday(value).label) for slug, value in WEEKDAY_SLUGS.items()],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "曜日は一覧から選んでください。"},
    )
    target = forms.MultipleChoiceField(
        label="対象",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "対象は一覧から選んでください。"},
    )
    activity = forms.MultipleChoiceField(
        label="活動内容",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "活動内容は一覧から選んでください。"},
    )
    newcomers = forms.BooleanField(label="初めての方も歓迎のサロンだけ", required=False)

    def __init__(self, data, *, districts, target_groups, activity_types):
        super().__init__(data)
        self.districts = {d.slug: d for d in districts}
        self.target_groups = {t.slug: t for t in target_groups}
        self.activity_types = {a.slug: a for a in activity_types}
        self.fields["district"].choices = district_choices(districts)
        self.fields["target"].choices = [(t.slug, t.name) for t in target_groups]
        self.fields["activity"].choices = [(a.slug, a.name) for a in activity_types]

    def value_of(self, name):
        """A field's cleaned value, or empty when it had an error (so it is ignored)."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or self.fields[name].to_python(None)

    def filter(self, salons):
        """`salons` narrowed by every valid condition: AND between fields, OR within one."""
        for term in search_terms(self.value_of("q")):
            salons = salons.mentioning(term)
        if district := self.selected_district():
            salons = salons.in_district(district.pk)
        if weekdays := self.value_of("weekday"):
            salons = salons.filter(weekday__in=[WEEKDAY_SLUGS[slug] for slug in weekdays])
        # Subqueries on the through tables rather than joins, so a salon matching
        # two chosen values is listed once without DISTINCT.
        if targets := self.value_of("target"):
            salons = salons.filter(
                pk__in=Salon.target_groups.through.objects.filter(
                    targetgroup__in=[self.target_groups[slug] for slug in targets]
                ).values("salon_id")
            )
        if activities := self.value_of("activity"):
            salons = salons.filter(
                pk__in=Salon.activity_types.through.objects.filter(
                    salonactivitytype__in=[self.activity_types[slug] for slug in activities]
                ).values("salon_id")
            )
        if self.value_of("newcomers"):
            salons = salons.filter(welcomes_newcomers=True)
        return salons

    def selected_district(self):
        return self.districts.get(self.value_of("district"))

    def active_filters(self) -> list[tuple[str, str, str]]:
        """What is being applied, as (query parameter, value, words): one per value."""
        weekday_labels = dict(self.fields["weekday"].choices)
        active = []
        if terms := search_terms(self.value_of("q")):
            active.append(("q", self.data.get("q", ""), f"キーワード「{' '.join(terms)}」"))
        if district := self.selected_district():
            active.append(("district", district.slug, f"地区: {district.name}"))
        active += [("weekday", s, f"曜日: {weekday_labels[s]}") for s in self.value_of("weekday")]
        active += [
            ("target", s, f"対象: {self.target_groups[s].name}") for s in self.value_of("target")
        ]
        active += [
            ("activity", s, f"活動内容: {self.activity_types[s].name}")
            for s in self.value_of("activity")
        ]
        if self.value_of("newcomers"):
            active.append(("newcomers", self.data.get("newcomers", ""), "初めての方も歓迎"))
        return active
