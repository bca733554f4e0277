"""地区社協 (district councils), what they do, who they are made of, and their 福祉委員."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce, Now
from django.db.models.query import ModelIterable
from django.urls import reverse
from django.utils import timezone

from districts.areas import town_key
from shakyo_portal.core.fields import KanaReadingField, PhoneNumberField
from shakyo_portal.core.links import UrlPattern
from shakyo_portal.core.models import Office

# Paths under /districts/ that are pages, not district slugs.
RESERVED_SLUGS = {"activities", "areas"}


def detail_urls() -> Callable[[str], str]:
    """slug -> that district's page URL, as get_absolute_url() gives it, for a page
    linking some hundreds of districts (core.links.UrlPattern)."""
    return UrlPattern("districts:detail", "slug")


def place_name(name: str, parent_name: str | None) -> str:
    """三須地区, or 清音第1小地区（清音地区） for a sub-district of 清音."""
    if parent_name is None:
        return f"{name}地区"
    return f"{name}（{parent_name}地区）"


class ActivityTypeQuerySet(models.QuerySet):
    def in_use(self):
        """Types that at least one public top-level district runs (the matrix columns)."""
        return self.filter(
            pk__in=Activity.objects.filter(
                district__in=District.objects.public().top_level()
            ).values("activity_type")
        )


class ActivityType(models.Model):
    name = models.CharField("名称", max_length=50, unique=True)
    slug = models.SlugField("URL名", unique=True)
    description = models.CharField("説明", max_length=200, blank=True)
    display_order = models.PositiveIntegerField("表示順", default=0)

    objects = ActivityTypeQuerySet.as_manager()

    class Meta:
        verbose_name = "活動の種類"
        verbose_name_plural = "活動の種類"
        ordering = ["display_order", "pk"]

    def __str__(self):
        return self.name


class MemberCategory(models.Model):
    name = models.CharField("名称", max_length=50, unique=True)
    display_order = models.PositiveIntegerField("表示順", default=0)

    class Meta:
        verbose_name = "構成団体の区分"
        verbose_name_plural = "構成団体の区分"
        ordering = ["display_order", "pk"]

    def __str__(self):
        return self.name


class WithUrlIterable(ModelIterable):
    """Districts each with `url`, their page's, from detail_urls()."""

    def __iter__(self):
        url = detail_urls()
        for district in super().__iter__():
            district.url = url(district.slug)
            yield district


class DistrictQuerySet(models.QuerySet):
    def with_urls(self):
        """Each district with `url`, for a page that links many (detail_urls)."""
        clone = self._chain()
        clone._iterable_class = WithUrlIterable
        return clone

    def public(self):
        # A sub-district is public only while its parent is.
        return self.filter(is_public=True).filter(
            Q(parent__isnull=True) | Q(parent__is_public=True)
        )

    def top_level(self):
        return self.filter(parent__isnull=True)

    def for_index(self):
        """The /districts/ list: 1 query, each district with its `url`, only what
        its card shows and how many public sub-districts it has
        (public_child_count: a sub-district of a public district is public
        while it is marked so)."""
        public_children = (
            District.objects.filter(parent=OuterRef("pk"), is_public=True)
            .order_by()
            .values("parent")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            self.public()
            .top_level()
            .only("name", "reading", "slug", "summary", "display_order", "updated_at")
            # A subquery, not a join and GROUP BY: the page's count stays a
            # plain count, and the order the model's.
            .annotate(public_child_count=Coalesce(Subquery(public_children), 0))
            .with_urls()
        )

    def for_detail(self):
        """One district's page: 1 query here plus 3 prefetches (sub-districts,
        activities, member categories)."""
        return (
            self.public()
            .select_related("parent", "office", "parent__office")
            .prefetch_related(
                Prefetch("children", queryset=District.objects.public(), to_attr="public_children"),
                # As staff ordered them; the page shows no type (see the view).
                Prefetch("activities", queryset=Activity.objects.order_by("display_order", "pk")),
                "member_categories",
            )
        )

    def for_matrix(self, activity_type=None):
        """The rows of the districts × activity types table, each district with
        its `url` and only what a row shows; Activity.objects.names_by() gives
        what they run.

        Given a type, only the districts that run it.
        """
        districts = self.public().top_level().only("name", "reading", "slug", "updated_at")
        if activity_type is not None:
            districts = districts.filter(
                pk__in=Activity.objects.filter(activity_type=activity_type).values("district_id")
            )
        return districts.with_urls()


class District(models.Model):
    name = models.CharField("地区名", max_length=50)
    reading = KanaReadingField("よみがな")
    slug = models.SlugField(
        "URL名", unique=True, help_text="ページのアドレスに使う半角英小文字（例: soja）"
    )
    display_order = models.PositiveIntegerField("表示順", default=0)
    parent = models.ForeignKey(
        "self",
        verbose_name="上位の地区社協",
        help_text="小地区社協のときだけ選びます。",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    summary = models.CharField(
        "一行紹介", max_length=120, blank=True, help_text="一覧に表示する短い紹介文"
    )
    description = models.TextField("紹介", blank=True)
    area_served = models.TextField("対象区域", blank=True, help_text="町内会・自治会など")
    member_categories = models.ManyToManyField(
        MemberCategory, verbose_name="地区社協構成", blank=True, related_name="districts"
    )
    office = models.ForeignKey(
        Office,
        verbose_name="問合せ窓口（社協）",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="districts",
        help_text="地区社協に独自の連絡先がないときは、この窓口を案内します。",
    )
    contact_name = models.CharField("独自の連絡先の名称", max_length=100, blank=True)
    contact_phone = PhoneNumberField("独自の連絡先の電話番号", blank=True)
    contact_email = models.EmailField("独自の連絡先のメールアドレス", blank=True)
    is_public = models.BooleanField("公開する", default=True)
    # The database default stands in for rows written without it: loaddata of a
    # fixture made before the field existed (auto_now is skipped in raw saves).
    updated_at = models.DateTimeField("更新日時", auto_now=True, db_default=Now())
    # The 地区担当 assigned to the district (profile.districts from the other
    # side). Declared here so the staff policy core names no app; staff choose
    # a person's districts on their user page, not here. The table keeps the
    # name it had when StaffProfile declared it.
    staff_profiles = models.ManyToManyField(
        "shakyo_portal.StaffProfile",
        verbose_name="担当職員",
        related_name="districts",
        blank=True,
        editable=False,
        db_table="shakyo_portal_staffprofile_districts",
    )

    objects = DistrictQuerySet.as_manager()

    class Meta:
        verbose_name = "地区社協"
        verbose_name_plural = "地区社協"
        ordering = ["display_order", "reading", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("districts:detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = "このURL名は使えません。別の名前にしてください。"
        if self.parent_id is not None:
            if self.pk is not None and self.parent_id == self.pk:
                errors["parent"] = "自分自身を上位の地区社協にはできません。"
            elif self.parent.parent_id is not None:
                errors["parent"] = "小地区社協の下に、さらに小地区社協は置けません。"
            elif self.pk is not None and self.children.exists():
                errors["parent"] = "小地区社協をもつ地区社協は、ほかの地区社協の下に置けません。"
        if errors:
            raise ValidationError(errors)

    @property
    def title_name(self) -> str:
        """How the district is named in titles: 総社地区社協, or 清音第1小地区（清音地区）."""
        if self.parent_id is None:
            return f"{self.name}地区社協"
        return f"{self.name}（{self.parent.name}地区）"

    @property
    def place_name(self) -> str:
        """How the 町名 index and search name it: 三須地区, or 清音第1小地区（清音地区）."""
        return place_name(self.name, self.parent.name if self.parent_id is not None else None)

    @property
    def contact_office(self):
        """The 社協 office people ask about this district: its own, else its parent's.
        Needs parent (and the offices) selected, or it queries."""
        if self.office_id is not None:
            return self.office
        return self.parent.office if self.parent_id is not None else None

    @property
    def has_own_contact(self) -> bool:
        return bool(self.contact_phone or self.contact_email)


class DistrictAreaQuerySet(models.QuerySet):
    def public(self):
        return self.filter(district__in=District.objects.public())

    def for_district_page(self, district):
        """The areas a district's page lists, its sub-districts' included: one query."""
        children = [child.pk for child in district.public_children]
        return self.filter(district__in=[district.pk, *children]).order_by(
            "display_order", "reading", "pk"
        )

    def for_index(self) -> list["IndexedArea"]:
        """The /districts/areas/ index: one query, each area with what the index
        shows of its district and the district's parent (a sub-district is named
        with it). Plain rows: a large city has thousands of 町名, and each would
        otherwise be three model instances."""
        url = detail_urls()
        rows = self.public().values_list(
            "pk",
            "name",
            "reading",
            "note",
            "district__display_order",
            "district__updated_at",
            "district__name",
            "district__parent__name",
            "district__slug",
        )
        return [
            IndexedArea(*row[:6], place_name=place_name(row[6], row[7]), url=url(row[8]))
            for row in rows
        ]


@dataclass(frozen=True, slots=True)
class IndexedArea:
    """A 町名 in the /districts/areas/ index, with its district's name and page."""

    pk: int
    name: str
    reading: str
    note: str
    district_order: int
    district_updated_at: datetime
    place_name: str
    url: str


class DistrictArea(models.Model):
    """A 町名 or 大字 (or a range of its 丁目) a district serves, as the council
    writes it: residents know where they live, not their district's name."""

    district = models.ForeignKey(
        District, verbose_name="地区社協", on_delete=models.CASCADE, related_name="areas"
    )
    name = models.CharField(
        "町名・大字",
        max_length=100,
        help_text="社協の書き方のまま（例: 三須、中央一丁目〜三丁目、総社（1〜3丁目））",
    )
    reading = KanaReadingField("よみがな", help_text="町名の50音順の索引に使います。")
    note = models.CharField(
        "補足",
        max_length=100,
        blank=True,
        help_text=(
            "同じ町名が複数の地区に分かれるときの区別（例: 4丁目以降、○○自治会）。"
            "町名のあとに（ ）で表示します。"
        ),
    )
    display_order = models.PositiveIntegerField("表示順", default=0)
    # What an address typed in the site search is matched against: the name
    # without its 丁目 range, brackets or 大字 (districts/areas.py).
    town = models.CharField("検索用の町名", max_length=100, editable=False, db_index=True)

    objects = DistrictAreaQuerySet.as_manager()

    class Meta:
        verbose_name = "対象区域の町名"
        verbose_name_plural = "対象区域の町名"
        ordering = ["display_order", "reading", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name", "note"],
                name="district_area_unique_in_district",
                violation_error_message="この地区には、同じ町名・補足の行が既にあります。",
            )
        ]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        self.town = town_key(self.name)
        super().save(*args, **kwargs)
        self._touch_district()

    def get_absolute_url(self):
        return f"{self.district.get_absolute_url()}#areas"

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self._touch_district()
        return result

    def clean(self):
        if not self.name:
            return
        # The same 町名 in two districts is allowed (a town split between them),
        # but a resident must be able to tell which part is whose.
        other = (
            DistrictArea.objects.filter(name=self.name, note=self.note)
            .exclude(district_id=self.district_id)
            .select_related("district")
            .first()
        )
        if other is not None:
            raise ValidationError(
                {
                    "note": (
                        f"「{self.name}」は{other.district.name}地区にも登録されています。"
                        "どちらの地区の部分か分かるように、補足に区別"
                        "（例: 1〜3丁目、○○自治会）を入力してください。"
                    )
                }
            )

    @property
    def label(self) -> str:
        """三須, or 総社（4丁目以降） where a note tells two districts' parts apart."""
        return f"{self.name}（{self.note}）" if self.note else self.name

    def _touch_district(self):
        # The district's page lists its areas: its 更新日 moves with them.
        District.objects.filter(pk=self.district_id).update(updated_at=timezone.now())


class ActivityQuerySet(models.QuerySet):
    def names_by(self, districts) -> dict[tuple[int, int], list[str]]:
        """{(district pk, activity type pk): the names of what the district runs
        of that type, in staff's order}: one query of plain rows, however many
        districts and activities (the activity matrix)."""
        rows = (
            self.filter(district__in=[district.pk for district in districts])
            .order_by("display_order", "pk")
            .values_list("district_id", "activity_type_id", "name")
        )
        names: dict[tuple[int, int], list[str]] = {}
        for district_id, type_id, name in rows:
            names.setdefault((district_id, type_id), []).append(name)
        return names


class Activity(models.Model):
    district = models.ForeignKey(
        District, verbose_name="地区社協", on_delete=models.CASCADE, related_name="activities"
    )
    activity_type = models.ForeignKey(
        ActivityType, verbose_name="活動の種類", on_delete=models.PROTECT, related_name="activities"
    )
    name = models.CharField(
        "活動名", max_length=100, help_text="地区での呼び方（例: 秋は集まろう会）"
    )
    description = models.TextField("内容", blank=True)
    season = models.CharField("時期", max_length=50, blank=True, help_text="例: 9月、通年")
    display_order = models.PositiveIntegerField("表示順", default=0)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = "地区の活動"
        verbose_name_plural = "地区の活動"
        ordering = ["display_order", "pk"]

    def __str__(self):
        return self.name


class WelfareCommitteeMemberQuerySet(models.QuerySet):
    def current(self, on: date | None = None):
        """Members whose term covers the given day (today by default)."""
        on = on or timezone.localdate()
        return self.filter(term_start__lte=on).filter(
            Q(term_end__isnull=True) | Q(term_end__gte=on)
        )

    def published(self):
        """Members who consented to their name being published."""
        return self.filter(consent_date__isnull=False, publish_name=True)

    def count_by_district(self, districts):
        """{district_id: current member count} in one query."""
        rows = (
            self.current()
            .filter(district__in=districts)
            .values("district_id")
            .annotate(n=Count("pk"))
        )
        return {row["district_id"]: row["n"] for row in rows}


class WelfareCommitteeMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", "委員長"
        VICE_CHAIR = "vice_chair", "副委員長"
        MEMBER = "member", "委員"

    name = models.CharField("氏名", max_length=50)
    reading = KanaReadingField("よみがな")
    district = models.ForeignKey(
        District, verbose_name="地区社協", on_delete=models.PROTECT, related_name="welfare_members"
    )
    area_covered = models.CharField(
        "担当区域", max_length=100, blank=True, help_text="町内会・自治会など"
    )
    role = models.CharField("役職", max_length=20, choices=Role, default=Role.MEMBER)
    is_council_representative = models.BooleanField("福祉委員協議会の代表", default=False)
    term_start = models.DateField("任期の開始日")
    term_end = models.DateField("任期の終了日", null=True, blank=True)
    phone = PhoneNumberField("電話番号", blank=True)
    email = models.EmailField("メールアドレス", blank=True)
    consent_date = models.DateField(
        "公開に同意を得た日",
        null=True,
        blank=True,
        help_text="同意がない人の情報は、どの項目も公開されません。",
    )
    publish_name = models.BooleanField("氏名を公開する", default=False)
    publish_area = models.BooleanField("担当区域を公開する", default=False)
    publish_role = models.BooleanField("役職を公開する", default=False)
    publish_phone = models.BooleanField("電話番号を公開する", default=False)
    publish_email = models.BooleanField("メールアドレスを公開する", default=False)

    objects = WelfareCommitteeMemberQuerySet.as_manager()

    class Meta:
        verbose_name = "福祉委員"
        verbose_name_plural = "福祉委員"
        ordering = ["district", "reading", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="welfare_member_term_ends_after_start",
                violation_error_message="任期の終了日は開始日より後にしてください。",
            ),
            models.CheckConstraint(
                condition=Q(consent_date__isnull=False)
                | Q(
                    publish_name=False,
                    publish_area=False,
                    publish_role=False,
                    publish_phone=False,
                    publish_email=False,
                ),
                name="welfare_member_publishes_only_with_consent",
                violation_error_message=(
                    "公開する項目を選ぶときは、公開に同意を得た日を入力してください。"
                ),
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.district}）"

    def clean(self):
        errors = {}
        if self.term_start and self.term_end and self.term_end < self.term_start:
            errors["term_end"] = "任期の終了日は開始日より後にしてください。"
        if self.consent_date is None and self.publishes_anything:
            errors["consent_date"] = (
                "公開する項目を選ぶときは、公開に同意を得た日を入力してください。"
            )
        if self.consent_date and self.consent_date > timezone.localdate():
            errors["consent_date"] = "同意を得た日に未来の日付は入力できません。"
        if errors:
            raise ValidationError(errors)

    @property
    def publishes_anything(self) -> bool:
        return any(
            (
                self.publish_name,
                self.publish_area,
                self.publish_role,
                self.publish_phone,
                self.publish_email,
            )
        )
