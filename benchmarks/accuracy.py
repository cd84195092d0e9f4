"""Tagger accuracy, measured honestly: per-theme precision, recall and F1 and micro averages.

    python benchmarks/accuracy.py [--errors] [--gold FILE]

Without --gold it prints three tables over every labelled document (the shared dev gold and
benchmarks/labels/set-a … set-f):

1. The learned tagger, leave-one-document-out: for each document a model is trained on the
   other documents and predicts it. No document is scored by a model that saw its labels. (Its
   cue features come from the rule tagger, whose cues were tuned on the dev gold and sets a–d.)
2. The same cross-validated predictions on sets e, f and g alone (and each of e, f, g and h apart;
   set h, the company and civil procedure laws, was read to choose the credit-system scope, so its
   figure is on tuning data) (PIPL, NSL, six local credit
   regulations; and g: the anti-money-laundering law and three business-environment and
   disclosure regulations, another family of texts), labelled blind by two readers after every
   tuning of cues and features: labels no tuning read.
3. The rule tagger (`--engine rules`) on the same documents, split into the documents its cues
   were tuned on (a figure on tuning data, named so) and sets e, f and g (never read by any tuning).

With --gold FILE it scores the shipped tagger (the learned model) on that one file.
Documents come from $SCDOCS_CORPUS_RAW (default ../shared/corpus/raw).
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scdocs.readers import read_path  # noqa: E402
from scdocs.themes import load_taxonomy  # noqa: E402
from scdocs.themes.evaluate import Evaluation, read_gold  # noqa: E402
from scdocs.themes.model import load_model  # noqa: E402
from scdocs.themes.train import cross_validate, evaluate_tagger, examples, rule_themes, score  # noqa: E402

LABELS = ROOT / "benchmarks" / "labels"
UNTUNED = ("set-e.tsv", "set-f.tsv", "set-g.tsv")  # labelled blind after every tuning of cues and features
# Labelled blind too, but read to choose the taxonomy's credit-system scope (general laws): tuning data.
LATER = ("set-h.tsv",)


def show(title: str, ev: Evaluation) -> None:
    print(f"\n{title}")
    print(f"{'theme':24} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
    for theme, s in sorted(ev.per_theme.items()):
        print(f"{theme:24} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp:4d} {s.fp:4d} {s.fn:4d}")
    m = ev.micro
    print(f"{'micro':24} {m.precision:6.3f} {m.recall:6.3f} {m.f1:6.3f} {m.tp:4d} {m.fp:4d} {m.fn:4d}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--errors", action="store_true", help="list every false positive and false negative")
    parser.add_argument("--gold", type=Path, help="score the shipped tagger on this labels file only")
    args = parser.parse_args()
    warnings.filterwarnings("ignore", module="sklearn")
    raw = Path(os.environ.get("SCDOCS_CORPUS_RAW", ROOT.parent / "shared" / "corpus" / "raw"))
    files = {p.stem: p for p in raw.iterdir() if p.is_file()}

    def load(doc_id: str):  # type: ignore[no-untyped-def]
        return read_path(files[doc_id])

    tax = load_taxonomy()
    if args.gold:
        ev = evaluate_tagger(read_gold(args.gold), load, tax, load_model())
        show(f"shipped model on {args.gold} (trained on all labels: a figure on training data)", ev)
    else:
        dev = raw.parent.parent / "gold" / "themes-dev.tsv"
        tuned_files = [dev, *sorted(p for p in LABELS.glob("set-*.tsv") if p.name not in UNTUNED)]
        tuned = [r for f in tuned_files for r in read_gold(f)]
        untouched = [LABELS / name for name in UNTUNED if (LABELS / name).exists()]
        untuned = [r for f in untouched for r in read_gold(f)]
        names = " + ".join(f.name for f in untouched)
        every = examples(tuned + untuned, load, tax)
        docs = {e.doc for e in every}
        print(f"{len(every)} labelled sections of {len(docs)} documents ({len(untuned)} of them in {names})")
        ev, predicted = cross_validate(every, tax, with_predictions=True)
        show("1. learned tagger, leave-one-document-out, all documents", ev)
        e_docs = {r[0] for r in untuned}
        idx = [i for i, e in enumerate(every) if e.doc in e_docs]
        show(f"2. learned tagger, leave-one-document-out, {names} only (labels no tuning read)",
             score([every[i] for i in idx], [predicted[i] for i in idx]))
        for f in [*untouched, *(LABELS / n for n in LATER if (LABELS / n).exists())]:  # each blind set alone
            f_docs = {r[0] for r in read_gold(f)}
            f_idx = [i for i, e in enumerate(every) if e.doc in f_docs]
            show(f"2{f.stem[-1]}. learned tagger, leave-one-document-out, {f.name} only",
                 score([every[i] for i in f_idx], [predicted[i] for i in f_idx]))
        rules = [rule_themes(e, tax) for e in every]
        t_idx = [i for i, e in enumerate(every) if e.doc not in e_docs]
        show("3a. rule tagger on the documents its cues were tuned on (a figure on tuning data)",
             score([every[i] for i in t_idx], [rules[i] for i in t_idx]))
        show(f"3b. rule tagger on {names} (labels no tuning read)",
             score([every[i] for i in idx], [rules[i] for i in idx]))
        if args.errors:
            for doc_id, number, theme, kind in ev.errors:
                print(f"{kind}  {doc_id} {number} {theme}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
