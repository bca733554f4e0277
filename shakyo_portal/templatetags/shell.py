"""Tags for the site shell that every page shares."""

import html
import re
from urllib.parse import urlencode

from django import template
from django.template.base import NodeList
from django.template.loader_tags import BLOCK_CONTEXT_KEY, BlockNode
from django.urls import reverse
from django.utils.html import strip_tags

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


@register.simple_tag(takes_context=True)
def block_text(context, name):
    """The text a page put in one of base.html's blocks, for a second use.

    A block can appear only once in a template, but the page's title is wanted
    in <title> and again in og:title (and its description twice too).
    """
    if BLOCK_CONTEXT_KEY not in context.render_context:
        return ""
    # Rendering an empty block of that name renders the page's own block instead.
    text = BlockNode(name, NodeList()).render(context)
    # Unescaped here, escaped once more as the tag's output.
    return re.sub(r"\s+", " ", html.unescape(strip_tags(text))).strip()


@register.simple_tag(takes_context=True)
def absolute_url(context, path=None):
    """This page's address (or the given path) with the scheme and host, for og:url."""
    request = context["request"]
    return request.build_absolute_uri(path or request.path)


@register.filter
def with_hours(office, site):
    """The office as the page's shell fetched it (hours and numbers included);
    the office itself where there is no shell."""
    if office is None or site is None or not hasattr(site, "office_for"):
        return office
    return site.office_for(office)
