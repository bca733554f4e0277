"""ふれあいサロン, and the yearly cycle of 活動計画書 → 活動助成 → 実績報告.

A plan is one record for its whole life: the organiser drafts and sends it,
staff move it through review, its approval creates the `Grant`, and the
`ActivityReport` sent after the 年度 settles that grant. Every change of
status is a `StatusChange` row, so the plan page can show who did what, when
and why.
"""

import hashlib
import re
import secrets
import unicodedata
from datetime import date

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse

from districts.models import District
from shakyo_portal.core import uploads
from shakyo_portal.core.dates import ERAS, format_time, wareki
from shakyo_portal.core.fields import KanaReadingField, PhoneNumberField, PostalCodeField
from shakyo_portal.core.fiscal import fiscal_year_label, fiscal_year_range
from shakyo_portal.core.normalize import unify_hyphens
from shakyo_portal.core.recurrence import Weekday
from shakyo_portal.core.storage import private_storage

# Sums of money are whole yen. Anything above this is a typing slip, not a budget.
MAX_AMOUNT = 10_000_000
MAX_PEOPLE = 10_000
MAX_SESSIONS = 366


def amount_field(verbose_name, **kwargs):
    return models.PositiveIntegerField(
        verbose_name, validators=[MaxValueValidator(MAX_AMOUNT)], **kwargs
    )


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


class Frequency(models.TextChoices):
    WEEKLY = "weekly", "毎週"
    MONTHLY = "monthly", "毎月"
    IRREGULAR = "irregular", "不定期"


WEEKS_OF_MONTH = [(str(n), f"第{n}") for n in range(1, 6)]


def validate_weeks_of_month(value: str):
    parts = [p for p in value.split(",") if p]
    if not parts or any(p not in {"1", "2", "3", "4", "5"} for p in parts):
        raise ValidationError("第何週かを1〜5から選んでください。")


class Schedule(models.Model):
    """A regular schedule stored as parts, shown as 毎月第2・第4水曜日 10:00〜12:00.

    Shared by the salon and by the plan that describes it for a 年度.
    """

    frequency = models.CharField(
        "開催の頻度", max_length=10, choices=Frequency, default=Frequency.MONTHLY
    )
    weeks_of_month = models.CharField(
        "第何週",
        max_length=9,
        blank=True,
        help_text="毎月のときだけ。例: 2 または 1,3",
    )
    weekday = models.PositiveSmallIntegerField("曜日", choices=Weekday, null=True, blank=True)
    starts_at = models.TimeField("開始時刻", null=True, blank=True)
    ends_at = models.TimeField("終了時刻", null=True, blank=True)
    schedule_note = models.CharField(
        "開催日の補足", max_length=100, blank=True, help_text="例: 8月はお休み"
    )

    class Meta:
        abstract = True

    @property
    def weeks(self) -> list[int]:
        return sorted({int(p) for p in self.weeks_of_month.split(",") if p.strip().isdigit()})

    @property
    def schedule_label(self) -> str:
        """毎月第2水曜日 10:00〜12:00; 不定期 when no rule applies."""
        if self.frequency == Frequency.IRREGULAR or self.weekday is None:
            day = "不定期"
        elif self.frequency == Frequency.WEEKLY:
            day = f"毎週{self.get_weekday_display()}"
        else:
            nth = "・".join(f"第{n}" for n in self.weeks) if self.weeks else ""
            day = f"毎月{nth}{self.get_weekday_display()}"
        if self.starts_at and self.ends_at:
            day += f" {format_time(self.starts_at)}〜{format_time(self.ends_at)}"
        elif self.starts_at:
            day += f" {format_time(self.starts_at)}〜"
        return day

    def clean_schedule(self) -> dict[str, str]:
        errors = {}
        if self.frequency != Frequency.IRREGULAR and self.weekday is None:
            errors["weekday"] = "曜日を選んでください。"
        if self.frequency == Frequency.MONTHLY:
            try:
                validate_weeks_of_month(self.weeks_of_month)
            except ValidationError as error:
                errors["weeks_of_month"] = error.messages[0]
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = "終了時刻は開始時刻より後にしてください。"
        return errors


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
    # Denormalised from the confirmed 実績報告 so the directory needs no join.
    last_held_on = models.DateField("最終開催日", null=True, blank=True, editable=False)
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


class GrantProgram(models.Model):
    """One 年度's 活動助成: when plans are accepted, and the rules for the amount.

    Staff set the rules here; `salons.grants.estimate` applies them.
    """

    # Bounded so a slip like 8 (for 令和8) or 20260 is refused in the admin
    # instead of breaking every page that writes the 年度 in 和暦.
    fiscal_year = models.PositiveIntegerField(
        "年度（西暦）",
        unique=True,
        help_text="令和6年度なら 2024",
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    name = models.CharField("名称", max_length=100, help_text="例: 令和6年度ふれあいサロン活動助成")
    opens_on = models.DateField("受付開始日")
    closes_on = models.DateField("受付締切日")
    report_due_on = models.DateField("実績報告の期限", null=True, blank=True)
    base_amount = amount_field("基本額", default=0)
    late_start_base_amount = amount_field(
        "年度後半に始めるときの基本額",
        null=True,
        blank=True,
        help_text="10月以降に始めるサロンの基本額。空欄なら基本額と同じ。",
    )
    per_participant_amount = amount_field("参加者1人あたりの額", default=0)
    startup_amount = amount_field("立ち上げ額（新規・再開）", default=0)
    cap_amount = amount_field("上限額", null=True, blank=True, help_text="空欄なら上限なし")
    min_sessions = models.PositiveSmallIntegerField(
        "最低開催回数（年）", default=0, validators=[MaxValueValidator(MAX_SESSIONS)]
    )
    min_participants = models.PositiveSmallIntegerField(
        "最低参加者数", default=0, validators=[MaxValueValidator(MAX_PEOPLE)]
    )
    notes = models.TextField("そのほかの条件", blank=True)

    class Meta:
        verbose_name = "活動助成（年度ごとの基準）"
        verbose_name_plural = "活動助成（年度ごとの基準）"
        ordering = ["-fiscal_year"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("salons:program", kwargs={"fiscal_year": self.fiscal_year})

    def clean(self):
        errors = {}
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            errors["closes_on"] = "受付締切日は受付開始日より後にしてください。"
        if errors:
            raise ValidationError(errors)

    @property
    def fiscal_year_label(self) -> str:
        return fiscal_year_label(self.fiscal_year)

    @property
    def period(self) -> tuple[date, date]:
        return fiscal_year_range(self.fiscal_year)

    def is_open_on(self, day: date) -> bool:
        return self.opens_on <= day <= self.closes_on


class GrantTier(models.Model):
    """An amount added for holding at least so many sessions a year."""

    program = models.ForeignKey(
        GrantProgram, verbose_name="活動助成", on_delete=models.CASCADE, related_name="tiers"
    )
    min_sessions = models.PositiveSmallIntegerField(
        "開催回数（年）がこの回数以上", validators=[MaxValueValidator(MAX_SESSIONS)]
    )
    amount = amount_field("加算額")

    class Meta:
        verbose_name = "開催回数による加算"
        verbose_name_plural = "開催回数による加算"
        ordering = ["min_sessions"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "min_sessions"], name="salons_tier_unique_sessions"
            )
        ]

    def __str__(self):
        return f"{self.min_sessions}回以上: {self.amount:,}円"


class PlanKind(models.TextChoices):
    NEW = "new", "新規"
    RESUMED = "resumed", "再開"
    CONTINUING = "continuing", "継続"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "下書き"
    RECEIVED = "received", "受付"
    REVIEWING = "reviewing", "審査中"
    RETURNED = "returned", "差戻し"
    APPROVED = "approved", "承認"
    REJECTED = "rejected", "不承認"


# What the organiser reads for each status.
APPLICANT_STATUS_LABELS = {
    PlanStatus.DRAFT: "下書き（まだ提出されていません）",
    PlanStatus.RECEIVED: "受付済み",
    PlanStatus.REVIEWING: "審査中",
    PlanStatus.RETURNED: "差戻し（修正して再提出してください）",
    PlanStatus.APPROVED: "承認",
    PlanStatus.REJECTED: "不承認",
}


class Channel(models.TextChoices):
    WEB = "web", "ウェブ"
    POST = "post", "郵送"
    FAX = "fax", "FAX"
    COUNTER = "counter", "窓口"


class ActivityPlanQuerySet(models.QuerySet):
    def submitted(self):
        return self.exclude(status=PlanStatus.DRAFT)

    def for_fiscal_year(self, fy: int):
        return self.filter(program__fiscal_year=fy)

    def by_reference(self, reference: str):
        return self.filter(reference=reference.strip().upper())


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ActivityPlan(Schedule):
    program = models.ForeignKey(
        GrantProgram, verbose_name="年度の活動助成", on_delete=models.PROTECT, related_name="plans"
    )
    reference = models.CharField(
        "受付番号", max_length=12, unique=True, null=True, blank=True, editable=False
    )
    serial = models.PositiveIntegerField("年度内の通し番号", null=True, blank=True, editable=False)
    kind = models.CharField("区分", max_length=12, choices=PlanKind, default=PlanKind.CONTINUING)
    status = models.CharField(
        "状態", max_length=10, choices=PlanStatus, default=PlanStatus.DRAFT, db_index=True
    )
    channel = models.CharField("受付方法", max_length=10, choices=Channel, default=Channel.WEB)
    salon = models.ForeignKey(
        Salon,
        verbose_name="サロン",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        help_text="新規のサロンは空欄。承認するとサロンが登録されます。",
    )
    salon_name = models.CharField("サロン名", max_length=100, blank=True)
    salon_reading = KanaReadingField("サロン名のよみがな", blank=True)
    district = models.ForeignKey(
        District,
        verbose_name="地区",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="salon_plans",
    )
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name="対象", blank=True, related_name="plans"
    )
    activity_types = models.ManyToManyField(
        SalonActivityType, verbose_name="活動内容", blank=True, related_name="plans"
    )
    representative_name = models.CharField("代表者の氏名", max_length=100, blank=True)
    representative_reading = KanaReadingField("代表者の氏名のよみがな", blank=True)
    representative_phone = PhoneNumberField("代表者の電話番号", blank=True)
    representative_email = models.EmailField("代表者のメールアドレス", blank=True)
    representative_postal_code = PostalCodeField("代表者の郵便番号", blank=True)
    representative_address = models.CharField("代表者の住所", max_length=200, blank=True)
    venue_name = models.CharField("会場", max_length=100, blank=True)
    venue_address = models.CharField("会場の住所", max_length=200, blank=True)
    first_session_on = models.DateField("初回の開催日", null=True, blank=True)
    last_session_on = models.DateField("最終回の開催日", null=True, blank=True)
    sessions_planned = models.PositiveSmallIntegerField(
        "年間の開催回数", null=True, blank=True, validators=[MaxValueValidator(MAX_SESSIONS)]
    )
    expected_participants = models.PositiveIntegerField(
        "参加者数の見込み（1回あたり）",
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_PEOPLE)],
    )
    expected_helpers = models.PositiveIntegerField(
        "協力者・ボランティアの人数",
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_PEOPLE)],
    )
    content = models.TextField("活動の内容", max_length=2000, blank=True)
    requests_grant = models.BooleanField("活動助成を申請する", default=True)
    consented_at = models.DateTimeField("個人情報の利用への同意日時", null=True, blank=True)
    estimated_amount = amount_field("助成額の見込み", null=True, blank=True, editable=False)
    staff_note = models.TextField("職員メモ（申請者には表示されません）", blank=True)
    # A hash of the secret in the resume link, and of the form's one-time token,
    # so a stolen database copy does not open drafts and a double click sends once.
    draft_token_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    submission_token = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)
    submitted_at = models.DateTimeField("提出日時", null=True, blank=True)

    objects = ActivityPlanQuerySet.as_manager()

    class Meta:
        verbose_name = "活動計画書"
        verbose_name_plural = "活動計画書"
        ordering = ["-program__fiscal_year", "-serial", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "serial"], name="salons_plan_unique_serial"),
        ]

    def __str__(self):
        return f"{self.reference or '下書き'} {self.display_salon_name}"

    @property
    def display_salon_name(self) -> str:
        return self.salon_name or (self.salon.name if self.salon_id else "（サロン名未入力）")

    # A plan has at most one grant and one report; these read them without a
    # query when select_related fetched them, and give None when there is none.
    @property
    def grant_or_none(self):
        try:
            return self.grant
        except ObjectDoesNotExist:
            return None

    @property
    def report_or_none(self):
        try:
            return self.report
        except ObjectDoesNotExist:
            return None

    @property
    def applicant_status_label(self) -> str:
        return APPLICANT_STATUS_LABELS[PlanStatus(self.status)]

    @property
    def is_editable_by_applicant(self) -> bool:
        return self.status in (PlanStatus.DRAFT, PlanStatus.RETURNED)

    @property
    def fiscal_year(self) -> int:
        return self.program.fiscal_year

    def issue_draft_token(self) -> str:
        """A new secret for the resume link; only its hash is kept."""
        token = secrets.token_urlsafe(24)
        self.draft_token_hash = _hash_token(token)
        return token

    @classmethod
    def find_by_draft_token(cls, token: str):
        return cls.objects.filter(
            draft_token_hash=_hash_token(token), status__in=[PlanStatus.DRAFT, PlanStatus.RETURNED]
        ).first()

    def matches_contact(self, contact: str) -> bool:
        """Whether the phone or e-mail typed on the status page is this plan's.

        Phones compare by their digits, so 0866928552 matches 0866-92-8552 and
        full-width input matches too.
        """
        contact = unicodedata.normalize("NFKC", contact).strip()
        if not contact:
            return False
        if "@" in contact:
            return bool(self.representative_email) and (
                contact.casefold() == self.representative_email.casefold()
            )
        digits = re.sub(r"\D", "", contact)
        stored = re.sub(r"\D", "", self.representative_phone)
        return len(digits) >= 10 and digits == stored

    def budget_totals(self) -> tuple[int, int]:
        totals = dict(
            self.budget_lines.values_list("side").annotate(total=Sum("amount")).order_by()
        )
        return totals.get(BudgetSide.INCOME, 0), totals.get(BudgetSide.EXPENSE, 0)


def reference_for(fy: int, serial: int) -> str:
    """R6-0012: the era letter and year of the 年度, and its serial number."""
    era_name, era_year = wareki(date(fy, 12, 31))
    letter = next(era.letter for era in ERAS if era.name == era_name)
    return f"{letter}{era_year}-{serial:04d}"


REFERENCE_MESSAGE = "受付番号は「R8-0012」のように、英字と数字で入力してください。"

_ERA_LETTERS = {era.name: era.letter for era in ERAS}
_REFERENCE = re.compile(r"([A-Z])([0-9]{1,2})-([0-9]{1,6})")


def normalize_reference(value: str) -> str:
    """ｒ８－１２, R8 0012, 令和8-12 -> R8-0012 (the form reference_for() writes).

    Raises ValidationError when it cannot be a reference number.
    """
    text = unicodedata.normalize("NFKC", value).strip().upper()
    for name, letter in _ERA_LETTERS.items():
        text = text.replace(name, letter)
    # A space between the year and the serial separates them as a hyphen would.
    text = re.sub(r"(?<=[0-9])\s+(?=[0-9])", "-", text)
    text = re.sub(r"-+", "-", unify_hyphens(text))
    match = _REFERENCE.fullmatch(text)
    if match is None:
        raise ValidationError(REFERENCE_MESSAGE, code="invalid_reference")
    letter, year, serial = match.groups()
    return f"{letter}{int(year)}-{int(serial):04d}"


class BudgetSide(models.TextChoices):
    INCOME = "income", "収入"
    EXPENSE = "expense", "支出"


INCOME_ITEMS = ["参加費", "助成金", "寄付金", "繰越金", "その他の収入"]
EXPENSE_ITEMS = ["会場費", "材料費", "茶菓代", "保険料", "講師謝礼", "通信費", "その他の支出"]


class BudgetLine(models.Model):
    """A line of the plan's budget (予算) or of the report's actual spending (決算)."""

    plan = models.ForeignKey(
        ActivityPlan,
        verbose_name="活動計画書",
        on_delete=models.CASCADE,
        related_name="budget_lines",
        null=True,
        blank=True,
    )
    report = models.ForeignKey(
        "ActivityReport",
        verbose_name="実績報告",
        on_delete=models.CASCADE,
        related_name="spending_lines",
        null=True,
        blank=True,
    )
    side = models.CharField("収支", max_length=10, choices=BudgetSide)
    item = models.CharField("費目", max_length=30)
    note = models.CharField("内訳", max_length=100, blank=True)
    amount = amount_field("金額（円）")
    display_order = models.PositiveIntegerField("表示順", default=0)

    class Meta:
        verbose_name = "収支の行"
        verbose_name_plural = "収支の行"
        ordering = ["side", "display_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(plan__isnull=False, report__isnull=True)
                | Q(plan__isnull=True, report__isnull=False),
                name="salons_budget_line_one_owner",
            )
        ]

    def __str__(self):
        return f"{self.get_side_display()} {self.item} {self.amount:,}円"


class AttachmentKind(models.TextChoices):
    PHOTO = uploads.PHOTO, "写真"
    DOCUMENT = uploads.DOCUMENT, "PDF"


def private_attachment_path(instance, filename):
    return f"attachments/{secrets.token_hex(16)}.{filename.rsplit('.', 1)[-1].lower()}"


class Attachment(models.Model):
    """A photo or PDF sent with a plan or a report. Private: served only to staff."""

    plan = models.ForeignKey(
        ActivityPlan,
        verbose_name="活動計画書",
        on_delete=models.CASCADE,
        related_name="attachments",
        null=True,
        blank=True,
    )
    report = models.ForeignKey(
        "ActivityReport",
        verbose_name="実績報告",
        on_delete=models.CASCADE,
        related_name="attachments",
        null=True,
        blank=True,
    )
    file = models.FileField("ファイル", upload_to=private_attachment_path, storage=private_storage)
    kind = models.CharField("種類", max_length=10, choices=AttachmentKind)
    content_type = models.CharField(max_length=50, editable=False)
    original_name = models.CharField("元のファイル名", max_length=200, blank=True)
    size = models.PositiveIntegerField("大きさ（バイト）", default=0)
    uploaded_at = models.DateTimeField("登録日時", auto_now_add=True)

    class Meta:
        verbose_name = "添付ファイル"
        verbose_name_plural = "添付ファイル"
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(plan__isnull=False, report__isnull=True)
                | Q(plan__isnull=True, report__isnull=False),
                name="salons_attachment_one_owner",
            )
        ]

    def __str__(self):
        return self.original_name or self.file.name

    def get_absolute_url(self):
        return reverse("salons:attachment", kwargs={"pk": self.pk})


class StatusSubject(models.TextChoices):
    PLAN = "plan", "活動計画書"
    REPORT = "report", "実績報告"
    GRANT = "grant", "助成金"


class StatusChange(models.Model):
    """One step in a plan's life, including its report and grant. Never edited."""

    plan = models.ForeignKey(
        ActivityPlan, verbose_name="活動計画書", on_delete=models.CASCADE, related_name="history"
    )
    subject = models.CharField("対象", max_length=10, choices=StatusSubject)
    from_status = models.CharField("変更前", max_length=20, blank=True)
    to_status = models.CharField("変更後", max_length=20)
    reason = models.TextField("理由", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作した職員",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField("日時", auto_now_add=True)

    class Meta:
        verbose_name = "状態の履歴"
        verbose_name_plural = "状態の履歴"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_subject_display()}: {self.from_status_label} → {self.to_status_label}"

    def _label(self, value: str) -> str:
        choices = {
            StatusSubject.PLAN: PlanStatus,
            StatusSubject.REPORT: ReportStatus,
            StatusSubject.GRANT: GrantStatus,
        }[StatusSubject(self.subject)]
        try:
            return choices(value).label
        except ValueError:
            return value or "—"

    @property
    def from_status_label(self) -> str:
        return self._label(self.from_status)

    @property
    def to_status_label(self) -> str:
        return self._label(self.to_status)

    @property
    def actor_label(self) -> str:
        if self.actor is None:
            return "申請者"
        return self.actor.get_full_name() or self.actor.get_username()


class GrantStatus(models.TextChoices):
    DECIDED = "decided", "交付決定"
    PAID = "paid", "交付済"
    SETTLED = "settled", "精算済"


class Grant(models.Model):
    """The decision on an approved plan: how much, and whether it has been paid."""

    plan = models.OneToOneField(
        ActivityPlan, verbose_name="活動計画書", on_delete=models.PROTECT, related_name="grant"
    )
    computed_amount = amount_field("基準による額", editable=False)
    amount = amount_field("交付額")
    adjustment_reason = models.TextField("交付額を変えた理由", blank=True)
    status = models.CharField(
        "状態", max_length=10, choices=GrantStatus, default=GrantStatus.DECIDED
    )
    decided_on = models.DateField("交付決定日")
    paid_on = models.DateField("交付日", null=True, blank=True)
    settled_on = models.DateField("精算日", null=True, blank=True)

    class Meta:
        verbose_name = "助成金"
        verbose_name_plural = "助成金"
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount=models.F("computed_amount")) | ~Q(adjustment_reason=""),
                name="salons_grant_adjustment_has_reason",
            )
        ]

    def __str__(self):
        return f"{self.plan.reference} {self.amount:,}円"

    def clean(self):
        if (
            self.computed_amount is not None
            and self.amount != self.computed_amount
            and not self.adjustment_reason.strip()
        ):
            raise ValidationError(
                {"adjustment_reason": "基準による額と違う額にするときは、理由を書いてください。"}
            )


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", "提出済み"
    RETURNED = "returned", "差戻し"
    CONFIRMED = "confirmed", "確認済み"


class ActivityReportQuerySet(models.QuerySet):
    def handed_in(self):
        """Reports that count as sent: a returned one must be sent again."""
        return self.filter(status__in=[ReportStatus.SUBMITTED, ReportStatus.CONFIRMED])


class ActivityReport(models.Model):
    """実績報告: what the salon actually held in the 年度 of its plan."""

    plan = models.OneToOneField(
        ActivityPlan, verbose_name="活動計画書", on_delete=models.CASCADE, related_name="report"
    )
    status = models.CharField(
        "状態", max_length=10, choices=ReportStatus, default=ReportStatus.SUBMITTED
    )
    sessions_held = models.PositiveSmallIntegerField(
        "開催回数", validators=[MaxValueValidator(MAX_SESSIONS)]
    )
    total_participants = models.PositiveIntegerField(
        "延べ参加者数", validators=[MaxValueValidator(MAX_PEOPLE * MAX_SESSIONS)]
    )
    total_helpers = models.PositiveIntegerField(
        "延べ協力者数", default=0, validators=[MaxValueValidator(MAX_PEOPLE * MAX_SESSIONS)]
    )
    last_held_on = models.DateField("最後に開催した日")
    comments = models.TextField("活動の感想・課題", max_length=2000, blank=True)
    submitted_at = models.DateTimeField("提出日時")
    confirmed_at = models.DateTimeField("確認日時", null=True, blank=True)

    objects = ActivityReportQuerySet.as_manager()

    class Meta:
        verbose_name = "実績報告"
        verbose_name_plural = "実績報告"
        ordering = ["-submitted_at", "-pk"]

    def __str__(self):
        return f"{self.plan.reference} の実績報告"

    @property
    def spending_total(self) -> int:
        return sum(line.amount for line in self.spending_lines.all())
