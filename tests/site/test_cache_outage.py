"""The shared cache (Redis) going away must not stop a form: the limits fall
back to counting in each process, and the outage is logged once, not once per
request. The cache here is a real Redis client pointed at a port where nothing
listens, as when the Redis server is stopped."""

import logging

import pytest
from django.test import override_settings

from salons.services import submit_plan
from shakyo_portal.core import ratelimit
from tests.factories import ActivityPlanFactory

UNREACHABLE = {
    "default": {
        "BACKEND": "shakyo_portal.core.rediscache.RedisCache",
        "LOCATION": "redis://127.0.0.1:6390/9",
    }
}
STATUS_URL = "/salons/plans/status/"


@pytest.fixture
def plan(db):
    return submit_plan(ActivityPlanFactory(representative_phone="0866-92-8552"))


@pytest.fixture(autouse=True)
def fresh_counts(monkeypatch):
    monkeypatch.setattr(ratelimit, "local_counts", ratelimit.LocalCounts())


def test_a_down_cache_is_not_asked_again_on_every_request(resident, plan, monkeypatch):
    asked = []
    real = ratelimit._shared_count
    monkeypatch.setattr(ratelimit, "_shared_count", lambda *a: asked.append(1) or real(*a))
    with override_settings(CACHES=UNREACHABLE):
        for n in range(3):
            resident.post(STATUS_URL, {"reference": f"R8-{n + 100}", "contact": "0866-92-8552"})
    assert len(asked) == 1


@override_settings(CACHES=UNREACHABLE)
def test_a_form_is_answered_while_the_cache_is_down_and_the_outage_logged_once(
    resident, plan, caplog
):
    caplog.set_level(logging.WARNING, logger="shakyo_portal.core.ratelimit")
    for _ in range(3):
        response = resident.post(
            STATUS_URL, {"reference": plan.reference, "contact": "0866-92-8552"}
        )
        assert response.status_code == 302
    alerts = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(alerts) == 1
    assert "unreachable" in alerts[0].getMessage()


@override_settings(CACHES=UNREACHABLE)
def test_guessing_is_still_limited_per_process_while_the_cache_is_down(resident, plan):
    for n in range(10):
        response = resident.post(
            STATUS_URL, {"reference": f"R8-{n + 100}", "contact": "0866-92-8552"}
        )
        assert response.status_code == 200
    response = resident.post(STATUS_URL, {"reference": plan.reference, "contact": "0866-92-8552"})
    assert response.status_code == 429


def test_the_limits_are_shared_again_once_the_cache_is_back(resident, plan, caplog, monkeypatch):
    # Asked again at once rather than after the usual pause.
    monkeypatch.setattr(ratelimit, "local_counts", ratelimit.LocalCounts(retry_seconds=0))
    caplog.set_level(logging.WARNING, logger="shakyo_portal.core.ratelimit")
    with override_settings(CACHES=UNREACHABLE):
        resident.post(STATUS_URL, {"reference": "R8-0100", "contact": "0866-92-8552"})
    assert ratelimit.local_counts.down
    response = resident.post(STATUS_URL, {"reference": plan.reference, "contact": "0866-92-8552"})
    assert response.status_code == 302
    assert not ratelimit.local_counts.down
    assert any("reachable again" in r.getMessage() for r in caplog.records)


def test_local_counts_start_again_after_the_window():
    counts = ratelimit.LocalCounts()
    assert [counts.incr("k", window=600) for _ in range(3)] == [1, 2, 3]
    assert counts.incr("other", window=600) == 1
    assert counts.incr("gone", window=0) == 1
    assert counts.incr("gone", window=0) == 1
