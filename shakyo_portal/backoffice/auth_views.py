"""Staff login: password, then the authenticator app's six digits (or one
of the recovery codes).

Step one goes through django.contrib.auth, so axes counts every wrong
password and locks that username from that address after
AXES_FAILURE_LIMIT failures; login_limits counts them per username across
all addresses and pauses a username guessed at from many. A staff member
with a confirmed app is not logged in by the password alone: the session
only remembers who passed step one, for a few minutes and a few tries, and
step two logs them in. Everyone else not let off two-factor login logs in
only as far as the page that sets the app up.
"""

import time
import unicodedata
from base64 import b32encode
from functools import partial

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import DEVICE_ID_SESSION_KEY, verify_token
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from shakyo_portal.backoffice import login_limits, twofactor
from shakyo_portal.staff import audit
from shakyo_portal.staff.models import StaffProfile

PENDING_KEY = "staff_login_pending"
# Long enough to unlock a phone and open the app, short enough that a
# half-finished login left on a shared PC is gone by the next person.
PENDING_SECONDS = 5 * 60
MAX_CODE_TRIES = 5
DEVICE_NAME = "認証アプリ"


def locked_out(request, credentials=None, *args, **kwargs):
    """axes calls this when a username has failed too often from this address."""
    from django.contrib import admin

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        **admin.site.each_context(request),
        "title": "ログインできません",
        "minutes": minutes,
    }
    return render(request, "admin/staff/locked_out.html", context, status=429)


class CodeForm(forms.Form):
    required_css_class = "required"
    code = forms.CharField(
        label="確認コード（6桁の数字）",
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "size": 8,
            }
        ),
        error_messages={"required": "認証アプリに表示されている6桁の番号を入力してください。"},
    )

    def clean_code(self):
        # Phones offer full-width digits and people copy "123 456" with the gap.
        code = unicodedata.normalize("NFKC", self.cleaned_data["code"])
        code = "".join(code.split()).replace("-", "")
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError("確認コードは6桁の数字で入力してください。")
        return code


class LoginCodeForm(forms.Form):
    """The second step: the app's six digits, or one of the recovery codes."""

    required_css_class = "required"
    code = forms.CharField(
        label="確認コード",
        max_length=30,
        help_text="認証アプリの6桁の番号か、予備コード（英数字10文字）を入力します。",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
                "size": 12,
            }
        ),
        error_messages={
            "required": "認証アプリに表示されている6桁の番号か、予備コードを入力してください。"
        },
    )

    def clean_code(self):
        # No inputmode="numeric": the recovery codes have letters.
        typed = unicodedata.normalize("NFKC", self.cleaned_data["code"])
        digits = "".join(typed.split()).replace("-", "")
        if digits.isascii() and digits.isdigit() and len(digits) == 6:
            return ("app", digits)
        recovery = twofactor.normalise_recovery_code(typed)
        if recovery is not None:
            return ("recovery", recovery)
        raise forms.ValidationError(
            "確認コードは、認証アプリの6桁の数字か、予備コード（英数字10文字）で入力してください。"
        )


WRONG_CODE = "番号が違います。認証アプリにいま表示されている6桁の番号を入力してください。"
WRONG_LOGIN_CODE = (
    "確認コードが違います。認証アプリにいま表示されている6桁の番号か、"
    "まだ使っていない予備コードを入力してください。"
)
THROTTLED = "番号を続けて間違えたため、少し時間をおいてから入力してください。"
PAUSED = (
    "このユーザー名では、いろいろな場所からのログインの失敗が続いているため、"
    "しばらくログインを受け付けていません。{minutes}分ほどたってから、もう一度お試しください。"
    "急ぐときは管理者に連絡してください。"
)


# --- the login ---------------------------------------------------------------


def login(site, request, extra_context=None):
    """PortalAdminSite.login: the two-step login."""
    return _login(request, site, extra_context or {})


@sensitive_post_parameters("password", "code")
@never_cache
def _login(request, site, extra_context):
    request.current_app = site.name
    next_url = _safe_next(request)
    user = request.user
    if request.method == "GET" and user.is_authenticated and user.is_staff:
        if site.has_permission(request):
            return redirect(next_url or reverse("admin:index", current_app=site.name))
        if _must_enrol(user):
            return redirect(
                _with_next(reverse("admin:two_factor", current_app=site.name), next_url)
            )

    if request.method == "POST" and request.POST.get("step") == "code":
        return _second_step(request, site, extra_context)
    if request.method == "POST" and request.POST.get("step") == "cancel":
        request.session.pop(PENDING_KEY, None)
        return redirect(request.get_full_path())

    username = request.POST.get("username", "") if request.method == "POST" else ""
    known = bool(username) and login_limits.known_here(request, username)
    if username and not known and (seconds := login_limits.seconds_left(username)):
        return _render_paused(request, site, username, next_url, seconds, extra_context)

    form = AdminAuthenticationForm(request, data=request.POST if request.method == "POST" else None)
    if form.is_valid():
        user = form.get_user()
        login_limits.succeeded(username)
        device = twofactor.confirmed_device(user)
        if device is not None:
            request.session[PENDING_KEY] = {
                "user": user.pk,
                "backend": user.backend,
                "device": device.persistent_id,
                "until": int(time.time()) + PENDING_SECONDS,
                "next": next_url,
                "tries": 0,
            }
            response = _render_code_step(request, site, LoginCodeForm(), extra_context)
            login_limits.remember(request, response, user.get_username())
            return response
        auth_login(request, user)
        if twofactor.required(user):
            messages.info(request, "ログインを続けるには、2段階認証の設定が必要です。")
            response = redirect(
                _with_next(reverse("admin:two_factor", current_app=site.name), next_url)
            )
        else:
            response = redirect(next_url or reverse("admin:index", current_app=site.name))
        login_limits.remember(request, response, user.get_username())
        return response
    wrong_password = username and request.POST.get("password") and form.non_field_errors()
    # A browser the username has logged in from is only told the password was wrong.
    if wrong_password and (seconds := login_limits.failed(username)) and not known:
        return _render_paused(request, site, username, next_url, seconds, extra_context)

    context = {
        **site.each_context(request),
        "title": "ログイン",
        "subtitle": None,
        "app_path": request.get_full_path(),
        "username": request.user.get_username(),
        "form": form,
        "next": next_url,
        **extra_context,
    }
    return TemplateResponse(request, "admin/staff/login.html", context)


def _render_paused(request, site, username, next_url, seconds, extra_context):
    # The same page whether or not the username exists.
    minutes = max(1, -(-seconds // 60))
    context = {
        **site.each_context(request),
        "title": "ログイン",
        "subtitle": None,
        "app_path": request.get_full_path(),
        "username": request.user.get_username(),
        "form": AuthenticationForm(request, initial={"username": username}),
        "paused": PAUSED.format(minutes=minutes),
        "next": next_url,
        **extra_context,
    }
    return TemplateResponse(request, "admin/staff/login.html", context, status=429)


def _second_step(request, site, extra_context):
    pending = request.session.get(PENDING_KEY)
    if not pending or pending["until"] < time.time():
        request.session.pop(PENDING_KEY, None)
        messages.error(
            request,
            "確認コードの入力時間が過ぎました。もう一度ユーザー名とパスワードを入力してください。",
        )
        return redirect(request.get_full_path())
    user = (
        get_user_model().objects.filter(pk=pending["user"], is_active=True, is_staff=True).first()
    )
    device = TOTPDevice.from_persistent_id(pending["device"])
    if user is None or device is None or device.user_id != user.pk or not device.confirmed:
        # Deactivated, or the app was reset, since step one.
        request.session.pop(PENDING_KEY, None)
        messages.error(request, "もう一度ユーザー名とパスワードを入力してください。")
        return redirect(request.get_full_path())

    form = LoginCodeForm(request.POST)
    if form.is_valid():
        kind, code = form.cleaned_data["code"]
        if not device.verify_is_allowed()[0]:
            form.add_error("code", THROTTLED)
        elif kind == "app" and verify_token(user, pending["device"], code) is not None:
            return _logged_in(request, site, user, device, pending)
        elif kind == "recovery" and twofactor.use_recovery_code(user, code):
            device.throttle_reset()
            response = _logged_in(request, site, user, device, pending)
            # After the login, so the entry names the staff member.
            audit.record_access(
                request,
                type(user),
                what="予備コードでログイン",
                pks=[user.pk],
                event="recovery_code",
            )
            left = twofactor.recovery_codes_left(user)
            messages.warning(
                request,
                f"予備コードでログインしました。使った予備コードは、もう使えません（残り{left}個）。"
                "スマートフォンが見つからないときは、管理者に2段階認証のリセットを依頼してください。",
            )
            return response
        else:
            if kind == "recovery":
                # The app's throttle slows guesses at recovery codes as well.
                device.throttle_increment()
            form.add_error("code", WRONG_LOGIN_CODE)

    pending["tries"] += 1
    if pending["tries"] >= MAX_CODE_TRIES:
        request.session.pop(PENDING_KEY, None)
        messages.error(
            request,
            f"確認コードを{MAX_CODE_TRIES}回間違えたため、ログインを中止しました。"
            "もう一度ユーザー名とパスワードから入力してください。",
        )
        return redirect(request.get_full_path())
    request.session[PENDING_KEY] = pending
    return _render_code_step(request, site, form, extra_context)


def _logged_in(request, site, user, device, pending):
    del request.session[PENDING_KEY]
    auth_login(request, user, backend=pending["backend"])
    otp_login(request, device)
    return redirect(pending["next"] or reverse("admin:index", current_app=site.name))


def _render_code_step(request, site, form, extra_context):
    context = {
        **site.each_context(request),
        "title": "ログイン（確認コード）",
        "subtitle": None,
        "app_path": request.get_full_path(),
        "form": form,
        "minutes": PENDING_SECONDS // 60,
        **extra_context,
    }
    return TemplateResponse(request, "admin/staff/login_code.html", context)


# --- setting up the authenticator app ----------------------------------------


@sensitive_post_parameters("code")
@never_cache
def two_factor(request, site):
    """Set up, or turn off, the authenticator app, and make new recovery codes.

    Not behind site.admin_view: a staff member who must use two-factor login
    and has no app yet reaches no admin page until they finish here.
    """
    request.current_app = site.name
    user = request.user
    login_url = reverse("admin:login", current_app=site.name)
    if not (user.is_authenticated and user.is_staff):
        return redirect_to_login(request.get_full_path(), login_url)
    next_url = _safe_next(request)
    device = twofactor.confirmed_device(user)
    if device is not None and not user.is_verified():
        # Changing the setting needs the app's digits at login first, or a
        # stolen password alone could replace the phone.
        return redirect_to_login(request.get_full_path(), login_url)
    required = twofactor.required(user)
    action = request.POST.get("action") if request.method == "POST" else None

    if action == "logout":
        auth_logout(request)
        return redirect(login_url)

    form = CodeForm(request.POST if action in ("enrol", "disable") else None)
    if device is None:
        new_device = _enrolment_device(user)
        if action == "enrol" and form.is_valid():
            if _confirm(user, new_device, form.cleaned_data["code"]):
                otp_login(request, new_device)
                # Shown in this answer only: nothing keeps them to show again.
                return _render_recovery_codes(
                    request, site, twofactor.new_recovery_codes(user), next_url, first=True
                )
            form.add_error("code", WRONG_CODE)
    elif action == "recovery_codes":
        return _render_recovery_codes(
            request, site, twofactor.new_recovery_codes(user), next_url, first=False
        )
    elif action == "disable" and not required and form.is_valid():
        if verify_token(user, device.persistent_id, form.cleaned_data["code"]) is not None:
            twofactor.forget_second_factor([user])
            request.session.pop(DEVICE_ID_SESSION_KEY, None)
            messages.success(
                request, "2段階認証をやめました。次回からはパスワードだけでログインします。"
            )
            return redirect(request.get_full_path())
        form.add_error("code", WRONG_CODE)

    context = {
        **site.each_context(request),
        "title": "2段階認証（認証アプリ）",
        "subtitle": None,
        "form": form,
        "app_path": request.get_full_path(),
        "device": device,
        "required": required,
        "exempt_reason": _exempt_reason(user) if not required else "",
        "recovery_codes_left": twofactor.recovery_codes_left(user) if device else 0,
        "next": next_url,
    }
    if device is None:
        context["qr_svg"] = _qr_svg(new_device)
        context["secret"] = _grouped_secret(new_device)
    return TemplateResponse(request, "admin/staff/two_factor.html", context)


def _render_recovery_codes(request, site, codes, next_url, *, first):
    context = {
        **site.each_context(request),
        "title": "2段階認証の予備コード",
        "subtitle": None,
        "codes": codes,
        "first": first,
        "continue_url": next_url or reverse("admin:index", current_app=site.name),
        "two_factor_url": reverse("admin:two_factor", current_app=site.name),
    }
    return TemplateResponse(request, "admin/staff/recovery_codes.html", context)


def _exempt_reason(user) -> str:
    profile = StaffProfile.objects.filter(user=user).first()
    return profile.two_factor_exempt_reason if profile else ""


def _enrolment_device(user) -> TOTPDevice:
    # Reused while unconfirmed, so reloading the page does not invalidate the
    # code the phone has already scanned.
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def _confirm(user, device, code) -> bool:
    if verify_token(user, device.persistent_id, code) is None:
        return False
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.refresh_from_db()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


def _qr_svg(device) -> str:
    # Drawn here rather than by a QR service: the secret never leaves the site.
    # mark_safe: segno writes the markup itself, and no user text goes into it.
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, title="認証アプリで読み取るQRコード", svgclass="two-factor__qr"
    )
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))


def _grouped_secret(device) -> str:
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


# --- helpers -------------------------------------------------------------------


def _must_enrol(user) -> bool:
    return twofactor.confirmed_device(user) is None and twofactor.required(user)


def _safe_next(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def _with_next(url: str, next_url: str) -> str:
    if not next_url:
        return url
    return f"{url}?{urlencode({'next': next_url})}"


def urls(site) -> list:
    return [path("two-factor/", partial(two_factor, site=site), name="two_factor")]
