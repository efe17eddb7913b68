"""What the portal's self-made SVG charts share (matplotlib is not installed): the palette, the opening of a chart
with its accessible title, and the grid of a 0..1 axis. Every text is escaped, so a chart can be inlined in a page
or a PDF."""

from __future__ import annotations

from html import escape

COLOURS = ("#1f5fa8", "#e07b1a", "#2a9d5b", "#8c4fb0", "#c0392b", "#17becf", "#7f7f7f")


def chart_open(*, width: int, height: int, title: str, chart_id: str, title_x: float, title_y: int) -> list[str]:
    """The first elements of a chart: the svg element, its title (read by screen readers), a white ground, the
    title shown."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{escape(chart_id)}-title">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        f'<text x="{title_x:.0f}" y="{title_y}" text-anchor="middle" font-family="sans-serif" font-size="14">'
        f"{escape(title)}</text>",
    ]


def share_grid(*, left: float, top: float, plot_w: float, plot_h: float) -> list[str]:
    """Horizontal grid lines and labels of a 0..1 vertical axis, every 0.2."""
    parts = []
    for tick in range(0, 11, 2):
        value = tick / 10
        y = top + plot_h * (1 - value)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#dddddd"/>')
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-family="sans-serif" font-size="11">'
            f"{value:.1f}</text>"
        )
    return parts
