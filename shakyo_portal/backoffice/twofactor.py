"""When a staff member needs the authenticator app's six digits, and the
one-time recovery codes (予備コード) for a lost phone.

Two-factor login is every staff member's default: a password alone opens
nothing in the admin. 管理者 can let one person off (StaffProfile
.two_factor_exempt, with a reason; the audit trail keeps the change). Once a
staff member has confirmed an app, every login asks for it, exempt or not.
"""

import secrets
import unicodedata

from django.db import transaction
from django.utils.crypto import salted_hmac
from django_otp.plugins.otp_totp.models import TOTPDevice

from shakyo_portal.staff.models import RecoveryCode, StaffProfile

RECOVERY_CODE_COUNT = 10
# 10 characters of 31 (no 0/o, 1/l/i to misread on paper): about 49 bits,
# far beyond the handful of tries a login allows.
RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
RECOVERY_LENGTH = 10


def required(user) -> bool:
    return not StaffProfile.objects.filter(user=user, two_factor_exempt=True).exists()


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


# --- recovery codes ----------------------------------------------------------------


def normalise_recovery_code(text: str) -> str | None:
    """The code as stored, from what a person typed ("K7M2P-Q9X4R", full-width,
    with spaces), or None when it cannot be one."""
    code = unicodedata.normalize("NFKC", text).lower()
    code = "".join(code.split()).replace("-", "")
    if len(code) == RECOVERY_LENGTH and all(c in RECOVERY_ALPHABET for c in code):
        return code
    return None


def _hash(code: str) -> str:
    # Keyed with SECRET_KEY: a stolen copy of the database alone cannot be
    # searched for the codes (49 bits hashed plainly could be).
    return salted_hmac("shakyo_portal.recovery_code", code, algorithm="sha256").hexdigest()


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """A fresh set, replacing any earlier one; returned for showing once."""
    RecoveryCode.objects.filter(user=user).delete()
    codes = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add("".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH)))
    codes = sorted(codes)
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, code_hash=_hash(c)) for c in codes)
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def use_recovery_code(user, code: str) -> bool:
    """True once for each code: the row is deleted by the one request that
    finds it, so two logins racing with the same code cannot both pass."""
    deleted, _ = RecoveryCode.objects.filter(user=user, code_hash=_hash(code)).delete()
    return deleted > 0


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(user=user).count()


def forget_second_factor(users) -> None:
    """The app and the recovery codes go together (管理者's reset)."""
    TOTPDevice.objects.filter(user__in=users).delete()
    RecoveryCode.objects.filter(user__in=users).delete()
