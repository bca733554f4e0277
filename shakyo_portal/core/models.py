"""The council itself: its name and contact details, the offices people call,
the emergency notices it puts above every page, its 地域福祉実践計画 and its
個人情報保護方針.

Staff edit these in the admin; templates never hard-code them.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, Prefetch, Q
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
    staff_two_factor_required = models.BooleanField(
        "全職員に2段階認証を求める",
        default=False,
        help_text="オンにすると、職員は全員、パスワードに加えて認証アプリの6桁の番号でログインします。",
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


@dataclass(frozen=True)
class OpenStatus:
    is_open: bool
    label: str


class Office(models.Model):
    name = models.CharField("窓口名", max_length=100, help_text="例: 地域共生推進課")
    postal_code = PostalCodeField("郵便番号", blank=True)
    address = models.CharField("所在地", max_length=200, blank=True)
    phone = PhoneNumberField("電話番号", blank=True)
    fax = PhoneNumberField("FAX番号", blank=True)
    email = models.EmailField("メールアドレス", blank=True)
    opens_at = models.TimeField("受付開始時刻", default="08:30")
    closes_at = models.TimeField("受付終了時刻", default="17:15")
    display_order = models.PositiveIntegerField("表示順", default=0)
    show_in_footer = models.BooleanField("すべてのページの下部に表示する", default=True)

    objects = OfficeQuerySet.as_manager()

    class Meta:
        verbose_name = "窓口"
        verbose_name_plural = "窓口"
        ordering = ["display_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_at__lt=models.F("closes_at")),
                name="office_opens_before_it_closes",
                violation_error_message="受付終了時刻は受付開始時刻より後にしてください。",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def hours_label(self) -> str:
        return (
            f"月〜金 {format_time(self.opens_at)}〜{format_time(self.closes_at)}"
            "（土・日・祝日、12月29日〜1月3日を除く）"
        )

    def status_at(self, moment: datetime) -> OpenStatus:
        local = timezone.localtime(moment)
        today = local.date()
        reason = office_hours.closed_reason(today)
        if not reason and office_hours.is_open_at(local, self.opens_at, self.closes_at):
            return OpenStatus(True, "ただいま受付中です")
        if not reason and local.time() < self.opens_at:
            return OpenStatus(False, f"本日は{format_time(self.opens_at)}から受付します")
        next_day = office_hours.next_open_day(today + timedelta(days=1))
        next_open = f"次の受付は{format_date(next_day)} {format_time(self.opens_at)}からです"
        if reason:
            return OpenStatus(False, f"本日は休業日です（{reason}）。{next_open}")
        return OpenStatus(False, f"本日の受付は終了しました。{next_open}")

    @property
    def status_now(self) -> OpenStatus:
        return self.status_at(timezone.now())


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
        validators=FISCAL_YEAR_VALIDATORS,
        help_text="西暦で入力します。例: 2024（令和6年度）",
    )
    ends_fiscal_year = models.PositiveSmallIntegerField(
        "計画期間の最終年度",
        validators=FISCAL_YEAR_VALIDATORS,
        help_text="西暦で入力します。例: 2028（令和10年度）",
    )
    is_published = models.BooleanField("公開する", default=False)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    objects = PracticePlanQuerySet.as_manager()

    class Meta:
        verbose_name = "地域福祉実践計画"
        verbose_name_plural = "地域福祉実践計画"
        ordering = ["-starts_fiscal_year", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_fiscal_year__gte=models.F("starts_fiscal_year")),
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
        """令和6年度〜令和10年度."""
        return (
            f"{fiscal_year_label(self.starts_fiscal_year)}〜"
            f"{fiscal_year_label(self.ends_fiscal_year)}"
        )


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
