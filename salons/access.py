"""Who may open an applicant's plan pages without an account.

An organiser proves who they are once — by sending the plan, by the resume
link, or by the reference number with their phone or e-mail — and the
session then remembers which plans they may see. Staff see the plans their
role reaches (a 地区担当 those of their districts). Anyone else gets the
same 404 as for a plan that does not exist, so reference numbers cannot be
probed.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from salons.models import ActivityPlan
from shakyo_portal.staff import access as staff_access

SESSION_KEY = "salons_plans"
# Enough for an organiser who runs a few salons; the oldest are forgotten first.
MAX_REMEMBERED = 20


def grant_access(request, plan: ActivityPlan) -> None:
    # A new session key at the moment of proving who one is, so a key planted
    # earlier (session fixation) does not inherit the access.
    request.session.cycle_key()
    allowed = [pk for pk in request.session.get(SESSION_KEY, []) if pk != plan.pk]
    request.session[SESSION_KEY] = [*allowed, plan.pk][-MAX_REMEMBERED:]


def has_access(request, plan: ActivityPlan, *, for_writing: bool = False) -> bool:
    # Staff read an applicant's pages; they write only in the admin, where the
    # workflow and its history apply. The applicant's forms are the applicant's.
    if (
        not for_writing
        and staff_access.staff_session(request)
        and staff_access.can(request.user, "view", plan)
    ):
        return True
    return plan.pk in request.session.get(SESSION_KEY, [])


def plan_for_applicant(request, pk: int, queryset=None, *, for_writing=False) -> ActivityPlan:
    plan = get_object_or_404(queryset if queryset is not None else ActivityPlan.objects, pk=pk)
    if not has_access(request, plan, for_writing=for_writing):
        raise Http404
    return plan
