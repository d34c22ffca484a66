"""Horizontal bar charts as plain geometry for an inline SVG template
(`supervision/_chart.html`): no JavaScript, no chart library, nothing from
a CDN, and readable at 375 px because bar lengths are percentages of the
width while text keeps its CSS size. Each chart is followed on the page by
a table of the same numbers, which is also what screen readers get."""

from dataclasses import dataclass, field

# Fills for print, where the page's stylesheet does not reach into the SVG
# (the same colours as static/css/supervision.css).
PRINT_FILLS = {
    "bar-waiting": "#bf8700",
    "bar-reviewing": "#0969da",
    "bar-done": "#1a7f37",
    "bar-closed": "#8c959f",
    "bar-red": "#cf222e",
    "bar-over": "#cf222e",
    "bar-yellow": "#d4a72c",
    "bar-at_risk": "#d4a72c",
    "bar-on_track": "#1a7f37",
    "bar-average": "#0969da",
    "bar-p90": "#8250df",
}
ROW_HEIGHT = 22  # the label line
BAR_HEIGHT = 12
BAR_GAP = 4
ROW_GAP = 10
# Bars stop short of the right edge so the value printed after them fits.
BAR_SPAN = 78.0


@dataclass
class Segment:
    x: float  # percent of the width
    width: float
    css: str
    title: str


@dataclass
class Bar:
    y: int
    segments: list
    value_text: str
    end: float  # percent, where the value text starts


@dataclass
class Row:
    label: str
    label_y: int
    bars: list


@dataclass
class Chart:
    key: str
    title: str
    rows: list = field(default_factory=list)
    legend: list = field(default_factory=list)  # [(css, label)]
    height: int = 0

    @property
    def is_empty(self):
        return not self.rows


def _format(value):
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}"
    return f"{value:,}"


def build(key, title, items, series, *, stacked=False):
    """`items`: [(label, [value per series])]; `series`: [(css, label)].
    Stacked: one bar per row made of the series' segments; otherwise one
    bar per series, each scaled to the largest value in the chart."""
    chart = Chart(key=key, title=title, legend=list(series))
    if stacked:
        largest = max((sum(v or 0 for v in values) for _, values in items), default=0)
    else:
        largest = max((v or 0 for _, values in items for v in values), default=0)
    scale = BAR_SPAN / largest if largest else 0
    y = 0
    for label, values in items:
        label_y = y + 16
        y += ROW_HEIGHT
        bars = []
        if stacked:
            x = 0.0
            segments = []
            for (css, name), value in zip(series, values, strict=True):
                width = (value or 0) * scale
                if width:
                    segments.append(
                        Segment(round(x, 2), round(width, 2), css, f"{name}：{_format(value)}")
                    )
                x += width
            total = sum(v or 0 for v in values)
            bars.append(Bar(y, segments, _format(total), round(x, 2)))
            y += BAR_HEIGHT + BAR_GAP
        else:
            for (css, name), value in zip(series, values, strict=True):
                width = round((value or 0) * scale, 2)
                segment = Segment(0, width, css, f"{name}：{_format(value)}")
                bars.append(Bar(y, [segment] if width else [], _format(value), width))
                y += BAR_HEIGHT + BAR_GAP
        y += ROW_GAP - BAR_GAP
        chart.rows.append(Row(label, label_y, bars))
    chart.height = y
    return chart
