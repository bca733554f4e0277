import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.fixture
def shell_queries(db, resident):
    """The queries every page's shell runs (site profile, footer offices, and
    whatever else the shell comes to need), so the pins here count only the
    councils' own queries on top of it."""
    with CaptureQueriesContext(connection) as context:
        resident.get("/no-such-page/")
    return len(context.captured_queries)
