"""Bar charts as server-rendered SVG: no JavaScript, no inline style, a text alternative.

The page always shows the same figures in a table beside the chart; colour only reinforces
the numbers printed on each bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import count

from markupsafe import Markup, escape

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 260
BAR_WIDTH = 360
_ids = count(1)


def bar_chart(data: Sequence[tuple[str, float]], *, title: str) -> Markup:
    """Horizontal bars for shares between 0 and 1, each labelled with its percentage."""
    chart_id = f"chart-{next(_ids)}"
    height = len(data) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + 60
    summary = "; ".join(f"{label}: {round(share * 100)} %" for label, share in data)
    parts = [
        f'<svg class="report-chart" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(summary)}</desc>',
    ]
    for index, (label, share) in enumerate(data):
        y = GAP + index * (BAR_HEIGHT + GAP)
        bar = max(0.0, min(share, 1.0)) * BAR_WIDTH
        shade = "#004993" if share >= 0.25 else "#5d8fc2" if share >= 0.1 else "#b5413b"
        short = label if len(label) <= 38 else label[:36] + "…"
        parts += [
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end" font-size="13" '
            f'fill="#1a1a1a">{escape(short)}</text>',
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{bar:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{shade}"/>',
            f'<text x="{LABEL_WIDTH + bar + 6:.1f}" y="{y + 16}" font-size="13" '
            f'fill="#1a1a1a">{round(share * 100)} %</text>',
        ]
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every text above is escaped)
