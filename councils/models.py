"""協議体 (the councils of the 生活支援体制整備事業), the areas they cover and their meetings.

Layer 1 covers the whole city; each layer-2 council covers one 日常生活圏域
(`LifeArea`), which is made of districts. A council meets by a monthly rule
(原則第3火曜日, 月末の月曜日) that the site turns into the next expected dates;
each `Meeting` then records what actually happened, including the ones that
were cancelled, postponed or held on paper, which stay in the archive.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from districts.models import District
from shakyo_portal.core import office_hours
from shakyo_portal.core.calendars import CalendarSequence, sequence_field
from shakyo_portal.core.dates import format_date, format_period, format_time, time_range_errors
from shakyo_portal.core.fields import KanaReadingField
from shakyo_portal.core.fiscal import fiscal_year, fiscal_year_label
from shakyo_portal.core.models import Office
from shakyo_portal.core.precision import (
    DatePrecision,
    format_partial,
    is_exact,
    normalized,
    precision_field,
)
from shakyo_portal.core.recurrence import Weekday, monthly_dates

MONTHS_IN_FISCAL_ORDER = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)


def parse_months(text: str) -> frozenset[int]:
    """ "5,7,9" -> {5, 7, 9}; ValueError for anything but months 1–12."""
    parts = [p.strip() for p in text.replace("、", ",").split(",")]
    months = frozenset(int(p) for p in parts if p)
    if any(not 1 <= m <= 12 for m in months):
        raise ValueError(text)
    return months


class LifeAreaKind(models.TextChoices):
    JUNIOR_HIGH = "junior_high", "中学校区"
    ELEMENTARY = "elementary", "小学校区"
    COMPREHENSIVE_CARE = "comprehensive_care", "地域包括支援センター区域"
    DISTRICT = "district", "地区"


class LifeArea(models.Model):
    name = models.CharField("圏域名", max_length=50, help_text="例: 総社西中学校区")
    reading = KanaReadingField("よみがな")
    slug = models.SlugField("URL名", unique=True)
    kind = models.CharField("圏域の種類", max_length=20, choices=LifeAreaKind)
    districts = models.ManyToManyField(
        District, verbose_name="含まれる地区社協", blank=True, related_name="life_areas"
    )
    description = models.TextField("説明", blank=True)
    display_order = models.PositiveIntegerField("表示順", default=0)

    class Meta:
        verbose_name = "日常生活圏域"
        verbose_name_plural = "日常生活圏域"
        ordering = ["display_order", "reading", "pk"]

    def __str__(self):
        return self.name


class Layer(models.IntegerChoices):
    CITY = 1, "第1層（市全域）"
    AREA = 2, "第2層（日常生活圏域）"


class MeetingRule(models.TextChoices):
    NTH_WEEKDAY = "nth", "毎月第N曜日"
    LAST_WEEKDAY = "last", "月末の曜日"
    IRREGULAR = "irregular", "不定期"


# How many coming dates a council's card and page show.
UPCOMING_SHOWN = 3


class ClosedDays(models.TextChoices):
    """What the rule's expected dates do on a day the office is closed for a 祝日
    or 年末年始: a council may meet then, but most do not."""

    SKIP = "skip", "予定に入れない"
    MARK = "mark", "予定に入れ、祝日・年末年始にあたると書き添える"
    HOLD = "hold", "その日も開催する（書き添えない）"


class CouncilQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)

    def covering(self, district):
        """Layer-2 councils whose life area takes in `district` (or, for a
        sub-district, its parent district, which is what areas list)."""
        ids = [district.pk] if district.parent_id is None else [district.pk, district.parent_id]
        # A subquery rather than a join: a join repeats a council for each of its
        # districts, and the DISTINCT that undid it sorted every column.
        areas = LifeArea.objects.filter(districts__in=ids)
        return self.filter(layer=Layer.AREA, life_area__in=areas)

    def with_upcoming(self, shown=UPCOMING_SHOWN):
        """One query more: each council's next `shown` meetings that are not
        held yet, as `upcoming_meetings` (a window function reads at most that
        many a council, however long its history)."""
        return self.prefetch_related(
            Prefetch(
                "meetings",
                queryset=Meeting.objects.upcoming().order_by("held_on", "starts_at", "pk")[:shown],
                to_attr="upcoming_meetings",
            )
        )

    def for_index(self):
        """/councils/: 3 queries (councils with their area and office; the areas'
        public districts, only what a card shows of them; each council's next
        meetings)."""
        return (
            self.public()
            .select_related("life_area", "office")
            .prefetch_related(
                Prefetch(
                    "life_area__districts",
                    queryset=District.objects.public().only("name", "reading", "slug").with_urls(),
                    to_attr="public_districts",
                )
            )
            .with_upcoming()
        )

    def for_detail(self):
        """A council's page: 2 queries (the council with area and office; the
        area's public districts)."""
        return (
            self.public()
            .select_related("life_area", "office")
            .prefetch_related(
                Prefetch(
                    "life_area__districts",
                    queryset=District.objects.public(),
                    to_attr="public_districts",
                )
            )
        )

    def by_life_area(self) -> dict[int, "Council"]:
        """{life area pk: its public layer-2 council} in one query, for pages of
        other apps that link an area to the council that covers it."""
        councils = self.public().filter(layer=Layer.AREA).reverse()
        # Read in reverse so that, where an area has two, the first in order wins.
        return {council.life_area_id: council for council in councils}

    def search(self, text: str):
        """Public councils whose public text mentions `text`. Representatives'
        names are never searched: finding a council by a name nobody consented
        to publish would reveal it."""
        return self.public().filter(
            Q(name__icontains=text)
            | Q(nickname__icontains=text)
            | Q(purpose__icontains=text)
            | Q(description__icontains=text)
            | Q(life_area__name__icontains=text)
        )


@dataclass(frozen=True)
class ComingDate:
    """A date in a council's coming schedule: a registered meeting, or (meeting
    None) a date the regular rule gives that nobody has registered yet."""

    on: date
    starts_at: time | None
    ends_at: time | None
    meeting: "Meeting | None" = None
    # An expected date on a 祝日 or in the office's 年末年始, for a council that
    # asked for such dates to be marked: 「祝日（勤労感謝の日）」, 「年末年始」.
    closure: str = ""

    @property
    def is_expected(self) -> bool:
        """Only the rule's 予定（目安）: it may still move."""
        return self.meeting is None

    @property
    def is_planned(self) -> bool:
        """Expected, or a registered meeting that is still on."""
        return self.meeting is None or self.meeting.status == MeetingStatus.SCHEDULED

    @property
    def when(self) -> str:
        if self.meeting is not None:
            return self.meeting.when
        return when_label(self.on, self.starts_at, self.ends_at)

    @property
    def sort_day(self) -> date:
        """A meeting known only to its month or 年度 goes after the dates of
        that period that are known: "some time in May" is not "1 May"."""
        return self.meeting.last_possible_day if self.meeting is not None else self.on


def when_label(on: date, starts_at: time | None, ends_at: time | None) -> str:
    """令和8年12月15日(火) 10:00〜12:00, or the date alone without a time."""
    if starts_at is None:
        return format_date(on)
    start = timezone.make_aware(datetime.combine(on, starts_at))
    end = timezone.make_aware(datetime.combine(on, ends_at)) if ends_at else None
    return format_period(start, end)


class Council(models.Model):
    name = models.CharField("名称", max_length=100, help_text="例: 生活支援サービス検討委員会")
    nickname = models.CharField(
        "愛称", max_length=50, blank=True, help_text="例: いい輪ネットおがわ"
    )
    reading = KanaReadingField("よみがな")
    slug = models.SlugField("URL名", unique=True)
    layer = models.PositiveSmallIntegerField("層", choices=Layer)
    life_area = models.ForeignKey(
        LifeArea,
        verbose_name="日常生活圏域",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="councils",
        help_text="第2層の協議体では必ず選びます。",
    )
    purpose = models.TextField("目的")
    description = models.TextField("紹介", blank=True)
    meeting_rule = models.CharField(
        "定例会の決まり", max_length=10, choices=MeetingRule, default=MeetingRule.IRREGULAR
    )
    meeting_week = models.PositiveSmallIntegerField(
        "第何週",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="毎月第N曜日のときだけ（1〜5）。",
    )
    meeting_weekday = models.PositiveSmallIntegerField(
        "曜日", choices=Weekday, null=True, blank=True
    )
    meeting_months = models.CharField(
        "開催する月",
        max_length=30,
        blank=True,
        help_text="毎月でないときだけ、半角数字をカンマで区切って入力（例: 5,7,9,11,1,3）。",
    )
    meeting_starts_at = models.TimeField("開始時刻", null=True, blank=True)
    meeting_ends_at = models.TimeField("終了時刻", null=True, blank=True)
    meeting_as_a_rule = models.BooleanField(
        "「原則」と表示する", default=True, help_text="日程が変わることがあるとき。"
    )
    meeting_place = models.CharField("主な会場", max_length=100, blank=True)
    meeting_on_closed_days = models.CharField(
        "祝日・年末年始にあたる日",
        max_length=10,
        choices=ClosedDays,
        default=ClosedDays.SKIP,
        help_text=(
            "定例会の決まりから計算した日（予定（目安））が、祝日や問合せ窓口の年末年始の"
            "休業日にあたるときの扱い。登録した会議には関係しません。"
        ),
    )
    office = models.ForeignKey(
        Office,
        verbose_name="問合せ窓口",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="councils",
    )
    is_public = models.BooleanField("公開する", default=True)
    display_order = models.PositiveIntegerField("表示順", default=0)

    objects = CouncilQuerySet.as_manager()

    class Meta:
        verbose_name = "協議体"
        verbose_name_plural = "協議体"
        ordering = ["layer", "display_order", "reading", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(layer=Layer.CITY) | Q(life_area__isnull=False),
                name="council_area_layer_has_life_area",
                violation_error_message="第2層の協議体には日常生活圏域を選んでください。",
            ),
            models.CheckConstraint(
                condition=Q(meeting_ends_at__isnull=True)
                | Q(meeting_starts_at__isnull=True)
                | Q(meeting_ends_at__gt=F("meeting_starts_at")),
                name="council_meeting_ends_after_start",
                violation_error_message="終了時刻は開始時刻より後にしてください。",
            ),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("councils:detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if self.layer == Layer.AREA and self.life_area_id is None:
            errors["life_area"] = "第2層の協議体には日常生活圏域を選んでください。"
        if self.layer == Layer.CITY and self.life_area_id is not None:
            errors["life_area"] = "第1層（市全域）の協議体では、日常生活圏域を空欄にしてください。"
        if self.meeting_rule != MeetingRule.IRREGULAR and self.meeting_weekday is None:
            errors["meeting_weekday"] = "曜日を選んでください。"
        if self.meeting_rule == MeetingRule.NTH_WEEKDAY and self.meeting_week is None:
            errors["meeting_week"] = "第何週かを1〜5から選んでください。"
        try:
            parse_months(self.meeting_months)
        except ValueError:
            errors["meeting_months"] = "開催する月は1〜12の数字をカンマで区切って入力してください。"
        errors.update(
            time_range_errors(
                self.meeting_starts_at,
                self.meeting_ends_at,
                starts_field="meeting_starts_at",
                ends_field="meeting_ends_at",
            )
        )
        if errors:
            raise ValidationError(errors)

    @property
    def display_name(self) -> str:
        """いい輪ネットおがわ（小川地区協議体）, or the name alone."""
        return f"{self.nickname}（{self.name}）" if self.nickname else self.name

    @property
    def months(self) -> frozenset[int]:
        """The months the council meets in; empty means every month.

        Raises ValueError for anything but numbers 1–12 separated by commas.
        """
        return parse_months(self.meeting_months)

    @property
    def schedule_label(self) -> str:
        """原則毎月第3火曜日 10:00〜12:00, 原則月末の月曜日, 5月・7月の第1金曜日, or 不定期."""
        if self.meeting_rule == MeetingRule.IRREGULAR or self.meeting_weekday is None:
            label = "不定期"
        else:
            weekday = self.get_meeting_weekday_display()
            if self.meeting_rule == MeetingRule.LAST_WEEKDAY:
                day = f"月末の{weekday}"
            else:
                day = f"第{self.meeting_week}{weekday}"
            try:
                months = sorted(self.months, key=MONTHS_IN_FISCAL_ORDER.index)
            except ValueError:
                months = []
            if months:
                when = f"{'・'.join(f'{m}月' for m in months)}の{day}"
            elif self.meeting_rule == MeetingRule.LAST_WEEKDAY:
                when = day  # 月末 already says "every month"
            else:
                when = f"毎月{day}"
            label = f"原則{when}" if self.meeting_as_a_rule else when
        if self.meeting_starts_at and self.meeting_ends_at:
            label += f" {format_time(self.meeting_starts_at)}〜{format_time(self.meeting_ends_at)}"
        elif self.meeting_starts_at:
            label += f" {format_time(self.meeting_starts_at)}〜"
        return label

    def closure_on(self, day: date) -> str | None:
        """「年末年始」 or the 祝日's name when `day` is one for this council's
        office (the standard 12月29日〜1月3日 without an office), else None.
        Needs the office selected, or it queries."""
        if self.office_id is not None:
            return self.office.holiday_or_year_end(day)
        return office_hours.holiday_or_year_end(day)

    def expected_dates(self, *, start: date | None = None, count: int = 3) -> list[date]:
        """The next dates the rule gives, from `start` (today) on; none when
        irregular. Days on a 祝日 or in 年末年始 are left out unless the council
        meets then (meeting_on_closed_days)."""
        return [day for day, _ in self.expected_days(start=start, count=count)]

    def expected_days(self, *, start: date | None = None, count: int = 3) -> list[tuple[date, str]]:
        """(date, closure) for the rule's next dates: closure is 「祝日（…）」 or
        「年末年始」 where the council asked to mark such days, else ""."""
        if self.meeting_rule == MeetingRule.IRREGULAR or self.meeting_weekday is None:
            return []
        try:
            months = self.months
        except ValueError:
            return []
        # A year of candidates more than asked for: skipped days (a Monday rule
        # loses several a year to 祝日) must not shorten the list.
        candidates = monthly_dates(
            weekday=self.meeting_weekday,
            week=self.meeting_week if self.meeting_rule == MeetingRule.NTH_WEEKDAY else None,
            start=start or timezone.localdate(),
            count=count + 12,
            months=months,
        )
        rule = self.meeting_on_closed_days
        days = []
        for day in candidates:
            closure = None if rule == ClosedDays.HOLD else self.closure_on(day)
            if closure is None:
                days.append((day, ""))
            elif rule == ClosedDays.MARK:
                days.append((day, closure if closure == "年末年始" else f"祝日（{closure}）"))
            if len(days) == count:
                break
        return days

    def coming_dates(
        self, meetings, *, today: date | None = None, count: int = UPCOMING_SHOWN
    ) -> list[ComingDate]:
        """The council's coming schedule: `meetings` (its meetings from today on
        that are not held yet), then the rule's expected dates, until `count`
        dates are planned.

        A called-off meeting stays in the list, marked, but does not count. An
        expected date is left out in any month that already has a meeting: the
        meeting is the truth for that month (it may have moved off the rule's
        day, or been cancelled), and two dates in one month would mislead.
        """
        today = today or timezone.localdate()
        entries = [
            ComingDate(m.held_on, m.starts_at, m.ends_at, m)
            for m in meetings
            if not m.is_over(today) and m.status != MeetingStatus.HELD
        ]
        missing = count - sum(entry.is_planned for entry in entries)
        if missing > 0:
            # A meeting known only to its 年度 takes no month: which one is not known.
            taken = {
                (m.on.year, m.on.month)
                for m in entries
                if m.meeting.held_on_precision != DatePrecision.FISCAL_YEAR
            }
            expected = [
                (day, closure)
                for day, closure in self.expected_days(start=today, count=missing + len(taken))
                if (day.year, day.month) not in taken
            ]
            entries += [
                ComingDate(day, self.meeting_starts_at, self.meeting_ends_at, closure=closure)
                for day, closure in expected[:missing]
            ]
        return sorted(entries, key=lambda entry: (entry.sort_day, entry.meeting is None))

    def next_date(self, meetings, *, today: date | None = None) -> ComingDate | None:
        """The next date the council is planned to meet (registered or expected)."""
        return next(
            (entry for entry in self.coming_dates(meetings, today=today) if entry.is_planned),
            None,
        )


class MemberRole(models.TextChoices):
    LOCAL = "local", "地域の活動者"
    CONNECTING = "connecting", "つなぐ活動者"
    SUPPORTING = "supporting", "支援の活動者"


class Position(models.TextChoices):
    CHAIR = "chair", "会長"
    VICE_CHAIR = "vice_chair", "副会長"
    MEMBER = "member", "委員"


class CouncilMemberQuerySet(models.QuerySet):
    def current(self, on: date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(term_start__isnull=True) | Q(term_start__lte=on)).filter(
            Q(term_end__isnull=True) | Q(term_end__gte=on)
        )


class CouncilMember(models.Model):
    """An organisation that sits on a council (構成員), and optionally the person it sends."""

    council = models.ForeignKey(
        Council, verbose_name="協議体", on_delete=models.CASCADE, related_name="members"
    )
    organisation = models.CharField(
        "団体名", max_length=100, help_text="例: 老人クラブ連合会、地域包括支援センター"
    )
    role = models.CharField(
        "協議体での役割",
        max_length=20,
        choices=MemberRole,
        blank=True,
        help_text="協議体が役割を公表していないときは空欄に（公開ページでは分けずに並べます）。",
    )
    position = models.CharField("役職", max_length=20, choices=Position, default=Position.MEMBER)
    representative_name = models.CharField("代表者の氏名", max_length=50, blank=True)
    consent_date = models.DateField(
        "氏名の公開に同意を得た日",
        null=True,
        blank=True,
        help_text="同意がない代表者の氏名は公開されません。",
    )
    publish_representative = models.BooleanField("代表者の氏名を公開する", default=False)
    term_start = models.DateField("任期の開始日", null=True, blank=True)
    term_end = models.DateField("任期の終了日", null=True, blank=True)
    display_order = models.PositiveIntegerField("表示順", default=0)

    objects = CouncilMemberQuerySet.as_manager()

    class Meta:
        verbose_name = "構成員"
        verbose_name_plural = "構成員"
        ordering = ["council", "display_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True)
                | Q(term_start__isnull=True)
                | Q(term_end__gte=F("term_start")),
                name="council_member_term_ends_after_start",
                violation_error_message="任期の終了日は開始日より後にしてください。",
            ),
            models.CheckConstraint(
                condition=Q(publish_representative=False) | Q(consent_date__isnull=False),
                name="council_member_publishes_only_with_consent",
                violation_error_message=(
                    "氏名を公開するときは、公開に同意を得た日を入力してください。"
                ),
            ),
        ]

    def __str__(self):
        return f"{self.organisation}（{self.council}）"

    def clean(self):
        errors = {}
        if self.term_start and self.term_end and self.term_end < self.term_start:
            errors["term_end"] = "任期の終了日は開始日より後にしてください。"
        if self.publish_representative and self.consent_date is None:
            errors["consent_date"] = "氏名を公開するときは、公開に同意を得た日を入力してください。"
        if self.consent_date and self.consent_date > timezone.localdate():
            errors["consent_date"] = "同意を得た日に未来の日付は入力できません。"
        if errors:
            raise ValidationError(errors)

    @property
    def public_representative(self) -> str:
        """The representative's name where they consented to it being shown, else ''."""
        if self.publish_representative and self.consent_date and self.representative_name:
            return self.representative_name
        return ""


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", "対面"
    ONLINE = "online", "オンライン"
    WRITTEN = "written", "書面開催"


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "予定"
    HELD = "held", "開催済"
    CANCELLED = "cancelled", "中止"
    POSTPONED = "postponed", "延期"


# A subscribed calendar drops an event the day it leaves the feed, so the feed
# keeps recent meetings for a while; the cap keeps the file small.
FEED_PAST_DAYS = 60
FEED_MAX_EVENTS = 200
# A meeting's fields that its calendar event shows (councils/feeds.py).
FEED_FIELDS = (
    "council",
    "number",
    "title",
    "held_on",
    "held_on_precision",
    "starts_at",
    "ends_at",
    "format",
    "place",
    "status",
    "status_reason",
    "replacement",
    "replaced_by",
    "created_at",
    "updated_at",
    "sequence",
)


def not_over(today: date) -> Q:
    """Meetings whose day may still be today or later: the day itself when it
    is known, else any day of its month or 年度 (so whatever day of the period
    was typed)."""
    return (
        Q(held_on_precision=DatePrecision.DAY, held_on__gte=today)
        | Q(held_on_precision=DatePrecision.MONTH, held_on__gte=today.replace(day=1))
        | Q(
            held_on_precision=DatePrecision.FISCAL_YEAR,
            held_on__gte=date(fiscal_year(today), 4, 1),
        )
    )


class MeetingQuerySet(models.QuerySet):
    def public(self):
        return self.filter(council__is_public=True)

    def archived(self, today: date | None = None):
        """What the archive lists: past meetings, whatever became of them, and
        any held already (a meeting held this morning)."""
        today = today or timezone.localdate()
        return self.filter(~not_over(today) | Q(status=MeetingStatus.HELD))

    def for_detail(self):
        """A meeting's page: 1 query here (the meeting, its council and area, the
        meeting it was postponed to) plus 4 prefetches (agenda with its kinds,
        materials, participants with their members, meetings it replaces)."""
        return (
            self.public()
            .select_related("council__life_area", "replaced_by__council")
            .prefetch_related(
                # In staff's order: the models' own orders begin with the
                # meeting, which would join its table to sort by a constant.
                Prefetch(
                    "agenda_items",
                    queryset=AgendaItem.objects.select_related("kind").order_by(
                        "display_order", "pk"
                    ),
                ),
                Prefetch(
                    "materials",
                    queryset=MeetingMaterial.objects.order_by("display_order", "pk"),
                ),
                Prefetch(
                    "participants",
                    queryset=MeetingParticipant.objects.select_related("member").order_by(
                        "display_order", "pk"
                    ),
                ),
                Prefetch(
                    "replaces",
                    queryset=Meeting.objects.select_related("council").order_by("held_on", "pk"),
                ),
            )
        )

    def for_feed(self, today: date | None = None):
        """The calendar feed: 1 query (meetings with their council and the
        meeting each was postponed to), reading only what an event shows, so
        never the staff notes; councils/feeds.py reads their agenda in one more.

        Only meetings whose day is known: a calendar event has a day, and one
        known only to its month or 年度 would stand in people's calendars on a
        day nobody chose (see councils/feeds.py)."""
        today = today or timezone.localdate()
        return (
            self.public()
            .filter(held_on_precision=DatePrecision.DAY)
            .filter(held_on__gte=today - timedelta(days=FEED_PAST_DAYS))
            .select_related("council", "replaced_by")
            .only(
                *FEED_FIELDS,
                "council__name",
                "council__nickname",
                "council__slug",
                # What "延期後の日程" says of the meeting it moved to.
                "replaced_by__held_on",
                "replaced_by__held_on_precision",
                "replaced_by__starts_at",
                "replaced_by__ends_at",
            )
            .order_by("held_on", "starts_at", "pk")[:FEED_MAX_EVENTS]
        )

    def search(self, text: str):
        """Public meetings whose public text mentions `text`. Staff notes are
        never searched, so no result can hint at what they say."""
        matching = self.filter(
            Q(title__icontains=text)
            | Q(place__icontains=text)
            | Q(minutes__icontains=text)
            | Q(guests__icontains=text)
            | Q(status_reason__icontains=text)
            | Q(replacement__icontains=text)
            | Q(agenda_items__title__icontains=text)
            | Q(council__name__icontains=text)
            | Q(council__nickname__icontains=text)
        )
        return self.public().filter(pk__in=matching.values("pk"))

    def upcoming(self, now: datetime | None = None):
        """Meetings from today on that are still planned, or were called off
        (so a calendar can show them as cancelled). One known only to its
        month or 年度 counts as coming until that period is over."""
        today = timezone.localdate(now) if now else timezone.localdate()
        return self.filter(not_over(today)).exclude(status=MeetingStatus.HELD)

    def for_fiscal_year(self, fy: int):
        return self.filter(held_on__range=(date(fy, 4, 1), date(fy + 1, 3, 31)))


class Meeting(CalendarSequence):
    council = models.ForeignKey(
        Council, verbose_name="協議体", on_delete=models.CASCADE, related_name="meetings"
    )
    number = models.PositiveSmallIntegerField(
        "回", null=True, blank=True, help_text="第何回か（年度ごとの通し番号）。"
    )
    title = models.CharField("会議名", max_length=100, blank=True, help_text="空欄なら「第N回」")
    held_on = models.DateField(
        "開催日",
        help_text="日が決まっていない・分からないときは、その月か年度のどの日かを入れ、"
        "下の「日付の精度」を選びます。",
    )
    held_on_precision = precision_field()
    starts_at = models.TimeField("開始時刻", null=True, blank=True)
    ends_at = models.TimeField("終了時刻", null=True, blank=True)
    format = models.CharField(
        "開催方法", max_length=20, choices=MeetingFormat, default=MeetingFormat.IN_PERSON
    )
    place = models.CharField(
        "会場", max_length=100, blank=True, help_text="オンラインのときは空欄可"
    )
    status = models.CharField(
        "状態", max_length=20, choices=MeetingStatus, default=MeetingStatus.SCHEDULED
    )
    status_reason = models.TextField(
        "中止・延期の理由", blank=True, help_text="中止・延期のときは必ず入力します（公開）。"
    )
    replacement = models.TextField(
        "代わりに行ったこと", blank=True, help_text="例: 資料を郵送し、書面で意見をいただきました。"
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name="延期後の会議",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
    )
    # Who took part one by one is in MeetingParticipant; this is for what a
    # council publishes only as a summary, which no one should have to split.
    guests = models.CharField(
        "その他の参加者（まとめて）",
        max_length=200,
        blank=True,
        help_text="一人ずつ載せないときに、まとめて書きます（例: 総社市長寿介護課、地域住民）。"
        "公開ページに載ります。",
    )
    participant_count = models.PositiveIntegerField(
        "参加者数", null=True, blank=True, validators=[MaxValueValidator(10_000)]
    )
    minutes = models.TextField("議事の概要（公開）", blank=True)
    staff_notes = models.TextField(
        "職員メモ（非公開）", blank=True, help_text="公開ページ・カレンダー・検索には出ません。"
    )
    created_at = models.DateTimeField("登録日時", auto_now_add=True)
    updated_at = models.DateTimeField("更新日時", auto_now=True)
    sequence = sequence_field()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "会議"
        verbose_name_plural = "会議"
        ordering = ["-held_on", "-starts_at", "-pk"]
        # The calendar feed reads the meetings from a day on: without this it
        # reads every meeting ever held, a list that grows each year.
        indexes = [models.Index(fields=["held_on"], name="councils_meeting_held_on")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | Q(starts_at__isnull=True)
                | Q(ends_at__gt=F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message="終了時刻は開始時刻より後にしてください。",
            ),
        ]

    def __str__(self):
        return f"{self.council} {self.label}"

    def get_absolute_url(self):
        return reverse("councils:meeting", kwargs={"slug": self.council.slug, "pk": self.pk})

    def save(self, *args, **kwargs):
        # Also here, not only in clean(): code that saves without a form keeps
        # "May 2019" on one stored day, so two such meetings sort as one.
        self.held_on = normalized(self.held_on, self.held_on_precision)
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        self.held_on = normalized(self.held_on, self.held_on_precision)
        if not is_exact(self.held_on_precision) and (self.starts_at or self.ends_at):
            errors["starts_at"] = (
                "開催日が月や年度までしか分からないときは、時刻は空欄にしてください"
                "（日の分からない時刻は、カレンダーに載せられません）。"
            )
        errors.update(time_range_errors(self.starts_at, self.ends_at))
        if self.is_called_off and not self.status_reason.strip():
            errors["status_reason"] = "中止・延期のときは理由を入力してください。"
        if self.replaced_by_id is not None and self.replaced_by_id == self.pk:
            errors["replaced_by"] = "延期後の会議に、この会議自身は選べません。"
        elif self.replaced_by_id is not None and self.council_id is not None:
            later = self.replaced_by
            if later.council_id != self.council_id:
                errors["replaced_by"] = "延期後の会議は、同じ協議体の会議から選んでください。"
            elif self.held_on and later.last_possible_day < self.held_on:
                errors["replaced_by"] = (
                    "延期後の会議は、この会議より後の日付の会議を選んでください。"
                )
        if errors:
            raise ValidationError(errors)

    @property
    def label(self) -> str:
        """令和6年度第2回, or the title staff gave."""
        if self.title:
            return self.title
        year = fiscal_year_label(fiscal_year(self.held_on))
        return f"{year}第{self.number}回" if self.number else f"{year}の会議"

    @property
    def fiscal_year(self) -> int:
        return fiscal_year(self.held_on)

    @property
    def is_called_off(self) -> bool:
        return self.status in (MeetingStatus.CANCELLED, MeetingStatus.POSTPONED)

    @property
    def when(self) -> str:
        """令和8年12月15日(火) 10:00〜12:00, the date alone, or only as much of
        the date as is known: 令和元年5月, 令和元年度."""
        if not is_exact(self.held_on_precision):
            return format_partial(self.held_on, self.held_on_precision)
        return when_label(self.held_on, self.starts_at, self.ends_at)

    @property
    def date_label(self) -> str:
        """The date without the time, only as far as it is known."""
        return format_partial(self.held_on, self.held_on_precision)

    @property
    def has_exact_day(self) -> bool:
        return is_exact(self.held_on_precision)

    @property
    def last_possible_day(self) -> date:
        """The last day the meeting may be on: its day, or the end of its month
        or 年度."""
        if self.held_on_precision == DatePrecision.MONTH:
            following = (self.held_on.replace(day=28) + timedelta(days=4)).replace(day=1)
            return following - timedelta(days=1)
        if self.held_on_precision == DatePrecision.FISCAL_YEAR:
            return date(fiscal_year(self.held_on) + 1, 3, 31)
        return self.held_on

    @property
    def day_to_follow(self) -> bool:
        """Known only to its month or 年度, and that period is not over: its
        day is still to be fixed (for a past one, it is simply not recorded)."""
        return not self.has_exact_day and not self.is_over(timezone.localdate())

    def is_over(self, today: date) -> bool:
        """Whether its last possible day has passed (see not_over)."""
        return self.last_possible_day < today

    @property
    def place_label(self) -> str:
        """Where it is, as a resident needs to know it."""
        if self.format == MeetingFormat.WRITTEN:
            return self.place or "書面（資料の送付）"
        if self.format == MeetingFormat.ONLINE:
            return f"オンライン（{self.place}）" if self.place else "オンライン"
        return self.place

    def starts(self) -> datetime | None:
        """The aware start, in Japan time; None for a meeting without a time."""
        if self.starts_at is None or not self.has_exact_day:
            return None
        return timezone.make_aware(datetime.combine(self.held_on, self.starts_at))

    def ends(self) -> datetime | None:
        if self.ends_at is None or not self.has_exact_day:
            return None
        return timezone.make_aware(datetime.combine(self.held_on, self.ends_at))


class MeetingParticipantQuerySet(models.QuerySet):
    def members(self):
        return self.filter(member__isnull=False)

    def guests(self):
        return self.filter(member__isnull=True)


class MeetingParticipant(models.Model):
    """One who took part in a meeting, in the order staff list them: a
    standing member (構成員, shown by its organisation only, as everywhere), or
    a guest for this meeting alone, whose name shows only when staff say so."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="会議", on_delete=models.CASCADE, related_name="participants"
    )
    member = models.ForeignKey(
        CouncilMember,
        verbose_name="構成員",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="participations",
        help_text="構成員でない参加者（ゲスト・講師など）のときは空欄にし、氏名・名称を書きます。",
    )
    name = models.CharField(
        "氏名・名称（構成員以外）",
        max_length=100,
        blank=True,
        help_text="例: 総社市長寿介護課、山田 花子",
    )
    affiliation = models.CharField(
        "所属・立場",
        max_length=100,
        blank=True,
        help_text="例: 講師、移動販売の事業者、オブザーバー、代理出席",
    )
    publish_name = models.BooleanField(
        "氏名・名称を公開する",
        default=False,
        help_text="個人の氏名は、本人が公開に同意したときだけ選びます。"
        "選ばないと、公開ページには所属・立場だけが載ります。",
    )
    display_order = models.PositiveIntegerField("表示順", default=0)

    objects = MeetingParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = "会議の参加者"
        verbose_name_plural = "会議の参加者"
        ordering = ["meeting", "display_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=False) | ~Q(name="") | ~Q(affiliation=""),
                name="meeting_participant_says_who",
                violation_error_message=(
                    "構成員を選ぶか、構成員以外の参加者の氏名・名称か所属・立場を入力してください。"
                ),
            ),
            models.CheckConstraint(
                condition=Q(member__isnull=True) | Q(name=""),
                name="meeting_participant_member_has_no_name",
                violation_error_message=(
                    "構成員を選んだときは、氏名・名称の欄は空欄にしてください。"
                ),
            ),
            models.UniqueConstraint(
                fields=["meeting", "member"],
                condition=Q(member__isnull=False),
                name="meeting_participant_member_once",
                violation_error_message="同じ構成員が2回選ばれています。",
            ),
        ]

    def __str__(self):
        if self.member_id is not None:
            return self.member.organisation
        return self.name or self.affiliation

    def clean(self):
        errors = {}
        if self.member_id is not None and self.name.strip():
            errors["name"] = (
                "構成員を選んだときは、氏名・名称の欄は空欄にしてください"
                "（構成員は団体名で載ります）。"
            )
        elif self.member_id is None and not (self.name.strip() or self.affiliation.strip()):
            errors["name"] = (
                "構成員を選ぶか、構成員以外の参加者の氏名・名称か所属・立場を入力してください。"
            )
        if self.publish_name and not self.name.strip() and "name" not in errors:
            errors["publish_name"] = "公開する氏名・名称を入力してください。"
        if errors:
            raise ValidationError(errors)

    @property
    def is_guest(self) -> bool:
        return self.member_id is None

    @property
    def public_name(self) -> str:
        """What the public page may call them: a member's organisation, a
        guest's name only where staff chose to publish it, else ''."""
        if self.member_id is not None:
            return self.member.organisation
        return self.name if self.publish_name else ""


class AgendaItemKindManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class AgendaItemKind(models.Model):
    """What kind of item an agenda item is (報告, 協議, 事業説明 …): a list
    staff extend with the words their council uses."""

    name = models.CharField(
        "種類の名前", max_length=30, unique=True, help_text="例: 報告、協議、事業説明"
    )
    display_order = models.PositiveIntegerField("表示順", default=0)

    objects = AgendaItemKindManager()

    class Meta:
        verbose_name = "議題の種類"
        verbose_name_plural = "議題の種類"
        ordering = ["display_order", "pk"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name="会議", on_delete=models.CASCADE, related_name="agenda_items"
    )
    kind = models.ForeignKey(
        AgendaItemKind,
        verbose_name="種類",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
        help_text="分からないときは空欄のままにします。",
    )
    title = models.CharField("内容", max_length=200)
    display_order = models.PositiveIntegerField("表示順", default=0)

    class Meta:
        verbose_name = "議題"
        verbose_name_plural = "議題"
        ordering = ["meeting", "display_order", "pk"]

    def __str__(self):
        return f"{self.kind.name}「{self.title}」" if self.kind_id else self.title


def material_path(instance, filename):
    return f"councils/materials/{instance.meeting.held_on:%Y}/{filename}"


class MeetingMaterial(models.Model):
    """A PDF handed out at a meeting; public once attached."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="会議", on_delete=models.CASCADE, related_name="materials"
    )
    title = models.CharField("資料名", max_length=200)
    file = models.FileField("ファイル（PDF）", upload_to=material_path, max_length=255)
    size = models.PositiveIntegerField("大きさ（バイト）", default=0, editable=False)
    display_order = models.PositiveIntegerField("表示順", default=0)

    class Meta:
        verbose_name = "会議資料"
        verbose_name_plural = "会議資料"
        ordering = ["meeting", "display_order", "pk"]

    def __str__(self):
        return self.title


class AnnualPlan(models.Model):
    """A council's plan for a 年度, shown as 小美玉's twelve-month table."""

    council = models.ForeignKey(
        Council, verbose_name="協議体", on_delete=models.CASCADE, related_name="annual_plans"
    )
    fiscal_year = models.PositiveSmallIntegerField(
        "年度（西暦）",
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="4月に始まる年の西暦（令和8年度なら2026）。",
    )
    note = models.TextField("補足", blank=True)

    class Meta:
        verbose_name = "年間計画"
        verbose_name_plural = "年間計画"
        ordering = ["council", "-fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "fiscal_year"],
                name="one_annual_plan_per_council_year",
                violation_error_message="この協議体のこの年度の年間計画は、すでにあります。",
            ),
        ]

    def __str__(self):
        return f"{self.council} {self.fiscal_year_label}年間計画"

    def get_absolute_url(self):
        return f"{self.council.get_absolute_url()}?plan={self.fiscal_year}#plan-heading"

    @property
    def fiscal_year_label(self) -> str:
        return fiscal_year_label(self.fiscal_year)


def _month_field(month: int):
    return models.TextField(f"{month}月", blank=True)


class AnnualPlanItem(models.Model):
    """One row of the table: a line of work (業務内容) and what happens in each month."""

    plan = models.ForeignKey(
        AnnualPlan, verbose_name="年間計画", on_delete=models.CASCADE, related_name="items"
    )
    group = models.CharField(
        "区分（大項目）",
        max_length=100,
        blank=True,
        help_text="業務内容をまとめる見出し。続く行に同じ区分を入れると、表で一つにまとまります。",
    )
    title = models.CharField("業務内容", max_length=100)
    apr = _month_field(4)
    may = _month_field(5)
    jun = _month_field(6)
    jul = _month_field(7)
    aug = _month_field(8)
    sep = _month_field(9)
    oct = _month_field(10)
    nov = _month_field(11)
    dec = _month_field(12)
    jan = _month_field(1)
    feb = _month_field(2)
    mar = _month_field(3)
    display_order = models.PositiveIntegerField("表示順", default=0)

    MONTH_FIELDS = (
        "apr",
        "may",
        "jun",
        "jul",
        "aug",
        "sep",
        "oct",
        "nov",
        "dec",
        "jan",
        "feb",
        "mar",
    )

    class Meta:
        verbose_name = "年間計画の項目"
        verbose_name_plural = "年間計画の項目"
        ordering = ["plan", "display_order", "pk"]

    def __str__(self):
        return self.title

    def months(self) -> list[tuple[int, str]]:
        """[(4, "…"), (5, ""), … (3, "…")]: the row in 年度 order."""
        return [
            (month, getattr(self, name))
            for month, name in zip(MONTHS_IN_FISCAL_ORDER, self.MONTH_FIELDS, strict=True)
        ]

    def spans(self) -> list["MonthSpan"]:
        """The row as its table shows it: months in a row with the same text
        make one cell, as in 小美玉's plan where one aim runs all year; a month
        with nothing planned is a cell of its own."""
        spans: list[MonthSpan] = []
        for month, text in self.months():
            text = text.strip()
            previous = spans[-1] if spans else None
            if previous and text and previous.text == text:
                spans[-1] = MonthSpan(previous.first, month, text, previous.length + 1)
            else:
                spans.append(MonthSpan(month, month, text, 1))
        return spans


@dataclass(frozen=True)
class MonthSpan:
    """Months `first`..`last` (calendar months, in 年度 order) of one plan row."""

    first: int
    last: int
    text: str
    length: int

    @property
    def label(self) -> str:
        """4月, or 4月〜3月."""
        return f"{self.first}月" if self.length == 1 else f"{self.first}月〜{self.last}月"
