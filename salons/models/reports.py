"""実績報告: what the salon actually held in the 年度 of its plan."""

from django.core.validators import MaxValueValidator
from django.db import models

from salons.models.base import MAX_PEOPLE, MAX_SESSIONS
from salons.models.plans import ActivityPlan
from salons.workflow import HANDED_IN, ReportStatus


class ActivityReportQuerySet(models.QuerySet):
    def handed_in(self):
        """Reports that count as sent: a returned one must be sent again."""
        return self.filter(status__in=HANDED_IN)


class ActivityReport(models.Model):
    """実績報告: what the salon actually held in the 年度 of its plan."""

    plan = models.OneToOneField(
        ActivityPlan, verbose_name="活動計画書", on_delete=models.CASCADE, related_name="report"
    )
    status = models.CharField(
        "状態", max_length=10, choices=ReportStatus, default=ReportStatus.SUBMITTED
    )
    sessions_held = models.PositiveSmallIntegerField(
        "開催回数", validators=[MaxValueValidator(MAX_SESSIONS)]
    )
    total_participants = models.PositiveIntegerField(
        "延べ参加者数", validators=[MaxValueValidator(MAX_PEOPLE * MAX_SESSIONS)]
    )
    total_helpers = models.PositiveIntegerField(
        "延べ協力者数", default=0, validators=[MaxValueValidator(MAX_PEOPLE * MAX_SESSIONS)]
    )
    last_held_on = models.DateField("最後に開催した日")
    comments = models.TextField("活動の感想・課題", max_length=2000, blank=True)
    submitted_at = models.DateTimeField("提出日時")
    confirmed_at = models.DateTimeField("確認日時", null=True, blank=True)

    objects = ActivityReportQuerySet.as_manager()

    class Meta:
        verbose_name = "実績報告"
        verbose_name_plural = "実績報告"
        ordering = ["-submitted_at", "-pk"]

    def __str__(self):
        return f"{self.plan.reference} の実績報告"

    @property
    def spending_total(self) -> int:
        return sum(line.amount for line in self.spending_lines.all())
