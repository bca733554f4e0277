"""活動助成: a 年度's rules (`GrantProgram`, `GrantTier`) and the decision on
an approved plan (`Grant`)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from salons.models.base import MAX_PEOPLE, MAX_SESSIONS, amount_field
from shakyo_portal.core.fiscal import fiscal_year_label, fiscal_year_range


class GrantProgram(models.Model):
    """One 年度's 活動助成: when plans are accepted, and the rules for the amount.

    Staff set the rules here; `salons.grants.estimate` applies them.
    """

    # Bounded so a slip like 8 (for 令和8) or 20260 is refused in the admin
    # instead of breaking every page that writes the 年度 in 和暦.
    fiscal_year = models.PositiveIntegerField(
        "年度（西暦）",
        unique=True,
        help_text="令和6年度なら 2024",
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    name = models.CharField("名称", max_length=100, help_text="例: 令和6年度ふれあいサロン活動助成")
    opens_on = models.DateField("受付開始日")
    closes_on = models.DateField("受付締切日")
    report_due_on = models.DateField("実績報告の期限", null=True, blank=True)
    base_amount = amount_field("基本額", default=0)
    late_start_base_amount = amount_field(
        "年度後半に始めるときの基本額",
        null=True,
        blank=True,
        help_text="10月以降に始めるサロンの基本額。空欄なら基本額と同じ。",
    )
    per_participant_amount = amount_field("参加者1人あたりの額", default=0)
    startup_amount = amount_field("立ち上げ額（新規・再開）", default=0)
    cap_amount = amount_field("上限額", null=True, blank=True, help_text="空欄なら上限なし")
    min_sessions = models.PositiveSmallIntegerField(
        "最低開催回数（年）", default=0, validators=[MaxValueValidator(MAX_SESSIONS)]
    )
    min_participants = models.PositiveSmallIntegerField(
        "最低参加者数", default=0, validators=[MaxValueValidator(MAX_PEOPLE)]
    )
    notes = models.TextField("そのほかの条件", blank=True)

    class Meta:
        verbose_name = "活動助成（年度ごとの基準）"
        verbose_name_plural = "活動助成（年度ごとの基準）"
        ordering = ["-fiscal_year"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("salons:program", kwargs={"fiscal_year": self.fiscal_year})

    def clean(self):
        errors = {}
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            errors["closes_on"] = "受付締切日は受付開始日より後にしてください。"
        if errors:
            raise ValidationError(errors)

    @property
    def fiscal_year_label(self) -> str:
        return fiscal_year_label(self.fiscal_year)

    @property
    def period(self) -> tuple[date, date]:
        return fiscal_year_range(self.fiscal_year)

    def is_open_on(self, day: date) -> bool:
        return self.opens_on <= day <= self.closes_on


class GrantTier(models.Model):
    """An amount added for holding at least so many sessions a year."""

    program = models.ForeignKey(
        GrantProgram, verbose_name="活動助成", on_delete=models.CASCADE, related_name="tiers"
    )
    min_sessions = models.PositiveSmallIntegerField(
        "開催回数（年）がこの回数以上", validators=[MaxValueValidator(MAX_SESSIONS)]
    )
    amount = amount_field("加算額")

    class Meta:
        verbose_name = "開催回数による加算"
        verbose_name_plural = "開催回数による加算"
        ordering = ["min_sessions"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "min_sessions"], name="salons_tier_unique_sessions"
            )
        ]

    def __str__(self):
        return f"{self.min_sessions}回以上: {self.amount:,}円"


class GrantStatus(models.TextChoices):
    DECIDED = "decided", "交付決定"
    PAID = "paid", "交付済"
    SETTLED = "settled", "精算済"


class Grant(models.Model):
    """The decision on an approved plan: how much, and whether it has been paid."""

    plan = models.OneToOneField(
        "ActivityPlan", verbose_name="活動計画書", on_delete=models.PROTECT, related_name="grant"
    )
    computed_amount = amount_field("基準による額", editable=False)
    amount = amount_field("交付額")
    adjustment_reason = models.TextField("交付額を変えた理由", blank=True)
    status = models.CharField(
        "状態", max_length=10, choices=GrantStatus, default=GrantStatus.DECIDED
    )
    decided_on = models.DateField("交付決定日")
    paid_on = models.DateField("交付日", null=True, blank=True)
    settled_on = models.DateField("精算日", null=True, blank=True)

    class Meta:
        verbose_name = "助成金"
        verbose_name_plural = "助成金"
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount=models.F("computed_amount")) | ~Q(adjustment_reason=""),
                name="salons_grant_adjustment_has_reason",
            )
        ]

    def __str__(self):
        return f"{self.plan.reference} {self.amount:,}円"

    def clean(self):
        if (
            self.computed_amount is not None
            and self.amount != self.computed_amount
            and not self.adjustment_reason.strip()
        ):
            raise ValidationError(
                {"adjustment_reason": "基準による額と違う額にするときは、理由を書いてください。"}
            )
