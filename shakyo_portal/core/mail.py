"""One way out for every mail the site sends: rendered once the writing
transaction commits, stored (OutgoingMail) and handed to the task queue
(settings.TASKS), so a request never waits for the mail server and a mail the
server refuses is tried again later instead of being lost.

With the database backend the worker (`manage.py db_worker`, see the README)
sends the queued mails; each failed try is logged and the next one is queued
for later, RETRY_MINUTES apart, until MAX_TRIES. A mail that never went stays
in the admin (送信するメール) with its last error, for staff to send again.

Nobody hears of a change that was rolled back: nothing is stored or queued
before the commit.
"""

import logging
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone

from shakyo_portal.core.models import MailStatus, OutgoingMail

logger = logging.getLogger(__name__)

# The waits after each failed try: a mail server restarting is back within
# minutes, one that is down for the night within hours. Six tries over about
# five hours; then the mail waits for staff.
RETRY_MINUTES = (1, 5, 15, 60, 240)
MAX_TRIES = len(RETRY_MINUTES) + 1

type Message = tuple[Iterable[str], str, str]


def render(template: str, context: dict) -> tuple[str, str]:
    """A mail template's first line is the subject, the rest the body."""
    text = render_to_string(template, context)
    subject, _, body = text.strip().partition("\n")
    return subject.strip(), body.strip() + "\n"


def send_after_commit(
    compose: Callable[[], Message | None], *, about: str, log: logging.Logger = logger
) -> None:
    """Queue the mail compose() returns as (recipients, subject, body), once
    the surrounding transaction commits; None or no recipients sends nothing.

    compose runs after the commit, so it sees what was saved. Nothing here may
    fail the request: a mistake in a template or the database refusing the
    row is logged on `log`, as later each failed try to send is.
    """

    def enqueue():
        try:
            message = compose()
            if message is None:
                return
            to, subject, body = message
            if to := [address for address in to if address]:
                queue(to, subject, body, about=about, origin=log.name)
        except Exception:
            log.exception("Could not queue %s", about)

    transaction.on_commit(enqueue)


def send_template_after_commit(
    template: str, context: dict, to: Iterable[str], *, about: str, log: logging.Logger = logger
) -> None:
    """send_after_commit for a mail written by `template` (first line the subject)."""
    send_after_commit(lambda: (to, *render(template, context)), about=about, log=log)


def queue(
    to: Iterable[str], subject: str, body: str, *, about: str = "", origin: str = __name__
) -> OutgoingMail:
    """Store the mail and queue its sending, both or neither."""
    with transaction.atomic():
        mail = OutgoingMail.objects.create(
            to="\n".join(to),
            subject=subject[:255],
            body=body,
            about=about[:200],
            origin=origin[:100],
        )
        send_queued_mail.enqueue(mail.pk)
    return mail


def queue_again(mail: OutgoingMail) -> None:
    """Staff send a waiting or refused mail again: a fresh set of tries, now."""
    with transaction.atomic():
        OutgoingMail.objects.filter(pk=mail.pk).exclude(status=MailStatus.SENT).update(
            status=MailStatus.PENDING, attempts=0, next_attempt_at=None
        )
        send_queued_mail.enqueue(mail.pk)


@task
def send_queued_mail(mail_id: int) -> str:
    """Send one stored mail; on a refusal, note the error and queue the next try."""
    with transaction.atomic():
        # The row lock keeps a second run (staff's 再送 while a try is queued)
        # from sending it twice.
        mail = OutgoingMail.objects.select_for_update().filter(pk=mail_id).first()
        if mail is None or mail.status == MailStatus.SENT:
            return "nothing to send"
        mail.attempts += 1
        try:
            send_mail(mail.subject, mail.body, None, mail.recipients)
        except Exception as error:
            _note_failure(mail, error)
            return mail.status
        mail.status = MailStatus.SENT
        mail.sent_at = timezone.now()
        mail.next_attempt_at = None
        # Only the address and subject are kept once it has gone.
        mail.body = ""
        mail.save()
        return mail.status


def _note_failure(mail: OutgoingMail, error: Exception) -> None:
    mail.last_error = f"{type(error).__name__}: {error}"[:500]
    can_wait = send_queued_mail.get_backend().supports_defer
    if mail.attempts < MAX_TRIES and can_wait:
        mail.status = MailStatus.PENDING
        mail.next_attempt_at = timezone.now() + timedelta(minutes=RETRY_MINUTES[mail.attempts - 1])
        mail.save()
        send_queued_mail.using(run_after=mail.next_attempt_at).enqueue(mail.pk)
    else:
        # Tried often enough, or a backend that cannot wait (tests, a site
        # run without the worker): it waits for staff's 再送.
        mail.status = MailStatus.FAILED if mail.attempts >= MAX_TRIES else MailStatus.PENDING
        mail.next_attempt_at = None
        mail.save()
    logging.getLogger(mail.origin or __name__).error(
        "Could not send %s (mail %s, try %d of %d)",
        mail.about or "a mail",
        mail.pk,
        mail.attempts,
        MAX_TRIES,
        exc_info=error,
    )
