"""Registrations for events: taking one, cancelling one, moving one up from the waiting list.

Seats are counted under a lock on the event's row (`SELECT … FOR UPDATE`), so
two residents pressing 申し込む for the last seat at the same moment cannot
both get it: the second waits for the first to commit, counts again and goes
on the waiting list (or is told the event is full). Mail goes out only after
the transaction commits, so nobody is told of a registration that was rolled
back.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone

from news.models import Event, Registration, RegistrationStatus
from shakyo_portal.core.mail import send_template_after_commit
from shakyo_portal.core.models import SiteProfile
from shakyo_portal.staff import audit
from shakyo_portal.staff.notifications import NotificationKind, notify_staff_from_template

logger = logging.getLogger(__name__)


class RegistrationRefused(Exception):
    """The registration cannot be taken; the message is for the resident."""


@dataclass(frozen=True)
class Seats:
    """What a party of `people` gets, given the seats `taken` of `capacity`."""

    status: RegistrationStatus | None  # None: refused
    message: str = ""


def allocate(*, capacity: int | None, taken: int, people: int, waitlist: bool) -> Seats:
    """The rule, on its own: a party fits whole or not at all.

    Splitting a family between a seat and the waiting list helps nobody; a
    party that does not fit goes on the waiting list whole, or is refused with
    the number of seats left when there is no waiting list.
    """
    if capacity is None or taken + people <= capacity:
        return Seats(RegistrationStatus.CONFIRMED)
    if waitlist:
        return Seats(RegistrationStatus.WAITLISTED)
    left = max(capacity - taken, 0)
    if left == 0:
        return Seats(None, "申し訳ありません。定員に達したため、申込の受付を終了しました。")
    return Seats(
        None,
        f"残りの席は{left}人分です。{people}人での申込は受け付けられません。"
        "人数を減らすか、お問合せ窓口へご相談ください。",
    )


def seats_taken(event: Event) -> int:
    return (
        event.registrations.filter(status=RegistrationStatus.CONFIRMED).aggregate(
            total=Sum("people")
        )["total"]
        or 0
    )


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first on the waiting list; None when not waiting."""
    if not registration.is_waitlisted:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id,
        status=RegistrationStatus.WAITLISTED,
        serial__lt=registration.serial,
    ).count()
    return ahead + 1


def register(
    *,
    event: Event,
    name: str,
    reading: str,
    phone: str = "",
    email: str = "",
    people: int = 1,
    accommodations=(),
    note: str = "",
    submission_token: str | None = None,
    now: datetime | None = None,
) -> tuple[Registration, bool]:
    """Take a registration for `event`: (the registration, whether it is new).

    A token already used returns the registration it made, so a double click
    or a reload shows the same confirmation. Raises RegistrationRefused when
    the form is closed or the event is full without a waiting list.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # Everyone registering for this event queues here until the one before commits.
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if submission_token:
            used = locked.registrations.filter(submission_token=submission_token).first()
            if used is not None:
                return used, False
        reason = locked.registration_closed_reason(now)
        if not locked.is_published(now):
            reason = "この行事は見つかりませんでした。"
        if reason:
            raise RegistrationRefused(reason)
        seats = allocate(
            capacity=locked.capacity,
            taken=seats_taken(locked),
            people=people,
            waitlist=locked.waitlist,
        )
        if seats.status is None:
            raise RegistrationRefused(seats.message)
        last = locked.registrations.aggregate(last=Max("serial"))["last"] or 0
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    event=locked,
                    serial=last + 1,
                    name=name,
                    reading=reading,
                    phone=phone,
                    email=email,
                    people=people,
                    note=note,
                    status=seats.status,
                    submission_token=submission_token or None,
                    consented_at=now,
                )
        except IntegrityError:
            # SQLite has no row lock: a double click's second request can pass
            # the check above while the first commits. Its token is the answer.
            used = (
                submission_token
                and locked.registrations.filter(submission_token=submission_token).first()
            )
            if not used:
                raise
            return used, False
        registration.accommodations.set(accommodations)
        notify(registration, "registered")
        tell_staff(locked, registration)
    return registration, True


def tell_staff(event: Event, registration: Registration) -> None:
    """Staff hear when this registration fills the event, and when it starts the waiting
    list; called under the event's row lock, so two registrations cannot both be first."""
    if registration.status == RegistrationStatus.CONFIRMED and event.capacity is not None:
        taken = seats_taken(event)
        if taken - registration.people < event.capacity <= taken:
            notify_staff_from_template(
                NotificationKind.EVENT_FULL,
                "event_full",
                {"event": event, "registration": registration, "taken": taken},
                record=event,
            )
    elif registration.status == RegistrationStatus.WAITLISTED:
        waiting = event.registrations.filter(status=RegistrationStatus.WAITLISTED)
        if not waiting.exclude(pk=registration.pk).exists():
            notify_staff_from_template(
                NotificationKind.EVENT_WAITLIST,
                "event_waitlist",
                {"event": event, "registration": registration},
                record=event,
            )


def cancel(registration: Registration) -> Registration:
    """Staff cancel a registration (the resident called); its seats become free."""
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=registration.event_id)
        Registration.objects.filter(pk=registration.pk).update(
            status=RegistrationStatus.CANCELLED, updated_at=timezone.now()
        )
        audit.record_update(
            registration, {"status": (registration.status, RegistrationStatus.CANCELLED)}
        )
        registration.status = RegistrationStatus.CANCELLED
    return registration


def promote(registration: Registration) -> Registration:
    """Move a waiting registration up to 申込済, if its party fits now, and tell them."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        current = Registration.objects.get(pk=registration.pk)
        if current.status != RegistrationStatus.WAITLISTED:
            raise RegistrationRefused(f"{current.reference}はキャンセル待ちではありません。")
        seats = allocate(
            capacity=event.capacity, taken=seats_taken(event), people=current.people, waitlist=False
        )
        if seats.status is None:
            raise RegistrationRefused(
                f"{current.reference}（{current.people}人）は、空いている席が足りないため"
                "繰り上げられません。"
            )
        Registration.objects.filter(pk=current.pk).update(
            status=RegistrationStatus.CONFIRMED, updated_at=timezone.now()
        )
        audit.record_update(current, {"status": (current.status, RegistrationStatus.CONFIRMED)})
        current.status = RegistrationStatus.CONFIRMED
        notify(current, "promoted")
    return current


def notify(registration: Registration, template: str) -> None:
    """E-mail the registrant, queued once the surrounding transaction commits."""
    recipient = registration.email
    if not recipient:
        return  # They gave a phone number only; staff call them if needed.
    profile = SiteProfile.objects.first()
    context = {
        "registration": registration,
        "event": registration.event,
        "position": waitlist_position(registration),
        "accommodations": list(registration.accommodations.all()),
        "office": registration.event.office,
        "site_name": getattr(profile, "short_name", "社会福祉協議会"),
        "site_phone": getattr(profile, "phone", ""),
        "event_url": settings.SITE_URL + registration.event.get_absolute_url(),
    }

    send_template_after_commit(
        f"news/email/{template}.txt",
        context,
        [recipient],
        about=f"the {template} mail for registration {registration.pk}",
        log=logger,
    )
