"""Batch throughput: tag + index a synthetic corpus of 2,000 documents with --jobs 1, 2 and 4.

    python benchmarks/scale.py [--documents N]

The synthetic documents are made from the real ones (corpus folder: $SCDOCS_CORPUS_RAW, default
../shared/corpus/raw): each takes the articles of a real law or regulation in shuffled order,
renumbered, so parsing, tagging and indexing do real work on real text. The baseline, measured
in the same run, is the same pipeline in one process; the ratio shows what more cores buy. --jobs
is capped at the cores available (`workers` in the output), so on a two-core machine 4 runs as 2.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scdocs.corpus.batch import directory_jobs, update_index  # noqa: E402
from scdocs.corpus.engine import workers_for  # noqa: E402
from scdocs.corpus.index import SearchIndex  # noqa: E402
from scdocs.document.numerals import int_to_chinese  # noqa: E402
from scdocs.readers import read_path  # noqa: E402


def synthesize(raw: Path, out: Path, n: int, seed: int = 7) -> int:
    """Write n synthetic laws built from shuffled articles of the real ones; returns total characters."""
    rng = random.Random(seed)
    sources = []
    for p in sorted(raw.iterdir()):
        if p.name == "SOURCES.tsv":
            continue
        doc = read_path(p)
        bodies = [u.text[len(u.num or ""):].lstrip("　 ") for u in doc.units() if u.kind == "article"]
        if len(bodies) >= 5:
            sources.append((doc.meta.title, bodies))
    total = 0
    for i in range(n):
        title, bodies = sources[i % len(sources)]
        picked = rng.sample(bodies, k=max(5, len(bodies) // 2))
        text = f"{title}（合成{i}）\n" + "\n".join(f"第{int_to_chinese(k)}条　{b}" for k, b in enumerate(picked, 1))
        (out / f"doc-{i:05d}.txt").write_text(text, encoding="utf-8")
        total += len(text)
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=2000)
    args = parser.parse_args()
    raw = Path(os.environ.get("SCDOCS_CORPUS_RAW", ROOT.parent / "shared" / "corpus" / "raw"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        chars = synthesize(raw, folder, args.documents)
        jobs = list(directory_jobs(folder))
        print(f"synthetic corpus: {len(jobs)} documents, {chars:,} characters; {os.cpu_count()} cores")
        results = {}
        for n in (1, 2, 4):
            index = SearchIndex(Path(tmp) / f"index-{n}.sqlite")
            t = time.perf_counter()
            report = update_index(index, jobs, jobs_n=n)
            secs = time.perf_counter() - t
            index.close()
            assert report.processed == len(jobs) and not report.failed, report
            results[n] = secs
            print(f"--jobs {n} (workers {workers_for(n)}): {secs:7.2f} s  {len(jobs) / secs:8.1f} documents/s  "
                  f"{chars / secs:12,.0f} chars/s  "
                  f"speed-up vs --jobs 1: {results[1] / secs:.2f}")
        index = SearchIndex(Path(tmp) / "index-1.sqlite")
        t = time.perf_counter()
        report = update_index(index, jobs, jobs_n=1)
        print(f"resume (nothing changed): {time.perf_counter() - t:.2f} s, {report.skipped} skipped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
