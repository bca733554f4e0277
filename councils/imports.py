"""The council app's CSV imports (declared in portal.py; shakyo_portal/core/csvimport.py
does the reading, checking and saving): a council's 日常生活圏域 — 31 of them
are minutes, not an afternoon of forms — and its 協議体."""

from councils.forms import CouncilAdminForm
from shakyo_portal.core.declarations.imports import BY_NAME_OR_SLUG, CsvImport, Lookup

LIFE_AREAS = CsvImport(
    model="councils.LifeArea",
    columns=("name", "reading", "slug", "kind", "districts", "description", "display_order"),
    keys=(("slug",), ("name",)),
    lookups={"districts": BY_NAME_OR_SLUG},
    titles=("name", "kind"),
    slug_from="reading",
)

COUNCILS = CsvImport(
    model="councils.Council",
    columns=(
        "name",
        "nickname",
        "reading",
        "slug",
        "layer",
        "life_area",
        "purpose",
        "description",
        "meeting_rule",
        "meeting_week",
        "meeting_weekday",
        "meeting_months",
        "meeting_starts_at",
        "meeting_ends_at",
        "meeting_as_a_rule",
        "meeting_place",
        "meeting_on_closed_days",
        "office",
        "is_public",
        "display_order",
    ),
    keys=(("slug",), ("name",)),
    lookups={"life_area": BY_NAME_OR_SLUG, "office": Lookup(by=("name",))},
    # The admin's form: 開催する月 typed as ５、７、９月 is stored as 5,7,9.
    form=CouncilAdminForm,
    titles=("name", "life_area"),
    slug_from="reading",
    checked_by_clean=frozenset(
        {"council_area_layer_has_life_area", "council_meeting_ends_after_start"}
    ),
)
