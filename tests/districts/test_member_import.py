"""Reading 福祉委員 in from an Excel-saved CSV through the admin: the check shows
what each row would do and saves nothing, the confirmation saves it all or
nothing, and no file, however broken, gets anything but a Japanese message."""

import csv
import datetime
import io

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from districts import imports
from districts.models import WelfareCommitteeMember
from shakyo_portal.core.csvimport import importer
from shakyo_portal.core.normalize import PHONE_MESSAGE
from shakyo_portal.staff.roles import Role
from tests.factories import DistrictFactory, WelfareCommitteeMemberFactory, role_user

IMPORT_URL = reverse("admin:districts_welfarecommitteemember_import")
CONFIRM_URL = reverse("admin:districts_welfarecommitteemember_import_confirm")
TEMPLATE_URL = reverse("admin:districts_welfarecommitteemember_import_template")
CHANGELIST_URL = reverse("admin:districts_welfarecommitteemember_changelist")

HEADER = ["氏名", "よみがな", "地区社協", "担当区域", "役職", "任期の開始日", "電話番号"]


def csv_bytes(rows, encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client, content: bytes, name="福祉委員.csv"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content, "text/csv")})


def confirm(client, response):
    return client.post(CONFIRM_URL, {"token": response.context["token"]})


def rows_by_number(response) -> dict:
    return {row.number: row for row in response.context["result"].rows}


@pytest.fixture
def soja(db):
    return DistrictFactory(name="総社", slug="soja")


@pytest.fixture
def kiyone(db):
    return DistrictFactory(name="清音", slug="kiyone")


@pytest.fixture
def yamada(soja):
    return WelfareCommitteeMemberFactory(
        name="山田 太郎",
        reading="やまだ たろう",
        district=soja,
        area_covered="中央1区",
        phone="090-0000-1111",
        term_start=datetime.date(2024, 4, 1),
    )


@pytest.fixture
def office_user(db):
    return role_user(Role.OFFICE)


@pytest.fixture
def office(office_user):
    return client_for(office_user)


def test_check_shows_additions_updates_and_unchanged_rows_and_saves_nothing(
    office, yamada, soja, kiyone
):
    unchanged = WelfareCommitteeMemberFactory(
        name="鈴木 一郎", reading="すずき いちろう", district=kiyone, phone="0866-92-0001"
    )
    content = csv_bytes(
        [
            HEADER,
            # Same district, name and reading: an update of the phone and the role.
            [
                "山田 太郎",
                "ヤマダ タロウ",
                "総社",
                "中央1区",
                "委員長",
                "2024/4/1",
                "０８０ー１２３４ー５６７８",
            ],
            ["佐藤 花子", "さとう はなこ", "soja", "中央2区", "委員", "令和8年4月1日", ""],
            [
                "鈴木 一郎",
                "すずき いちろう",
                "清音",
                "中央1区",
                "委員",
                "2020-04-01",
                "0866-92-0001",
            ],
        ]
    )

    response = upload(office, content)

    assert response.status_code == 200
    rows = rows_by_number(response)
    assert [rows[n].action_label for n in (2, 3, 4)] == ["更新", "追加", "変更なし"]
    html = response.content.decode()
    assert "電話番号: 090-0000-1111 → 080-1234-5678" in html
    assert "役職: 委員 → 委員長" in html
    assert "追加: 1件" in html
    assert "更新: 1件" in html
    assert "変更なし: 1件" in html
    assert "この内容で取り込む" in html
    # The check saved nothing.
    assert WelfareCommitteeMember.objects.count() == 2
    yamada.refresh_from_db()
    assert (yamada.phone, yamada.role) == ("090-0000-1111", "member")
    unchanged.refresh_from_db()
    assert unchanged.term_start == datetime.date(2020, 4, 1)


def test_confirm_saves_every_row_and_records_the_importing_user(office, office_user, yamada, soja):
    content = csv_bytes(
        [
            HEADER,
            ["山田 太郎", "やまだ たろう", "総社", "中央1区", "委員", "2024/4/1", "080-1234-5678"],
            ["佐藤 花子", "サトウ ハナコ", "総社", "中央2区", "副委員長", "令和8年4月1日", ""],
        ]
    )
    checked = upload(office, content)

    response = confirm(office, checked)

    assert response.status_code == 302
    assert response["Location"] == CHANGELIST_URL
    yamada.refresh_from_db()
    assert yamada.phone == "080-1234-5678"
    sato = WelfareCommitteeMember.objects.get(name="佐藤 花子")
    assert (sato.reading, sato.district, sato.role) == ("さとう はなこ", soja, "vice_chair")
    assert sato.term_start == datetime.date(2026, 4, 1)
    message = office.get(CHANGELIST_URL).content.decode()
    assert "追加 1件、更新 1件、変更なし 0件" in message
    for member, action in ((sato, LogEntry.Action.CREATE), (yamada, LogEntry.Action.UPDATE)):
        entry = LogEntry.objects.get_for_object(member).get(action=action)
        assert entry.actor == office_user
    # The confirmation is used up: sending it again adds no one twice.
    again = confirm(office, checked)
    assert again["Location"] == IMPORT_URL
    assert WelfareCommitteeMember.objects.filter(name="佐藤 花子").count() == 1


def test_shift_jis_file_as_excel_saves_it(office, soja):
    # 髙 is outside JIS X 0208 but in Windows' Shift_JIS (cp932), which Excel writes.
    content = csv_bytes(
        [HEADER, ["髙﨑 花子", "たかさき はなこ", "総社", "", "委員", "2026/4/1", ""]],
        encoding="cp932",
    )

    checked = upload(office, content)
    assert rows_by_number(checked)[2].action_label == "追加"
    confirm(office, checked)

    assert WelfareCommitteeMember.objects.get(district=soja).name == "髙﨑 花子"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026/4/1", datetime.date(2026, 4, 1)),
        ("2026-04-01", datetime.date(2026, 4, 1)),
        ("令和8年4月1日", datetime.date(2026, 4, 1)),
        ("令和元年5月1日", datetime.date(2019, 5, 1)),
        ("２０２６／４／１", datetime.date(2026, 4, 1)),
        ("R8.4.1", datetime.date(2026, 4, 1)),
    ],
)
def test_dates_are_read_as_people_write_them(office, soja, typed, expected):
    checked = upload(office, csv_bytes([HEADER, ["新人", "しんじん", "総社", "", "", typed, ""]]))
    assert rows_by_number(checked)[2].errors == []
    confirm(office, checked)
    assert WelfareCommitteeMember.objects.get(name="新人").term_start == expected


def test_bad_rows_get_their_reasons_and_nothing_is_saved(office, yamada, soja):
    content = csv_bytes(
        [
            [*HEADER, "公開に同意を得た日", "氏名を公開する", "任期の終了日"],
            ["良い 行", "よい ぎょう", "総社", "", "委員", "2026/4/1", "", "", "いいえ"],
            ["日付 誤り", "ひづけ", "総社", "", "委員", "2026/13/1", "", "", ""],
            ["地区 不明", "ちく", "どこか", "", "委員", "2026/4/1", "", "", ""],
            ["", "なまえなし", "総社", "", "委員", "2026/4/1", "", "", ""],
            ["電話 誤り", "でんわ", "総社", "", "委員", "2026/4/1", "12345", "", ""],
            ["役職 誤り", "やくしょく", "総社", "", "会長", "平成32年1月1日", "", "", "たぶん"],
            ["同意 なし", "どうい", "総社", "", "委員", "2026/4/1", "", "", "はい"],
            ["任期 逆", "にんき", "総社", "", "委員", "2026/4/1", "", "", "", "2025/3/31"],
            ["良い 行", "よい ぎょう", "総社", "", "委員", "2026/4/1", "", "", "いいえ"],
        ]
    )

    response = upload(office, content)

    rows = rows_by_number(response)
    assert rows[2].action_label == "追加"
    assert rows[3].errors == [
        "任期の開始日: 日付は「2026/4/1」「2026-04-01」「令和8年4月1日」のように入力してください。"
    ]
    assert rows[4].errors == [
        "地区社協: 「どこか」という地区社協が見つかりません。地区名かURL名で入力してください。"
    ]
    assert rows[5].errors == ["氏名: 入力してください。"]
    assert rows[6].errors == [f"電話番号: {PHONE_MESSAGE}"]
    assert rows[7].errors == [
        "役職: 「委員長」「副委員長」「委員」のどれかで入力してください。",
        "氏名を公開する: 「はい」か「いいえ」で入力してください。",
        "任期の開始日: 「平成32年1月1日」という日付はありません。"
        "日付は「2026/4/1」「2026-04-01」「令和8年4月1日」のように入力してください。",
    ]
    assert rows[8].errors == [
        "公開に同意を得た日: 公開する項目を選ぶときは、公開に同意を得た日を入力してください。"
    ]
    assert rows[9].errors == ["任期の終了日: 任期の終了日は開始日より後にしてください。"]
    assert rows[10].errors == ["2行目と同じ福祉委員です。1人1行にしてください。"]
    html = response.content.decode()
    assert "3行目" in html
    assert "エラーの行があるため、取り込めません。" in html
    assert "この内容で取り込む" not in html
    assert WelfareCommitteeMember.objects.count() == 1
    # A forged confirmation of a checked file with errors saves nothing either.
    confirm(office, response)
    assert WelfareCommitteeMember.objects.count() == 1


def test_district_officer_imports_only_rows_of_their_own_districts(soja, kiyone, yamada):
    officer = role_user(Role.DISTRICT, districts=[soja])
    other = WelfareCommitteeMemberFactory(name="他地区 委員", reading="たちく", district=kiyone)
    client = client_for(officer)
    assert "CSVから取り込む" in client.get(CHANGELIST_URL).content.decode()
    content = csv_bytes(
        [
            ["ID", *HEADER],
            ["", "山田 太郎", "やまだ たろう", "総社", "", "委員", "2024/4/1", "080-1234-5678"],
            ["", "清音 新人", "きよね", "清音", "", "委員", "2026/4/1", ""],
            # Moving a member of their own district to another is not theirs to do either.
            [str(yamada.pk), "山田 太郎", "やまだ たろう", "kiyone", "", "委員", "2024/4/1", ""],
            # A member of another district is not found by ID: it is not theirs to see.
            [str(other.pk), "他地区 委員", "たちく", "総社", "", "委員", "2020/4/1", ""],
        ]
    )

    response = upload(client, content)

    rows = rows_by_number(response)
    assert rows[2].action_label == "更新"
    assert rows[3].errors == ["この地区の福祉委員を登録する権限がありません。"]
    assert rows[4].errors == ["この地区の福祉委員を登録する権限がありません。"]
    assert rows[5].errors == [
        f"ID: 「{other.pk}」の福祉委員が見つかりません。新しく登録する人はIDを空欄にします。"
    ]
    confirm(client, response)
    other.refresh_from_db()
    assert other.district == kiyone
    assert WelfareCommitteeMember.objects.count() == 2

    own_only = csv_bytes(
        [HEADER, ["山田 太郎", "やまだ たろう", "総社", "", "委員", "2024/4/1", "080-1234-5678"]]
    )
    confirm(client, upload(client, own_only))
    yamada.refresh_from_db()
    assert yamada.phone == "080-1234-5678"
    assert LogEntry.objects.get_for_object(yamada).latest("timestamp").actor == officer


def test_a_change_between_check_and_confirm_is_shown_again_and_not_saved(office, yamada):
    checked = upload(
        office,
        csv_bytes(
            [HEADER, ["山田 太郎", "やまだ たろう", "総社", "", "", "2024/4/1", "080-1234-5678"]]
        ),
    )
    WelfareCommitteeMember.objects.filter(pk=yamada.pk).update(phone="0866-11-2222")

    response = confirm(office, checked)

    assert response.status_code == 200
    assert "電話番号: 0866-11-2222 → 080-1234-5678" in response.content.decode()
    assert "取り込む内容が変わりました" in response.content.decode()
    yamada.refresh_from_db()
    assert yamada.phone == "0866-11-2222"
    # What is shown now can be confirmed.
    confirm(office, response)
    yamada.refresh_from_db()
    assert yamada.phone == "080-1234-5678"


def test_the_admins_own_csv_export_reads_back_unchanged(office, yamada, kiyone):
    WelfareCommitteeMemberFactory(
        district=kiyone, consented=True, term_end=datetime.date(2027, 3, 31)
    )
    export = office.post(
        CHANGELIST_URL,
        {
            "action": "export_csv",
            "_selected_action": list(WelfareCommitteeMember.objects.values_list("pk", flat=True)),
        },
    )
    assert export.status_code == 200
    assert export["Content-Type"].startswith("text/csv")

    response = upload(office, export.content)

    assert [row.action_label for row in response.context["result"].rows] == ["変更なし"] * 2


def test_template_csv_has_the_header_excel_reads(office):
    response = office.get(TEMPLATE_URL)

    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    header = next(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert header == importer(imports.MEMBERS).header
    assert header[:4] == ["ID", "氏名", "よみがな", "地区社協"]
    assert "氏名を公開する" in header


def _xlsx_like() -> bytes:
    return b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + bytes(range(256))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "ファイルが空です。"),
        (b"\r\n,,,\r\n", "ファイルが空です。"),
        (_xlsx_like(), "CSVファイルとして読めません。"),
        ("氏名,よみがな".encode("utf-16"), "CSVファイルとして読めません。"),
        (b"\xff\xfe\xfd\x80\x81", "文字コードを読み取れません。"),
        (
            csv_bytes([["名前", "読み", "地区"], ["a", "b", "c"]]),
            "取り込めない列があります: 「名前」、「読み」、「地区」",
        ),
        (
            csv_bytes([["氏名", "よみがな", "地区社協"], ["a", "あ", "総社"]]),
            "必要な列がありません: 「任期の開始日」",
        ),
        (csv_bytes([[*HEADER, "氏名"], ["a"] * 8]), "同じ列が2回あります: 「氏名」"),
        (csv_bytes([HEADER]), "取り込む行がありません。"),
        (
            csv_bytes([HEADER] + [["a", "あ", "総社", "", "", "2026/4/1", ""]] * 5001),
            "行が多すぎます（5,001行）",
        ),
        (b"x" * (2 * 1024 * 1024 + 1), "ファイルが大きすぎます。"),
        (b'"\x00' * 10, "CSVファイルとして読めません。"),
        (csv_bytes([HEADER, ["a" * 200_000]]), "長すぎる欄があるか"),
    ],
    ids=[
        "empty",
        "blank-lines",
        "xlsx",
        "utf-16",
        "broken-encoding",
        "unknown-headers",
        "missing-headers",
        "repeated-header",
        "header-only",
        "too-many-rows",
        "too-large",
        "nul",
        "huge-cell",
    ],
)
def test_garbage_gets_a_japanese_message_and_saves_nothing(office, soja, content, message):
    response = upload(office, content)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["result"] is None
    assert WelfareCommitteeMember.objects.count() == 0


def test_a_row_wider_than_the_header_is_an_error(office, soja):
    content = csv_bytes([HEADER, ["a", "あ", "総社", "", "", "2026/4/1", "", "ずれた値"]])

    rows = rows_by_number(upload(office, content))

    assert rows[2].errors == [
        "見出しより右の列に値があります。列がずれていないか確かめてください。"
    ]


def test_no_file_chosen(office):
    response = office.post(IMPORT_URL, {})
    assert response.status_code == 200
    assert "CSVファイルを選んでください。" in response.content.decode()


def test_confirm_without_a_checked_file_asks_for_one_again(office):
    response = office.post(CONFIRM_URL, {"token": "forged"})
    assert response.status_code == 302
    assert response["Location"] == IMPORT_URL
    assert office.get(CONFIRM_URL).status_code == 405


def test_readers_and_outsiders_cannot_import(db, soja, resident):
    reader = client_for(role_user(Role.READER))
    assert "CSVから取り込む" not in reader.get(CHANGELIST_URL).content.decode()
    for url in (IMPORT_URL, TEMPLATE_URL):
        assert reader.get(url).status_code == 403
    content = csv_bytes([HEADER, ["a", "あ", "総社", "", "", "2026/4/1", ""]])
    assert upload(reader, content).status_code == 403
    assert reader.post(CONFIRM_URL, {"token": "x"}).status_code == 403
    coordinator = client_for(role_user(Role.COORDINATOR))
    assert coordinator.get(IMPORT_URL).status_code == 403
    assert resident.get(IMPORT_URL).status_code == 302
    assert WelfareCommitteeMember.objects.count() == 0


def test_import_page_is_japanese_and_links_the_template(office):
    html = office.get(IMPORT_URL).content.decode()
    assert "福祉委員をCSVから取り込む" in html
    assert TEMPLATE_URL in html
    assert "必ず入れる列: 氏名、よみがな、地区社協、任期の開始日" in html
    assert 'enctype="multipart/form-data"' in html
