"""The character diff on texts that have little in common: bounded time, against exact
diff-match-patch measured in the same run.

    python benchmarks/diff_bounded.py [--size CHARS] [--baseline CHARS]

Texts are built at run time from the section texts of the corpus mirror ($SCDOCS_CORPUS_RAW,
default /work/shared/corpus/raw; nothing is copied into the repository):
  * shuffled: the same sections in two different random orders, repeated to --size characters
    (the same sentences everywhere, no order in common: the worst case for exact diff-match-patch);
  * different documents: the sections of half the documents against those of the other half,
    each repeated to --size characters.

For each it prints `diff_text` (scdocs.changes.text, exact when the texts differ little, else the
sentence-level fallback) at 100,000, 300,000 and --size characters a side, and the baseline:
exact diff-match-patch (no time limit, as scdocs ran it before) on the first --baseline
characters of the same texts, with the time it would take at --size if it kept growing with the
square of the length (measured: 5,000 → 0.30 s, 10,000 → 1.0 s, 20,000 → 3.9 s, 40,000 → 13.7 s).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scdocs.changes.text import _exact, diff_text  # noqa: E402
from scdocs.errors import ScdocsError  # noqa: E402
from scdocs.readers import read_path  # noqa: E402

SUFFIXES = (".md", ".txt", ".html", ".json")


def section_texts(folder: Path) -> list[list[str]]:
    """Per document, the texts of its units (articles, items)."""
    out = []
    for path in sorted(folder.iterdir()):
        if path.suffix not in SUFFIXES:
            continue
        try:
            doc = read_path(path)
        except ScdocsError:
            continue
        texts = [s.text for s in doc.units()]
        if texts:
            out.append(texts)
    return out


def build(sections: list[str], size: int, seed: int) -> str:
    """Sections in a random order, reshuffled on every pass, until `size` characters."""
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        order = sections[:]
        rng.shuffle(order)
        for s in order:
            parts.append(s)
            total += len(s)
            if total >= size:
                break
    return "".join(parts)[:size]


def timed(a: str, b: str) -> tuple[float, dict[str, int]]:
    t = time.perf_counter()
    d = diff_text(a, b)
    return time.perf_counter() - t, d.stats()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="characters a side (default 1,000,000)")
    parser.add_argument("--baseline", type=int, default=20_000,
                        help="characters a side for exact diff-match-patch (default 20,000)")
    args = parser.parse_args()
    folder = Path(os.environ.get("SCDOCS_CORPUS_RAW", "/work/shared/corpus/raw"))
    docs = section_texts(folder)
    if len(docs) < 2:
        sys.exit(f"no corpus documents in {folder}: set SCDOCS_CORPUS_RAW")
    every = [s for d in docs for s in d]
    half = len(docs) // 2
    workloads = {
        "shuffled": (build(every, args.size, 1), build(every, args.size, 2)),
        "different documents": (build([s for d in docs[:half] for s in d], args.size, 3),
                                build([s for d in docs[half:] for s in d], args.size, 4)),
    }
    print(f"corpus: {len(docs)} documents, {len(every)} sections, {sum(map(len, every)):,} characters")
    for name, (a, b) in workloads.items():
        print(f"\n{name}")
        for n in sorted({100_000, 300_000, args.size}):
            if n > args.size:
                continue
            seconds, stats = timed(a[:n], b[:n])
            print(f"  diff_text {n:>9,} chars a side: {seconds:7.2f} s   "
                  f"equal {stats['equal']:,}, deleted {stats['deleted']:,}, inserted {stats['inserted']:,}")
        t = time.perf_counter()
        runs = _exact(a[:args.baseline], b[:args.baseline])
        exact = time.perf_counter() - t
        equal = sum(len(x) for op, x in runs if op == "=")
        projected = exact * (args.size / args.baseline) ** 2
        bounded, _ = timed(a, b)
        print(f"  baseline: exact diff-match-patch {args.baseline:,} chars a side: {exact:.2f} s (equal {equal:,});"
              f" at {args.size:,}: ~{projected:,.0f} s if it grows with the square")
        print(f"  ratio: diff_text at {args.size:,} / exact at {args.baseline:,} = {bounded / exact:.2f}; "
              f"projected exact / diff_text at {args.size:,} = {projected / bounded:,.0f}x")


if __name__ == "__main__":
    main()
