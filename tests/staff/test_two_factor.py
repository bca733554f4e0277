"""Two-factor login: the six digits (or a one-time recovery code) after the
password, and setting up the authenticator app, which every staff member must
do unless 管理者 let them off."""

import contextlib
import re
import time
import unicodedata
from base64 import b32encode

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from shakyo_portal.backoffice.auth_views import PENDING_KEY
from shakyo_portal.staff.models import RecoveryCode
from shakyo_portal.staff.roles import Role
from tests.factories import UserFactory, role_user

PASSWORD = "correct horse battery staple"
LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
TWO_FACTOR = reverse("admin:two_factor")
WRONG_CODE = "番号が違います。"
WRONG_LOGIN_CODE = "確認コードが違います。"


def code(device, steps_ahead=0) -> str:
    """The digits the phone shows now (or that many 30-second steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def wrong_code(device) -> str:
    """Six digits the device refuses now (not even as the previous or next step)."""
    near = {code(device, steps) for steps in (-1, 0, 1)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in near)


def password_step(client, username="clerk", next_url=""):
    url = f"{LOGIN}?next={next_url}" if next_url else LOGIN
    return client.post(url, {"username": username, "password": PASSWORD, "next": next_url})


def code_step(client, digits, next_url=""):
    url = f"{LOGIN}?next={next_url}" if next_url else LOGIN
    return client.post(url, {"step": "code", "code": digits})


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def clerk(db):
    """Let off two-factor login (the factory's default for staff), so the app is
    their own choice."""
    return role_user(Role.OFFICE, username="clerk")


@pytest.fixture
def device(clerk):
    return TOTPDevice.objects.create(user=clerk, name="認証アプリ", confirmed=True)


@pytest.fixture
def client():
    return Client(REMOTE_ADDR="192.0.2.20")


@pytest.fixture
def no_throttle(settings):
    """django_otp makes a second try wait a second after a wrong one; tests
    that mean to try again at once turn that off."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


# --- the second step ------------------------------------------------------


def test_with_an_app_the_password_alone_does_not_log_in(client, device):
    response = password_step(client)
    html = response.content.decode()

    assert response.status_code == 200
    assert response.templates[0].name == "admin/staff/login_code.html"
    assert not logged_in(client)
    assert client.get(INDEX)["Location"].startswith(LOGIN)
    assert '<label for="id_code" class="required">確認コード:</label>' in html
    assert 'autocomplete="one-time-code"' in html
    assert 'aria-describedby="id_code_helptext"' in html and "予備コード" in html


def test_the_right_code_logs_in_verified_and_goes_to_next(client, device):
    changelist = reverse("admin:salons_salon_changelist")
    password_step(client, next_url=changelist)
    response = code_step(client, code(device), next_url=changelist)

    assert response.status_code == 302 and response["Location"] == changelist
    assert client.session["otp_device_id"] == device.persistent_id
    assert PENDING_KEY not in client.session
    assert client.get(INDEX).status_code == 200


def test_a_wrong_code_is_refused_and_the_right_one_still_works(client, device, no_throttle):
    password_step(client)
    response = code_step(client, wrong_code(device))
    html = response.content.decode()
    assert response.status_code == 200 and not logged_in(client)
    assert WRONG_LOGIN_CODE in html and 'role="alert"' in html

    assert code_step(client, code(device))["Location"] == INDEX
    assert logged_in(client)


def test_a_code_right_after_a_wrong_one_waits_for_the_throttle(client, device):
    password_step(client)
    code_step(client, wrong_code(device))

    response = code_step(client, code(device))
    assert response.status_code == 200 and not logged_in(client)
    assert "少し時間をおいてから" in response.content.decode()


def test_five_wrong_codes_end_the_attempt(client, device, no_throttle):
    password_step(client)
    wrong = wrong_code(device)
    responses = [code_step(client, wrong) for _ in range(5)]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 302]
    assert PENDING_KEY not in client.session
    page = client.get(responses[-1]["Location"]).content.decode()
    assert "確認コードを5回間違えたため、ログインを中止しました。" in page

    # Even the right code now needs the password first.
    response = code_step(client, code(device))
    assert response.status_code == 302 and not logged_in(client)


def test_the_second_step_expires(client, device):
    password_step(client)
    session = client.session
    session[PENDING_KEY] = {**session[PENDING_KEY], "until": int(time.time()) - 1}
    session.save()

    response = code_step(client, code(device))
    assert response.status_code == 302 and not logged_in(client)


def test_the_second_step_cannot_be_skipped_to(client, device):
    response = code_step(client, code(device))
    assert response.status_code == 302 and not logged_in(client)


def test_full_width_digits_from_a_phone_keyboard_are_accepted(client, device):
    password_step(client)
    wide = unicodedata.normalize("NFKC", code(device)).translate(
        str.maketrans("0123456789", "０１２３４５６７８９")
    )
    assert code_step(client, wide)["Location"] == INDEX


def test_a_code_that_is_not_six_digits_is_explained(client, device):
    password_step(client)
    response = code_step(client, "12ab")
    assert (
        "確認コードは、認証アプリの6桁の数字か、予備コード（英数字10文字）で入力してください。"
        in response.content.decode()
    )


def test_a_user_deactivated_between_the_steps_is_not_logged_in(client, clerk, device):
    password_step(client)
    clerk.is_active = False
    clerk.save()
    response = code_step(client, code(device))
    assert response.status_code == 302 and not logged_in(client)


def test_cancel_goes_back_to_the_password_step(client, device):
    password_step(client)
    response = client.post(LOGIN, {"step": "cancel"})
    assert response.status_code == 302 and PENDING_KEY not in client.session


# --- required (the default), but not set up yet ------------------------------


@pytest.fixture
def required(clerk):
    """A staff member as 管理者 make one: nobody has let them off."""
    return role_user(Role.OFFICE, username="clerk", two_factor_exempt=False)


def test_required_without_an_app_logs_in_but_only_reaches_the_set_up(client, required):
    response = password_step(client)
    assert response.status_code == 302 and response["Location"] == TWO_FACTOR
    assert logged_in(client)

    response = client.get(INDEX, follow=True)
    assert response.redirect_chain[-1][0] == f"{TWO_FACTOR}?next=%2Fadmin%2F"
    assert response.templates[0].name == "admin/staff/two_factor.html"
    assert client.get(reverse("admin:salons_salon_changelist")).status_code == 302


def admin_pages():
    """The index, every model's list and add page, and the password change."""
    pages = [INDEX, reverse("admin:password_change")]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        for view in ("changelist", "add"):
            # Some admins (the audit trail, the login log) have no add page.
            with contextlib.suppress(NoReverseMatch):
                pages.append(reverse(f"admin:{info[0]}_{info[1]}_{view}"))
    return pages


@pytest.mark.parametrize("make", [False, True], ids=["role", "superuser"])
def test_a_new_staff_account_reaches_only_the_set_up_from_every_admin_page(client, db, make):
    if make:
        user = UserFactory(username="kanri", superuser=True, two_factor_exempt=False)
    else:
        user = role_user(Role.ADMIN, username="kanri", two_factor_exempt=False)
    client.force_login(user)
    pages = admin_pages()
    assert len(pages) > 40
    for page in pages:
        response = client.get(page, follow=True)
        last = response.redirect_chain[-1][0] if response.redirect_chain else page
        assert last.startswith(TWO_FACTOR), page
        assert response.templates[0].name == "admin/staff/two_factor.html", page


def test_a_staff_member_without_a_profile_must_set_it_up_too(client, db):
    user = User.objects.create_user("kanri", password=PASSWORD, is_staff=True)
    client.force_login(user)
    assert client.get(INDEX)["Location"].startswith(LOGIN)
    assert client.get(LOGIN)["Location"] == TWO_FACTOR


def test_an_exempt_account_reaches_the_admin_with_the_password(client, clerk):
    response = password_step(client)
    assert response.status_code == 302 and response["Location"] == INDEX
    assert client.get(INDEX).status_code == 200
    assert client.get(reverse("admin:salons_salon_changelist")).status_code == 200


def test_setting_up_the_app_opens_the_admin(client, required):
    password_step(client)
    page = client.get(f"{TWO_FACTOR}?next=/admin/")
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=required, confirmed=False)

    assert "<svg" in html and "認証アプリで読み取るQRコード" in html
    secret = b32encode(device.bin_key).decode()
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html
    assert "必須（職員は全員、2段階認証でログインします）" in html
    # The Content-Security-Policy allows no inline style.
    assert "<style" not in html and " style=" not in html

    response = client.post(
        f"{TWO_FACTOR}?next=/admin/", {"action": "enrol", "code": code(device), "next": "/admin/"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert response.templates[0].name == "admin/staff/recovery_codes.html"
    assert "2段階認証を設定しました。" in html and "印刷するか紙に書き留めて" in html
    assert 'href="/admin/"' in html and "管理画面へ進む" in html
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(INDEX).status_code == 200


def test_a_wrong_code_does_not_confirm_the_app(client, required, no_throttle):
    password_step(client)
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=required)

    response = client.post(TWO_FACTOR, {"action": "enrol", "code": wrong_code(device)})
    assert response.status_code == 200 and WRONG_CODE in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(INDEX).status_code == 302


def test_reloading_the_set_up_page_keeps_the_same_key(client, required):
    password_step(client)
    client.get(TWO_FACTOR)
    client.get(TWO_FACTOR)
    assert TOTPDevice.objects.filter(user=required).count() == 1


def test_after_setting_up_the_next_login_asks_for_the_code(client, required):
    password_step(client)
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=required)
    client.post(TWO_FACTOR, {"action": "enrol", "code": code(device)})
    client.post(reverse("admin:logout"))

    response = password_step(client)
    assert response.status_code == 200 and not logged_in(client)
    assert response.templates[0].name == "admin/staff/login_code.html"


def test_the_set_up_page_can_log_out(client, required):
    password_step(client)
    response = client.post(TWO_FACTOR, {"action": "logout"})
    assert response["Location"] == LOGIN and not logged_in(client)


# --- the set-up page for everyone else -------------------------------------------


def test_the_set_up_page_needs_a_staff_login(client, db):
    response = client.get(TWO_FACTOR)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_an_unverified_session_cannot_change_the_app(client, clerk, device):
    # A session that never passed the second step (here: forced) must not
    # replace or remove the phone.
    client.force_login(clerk)
    response = client.post(TWO_FACTOR, {"action": "disable", "code": code(device)})
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert TOTPDevice.objects.filter(user=clerk).exists()


def test_a_voluntary_user_can_turn_it_off_with_a_code(client, clerk, device):
    password_step(client)
    code_step(client, code(device))
    page = client.get(TWO_FACTOR).content.decode()
    assert "2段階認証をやめる" in page
    client.post(TWO_FACTOR, {"action": "recovery_codes"})

    # The code used to log in cannot be used twice: the next one.
    response = client.post(TWO_FACTOR, {"action": "disable", "code": code(device, 1)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=clerk).exists()
    assert not RecoveryCode.objects.filter(user=clerk).exists()
    assert client.get(INDEX).status_code == 200


def test_a_required_user_cannot_turn_it_off(client, required, device):
    password_step(client)
    code_step(client, code(device))
    page = client.get(TWO_FACTOR).content.decode()
    assert "必須のため、やめることはできません" in page

    client.post(TWO_FACTOR, {"action": "disable", "code": code(device, 1)})
    assert TOTPDevice.objects.filter(user=required).exists()


def test_a_voluntary_user_can_set_it_up_from_the_admin(client, clerk):
    password_step(client)
    assert client.get(INDEX).status_code == 200
    assert (
        "免除（管理者が設定しています。理由: テスト用）" in client.get(TWO_FACTOR).content.decode()
    )
    device = TOTPDevice.objects.get(user=clerk)
    client.post(TWO_FACTOR, {"action": "enrol", "code": code(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(INDEX).status_code == 200


# --- recovery codes (予備コード) -------------------------------------------------


def enrol(client, user) -> list[str]:
    """Set the app up through the page; the recovery codes it shows, once."""
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(TWO_FACTOR, {"action": "enrol", "code": code(device)})
    return shown_codes(response)


def shown_codes(response) -> list[str]:
    return re.findall(r"<li><code>([a-z0-9-]+)</code></li>", response.content.decode())


def log_out_and_give_password(client):
    client.post(reverse("admin:logout"))
    assert password_step(client).templates[0].name == "admin/staff/login_code.html"


def test_setting_up_the_app_shows_ten_recovery_codes_once_and_keeps_only_hashes(client, required):
    password_step(client)
    codes = enrol(client, required)

    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(re.fullmatch(r"[2-9a-hjkmnp-z]{5}-[2-9a-hjkmnp-z]{5}", c) for c in codes)
    stored = list(RecoveryCode.objects.filter(user=required).values_list("code_hash", flat=True))
    assert len(stored) == 10
    assert not {c.replace("-", "") for c in codes} & set(stored)
    # Nowhere to see them again: the set-up page only counts them.
    page = client.get(TWO_FACTOR).content.decode()
    assert "残り10個" in page and not any(c in page for c in codes)


def test_a_recovery_code_logs_in_once(client, required):
    password_step(client)
    codes = enrol(client, required)
    log_out_and_give_password(client)

    # Typed as people copy from paper: upper case, a space instead of the hyphen.
    response = code_step(client, codes[3].upper().replace("-", " "))
    assert response.status_code == 302 and response["Location"] == INDEX
    assert client.session["otp_device_id"] == TOTPDevice.objects.get(user=required).persistent_id
    page = client.get(INDEX).content.decode()
    assert "予備コードでログインしました。" in page and "残り9個" in page
    entry = LogEntry.objects.get(additional_data__event="recovery_code")
    assert entry.actor == required and entry.object_pk == str(required.pk)

    log_out_and_give_password(client)
    response = code_step(client, codes[3])
    assert response.status_code == 200 and not logged_in(client)
    assert WRONG_LOGIN_CODE in response.content.decode()


def test_a_made_up_recovery_code_is_refused_and_slows_the_next_try(client, required):
    password_step(client)
    enrol(client, required)
    log_out_and_give_password(client)

    response = code_step(client, "abcde-fghjk")
    assert response.status_code == 200 and not logged_in(client)
    assert WRONG_LOGIN_CODE in response.content.decode()
    # django_otp's wait after a wrong try covers recovery codes as well.
    device = TOTPDevice.objects.get(user=required)
    response = code_step(client, code(device, 1))
    assert "少し時間をおいてから" in response.content.decode() and not logged_in(client)


def test_new_recovery_codes_replace_the_old_ones(client, required, no_throttle):
    password_step(client)
    old = enrol(client, required)
    page = client.get(TWO_FACTOR).content.decode()
    assert "新しい予備コードを作る" in page

    response = client.post(TWO_FACTOR, {"action": "recovery_codes"})
    new = shown_codes(response)
    assert len(new) == 10 and not set(new) & set(old)
    assert "これまでの予備コードは、もう使えません。" in response.content.decode()
    assert RecoveryCode.objects.filter(user=required).count() == 10

    log_out_and_give_password(client)
    assert code_step(client, old[0]).status_code == 200 and not logged_in(client)
    assert code_step(client, new[0])["Location"] == INDEX


def test_recovery_codes_cannot_be_made_without_the_second_step(client, clerk, device):
    client.force_login(clerk)
    response = client.post(TWO_FACTOR, {"action": "recovery_codes"})
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert not RecoveryCode.objects.filter(user=clerk).exists()
