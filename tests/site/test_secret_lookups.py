"""Lookups by 受付番号 and a secret (the phone or e-mail given on the plan):
guessing one plan's secret from many addresses is stopped per reference, but
a stranger's wrong tries never keep the organiser out for more than a pause
of a few minutes (an hour-long lock did, from ten addresses)."""

import pytest
from django.core.cache import cache

from salons.forms.status import REFERENCE_PAUSED_MESSAGE
from salons.services import submit_plan
from shakyo_portal.core import ratelimit
from tests.factories import ActivityPlanFactory

STATUS_URL = "/salons/plans/status/"
RIGHT = "0866-92-8552"


@pytest.fixture
def plan(db):
    return submit_plan(ActivityPlanFactory(representative_phone=RIGHT))


def lookup(client, reference, contact, address):
    return client.post(
        STATUS_URL, {"reference": reference, "contact": contact}, REMOTE_ADDR=address
    )


def test_wrong_phones_from_many_addresses_pause_the_reference(client, plan):
    for n in range(5):
        response = lookup(client, plan.reference, f"0866-00-{n:04}", f"192.0.2.{n}")
        assert response.status_code == 200
        assert REFERENCE_PAUSED_MESSAGE not in response.content.decode()
    # The sixth address guesses right, during the pause: it learns nothing.
    response = lookup(client, plan.reference, RIGHT, "192.0.2.99")
    assert response.status_code == 200
    assert REFERENCE_PAUSED_MESSAGE in response.content.decode()
    assert client.get(f"/salons/plans/{plan.pk}/").status_code == 404


def test_the_pause_ends_and_the_right_pair_opens_the_plan(client, plan):
    for n in range(5):
        lookup(client, plan.reference, f"0866-00-{n:04}", f"192.0.2.{n}")
    # The pause is a cache entry with a few minutes' lifetime; its end is its expiry.
    cache.delete(ratelimit.plan_secret._key("pause", plan.reference))
    assert ratelimit.plan_secret.pause <= 300
    response = lookup(client, plan.reference, RIGHT, "192.0.2.99")
    assert response.status_code == 302


def test_the_right_pair_is_not_counted_against_the_organiser(client, plan):
    for n in range(8):
        response = lookup(client, plan.reference, RIGHT, f"192.0.2.{n}")
        assert response.status_code == 302


def test_another_reference_is_not_paused(client, plan):
    other = submit_plan(ActivityPlanFactory(representative_phone="0866-11-1111"))
    for n in range(5):
        lookup(client, plan.reference, f"0866-00-{n:04}", f"192.0.2.{n}")
    assert lookup(client, other.reference, "0866-11-1111", "192.0.2.50").status_code == 302
