"""Character folding: the form in which two typings of the same words compare equal.

Each character is folded on its own, so a position in the folded text maps back to one
character of the original: whitespace (spaces, ideographic spaces, line breaks) is dropped,
typographic quotes “ ” ‘ ’ become " and ', and everything else goes through NFKC (，→ ,
（→ (  １→ 1  Ａ→ A). Annotation quotes are matched in this form, and a diff calls a change
that vanishes in it normalisation rather than an edit.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_QUOTES = {"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"}  # “ ” ‘ ’ typed as " '


@lru_cache(maxsize=4096)
def fold_char(ch: str) -> str:
    """One character folded ("" for whitespace)."""
    if ch.isspace():
        return ""
    return unicodedata.normalize("NFKC", _QUOTES.get(ch, ch))


def fold(text: str) -> str:
    """`text` with every character folded."""
    return "".join(fold_char(ch) for ch in text)
