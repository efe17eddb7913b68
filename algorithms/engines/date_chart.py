"""A small self-made SVG chart: precision at each inspection rate, one bar per model (matplotlib is not installed)."""

from __future__ import annotations

from html import escape
from pathlib import Path

from .svg import COLOURS, chart_open, share_grid


def precision_chart_svg(models: dict[str, dict], rates: tuple[int, ...], title: str) -> str:
    """``models``: name -> metrics dict with ``precision@<rate>`` keys (values 0..1)."""
    width, height = 760, 360
    left, right, top, bottom = 56, 240, 48, 48
    plot_w, plot_h = width - left - right, height - top - bottom
    names = list(models)
    group_w = plot_w / max(len(rates), 1)
    bar_w = group_w * 0.8 / max(len(names), 1)
    parts = chart_open(width=width, height=height, title=title, chart_id="chart", title_x=width / 2, title_y=22)
    parts += share_grid(left=left, top=top, plot_w=plot_w, plot_h=plot_h)
    for g, rate in enumerate(rates):
        x0 = left + g * group_w + group_w * 0.1
        for m, name in enumerate(names):
            value = float(models[name].get(f"precision@{rate}", 0.0))
            bar_h = plot_h * max(0.0, min(1.0, value))
            x = x0 + m * bar_w
            parts.append(
                f'<rect x="{x:.1f}" y="{top + plot_h - bar_h:.1f}" width="{bar_w * 0.92:.1f}" '
                f'height="{bar_h:.1f}" fill="{COLOURS[m % len(COLOURS)]}">'
                f"<title>{escape(name)} precision@{rate}%: {value:.3f}</title></rect>"
            )
            parts.append(
                f'<text x="{x + bar_w * 0.46:.1f}" y="{top + plot_h - bar_h - 4:.1f}" text-anchor="middle" '
                f'font-family="sans-serif" font-size="9">{value:.3f}</text>'
            )
        parts.append(
            f'<text x="{left + g * group_w + group_w / 2:.1f}" y="{top + plot_h + 18}" text-anchor="middle" '
            f'font-family="sans-serif" font-size="12">{rate}% inspected</text>'
        )
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#333333"/>')
    parts.append(
        f'<text x="16" y="{top + plot_h / 2:.0f}" transform="rotate(-90 16 {top + plot_h / 2:.0f})" '
        'text-anchor="middle" font-family="sans-serif" font-size="12">precision</text>'
    )
    for m, name in enumerate(names):
        y = top + 10 + m * 20
        parts.append(
            f'<rect x="{left + plot_w + 16}" y="{y - 9}" width="12" height="12" fill="{COLOURS[m % len(COLOURS)]}"/>'
        )
        parts.append(
            f'<text x="{left + plot_w + 34}" y="{y + 1}" font-family="sans-serif" font-size="12">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def write_precision_chart(path: Path, models: dict[str, dict], rates: tuple[int, ...], title: str) -> Path:
    path.write_text(precision_chart_svg(models, rates, title), encoding="utf-8")
    return path


DASHES = ("", "6 3", "2 2", "8 3 2 3", "", "6 3", "2 2")


def rate_curves_svg(
    series: dict[str, list[float]],
    rates: list[float],
    *,
    title: str,
    y_label: str,
    x_label: str,
    chart_id: str,
    marked_rate: float | None = None,
) -> str:
    """One line per name over the inspection ``rates`` (percent, placed to scale); values 0..1 (shares). A dot on
    every measured rate, its figure in the dot's tooltip; ``marked_rate`` draws a dashed vertical line."""
    width, plot_h = 520, 220
    left, right, top = 56, 16, 40
    legend_top = top + plot_h + 56
    height = legend_top + 18 * len(series)
    plot_w = width - left - right
    high = max([float(rate) for rate in rates] or [1.0])
    parts = chart_open(width=width, height=height, title=title, chart_id=chart_id, title_x=width / 2, title_y=20)
    parts += share_grid(left=left, top=top, plot_w=plot_w, plot_h=plot_h)

    def x_of(rate: float) -> float:
        return left + plot_w * float(rate) / high

    for rate in rates:
        parts.append(
            f'<text x="{x_of(rate):.1f}" y="{top + plot_h + 16}" text-anchor="middle" font-family="sans-serif" '
            f'font-size="10">{rate:g}</text>'
        )
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#333333"/>')
    parts.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#333333"/>')
    if marked_rate is not None and 0 < float(marked_rate) <= high:
        x = x_of(marked_rate)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_h}" stroke="#555555" stroke-dasharray="4 3"/>'
        )
    parts.append(
        f'<text x="{left + plot_w / 2:.0f}" y="{top + plot_h + 34}" text-anchor="middle" font-family="sans-serif" '
        f'font-size="12">{escape(x_label)}</text>'
    )
    parts.append(
        f'<text x="16" y="{top + plot_h / 2:.0f}" transform="rotate(-90 16 {top + plot_h / 2:.0f})" '
        f'text-anchor="middle" font-family="sans-serif" font-size="12">{escape(y_label)}</text>'
    )
    for m, (name, values) in enumerate(series.items()):
        colour, dash = COLOURS[m % len(COLOURS)], DASHES[m % len(DASHES)]
        points = [
            (x_of(rate), top + plot_h * (1 - max(0.0, min(1.0, float(value)))), rate, float(value))
            for rate, value in zip(rates, values, strict=False)
            if value is not None
        ]
        dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
        coordinates = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
        parts.append(
            f'<polyline points="{coordinates}" fill="none" stroke="{colour}" stroke-width="2"{dash_attribute}>'
            f"<title>{escape(name)}</title></polyline>"
        )
        for x, y, rate, value in points:
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}">'
                f"<title>{escape(name)}, {rate:g} %: {value:.3f}</title></circle>"
            )
        y = legend_top + 18 * m
        parts.append(
            f'<line x1="{left}" y1="{y - 4}" x2="{left + 24}" y2="{y - 4}" stroke="{colour}" '
            f'stroke-width="2"{dash_attribute}/>'
        )
        parts.append(f'<text x="{left + 30}" y="{y}" font-family="sans-serif" font-size="11">{escape(name)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
