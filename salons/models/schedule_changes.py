"""What staff record against a salon's regular schedule: a 休み (a span the
salon does not meet, once or every year) and a 中止 (one date called off).

Both are one model so the directory reads them for a whole page in one query.
A 休み leaves its dates out; a 中止 stays in the list, marked, so a resident who
heard of the date learns it is off instead of finding it silently gone.
"""

from dataclasses import dataclass
from datetime import date, time, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q
from django.utils import timezone

from salons.models.base import Frequency
from salons.models.directory import Salon, SalonStatus
from shakyo_portal.core.dates import format_date, format_date_range, format_time
from shakyo_portal.core.recurrence import (
    in_yearly_span,
    nth_weekday,
    weekly_dates,
    weeks_of_month_dates,
)


class ChangeKind(models.TextChoices):
    BREAK = "break", "休み（この期間は開催しない）"
    CANCELLED = "cancelled", "中止（この日の開催をとりやめる）"


class SalonScheduleChangeQuerySet(models.QuerySet):
    def relevant(self, today: date):
        """What can still change a coming date: 中止 from today on, 休み not over
        yet, and every yearly 休み."""
        return self.filter(
            Q(kind=ChangeKind.CANCELLED, starts_on__gte=today)
            | Q(kind=ChangeKind.BREAK, every_year=True)
            | Q(kind=ChangeKind.BREAK, ends_on__gte=today)
        ).order_by("starts_on", "pk")


class SalonScheduleChange(models.Model):
    salon = models.ForeignKey(
        Salon,
        verbose_name="サロン",
        on_delete=models.CASCADE,
        related_name="schedule_changes",
    )
    # No default: the admin's empty extra row stays empty unless staff pick one.
    kind = models.CharField("種類", max_length=10, choices=ChangeKind)
    starts_on = models.DateField(
        "日付（休みは初日）",
        help_text="1か月休むときは、その月の1日を入れます（例: 2027/8/1）。",
    )
    ends_on = models.DateField(
        "休みの最終日",
        null=True,
        blank=True,
        help_text="休みのときだけ。1か月休むときは、その月の末日（例: 2027/8/31）。",
    )
    every_year = models.BooleanField(
        "毎年くり返す",
        default=False,
        help_text="休みのときだけ。例: 毎年8月はお休み（年は初日の年を入れておきます）。",
    )
    reason = models.CharField(
        "理由・お知らせ（公開）",
        max_length=100,
        blank=True,
        help_text="公開ページとカレンダーに載ります。例: 8月はお休み、会場の改修工事のため",
    )
    created_at = models.DateTimeField("登録日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    objects = SalonScheduleChangeQuerySet.as_manager()

    class Meta:
        verbose_name = "休み・中止"
        verbose_name_plural = "休み・中止"
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="salon_schedule_change_ends_after_start",
                violation_error_message="休みの最終日は初日より後にしてください。",
            ),
            models.UniqueConstraint(
                fields=["salon", "starts_on"],
                condition=Q(kind="cancelled"),
                name="salon_schedule_change_one_cancellation_a_day",
                violation_error_message="この日の中止はすでに登録されています。",
            ),
        ]

    def __str__(self):
        if self.kind == ChangeKind.CANCELLED:
            return f"{self.starts_on} 中止"
        return f"{self.starts_on}〜{self.ends_on} 休み"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.touch_salon()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.touch_salon()
        return result

    def touch_salon(self):
        # The salon's page and feeds date themselves from the salon: a 中止
        # is news on that page, and calendars replace an event only when its
        # SEQUENCE (taken from this time) grows.
        Salon.objects.filter(pk=self.salon_id).update(updated_at=timezone.now())

    @property
    def is_break(self) -> bool:
        return self.kind == ChangeKind.BREAK

    @property
    def period_label(self) -> str:
        """令和9年1月1日(金)〜31日(日), 毎年8月1日〜8月31日, or the 中止's day."""
        if not self.is_break or self.ends_on is None:
            return format_date(self.starts_on)
        if self.every_year:
            first, last = self.starts_on, self.ends_on
            return f"毎年{first.month}月{first.day}日〜{last.month}月{last.day}日"
        return format_date_range(self.starts_on, self.ends_on)

    def covers(self, day: date) -> bool:
        """Whether this 休み leaves `day` out."""
        if not self.is_break or self.ends_on is None:
            return False
        if self.every_year:
            return in_yearly_span(day, self.starts_on, self.ends_on)
        return self.starts_on <= day <= self.ends_on

    def clean(self):
        errors = {}
        if self.kind == ChangeKind.BREAK:
            if self.ends_on is None:
                errors["ends_on"] = "休みの最終日を入力してください（1日だけなら初日と同じ日）。"
            elif self.starts_on and self.ends_on < self.starts_on:
                errors["ends_on"] = "休みの最終日は初日より後にしてください。"
            elif self.every_year and self.starts_on and (self.ends_on - self.starts_on).days >= 365:
                errors["ends_on"] = "毎年くり返す休みは、1年より短くしてください。"
        elif self.kind == ChangeKind.CANCELLED:
            if self.ends_on is not None:
                errors["ends_on"] = "中止のときは、最終日を空欄にしてください（1日ずつ登録）。"
            if self.every_year:
                errors["every_year"] = (
                    "「毎年くり返す」は休みのときだけです。中止は1日ずつ登録します。"
                )
            if self.starts_on and self.salon_id is not None:
                if self.salon.frequency == Frequency.IRREGULAR or self.salon.weekday is None:
                    errors["kind"] = (
                        "不定期のサロンは開催日を公開ページに出していないため、中止を登録しても"
                        "載りません。お知らせは「開催日の補足」に書いてください。"
                    )
                elif not is_rule_date(self.salon, self.starts_on):
                    errors["starts_on"] = (
                        f"この日は、このサロンの開催日（{self.salon.schedule_label}）ではありません。"
                    )
        if errors:
            raise ValidationError(errors)


def is_rule_date(salon, day: date) -> bool:
    """Whether the salon's regular schedule falls on `day` (never, for an
    irregular salon: its dates are not known here)."""
    if salon.frequency == Frequency.IRREGULAR or salon.weekday is None:
        return False
    if day.weekday() != salon.weekday:
        return False
    if salon.frequency == Frequency.WEEKLY:
        return True
    return any(nth_weekday(day.year, day.month, salon.weekday, n) == day for n in salon.weeks)


# How far ahead dates are looked for: a salon on a long 休み shows fewer dates,
# and one whose every date is off shows none, rather than searching forever.
HORIZON_DAYS = 400
# The salon page and the calendar feed list this many coming dates.
COMING_SHOWN = 3


@dataclass(frozen=True)
class SalonDate:
    """One coming date of a salon, from its regular schedule."""

    on: date
    starts_at: time | None
    ends_at: time | None
    cancelled: bool = False
    reason: str = ""

    @property
    def label(self) -> str:
        """令和8年12月9日(水) 10:00〜12:00, or the date alone without a time."""
        text = format_date(self.on)
        if self.starts_at and self.ends_at:
            return f"{text} {format_time(self.starts_at)}〜{format_time(self.ends_at)}"
        if self.starts_at:
            return f"{text} {format_time(self.starts_at)}〜"
        return text


def has_rule(salon) -> bool:
    """Whether the salon's dates can be worked out: it meets, by a rule."""
    if salon.status != SalonStatus.ACTIVE or salon.weekday is None:
        return False
    if salon.frequency == Frequency.WEEKLY:
        return True
    return salon.frequency == Frequency.MONTHLY and bool(salon.weeks)


def rule_dates(salon, *, start: date, until: date):
    """The dates the regular schedule gives from `start` to `until`, in order;
    nothing for a salon without a rule (see has_rule)."""
    if not has_rule(salon):
        return iter(())
    if salon.frequency == Frequency.WEEKLY:
        return weekly_dates(weekday=salon.weekday, start=start, until=until)
    return weeks_of_month_dates(weekday=salon.weekday, weeks=salon.weeks, start=start, until=until)


def coming_dates(
    salon, changes, *, today: date, count: int = COMING_SHOWN, until: date | None = None
) -> list[SalonDate]:
    """The salon's next `count` dates it meets, from `today` on, with any 中止
    date before the last of them (marked, not counted); dates in a 休み are
    left out. `changes` are the salon's SalonScheduleChange rows (prefetched).

    With `until`, every date up to then (count is ignored): a month's calendar.
    Nothing is invented: a salon that is paused, preparing, closed or
    irregular has no dates here.
    """
    end = until or today + timedelta(days=HORIZON_DAYS)
    breaks = [change for change in changes if change.is_break]
    cancelled = {change.starts_on: change.reason for change in changes if not change.is_break}
    found, held = [], 0
    for day in rule_dates(salon, start=today, until=end):
        if any(change.covers(day) for change in breaks):
            continue
        if day in cancelled:
            found.append(SalonDate(day, salon.starts_at, salon.ends_at, True, cancelled[day]))
            continue
        found.append(SalonDate(day, salon.starts_at, salon.ends_at))
        held += 1
        if until is None and held >= count:
            break
    return found


def next_date(dates: list[SalonDate]) -> SalonDate | None:
    return next((d for d in dates if not d.cancelled), None)


def changes_prefetch(today: date) -> Prefetch:
    """The 休み and 中止 that can still change a coming date, for any number of
    salons in one query, as `salon.change_list`."""
    return Prefetch(
        "schedule_changes",
        queryset=SalonScheduleChange.objects.relevant(today),
        to_attr="change_list",
    )


def add_coming(salons, *, today: date, count: int = COMING_SHOWN):
    """Sets `coming` (the dates, 中止 marked), `next` (the first date held, or
    None) and `called_off` (中止 dates before it) on each salon; needs
    changes_prefetch. Returns the salons."""
    for salon in salons:
        salon.coming = coming_dates(salon, salon.change_list, today=today, count=count)
        salon.next = next_date(salon.coming)
        salon.called_off = [
            d for d in salon.coming if d.cancelled and (salon.next is None or d.on < salon.next.on)
        ]
        # A gap in the dates is explained: the 休み that are not over yet.
        salon.breaks_ahead = [change for change in salon.change_list if change.is_break]
    return salons
