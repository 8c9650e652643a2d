"""Server-rendered SVG charts: geometry computed here, drawn by templates (dashboard/_trend.svg.html,
dashboard/_bars.svg.html). No JavaScript, no inline styles (CSP): colours come from CSS classes."""
from __future__ import annotations

from dataclasses import dataclass

from minqing.core.userdata import DataText

from .selectors import Row

TREND_W, TREND_H, TREND_PAD, TREND_RIGHT = 480, 220, 34, 44
BAR_W, BAR_ROW, BAR_LABEL = 340, 26, 110


@dataclass(frozen=True)
class Column:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int
    url: str


def trend(rows: list[Row], urls: list[str], *, rates=("response_rate", "satisfaction_rate")) -> dict:
    """Monthly volumes as columns (left axis) and rates as lines (right axis, 0-100 %)."""
    n = max(len(rows), 1)
    plot_w, plot_h = TREND_W - TREND_PAD - TREND_RIGHT, TREND_H - 2 * TREND_PAD
    top = max([r.figures["total"] for r in rows] + [1])
    step = plot_w / n
    columns = []
    for i, (row, url) in enumerate(zip(rows, urls)):
        h = plot_h * row.figures["total"] / top
        label = row.label[5:7].lstrip("0") + ("" if n > 6 else "月")  # many months: numbers only, to fit
        columns.append(Column(x=round(TREND_PAD + i * step + step * .15, 1), y=round(TREND_PAD + plot_h - h, 1),
                              width=round(step * .7, 1), height=round(h, 1), label=label,
                              value=row.figures["total"], url=url))
    lines = []
    for index, key in enumerate(rates):
        dots = []
        for i, row in enumerate(rows):
            value = row.figures.rate(key)
            if value is not None:
                dots.append({"x": round(TREND_PAD + i * step + step / 2, 1), "y": round(TREND_PAD + plot_h * (1 - value), 1),
                             "title": f"{row.label[:7]} {value * 100:.1f}%"})
        lines.append({"key": key, "points": " ".join(f"{d['x']},{d['y']}" for d in dots), "dots": dots,
                      "index": index})
    return {"w": TREND_W, "h": TREND_H, "columns": columns, "lines": lines, "top": top,
            "base": TREND_PAD + plot_h, "pad": TREND_PAD, "right": TREND_W - TREND_RIGHT,
            "label_y": TREND_PAD + plot_h + 16, "mid": TREND_PAD + plot_h / 2}


def bars(rows: list[Row], urls: list[str], *, limit: int = 12) -> dict:
    """Horizontal bars of volume, the largest first (at most `limit`)."""
    shown = sorted(zip(rows, urls), key=lambda pair: -pair[0].figures["total"])[:limit]
    top = max([r.figures["total"] for r, _u in shown] + [1])
    items = []
    for i, (row, url) in enumerate(shown):
        width = (BAR_W - BAR_LABEL - 40) * row.figures["total"] / top
        y = i * BAR_ROW
        label = DataText(row.label[:8]) if isinstance(row.label, DataText) else row.label[:8]
        items.append({"label": label, "value": row.figures["total"], "url": url, "y": y + 4,
                      "text_y": y + 18, "width": round(width, 1), "value_x": round(BAR_LABEL + width + 4, 1)})
    return {"w": BAR_W, "h": max(len(items), 1) * BAR_ROW, "items": items, "x": BAR_LABEL}
