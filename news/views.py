"""お知らせ, 行事 and 社協だより as residents read them, and the event registration form.

Every public page goes through `published(now)`, so a draft or a post
scheduled for later is a 404 like a post that does not exist. Staff who may
see drafts in the admin (the view permission) open them here too, marked as
a preview and never cached.

Each page runs a fixed number of queries whatever the data size; the
docstrings say which.
"""

import calendar
import re
from datetime import date, timedelta

from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from news.forms import RegistrationForm
from news.models import Category, Event, NewsletterIssue, Post, Registration
from news.services import RegistrationRefused, register, waitlist_position
from shakyo_portal.core import formtokens
from shakyo_portal.core.dates import WEEKDAYS, era_year_label, wareki
from shakyo_portal.core.ratelimit import limit_posts
from shakyo_portal.staff import access

POSTS_PER_PAGE = 20
EVENTS_PER_PAGE = 20
ISSUES_PER_PAGE = 24
# The calendar goes this far; beyond it a month is a 404, not an endless crawl.
FIRST_YEAR, LAST_YEAR = 2000, 2100
# A person sends one registration in a minute or two; a script sending many soon stops.
REGISTER_POST_LIMIT = 20
REGISTRATIONS_KEY = "news_registrations"
# The registrations a browser may see again (its own), oldest forgotten first.
MAX_REMEMBERED = 20
SUNDAY_FIRST = (6, 0, 1, 2, 3, 4, 5)
RETRY_MESSAGE = "申込を受け付けられませんでした。もう一度「申し込む」を押してください。"


def can_preview(request, model) -> bool:
    """Staff who may see drafts in the admin may see them on the site too."""
    return access.staff_session(request) and access.allows(request.user, "view", model)


def visible(request, queryset, **lookup):
    """The published object, or for staff any object (with preview=True); else 404."""
    obj = queryset.published(timezone.now()).filter(**lookup).first()
    if obj is not None:
        return obj, False
    if can_preview(request, queryset.model):
        return get_object_or_404(queryset, **lookup), True
    raise Http404


def newest_update(objects):
    """When the newest of the objects a list page shows was updated (they are
    already fetched: no query); None for an empty list, so the page claims no date."""
    return max((obj.updated_at for obj in objects), default=None)


def preview_response(response, preview: bool):
    # A preview is for the staff member looking at it: never stored by a cache.
    if preview:
        add_never_cache_headers(response)
    return response


# --- お知らせ ----------------------------------------------------------------------------


@require_safe
def post_list(request, slug=None):
    """All news, or one category's, newest first with pinned posts on top.

    Queries: the categories (for the menu), the count and the page of posts
    with their categories.
    """
    categories = list(Category.objects.all())
    category = None
    if slug is not None:
        category = next((c for c in categories if c.slug == slug), None)
        if category is None:
            raise Http404
    posts = Post.objects.published().for_list()
    if category is not None:
        posts = posts.filter(category=category)
    page = Paginator(posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "news/post_list.html",
        {
            "categories": categories,
            "category": category,
            "page": page,
            "posts": page.object_list,
            "page_updated": newest_update(page.object_list),
        },
    )


@require_safe
def post_detail(request, slug):
    """One post. Queries: the post with its category; its districts, images and files."""
    post, preview = visible(request, Post.objects.for_detail(), slug=slug)
    response = render(
        request,
        "news/post_detail.html",
        {"post": post, "preview": preview, "page_updated": post.updated_at},
    )
    return preview_response(response, preview)


# --- 行事 ------------------------------------------------------------------------------


@require_safe
def event_list(request):
    """Upcoming events, soonest first; ?when=past for those that are over, latest first.

    Queries: the count, the page of events with the seats taken, their accommodations.
    """
    past = request.GET.get("when") == "past"
    now = timezone.now()
    events = Event.objects.published(now).for_list()
    events = events.past(now) if past else events.upcoming(now)
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(
        request,
        "news/event_list.html",
        {
            "page": page,
            "events": page.object_list,
            "past": past,
            "page_updated": newest_update(page.object_list),
            "this_month": reverse("news:calendar", args=[today.year, today.month]),
        },
    )


@require_safe
def calendar_now(request):
    """/events/calendar/ and /events/calendar/?month=2026-12 go to the month's own address.

    A ?month= that is no month is ignored: the current month opens.
    """
    match = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})", request.GET.get("month", "")[:10])
    if match and FIRST_YEAR <= int(match[1]) <= LAST_YEAR and 1 <= int(match[2]) <= 12:
        return redirect("news:calendar", year=int(match[1]), month=int(match[2]))
    today = timezone.localdate()
    return redirect("news:calendar", year=today.year, month=today.month)


def month_weeks(year: int, month: int, events, today: date):
    """The month as weeks of seven days from Sunday; None for days of other months.

    Each day is (date, [events on it], is_today).
    """
    by_day = {}
    for event in events:
        for day in event.days():
            by_day.setdefault(day, []).append(event)
    weeks = []
    for week in calendar.Calendar(firstweekday=6).monthdatescalendar(year, month):
        weeks.append(
            [
                (day, by_day.get(day, []), day == today) if day.month == month else None
                for day in week
            ]
        )
    return weeks


def _month_label(year: int, month: int) -> str:
    return f"{era_year_label(*wareki(date(year, month, 1)))}{month}月"


@require_safe
def event_calendar(request, year, month):
    """A month as a table, without JavaScript. Queries: the month's events (1)."""
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        raise Http404
    events = list(Event.objects.published().in_month(year, month).order_by("starts_at", "pk"))
    first = date(year, month, 1)
    previous = first - timedelta(days=1)
    following = first + timedelta(days=32)
    today = timezone.localdate()
    weekdays = [WEEKDAYS[n] for n in SUNDAY_FIRST]
    return render(
        request,
        "news/event_calendar.html",
        {
            "year": year,
            "month": month,
            "month_label": _month_label(year, month),
            "weekdays": weekdays,
            "weeks": month_weeks(year, month, events, today),
            "events": events,
            "previous": (previous.year, previous.month, _month_label(previous.year, previous.month))
            if previous.year >= FIRST_YEAR
            else None,
            "next": (following.year, following.month, _month_label(following.year, following.month))
            if following.year <= LAST_YEAR
            else None,
            "is_this_month": (today.year, today.month) == (year, month),
            "this_month": (today.year, today.month),
            "page_updated": newest_update(events),
        },
    )


@require_safe
def event_detail(request, pk):
    """One event. Queries: the event with seats taken, district, council and office;
    its accommodations."""
    event, preview = visible(request, Event.objects.for_detail(), pk=pk)
    now = timezone.now()
    response = render(
        request,
        "news/event_detail.html",
        {
            "event": event,
            "preview": preview,
            "is_over": event.is_over(now),
            "closed_reason": event.registration_closed_reason(now),
            "page_updated": event.updated_at,
            "page_office": event.office,
        },
    )
    return preview_response(response, preview)


# --- registration --------------------------------------------------------------------


def remember(request, registration: Registration) -> None:
    """This browser sent the registration and may see its confirmation page."""
    # A new session key at the moment personal data is tied to it (no session fixation).
    request.session.cycle_key()
    kept = [pk for pk in request.session.get(REGISTRATIONS_KEY, []) if pk != registration.pk]
    request.session[REGISTRATIONS_KEY] = [*kept, registration.pk][-MAX_REMEMBERED:]


def _done(request, registration: Registration):
    remember(request, registration)
    return redirect("news:registered", pk=registration.event_id, registration_pk=registration.pk)


@never_cache
@require_http_methods(["GET", "POST"])
@limit_posts("event_register", limit=REGISTER_POST_LIMIT)
@formtokens.binds_tokens
def event_register(request, pk):
    """The registration form of a 要申込 event (post/redirect/get).

    Each rendering carries a one-time token; a second POST of the same page (a
    double click, a reload) finds the registration the first one made and shows
    its confirmation instead of registering twice.
    """
    event = get_object_or_404(Event.objects.published().for_detail(), pk=pk)
    if not event.needs_registration:
        return redirect(event)
    closed_reason = event.registration_closed_reason()
    if request.method != "POST":
        form = RegistrationForm(
            event=event, initial={"submission_token": formtokens.issue(request)}
        )
        return _render_form(request, event, form, closed_reason)

    data = request.POST.copy()
    # Only a token this browser was given finds the registration it made: another
    # browser's copy of the token must not show that person's confirmation.
    token = formtokens.posted(request)
    if token:
        used = Registration.objects.filter(event=event, submission_token=token).first()
        if used is not None:
            return _done(request, used)
    else:
        # A page without a usable token (an old tab, a script, another browser): one
        # from now on, so the page shown back protects its next sending.
        data["submission_token"] = token = formtokens.issue(request)
    form = RegistrationForm(data, event=event)
    if closed_reason:
        return _render_form(request, event, form, closed_reason)
    if not form.is_valid():
        return _render_form(request, event, form, "")
    cleaned = form.cleaned_data
    try:
        registration, _created = register(
            event=event,
            name=cleaned["name"],
            reading=cleaned["reading"],
            phone=cleaned["phone"],
            email=cleaned["email"],
            people=cleaned["people"],
            accommodations=cleaned.get("accommodations") or [],
            note=cleaned["note"],
            submission_token=token,
        )
    except RegistrationRefused as refusal:
        form.add_error(None, str(refusal))
        return _render_form(request, Event.objects.for_detail().get(pk=event.pk), form, "")
    except IntegrityError:
        # The same token sent twice at the same moment: the first one made it.
        used = Registration.objects.filter(event=event, submission_token=token).first()
        if used is None:
            # The token was one another event's registration used: a fresh one, and again.
            data["submission_token"] = formtokens.issue(request)
            form = RegistrationForm(data, event=event)
            form.is_valid()
            form.add_error(None, RETRY_MESSAGE)
            return _render_form(request, event, form, "")
        registration = used
    return _done(request, registration)


def _render_form(request, event, form, closed_reason):
    return render(
        request,
        "news/event_register.html",
        {
            "event": event,
            "form": form,
            "closed_reason": closed_reason,
            "page_office": event.office,
        },
    )


@never_cache
@require_safe
def registration_done(request, pk, registration_pk):
    """The confirmation, for the browser that sent the registration only; a 404 for any
    other, so registrations cannot be probed by number."""
    if registration_pk not in request.session.get(REGISTRATIONS_KEY, []):
        raise Http404
    registration = get_object_or_404(
        Registration.objects.select_related("event__office").prefetch_related("accommodations"),
        pk=registration_pk,
        event_id=pk,
    )
    return render(
        request,
        "news/registration_done.html",
        {
            "registration": registration,
            "event": registration.event,
            "position": waitlist_position(registration),
        },
    )


# --- 社協だより ---------------------------------------------------------------------------


@require_safe
def newsletter_list(request):
    """The archive, newest first, grouped by 年度. Queries: the count and the page."""
    issues = NewsletterIssue.objects.published().archive_order()
    page = Paginator(issues, ISSUES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "news/newsletter_list.html",
        {
            "page": page,
            "issues": page.object_list,
            "page_updated": newest_update(page.object_list),
        },
    )


@require_safe
def newsletter_detail(request, number):
    """One issue with its もくじ and articles. Queries: the issue; its articles."""
    issue, preview = visible(request, NewsletterIssue.objects.for_detail(), number=number)
    articles = list(issue.articles.all())
    response = render(
        request,
        "news/newsletter_detail.html",
        {
            "issue": issue,
            "articles": articles,
            "titles_only": any(not article.has_body for article in articles),
            "has_text": any(article.has_body for article in articles),
            "preview": preview,
            "page_updated": issue.updated_at,
        },
    )
    return preview_response(response, preview)
