from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

TOKYO = ZoneInfo("Asia/Tokyo")
START = datetime(2024, 12, 7, 10, 0, tzinfo=TOKYO)
END = datetime(2024, 12, 7, 12, 0, tzinfo=TOKYO)


def render(source, **context):
    return Template("{% load portal %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("source", "value", "expected"),
    [
        ("{{ value|wareki }}", date(2024, 12, 7), "令和6年12月7日(土)"),
        ("{{ value|wareki }}", START, "令和6年12月7日(土) 10:00"),
        ("{{ value|wareki }}", datetime(2024, 12, 7, 1, 0, tzinfo=UTC), "令和6年12月7日(土) 10:00"),
        ("{{ value|seireki }}", date(2024, 12, 7), "2024年12月7日(土)"),
        ("{{ value|seireki }}", START, "2024年12月7日(土) 10:00"),
        ("{{ value|nendo }}", 2024, "令和6年度"),
        ("{{ value|nendo }}", "2019", "令和元年度"),
        ("{{ value|nendo }}", date(2025, 3, 31), "令和6年度"),
        ("{{ value|nendo }}", "来年度", ""),
        ("{{ value|time_hm }}", time(9, 30), "9:30"),
        ("{{ value|time_hm }}", START, "10:00"),
    ],
)
def test_filters(source, value, expected):
    assert render(source, value=value) == expected


def test_nendo_of_a_literal():
    assert render("{{ 2024|nendo }}") == "令和6年度"


def test_period():
    assert (
        render("{{ start|period:end }}", start=START, end=END) == "令和6年12月7日(土) 10:00〜12:00"
    )
    assert render("{{ start|period:end }}", start=START, end=None) == "令和6年12月7日(土) 10:00"
    assert render("{{ start|period:end }}", start=START, end="") == "令和6年12月7日(土) 10:00"


@pytest.mark.parametrize("name", ["wareki", "seireki", "nendo", "time_hm"])
@pytest.mark.parametrize("value", [None, ""])
def test_filters_show_nothing_for_no_value(name, value):
    assert render(f"{{{{ value|{name} }}}}", value=value) == ""
    assert render(f"{{{{ missing|{name} }}}}") == ""


@pytest.mark.parametrize("start", [None, ""])
def test_period_shows_nothing_without_a_start(start):
    assert render("{{ start|period:end }}", start=start, end=END) == ""
