"""Merge two blind readers' theme labels into one label set: agreed themes, disputed ones set aside.

Usage: python benchmarks/labels_agree.py READER_1.tsv READER_2.tsv OUT.tsv

Both files have the columns doc, section, themes, disputed and label the same sections. A theme
both readers gave is a label; a theme only one gave goes to `disputed` (scored neither right nor
wrong). Cohen's kappa is computed over every (section, theme) decision of the fourteen core themes.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scdocs.themes import CORE_THEME_IDS


def read(path: Path) -> dict[tuple[str, int], set[str]]:
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return {(r["doc"], int(r["section"])): set() if r["themes"].strip() in ("", "-") else set(r["themes"].split(","))
            for r in rows}


def kappa(a: dict[tuple[str, int], set[str]], b: dict[tuple[str, int], set[str]]) -> float:
    cells = [(k, t) for k in a for t in CORE_THEME_IDS]
    n = len(cells)
    ya = [t in a[k] for k, t in cells]
    yb = [t in b[k] for k, t in cells]
    po = sum(x == y for x, y in zip(ya, yb, strict=True)) / n
    pa, pb = sum(ya) / n, sum(yb) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    return (po - pe) / (1 - pe)


def main() -> int:
    a, b = read(Path(sys.argv[1])), read(Path(sys.argv[2]))
    if set(a) != set(b):
        print(f"the readers labelled different sections: {sorted(set(a) ^ set(b))[:5]}", file=sys.stderr)
        return 2
    with Path(sys.argv[3]).open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["doc", "section", "themes", "disputed"])
        for key in sorted(a, key=lambda k: (k[0], k[1])):
            agreed, disputed = a[key] & b[key], a[key] ^ b[key]
            w.writerow([key[0], key[1], ",".join(sorted(agreed)) or "-", ",".join(sorted(disputed)) or "-"])
    decisions = len(a) * len(CORE_THEME_IDS)
    both = sum(len(a[k] & b[k]) for k in a)
    split = sum(len(a[k] ^ b[k]) for k in a)
    print(f"{len(a)} sections; Cohen's kappa {kappa(a, b):.3f} over {decisions} section-theme decisions; "
          f"{both} agreed labels, {split} disputed (set aside)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
