"""Self-made SVG line charts of the simulation's series over the batches (matplotlib is not installed).

Every text is escaped here, so the SVG can be inlined in a page or a PDF.
"""

from __future__ import annotations

from html import escape

COLOURS = ("#1f5fa8", "#e07b1a", "#2a9d5b", "#8c4fb0", "#c0392b", "#17becf", "#7f7f7f")
DASHES = ("", "6 3", "2 2", "8 3 2 3", "", "6 3", "2 2")


def line_chart_svg(series: dict[str, list[float]], *, title: str, y_label: str, x_label: str, chart_id: str) -> str:
    """One line per name over batches 1..n; values 0..1 (shares)."""
    width, height = 760, 340
    left, right, top, bottom = 56, 250, 40, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    points = max((len(values) for values in series.values()), default=0)
    span = max(points - 1, 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{escape(chart_id)}-title">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        f'<text x="{left + plot_w / 2:.0f}" y="20" text-anchor="middle" font-family="sans-serif" font-size="14">'
        f"{escape(title)}</text>",
    ]
    for tick in range(0, 11, 2):
        value = tick / 10
        y = top + plot_h * (1 - value)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#dddddd"/>')
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-family="sans-serif" font-size="11">'
            f"{value:.1f}</text>"
        )
    step = max(1, round(points / 10))
    for index in range(0, points, step):
        x = left + plot_w * index / span
        parts.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle" font-family="sans-serif" '
            f'font-size="11">{index + 1}</text>'
        )
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#333333"/>')
    parts.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#333333"/>')
    parts.append(
        f'<text x="{left + plot_w / 2:.0f}" y="{height - 8}" text-anchor="middle" font-family="sans-serif" '
        f'font-size="12">{escape(x_label)}</text>'
    )
    parts.append(
        f'<text x="16" y="{top + plot_h / 2:.0f}" transform="rotate(-90 16 {top + plot_h / 2:.0f})" '
        f'text-anchor="middle" font-family="sans-serif" font-size="12">{escape(y_label)}</text>'
    )
    for m, (name, values) in enumerate(series.items()):
        colour, dash = COLOURS[m % len(COLOURS)], DASHES[m % len(DASHES)]
        coordinates = " ".join(
            f"{left + plot_w * i / span:.1f},{top + plot_h * (1 - max(0.0, min(1.0, float(v)))):.1f}"
            for i, v in enumerate(values)
        )
        dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<polyline points="{coordinates}" fill="none" stroke="{colour}" stroke-width="2"{dash_attribute}>'
            f"<title>{escape(name)}</title></polyline>"
        )
        y = top + 10 + m * 20
        parts.append(
            f'<line x1="{left + plot_w + 14}" y1="{y - 3}" x2="{left + plot_w + 34}" y2="{y - 3}" stroke="{colour}" '
            f'stroke-width="2"{dash_attribute}/>'
        )
        last = f" {float(values[-1]):.3f}" if values else ""
        parts.append(
            f'<text x="{left + plot_w + 40}" y="{y + 1}" font-family="sans-serif" font-size="11">'
            f"{escape(name)}{last}</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
