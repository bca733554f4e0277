"""A council's own first run, without the demo: its name, its offices and the
first staff login, asked one by one or read from a small TOML or JSON file.

    [council]
    name = "〇〇市社会福祉協議会"
    short_name = "〇〇市社協"
    phone = "0866-00-0000"          # optional, like every key but the two above

    [[offices]]
    name = "地域福祉課"
    phone = "0866-00-0001"
    hours = "月〜金 8:30〜17:15"     # optional: no hours, none are shown
    year_end = "12月29日〜1月3日"    # optional, this is the default; 「なし」 for none
    closes_on_holidays = true       # optional, the default

    [staff]
    username = "yamada"
    email = "yamada@example.jp"     # optional

The password is never in the file: SETUP_COUNCIL_PASSWORD, or asked twice.
Everything is written in one transaction, so a refusal leaves nothing behind.
"""

import getpass
import json
import os
import sys
import tomllib
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor

from districts.models import District
from shakyo_portal.core import office_hours
from shakyo_portal.core.models import Office, OfficeHoursPeriod, PracticePlan, SiteProfile
from shakyo_portal.staff.models import StaffProfile
from shakyo_portal.staff.roles import Role

PASSWORD_VARIABLE = "SETUP_COUNCIL_PASSWORD"

# What the demo data and any council in use have: one of them means the database
# is someone's already. (Not "any row": migrations seed reference lists such as
# the councils' 議題の種類.)
IN_USE = (SiteProfile, Office, PracticePlan, District)

COUNCIL_KEYS = {
    "name",
    "short_name",
    "reading",
    "tagline",
    "postal_code",
    "address",
    "phone",
    "fax",
    "email",
}
OFFICE_KEYS = {
    "name",
    "postal_code",
    "address",
    "phone",
    "phone_label",
    "fax",
    "email",
    "hours",
    "year_end",
    "closes_on_holidays",
    "hours_note",
}
STAFF_KEYS = {"username", "email"}

FISCAL_YEAR_NOTE = (
    "年度は4月1日から3月31日までです。社協は社会福祉法人で、会計年度は法律で"
    "決まっている（社会福祉法 第45条の23）ため、お聞きしません。"
)


class Command(BaseCommand):
    help = (
        "デモデータを使わずに、社協の名前・窓口・最初の職員ログインを登録して使い始めます。"
        "空のデータベースでだけ動きます。"
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            type=Path,
            help="社協の情報を書いた TOML または JSON のファイル（パスワードは書きません）",
        )

    def handle(self, *args, **options):
        self.stdin = options.get("stdin") or sys.stdin
        self._migrate_if_needed()
        self._refuse_a_database_in_use()
        self.stdout.write(FISCAL_YEAR_NOTE)
        if options["file"]:
            council, offices, staff = self._read_file(options["file"])
        else:
            council, offices, staff = self._ask()
        password = self._password(interactive=not options["file"])
        self._save(council, offices, staff, password)
        self.stdout.write(
            self.style.SUCCESS(
                f"{council.name}を登録しました（窓口 {len(offices)} 件）。"
                f"管理画面に「{staff['username']}」でログインできます。"
            )
        )

    # --- before anything is asked ------------------------------------------------------

    def _migrate_if_needed(self):
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write("データベースを準備しています（migrate）…")
            call_command("migrate", interactive=False, verbosity=0)

    def _refuse_a_database_in_use(self):
        found = [str(model._meta.verbose_name) for model in IN_USE if model.objects.exists()]
        if get_user_model().objects.exists():
            found.append("職員のアカウント")
        if found:
            raise CommandError(
                "このデータベースには、すでにデータ（デモデータや入力済みの内容: "
                f"{'、'.join(found)}）があります。"
                "setup_council は空のデータベースでだけ使えます。何も変更していません。"
            )

    # --- from a file --------------------------------------------------------------------

    def _read_file(self, path: Path):
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            raise CommandError(f"ファイル {path} を読めません。") from None
        except UnicodeDecodeError:
            raise CommandError(f"ファイル {path} は UTF-8 で保存してください。") from None
        try:
            data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
        except (ValueError, tomllib.TOMLDecodeError) as error:
            kind = "JSON" if path.suffix.lower() == ".json" else "TOML"
            raise CommandError(f"ファイル {path} を {kind} として読めません: {error}") from None
        if not isinstance(data, dict):
            raise CommandError("ファイルには council・offices・staff の項目を書いてください。")

        errors: list[str] = []
        if any(
            "password" in table
            for table in (data, data.get("staff"), data.get("council"))
            if isinstance(table, dict)
        ):
            errors.append(
                f"パスワードはファイルに書かないでください（環境変数 {PASSWORD_VARIABLE} か、"
                "たずねられたときに入力します）。"
            )
        unknown = set(data) - {"council", "offices", "staff"}
        if unknown:
            errors.append(f"知らない項目があります: {'、'.join(sorted(unknown))}")
        council_data = self._table(data, "council", COUNCIL_KEYS, "[council]", errors)
        staff = self._table(data, "staff", STAFF_KEYS, "[staff]", errors)
        offices_data = data.get("offices", [])
        if not isinstance(offices_data, list):
            errors.append("offices は [[offices]] の並びで書いてください。")
            offices_data = []

        council = SiteProfile(**council_data)
        self._check(council, "[council]", errors, exclude=["introduction"])
        offices = []
        for n, entry in enumerate(offices_data, start=1):
            where = f"{n}番目の [[offices]]"
            if not isinstance(entry, dict):
                errors.append(f"{where}: 「name = …」のように書いてください。")
                continue
            for key in sorted(set(entry) - OFFICE_KEYS):
                errors.append(f"{where}: 知らない項目「{key}」があります。")
            offices.append(
                self._office({k: v for k, v in entry.items() if k in OFFICE_KEYS}, where, errors)
            )
        if not staff.get("username"):
            errors.append("[staff]: username（最初の職員のログイン名）を書いてください。")
        else:
            self._check_user(staff, "[staff]", errors)
        if errors:
            raise CommandError(
                "ファイルに直すところがあります。何も登録していません。\n"
                + "\n".join(f"・{error}" for error in errors)
            )
        return council, offices, staff

    @staticmethod
    def _table(data, key, allowed, where, errors) -> dict:
        table = data.get(key, {})
        if not isinstance(table, dict):
            errors.append(f"{where} の書き方が違います。")
            return {}
        for unknown in sorted(set(table) - allowed - {"password"}):
            errors.append(f"{where}: 知らない項目「{unknown}」があります。")
        return {k: v if isinstance(v, str) else str(v) for k, v in table.items() if k in allowed}

    def _office(self, entry: dict, where: str, errors: list[str]):
        hours = entry.pop("hours", None)
        year_end = entry.pop("year_end", None)
        closes_on_holidays = entry.pop("closes_on_holidays", True)
        office = Office(**{k: str(v) for k, v in entry.items()})
        office.closes_on_holidays = bool(closes_on_holidays)
        periods = []
        if hours:
            try:
                periods = office_hours.parse_timetable(str(hours))
            except ValueError as error:
                errors.append(f"{where}（hours）: {error}")
        else:
            # A council that gives no hours gets none shown, rather than a guess.
            office.publishes_hours = False
        if year_end is not None:
            try:
                self._set_year_end(office, office_hours.parse_year_end(str(year_end)))
            except ValueError as error:
                errors.append(f"{where}（year_end）: {error}")
        self._check(office, where, errors)
        return office, periods

    # --- asked one by one -----------------------------------------------------------------

    def _ask(self):
        self.stdout.write("社協の情報を入力します。［］の中は入力の例です。")
        council = SiteProfile()
        self._ask_field(council, "name", "法人名［〇〇市社会福祉協議会］", required=True)
        self._ask_field(council, "short_name", "略称［〇〇市社協］", required=True)
        self._ask_field(council, "postal_code", "郵便番号（空欄可）")
        self._ask_field(council, "address", "所在地（空欄可）")
        self._ask_field(council, "phone", "代表電話（空欄可）")
        self._ask_field(council, "email", "代表メールアドレス（空欄可）")

        self.stdout.write("窓口を登録します。窓口名を空欄のまま Enter で終わります。")
        offices = []
        while name := self._input("窓口名［地域福祉課］"):
            office = Office(name=name, postal_code=council.postal_code, address=council.address)
            try:
                self._check_value(office, "name")
            except ValidationError as error:
                self.stderr.write(" ".join(error.messages))
                continue
            self._ask_field(office, "phone", "  電話番号（空欄可）")
            self._ask_field(office, "email", "  メールアドレス（空欄可）")
            periods = self._ask_parsed(
                "  受付時間［月〜金 8:30〜17:15。昼休みは 月〜金 8:30〜12:00、13:00〜17:15］"
                "（空欄なら受付時間を載せません）",
                office_hours.parse_timetable,
                empty=[],
            )
            if periods:
                holidays = self._input("  祝日は休みですか［はい／いいえ］（空欄は はい）")
                office.closes_on_holidays = holidays not in {"いいえ", "no", "n"}
                year_end = self._ask_parsed(
                    "  年末年始の休み［12月29日〜1月3日］"
                    "（空欄はこの例のとおり、休まないなら なし）",
                    office_hours.parse_year_end,
                    empty=office_hours.STANDARD_YEAR_END,
                )
                self._set_year_end(office, year_end)
            else:
                office.publishes_hours = False
            offices.append((office, periods))

        staff = {}
        while True:
            staff["username"] = self._input("最初の職員のログイン名［yamada］", required=True)
            staff["email"] = self._input("その職員のメールアドレス（空欄可）")
            errors: list[str] = []
            self._check_user(staff, "", errors)
            if not errors:
                return council, offices, staff
            for error in errors:
                self.stderr.write(error)

    def _input(self, prompt: str, *, required: bool = False) -> str:
        while True:
            self.stdout.write(f"{prompt}: ", ending="")
            self.stdout.flush()
            line = self.stdin.readline()
            if not line:
                raise CommandError("入力が途中で終わりました。何も登録していません。")
            value = line.strip()
            if value or not required:
                return value
            self.stderr.write("入力してください。")

    def _ask_field(self, obj, field: str, prompt: str, *, required: bool = False):
        while True:
            setattr(obj, field, self._input(prompt, required=required))
            try:
                self._check_value(obj, field)
                return
            except ValidationError as error:
                self.stderr.write(" ".join(error.messages))

    def _ask_parsed(self, prompt: str, parse, *, empty=None):
        while True:
            value = self._input(prompt)
            if not value:
                return empty
            try:
                return parse(value)
            except ValueError as error:
                self.stderr.write(str(error))

    # --- checks and the write -------------------------------------------------------------

    @staticmethod
    def _check_value(obj, field: str):
        model_field = obj._meta.get_field(field)
        setattr(obj, field, model_field.clean(getattr(obj, field), obj))

    @staticmethod
    def _check(obj, where: str, errors: list[str], exclude=None):
        try:
            obj.full_clean(exclude=exclude)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                label = obj._meta.get_field(field).verbose_name if field != "__all__" else ""
                errors.extend(f"{where} {label}: {message}" for message in messages)

    @staticmethod
    def _check_user(staff: dict, where: str, errors: list[str]):
        user = get_user_model()(username=staff["username"], email=staff.get("email", ""))
        try:
            user.clean_fields(exclude=["password"])
        except ValidationError as error:
            for messages in error.message_dict.values():
                errors.extend(f"{where} {message}".strip() for message in messages)

    @staticmethod
    def _set_year_end(office, year_end):
        parts = (
            (year_end.start_month, year_end.start_day, year_end.end_month, year_end.end_day)
            if year_end
            else (None, None, None, None)
        )
        (
            office.year_end_start_month,
            office.year_end_start_day,
            office.year_end_end_month,
            office.year_end_end_day,
        ) = parts

    def _password(self, *, interactive: bool) -> str:
        password = os.environ.get(PASSWORD_VARIABLE)
        if password:
            return password
        if not interactive and not sys.stdin.isatty():
            raise CommandError(
                f"パスワードを環境変数 {PASSWORD_VARIABLE} に入れて実行してください"
                "（ファイルには書きません）。何も登録していません。"
            )
        while True:
            first = getpass.getpass("パスワード（12文字以上）: ")
            if first != getpass.getpass("もう一度: "):
                self.stderr.write("2回の入力が違います。もう一度どうぞ。")
                continue
            try:
                validate_password(first)
            except ValidationError as error:
                self.stderr.write(" ".join(error.messages))
                continue
            return first

    def _save(self, council, offices, staff, password):
        user_model = get_user_model()
        try:
            validate_password(password, user_model(username=staff["username"]))
        except ValidationError as error:
            raise CommandError(
                "パスワードが条件に合いません: "
                + " ".join(error.messages)
                + "何も登録していません。"
            ) from None
        with transaction.atomic():
            council.save()
            for order, (office, periods) in enumerate(offices, start=1):
                office.display_order = order * 10
                office.save()
                OfficeHoursPeriod.objects.bulk_create(
                    OfficeHoursPeriod(
                        office=office, weekday=p.weekday, opens=p.opens, closes=p.closes
                    )
                    for p in periods
                )
            user = user_model.objects.create_superuser(
                username=staff["username"], email=staff.get("email", ""), password=password
            )
            user.groups.add(Group.objects.get(name=Role.ADMIN.value))
            StaffProfile.objects.get_or_create(user=user)
