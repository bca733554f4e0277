"""factory_boy factories for the test suite (the demo data lives in fixtures/)."""

import datetime

import factory
from django.contrib.auth import get_user_model

from districts.models import (
    Activity,
    ActivityType,
    District,
    MemberCategory,
    WelfareCommitteeMember,
)
from shakyo_portal.models import Office, SiteProfile


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.jp")
    password = factory.django.Password("correct horse battery staple")

    class Params:
        staff = factory.Trait(is_staff=True)
        superuser = factory.Trait(is_staff=True, is_superuser=True)


class SiteProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SiteProfile

    name = "テスト市社会福祉協議会"
    short_name = "テスト市社協"
    postal_code = "100-0001"
    address = "テスト県テスト市中央1-1"
    phone = "0866-00-0001"


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    name = factory.Sequence(lambda n: f"地域福祉課{n}")
    phone = "0866-00-1234"
    fax = "0866-00-1235"
    email = factory.Sequence(lambda n: f"office{n}@example.jp")
    opens_at = datetime.time(8, 30)
    closes_at = datetime.time(17, 15)


class ActivityTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityType

    name = factory.Sequence(lambda n: f"活動種別{n}")
    slug = factory.Sequence(lambda n: f"type-{n}")
    display_order = factory.Sequence(lambda n: n)


class MemberCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberCategory

    name = factory.Sequence(lambda n: f"構成団体{n}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"地区{n}")
    reading = "ちく"
    slug = factory.Sequence(lambda n: f"district-{n}")
    display_order = factory.Sequence(lambda n: n)
    summary = "見守り活動と敬老会をしています。"

    class Params:
        hidden = factory.Trait(is_public=False)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    district = factory.SubFactory(DistrictFactory)
    activity_type = factory.SubFactory(ActivityTypeFactory)
    name = factory.Sequence(lambda n: f"活動{n}")


class WelfareCommitteeMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WelfareCommitteeMember

    name = factory.Sequence(lambda n: f"委員 {n}号")
    reading = "いいん"
    district = factory.SubFactory(DistrictFactory)
    area_covered = "中央1区"
    term_start = datetime.date(2020, 4, 1)
    term_end = None
    phone = "090-0000-1111"
    email = factory.Sequence(lambda n: f"member{n}@example.jp")

    class Params:
        # Consented to name, area and role; phone and e-mail stay private.
        consented = factory.Trait(
            consent_date=datetime.date(2020, 4, 10),
            publish_name=True,
            publish_area=True,
            publish_role=True,
        )
        retired = factory.Trait(term_end=datetime.date(2021, 3, 31))
