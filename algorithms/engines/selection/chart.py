"""Self-made SVG line charts of the simulation's series over the batches (matplotlib is not installed).

Every text is escaped here, so the SVG can be inlined in a page or a PDF.
"""

from __future__ import annotations

from html import escape

from ..svg import COLOURS, chart_open, share_grid

DASHES = ("", "6 3", "2 2", "8 3 2 3", "", "6 3", "2 2")


def line_chart_svg(series: dict[str, list[float]], *, title: str, y_label: str, x_label: str, chart_id: str) -> str:
    """One line per name over batches 1..n; values 0..1 (shares)."""
    width, height = 760, 340
    left, right, top, bottom = 56, 250, 40, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    points = max((len(values) for values in series.values()), default=0)
    span = max(points - 1, 1)
    parts = chart_open(
        width=width, height=height, title=title, chart_id=chart_id, title_x=left + plot_w / 2, title_y=20
    )
    parts += share_grid(left=left, top=top, plot_w=plot_w, plot_h=plot_h)
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
