"""Year-over-year comparison of targets: a long panel (one row per region, metric_key, unit and
year) with the previous year's target, the result a later report states and whether it met the
target; absent rows for headline indicators a report sets no number for; and the targets that are
new, dropped or changed between consecutive reports of a region (rules/compare.yaml). Regions are
joined by their division code (河南省, 河南 and Henan are one region: pipeline/regions.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from .normalize import normalizer
from .output import number_text
from .regions import regions
from .rules import Rules, RulesError, require, rules_for

# a growth of 5.5% and a level of 240亿元 (unit 元) of the same indicator are two series
KEYS = ["region", "metric_key", "unit", "year"]
# status: target; absent (the report of that year sets none); result (a headline result with no
# target row of its year and unit: no report of that year here, or a target in another unit)
PANEL_COLUMNS = ["region", "region_code", "region_en", "metric_key", "indicator_en", "unit", "year",
                 "status", "metric", "value", "value_high", "comparator", "aspirational",
                 "previous_value", "change", "achieved_value", "met", "doc", "quantity_text",
                 "achieved_doc", "achieved_text"]
NATION_CODE = "100000"
CHANGE_COLUMNS = ["region", "region_code", "year", "metric_key", "unit", "change", "metric", "previous", "current"]


@dataclass(frozen=True)
class CompareRules:
    headline: tuple[str, ...]
    headline_units: dict  # metric_key -> the unit of its usual target
    better: dict  # metric_key -> "up" | "down"
    about_points: float
    about_share: float
    rules_dir: str | None = None  # for the indicators and regions tables that go with these rules


@lru_cache(maxsize=8)
def compare_rules(rules_dir: str | None = None) -> CompareRules:
    rules: Rules = rules_for(rules_dir)
    path = rules.path("compare.yaml")
    data = rules.load("compare.yaml")
    require(data, ["headline", "better", "about"], path)
    lists = [data["better"].get(w) or [] for w in ("up", "down")] if isinstance(data["better"], dict) else [None]
    if not all(isinstance(x, list) for x in lists) or not isinstance(data["about"], dict) \
            or not isinstance(data["headline"], dict):
        raise RulesError(f"{path}: headline must map indicator keys to units, better.up and better.down must be "
                         "lists of indicator keys, about a mapping")
    better = {key: way for way in ("up", "down") for key in data["better"].get(way) or []}
    units = {str(k): str(v) for k, v in data["headline"].items() if k != "__line__"}
    try:
        return CompareRules(tuple(units), units, better, float(data["about"]["percentage_points"]),
                            float(data["about"]["share"]), rules_dir)
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


def placed(rows: pd.DataFrame, rules_dir: str | None = None) -> pd.DataFrame:
    """Rows ready for the panel: each region named by its division (region_code, region_en; the
    region column then holds one spelling of it, the commonest), and one target shared by
    indicators named side by side (社会消费品零售总额、固定资产投资增长4%左右) a row for each."""
    table, norm = regions(rules_dir), normalizer(rules_dir)
    rows = rows.copy()
    found = {text: table.resolve(text) for text in rows["region"].unique()}
    rows["region_code"] = rows["region"].map(lambda t: found[t].code if found[t] else "")
    rows["region_en"] = rows["region"].map(lambda t: found[t].en if found[t] else "")
    key = rows["region_code"].where(rows["region_code"] != "", rows["region"])
    spelling = rows.groupby(key)["region"].agg(lambda names: sorted(names.value_counts().items(),
                                                                    key=lambda kv: (-kv[1], kv[0]))[0][0])
    rows["region"] = key.map(spelling)
    rows["metric_key"] = [norm.metric_keys(m, k) for m, k in zip(rows["metric"], rows["metric_key"])]
    rows = rows.explode("metric_key", ignore_index=True)
    rows["indicator_en"] = [indicator_name(norm.names.get(k, ("", ""))[1], code)
                            for k, code in zip(rows["metric_key"], rows["region_code"])]
    return rows


def indicator_name(name: str, region_code: str) -> str:
    """An indicator's name; the nation's output is 国内生产总值 (gross domestic product), a region's
    地区生产总值 (gross regional product)."""
    if region_code != NATION_CODE:
        return name
    return name.replace("地区生产总值", "国内生产总值").replace("gross regional product", "gross domestic product")


def unplaced(rows: pd.DataFrame) -> int:
    """Rows without region or year: no series can hold them (documents of several regions would
    merge), so the panel leaves them out; give --manifest to extract to place them."""
    return int(((rows["region"] == "") | rows["year"].isna()).sum())


def first_per_key(rows: pd.DataFrame) -> pd.DataFrame:
    """The first row in document order of each region, metric_key, unit and year: a report's
    headline list comes before the chapters that repeat or break down its targets."""
    return rows.sort_values(["region", "doc", "start"], kind="stable").drop_duplicates(KEYS)


def build_panel(rows: pd.DataFrame, rules: CompareRules) -> pd.DataFrame:
    if "region_code" not in rows:
        rows = placed(rows, rules.rules_dir)
    rows = rows[rows["period"].notna() & rows["year"].notna() & (rows["region"] != "")]  # see unplaced()
    # a report's targets for its own year; a result for year Y as a later report states it
    targets = first_per_key(rows[(rows["status"] == "target") & (rows["period"] == rows["year"])])
    targets = targets.assign(year=targets["period"], status="target")
    results = rows[(rows["status"] == "achieved") & (rows["period"] < rows["year"])]
    results = results.assign(lag=results["year"] - results["period"]).sort_values(["lag", "doc", "start"],
                                                                                   kind="stable")
    results = results.assign(year=results["period"]).drop_duplicates(KEYS)  # the next year's report first
    panel = pd.concat([targets, absent_rows(rows, targets, rules)], ignore_index=True)
    named = KEYS + ["region_code", "region_en", "indicator_en"]
    headline = results[results["metric_key"].isin(rules.headline)][named]
    unmatched = headline.merge(panel[KEYS], on=KEYS, how="left", indicator=True).query("_merge == 'left_only'")
    panel = pd.concat([panel, unmatched[named].assign(status="result")], ignore_index=True)
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
    """A row for each headline indicator that a report sets no number for in its year, in any unit.
    A report is a region's year with at least one headline target (a policy text of the region, with
    none, is no report); the absence is in the unit the region's targets of the indicator mostly
    have, else in the indicator's usual unit (rules/compare.yaml)."""
    headline = targets[targets["metric_key"].isin(rules.headline)]
    reports = headline[["region", "year"]].drop_duplicates().sort_values(["region", "year"])
    names = rows.drop_duplicates("region").set_index("region")[["region_code", "region_en"]]
    out = []
    for key in rules.headline:
        of_key = headline[headline["metric_key"] == key]
        usual = of_key.groupby("region")["unit"].agg(lambda m: sorted(m.mode())[0])
        have = set(zip(of_key["region"], of_key["year"]))
        out += [{"region": region, **names.loc[region].to_dict(), "metric_key": key,
                 "indicator_en": headline_en(rows, key), "unit": usual.get(region, rules.headline_units[key]),
                 "year": year, "status": "absent"}
                for region, year in reports.itertuples(index=False) if (region, year) not in have]
    return pd.DataFrame(out, columns=targets.columns)


def headline_en(rows: pd.DataFrame, key: str) -> str:
    found = rows.loc[rows["metric_key"] == key, "indicator_en"]
    return found.iloc[0] if len(found) else ""


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
                    either = b if b is not None else a
                    out.append([region, either["region_code"], after, key[0], key[1], kind, either["metric"],
                                describe(a), describe(b)])
    return pd.DataFrame(out, columns=CHANGE_COLUMNS).astype({"year": "Int64"})


def change_kind(old, new) -> str:
    """new, dropped, raised or lowered (by the middle of a range: ≥ 6% to ~5.5% is lowered, 6-6.5%
    to 6.5% raised), or changed (the same middle, another comparator or range); "" for the same."""
    if old is None:
        return "new"
    if new is None:
        return "dropped"
    same = (old["value"], old["comparator"]) == (new["value"], new["comparator"]) and \
        (pd.isna(old["value_high"]) and pd.isna(new["value_high"]) or old["value_high"] == new["value_high"])
    if same:
        return ""
    before, after = middle(old), middle(new)
    return "raised" if after > before else "lowered" if after < before else "changed"


def middle(target) -> float:
    return target["value"] if pd.isna(target["value_high"]) else (target["value"] + target["value_high"]) / 2


@dataclass
class Comparison:
    rows: pd.DataFrame  # placed: with region_code, region_en, indicator_en
    panel: pd.DataFrame
    changes: pd.DataFrame
    rules: CompareRules
    left_out: int  # rows without region or year


def compare(rows: pd.DataFrame, rules_dir: str | None = None) -> Comparison:
    """The panel and the changes of rows (of one or many reports)."""
    rules = compare_rules(rules_dir)
    rows = placed(rows, rules_dir)
    panel = build_panel(rows, rules)
    return Comparison(rows, panel, build_changes(panel), rules, unplaced(rows))
