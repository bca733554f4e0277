"""URLs for the many rows of one page, reversed once.

reverse() costs about 15 microseconds: on a page that links to a thousand
markers (map.json) or a hundred districts (/coordinators/) that is most of the
page's own work. A `UrlPattern` reverses its view once per request, with a
stand-in value, and then writes each row's URL around the row's pk or slug:
the same string reverse() would give for any value its converter accepts
(digits, or a slug's letters, digits, hyphens and underscores, none of which
reverse() quotes).
"""

from django.urls import reverse

# Digits, so that an int converter and a slug converter both accept it.
STAND_IN = "7250331946"


class UrlPattern:
    def __init__(self, viewname: str, kwarg: str):
        url = reverse(viewname, kwargs={kwarg: STAND_IN})
        self.prefix, self.suffix = url.rsplit(STAND_IN, 1)

    def __call__(self, value) -> str:
        return f"{self.prefix}{value}{self.suffix}"
