"""The records that name a person: every app's PERSONAL_DATA (its portal.py),
in their stated order, and the search across them by name, phone or e-mail."""

import re
from functools import cache

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Replace

from shakyo_portal.core import declarations
from shakyo_portal.core.declarations.records import PersonalDataKind, field_label
from shakyo_portal.core.kana import normalize_reading

# A search finding more than this per kind was too loose to act on safely.
LIMIT = 100


@cache
def kinds() -> tuple[PersonalDataKind, ...]:
    """Every kind, in the order the disclosure page shows them."""
    return tuple(declarations.ordered("PERSONAL_DATA"))


@cache
def kinds_by_key() -> dict[str, PersonalDataKind]:
    return {kind.key: kind for kind in kinds()}


def kind_for(model) -> PersonalDataKind:
    return kinds_by_key()[model._meta.label_lower]


label = field_label


def display(obj, name: str):
    """A field's value as a person reads it (choices and related rows by name)."""
    model_field = obj._meta.get_field(name)
    if model_field.many_to_many:
        return "、".join(str(related) for related in getattr(obj, name).all())
    if model_field.choices:
        return getattr(obj, f"get_{name}_display")()
    value = getattr(obj, name)
    if isinstance(value, models.Model):
        return str(value)
    return value


def _without_spaces(name: str):
    return Replace(Replace(F(name), Value(" "), Value("")), Value("\u3000"), Value(""))


def find(
    *, name: str = "", phone: str = "", email: str = ""
) -> list[tuple[PersonalDataKind, list]]:
    """Every record of each kind that matches any of the given facts.

    Names match ignoring spaces (髙﨑 花子 finds 髙﨑花子); a kana query also
    matches readings; phones match by their digits, whatever the grouping.
    """
    name = "".join(name.split())
    try:
        reading = "".join(normalize_reading(name).split())
    except ValidationError:
        reading = ""
    digits = re.sub(r"\D", "", phone)
    email = email.strip()
    found = []
    for kind in kinds():
        aliases, wanted = {}, []
        if name:
            for n in kind.names:
                aliases[f"_bare_{n}"] = _without_spaces(n)
                wanted.append(Q(**{f"_bare_{n}__icontains": name}))
        if reading:
            for n in kind.readings:
                aliases[f"_bare_{n}"] = _without_spaces(n)
                wanted.append(Q(**{f"_bare_{n}__icontains": reading}))
        if digits:
            for n in kind.phones:
                aliases[f"_digits_{n}"] = Replace(F(n), Value("-"), Value(""))
                wanted.append(Q(**{f"_digits_{n}": digits}))
        if email:
            wanted.extend(Q(**{f"{n}__iexact": email}) for n in kind.emails)
        if not wanted:
            continue
        q = wanted[0]
        for other in wanted[1:]:
            q |= other
        rows = list(kind.rows().alias(**aliases).filter(q).order_by("pk")[: LIMIT + 1])
        if rows:
            found.append((kind, rows))
    return found
