"""Markdown and plain-text documents: law databases' exports and Markdown law collections.

Markdown law texts carry a header block (title, adoption notes) ended by ``<!-- INFO END -->``;
Hexo-style posts carry YAML front matter and may hold an HTML body, which goes to the HTML
reader. Plain-text exports from the national database have mixed line endings, a title that
may wrap over two lines, and an adoption note in brackets.
"""

from __future__ import annotations

import json
import re

from scdocs.document.language import HAN, detect_language
from scdocs.document.model import Metadata
from scdocs.document.text_rules import preface_patterns
from scdocs.formats.render import md_unescape
from scdocs.readers.common import (
    LEFT_OUT,
    NO_BODY,
    TITLE_END,
    CanonicalWriter,
    Extracted,
    canonical,
    guess_issuer,
    iter_lines,
    split_published_title,
    version_date,
)
from scdocs.readers.wrapping import (
    CLAUSE_MARK,
    PAGE_NUMBER,
    LineJoiner,
    joined_note,
    starts_unit,
    wrap_width,
)

INFO_END = re.compile(r"^\s*<!--\s*INFO END\s*-->\s*$")
COMMENT = re.compile(r"<!--.*?-->", re.S)
_BREAK = "\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]"  # the line breaks of str.splitlines
# Front matter: between two --- lines at the very top (after blank lines, a BOM or zero-width
# characters), whatever the line breaks (a file saved on Windows has \r\n).
FRONT_MATTER = re.compile(rf"[\s\ufeff\u200b\u200c\u200d\u2060]*---[ \t]*(?:{_BREAK})(.*?)"
                          rf"(?:(?<=[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]))---[ \t]*(?:{_BREAK}|\Z)", re.S)
#: Characters that show nothing but split what a reader sees as one word (第\u200b三条).
INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u202a-\u202e\u2066-\u2069]")
RULE = re.compile(r"^([-=*_~#])\1{2,}$")
_FIELD = re.compile(r"^([^\s:#\-][^:]*?)\s*:\s*(.*)$")  # title: …, 发布机关: …, doc number: …
#: What else YAML front matter holds besides key: value lines: list items, indented continuations, comments.
_YAML_MORE = re.compile(r"^(?:\s*-\s|\s+\S|\s*#)")
HTML_BODY = re.compile(r"<(p|div|table|section|article)\b", re.I)
HTML_LINE = re.compile(r"^\s*</?[A-Za-z][A-Za-z0-9]*(?:\s[^>]*)?/?>")  # a line opening with a tag: an HTML block
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^>]*)?/?>")
EMPHASIS = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
ITALIC = re.compile(r"(?<![\\*])\*(?=\S)([^*\n]+?)(?<=[^\s\\])\*(?!\*)")  # *强调*, never \* or ** (bold, above)
BULLET = re.compile(r"^[-*+]\s+(?=\S)")  # - （一）甲；: a Markdown list item's marker
#: A line that opens with a date (2021年8月20日 第十三届…通过): a header line, never part of the title.
DATED = re.compile(r"^(?:\d{4}|[〇○零一二三四五六七八九]{4})年")
ADOPTION = re.compile(r"^[（(].*(通过|公布|施行|修正|修订|批准"
                      r"|\b(?:Adopted|Promulgated|Amended|Revised|Approved|Issued)\b).*[）)]$")
#: A note that opens with its date in brackets ((2022年3月29日…): the title block's, even where a
#: page's width cut it before its closing bracket.
NOTE = re.compile(r"^[（(](?:\d{4}|[〇○零一二三四五六七八九]{4})年")


def parse_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split simple YAML front matter (key: value lines) from the rest of the text. Lines between two
    --- lines that are not YAML (a title set off by rules in a plain text) are no front matter: the
    text is kept whole."""
    m = FRONT_MATTER.match(text)
    if not m:
        return {}, text
    fields: dict[str, str] = {}
    for line in m.group(1).splitlines():
        km = _FIELD.match(line)
        if km:
            fields[km.group(1).strip("\"'")] = _scalar(km.group(2).strip())
        elif line.strip() and not line.lstrip().startswith("#") and not (fields and _YAML_MORE.match(line)):
            return {}, text
    if not fields:
        return {}, text
    return fields, text[m.end():]


def _scalar(value: str) -> str:
    """A front-matter value: a double-quoted one as the JSON/YAML string it is, else the text unquoted."""
    if len(value) >= 2 and value[0] == value[-1] == '"':
        try:
            loaded = json.loads(value)
        except ValueError:
            return value[1:-1]
        return loaded if isinstance(loaded, str) else value[1:-1]
    return value.strip("'\"")


def _front_matter_date(value: str) -> str:
    from email.utils import parsedate_to_datetime

    if re.match(r"^\d{4}-\d{2}-\d{2}", value):
        return value[:10]
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError):
        return ""


# A title is a few short lines that do not end a sentence: a line ending in 。 (or a fourth short
# line with no blank line after the title) is body, so a pasted notice is not swallowed into its title.
TITLE_LINES_MAX = 3
#: How the name of an issuing body ends (某某省人民政府, 中国人民银行, 国家发展改革委).
ISSUER = re.compile(r"(政府|委员会|办公厅|办公室|人民银行|法院|检察院|部|委|局|署|总局|行|会)$")
HEAD_LINE_MAX = 400  # characters a title or header line is joined up to: a note, never a body in disguise
SENTENCE_END = ("。", "；", "！", "？", ".", ";")


def looks_like_markdown(text: str, fields: dict[str, str]) -> bool:
    """Markdown by its content (a text read from standard input has no name): front matter, the
    INFO END marker of Markdown law collections, or a `#` heading near the top."""
    head = text[:4096]
    return bool(fields) or "INFO END" in text or bool(re.search(r"^#{1,6}\s", head, re.M))


def read_text(text: str, source: str, markdown: bool | None = None) -> Extracted:
    """Read Markdown or plain text into canonical text and metadata. Markdown markup (`#` headings,
    **bold**, <!-- comments -->) is read as markup; in plain text (`markdown` False, or None and the
    content shows no Markdown) every character is text. Comments left out are counted in a warning."""
    fields, rest = parse_front_matter(text)
    declared = markdown is True  # named .md: single *emphasis* and list markers are markup too
    if markdown is None:
        markdown = looks_like_markdown(rest, fields)
    if fields and HTML_BODY.match(rest.lstrip()):  # an HTML body, not a Markdown one with an HTML block
        from scdocs.readers.html import read_html_str

        extracted = read_html_str(rest, source)
        meta = extracted.meta
        if fields.get("title"):
            meta.title, issuer = split_published_title(fields["title"])
            meta.issuer = meta.issuer or issuer
        meta.date = meta.date or _front_matter_date(fields.get("date", ""))
        return extracted

    # Lines as str.splitlines() gives them (\n, \r\n, \r and the other line breaks: U+2028, U+0085,
    # form feed …), one at a time; the body goes straight into its canonical text.
    if "\n\f" in rest:  # a page break (pdftotext opens each page's first line with one): no blank line
        rest = rest.replace("\n\f", "\n")
    has_marker = "INFO END" in rest and any(INFO_END.match(ln) for ln in iter_lines(rest))
    title_lines: list[str] = []
    header: list[str] = []
    body = CanonicalWriter()
    state = "title"
    commented = 0  # characters inside <!-- … --> left out of a Markdown text
    first_block: int | None = None  # how many header lines come before the header's first blank line
    invisible = 0  # zero-width and direction marks left out of text (第\u200b三条 is 第三条 to a reader)
    has_invisible = INVISIBLE.search(rest) is not None
    wrapping = wrap_width(iter_lines(rest))  # lines cut at a page's width are joined into their paragraphs
    joiner = LineJoiner(wrapping, body.add) if wrapping else None
    page_numbers = 0  # — 6 — between a printed page's lines and the next page's, left out
    last_head = ""  # the last title or header line as printed
    blank = False  # a blank line came before this one: a wrapped line is never joined across it
    for raw in iter_lines(rest):
        if has_invisible:
            raw, n = INVISIBLE.subn("", raw)
            invisible += n if raw.strip() else 0  # a line of nothing else is a blank line
        if INFO_END.match(raw):
            state = "body"
            continue
        line = raw
        if markdown:
            line = COMMENT.sub("", raw)
            commented += len(raw) - len(line)
            if HTML_LINE.match(line):  # a raw HTML block: its text as a browser shows it, not its tags
                shown = HTML_TAG.sub("", line)
                line = md_unescape(shown) if shown.strip() else ""
        line = line.strip()
        if not line:
            blank = True
            if state == "title" and _named_count(title_lines):
                state = "header"
            elif state == "header" and header and first_block is None:
                first_block = len(header)  # the header's first paragraph ends here
            continue
        heading = re.match(r"^(#{1,6})\s+(.*)$", line) if markdown else None
        if heading:
            line = heading.group(2).strip()
        if markdown:
            line = EMPHASIS.sub(lambda m: m.group(1) or m.group(2), line)  # **第一条**, as scdocs prints a num
            if declared:  # a plain text that only looks like Markdown keeps its stars and dashes
                line = ITALIC.sub(r"\1", BULLET.sub("", line))
            line = md_unescape(line)  # \* \_ \# \\ &lt; &gt; &amp;: the characters themselves
        head = title_lines if state == "title" else header if state == "header" else None
        if (head and joiner is not None and not blank and len(head[-1]) < HEAD_LINE_MAX
                and joiner.cut_mid_sentence(last_head.rstrip()) and not starts_unit(line)
                and not line.startswith(("（", "(")) and not DATED.match(line)  # a note or date of its own
                and not line.endswith(("：", ":")) and not any(p.search(line) for p in preface_patterns())
                and not (head is title_lines and TITLE_END.search(head[-1]))):  # 冀政发〔2021〕5号, 各市…：
            head[-1] += line  # （2017年9月28日…第三十二 / 次会议通过…）: a title or note cut at the width
            joiner.joined += 1
            last_head = raw
            continue
        last_head = raw  # kept only while the line goes to the title or header
        signed = False  # a line under a whole title that names who issued it (某某省人民政府): header
        if state == "title":
            if starts_unit(line):
                state = "body"
            elif RULE.match(line) or (heading and heading.group(1) == "#") or (
                not heading and not has_marker and not ADOPTION.match(line) and not DATED.match(line)
                and not NOTE.match(line)
                and not any(p.search(line) for p in preface_patterns())  # a 发文字号, a dateline: header
                and (len(line) <= 40 or (len(line) <= 150 and not HAN.search(line)))  # English titles run longer
                and _named_count(title_lines) < TITLE_LINES_MAX and not line.endswith(SENTENCE_END)
                # a title that names its kind (…的意见) is whole: an issuer under it is no more of it,
                # unless the line names a kind itself (某某条例 / 实施细则)
                and not (title_lines and TITLE_END.search(title_lines[-1]) and not TITLE_END.search(line))
            ):  # a rule (---, ===, ***) around a title: kept in place, not in the title
                title_lines.append(line)
                continue
            else:
                state = "header"
                signed = bool(title_lines and TITLE_END.search(title_lines[-1]) and len(line) <= 30
                              and ISSUER.search(line) and not CLAUSE_MARK.search(line))
        if state == "header" and not has_marker and not (ADOPTION.match(line) or DATED.match(line) or NOTE.match(line)
                                                         or signed):
            state = "body"
        if state == "header":
            header.append(line)
        elif PAGE_NUMBER.match(line):
            page_numbers += 1
            continue  # the lines around it may be one sentence: no blank line either
        elif joiner is not None:
            joiner.add(line, blank, raw)
        else:
            body.add(line)
        blank = False
    if joiner is not None:
        joiner.flush()

    warnings = [f"{LEFT_OUT} {commented:,} characters of Markdown comments (<!-- … -->)"] if commented else []
    if page_numbers:
        warnings.append(f"{LEFT_OUT} {page_numbers:,} page number{'s' if page_numbers > 1 else ''} of a printed "
                        "text (— 6 —, 第6页)")
    note = joined_note(joiner) if joiner is not None else None
    if note:
        warnings.append(note)
    if invisible:
        warnings.append(f"{LEFT_OUT} {invisible:,} invisible characters (zero-width spaces and joiners, "
                        "direction marks)")
    before: list[str] = []  # title lines that turn out to open the body
    if has_marker and not _named_count(title_lines):  # a Markdown law's title in plain lines above INFO END
        block = len(header) if first_block is None else first_block  # its first paragraph, not the issuer's
        while (block and _named_count(title_lines) < TITLE_LINES_MAX and len(header[0]) <= 40
               and not header[0].endswith(SENTENCE_END) and not ADOPTION.match(header[0])
               and not DATED.match(header[0]) and not any(p.search(header[0]) for p in preface_patterns())):
            title_lines.append(header.pop(0))
            block -= 1
    named = [t for t in title_lines if not RULE.match(t)]
    # Short lines alone are a title, then text, never all title, unless they join into the name of a
    # kind of document (某某省 / 社会信用条例); 信用名录 / 上海市 / 北京市 over a list are a heading and the
    # list, not a wrapped title.
    if len(named) > 1 and not _wrapped(named) and (not body.lines or (not header and HAN.search(named[0]))):
        first = title_lines.index(named[0]) + 1
        before, title_lines = title_lines[first:], title_lines[:first]
        named = named[:1]
    if not body.lines and not before:
        warnings.append(f"{NO_BODY}: every line was read as the title or header")
    title = _join_title(named)
    head_text = canonical([*title_lines, *header])  # the title as printed: lines kept, offsets as in the file
    body_text = body.text(before)
    text_out = f"{head_text}\n{body_text}" if head_text and body_text else head_text or body_text
    meta = Metadata(title=title, issuer=guess_issuer("\n".join(header)), date=version_date("\n".join(header)),
                    language=detect_language(body_text), source=source)
    _front_matter_meta(meta, fields)
    return Extracted(text_out, meta, body_start=len(head_text) + 1 if head_text and body_text else 0,
                     warnings=warnings)



def _named_count(lines: list[str]) -> int:
    """How many title lines name the document (rules around it do not)."""
    return sum(1 for t in lines if not RULE.match(t))


def _wrapped(lines: list[str]) -> bool:
    """Whether Chinese lines join into the name of a kind of document (某某省 / 社会信用条例): a kind of
    two characters or more, or 法 at the end of a line longer than a word (加法 / 减法 is a list)."""
    if not HAN.search(lines[0]):
        return False
    m = TITLE_END.search("".join(lines))
    return m is not None and (len(m.group(1)) > 1 or len(lines[-1]) >= 4)


def _join_title(lines: list[str]) -> str:
    """A title wrapped over lines, joined: Chinese without a space, Latin words with one."""
    out = ""
    for line in lines:
        out += " " + line if out and out[-1].isascii() and out[-1].isalnum() and line[:1].isascii() else line
    return out


def _front_matter_meta(meta: Metadata, fields: dict[str, str]) -> None:
    """Front matter (what `convert --to md` writes) states the metadata: it wins over guesses from the text."""
    meta.title = fields.get("title") or meta.title
    meta.issuer = fields.get("issuer") or meta.issuer
    meta.date = _front_matter_date(fields.get("date", "")) or meta.date
    meta.doc_number = fields.get("doc_number") or meta.doc_number
    meta.kind = fields.get("kind") or meta.kind
    meta.language = fields.get("language") or meta.language
    meta.extra.update({k[6:]: v for k, v in fields.items() if k.startswith("extra.") and k[6:]})
