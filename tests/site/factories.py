"""Factories for the council's own records: emergency notices, the 地域福祉実践計画
and the 個人情報保護方針 (the shared tests/factories.py has the rest)."""

import datetime
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from shakyo_portal.core.models import (
    BasicGoal,
    EmergencyNotice,
    MainProject,
    NoticeLevel,
    PlanPhoto,
    Policy,
    PracticePlan,
    PrivacyPolicy,
    PrivacyPolicySection,
)


def png_upload(name="photo.png", size=(64, 48), colour="green"):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


class EmergencyNoticeFactory(factory.django.DjangoModelFactory):
    """Switched on an hour ago, with no end: on every page until switched off."""

    class Meta:
        model = EmergencyNotice

    title = factory.Sequence(lambda n: f"災害ボランティアセンターを開設しました{n}")
    body = "片付けを手伝うボランティアを募集しています。"
    level = NoticeLevel.URGENT
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    is_active = True

    class Params:
        switched_off = factory.Trait(is_active=False)
        ended = factory.Trait(
            starts_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=3)),
            ends_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1)),
        )
        scheduled = factory.Trait(
            starts_at=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1))
        )


class PracticePlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticePlan

    title = factory.Sequence(lambda n: f"第{n}次地域福祉実践計画")
    motto = "思いやりが根づくまち"
    philosophy = "だれもが安心して暮らせるまちをめざします。\n\n支え合いの仕組みをつくります。"
    starts_fiscal_year = 2024
    ends_fiscal_year = 2028
    is_published = True

    class Params:
        draft = factory.Trait(is_published=False)


class BasicGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BasicGoal

    plan = factory.SubFactory(PracticePlanFactory)
    number = factory.Sequence(lambda n: n % 90 + 1)
    title = factory.Sequence(lambda n: f"地域での支え合いづくり{n}")
    department = "ボランティア担当"
    summary = "身近な地域で見守りと支え合いを広げます。"


class PolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Policy

    goal = factory.SubFactory(BasicGoalFactory)
    text = factory.Sequence(lambda n: f"担い手の育成{n}")


class MainProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MainProject

    goal = factory.SubFactory(BasicGoalFactory)
    name = factory.Sequence(lambda n: f"福祉委員活動推進事業{n}")


class PlanPhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanPhoto

    goal = factory.SubFactory(BasicGoalFactory)
    image = factory.LazyFunction(png_upload)
    alt_text = "公民館で折り紙を折る参加者"
    caption = factory.Sequence(lambda n: f"折り紙サロンの様子{n}")


class PrivacyPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrivacyPolicy

    introduction = "本会は、お預かりした個人情報を適切に取り扱います。"
    established_on = datetime.date(2005, 4, 1)
    revised_on = datetime.date(2024, 4, 1)
    is_published = True


class PrivacyPolicySectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrivacyPolicySection

    policy = factory.SubFactory(PrivacyPolicyFactory)
    title = factory.Sequence(lambda n: f"利用の目的{n}")
    body = "福祉サービスの提供のために利用します。"
