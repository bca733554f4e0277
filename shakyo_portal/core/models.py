"""The council itself: its name and contact details, the offices people call,
the emergency notices it puts above every page, its 地域福祉実践計画 and its
個人情報保護方針.

Staff edit these in the admin; templates never hard-code them.
"""

import json
from datetime import date, datetime, time
from functools import cached_property

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, StringAgg, Subquery, Value
from django.db.models.functions import Cast, JSONObject
from django.urls import reverse
from django.utils import timezone

from shakyo_portal.core import office_hours
from shakyo_portal.core.dates import format_date, format_time
from shakyo_portal.core.fields import KanaReadingField, PhoneNumberField, PostalCodeField
from shakyo_portal.core.fiscal import fiscal_year_label


class SiteProfileQuerySet(models.QuerySet):
    def for_shell(self, now: datetime | None = None):
        """The profile every page shows, in one query that also tells whether an
        emergency notice is current, so a page without one (nearly always)
        spends no query on notices. The about page's text is left out."""
        return self.defer("introduction").annotate(
            has_emergency_notice=Exists(EmergencyNotice.objects.current(now))
        )


class SiteProfile(models.Model):
    name = models.CharField("法人名", max_length=100, help_text="例: 総社市社会福祉協議会")
    reading = KanaReadingField(
        "法人名のよみがな",
        blank=True,
        help_text="ふりがなを表示するときに使います。例: そうじゃししゃかいふくしきょうぎかい",
    )
    short_name = models.CharField("略称", max_length=50, help_text="例: 総社市社協")
    tagline = models.CharField("キャッチフレーズ", max_length=200, blank=True)
    postal_code = PostalCodeField("郵便番号", blank=True)
    address = models.CharField("所在地", max_length=200, blank=True)
    phone = PhoneNumberField("代表電話", blank=True)
    fax = PhoneNumberField("代表FAX", blank=True)
    email = models.EmailField("代表メールアドレス", blank=True)
    introduction = models.TextField(
        "社協の紹介",
        blank=True,
        help_text="「社協について」のページの最初に表示します。段落は空行で区切ります。",
    )
    objects = SiteProfileQuerySet.as_manager()

    class Meta:
        verbose_name = "社協の基本情報"
        verbose_name_plural = "社協の基本情報"

    def __str__(self):
        return self.name


class OfficeQuerySet(models.QuerySet):
    def in_footer(self):
        return self.filter(show_in_footer=True)

    def with_hours(self):
        """The offices with what their hours and numbers are made of, in the same
        query: every page lists the footer's offices, and three prefetches would
        be three more queries on every page of the site."""
        return self.annotate(
            hours_periods_json=_rows_as_json(OfficeHoursPeriod, PERIOD_FIELDS),
            special_days_json=_rows_as_json(OfficeSpecialDay, SPECIAL_DAY_FIELDS),
            phones_json=_rows_as_json(OfficePhone, PHONE_FIELDS),
        )


PERIOD_FIELDS = ["weekday", "opens", "closes"]
SPECIAL_DAY_FIELDS = ["date", "kind", "label", "opens", "closes"]
PHONE_FIELDS = ["label", "number", "display_order", "id"]


def _rows_as_json(model, fields: list[str]) -> Subquery:
    """An office's rows of `model` as one text column: a JSON object per row,
    joined by commas (JSON escapes whatever staff typed). In no order: SQLite
    before 3.44 cannot order inside an aggregate, so the reader sorts."""
    row = Cast(JSONObject(**{name: name for name in fields}), models.TextField())
    return Subquery(
        model.objects.filter(office=OuterRef("pk"))
        .order_by()
        .values("office")
        .annotate(rows=StringAgg(row, Value(",")))
        .values("rows")
    )


def _as_time(value) -> time | None:
    return time.fromisoformat(value) if isinstance(value, str) else value


def _as_date(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


MONTHS = [MinValueValidator(1), MaxValueValidator(12)]
DAYS = [MinValueValidator(1), MaxValueValidator(31)]


def _month_day_field(name: str, default: int, validators) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        name, null=True, blank=True, default=default, validators=validators
    )


class Office(models.Model):
    name = models.CharField("窓口名", max_length=100, help_text="例: 地域共生推進課")
    postal_code = PostalCodeField("郵便番号", blank=True)
    address = models.CharField("所在地", max_length=200, blank=True)
    phone = PhoneNumberField("電話番号", blank=True, help_text="窓口の主な番号です。")
    phone_label = models.CharField(
        "電話番号の種類",
        max_length=20,
        blank=True,
        default="",
        # Left empty unless the council names it: 「TEL」 alone says no 代表.
        help_text="番号のあとに（代表）のように表示します。空欄なら種類を表示しません。",
    )
    fax = PhoneNumberField("FAX番号", blank=True)
    email = models.EmailField("メールアドレス", blank=True)
    publishes_hours = models.BooleanField(
        "受付時間を掲載する",
        default=True,
        help_text=(
            "チェックを外すと、受付時間も「ただいま受付中です」「次の受付」も表示せず、"
            "電話番号などだけを載せます。受付時間を公表していないときに外します。"
        ),
    )
    closes_on_holidays = models.BooleanField(
        "祝日は休み",
        default=True,
        help_text="振替休日・国民の休日も休みになります。祝日も開けている窓口は外します。",
    )
    year_end_start_month = _month_day_field("年末年始の休み 初日の月", 12, MONTHS)
    year_end_start_day = _month_day_field("初日の日", 29, DAYS)
    year_end_end_month = _month_day_field("最終日の月", 1, MONTHS)
    year_end_end_day = _month_day_field("最終日の日", 3, DAYS)
    hours_note = models.CharField(
        "受付時間についての補足",
        max_length=200,
        blank=True,
        help_text="書いたとおりに受付時間の下に表示します。例: 土曜日は電話相談のみ",
    )
    display_order = models.PositiveIntegerField("表示順", default=0)
    show_in_footer = models.BooleanField("すべてのページの下部に表示する", default=True)

    objects = OfficeQuerySet.as_manager()

    class Meta:
        verbose_name = "窓口"
        verbose_name_plural = "窓口"
        ordering = ["display_order", "pk"]

    def __str__(self):
        return self.name

    def clean(self):
        parts = [
            self.year_end_start_month,
            self.year_end_start_day,
            self.year_end_end_month,
            self.year_end_end_day,
        ]
        if any(part is not None for part in parts) and None in parts:
            raise ValidationError(
                "年末年始の休みは、初日と最終日の月・日を4つとも入力してください"
                "（年末年始も開けている窓口は4つとも空欄にします）。"
            )
        errors = {}
        for month_field, day_field in (
            ("year_end_start_month", "year_end_start_day"),
            ("year_end_end_month", "year_end_end_day"),
        ):
            month, day = getattr(self, month_field), getattr(self, day_field)
            # 2000 is a leap year, so 2月29日 is accepted as a day that exists.
            try:
                if month in range(1, 13) and day in range(1, 32):
                    date(2000, month, day)
            except ValueError:
                errors[day_field] = f"{month}月に{day}日はありません。"
        if errors:
            raise ValidationError(errors)

    @property
    def year_end(self) -> office_hours.YearEnd | None:
        parts = (
            self.year_end_start_month,
            self.year_end_start_day,
            self.year_end_end_month,
            self.year_end_end_day,
        )
        return None if None in parts else office_hours.YearEnd(*parts)

    def _rows(self, name: str, fields: list[str]) -> list[dict]:
        """The related rows with_hours() fetched with the office (JSON, so times
        and dates come as text), else from their table."""
        if hasattr(self, f"{name}_json"):
            text = getattr(self, f"{name}_json")
            return json.loads(f"[{text}]") if text else []
        return list(getattr(self, name).values(*fields))

    @cached_property
    def hours(self) -> office_hours.OfficeHours:
        """The office's hours rule (no query after Office.objects.with_hours();
        else one each for the periods and the special days)."""
        return office_hours.OfficeHours(
            (
                office_hours.Period(row["weekday"], _as_time(row["opens"]), _as_time(row["closes"]))
                for row in self._rows("hours_periods", PERIOD_FIELDS)
            ),
            published=self.publishes_hours,
            closes_on_holidays=self.closes_on_holidays,
            year_end=self.year_end,
            special_days=(
                office_hours.SpecialDay(
                    _as_date(row["date"]),
                    row["kind"] == SpecialDayKind.OPEN,
                    row["label"],
                    _as_time(row["opens"]),
                    _as_time(row["closes"]),
                )
                for row in self._rows("special_days", SPECIAL_DAY_FIELDS)
            ),
        )

    @property
    def hours_label(self) -> str:
        return self.hours.label

    def status_at(self, moment: datetime) -> office_hours.OpenStatus | None:
        return self.hours.status_at(moment)

    @property
    def status_now(self) -> office_hours.OpenStatus | None:
        return self.status_at(timezone.now())

    @property
    def upcoming_special_days(self) -> list[str]:
        if not self.publishes_hours:
            return []
        return self.hours.upcoming_special_days(timezone.localdate())

    def holiday_or_year_end(self, d: date) -> str | None:
        """「年末年始」 in this office's closure, else the 祝日's name, else None
        (whether the office closes on 祝日 or not: a meeting's date rule asks)."""
        return office_hours.holiday_or_year_end(d, self.year_end)

    @property
    def phone_numbers(self) -> list[tuple[str, str]]:
        """(label, number), the main number first, then the others in their order."""
        numbers = [(self.phone_label, self.phone)] if self.phone else []
        others = sorted(
            self._rows("phones", PHONE_FIELDS), key=lambda row: (row["display_order"], row["id"])
        )
        return numbers + [(row["label"], row["number"]) for row in others]


class Weekday(models.IntegerChoices):
    MONDAY = 0, "月曜日"
    TUESDAY = 1, "火曜日"
    WEDNESDAY = 2, "水曜日"
    THURSDAY = 3, "木曜日"
    FRIDAY = 4, "金曜日"
    SATURDAY = 5, "土曜日"
    SUNDAY = 6, "日曜日"


class OfficeHoursPeriod(models.Model):
    """One stretch of a weekday's reception. A weekday with none is closed; a
    lunch break is two periods (8:30〜12:00 and 13:00〜17:15)."""

    office = models.ForeignKey(
        Office, verbose_name="窓口", on_delete=models.CASCADE, related_name="hours_periods"
    )
    weekday = models.PositiveSmallIntegerField("曜日", choices=Weekday)
    opens = models.TimeField("受付開始", help_text="例: 8:30")
    closes = models.TimeField("受付終了", help_text="例: 17:15")

    class Meta:
        verbose_name = "受付時間"
        verbose_name_plural = "受付時間（曜日ごと）"
        ordering = ["office", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__lt=models.F("closes")),
                name="office_period_opens_before_it_closes",
                violation_error_message="受付終了は受付開始より後の時刻にしてください。",
            )
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {format_time(self.opens)}〜{format_time(self.closes)}"

    def clean(self):
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError({"closes": "受付終了は受付開始より後の時刻にしてください。"})


class SpecialDayKind(models.TextChoices):
    CLOSED = "closed", "臨時休業日"
    OPEN = "open", "特別に開ける日"


class OfficeSpecialDay(models.Model):
    """A date off the weekly timetable: 台風のため臨時休業, or a 土曜開所日 (which
    opens even on a 祝日 or in the 年末年始)."""

    office = models.ForeignKey(
        Office, verbose_name="窓口", on_delete=models.CASCADE, related_name="special_days"
    )
    date = models.DateField("日付")
    kind = models.CharField("種類", max_length=10, choices=SpecialDayKind)
    label = models.CharField(
        "表示する理由・名前",
        max_length=50,
        blank=True,
        help_text="例: 台風のため臨時休業、土曜開所日。空欄で休業日なら「臨時休業」と表示します。",
    )
    opens = models.TimeField(
        "受付開始",
        null=True,
        blank=True,
        help_text="開ける日だけ。空欄なら、その曜日のふだんの受付時間です。",
    )
    closes = models.TimeField("受付終了", null=True, blank=True)

    class Meta:
        verbose_name = "臨時の休業日・開所日"
        verbose_name_plural = "臨時の休業日・開所日"
        ordering = ["office", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "date"],
                name="office_special_day_unique",
                violation_error_message="この日付は、この窓口にもう登録しています。",
            ),
            models.CheckConstraint(
                condition=(
                    Q(opens__isnull=True, closes__isnull=True)
                    | Q(kind="open", opens__lt=models.F("closes"))
                ),
                name="office_special_day_times",
                violation_error_message=(
                    "受付開始と受付終了は、開ける日に両方を、開始より終了が後になるように"
                    "入力してください。"
                ),
            ),
        ]

    def __str__(self):
        return f"{format_date(self.date)} {self.label or self.get_kind_display()}"

    def clean(self):
        if self.kind == SpecialDayKind.CLOSED and (self.opens or self.closes):
            raise ValidationError(
                {"opens": "休業日には受付時間を入力しません。開ける日なら種類を変えてください。"}
            )
        if (self.opens is None) != (self.closes is None):
            field = "closes" if self.closes is None else "opens"
            raise ValidationError({field: "受付開始と受付終了は、両方とも入力してください。"})
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError({"closes": "受付終了は受付開始より後の時刻にしてください。"})


class OfficePhone(models.Model):
    """A number besides the office's main one: 直通, 相談専用, 内線."""

    office = models.ForeignKey(
        Office, verbose_name="窓口", on_delete=models.CASCADE, related_name="phones"
    )
    label = models.CharField("種類", max_length=20, help_text="例: 直通、相談専用、内線")
    number = PhoneNumberField("電話番号")
    display_order = models.PositiveIntegerField("表示順", default=0)

    class Meta:
        verbose_name = "ほかの電話番号"
        verbose_name_plural = "ほかの電話番号"
        ordering = ["office", "display_order", "pk"]

    def __str__(self):
        return f"{self.label} {self.number}"


# ------------------------------------------------------------ 緊急時のお知らせ


class NoticeLevel(models.TextChoices):
    URGENT = "urgent", "緊急"
    IMPORTANT = "important", "重要"


class EmergencyNoticeQuerySet(models.QuerySet):
    def current(self, now: datetime | None = None):
        """Switched on, started, and not yet ended."""
        now = now or timezone.now()
        return self.filter(is_active=True, starts_at__lte=now).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now)
        )

    def for_banner(self, now: datetime | None = None):
        """The notices above every page: 緊急 first, then the newest."""
        return self.current(now).order_by(
            models.Case(models.When(level=NoticeLevel.URGENT, then=0), default=1),
            "-starts_at",
            "-pk",
        )


validate_link = RegexValidator(
    r"^(/(?![/\\])|https?://)\S+$",
    "リンク先は「/」で始まるこのサイトのアドレスか、"
    "「https://」で始まるアドレスを入力してください。",
)


class EmergencyNotice(models.Model):
    """A notice shown at the top of every page while it is current, such as
    災害ボランティアセンター開設 or 断水のお知らせ."""

    title = models.CharField(
        "見出し", max_length=100, help_text="例: 災害ボランティアセンターを開設しました"
    )
    body = models.TextField(
        "本文", max_length=400, help_text="短く書きます（400字まで）。詳しいことはリンク先に。"
    )
    level = models.CharField(
        "重要度", max_length=10, choices=NoticeLevel, default=NoticeLevel.URGENT
    )
    link_url = models.CharField(
        "詳しい情報のリンク先",
        max_length=300,
        blank=True,
        validators=[validate_link],
        help_text="例: /news/12/ または https://www.example.jp/saigai/",
    )
    link_label = models.CharField(
        "リンクの文言",
        max_length=50,
        blank=True,
        help_text="空欄なら「詳しい情報を見る」。例: ボランティアの受付について",
    )
    starts_at = models.DateTimeField("掲載開始日時", default=timezone.now)
    ends_at = models.DateTimeField(
        "掲載終了日時", null=True, blank=True, help_text="空欄なら、掲載をやめるまで表示します。"
    )
    is_active = models.BooleanField(
        "掲載する",
        default=True,
        help_text="チェックを外すと、すぐにすべてのページから消えます。",
    )
    created_at = models.DateTimeField("登録日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    objects = EmergencyNoticeQuerySet.as_manager()

    class Meta:
        verbose_name = "緊急時のお知らせ"
        verbose_name_plural = "緊急時のお知らせ"
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="emergency_notice_ends_after_start",
                violation_error_message="掲載終了日時は掲載開始日時より後にしてください。",
            )
        ]

    def __str__(self):
        return f"【{self.get_level_display()}】{self.title}"

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "掲載終了日時は掲載開始日時より後にしてください。"})

    def is_current_at(self, moment: datetime) -> bool:
        return (
            self.is_active
            and self.starts_at <= moment
            and (self.ends_at is None or moment < self.ends_at)
        )

    @property
    def is_current(self) -> bool:
        return self.is_current_at(timezone.now())

    @property
    def link_text(self) -> str:
        return self.link_label or "詳しい情報を見る"


# ------------------------------------------------------------ 地域福祉実践計画

FISCAL_YEAR_VALIDATORS = [MinValueValidator(1989), MaxValueValidator(2100)]


class PracticePlanQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def for_page(self):
        """/about/plan/: 5 queries whatever the plan's size (the plan, its goals,
        their policies, main projects and photos)."""
        return self.published().prefetch_related(
            Prefetch(
                "goals",
                queryset=BasicGoal.objects.prefetch_related("policies", "projects", "photos"),
            )
        )


class PracticePlan(models.Model):
    """The council's 地域福祉実践計画: a basic philosophy and its 基本目標.

    The newest published plan is the one /about/plan/ shows.
    """

    title = models.CharField("計画の名称", max_length=100, help_text="例: 第2次地域福祉実践計画")
    motto = models.CharField("基本理念", max_length=100, help_text="例: 思いやりが根づくまち")
    philosophy = models.TextField("基本理念の説明", help_text="段落は空行で区切ります。")
    starts_fiscal_year = models.PositiveSmallIntegerField(
        "計画期間の初年度",
        null=True,
        blank=True,
        validators=FISCAL_YEAR_VALIDATORS,
        help_text="西暦で入力します。例: 2024（令和6年度）。計画に書かれていなければ空欄に。",
    )
    ends_fiscal_year = models.PositiveSmallIntegerField(
        "計画期間の最終年度",
        null=True,
        blank=True,
        validators=FISCAL_YEAR_VALIDATORS,
        help_text="西暦で入力します。例: 2028（令和10年度）。決まっていなければ空欄に。",
    )
    is_published = models.BooleanField("公開する", default=False)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    objects = PracticePlanQuerySet.as_manager()

    class Meta:
        verbose_name = "地域福祉実践計画"
        verbose_name_plural = "地域福祉実践計画"
        # A plan whose first year is not known sorts after the dated ones.
        ordering = [models.F("starts_fiscal_year").desc(nulls_last=True), "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_fiscal_year__isnull=True)
                | Q(ends_fiscal_year__isnull=True)
                | Q(ends_fiscal_year__gte=models.F("starts_fiscal_year")),
                name="practice_plan_period_in_order",
                violation_error_message="計画期間の最終年度は初年度と同じか後にしてください。",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("about_plan")

    def clean(self):
        if (
            self.starts_fiscal_year
            and self.ends_fiscal_year
            and self.ends_fiscal_year < self.starts_fiscal_year
        ):
            raise ValidationError(
                {"ends_fiscal_year": "計画期間の最終年度は初年度と同じか後にしてください。"}
            )

    @property
    def period_label(self) -> str:
        """令和6年度〜令和10年度, 令和6年度〜 or 〜令和10年度: only the years the
        plan states; "" when it states none."""
        if self.starts_fiscal_year is None and self.ends_fiscal_year is None:
            return ""
        start = fiscal_year_label(self.starts_fiscal_year) if self.starts_fiscal_year else ""
        end = fiscal_year_label(self.ends_fiscal_year) if self.ends_fiscal_year else ""
        return f"{start}〜{end}"


class BasicGoal(models.Model):
    plan = models.ForeignKey(
        PracticePlan, verbose_name="計画", on_delete=models.CASCADE, related_name="goals"
    )
    number = models.PositiveSmallIntegerField(
        "番号", validators=[MinValueValidator(1), MaxValueValidator(99)], help_text="基本目標1なら1"
    )
    title = models.CharField(
        "基本目標", max_length=100, help_text="例: 地域での支え合いと、きずなづくり"
    )
    department = models.CharField("担当部署", max_length=50, help_text="例: ボランティア担当")
    summary = models.TextField("目標の説明")
    projects_continue = models.BooleanField(
        "主な事業の最後に「など」を付ける",
        default=True,
        help_text="ほかにも事業があり、ここに挙げたのはその一部のとき。",
    )

    class Meta:
        verbose_name = "基本目標"
        verbose_name_plural = "基本目標"
        ordering = ["plan", "number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="basic_goal_number_unique_in_plan",
                violation_error_message="この番号の基本目標は、この計画にもうあります。",
            )
        ]

    def __str__(self):
        return f"{self.label} {self.title}"

    @property
    def label(self) -> str:
        return f"基本目標{self.number}"


class Policy(models.Model):
    """One of a goal's 施策 (the directions it is pursued in)."""

    goal = models.ForeignKey(
        BasicGoal, verbose_name="基本目標", on_delete=models.CASCADE, related_name="policies"
    )
    text = models.CharField("施策", max_length=200)
    display_order = models.PositiveIntegerField("表示順", default=0)

    class Meta:
        verbose_name = "施策"
        verbose_name_plural = "施策"
        ordering = ["goal", "display_order", "pk"]

    def __str__(self):
        return self.text


class MainProject(models.Model):
    goal = models.ForeignKey(
        BasicGoal, verbose_name="基本目標", on_delete=models.CASCADE, related_name="projects"
    )
    name = models.CharField("事業名", max_length=100, help_text="例: 福祉委員活動推進事業")
    display_order = models.PositiveIntegerField("表示順", default=0)

    class Meta:
        verbose_name = "主な事業"
        verbose_name_plural = "主な事業"
        ordering = ["goal", "display_order", "pk"]

    def __str__(self):
        return self.name


def plan_photo_path(instance, filename):
    return f"about/plan/{filename}"


class PlanPhoto(models.Model):
    """A photo of a goal's activities, re-encoded on upload (PhotoField)."""

    goal = models.ForeignKey(
        BasicGoal, verbose_name="基本目標", on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(
        "写真",
        upload_to=plan_photo_path,
        width_field="width",
        height_field="height",
        max_length=255,
    )
    width = models.PositiveIntegerField(editable=False, null=True)
    height = models.PositiveIntegerField(editable=False, null=True)
    alt_text = models.CharField(
        "写真の説明（代替テキスト）",
        max_length=200,
        help_text="画面の読み上げで伝わります。例: 公民館で折り紙を折る参加者",
    )
    caption = models.CharField(
        "キャプション", max_length=200, help_text="写真の下に表示します。例: 折り紙サロンの様子"
    )
    display_order = models.PositiveIntegerField("表示順", default=0)

    class Meta:
        verbose_name = "計画の写真"
        verbose_name_plural = "計画の写真"
        ordering = ["goal", "display_order", "pk"]

    def __str__(self):
        return self.caption


# ------------------------------------------------------------ 個人情報保護方針


class PrivacyPolicyQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def for_page(self):
        """The newest published policy and its sections: 2 queries."""
        return self.published().prefetch_related("sections")


class PrivacyPolicy(models.Model):
    introduction = models.TextField("前文", help_text="段落は空行で区切ります。")
    established_on = models.DateField("制定日", null=True, blank=True)
    revised_on = models.DateField("最終改定日", null=True, blank=True)
    is_published = models.BooleanField("公開する", default=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    objects = PrivacyPolicyQuerySet.as_manager()

    class Meta:
        verbose_name = "個人情報保護方針"
        verbose_name_plural = "個人情報保護方針"
        ordering = ["-revised_on", "-pk"]

    def __str__(self):
        when = self.revised_on or self.established_on
        return (
            f"個人情報保護方針（{format_date(when, weekday=False)}）"
            if when
            else "個人情報保護方針"
        )

    def clean(self):
        if self.established_on and self.revised_on and self.revised_on < self.established_on:
            raise ValidationError({"revised_on": "最終改定日は制定日より後にしてください。"})


class PrivacyPolicySection(models.Model):
    policy = models.ForeignKey(
        PrivacyPolicy,
        verbose_name="個人情報保護方針",
        on_delete=models.CASCADE,
        related_name="sections",
    )
    title = models.CharField("見出し", max_length=100, help_text="例: 利用の目的")
    body = models.TextField("本文", help_text="段落は空行で区切ります。")
    display_order = models.PositiveIntegerField("表示順", default=0)

    class Meta:
        verbose_name = "方針の項目"
        verbose_name_plural = "方針の項目"
        ordering = ["policy", "display_order", "pk"]

    def __str__(self):
        return self.title


class MailStatus(models.TextChoices):
    PENDING = "pending", "送信待ち"
    SENT = "sent", "送信済み"
    FAILED = "failed", "送信できず"


class OutgoingMailQuerySet(models.QuerySet):
    def waiting(self):
        return self.exclude(status=MailStatus.SENT)


class OutgoingMail(models.Model):
    """One mail the site sends, kept from the moment its transaction commits
    until it has gone (shakyo_portal.core.mail).

    The body is needed only until then: once sent it is emptied, and what
    stays for the short retention time is the address, the subject and when.
    A mail the server keeps refusing stays listed, with the last error, so
    staff can send it again or tell the resident another way.
    """

    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    to = models.TextField("宛先", help_text="1行に1件")
    subject = models.CharField("件名", max_length=255)
    body = models.TextField("本文", blank=True)
    status = models.CharField(
        "状態", max_length=10, choices=MailStatus.choices, default=MailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField("送信を試みた回数", default=0)
    last_error = models.CharField("最後のエラー", max_length=500, blank=True)
    next_attempt_at = models.DateTimeField("次に試す日時", null=True, blank=True)
    sent_at = models.DateTimeField("送信日時", null=True, blank=True)
    # For the logs: which part of the site wrote the mail, and about what.
    origin = models.CharField("送信元", max_length=100, blank=True, editable=False)
    about = models.CharField("用件", max_length=200, blank=True, editable=False)

    objects = OutgoingMailQuerySet.as_manager()

    class Meta:
        verbose_name = "送信するメール"
        verbose_name_plural = "送信するメール"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return self.subject

    @property
    def recipients(self) -> list[str]:
        return [line for line in self.to.splitlines() if line.strip()]
