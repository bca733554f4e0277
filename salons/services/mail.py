"""The organiser's mail: queued once the surrounding transaction commits, so
nobody is told of a change that was rolled back (shakyo_portal.core.mail)."""

import logging

from django.conf import settings
from django.urls import reverse

from salons.models import ActivityPlan
from shakyo_portal.core.mail import send_template_after_commit
from shakyo_portal.core.models import SiteProfile

logger = logging.getLogger(__name__)


def status_url() -> str:
    return settings.SITE_URL + reverse("salons:plan_status")


def notify(plan: ActivityPlan, template: str, **context) -> None:
    """E-mail the organiser about `plan`, queued once the surrounding transaction commits."""
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

    send_template_after_commit(
        f"salons/email/{template}.txt",
        context,
        [recipient],
        about=f"the {template} mail for plan {plan.pk}",
        log=logger,
    )


def send_resume_link(*, plan: ActivityPlan, template: str, **context) -> str:
    """Mail the organiser a fresh link to reopen `plan`; returns its secret to show once.

    Only the secret's hash is stored, so the link in an older mail stops working.
    """
    token = plan.issue_draft_token()
    ActivityPlan.objects.filter(pk=plan.pk).update(draft_token_hash=plan.draft_token_hash)
    notify(plan, template, resume_token=token, **context)
    return token
