"""Server-rendered SVG charts: no JavaScript, no CDN, readable on a phone and on paper.

Each function returns SVG markup (already escaped and marked safe) that scales to its container.
"""
from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

from minqing.core.userdata import DataText

PALETTE = ["#b3261e", "#1570ef", "#1a7f37", "#b54708", "#6941c6", "#667085"]


def _fmt(value: float, unit: str) -> str:
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:.1f}"
    else:
        text = f"{int(value)}"
    return f"{text}{unit}"


def _data_mark(label) -> str:
    """A label that is data (a place's or a programme's name: core.userdata.DataText) is marked as such."""
    return " data-user-content" if isinstance(label, DataText) else ""


def bar_chart(items: Sequence[tuple[str, float]], *, unit: str = "", max_value: float | None = None,
              title: str = "") -> SafeString:
    """Horizontal bars, one row per (label, value): labels stay readable on a 375-px screen."""
    row, label_w, width, bar_w = 28, 120, 360, 180
    height = max(row * len(items), row) + 8
    top = max_value or max([v for _l, v in items] + [0]) or 1
    parts = [f'<svg class="chart-bars" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"{_data_mark(title)}>']
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    for index, (label, value) in enumerate(items):
        y = 4 + index * row
        w = 0 if not value else max(1, round(bar_w * min(value, top) / top))
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 17}" text-anchor="end" font-size="12"{_data_mark(label)}>'
            f'{escape(str(label)[:12])}</text>'
            f'<rect x="{label_w}" y="{y + 5}" width="{w}" height="16" rx="3" fill="{PALETTE[0]}"></rect>'
            f'<text x="{label_w + w + 6}" y="{y + 17}" font-size="12">{escape(_fmt(value, unit))}</text>'
        )
    if not items:
        parts.append('<text x="10" y="20" font-size="12">—</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def column_chart(items: Sequence[tuple[str, float]], *, unit: str = "", title: str = "") -> SafeString:
    """Vertical columns over time (e.g. twelve months)."""
    width, height, base, left = 360, 170, 140, 8
    count = max(len(items), 1)
    slot = (width - left * 2) / count
    top = max([v for _l, v in items] + [0]) or 1
    parts = [f'<svg class="chart-columns" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">']
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    parts.append(f'<line x1="{left}" y1="{base}" x2="{width - left}" y2="{base}" stroke="#d0d5dd"></line>')
    for index, (label, value) in enumerate(items):
        h = 0 if not value else max(1, round(110 * value / top))
        x = left + index * slot
        parts.append(
            f'<rect x="{x + slot * 0.15:.1f}" y="{base - h}" width="{slot * 0.7:.1f}" height="{h}" '
            f'fill="{PALETTE[1]}"></rect>'
            f'<text x="{x + slot / 2:.1f}" y="{base - h - 4}" text-anchor="middle" font-size="10">'
            f'{escape(_fmt(value, unit))}</text>'
            f'<text x="{x + slot / 2:.1f}" y="{base + 14}" text-anchor="middle" font-size="10">'
            f'{escape(str(label)[:6])}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def share_ring(share: float | None, *, title: str = "") -> SafeString:
    """A ring showing one share 0–1 with the percentage in the middle ('—' when undefined)."""
    circumference = 2 * 3.14159 * 40
    filled = 0 if share is None else circumference * max(0.0, min(1.0, share))
    text = "—" if share is None else f"{share * 100:.0f}%"
    return mark_safe(
        f'<svg class="chart-ring" viewBox="0 0 100 100" role="img" aria-label="{escape(title)} {text}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        f'<circle cx="50" cy="50" r="40" fill="none" stroke="#e4e7ec" stroke-width="12"></circle>'
        f'<circle cx="50" cy="50" r="40" fill="none" stroke="{PALETTE[2]}" stroke-width="12" '
        f'stroke-dasharray="{filled:.1f} {circumference:.1f}" transform="rotate(-90 50 50)"></circle>'
        f'<text x="50" y="56" text-anchor="middle" font-size="18">{text}</text></svg>'
    )
