"""The coordinator app's CSV import (declared in portal.py; shakyo_portal/core/csvimport.py
does the reading, checking and saving): the council's コーディネーター."""

from coordinators.forms.logs import CoordinatorAdminForm
from shakyo_portal.core.declarations.imports import BY_NAME_OR_SLUG, CsvImport, Lookup

COORDINATORS = CsvImport(
    model="coordinators.Coordinator",
    columns=(
        "display_name",
        "reading",
        "kind",
        "layer",
        "life_areas",
        "districts",
        "active_from",
        "active_until",
        "message",
        "office",
        "is_public",
        "display_order",
    ),
    keys=(("display_name", "reading"),),
    lookups={
        "life_areas": BY_NAME_OR_SLUG,
        "districts": BY_NAME_OR_SLUG,
        "office": Lookup(by=("name",)),
    },
    form=CoordinatorAdminForm,
    titles=("display_name", "kind"),
    # A photo is chosen, and a login linked, on the coordinator's own page.
    ignored=("photo", "photo_alt", "user"),
    person=True,
    checked_by_clean=frozenset({"coordinator_active_period_in_order"}),
)
