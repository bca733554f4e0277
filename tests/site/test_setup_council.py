"""setup_council: a real council's first run, from a file or answered line by line."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from shakyo_portal.core.models import Office, SiteProfile
from shakyo_portal.staff.roles import Role
from tests.factories import SiteProfileFactory

PASSWORD = "korehanagaipasuwa-do-desu"

TOML = """
[council]
name = "テスト市社会福祉協議会"
short_name = "テスト市社協"
postal_code = "７１９－１１３１"
address = "テスト県テスト市中央1-1"
phone = "0866-00-0000"

[[offices]]
name = "地域福祉課"
phone = "0866-00-0001"
hours = "月〜金 8:30〜12:00、13:00〜17:15／土 8:30〜12:00"
year_end = "12月28日〜1月4日"

[[offices]]
name = "ボランティアセンター"
phone = "0866-00-0002"

[staff]
username = "yamada"
email = "yamada@example.jp"
"""


@pytest.fixture
def password(monkeypatch):
    monkeypatch.setenv("SETUP_COUNCIL_PASSWORD", PASSWORD)


def run(*args, stdin=""):
    out, err = io.StringIO(), io.StringIO()
    call_command("setup_council", *args, stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def nothing_written():
    return not (
        SiteProfile.objects.exists() or Office.objects.exists() or get_user_model().objects.exists()
    )


def test_a_toml_file_sets_up_the_council(db, password, tmp_path, resident):
    path = tmp_path / "council.toml"
    path.write_text(TOML, encoding="utf-8")
    out, _ = run("--file", str(path))
    assert "年度は4月1日から3月31日まで" in out and "第45条の23" in out
    assert "テスト市社会福祉協議会を登録しました（窓口 2 件）" in out

    profile = SiteProfile.objects.get()
    assert (profile.short_name, profile.postal_code) == ("テスト市社協", "719-1131")
    chiiki, volunteer = Office.objects.all()
    assert chiiki.hours_label == (
        "月〜金 8:30〜12:00、13:00〜17:15／土 8:30〜12:00（日・祝日、12月28日〜1月4日を除く）"
    )
    # No hours in the file: none are shown, rather than a guessed timetable.
    assert not volunteer.publishes_hours and volunteer.hours_label == ""

    user = get_user_model().objects.get()
    assert user.is_superuser and user.is_staff and user.check_password(PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == [Role.ADMIN.value]

    html = resident.get("/contact/").content.decode()
    assert "月〜金 8:30〜12:00、13:00〜17:15／土 8:30〜12:00" in html
    assert "ボランティアセンター" in html


def test_a_json_file_works_the_same(db, password, tmp_path):
    path = tmp_path / "council.json"
    data = {
        "council": {"name": "テスト市社会福祉協議会", "short_name": "テスト市社協"},
        "offices": [{"name": "総務課", "hours": "月〜金 9:00〜17:00", "year_end": "なし"}],
        "staff": {"username": "suzuki"},
    }
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    run("--file", str(path))
    office = Office.objects.get()
    assert office.year_end is None
    assert office.hours_label == "月〜金 9:00〜17:00（土・日・祝日を除く）"


def test_a_bad_file_says_every_problem_in_japanese_and_writes_nothing(db, password, tmp_path):
    path = tmp_path / "council.toml"
    path.write_text(
        """
[council]
short_name = "テスト市社協"
phone = "0866-00"
fax_number = "0866-00-0009"

[[offices]]
name = "地域福祉課"
hours = "月〜金 17:15〜8:30"
year_end = "12月32日〜1月3日"

[staff]
username = "yamada"
password = "secret"
""",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as raised:
        run("--file", str(path))
    message = str(raised.value)
    assert "何も登録していません" in message
    assert "[council] 法人名: このフィールドは空ではいけません。" in message
    assert "電話番号は0から始まる10桁または11桁" in message
    assert "知らない項目「fax_number」" in message
    assert "「17:15〜8:30」は終わりの時刻を始まりより後にしてください。" in message
    assert "12月32日という日はありません。" in message
    assert "パスワードはファイルに書かないでください" in message
    assert nothing_written()


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("[council\nname = 'x'", "TOML として読めません"),
        ("", "username（最初の職員のログイン名）を書いてください。"),
    ],
)
def test_an_unreadable_or_empty_file_is_refused(db, password, tmp_path, text, error):
    path = tmp_path / "council.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match=error):
        run("--file", str(path))
    assert nothing_written()


def test_refuses_a_database_that_already_has_content(db, password, tmp_path):
    SiteProfileFactory(name="デモ社協")
    path = tmp_path / "council.toml"
    path.write_text(TOML, encoding="utf-8")
    with pytest.raises(CommandError, match=r"すでにデータ.*社協の基本情報.*空のデータベースでだけ"):
        run("--file", str(path))
    assert list(SiteProfile.objects.values_list("name", flat=True)) == ["デモ社協"]
    assert not Office.objects.exists() and not get_user_model().objects.exists()


def test_without_a_password_nothing_is_written(db, tmp_path, monkeypatch):
    monkeypatch.delenv("SETUP_COUNCIL_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO())  # not a terminal: nobody to ask
    path = tmp_path / "council.toml"
    path.write_text(TOML, encoding="utf-8")
    with pytest.raises(CommandError, match="SETUP_COUNCIL_PASSWORD"):
        run("--file", str(path))
    assert nothing_written()


def test_a_weak_password_is_refused_and_nothing_written(db, tmp_path, monkeypatch):
    monkeypatch.setenv("SETUP_COUNCIL_PASSWORD", "12345")
    path = tmp_path / "council.toml"
    path.write_text(TOML, encoding="utf-8")
    with pytest.raises(CommandError, match="パスワードが条件に合いません"):
        run("--file", str(path))
    assert nothing_written()


ANSWERS = "\n".join(
    [
        "テスト市社会福祉協議会",
        "テスト市社協",
        "719-1131",
        "テスト県テスト市中央1-1",
        "0866-00-000",  # too short: asked again
        "0866-00-0000",
        "",
        "地域福祉課",
        "0866-00-0001",
        "",
        "月〜金 ８：３０〜１７：１５",
        "",  # 祝日は休み
        "12/28-1/4",
        "相談窓口",
        "",
        "",
        "",  # no hours
        "",  # no more offices
        "yamada",
        "",
    ]
)


def test_answers_on_standard_input(db, monkeypatch):
    prompts = iter([PASSWORD, PASSWORD])
    monkeypatch.delenv("SETUP_COUNCIL_PASSWORD", raising=False)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(prompts))
    out, err = run(stdin=ANSWERS + "\n")
    assert "電話番号は0から始まる10桁または11桁" in err
    assert "テスト市社会福祉協議会を登録しました（窓口 2 件）" in out
    assert SiteProfile.objects.get().phone == "0866-00-0000"
    chiiki, soudan = Office.objects.all()
    assert chiiki.address == "テスト県テスト市中央1-1"  # the council's, as offered
    assert chiiki.hours_label == "月〜金 8:30〜17:15（土・日・祝日、12月28日〜1月4日を除く）"
    assert not soudan.publishes_hours
    assert get_user_model().objects.get().check_password(PASSWORD)


def test_input_that_stops_halfway_writes_nothing(db, password):
    with pytest.raises(CommandError, match="入力が途中で終わりました"):
        run(stdin="テスト市社会福祉協議会\nテスト市社協\n")
    assert nothing_written()
