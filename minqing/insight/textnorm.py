"""Turning a resident's message into comparable text, the same way at training and prediction time.

Characters, not words: a word segmenter (jieba) runs at about 1,300 messages a second on this machine,
below the 2,000/s target, and character uni- and bigrams scored as well as jieba words in 5-fold CV
(docs/insight.md). Pure Python, no model files, the same at training and prediction time.
"""
from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+")
_DIGITS = re.compile(r"\d+")
# Long digit runs are phone numbers, ID numbers or house numbers: they identify a person, not a topic.
_LONG_DIGITS = re.compile(r"\d{5,}")


def normalise(text: str) -> str:
    """NFKC (full-width → half-width), lower case, punctuation → one space, every number → '0'."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = _NON_WORD.sub(" ", text).strip()
    return _DIGITS.sub("0", text)


def from_segmented(segmented: str) -> str:
    """Approximate the raw text of a row that only kept its jieba tokens (the tokens, joined)."""
    return "".join(segmented.split())


def mask_long_numbers(text: str) -> str:
    """Blank phone and ID numbers before a text is shown or logged."""
    return _LONG_DIGITS.sub("＊＊＊", text or "")
