"""Every table a search reads holds the folded search columns its declaration
expects (shakyo_portal/core/searchtext.py): the migrations add them for each
kind's model, each Related model and the /salons/ keyword; on PostgreSQL the
columns are there, as the migrations say, and a term of three characters is
looked up in the trigram index.

A kind that gains a field, or a new kind, fails here until its app has the
AddSearchText migration this test names.
"""

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from salons.models import Salon, SalonQuerySet
from shakyo_portal.core.searchtext import (
    COLUMN,
    AddSearchText,
    RemoveSearchText,
    SearchText,
    columns_sql,
    index_name,
)
from shakyo_portal.public.search import kinds

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite folds each field as it reads it"
)


def declared() -> dict:
    """{model: SearchText} for every model a search reads through its search_text."""
    wanted = {}
    pairs = [(Salon, SalonQuerySet.SEARCH_TEXT)]
    for kind in kinds():
        pairs.append((kind.model, kind.search_text))
        pairs += [(related.model, related.search_text) for related in kind.related]
    for model, search_text in pairs:
        assert wanted.setdefault(model, search_text) == search_text, (
            f"{model._meta.label} is searched for two different sets of fields"
        )
    return wanted


def migrated() -> dict:
    """{(app label, model name): SearchText} as the migrations leave the tables."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    state, seen = {}, set()
    for leaf in graph.leaf_nodes():
        for key in graph.forwards_plan(leaf):
            if key in seen:
                continue
            seen.add(key)
            for operation in graph.nodes[key].operations:
                if not isinstance(operation, AddSearchText):
                    continue
                name = (key[0], operation.model_name.lower())
                if isinstance(operation, RemoveSearchText):
                    state.pop(name, None)
                else:
                    state[name] = SearchText(operation.title, operation.text)
    return state


def test_every_searched_table_gets_its_search_text_from_the_migrations():
    state = migrated()
    for model, search_text in declared().items():
        meta = model._meta
        assert state.get((meta.app_label, meta.model_name)) == search_text, (
            f"{meta.label} is searched in {search_text}, which its migrations do not "
            f"give it: add a migration to {meta.app_label} with "
            f"AddSearchText({meta.model_name!r}, title={search_text.title!r}, "
            f"text={search_text.text!r}) (RemoveSearchText first where it has one)"
        )


def test_the_directory_keyword_reads_what_the_site_search_reads():
    salons = next(kind for kind in kinds() if kind.model is Salon)
    assert salons.search_text == SalonQuerySet.SEARCH_TEXT


@on_postgresql
def test_each_table_has_the_columns_its_migrations_describe(db):
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model, search_text in declared().items():
            table = model._meta.db_table
            expected = columns_sql(model, search_text, quote)
            cursor.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = %s AND column_name LIKE 'search%%'",
                [table],
            )
            assert {name for (name,) in cursor.fetchall()} == set(expected), table
            for column, expression in expected.items():
                # PostgreSQL writes both expressions back in its own words; a
                # probe column made from today's declaration must read the same.
                cursor.execute(
                    f"ALTER TABLE {quote(table)} ADD COLUMN probe text "
                    f"GENERATED ALWAYS AS ({expression}) STORED"
                )
                cursor.execute(
                    "SELECT column_name, generation_expression FROM information_schema.columns "
                    "WHERE table_name = %s AND column_name IN (%s, 'probe')",
                    [table, column],
                )
                expressions = dict(cursor.fetchall())
                assert expressions[column] == expressions["probe"], (table, column)
                cursor.execute(f"ALTER TABLE {quote(table)} DROP COLUMN probe")
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname = %s",
                [table, index_name(model)],
            )
            (definition,) = cursor.fetchone()
            assert f"gin ({COLUMN} gin_trgm_ops)" in definition


@on_postgresql
def test_a_three_character_term_is_looked_up_in_the_trigram_index(db):
    """With the tables this small the planner would read them whole anyway;
    told not to (nor to walk another index in order), it must have the trigram
    index to turn to. Two characters hold no trigram."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        for model, search_text in declared().items():
            rows = model._base_manager.order_by()
            plan = rows.filter(search_text.contains("ＮＰＯ法人")).explain()
            assert index_name(model) in plan, plan
            assert "npo法人" in plan  # the term, folded as the column is
            plan = rows.filter(search_text.contains("敬老")).explain()
            assert "敬老" in plan
