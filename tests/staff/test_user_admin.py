"""The user admin: 管理者 only, roles and two-factor at a glance, letting one
person off two-factor login (with a reason, in the audit trail), the actions
that end sessions and reset two-factor login, and password rules."""

import re

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from shakyo_portal.backoffice import twofactor
from shakyo_portal.staff import audit
from shakyo_portal.staff.models import RecoveryCode, StaffProfile, StaffSession
from shakyo_portal.staff.roles import Role
from tests.factories import DistrictFactory, UserFactory, role_user

PASSWORD = "correct horse battery staple"
CHANGELIST = reverse("admin:auth_user_changelist")
INDEX = reverse("admin:index")
TWO_FACTOR = reverse("admin:two_factor")


def change_url(user):
    return reverse("admin:auth_user_change", args=[user.pk])


def log_in(username, address="192.0.2.40"):
    client = Client(REMOTE_ADDR=address)
    response = client.post(reverse("admin:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def kanri(db):
    """A 管理者 (in the group, not a superuser)."""
    return role_user(Role.ADMIN, username="kanri")


@pytest.fixture
def admin_client(kanri):
    client = Client()
    client.force_login(kanri)
    return client


@pytest.fixture
def clerk(db):
    return role_user(Role.OFFICE, username="clerk")


def column(html, name, row_user):
    """The text of one list column in the row of one user."""
    rows = re.findall(r"<tr>.*?</tr>", html, re.S)
    (row,) = [row for row in rows if f">{row_user.username}</a>" in row]
    return re.search(rf'<td class="field-{name}">(.*?)</td>', row, re.S).group(1)


def change_form(user, **changes):
    """What the change form posts for the user as it is, with the changes."""
    joined = timezone.localtime(user.date_joined)
    profile = StaffProfile.objects.filter(user=user).first()
    data = {
        "username": user.username,
        "last_name": user.last_name,
        "first_name": user.first_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
        "groups": [g.pk for g in user.groups.all()],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": joined.strftime("%Y-%m-%d"),
        "date_joined_1": joined.strftime("%H:%M:%S"),
        "staff_profile-TOTAL_FORMS": "1",
        "staff_profile-INITIAL_FORMS": "1" if profile else "0",
        "staff_profile-MIN_NUM_FORMS": "0",
        "staff_profile-MAX_NUM_FORMS": "1",
        "staff_profile-0-id": profile.pk if profile else "",
        "staff_profile-0-user": user.pk,
        "staff_profile-0-districts": [d.pk for d in profile.districts.all()] if profile else [],
        "staff_profile-0-two_factor_exempt": "on" if profile and profile.two_factor_exempt else "",
        "staff_profile-0-two_factor_exempt_reason": (
            profile.two_factor_exempt_reason if profile else ""
        ),
    }
    data.update(changes)
    return data


def post_change(client, user, **changes):
    response = client.post(change_url(user), change_form(user, **changes))
    if response.status_code != 302:
        errors = response.context["adminform"].form.errors
        inline = [f.errors for f in response.context["inline_admin_formsets"][0].formset]
        pytest.fail(f"the change form was refused: {errors} {inline}")
    return response


def run_action(client, action, users):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [u.pk for u in users], "index": 0},
    )


# --- who reaches it ----------------------------------------------------------------


def test_admin_role_reaches_the_user_admin(admin_client, clerk):
    assert admin_client.get(CHANGELIST).status_code == 200
    assert admin_client.get(change_url(clerk)).status_code == 200
    assert admin_client.get(reverse("admin:auth_user_add")).status_code == 200


def test_office_staff_are_refused(clerk, kanri):
    client = Client()
    client.force_login(clerk)
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url(kanri)).status_code == 403
    assert (
        client.get(reverse("admin:auth_user_password_change", args=[kanri.pk])).status_code == 403
    )
    assert run_action(client, "deactivate", [kanri]).status_code == 403
    kanri.refresh_from_db()
    assert kanri.is_active


# --- the list ---------------------------------------------------------------------------


def test_the_list_shows_roles_and_two_factor(admin_client, clerk, kanri):
    with_app = role_user(Role.DISTRICT, username="chiku")
    TOTPDevice.objects.create(user=with_app, name="認証アプリ", confirmed=True)
    newcomer = role_user(Role.READER, username="newcomer", two_factor_exempt=False)
    # An app still being set up does not count.
    TOTPDevice.objects.create(user=newcomer, name="認証アプリ", confirmed=False)
    no_profile = UserFactory(username="noprofile")

    html = admin_client.get(CHANGELIST).content.decode()
    assert column(html, "roles", clerk) == "事務局職員"
    assert column(html, "roles", with_app) == "地区担当"
    assert column(html, "two_factor", with_app) == "有効"
    assert column(html, "two_factor", newcomer) == "未設定"
    assert column(html, "two_factor", no_profile) == "未設定"
    assert column(html, "two_factor", kanri) == "免除"


def test_the_list_costs_the_same_queries_for_more_users(admin_client, clerk):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(CHANGELIST).status_code == 200
        return len(captured)

    few = queries()
    for n in range(4):
        role_user(Role.READER, username=f"reader{n}")
    assert queries() == few


# --- the change form ----------------------------------------------------------------------


def test_choosing_a_role_turns_staff_status_on(admin_client, db):
    volunteer = UserFactory(username="volunteer")
    office = Group.objects.get(name=Role.OFFICE.value)

    response = post_change(admin_client, volunteer, groups=[office.pk])
    volunteer.refresh_from_db()
    assert volunteer.is_staff
    page = admin_client.get(response["Location"]).content.decode()
    assert "役割を選んだため、「スタッフ権限」をオンにしました。" in page


def test_a_user_without_a_role_keeps_staff_status_off(admin_client, db):
    volunteer = UserFactory(username="volunteer")
    post_change(admin_client, volunteer, last_name="山田")
    volunteer.refresh_from_db()
    assert not volunteer.is_staff and volunteer.last_name == "山田"


def test_districts_are_set_on_the_user(admin_client, clerk):
    district = DistrictFactory()
    post_change(admin_client, clerk, **{"staff_profile-0-districts": [district.pk]})
    profile = StaffProfile.objects.get(user=clerk)
    assert list(profile.districts.all()) == [district]
    # The history names the change as the form does, though the districts app
    # declares the relation.
    (entry,) = [
        e for e in LogEntry.objects.get_for_object(profile) if "districts" in e.changes_dict
    ]
    (change,) = audit.describe(entry)["changes"]
    assert change == {"field": "担当地区", "old": "", "new": str(district)}


def test_deactivating_in_the_form_ends_the_users_sessions(admin_client, clerk):
    victim = log_in("clerk")
    post_change(admin_client, clerk, is_active="")
    assert victim.get(INDEX).status_code == 302
    assert not StaffSession.objects.filter(user=clerk).exists()


# --- actions --------------------------------------------------------------------------------


def test_end_sessions_logs_the_user_out_everywhere(admin_client, clerk):
    phones = [log_in("clerk"), log_in("clerk", address="198.51.100.2")]
    bystander = log_in("kanri", address="198.51.100.3")

    response = run_action(admin_client, "end_sessions", [clerk])
    assert response.status_code == 302
    for phone in phones:
        assert phone.get(INDEX).status_code == 302
    assert bystander.get(INDEX).status_code == 200
    entry = LogEntry.objects.get(object_repr="セッションを終了")
    assert entry.additional_data["pks"] == [str(clerk.pk)]


def test_deactivate_ends_sessions_but_never_the_admins_own(admin_client, kanri, clerk):
    victim = log_in("clerk")
    response = run_action(admin_client, "deactivate", [clerk, kanri])

    assert "自分自身は無効にできない" in admin_client.get(response["Location"]).content.decode()
    clerk.refresh_from_db()
    kanri.refresh_from_db()
    assert not clerk.is_active and kanri.is_active
    assert victim.get(INDEX).status_code == 302
    assert admin_client.get(INDEX).status_code == 200


def test_reset_two_factor_removes_the_app_and_the_recovery_codes(admin_client, clerk):
    reader = role_user(Role.READER, username="reader")
    TOTPDevice.objects.create(user=clerk, name="認証アプリ", confirmed=True)
    TOTPDevice.objects.create(user=reader, name="認証アプリ", confirmed=True)
    twofactor.new_recovery_codes(clerk)
    twofactor.new_recovery_codes(reader)
    run_action(admin_client, "reset_two_factor", [clerk])

    assert not TOTPDevice.objects.filter(user=clerk).exists()
    assert not RecoveryCode.objects.filter(user=clerk).exists()
    assert TOTPDevice.objects.filter(user=reader).exists()
    assert RecoveryCode.objects.filter(user=reader).count() == 10
    assert LogEntry.objects.filter(object_repr="2段階認証をリセット").count() == 1
    # With the app gone, the password alone logs the (exempt) clerk in again.
    assert log_in("clerk").get(INDEX).status_code == 200


def test_after_a_reset_a_staff_member_who_is_not_exempt_sets_the_app_up_again(admin_client, db):
    newcomer = role_user(Role.READER, username="newcomer", two_factor_exempt=False)
    TOTPDevice.objects.create(user=newcomer, name="認証アプリ", confirmed=True)
    run_action(admin_client, "reset_two_factor", [newcomer])
    client = log_in("newcomer")
    assert client.get(INDEX, follow=True).redirect_chain[-1][0].startswith(TWO_FACTOR)


# --- letting someone off two-factor login -----------------------------------------------------


def test_an_exemption_needs_a_reason_and_keeps_what_was_typed(admin_client, db):
    newcomer = role_user(Role.READER, username="newcomer", two_factor_exempt=False)
    response = admin_client.post(
        change_url(newcomer),
        change_form(newcomer, last_name="新人", **{"staff_profile-0-two_factor_exempt": "on"}),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "2段階認証を免除するときは、理由を書いてください。" in html
    assert 'value="新人"' in html
    assert not StaffProfile.objects.get(user=newcomer).two_factor_exempt


def test_an_exemption_lets_the_password_alone_in_and_is_in_the_audit_trail(admin_client, kanri):
    newcomer = role_user(Role.READER, username="newcomer", two_factor_exempt=False)
    assert log_in("newcomer").get(INDEX).status_code == 302
    page = admin_client.get(change_url(newcomer)).content.decode()
    assert 'for="id_staff_profile-0-two_factor_exempt">2段階認証を免除する' in page
    assert '<label for="id_staff_profile-0-two_factor_exempt_reason">免除の理由:' in page

    reason = "業務用のスマートフォンが届くまで"
    post_change(
        admin_client,
        newcomer,
        **{
            "staff_profile-0-two_factor_exempt": "on",
            "staff_profile-0-two_factor_exempt_reason": f"  {reason} ",
        },
    )
    profile = StaffProfile.objects.get(user=newcomer)
    assert profile.two_factor_exempt and profile.two_factor_exempt_reason == reason
    assert log_in("newcomer").get(INDEX).status_code == 200

    entry = LogEntry.objects.get_for_object(profile).filter(actor=kanri).latest("timestamp")
    changes = {c["field"]: (c["old"], c["new"]) for c in audit.describe(entry)["changes"]}
    assert changes["2段階認証を免除する"] == ("False", "True")
    assert changes["免除の理由"] == ("", reason)
    # 管理者 find it in the audit trail, under the user's name.
    trail = admin_client.get(reverse("admin:auditlog_logentry_changelist"), {"q": "newcomer"})
    assert "2段階認証を免除する" in trail.content.decode()
    detail = admin_client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk]))
    assert reason in detail.content.decode()


def test_ending_an_exemption_clears_the_reason_and_the_next_login_sets_the_app_up(
    admin_client, clerk
):
    post_change(
        admin_client,
        clerk,
        **{
            "staff_profile-0-two_factor_exempt": "",
            "staff_profile-0-two_factor_exempt_reason": "x",
        },
    )
    profile = StaffProfile.objects.get(user=clerk)
    assert not profile.two_factor_exempt and profile.two_factor_exempt_reason == ""
    client = log_in("clerk")
    assert client.get(INDEX, follow=True).redirect_chain[-1][0].startswith(TWO_FACTOR)


# --- passwords --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Kx9#mq2Lp", "このパスワードは短すぎます。最低 12 文字以上必要です。"),
        ("password1234", "このパスワードは一般的すぎます。"),
        ("830192746150", "このパスワードは数字しか使われていません。"),
    ],
)
def test_weak_passwords_are_refused_in_japanese(admin_client, clerk, password, message):
    url = reverse("admin:auth_user_password_change", args=[clerk.pk])
    response = admin_client.post(url, {"password1": password, "password2": password})
    assert response.status_code == 200
    assert message in response.content.decode()
    clerk.refresh_from_db()
    assert clerk.check_password(PASSWORD)


def test_a_long_passphrase_is_accepted_and_ends_the_old_sessions(admin_client, clerk):
    victim = log_in("clerk")
    url = reverse("admin:auth_user_password_change", args=[clerk.pk])
    passphrase = "sakura blooms over the river"
    response = admin_client.post(url, {"password1": passphrase, "password2": passphrase})
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password(passphrase)
    # The session hash no longer matches: the old login is over.
    assert victim.get(INDEX).status_code == 302


def test_a_superusers_exemption_is_shown_but_not_changeable_by_a_kanri(admin_client, db):
    boss = UserFactory(username="root", superuser=True)
    StaffProfile.objects.get(user=boss).districts.set([DistrictFactory(name="北地区")])
    response = admin_client.get(change_url(boss))
    html = response.content.decode()
    assert response.status_code == 200 and 'name="_save"' not in html
    assert "北地区" in html and "テスト用" in html
    assert 'name="staff_profile-0-two_factor_exempt"' not in html
