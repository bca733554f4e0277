"""What a plan or a report carries: its money lines and its files."""

import secrets

from django.db import models
from django.db.models import Q
from django.urls import reverse

from salons.models.base import amount_field
from shakyo_portal.core import uploads
from shakyo_portal.core.storage import private_storage


class BudgetSide(models.TextChoices):
    INCOME = "income", "収入"
    EXPENSE = "expense", "支出"


INCOME_ITEMS = ["参加費", "助成金", "寄付金", "繰越金", "その他の収入"]
EXPENSE_ITEMS = ["会場費", "材料費", "茶菓代", "保険料", "講師謝礼", "通信費", "その他の支出"]


class BudgetLine(models.Model):
    """A line of the plan's budget (予算) or of the report's actual spending (決算)."""

    plan = models.ForeignKey(
        "ActivityPlan",
        verbose_name="活動計画書",
        on_delete=models.CASCADE,
        related_name="budget_lines",
        null=True,
        blank=True,
    )
    report = models.ForeignKey(
        "ActivityReport",
        verbose_name="実績報告",
        on_delete=models.CASCADE,
        related_name="spending_lines",
        null=True,
        blank=True,
    )
    side = models.CharField("収支", max_length=10, choices=BudgetSide)
    item = models.CharField("費目", max_length=30)
    note = models.CharField("内訳", max_length=100, blank=True)
    amount = amount_field("金額（円）")
    display_order = models.PositiveIntegerField("表示順", default=0)

    class Meta:
        verbose_name = "収支の行"
        verbose_name_plural = "収支の行"
        ordering = ["side", "display_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(plan__isnull=False, report__isnull=True)
                | Q(plan__isnull=True, report__isnull=False),
                name="salons_budget_line_one_owner",
            )
        ]

    def __str__(self):
        return f"{self.get_side_display()} {self.item} {self.amount:,}円"


class AttachmentKind(models.TextChoices):
    PHOTO = uploads.PHOTO, "写真"
    DOCUMENT = uploads.DOCUMENT, "PDF"


def private_attachment_path(instance, filename):
    return f"attachments/{secrets.token_hex(16)}.{filename.rsplit('.', 1)[-1].lower()}"


class Attachment(models.Model):
    """A photo or PDF sent with a plan or a report. Private: served only to staff."""

    plan = models.ForeignKey(
        "ActivityPlan",
        verbose_name="活動計画書",
        on_delete=models.CASCADE,
        related_name="attachments",
        null=True,
        blank=True,
    )
    report = models.ForeignKey(
        "ActivityReport",
        verbose_name="実績報告",
        on_delete=models.CASCADE,
        related_name="attachments",
        null=True,
        blank=True,
    )
    file = models.FileField("ファイル", upload_to=private_attachment_path, storage=private_storage)
    kind = models.CharField("種類", max_length=10, choices=AttachmentKind)
    content_type = models.CharField(max_length=50, editable=False)
    original_name = models.CharField("元のファイル名", max_length=200, blank=True)
    size = models.PositiveIntegerField("大きさ（バイト）", default=0)
    uploaded_at = models.DateTimeField("登録日時", auto_now_add=True)

    class Meta:
        verbose_name = "添付ファイル"
        verbose_name_plural = "添付ファイル"
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(plan__isnull=False, report__isnull=True)
                | Q(plan__isnull=True, report__isnull=False),
                name="salons_attachment_one_owner",
            )
        ]

    def __str__(self):
        return self.original_name or self.file.name

    def get_absolute_url(self):
        return reverse("salons:attachment", kwargs={"pk": self.pk})
