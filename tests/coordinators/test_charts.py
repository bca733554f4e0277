"""The server-drawn bar charts: bars in proportion, hidden values without a bar."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coordinators.charts import MIN_BAR, VALUE_SPACE, WIDTH, Series, bar_chart


def chart(labels, *series, **kwargs):
    return bar_chart(
        chart_id="c", title="t", description="d", labels=labels, series=list(series), **kwargs
    )


def test_bars_are_in_proportion_and_labelled():
    result = chart(["相談", "訪問", "会議"], Series("件数", [10, 5, 0]))
    widths = [row.bars[0].width for row in result.rows]
    assert widths == [WIDTH - VALUE_SPACE, (WIDTH - VALUE_SPACE) // 2, 0]
    assert [row.bars[0].value_text for row in result.rows] == ["10件", "5件", "0件"]
    assert [row.label for row in result.rows] == ["相談", "訪問", "会議"]
    assert result.legend == []  # one series needs no legend


def test_two_series_are_solid_and_hatched_with_a_legend():
    result = chart(["総社"], Series("相談件数", [3]), Series("つなぎ件数", [1]), unit="人")
    assert [bar.style for bar in result.rows[0].bars] == ["solid", "hatched"]
    assert [item.label for item in result.legend] == ["相談件数", "つなぎ件数"]
    assert result.rows[0].bars[1].value_text == "1人"
    # The legend sits above the first row.
    assert result.rows[0].label_y > 20


def test_a_hidden_value_has_no_bar():
    result = chart(["常盤"], Series("相談件数", [None]), hidden_text="非公表")
    bar = result.rows[0].bars[0]
    assert (bar.width, bar.value_text) == (0, "非公表")


def test_bad_series_are_refused():
    with pytest.raises(ValueError):
        chart(["a"])
    with pytest.raises(ValueError):
        chart(["a"], Series("x", [1, 2]))
    with pytest.raises(ValueError):
        chart(["a"], Series("x", [1]), Series("y", [1]), Series("z", [1]))


@given(
    st.lists(
        st.one_of(st.none(), st.integers(min_value=0, max_value=10**6)), min_size=1, max_size=30
    )
)
def test_every_bar_fits_and_a_larger_value_is_never_shorter(values):
    result = chart([f"地区{n}" for n in range(len(values))], Series("件数", values))
    bars = [row.bars[0] for row in result.rows]
    for value, bar in zip(values, bars, strict=True):
        assert 0 <= bar.width <= WIDTH - VALUE_SPACE
        assert (bar.width >= MIN_BAR) == bool(value)
        assert bar.value_x < WIDTH
    shown = sorted((v, b.width) for v, b in zip(values, bars, strict=True) if v is not None)
    assert [w for _, w in shown] == sorted(w for _, w in shown)
    # Rows never overlap, and the drawing is tall enough for the last one.
    tops = [row.label_y for row in result.rows]
    assert tops == sorted(set(tops)) and result.height > tops[-1]
