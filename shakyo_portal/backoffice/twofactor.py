"""When a staff member needs the authenticator app's six digits.

Two-factor login is optional for each staff member and becomes mandatory
when 管理者 requires it for that person (their StaffProfile) or for all staff
(SiteProfile). Once a staff member has confirmed an app, every login asks
for it, required or not.
"""

from django_otp.plugins.otp_totp.models import TOTPDevice

from shakyo_portal.core.models import SiteProfile
from shakyo_portal.staff.models import StaffProfile


def required(user) -> bool:
    if StaffProfile.objects.filter(user=user, two_factor_required=True).exists():
        return True
    return SiteProfile.objects.filter(staff_two_factor_required=True).exists()


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def satisfied(request) -> bool:
    """Has this session passed the second step, or does it not need one?"""
    user = request.user
    if not user.is_authenticated:
        return False
    if user.is_verified():
        return True
    cached = getattr(request, "_two_factor_satisfied", None)
    if cached is None:
        cached = confirmed_device(user) is None and not required(user)
        request._two_factor_satisfied = cached
    return cached
