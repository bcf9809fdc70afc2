"""Small server-rendered SVG line charts (no JavaScript, no CDN), with a text alternative."""

from __future__ import annotations

from markupsafe import Markup, escape

from api.formatting import number


def line_chart(title: str, labels: list[str], values: list[float | None], maximum: float,
               unit: str = "", width: int = 520, height: int = 180, css_class: str = "") -> Markup:
    """An accessible SVG line chart; missing values are skipped."""
    pad_left, pad_bottom, pad_top = 40, 24, 12
    plot_w, plot_h = width - pad_left - 10, height - pad_bottom - pad_top
    count = max(1, len(values) - 1)
    points = []
    for index, value in enumerate(values):
        if value is None:
            continue
        x = pad_left + plot_w * index / count if len(values) > 1 else pad_left + plot_w / 2
        y = pad_top + plot_h * (1 - min(value, maximum) / maximum) if maximum else pad_top + plot_h
        points.append((x, y, value, labels[index]))
    description = "; ".join(f"{label} : {number(value)}{unit}" for _, _, value, label in points) or "aucune donnée"
    parts = [
        f'<svg class="chart {escape(css_class)}" role="img" viewBox="0 0 {width} {height}" '
        f'aria-label="{escape(title)} : '
        f'{escape(description)}">',
        f'<line x1="{pad_left}" y1="{pad_top + plot_h}" x2="{width - 10}" y2="{pad_top + plot_h}" class="axis"/>',
        f'<line x1="{pad_left}" y1="{pad_top}" x2="{pad_left}" y2="{pad_top + plot_h}" class="axis"/>',
        f'<text x="4" y="{pad_top + 10}" class="tick">{escape(number(maximum))}{escape(unit)}</text>',
        f'<text x="4" y="{pad_top + plot_h}" class="tick">0</text>',
    ]
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
        parts.append(f'<polyline points="{path}" class="series"/>')
    for x, y, value, label in points:
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" class="dot"><title>{escape(label)} : '
                     f'{escape(number(value))}{escape(unit)}</title></circle>')
    parts.append("</svg>")
    return Markup("".join(parts))
