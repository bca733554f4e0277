"""Tags for the site shell that every page shares."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def preference_url(context, **choice):
    """A plain link that sets a display preference and comes back to this page."""
    request = context["request"]
    return f"{reverse('preferences')}?{urlencode({**choice, 'next': request.get_full_path()})}"


@register.simple_tag(takes_context=True)
def page_url(context, number, param="page"):
    """This page's URL with another page number, keeping the other query parameters."""
    query = context["request"].GET.copy()
    query[param] = number
    return f"?{query.urlencode()}"
