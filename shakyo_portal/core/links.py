"""Links the public pages build: a list's URL without one filter, a venue on a
map, and the URLs of a page's many rows with one reverse()."""

import re
from urllib.parse import urlencode

from django.urls import reverse


def without(request, param, value):
    """This search's URL without one value of one parameter (and back on page 1)."""
    pairs = [
        (key, item)
        for key, items in request.GET.lists()
        for item in items
        if key != "page" and not (key == param and item == value)
    ]
    return f"{request.path}?{urlencode(pairs)}" if pairs else request.path


def map_url(place) -> str:
    """A plain link to the venue on OpenStreetMap: nothing is embedded or fetched."""
    if place.latitude is None or place.longitude is None:
        return ""
    lat, lon = f"{place.latitude:.6f}", f"{place.longitude:.6f}"
    return (
        f"https://www.openstreetmap.org/?{urlencode({'mlat': lat, 'mlon': lon})}#map=17/{lat}/{lon}"
    )


# What both the <int:> and the <slug:> converters take and reverse() writes as it is.
_PLAIN = re.compile(r"[-a-zA-Z0-9_]+")
# Digits, so that an int converter and a slug converter both accept them.
_STAND_INS = ("7250331946", "7250331947", "7250331948")


class UrlPattern:
    """URLs for the many rows of one page, reversed once.

    reverse() costs some 15 microseconds: on a page linking a thousand markers
    (map.json), some hundreds of districts or a month of meetings, that is most
    of the page's own work. A pattern reverses its view once, with stand-in
    values, and then writes each row's URL around the row's values: the string
    reverse() would give. A value the converters might quote or refuse goes
    through reverse() itself.

        district_url = UrlPattern("districts:detail", "slug")
        district_url("misu")                       # "/districts/misu/"
        UrlPattern("councils:meeting", "slug", "pk")("city", 3)
    """

    def __init__(self, viewname: str, *kwargs: str):
        self.viewname, self.kwargs = viewname, kwargs
        url = reverse(viewname, kwargs=dict(zip(kwargs, _STAND_INS, strict=False)))
        found = sorted(
            (url.index(stand_in), i) for i, stand_in in enumerate(_STAND_INS[: len(kwargs)])
        )
        self.parts, self.order, start = [], [], 0
        for position, i in found:
            self.parts.append(url[start:position])
            self.order.append(i)
            start = position + len(_STAND_INS[i])
        self.parts.append(url[start:])

    def __call__(self, *values) -> str:
        texts = [str(value) for value in values]
        if not all(_PLAIN.fullmatch(text) for text in texts):
            return reverse(self.viewname, kwargs=dict(zip(self.kwargs, values, strict=True)))
        pieces = [self.parts[0]]
        for i, part in zip(self.order, self.parts[1:], strict=True):
            pieces += [texts[i], part]
        return "".join(pieces)
