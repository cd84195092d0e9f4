"""What a text query asks for: the terms that `search` and `excerpt --query` both require."""

from __future__ import annotations


def search_terms(query: str) -> list[str]:
    """The terms a query asks for, all required: words separated by spaces (个人 信息), or one phrase
    in double quotes ("credit reporting") where the spaces belong to it."""
    query = query.strip()
    if len(query) >= 2 and query[0] == query[-1] == '"':
        return [query[1:-1].strip()] if query[1:-1].strip() else []
    return query.split()
