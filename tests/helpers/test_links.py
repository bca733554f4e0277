"""core.links.UrlPattern: one reverse() for a page's many rows, and each URL the
string reverse() itself writes, under a script prefix too."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from shakyo_portal.core.links import UrlPattern

CASES = [
    ("resources:detail", ("pk",), [(1,), (7,), (12345678901,)]),
    ("districts:detail", ("slug",), [("soja",), ("kiyone-1",), ("a_b",), ("D0150",)]),
    ("councils:meeting", ("slug", "pk"), [("city", 1), ("kiyone-2", 345), ("c_9", 7)]),
]


@pytest.mark.parametrize(("viewname", "kwargs", "rows"), CASES)
@pytest.mark.parametrize("prefix", ["/", "/shakyo/"])
def test_each_url_is_what_reverse_writes(viewname, kwargs, rows, prefix):
    set_script_prefix(prefix)
    try:
        url = UrlPattern(viewname, *kwargs)
        for values in rows:
            assert url(*values) == reverse(viewname, kwargs=dict(zip(kwargs, values, strict=True)))
    finally:
        set_script_prefix("/")


def test_a_value_reverse_would_quote_goes_through_reverse():
    # A value the converter would refuse (a dot in a slug) is never pasted into
    # a link: reverse() itself is asked, and refuses it as it always did.
    url = UrlPattern("councils:meeting", "slug", "pk")
    with pytest.raises(NoReverseMatch):
        url("a.b", 1)
