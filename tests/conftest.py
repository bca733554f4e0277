"""Personas and shared fixtures.

The personas are the people the portal serves: an anonymous resident, a
staff member (admin access, no special permissions unless a test grants
them) and a superuser.

Hypothesis runs under the "suite" profile: no deadline and no too_slow health
check, so how busy the machine is never decides a verdict (a loaded 2-core CI
run once failed on DeadlineExceeded, 334 ms against 200 ms). Examples stay
random, so each run keeps looking somewhere new; a failure prints the blob
that replays it (@reproduce_failure).
"""

import contextlib
import os

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, settings

from tests.factories import UserFactory

settings.register_profile(
    "suite",
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))


@pytest.fixture
def resident(db):
    """An anonymous visitor."""
    return Client()


@pytest.fixture
def staff_user(db):
    return UserFactory(username="staff", staff=True)


@pytest.fixture
def staff(staff_user):
    client = Client()
    client.force_login(staff_user)
    return client


@pytest.fixture
def superuser_user(db):
    return UserFactory(username="admin", superuser=True)


@pytest.fixture
def admin_user(db, django_user_model):
    """pytest-django's superuser (behind admin_client), let off two-factor login
    with a reason as UserFactory's staff are, so force_login reaches the admin."""
    from shakyo_portal.staff.models import StaffProfile

    user = django_user_model.objects.filter(username="admin").first()
    if user is None:
        user = django_user_model.objects.create_superuser(username="admin", password="password")
    StaffProfile.objects.update_or_create(
        user=user, defaults={"two_factor_exempt": True, "two_factor_exempt_reason": "テスト用"}
    )
    return user


@pytest.fixture
def superuser(superuser_user):
    client = Client()
    client.force_login(superuser_user)
    return client


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and kept pages live in the cache; each test starts with
    none, and with the page cache's breaker closed (a test of a dead Redis opens it)."""
    from django.core.cache import cache

    from shakyo_portal.core import cacheversions

    cacheversions.breaker.reset()
    cache.clear()
    yield
    cache.clear()
    cacheversions.breaker.reset()


@pytest.fixture(scope="session")
def rows_kept_for_the_module(django_db_setup, django_db_blocker):
    """Rows built once for several tests, as a module- or class-scoped fixture builds
    them: in a transaction of their own, rolled back after the last of those tests,
    so nothing outlives them. Each test (with `db`) runs in a savepoint inside it, so
    what one test writes is undone before the next sees the rows.

        @pytest.fixture(scope="module")
        def world(rows_kept_for_the_module):
            with rows_kept_for_the_module() as unblocked:
                with unblocked():
                    world = build_world()
                yield world

    Between the tests the database is blocked again, as for any test without `db`.
    For tests on `db` only: a transactional test in the same module would flush the
    rows and commit inside the open transaction.
    """

    @contextlib.contextmanager
    def kept():
        outer = transaction.atomic()
        with django_db_blocker.unblock():
            outer.__enter__()
        try:
            yield django_db_blocker.unblock
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)

    return kept
