"""Text as the database matches it for a search: folded (NFKC, lower case, see
normalize.search_form) on both sides, so ＮＰＯ finds NPO, ｻﾛﾝ finds サロン and
１２ finds 12 whichever way round they were typed, while every field keeps
exactly what was written.

On PostgreSQL each searched table carries `search_text`, a generated column
(GENERATED ALWAYS AS … STORED) holding its searched fields folded, with a
trigram (pg_trgm) GIN index, and, where it has title fields, `search_title`
holding those alone, which ranks a match in the title first. The database
computes both on every write, so no path can leave them behind: save(),
update(), bulk_create(), loaddata and a restore, the CSV imports, raw SQL; the
rows already there got theirs when the columns were added. Folding each row's
text at query time instead would run PostgreSQL's normalize() on every row a
query reads, some twenty times the cost of the LIKE itself, and a term of one
or two characters, which no trigram index can serve, reads them all. Models
do not declare the columns: the AddSearchText migration operation below adds
them, on PostgreSQL only.

On SQLite, and for text reached through a relation (a salon's district name),
each field is folded as the query reads it: on SQLite by a Python function the
connection is given (SQLITE_FOLD), on PostgreSQL by lower(normalize(…, NFKC)).

Fields are joined by a newline, which no term holds (terms are split at white
space), so a term is never found across two fields.

Changing the type of a field these columns hold (a longer max_length) needs
them out of the way on PostgreSQL, which refuses to alter a column a generated
column reads: RemoveSearchText, the change, then AddSearchText again, in one
migration.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.backends.signals import connection_created
from django.db.migrations.operations.base import Operation
from django.db.models import BooleanField, Expression, F, Q

from shakyo_portal.core.kana import normalize_reading
from shakyo_portal.core.normalize import search_form

COLUMN = "search_text"
TITLE_COLUMN = "search_title"
FIELD_SEPARATOR = "\n"
SQLITE_FOLD = "shakyo_search_form"


# --- SQLite: the folding function each connection is given --------------------------


def _fold_or_null(value):
    return None if value is None else search_form(str(value))


def add_sqlite_function(sender=None, connection=None, **kwargs) -> None:
    """connection_created receiver: gives a SQLite connection SQLITE_FOLD."""
    if connection.vendor == "sqlite" and connection.connection is not None:
        raw = connection.connection
        if getattr(connection, "_search_form_on", None) is not raw:
            raw.create_function(SQLITE_FOLD, 1, _fold_or_null, deterministic=True)
            connection._search_form_on = raw


connection_created.connect(add_sqlite_function)


# --- the condition a query filters by -----------------------------------------------


class TextContains(Expression):
    """True where `term`, folded, is in the folded text of `fields` (names on the
    queried model, relations allowed when `column` is None).

    column: the stored column that holds exactly these fields folded
    (COLUMN or TITLE_COLUMN), which PostgreSQL reads instead of the fields.
    Without one, and on SQLite, each field is folded as it is read.
    """

    conditional = True

    def __init__(self, fields, term: str, *, column: str | None = None):
        super().__init__(output_field=BooleanField())
        self.fields = tuple(fields)
        self.term = term
        self.column = column
        self.columns = [F(name) for name in self.fields]

    def __repr__(self):
        return f"{self.__class__.__name__}({self.fields!r}, {self.term!r})"

    def get_source_expressions(self):
        return self.columns

    def set_source_expressions(self, exprs):
        self.columns = list(exprs)

    def _pattern(self, connection) -> str:
        return f"%{connection.ops.prep_for_like_query(search_form(self.term))}%"

    def _fields_sql(self, compiler, connection, fold: str, like: str):
        parts, params = [], []
        for column in self.columns:
            sql, column_params = compiler.compile(column)
            parts.append(f"{fold % sql} {like}")
            params += [*column_params, self._pattern(connection)]
        if not parts:
            return "1 = 0", []
        return "(" + " OR ".join(parts) + ")", params

    def as_sql(self, compiler, connection):
        # SQLite; no other database is supported.
        add_sqlite_function(connection=connection)
        return self._fields_sql(compiler, connection, f"{SQLITE_FOLD}(%s)", "LIKE %s ESCAPE '\\'")

    def as_postgresql(self, compiler, connection):
        if self.column is None or not self.columns:
            return self._fields_sql(compiler, connection, "lower(normalize(%s, NFKC))", "LIKE %s")
        # The fields are the table's own, so their alias is the table's.
        table = compiler.quote_name(self.columns[0].alias)
        column = connection.ops.quote_name(self.column)
        return f"{table}.{column} LIKE %s", [self._pattern(connection)]


@dataclass(frozen=True)
class SearchText:
    """Which fields of a model its search columns hold: `search_text` the title's,
    then the rest; `search_title` the title's.

    contains(term) and title_contains(term) are conditions on that model's rows.
    """

    title: tuple[str, ...] = ()
    text: tuple[str, ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        return self.title + self.text

    def contains(self, term: str) -> Q:
        if not self.fields:
            return Q(pk__in=[])
        return Q(TextContains(self.fields, term, column=COLUMN))

    def title_contains(self, term: str) -> Q:
        if not self.title:
            return Q(pk__in=[])
        return Q(TextContains(self.title, term, column=TITLE_COLUMN))


def as_reading(term: str) -> str | None:
    """The term as a reading holds it (サロン -> さろん), or None where no reading
    can: readings are kana only (kana.normalize_reading), so 敬老会 or NPO is not
    looked for there, and the text's trigram index alone answers."""
    try:
        return normalize_reading(term) or None
    except ValidationError:
        return None


def text_contains(fields, term: str) -> Q:
    """Rows where `term` is in any of `fields`, each folded as it is read: for
    text no `search_text` holds (another model's, through a relation)."""
    return Q(TextContains(fields, term))


# --- the migration operations -------------------------------------------------------


def column_sql(model, names, quote_name) -> str:
    """A search column's expression: `names`' text, folded, a newline apart."""
    columns = [quote_name(model._meta.get_field(name).column) for name in names]
    text = f" || chr({ord(FIELD_SEPARATOR)}) || ".join(f"coalesce({c}, '')" for c in columns)
    return f"lower(normalize({text}, NFKC))"


def columns_sql(model, search_text: SearchText, quote_name) -> dict[str, str]:
    """{column: expression} of the search columns a model's SearchText gives it."""
    columns = {COLUMN: column_sql(model, search_text.fields, quote_name)}
    if search_text.title:
        columns[TITLE_COLUMN] = column_sql(model, search_text.title, quote_name)
    return columns


def index_name(model) -> str:
    return f"{model._meta.db_table}_search_trgm"


class AddSearchText(Operation):
    """Adds the search columns of SearchText(title, text) and the trigram index
    of `search_text` to a model's table, on PostgreSQL only; the pg_trgm
    extension must exist.

    Nothing changes in Django's model state: models do not declare the
    columns, and SQLite has none.
    """

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str, title=(), text=()):
        self.model_name = model_name
        self.title = tuple(title)
        self.text = tuple(text)

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        quote = schema_editor.quote_name
        table = quote(model._meta.db_table)
        columns = columns_sql(model, SearchText(self.title, self.text), quote)
        schema_editor.execute(
            f"ALTER TABLE {table} "
            + ", ".join(
                f"ADD COLUMN {quote(column)} text GENERATED ALWAYS AS ({expression}) STORED"
                for column, expression in columns.items()
            )
        )
        schema_editor.execute(
            f"CREATE INDEX {quote(index_name(model))} ON {table} "
            f"USING gin ({quote(COLUMN)} gin_trgm_ops)"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        model = from_state.apps.get_model(app_label, self.model_name)
        quote = schema_editor.quote_name
        # The index goes with the column.
        schema_editor.execute(
            f"ALTER TABLE {quote(model._meta.db_table)} "
            f"DROP COLUMN IF EXISTS {quote(COLUMN)}, DROP COLUMN IF EXISTS {quote(TITLE_COLUMN)}"
        )

    def describe(self):
        return f"Add the folded search text of {self.model_name} (PostgreSQL only)"

    @property
    def migration_name_fragment(self):
        return f"{self.model_name.lower()}_search_text"


class RemoveSearchText(AddSearchText):
    """The reverse of AddSearchText, for a migration that changes a field it holds."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        super().database_backwards(app_label, schema_editor, to_state, from_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        super().database_forwards(app_label, schema_editor, to_state, from_state)

    def describe(self):
        return f"Remove the folded search text of {self.model_name} (PostgreSQL only)"
