"""協議体 shown on other apps' pages: {% load councils %}.

The districts app knows nothing of councils; its page loads this library and
asks for the councils that cover the district, so the query stays here.
"""

from django import template
from django.utils import timezone

from councils.models import Council

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
        .select_related("life_area", "office")
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
    """Each public council's next date, as /councils/ gives it (a registered
    meeting, else its rule's 予定（目安）), soonest first, for the home page;
    two queries (the councils with their office, their next meetings)."""
    today = timezone.localdate()
    councils = Council.objects.public().select_related("office").with_upcoming()
    entries = [
        (council, coming)
        for council in councils
        if (coming := council.next_date(council.upcoming_meetings, today=today)) is not None
    ]
    entries.sort(key=lambda entry: (entry[1].sort_day, entry[1].is_expected))
    return {
        "entries": entries[:shown],
        "has_expected": any(coming.is_expected for _, coming in entries[:shown]),
        "more": len(entries) > shown,
    }
