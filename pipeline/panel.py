"""Year-over-year comparison of targets: a long panel (one row per region, metric_key, unit and
year) with the previous year's target, the result a later report states and whether it met the
target; absent rows for headline indicators a report sets no target for; and the targets that are
new, dropped or changed between consecutive reports of a region (rules/compare.yaml).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from .rules import Rules, RulesError, require, rules_for
from .output import number_text

# a growth of 5.5% and a level of 240亿元 (unit 元) of the same indicator are two series
KEYS = ["region", "metric_key", "unit", "year"]
# status: target; absent (the report of that year sets none); result (a headline result with no
# target row of its year and unit: no report of that year here, or a target in another unit)
PANEL_COLUMNS = KEYS + ["status", "metric", "value", "value_high", "comparator", "aspirational",
                        "previous_value", "change", "achieved_value", "met", "doc", "quantity_text",
                        "achieved_doc", "achieved_text"]
CHANGE_COLUMNS = ["region", "year", "metric_key", "unit", "change", "metric", "previous", "current"]


@dataclass(frozen=True)
class CompareRules:
    headline: tuple[str, ...]
    better: dict  # metric_key -> "up" | "down"
    about_points: float
    about_share: float


@lru_cache(maxsize=8)
def compare_rules(rules_dir: str | None = None) -> CompareRules:
    rules: Rules = rules_for(rules_dir)
    path = rules.path("compare.yaml")
    data = rules.load("compare.yaml")
    require(data, ["headline", "better", "about"], path)
    lists = [data["headline"]] + [data["better"].get(w) or [] for w in ("up", "down")] \
        if isinstance(data["better"], dict) else [None]
    if not all(isinstance(x, list) for x in lists) or not isinstance(data["about"], dict):
        raise RulesError(f"{path}: headline, better.up and better.down must be lists of indicator keys, "
                         "about a mapping")
    better = {key: way for way in ("up", "down") for key in data["better"].get(way) or []}
    try:
        return CompareRules(tuple(data["headline"]), better, float(data["about"]["percentage_points"]),
                            float(data["about"]["share"]))
    except (KeyError, TypeError, ValueError) as e:
        raise RulesError(f"{path}: about needs numbers percentage_points and share ({e})") from None


def met(target: pd.Series, rules: CompareRules) -> bool | None:
    """Whether the target's achieved_value meets it: by its comparator, else by which way is better."""
    achieved = target["achieved_value"]
    if pd.isna(achieved) or pd.isna(target["value"]):
        return None
    low = target["value"]
    high = low if pd.isna(target["value_high"]) else target["value_high"]
    comparator, way = target["comparator"], rules.better.get(target["metric_key"])
    if comparator in (">=", ">"):
        return bool(achieved > low if comparator == ">" else achieved >= low)
    if comparator in ("<=", "<"):
        return bool(achieved < high if comparator == "<" else achieved <= high)
    slack = 0.0
    if comparator == "~":
        slack = rules.about_points if target["unit"] == "%" else rules.about_share * abs(low)
    if way == "up":
        return bool(achieved >= low - slack)
    if way == "down":
        return bool(achieved <= high + slack)
    return None


def unplaced(rows: pd.DataFrame) -> int:
    """Rows without region or year: no series can hold them (documents of several regions would
    merge), so the panel leaves them out; give --manifest to extract to place them."""
    return int(((rows["region"] == "") | rows["year"].isna()).sum())


def first_per_key(rows: pd.DataFrame) -> pd.DataFrame:
    """The first row in document order of each region, metric_key, unit and year: a report's
    headline list comes before the chapters that repeat or break down its targets."""
    return rows.sort_values(["region", "doc", "start"], kind="stable").drop_duplicates(KEYS)


def build_panel(rows: pd.DataFrame, rules: CompareRules) -> pd.DataFrame:
    rows = rows[rows["period"].notna() & rows["year"].notna() & (rows["region"] != "")]  # see unplaced()
    # a report's targets for its own year; a result for year Y as a later report states it
    targets = first_per_key(rows[(rows["status"] == "target") & (rows["period"] == rows["year"])])
    targets = targets.assign(year=targets["period"], status="target")
    results = rows[(rows["status"] == "achieved") & (rows["period"] < rows["year"])]
    results = results.assign(lag=results["year"] - results["period"]).sort_values(["lag", "doc", "start"],
                                                                                   kind="stable")
    results = results.assign(year=results["period"]).drop_duplicates(KEYS)  # the next year's report first
    panel = pd.concat([targets, absent_rows(rows, targets, rules)], ignore_index=True)
    headline = results[results["metric_key"].isin(rules.headline)][KEYS]
    unmatched = headline.merge(panel[KEYS], on=KEYS, how="left", indicator=True).query("_merge == 'left_only'")
    panel = pd.concat([panel, unmatched[KEYS].assign(status="result")], ignore_index=True)
    panel = panel.merge(results[KEYS + ["value", "doc", "quantity_text"]].rename(columns={
        "value": "achieved_value", "doc": "achieved_doc", "quantity_text": "achieved_text"}), on=KEYS, how="left")
    panel = panel.sort_values(KEYS, kind="stable").reset_index(drop=True)
    previous = panel[panel["status"] == "target"][KEYS + ["value"]].assign(year=lambda d: d["year"] + 1)
    panel = panel.merge(previous.rename(columns={"value": "previous_value"}), on=KEYS, how="left")
    panel["change"] = (panel["value"] - panel["previous_value"]).round(10)  # 6.5 - 5.8, not 0.7000000000000002
    panel["met"] = [met(r, rules) if r["status"] == "target" else None for _, r in panel.iterrows()]
    panel["met"] = panel["met"].astype("boolean")
    return panel[PANEL_COLUMNS].astype({"year": "Int64"})


def absent_rows(rows: pd.DataFrame, targets: pd.DataFrame, rules: CompareRules) -> pd.DataFrame:
    """A row for each headline indicator a report of a region sets no target for in its year (in a
    region that sets it in some year, and in the unit it mostly has there)."""
    reports = rows[["region", "year"]].drop_duplicates().sort_values(["region", "year"])
    out = []
    for key in rules.headline:
        of_key = targets[targets["metric_key"] == key]
        usual = of_key.groupby("region")["unit"].agg(lambda m: m.mode().iloc[0])
        have = set(zip(of_key["region"], of_key["year"]))
        out += [{"region": region, "metric_key": key, "unit": usual[region], "year": year, "status": "absent"}
                for region, year in reports.itertuples(index=False)
                if region in usual.index and (region, year) not in have]
    return pd.DataFrame(out, columns=targets.columns)


def describe(row) -> str:
    """A target as text: >= 6 %, 6.5-7 %."""
    if row is None:
        return ""
    value = number_text(row["value"]) + ("" if pd.isna(row["value_high"]) else "-" + number_text(row["value_high"]))
    comparator = "" if row["comparator"] == "=" else row["comparator"] + " "
    return f"{comparator}{value} {row['unit']}".strip()


def build_changes(panel: pd.DataFrame) -> pd.DataFrame:
    """Targets new, dropped, raised, lowered or otherwise changed between consecutive report years."""
    targets = panel[panel["status"] == "target"]
    out = []
    for region, of_region in targets.groupby("region", sort=True):
        years = sorted(of_region["year"].unique())
        for before, after in zip(years, years[1:]):
            if after != before + 1:
                continue
            old = {(r["metric_key"], r["unit"]): r for _, r in of_region[of_region["year"] == before].iterrows()}
            new = {(r["metric_key"], r["unit"]): r for _, r in of_region[of_region["year"] == after].iterrows()}
            for key in sorted(old.keys() | new.keys()):
                a, b = old.get(key), new.get(key)
                kind = change_kind(a, b)
                if kind:
                    out.append([region, after, key[0], key[1], kind, (b if b is not None else a)["metric"],
                                describe(a), describe(b)])
    return pd.DataFrame(out, columns=CHANGE_COLUMNS).astype({"year": "Int64"})


def change_kind(old, new) -> str:
    if old is None:
        return "new"
    if new is None:
        return "dropped"
    same = (old["value"], old["comparator"]) == (new["value"], new["comparator"]) and \
        (pd.isna(old["value_high"]) and pd.isna(new["value_high"]) or old["value_high"] == new["value_high"])
    if same:
        return ""
    if old["comparator"] == new["comparator"] and pd.isna(old["value_high"]) == pd.isna(new["value_high"]):
        return "raised" if new["value"] > old["value"] else "lowered" if new["value"] < old["value"] else "changed"
    return "changed"
