"""Coordinators, reports and logs with every part of every page filled in, and data
that must never show: internal logs, staff notes, a hidden coordinator, a hidden
district, a hidden resource. The view tests, the HTML check and the browser
tests all build on it.
"""

import datetime
import io
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from coordinators.models import ActivityLogPhoto, CoordinatorKind, LogKind
from tests.factories import (
    ActivityLogFactory,
    CoordinatorFactory,
    CouncilFactory,
    DistrictFactory,
    LifeAreaFactory,
    OfficeFactory,
    ResourceFactory,
    SiteProfileFactory,
)

# What every page's shell reads: the site profile, current emergency notices and the
# footer offices.
SHELL_QUERIES = 3

# Text that only internal records hold: no public response may contain any of it.
SECRETS = [
    "内部記録のひみつの件名",
    "ひとり暮らしの甲野さん宅で見た通帳の話",
    "職員だけが読むメモ",
    "非公開コーディネーターの報告",
    "隠れ地区",
    "非公開の資源",
]


def png(size=(64, 48), colour="green"):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def add_photo(log, alt_text, caption="", order=0):
    return ActivityLogPhoto.objects.create(
        log=log, image=png(), alt_text=alt_text, caption=caption, display_order=order
    )


def build_coordinators():
    SiteProfileFactory()
    office = OfficeFactory(name="地域共生推進課", phone="0866-92-8552")
    soja = DistrictFactory(name="総社", reading="そうじゃ", slug="soja", display_order=1)
    tokiwa = DistrictFactory(name="常盤", reading="ときわ", slug="tokiwa", display_order=2)
    kiyone = DistrictFactory(name="清音", reading="きよね", slug="kiyone", display_order=3)
    kiyone_1 = DistrictFactory(
        name="清音第1", reading="きよねだいいち", slug="kiyone-1", parent=kiyone
    )
    hidden = DistrictFactory(name="隠れ地区", slug="kakure", hidden=True)
    east = LifeAreaFactory(
        name="総社東中学校区", reading="そうじゃひがしちゅうがっこうく", slug="soja-higashi",
        districts=[soja, tokiwa],
    )  # fmt: skip
    west = LifeAreaFactory(
        name="総社西中学校区", reading="そうじゃにしちゅうがっこうく", slug="soja-nishi",
        districts=[kiyone],
    )  # fmt: skip
    council = CouncilFactory(name="総社東圏域地域包括ケア会議", slug="east-care", life_area=east)

    city = CoordinatorFactory(
        display_name="岡田 美咲", reading="おかだ みさき", layer=1, office=office,
        message="市全体の支え合いを担当しています。\n気軽にお声かけください。",
        photo=png(), photo_alt="笑顔で話す岡田さん",
    )  # fmt: skip
    area = CoordinatorFactory(
        display_name="藤井 健太", reading="ふじい けんた", office=office,
        life_areas=[east, west],
    )  # fmt: skip
    csw = CoordinatorFactory(
        display_name="高橋 直人", reading="たかはし なおと", kind=CoordinatorKind.CSW,
        districts=[kiyone, hidden],
    )  # fmt: skip
    secret = CoordinatorFactory(display_name="非公開 太郎", is_public=False)
    CoordinatorFactory(display_name="退任 花子", active_until=datetime.date(2025, 3, 31))

    resource = ResourceFactory(name="にこにこサポート", summary="住民どうしの生活支援です。")
    hidden_resource = ResourceFactory(name="非公開の資源", is_public=False)

    full = ActivityLogFactory(
        published=True, coordinator=area, district=soja, kind=LogKind.MEETING,
        date=datetime.date(2026, 9, 3), title="総社地区の見守り会議",
        starts_at=datetime.time(13, 30), ends_at=datetime.time(15), place="総社公会堂",
        narrative="見守りの輪を広げる方法を話し合いました。\n\n次回は12月です。",
        consultations=0, referrals=0, participants=21, resource=resource,
        staff_notes="職員だけが読むメモ",
    )  # fmt: skip
    add_photo(full, "会議で話し合う参加者", caption="公会堂での会議", order=1)
    add_photo(full, "地図に印をつける様子", order=2)
    sub = ActivityLogFactory(
        published=True, coordinator=csw, district=kiyone_1, kind=LogKind.LAUNCH,
        date=datetime.date(2025, 11, 13), title="清音第1小地区のサロン立ち上げ",
        participants=6, resource=hidden_resource,
    )  # fmt: skip
    on_area = ActivityLogFactory(
        published=True, coordinator=area, life_area=west, kind=LogKind.TRAINING_HELPERS,
        date=datetime.date(2026, 6, 25), title="担い手養成講座", participants=24,
    )  # fmt: skip
    city_wide = ActivityLogFactory(
        published=True, coordinator=city, kind=LogKind.STUDY, date=datetime.date(2026, 10, 15),
        title="県の研修に参加", consultations=0, referrals=0,
    )  # fmt: skip
    in_hidden_district = ActivityLogFactory(
        published=True, coordinator=csw, district=hidden, kind=LogKind.NETWORKING,
        date=datetime.date(2026, 7, 9), title="見守りネットワーク会議",
    )  # fmt: skip
    internal = ActivityLogFactory(
        coordinator=area, district=tokiwa, kind=LogKind.CONSULTATION,
        date=datetime.date(2026, 8, 20), title="内部記録のひみつの件名",
        narrative="ひとり暮らしの甲野さん宅で見た通帳の話", consultations=12, referrals=6,
        staff_notes="職員だけが読むメモ",
    )  # fmt: skip
    by_secret = ActivityLogFactory(
        published=True, coordinator=secret, title="非公開コーディネーターの報告",
        date=datetime.date(2026, 5, 1),
    )  # fmt: skip
    # 21 more published reports: two pages of the list (20 a page).
    ActivityLogFactory.create_batch(
        21, published=True, coordinator=area, district=tokiwa, date=datetime.date(2025, 5, 10)
    )
    return SimpleNamespace(
        office=office, soja=soja, tokiwa=tokiwa, kiyone=kiyone, kiyone_1=kiyone_1,
        hidden=hidden, east=east, west=west, council=council, city=city, area=area, csw=csw,
        secret=secret, resource=resource, hidden_resource=hidden_resource, full=full, sub=sub,
        on_area=on_area, city_wide=city_wide, in_hidden_district=in_hidden_district,
        internal=internal, by_secret=by_secret,
    )  # fmt: skip
