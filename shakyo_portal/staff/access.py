"""Who may reach which rows: the one set of predicates the admin, the
staff-only views and every export ask.

can(user, action, obj) answers for one row, reach(user, action, queryset)
narrows a queryset to the rows the user may act on, and both read the
letters in shakyo_portal.staff.roles. A superuser counts as 管理者.
"""

from collections.abc import Callable
from functools import reduce
from operator import or_

from django.db.models import Q

from shakyo_portal.staff.roles import RULES, Role, rule_for

ACTIONS = ("view", "add", "change", "delete", "export")
LETTER = {"view": "v", "add": "a", "change": "c", "delete": "d", "export": "e"}

# What the scopes are made of belongs to the apps that keep that data, so this
# module names no app: districts registers "districts" (user -> the ids of the
# districts assigned to them, sub-districts included) and coordinators
# registers "areas" (user -> (life area ids, whether they work at 第1層)).
_SCOPES: dict[str, Callable] = {}


def register_scope(name: str, resolver: Callable) -> None:
    """Called from an app's declaration module (its portal.py) at start-up."""
    _SCOPES[name] = resolver


def _resolve(name: str, user, nothing):
    # An unregistered scope reaches no row: a missing app narrows, never widens.
    resolver = _SCOPES.get(name)
    return nothing if resolver is None else resolver(user)


# Cached on the user object: a request asks many times.
_ROLES_ATTR = "_staff_roles"
_DISTRICTS_ATTR = "_staff_district_ids"
_AREAS_ATTR = "_staff_area_q"


def roles(user) -> frozenset[Role]:
    if not (user and user.is_authenticated and user.is_active):
        return frozenset()
    cached = getattr(user, _ROLES_ATTR, None)
    if cached is None:
        if user.is_superuser:
            cached = frozenset({Role.ADMIN})
        else:
            names = set(user.groups.values_list("name", flat=True))
            cached = frozenset(role for role in Role if role.value in names)
        setattr(user, _ROLES_ATTR, cached)
    return cached


def is_admin(user) -> bool:
    """管理者 (or a superuser): users, site settings and the audit trail."""
    return Role.ADMIN in roles(user)


def district_ids(user) -> frozenset[int]:
    """The districts assigned to the user, with their sub-districts."""
    cached = getattr(user, _DISTRICTS_ATTR, None)
    if cached is None:
        cached = frozenset(_resolve("districts", user, ()))
        setattr(user, _DISTRICTS_ATTR, cached)
    return cached


def _area_q(user, path: str) -> Q:
    """The councils a コーディネーター keeps: those of their life areas, and the
    whole-city (第1層) councils when they are a 第1層 coordinator."""
    cached = getattr(user, _AREAS_ATTR, None)
    if cached is None:
        areas, first_layer = _resolve("areas", user, ((), False))
        cached = (frozenset(areas), first_layer)
        setattr(user, _AREAS_ATTR, cached)
    areas, first_layer = cached
    prefix = f"{path}__" if path else ""
    q = Q(**{f"{prefix}life_area__in": areas})
    if first_layer:
        q |= Q(**{f"{prefix}layer": 1, f"{prefix}life_area__isnull": True})
    return q


def _scope_q(user, role: Role, model) -> Q | None:
    """The rows an uppercase letter reaches for this role, or None for no rows."""
    rule = rule_for(model)
    if role == Role.DISTRICT and rule.district is not None:
        path = f"{rule.district}__in" if rule.district else "pk__in"
        return Q(**{path: district_ids(user)})
    if role == Role.COORDINATOR and rule.owner is not None:
        return Q(**{rule.owner: user})
    if role == Role.COORDINATOR and rule.area is not None:
        return _area_q(user, rule.area)
    return None


ALL = object()


def _reach_q(user, action: str, model):
    """ALL, a Q narrowing the rows, or None when the user reaches no row."""
    rule = rule_for(model)
    if rule is None:
        return ALL if is_admin(user) else None
    letter = LETTER[action]
    scoped = []
    for role in roles(user):
        letters = rule.letters(role)
        if letter in letters:
            return ALL
        if letter.upper() in letters:
            q = _scope_q(user, role, model)
            if q is not None:
                scoped.append(q)
    if not scoped:
        return None
    return reduce(or_, scoped)


def allows(user, action: str, model) -> bool:
    """May the user do this to some rows of the model (a list, an add form)?"""
    if action == "export" and not _may_export_kind(user, model):
        return False
    return _reach_q(user, action, model) is not None


def reach(user, action: str, queryset):
    """The rows of the queryset the user may act on."""
    if action == "export" and not _may_export_kind(user, queryset.model):
        return queryset.none()
    q = _reach_q(user, action, queryset.model)
    if q is ALL:
        return queryset
    if q is None:
        return queryset.none()
    return queryset.filter(q)


def can(user, action: str, obj) -> bool:
    """May the user do this to this row?"""
    if action == "export" and not _may_export_kind(user, type(obj)):
        return False
    q = _reach_q(user, action, type(obj))
    if q is ALL:
        return True
    if q is None or obj.pk is None:
        return False
    return type(obj)._default_manager.filter(q, pk=obj.pk).exists()


def _may_export_kind(user, model) -> bool:
    # 閲覧のみ reads personal data but never takes it away: the letter table
    # gives the role no "e" on personal models, and this keeps it so even if a
    # later edit of the table slipped one in.
    rule = rule_for(model)
    if rule is None:
        return is_admin(user)
    return not (rule.personal and roles(user) == frozenset({Role.READER}))


def anchor_choices(user, model, related_queryset):
    """What a row of `model` may be attached to through the field that puts it
    in a scope: a 地区担当's own districts, a coordinator's own coordinator
    record, the councils of their areas. Unscoped roles may choose any."""
    rule = rule_for(model)
    scoped = []
    for role in roles(user):
        letters = rule.letters(role)
        if "a" in letters or "c" in letters:
            return related_queryset
        if "A" not in letters and "C" not in letters:
            continue
        if role == Role.DISTRICT and rule.district is not None:
            scoped.append(Q(pk__in=district_ids(user)))
        elif role == Role.COORDINATOR and rule.owner is not None:
            scoped.append(Q(user=user))
        elif role == Role.COORDINATOR and rule.area is not None:
            scoped.append(_area_q(user, ""))
    if not scoped:
        return related_queryset.none()
    return related_queryset.filter(reduce(or_, scoped))


def staff_session(request) -> bool:
    """A signed-in, active staff member who has passed every login step
    (two-factor included): the condition for staff pages outside the admin too."""
    from django.contrib import admin

    return admin.site.has_permission(request)


def visible(user, queryset):
    return reach(user, "view", queryset)


def managed_labels() -> set[str]:
    return set(RULES)
