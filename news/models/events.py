"""行事: events, the 配慮 a registrant may ask for, and registrations."""

from datetime import date, datetime, timedelta

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
from news.models.common import (
    MAX_CAPACITY,
    MAX_FEE,
    MAX_PARTY,
    PublicationStatus,
    _now,
    _search,
    _start_of_day,
    flyer_path,
)
from shakyo_portal.core.calendars import CalendarSequence, sequence_field
from shakyo_portal.core.dates import format_date, local_date
from shakyo_portal.core.fields import KanaReadingField, PhoneNumberField
from shakyo_portal.core.models import Office


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
    sequence = sequence_field()

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
