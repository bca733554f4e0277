"""The public districts as the filters of the reports list and the resource map
need them: four columns, not 360 model instances with their descriptions."""

from dataclasses import dataclass

from districts.models import District


@dataclass(frozen=True, slots=True)
class DistrictChoice:
    """A public district as a filter names it and narrows by it (by its pk)."""

    pk: int
    parent_id: int | None
    name: str
    slug: str


def public_districts() -> list[DistrictChoice]:
    """Every public district in the council's order: one query."""
    return [
        DistrictChoice(*row)
        for row in District.objects.public().values_list("pk", "parent_id", "name", "slug")
    ]
