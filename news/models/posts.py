"""お知らせ: categories, posts and their images and attachments."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from districts.models import District
from news import markdown
from news.models.common import (
    PublicationStatus,
    _now,
    _search,
    post_attachment_path,
    post_image_path,
    validate_category_slug,
)
from shakyo_portal.core.dates import local_date


class Category(models.Model):
    """お知らせ, 地域づくり, ボランティア, 生活支援体制整備事業, 福祉委員 …"""

    name = models.CharField("名称", max_length=50, unique=True)
    slug = models.SlugField(
        "URL名",
        unique=True,
        validators=[validate_category_slug],
        help_text="半角英数字とハイフン。例: volunteer",
    )
    display_order = models.PositiveIntegerField("表示順", default=0)

    class Meta:
        verbose_name = "お知らせの分類"
        verbose_name_plural = "お知らせの分類"
        ordering = ["display_order", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("news:category", kwargs={"slug": self.slug})


class PostQuerySet(models.QuerySet):
    """Searchable text (for the site search): title, summary and body (Markdown source)."""

    SEARCH_FIELDS = ("title", "summary", "body")

    def published(self, now: datetime | None = None):
        """What the public may see at `now`: 公開, its time has come, and not yet ended."""
        now = _now(now)
        return self.filter(status=PublicationStatus.PUBLISHED, published_at__lte=now).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now)
        )

    def scheduled(self, now: datetime | None = None):
        """Set to 公開 with a time still to come: they will appear on their own."""
        return self.filter(status=PublicationStatus.PUBLISHED, published_at__gt=_now(now))

    def pinned(self):
        return self.filter(is_pinned=True)

    def search(self, terms):
        return _search(self, terms, self.SEARCH_FIELDS)

    def for_list(self):
        """A list of posts: 1 query with the category; pinned ones first, then newest."""
        return self.select_related("category").order_by("-is_pinned", "-published_at", "-pk")

    def for_detail(self):
        """One post: 1 query with the category, and 3 prefetches (districts, images, files)."""
        return self.select_related("category").prefetch_related(
            models.Prefetch("districts", queryset=District.objects.order_by("display_order")),
            "images",
            "attachments",
        )


class Post(models.Model):
    title = models.CharField("題名", max_length=200)
    slug = models.SlugField(
        "URL名",
        unique=True,
        blank=True,
        max_length=80,
        help_text="半角英数字とハイフン。空欄なら公開日から自動で付けます（例: 20261122-1）。",
    )
    category = models.ForeignKey(
        Category, verbose_name="分類", on_delete=models.PROTECT, related_name="posts"
    )
    summary = models.CharField(
        "要約",
        max_length=200,
        blank=True,
        help_text="一覧やフィードに出す短い説明。空欄なら本文の最初を使います。",
    )
    body = models.TextField(
        "本文",
        help_text=(
            "Markdown で書けます。見出しは「## 見出し」、リンクは [行き先がわかる言葉](アドレス)、"
            "箇条書きは行頭に「- 」。"
        ),
    )
    districts = models.ManyToManyField(
        District, verbose_name="関係する地区", blank=True, related_name="news_posts"
    )
    is_pinned = models.BooleanField(
        "一覧の先頭に固定する", default=False, help_text="大事なお知らせをいつも上に出します。"
    )
    status = models.CharField(
        "状態", max_length=10, choices=PublicationStatus, default=PublicationStatus.DRAFT
    )
    published_at = models.DateTimeField(
        "公開日時",
        default=timezone.now,
        help_text="未来の日時にすると、その時刻に自動で公開されます。",
    )
    ends_at = models.DateTimeField(
        "掲載終了日時",
        null=True,
        blank=True,
        help_text="この日時を過ぎると公開ページから消えます。",
    )
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = "お知らせ"
        verbose_name_plural = "お知らせ"
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("published_at")),
                name="news_post_ends_after_publication",
                violation_error_message="掲載終了日時は公開日時より後にしてください。",
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._free_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:post", kwargs={"slug": self.slug})

    def clean(self):
        if self.ends_at and self.published_at and self.ends_at <= self.published_at:
            raise ValidationError({"ends_at": "掲載終了日時は公開日時より後にしてください。"})

    def _free_slug(self) -> str:
        """20261122-1, 20261122-2 …: the publication day and the first free number."""
        day = local_date(self.published_at or timezone.now()).strftime("%Y%m%d")
        taken = set(Post.objects.filter(slug__startswith=f"{day}-").values_list("slug", flat=True))
        number = 1
        while f"{day}-{number}" in taken:
            number += 1
        return f"{day}-{number}"

    def is_published(self, now: datetime | None = None) -> bool:
        now = _now(now)
        return (
            self.status == PublicationStatus.PUBLISHED
            and self.published_at <= now
            and (self.ends_at is None or self.ends_at > now)
        )

    @property
    def published_on(self) -> date:
        """The day it was published, in Japan: what the lists show."""
        return local_date(self.published_at)

    @cached_property
    def body_html(self):
        return markdown.render(self.body)

    @cached_property
    def excerpt(self) -> str:
        return self.summary or markdown.excerpt(self.body)


class PostImage(models.Model):
    """A photo shown with the post (re-encoded on upload, so no location data survives)."""

    post = models.ForeignKey(
        Post, verbose_name="お知らせ", on_delete=models.CASCADE, related_name="images"
    )
    image = models.ImageField(
        "画像",
        upload_to=post_image_path,
        width_field="width",
        height_field="height",
        max_length=255,
    )
    width = models.PositiveIntegerField(editable=False, null=True)
    height = models.PositiveIntegerField(editable=False, null=True)
    alt_text = models.CharField(
        "画像の説明（代替テキスト）",
        max_length=200,
        help_text="画面の読み上げで伝わります。例: 公会堂で体操をする参加者",
    )
    caption = models.CharField("キャプション", max_length=200, blank=True)
    display_order = models.PositiveIntegerField("表示順", default=0)

    class Meta:
        verbose_name = "お知らせの画像"
        verbose_name_plural = "お知らせの画像"
        ordering = ["display_order", "pk"]

    def __str__(self):
        return self.alt_text

    def clean(self):
        if not self.alt_text.strip():
            raise ValidationError({"alt_text": "画像の説明を入力してください。"})


class PostAttachment(models.Model):
    post = models.ForeignKey(
        Post, verbose_name="お知らせ", on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField("資料名", max_length=200, help_text="例: 申込書（PDF）")
    file = models.FileField("ファイル（PDF）", upload_to=post_attachment_path, max_length=255)
    size = models.PositiveIntegerField("大きさ（バイト）", default=0, editable=False)
    display_order = models.PositiveIntegerField("表示順", default=0)

    class Meta:
        verbose_name = "お知らせの添付ファイル"
        verbose_name_plural = "お知らせの添付ファイル"
        ordering = ["display_order", "pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.file:
            self.size = self.file.size
        super().save(*args, **kwargs)


# --- 行事 ------------------------------------------------------------------------------
