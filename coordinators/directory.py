"""The 地域資源マップ's one list: public resources and the salons one can go to.

Salons live in the salons app; here each becomes an entry of the サロン category
(the `ResourceCategory` whose slug is "salon", or a built-in one until staff
make it) that helps with 居場所, and with 健康づくり when it does 体操, so
nobody types a salon twice. The two kinds are merged by one UNION query of
(reading, kind, pk) that sorts and pages them together; only the page's rows
are then read in full.
"""

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.db.models import Exists, OuterRef, Prefetch, Q, Value

from coordinators.choices import DistrictChoice
from coordinators.models import LifeScene, Resource, ResourceCategory
from salons.models import Salon, SalonStatus
from shakyo_portal.core.links import UrlPattern, map_url

RESOURCE = "resource"
SALON = "salon"
# The category salons are listed under, and its name until staff make it.
SALON_CATEGORY = "salon"
SALON_CATEGORY_NAME = "ふれあいサロン"
# Every salon is a place to be (居場所); one with exercise also helps 健康づくり.
SALON_SCENE = "ibasho"
HEALTH_SCENE = "kenko"
HEALTH_ACTIVITIES = ("taiso", "hyakusai-taiso")
ENTRIES_PER_PAGE = 20
# A resource's columns that its entry in the list reads (resource_entry).
ENTRY_FIELDS = (
    "name",
    "formality",
    "summary",
    "schedule",
    "address",
    "latitude",
    "longitude",
)
# The map shows at most this many markers; past it a list serves better anyway.
MAX_MAP_POINTS = 1000


@dataclass(frozen=True)
class Vocabulary:
    """The categories and life scenes, read once per request (two queries)."""

    categories: list[ResourceCategory]
    scenes: list[LifeScene]

    @classmethod
    def load(cls):
        return cls(list(ResourceCategory.objects.all()), list(LifeScene.objects.all()))

    @cached_property
    def salon_category_name(self) -> str:
        for category in self.categories:
            if category.slug == SALON_CATEGORY:
                return category.name
        return SALON_CATEGORY_NAME

    def category_choices(self) -> list[tuple[str, str]]:
        """Every category in staff's order; the サロン one first when staff have not made it."""
        choices = [(c.slug, c.name) for c in self.categories]
        if all(slug != SALON_CATEGORY for slug, _name in choices):
            choices.insert(0, (SALON_CATEGORY, SALON_CATEGORY_NAME))
        return choices

    def salon_scene_names(self, *, health: bool) -> tuple[str, ...]:
        slugs = {SALON_SCENE, HEALTH_SCENE} if health else {SALON_SCENE}
        return tuple(scene.name for scene in self.scenes if scene.slug in slugs)


@dataclass(frozen=True)
class Filters:
    """What a resident chose: OR within categories or scenes, AND between them."""

    categories: frozenset[str] = frozenset()
    scenes: frozenset[str] = frozenset()
    district: DistrictChoice | None = None

    def resources(self):
        resources = public_resources()
        if self.categories:
            resources = resources.filter(category__slug__in=self.categories)
        if self.scenes:
            # A subquery rather than a join, so a resource in two chosen scenes is one row.
            resources = resources.filter(
                pk__in=Resource.life_scenes.through.objects.filter(
                    lifescene__slug__in=self.scenes
                ).values("resource_id")
            )
        if self.district is not None:
            resources = resources.filter(serves(self.district))
        return resources

    def salons(self):
        """The matching salons, or None when the filters leave salons out."""
        if self.categories and SALON_CATEGORY not in self.categories:
            return None
        salons = Salon.objects.listed()
        if self.scenes and SALON_SCENE not in self.scenes:
            if HEALTH_SCENE not in self.scenes:
                return None
            salons = salons.filter(Exists(health_activities()))
        if self.district is not None:
            salons = salons.filter(serves(self.district))
        return salons


def public_resources():
    """Resources one may show (Resource.objects.public())."""
    return Resource.objects.public()


def serves(district) -> Q:
    """What a resident of `district` can use: resources of the whole city, and
    resources and salons of the district and its sub-districts and, for a
    sub-district, of its parent (a salon's district is never empty)."""
    condition = Q(district__isnull=True) | Q(district=district.pk) | Q(district__parent=district.pk)
    if district.parent_id is not None:
        condition |= Q(district=district.parent_id)
    return condition


def health_activities():
    return Salon.activity_types.through.objects.filter(
        salon_id=OuterRef("pk"), salonactivitytype__slug__in=HEALTH_ACTIVITIES
    )


def entry_keys(filters: Filters):
    """(reading, kind, pk) of every matching entry, in reading order: one query a slice.

    A Paginator counts and slices it, so a page costs a COUNT and one LIMIT query.
    """
    keys = (
        filters.resources()
        .order_by()
        .annotate(kind=Value(RESOURCE))
        .values_list("reading", "kind", "pk")
    )
    salons = filters.salons()
    if salons is not None:
        keys = keys.union(
            salons.order_by().annotate(kind=Value(SALON)).values_list("reading", "kind", "pk"),
            all=True,
        )
    return keys.order_by("reading", "kind", "pk")


@dataclass(frozen=True)
class Entry:
    """One row of the list: a resource or a salon, in the words a resident reads."""

    kind: str
    pk: int
    name: str
    url: str
    category: str
    scenes: tuple[str, ...]
    area: str
    formality: str
    summary: str
    schedule: str
    place: str
    latitude: Decimal | None
    longitude: Decimal | None
    note: str = ""

    @property
    def is_salon(self) -> bool:
        return self.kind == SALON

    @property
    def map_url(self) -> str:
        return map_url(self)


def entries(keys, vocabulary: Vocabulary) -> list[Entry]:
    """The page's entries in the order of `keys`.

    Queries: the resources with category and district, their life scenes, and
    the salons with district; none for a kind the page does not have.
    """
    wanted = {RESOURCE: [], SALON: []}
    for _reading, kind, pk in keys:
        wanted[kind].append(pk)
    found = {}
    if wanted[RESOURCE]:
        resources = (
            Resource.objects.filter(pk__in=wanted[RESOURCE])
            .select_related("category", "district")
            # What a card shows: not the descriptions, contacts and help texts of its page.
            .only(*ENTRY_FIELDS, "category__name", "district__name")
            .prefetch_related(Prefetch("life_scenes", to_attr="scene_list"))
        )
        found |= {(RESOURCE, r.pk): resource_entry(r) for r in resources}
    if wanted[SALON]:
        salons = (
            Salon.objects.filter(pk__in=wanted[SALON])
            .select_related("district")
            .annotate(does_health=Exists(health_activities()))
        )
        found |= {(SALON, s.pk): salon_entry(s, vocabulary) for s in salons}
    return [found[kind, pk] for _reading, kind, pk in keys if (kind, pk) in found]


def area_label(district) -> str:
    return district.name if district else "市全域"


def resource_entry(resource) -> Entry:
    return Entry(
        kind=RESOURCE,
        pk=resource.pk,
        name=resource.name,
        url=resource.get_absolute_url(),
        category=resource.category.name,
        scenes=tuple(scene.name for scene in resource.scene_list),
        area=area_label(resource.district),
        formality=resource.get_formality_display(),
        summary=resource.summary,
        schedule=resource.schedule,
        place=resource.address,
        latitude=resource.latitude,
        longitude=resource.longitude,
    )


def salon_entry(salon, vocabulary: Vocabulary) -> Entry:
    # A salon's organiser is never shown: its page tells people to ask the office.
    paused = salon.status in (SalonStatus.PAUSED, SalonStatus.PREPARING)
    return Entry(
        kind=SALON,
        pk=salon.pk,
        name=salon.name,
        url=salon.get_absolute_url(),
        category=vocabulary.salon_category_name,
        scenes=vocabulary.salon_scene_names(health=salon.does_health),
        area=area_label(salon.district),
        formality="住民の支え合い",
        summary="",
        schedule=salon.schedule_label,
        place=salon.venue_name,
        latitude=salon.latitude,
        longitude=salon.longitude,
        note=salon.get_status_display() if paused else "",
    )


def map_points(filters: Filters, vocabulary: Vocabulary) -> dict:
    """Every matching entry with a position, for the map's markers: one query.

    Capped at MAX_MAP_POINTS; `truncated` says when more matched.
    """
    resources = (
        filters.resources()
        .filter(latitude__isnull=False, longitude__isnull=False)
        .order_by()
        .annotate(kind=Value(RESOURCE))
        .values_list("reading", "kind", "pk", "name", "category__name", "latitude", "longitude")
    )
    salons = filters.salons()
    if salons is not None:
        resources = resources.union(
            salons.filter(latitude__isnull=False, longitude__isnull=False)
            .order_by()
            .annotate(kind=Value(SALON), category_name=Value(vocabulary.salon_category_name))
            .values_list("reading", "kind", "pk", "name", "category_name", "latitude", "longitude"),
            all=True,
        )
    rows = list(resources.order_by("reading", "kind", "pk")[: MAX_MAP_POINTS + 1])
    urls = {
        RESOURCE: UrlPattern("resources:detail", "pk"),
        SALON: UrlPattern("salons:detail", "pk"),
    }
    points = [
        {
            "name": name,
            "category": category,
            "url": urls[kind](pk),
            "lat": float(latitude),
            "lng": float(longitude),
        }
        for _reading, kind, pk, name, category, latitude, longitude in rows[:MAX_MAP_POINTS]
    ]
    return {"points": points, "truncated": len(rows) > MAX_MAP_POINTS}


def resource_for_page(pk):
    """One resource's page: the resource with category and district (and their
    offices), its life scenes and the public salons it stops at. Three queries;
    None when it is not public."""
    return (
        public_resources()
        .select_related("category", "district__office", "district__parent__office")
        .prefetch_related(
            Prefetch("life_scenes", to_attr="scene_list"),
            Prefetch(
                "salons",
                queryset=Salon.objects.public().order_by("reading", "pk"),
                to_attr="salon_list",
            ),
        )
        .filter(pk=pk)
        .first()
    )
