"""What an app keeps about people, as its portal.py declares it: the records
that name a person (which the 管理者's disclosure page searches, hands over and
erases) and how long the portal keeps them (the daily apply_retention run).

Records that hold personal data only as free text are not personal-data
kinds: a report's comments or a coordinator's narrative name residents in
prose if at all, so no search by name or phone can find them reliably. Such a
model says why in its app's NO_PERSONAL_DATA.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.db.models import Q, QuerySet

# What an anonymised name reads as: staff then see why the row has no name.
ERASED_NAME = "削除済み"
ERASED_READING = "さくじょずみ"


def field_label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


@dataclass(frozen=True)
class PersonalDataKind:
    """One model that names a person.

    order: its place on the disclosure page, among every app's kinds.
    names/readings/phones/emails: the fields a search looks in.
    disclosed: the fields a disclosure file holds.
    erased: each personal field's value once anonymised; erased_m2m: the
    many-to-many fields emptied. deletable: whether 「削除する」 removes the
    row; otherwise other records need it, and it is anonymised instead.
    keeps: what an anonymised row keeps, and why, as the confirmation says it.
    cascades: tracked rows deleted with it, as (model label, foreign key).
    """

    label: str
    model_label: str
    order: int
    names: tuple[str, ...] = ()
    readings: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    disclosed: tuple[str, ...] = ()
    erased: dict = field(default_factory=dict)
    erased_m2m: tuple[str, ...] = ()
    deletable: bool = False
    keeps: str = ""
    related: tuple[str, ...] = ()
    cascades: tuple[tuple[str, str], ...] = ()

    @property
    def model(self):
        return apps.get_model(self.model_label)

    def rows(self):
        rows = self.model.objects.all()
        if self.related:
            rows = rows.select_related(*self.related)
        return rows.prefetch_related(*self.erased_m2m)

    @property
    def key(self) -> str:
        return self.model_label

    @property
    def personal_fields(self) -> set[str]:
        return set(self.erased) | set(self.erased_m2m)

    @property
    def columns(self) -> tuple[str, ...]:
        return (*self.context, *self.names, *self.readings, *self.phones, *self.emails)

    def erased_labels(self) -> str:
        names = (*self.erased, *self.erased_m2m)
        return "・".join(field_label(self.model, name) for name in names)

    def anonymised_q(self) -> Q:
        """Rows already anonymised (so running again changes nothing)."""
        q = Q(**self.erased)
        for name in self.erased_m2m:
            q &= Q(**{f"{name}__isnull": True})
        return q


# What a retention rule does with the rows whose time is up.
DELETE, ANONYMISE, PURGE = "delete", "anonymise", "purge"


@dataclass(frozen=True)
class RetentionRule:
    """name: the line the command prints. expired(now): the rows whose time
    is up. action: DELETE or ANONYMISE (personal data: its history is scrubbed
    too; both need the model's PersonalDataKind) or PURGE (logs and sessions:
    the rows simply go). order: its place in the run, among every app's rules."""

    name: str
    model: type
    expired: Callable[[datetime], QuerySet]
    action: str
    order: int


def years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)
