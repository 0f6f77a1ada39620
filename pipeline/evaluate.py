"""Score predicted rows against gold annotations, with the figures of shared/gold/score.py.

A predicted row matches a gold row of the same document when their quantity spans overlap
(one to one, largest overlap first). Gold rows marked optional count neither as misses nor,
when found, as false finds. Rows with status achieved are not commitments and are left out.
A copy of the reference scorer's logic on purpose: the tool scores without ../shared beside it,
and tests/test_cli.py checks that both give the same figures and lines.
"""
from __future__ import annotations

import csv
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .normalize import plain_metric


def norm(s) -> str:
    return plain_metric(s or "")


def doc_key(s: str) -> str:
    name = Path(s.replace("\\", "/")).name
    return name[:-4] if name.endswith(".txt") else name


def num(s):
    try:
        x = float(s)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def same_num(a, b) -> bool:
    a, b = num(a), num(b)
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-3, abs_tol=1e-9)


def flag(s) -> bool:
    return str(s).strip().lower() in ("1", "true", "yes", "y", "t")


def load_rows(path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def match(golds, preds) -> list[tuple[int, int]]:
    pairs = []
    for gi, g in enumerate(golds):
        gs, ge = int(g["start"]), int(g["end"])
        for pi, p in enumerate(preds):
            ov = min(ge, int(float(p["end"]))) - max(gs, int(float(p["start"])))
            if ov > 0:
                pairs.append((ov, gi, pi))
    pairs.sort(key=lambda t: -t[0])
    used_g, used_p, out = set(), set(), []
    for _, gi, pi in pairs:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return out


def prf(tp, npred, ngold):
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class Score:
    figures: dict
    misses: list[str] = field(default_factory=list)


def fields_right(g: dict, p: dict) -> tuple[bool, bool, bool]:
    """Whether a predicted row matched to a gold row has its value (and range), unit and metric
    right: the metric contains the gold head and is contained in the gold metric."""
    v = same_num(g["value"], p.get("value")) and same_num(g.get("value_high") or None, p.get("value_high") or None)
    u = norm(g["unit"]) == norm(p.get("unit"))
    pm, gm, gh = norm(p.get("metric")), norm(g["metric"]), norm(g["head"])
    return v, u, bool(pm) and gh in pm and pm in gm


def judged_rows(gold_paths, pred_path) -> list[tuple[dict, bool]]:
    """Each predicted row of a document with gold, and whether it is an error: no gold row (a
    false find) or a gold row it does not get right in full. Rows matched to optional gold rows
    are left out, as the scorer leaves them out."""
    gold, pred = by_document(gold_paths, pred_path)
    out = []
    for d, preds in pred.items():
        pairs = dict((pi, gi) for gi, pi in match(gold[d], preds))
        for pi, p in enumerate(preds):
            g = gold[d][pairs[pi]] if pi in pairs else None
            if g is not None and flag(g.get("optional")):
                continue
            out.append((p, g is None or not all(fields_right(g, p))))
    return out


def find_doc(roots: list[Path], key: str) -> Path | None:
    """The document `key`.txt in the first of the folders (or below it) that holds it."""
    for docs in roots:
        path = docs / (key + ".txt")
        found = path if path.exists() else next(docs.rglob(key + ".txt"), None)
        if found:
            return found
    return None


def by_document(gold_paths, pred_path) -> tuple[dict, dict]:
    """Gold rows and predicted targets, by document, of the documents with gold."""
    gold = defaultdict(list)
    for g in gold_paths:
        for r in load_rows(g):
            gold[doc_key(r["doc"])].append(r)
    pred = defaultdict(list)
    for r in load_rows(pred_path):
        k = doc_key(r["doc"])
        if k in gold and (r.get("status") or "target").strip().lower() != "achieved":
            pred[k].append(r)
    return gold, pred


def score(gold_paths, pred_path, docs: str | Path | list[Path] | None = None) -> Score:
    """Figures and misses of the predicted rows against the gold; `docs`, the folder (or folders)
    of the documents, lets the offsets be checked too."""
    roots = [Path(docs)] if isinstance(docs, (str, Path)) else [Path(d) for d in docs or []]
    gold, pred = by_document(gold_paths, pred_path)
    c = defaultdict(int)
    lines = []
    for d, golds in gold.items():
        preds = pred.get(d, [])
        c["gold"] += len(golds)
        c["pred"] += len(preds)
        c["pred_all"] += len(preds)
        if roots:
            path = find_doc(roots, d)
            text = path.read_text(encoding="utf-8") if path else ""
            for p in preds:
                s, e = int(float(p["start"])), int(float(p["end"]))
                c["offset_ok"] += text[s:e] == p.get("quantity_text", "")
        all_pairs = match(golds, preds)
        optional = {gi for gi, g in enumerate(golds) if flag(g.get("optional"))}
        c["gold"] -= len(optional)
        c["pred"] -= sum(1 for gi, _ in all_pairs if gi in optional)
        pairs = [(gi, pi) for gi, pi in all_pairs if gi not in optional]
        matched_g = {gi for gi, _ in pairs} | optional
        matched_p = {pi for _, pi in all_pairs}
        for gi, pi in pairs:
            g, p = golds[gi], preds[pi]
            c["tp"] += 1
            v, u, m = fields_right(g, p)
            c["value_ok"] += v
            c["unit_ok"] += u
            c["metric_ok"] += m
            c["elided"] += flag(g.get("elided"))
            c["elided_ok"] += flag(g.get("elided")) and m
            for f in ("kind", "comparator"):
                if f in p:
                    c[f + "_seen"] += 1
                    c[f + "_ok"] += (p[f] or "=").strip() == g[f]
            if "aspirational" in p:
                c["aspirational_seen"] += 1
                c["aspirational_ok"] += flag(p["aspirational"]) == flag(g["aspirational"])
            full = v and u and m
            c["full"] += full
            if not full:
                lines.append(f"WRONG {d} {g['quantity_text']} gold=({g['value']} {g['unit']} {g['metric']}) "
                             f"pred=({p.get('value')} {p.get('unit')} {p.get('metric')})")
        for gi, g in enumerate(golds):
            if gi not in matched_g:
                lines.append(f"MISS  {d} {g['quantity_text']} {g['metric']} | {g['clause']}")
        for pi, p in enumerate(preds):
            if pi not in matched_p:
                lines.append(f"EXTRA {d} {p.get('quantity_text')} {p.get('metric')}")
    dp, dr, df = prf(c["tp"], c["pred"], c["gold"])
    fp, fr, ff = prf(c["full"], c["pred"], c["gold"])
    tp = c["tp"] or 1
    res = {
        "docs": len(gold), "gold": c["gold"], "pred": c["pred"], "matched": c["tp"],
        "detect_p": round(dp, 4), "detect_r": round(dr, 4), "detect_f1": round(df, 4),
        "value_acc": round(c["value_ok"] / tp, 4), "unit_acc": round(c["unit_ok"] / tp, 4),
        "metric_acc": round(c["metric_ok"] / tp, 4),
        "elided_metric_acc": round(c["elided_ok"] / c["elided"], 4) if c["elided"] else None,
        "full_p": round(fp, 4), "full_r": round(fr, 4), "full_f1": round(ff, 4),
    }
    for f in ("kind", "comparator", "aspirational"):
        res[f + "_acc"] = round(c[f + "_ok"] / c[f + "_seen"], 4) if c[f + "_seen"] else None
    if docs:
        res["offsets_ok"] = round(c["offset_ok"] / c["pred_all"], 4) if c["pred_all"] else None
    return Score(res, lines)
