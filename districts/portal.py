"""The district app's site-wide parts (docs/architecture.md, "Declarations")."""


def assigned_district_ids(user) -> set[int]:
    """A 地区担当's districts, with their sub-districts."""
    from districts.models import District

    assigned = set(District.objects.filter(staff_profiles__user=user).values_list("pk", flat=True))
    children = District.objects.filter(parent__in=assigned).values_list("pk", flat=True)
    return assigned | set(children)


# Scopes the staff policy core reads (shakyo_portal.staff.access).
STAFF_SCOPES = {"districts": assigned_district_ids}
