"""Horizontal bar charts drawn on the server as SVG: nothing to download or run in the browser.

`bar_chart()` does the arithmetic; templates/coordinators/includes/bar_chart.html
draws the result. Colours come from the theme's CSS variables (coordinators.css),
so the chart follows 背景色; the second series is hatched, so the two read apart
without colour too. The chart is an image with a title and a summary for screen
readers; the table next to it carries the numbers.

Each row is the label on its own line with the bars below, so long Japanese
names never squeeze the bars and the drawing can stay narrow enough for a phone.
"""

from dataclasses import dataclass

WIDTH = 600
LABEL_HEIGHT = 24  # a 16-unit label and the space under it
BAR_HEIGHT = 18
BAR_GAP = 4
ROW_GAP = 14
LEGEND_HEIGHT = 32
# Room right of the longest bar for its value ("12,345件").
VALUE_SPACE = 96
# A count of 1 next to a count of 1,000 still shows as a sliver.
MIN_BAR = 2
STYLES = ("solid", "hatched")


@dataclass(frozen=True)
class Series:
    label: str
    # None for a value that is not to be shown: no bar, and `hidden_text` beside it.
    values: list[int | None]


@dataclass(frozen=True)
class Bar:
    style: str
    y: int
    width: int
    value_x: int
    value_y: int
    value_text: str


@dataclass(frozen=True)
class Row:
    label: str
    label_y: int
    bars: list[Bar]


@dataclass(frozen=True)
class LegendItem:
    style: str
    label: str
    x: int
    text_x: int


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    width: int
    height: int
    rows: list[Row]
    legend: list[LegendItem]
    bar_height: int = BAR_HEIGHT


def bar_width(value: int | None, largest: int) -> int:
    if value is None or value <= 0 or largest <= 0:
        return 0
    return max(MIN_BAR, round(value / largest * (WIDTH - VALUE_SPACE)))


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: list[str],
    series: list[Series],
    unit: str = "件",
    hidden_text: str = "非公表",
) -> BarChart:
    """One row per label, one bar per series in each row (at most two series)."""
    if not 1 <= len(series) <= len(STYLES):
        raise ValueError(f"1〜{len(STYLES)} series, not {len(series)}")
    if any(len(s.values) != len(labels) for s in series):
        raise ValueError("each series needs one value per label")
    largest = max((v for s in series for v in s.values if v is not None), default=0)

    legend = []
    top = 0
    if len(series) > 1:
        x = 0
        for style, s in zip(STYLES, series, strict=False):
            legend.append(LegendItem(style=style, label=s.label, x=x, text_x=x + 24))
            # About one unit of 16 per character, and a gap before the next item.
            x += 24 + 16 * len(s.label) + 32
        top = LEGEND_HEIGHT

    rows = []
    y = top
    for index, label in enumerate(labels):
        bars = []
        bar_y = y + LABEL_HEIGHT
        for style, s in zip(STYLES, series, strict=False):
            value = s.values[index]
            width = bar_width(value, largest)
            bars.append(
                Bar(
                    style=style,
                    y=bar_y,
                    width=width,
                    value_x=width + 6,
                    value_y=bar_y + BAR_HEIGHT - 4,
                    value_text=hidden_text if value is None else f"{value:,}{unit}",
                )
            )
            bar_y += BAR_HEIGHT + BAR_GAP
        rows.append(Row(label=label, label_y=y + 17, bars=bars))
        y = bar_y - BAR_GAP + ROW_GAP
    return BarChart(
        id=chart_id,
        title=title,
        description=description,
        width=WIDTH,
        height=max(y, 1),
        rows=rows,
        legend=legend,
    )
