"""社協だより: issues and their articles."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import ExtractYear
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from news import markdown
from news.models.common import (
    PublicationStatus,
    _now,
    _search,
    delete_files_on_commit,
    delete_replaced_files,
    newsletter_cover_path,
    newsletter_pdf_path,
    stored_names,
)
from shakyo_portal.core.fiscal import fiscal_year, fiscal_year_label
from shakyo_portal.core.precision import DatePrecision, format_partial, normalized, precision_field

FILE_FIELDS = ("pdf", "cover")
MAX_PAGE = 999
PAGE_VALIDATORS = [
    MinValueValidator(1, "ページは1以上の数で入力してください。"),
    MaxValueValidator(MAX_PAGE, f"ページは{MAX_PAGE}までの数で入力してください。"),
]


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

    def archive_order(self):
        """Newest 年度 first and, inside a 年度, by number: an issue known only to its
        年度 has no month to be sorted by, but its number says where it was printed."""
        return self.annotate(
            issued_fiscal_year=ExtractYear("issued_on")
            - Case(When(issued_on__month__lt=4, then=Value(1)), default=Value(0))
        ).order_by("-issued_fiscal_year", "-number")


class NewsletterIssue(models.Model):
    number = models.PositiveIntegerField(
        "号", unique=True, validators=[MinValueValidator(1)], help_text="第68号なら 68"
    )
    issued_on = models.DateField(
        "発行日",
        help_text=(
            "紙面にある発行日。「2019.5」のように月までなら、その月のどの日でもかまいません"
            "（下の「発行日の精度」で「月まで」を選びます）。"
        ),
    )
    issued_on_precision = precision_field(
        "発行日の精度",
        help_text=(
            "紙面に月まで（2019.5）や年度まで（令和元年度）しか書いていないときは、"
            "ここで選びます。公開ページには、分かっているところまでを表示します。"
        ),
        # Most issues are dated by their month (第68号 2019.5.), so a new one starts there.
        default=DatePrecision.MONTH,
    )
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
        before = stored_names(self, FILE_FIELDS)
        super().save(*args, **kwargs)
        delete_replaced_files(self, before)

    def get_absolute_url(self):
        return reverse("news:newsletter", kwargs={"number": self.number})

    def clean(self):
        errors = {}
        if self.cover and not self.cover_alt.strip():
            errors["cover_alt"] = "表紙の画像の説明を入力してください。"
        # Any day of the month (or 年度) is taken to mean the month (or 年度).
        self.issued_on = normalized(self.issued_on, self.issued_on_precision)
        if errors:
            raise ValidationError(errors)

    @property
    def number_label(self) -> str:
        return f"第{self.number}号"

    @property
    def issued_label(self) -> str:
        """令和元年5月, 令和元年度 or 令和元年5月20日: as far as the issue's date is known."""
        return format_partial(self.issued_on, self.issued_on_precision, weekday=False)

    @property
    def year_label(self) -> str:
        """令和元年度（2019年度）: how the archive groups issues. By 年度, because an issue
        known only to its 年度 belongs to no calendar year."""
        return fiscal_year_label(fiscal_year(self.issued_on), western=True)

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
    first_page = models.PositiveSmallIntegerField(
        "ページ（はじめ）",
        null=True,
        blank=True,
        validators=PAGE_VALIDATORS,
        help_text="紙面のページ。P4〜P7 なら 4。",
    )
    last_page = models.PositiveSmallIntegerField(
        "ページ（おわり）",
        null=True,
        blank=True,
        validators=PAGE_VALIDATORS,
        help_text="2ページ以上にわたるときだけ。P4〜P7 なら 7。",
    )
    body = models.TextField(
        "本文",
        blank=True,
        help_text=(
            "Markdown で書けます。見出しは「## 見出し」から。"
            "空欄にすると、もくじに題名とページだけを載せます。"
        ),
    )
    display_order = models.PositiveIntegerField("表示順", default=0)

    class Meta:
        verbose_name = "社協だよりの記事"
        verbose_name_plural = "社協だよりの記事"
        ordering = ["issue", "display_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_page__isnull=True)
                | (Q(first_page__isnull=False) & Q(last_page__gte=F("first_page"))),
                name="newsletter_article_pages_in_order",
                violation_error_message=(
                    "おわりのページは、はじめのページと同じか後のページにしてください。"
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.last_page is None:
            return
        if self.first_page is None:
            raise ValidationError(
                {"first_page": "おわりのページを入れるときは、はじめのページも入力してください。"}
            )
        if self.last_page < self.first_page:
            raise ValidationError(
                {
                    "last_page": (
                        f"おわりのページ（{self.last_page}）が、はじめのページ"
                        f"（{self.first_page}）より前です。"
                    )
                }
            )

    @property
    def pages_label(self) -> str:
        """P4〜P7, P4, or nothing when the page is not known."""
        if self.first_page is None:
            return ""
        if self.last_page is None or self.last_page == self.first_page:
            return f"P{self.first_page}"
        return f"P{self.first_page}〜P{self.last_page}"

    @property
    def has_body(self) -> bool:
        """A もくじ line may have no text on the site: then it has no section to link to."""
        return bool(self.body.strip())

    @property
    def anchor(self) -> str:
        return f"article-{self.pk}"

    @cached_property
    def body_html(self):
        # Shown under the article's own title (an h2).
        return markdown.render(self.body, heading_offset=1)


@receiver(post_delete, sender=NewsletterIssue)
def _delete_issue_files(sender, instance, **kwargs):
    # Also for the admin's bulk delete, which never calls Model.delete().
    for field_name in FILE_FIELDS:
        file = getattr(instance, field_name)
        if file:
            delete_files_on_commit(file.storage, [file.name])
