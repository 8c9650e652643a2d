"""Pinyin initials of a name, for search: 张三丰 → zsf, so a worker types "zsf" on a phone keyboard."""
from pypinyin import Style, lazy_pinyin


def name_initials(name: str) -> str:
    letters = lazy_pinyin(name or "", style=Style.FIRST_LETTER, errors=lambda chars: [c for c in chars])
    return "".join(letters).lower().replace(" ", "")[:50]


def looks_like_initials(text: str) -> bool:
    return text.isascii() and text.isalpha() and len(text) <= 10
