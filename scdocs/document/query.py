"""What a text query asks for: the terms that `search` and `excerpt --query` both require."""

from __future__ import annotations

import re

#: A phrase in double quotes ("credit reporting", “个人信息处理者”: the spaces belong to it), else a word.
_TERM = re.compile(r'"([^"]*)"|“([^”]*)”|(\S+)')


def search_terms(query: str) -> list[str]:
    """The terms a query asks for, all required: words separated by spaces (个人 信息) and phrases in
    double quotes, straight or Chinese ("credit reporting" 同意, “个人信息处理者” 同意). A quote left open
    is no part of a word: "个人信息 asks for 个人信息."""
    terms = []
    for m in _TERM.finditer(query):
        phrase = m.group(1) if m.group(1) is not None else m.group(2)
        term = phrase.strip() if phrase is not None else m.group(3).strip('"“”')
        if term:
            terms.append(term)
    return terms
