"""A panel (commitments compare) checked against headline targets read by hand: for each report and
headline indicator of the table, the panel's cell of that region, indicator, unit and year agrees
when it gives the same value, range and comparator, or, for an indicator the table says the report
sets no number for, when the panel has no target of it in that year in any unit.

The table is a TSV with the columns of tests/cases/headlines.tsv: doc, region, year, indicator,
status (target | absent), value, value_high, unit, comparator (lines starting with # are comments).
"""
from __future__ import annotations

import math

import pandas as pd

from .regions import regions

CELL_COLUMNS = ["doc", "region", "year", "indicator", "unit", "want", "got", "agree"]


def read_table(path) -> pd.DataFrame:
    table = pd.read_csv(path, sep="\t", comment="#", dtype=str, keep_default_na=False, encoding="utf-8")
    missing = {"doc", "region", "year", "indicator", "status", "value", "value_high", "unit", "comparator"} - set(table)
    if missing:
        raise ValueError(f"{path}: a headline table needs the column(s) {', '.join(sorted(missing))}")
    return table


def same(a, b) -> bool:
    a = None if a in ("", None) or isinstance(a, float) and math.isnan(a) else float(a)
    b = None if b in ("", None) or isinstance(b, float) and math.isnan(b) else float(b)
    return a is None and b is None or a is not None and b is not None and math.isclose(a, b, rel_tol=1e-6)


def describe(status: str, value, value_high, comparator: str, unit: str) -> str:
    if status != "target":
        return "absent"
    high = "" if value_high in ("", None) or pd.isna(value_high) else f"-{float(value_high):g}"
    return f"{'' if comparator == '=' else comparator + ' '}{float(value):g}{high} {unit}".strip()


def cells(table: pd.DataFrame, panel: pd.DataFrame, rules_dir: str | None = None) -> pd.DataFrame:
    """One line per line of the table: what it wants, what the panel gives, and whether they agree."""
    places = regions(rules_dir)
    panel = panel.assign(year=pd.to_numeric(panel["year"]).astype("Int64"))
    targets = panel[panel["status"] == "target"]
    out = []
    for want in table.itertuples(index=False):
        found = places.resolve(want.region)
        code = found.code if found else ""
        year = int(want.year)
        mine = targets[(targets["region_code"].astype(str) == code) & (targets["metric_key"] == want.indicator)
                       & (targets["year"] == year)]
        if want.status == "absent":
            got = "absent" if mine.empty else "; ".join(
                describe("target", r.value, r.value_high, r.comparator, r.unit) for r in mine.itertuples())
            agree = mine.empty
        else:
            same_unit = mine[mine["unit"].fillna("") == want.unit]
            row = same_unit.iloc[0] if len(same_unit) else None
            got = "absent" if row is None else describe("target", row["value"], row["value_high"], row["comparator"],
                                                        row["unit"])
            agree = row is not None and same(row["value"], want.value) and same(row["value_high"], want.value_high) \
                and row["comparator"] == want.comparator
        out.append([want.doc, want.region, year, want.indicator, want.unit,
                    describe(want.status, want.value, want.value_high, want.comparator, want.unit), got, bool(agree)])
    return pd.DataFrame(out, columns=CELL_COLUMNS)


def agreement(checked: pd.DataFrame) -> pd.DataFrame:
    """Cells and agreement per indicator, and in all."""
    by = checked.groupby("indicator", sort=True)["agree"].agg(["size", "sum"])
    by.loc["all"] = [len(checked), int(checked["agree"].sum())]
    by = by.rename(columns={"size": "cells", "sum": "agree"})
    by["share"] = (by["agree"] / by["cells"]).round(3)
    return by
