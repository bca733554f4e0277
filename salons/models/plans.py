"""活動計画書: one record for its whole life, its reference number, and the
history of its status (`StatusChange`)."""

import hashlib
import re
import secrets
import unicodedata
from datetime import date

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Sum

from districts.models import District
from salons.models.base import MAX_PEOPLE, MAX_SESSIONS, Schedule, amount_field
from salons.models.contents import BudgetSide
from salons.models.directory import Salon, SalonActivityType, TargetGroup
from salons.models.grants import GrantProgram, GrantStatus
from salons.workflow import EDITABLE, PLAN, PlanStatus, ReportStatus
from shakyo_portal.core.dates import ERAS, wareki
from shakyo_portal.core.fields import KanaReadingField, PhoneNumberField, PostalCodeField
from shakyo_portal.core.normalize import unify_hyphens


class PlanKind(models.TextChoices):
    NEW = "new", "新規"
    RESUMED = "resumed", "再開"
    CONTINUING = "continuing", "継続"


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
        return PLAN[self.status].applicant_label

    @property
    def is_editable_by_applicant(self) -> bool:
        return self.status in EDITABLE

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
        return cls.objects.filter(draft_token_hash=_hash_token(token), status__in=EDITABLE).first()

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
