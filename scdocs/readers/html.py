"""HTML pages: news reposts and the State Council's policy library (gov.cn).

Text is decoded in Python before lxml sees it (lxml mis-decodes undeclared pages and
truncates gb2312 pages at the first GBK-only character). Scripts, styles, navigation and
page boilerplate are dropped by the rules in ``data/text-rules.toml``; the document's own
content cell is found by its known id or, failing that, as the block richest in paragraphs.
"""

from __future__ import annotations

import re

from lxml import etree, html

from scdocs.document.model import Metadata
from scdocs.document.text_rules import html_rules
from scdocs.errors import InputError
from scdocs.readers.common import Extracted, canonical, iso_dates

BLOCK_TAGS = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "table", "tbody",
              "section", "article", "blockquote", "pre", "ul", "ol", "dl", "dt", "dd", "hr",
              "center", "header", "footer", "main", "td", "th"}
CONTENT_IDS = ("UCAP-CONTENT", "artibody", "article", "content", "zoom", "Zoom", "mainText")
CONTENT_CLASSES = ("pages_content", "article-content", "TRS_Editor", "article", "content")
GOV_FIELDS = {"索引号": "index_number", "主题分类": "subject", "发文机关": "issuer", "成文日期": "date",
              "标题": "title", "发文字号": "doc_number", "发布日期": "published", "主题词": "keywords"}


def _parse(text: str, source: str) -> html.HtmlElement:
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)  # lxml refuses a str with an encoding declaration
    parser = html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, recover=True)
    try:
        root = html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(source, f"malformed HTML: {exc}") from None
    if root is None:
        raise InputError(source, "malformed HTML: no document element")
    return root


def _drop_boilerplate(root: html.HtmlElement) -> None:
    tags, markers, _ = html_rules()
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        ident = f"{el.get('class', '')} {el.get('id', '')}".lower()
        if el.tag in tags or (ident.strip() and any(m in ident for m in markers)
                              and el.get("id") not in CONTENT_IDS):
            el.drop_tree() if el.getparent() is not None else None


def _lines(el: html.HtmlElement) -> list[str]:
    """The element's text with a line break at every block boundary and <br>."""
    parts: list[str] = []

    def walk(node: html.HtmlElement) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        block = tag in BLOCK_TAGS
        if block:
            parts.append("\n")
        if node.text and tag:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n")

    walk(el)
    return "".join(parts).split("\n")


def _gov_metadata(root: html.HtmlElement) -> dict[str, str]:
    """The gov.cn policy library's table: 索引号, 发文机关, 成文日期, 标题, 发文字号, 发布日期."""
    found: dict[str, str] = {}
    for td in root.iter("td"):
        label = re.sub(r"[\s\u3000\u00a0:：]", "", td.text_content())
        if label in GOV_FIELDS and GOV_FIELDS[label] not in found:
            nxt = td.getnext()
            if nxt is not None and nxt.tag == "td":
                found[GOV_FIELDS[label]] = re.sub(r"\s+", " ", nxt.text_content()).strip()
    return found


def _content(root: html.HtmlElement) -> html.HtmlElement:
    for ident in CONTENT_IDS:
        hits = root.xpath(f'//*[@id="{ident}"]')
        if hits and len(hits[0].text_content().strip()) > 200:
            return hits[0]
    for cls in CONTENT_CLASSES:
        hits = root.xpath(f'//*[contains(concat(" ", normalize-space(@class), " "), " {cls} ")]')
        if hits and len(hits[0].text_content().strip()) > 200:
            return hits[0]
    # The block whose own paragraphs hold the most text.
    best, score = root, 0
    for el in root.iter("div", "td", "article", "section", "body"):
        s = sum(len(p.text_content()) for p in el if isinstance(p.tag, str) and p.tag in ("p", "br", "font", "span"))
        s += len((el.text or "").strip())
        if s > score:
            best, score = el, s
    return best


def read_html_str(text: str, source: str) -> Extracted:
    root = _parse(text, source)
    gov = _gov_metadata(root)
    title_el = root.find(".//title")
    page_title = title_el.text_content().strip() if title_el is not None else ""
    _drop_boilerplate(root)
    body = root.find("body")
    content = _content(body if body is not None else root)
    _, _, drop_text = html_rules()
    lines = [ln for ln in canonical(_lines(content)).split("\n") if not any(p.search(ln) for p in drop_text)]
    out = "\n".join(lines)
    if not out.strip():
        raise InputError(source, "HTML page has no text content")
    dates = iso_dates(gov.get("date", ""))
    meta = Metadata(
        title=gov.get("title", "") or page_title,
        issuer=gov.get("issuer", ""),
        date=dates[0] if dates else "",
        doc_number=gov.get("doc_number", ""),
        source=source,
        extra={k: v for k, v in gov.items() if k not in ("title", "issuer", "date", "doc_number") and v},
    )
    return Extracted(out, meta, 0)
