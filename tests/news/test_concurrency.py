"""Seats under concurrent requests, on PostgreSQL: real threads, real row locks.

SQLite has no row locks (SELECT … FOR UPDATE is ignored) and locks the whole
file instead, so these tests run only on PostgreSQL:
DATABASE_URL=postgres://… pytest tests/news/test_concurrency.py
"""

import re
import threading

import pytest
from django.db import connection
from django.test import Client

from news.models import Event, Registration, RegistrationStatus
from news.services import RegistrationRefused, register
from tests.news.factories import EventFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL's row locks (SQLite ignores SELECT … FOR UPDATE)",
    ),
]

RESIDENTS = 12


def at_once(count, work):
    """Run work(n) in `count` threads released together; each gets its own connection."""
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def run(n):
        try:
            barrier.wait()
            results[n] = work(n)
        except Exception as error:  # reported below, with the thread's number
            errors.append((n, error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def registering(event, people=1):
    def work(n):
        try:
            registration, _created = register(
                event=event,
                name=f"住民{n}",
                reading="じゅうみん",
                phone="090-0000-0000",
                people=people,
                submission_token=f"token-of-resident-number-{n:04d}",
            )
        except RegistrationRefused as refusal:
            return str(refusal)
        return registration.status

    return work


def test_the_last_seats_go_to_exactly_as_many_as_fit():
    event = EventFactory(signup=True, capacity=5, waitlist=False)
    results, errors = at_once(RESIDENTS, registering(event))
    assert not errors
    assert results.count(RegistrationStatus.CONFIRMED) == 5
    refused = [r for r in results if r not in RegistrationStatus.values]
    assert len(refused) == RESIDENTS - 5
    assert all("定員に達したため" in message for message in refused)
    assert Registration.objects.filter(event=event).count() == 5


def test_beyond_the_seats_everyone_waits_in_order():
    event = EventFactory(signup=True, capacity=7, waitlist=True)
    _results, errors = at_once(RESIDENTS, registering(event, people=2))
    assert not errors
    registrations = Registration.objects.filter(event=event).order_by("serial")
    assert [r.serial for r in registrations] == list(range(1, RESIDENTS + 1))
    confirmed = [r for r in registrations if r.status == RegistrationStatus.CONFIRMED]
    assert sum(r.people for r in confirmed) == 6  # three parties of two; a fourth would not fit
    assert registrations.filter(status=RegistrationStatus.WAITLISTED).count() == RESIDENTS - 3
    # Whoever came first got the seats: every confirmed one precedes every waiting one.
    assert max(r.serial for r in confirmed) < min(
        r.serial for r in registrations if r.status == RegistrationStatus.WAITLISTED
    )


def test_a_form_sent_many_times_at_once_registers_once():
    event = EventFactory(signup=True, capacity=5)
    client = Client()
    # The token the form gave this browser (it is bound to the browser's cookie).
    page = client.get(f"/events/{event.pk}/register/").content.decode()
    token = re.search(r'name="submission_token" value="([^"]+)"', page)[1]

    def click(n):
        return client.post(
            f"/events/{event.pk}/register/",
            {
                "name": "髙橋 花子",
                "reading": "たかはし はなこ",
                "phone": "090-0000-1234",
                "people": "1",
                "consent": "on",
                "submission_token": token,
            },
            REMOTE_ADDR=f"192.0.2.{n + 1}",
        ).status_code

    results, errors = at_once(6, click)
    assert not errors
    assert results == [302] * 6
    assert Registration.objects.filter(event=event).count() == 1
    assert Event.objects.get(pk=event.pk).registrations.get().people == 1
