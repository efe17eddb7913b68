"""Server-rendered SVG charts for the dashboard and the PDF reports: no JavaScript, no inline style, CSP-safe.

Colours and fonts are SVG presentation attributes (not ``style``), so the same markup renders in a browser under
a strict Content-Security-Policy and in WeasyPrint, whose SVG renderer does not read the page's stylesheet. The
classes (``chart-bar``...) are there for the page's CSS to override. Each chart has a title and a text
description for screen readers.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

COLOURS = {"chart-bar": "#00558c", "chart-bar-alt": "#d9822b"}
TEXT = 'font-family="DejaVu Sans, sans-serif" font-size="11" fill="#1b2430"'


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    css: str = "chart-bar"


def _number(value: float) -> str:
    if value is None:
        return "–"
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", "\u202f")
    return f"{float(value):.1f}"


def _short(label: str, limit: int = 34) -> str:
    """A label that fits the chart's label column (the description and the tables keep the full text)."""
    return label if len(label) <= limit else label[: limit - 1].rstrip(" ,") + "…"


def _description(title: str, bars: Sequence[Bar]) -> str:
    return "; ".join(f"{bar.label}: {_number(bar.value)}" for bar in bars) or title


def horizontal_bars(title: str, bars: Sequence[Bar], *, width: int = 480, unit: str = "") -> SafeString:
    """One labelled horizontal bar per item (regions, kinds, sexes), the value at the bar's end."""
    row, top = 22, 6
    # DejaVu Sans at 11 px averages under 7 px a character: the label column fits the longest (shortened) label.
    longest = max((len(_short(bar.label)) for bar in bars), default=1)
    label_width = max(80, min(250, 7 * longest + 12))
    height = top * 2 + row * max(len(bars), 1)
    largest = max((float(bar.value or 0) for bar in bars), default=0) or 1
    span = width - label_width - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title><desc>{escape(_description(title, bars))}</desc>",
    ]
    for index, bar in enumerate(bars):
        y = top + index * row
        length = round(span * float(bar.value or 0) / largest, 1)
        parts.append(
            f'<text class="chart-label" {TEXT} x="{label_width - 6}" y="{y + 15}" text-anchor="end">'
            f"<title>{escape(bar.label)}</title>{escape(_short(bar.label))}</text>"
            f'<rect class="{escape(bar.css)}" fill="{COLOURS.get(bar.css, "#00558c")}" x="{label_width}" y="{y + 3}" '
            f'width="{length}" height="{row - 6}"/>'
            f'<text class="chart-value" {TEXT} x="{label_width + length + 4}" y="{y + 15}">'
            f"{escape(_number(bar.value))}{escape(unit)}</text>"
        )
    if not bars:
        parts.append(f'<text class="chart-label" {TEXT} x="{label_width}" y="{top + 15}">–</text>')
    parts.append(
        f'<line class="chart-axis" stroke="#888888" x1="{label_width}" y1="{top}" x2="{label_width}" '
        f'y2="{height - top}"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def columns(title: str, series: Sequence[tuple[str, Sequence[Bar]]], *, width: int = 560) -> SafeString:
    """Grouped vertical columns over time (the trend): one group per label, one column per series."""
    height, bottom, left, top = 220, 28, 36, 14
    labels = [bar.label for bar in series[0][1]] if series else []
    groups = max(len(labels), 1)
    per_group = (width - left - 8) / groups
    column = max(per_group / (len(series) + 1), 2)
    largest = max((float(bar.value or 0) for _name, bars in series for bar in bars), default=0) or 1
    plot = height - bottom - top
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        "<desc>"
        + escape(" | ".join(f"{name}: {_description(name, bars)}" for name, bars in series) or title)
        + "</desc>",
        f'<line class="chart-axis" stroke="#888888" x1="{left}" y1="{height - bottom}" x2="{width - 4}" '
        f'y2="{height - bottom}"/>',
        f'<text class="chart-value" {TEXT} x="{left - 4}" y="{top + 8}" text-anchor="end">{_number(largest)}</text>',
        f'<text class="chart-value" {TEXT} x="{left - 4}" y="{height - bottom}" text-anchor="end">0</text>',
    ]
    for group, label in enumerate(labels):
        x0 = left + group * per_group + column / 2
        for index, (_name, bars) in enumerate(series):
            value = float(bars[group].value or 0)
            bar_height = round(plot * value / largest, 1)
            parts.append(
                f'<rect class="{escape(bars[group].css)}" fill="{COLOURS.get(bars[group].css, "#00558c")}" '
                f'x="{round(x0 + index * column, 1)}" '
                f'y="{round(height - bottom - bar_height, 1)}" width="{round(column * 0.9, 1)}" height="{bar_height}"/>'
            )
        parts.append(
            f'<text class="chart-label" {TEXT} x="{round(left + group * per_group + per_group / 2, 1)}" '
            f'y="{height - bottom + 16}" text-anchor="middle">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
