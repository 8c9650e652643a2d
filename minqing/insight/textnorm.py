"""Turning a resident's message into comparable text: normalisation and character n-grams.

Characters, not words: a word segmenter (jieba) runs at about 1,300 messages a second on this machine,
below the 2,000/s target, and character uni- and bigrams scored as well as jieba words in 5-fold CV
(docs/insight.md). Pure Python, no model files, the same at training and prediction time.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

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


def char_ngrams(text: str, max_n: int = 2, prefix: str = "") -> Counter:
    """Counts of character n-grams (1..max_n) within each space-free run of a normalised text."""
    counts: Counter = Counter()
    for run in text.split():
        counts.update(prefix + ch for ch in run)
        for n in range(2, max_n + 1):
            counts.update(prefix + run[i:i + n] for i in range(len(run) - n + 1))
    return counts
