"""社協だより: issues and their articles."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from news import markdown
from news.models.common import (
    PublicationStatus,
    _now,
    _search,
    newsletter_cover_path,
    newsletter_pdf_path,
)
from shakyo_portal.core.dates import era_year_label, wareki


class NewsletterIssueQuerySet(models.QuerySet):
    """Searchable text (for the site search): the issue's title and its articles' titles
    and bodies (articles__title, articles__body; use .distinct() after searching)."""

    SEARCH_FIELDS = ("title", "articles__title", "articles__body")

    def published(self, now: datetime | None = None):
        return self.filter(status=PublicationStatus.PUBLISHED, published_at__lte=_now(now))

    def scheduled(self, now: datetime | None = None):
        return self.filter(status=PublicationStatus.PUBLISHED, published_at__gt=_now(now))

    def search(self, terms):
        return _search(self, terms, self.SEARCH_FIELDS).distinct()

    def for_detail(self):
        """One issue: 1 query, 1 prefetch (its articles)."""
        return self.prefetch_related("articles")


class NewsletterIssue(models.Model):
    number = models.PositiveIntegerField(
        "号", unique=True, validators=[MinValueValidator(1)], help_text="第68号なら 68"
    )
    issued_on = models.DateField("発行月", help_text="発行した月の1日を選んでください。")
    title = models.CharField("特集・見出し", max_length=200, blank=True)
    pdf = models.FileField("PDF", upload_to=newsletter_pdf_path, blank=True, max_length=255)
    pdf_size = models.PositiveIntegerField("PDFの大きさ", default=0, editable=False)
    cover = models.ImageField(
        "表紙の画像",
        upload_to=newsletter_cover_path,
        blank=True,
        max_length=255,
        width_field="cover_width",
        height_field="cover_height",
    )
    cover_width = models.PositiveIntegerField(editable=False, null=True)
    cover_height = models.PositiveIntegerField(editable=False, null=True)
    cover_alt = models.CharField(
        "表紙の画像の説明",
        max_length=200,
        blank=True,
        help_text="表紙の画像を入れるときは必ず入力します。例: 敬老会で花束を受け取る参加者",
    )
    status = models.CharField(
        "状態", max_length=10, choices=PublicationStatus, default=PublicationStatus.DRAFT
    )
    published_at = models.DateTimeField("公開日時", default=timezone.now)
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    objects = NewsletterIssueQuerySet.as_manager()

    class Meta:
        verbose_name = "社協だより"
        verbose_name_plural = "社協だより"
        ordering = ["-number"]

    def __str__(self):
        return f"社協だより {self.number_label}"

    def save(self, *args, **kwargs):
        self.pdf_size = self.pdf.size if self.pdf else 0
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:newsletter", kwargs={"number": self.number})

    def clean(self):
        errors = {}
        if self.cover and not self.cover_alt.strip():
            errors["cover_alt"] = "表紙の画像の説明を入力してください。"
        if self.issued_on and self.issued_on.day != 1:
            # Stored as the month; any day of it is taken to mean the month.
            self.issued_on = self.issued_on.replace(day=1)
        if errors:
            raise ValidationError(errors)

    @property
    def number_label(self) -> str:
        return f"第{self.number}号"

    @property
    def month_label(self) -> str:
        """令和8年5月号."""
        return f"{era_year_label(*wareki(self.issued_on))}{self.issued_on.month}月号"

    @property
    def year_label(self) -> str:
        """2026年（令和8年）: how the archive groups issues."""
        return f"{self.issued_on.year}年（{era_year_label(*wareki(self.issued_on))}）"

    def is_published(self, now: datetime | None = None) -> bool:
        return self.status == PublicationStatus.PUBLISHED and self.published_at <= _now(now)


class NewsletterArticle(models.Model):
    """One article of an issue, as text: readable without the PDF and found by the search."""

    issue = models.ForeignKey(
        NewsletterIssue,
        verbose_name="社協だより",
        on_delete=models.CASCADE,
        related_name="articles",
    )
    title = models.CharField("記事の題名", max_length=200)
    page = models.PositiveSmallIntegerField(
        "ページ", null=True, blank=True, validators=[MaxValueValidator(999)]
    )
    body = models.TextField("本文", help_text="Markdown で書けます。見出しは「## 見出し」から。")
    display_order = models.PositiveIntegerField("表示順", default=0)

    class Meta:
        verbose_name = "社協だよりの記事"
        verbose_name_plural = "社協だよりの記事"
        ordering = ["issue", "display_order", "pk"]

    def __str__(self):
        return self.title

    @property
    def anchor(self) -> str:
        return f"article-{self.pk}"

    @cached_property
    def body_html(self):
        # Shown under the article's own title (an h2).
        return markdown.render(self.body, heading_offset=1)
