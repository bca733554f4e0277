"""Links the public pages build: a list's URL without one filter, a venue on a map."""

from urllib.parse import urlencode


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
