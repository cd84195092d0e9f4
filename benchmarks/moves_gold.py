"""Build the move gold from two blind readers' marks: agreed moves → gold.tsv, the rest → disputed.tsv.

Usage: python benchmarks/moves_gold.py READER_A.tsv READER_B.tsv

The readers' files are copied into benchmarks/moves/ with each evidence quote cut to 20
characters (enough to find the words; the texts themselves stay out of the repository). A move
both readers marked (same pair, section and move id; the section being the new article, or the
old one for a removed article) is gold; one only a single reader marked is disputed, kept for
the record and never used for measuring.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "moves"
QUOTE = 20


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        out = []
        for r in csv.DictReader(fh, delimiter="\t"):
            for key in ("old_evidence", "new_evidence"):
                text = r.get(key) or "-"
                r[key] = text if len(text) <= QUOTE else text[:QUOTE] + "…"
            out.append(r)
        return out


def key(r: dict[str, str]) -> tuple[str, str, str]:
    section = f"new:{r['new_article']}" if r["new_article"] not in ("", "-") else f"old:{r['old_article']}"
    return r["pair"], section, r["move"]


def write(path: Path, data: list[dict[str, str]], fields: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, delimiter="\t", extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(data)


def main() -> int:
    a_path, b_path = map(Path, sys.argv[1:3])
    a, b = rows(a_path), rows(b_path)
    fields = list(a[0])
    OUT.mkdir(exist_ok=True)
    write(OUT / "reader-A.tsv", a, fields)
    write(OUT / "reader-B.tsv", b, fields)
    keys_a, keys_b = {key(r) for r in a}, {key(r) for r in b}
    agreed = keys_a & keys_b
    gold = [r for r in a if key(r) in agreed]
    disputed = [dict(r, reader="A") for r in a if key(r) not in agreed] + \
               [dict(r, reader="B") for r in b if key(r) not in agreed]
    write(OUT / "gold.tsv", gold, fields)
    write(OUT / "disputed.tsv", disputed, ["reader", *fields])
    print(f"A {len(keys_a)}, B {len(keys_b)}, agreed {len(agreed)} → gold.tsv; {len(disputed)} disputed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
