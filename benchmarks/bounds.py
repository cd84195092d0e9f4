"""Time and memory up to the size cap: `scdocs tag` on large inputs and the start-up of `scdocs diff`.

    python benchmarks/bounds.py [--mb 20] [--articles 80000]

Each figure comes from a child process (wall time, CPU time and peak resident memory from
`os.wait4`), beside a baseline measured in the same run on the same input:
  * tag, corpus-like text: one law of MB megabytes built from the corpus's article texts,
    renumbered; `scdocs tag FILE --format jsonl --output OUT` (read, parse, tag, write) against a
    child that reads the file and runs one `re` alternation of the same cue patterns over it, and
    scdocs's own cue matcher alone over the same text in a child of its own;
  * tag, many short articles: the same with N one-sentence articles (per-section cost);
  * diff of a long text of look-alike articles: two versions of a law of N articles of one
    liability template (one article edited), `scdocs diff A B --format json --output OUT` against a
    child that runs difflib's line diff (unified_diff) over the same two files;
  * start-up: `scdocs diff A B` on two three-line files against a bare `python -c pass`, as
    installed and, where PYTHONDONTWRITEBYTECODE is set, as this environment runs a checkout
    (scdocs's own modules compiled from source at every start).
Every child runs as installed unless said otherwise: Python's bytecode is cached (as `pip install`
leaves it) in a folder of the run's own, even where PYTHONDONTWRITEBYTECODE is set.
Memory is reported as peak RSS and as the growth over the same command on a tiny input (what
the input itself costs), with its ratio to the input's size. The inputs are made by a child
process of their own: a child's peak RSS counts what it shares with this process when forked, so
this process never holds them. Corpus texts are read from $SCDOCS_CORPUS_RAW (default
../shared/corpus/raw) and written only to a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MATCHING = """
import sys
from scdocs.themes import load_taxonomy
from scdocs.themes.matcher import CharMatcher
matcher = CharMatcher(load_taxonomy().pattern_index().values())
text = open(sys.argv[1], encoding="utf-8").read()
print(len(matcher(text)))
"""

LINE_DIFF = """
import difflib, sys
a, b = (open(p, encoding="utf-8").read().splitlines() for p in sys.argv[1:3])
print(sum(1 for _ in difflib.unified_diff(a, b, lineterm="")))
"""

BASELINE = """
import re, sys, tomllib
from scdocs.themes import load_taxonomy
patterns = load_taxonomy().patterns()
alternation = re.compile("|".join(
    [re.escape(str(p.value)) for p in sorted(patterns, key=lambda p: -len(str(p.value))) if p.kind == "zh"]
    + [f"(?:{p.value})" for p in patterns if p.kind == "regex"]))
text = open(sys.argv[1], encoding="utf-8").read()
print(sum(1 for _ in alternation.finditer(text)))
"""


@dataclass
class Measure:
    wall: float
    cpu: float
    peak_mb: float


def measure(cmd: list[str], repeat: int = 1, env: dict[str, str] | None = None) -> Measure:
    """Best wall and CPU time, and the peak RSS, of a child process over `repeat` runs."""
    best: Measure | None = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        assert proc.stderr is not None
        err = proc.stderr.read().decode("utf-8", "replace")
        proc.stderr.close()
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{' '.join(cmd)} failed: {err[-500:]}")
        m = Measure(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)
        best = m if best is None or m.wall < best.wall else best
    assert best is not None
    return best


def scdocs_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "scdocs", *args]


def corpus_articles(raw: Path) -> list[str]:
    from scdocs.readers import read_path
    from scdocs.themes.tagger import taggable_sections

    docs = [read_path(p) for p in sorted(raw.iterdir()) if p.is_file() and p.name != "SOURCES.tsv"]
    return [s.text.replace("\n", "").split("　", 1)[-1] for d in docs for s in taggable_sections(d)]


def corpus_like(texts: list[str], mb: float) -> str:
    """A law of about `mb` MB: the corpus's section texts over and over, renumbered 第1条 …"""
    body, size, n = [], 0, 0
    while size < mb * 1e6:
        for text in texts:
            n += 1
            line = f"第{n}条　{text}"
            body.append(line)
            size += len(line.encode("utf-8")) + 1
            if size >= mb * 1e6:
                break
    return "合成条例\n" + "\n".join(body) + "\n"


def short_articles(texts: list[str], n: int, seed: int = 7) -> str:
    """`n` one-sentence articles: the first sentence of a random corpus article each."""
    rng = random.Random(seed)
    sentences = [t.split("。", 1)[0][:60] + "。" for t in texts if len(t) > 8]
    return "合成条例\n" + "\n".join(f"第{i}条　{rng.choice(sentences)}" for i in range(1, n + 1)) + "\n"


def template_law(n: int, seed: int = 5, edit: int | None = None) -> str:
    """`n` articles of one liability template with random actors, acts and fines; `edit`: the index of
    one article whose wording changes."""
    rng = random.Random(seed)
    actors = ["个人信息处理者", "行政机关", "信用服务机构", "公共信用信息提供单位"]
    acts = ["归集", "修改", "公开", "查询"]
    lines = []
    for i in range(n):
        body = (f"{rng.choice(actors)}违反本条例规定，擅自{rng.choice(acts)}信用信息的，由有关部门责令改正，"
                f"处{rng.randint(1, 99)}万元以上{rng.randint(100, 999)}万元以下罚款。")
        lines.append(f"第{i + 1}条　" + (body.replace("责令改正", "责令限期改正") if i == edit else body))
    return "模板条例\n" + "\n".join(lines) + "\n"


def report(name: str, nbytes: int, tiny: Measure, run: Measure, base: Measure, matching: Measure) -> None:
    grown = max(run.peak_mb - tiny.peak_mb, 0.0)
    mb = nbytes / 1e6
    print(f"{name}: {mb:.1f} MB")
    print(f"  scdocs tag        wall {run.wall:6.2f} s  cpu {run.cpu:6.2f} s  {mb / run.cpu:5.2f} MB/s per core  "
          f"peak {run.peak_mb:6.0f} MB ({grown:.0f} MB over a tiny input = {grown / mb:.1f} x the input)")
    print(f"  baseline: re      wall {base.wall:6.2f} s  cpu {base.cpu:6.2f} s  {mb / base.cpu:5.2f} MB/s per core  "
          f"peak {base.peak_mb:6.0f} MB")
    print(f"  ratio (baseline cpu / scdocs cpu): {base.cpu / run.cpu:.2f}")
    print(f"  scdocs's cue matching alone (the same cues, no parsing, deciding or writing): cpu {matching.cpu:6.2f} s, "
          f"ratio {base.cpu / matching.cpu:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=20.0, help="size of the corpus-like law")
    parser.add_argument("--articles", type=int, default=80_000, help="number of short articles")
    parser.add_argument("--repeat", type=int, default=5, help="runs of the start-up measure (best kept)")
    parser.add_argument("--template", type=int, default=30_000, help="articles of the look-alike law diffed")
    parser.add_argument("--write-inputs", type=Path, help=argparse.SUPPRESS)  # the child that makes the inputs
    args = parser.parse_args()
    raw = Path(os.environ.get("SCDOCS_CORPUS_RAW", ROOT.parent / "shared" / "corpus" / "raw"))
    if args.write_inputs:
        texts = corpus_articles(raw)
        (args.write_inputs / "law.txt").write_text(corpus_like(texts, args.mb), encoding="utf-8")
        (args.write_inputs / "short.txt").write_text(short_articles(texts, args.articles), encoding="utf-8")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        tiny_a, tiny_b = folder / "a.txt", folder / "b.txt"
        tail = "，制定本条例。\n第二条　本条例自公布之日起施行。\n"
        tiny_a.write_text("某条例\n第一条　为了规范管理" + tail, encoding="utf-8")
        tiny_b.write_text("某条例\n第一条　为了加强管理" + tail, encoding="utf-8")
        out = folder / "out.jsonl"
        # Every child runs as installed: Python's bytecode cached in a folder of the run's own (as
        # `pip install` leaves it), even where PYTHONDONTWRITEBYTECODE is set; the first run writes it.
        installed = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        installed["PYTHONPYCACHEPREFIX"] = str(folder / "bytecode")
        measure(scdocs_cmd("diff", str(tiny_a), str(tiny_b)), 1, installed)
        tiny = measure(scdocs_cmd("tag", str(tiny_a), "--format", "jsonl", "--output", str(out)), 1, installed)
        subprocess.run([sys.executable, __file__, "--mb", str(args.mb), "--articles", str(args.articles),
                        "--write-inputs", str(folder)], check=True)
        for name, path in ((f"corpus-like text, {args.mb:g} MB", folder / "law.txt"),
                           (f"{args.articles:,} short articles", folder / "short.txt")):
            nbytes = path.stat().st_size
            run = measure(scdocs_cmd("tag", str(path), "--format", "jsonl", "--output", str(out)), 1, installed)
            base = measure([sys.executable, "-c", BASELINE, str(path)], 1, installed)
            matching = measure([sys.executable, "-c", MATCHING, str(path)], 1, installed)
            report(name, nbytes, tiny, run, base, matching)
        old_law, new_law = folder / "template-old.txt", folder / "template-new.txt"
        old_law.write_text(template_law(args.template), encoding="utf-8")
        new_law.write_text(template_law(args.template, edit=args.template // 2), encoding="utf-8")
        run = measure(scdocs_cmd("diff", str(old_law), str(new_law), "--format", "json", "--output",
                                 str(folder / "diff.json")), 1, installed)
        base = measure([sys.executable, "-c", LINE_DIFF, str(old_law), str(new_law)], 1, installed)
        print(f"diff, {args.template:,} look-alike articles ({old_law.stat().st_size / 1e6:.1f} MB a side, one edited):"
              f"\n  scdocs diff       wall {run.wall:6.2f} s  cpu {run.cpu:6.2f} s  peak {run.peak_mb:6.0f} MB"
              f"\n  baseline: difflib wall {base.wall:6.2f} s  cpu {base.cpu:6.2f} s  peak {base.peak_mb:6.0f} MB"
              f"\n  ratio (baseline cpu / scdocs cpu): {base.cpu / run.cpu:.2f}")
        diff = scdocs_cmd("diff", str(tiny_a), str(tiny_b))
        bare = measure([sys.executable, "-c", "pass"], args.repeat, installed)
        runs = [("installed", installed)]
        if os.environ.get("PYTHONDONTWRITEBYTECODE"):  # as this environment runs a checkout: compiled every start
            runs.append(("without bytecode of its own (PYTHONDONTWRITEBYTECODE)", dict(os.environ)))
        for name, env in runs:
            start = measure(diff, args.repeat, env)
            print(f"start-up ({name}): scdocs diff on two 3-line files {start.wall:.3f} s wall "
                  f"({start.cpu:.3f} s cpu); bare python {bare.wall:.3f} s; scdocs's own "
                  f"{start.wall - bare.wall:.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
