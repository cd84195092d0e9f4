"""Tagger accuracy on the development gold set: per-theme precision, recall, F1 and micro averages.

    python benchmarks/accuracy.py [--errors] [--gold benchmarks/labels/set-a.tsv]

Reads the gold set from $SCDOCS_SHARED/gold/themes-dev.tsv (default ../shared) and the documents
from $SCDOCS_CORPUS_RAW (default ../shared/corpus/raw).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scdocs.readers import read_path  # noqa: E402
from scdocs.themes.evaluate import evaluate  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--errors", action="store_true", help="list every false positive and false negative")
    parser.add_argument("--gold", type=Path, help="another labels file of the same shape (e.g. benchmarks/labels/"
                                                   "set-a.tsv); default: the shared gold set")
    args = parser.parse_args()
    raw = Path(os.environ.get("SCDOCS_CORPUS_RAW", ROOT.parent / "shared" / "corpus" / "raw"))
    gold = args.gold or raw.parent.parent / "gold" / "themes-dev.tsv"
    files = {p.stem: p for p in raw.iterdir() if p.is_file()}
    ev = evaluate(gold, lambda doc_id: read_path(files[doc_id]))
    print(f"{'theme':24} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
    for theme, s in sorted(ev.per_theme.items()):
        print(f"{theme:24} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp:4d} {s.fp:4d} {s.fn:4d}")
    m = ev.micro
    print(f"{'micro':24} {m.precision:6.3f} {m.recall:6.3f} {m.f1:6.3f} {m.tp:4d} {m.fp:4d} {m.fn:4d}")
    if args.errors:
        for doc_id, number, theme, kind in ev.errors:
            print(f"{kind}  {doc_id} {number} {theme}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
