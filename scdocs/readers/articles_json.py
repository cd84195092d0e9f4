"""JSON article lists (``provisions[]`` with ``provision_ref``, ``chapter`` and ``content``).

Some databases publish a regulation as a list of provisions rather than a text. The reader
rebuilds the text a reader of the official print would see: a 第N条 line per provision, its
paragraphs on their own lines, and a chapter heading wherever the ``chapter`` field changes.
"""

from __future__ import annotations

import json
from typing import Any

from scdocs.document.model import Metadata
from scdocs.document.numerals import int_to_chinese
from scdocs.errors import InputError
from scdocs.readers.common import Extracted, canonical

KIND_NAMES = {"administrative_regulation": "administrative-regulation", "law": "law",
              "local_regulation": "local-regulation", "judicial_interpretation": "judicial-interpretation"}


def is_article_list(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("provisions"), list)


def load_json(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(source, f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise InputError(source, "JSON nested too deeply") from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise InputError(source, f"malformed JSON: {exc}") from None


def read_articles_json(text: str, source: str, data: Any = None) -> Extracted:
    data = load_json(text, source) if data is None else data
    if not is_article_list(data):
        raise InputError(source, "JSON is not an article list (expected an object with provisions[])")
    provisions = data["provisions"]
    if not provisions:
        raise InputError(source, "article list has no provisions")
    title = str(data.get("title") or "").strip()
    lines: list[str] = [title] if title else []
    chapter = ""
    for i, prov in enumerate(provisions, start=1):
        if not isinstance(prov, dict) or not isinstance(prov.get("content"), str):
            raise InputError(source, f"provision {i} has no text content")
        ch = str(prov.get("chapter") or "").strip()
        if ch and ch != chapter:
            lines.append(ch)
        chapter = ch
        ref = str(prov.get("provision_ref") or i).strip()
        if ref.isdecimal() and ref.isascii():
            num = f"第{int_to_chinese(int(ref))}条"
        else:
            num = ref if ref.startswith("第") else f"第{ref}条"
        paragraphs = canonical([prov["content"]]).split("\n")
        heading = str(prov.get("title") or "").strip()
        first = f"{num}　【{heading}】{paragraphs[0]}" if heading else f"{num}　{paragraphs[0]}"
        lines.extend([first, *paragraphs[1:]])
    body = canonical(lines)
    extra = {k: str(data[k]) for k in ("id", "status", "url", "in_force_date", "category_name")
             if data.get(k)}
    meta = Metadata(
        title=title,
        issuer=str(data.get("issuing_body") or ""),
        date=str(data.get("issued_date") or ""),
        language=str(provisions[0].get("language") or "zh"),
        kind=KIND_NAMES.get(str(data.get("type") or ""), str(data.get("type") or "")),
        source=source,
        extra=extra,
    )
    return Extracted(body, meta, body_start=len(title) + 1 if title else 0)
