"""Coordinators, what they do (活動記録), and the 地域資源 they find and help start.

An `ActivityLog` is internal unless a coordinator publishes it as a report;
public pages and the 見える化 counts read only published logs or aggregates.
A `Resource` is anything in a district that helps people live there: a 通いの場,
a 配食 service, a resident-run help service. Salons are shown among them from
the salons app's own records, so nobody types a salon twice.
"""

import calendar
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from councils.models import Council, Layer, LifeArea
from districts.models import District
from shakyo_portal.core.dates import format_date, format_time, time_range_errors
from shakyo_portal.core.fields import KanaReadingField
from shakyo_portal.core.fiscal import fiscal_year, fiscal_year_range
from shakyo_portal.core.models import Office
from shakyo_portal.core.precision import (
    DatePrecision,
    format_partial,
    is_exact,
    normalized,
    precision_field,
)

MAX_COUNT = 100_000


def count_field(verbose_name):
    return models.PositiveIntegerField(
        verbose_name, default=0, validators=[MaxValueValidator(MAX_COUNT)]
    )


class CoordinatorKind(models.TextChoices):
    LIVING_SUPPORT = "living_support", "生活支援コーディネーター"
    COMMUNITY_WELFARE = "community_welfare", "地域福祉コーディネーター"
    CSW = "csw", "CSW（コミュニティソーシャルワーカー）"


class CoordinatorQuerySet(models.QuerySet):
    def active(self, on: date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(active_from__isnull=True) | Q(active_from__lte=on)).filter(
            Q(active_until__isnull=True) | Q(active_until__gte=on)
        )

    def public(self):
        return self.filter(is_public=True).active()

    def for_index(self):
        """The /coordinators/ page: the coordinators with their office (1 query) and
        3 prefetches: public districts (with parents, for their names), life areas,
        and each area's public layer-2 council (the page an area links to).

        Each coordinator also counts their published reports, for the link to them.
        """
        return (
            self.public()
            .select_related("office")
            # A subquery, not a join: the page's count must not walk every log.
            .annotate(
                report_count=Coalesce(
                    Subquery(
                        ActivityLog.objects.filter(
                            coordinator=OuterRef("pk"), visibility=Visibility.PUBLISHED
                        )
                        .order_by()
                        .values("coordinator")
                        .annotate(n=Count("pk"))
                        .values("n")
                    ),
                    0,
                )
            )
            # An annotated query drops Meta.ordering; the page lists layer 1 first.
            .order_by(*Coordinator._meta.ordering)
            .prefetch_related(
                Prefetch(
                    "districts",
                    # What a link to each needs: its URL name and its name (with its
                    # parent's, for a sub-district).
                    queryset=District.objects.public()
                    .select_related("parent")
                    .only("slug", "name", "parent__name"),
                    to_attr="public_districts",
                ),
                Prefetch(
                    "life_areas",
                    queryset=LifeArea.objects.prefetch_related(
                        Prefetch(
                            "councils",
                            queryset=Council.objects.public().filter(layer=Layer.AREA),
                            to_attr="public_councils",
                        )
                    ),
                    to_attr="covered_areas",
                ),
            )
        )

    def covering(self, district):
        """The public coordinators who cover `district`: named for it, for its parent
        district, or for a life area that contains either. One query."""
        districts = (
            [district.pk] if district.parent_id is None else [district.pk, district.parent_id]
        )
        return (
            self.public()
            .filter(Q(districts__in=districts) | Q(life_areas__districts__in=districts))
            .distinct()
        )


def coordinator_photo_path(instance, filename):
    return f"coordinators/photos/{filename}"


class Coordinator(models.Model):
    display_name = models.CharField(
        "表示名", max_length=50, help_text="公開ページに出る名前（例: 山田 花子、山田）"
    )
    reading = KanaReadingField("よみがな")
    kind = models.CharField("種類", max_length=30, choices=CoordinatorKind)
    layer = models.PositiveSmallIntegerField("層", choices=Layer)
    life_areas = models.ManyToManyField(
        LifeArea, verbose_name="担当する日常生活圏域", blank=True, related_name="coordinators"
    )
    districts = models.ManyToManyField(
        District, verbose_name="担当する地区社協", blank=True, related_name="coordinators"
    )
    photo = models.ImageField("写真", upload_to=coordinator_photo_path, blank=True, max_length=255)
    photo_alt = models.CharField(
        "写真の説明（代替テキスト）", max_length=100, blank=True, help_text="例: 笑顔で話す山田さん"
    )
    message = models.TextField("ひとこと", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="職員アカウント",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinator",
    )
    office = models.ForeignKey(
        Office,
        verbose_name="連絡先の窓口",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinators",
    )
    active_from = models.DateField("担当の開始日", null=True, blank=True)
    active_until = models.DateField("担当の終了日", null=True, blank=True)
    is_public = models.BooleanField("公開する", default=True)
    display_order = models.PositiveIntegerField("表示順", default=0)

    objects = CoordinatorQuerySet.as_manager()

    class Meta:
        verbose_name = "コーディネーター"
        verbose_name_plural = "コーディネーター"
        ordering = ["layer", "display_order", "reading", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_until__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_until__gte=F("active_from")),
                name="coordinator_active_period_in_order",
                violation_error_message="担当の終了日は開始日より後にしてください。",
            ),
        ]

    def __str__(self):
        return f"{self.display_name}（{self.get_kind_display()}）"

    def clean(self):
        errors = {}
        if self.active_from and self.active_until and self.active_until < self.active_from:
            errors["active_until"] = "担当の終了日は開始日より後にしてください。"
        if self.photo and not self.photo_alt.strip():
            errors["photo_alt"] = "写真を載せるときは、写真の説明を入力してください。"
        if errors:
            raise ValidationError(errors)

    @property
    def active_period_label(self) -> str:
        """令和6年4月1日(月)から, 令和6年4月1日(月)〜令和8年3月31日(火), or 期間の定めなし."""
        starts, ends = self.active_from, self.active_until
        if starts and ends:
            return f"{format_date(starts)}〜{format_date(ends)}"
        if starts:
            return f"{format_date(starts)}から"
        if ends:
            return f"{format_date(ends)}まで"
        return "期間の定めなし"


class LogKind(models.TextChoices):
    VISIT = "visit", "個別訪問"
    CONSULTATION = "consultation", "相談対応"
    MEETING = "meeting", "会議・協議体"
    LAUNCH = "launch", "立ち上げ支援"
    TRAINING_HELPERS = "helpers", "担い手養成"
    RESOURCE_DEVELOPMENT = "resource", "資源開発"
    NETWORKING = "network", "ネットワークづくり"
    STUDY = "study", "研修"


class Visibility(models.TextChoices):
    INTERNAL = "internal", "内部記録（職員のみ）"
    PUBLISHED = "published", "活動報告として公開"


class ActivityLogQuerySet(models.QuerySet):
    def published(self):
        """Reports anyone may read: published by a coordinator whose page is public.

        Every public page, feed, sitemap and search starts here.
        """
        return self.filter(visibility=Visibility.PUBLISHED, coordinator__is_public=True)

    def for_fiscal_year(self, fy: int):
        return self.filter(date__range=fiscal_year_range(fy))

    def fiscal_years(self) -> list[int]:
        """The 年度 these logs fall in, newest first.

        One query (the first and last day): the years between are listed even when
        one had no log, which a page then says plainly.
        """
        bounds = self.date_bounds()
        if bounds is None:
            return []
        first, last = bounds
        return list(range(fiscal_year(last), fiscal_year(first) - 1, -1))

    def date_bounds(self) -> tuple[date, date] | None:
        """The first and the last date of these logs, or None: one query.

        Each is the first row of an ordered subquery, which an index on the date
        answers from its ends; MIN and MAX over a join (published() has one) would
        read every log. The outer query reads one row of the table only to carry them.
        """
        first = self.order_by("date").values("date")[:1]
        last = self.order_by("-date").values("date")[:1]
        rows = ActivityLog._base_manager.order_by().values_list(Subquery(first), Subquery(last))[:1]
        for first_date, last_date in rows:
            if first_date is not None:
                return first_date, last_date
        return None

    def in_district(self, district):
        """Logs for `district` or one of its sub-districts."""
        return self.filter(Q(district=district) | Q(district__parent=district))

    def in_life_area(self, life_area):
        """Logs for the area itself or for a district (or sub-district) inside it."""
        inside = District.objects.filter(
            Q(life_areas=life_area) | Q(parent__life_areas=life_area)
        ).values("pk")
        return self.filter(Q(life_area=life_area) | Q(district__in=inside))

    def for_report_list(self):
        """One page of /coordinators/reports/: the reports with coordinator and area
        (1 query) and their photos (1 prefetch)."""
        return (
            self.published()
            .select_related("coordinator", "district__parent", "life_area")
            .prefetch_related(Prefetch("photos", to_attr="photo_list"))
        )

    def for_report_detail(self):
        """One report: with coordinator, area and resource (1 query) and its photos."""
        return self.for_report_list().select_related("resource")


class ActivityLog(models.Model):
    coordinator = models.ForeignKey(
        Coordinator, verbose_name="コーディネーター", on_delete=models.PROTECT, related_name="logs"
    )
    date = models.DateField("活動日")
    # Councils' own reports often give only 「令和元年度に報告会」 or a month.
    date_precision = precision_field("活動日の精度")
    starts_at = models.TimeField(
        "開始時刻", null=True, blank=True, help_text="時間を書くときだけ。例: 10:00"
    )
    ends_at = models.TimeField("終了時刻", null=True, blank=True, help_text="例: 14:00")
    place = models.CharField(
        "会場",
        max_length=100,
        blank=True,
        help_text="公開する記録では、活動報告に載ります。例: コープしろにしセンター特設会場",
    )
    district = models.ForeignKey(
        District,
        verbose_name="地区社協",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinator_logs",
    )
    life_area = models.ForeignKey(
        LifeArea,
        verbose_name="日常生活圏域",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinator_logs",
    )
    kind = models.CharField("活動の種類", max_length=20, choices=LogKind)
    title = models.CharField("件名", max_length=100)
    narrative = models.TextField("内容")
    consultations = count_field("相談件数")
    referrals = count_field("専門機関へのつなぎ件数")
    participants = count_field("参加者数")
    resource = models.ForeignKey(
        "Resource",
        verbose_name="関係する地域資源",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="logs",
    )
    visibility = models.CharField(
        "公開範囲",
        max_length=20,
        choices=Visibility,
        default=Visibility.INTERNAL,
        help_text="公開すると、件名・内容・件数・写真が「活動報告」としてだれでも読めます。",
    )
    # A published report's narrative is public; what must stay inside the office
    # (who asked, what comes next) goes here, so nobody is tempted to write it there.
    staff_notes = models.TextField(
        "職員メモ（非公開）",
        blank=True,
        help_text="公開範囲にかかわらず、公開ページ・集計・検索には出ません。",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登録者",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField("登録日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    objects = ActivityLogQuerySet.as_manager()

    class Meta:
        verbose_name = "活動記録"
        verbose_name_plural = "活動記録"
        ordering = ["-date", "-pk"]
        indexes = [
            # The public pages read only published logs, newest first (the reports
            # list and its pages, feeds, the sitemap), and count them.
            models.Index(
                fields=["-date", "-id"],
                condition=Q(visibility=Visibility.PUBLISHED),
                name="activitylog_published_idx",
            ),
            # One coordinator's published reports: their count on /coordinators/,
            # whether they have any (the reports filter), their list.
            models.Index(
                fields=["coordinator", "-date", "-id"],
                condition=Q(visibility=Visibility.PUBLISHED),
                name="activitylog_published_by_idx",
            ),
            # 見える化 counts every log of a 年度 by kind and place, and finds the
            # first and last date. Every column it counts is in the index, so
            # PostgreSQL answers from the index alone, without reading the logs.
            models.Index(
                fields=[
                    "date",
                    "kind",
                    "district",
                    "life_area",
                    "consultations",
                    "referrals",
                    "participants",
                ],
                name="activitylog_date_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | (Q(starts_at__isnull=False) & Q(ends_at__gt=F("starts_at"))),
                name="activity_log_times_in_order",
                violation_error_message=(
                    "終了時刻は開始時刻より後にしてください（終了時刻だけは入れられません）。"
                ),
            ),
        ]

    def __str__(self):
        return f"{self.date_label} {self.title}"

    def get_absolute_url(self):
        return reverse("coordinators:report", kwargs={"pk": self.pk})

    def clean(self):
        errors = {}
        self.date = normalized(self.date, self.date_precision)
        if self.date and self.date > timezone.localdate():
            errors["date"] = "活動日に未来の日付は入力できません。"
        elif self.date and self.coordinator_id is not None:
            coordinator = self.coordinator
            starts, ends = coordinator.active_from, coordinator.active_until
            first, last = self.date_span
            # A log known only to its month or 年度 fits if any day of it could.
            if (starts and last < starts) or (ends and first > ends):
                errors["date"] = (
                    f"活動日が{coordinator.display_name}さんの担当の期間"
                    f"（{coordinator.active_period_label}）の外です。"
                )
        errors.update(time_range_errors(self.starts_at, self.ends_at))
        if (self.starts_at or self.ends_at) and not is_exact(self.date_precision):
            errors.setdefault(
                "starts_at",
                "時刻を入れるときは、活動日を日付まで入力してください"
                "（活動日の精度を「日付まで分かる」に）。",
            )
        if (
            self.district_id is not None
            and self.life_area_id is not None
            and not self.life_area.districts.filter(
                Q(pk=self.district_id) | Q(children=self.district_id)
            ).exists()
        ):
            errors["district"] = (
                f"{self.district.name}は{self.life_area.name}に含まれていません。"
                "地区社協か日常生活圏域のどちらかだけを選んでください。"
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_published(self) -> bool:
        return self.visibility == Visibility.PUBLISHED

    @property
    def date_span(self) -> tuple[date, date]:
        """The first and last day the log's date may be, as far as it is known."""
        if self.date_precision == DatePrecision.MONTH:
            last_day = calendar.monthrange(self.date.year, self.date.month)[1]
            return self.date.replace(day=1), self.date.replace(day=last_day)
        if self.date_precision == DatePrecision.FISCAL_YEAR:
            return fiscal_year_range(fiscal_year(self.date))
        return self.date, self.date

    @property
    def date_label(self) -> str:
        """令和6年12月17日(火), 令和6年12月 or 令和元年度: only as much as is known."""
        return format_partial(self.date, self.date_precision)

    @property
    def time_label(self) -> str:
        """10:00〜14:00, 10:00〜, or nothing when no time was given."""
        if self.starts_at is None:
            return ""
        if self.ends_at is None:
            return f"{format_time(self.starts_at)}〜"
        return f"{format_time(self.starts_at)}〜{format_time(self.ends_at)}"

    @property
    def public_district(self):
        """The district, unless it is hidden from the public (its name with it)."""
        district = self.district
        if district is None or not district.is_public:
            return None
        if district.parent_id is not None and not district.parent.is_public:
            return None
        return district

    @property
    def area_label(self) -> str:
        """Where the activity was, as the public pages name it."""
        district = self.public_district
        if district is not None:
            return district.title_name
        if self.life_area_id is not None:
            return self.life_area.name
        return "市全域"


def log_photo_path(instance, filename):
    return f"coordinators/logs/{filename}"


class ActivityLogPhoto(models.Model):
    log = models.ForeignKey(
        ActivityLog, verbose_name="活動記録", on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField("写真", upload_to=log_photo_path, max_length=255)
    alt_text = models.CharField(
        "写真の説明（代替テキスト）", max_length=200, help_text="写真に写っていることを短く。"
    )
    caption = models.CharField("キャプション", max_length=200, blank=True)
    display_order = models.PositiveIntegerField("表示順", default=0)

    class Meta:
        verbose_name = "活動記録の写真"
        verbose_name_plural = "活動記録の写真"
        ordering = ["log", "display_order", "pk"]

    def __str__(self):
        return self.alt_text
