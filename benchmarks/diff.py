"""Diff speed on real workloads, beside difflib on the same whole texts, measured in this run.

    python benchmarks/diff.py [--repeat N] [--cap SECONDS]

Workloads (documents parsed up front; parsing is not timed):
  * the largest version pair by characters: civil-procedure-law-2021 → 2023;
  * the two largest documents by characters, if they are not that pair;
  * all 66 pairs of the twelve local credit regulations (one document against another).

For each workload it prints the end-to-end `diff_documents` time (alignment, text diffs, theme
tagging of both documents, flags), its parts measured alone (section alignment; the
diff-match-patch text diffs of the aligned pairs; tagging), diff-match-patch on the whole
texts, and `difflib.SequenceMatcher(None, a, b).ratio()` + `get_opcodes()` on the same whole
texts (difflib's default autojunk on). difflib runs in a worker process so a pair that takes
longer than --cap seconds can be stopped and reported as skipped. scdocs times are the best of
--repeat runs; the two whole-text baselines run once per pair.
"""

from __future__ import annotations

import argparse
import difflib
import itertools
import multiprocessing as mp
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from multiprocessing.pool import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import best  # noqa: E402

from scdocs.changes import diff_documents  # noqa: E402
from scdocs.changes.align import align  # noqa: E402
from scdocs.changes.text import diff_text  # noqa: E402
from scdocs.document.model import Document  # noqa: E402
from scdocs.readers import read_path  # noqa: E402
from scdocs.themes import load_taxonomy, tag  # noqa: E402
from scdocs.themes.tagger import taggable_sections  # noqa: E402

VERSION_PAIR = ("civil-procedure-law-2021", "civil-procedure-law-2023")
LOCAL = ("shanghai-credit-regs-2017", "shandong-credit-regs-2020", "shenzhen-credit-regs-2022",
         "zhejiang-public-credit-info-regs-2017", "xinjiang-credit-regs-2024", "ningxia-credit-regs-2023",
         "hebei-credit-info-regs-2023", "shenyang-credit-regs-2023", "tangshan-credit-promotion-regs-2023",
         "chengde-credit-promotion-regs-2024", "zhangye-credit-promotion-regs-2023",
         "hainan-ftp-market-entry-dishonesty-rules-2023")



def difflib_job(a: str, b: str) -> tuple[float, float, int]:
    """What the baseline does with two whole texts: similarity and the edit script."""
    t = time.perf_counter()
    sm = difflib.SequenceMatcher(None, a, b)
    ratio = sm.ratio()
    opcodes = sm.get_opcodes()
    return time.perf_counter() - t, ratio, len(opcodes)


class Baseline:
    """difflib in one worker process, restarted whenever a pair runs past the cap."""

    def __init__(self, cap: float) -> None:
        self.cap = cap
        methods = mp.get_all_start_methods()
        self.ctx = mp.get_context("fork" if "fork" in methods else "spawn")
        self.pool: Pool | None = None

    def run(self, a: str, b: str) -> tuple[float, float, int] | None:
        if self.pool is None:
            self.pool = self.ctx.Pool(1)
        try:
            return self.pool.apply_async(difflib_job, (a, b)).get(timeout=self.cap)
        except mp.TimeoutError:
            self.pool.terminate()
            self.pool.join()
            self.pool = None
            return None

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool.join()


@dataclass
class Row:
    name: str
    pairs: int = 0
    chars: int = 0
    e2e: float = 0.0
    align: float = 0.0
    text: float = 0.0
    tag: float = 0.0
    dmp_whole: float = 0.0
    difflib: float = 0.0
    difflib_pairs: int = 0
    skipped: list[str] = field(default_factory=list)


def measure(row: Row, names: tuple[str, str], old: Document, new: Document, repeat: int, baseline: Baseline,
            taxonomy: object) -> None:
    """Add one pair's figures to `row`: the whole path, its parts alone, and the baselines."""
    english = old.meta.language == "en" and new.meta.language == "en"
    ou, nu = taggable_sections(old), taggable_sections(new)
    links, _ = align(ou, nu, "content")
    both = [(ou[k.old].text, nu[k.new].text) for k in links if k.old is not None and k.new is not None]
    row.pairs += 1
    row.chars += len(old.text) + len(new.text)
    row.e2e += best(lambda: diff_documents(old, new, taxonomy=taxonomy), repeat)  # type: ignore[arg-type]
    row.align += best(lambda: align(taggable_sections(old), taggable_sections(new), "content"), repeat)
    row.text += best(lambda: [diff_text(a, b, words=english) for a, b in both], repeat)
    row.tag += best(lambda: (tag(old, taxonomy), tag(new, taxonomy)), repeat)  # type: ignore[arg-type]
    row.dmp_whole += best(lambda: diff_text(old.text, new.text, words=english), 1)  # a baseline: one run
    got = baseline.run(old.text, new.text)
    if got is None:
        row.skipped.append(" / ".join(names))
    else:
        row.difflib += got[0]
        row.difflib_pairs += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="best of N for scdocs timings (default 3)")
    parser.add_argument("--cap", type=float, default=60.0, help="seconds before a difflib pair is skipped")
    args = parser.parse_args()
    raw = Path(os.environ.get("SCDOCS_CORPUS_RAW", ROOT.parent / "shared" / "corpus" / "raw"))
    if not raw.is_dir():
        print(f"corpus folder {raw} not found: set SCDOCS_CORPUS_RAW", file=sys.stderr)
        return 2
    docs: dict[str, Document] = {}
    for p in sorted(raw.iterdir()):
        if p.is_file() and p.name != "SOURCES.tsv":
            docs[p.stem] = read_path(p)
    missing = [n for n in (*VERSION_PAIR, *LOCAL) if n not in docs]
    if missing:
        print("missing from the corpus: " + ", ".join(missing), file=sys.stderr)
        return 2
    taxonomy = load_taxonomy()
    diff_documents(docs[LOCAL[0]], docs[LOCAL[1]], taxonomy=taxonomy)  # warm up: build the spaCy pipeline once

    baseline = Baseline(args.cap)
    rows = []
    try:
        workloads: list[tuple[str, list[tuple[str, str]]]] = [
            ("civil-procedure 2021→2023", [VERSION_PAIR])]
        largest = sorted(docs, key=lambda n: -len(docs[n].text))[:2]
        if set(largest) != set(VERSION_PAIR):
            workloads.append((f"largest two: {largest[0]} / {largest[1]}", [(largest[0], largest[1])]))
        else:
            print(f"the two largest documents by characters are {VERSION_PAIR[0]} / {VERSION_PAIR[1]}")
        workloads.append(("12 local credit regs, all pairs", list(itertools.combinations(LOCAL, 2))))
        for name, pairs in workloads:
            row = Row(name)
            for a, b in pairs:
                measure(row, (a, b), docs[a], docs[b], args.repeat, baseline, taxonomy)
            rows.append(row)
    finally:
        baseline.close()

    print(f"corpus: {raw}; scdocs best of {args.repeat}; difflib one run per pair, cap {args.cap:g} s; "
          f"python {sys.version.split()[0]}")
    w = max(len(r.name) for r in rows)
    head = (f"{'workload':{w}} {'pairs':>5} {'chars':>9} {'scdocs':>8} {'align':>7} {'text':>7} {'tag':>7} "
            f"{'dmp-all':>8} {'difflib':>8} {'difflib/scdocs':>14}")
    print(head)
    print("-" * len(head))
    for r in rows:
        ratio = f"{r.difflib / r.e2e:14.2f}" if r.difflib_pairs == r.pairs else f"{'n/a':>14}"
        lib = f"{r.difflib:8.3f}" if r.difflib_pairs else f"{'skipped':>8}"
        print(f"{r.name:{w}} {r.pairs:5d} {r.chars:9,d} {r.e2e:8.3f} {r.align:7.3f} {r.text:7.3f} {r.tag:7.3f} "
              f"{r.dmp_whole:8.3f} {lib} {ratio}")
        if r.skipped:
            print(f"  difflib skipped {len(r.skipped)} pair(s) over {args.cap:g} s: " + "; ".join(r.skipped))
    print("seconds; chars = old + new characters summed over pairs. scdocs = diff_documents end to end; "
          "align = section alignment alone; text = diff-match-patch on the aligned pairs alone; tag = theme "
          "tagging of both documents; dmp-all = diff-match-patch on the whole texts; difflib = "
          "SequenceMatcher(None, a, b).ratio() + get_opcodes() on the whole texts.")
    cli = _command_line(raw)
    old, new = (docs[n].text for n in VERSION_PAIR)
    t0 = time.perf_counter()
    difflib_job(old, new)
    lib = time.perf_counter() - t0
    print(f"\nscdocs diff {VERSION_PAIR[0]} {VERSION_PAIR[1]} --format json, a new process end to end "
          f"(start-up, reading, moves, JSON): best of {args.repeat} {min(cli):.3f} s (target < 2 s); "
          f"difflib on the same texts {lib:.3f} s; ratio difflib/scdocs {lib / min(cli):.2f}")
    return 0


def _command_line(raw: Path, repeat: int = 3) -> list[float]:
    """Seconds for the command a scholar types, in a fresh process each time."""
    exe = Path(sys.executable).with_name("scdocs")
    cmd = [str(exe), "diff", *(str(next(raw.glob(f"{n}.*"))) for n in VERSION_PAIR), "--format", "json"]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return times


if __name__ == "__main__":
    raise SystemExit(main())
