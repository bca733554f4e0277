"""Many rows from a spreadsheet: an Excel-saved CSV read, every row checked as
the admin's form checks it, what would change shown, and then all of it saved
or none.

What an app offers is declared in its portal.py (IMPORTS, a CsvImport each);
the back office adds the pages and decides who may use them, and hands the
importing user's reach in as an `Access`, so this module names no app and no
role. The columns are named as the admin names the fields (and as the admin's
CSV export writes them), so a downloaded list can be corrected and read back in.
"""

import copy
import csv
import hashlib
import io
import unicodedata
from dataclasses import dataclass, field
from datetime import date, time

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms.models import modelform_factory
from django.utils.text import capfirst

from shakyo_portal.core.csvexport import FORMULA_STARTS
from shakyo_portal.core.dates import format_date, format_time
from shakyo_portal.core.declarations.imports import CsvImport, Lookup
from shakyo_portal.core.fields import LenientDateField, LenientTimeField
from shakyo_portal.core.slugs import slug_from_reading, unique_slug

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
ID_COLUMN = "ID"
YES, NO = "はい", "いいえ"
# What Excel writes for a cell it took for a truth value.
_YES_WORDS, _NO_WORDS = {YES, "TRUE"}, {NO, "FALSE"}
# Several records in one cell (含まれる地区社協): 総社、清音 or 総社,清音.
SEPARATORS = ("、", ",", "\n")
BLANK = "（空欄）"

ADD, UPDATE, SAME, ERROR = "add", "update", "same", "error"
ACTION_LABELS = {ADD: "追加", UPDATE: "更新", SAME: "変更なし", ERROR: "エラー"}
DATE_MESSAGE = "日付は「2026/4/1」「2026-04-01」「令和8年4月1日」のように入力してください。"


class FileProblem(Exception):
    """The file as a whole cannot be read; the message is for the person who sent it."""


# --- reading the file ---------------------------------------------------------------


def decode(raw: bytes) -> str:
    """UTF-8 (with or without the BOM Excel writes for 「CSV UTF-8」) or Shift_JIS
    (Excel's plain 「CSV」 in Japan), as text."""
    if len(raw) > MAX_BYTES:
        raise FileProblem(
            f"ファイルが大きすぎます。{MAX_BYTES // (1024 * 1024)}MB以下に"
            "分けて取り込んでください。"
        )
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


def _cell(value: str) -> str:
    value = value.strip()
    # The portal's own CSV export puts ' before text Excel would take for a formula.
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _same(value) -> str:
    """How two spellings of one name are compared: full and half width, case."""
    return unicodedata.normalize("NFKC", str(value)).strip().casefold()


# --- checking each row ---------------------------------------------------------------


class ImportDateField(LenientDateField):
    """The admin's date, 和暦 and all; a file has no calendar to choose from."""

    default_error_messages = {"invalid": DATE_MESSAGE}


class _RowForm:
    """Mixed in front of the declared form: what a row's check needs on top."""

    checked_by_clean: frozenset[str] = frozenset()

    def validate_constraints(self):
        # Django checks a constraint by asking the database, a query a row (most
        # of the time of a 5,000-row file). The model's clean() already says
        # these rules beside the field, and the database still enforces them
        # when the rows are saved; any other constraint is checked as usual.
        exclude = self._get_validation_exclusions()
        for constraint in self._meta.model._meta.constraints:
            if constraint.name in self.checked_by_clean:
                continue
            try:
                constraint.validate(self._meta.model, self.instance, exclude=exclude)
            except ValidationError as error:
                self._update_errors(error)

    def _update_errors(self, errors):
        # The model's clean() may name a related column, found by name before
        # the form and so not one of its fields: kept here, said with its label.
        if hasattr(errors, "error_dict"):
            outside = {
                name: messages
                for name, messages in errors.error_dict.items()
                if name != NON_FIELD_ERRORS and name not in self.fields
            }
            for name, messages in outside.items():
                self.outside_errors.extend((name, m) for e in messages for m in e.messages)
            inside = {k: v for k, v in errors.error_dict.items() if k not in outside}
            if not inside:
                return
            errors = ValidationError(inside)
        super()._update_errors(errors)

    def full_clean(self):
        self.outside_errors = []
        super().full_clean()


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Row:
    number: int
    titles: list[str]
    action: str = ERROR
    changes: list[Change] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    record: models.Model | None = None
    many: dict[str, list] = field(default_factory=dict)

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
            pk = row.record.pk if row.record is not None else None
            changes = [(c.label, c.old, c.new) for c in row.changes]
            digest.update(repr((row.number, row.action, pk, changes, row.errors)).encode())
        return digest.hexdigest()


@dataclass
class Access:
    """What the importing user may touch, as the back office's rules say.

    rows: the records the user sees (a row finds the record it updates among them).
    changeable: those the user may change.
    may_add: whether the user may add records.
    choices: for each related column, the records a row may name (a 地区担当's
        own districts); a column not here may name any record.
    """

    rows: QuerySet
    changeable: QuerySet
    may_add: bool
    choices: dict[str, QuerySet] = field(default_factory=dict)


class _Related:
    """A related model's records, found by the names a cell may give them."""

    def __init__(self, model, lookup: Lookup, allowed: QuerySet | None):
        self.model = model
        self.lookup = lookup
        self.records = {record.pk: record for record in model._default_manager.all()}
        self.allowed = (
            set(self.records) if allowed is None else set(allowed.values_list("pk", flat=True))
        )
        self.index = {name: {} for name in lookup.by}
        for record in self.records.values():
            for name in lookup.by:
                self.index[name].setdefault(_same(getattr(record, name)), []).append(record)


class _Scope:
    """Everything a file's rows are checked against, read once for the whole file:
    the visible and changeable records, and each related model's records (two
    queries each), and the current many-to-many values."""

    def __init__(self, importer: "Importer", access: Access):
        rows = access.rows
        if importer.many:
            rows = rows.prefetch_related(*importer.many)
        self.records = {record.pk: record for record in rows}
        self.changeable = set(access.changeable.values_list("pk", flat=True))
        self.may_add = access.may_add
        self.related = {
            name: _Related(
                importer.fields[name].related_model,
                importer.lookups[name],
                access.choices.get(name),
            )
            for name in importer.relations
        }
        self.slugs = set()
        if importer.slug_field:
            # Every record's, not only those the user sees: a URL名 is the whole site's.
            self.slugs = set(
                importer.model._default_manager.values_list(importer.slug_field, flat=True)
            )
        self.by_key = []
        for key in importer.keys:
            index: dict[tuple, list] = {}
            for record in self.records.values():
                index.setdefault(importer.record_key(key, record), []).append(record)
            self.by_key.append(index)


class Importer:
    """One declared import: the header it reads, the form a row goes through,
    and the check and the save."""

    def __init__(self, declared: CsvImport):
        self.declared = declared
        self.model = apps.get_model(declared.model)
        opts = self.model._meta
        self.noun = str(opts.verbose_name)
        self.plural = str(opts.verbose_name_plural)
        self.columns = list(declared.columns)
        self.fields = {name: opts.get_field(name) for name in self.columns}
        self.labels = {name: str(capfirst(f.verbose_name)) for name, f in self.fields.items()}
        self.relations = [name for name, f in self.fields.items() if f.is_relation]
        self.many = [name for name in self.relations if self.fields[name].many_to_many]
        self.plain = [name for name in self.columns if name not in self.relations]
        self.lookups = {name: declared.lookups.get(name, Lookup()) for name in self.relations}
        self.keys = [tuple(key) for key in declared.keys]
        self.titles = list(declared.titles or self.columns[:2])
        self.booleans = {
            name for name in self.plain if isinstance(self.fields[name], models.BooleanField)
        }
        self.choices = {
            name: self.fields[name].choices
            for name in self.plain
            if self.fields[name].choices and name not in self.booleans
        }
        # The URL名 a new row leaves blank is made from its reading, where declared.
        self.slug_field = None
        if declared.slug_from:
            self.slug_field = next(
                name for name in self.plain if isinstance(self.fields[name], models.SlugField)
            )
        self.required = [
            name
            for name in self.columns
            if _required(self.fields[name]) and name != self.slug_field
        ]
        self.ignored = {
            str(capfirst(opts.get_field(name).verbose_name)) for name in declared.ignored
        }
        self.header = [ID_COLUMN, *self.labels.values()]
        self.form_class = self._form_class()
        self._key_fields = {
            name: self.fields[name].formfield()
            for key in self.keys
            for name in key
            if name in self.plain
        }

    # --- the declaration, said for the page ------------------------------------------

    @property
    def title(self) -> str:
        return f"{self.plural}をCSVから取り込む"

    def template_rows(self) -> list[list[str]]:
        return [self.header]

    def guidance(self) -> list[str]:
        """How each kind of column is filled in, for the import page."""
        lines = []
        for name in self.relations:
            by = "か".join(
                str(capfirst(self.fields[name].related_model._meta.get_field(f).verbose_name))
                for f in self.lookups[name].by
            )
            several = "（いくつもあるときは「、」で区切ります）" if name in self.many else ""
            lines.append(f"{self.labels[name]}は{by}で入れます{several}。")
        for name, choices in self.choices.items():
            words = "」「".join(str(label) for _, label in choices)
            lines.append(f"{self.labels[name]}は「{words}」のどれかで入れます。")
        if self.booleans:
            named = "」「".join(self.labels[name] for name in self.columns if name in self.booleans)
            lines.append(f"「{named}」は「{YES}」か「{NO}」で入れます。")
        kinds = {type(self.fields[name]) for name in self.plain}
        if models.DateField in kinds:
            lines.append("日付は「2026/4/1」「2026-04-01」「令和8年4月1日」のどれでも読めます。")
        if models.TimeField in kinds:
            lines.append("時刻は「10:00」のように入れます。")
        if self.booleans or any(self.fields[name].has_default() for name in self.choices):
            lines.append(
                "「はい・いいえ」や選ぶ欄が空欄なら、新しく登録するときは決まりの値、"
                "登録済みのときは今の値のままです。"
            )
        if self.slug_field:
            lines.append(
                f"{self.labels[self.slug_field]}が空欄なら、"
                f"{self.labels[self.declared.slug_from]}からつくります（例: そうじゃ → soja）。"
                "登録済みの行では今の値のままです。"
            )
        keys = "、次に".join("・".join(self.labels[name] for name in key) for key in self.keys)
        who, none = ("人", "いなければ") if self.declared.person else ("もの", "なければ")
        lines.append(
            f"ID列に値があれば、そのIDの{self.noun}を更新します。空欄なら、{keys}が同じ{who}を"
            f"更新し、{none}新しく登録します。削除はしません。"
        )
        if self.ignored:
            named = "」「".join(sorted(self.ignored))
            lines.append(f"「{named}」の列は読み飛ばします（管理画面で入力します）。")
        return [*lines, *self.declared.notes]

    # --- reading -------------------------------------------------------------------------

    def read(self, text: str) -> list[Line]:
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
        columns = self._columns([unicodedata.normalize("NFKC", c).strip() for c in header])
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
            values = {
                column: _cell(value)
                for column, value in zip(columns, cells, strict=False)
                if column is not None
            }
            lines.append(Line(number, values, overflow))
        return lines

    def _columns(self, header: list[str]) -> list[str | None]:
        # Compared as the header's cells are read: 問合せ窓口（社協） is 問合せ窓口(社協).
        known = {_same(ID_COLUMN): ID_COLUMN}
        for name, label in self.labels.items():
            known[_same(label)] = name
        ignored = {_same(label) for label in self.ignored}
        columns, unknown = [], []
        for label in header:
            name = known.get(_same(label))
            if name is None and _same(label) not in ignored:
                unknown.append(label or BLANK)
            columns.append(name)
        if unknown:
            raise FileProblem(
                "見出しの行に、取り込めない列があります: "
                + "、".join(f"「{label}」" for label in unknown)
                + "。列の名前はひな形のCSVに合わせてください。"
            )
        named = [c for c in columns if c is not None]
        repeated = sorted({c for c in named if named.count(c) > 1}, key=named.index)
        if repeated:
            raise FileProblem(
                "同じ列が2回あります: "
                + "、".join(f"「{self._label(c)}」" for c in repeated)
                + "。"
            )
        missing = [name for name in self.required if name not in columns]
        if missing:
            raise FileProblem(
                "見出しの行に、必要な列がありません: "
                + "、".join(f"「{self.labels[name]}」" for name in missing)
                + "。1行目は列の名前にしてください（ひな形のCSVが使えます）。"
            )
        return columns

    def _label(self, column: str) -> str:
        return ID_COLUMN if column == ID_COLUMN else self.labels[column]

    # --- checking --------------------------------------------------------------------

    def preview(self, text: str, access: Access) -> Preview:
        """Every row as it would be saved, with nothing saved. Raises FileProblem.

        The queries are those of _Scope, and those the model's own checks make
        (a unique field asks whether another record has the value); the rest
        is Python.
        """
        lines = self.read(text)
        scope = _Scope(self, access)
        seen: dict[tuple, int] = {}
        taken: dict[tuple, int] = {}
        return Preview([self._check(scope, line, seen, taken) for line in lines])

    def _check(self, scope: _Scope, line: Line, seen: dict, taken: dict) -> Row:
        cells = line.cells
        row = Row(line.number, [cells.get(name, "") for name in self.titles])
        if line.overflow:
            row.errors.append(
                "見出しより右の列に値があります。列がずれていないか確かめてください。"
            )
            return row
        found = {
            name: self._related(scope, name, cells[name], row)
            for name in self.relations
            if name in cells
        }
        existing, key = self._existing(scope, cells, found, row)
        if row.errors:
            return row
        if existing is None and not scope.may_add:
            row.errors.append(f"{self.noun}を追加する権限がありません。")
            return row
        if existing is None and self.slug_field and not cells.get(self.slug_field):
            cells = {**cells, self.slug_field: self._new_slug(scope, cells, taken)}
        # A copy: the scope's record keeps the values from before, to compare with.
        record = copy.copy(existing) if existing else self.model()
        for name in self.relations:
            if name in found and name not in self.many:
                setattr(record, name, found[name])
        unread: set[str] = set()
        form = self.form_class(self._data(record, cells, row, unread), instance=record)
        form.is_valid()
        row.errors.extend(self._reasons(form, unread))
        for name in self.plain:
            value = cells.get(name, "")
            if self.fields[name].unique and value:
                other = taken.setdefault((name, _same(value)), line.number)
                if other != line.number:
                    row.errors.append(
                        f"{self.labels[name]}: 「{value}」は{other}行目でも使われています。"
                    )
        if row.errors:
            return row
        identity = ("pk", record.pk) if existing else key
        if identity is not None:
            if identity in seen:
                row.errors.append(
                    f"{seen[identity]}行目と同じ{self.noun}です。"
                    f"{'1人' if self.declared.person else '1件'}1行にしてください。"
                )
                return row
            seen[identity] = line.number
        row.record = record
        row.many = {name: found[name] for name in self.many if name in found}
        row.titles = [self._title(scope, record, row, name) for name in self.titles]
        if existing is None:
            row.action = ADD
            return row
        before, after = self._values(existing), self._values(record, row.many)
        row.changes = [
            Change(
                self.labels[name],
                self._shown(scope, name, before[name]),
                self._shown(scope, name, after[name]),
            )
            for name in self.columns
            if before[name] != after[name]
        ]
        row.action = UPDATE if row.changes else SAME
        return row

    def _new_slug(self, scope: _Scope, cells: dict, taken: dict) -> str:
        """A URL名 from the row's reading that no record and no earlier row uses;
        "" when the reading gives none (the form then asks for one)."""
        source = self.declared.slug_from
        try:
            reading = self.fields[source].formfield().clean(cells.get(source, ""))
        except ValidationError:
            return ""
        base = slug_from_reading(reading, max_length=self.fields[self.slug_field].max_length)
        if not base:
            return ""
        return unique_slug(
            base,
            lambda slug: slug in scope.slugs or (self.slug_field, _same(slug)) in taken,
            max_length=self.fields[self.slug_field].max_length,
        )

    def _related(self, scope: _Scope, name: str, value: str, row: Row):
        """The record (or, for a many-to-many column, the records) a cell names."""
        if name in self.many:
            parts = [value]
            for separator in SEPARATORS:
                parts = [piece for part in parts for piece in part.split(separator)]
            records = [self._one(scope, name, part.strip(), row) for part in parts if part.strip()]
            return list(dict.fromkeys(r for r in records if r is not None))
        if not value:
            if _required(self.fields[name]):
                row.errors.append(f"{self.labels[name]}: 入力してください。")
            return None
        return self._one(scope, name, value, row)

    def _one(self, scope: _Scope, name: str, value: str, row: Row):
        related = scope.related[name]
        label, noun = self.labels[name], str(related.model._meta.verbose_name)
        by_labels = [
            str(capfirst(related.model._meta.get_field(f).verbose_name)) for f in related.lookup.by
        ]
        found = []
        for by in related.lookup.by:
            found = related.index[by].get(_same(value), [])
            if found:
                break
        if not found:
            row.errors.append(
                f"{label}: 「{value}」という{noun}が見つかりません。"
                f"{'か'.join(by_labels)}で入力してください。"
            )
            return None
        if len(found) > 1:
            row.errors.append(
                f"{label}: 「{value}」という{noun}が複数あります。"
                f"{by_labels[-1]}で入力してください。"
            )
            return None
        if found[0].pk not in related.allowed:
            row.errors.append(
                related.lookup.denied or f"{label}: 「{value}」を選ぶ権限がありません。"
            )
            return None
        return found[0]

    def _existing(self, scope: _Scope, cells: dict, found: dict, row: Row):
        """The record the row updates and the key that found it: by the ID column when
        it has a value, else by the first key the row fills in; None for a new one."""
        pk = unicodedata.normalize("NFKC", cells.get(ID_COLUMN, ""))
        key = None
        if pk:
            record = scope.records.get(int(pk)) if pk.isascii() and pk.isdigit() else None
            if record is None:
                who = "人" if self.declared.person else "ときは"
                row.errors.append(
                    f"ID: 「{pk}」の{self.noun}が見つかりません。"
                    f"新しく登録する{who}はIDを空欄にします。"
                )
                return None, None
        else:
            record = None
            for index, fields in enumerate(self.keys):
                key = self._row_key(fields, cells, found)
                if key is None:
                    continue
                matches = scope.by_key[index].get(key, [])
                if len(matches) > 1:
                    labels = "・".join(self.labels[name] for name in fields)
                    row.errors.append(
                        f"同じ{labels}の{self.noun}が複数"
                        f"{'います' if self.declared.person else 'あります'}。"
                        "ID列で指定してください。"
                    )
                    return None, None
                record = matches[0] if matches else None
                key = (index, key)
                break
        if record is not None and record.pk not in scope.changeable:
            row.errors.append(
                self.declared.denied_change or f"この{self.noun}を変更する権限がありません。"
            )
            return None, None
        return record, key

    def _row_key(self, fields: tuple, cells: dict, found: dict) -> tuple | None:
        """The key's values as the row gives them, or None when a cell is blank or
        unreadable (the form then says what is wrong with it)."""
        values = []
        for name in fields:
            if name in self.relations:
                record = found.get(name)
                if record is None:
                    return None
                values.append(record.pk)
                continue
            value = cells.get(name, "")
            if not value:
                return None
            try:
                values.append(_same(self._key_fields[name].clean(value)))
            except ValidationError:
                return None
        return tuple(values)

    def record_key(self, fields: tuple, record) -> tuple:
        return tuple(
            getattr(record, self.fields[name].attname)
            if name in self.relations
            else _same(getattr(record, name))
            for name in fields
        )

    def _data(self, record, cells: dict, row: Row, unread: set) -> dict:
        """The form's data: the record's current values, with the row's cells over them.
        A cell that is no choice at all is said here and added to `unread`."""
        data = {name: getattr(record, name) for name in self.plain}
        for name, value in cells.items():
            if name not in data:
                continue  # the ID and the related records, found before
            if name == self.slug_field and not value:
                continue  # a saved record keeps its URL名 (a new one got one above)
            if name in self.booleans:
                if not value:
                    continue
                word = unicodedata.normalize("NFKC", value).upper()
                if word not in _YES_WORDS | _NO_WORDS:
                    row.errors.append(
                        f"{self.labels[name]}: 「{YES}」か「{NO}」で入力してください。"
                    )
                    unread.add(name)
                    continue
                data[name] = word in _YES_WORDS
            elif name in self.choices:
                if not value and self.fields[name].has_default():
                    continue
                chosen = _choice(self.choices[name], value)
                if value and chosen is None:
                    words = "」「".join(str(label) for _, label in self.choices[name])
                    row.errors.append(
                        f"{self.labels[name]}: 「{words}」のどれかで入力してください。"
                    )
                    unread.add(name)
                    continue
                data[name] = "" if chosen is None else chosen
            else:
                data[name] = value
        return data

    def _reasons(self, form, unread: set) -> list[str]:
        reasons = [
            message if name == NON_FIELD_ERRORS else f"{self.labels.get(name, name)}: {message}"
            for name, errors in form.errors.items()
            if name not in unread
            for message in errors
        ]
        reasons += [f"{self._any_label(name)}: {message}" for name, message in form.outside_errors]
        return reasons

    def _any_label(self, name: str) -> str:
        return self.labels.get(name) or str(capfirst(self.model._meta.get_field(name).verbose_name))

    def _values(self, record, many: dict | None = None) -> dict:
        values = {}
        for name in self.columns:
            field_ = self.fields[name]
            if name in self.many:
                chosen = (many or {}).get(name)
                if chosen is None:
                    chosen = getattr(record, name).all()
                values[name] = tuple(sorted(r.pk for r in chosen))
            else:
                values[name] = getattr(record, field_.attname)
        return values

    def _shown(self, scope: _Scope, name: str, value) -> str:
        if name in self.many:
            names = [str(scope.related[name].records[pk]) for pk in value]
            return "、".join(names) or BLANK
        if value in (None, ""):
            return BLANK
        if name in self.relations:
            return str(scope.related[name].records[value])
        if isinstance(value, bool):
            return YES if value else NO
        if name in self.choices:
            return str(dict(self.choices[name]).get(value, value))
        if isinstance(value, date):
            return format_date(value, weekday=False)
        if isinstance(value, time):
            return format_time(value)
        return str(value)

    def _title(self, scope: _Scope, record, row: Row, name: str) -> str:
        if name in self.many:
            return "、".join(str(r) for r in row.many.get(name, []))
        value = getattr(record, self.fields[name].attname)
        return "" if value in (None, "") else self._shown(scope, name, value)

    def _form_class(self):
        classes = {}
        for name in self.plain:
            f = self.fields[name]
            if isinstance(f, models.DateTimeField):
                continue
            if isinstance(f, models.DateField):
                classes[name] = ImportDateField
            elif isinstance(f, models.TimeField):
                classes[name] = LenientTimeField
        messages = {}
        for name in self.plain:
            messages[name] = {"required": "入力してください。"}
            if self.fields[name].unique:
                messages[name]["unique"] = (
                    f"ほかの{self.noun}が使っています。別の{self.labels[name]}にしてください。"
                )
        base = type(
            "RowForm",
            (_RowForm, self.declared.form),
            {"checked_by_clean": frozenset(self.declared.checked_by_clean)},
        )
        return modelform_factory(
            self.model,
            form=base,
            fields=self.plain,
            field_classes=classes,
            error_messages=messages,
        )

    # --- saving ----------------------------------------------------------------------

    @transaction.atomic
    def apply(self, result: Preview) -> dict[str, int]:
        """Save every added and changed record, or nothing when a row has an error.

        Plain saves, one by one, so the audit trail records each record's change
        with the user who imported it.
        """
        if result.has_errors:
            raise ValueError("a preview with errors cannot be applied")
        for row in result.rows:
            if row.action in (ADD, UPDATE):
                row.record.save()
                for name, records in row.many.items():
                    getattr(row.record, name).set(records)
        return {action: result.count(action) for action in (ADD, UPDATE, SAME)}


def _required(field_) -> bool:
    """A column every row must fill in: the model has no value of its own for it."""
    if field_.many_to_many:
        return False
    return not field_.blank and not field_.has_default()


def _choice(choices, value: str):
    """The stored value a cell names: by its label (第1層（市全域）), the label's
    words before the brackets (第1層), or the stored value itself."""
    if not value:
        return None
    wanted = _same(value)
    for stored, label in choices:
        label = str(label)
        if wanted in (_same(label), _same(label.split("（")[0]), _same(stored)):
            return stored
    return None


_IMPORTERS: dict[str, Importer] = {}


def importer(declared: CsvImport) -> Importer:
    """The declaration's importer, built once (the form class is made then)."""
    key = declared.model.lower()
    if key not in _IMPORTERS:
        _IMPORTERS[key] = Importer(declared)
    return _IMPORTERS[key]
