"""Parsing speed on the raw corpus, against a plain-regex baseline measured in the same run.

    python benchmarks/parse.py [--repeat N]

Every document in $SCDOCS_CORPUS_RAW (default ../shared/corpus/raw) is read into memory once,
so disk I/O is not measured, then parsed with `scdocs.readers.read_bytes` (decoding, HTML
extraction, structure recognition). The baseline does the least any parser must: decode the
same bytes and split them into lines, matching 第X条 / （X） starts with one regex. Both are
timed with time.perf_counter, best of N repeats, after one untimed warm-up pass (lazy imports,
regex compilation). Throughput is reported per format (as `sniff` sees the file) and overall:
documents/s, characters/s of canonical text, and the baseline's characters/s of decoded text.
The ratio compares the two on the same input bytes (baseline time / scdocs time), so it does
not depend on how many characters each counts.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scdocs.errors import ScdocsError  # noqa: E402
from scdocs.readers import read_bytes, sniff  # noqa: E402

FORMATS = ("markdown", "text", "html", "json")
# Article (第十二条, 第12条) and item (（十二）, (12)) starts: what a naive splitter would look for.
_NUM = "一二三四五六七八九十百千零〇两0-9"
BASELINE_START = re.compile(rf"^[ \t\u3000]*(?:第[{_NUM}]+条|[（(][{_NUM}]+[）)])")


@dataclass
class Doc:
    """One corpus file's bytes, format and canonical length, loaded before any timing."""

    name: str
    data: bytes
    fmt: str
    chars: int = 0  # characters of canonical text (scdocs)
    raw_chars: int = 0  # characters of decoded text (baseline)


@dataclass
class Timing:
    """Best-of-N seconds for one group of documents."""

    scdocs: float = float("inf")
    baseline: float = float("inf")
    runs: list[float] = field(default_factory=list)


def baseline(data: bytes) -> tuple[int, int]:
    """Decode and split into lines, counting numbered starts: (decoded characters, starts)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="replace")
    starts = 0
    for line in text.splitlines():
        if BASELINE_START.match(line):
            starts += 1
    return len(text), starts


def load_corpus(raw: Path) -> list[Doc]:
    """Every document file (SOURCES.tsv is a listing), read once."""
    if not raw.is_dir():
        raise SystemExit(f"error: corpus folder {raw} not found: set SCDOCS_CORPUS_RAW")
    docs = []
    for path in sorted(raw.iterdir()):
        if path.is_file() and path.name != "SOURCES.tsv":
            data = path.read_bytes()
            docs.append(Doc(path.name, data, sniff(data, path.name)))
    return docs


def time_pass(docs: list[Doc], fn: str) -> dict[str, float]:
    """Seconds per format for one pass of scdocs or the baseline over every document."""
    spent = dict.fromkeys(FORMATS, 0.0)
    clock = time.perf_counter
    for d in docs:
        if fn == "scdocs":
            t0 = clock()
            read_bytes(d.data, d.name)
            t1 = clock()
        else:
            t0 = clock()
            baseline(d.data)
            t1 = clock()
        spent[d.fmt] = spent.get(d.fmt, 0.0) + (t1 - t0)
    return spent


def rate(amount: float, seconds: float) -> str:
    if seconds <= 0 or seconds == float("inf"):
        return "-"
    value = amount / seconds
    for unit, scale in (("M", 1e6), ("k", 1e3)):
        if value >= scale:
            return f"{value / scale:.2f}{unit}"
    return f"{value:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, metavar="N", help="best of N passes (default 5)")
    args = parser.parse_args()
    repeat = max(1, args.repeat)
    raw = Path(os.environ.get("SCDOCS_CORPUS_RAW", ROOT.parent / "shared" / "corpus" / "raw"))
    docs = load_corpus(raw)

    # Warm-up pass: lazy imports, and the canonical lengths; a document that fails is reported, not timed.
    usable = []
    for d in docs:
        try:
            d.chars = len(read_bytes(d.data, d.name).text)
        except ScdocsError as exc:
            print(f"skipped {d.name}: {exc}", file=sys.stderr)
            continue
        d.raw_chars = baseline(d.data)[0]
        usable.append(d)
    docs = usable
    formats = [f for f in FORMATS if any(d.fmt == f for d in docs)]
    formats += sorted({d.fmt for d in docs} - set(FORMATS))

    best = {f: Timing() for f in [*formats, "all"]}
    for _ in range(repeat):
        for fn in ("scdocs", "baseline"):
            gc.collect()
            spent = time_pass(docs, fn)
            spent["all"] = sum(spent.values())
            for f, seconds in spent.items():
                if f in best:
                    current = getattr(best[f], fn)
                    setattr(best[f], fn, min(current, seconds))

    total_bytes = sum(len(d.data) for d in docs)
    print(f"scdocs parse benchmark: {len(docs)} documents, {total_bytes / 1e6:.2f} MB from {raw}")
    print(f"Python {platform.python_version()} on {platform.machine()}, best of {repeat} "
          f"(time.perf_counter, input already in memory)\n")
    header = (f"{'format':9} {'docs':>4} {'chars':>9} {'scdocs s':>9} {'docs/s':>8} {'chars/s':>8} "
              f"{'base s':>8} {'base chars/s':>12} {'ratio':>7} {'slower':>7}")
    print(header)
    print("-" * len(header))
    for f in [*formats, "all"]:
        group = [d for d in docs if f in ("all", d.fmt)]
        chars = sum(d.chars for d in group)
        raw_chars = sum(d.raw_chars for d in group)
        t = best[f]
        ratio = t.baseline / t.scdocs if t.scdocs > 0 else float("nan")
        print(f"{f:9} {len(group):4d} {chars:9,d} {t.scdocs:9.4f} {rate(len(group), t.scdocs):>8} "
              f"{rate(chars, t.scdocs):>8} {t.baseline:8.4f} {rate(raw_chars, t.baseline):>12} "
              f"{ratio:7.4f} {1 / ratio:6.1f}x")
    print("\nchars/s: canonical-text characters per second (scdocs); base chars/s: decoded characters\n"
          "per second (baseline: decode + splitlines + one start regex); ratio: baseline time / scdocs\n"
          "time on the same bytes (the fraction of the baseline's speed scdocs reaches); slower: 1/ratio.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
