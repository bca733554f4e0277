"""The five staff roles and, for every model, what each role may do with it.

Each app writes its models' rules in its portal.py (ROLE_RULES), from the
letters and helpers here; RULES is all of them, the one table of the policy.
The groups get their Django permissions from it (sync_groups, run after every
migrate), and shakyo_portal.staff.access reads it for everything a permission
cannot say: which rows a role reaches, and who may export.

Letters: v view, a add, c change, d delete, e export (CSV and other
downloads). A lowercase letter reaches every row; an uppercase one only the
rows in the user's own scope — the districts assigned to a 地区担当, and for
a コーディネーター their own activity logs and the councils of their areas.
A model missing from a role's column is out of that role's reach entirely.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from django.db import models

from shakyo_portal.core import declarations


class Role(models.TextChoices):
    # The value is the group's name, so staff see the same word everywhere.
    ADMIN = "管理者", "管理者"
    OFFICE = "事務局職員", "事務局職員"
    DISTRICT = "地区担当", "地区担当"
    COORDINATOR = "コーディネーター", "コーディネーター"
    READER = "閲覧のみ", "閲覧のみ"


EVERYTHING = "vacde"


@dataclass(frozen=True)
class ModelRule:
    """A model's place in the policy.

    district: lookup path from the model to its District ("" for District itself).
    owner: lookup path from the model to the user who owns the row.
    area: lookup path from the model to its Council ("" for Council itself).
    personal: rows hold personal data (閲覧のみ never exports these).
    roles: the letters for each role other than 管理者 (who has all of them).
    """

    personal: bool = False
    district: str | None = None
    owner: str | None = None
    area: str | None = None
    roles: dict = field(default_factory=dict)

    def letters(self, role: Role) -> str:
        if role == Role.ADMIN:
            return self.roles.get(Role.ADMIN, EVERYTHING)
        return self.roles.get(role, "")


OFFICE, D, C, R = Role.OFFICE, Role.DISTRICT, Role.COORDINATOR, Role.READER

# Public content the office writes: coordinators and the read-only role look.
CONTENT = {OFFICE: "vacde", C: "ve", R: "ve"}
# Site settings and the privacy policy: changed by 管理者 only.
SETTINGS = {OFFICE: "v", C: "v", R: "v"}
# Personal data outside the district scope: the office works with it.
PERSONAL = {OFFICE: "vacde", C: "v", R: "v"}
# User accounts and the audit trail: 管理者 only.
ADMIN_ONLY = {}
# The audit trail is read and exported, never written or removed by hand.
AUDIT = {Role.ADMIN: "ve"}


def by_district(path, district_letters, personal=False):
    """A model a 地区担当 works on in their own districts (`path` leads to its District)."""
    readers = "v" if personal else "ve"
    return ModelRule(
        district=path,
        personal=personal,
        roles={OFFICE: "vacde", D: district_letters, C: readers, R: readers},
    )


def by_council(path, personal=False):
    """A model a コーディネーター keeps for their areas' councils (`path` leads to its Council)."""
    readers = "v" if personal else "ve"
    return ModelRule(area=path, personal=personal, roles={OFFICE: "vacde", C: "vACD", R: readers})


class _Rules(Mapping):
    """{model label: ModelRule}: every app's ROLE_RULES (its portal.py, the
    site's own in shakyo_portal/portal.py), merged when first read, which is
    after start-up: the apps are the ones that know their models."""

    @cached_property
    def _merged(self) -> dict[str, ModelRule]:
        return declarations.collect_mapping("ROLE_RULES")

    def __getitem__(self, label):
        return self._merged[label]

    def __iter__(self):
        return iter(self._merged)

    def __len__(self):
        return len(self._merged)


RULES: Mapping[str, ModelRule] = _Rules()

DJANGO_ACTIONS = {"v": "view", "a": "add", "c": "change", "d": "delete"}


def rule_for(model) -> ModelRule | None:
    return RULES.get(model._meta.label_lower)


def group_permissions(role: Role) -> set[tuple[str, str]]:
    """(app_label, codename) of every Django permission the role's group holds."""
    wanted = set()
    for label, rule in RULES.items():
        app_label, model_name = label.split(".")
        for letter in rule.letters(role).lower():
            if letter in DJANGO_ACTIONS:
                wanted.add((app_label, f"{DJANGO_ACTIONS[letter]}_{model_name}"))
    return wanted


def sync_groups(verbosity: int = 1, stdout=None) -> None:
    """Create the five groups and give each exactly the permissions above.

    Safe to run any number of times: a permission added by hand in the admin
    is taken away again, so the table stays the truth.
    """
    from auditlog.context import disable_auditlog
    from django.contrib.auth.models import Group, Permission

    with disable_auditlog():
        # The table's history is in version control; the audit trail would only
        # repeat it at every migrate.
        _sync(Group, Permission, verbosity, stdout)


def _sync(Group, Permission, verbosity, stdout):
    by_key = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.select_related("content_type")
    }
    for role in Role:
        group, created = Group.objects.get_or_create(name=role.value)
        wanted = [by_key[key] for key in sorted(group_permissions(role)) if key in by_key]
        group.permissions.set(wanted)
        if verbosity and stdout is not None:
            verb = "作成" if created else "更新"
            stdout.write(f"{role.label}: {verb}（権限 {len(wanted)} 件）\n")
