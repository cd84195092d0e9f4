"""Issuer, date and document number read from a document's own header and closing lines.

A notice pasted as plain text carries its metadata where a reader looks for it: the 发文字号
(国办发〔2025〕12号, also printed [2025] 12号) under the title, the issuing body and the date on
the last lines (国务院办公厅 / 2025年3月1日 or 二〇二五年三月一日). Only those lines are read,
never the body, where dates of entry into force, deadlines and other bodies abound. What the
reader or the catalogue already knows is never replaced: these fill empty fields only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scdocs.document.model import Metadata
from scdocs.document.numerals import NumeralError, chinese_to_int

_CN_DIGIT = "〇○零一二三四五六七八九"
_CN_SMALL = _CN_DIGIT + "十"
#: 2025年3月1日, 2025 年 3 月 1 日, 二〇二五年三月一日, 二〇二五年十二月三十一日.
DATE = re.compile(
    rf"([0-9０-９]{{4}}|[{_CN_DIGIT}]{{4}})\s*年\s*([0-9０-９]{{1,2}}|[{_CN_SMALL}]{{1,3}})\s*月"
    rf"\s*([0-9０-９]{{1,2}}|[{_CN_SMALL}]{{1,3}})\s*日"
)
#: 国办发〔2025〕12号, 国发[2019]5号, 〔2025〕12号, [2025] 12号 (brackets of any width).
DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,12})?\s*[〔\[［【(（]\s*([0-9]{4})\s*[〕\]］】)）]\s*第?\s*([0-9]+)\s*号")
#: What a body's name ends with (国务院办公厅, 某市人民政府, 国家发展改革委, 中国人民银行, 最高人民法院…).
_BODY_END = ("国务院", "办公厅", "办公室", "政府", "委员会", "常委会", "委", "部", "局", "署", "院", "厅", "银行",
             "总局", "中心", "协会", "人民代表大会", "法院", "检察院", "军委", "中央")
_NOT_BODY = re.compile(r"关于|之日|施行|执行|本(通知|意见|办法|规定|决定|条例)")
_BODY = re.compile(r"^[\u4e00-\u9fff（）()]{2,30}$")
_TITLE_ISSUER = re.compile(r"^([\u4e00-\u9fff、]{2,40}?)(?:关于|印发)")
#: Lines of the title block read as header: an amending decision keeps its whole decision there,
#: whose instructions quote dates that are not the document's.
HEADER_LINES = 12


@dataclass(frozen=True)
class TextMetadata:
    """What the header and closing lines say: empty strings where they say nothing."""

    issuer: str = ""
    date: str = ""
    doc_number: str = ""


def _number(text: str) -> int:
    s = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if s.isdigit():
        return int(s)
    return chinese_to_int(s)


def parse_date(text: str) -> str | None:
    """The ISO date of the first Chinese date in text (arabic or Chinese numerals), if valid."""
    import datetime

    for m in DATE.finditer(text):
        try:
            y, mo, d = (_number(g) for g in m.groups())
            return datetime.date(y, mo, d).isoformat()
        except (NumeralError, ValueError):
            continue
    return None


def _dates(lines: list[str]) -> list[str]:
    out = []
    for ln in lines:
        for m in DATE.finditer(ln):
            iso = parse_date(m.group(0))
            if iso:
                out.append(iso)
    return out


def doc_number_in(text: str) -> str:
    """The 发文字号 printed in text, normalised to 〔〕 brackets: 国办发[2025] 12号 → 国办发〔2025〕12号."""
    m = DOC_NUMBER.search(text)
    if not m:
        return ""
    prefix = m.group(1) or ""
    return f"{prefix}〔{m.group(2)}〕{int(m.group(3))}号"


def _is_body(line: str) -> bool:
    name = re.sub(r"[\s\u3000]+", "", line)
    return bool(_BODY.match(name)) and name.endswith(_BODY_END) and not _NOT_BODY.search(name)


def _issuers(lines: list[str]) -> str:
    """Bodies named alone on closing lines (several on one line, separated by spaces, or on
    consecutive lines), joined by 、 as the catalogue joins issuers."""
    names: list[str] = []
    for ln in lines:
        ln = DATE.sub(" ", ln).strip()
        ln = re.sub(r"[（(]此件.{0,20}[）)]", " ", ln).strip()
        if not ln:
            continue
        parts = [p for p in re.split(r"[\s\u3000、]+", ln) if p]
        if parts and all(_is_body(p) for p in parts):
            names.extend(parts)
    return "、".join(dict.fromkeys(names))


def read(header: list[str], closing: list[str], title: str = "") -> TextMetadata:
    """Issuer, date and 发文字号 from the header lines (title block, lines under it) and the
    closing lines (signature, date). The closing's date and issuer come first: a notice is
    dated and signed at its end; the header gives the latest date that is not one of entry
    into force (施行), and an issuer from a title such as 国务院办公厅关于…的通知."""
    issuer = _issuers(closing)
    if not issuer:
        m = _TITLE_ISSUER.match(re.sub(r"\s+", "", title))
        if m and all(_is_body(p) for p in m.group(1).split("、")):
            issuer = m.group(1)
    dates = _dates(closing)
    date = dates[-1] if dates else ""
    if not date:
        dated = _dates([ln for ln in header if "施行" not in ln])
        date = max(dated) if dated else ""
    number = next((n for n in (doc_number_in(ln) for ln in header) if n), "")
    return TextMetadata(issuer, date, number)


def fill(meta: Metadata, found: TextMetadata) -> list[str]:
    """Fill the empty fields of `meta` from `found`; the names of the fields filled."""
    filled = []
    for name in ("issuer", "date", "doc_number"):
        value = getattr(found, name)
        if value and not getattr(meta, name):
            setattr(meta, name, value)
            filled.append(name)
    return filled
