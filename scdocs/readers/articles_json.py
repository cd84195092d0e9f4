"""JSON article lists (``provisions[]`` with ``provision_ref``, ``chapter`` and ``content``).

Some databases publish a regulation as a list of provisions rather than a text. The reader
rebuilds the text a reader of the official print would see: a 第N条 line per provision, its
paragraphs on their own lines, and a chapter heading wherever the ``chapter`` field changes.

Parsing is strict because a lenient reader turned bad values into plausible text: a title
``{"zh": …}`` printed as a Python dict, ``provision_ref: -5`` became 第-5条 and was folded into
the previous article, ``NaN`` became 第nan条. Every field read is type-checked and a wrong one is
named by its JSON path (``provisions[3].provision_ref``, counted from 0) in a one-line error.
"""

from __future__ import annotations

import datetime
import json
import sys
from typing import Any

from scdocs.document.model import Metadata
from scdocs.document.numerals import int_to_chinese
from scdocs.errors import InputError
from scdocs.readers.common import ADDED, LEFT_OUT, SKIPPED, Extracted, canonical

KIND_NAMES = {"administrative_regulation": "administrative-regulation", "law": "law",
              "local_regulation": "local-regulation", "judicial_interpretation": "judicial-interpretation"}
MAX_REF = 99_999  # the longest code (the Civil Code) has 1,260 articles
#: Optional string fields of the list, kept as metadata.
TEXT_FIELDS = ("title", "issuing_body", "type", "id", "status", "url", "category_name")
DATE_FIELDS = ("issued_date", "in_force_date")
EXTRA_FIELDS = ("id", "status", "url", "in_force_date", "category_name")
#: Fields the reader knows and does not need (codes, translations, the database's own cross-links):
#: text in them is noted as skipped. Text in any other field it does not read is warned about.
IGNORED_FIELDS = frozenset({"title_en", "short_name", "category_code", "definitions", "eu_references"})
#: `section` is the database's running number of the provision, which provision_ref already gives.
READ_PROVISION_FIELDS = frozenset({"provision_ref", "content", "chapter", "title", "language", "section"})


def _chars(value: Any) -> int:
    """Characters of text in a JSON value, however nested."""
    if isinstance(value, str):
        return len(value.strip())
    if isinstance(value, dict):
        return sum(_chars(v) for v in value.values())
    if isinstance(value, list):
        return sum(_chars(v) for v in value)
    return 0


def _unread(data: dict[str, Any], provisions: list[Any]) -> list[str]:
    """What the reader leaves out: a warning naming every field with text it does not read."""
    left: dict[str, int] = {}
    skipped: dict[str, int] = {}
    for key, value in data.items():
        if key not in TEXT_FIELDS and key not in DATE_FIELDS and key != "provisions" and _chars(value):
            (skipped if key in IGNORED_FIELDS else left)[key] = _chars(value)
    for prov in provisions:
        for key, value in prov.items():
            if key not in READ_PROVISION_FIELDS and _chars(value):
                left[f"provisions[].{key}"] = left.get(f"provisions[].{key}", 0) + _chars(value)
    notes = []
    if left:
        notes.append(f"{LEFT_OUT} {sum(left.values()):,} characters in fields this reader does not read: "
                     + ", ".join(f"{k} ({n:,})" for k, n in left.items()))
    if skipped:
        notes.append(f"{SKIPPED} {sum(skipped.values()):,} characters of database fields: "
                     + ", ".join(f"{k} ({n:,})" for k, n in skipped.items()))
    return notes


class _NotJson(ValueError):
    """A value the JSON standard does not allow (NaN, Infinity, a key given twice)."""


def _no_constant(name: str) -> Any:
    raise _NotJson(f"{name} is not a JSON value")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object; a key given twice is refused, since the first value would vanish unseen."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _NotJson(f"key {json.dumps(key, ensure_ascii=False)[:60]} appears twice in one object")
        out[key] = value
    return out


def load_json(text: str, source: str) -> Any:
    """Strict JSON: NaN, Infinity and repeated keys are refused, every error is one line."""
    try:
        return json.loads(text, parse_constant=_no_constant, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise InputError(source, f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise InputError(source, "JSON nested too deeply") from None
    except _NotJson as exc:
        raise InputError(source, f"malformed JSON: {exc}") from None
    except ValueError:  # int() of a number with more digits than Python converts
        raise InputError(source, f"malformed JSON: a number with more than {sys.get_int_max_str_digits():,} "
                                 "digits") from None


def is_article_list(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("provisions"), list)


def _shown(value: Any) -> str:
    """A value as the user wrote it in JSON (not as Python prints it), cut short."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    shown = json.dumps(value, ensure_ascii=False)
    return shown if len(shown) <= 40 else shown[:37] + "…"


def _string(obj: dict[str, Any], key: str, path: str, source: str) -> str:
    """An optional string field: absent or null is ""; anything but a string is an error."""
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(source, f"{path}{key}: expected a string, got {_shown(value)}")
    return value.strip()


def _date(obj: dict[str, Any], key: str, source: str) -> str:
    value = _string(obj, key, "", source)
    if value:
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            raise InputError(source, f"{key}: expected a date YYYY-MM-DD, got {_shown(value)}") from None
        if len(value) != 10:
            raise InputError(source, f"{key}: expected a date YYYY-MM-DD, got {_shown(value)}")
    return value


def _number(prov: dict[str, Any], position: int, path: str, source: str) -> str:
    """The printed number of a provision: 第N条 from a positive whole number (5 or "5"), a
    printed number as given ("第五条之一"), or the provision's place when there is none."""
    ref = prov.get("provision_ref")
    if ref is None:
        return f"第{int_to_chinese(position)}条"
    problem = f"{path}provision_ref: expected a positive whole number"
    if isinstance(ref, str):
        ref = ref.strip()
        if ref.startswith("第") and len(ref) > 1:
            return ref
        if not (ref.isascii() and ref.isdecimal()):
            raise InputError(source, f"{problem} (5 or \"5\") or a printed number beginning with 第, "
                                     f"got {_shown(ref)}")
        value = int(ref)
    elif isinstance(ref, int) and not isinstance(ref, bool):
        value = ref
    else:
        raise InputError(source, f"{problem}, got {_shown(ref)}")
    if not 1 <= value <= MAX_REF:
        raise InputError(source, f"{problem} from 1 to {MAX_REF:,}, got {_shown(prov['provision_ref'])}")
    return f"第{int_to_chinese(value)}条"


def read_articles_json(text: str, source: str, data: Any = None) -> Extracted:
    data = load_json(text, source) if data is None else data
    if not is_article_list(data):
        raise InputError(source, "JSON is not an article list (expected an object with provisions[])")
    provisions = data["provisions"]
    if not provisions:
        raise InputError(source, "article list has no provisions")
    fields = {key: _string(data, key, "", source) for key in TEXT_FIELDS}
    fields.update({key: _date(data, key, source) for key in DATE_FIELDS})
    title = fields["title"]
    lines: list[str] = [title] if title else []
    chapter = ""
    language = ""
    placed = 0  # provisions numbered by their place in the list: a number the source does not print
    for i, prov in enumerate(provisions):
        path = f"provisions[{i}]."
        if not isinstance(prov, dict):
            raise InputError(source, f"provisions[{i}]: expected an object, got {_shown(prov)}")
        content = prov.get("content")
        if content is None:
            raise InputError(source, f"{path}content: missing (every provision needs its text)")
        if not isinstance(content, str):
            raise InputError(source, f"{path}content: expected a string, got {_shown(content)}")
        num = _number(prov, i + 1, path, source)
        ch = _string(prov, "chapter", path, source)
        heading = _string(prov, "title", path, source)
        language = language or _string(prov, "language", path, source)
        if ch and ch != chapter:
            lines.append(ch)
        chapter = ch
        paragraphs = canonical([content]).split("\n")
        own = paragraphs[0].startswith(num) and paragraphs[0][len(num):len(num) + 1] in ("", " ", "　")
        placed += prov.get("provision_ref") is None and not own
        opening = paragraphs[0][len(num):].lstrip(" 　") if own else paragraphs[0]  # 第四条　… printed in its text
        first = f"{num}　【{heading}】{opening}" if heading else f"{num}　{opening}"
        lines.extend([first, *paragraphs[1:]])
    body = canonical(lines)
    meta = Metadata(
        title=title,
        issuer=fields["issuing_body"],
        date=fields["issued_date"],
        language=language or "zh",
        kind=KIND_NAMES.get(fields["type"], fields["type"]),
        source=source,
        # the list's own record id is no corpus id (extra "id" names the catalogue entry, the annotation
        # store's file and the CSV's document column): kept as record_id
        extra={("record_id" if key == "id" else key): fields[key] for key in EXTRA_FIELDS if fields[key]},
    )
    warnings = _unread(data, provisions)
    if placed:
        warnings.append(f"{ADDED} numbers to {placed:,} provision{'s' if placed > 1 else ''} without provision_ref: "
                        "numbered by their place in the list (the source prints no number for them)")
    return Extracted(body, meta, body_start=len(title) + 1 if title else 0, warnings=warnings)
