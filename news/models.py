"""お知らせ (posts), 行事 (events) with their online registrations, and 社協だより.

Everything public here has a publication date that may lie in the future: a
post, event or issue appears on its own when its time comes, with no job
runner, because every public page, feed and search asks `published(now)`.

Registrations hold residents' names and contacts: they are for staff only
and reach no public page, feed or export. Only counts (残りの席) are public.
"""

import secrets
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from councils.models import Council
from districts.models import District
from news import markdown
from shakyo_portal.core.calendars import CalendarSequence
from shakyo_portal.core.dates import era_year_label, format_date, local_date, wareki
from shakyo_portal.core.fields import KanaReadingField, PhoneNumberField
from shakyo_portal.core.models import Office

# Path segments under /news/ that are pages, not category slugs.
RESERVED_CATEGORY_SLUGS = {"posts", "feed", "atom"}
# What one registration may bring; a bigger group calls the office.
MAX_PARTY = 10
MAX_CAPACITY = 100_000
MAX_FEE = 1_000_000


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _start_of_day(now: datetime) -> datetime:
    """Midnight of `now`'s day in Japan."""
    return timezone.make_aware(datetime.combine(timezone.localdate(now), time()))


def _search(queryset, terms, fields):
    """Rows where every term appears in at least one of the fields (case-insensitive)."""
    for term in terms:
        term = term.strip()
        if term:
            condition = Q()
            for field in fields:
                condition |= Q(**{f"{field}__icontains": term})
            queryset = queryset.filter(condition)
    return queryset


def generated_name(prefix: str, filename: str) -> str:
    # The uploader never chooses the stored name.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"news/{prefix}/{secrets.token_hex(16)}.{extension}"


def post_image_path(instance, filename):
    return generated_name("images", filename)


def post_attachment_path(instance, filename):
    return generated_name("files", filename)


def flyer_path(instance, filename):
    return generated_name("flyers", filename)


def newsletter_pdf_path(instance, filename):
    return generated_name("newsletters", filename)


def newsletter_cover_path(instance, filename):
    return generated_name("covers", filename)


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "下書き"
    PUBLISHED = "published", "公開"


def validate_category_slug(value: str):
    if value in RESERVED_CATEGORY_SLUGS:
        raise ValidationError(
            "「%(value)s」はサイトのページの名前に使われているため、URL名にできません。",
            params={"value": value},
        )


# --- お知らせ --------------------------------------------------------------------------


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


class Accommodation(models.Model):
    """要約筆記, 手話通訳, 託児, 車いす可 …: what an event offers and a registrant may need."""

    name = models.CharField("名称", max_length=30, unique=True)
    slug = models.SlugField("URL名", unique=True)
    display_order = models.PositiveIntegerField("表示順", default=0)

    class Meta:
        verbose_name = "配慮・サポート"
        verbose_name_plural = "配慮・サポート"
        ordering = ["display_order", "pk"]

    def __str__(self):
        return self.name


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", "予定"
    CANCELLED = "cancelled", "中止"
    POSTPONED = "postponed", "延期"


class RegistrationKind(models.TextChoices):
    NOT_NEEDED = "none", "不要"
    REQUIRED = "required", "要申込"


class EventQuerySet(models.QuerySet):
    """Searchable text (for the site search): title, description, place, target, organiser."""

    SEARCH_FIELDS = ("title", "description", "place", "target", "organiser")

    def published(self, now: datetime | None = None):
        return self.filter(publication=PublicationStatus.PUBLISHED, published_at__lte=_now(now))

    def scheduled(self, now: datetime | None = None):
        return self.filter(publication=PublicationStatus.PUBLISHED, published_at__gt=_now(now))

    def upcoming(self, now: datetime | None = None):
        """Events not over yet at `now`, soonest first; one without an end time counts
        until the end of its day."""
        now = _now(now)
        return self.filter(
            Q(ends_at__gte=now) | Q(ends_at__isnull=True, starts_at__gte=_start_of_day(now))
        ).order_by("starts_at", "pk")

    def past(self, now: datetime | None = None):
        """Events that are over at `now`, latest first."""
        now = _now(now)
        return self.filter(
            Q(ends_at__lt=now) | Q(ends_at__isnull=True, starts_at__lt=_start_of_day(now))
        ).order_by("-starts_at", "-pk")

    def in_month(self, year: int, month: int):
        """Events that take place (at least partly) in a month of Japan time."""
        zone = timezone.get_current_timezone()
        first = datetime(year, month, 1, tzinfo=zone)
        following = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
        return self.filter(starts_at__lt=following).filter(
            Q(ends_at__gte=first) | Q(ends_at__isnull=True, starts_at__gte=first)
        )

    def search(self, terms):
        return _search(self, terms, self.SEARCH_FIELDS)

    def with_counts(self):
        """Annotates confirmed_people (seats taken) on each event, as a subquery in the same
        query, so later filters over other relations cannot multiply it."""
        taken = (
            Registration.objects.filter(event=OuterRef("pk"), status=RegistrationStatus.CONFIRMED)
            .order_by()
            .values("event")
            .annotate(total=Sum("people"))
            .values("total")
        )
        return self.annotate(
            confirmed_people=Coalesce(Subquery(taken, output_field=models.IntegerField()), 0)
        )

    def for_list(self):
        """An event list: 1 query (events with seats taken), 1 prefetch (accommodations)."""
        return self.with_counts().prefetch_related("accommodations")

    def for_detail(self):
        """One event: 1 query with its district, council and office; 1 prefetch."""
        return (
            self.with_counts()
            .select_related("district", "council", "office")
            .prefetch_related("accommodations")
        )


class Event(CalendarSequence):
    title = models.CharField("行事名", max_length=200)
    description = models.TextField(
        "内容", help_text="Markdown で書けます。見出しは「## 見出し」から。"
    )
    starts_at = models.DateTimeField("開始日時")
    ends_at = models.DateTimeField("終了日時", null=True, blank=True)
    place = models.CharField("会場", max_length=200, help_text="例: 総社市総合福祉センター 2階")
    place_address = models.CharField("会場の住所", max_length=200, blank=True)
    target = models.CharField(
        "対象", max_length=200, blank=True, help_text="例: どなたでも、市内在住の65歳以上の方"
    )
    capacity = models.PositiveIntegerField(
        "定員（人）",
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_CAPACITY)],
        help_text="空欄なら定員なし。",
    )
    fee = models.PositiveIntegerField(
        "参加費（円）", default=0, validators=[MaxValueValidator(MAX_FEE)], help_text="無料は0。"
    )
    fee_note = models.CharField("参加費の補足", max_length=100, blank=True)
    registration = models.CharField(
        "申込", max_length=10, choices=RegistrationKind, default=RegistrationKind.NOT_NEEDED
    )
    registration_deadline = models.DateTimeField(
        "申込の締切",
        null=True,
        blank=True,
        help_text="要申込のとき。空欄なら開始日時まで受け付けます。",
    )
    waitlist = models.BooleanField(
        "定員を超えたらキャンセル待ちで受け付ける",
        default=True,
        help_text="外すと、定員に達した時点で受付を終えます。",
    )
    registration_note = models.CharField(
        "申込の補足",
        max_length=200,
        blank=True,
        help_text="例: お電話（0866-92-8552）でも受け付けます。",
    )
    accommodations = models.ManyToManyField(
        Accommodation, verbose_name="配慮・サポート", blank=True, related_name="events"
    )
    organiser = models.CharField(
        "主催", max_length=100, blank=True, help_text="空欄なら社協の主催として表示します。"
    )
    flyer = models.FileField("チラシ（PDF）", upload_to=flyer_path, blank=True, max_length=255)
    flyer_size = models.PositiveIntegerField("チラシの大きさ", default=0, editable=False)
    status = models.CharField(
        "開催の状態", max_length=10, choices=EventStatus, default=EventStatus.SCHEDULED
    )
    status_note = models.TextField(
        "中止・延期のお知らせ",
        blank=True,
        help_text=(
            "中止・延期のときは必ず入力します（公開されます）。例: 台風の接近のため中止します。"
        ),
    )
    district = models.ForeignKey(
        District,
        verbose_name="関係する地区",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    council = models.ForeignKey(
        Council,
        verbose_name="関係する協議体",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    office = models.ForeignKey(
        Office,
        verbose_name="問合せ窓口",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    publication = models.CharField(
        "公開の状態", max_length=10, choices=PublicationStatus, default=PublicationStatus.DRAFT
    )
    published_at = models.DateTimeField(
        "公開日時",
        default=timezone.now,
        help_text="未来の日時にすると、その時刻に自動で公開されます。",
    )
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = "行事"
        verbose_name_plural = "行事"
        ordering = ["-starts_at", "-pk"]
        indexes = [
            models.Index(fields=["publication", "published_at"]),
            models.Index(fields=["starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="news_event_ends_after_start",
                violation_error_message="終了日時は開始日時より後にしてください。",
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.flyer_size = self.flyer.size if self.flyer else 0
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:event", kwargs={"pk": self.pk})

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = "終了日時は開始日時より後にしてください。"
        if self.is_called_off and not self.status_note.strip():
            errors["status_note"] = "中止・延期のときは、お知らせを入力してください。"
        if self.registration_deadline and self.registration != RegistrationKind.REQUIRED:
            errors["registration_deadline"] = "申込の締切は「要申込」のときだけ入力してください。"
        elif (
            self.registration_deadline
            and self.starts_at
            and self.registration_deadline > self.starts_at
        ):
            errors["registration_deadline"] = "申込の締切は開始日時より前にしてください。"
        if errors:
            raise ValidationError(errors)

    # --- what the pages say ---

    @property
    def is_called_off(self) -> bool:
        return self.status in (EventStatus.CANCELLED, EventStatus.POSTPONED)

    @property
    def needs_registration(self) -> bool:
        return self.registration == RegistrationKind.REQUIRED

    @property
    def fee_label(self) -> str:
        label = "無料" if self.fee == 0 else f"{self.fee:,}円"
        return f"{label}（{self.fee_note}）" if self.fee_note else label

    @property
    def deadline(self) -> datetime:
        return self.registration_deadline or self.starts_at

    @cached_property
    def description_html(self):
        # Shown under the page's 「内容」 heading.
        return markdown.render(self.description, heading_offset=1)

    @property
    def seats_left(self) -> int | None:
        """Needs with_counts(); None when there is no capacity."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.confirmed_people, 0)

    def is_published(self, now: datetime | None = None) -> bool:
        return self.publication == PublicationStatus.PUBLISHED and self.published_at <= _now(now)

    def is_over(self, now: datetime | None = None) -> bool:
        now = _now(now)
        if self.ends_at:
            return self.ends_at < now
        return local_date(self.starts_at) < timezone.localdate(now)

    def registration_closed_reason(self, now: datetime | None = None) -> str:
        """Why the form takes no registration at `now`, or "" while it is open.

        Being full is not a reason here: with a waiting list the form stays open,
        and the registration service decides under a lock.
        """
        now = _now(now)
        if not self.needs_registration:
            return "この行事は申込の必要はありません。当日、直接会場へお越しください。"
        if self.status == EventStatus.CANCELLED:
            return "この行事は中止になったため、申込は受け付けていません。"
        if self.status == EventStatus.POSTPONED:
            return "この行事は延期になったため、申込は受け付けていません。"
        if now >= self.deadline:
            return f"申込の受付は{format_date(self.deadline)}で締め切りました。"
        return ""

    def is_full(self) -> bool:
        """Needs with_counts()."""
        return self.capacity is not None and self.confirmed_people >= self.capacity

    def days(self) -> list[date]:
        """The days (Japan time) this event takes place on."""
        first = local_date(self.starts_at)
        last = local_date(self.ends_at) if self.ends_at else first
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", "申込済"
    WAITLISTED = "waitlisted", "キャンセル待ち"
    CANCELLED = "cancelled", "取消"


class Registration(models.Model):
    """One online registration for an event: personal data, for staff only."""

    event = models.ForeignKey(
        Event, verbose_name="行事", on_delete=models.PROTECT, related_name="registrations"
    )
    serial = models.PositiveIntegerField("受付番号", editable=False)
    name = models.CharField("氏名", max_length=100)
    reading = KanaReadingField("よみがな")
    phone = PhoneNumberField("電話番号", blank=True)
    email = models.EmailField("メールアドレス", blank=True)
    people = models.PositiveSmallIntegerField(
        "人数", default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_PARTY)]
    )
    accommodations = models.ManyToManyField(
        Accommodation, verbose_name="必要な配慮", blank=True, related_name="registrations"
    )
    note = models.TextField("伝えたいこと", blank=True)
    status = models.CharField(
        "状態",
        max_length=10,
        choices=RegistrationStatus,
        default=RegistrationStatus.CONFIRMED,
        editable=False,
    )
    # The one-time token of the form that sent it: a second POST of that form (a double
    # click, a reload) finds this registration instead of making another.
    submission_token = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    consented_at = models.DateTimeField("利用目的への同意", null=True, editable=False)
    created_at = models.DateTimeField("申込日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = "行事の申込"
        verbose_name_plural = "行事の申込"
        ordering = ["event", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["event", "serial"], name="news_registration_serial"),
            models.CheckConstraint(
                condition=Q(people__gte=1) & Q(people__lte=MAX_PARTY),
                name="news_registration_people_in_range",
                violation_error_message=f"人数は1〜{MAX_PARTY}人にしてください。",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.name}"

    @property
    def reference(self) -> str:
        """受付番号 as people read it out on the phone: 12-003."""
        return f"{self.event_id}-{self.serial:03d}"

    @property
    def is_waitlisted(self) -> bool:
        return self.status == RegistrationStatus.WAITLISTED


# --- 社協だより --------------------------------------------------------------------------


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
