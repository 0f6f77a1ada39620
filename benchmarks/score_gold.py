"""Per-document scores of the tool on the gold files of tests/gold/ (blind annotations, see
docs/accuracy.md) and on the dev gold of ../shared/gold: the figures of ../shared/gold/score.py.

    .venv/bin/python benchmarks/score_gold.py [DOC ...] [--misses]

DOC: document names (zibo_2024) to score only those; default all of tests/gold and the dev gold.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from pipeline.evaluate import find_doc, judged_rows, score

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
GOLD_DIRS = [REPO / "tests" / "gold", REPO.parent / "shared" / "gold"]
TEXTS = REPO / "tests" / "gold" / "texts"  # documents from outside ../shared


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("docs", nargs="*")
    ap.add_argument("--misses", action="store_true")
    ap.add_argument("--check", action="store_true", help="how well the check column points at the errors")
    args = ap.parse_args()
    golds = {g.name[:-len(".gold.csv")]: g for d in GOLD_DIRS for g in sorted(d.glob("*.gold.csv"))}
    names = args.docs or list(golds)
    paths = [find_doc([CORPUS, TEXTS], n) for n in names]
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "rows.csv"
        subprocess.run([sys.executable, "-m", "pipeline", "extract", *map(str, paths), "-o", str(pred), "--quiet",
                        "--manifest", str(CORPUS / "MANIFEST.tsv")], cwd=REPO, check=True, capture_output=True)
        print(f"{'document':40} {'firm':>5} {'detect':>7} {'metric':>7} {'full':>7}")
        for name in names:
            f = score([golds[name]], pred, [CORPUS, TEXTS]).figures
            print(f"{name:40} {f['gold']:>5} {f['detect_f1']:>7.3f} {f['metric_acc']:>7.3f} {f['full_f1']:>7.3f}")
        for title, group in (("tests/gold", GOLD_DIRS[0]), ("dev gold", GOLD_DIRS[1])):
            chosen = [golds[n] for n in names if golds[n].parent == group]
            if chosen:
                result = score(chosen, pred, [CORPUS, TEXTS])
                f = result.figures
                print(f"{'all of ' + title:40} {f['gold']:>5} {f['detect_f1']:>7.3f} {f['metric_acc']:>7.3f} "
                      f"{f['full_f1']:>7.3f}")
                if args.misses:
                    print("\n".join(result.misses))
        if args.check:
            check_report(judged_rows([golds[n] for n in names], pred))


def check_report(judged: list[tuple[dict, bool]]) -> None:
    """The share of rows flagged, and of errors among flagged and unflagged rows, by flag."""
    flagged = [(p, err) for p, err in judged if p.get("check")]
    errors = sum(err for _, err in judged)
    print(f"\ncheck column over {len(judged)} rows of the documents with gold ({errors} errors):")
    print(f"  flagged: {len(flagged)} rows ({len(flagged) / len(judged):.1%}), of them errors: "
          f"{sum(e for _, e in flagged)} ({sum(e for _, e in flagged) / max(len(flagged), 1):.1%})")
    rest = [(p, e) for p, e in judged if not p.get("check")]
    print(f"  not flagged: {len(rest)} rows, of them errors: {sum(e for _, e in rest)} "
          f"({sum(e for _, e in rest) / max(len(rest), 1):.1%})")
    print(f"  errors flagged: {sum(e for _, e in flagged)} of {errors} ({sum(e for _, e in flagged) / max(errors, 1):.1%})")
    names = sorted({f for p, _ in flagged for f in p["check"].split(";")})
    for name in names:
        rows = [e for p, e in flagged if name in p["check"].split(";")]
        print(f"  {name:10} {len(rows):5} rows, {sum(rows):4} errors ({sum(rows) / len(rows):.1%})")


if __name__ == "__main__":
    main()
