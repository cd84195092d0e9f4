"""Characters XML 1.0 cannot hold (control characters, lone surrogates, U+FFFE/U+FFFF).

Akoma Ntoso and Word files are XML: text bound for them must be checked for these first.
"""

from __future__ import annotations

import re

ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str, replacement: str = "\ufffd") -> str:
    """`text` with every character XML cannot hold replaced."""
    return ILLEGAL.sub(replacement, text)
