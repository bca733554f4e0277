"""The coordinator app's site-wide parts (docs/architecture.md, "Declarations")."""


def coordinator_areas(user) -> tuple[set[int], bool]:
    """The life areas a コーディネーター covers, and whether they work at 第1層
    (whose councils are the whole city's)."""
    from coordinators.models import Coordinator

    areas, first_layer = set(), False
    for coordinator in Coordinator.objects.filter(user=user).prefetch_related("life_areas"):
        areas.update(area.pk for area in coordinator.life_areas.all())
        first_layer = first_layer or coordinator.layer == 1
    return areas, first_layer


# Scopes the staff policy core reads (shakyo_portal.staff.access).
STAFF_SCOPES = {"areas": coordinator_areas}
