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
from reportlab.platypus import paragraph as rl_paragraph

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


# Punctuation that must not start a line (kinsoku) and openers that must not end one. ReportLab's own
# list lacks the full-width forms Chinese uses, so "：" could start a line.
CANNOT_START = set("：；，。、！？）」』】》〉”’…—～·%‰") | set(":;,.!?)]}%")
CANNOT_END = set("（「『【《〈“‘") | set("([{")


def _is_word_char(ch: str) -> bool:
    """Letters, digits and the joiners of codes and dates (261117HUE9V, 2026-11-17, 10:30, 3/4)."""
    return ord(ch) < 0x3000 and not ch.isspace() and ch not in "([{"


def _token_starts(text: str) -> list[bool]:
    """For each glyph: may a line break before it? Not inside a run of word characters (a receipt code,
    a date, an English word), not before closing punctuation, not after an opening bracket."""
    starts = []
    for i, ch in enumerate(text):
        prev = text[i - 1] if i else ""
        inside_word = i and _is_word_char(ch) and _is_word_char(prev)
        starts.append(not (inside_word or ch in CANNOT_START or prev in CANNOT_END))
    return starts


def _break_points(text: str, widths: list[float], max_widths: list[float],
                  hard: set[int] = frozenset()) -> list[int]:
    """Where each line ends (exclusive indices), filling lines up to their width and breaking only where
    `_token_starts` allows; `hard` are forced breaks (after that glyph). A token wider than the whole
    line is still cut (nothing else fits)."""
    breakable = _token_starts(text)
    ends, start, used, i = [], 0, 0.0, 0
    while i < len(text):
        max_width = max_widths[min(len(ends), len(max_widths) - 1)]
        if i in hard:
            ends.append(i + 1)
            start, used, i = i + 1, 0.0, i + 1
            continue
        if used + widths[i] > max_width + 1e-8 and i > start:
            back = next((j for j in range(i, start, -1) if breakable[j]), i)
            ends.append(back)
            start, used, i = back, 0.0, back
            continue
        used += widths[i]
        i += 1
    if start < len(text) or not ends:
        ends.append(len(text))
    return ends


def _word_split(word, maxWidths, fontName, fontSize, encoding="utf8"):
    """ReportLab's line breaking of a one-style CJK paragraph (most table cells), by our rules."""
    text = word.decode(encoding) if isinstance(word, bytes) else word
    widths = [pdfmetrics.stringWidth(ch, fontName, fontSize) for ch in text]
    max_widths = maxWidths if isinstance(maxWidths, (list, tuple)) else [maxWidths]
    lines, start = [], 0
    for n, end in enumerate(_break_points(text, widths, list(max_widths))):
        max_width = max_widths[min(n, len(max_widths) - 1)]
        lines.append([max_width - sum(widths[start:end]), text[start:end]])
        start = end
    return lines


def _cjk_frag_split(frags, maxWidths, calcBounds, encoding="utf8"):
    """ReportLab's CJK line breaking of a paragraph with several styles, by our rules."""
    glyphs = []
    for f in frags:
        text = f.text.decode(encoding) if isinstance(f.text, bytes) else f.text
        glyphs.extend([rl_paragraph.cjkU(t, f, encoding) for t in text] if text else
                      [rl_paragraph.cjkU(text, f, encoding)])
    widths = [_glyph_width(g, maxWidths[0]) for g in glyphs]
    hard = {i for i, g in enumerate(glyphs) if hasattr(g.frag, "lineBreak")}
    text = "".join(str(g) or "\x00" for g in glyphs)
    lines, start = [], 0
    for n, end in enumerate(_break_points(text, widths, list(maxWidths), hard)):
        max_width = maxWidths[min(n, len(maxWidths) - 1)]
        used = sum(widths[start:end])
        lines.append(rl_paragraph.makeCJKParaLine(glyphs[start:end], max_width, used, max_width - used,
                                                  (end - 1) in hard, calcBounds))
        start = end
    return rl_paragraph.ParaLines(kind=1, lines=lines)


def _glyph_width(glyph, max_width) -> float:
    width = glyph.width
    if hasattr(width, "normalizedValue"):
        width._normalizer = max_width
        width = width.normalizedValue(max_width)
    return width


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    # Every CJK-wrapped paragraph (body text and table cells) breaks by our rules, set once, here.
    rl_paragraph.cjkFragSplit = _cjk_frag_split
    rl_paragraph.wordSplit = _word_split
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
