"""Printable PDFs (mediation agreements, notices, monthly reports) with Chinese text.

ReportLab draws them. It needs a TrueType CJK font: we embed WenQuanYi Zen Hei from Debian's
fonts-wqy-zenhei when present (`make test` installs it; production images should too) and fall back
to ReportLab's built-in Adobe CID font STSong-Light, which needs no file and still yields
extractable text (`pdftotext`), though viewers without an Asian font pack may substitute glyphs.
"""
from __future__ import annotations

import functools
import io
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT_CANDIDATES = [
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
]


@functools.cache
def cjk_font_name() -> str:
    for path in FONT_CANDIDATES:
        if path.exists():
            pdfmetrics.registerFont(TTFont("MinqingCJK", str(path), subfontIndex=0))
            return "MinqingCJK"
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    font = cjk_font_name()
    # wordWrap="CJK" breaks lines between Chinese characters, which have no spaces.
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=18, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=body, fontSize=18, leading=26, alignment=TA_CENTER, spaceAfter=8),
        "subtitle": ParagraphStyle("subtitle", parent=body, alignment=TA_CENTER, textColor=colors.grey),
        "heading": ParagraphStyle("heading", parent=body, fontSize=13, leading=20, spaceBefore=8, spaceAfter=4),
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=9, leading=13),
    }


def paragraph(text: str, style: str = "body") -> Paragraph:
    safe = (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")
    return Paragraph(safe, styles()[style])


def table(rows: list[list], col_widths: list[float] | None = None, header: bool = True) -> Table:
    cells = [[paragraph(str(c), "small") if not hasattr(c, "wrap") else c for c in row] for row in rows]
    t = Table(cells, colWidths=col_widths, repeatRows=1 if header else 0)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f2f4f7")))
    t.setStyle(TableStyle(commands))
    return t


def spacer(height_mm: float = 4) -> Spacer:
    return Spacer(1, height_mm * mm)


def render(flowables: list, *, title: str) -> bytes:
    """Lay the flowables out on A4 and return the PDF's bytes."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=title, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=18 * mm, bottomMargin=18 * mm)
    doc.build(flowables)
    return buffer.getvalue()
