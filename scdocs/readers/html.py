"""HTML pages: news reposts and the State Council's policy library (gov.cn).

Text is decoded in Python before lxml sees it (lxml mis-decodes undeclared pages and
truncates gb2312 pages at the first GBK-only character). Scripts, styles, navigation and
page boilerplate are dropped by the rules in ``data/text-rules.toml``; the document's own
content cell is found by its known id or, failing that, as the block richest in paragraphs,
and is then widened to the block that also holds every block beside it with numbered units
(第X条, 一、, （一）) or body text, so a preface or an article next to a nested block stays.

Nothing is left out silently (issue 14): every character of the page's text the reader leaves
out is counted in one warning, and a left-out block that holds a numbered unit or more than 5 %
of the page's text gets a warning of its own that names it. The count reads ``left out …`` (and
is printed by the command line) when anything is named or the whole is over 5 %, and
``skipped …`` (page furniture, recorded but not printed) otherwise.

lxml's own limits drop text without an exception (a text node over 10 MB, nesting deeper
than 256 elements), so it parses with ``huge_tree`` under scdocs' limits instead: the size cap
that every reader enforces before decoding, and DEPTH_CAP levels of nesting. libxml2 stops at
2,048 levels even with ``huge_tree``; a deeper page is rebuilt from the standard library's
tokenizer, and one deeper than DEPTH_CAP is refused with a one-line error (lxml's tree
operations cost time proportional to the depth: 100,000 levels took about a minute).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser as _Tokenizer

from lxml import etree, html

from scdocs.document.model import Metadata
from scdocs.document.numerals import CHINESE_NUMERAL_CHARS as CN
from scdocs.document.text_rules import html_rules
from scdocs.errors import InputError
from scdocs.readers.common import LEFT_OUT, SKIPPED, TITLE_END, Extracted, canonical, iso_dates
from scdocs.readers.wrapping import CELL_SEP, SOFT, joinable_row, soft_breaks

BLOCK_TAGS = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "table", "tbody",
              "section", "article", "blockquote", "pre", "ul", "ol", "dl", "dt", "dd", "hr",
              "center", "header", "footer", "main"}
#: Table cells: a row is one line, its cells parted by an ideographic space (第一条　本条例…), as a
#: row reads, unless a later cell opens a unit or a heading; a cell's own paragraphs still break.
CELL_TAGS = {"td", "th"}
CONTENT_IDS = ("UCAP-CONTENT", "artibody", "article", "content", "zoom", "Zoom", "mainText")
CONTENT_CLASSES = ("pages_content", "article-content", "TRS_Editor", "article", "content")
GOV_FIELDS = {"索引号": "index_number", "主题分类": "subject", "发文机关": "issuer", "成文日期": "date",
              "标题": "title", "发文字号": "doc_number", "发布日期": "published", "主题词": "keywords"}
CODE_TAGS = ("script", "style", "template")  # not text a reader sees: skipped, counted apart
VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                       "param", "source", "track", "wbr"})
DEPTH_CAP = 5_000  # levels of nesting scdocs reads; real pages stay under 100
OUTSIDE = "outside the main content"
LINK_LIST = "link lists"
SIGNIFICANT_SHARE = 0.05  # a left-out block above this share of the page's text is warned about by name

# A unit's number as a line opens with it: 第三条 (第二章, 第一條), （一）, 一、.
_ZH_NUM = rf"第[{CN}0-9０-９]+[条章节编條節編]"
_OTHER_NUMS = rf"[（(][{CN}0-9０-９]+[）)]|[{CN}]{{1,4}}、"
# A line that opens with a numbered unit: 第三条, 第二章, 一、, （一）, Article 3.
NUMBERED = re.compile(rf"^({_ZH_NUM}|{_OTHER_NUMS}|(?:Article|ARTICLE)\s+[0-9]+)")
_SENTENCE = re.compile(r"[。；！？]")
_SPACE = re.compile(r"[\s\ufeff\u200b]+")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _chars(text: str) -> int:
    """Characters of text that are not white space: what the accounting counts."""
    return len(_SPACE.sub("", text))


def _parse(text: str, source: str) -> html.HtmlElement:
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)  # lxml refuses a str with an encoding declaration
    # Control characters are not text in HTML, and lxml refuses them when it moves a tail: a space each.
    text = _XML_INVALID.sub(" ", text)
    parser = html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, recover=True,
                             huge_tree=True)
    try:
        root = html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        if _too_deep(parser):
            return _parse_deep(text, source)
        raise InputError(source, f"malformed HTML: {exc}") from None
    if _too_deep(parser):
        return _parse_deep(text, source)
    limits = [e for e in parser.error_log if e.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT]
    if limits:  # libxml2 stopped reading: the text after this point would be lost
        raise InputError(source, f"HTML parser limit: {limits[0].message.strip()}")
    if root is None:
        raise InputError(source, "malformed HTML: no document element")
    return root


def _too_deep(parser: html.HTMLParser) -> bool:
    """libxml2 stopped at its nesting limit (2,048 levels with huge_tree)."""
    return any(e.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT and "depth" in e.message.lower()
               for e in parser.error_log)


class _DeepBuilder(_Tokenizer):
    """Builds an lxml tree from the standard library's tokenizer, which has no depth limit of its
    own: only DEPTH_CAP applies. End tags close the innermost open element of their name; others
    are ignored, as browsers do."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.root = html.Element("html")
        self.head: html.HtmlElement | None = None
        self.body = etree.SubElement(self.root, "body")
        self.stack: list[html.HtmlElement] = [self.body]
        self.last: list[html.HtmlElement | None] = [None]  # last child of each open element
        self.names: list[str] = ["body"]  # tag of each open element
        self.open: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("html", "body"):
            if tag == "body" and self.head is not None and self.stack[-1] is self.head:
                self.handle_endtag("head")
            return
        parent = self.stack[-1]
        if tag == "head" and self.head is None:
            self.head = el = html.Element("head")
            self.root.insert(0, el)
        else:
            try:
                el = etree.SubElement(parent, tag)
            except ValueError:  # a tag name lxml refuses: keep its content
                el = etree.SubElement(parent, "span")
            self.last[-1] = el
        for name, value in attrs:
            try:
                el.set(name, _XML_INVALID.sub("", value or ""))
            except (ValueError, TypeError):
                continue
        if tag in VOID_TAGS:
            return
        if len(self.stack) >= DEPTH_CAP:
            raise InputError(self.source, f"HTML nests elements deeper than {DEPTH_CAP:,} levels "
                                          f"(scdocs reads at most {DEPTH_CAP:,})")
        self.stack.append(el)
        self.last.append(None)
        self.names.append(tag)
        self.open[tag] = self.open.get(tag, 0) + 1

    def handle_endtag(self, tag: str) -> None:
        if not self.open.get(tag):
            return
        while len(self.stack) > 1:
            self.stack.pop()
            self.last.pop()
            name = self.names.pop()
            self.open[name] -= 1
            if name == tag:
                return

    def handle_data(self, data: str) -> None:
        data = _XML_INVALID.sub("", data)
        if not data:
            return
        last = self.last[-1]
        if last is not None:
            last.tail = (last.tail or "") + data
        else:
            el = self.stack[-1]
            el.text = (el.text or "") + data


def _parse_deep(text: str, source: str) -> html.HtmlElement:
    """A page nested deeper than libxml2 reads, built without its depth limit (up to DEPTH_CAP)."""
    builder = _DeepBuilder(source)
    builder.feed(text)
    builder.close()
    return builder.root


@dataclass
class _Left:
    """A block the reader left out of the text: why, how much, and what numbered units it held."""

    reason: str
    chars: int
    where: str = ""
    units: list[str] = field(default_factory=list)
    sample: str = ""


_Placed = tuple[_Left, "html.HtmlElement | None"]  # a left-out block and its element (None: loose text)


def _describe(el: html.HtmlElement) -> str:
    """`<div class="x" id="y">`, short, to name a block in a warning."""
    attrs = "".join(f' {k}="{str(el.get(k))[:30]}"' for k in ("id", "class") if el.get(k))
    return f"<{el.tag!s}{attrs}>"


def _measure(lines: list[str], reason: str, where: str) -> _Left:
    units = [m.group(1) for ln in lines if (m := NUMBERED.match(ln))]
    sample = next((ln for ln in lines if ln), "")
    sample = sample[:30] + "…" if len(sample) > 30 else sample
    return _Left(reason, sum(_chars(ln) for ln in lines), where, units, sample)


def _block(el: html.HtmlElement, reason: str) -> _Left:
    return _measure(canonical(_lines(el)).split("\n"), reason, _describe(el))


def _drop_code(body: html.HtmlElement) -> int:
    """Drop scripts, styles and templates (their tails stay); returns their characters."""
    outermost = body.xpath("descendant::*[self::script or self::style or self::template]"
                           "[not(ancestor::script or ancestor::style or ancestor::template)]")
    total = 0
    for el in outermost:
        total += _chars(el.text_content())
        el.drop_tree()
    return total


def _drop_boilerplate(body: html.HtmlElement, total: int) -> list[_Left]:
    """Drop navigation and page furniture by tag and by class or id, outermost first; returns what
    was dropped. A class or id is only a guess: a block it marks that holds two numbered units or
    half the page's text is kept."""
    tags, markers, _ = html_rules()
    left: list[_Left] = []
    stack = [body]
    while stack:
        el = stack.pop()
        kept = []
        for child in list(el):
            if not isinstance(child.tag, str):
                continue
            reason = _boilerplate_reason(child, tags, markers)
            if reason is not None:
                block = _block(child, reason)
                if reason.startswith("<") or (len(block.units) < 2 and block.chars * 2 <= total):
                    if block.chars:
                        left.append(block)
                    child.drop_tree()
                    continue
            kept.append(child)
        stack.extend(reversed(kept))
    return left


def _boilerplate_reason(el: html.HtmlElement, tags: frozenset[str], markers: tuple[str, ...]) -> str | None:
    if el.tag in tags:
        return f"<{el.tag}>"
    ident = f"{el.get('class', '')} {el.get('id', '')}".lower()
    if ident.strip() and el.get("id") not in CONTENT_IDS:
        for marker in markers:
            if marker in ident:
                return f'class or id "{marker}"'
    return None


def _lines(el: html.HtmlElement) -> list[str]:
    """The element's text with a line break at every block boundary and <br>. A line break in the
    source text itself (outside <pre>) is whitespace to a browser: it stays a line break only where
    the line before ends a sentence or the next opens a unit, and is joined otherwise (see
    `soft_breaks`). Iterative: a page may nest thousands of elements, far past Python's recursion limit."""
    parts: list[str] = []
    rows: dict[int, bool] = {}  # whether each table row met reads as one line (see joinable_row)
    stack: list[tuple[html.HtmlElement, bool, bool]] = [(el, False, False)]
    while stack:
        node, closing, in_pre = stack.pop()
        tag = node.tag if isinstance(node.tag, str) else ""
        # <br> breaks a line as the source's own line breaks do: kept after a sentence or before a unit,
        # joined inside a sentence (依法实施联合<br>惩戒 is one line, 联合惩戒 one cue)
        block = tag in BLOCK_TAGS and (tag != "br" or in_pre)
        if closing:
            if block:
                parts.append("\n")
            if node is not el and node.tail:
                if not block and tag and not node.tail[:1].isspace() and UNIT_NUM.match(node.text_content().strip()):
                    parts.append(" ")  # <strong>第一条</strong>对…: the number's own element ends it
                parts.append(node.tail if in_pre else _SOURCE_BREAK.sub(SOFT, node.tail))
            continue
        if tag == "br" and not in_pre:
            parts.append(SOFT)
        inside = in_pre or tag in ("pre", "textarea")
        if block:
            parts.append("\n")
        elif tag in CELL_TAGS and node is not el and node.getprevious() is not None:
            parts.append(CELL_SEP if _row_reads_as_a_line(node.getparent(), rows) else "\n")  # the row's next cell
        if node.text and tag:
            parts.append(node.text if inside else _SOURCE_BREAK.sub(SOFT, node.text))
        stack.append((node, True, in_pre))
        stack.extend((child, False, inside) for child in reversed(node))
    return [piece for line in "".join(parts).split("\n") for piece in soft_breaks(line)]


#: An inline element holding nothing but a unit's number (<strong>第一条</strong>, <b>（二）</b>).
UNIT_NUM = re.compile(rf"^(?:{_ZH_NUM}(?:之[{CN}]+)?|{_OTHER_NUMS})$")
_SOURCE_BREAK = re.compile(r"[ \t]*(?:\r\n|\r|\n)[ \t]*")


def _row_reads_as_a_line(row: html.HtmlElement | None, seen: dict[int, bool]) -> bool:
    if row is None:
        return False
    if id(row) not in seen:
        seen[id(row)] = joinable_row([c.text_content() for c in row if isinstance(c.tag, str) and c.tag in CELL_TAGS])
    return seen[id(row)]


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


def _holds_text(block: _Left, lines: list[str]) -> bool:
    """Numbered units or body text (a sentence, or a long English line) make a block content."""
    return bool(block.units) or any((len(ln) >= 10 and _SENTENCE.search(ln)) or (len(ln) >= 100 and ". " in ln)
                                    for ln in lines)


def _link_share(el: html.HtmlElement, chars: int) -> float:
    linked = sum(_chars(a.text_content()) for a in el.iter("a"))
    return linked / chars if chars else 0.0


def _beside(parent: html.HtmlElement, node: html.HtmlElement) -> tuple[list[_Placed], bool]:
    """The blocks of `parent` beside `node` (and its loose text), and whether any is content."""
    level: list[_Placed] = []
    content = False
    loose = [parent.text or ""]
    for child in parent:
        if child is not node and isinstance(child.tag, str):
            lines = canonical(_lines(child)).split("\n")
            block = _measure(lines, OUTSIDE, _describe(child))
            if block.chars:
                labels = {re.sub(r"[\s\u3000\u00a0:：]", "", ln) for ln in lines} & GOV_FIELDS.keys()
                if _link_share(child, block.chars) >= 0.5:
                    block.reason = LINK_LIST
                elif _holds_text(block, lines):
                    content = True
                elif len(labels) >= 2:
                    block.reason = "metadata table (read into the metadata)"
                level.append((block, child))
        loose.append(child.tail or "")
    lines = canonical(loose).split("\n")
    text = _measure(lines, OUTSIDE, f"text in {_describe(parent)}")
    if text.chars:
        content = content or _holds_text(text, lines)
        level.append((text, None))
    return level, content


def _widen(content: html.HtmlElement, body: html.HtmlElement, page_title: str = ""
           ) -> tuple[html.HtmlElement, list[_Placed], html.HtmlElement | None]:
    """Climb from the content cell to the block that also holds every block beside it with
    numbered units or body text. Returns that block, what is left out (blocks beside it, and
    link lists inside it, dropped from the tree here, each with its element), and the heading
    just above the content that names the document (<h1>某市信用条例</h1> over its table)."""
    chosen, node = content, content
    outside: list[_Placed] = []
    title: html.HtmlElement | None = None
    while node is not body and (parent := node.getparent()) is not None:
        level, widen = _beside(parent, node)
        outside += level
        # a heading the page's <title> names too, or one beside the content that names a kind of document
        # (…条例, …规定): never a site's banner (某市人民政府) or a section label (政策原文)
        if title is None:
            above = _heading_above(node)
            named = above is not None and (_names_the_page(above, page_title) or _titled(above.text_content()))
            title = above if named else None
        if widen:
            chosen = parent
            outside = [(block, el) for block, el in outside if block.reason == LINK_LIST and el is not None]
            for _, el in outside:
                if el is not None and el.getparent() is not None:
                    el.drop_tree()
        node = parent
    return chosen, outside, title if title is not None and not _inside(title, chosen) else None


TITLE_TAGS = {"h1", "h2", "h3"}


def _heading_above(node: html.HtmlElement) -> html.HtmlElement | None:
    """The heading right before `node` among its siblings (blank ones aside): short, no sentence."""
    prev = node.getprevious()
    while prev is not None and (not isinstance(prev.tag, str) or not prev.text_content().strip()):
        prev = prev.getprevious()
    if prev is None or prev.tag not in TITLE_TAGS:
        return None
    text = prev.text_content().strip()
    return prev if len(text) <= 80 and not text.endswith(("。", "；")) else None


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _titled(text: str) -> bool:
    return TITLE_END.search(_squeezed(text)) is not None


def _names_the_page(heading: html.HtmlElement, page_title: str) -> bool:
    """Whether a heading and the page's <title> name the same document (one holds the other)."""
    a, b = _squeezed(heading.text_content()), _squeezed(page_title)
    return bool(a and b) and (a in b or b in a)


def _inside(el: html.HtmlElement, block: html.HtmlElement) -> bool:
    return any(a is block for a in el.iterancestors())


def _account(total: int, kept: int, left: list[_Left], code: int) -> list[str]:
    """One warning counting every character left out, and one per left-out block that holds a
    numbered unit or more than SIGNIFICANT_SHARE of the page's text. Where no block is named and
    the whole is under that share, the count is a SKIPPED note (page furniture), not printed."""
    warnings = []
    for block in left:
        if block.units or block.chars > SIGNIFICANT_SHARE * total:
            units = ", ".join(block.units[:3]) + (f" and {len(block.units) - 3} more" if len(block.units) > 3 else "")
            holding = f", holding {units}" if units else ""
            why = "" if block.reason == block.where else f" ({block.reason})"
            warnings.append(f"{LEFT_OUT} {block.where}{why}: {block.chars:,} characters, "
                            f"{_share(block.chars, total)} of the page{holding}: “{block.sample}”")
    missing = total - kept
    if missing <= 0:
        return warnings
    lead = LEFT_OUT if warnings or missing > SIGNIFICANT_SHARE * total else SKIPPED
    by_reason: dict[str, int] = {}
    for block in left:
        by_reason[block.reason] = by_reason.get(block.reason, 0) + block.chars
    other = missing - sum(by_reason.values())
    if other:
        by_reason["other"] = other
    parts = ", ".join(f"{reason} {n:,}" for reason, n in sorted(by_reason.items(), key=lambda kv: -kv[1]))
    code_note = f"; {code:,} characters of script and style code skipped" if code else ""
    warnings.insert(0, f"{lead} {missing:,} of the page's {total:,} characters ({_share(missing, total)}): "
                       f"{parts}{code_note}")
    return warnings


def _share(part: int, total: int) -> str:
    return f"{100 * part / total:.1f} %" if total else "0 %"


def read_html_str(text: str, source: str) -> Extracted:
    """A page's document text; what the page holds besides it is counted in the warnings."""
    root = _parse(text, source)
    gov = _gov_metadata(root)
    title_el = root.find(".//title")
    page_title = title_el.text_content().strip() if title_el is not None else ""
    body = root.find("body")
    body = body if body is not None else root
    code = _drop_code(body)
    total = _chars(body.text_content())
    left = _drop_boilerplate(body, total)
    content, beside, heading = _widen(_content(body), body, page_title)
    content_lines = canonical(_lines(content)).split("\n")
    first = next((ln for ln in content_lines if ln.strip()), "")
    if heading is not None and _squeezed(first) == _squeezed(heading.text_content()):
        heading = None  # the content prints it already: the heading outside is left out, as any block
    # a heading that opens the content and names the document (…管理办法, or what the <title> names
    # before the site's name: 某办法_某某市人民政府) is its title, not the <title>
    opening = next((h for h in content.iter(*TITLE_TAGS) if _squeezed(h.text_content())), None)
    named = (" ".join(opening.text_content().split()) if opening is not None
             and _squeezed(opening.text_content()) == _squeezed(first)
             and (_titled(first) or _names_the_page(opening, page_title)) else "")
    left += [block for block, el in beside if heading is None or el is not heading]
    _, _, drop_text = html_rules()
    lines: list[str] = []
    dropped: list[str] = []
    if heading is not None:  # the document's name, printed above its content: its first line
        lines += canonical(_lines(heading)).split("\n")
    for ln in content_lines:
        (dropped if any(p.search(ln) for p in drop_text) else lines).append(ln)
    if dropped:
        left.append(_measure(dropped, "editor and share lines", "lines of the main content"))
    out = "\n".join(lines)
    if not out.strip():
        raise InputError(source, "HTML page has no text content")
    dates = iso_dates(gov.get("date", ""))
    meta = Metadata(
        # the policy library's 标题; else the heading that names the document above its content; else
        # the page's <title> (which often adds the site's name)
        title=gov.get("title", "") or (" ".join(heading.text_content().split()) if heading is not None else "")
        or named or page_title,
        issuer=gov.get("issuer", ""),
        date=dates[0] if dates else "",
        doc_number=gov.get("doc_number", ""),
        source=source,
        extra={k: v for k, v in gov.items() if k not in ("title", "issuer", "date", "doc_number") and v},
    )
    return Extracted(out, meta, 0, _account(total, _chars(out), left, code))
