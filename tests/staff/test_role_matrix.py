"""Every role × every admin model × view, add, change, delete, export, through
the admin itself.

EXPECTED is written out by hand: it is the policy as a reader of the issue
would state it, so a change to shakyo_portal/staff/roles.py (or to a
ModelAdmin's own rules) that moves any cell fails here and must be argued.
Letters: v list and open, a add, c change (a save button), d delete,
e export (the CSV action is offered). "-" nothing.

The 地区担当 here is assigned every district and the コーディネーター every
life area, so their uppercase (own-scope) letters act on the rows used;
what they must not reach is tested in test_scoping.py.
"""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, reverse

from councils.models import LifeArea
from districts.models import District
from shakyo_portal.staff.roles import Role
from tests.factories import CoordinatorFactory, UserFactory, role_user

A, OF, D, C, R = "管理者", "事務局職員", "地区担当", "コーディネーター", "閲覧のみ"
ROLES = {A: Role.ADMIN, OF: Role.OFFICE, D: Role.DISTRICT, C: Role.COORDINATOR, R: Role.READER}

# Public content written by the office; coordinators and readers look and may export it.
CONTENT = {A: "vacde", OF: "vacde", D: "-", C: "ve", R: "ve"}
# The office's own settings: 管理者 changes them, everyone else reads.
SETTINGS = {A: "vac", OF: "v", D: "-", C: "v", R: "v"}
ADMIN_ONLY = {A: "vacde", OF: "-", D: "-", C: "-", R: "-"}
TRAIL = {A: "ve", OF: "-", D: "-", C: "-", R: "-"}
COUNCIL = {A: "vacde", OF: "vacde", D: "-", C: "vacd", R: "ve"}

EXPECTED = {
    # shakyo_portal: SiteProfile is one row, never added twice or removed.
    "shakyo_portal.siteprofile": {A: "vce", OF: "v", D: "-", C: "v", R: "v"},
    "shakyo_portal.privacypolicy": {A: "vacde", OF: "v", D: "-", C: "v", R: "v"},
    "shakyo_portal.staffnotification": ADMIN_ONLY,
    "shakyo_portal.office": CONTENT,
    "shakyo_portal.emergencynotice": CONTENT,
    "shakyo_portal.practiceplan": CONTENT,
    "shakyo_portal.basicgoal": CONTENT,
    "auth.user": ADMIN_ONLY,
    "auth.group": ADMIN_ONLY,
    "otp_totp.totpdevice": ADMIN_ONLY,
    # Mails on their way: the office sees a refused one and sends it again;
    # nobody writes one by hand, 管理者 may remove one handled another way.
    "shakyo_portal.outgoingmail": {A: "vd", OF: "v", D: "-", C: "-", R: "-"},
    "auditlog.logentry": TRAIL,
    "axes.accesslog": TRAIL,
    "axes.accessfailurelog": TRAIL,
    # Deleting a failure count lifts a lockout early.
    "axes.accessattempt": {A: "vde", OF: "-", D: "-", C: "-", R: "-"},
    # 地区社協: the 地区担当 edits their district's page, never adds or removes a district.
    "districts.activitytype": CONTENT,
    "districts.membercategory": CONTENT,
    "districts.district": {A: "vacde", OF: "vacde", D: "vc", C: "ve", R: "ve"},
    "districts.activity": {A: "vacde", OF: "vacde", D: "vacd", C: "ve", R: "ve"},
    # The 町名 a district serves: public facts, kept by its 地区担当 too.
    "districts.districtarea": {A: "vacde", OF: "vacde", D: "vacd", C: "ve", R: "ve"},
    "districts.welfarecommitteemember": {A: "vacde", OF: "vacde", D: "vacde", C: "v", R: "v"},
    # ふれあいサロン
    "salons.targetgroup": CONTENT,
    "salons.salonactivitytype": CONTENT,
    "salons.salon": {A: "vacde", OF: "vacde", D: "vace", C: "v", R: "v"},
    "salons.grantprogram": CONTENT,
    # Plans arrive from organisers (web or paper entry by the office); they are
    # never deleted from the list, only decided.
    "salons.activityplan": {A: "vace", OF: "vace", D: "vce", C: "v", R: "v"},
    # Grants are created by approval and never deleted by hand.
    "salons.grant": {A: "vce", OF: "vce", D: "ve", C: "v", R: "v"},
    "salons.activityreport": {A: "vce", OF: "vce", D: "vce", C: "v", R: "v"},
    # Coordinators: their own logs (the one used here is theirs), everyone's to read.
    "coordinators.coordinator": CONTENT,
    "coordinators.activitylog": {A: "vacde", OF: "vacde", D: "-", C: "vacde", R: "v"},
    "coordinators.resourcecategory": CONTENT,
    "coordinators.lifescene": CONTENT,
    # Informal resources name a contact person: read, never exported, by those outside the office.
    "coordinators.resource": {A: "vacde", OF: "vacde", D: "-", C: "v", R: "v"},
    # 協議体: the coordinator keeps the councils of their areas; the office creates councils.
    "councils.lifearea": CONTENT,
    "councils.council": {A: "vacde", OF: "vacde", D: "-", C: "vce", R: "ve"},
    # Members' representatives are published only with consent: 閲覧のみ does not export them.
    "councils.councilmember": {A: "vacde", OF: "vacde", D: "-", C: "vacd", R: "v"},
    "councils.meeting": COUNCIL,
    "councils.annualplan": COUNCIL,
    # One list of agenda kinds for every council: the office keeps it.
    "councils.agendaitemkind": CONTENT,
    # News: registrations come only from the public form.
    "news.category": CONTENT,
    "news.post": CONTENT,
    "news.accommodation": CONTENT,
    "news.event": CONTENT,
    "news.registration": {A: "vcde", OF: "vcde", D: "-", C: "v", R: "v"},
    "news.newsletterissue": CONTENT,
}


@pytest.fixture(scope="module")
def world(rows_kept_for_the_module):
    """The demo data (a row of nearly every model) plus the rows it lacks.

    Built once for the module's tests, not once a test (tests/conftest.py): each
    test's own writes (sessions, the audit row _one_row may make) are undone after it.
    """
    with rows_kept_for_the_module() as unblocked:
        with unblocked():
            call_command("loaddata", "demo", verbosity=0)
            users = {
                name: role_user(role, username=f"matrix-{role.name.lower()}")
                for name, role in ROLES.items()
            }
            users[D].staff_profile.districts.set(District.objects.all())
            coordinator = CoordinatorFactory(user=users[C], layer=1)
            coordinator.life_areas.set(LifeArea.objects.all())
            _rows_the_demo_lacks(users, coordinator)
        yield users


def _rows_the_demo_lacks(users, coordinator):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from coordinators.models import ActivityLog
    from news.models import Event
    from salons.models import ActivityPlan
    from shakyo_portal.core.models import OutgoingMail
    from shakyo_portal.staff.models import StaffNotification
    from tests.factories import (
        ActivityLogFactory,
        ActivityPlanFactory,
        ActivityReportFactory,
    )
    from tests.news.factories import EventFactory, RegistrationFactory

    TOTPDevice.objects.create(user=users[A], name="app", confirmed=False)
    OutgoingMail.objects.create(to="hanako@example.jp", subject="【受付番号 S-1】")
    StaffNotification.objects.create(kind="plan_submitted", email="office@example.jp")
    ActivityLogFactory(coordinator=coordinator)
    if not ActivityPlan.objects.exists():
        ActivityPlanFactory()
    plan = ActivityPlan.objects.first()
    ActivityReportFactory(plan=plan) if not hasattr(plan, "report") else None
    event = Event.objects.first() or EventFactory()
    RegistrationFactory(event=event)
    seen = {"username": "someone", "ip_address": "192.0.2.1", "user_agent": "t"}
    seen |= {"http_accept": "*/*", "path_info": "/admin/login/"}
    AccessLog.objects.create(**seen)
    AccessFailureLog.objects.create(**seen)
    AccessAttempt.objects.create(**seen, failures_since_start=1, get_data="", post_data="")
    assert ActivityLog.objects.filter(coordinator=coordinator).exists()


def _one_row(model, users):
    """A row the role users may reach at most (the coordinator's own log, a plan with a report)."""
    label = model._meta.label_lower
    qs = model._default_manager.all()
    if label == "coordinators.activitylog":
        qs = qs.filter(coordinator__user=users[C])
    if label == "auditlog.logentry" and not qs.exists():
        # Any change writes one; make sure there is a row to open.
        District.objects.first().save()
    return qs.order_by("pk").first()


def _outcome(client, model, obj) -> str:
    opts = model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}"
    letters = ""
    listing = client.get(reverse(f"{name}_changelist"))
    assert listing.status_code in (200, 302, 403), (opts.label, listing.status_code)
    if listing.status_code == 200:
        letters += "v"
    try:
        add = client.get(reverse(f"{name}_add"))
        if add.status_code == 200:
            letters += "a"
    except NoReverseMatch:
        pass
    if obj is not None:
        change = client.get(reverse(f"{name}_change", args=[obj.pk]))
        if change.status_code == 200 and _offers_change(change, model, obj):
            letters += "c"
        delete = client.get(reverse(f"{name}_delete", args=[obj.pk]))
        if delete.status_code == 200:
            letters += "d"
    if listing.status_code == 200 and 'value="export_csv"' in listing.content.decode():
        letters += "e"
    return letters or "-"


def _offers_change(response, model, obj) -> bool:
    """A save button, or for plans, grants and reports (whose status moves only
    through the workflow buttons) the admin's own answer for this row, which
    the transition views ask too."""
    from django.contrib import admin

    if 'name="_save"' in response.content.decode():
        return True
    model_admin = admin.site.get_model_admin(model)
    if getattr(model_admin, "changed_only_by_workflow", False):
        return model_admin.has_change_permission(response.wsgi_request, obj)
    return False


def _registered():
    from django.contrib import admin

    return {model._meta.label_lower: model for model in admin.site._registry}


def test_every_model_staff_can_open_is_in_the_table():
    registered = _registered()
    # Every model staff can open is in the table, and the table names no ghost.
    assert set(EXPECTED) == set(registered), set(EXPECTED) ^ set(registered)


# One test a model, every role and action in each, over one world for the module:
# the cells spread over the xdist workers, and a failure still lists every wrong cell
# of its model at once.
@pytest.mark.parametrize("label", EXPECTED)
def test_every_role_every_model_every_action(label, world, db):
    registered = _registered()

    clients = {}
    for name, user in world.items():
        clients[name] = Client()
        clients[name].force_login(user)

    wrong = []
    expected = EXPECTED[label]
    model = registered[label]
    obj = _one_row(model, world)
    for role_name, letters in expected.items():
        got = _outcome(clients[role_name], model, obj)
        if got != letters:
            wrong.append(f"{label:40} {role_name:10} expected {letters:6} got {got}")
    assert not wrong, "\n" + "\n".join(wrong)


def test_staff_without_a_role_reach_nothing(db):
    """Permissions given by hand, outside the role groups, open nothing."""
    from django.contrib.auth.models import Permission

    user = UserFactory(username="loose", staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="view_welfarecommitteemember"))
    client = Client()
    client.force_login(user)
    members = reverse("admin:districts_welfarecommitteemember_changelist")
    assert client.get(members).status_code == 403


def test_groups_hold_exactly_the_permissions_in_code(db):
    """sync_groups takes away a permission added by hand in the admin."""
    from django.contrib.auth.models import Permission

    from shakyo_portal.staff.roles import sync_groups

    reader = Group.objects.get(name=Role.READER.value)
    reader.permissions.add(Permission.objects.get(codename="delete_welfarecommitteemember"))
    sync_groups()
    assert not reader.permissions.filter(codename="delete_welfarecommitteemember").exists()
    assert reader.permissions.filter(codename="view_welfarecommitteemember").exists()
    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}


def test_every_kind_of_personal_record_is_marked_personal_in_the_role_table():
    """What the disclosure page treats as a person's data, 閲覧のみ never exports."""
    from shakyo_portal.backoffice.personal_data import kinds
    from shakyo_portal.staff.roles import RULES

    for kind in kinds():
        assert RULES[kind.model_label].personal, kind.model_label
        assert "e" not in RULES[kind.model_label].letters(Role.READER).lower()
