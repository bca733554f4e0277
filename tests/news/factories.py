"""Factories for the news app's models (tests/factories.py has the shared ones)."""

import datetime

import factory
from django.db.models import Max
from django.utils import timezone

from news.models import (
    Accommodation,
    Category,
    Event,
    EventStatus,
    NewsletterArticle,
    NewsletterIssue,
    Post,
    PublicationStatus,
    Registration,
    RegistrationKind,
    RegistrationStatus,
)


def days_from_now(days, hour=10):
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"分類{n}")
    slug = factory.Sequence(lambda n: f"category-{n}")
    display_order = factory.Sequence(lambda n: n)


class PostFactory(factory.django.DjangoModelFactory):
    """A published post from an hour ago."""

    class Meta:
        model = Post
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"お知らせ{n}")
    slug = factory.Sequence(lambda n: f"post-{n}")
    category = factory.SubFactory(CategoryFactory)
    body = "令和8年12月7日(月)に研修会を開きます。"
    status = PublicationStatus.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))

    class Params:
        draft = factory.Trait(status=PublicationStatus.DRAFT)
        scheduled = factory.Trait(
            published_at=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))
        )
        ended = factory.Trait(
            published_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10)),
            ends_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1)),
        )
        pinned = factory.Trait(is_pinned=True)

    @factory.post_generation
    def districts(self, create, extracted, **kwargs):
        if create and extracted:
            self.districts.set(extracted)


class AccommodationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Accommodation
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"配慮{n}")
    slug = factory.Sequence(lambda n: f"accommodation-{n}")


class EventFactory(factory.django.DjangoModelFactory):
    """A published event a week from now, 10:00–12:00, no registration needed."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"行事{n}")
    description = "地域の皆さんの活動を紹介します。"
    starts_at = factory.LazyFunction(lambda: days_from_now(7, 10))
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + datetime.timedelta(hours=2))
    place = "総合福祉センター"
    target = "どなたでも"
    publication = PublicationStatus.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))

    class Params:
        signup = factory.Trait(registration=RegistrationKind.REQUIRED, capacity=10)
        cancelled = factory.Trait(
            status=EventStatus.CANCELLED, status_note="台風のため中止します。"
        )
        postponed = factory.Trait(
            status=EventStatus.POSTPONED, status_note="講師の都合で延期します。"
        )
        past = factory.Trait(starts_at=factory.LazyFunction(lambda: days_from_now(-7, 10)))
        draft = factory.Trait(publication=PublicationStatus.DRAFT)
        scheduled = factory.Trait(
            published_at=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))
        )

    @factory.post_generation
    def accommodations(self, create, extracted, **kwargs):
        if create and extracted:
            self.accommodations.set(extracted)


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed registration; private data that must never be public."""

    class Meta:
        model = Registration
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory, signup=True)
    serial = factory.LazyAttribute(
        lambda r: (r.event.registrations.aggregate(last=Max("serial"))["last"] or 0) + 1
    )
    name = factory.Sequence(lambda n: f"申込者秘密{n:03d}")
    reading = "もうしこみしゃ"
    phone = "090-0000-1234"
    email = factory.Sequence(lambda n: f"secret{n}@example.jp")
    people = 1
    status = RegistrationStatus.CONFIRMED
    consented_at = factory.LazyFunction(timezone.now)


class NewsletterIssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsletterIssue
        django_get_or_create = ["number"]

    number = factory.Sequence(lambda n: 100 + n)
    issued_on = datetime.date(2026, 5, 1)
    title = "特集：地域の見守り"
    status = PublicationStatus.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))

    class Params:
        draft = factory.Trait(status=PublicationStatus.DRAFT)
        scheduled = factory.Trait(
            published_at=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))
        )


class NewsletterArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsletterArticle

    issue = factory.SubFactory(NewsletterIssueFactory)
    title = factory.Sequence(lambda n: f"記事{n}")
    first_page = 1
    body = "福祉委員の皆さんが、地域の見守りを続けています。"
    display_order = factory.Sequence(lambda n: n)
