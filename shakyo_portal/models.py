"""The council itself: its name and contact details, and the offices people call.

Staff edit these in the admin; templates never hard-code them.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone

from shakyo_portal import office_hours
from shakyo_portal.dates import format_date, format_time
from shakyo_portal.fields import PhoneNumberField, PostalCodeField


class SiteProfile(models.Model):
    name = models.CharField("法人名", max_length=100, help_text="例: 総社市社会福祉協議会")
    short_name = models.CharField("略称", max_length=50, help_text="例: 総社市社協")
    tagline = models.CharField("キャッチフレーズ", max_length=200, blank=True)
    postal_code = PostalCodeField("郵便番号", blank=True)
    address = models.CharField("所在地", max_length=200, blank=True)
    phone = PhoneNumberField("代表電話", blank=True)
    fax = PhoneNumberField("代表FAX", blank=True)
    email = models.EmailField("代表メールアドレス", blank=True)

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
