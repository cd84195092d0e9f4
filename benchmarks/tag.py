"""Tagging speed on the whole corpus, beside a plain `re` alternation of the same patterns.

    python benchmarks/tag.py [--repeat N]

Three figures, all measured in this run on the same section texts (documents parsed up front):
  * scdocs tag: the full path, with the learned model (the default engine) and with the rules alone
    (character matcher, decisions, evidence);
  * scdocs matcher: the character-level matcher alone (Aho-Corasick + regexes, all overlapping hits);
  * baseline: one `re` alternation of the same Chinese phrases and regexes (leftmost, non-overlapping).
It also times `scdocs --help` and `scdocs themes` (spaCy must not be imported for them).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import best  # noqa: E402

from scdocs.readers import read_path  # noqa: E402
from scdocs.themes import load_taxonomy, tag  # noqa: E402
from scdocs.themes.component import CharMatcher  # noqa: E402
from scdocs.themes.tagger import taggable_sections  # noqa: E402


def command_time(args: list[str], repeat: int = 3) -> float:
    exe = str(Path(sys.executable).parent / "scdocs")
    cmd = [exe, *args] if Path(exe).exists() else [sys.executable, "-m", "scdocs", *args]
    return best(lambda: subprocess.run(cmd, capture_output=True, check=True), repeat)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--large", type=float, default=0, metavar="MB",
                        help="also tag one synthetic law of this many MB end to end (read + parse + tag)")
    args = parser.parse_args()
    raw = Path(os.environ.get("SCDOCS_CORPUS_RAW", ROOT.parent / "shared" / "corpus" / "raw"))
    docs = [read_path(p) for p in sorted(raw.iterdir()) if p.is_file() and p.name != "SOURCES.tsv"]
    texts = [s.text for d in docs for s in taggable_sections(d)]
    chars = sum(len(t) for t in texts)
    nbytes = sum(len(t.encode("utf-8")) for t in texts)
    taxonomy = load_taxonomy()
    patterns = taxonomy.patterns()
    tag(docs[0])  # warm up: build the pipeline once

    full = best(lambda: [tag(d) for d in docs], args.repeat)
    rules = best(lambda: [tag(d, engine="rules") for d in docs], args.repeat)
    matcher = CharMatcher(patterns)
    core = best(lambda: [matcher(t) for t in texts], args.repeat)
    alternation = re.compile("|".join(
        [re.escape(str(p.value)) for p in sorted(patterns, key=lambda p: -len(str(p.value))) if p.kind == "zh"]
        + [f"(?:{p.value})" for p in patterns if p.kind == "regex"]))
    base = best(lambda: [list(alternation.finditer(t)) for t in texts], args.repeat)
    n_cn = sum(1 for p in patterns if p.kind in ("zh", "regex"))

    print(f"corpus: {len(docs)} documents, {len(texts)} sections, {chars:,} characters ({nbytes / 1e6:.2f} MB UTF-8); "
          f"{n_cn} Chinese patterns, best of {args.repeat}")
    print(f"{'':28} {'seconds':>9} {'chars/s':>12} {'MB/s':>8} {'vs re':>7}")
    for name, secs in (("scdocs tag (model, default)", full), ("scdocs tag --engine rules", rules),
                       ("scdocs matcher (core)", core),
                       ("baseline: re alternation", base)):
        print(f"{name:28} {secs:9.3f} {chars / secs:12,.0f} {nbytes / secs / 1e6:8.2f} {base / secs:7.2f}")
    print(f"scdocs --help: {command_time(['--help']):.3f} s;  scdocs themes: {command_time(['themes']):.3f} s")
    if args.large:
        large(texts, args.large, alternation)
    return 0


def large(texts: list[str], mb: float, alternation: re.Pattern[str]) -> None:
    """One law of `mb` MB built from the corpus's section texts, renumbered 第1条 … and tagged end to end
    (bytes → Document → tags) with each engine, beside the `re` alternation over the same text."""
    from scdocs.readers import read_bytes

    body, size, n = [], 0, 0
    while size < mb * 1e6:
        for text in texts:
            n += 1
            line = f"第{n}条　" + text.replace("\n", "").split("　", 1)[-1]
            body.append(line)
            size += len(line.encode("utf-8")) + 1
            if size >= mb * 1e6:
                break
    data = ("合成条例\n" + "\n".join(body) + "\n").encode("utf-8")
    print(f"\nlarge input: {len(data) / 1e6:.1f} MB, {n:,} articles, end to end (read, parse, tag), one run each")
    import time

    t0 = time.perf_counter()
    doc = read_bytes(data, "large.md")
    parse = time.perf_counter() - t0
    print(f"  read + parse              {parse:8.2f} s {len(data) / parse / 1e6:8.2f} MB/s")
    for engine in ("auto", "rules"):
        t0 = time.perf_counter()
        tag(doc, engine=engine)
        secs = time.perf_counter() - t0
        print(f"  tag --engine {engine:5}        {secs:8.2f} s {len(data) / secs / 1e6:8.2f} MB/s; with parsing "
              f"{len(data) / (secs + parse) / 1e6:.2f} MB/s")
    text = data.decode("utf-8")
    t0 = time.perf_counter()
    list(alternation.finditer(text))
    secs = time.perf_counter() - t0
    print(f"  baseline: re alternation  {secs:8.2f} s {len(data) / secs / 1e6:8.2f} MB/s (matching only)")


if __name__ == "__main__":
    raise SystemExit(main())
