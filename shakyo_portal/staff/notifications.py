"""Staff hear of new work: one sender for the mails that tell them a plan, a
report or an event's registrations need them.

Who hears of what is data (StaffNotification, kept by 管理者 in the admin).
The apps call notify_staff or notify_staff_from_template from their services,
inside the transaction that writes the record; the mail is queued once that
transaction commits (shakyo_portal.core.mail), so nobody is told of something
that was rolled back. Nothing here may fail the resident's request: a template
with a mistake is logged, and a mail server that is down is logged and tried
again later, while the request goes on.

Names no app: the caller passes the record, and the role table
(shakyo_portal.staff.access) says which role holders may see it.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from shakyo_portal.core.mail import render, send_after_commit
from shakyo_portal.staff import access
from shakyo_portal.staff.models import NotificationKind, StaffNotification
from shakyo_portal.staff.roles import Role

logger = logging.getLogger(__name__)

__all__ = ["NotificationKind", "notify_staff", "notify_staff_from_template", "recipients"]


def recipients(kind: str, record=None) -> list[str]:
    """The addresses told of `kind`: the active settings' own addresses, then
    every active user holding one of their roles, has an e-mail address and may
    view `record` (all role holders when there is no record). Each address once."""
    rows = list(StaffNotification.objects.filter(kind=kind, is_active=True))
    addresses = [row.email for row in rows if row.email]
    role_names = {row.role for row in rows if row.role}
    if role_names:
        holders = Q(groups__name__in=role_names)
        if Role.ADMIN in role_names:
            # The role table counts a superuser as 管理者 (access.roles).
            holders |= Q(is_superuser=True)
        users = (
            get_user_model()
            .objects.filter(holders, is_active=True)
            .exclude(email="")
            .distinct()
            .order_by("pk")
        )
        addresses += [
            user.email for user in users if record is None or access.can(user, "view", record)
        ]
    seen = set()
    unique = []
    for address in addresses:
        key = address.strip().casefold()
        if key and key not in seen:
            seen.add(key)
            unique.append(address.strip())
    return unique


def notify_staff(kind: str, subject: str, body: str, *, record=None) -> None:
    """E-mail the staff set to hear of `kind`, queued once the surrounding transaction commits."""
    _on_commit(kind, record, lambda: (subject, body))


def notify_staff_from_template(kind: str, template: str, context: dict, *, record=None) -> None:
    """As notify_staff, the mail written by templates/staff/email/<template>.txt:
    its first line is the subject, the rest the body. The template gets
    `site_url` (links must be absolute: the mail is read outside the site) and
    `settings_url`, the admin page where the notice can be stopped."""

    def compose():
        return render(
            f"staff/email/{template}.txt",
            {
                "site_url": settings.SITE_URL,
                "settings_url": settings.SITE_URL
                + reverse("admin:shakyo_portal_staffnotification_changelist"),
                **context,
            },
        )

    _on_commit(kind, record, compose)


def _on_commit(kind: str, record, compose) -> None:
    def message():
        to = recipients(kind, record)
        if not to:
            return None
        # One message to all: they are colleagues, and one reply-all reaches everyone.
        return (to, *compose())

    send_after_commit(
        message,
        about=f"the staff notice {kind} for {getattr(record, 'pk', None)!r}",
        log=logger,
    )
