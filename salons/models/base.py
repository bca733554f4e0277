"""What the salon's own record and its plans share: limits on what may be typed, and
a regular schedule."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models

from shakyo_portal.core.dates import format_time, time_range_errors
from shakyo_portal.core.recurrence import Weekday

# Sums of money are whole yen. Anything above this is a typing slip, not a budget.
MAX_AMOUNT = 10_000_000
MAX_PEOPLE = 10_000
MAX_SESSIONS = 366


def amount_field(verbose_name, **kwargs):
    return models.PositiveIntegerField(
        verbose_name, validators=[MaxValueValidator(MAX_AMOUNT)], **kwargs
    )


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
        errors.update(time_range_errors(self.starts_at, self.ends_at))
        return errors
