"""The page cache's versions: one value per topic, changed by every write.

Every SQL statement the site runs passes through `execute_wrapper` (installed
on each database connection when it opens). An INSERT, UPDATE, DELETE or
TRUNCATE on a table of a declared topic (each app's `PAGE_CACHE` in its
portal.py) gives that topic a new version at once and again after the commit:
at once, so the writer's own next page (and a test inside its transaction)
sees the change; after the commit, so a page another process built from the
rows as they were before the commit is not kept under the new version. This
catches every write path alike — admin saves, inlines, services' update()
calls, bulk imports, restores, retention, erasure, raw SQL — with no list of
them to forget.

While a page is being built for the cache, `recording()` collects the tables
its queries read; the page cache keeps the page under the versions of their
topics only, and not at all when it read a table no topic claims.

When the shared cache is unreachable, nothing is read from it or written to
it for RETRY_SECONDS; one alert is logged. A bump lost in that time cannot
leave a page stale for long: a kept page is only ever served within the
minute it was built in (shakyo_portal/public/pagecache.py).
"""

import functools
import itertools
import logging
import re
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.core.cache import cache

from shakyo_portal.core import declarations
from shakyo_portal.core.cachehealth import Breaker

logger = logging.getLogger(__name__)

PREFIX = "pagecache:v:"
# The site's own topic (shakyo_portal/portal.py): the shell every page shows.
SITE = "site"
RETRY_SECONDS = 30
# Read by pages but never changed while the site runs (Django caches them per
# process anyway), so reading them does not make a page uncacheable.
STABLE = frozenset({"contenttypes.contenttype", "auth.permission"})

_WRITE = re.compile(
    r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?',
    re.IGNORECASE,
)
_TRUNCATE = re.compile(r"\s*TRUNCATE\b", re.IGNORECASE)
_QUOTED = re.compile(r'"(\w+)"')
# A table that no topic claims: a page reading it is not kept.
UNTRACKED = None
_counter = itertools.count()
_reading: ContextVar[set | None] = ContextVar("pagecache_reading", default=None)


@functools.cache
def table_topics() -> dict[str, str | None]:
    """db_table → its topic; "" for stable tables; None for any other table."""
    claimed = {entry.app_label: entry for entry in declarations.collect("PAGE_CACHE")}
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        entry = claimed.get(meta.app_label)
        # A many-to-many table goes with the model that declares the field.
        owner = meta.auto_created._meta.label_lower if meta.auto_created else meta.label_lower
        if meta.label_lower in STABLE:
            tables[meta.db_table] = ""
        elif entry is None or owner in entry.quiet:
            tables[meta.db_table] = UNTRACKED
        else:
            tables[meta.db_table] = entry.topic
    return tables


@functools.cache
def topics() -> tuple[str, ...]:
    return tuple(sorted({entry.topic for entry in declarations.collect("PAGE_CACHE")}))


def key(topic: str) -> str:
    return PREFIX + topic


breaker = Breaker(
    logger,
    meanwhile="pages are built for every request",
    back="the page cache is back",
    retry_seconds=RETRY_SECONDS,
)


def new_version() -> str:
    # Any value not used before will do: a page is served only while every
    # version it was kept under is unchanged.
    return f"{time.time_ns():x}.{next(_counter):x}"


def bump(*names: str) -> None:
    """Give each topic a new version. Never fails the write that caused it."""
    if not names or breaker.skip():
        return
    version = new_version()
    try:
        cache.set_many({key(name): version for name in names}, timeout=None)
    except Exception as error:
        breaker.failed(error)
    else:
        breaker.works()


def bump_all(**kwargs) -> None:
    bump(*topics())


def read(names) -> dict[str, str]:
    """The current versions of `names`, giving a missing one (evicted, or a
    fresh cache) a new version, so no page kept before can match it."""
    found = cache.get_many([key(name) for name in names])
    versions = {}
    for name in names:
        value = found.get(key(name))
        if value is None:
            value = new_version()
            if not cache.add(key(name), value, timeout=None):
                value = cache.get(key(name), value)
        versions[name] = value
    return versions


@contextmanager
def recording():
    """Collects the topics the queries inside read; UNTRACKED among them means
    a table that no topic claims was read."""
    seen: set = set()
    token = _reading.set(seen)
    try:
        yield seen
    finally:
        _reading.reset(token)


def execute_wrapper(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    seen = _reading.get()
    if seen is not None:
        known = table_topics()
        seen.update(
            known[name] for name in _QUOTED.findall(sql) if name in known and known[name] != ""
        )
    written = _written_tables(sql)
    if written:
        known = table_topics()
        changed = {known[name] for name in written if known.get(name)}
        if changed:
            _changed(changed, context["connection"])
    return result


def _written_tables(sql: str) -> list[str]:
    match = _WRITE.match(sql)
    if match:
        return [match.group(1)]
    if _TRUNCATE.match(sql):
        return _QUOTED.findall(sql)
    return []


def _changed(names: set, connection) -> None:
    bump(*names)
    if not connection.in_atomic_block:
        return
    # Once per topic per transaction, again after its commit. What is already
    # queued is read from Django's own list, which loses the callbacks of a
    # block that rolled back with them, so a later commit is never left out.
    queued = set()
    for _savepoints, callback, _robust in connection.run_on_commit:
        if getattr(callback, "func", None) is bump:
            queued.update(callback.args)
    new = names - queued
    if new:
        connection.on_commit(functools.partial(bump, *sorted(new)))


def install(sender=None, connection=None, **kwargs) -> None:
    """connection_created receiver: every connection's statements pass here.
    First in the list, so a wrapper a test or a fault injector pushes later
    (and pops) stays inside it."""
    if execute_wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, execute_wrapper)
