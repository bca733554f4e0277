"""What the portal keeps about its staff beyond Django's user: whether they
must use two-factor login, and their open sessions (so deactivating them can
end every one).

The districts a 地区担当 is assigned to are `profile.districts`: the districts
app declares that relation (District.staff_profiles), so the policy core
names no app, not even in its migrations."""

from django.conf import settings
from django.db import models


class StaffProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="ユーザー",
        on_delete=models.CASCADE,
        related_name="staff_profile",
    )
    two_factor_required = models.BooleanField(
        "2段階認証を必須にする",
        default=False,
        help_text="オンにすると、次のログインから認証アプリの6桁の番号が必要になります。",
    )

    class Meta:
        verbose_name = "職員の設定"
        verbose_name_plural = "職員の設定"

    def __str__(self):
        return str(self.user)


class StaffSession(models.Model):
    """One signed-in session of a staff member (written at login, removed at logout)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "ログイン中のセッション"
        verbose_name_plural = "ログイン中のセッション"

    def __str__(self):
        return f"{self.user}（{self.created_at:%Y-%m-%d %H:%M}）"
