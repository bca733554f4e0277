"""The long, repeated rows of 見える化, written in Python: {% load insights %}.

A large council's 見える化 has a row for each of some 250 districts and areas,
once in the chart and once in the table. Drawn by template loops that was about
25 ms a page (a template variable costs microseconds, and each row has
twenty); written here it is about 2. The templates keep everything around the
rows (the chart's title, description, pattern and legend; the table's caption
and headers), and these tags write only what the loops wrote, the same
elements with the same attributes. The texts are plain strings (names, counts,
非公表), escaped as a template would escape them.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from coordinators.charts import BarChart
from coordinators.insights import Tally

register = template.Library()


@register.simple_tag
def chart_rows(chart: BarChart):
    """Each row of a bar chart: its label, and each bar (none for a zero or a
    hidden count) with its value beside it; the second series is hatched."""
    hatch = f' fill="url(#{escape(chart.id)}-hatch)"'
    parts = []
    for row in chart.rows:
        parts.append(
            f'\n<text class="chart__text" x="0" y="{row.label_y}">{escape(row.label)}</text>'
        )
        for bar in row.bars:
            if bar.width:
                fill = hatch if bar.style == "hatched" else ""
                parts.append(
                    f'\n<rect class="chart__bar chart__bar--{bar.style}" x="1" y="{bar.y}"'
                    f' width="{bar.width}" height="{chart.bar_height}"{fill}></rect>'
                )
            parts.append(
                f'\n<text class="chart__text chart__value" x="{bar.value_x}"'
                f' y="{bar.value_y}">{escape(bar.value_text)}</text>'
            )
    return mark_safe("".join(parts))  # every text is escaped above


@register.simple_tag
def tally_rows(rows: list[Tally], launches: bool):
    """The table's body: one row per kind or area, its name as the row's header."""
    parts = []
    for row in rows:
        launch_cell = f'<td class="number">{row.launches}件</td>' if launches else ""
        parts.append(
            f'\n<tr><th scope="row">{escape(row.label)}</th>'
            f'<td class="number">{row.logs}件</td>'
            f'<td class="number">{escape(row.consultations_text)}</td>'
            f'<td class="number">{escape(row.referrals_text)}</td>'
            f'<td class="number">{row.participants}人</td>{launch_cell}</tr>'
        )
    return mark_safe("".join(parts))  # every text is escaped above
