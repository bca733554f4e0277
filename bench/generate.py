"""Fill the benchmark database with a council far larger than the demo data.

Run by bench/run.py as `python -m bench.generate` with the benchmark database's
environment; it can also be run by hand the same way. It writes only into an
empty database (or, with --regenerate, a flushed one), then prints the row
counts as one line of JSON on stdout for run.py to report.

The numbers aim at the issue's floor (300 districts with 20 activities each,
3,000 welfare members) with the shapes the pages care about: sub-districts,
members whose term has ended, and about a third who agreed to publish their name.
Salons come at the same scale: three a district and one a sub-district, in every
status, each with the 実績報告 of two 年度 behind its yearly totals; the first
salon (pk 1, which make bench's salon page opens) has every part filled in.
bulk_create writes values as given, without the form fields' normalisation, so
every reading is written in hiragana and every phone number in its stored form.
"""

import argparse
import json
import os
import random
import sys
from datetime import date, timedelta

TOP_LEVEL_DISTRICTS = 300
ACTIVITIES_PER_DISTRICT = 20
ACTIVITY_TYPES_PER_DISTRICT = 10
# Every 15th district has sub-districts, so 20 of them do, d0150 among them.
SUB_DISTRICTS_EVERY = 15
SUB_DISTRICTS_EACH = 3
ACTIVITIES_PER_SUB_DISTRICT = 5
MEMBERS_PER_DISTRICT = 10
MEMBERS_PER_SUB_DISTRICT = 2
BATCH_SIZE = 1000

# Two halves of a place name with their readings: 20 × 20 distinct names.
PLACE_HEADS = [
    ("東", "ひがし"), ("西", "にし"), ("南", "みなみ"), ("北", "きた"), ("中", "なか"),
    ("上", "かみ"), ("下", "しも"), ("新", "しん"), ("大", "おお"), ("小", "こ"),
    ("高", "たか"), ("本", "もと"), ("古", "ふる"), ("若", "わか"), ("早", "はや"),
    ("長", "なが"), ("広", "ひろ"), ("浜", "はま"), ("清", "きよ"), ("宮", "みや"),
]  # fmt: skip
PLACE_TAILS = [
    ("山", "やま"), ("川", "かわ"), ("田", "た"), ("原", "はら"), ("野", "の"),
    ("谷", "たに"), ("沢", "さわ"), ("島", "しま"), ("岡", "おか"), ("浦", "うら"),
    ("津", "つ"), ("森", "もり"), ("橋", "はし"), ("坂", "さか"), ("崎", "さき"),
    ("井", "い"), ("瀬", "せ"), ("町", "まち"), ("里", "さと"), ("木", "き"),
]  # fmt: skip
SUB_DISTRICT_SUFFIXES = [("第一", "だいいち"), ("第二", "だいに"), ("第三", "だいさん")]
SURNAMES = [
    ("佐藤", "さとう"), ("鈴木", "すずき"), ("高橋", "たかはし"), ("田中", "たなか"),
    ("伊藤", "いとう"), ("渡辺", "わたなべ"), ("山本", "やまもと"), ("中村", "なかむら"),
    ("小林", "こばやし"), ("加藤", "かとう"), ("吉田", "よしだ"), ("山田", "やまだ"),
    ("佐々木", "ささき"), ("山口", "やまぐち"), ("松本", "まつもと"), ("井上", "いのうえ"),
    ("木村", "きむら"), ("林", "はやし"), ("斎藤", "さいとう"), ("清水", "しみず"),
]  # fmt: skip
GIVEN_NAMES = [
    ("太郎", "たろう"), ("花子", "はなこ"), ("一郎", "いちろう"), ("幸子", "さちこ"),
    ("健一", "けんいち"), ("和子", "かずこ"), ("誠", "まこと"), ("恵子", "けいこ"),
    ("博", "ひろし"), ("洋子", "ようこ"), ("茂", "しげる"), ("節子", "せつこ"),
    ("勇", "いさむ"), ("京子", "きょうこ"), ("清", "きよし"), ("美智子", "みちこ"),
    ("進", "すすむ"), ("久美子", "くみこ"), ("修", "おさむ"), ("由美", "ゆみ"),
]  # fmt: skip
ACTIVITY_TYPES = [
    ("kyushoku", "給食サービス", "ひとり暮らしの高齢者へのお弁当の配達"),
    ("mimamori", "見守り活動", "声かけと安否確認"),
    ("salon", "ふれあいサロン", "誰でも立ち寄れる集いの場"),
    ("keirokai", "敬老会", "地域の長寿のお祝い"),
    ("bosai", "防災訓練", "避難の手順と要支援者の確認"),
    ("kosodate", "子育て支援", "親子の交流と相談"),
    ("walking", "健康ウォーキング", "地域を歩いて健康づくり"),
    ("kenshukai", "福祉研修会", "福祉委員と住民の学びの場"),
    ("kodomo-shokudo", "子ども食堂", "子どもと地域の食卓"),
    ("kaimono", "買い物支援", "移動販売と送迎"),
    ("seiso", "地域清掃", "公園と道路の清掃"),
    ("natsumatsuri", "夏祭り", "世代をこえた交流"),
    ("koho", "広報紙の発行", "地区社協だよりの発行"),
    ("taiso", "介護予防体操", "週1回の体操教室"),
    ("sedaikan", "世代間交流", "学校と高齢者の交流"),
]
MEMBER_CATEGORIES = [
    "町内会・自治会",
    "民生委員・児童委員",
    "愛育委員会",
    "栄養改善協議会",
    "老人クラブ",
    "婦人会",
    "子ども会",
    "PTA",
    "消防団",
    "社会福祉施設",
    "福祉委員",
]
SEASONS = ["通年", "4月", "5月", "7月", "9月", "11月", "毎月第2土曜日", "毎週水曜日"]

SALON_SEED = 20260401
SALONS_PER_DISTRICT = 3
SALONS_PER_SUB_DISTRICT = 1
# (name, reading) after the district's name: 東山いきいきサロン
SALON_KINDS = [
    ("いきいきサロン", "いきいきさろん"), ("ふれあいサロン", "ふれあいさろん"),
    ("親子ひろば", "おやこひろば"), ("茶話会", "さわかい"),
    ("百歳体操の会", "ひゃくさいたいそうのかい"), ("歌声サロン", "うたごえさろん"),
    ("手芸クラブ", "しゅげいくらぶ"), ("元気クラブ", "げんきくらぶ"),
]  # fmt: skip
TARGET_GROUPS = [
    ("koreisha", "高齢者"), ("kosodate", "子育て"),
    ("shogai", "障がいのある方"), ("daredemo", "どなたでも"),
]  # fmt: skip
SALON_ACTIVITY_TYPES = [
    ("taiso", "体操"), ("hyakusai-taiso", "百歳体操"), ("sawakai", "茶話会"), ("shugei", "手芸"),
    ("kaishoku", "会食"), ("noutore", "脳トレ"), ("uta", "歌"), ("kosaku", "工作"),
    ("yomikikase", "読み聞かせ"), ("kei-sports", "軽スポーツ"),
]  # fmt: skip
VENUES = ["公会堂", "集会所", "公民館", "コミュニティハウス"]
# One salon in this many is 休止中, 準備中 or 終了; the rest meet.
PAUSED_EVERY, PREPARING_EVERY, CLOSED_EVERY = 12, 20, 15
REPORT_YEARS = (2024, 2025)

COUNCIL_SEED = 20260402
# 60 life areas of five districts each, a layer-2 council for each and one for
# the city, meeting monthly for three 年度: about 2,200 meetings.
DISTRICTS_PER_AREA = 5
MEETING_YEARS = (2024, 2025, 2026)
MEMBERS_PER_COUNCIL = 12
AGENDA_PER_MEETING = 3
PLAN_ROWS = 8
COUNCIL_ORGANISATIONS = [
    "老人クラブ連合会", "民生委員児童委員協議会", "シルバー人材センター", "生活協同組合",
    "地域包括支援センター", "自治会連合会", "ボランティア連絡協議会", "愛育委員会",
    "商工会", "社会福祉法人", "NPO法人", "市役所長寿介護課",
]  # fmt: skip

COORDINATOR_SEED = 20260403
# Coordinator logs at ten times a busy council's volume: 40,000 over three 年度,
# half of them published; resources at 10 a district.
LOGS = 40_000
RESOURCES_PER_DISTRICT = 10
RESOURCE_CATEGORIES = [
    ("kayoi", "通いの場"), ("hyakusai", "百歳体操"), ("ninchisho-cafe", "認知症カフェ"),
    ("idou-hanbai", "移動販売"), ("haishoku", "配食"), ("kaimono", "買い物支援"),
    ("idou", "移動支援"), ("mimamori", "見守り"), ("volunteer", "ボランティア団体"),
    ("kodomo-shokudo", "子ども食堂"),
]  # fmt: skip
LIFE_SCENES = [
    ("kaimono", "買い物"), ("gaishutsu", "外出"), ("ibasho", "居場所"),
    ("kenko", "健康づくり"), ("mimamori", "見守り"), ("kaji", "家事"),
]  # fmt: skip

# Fixed dates, not today's, so a run next year sees the same data. Nine in ten
# members are current (no end date); the tenth's term ended, which the pages
# must leave out.
TERM_START = date(2024, 4, 1)
PAST_TERM = (date(2021, 4, 1), date(2024, 3, 31))
CONSENT_DATE = date(2024, 3, 15)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--regenerate", action="store_true", help="flush the database and generate again"
    )
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shakyo_portal.settings")
    import django

    django.setup()

    from django.core.management import call_command
    from django.db import transaction

    from districts.models import District, DistrictArea
    from shakyo_portal.core.models import SiteProfile

    if args.regenerate:
        call_command("flush", interactive=False, verbosity=0)
    from coordinators.models import Resource
    from councils.models import Council
    from news.models import Post
    from salons.models import Salon

    if SiteProfile.objects.exists() or District.objects.exists():
        print("bench data already present; --regenerate to start over", file=sys.stderr)
        # A database generated before a part existed gets that part added.
        with transaction.atomic():
            if not Salon.objects.exists():
                generate_salons(random.Random(SALON_SEED))
            if not DistrictArea.objects.exists():
                generate_areas(random.Random(AREA_SEED))
            if not Council.objects.exists():
                generate_councils(random.Random(COUNCIL_SEED))
            if not Resource.objects.exists():
                generate_coordinators(random.Random(COORDINATOR_SEED))
            if not Post.objects.exists():
                generate_news()
    else:
        # A fixed seed: every generated database is the same database.
        rng = random.Random(20240401)
        with transaction.atomic():
            offices = generate_site()
            generate_districts(rng, offices)
            generate_areas(random.Random(AREA_SEED))
            generate_salons(random.Random(SALON_SEED))
            generate_councils(random.Random(COUNCIL_SEED))
            generate_coordinators(random.Random(COORDINATOR_SEED))
            generate_news()
    print(json.dumps(counts(), ensure_ascii=False))


def generate_site():
    from shakyo_portal.core.models import EmergencyNotice, NoticeLevel, Office, SiteProfile

    # A disaster day: the banner on every page points to the volunteer centre.
    EmergencyNotice.objects.create(
        title="災害ボランティアセンターを開設しました",
        body="大雨の被害を受けた地域で、災害ボランティアを受け付けています。",
        level=NoticeLevel.URGENT,
        link_url="/news/posts/post-1/",
        link_label="受付の場所と時間",
    )

    SiteProfile.objects.create(
        name="ベンチマーク市社会福祉協議会",
        short_name="ベンチマーク市社協",
        tagline="誰もが安心して暮らせるまちづくり",
        postal_code="719-1131",
        address="岡山県ベンチマーク市中央1丁目1番地",
        phone="0866-92-8552",
        fax="0866-92-8553",
        email="info@bench.example.jp",
    )
    return Office.objects.bulk_create(
        [
            Office(
                name="地域共生推進課",
                postal_code="719-1131",
                address="岡山県ベンチマーク市中央1丁目1番地",
                phone="0866-92-8552",
                email="kyosei@bench.example.jp",
                display_order=1,
            ),
            Office(
                name="北部支所",
                postal_code="719-1300",
                address="岡山県ベンチマーク市北町2番地",
                phone="0866-99-1234",
                display_order=2,
            ),
        ]
    )


AREA_SEED = 1717
AREA_NUMBERS = [("一", "いっ"), ("二", "に"), ("三", "さん"), ("四", "よん"), ("五", "ご")]


def generate_districts(rng, offices):
    from districts.models import (
        Activity,
        ActivityType,
        District,
        MemberCategory,
        WelfareCommitteeMember,
    )

    activity_types = ActivityType.objects.bulk_create(
        ActivityType(slug=slug, name=name, description=description, display_order=i)
        for i, (slug, name, description) in enumerate(ACTIVITY_TYPES)
    )
    categories = MemberCategory.objects.bulk_create(
        MemberCategory(name=name, display_order=i) for i, name in enumerate(MEMBER_CATEGORIES)
    )

    # Slugs follow creation order while names are shuffled, so the reading
    # order of the list pages is not the primary-key order.
    places = [(h + t, hr + tr) for h, hr in PLACE_HEADS for t, tr in PLACE_TAILS]
    rng.shuffle(places)
    top_level = District.objects.bulk_create(
        (
            district_row(f"d{n:04d}", name, reading, offices[n % len(offices)], n)
            for n, (name, reading) in enumerate(places[:TOP_LEVEL_DISTRICTS], start=1)
        ),
        batch_size=BATCH_SIZE,
    )
    # bulk_create on PostgreSQL returns the primary keys, so the
    # sub-districts can point at their parents right away.
    sub_districts = District.objects.bulk_create(
        (
            district_row(
                f"{parent.slug}-{k}",
                parent.name + suffix,
                parent.reading + suffix_reading,
                parent.office,
                k,
                parent=parent,
            )
            for parent in top_level[SUB_DISTRICTS_EVERY - 1 :: SUB_DISTRICTS_EVERY]
            for k, (suffix, suffix_reading) in enumerate(SUB_DISTRICT_SUFFIXES, start=1)
        ),
        batch_size=BATCH_SIZE,
    )

    District.member_categories.through.objects.bulk_create(
        (
            District.member_categories.through(district=district, membercategory=category)
            for district in top_level + sub_districts
            for category in rng.sample(categories, rng.randint(4, 8))
        ),
        batch_size=BATCH_SIZE,
    )

    activities = []
    for district in top_level + sub_districts:
        # Each district runs some of the types, so ?type= narrows the list.
        per_district = ACTIVITIES_PER_SUB_DISTRICT if district.parent else ACTIVITIES_PER_DISTRICT
        kinds = rng.sample(activity_types, ACTIVITY_TYPES_PER_DISTRICT)
        for i in range(per_district):
            kind = kinds[i % len(kinds)]
            activities.append(
                Activity(
                    district=district,
                    activity_type=kind,
                    name=f"{district.name}の{kind.name}"
                    + (f"（その{i // len(kinds) + 1}）" if i >= len(kinds) else ""),
                    description=f"{kind.description}。{district.name}地区の住民が協力して行います。",
                    season=rng.choice(SEASONS),
                    display_order=i,
                )
            )
    Activity.objects.bulk_create(activities, batch_size=BATCH_SIZE)

    members = []
    for district in top_level + sub_districts:
        per_district = MEMBERS_PER_SUB_DISTRICT if district.parent else MEMBERS_PER_DISTRICT
        for i in range(per_district):
            members.append(member_row(rng, district, i))
    WelfareCommitteeMember.objects.bulk_create(members, batch_size=BATCH_SIZE)


def generate_areas(rng):
    from districts.areas import town_key
    from districts.models import District, DistrictArea

    # The 町名 index: each district serves a few 町名 (丁目 ranges of its own
    # name, as councils list them), a thousand and more in all.
    DistrictArea.objects.bulk_create(
        (
            DistrictArea(
                district=district,
                name=f"{district.name}{kanji}丁目",
                town=town_key(f"{district.name}{kanji}丁目"),
                reading=f"{district.reading}{kana}ちょうめ",
                display_order=k,
            )
            for district in District.objects.order_by("pk")
            for k, (kanji, kana) in enumerate(AREA_NUMBERS[: rng.randint(2, 5)])
        ),
        batch_size=BATCH_SIZE,
    )


def generate_salons(rng):
    """Salons for every district, with approved plans and confirmed reports behind them."""
    from datetime import UTC, datetime

    from districts.models import District
    from salons.models import (
        ActivityPlan,
        ActivityReport,
        GrantProgram,
        PlanStatus,
        ReportStatus,
        Salon,
        SalonActivityType,
        SalonStatus,
        TargetGroup,
        reference_for,
    )

    groups = TargetGroup.objects.bulk_create(
        TargetGroup(slug=slug, name=name, display_order=i)
        for i, (slug, name) in enumerate(TARGET_GROUPS)
    )
    kinds = SalonActivityType.objects.bulk_create(
        SalonActivityType(slug=slug, name=name, display_order=i)
        for i, (slug, name) in enumerate(SALON_ACTIVITY_TYPES)
    )
    programs = GrantProgram.objects.bulk_create(
        GrantProgram(
            fiscal_year=fy,
            name=f"令和{fy - 2018}年度ふれあいサロン活動助成",
            opens_on=date(fy, 3, 1),
            closes_on=date(fy + 1, 1, 31),
            base_amount=15000,
            late_start_base_amount=7500,
            per_participant_amount=200,
            startup_amount=10000,
            cap_amount=100000,
            min_sessions=6,
            min_participants=5,
        )
        for fy in REPORT_YEARS
    )

    salons = []
    n = 0
    for district in District.objects.order_by("pk"):
        for _ in range(SALONS_PER_SUB_DISTRICT if district.parent_id else SALONS_PER_DISTRICT):
            n += 1
            salons.append(salon_row(rng, district, n))
    salons = Salon.objects.bulk_create(salons, batch_size=BATCH_SIZE)
    Salon.target_groups.through.objects.bulk_create(
        (
            Salon.target_groups.through(salon=salon, targetgroup=group)
            for salon in salons
            # The first salon is for 高齢者, so the filtered page always finds it.
            for group in (
                [groups[0]] if salon.pk == salons[0].pk else rng.sample(groups, rng.randint(1, 2))
            )
        ),
        batch_size=BATCH_SIZE,
    )
    Salon.activity_types.through.objects.bulk_create(
        (
            Salon.activity_types.through(salon=salon, salonactivitytype=kind)
            for salon in salons
            for kind in rng.sample(kinds, rng.randint(1, 3))
        ),
        batch_size=BATCH_SIZE,
    )

    # 実績報告 of two 年度 for every salon that has met: the yearly totals on its page.
    plans = []
    for program in programs:
        fy = program.fiscal_year
        reporting = [s for s in salons if s.status != SalonStatus.PREPARING]
        for serial, salon in enumerate(reporting, start=1):
            plans.append(
                ActivityPlan(
                    program=program,
                    reference=reference_for(fy, serial),
                    serial=serial,
                    status=PlanStatus.APPROVED,
                    salon=salon,
                    salon_name=salon.name,
                    salon_reading=salon.reading,
                    district_id=salon.district_id,
                    representative_name=salon.organiser_name,
                    representative_phone=salon.organiser_phone,
                    venue_name=salon.venue_name,
                    frequency=salon.frequency,
                    weeks_of_month=salon.weeks_of_month,
                    weekday=salon.weekday,
                    starts_at=salon.starts_at,
                    ends_at=salon.ends_at,
                    first_session_on=date(fy, 4, 10),
                    last_session_on=date(fy + 1, 3, 10),
                    sessions_planned=12,
                    expected_participants=rng.randint(6, 25),
                    expected_helpers=3,
                    content="体操と茶話会",
                    submitted_at=datetime(fy, 4, 5, 1, tzinfo=UTC),
                )
            )
    plans = ActivityPlan.objects.bulk_create(plans, batch_size=BATCH_SIZE)
    ActivityReport.objects.bulk_create(
        (
            ActivityReport(
                plan=plan,
                status=ReportStatus.CONFIRMED,
                sessions_held=(held := rng.randint(8, 12)),
                total_participants=held * plan.expected_participants,
                total_helpers=held * 3,
                last_held_on=date(plan.program.fiscal_year + 1, 3, rng.randint(1, 28)),
                submitted_at=datetime(plan.program.fiscal_year + 1, 4, 5, 1, tzinfo=UTC),
                confirmed_at=datetime(plan.program.fiscal_year + 1, 4, 12, 1, tzinfo=UTC),
            )
            for plan in plans
        ),
        batch_size=BATCH_SIZE,
    )
    last = {}
    for report in ActivityReport.objects.values("plan__salon_id", "last_held_on"):
        salon_id = report["plan__salon_id"]
        last[salon_id] = max(last.get(salon_id, report["last_held_on"]), report["last_held_on"])
    for salon in salons:
        salon.last_held_on = last.get(salon.pk)
    Salon.objects.bulk_update(salons, ["last_held_on"], batch_size=BATCH_SIZE)


def salon_row(rng, district, n):
    from datetime import time

    from salons.models import Frequency, Salon, SalonStatus

    kind, kind_reading = rng.choice(SALON_KINDS)
    weekly = n % 4 == 0
    morning = rng.random() < 0.6
    surname, _ = rng.choice(SURNAMES)
    given, _ = rng.choice(GIVEN_NAMES)
    status = (
        SalonStatus.ACTIVE
        if n == 1
        else SalonStatus.PAUSED
        if n % PAUSED_EVERY == 0
        else SalonStatus.PREPARING
        if n % PREPARING_EVERY == 0
        else SalonStatus.CLOSED
        if n % CLOSED_EVERY == 0
        else SalonStatus.ACTIVE
    )
    return Salon(
        name=f"{district.name}{kind}" + (f"（{n}）" if n % 3 else ""),
        reading=district.reading + kind_reading,
        district=district,
        venue_name=f"{district.name}{rng.choice(VENUES)}",
        venue_address=f"ベンチマーク市{district.name}{n}番地",
        latitude=round(34.6 + rng.random() / 10, 6) if n == 1 or n % 3 == 0 else None,
        longitude=round(133.7 + rng.random() / 10, 6) if n == 1 or n % 3 == 0 else None,
        description=(
            f"{district.name}地区の{kind}です。体操やおしゃべりを楽しみながら、"
            "地域の顔なじみを増やしています。\n\n初めての方も、見学だけでも歓迎します。"
        ),
        frequency=Frequency.WEEKLY if weekly else Frequency.MONTHLY,
        weeks_of_month="" if weekly else rng.choice(["1", "2", "3", "4", "1,3", "2,4"]),
        weekday=2 if n == 1 else rng.choice([0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 5, 6]),
        starts_at=time(10, 0) if morning else time(13, 30),
        ends_at=time(12, 0) if morning else time(15, 30),
        schedule_note="8月はお休み" if n % 5 == 0 else "",
        fee=rng.choice([0, 100, 100, 200, 300, None]),
        welcomes_newcomers=n % 9 != 0,
        status=status,
        organiser_name=f"{surname} {given}",
        organiser_phone=f"090-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
        organiser_email=f"salon{n}@bench.example.jp",
    )


def generate_councils(rng):
    """Life areas over the districts, their councils, and three 年度 of meetings."""
    from datetime import time

    from councils.models import (
        AgendaItem,
        AgendaItemKind,
        AnnualPlan,
        AnnualPlanItem,
        Council,
        CouncilMember,
        Layer,
        LifeArea,
        LifeAreaKind,
        Meeting,
        MeetingFormat,
        MeetingParticipant,
        MeetingRule,
        MeetingStatus,
        MemberRole,
        Position,
    )
    from districts.models import District
    from shakyo_portal.core.recurrence import monthly_dates

    districts = list(District.objects.top_level().order_by("pk").values_list("pk", flat=True))
    chunks = [
        districts[i : i + DISTRICTS_PER_AREA] for i in range(0, len(districts), DISTRICTS_PER_AREA)
    ]
    areas = LifeArea.objects.bulk_create(
        LifeArea(
            name=f"第{n}圏域",
            reading=f"だい{n}けんいき",
            slug=f"area{n:03d}",
            kind=LifeAreaKind.JUNIOR_HIGH,
            display_order=n,
        )
        for n in range(1, len(chunks) + 1)
    )
    LifeArea.districts.through.objects.bulk_create(
        LifeArea.districts.through(lifearea_id=area.pk, district_id=pk)
        for area, chunk in zip(areas, chunks, strict=True)
        for pk in chunk
    )
    rules = [
        dict(meeting_rule=MeetingRule.NTH_WEEKDAY, meeting_week=3, meeting_weekday=1),
        dict(meeting_rule=MeetingRule.LAST_WEEKDAY, meeting_weekday=0),
        dict(meeting_rule=MeetingRule.NTH_WEEKDAY, meeting_week=1, meeting_weekday=4),
        dict(meeting_rule=MeetingRule.IRREGULAR),
    ]
    councils = [
        Council(
            name="生活支援サービス検討委員会",
            reading="せいかつしえんさーびすけんとういいんかい",
            slug="city",
            layer=Layer.CITY,
            purpose="市全域の支え合いの仕組みを話し合います。",
            meeting_starts_at=time(13, 30),
            meeting_ends_at=time(15, 30),
            **rules[2],
        )
    ] + [
        Council(
            name=f"{area.name}地域包括ケア会議",
            reading=f"{area.reading}ちいきほうかつけあかいぎ",
            slug=f"c{n:03d}",
            layer=Layer.AREA,
            life_area=area,
            purpose="圏域の困りごとを持ち寄り、支え合いの活動を生み出します。",
            meeting_starts_at=time(10, 0),
            meeting_ends_at=time(12, 0),
            **rules[n % len(rules)],
        )
        for n, area in enumerate(areas, start=1)
    ]
    councils = Council.objects.bulk_create(councils)
    members = CouncilMember.objects.bulk_create(
        CouncilMember(
            council=council,
            organisation=COUNCIL_ORGANISATIONS[i % len(COUNCIL_ORGANISATIONS)],
            role=list(MemberRole)[i % 3],
            position=Position.CHAIR if i == 0 else Position.MEMBER,
            representative_name=f"{SURNAMES[i % len(SURNAMES)][0]} {GIVEN_NAMES[i][0]}",
            consent_date=CONSENT_DATE if i % 2 == 0 else None,
            publish_representative=i % 2 == 0,
            term_start=TERM_START,
            display_order=i,
        )
        for council in councils
        for i in range(MEMBERS_PER_COUNCIL)
    )
    meetings = []
    for council in councils:
        n = 0
        for fy in MEETING_YEARS:
            days = monthly_dates(weekday=1, week=3, start=date(fy, 4, 1), count=12)
            for number, day in enumerate(days, start=1):
                n += 1
                status = (
                    MeetingStatus.CANCELLED
                    if n % 17 == 0
                    else MeetingStatus.HELD
                    if day < date(2026, 11, 1)
                    else MeetingStatus.SCHEDULED
                )
                meetings.append(
                    Meeting(
                        council=council,
                        number=number,
                        held_on=day,
                        starts_at=time(10, 0),
                        ends_at=time(12, 0),
                        format=MeetingFormat.WRITTEN if n % 23 == 0 else MeetingFormat.IN_PERSON,
                        place="総合福祉センター 第1会議室",
                        status=status,
                        status_reason=(
                            "台風の接近のため" if status == MeetingStatus.CANCELLED else ""
                        ),
                        participant_count=rng.randint(8, 30),
                        guests="地域住民",
                        minutes="各地区の取り組みを報告し、見守りの課題について意見を交わしました。",
                        staff_notes="次回の資料は一週間前に送る",
                    )
                )
    meetings = Meeting.objects.bulk_create(meetings, batch_size=BATCH_SIZE)
    kinds = list(AgendaItemKind.objects.all()) or [AgendaItemKind.objects.create(name="報告")]
    AgendaItem.objects.bulk_create(
        (
            AgendaItem(
                meeting=meeting,
                kind=kinds[i % len(kinds)],
                title=f"議題{i + 1}: 地域の支え合い活動について",
                display_order=i,
            )
            for meeting in meetings
            for i in range(AGENDA_PER_MEETING)
        ),
        batch_size=BATCH_SIZE,
    )
    by_council = {}
    for member in members:
        by_council.setdefault(member.council_id, []).append(member.pk)
    MeetingParticipant.objects.bulk_create(
        (
            MeetingParticipant(meeting_id=meeting.pk, member_id=pk, display_order=n)
            for meeting in meetings
            if meeting.status == MeetingStatus.HELD
            for n, pk in enumerate(by_council[meeting.council_id][:8])
        ),
        batch_size=BATCH_SIZE,
    )
    plans = AnnualPlan.objects.bulk_create(
        AnnualPlan(council=council, fiscal_year=fy) for council in councils for fy in (2025, 2026)
    )
    AnnualPlanItem.objects.bulk_create(
        (
            AnnualPlanItem(
                plan=plan,
                title=f"業務{i + 1}",
                display_order=i,
                **dict.fromkeys(AnnualPlanItem.MONTH_FIELDS[i::3], "地域ニーズの把握と情報共有"),
            )
            for plan in plans
            for i in range(PLAN_ROWS)
        ),
        batch_size=BATCH_SIZE,
    )


def generate_coordinators(rng):
    """Coordinators for every life area, 40,000 activity logs and the 地域資源."""
    from decimal import Decimal

    from coordinators.models import (
        ActivityLog,
        Coordinator,
        CoordinatorKind,
        Formality,
        LifeScene,
        LogKind,
        Resource,
        ResourceCategory,
        Visibility,
    )
    from councils.models import LifeArea
    from districts.models import District

    areas = list(LifeArea.objects.order_by("pk").prefetch_related("districts"))
    coordinators = Coordinator.objects.bulk_create(
        [
            Coordinator(
                display_name="第1層 コーディネーター",
                reading="だいいっそうこーでぃねーたー",
                kind=CoordinatorKind.LIVING_SUPPORT,
                layer=1,
                message="市全域の支え合いを応援します。",
                active_from=TERM_START,
            )
        ]
        + [
            Coordinator(
                display_name=f"{area.name} 担当",
                reading=f"{area.reading}たんとう",
                kind=list(CoordinatorKind)[n % len(CoordinatorKind)],
                layer=2,
                message="地域の集まりにうかがいます。",
                active_from=TERM_START,
            )
            for n, area in enumerate(areas)
        ]
    )
    Coordinator.life_areas.through.objects.bulk_create(
        Coordinator.life_areas.through(coordinator_id=c.pk, lifearea_id=area.pk)
        for c, area in zip(coordinators[1:], areas, strict=True)
    )
    Coordinator.districts.through.objects.bulk_create(
        Coordinator.districts.through(coordinator_id=c.pk, district_id=d.pk)
        for c, area in zip(coordinators[1:], areas, strict=True)
        for d in area.districts.all()
    )
    categories = ResourceCategory.objects.bulk_create(
        ResourceCategory(name=name, slug=slug, display_order=n)
        for n, (slug, name) in enumerate(RESOURCE_CATEGORIES)
    )
    scenes = LifeScene.objects.bulk_create(
        LifeScene(name=name, slug=slug, display_order=n)
        for n, (slug, name) in enumerate(LIFE_SCENES)
    )
    districts = list(District.objects.top_level().order_by("pk"))
    resources = Resource.objects.bulk_create(
        (
            Resource(
                name=f"{district.name}の{categories[i % len(categories)].name}{i + 1}",
                reading=f"{district.reading}の{i + 1}",
                category=categories[i % len(categories)],
                formality=Formality.INFORMAL if i % 3 else Formality.FORMAL,
                district=district if i % 7 else None,
                summary="地域の支え合いの場です。",
                schedule="毎週水曜日 10:00〜12:00",
                address=f"{district.name}1丁目{i + 1}番地",
                latitude=Decimal("34.600000") + Decimal(rng.randint(0, 150_000)) / 1_000_000,
                longitude=Decimal("133.650000") + Decimal(rng.randint(0, 200_000)) / 1_000_000,
                contact_name="社協 地域共生推進課",
                contact_phone="0866-92-8552",
                help_offered="掃除\n買い物の代行\n外出時の付き添い" if i % 10 == 0 else "",
            )
            for district in districts
            for i in range(RESOURCES_PER_DISTRICT)
        ),
        batch_size=BATCH_SIZE,
    )
    Resource.life_scenes.through.objects.bulk_create(
        (
            Resource.life_scenes.through(resource_id=r.pk, lifescene_id=scenes[j].pk)
            for n, r in enumerate(resources)
            for j in {n % len(scenes), (n * 7) % len(scenes)}
        ),
        batch_size=BATCH_SIZE,
    )
    area_of = {c.pk: area for c, area in zip(coordinators[1:], areas, strict=True)}
    start = date(2024, 4, 1)
    logs = []
    for n in range(LOGS):
        coordinator = coordinators[n % len(coordinators)]
        area = area_of.get(coordinator.pk)
        logs.append(
            ActivityLog(
                coordinator=coordinator,
                date=start + timedelta(days=rng.randint(0, 960)),
                life_area=area,
                district_id=districts[n % len(districts)].pk if area is None else None,
                kind=list(LogKind)[n % len(LogKind)],
                title=f"活動記録{n + 1}",
                narrative="地域の集まりにうかがい、困りごとを聞きました。" * 3,
                consultations=rng.randint(0, 5),
                referrals=rng.randint(0, 2),
                participants=rng.randint(0, 40),
                resource=resources[n % len(resources)] if n % 5 == 0 else None,
                visibility=Visibility.PUBLISHED if n % 2 else Visibility.INTERNAL,
            )
        )
    ActivityLog.objects.bulk_create(logs, batch_size=BATCH_SIZE)


# Ten years of a busy council's news: 3,000 posts, 1,200 events, 120 newsletters.
POSTS = 3000
EVENTS = 1200
NEWSLETTERS = 120
NEWS_CATEGORIES = [
    ("oshirase", "お知らせ"), ("chiikizukuri", "地域づくり"), ("volunteer", "ボランティア"),
    ("seikatsushien", "生活支援体制整備事業"), ("fukushi-iin", "福祉委員"),
]  # fmt: skip


def generate_news():
    """Posts, events around today and 社協だより, each with Markdown text to search."""
    from datetime import UTC, datetime

    from news.models import (
        Category,
        Event,
        NewsletterArticle,
        NewsletterIssue,
        Post,
        PublicationStatus,
        RegistrationKind,
    )

    published = PublicationStatus.PUBLISHED
    categories = Category.objects.bulk_create(
        Category(name=name, slug=slug, display_order=n)
        for n, (slug, name) in enumerate(NEWS_CATEGORIES)
    )
    now = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)
    Post.objects.bulk_create(
        (
            Post(
                title=f"お知らせ{n}: 地区の敬老会と見守り活動について",
                slug=f"post-{n}",
                category=categories[n % len(categories)],
                summary="地域の支え合いの取り組みをお知らせします。",
                body="## 概要\n\n今年の敬老会は各地区の公民館で開きます。" * 5,
                is_pinned=n % 500 == 0,
                status=published,
                published_at=now - timedelta(days=n),
            )
            for n in range(POSTS)
        ),
        batch_size=BATCH_SIZE,
    )
    Event.objects.bulk_create(
        (
            Event(
                title=f"行事{n}: 介護予防教室",
                description="体操と茶話会で、元気に過ごしましょう。",
                starts_at=now + timedelta(days=n - EVENTS // 2, hours=1),
                ends_at=now + timedelta(days=n - EVENTS // 2, hours=3),
                place="総合福祉センター",
                capacity=30,
                fee=0,
                registration=RegistrationKind.REQUIRED
                if n % 3 == 0
                else RegistrationKind.NOT_NEEDED,
                publication=published,
                published_at=now - timedelta(days=EVENTS),
            )
            for n in range(EVENTS)
        ),
        batch_size=BATCH_SIZE,
    )
    issues = NewsletterIssue.objects.bulk_create(
        NewsletterIssue(
            number=n,
            issued_on=date(2016 + (n - 1) // 12, (n - 1) % 12 + 1, 1),
            title=f"特集: 地域の支え合い{n}",
            status=published,
            published_at=now - timedelta(days=10 * (NEWSLETTERS - n)),
        )
        for n in range(1, NEWSLETTERS + 1)
    )
    NewsletterArticle.objects.bulk_create(
        NewsletterArticle(
            issue=issue,
            title=f"記事{i + 1}",
            body="地区社協の活動を紹介します。敬老会や見守り活動のようすをお伝えします。" * 4,
            display_order=i,
        )
        for issue in issues
        for i in range(5)
    )


def district_row(slug, name, reading, office, n, parent=None):
    from districts.models import District

    own_contact = n % 3 == 0
    return District(
        slug=slug,
        name=name,
        reading=reading,
        parent=parent,
        # Most councils leave the order alone and let the list sort by reading.
        display_order=0,
        summary=f"{name}地区の見守りと交流の活動をしています。",
        description=(
            f"{name}地区社協は、町内会、民生委員・児童委員、愛育委員会などが集まり、"
            "高齢者の見守り、給食サービス、ふれあいサロンなどの活動をしています。\n\n"
            "どなたでも参加できます。お気軽にお問い合わせください。"
        ),
        area_served="、".join(f"{name}{k}区" for k in range(1, 9)),
        office=office,
        contact_name=f"{name}地区社協事務局" if own_contact else "",
        contact_phone=f"0866-9{n % 10}-{1000 + n:04d}" if own_contact else "",
        is_public=True,
    )


def member_row(rng, district, i):
    from districts.models import WelfareCommitteeMember

    surname, surname_reading = rng.choice(SURNAMES)
    given, given_reading = rng.choice(GIVEN_NAMES)
    role = (
        WelfareCommitteeMember.Role.CHAIR
        if i == 0
        else WelfareCommitteeMember.Role.VICE_CHAIR
        if i == 1
        else WelfareCommitteeMember.Role.MEMBER
    )
    term_start, term_end = PAST_TERM if i == 9 else (TERM_START, None)
    consented = i % 3 == 0
    return WelfareCommitteeMember(
        district=district,
        name=f"{surname} {given}",
        reading=f"{surname_reading} {given_reading}",
        area_covered=f"{district.name}{i + 1}区",
        role=role,
        is_council_representative=i == 0,
        term_start=term_start,
        term_end=term_end,
        phone=f"090-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
        consent_date=CONSENT_DATE if consented else None,
        publish_name=consented,
        publish_area=consented,
        publish_role=consented,
        publish_phone=consented and i % 2 == 0,
    )


def counts():
    from coordinators.models import ActivityLog, Coordinator, Resource
    from councils.models import Council, Meeting
    from districts.models import (
        Activity,
        ActivityType,
        District,
        MemberCategory,
        WelfareCommitteeMember,
    )
    from news.models import Event, NewsletterIssue, Post
    from salons.models import ActivityPlan, ActivityReport, Salon
    from shakyo_portal.core.models import Office

    return {
        "districts (top level)": District.objects.top_level().count(),
        "sub-districts": District.objects.filter(parent__isnull=False).count(),
        "activities": Activity.objects.count(),
        "activity types": ActivityType.objects.count(),
        "member categories": MemberCategory.objects.count(),
        "welfare members": WelfareCommitteeMember.objects.count(),
        "welfare members, current": WelfareCommitteeMember.objects.current().count(),
        "welfare members, name published": WelfareCommitteeMember.objects.published().count(),
        "offices": Office.objects.count(),
        "salons": Salon.objects.count(),
        "salons, listed": Salon.objects.listed().count(),
        "activity plans": ActivityPlan.objects.count(),
        "activity reports": ActivityReport.objects.count(),
        "councils": Council.objects.count(),
        "meetings": Meeting.objects.count(),
        "coordinators": Coordinator.objects.count(),
        "activity logs": ActivityLog.objects.count(),
        "activity logs, published": ActivityLog.objects.published().count(),
        "resources": Resource.objects.count(),
        "posts": Post.objects.count(),
        "events": Event.objects.count(),
        "newsletters": NewsletterIssue.objects.count(),
    }


if __name__ == "__main__":
    main()
