"""地域資源: resident-run help services and places, by category and life scene."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from districts.models import District
from salons.models import Salon
from shakyo_portal.core.fields import KanaReadingField, PhoneNumberField, PostalCodeField


class ResourceCategory(models.Model):
    name = models.CharField("名称", max_length=50, unique=True)
    slug = models.SlugField("URL名", unique=True)
    display_order = models.PositiveIntegerField("表示順", default=0)

    class Meta:
        verbose_name = "地域資源の分類"
        verbose_name_plural = "地域資源の分類"
        ordering = ["display_order", "pk"]

    def __str__(self):
        return self.name


class LifeScene(models.Model):
    """The part of daily life a resource helps with: 買い物, 外出, 居場所 …"""

    name = models.CharField("名称", max_length=30, unique=True)
    slug = models.SlugField("URL名", unique=True)
    display_order = models.PositiveIntegerField("表示順", default=0)

    class Meta:
        verbose_name = "暮らしの場面"
        verbose_name_plural = "暮らしの場面"
        ordering = ["display_order", "pk"]

    def __str__(self):
        return self.name


class Formality(models.TextChoices):
    FORMAL = "formal", "公的なサービス"
    INFORMAL = "informal", "住民の支え合い"


class ResourceQuerySet(models.QuerySet):
    def public(self):
        """Resources one may show: public, and not placed in a hidden district."""
        return self.filter(is_public=True).filter(
            Q(district__isnull=True) | Q(district__in=District.objects.public())
        )


class Resource(models.Model):
    name = models.CharField("名称", max_length=100)
    reading = KanaReadingField("よみがな")
    category = models.ForeignKey(
        ResourceCategory, verbose_name="分類", on_delete=models.PROTECT, related_name="resources"
    )
    life_scenes = models.ManyToManyField(
        LifeScene, verbose_name="役立つ暮らしの場面", blank=True, related_name="resources"
    )
    formality = models.CharField("種別", max_length=10, choices=Formality)
    district = models.ForeignKey(
        District,
        verbose_name="地区社協",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
        help_text="市全域で利用できるときは空欄。",
    )
    # A 移動販売 stops at a salon's venue; the salon's page lists it too (salons reach
    # it by this related name, without importing this app).
    salons = models.ManyToManyField(
        Salon,
        verbose_name="立ち寄る・開かれるサロン",
        blank=True,
        related_name="resources",
        help_text="移動販売の停留所になっているサロンなど。サロンのページにもこの地域資源が出ます。",
    )
    summary = models.CharField("一行紹介", max_length=120, blank=True)
    description = models.TextField("紹介", blank=True)
    help_offered = models.TextField(
        "できるお手伝い",
        blank=True,
        help_text="1行に1つ（例: 掃除、買い物の代行、外出時の付き添い）。",
    )
    how_to_ask = models.TextField(
        "利用のしかた", blank=True, help_text="申し込み先、費用、事前の登録など。"
    )
    schedule = models.CharField("開いている日時", max_length=100, blank=True)
    postal_code = PostalCodeField("郵便番号", blank=True)
    address = models.CharField("所在地", max_length=200, blank=True)
    latitude = models.DecimalField(
        "緯度",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(20), MaxValueValidator(46)],
    )
    longitude = models.DecimalField(
        "経度",
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(122), MaxValueValidator(154)],
    )
    contact_name = models.CharField("連絡先の名称", max_length=100, blank=True)
    contact_phone = PhoneNumberField("連絡先の電話番号", blank=True)
    contact_email = models.EmailField("連絡先のメールアドレス", blank=True)
    website = models.URLField("ホームページ", blank=True)
    is_public = models.BooleanField("公開する", default=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        verbose_name = "地域資源"
        verbose_name_plural = "地域資源"
        ordering = ["reading", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="resource_position_has_both_coordinates",
                violation_error_message="緯度と経度は両方入力するか、両方空欄にしてください。",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("resources:detail", kwargs={"pk": self.pk})

    def clean(self):
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(
                {"longitude": "緯度と経度は両方入力するか、両方空欄にしてください。"}
            )

    @property
    def help_items(self) -> list[str]:
        return [line.strip() for line in self.help_offered.splitlines() if line.strip()]
