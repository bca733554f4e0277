"""Staff sessions that end: after inactivity, at browser close, at logout, and
when the user is deactivated.

Every staff login is recorded as a StaffSession row, so deactivating a user
can delete each of their sessions from the session store instead of waiting
for them to expire.
"""

import time
from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.auth.views import redirect_to_login
from django.db.models.signals import post_save, pre_save
from django.urls import reverse

from shakyo_portal.staff.models import StaffSession

SEEN_KEY = "staff_last_seen"
RECORDED_KEY = "staff_session_key"
# The session is written at most this often just to move the idle clock.
TOUCH_EVERY = 60


def idle_seconds() -> int:
    return settings.STAFF_IDLE_MINUTES * 60


class IdleStaffSessionMiddleware:
    """Log out a staff member whose last request was more than STAFF_IDLE_MINUTES ago."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Public visitors without a session are left alone: looking at the
        # user would add "Vary: Cookie" to pages that are the same for all.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            now = int(time.time())
            last = request.session.get(SEEN_KEY, now)
            if now - last > idle_seconds():
                logout(request)
                # A public page simply goes on as for any visitor; only the
                # staff side sends them back to log in.
                if request.path.startswith(reverse("admin:index")):
                    return self._back_to_login(request)
            elif now - last >= TOUCH_EVERY or SEEN_KEY not in request.session:
                request.session[SEEN_KEY] = now
        response = self.get_response(request)
        _follow_new_key(request)
        return response

    def _back_to_login(self, request):
        messages.info(
            request,
            f"{settings.STAFF_IDLE_MINUTES}分間操作がなかったため、ログアウトしました。"
            "もう一度ログインしてください。",
        )
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))


def _follow_new_key(request) -> None:
    """A password change or a plan's access grant gives the session a new key;
    the registry follows it, so ending the user's sessions still reaches it."""
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    if session is None or user is None or not (user.is_authenticated and user.is_staff):
        return
    key, recorded = session.session_key, session.get(RECORDED_KEY)
    if key and key != recorded:
        if recorded:
            StaffSession.objects.filter(session_key=recorded).delete()
        StaffSession.objects.get_or_create(session_key=key, defaults={"user": user})
        session[RECORDED_KEY] = key


def end_sessions(user) -> int:
    """Delete every recorded session of the user; returns how many."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = list(StaffSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    StaffSession.objects.filter(user=user).delete()
    return len(keys)


def _remember_session(sender, request, user, **kwargs):
    if not user.is_staff or request is None or not hasattr(request, "session"):
        return
    if request.session.session_key is None:
        request.session.save()
    request.session[SEEN_KEY] = int(time.time())
    # The cookie ends with the browser (a shared office PC), and the idle
    # clock above ends the stored session even while the browser stays open.
    request.session.set_expiry(0)
    StaffSession.objects.get_or_create(
        session_key=request.session.session_key, defaults={"user": user}
    )
    request.session[RECORDED_KEY] = request.session.session_key


def _forget_session(sender, request, user, **kwargs):
    if request is not None and getattr(request, "session", None) is not None:
        key = request.session.session_key
        if key:
            StaffSession.objects.filter(session_key=key).delete()


def _note_deactivation(sender, instance, **kwargs):
    if instance.pk is None:
        instance._was_active = False
        return
    instance._was_active = type(instance).objects.filter(pk=instance.pk, is_active=True).exists()


def _end_sessions_of_deactivated(sender, instance, created, raw=False, **kwargs):
    if not raw and getattr(instance, "_was_active", False) and not instance.is_active:
        end_sessions(instance)


def connect_signals() -> None:
    user_model = get_user_model()
    user_logged_in.connect(_remember_session, dispatch_uid="staff_remember_session")
    user_logged_out.connect(_forget_session, dispatch_uid="staff_forget_session")
    pre_save.connect(_note_deactivation, sender=user_model, dispatch_uid="staff_note_deactivation")
    post_save.connect(
        _end_sessions_of_deactivated, sender=user_model, dispatch_uid="staff_end_sessions"
    )
