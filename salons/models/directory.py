"""ふれあいサロン as the directory shows them: the salon, its photos, and the
target groups and activity types it is found by."""

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from districts.models import District
from salons.models.base import Schedule
from shakyo_portal.core.fields import KanaReadingField, PhoneNumberField
from shakyo_portal.core.searchtext import SearchText, as_reading


class TargetGroup(models.Model):
    """高齢者, 子育て, 障がいのある方, どなたでも."""

    name = models.CharField("名称", max_length=30, unique=True)
    slug = models.SlugField("URL名", unique=True)
    display_order = models.PositiveIntegerField("表示順", default=0)

    class Meta:
        verbose_name = "対象"
        verbose_name_plural = "対象"
        ordering = ["display_order", "pk"]

    def __str__(self):
        return self.name


class SalonActivityType(models.Model):
    """体操, 茶話会, 手芸, 百歳体操, 会食 …"""

    name = models.CharField("名称", max_length=30, unique=True)
    slug = models.SlugField("URL名", unique=True)
    display_order = models.PositiveIntegerField("表示順", default=0)

    class Meta:
        verbose_name = "サロンの活動内容"
        verbose_name_plural = "サロンの活動内容"
        ordering = ["display_order", "pk"]

    def __str__(self):
        return self.name


class SalonStatus(models.TextChoices):
    PREPARING = "preparing", "準備中"
    ACTIVE = "active", "活動中"
    PAUSED = "paused", "休止中"
    CLOSED = "closed", "終了"


class SalonQuerySet(models.QuerySet):
    def public(self):
        return self.filter(district__in=District.objects.public())

    def listed(self):
        """The directory shows salons one can still go to."""
        return self.public().exclude(status=SalonStatus.CLOSED)

    def in_district(self, district):
        """A district's salons include those of its sub-districts."""
        return self.filter(Q(district=district) | Q(district__parent=district))

    # What the /salons/ keyword finds, as the site search does (salons/portal.py):
    # the name, the venue, its address and what the salon does, held folded in the
    # table's search_text (salons/migrations/0004_search_text.py). Never the
    # organiser's name or contact: a hit would reveal them.
    SEARCH_TEXT = SearchText(title=("name",), text=("venue_name", "venue_address", "description"))

    def mentioning(self, term: str):
        """Salons whose name, venue, address or description has `term` in either
        width (core/searchtext.py), or whose reading has it in either kana."""
        condition = self.SEARCH_TEXT.contains(term)
        if reading := as_reading(term):
            condition |= Q(reading__contains=reading)
        return self.filter(condition)


class Salon(Schedule):
    name = models.CharField("サロン名", max_length=100)
    reading = KanaReadingField("よみがな")
    district = models.ForeignKey(
        District, verbose_name="地区", on_delete=models.PROTECT, related_name="salons"
    )
    venue_name = models.CharField("会場", max_length=100, help_text="例: 中央公会堂")
    venue_address = models.CharField("会場の住所", max_length=200, blank=True)
    latitude = models.DecimalField(
        "緯度",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        "経度",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    description = models.TextField("活動の様子", blank=True)
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name="対象", blank=True, related_name="salons"
    )
    activity_types = models.ManyToManyField(
        SalonActivityType, verbose_name="活動内容", blank=True, related_name="salons"
    )
    fee = models.PositiveIntegerField(
        "参加費（円）",
        null=True,
        blank=True,
        validators=[MaxValueValidator(100_000)],
        help_text="1回あたり。無料は0、未定は空欄。",
    )
    fee_note = models.CharField("参加費の補足", max_length=100, blank=True)
    welcomes_newcomers = models.BooleanField("初めての方も歓迎", default=True)
    status = models.CharField(
        "状態", max_length=10, choices=SalonStatus, default=SalonStatus.ACTIVE
    )
    # The organiser's contact is for staff only: the public asks the 社協 office.
    organiser_name = models.CharField("代表者名", max_length=100, blank=True)
    organiser_phone = PhoneNumberField("代表者の電話番号", blank=True)
    organiser_email = models.EmailField("代表者のメールアドレス", blank=True)
    # Denormalised from the confirmed 実績報告, for staff. Public pages show the
    # coming dates instead: a last date from last year's report reads as closure.
    last_held_on = models.DateField(
        "最終開催日（実績報告から）", null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField("登録日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    objects = SalonQuerySet.as_manager()

    class Meta:
        verbose_name = "ふれあいサロン"
        verbose_name_plural = "ふれあいサロン"
        ordering = ["reading", "pk"]
        indexes = [models.Index(fields=["district", "status"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("salons:detail", kwargs={"pk": self.pk})

    def clean(self):
        errors = self.clean_schedule()
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = "緯度と経度は両方入力するか、両方空欄にしてください。"
        if errors:
            raise ValidationError(errors)

    @property
    def fee_label(self) -> str:
        if self.fee is None:
            label = "お問い合わせください"
        elif self.fee == 0:
            label = "無料"
        else:
            label = f"1回{self.fee:,}円"
        return f"{label}（{self.fee_note}）" if self.fee_note else label


def salon_photo_path(instance, filename):
    # The uploader never chooses the stored name.
    return f"salons/{secrets.token_hex(16)}.{filename.rsplit('.', 1)[-1].lower()}"


class SalonPhoto(models.Model):
    """A public photo of a salon, chosen by staff (re-encoded on upload)."""

    salon = models.ForeignKey(
        Salon, verbose_name="サロン", on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(
        "写真", upload_to=salon_photo_path, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(editable=False, null=True)
    height = models.PositiveIntegerField(editable=False, null=True)
    alt_text = models.CharField(
        "写真の説明",
        max_length=200,
        help_text="画面の読み上げで伝わります。例: 公会堂で体操をする参加者",
    )
    display_order = models.PositiveIntegerField("表示順", default=0)

    class Meta:
        verbose_name = "サロンの写真"
        verbose_name_plural = "サロンの写真"
        ordering = ["display_order", "pk"]

    def __str__(self):
        return self.alt_text
