"""What templates/includes/page_info.html needs to say when a page was updated."""

from django import template

from shakyo_portal.core.dates import local_date

register = template.Library()


@register.filter
def local_day(value):
    """The day a date or datetime falls on in Japan: an update at 0:30 on the
    8th, Japan time, is dated the 8th, not the UTC 7th; None stays None."""
    if value in (None, ""):
        return None
    return local_date(value)


@register.filter
def contact_office(page_office, site):
    """The office a page names as 担当, else the council's main office (the
    footer's first); the shell's copy of it, whose numbers cost no query."""
    if site is None or not hasattr(site, "office_for"):
        return page_office or None
    if page_office:
        return site.office_for(page_office)
    return next(iter(site.offices), None)
