"""見える化: what the coordinators did in a 年度, counted by kind of activity and by area.

What is counted, and why it is safe to show:

- Every log counts, internal ones included. Consultations and visits are internal
  by nature (they are about one person), so counting only published reports would
  show a year of work as almost no consultations at all. Only numbers leave these
  functions: never a title, a narrative, a note or a name.
- A count is not always harmless: "2 consultations in 新本 this year" can point at
  two neighbours. So the consultation and referral counts below SMALL are shown as
  非公表 (the 秘匿 of official statistics), and where one hidden count per area
  could be worked out from the total and the other areas, the next smallest area's
  is hidden too. Counts of activities and of participants are shown as they are:
  they describe meetings and events, not people who asked for help.

Staff get exact counts of whatever they choose in the admin's CSV (exports.py).
"""

from dataclasses import dataclass, field

from django.db.models import Count, Sum

from coordinators.models import ActivityLog, LogKind
from councils.models import LifeArea
from districts.models import District

# Consultation and referral counts from 1 to SMALL - 1 are not shown.
SMALL = 5
# The counts about people who asked for help, which may be hidden.
PROTECTED = ("consultations", "referrals")
HIDDEN_TEXT = "非公表"
# What an area's row needs of a district or life area: its name and its place in order.
PLACE_FIELDS = ("name", "reading", "display_order")


@dataclass
class Tally:
    """One row of a 見える化 table."""

    label: str
    logs: int = 0
    consultations: int = 0
    referrals: int = 0
    participants: int = 0
    launches: int = 0
    # The PROTECTED counts this row must not show.
    hidden: set[str] = field(default_factory=set)

    def add(self, row: dict) -> None:
        self.logs += row["logs"]
        self.consultations += row["consultations"] or 0
        self.referrals += row["referrals"] or 0
        self.participants += row["participants"] or 0
        self.launches += row["launches"]

    def shown(self, name: str) -> int | None:
        """The count as the public may see it; None when it is hidden."""
        return None if name in self.hidden else getattr(self, name)

    @property
    def consultations_shown(self) -> int | None:
        return self.shown("consultations")

    @property
    def referrals_shown(self) -> int | None:
        return self.shown("referrals")

    @property
    def consultations_text(self) -> str:
        return HIDDEN_TEXT if "consultations" in self.hidden else f"{self.consultations:,}件"

    @property
    def referrals_text(self) -> str:
        return HIDDEN_TEXT if "referrals" in self.hidden else f"{self.referrals:,}件"


@dataclass
class Insights:
    fiscal_year: int
    by_kind: list[Tally]
    by_area: list[Tally]
    total: Tally = field(init=False)

    def __post_init__(self):
        self.total = Tally("合計")
        for row in self.by_kind:
            self.total.add(vars(row))

    @property
    def is_empty(self) -> bool:
        return self.total.logs == 0

    def protected(self) -> "Insights":
        """These tables with the small PROTECTED counts hidden, for the public page."""
        protect([*self.by_kind, *self.by_area, self.total])
        # Both tables add up to the same total, so each needs its complement hidden.
        protect_complements(self.by_kind, self.total)
        protect_complements(self.by_area, self.total)
        return self


def protect(tallies: list[Tally]) -> None:
    """Hide every PROTECTED count from 1 to SMALL - 1."""
    for tally in tallies:
        for name in PROTECTED:
            if 0 < getattr(tally, name) < SMALL:
                tally.hidden.add(name)


def protect_complements(rows: list[Tally], total: Tally) -> None:
    """Hide a second row's count where one hidden count could be worked out.

    With the total shown, a column with one hidden row (an area, a kind) gives
    that row's count away (the total less the others). Hiding the smallest shown
    count as well leaves two rows that could each hold it. There is always one to hide: the
    hidden count is below SMALL and the total is not, so the rest is above zero.
    """
    for name in PROTECTED:
        if name in total.hidden:
            continue  # the total is hidden too, so there is nothing to subtract from
        hidden = [row for row in rows if name in row.hidden]
        if len(hidden) != 1:
            continue
        shown = [row for row in rows if name not in row.hidden and getattr(row, name) > 0]
        min(shown, key=lambda row: getattr(row, name)).hidden.add(name)


# Summed over the rows of one (kind, district, life area), which both tables add up.
COUNTS = {
    # COUNT(*), not of a column: the date index holds every column counted here, so
    # PostgreSQL can answer from the index alone.
    "logs": Count("*"),
    "consultations": Sum("consultations"),
    "referrals": Sum("referrals"),
    "participants": Sum("participants"),
}

CITY_WIDE = "市全域・地区の指定なし"


def counted(logs) -> list[dict]:
    """The counts of `logs` for each kind of activity in each place: one query,
    which both tables add up (a second grouping would read every log again)."""
    rows = list(logs.order_by().values("kind", "district_id", "life_area_id").annotate(**COUNTS))
    for row in rows:
        row["launches"] = row["logs"] if row["kind"] == LogKind.LAUNCH else 0
    return rows


def by_kind(rows: list[dict]) -> list[Tally]:
    """Every kind, in the order of LogKind, with zeros for kinds not done."""
    tallies = {kind.value: Tally(kind.label) for kind in LogKind}
    for row in rows:
        tallies[row["kind"]].add(row)
    return list(tallies.values())


def by_area(rows: list[dict]) -> list[Tally]:
    """One row per area that had a log: two queries (the names of the districts
    and of the life areas the rows name).

    A log counts for its district, or for the life area when it names no district;
    a sub-district's logs count for its district. A hidden district is never named:
    its logs count for their life area or as 市全域.
    """
    district_ids = {row["district_id"] for row in rows if row["district_id"]}
    area_ids = {row["life_area_id"] for row in rows if row["life_area_id"]}
    districts = {
        d.pk: d
        for d in District.objects.public()
        .select_related("parent")
        .only(*PLACE_FIELDS, *(f"parent__{name}" for name in PLACE_FIELDS))
        .filter(pk__in=district_ids)
    }
    areas = {a.pk: a for a in LifeArea.objects.only(*PLACE_FIELDS).filter(pk__in=area_ids)}

    tallies: dict[tuple[str, int], Tally] = {}
    order: dict[tuple[str, int], tuple] = {}
    for row in rows:
        district = districts.get(row["district_id"])
        area = areas.get(row["life_area_id"])
        if district is not None:
            top = district.parent or district
            key = ("district", top.pk)
            order[key] = (0, top.display_order, top.reading, top.pk)
            tally = tallies.setdefault(key, Tally(top.name))
        elif area is not None:
            key = ("area", area.pk)
            order[key] = (1, area.display_order, area.reading, area.pk)
            tally = tallies.setdefault(key, Tally(area.name))
        else:
            key = ("city", 0)
            order[key] = (2,)
            tally = tallies.setdefault(key, Tally(CITY_WIDE))
        tally.add(row)
    return [tallies[key] for key in sorted(tallies, key=order.__getitem__)]


def insights(fy: int, logs=None) -> Insights:
    """The exact counts of one 年度, of every log unless `logs` says which.

    Call .protected() on the result before showing it to the public.
    """
    logs = (ActivityLog.objects.all() if logs is None else logs).for_fiscal_year(fy)
    rows = counted(logs)
    return Insights(fiscal_year=fy, by_kind=by_kind(rows), by_area=by_area(rows))
