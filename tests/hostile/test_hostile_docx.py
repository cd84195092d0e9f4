"""Hostile .docx files (issue 14): ZIP bombs that lie about their sizes, DTDs and entities in
document.xml, archives with a huge directory. Every file is built here with zipfile and run
through the real command line under the harness's memory limit (1.5 GB) and timeout."""

from __future__ import annotations

import io
import struct
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>')
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
LAW = ["某条例", "第一条　为了规范管理，制定本条例。", "第二条　本条例自公布之日起施行。"]


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def document_xml(body: str, doctype: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{doctype}'
            f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>').encode()


def docx(document: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal Word package around `document` (word/document.xml), deflated at level 9."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", RELS)
        zf.writestr("word/document.xml", document)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def declare_size(data: bytes, name: str, size: int) -> bytes:
    """The archive with `name`'s declared uncompressed size replaced by `size`, in both its local
    header and the central directory: what a ZIP bomb does to pass a check of declared sizes."""
    out = bytearray(data)
    encoded = name.encode()
    for signature, size_at, name_len_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        at = out.find(signature)
        while at >= 0:
            (length,) = struct.unpack_from("<H", out, at + name_len_at)
            if out[at + name_at:at + name_at + length] == encoded:
                struct.pack_into("<I", out, at + size_at, size)
            at = out.find(signature, at + 4)
    return bytes(out)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_control_a_small_docx_reads(scdocs: Callable, tmp_path: Path) -> None:
    path = write(tmp_path, "ok.docx", docx(document_xml("".join(map(_p, LAW)))))
    run = scdocs("sections", path)
    run.assert_ok()
    assert run.stdout.split()[:3] == ["某条例", "2", "articles,"], run.stdout


def test_decompressed_bytes_are_counted_not_declared_sizes(scdocs: Callable, tmp_path: Path) -> None:
    """47 MB of paragraphs in a 137 KB file (a ratio the old 20 × size + 50 MB rule allowed: it then
    took 2.4 GB and five minutes); a cap of 20 MB stops it after 20 MB, whatever the archive says."""
    body = "".join(map(_p, LAW)) + _p("信") * 1_300_000
    data = docx(document_xml(body))
    assert len(data) < 200_000
    for name, archive in (("bomb.docx", data), ("liar.docx", declare_size(data, "word/document.xml", 1000))):
        path = write(tmp_path, name, archive)
        started = time.monotonic()
        run = scdocs("--max-size", "20000000", "sections", path)
        if name == "bomb.docx":
            run.assert_one_line_error(name, "word/document.xml", "size cap of 20,000,000 bytes")
        else:  # zipfile stops at the declared 1,000 bytes and then the checksum fails: still one line
            run.assert_one_line_error(name, "corrupt .docx", "crc")
        assert time.monotonic() - started < 15


def test_a_small_cap_counts_what_comes_out(scdocs: Callable, tmp_path: Path) -> None:
    """A 3 MB document.xml in a 10 KB file is stopped at a 100 KB cap (the file is under it)."""
    body = "".join(map(_p, LAW)) + "<w:p/>" * 500_000
    data = docx(document_xml(body))
    path = write(tmp_path, "small-cap.docx", data)
    assert len(data) < 100_000
    scdocs("--max-size", "100000", "sections", path).assert_one_line_error("size cap of 100,000 bytes")


def test_an_understated_size_is_not_believed_either(scdocs: Callable, tmp_path: Path) -> None:
    """A document.xml declaring 3 GB (the old check refused it as a bomb) holds 300 bytes: read."""
    data = declare_size(docx(document_xml("".join(map(_p, LAW)))), "word/document.xml", 3_000_000_000)
    run = scdocs("sections", write(tmp_path, "claims-3gb.docx", data))
    run.assert_ok()
    assert "第二条" in run.stdout


def test_entity_declaration_is_refused_not_dropped(scdocs: Callable, tmp_path: Path) -> None:
    """python-docx dropped the paragraph text around an entity without a word (exit 0)."""
    doctype = '<!DOCTYPE w:document [<!ENTITY x "管理">]>'
    body = _p(LAW[0]) + _p("第一条　为了规范&x;，制定本条例。") + _p(LAW[2])
    path = write(tmp_path, "entity.docx", docx(document_xml(body, doctype)))
    scdocs("sections", path).assert_one_line_error("entity.docx", "word/document.xml", "DTD", "refused")


def test_billion_laughs_in_document_xml(scdocs: Callable, tmp_path: Path) -> None:
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    doctype = f'<!DOCTYPE w:document [<!ENTITY l0 "ha">{entities}]>'
    path = write(tmp_path, "laughs.docx", docx(document_xml(_p(LAW[1]) + _p("&l9;"), doctype)))
    scdocs("sections", path).assert_one_line_error("laughs.docx", "DTD")


def test_undeclared_entity_is_a_one_line_error(scdocs: Callable, tmp_path: Path) -> None:
    path = write(tmp_path, "undeclared.docx", docx(document_xml(_p(LAW[0]) + _p("第一条　&x;。"))))
    scdocs("sections", path).assert_one_line_error("undeclared.docx", "malformed XML in word/document.xml")


def test_an_archive_listing_too_many_parts(scdocs: Callable, tmp_path: Path) -> None:
    """zipfile keeps an object per listed part before anything is read: the count is checked first."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("word/document.xml", document_xml(_p(LAW[1])))
        for i in range(20_000):
            zf.writestr(zipfile.ZipInfo(f"{i}"), b"")
    path = write(tmp_path, "parts.docx", buf.getvalue())
    scdocs("sections", path).assert_one_line_error("parts.docx", "20,001 parts", "10,000")


def test_text_in_tables_insertions_and_text_boxes_is_kept_once_in_order(scdocs: Callable, tmp_path: Path) -> None:
    """Word paragraphs wherever they are: python-docx put tables last, dropped runs inside w:ins
    and missed text boxes; the mc:Fallback copy of a text box must not double it."""
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    box = (f'<w:p><w:r><mc:AlternateContent xmlns:mc="{mc}"><mc:Choice Requires="wps"><w:txbxContent>'
           f'{_p("（一）框内。")}</w:txbxContent></mc:Choice><mc:Fallback><w:txbxContent>{_p("（一）框内。")}'
           '</w:txbxContent></mc:Fallback></mc:AlternateContent></w:r></w:p>')
    body = (_p(LAW[0]) + "<w:tbl><w:tr><w:tc>" + _p("第一条　表中的条文。") + "</w:tc></w:tr></w:tbl>"
            + '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'
            '<w:r><w:t>第二条　修订</w:t></w:r><w:ins><w:r><w:t>插入的文字</w:t></w:r></w:ins>'
            '<w:del><w:r><w:delText>删除的文字</w:delText></w:r></w:del><w:r><w:t>。</w:t></w:r></w:p>' + box)
    core = ('<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/'
            'package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            '<dc:title>题名条例</dc:title></cp:coreProperties>').encode()
    path = write(tmp_path, "layout.docx", docx(document_xml(body), {"docProps/core.xml": core}))
    run = scdocs("convert", path, "--to", "txt")
    run.assert_ok()
    assert run.stdout.split("\n")[:4] == ["某条例", "第一条　表中的条文。", "第二条　修订插入的文字。", "（一）框内。"]
    assert run.stdout.count("框内") == 1 and "删除" not in run.stdout
    assert scdocs("sections", path).stdout.startswith("题名条例")


def test_comments_are_counted_and_headers_skipped(scdocs: Callable, tmp_path: Path) -> None:
    """Text outside the body (a reviewer's comment, a running header) is accounted for: the comment
    is warned about on stderr, the header noted as page furniture in the document's warnings."""
    import docx

    from scdocs.readers import read_path

    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "内部资料"
    d.add_paragraph("某条例")
    p = d.add_paragraph("第一条　为了规范管理，制定本条例。")
    d.add_comment(p.runs, text="此条需要修改", author="审稿人")
    path = tmp_path / "commented.docx"
    d.save(str(path))
    run = scdocs("sections", path)
    run.assert_ok()
    assert "left out 6 characters of comments (6)" in run.stderr
    warnings = read_path(path).warnings
    assert any(w.startswith("skipped 4 characters of page headers") for w in warnings)


def test_tracked_deletions_are_counted_not_read(scdocs: Callable, tmp_path: Path) -> None:
    """The tester's finding: text deleted with Word's change tracking vanished with no word. It is not
    the document's text (Word shows it struck out), and the reader says how much it left out."""
    deleted = ('<w:p><w:r><w:t>第一条　本规定适用于全省。</w:t></w:r><w:del w:id="1" w:author="x">'
               '<w:r><w:delText>删除的条文</w:delText></w:r></w:del></w:p>')
    path = write(tmp_path, "tracked.docx", docx(document_xml("".join(map(_p, LAW[:1])) + deleted)))
    run = scdocs("show", path, "1")
    run.assert_ok()
    assert "删除的条文" not in run.stdout
    assert "left out 5 characters of tracked deletions" in run.stderr


def test_a_table_row_is_one_line(scdocs: Callable, tmp_path: Path) -> None:
    """The tester's finding: each cell was a paragraph, so （一） and （二） in two rows of a table were
    parted from their article and `check` reported a gap."""
    def row(*cells: str) -> str:
        return "<w:tr>" + "".join(f"<w:tc>{_p(c)}</w:tc>" for c in cells) + "</w:tr>"

    table = "<w:tbl>" + row("（一）登记信息", "甲") + row("（二）处罚信息", "乙") + "</w:tbl>"
    body = ("".join(map(_p, ["某条例", "第一条　公共信用信息包括下列内容："])) + table
            + _p("第二条　本条例自公布之日起施行。"))
    path = write(tmp_path, "table.docx", docx(document_xml(body)))
    run = scdocs("check", path)
    run.assert_ok()
    shown = scdocs("show", path, "1")
    assert "（一）登记信息\u3000甲\n（二）处罚信息\u3000乙" in shown.stdout


NUMBERING = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering xmlns:w="{W}">'
             '<w:abstractNum w:abstractNumId="0">'
             '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
             '<w:lvlText w:val="第%1条"/></w:lvl>'
             '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
             '<w:lvlText w:val="（%2）"/></w:lvl>'
             '</w:abstractNum><w:num w:numId="3"><w:abstractNumId w:val="0"/></w:num></w:numbering>').encode()


def _numbered(text: str, ilvl: int) -> str:
    return (f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="3"/></w:numPr></w:pPr>'
            f"<w:r><w:t>{text}</w:t></w:r></w:p>")


def test_articles_numbered_by_word_keep_the_numbers_word_shows(scdocs: Callable, tmp_path: Path) -> None:
    """The tester's finding: numbers Word shows from its automatic numbering (第%1条 in Chinese counting,
    （%2）beneath) were lost, silently: a law numbered by Word had no articles."""
    body = (_p("某条例") + _numbered("为了规范管理，制定本条例。", 0) + _numbered("下列信息应当公示：", 0)
            + _numbered("登记信息；", 1) + _numbered("处罚信息。", 1) + _numbered("本条例自公布之日起施行。", 0))
    path = write(tmp_path, "numbered.docx", docx(document_xml(body), {"word/numbering.xml": NUMBERING}))
    run = scdocs("sections", path)
    run.assert_ok()
    assert "3 articles" in run.stdout
    shown = scdocs("show", path, "2")
    assert shown.stdout.splitlines()[1:] == ["第二条　下列信息应当公示：", "（一）登记信息；", "（二）处罚信息。"]


def test_a_row_whose_later_cell_opens_an_article_is_not_one_line(scdocs: Callable, tmp_path: Path) -> None:
    """The code reviewer's finding: a chapter cell merged down beside its articles put 第一条 inside the
    chapter's heading line, and the articles under the wrong section."""
    def row(*cells: str) -> str:
        return "<w:tr>" + "".join(f"<w:tc>{_p(c) if c else '<w:p/>'}</w:tc>" for c in cells) + "</w:tr>"

    table = ("<w:tbl>" + row("第一章　总则", "第一条　为了规范管理，制定本条例。")
             + row("", "第二条　本条例适用于本市。") + "</w:tbl>")
    path = write(tmp_path, "merged.docx", docx(document_xml(_p("某条例") + table)))
    run = scdocs("sections", path)
    run.assert_ok()
    assert "第一章 总则" in run.stdout and "2 articles" in run.stdout


def test_numbering_reads_tracked_changes_as_they_leave_the_document(tmp_path: Path) -> None:
    """Old numbering recorded in w:pPrChange is not read; a paragraph whose mark is deleted takes no
    number; two lists of one definition continue one sequence (the code reviewer's findings)."""
    from scdocs.readers import read_path

    old_format = ('<w:p><w:pPr><w:pPrChange w:id="1" w:author="x"><w:pPr><w:numPr><w:ilvl w:val="0"/>'
                  '<w:numId w:val="3"/></w:numPr></w:pPr></w:pPrChange></w:pPr><w:r><w:t>一段说明。</w:t></w:r></w:p>')
    struck = ('<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr><w:rPr><w:del w:id="2" '
              'w:author="x"/></w:rPr></w:pPr><w:r><w:t>删去的条。</w:t></w:r></w:p>')
    shared = NUMBERING.replace(b"</w:numbering>",
                               b'<w:num w:numId="4"><w:abstractNumId w:val="0"/></w:num></w:numbering>')
    other_list = _numbered("本条例自公布之日起施行。", 0).replace('w:numId w:val="3"', 'w:numId w:val="4"')
    body = (_p("某条例") + _numbered("为了规范管理，制定本条例。", 0) + old_format + struck
            + _numbered("本条例适用于本市。", 0) + other_list)
    path = write(tmp_path, "tracked.docx", docx(document_xml(body), {"word/numbering.xml": shared}))
    lines = read_path(path).text.splitlines()
    assert lines[1:] == ["第一条　为了规范管理，制定本条例。", "一段说明。", "删去的条。", "第二条　本条例适用于本市。",
                         "第三条　本条例自公布之日起施行。"]


def test_word_number_formats() -> None:
    from scdocs.readers.numbering import format_number

    assert [format_number(n, "ideographTraditional") for n in (1, 2, 10)] == ["甲", "乙", "癸"]
    assert [format_number(n, "chineseLegalSimplified") for n in (1, 12)] == ["壹", "拾贰"]
    assert [format_number(n, f) for n, f in ((3, "chineseCounting"), (4, "lowerLetter"), (9, "upperRoman"),
                                             (2, "decimalEnclosedCircle"))] == ["三", "d", "IX", "②"]


def test_a_list_whose_levels_a_list_style_defines(tmp_path: Path) -> None:
    """numStyleLink: the list's own definition names a list style, whose definition holds the levels
    (the code reviewer's finding: every label was lost)."""
    from scdocs.readers import read_path

    numbering = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering xmlns:w="{W}">'
                 '<w:abstractNum w:abstractNumId="1"><w:styleLink w:val="LawList"/>'
                 '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
                 '<w:lvlText w:val="第%1条"/></w:lvl></w:abstractNum>'
                 '<w:abstractNum w:abstractNumId="2"><w:numStyleLink w:val="LawList"/></w:abstractNum>'
                 '<w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num></w:numbering>').encode()
    body = _p("某条例") + _numbered("为了规范管理，制定本条例。", 0) + _numbered("本条例自公布之日起施行。", 0)
    path = write(tmp_path, "styled.docx", docx(document_xml(body), {"word/numbering.xml": numbering}))
    assert [u.num for u in read_path(path).units()] == ["第一条", "第二条"]
