"""The organiser's mail: sent once the surrounding transaction commits, so
nobody is told of a change that was rolled back."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from salons.models import ActivityPlan
from shakyo_portal.core.models import SiteProfile

logger = logging.getLogger(__name__)


def status_url() -> str:
    return settings.SITE_URL + reverse("salons:plan_status")


def notify(plan: ActivityPlan, template: str, **context) -> None:
    """E-mail the organiser about `plan`, once the surrounding transaction commits."""
    recipient = plan.representative_email
    if not recipient:
        return  # They gave a postal address; staff write to them.
    context = {
        "plan": plan,
        "status_url": status_url(),
        "site_url": settings.SITE_URL,
        "site_name": getattr(SiteProfile.objects.first(), "short_name", "社会福祉協議会"),
        **context,
    }
    if context.get("resume_token"):
        context["resume_url"] = settings.SITE_URL + reverse(
            "salons:plan_resume", kwargs={"token": context["resume_token"]}
        )

    def send():
        text = render_to_string(f"salons/email/{template}.txt", context)
        subject, _, body = text.strip().partition("\n")
        try:
            send_mail(subject.strip(), body.strip() + "\n", None, [recipient])
        except Exception:
            # The record is saved and the page tells them what happened; a mail
            # server being down must not turn that into an error page.
            logger.exception("Could not send %s mail for plan %s", template, plan.pk)

    transaction.on_commit(send)


def send_resume_link(*, plan: ActivityPlan, template: str, **context) -> str:
    """Mail the organiser a fresh link to reopen `plan`; returns its secret to show once.

    Only the secret's hash is stored, so the link in an older mail stops working.
    """
    token = plan.issue_draft_token()
    ActivityPlan.objects.filter(pk=plan.pk).update(draft_token_hash=plan.draft_token_hash)
    notify(plan, template, resume_token=token, **context)
    return token
