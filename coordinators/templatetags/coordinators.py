"""Coordinators shown on other apps' pages: {% load coordinators %}.

The districts app knows nothing of coordinators; a district's page loads this
library and asks who covers the district, so the query stays here.
"""

from django import template

from coordinators.models import Coordinator

register = template.Library()


@register.inclusion_tag("coordinators/includes/district_coordinators.html")
def district_coordinators(district):
    """The public coordinators who cover `district` (by name, by its parent district
    or by a life area): one query."""
    return {"district": district, "coordinators": list(Coordinator.objects.covering(district))}
