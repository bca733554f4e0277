"""福祉委員 from a spreadsheet: an Excel-saved CSV read, every row checked as the
admin form checks it, what would change shown, and then all of it saved or none.

The columns are named as the admin names the fields (and as the admin's CSV
export writes them), so a downloaded list can be corrected and read back in.
"""

import copy
import csv
import hashlib
import io
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils.text import capfirst

from districts.models import District, WelfareCommitteeMember
from shakyo_portal.core.csvexport import FORMULA_STARTS
from shakyo_portal.core.dates import format_date, wareki_to_western
from shakyo_portal.core.fields import LenientDateField
from shakyo_portal.core.kana import normalize_reading
from shakyo_portal.staff import access

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000

Member = WelfareCommitteeMember

# The fields a file may set, in the order of the template's columns.
FIELDS = [
    "name",
    "reading",
    "district",
    "area_covered",
    "role",
    "is_council_representative",
    "term_start",
    "term_end",
    "phone",
    "email",
    "consent_date",
    "publish_name",
    "publish_area",
    "publish_role",
    "publish_phone",
    "publish_email",
]
ID_COLUMN = "ID"
LABELS = {name: str(capfirst(Member._meta.get_field(name).verbose_name)) for name in FIELDS}
COLUMNS = {label: name for name, label in LABELS.items()}
REQUIRED = ["name", "reading", "district", "term_start"]
TEMPLATE_HEADER = [ID_COLUMN, *LABELS.values()]
BOOLEANS = {
    name for name in FIELDS if isinstance(Member._meta.get_field(name), models.BooleanField)
}
YES, NO = "はい", "いいえ"
ROLES = {str(label): value for value, label in Member.Role.choices}


class FileProblem(Exception):
    """The file as a whole cannot be read; the message is for the person who sent it."""


# --- reading the file ---------------------------------------------------------------


def decode(raw: bytes) -> str:
    """UTF-8 (with or without the BOM Excel writes for 「CSV UTF-8」) or Shift_JIS
    (Excel's plain 「CSV」 in Japan), as text."""
    if len(raw) > MAX_BYTES:
        raise FileProblem("ファイルが大きすぎます。2MB以下に分けて取り込んでください。")
    if not raw.strip():
        raise FileProblem("ファイルが空です。")
    if b"\x00" in raw:
        # An .xlsx (a zip file), a picture, or UTF-16 text: none of them is a CSV.
        raise FileProblem(
            "CSVファイルとして読めません。Excelでは「名前を付けて保存」で"
            "「CSV UTF-8（コンマ区切り）」か「CSV（コンマ区切り）」を選んで保存してください。"
        )
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileProblem(
        "文字コードを読み取れません。UTF-8かShift_JISで保存したCSVファイルを選んでください。"
    )


@dataclass
class Line:
    number: int  # the row's number as Excel shows it (the header is 1)
    cells: dict[str, str]  # by field name, or ID_COLUMN
    overflow: bool = False  # values beyond the last column: the columns have shifted


@dataclass
class Table:
    columns: list[str]
    lines: list[Line]


def read_table(text: str) -> Table:
    try:
        records = list(enumerate(csv.reader(io.StringIO(text, newline="")), start=1))
    except csv.Error as error:
        # A cell longer than the csv module allows (128KB), or stray quotes.
        raise FileProblem(
            'CSVファイルとして読めません。長すぎる欄があるか、引用符（"）の対応が崩れています。'
        ) from error
    records = [(number, cells) for number, cells in records if any(c.strip() for c in cells)]
    if not records:
        raise FileProblem("ファイルが空です。")
    _, header = records[0]
    columns = _columns([unicodedata.normalize("NFKC", c).strip() for c in header])
    body = records[1:]
    if not body:
        raise FileProblem("見出しの行のほかに、取り込む行がありません。")
    if len(body) > MAX_ROWS:
        raise FileProblem(
            f"行が多すぎます（{len(body):,}行）。一度に取り込めるのは{MAX_ROWS:,}行までです。"
            "ファイルを分けてください。"
        )
    lines = []
    for number, cells in body:
        overflow = any(c.strip() for c in cells[len(columns) :])
        cells = [*cells, *[""] * (len(columns) - len(cells))]
        values = {column: _cell(value) for column, value in zip(columns, cells, strict=False)}
        lines.append(Line(number, values, overflow))
    return Table(columns, lines)


def _columns(header: list[str]) -> list[str]:
    known = {ID_COLUMN.casefold(): ID_COLUMN, **{label: name for label, name in COLUMNS.items()}}
    columns, unknown = [], []
    for label in header:
        name = known.get(label) or known.get(label.casefold())
        if name is None:
            unknown.append(label or "（空欄）")
        columns.append(name)
    if unknown:
        raise FileProblem(
            "見出しの行に、取り込めない列があります: "
            + "、".join(f"「{label}」" for label in unknown)
            + "。列の名前はひな形のCSVに合わせてください。"
        )
    repeated = sorted({c for c in columns if columns.count(c) > 1}, key=columns.index)
    if repeated:
        raise FileProblem(
            "同じ列が2回あります: " + "、".join(f"「{_label(c)}」" for c in repeated) + "。"
        )
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise FileProblem(
            "見出しの行に、必要な列がありません: "
            + "、".join(f"「{LABELS[name]}」" for name in missing)
            + "。1行目は列の名前にしてください（ひな形のCSVが使えます）。"
        )
    return columns


def _cell(value: str) -> str:
    value = value.strip()
    # The portal's own CSV export puts ' before text Excel would take for a formula.
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _label(column: str) -> str:
    return ID_COLUMN if column == ID_COLUMN else LABELS[column]


# --- checking each row ---------------------------------------------------------------


class ImportDateField(LenientDateField):
    default_error_messages = {
        "invalid": "日付は「2026/4/1」「2026-04-01」「令和8年4月1日」のように入力してください。",
    }

    def to_python(self, value):
        if isinstance(value, str):
            value = wareki_to_western(value)
        return super().to_python(value)


# The model's constraints whose rule WelfareCommitteeMember.clean() checks too.
CHECKED_BY_CLEAN = {
    "welfare_member_term_ends_after_start",
    "welfare_member_publishes_only_with_consent",
}


class MemberRowForm(forms.ModelForm):
    """One row, checked as the admin's form checks it: the model's clean() and
    constraints, phone and reading normalisation. The district is chosen before."""

    class Meta:
        model = Member
        fields = [name for name in FIELDS if name != "district"]
        field_classes = {
            "term_start": ImportDateField,
            "term_end": ImportDateField,
            "consent_date": ImportDateField,
        }
        error_messages = {
            "name": {"required": "入力してください。"},
            "reading": {"required": "入力してください。"},
        }

    def validate_constraints(self):
        # Django checks a constraint by asking the database, three queries a row
        # (most of the time of a 5,000-row file). The model's clean() already says
        # these two rules beside the field, and the database still enforces them
        # when the rows are saved; any other constraint is checked here as usual.
        exclude = self._get_validation_exclusions()
        for constraint in Member._meta.constraints:
            if constraint.name in CHECKED_BY_CLEAN:
                continue
            try:
                constraint.validate(Member, self.instance, exclude=exclude)
            except ValidationError as error:
                self._update_errors(error)


ADD, UPDATE, SAME, ERROR = "add", "update", "same", "error"
ACTION_LABELS = {ADD: "追加", UPDATE: "更新", SAME: "変更なし", ERROR: "エラー"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Row:
    number: int
    name: str
    district: str
    action: str = ERROR
    changes: list[Change] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    member: Member | None = None

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]


@dataclass
class Preview:
    rows: list[Row]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {label: self.count(action) for action, label in ACTION_LABELS.items()}

    @property
    def shown(self) -> list[Row]:
        """The rows the table lists: errors first, then additions and updates.
        Unchanged rows are only counted: a corrected export is mostly those."""
        rows = [row for row in self.rows if row.action != SAME]
        return sorted(rows, key=lambda row: (row.action != ERROR, row.number))

    @property
    def has_errors(self) -> bool:
        return any(row.action == ERROR for row in self.rows)

    @property
    def fingerprint(self) -> str:
        """What applying would do; the confirm step compares it with what was shown."""
        digest = hashlib.sha256()
        for row in self.rows:
            pk = row.member.pk if row.member is not None else None
            changes = [(c.label, c.old, c.new) for c in row.changes]
            digest.update(repr((row.number, row.action, pk, changes, row.errors)).encode())
        return digest.hexdigest()


NO_DISTRICT_PERMISSION = "この地区の福祉委員を登録する権限がありません。"


class _Scope:
    """What the importing user may touch, read once for the whole file (5 queries)."""

    def __init__(self, user):
        self.may_add = access.allows(user, "add", Member)
        self.districts = {district.pk: district for district in District.objects.all()}
        # The districts the admin's own form offers this user (see admin_mixins).
        self.allowed_districts = set(
            access.reach(user, "change", District.objects.all()).values_list("pk", flat=True)
        )
        self.members = {member.pk: member for member in access.visible(user, Member.objects.all())}
        self.changeable = set(
            access.reach(user, "change", Member.objects.all()).values_list("pk", flat=True)
        )
        self.by_key: dict[tuple, list[Member]] = {}
        for member in self.members.values():
            key = _key(member.district_id, member.name, member.reading)
            self.by_key.setdefault(key, []).append(member)
        self.by_name: dict[str, list[District]] = {}
        for district in self.districts.values():
            self.by_name.setdefault(district.name, []).append(district)
        self.by_slug = {district.slug: district for district in self.districts.values()}


def _key(district_id, name, reading) -> tuple:
    return (district_id, name.strip(), reading)


def preview(user, text: str) -> Preview:
    """Every row as it would be saved, with nothing saved. Raises FileProblem.

    The queries are those of _Scope; the rows are checked in Python.
    """
    table = read_table(text)
    scope = _Scope(user)
    seen: dict[tuple, int] = {}
    return Preview([_check(scope, line, seen) for line in table.lines])


def _check(scope: _Scope, line: Line, seen: dict) -> Row:
    cells = line.cells
    row = Row(line.number, name=cells["name"], district=cells["district"])
    if line.overflow:
        row.errors.append("見出しより右の列に値があります。列がずれていないか確かめてください。")
        return row
    district = _district(scope, cells["district"], row)
    existing = _existing(scope, cells, district, row)
    if row.errors:
        return row
    if existing is None and not scope.may_add:
        row.errors.append("福祉委員を追加する権限がありません。")
        return row
    # A copy: the scope's instance keeps the values from before, to compare with.
    member = copy.copy(existing) if existing else Member()
    member.district = district
    form = MemberRowForm(_data(member, cells, row), instance=member)
    form.is_valid()
    row.errors.extend(_reasons(form))
    if row.errors:
        return row
    key = ("pk", member.pk) if existing else _key(district.pk, member.name, member.reading)
    if key in seen:
        row.errors.append(f"{seen[key]}行目と同じ福祉委員です。1人1行にしてください。")
        return row
    seen[key] = line.number
    row.member = member
    row.district = district.name
    if existing is None:
        row.action = ADD
        return row
    before, after = _values(existing), _values(member)
    row.changes = [
        Change(
            LABELS[name],
            _shown(scope, name, before[name]),
            _shown(scope, name, after[name]),
        )
        for name in FIELDS
        if before[name] != after[name]
    ]
    row.action = UPDATE if row.changes else SAME
    return row


def _district(scope: _Scope, value: str, row: Row) -> District | None:
    label = LABELS["district"]
    if not value:
        row.errors.append(f"{label}: 入力してください。")
        return None
    found = scope.by_name.get(value, [])
    if not found and value.lower() in scope.by_slug:
        found = [scope.by_slug[value.lower()]]
    if not found:
        row.errors.append(
            f"{label}: 「{value}」という地区社協が見つかりません。地区名かURL名で入力してください。"
        )
        return None
    if len(found) > 1:
        row.errors.append(
            f"{label}: 「{value}」という地区社協が複数あります。URL名で入力してください。"
        )
        return None
    if found[0].pk not in scope.allowed_districts:
        row.errors.append(NO_DISTRICT_PERMISSION)
        return None
    return found[0]


def _existing(scope: _Scope, cells: dict, district: District | None, row: Row) -> Member | None:
    """The member the row updates: by the ID column when it has a value, else the one
    with the same district, name and reading; None for a new member."""
    pk = unicodedata.normalize("NFKC", cells.get(ID_COLUMN, ""))
    if pk:
        member = scope.members.get(int(pk)) if pk.isascii() and pk.isdigit() else None
        if member is None:
            row.errors.append(
                f"ID: 「{pk}」の福祉委員が見つかりません。新しく登録する人はIDを空欄にします。"
            )
            return None
    else:
        if district is None:
            return None
        try:
            reading = normalize_reading(cells["reading"])
        except ValidationError:
            return None  # the form says what is wrong with it
        matches = scope.by_key.get(_key(district.pk, cells["name"], reading), [])
        if len(matches) > 1:
            row.errors.append(
                "同じ地区社協・氏名・よみがなの福祉委員が複数います。ID列で指定してください。"
            )
            return None
        member = matches[0] if matches else None
    if member is not None and member.pk not in scope.changeable:
        row.errors.append(NO_DISTRICT_PERMISSION)
        return None
    return member


def _data(member: Member, cells: dict, row: Row) -> dict:
    """The form's data: the member's current values, with the row's cells over them."""
    data = {name: getattr(member, name) for name in MemberRowForm._meta.fields}
    for name, value in cells.items():
        if name not in data:
            continue  # the ID and the district, found before
        if name in BOOLEANS:
            if value not in (YES, NO, ""):
                row.errors.append(f"{LABELS[name]}: 「{YES}」か「{NO}」で入力してください。")
            data[name] = value == YES
        elif name == "role":
            if value and value not in ROLES:
                choices = "」「".join(ROLES)
                row.errors.append(f"{LABELS[name]}: 「{choices}」のどれかで入力してください。")
            data[name] = ROLES.get(value, Member.Role.MEMBER)
        else:
            data[name] = value
    return data


def _reasons(form) -> list[str]:
    return [
        message if name == NON_FIELD_ERRORS else f"{LABELS[name]}: {message}"
        for name, errors in form.errors.items()
        for message in errors
    ]


def _values(member: Member) -> dict:
    return {
        name: member.district_id if name == "district" else getattr(member, name) for name in FIELDS
    }


def _shown(scope: _Scope, name: str, value) -> str:
    if value in (None, ""):
        return "（空欄）"
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, date):
        return format_date(value, weekday=False)
    if name == "district":
        return scope.districts[value].name
    if name == "role":
        return Member.Role(value).label
    return str(value)


# --- saving ------------------------------------------------------------------------------


@transaction.atomic
def apply(result: Preview) -> dict[str, int]:
    """Save every added and changed member, or nothing when a row has an error.

    Plain saves, one by one, so the audit trail records each member's change
    with the user who imported it.
    """
    if result.has_errors:
        raise ValueError("a preview with errors cannot be applied")
    for row in result.rows:
        if row.action in (ADD, UPDATE):
            row.member.save()
    return {action: result.count(action) for action in (ADD, UPDATE, SAME)}


def template_rows() -> list[list[str]]:
    return [TEMPLATE_HEADER]
