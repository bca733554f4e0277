"""{% purpose_of_use "plan" %}: a public form's 利用目的 notice: {% load purposes %}."""

from django import template

from shakyo_portal.core.purposes import PURPOSES, notice_id

register = template.Library()


@register.inclusion_tag("includes/purpose_of_use.html")
def purpose_of_use(key, heading=2):
    """The notice for the form `key` (an unknown key is an error, not a silent blank).

    `heading` is the level that fits where the form sits in the page's outline.
    """
    return {"purpose": PURPOSES[key], "notice_id": notice_id(key), "heading": heading}
