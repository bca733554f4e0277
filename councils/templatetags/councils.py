"""協議体 shown on other apps' pages: {% load councils %}.

The districts app knows nothing of councils; its page loads this library and
asks for the councils that cover the district, so the query stays here.
"""

from django import template
from django.utils import timezone

from councils.models import Council, Meeting, MeetingStatus

register = template.Library()

# More than one layer-2 council rarely covers a district; this bounds the list.
DISTRICT_COUNCILS_SHOWN = 5
COMING_MEETINGS_SHOWN = 5


@register.inclusion_tag("councils/includes/district_councils.html")
def district_councils(district):
    """The layer-2 councils whose area takes in `district`, each with its next
    date: one query, and one more for their next meetings when there are any."""
    today = timezone.localdate()
    councils = list(
        Council.objects.public()
        .covering(district)
        .select_related("life_area")
        .with_upcoming()[:DISTRICT_COUNCILS_SHOWN]
    )
    return {
        "district": district,
        "entries": [
            (council, council.next_date(council.upcoming_meetings, today=today))
            for council in councils
        ],
    }


@register.inclusion_tag("councils/includes/coming_meetings.html")
def coming_meetings(shown=COMING_MEETINGS_SHOWN):
    """The next registered meetings of every public council (for the home
    page): one query. Called-off ones are left out here; their councils' pages
    and the calendar say so."""
    meetings = (
        Meeting.objects.public()
        .upcoming()
        .filter(status=MeetingStatus.SCHEDULED)
        .select_related("council")
        .order_by("held_on", "starts_at", "pk")[:shown]
    )
    return {"meetings": list(meetings)}
