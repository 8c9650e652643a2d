"""Server-rendered SVG charts (no JavaScript, no CDN): horizontal bars that read well on a phone."""
from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ROW_HEIGHT = 26
LABEL_WIDTH = 104
BAR_WIDTH = 150


def bar_chart(rows: list[tuple[str, float]], *, title: str, unit: str = "", percent: bool = False) -> SafeString:
    """One bar per (label, value). `percent` values are 0–1 and print as %; bars then scale to 100%."""
    top = 1.0 if percent else max([value for _label, value in rows] + [1])
    height = ROW_HEIGHT * max(len(rows), 1) + 8
    width = LABEL_WIDTH + BAR_WIDTH + 46
    parts = [f'<svg class="bar-chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for index, (label, value) in enumerate(rows):
        y = 4 + index * ROW_HEIGHT
        length = 0 if top == 0 else round(BAR_WIDTH * value / top, 1)
        shown = f"{value * 100:.0f}%" if percent else f"{value:g}{unit}"
        parts.append(
            f'<text class="bar-label" x="{LABEL_WIDTH - 6}" y="{y + 16}" text-anchor="end">{escape(label)}</text>'
            f'<rect class="bar" x="{LABEL_WIDTH}" y="{y + 3}" width="{length}" height="{ROW_HEIGHT - 8}" rx="3"/>'
            f'<text class="bar-value" x="{LABEL_WIDTH + length + 5}" y="{y + 16}">{escape(shown)}</text>')
    if not rows:
        parts.append(f'<text class="bar-label" x="8" y="20">—</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text piece above is escaped
