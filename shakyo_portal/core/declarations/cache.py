"""What a write to an app's tables makes stale: its page-cache topic.

Each app names one topic in its portal.py (`PAGE_CACHE`): every model of the
app, its many-to-many tables included, belongs to it, except the `quiet` ones,
whose rows no cached page shows and whose writes (a staff session's every
request, a mail leaving) would otherwise empty the cache for nothing.

Nothing else is declared per page: while a page is built, the page cache
notes which tables its queries read, and keeps the page only under the
versions of those tables' topics. A page that reads a table no topic claims
(a quiet one, the sessions, the login log) is simply not kept, so a missing
declaration costs speed, never freshness.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PageCacheTopic:
    app_label: str
    # The version key's name; the app label when not given.
    name: str = ""
    # "app_label.modelname" of models that no cached page reads.
    quiet: frozenset[str] = field(default_factory=frozenset)

    @property
    def topic(self) -> str:
        return self.name or self.app_label
