"""What the portal keeps about its staff beyond Django's user: whether they
are let off two-factor login (and why), their one-time recovery codes
(予備コード), their open sessions (so deactivating them can end every one),
and who is e-mailed when a resident sends something.

The districts a 地区担当 is assigned to are `profile.districts`: the districts
app declares that relation (District.staff_profiles), so the policy core
names no app, not even in its migrations."""

from django.conf import settings
from django.db import models

from shakyo_portal.staff.roles import Role


class StaffProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="ユーザー",
        on_delete=models.CASCADE,
        related_name="staff_profile",
    )
    # Two-factor login is every staff member's default; letting someone off
    # is a decision 管理者 make for one person and write down (the audit trail
    # keeps who did it, when, and this reason).
    two_factor_exempt = models.BooleanField(
        "2段階認証を免除する",
        default=False,
        help_text=(
            "オンにすると、この職員はパスワードだけでログインできます。"
            "スマートフォンを持てないなど、やむを得ないときだけ使い、理由を書いてください。"
        ),
    )
    two_factor_exempt_reason = models.CharField(
        "免除の理由",
        max_length=200,
        blank=True,
        help_text="例: 業務用のスマートフォンが届くまで（令和8年4月末まで）",
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


class RecoveryCode(models.Model):
    """One of a staff member's one-time codes for a lost or forgotten phone.

    Only a keyed hash is kept (backoffice.twofactor): the codes are shown once,
    and a copy of the database must not be a way past the second step."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "予備コード"
        verbose_name_plural = "予備コード"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "code_hash"], name="shakyo_portal_recoverycode_unique"
            )
        ]

    def __str__(self):
        return f"{self.user}の予備コード"


class NotificationKind(models.TextChoices):
    PLAN_SUBMITTED = "plan_submitted", "活動計画書の提出"
    REPORT_SUBMITTED = "report_submitted", "実績報告の提出"
    EVENT_FULL = "event_full", "行事の満員"
    EVENT_WAITLIST = "event_waitlist", "行事のキャンセル待ち"


class StaffNotification(models.Model):
    """Who among the staff is e-mailed when something arrives from a resident:
    one address (a person's or a shared mailbox) or everyone holding a role.

    Role holders are told only of what their role lets them see in the admin,
    so a 地区担当 hears of the plans and reports of their own districts."""

    kind = models.CharField("知らせること", max_length=20, choices=NotificationKind)
    email = models.EmailField(
        "送り先のメールアドレス",
        blank=True,
        help_text="個人のアドレスのほか、課の共有アドレスも指定できます。",
    )
    role = models.CharField(
        "送り先の役割",
        max_length=20,
        choices=Role,
        blank=True,
        help_text=(
            "その役割を持つ有効な職員のうち、ユーザーにメールアドレスがあり、"
            "管理画面でその記録を見られる人に送ります。"
            "地区担当は担当地区の活動計画書と実績報告だけを受け取ります。"
        ),
    )
    is_active = models.BooleanField(
        "送る", default=True, help_text="外すと、設定を残したまま送るのを止めます。"
    )
    note = models.CharField(
        "メモ", max_length=100, blank=True, help_text="例: 地域福祉課の共有アドレス"
    )

    class Meta:
        verbose_name = "職員へのメール通知"
        verbose_name_plural = "職員へのメール通知"
        ordering = ["kind", "role", "email", "pk"]
        constraints = [
            # One destination per row keeps "stop this one" a single switch.
            models.CheckConstraint(
                condition=(
                    (models.Q(email="") & ~models.Q(role=""))
                    | (~models.Q(email="") & models.Q(role=""))
                ),
                name="shakyo_portal_staffnotification_one_destination",
                violation_error_message=(
                    "送り先は、メールアドレスか役割のどちらか一つを指定してください。"
                ),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.email or self.get_role_display()}"
