"""The five staff roles and, for every model, what each role may do with it.

This table is the one place the policy is written. The groups get their
Django permissions from it (sync_groups, run after every migrate), and
shakyo_portal.staff.access reads it for everything a permission cannot say:
which rows a role reaches, and who may export.

Letters: v view, a add, c change, d delete, e export (CSV and other
downloads). A lowercase letter reaches every row; an uppercase one only the
rows in the user's own scope — the districts assigned to a 地区担当, and for
a コーディネーター their own activity logs and the councils of their areas.
A model missing from a role's column is out of that role's reach entirely.
"""

from dataclasses import dataclass, field

from django.db import models


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


def _district(path, district_letters, personal=False):
    readers = "v" if personal else "ve"
    return ModelRule(
        district=path,
        personal=personal,
        roles={OFFICE: "vacde", D: district_letters, C: readers, R: readers},
    )


def _council(path, personal=False):
    readers = "v" if personal else "ve"
    return ModelRule(area=path, personal=personal, roles={OFFICE: "vacde", C: "vACD", R: readers})


RULES: dict[str, ModelRule] = {
    # Site settings and accounts.
    "shakyo_portal.siteprofile": ModelRule(roles=SETTINGS),
    "shakyo_portal.privacypolicy": ModelRule(roles=SETTINGS),
    "shakyo_portal.privacypolicysection": ModelRule(roles=SETTINGS),
    "auth.user": ModelRule(personal=True, roles=ADMIN_ONLY),
    "auth.group": ModelRule(roles=ADMIN_ONLY),
    "shakyo_portal.staffprofile": ModelRule(personal=True, roles=ADMIN_ONLY),
    "otp_totp.totpdevice": ModelRule(roles=ADMIN_ONLY),
    "auditlog.logentry": ModelRule(personal=True, roles=AUDIT),
    "axes.accessattempt": ModelRule(personal=True, roles={Role.ADMIN: "vde"}),
    "axes.accesslog": ModelRule(personal=True, roles=AUDIT),
    "axes.accessfailurelog": ModelRule(personal=True, roles=AUDIT),
    # Site-wide content.
    "shakyo_portal.office": ModelRule(roles=CONTENT),
    "shakyo_portal.emergencynotice": ModelRule(roles=CONTENT),
    "shakyo_portal.practiceplan": ModelRule(roles=CONTENT),
    "shakyo_portal.basicgoal": ModelRule(roles=CONTENT),
    "shakyo_portal.policy": ModelRule(roles=CONTENT),
    "shakyo_portal.mainproject": ModelRule(roles=CONTENT),
    "shakyo_portal.planphoto": ModelRule(roles=CONTENT),
    # 地区社協 and ふれあいサロン: a 地区担当 works on their own districts' rows.
    "districts.activitytype": ModelRule(roles=CONTENT),
    "districts.membercategory": ModelRule(roles=CONTENT),
    "districts.district": _district("", "VC"),
    "districts.activity": _district("district", "VACD"),
    "districts.welfarecommitteemember": _district("district", "VACDE", personal=True),
    "salons.targetgroup": ModelRule(roles=CONTENT),
    "salons.salonactivitytype": ModelRule(roles=CONTENT),
    "salons.salon": _district("district", "VACE", personal=True),
    "salons.salonphoto": _district("salon__district", "VACD"),
    "salons.grantprogram": ModelRule(roles=CONTENT),
    "salons.granttier": ModelRule(roles=CONTENT),
    "salons.activityplan": _district("district", "VCE", personal=True),
    "salons.budgetline": _district("plan__district", "VACD", personal=True),
    "salons.attachment": _district("plan__district", "VACD", personal=True),
    "salons.statuschange": _district("plan__district", "V", personal=True),
    "salons.grant": _district("plan__district", "VE", personal=True),
    "salons.activityreport": _district("plan__district", "VCE", personal=True),
    # Coordinators: a コーディネーター writes their own logs, reads everyone's.
    "coordinators.coordinator": ModelRule(roles=CONTENT),
    "coordinators.activitylog": ModelRule(
        personal=True, owner="coordinator__user", roles={OFFICE: "vacde", C: "vACDE", R: "v"}
    ),
    "coordinators.activitylogphoto": ModelRule(
        personal=True, owner="log__coordinator__user", roles={OFFICE: "vacde", C: "vACD", R: "v"}
    ),
    "coordinators.resourcecategory": ModelRule(roles=CONTENT),
    "coordinators.lifescene": ModelRule(roles=CONTENT),
    # Informal resources carry a contact person's name, phone and e-mail.
    "coordinators.resource": ModelRule(personal=True, roles=PERSONAL),
    # 協議体: a コーディネーター keeps the councils of their areas.
    "councils.lifearea": ModelRule(roles=CONTENT),
    "councils.council": ModelRule(area="", roles={OFFICE: "vacde", C: "vCe", R: "ve"}),
    # Representatives' names are published only with consent.
    "councils.councilmember": _council("council", personal=True),
    "councils.meeting": _council("council"),
    "councils.agendaitem": _council("meeting__council"),
    "councils.meetingmaterial": _council("meeting__council"),
    "councils.annualplan": _council("council"),
    "councils.annualplanitem": _council("plan__council"),
    # News, events and the newsletter.
    "news.category": ModelRule(roles=CONTENT),
    "news.post": ModelRule(roles=CONTENT),
    "news.postimage": ModelRule(roles=CONTENT),
    "news.postattachment": ModelRule(roles=CONTENT),
    "news.accommodation": ModelRule(roles=CONTENT),
    "news.event": ModelRule(roles=CONTENT),
    "news.registration": ModelRule(personal=True, roles=PERSONAL),
    "news.newsletterissue": ModelRule(roles=CONTENT),
    "news.newsletterarticle": ModelRule(roles=CONTENT),
}

# Django's own bookkeeping: no role works on these through the admin.
UNMANAGED = {
    "admin.logentry",
    "auth.permission",
    "contenttypes.contenttype",
    "sessions.session",
    "shakyo_portal.staffsession",
}

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
