"""A small town for the 地域資源マップ tests: resources and salons that differ in
every filter, and records that must never be shown (hidden, closed, private)."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from coordinators.models import Formality, Resource
from salons.models import Salon, SalonStatus
from tests.factories import (
    DistrictFactory,
    LifeSceneFactory,
    OfficeFactory,
    ResourceCategoryFactory,
    ResourceFactory,
    SalonActivityTypeFactory,
    SalonFactory,
    SiteProfileFactory,
)

SCENES = [
    ("kaimono", "買い物"),
    ("gaishutsu", "外出"),
    ("ibasho", "居場所"),
    ("kenko", "健康づくり"),
    ("mimamori", "見守り"),
    ("kaji", "家事"),
]

# What must never reach a public page: organisers' contacts and records that are
# not public. Each test that looks at a public response checks none is there.
SECRETS = [
    "非公開の資源",
    "隠れ地区の資源",
    "終わったサロン",
    "隠れ地区のサロン",
    "代表 秘匿",
    "organiser",
    "090-9",
]


def build_town():
    SiteProfileFactory()
    office = OfficeFactory(name="地域共生推進課", phone="0866-92-8552")
    kiyone = DistrictFactory(name="清音", reading="きよね", slug="kiyone", office=office)
    karube = DistrictFactory(name="軽部", reading="かるべ", slug="karube", parent=kiyone)
    soja = DistrictFactory(name="総社", reading="そうじゃ", slug="soja")
    hidden = DistrictFactory(name="非公開地区", slug="hidden", hidden=True)
    category = {
        slug: ResourceCategoryFactory(name=name, slug=slug, display_order=n)
        for n, (slug, name) in enumerate(
            [
                ("salon", "ふれあいサロン"),
                ("kayoi", "通いの場"),
                ("haishoku", "配食"),
                ("tasukeai", "助け合い"),
            ]
        )
    }
    scene = {
        slug: LifeSceneFactory(name=name, slug=slug, display_order=n)
        for n, (slug, name) in enumerate(SCENES)
    }
    taiso = SalonActivityTypeFactory(name="体操", slug="taiso")
    tea = SalonActivityTypeFactory(name="茶話会", slug="sawakai")
    s = scene
    resources = SimpleNamespace(
        niko=ResourceFactory(
            name="にこにこサポート",
            reading="にこにこさぽーと",
            category=category["tasukeai"],
            life_scenes=[s["kaji"], s["kaimono"], s["gaishutsu"]],
            district=None,
            summary="登録したサポーターが、暮らしのちょっとした困りごとをお手伝いします。",
            description="住民どうしの支え合いの活動です。\n\n運営はサポーターの連絡会です。",
            help_offered="掃除\n\n 簡単な家事 \n買い物\n外出時の付き添い",
            how_to_ask="地域共生推進課へお電話ください。\n利用料は1時間300円です。",
            schedule="平日の日中",
            contact_name="総社市社協 地域共生推進課",
            contact_phone="0866-92-8552",
            contact_email="chiiki@example.jp",
            website="https://example.jp/niko/",
        ),
        kayoi_kiyone=ResourceFactory(
            name="清音通いの場",
            reading="きよねかよいのば",
            category=category["kayoi"],
            life_scenes=[s["ibasho"], s["kenko"]],
            district=kiyone,
            summary="公会堂で体操とおしゃべり。",
            postal_code="719-1101",
            address="総社市清音1-1",
            latitude=Decimal("34.636100"),
            longitude=Decimal("133.757900"),
        ),
        kayoi_karube=ResourceFactory(
            name="軽部お茶のみ会",
            reading="かるべおちゃのみかい",
            category=category["kayoi"],
            life_scenes=[s["ibasho"]],
            district=karube,
            schedule="",
            contact_name="",
            contact_phone="",
        ),
        haishoku=ResourceFactory(
            name="総社配食",
            reading="そうじゃはいしょく",
            category=category["haishoku"],
            formality=Formality.FORMAL,
            life_scenes=[s["kaji"], s["mimamori"]],
            district=soja,
            address="総社市中央2-2",
            latitude=Decimal("34.672600"),
            longitude=Decimal("133.746500"),
            contact_name="",
            contact_phone="",
        ),
        private=ResourceFactory(
            name="非公開の資源",
            reading="あああひこうかい",
            category=category["kayoi"],
            life_scenes=[s["ibasho"], s["kenko"]],
            district=soja,
            latitude=Decimal("34.680000"),
            longitude=Decimal("133.750000"),
            is_public=False,
        ),
        in_hidden=ResourceFactory(
            name="隠れ地区の資源",
            reading="あああかくれ",
            category=category["kayoi"],
            life_scenes=[s["ibasho"]],
            district=hidden,
            latitude=Decimal("34.690000"),
            longitude=Decimal("133.760000"),
        ),
    )
    salons = SimpleNamespace(
        taiso=SalonFactory(
            name="いきいき体操サロン",
            reading="いきいきたいそうさろん",
            district=kiyone,
            venue_name="清音公会堂",
            latitude=Decimal("34.637700"),
            longitude=Decimal("133.760300"),
            activity_types=[taiso, tea],
        ),
        tea=SalonFactory(
            name="おちゃのみサロン",
            reading="おちゃのみさろん",
            district=soja,
            venue_name="総社東集会所",
            activity_types=[tea],
            status=SalonStatus.PAUSED,
        ),
        closed=SalonFactory(
            name="終わったサロン",
            reading="あああおわった",
            district=soja,
            status=SalonStatus.CLOSED,
            latitude=Decimal("34.600000"),
            longitude=Decimal("133.700000"),
        ),
        hidden=SalonFactory(
            name="隠れ地区のサロン",
            reading="あああかくれさろん",
            district=hidden,
            latitude=Decimal("34.610000"),
            longitude=Decimal("133.710000"),
        ),
    )
    return SimpleNamespace(
        office=office,
        kiyone=kiyone,
        karube=karube,
        soja=soja,
        hidden=hidden,
        category=category,
        scene=scene,
        taiso=taiso,
        resources=resources,
        salons=salons,
    )


# Every public entry of build_town(), in the list's order (by reading).
ALL = [
    "いきいき体操サロン",
    "おちゃのみサロン",
    "軽部お茶のみ会",
    "清音通いの場",
    "総社配食",
    "にこにこサポート",
]


def add_many(town, n, *, start=0):
    """n more public resources and n // 3 more listed salons, each with a position,
    spread over the categories, scenes and districts (bulk: a few queries)."""
    categories = list(town.category.values())
    scenes = list(town.scene.values())
    districts = [None, town.kiyone, town.karube, town.soja]
    resources = Resource.objects.bulk_create(
        Resource(
            name=f"追加の資源{i:04d}",
            reading=f"ついか{i:04d}",
            category=categories[i % len(categories)],
            formality=Formality.INFORMAL,
            district=districts[i % len(districts)],
            schedule="毎週月曜日",
            address=f"総社市中央{i}",
            latitude=Decimal("34.650000") + Decimal(i % 50) / 1000,
            longitude=Decimal("133.700000") + Decimal(i % 70) / 1000,
        )
        for i in range(start, start + n)
    )
    Resource.life_scenes.through.objects.bulk_create(
        Resource.life_scenes.through(resource=resource, lifescene=scene)
        for i, resource in enumerate(resources)
        for scene in scenes[i % 3 : i % 3 + 2]
    )
    salons = Salon.objects.bulk_create(
        Salon(
            name=f"追加のサロン{i:04d}",
            reading=f"ついかさろん{i:04d}",
            district=districts[1 + i % 3],
            venue_name="集会所",
            weekday=i % 7,
            weeks_of_month="1",
            starts_at=datetime.time(10, 0),
            latitude=Decimal("34.660000"),
            longitude=Decimal("133.720000"),
        )
        for i in range(start, start + n // 3)
    )
    Salon.activity_types.through.objects.bulk_create(
        Salon.activity_types.through(salon=salon, salonactivitytype=town.taiso)
        for salon in salons[::2]
    )
    return resources, salons
