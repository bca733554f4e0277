"""Personas and shared fixtures.

The personas are the people the portal serves: an anonymous resident, a
staff member (admin access, no special permissions unless a test grants
them) and a superuser.
"""

import pytest
from django.test import Client

from tests.factories import UserFactory


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
def superuser(superuser_user):
    client = Client()
    client.force_login(superuser_user)
    return client


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
