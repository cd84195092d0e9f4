"""Encodings people meet (issue 14): UTF-8/16/32 with and without a byte-order mark, GB18030,
GBK and Big5 are read as text and give the sections the UTF-8 original gives; Akoma Ntoso and
HTML are recognised after decoding; binary files are still refused as binary."""

from __future__ import annotations

import codecs
import random
from collections.abc import Callable
from pathlib import Path

import pytest

LAW = "某条例\n第一条　为了规范社会信用体系建设，保护个人信息，制定本条例。\n第二条　本条例自公布之日起施行。\n"
# Big5 has no simplified characters: an opinions-style text whose numbering is 一、 and （一）.
OPINIONS_TRADITIONAL = ("關於推進社會信用體系建設的意見\n一、總體要求\n（一）指導思想。堅持依法行政。\n"
                        "（二）基本原則。保護個人信息。\n二、重點任務\n（三）健全制度。建立統一平台。\n")

ENCODINGS: dict[str, Callable[[str], bytes]] = {
    "utf-8 with BOM": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    "utf-16 LE with BOM": lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
    "utf-16 BE with BOM": lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
    "utf-16 LE": lambda t: t.encode("utf-16-le"),
    "utf-16 BE": lambda t: t.encode("utf-16-be"),
    "utf-32 LE with BOM": lambda t: codecs.BOM_UTF32_LE + t.encode("utf-32-le"),
    "utf-32 BE with BOM": lambda t: codecs.BOM_UTF32_BE + t.encode("utf-32-be"),
    "utf-32 LE": lambda t: t.encode("utf-32-le"),
    "utf-32 BE": lambda t: t.encode("utf-32-be"),
    "gb18030": lambda t: t.encode("gb18030"),
    "gbk": lambda t: t.encode("gbk"),
}


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_a_law_in_each_encoding_gives_the_utf8_sections(scdocs: Callable, tmp_path: Path, encoding: str) -> None:
    original = scdocs("sections", _write(tmp_path, "utf8.txt", LAW.encode("utf-8")))
    original.assert_ok()
    assert "2 articles" in original.stdout
    run = scdocs("sections", _write(tmp_path, "encoded.txt", ENCODINGS[encoding](LAW)))
    run.assert_ok()
    assert run.stdout == original.stdout


def test_big5_gives_the_utf8_sections(scdocs: Callable, tmp_path: Path) -> None:
    original = scdocs("sections", _write(tmp_path, "utf8.txt", OPINIONS_TRADITIONAL.encode("utf-8")))
    original.assert_ok()
    assert "（三）" in original.stdout
    run = scdocs("sections", _write(tmp_path, "big5.txt", OPINIONS_TRADITIONAL.encode("big5")))
    run.assert_ok()
    assert run.stdout == original.stdout


def test_encodings_in_process() -> None:
    """The same through the library: the text itself, not only the outline, is the original."""
    from scdocs.readers import read_bytes

    for name, encode in ENCODINGS.items():
        assert read_bytes(encode(LAW), "x.txt").text == LAW.strip(), name
    assert read_bytes(OPINIONS_TRADITIONAL.encode("big5"), "x.txt").text == OPINIONS_TRADITIONAL.strip()


def _akn() -> str:
    from scdocs.formats.akn import to_akn
    from scdocs.readers import read_bytes

    return to_akn(read_bytes(LAW.encode(), "law.txt")).decode("utf-8")


@pytest.mark.parametrize("variant", ["utf-16 with BOM", "utf-16 LE declared", "utf-16 BE undeclared", "utf-32 BE"])
def test_akoma_ntoso_in_utf16_reads_as_akn(scdocs: Callable, tmp_path: Path, variant: str) -> None:
    """It was read as plain text: 0 units and exit 0."""
    xml = _akn()
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    undeclared = xml.split("?>", 1)[1].lstrip()
    data = {"utf-16 with BOM": lambda: xml.replace("UTF-8", "UTF-16", 1).encode("utf-16"),
            "utf-16 LE declared": lambda: xml.replace("UTF-8", "UTF-16", 1).encode("utf-16-le"),
            "utf-16 BE undeclared": lambda: undeclared.encode("utf-16-be"),
            "utf-32 BE": lambda: xml.replace("UTF-8", "UTF-32", 1).encode("utf-32-be")}[variant]()
    original = scdocs("sections", _write(tmp_path, "law.xml", xml.encode("utf-8")))
    original.assert_ok()
    assert "2 articles" in original.stdout
    run = scdocs("sections", _write(tmp_path, "law16.xml", data))
    run.assert_ok()
    assert run.stdout == original.stdout


def test_entities_in_utf16_akn_are_still_refused(scdocs: Callable, tmp_path: Path) -> None:
    xml = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE akomaNtoso [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           '<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"><act><body><p>&x;</p></body></act>'
           "</akomaNtoso>")
    path = _write(tmp_path, "evil16.xml", xml.encode("utf-16-le"))
    scdocs("sections", path).assert_one_line_error("evil16.xml", "entities")


def test_html_in_utf16_without_bom_reads_as_html(scdocs: Callable, tmp_path: Path) -> None:
    page = "<html><body><p>某条例</p><p>第一条　甲。</p><p>第二条　乙。</p><script>var x;</script></body></html>"
    run = scdocs("convert", _write(tmp_path, "page.txt", page.encode("utf-16-le")), "--to", "txt")
    run.assert_ok()
    assert run.stdout.splitlines() == ["某条例", "第一条　甲。", "第二条　乙。"]


def _random(n: int, seed: int) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(n))


BINARY = {
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + _random(3000, 1),
    "random bytes": _random(4096, 2),
    "NUL-ridden text": "第一条　内容。".encode() + b"\x00\x00abc\x00" * 40,
    # every other byte NUL, as in UTF-16 of Latin-1: the rest is random, mostly controls and symbols
    "NULs in UTF-16 pattern": bytes(b for pair in zip(_random(2048, 3), bytes(2048), strict=True) for b in pair),
    "UTF-16 BOM then NULs": codecs.BOM_UTF16_LE + bytes(600),
    # ASCII letter pairs decode as UTF-16LE to CJK ideographs ("bi" → 楢): still binary
    "NUL then ASCII letters": b"\x00\x01binary",
}


@pytest.mark.parametrize("case", sorted(BINARY))
def test_binary_is_still_refused(scdocs: Callable, tmp_path: Path, case: str) -> None:
    line = scdocs("sections", _write(tmp_path, "file.txt", BINARY[case])).assert_one_line_error("file.txt")
    assert "binary" in line or "undecodable" in line, line
