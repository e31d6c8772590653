"""Bar charts as server-rendered SVG: no JavaScript, no inline style, a text alternative.

The page always shows the same figures in a table beside the chart; colour only reinforces
the numbers printed on each bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import count

from markupsafe import Markup, escape

# Each bar sits under its label, so the chart stays readable when a phone scales it down.
LABEL_HEIGHT = 20
BAR_HEIGHT = 20
GAP = 10
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + GAP
BAR_WIDTH = 340
WIDTH = BAR_WIDTH + 60
_ids = count(1)


def bar_chart(data: Sequence[tuple[str, float]], *, title: str) -> Markup:
    """Horizontal bars for shares between 0 and 1, each labelled with its percentage."""
    chart_id = f"chart-{next(_ids)}"
    height = len(data) * ROW_HEIGHT
    summary = "; ".join(f"{label}: {round(share * 100)} %" for label, share in data)
    parts = [
        f'<svg class="report-chart" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(summary)}</desc>',
    ]
    for index, (label, share) in enumerate(data):
        y = index * ROW_HEIGHT
        bar = max(0.0, min(share, 1.0)) * BAR_WIDTH
        shade = "#004993" if share >= 0.25 else "#5d8fc2" if share >= 0.1 else "#b5413b"
        short = label if len(label) <= 52 else label[:50] + "…"
        parts += [
            f'<text x="0" y="{y + 15}" font-size="14" fill="#1a1a1a">{escape(short)}</text>',
            f'<rect x="0" y="{y + LABEL_HEIGHT}" width="{bar:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{shade}"/>',
            f'<text x="{bar + 6:.1f}" y="{y + LABEL_HEIGHT + 15}" font-size="14" '
            f'fill="#1a1a1a">{round(share * 100)} %</text>',
        ]
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every text above is escaped)
