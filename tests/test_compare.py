"""Year over year: the panel of the 13 national reports and the district's 8 against targets and
results read by hand (tests/cases/panel_expected.yaml), met, absent targets, changes."""
import math
from pathlib import Path

import pandas as pd
import pytest
import yaml

from clirun import run
from pipeline.panel import build_changes, build_panel, compare_rules
from pipeline.table import read_rows

EXPECTED = yaml.safe_load((Path(__file__).parent / "cases" / "panel_expected.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def panel(shared, tmp_path_factory):
    out = tmp_path_factory.mktemp("compare")
    corpus = shared / "corpus"
    docs = sorted(corpus.glob("national_20*.txt")) + sorted(corpus.glob("hailar_20*.txt"))
    run("extract", *docs, "--manifest", corpus / "MANIFEST.tsv", "--include-achieved", "-o", out / "rows.csv",
        "--quiet")
    run("compare", out / "rows.csv", "-o", out / "compare.csv")
    frame = pd.read_csv(out / "compare.csv", encoding="utf-8-sig", keep_default_na=False)
    changes = pd.read_csv(out / "compare.changes.csv", encoding="utf-8-sig", keep_default_na=False)
    return frame, changes, out


def cell(frame, region, key, year, unit=None):
    rows = frame[(frame["region"] == region) & (frame["metric_key"] == key) & (frame["year"] == year)]
    if unit is not None:
        rows = rows[rows["unit"] == unit]
    assert len(rows) == 1, (region, key, year, rows.to_dict("records"))
    return rows.iloc[0]


def number(text):
    return None if text == "" else float(text)


@pytest.mark.parametrize("want", EXPECTED["targets"], ids=lambda w: f"{w['doc']}-{w['metric_key']}")
def test_published_targets_and_absences(panel, want):
    frame, _, _ = panel
    if want.get("status") == "absent":
        got = cell(frame[frame["status"] != "result"], want["region"], want["metric_key"], want["year"])
        assert got["status"] == "absent"
        return
    got = cell(frame, want["region"], want["metric_key"], want["year"], want["unit"])
    assert (got["status"], number(got["value"]), number(got["value_high"]), got["comparator"], int(got["aspirational"])) \
        == ("target", want["value"], want["value_high"], want["comparator"], want["aspirational"])


def test_national_surveyed_unemployment_is_absent_before_it_was_set(panel):
    frame, _, _ = panel
    rows = frame[(frame["region"] == "中国 (全国)") & (frame["metric_key"] == "surveyed_unemployment_rate")]
    assert dict(zip(rows["year"], rows["status"])) == {
        **{y: "absent" for y in range(2013, 2018)}, **{y: "target" for y in range(2018, 2026)}}


MET = [m for m in EXPECTED["met"] if m["met"] is not None and m["region"] == "中国 (全国)"]


def test_results_judge_at_least_three_national_years(panel):
    """Every national year of the hand-read results whose met the tool gives agrees with it, and
    the tool gives it for at least 41 of the 42 (GDP for every year)."""
    frame, _, _ = panel
    judged, gdp_years = 0, set()
    for want in MET:
        got = frame[(frame["region"] == want["region"]) & (frame["metric_key"] == want["metric_key"]) &
                    (frame["year"] == want["year"]) & (frame["status"] == "target") & (frame["met"] != "")]
        if len(got):
            assert got.iloc[0]["met"] == str(want["met"]), want
            judged += 1
            gdp_years |= {want["year"]} if want["metric_key"] == "gdp" else set()
    assert judged >= 41 and gdp_years == set(range(2013, 2025)) - {2020}


def test_achieved_values_are_the_results_read_by_hand(panel):
    frame, _, _ = panel
    found = 0
    for want in (a for a in EXPECTED["achieved"] if a.get("status") != "absent"):
        rows = frame[(frame["region"] == want["region"]) & (frame["metric_key"] == want["metric_key"]) &
                     (frame["year"] == want["year"]) & (frame["unit"] == want["unit"]) & (frame["achieved_value"] != "")]
        if len(rows):
            assert math.isclose(float(rows.iloc[0]["achieved_value"]), want["value"]), want
            found += 1
    assert found >= 52


def test_gdp_target_2022_was_missed_and_2020_set_none(panel):
    frame, _, _ = panel
    missed = cell(frame, "中国 (全国)", "gdp", 2022, "%")
    assert (missed["value"], missed["comparator"], missed["achieved_value"], missed["met"]) == ("5.5", "~", "3", "False")
    assert (missed["previous_value"], missed["change"]) == ("6", "-0.5")
    none = cell(frame, "中国 (全国)", "gdp", 2020, "%")
    assert (none["status"], none["value"], none["achieved_value"], none["met"]) == ("absent", "", "2.3", "")


def test_changes_between_consecutive_reports(panel):
    _, changes, _ = panel
    national = changes[changes["region"] == "中国 (全国)"]
    gdp = national[(national["metric_key"] == "gdp") & (national["unit"] == "%")]
    # by the middle of a range: ~7% -> 6.5-7% and >= 6% -> ~5.5% are cuts; ~6.5% -> 6.5% would be changed
    assert dict(zip(gdp["year"], gdp["change"])) == {2015: "lowered", 2016: "lowered", 2017: "lowered",
                                                   2019: "lowered", 2020: "dropped", 2021: "new",
                                                   2022: "lowered", 2023: "lowered"}
    row = gdp[gdp["year"] == 2016].iloc[0]
    assert (row["previous"], row["current"]) == ("~ 7 %", "6.5-7 %")
    assert set(changes["change"]) <= {"new", "dropped", "raised", "lowered", "changed"}


def test_a_change_of_comparator_alone_is_changed():
    from pipeline.panel import change_kind

    def target(value, high=None, comparator="="):
        return {"value": value, "value_high": float("nan") if high is None else high, "comparator": comparator}

    assert change_kind(target(6.5, comparator="~"), target(6.5, comparator=">=")) == "changed"
    assert change_kind(target(6, 6.5), target(6.5)) == "raised"
    assert change_kind(target(6, comparator=">="), target(5.5, comparator="~")) == "lowered"
    assert change_kind(target(5, comparator="~"), target(5, comparator="~")) == ""


def test_panel_reads_every_output_format_and_the_database(panel, tmp_path):
    frame, _, out = panel
    rows = read_rows(out / "rows.csv")
    for other in (out / "commitments.sqlite",):
        pd.testing.assert_frame_equal(read_rows(other).sort_values(["doc", "start"]).reset_index(drop=True),
                                      rows.sort_values(["doc", "start"]).reset_index(drop=True))
    small = rows[rows["doc"].isin(["national_2019.txt", "national_2020.txt"])]
    ordered = rows.sort_values(["doc", "start"]).reset_index(drop=True)
    for fmt in ("parquet", "xlsx", "jsonl", "dta", "csv"):
        run("export", "--db", out / "commitments.sqlite", "-o", tmp_path / f"all.{fmt}", "--excel-safe")
        again = read_rows(tmp_path / f"all.{fmt}").sort_values(["doc", "start"]).reset_index(drop=True)
        pd.testing.assert_frame_equal(again, ordered, check_dtype=False)  # values exactly, '= undone
    (tmp_path / "none.jsonl").write_text("\n", encoding="utf-8")  # what an extract without rows writes
    assert read_rows(tmp_path / "none.jsonl").empty
    assert build_panel(small, compare_rules()).shape[0] > 10
    assert build_changes(build_panel(small, compare_rules()))["year"].eq(2020).all()


def test_compare_errors_name_the_file(tmp_path):
    (tmp_path / "x.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    p = run("compare", tmp_path / "x.csv", "-o", tmp_path / "c.csv", check=False)
    assert p.returncode == 2 and "x.csv" in p.stderr and "Traceback" not in p.stderr
    p = run("compare", tmp_path / "missing.csv", "-o", tmp_path / "c.csv", check=False)
    assert p.returncode == 2 and "missing.csv" in p.stderr


def test_rows_without_region_are_left_out_not_merged(panel):
    _, _, out = panel
    rows = read_rows(out / "rows.csv")
    blank = rows.assign(region=rows["region"].where(rows["doc"].str.startswith("national"), ""))
    frame = build_panel(blank, compare_rules())
    assert set(frame["region"]) == {"中国 (全国)"}
    assert frame[frame["metric_key"] == "gdp"]["year"].max() == 2025


def one_report(region, year, text, name):
    """The rows of one small report, as extract gives them, with region and year set."""
    from pipeline.extraction import extract_text
    from pipeline.table import to_frame

    return to_frame(extract_text(text, name=name, year=year, region=region))


def test_one_year_of_data_still_says_which_headline_targets_are_absent():
    rows = one_report("河南省", 2026, "三、2026年重点工作\n今年主要预期目标是：地区生产总值增长5%左右，城镇新增就业110万人以上。\n",
                      "henan_2026.txt")
    panel = build_panel(rows, compare_rules())
    status = dict(zip(panel["metric_key"], panel["status"]))
    assert status == {"gdp": "target", "urban_new_jobs": "target", "cpi": "absent", "surveyed_unemployment_rate": "absent",
                      "general_budget_revenue": "absent", "fixed_asset_investment": "absent", "retail_sales": "absent"}
    absent = panel[panel["status"] == "absent"]
    assert set(absent["unit"]) == {"%"} and set(absent["region_code"]) == {"410000"}


def test_a_policy_text_alone_is_no_report_with_absent_targets():
    rows = one_report("河南省", 2024, "到2025年，培育专精特新企业100家。\n", "henan_policy_2024.txt")
    assert (build_panel(rows, compare_rules())["status"] == "target").all()


def test_one_region_spelled_three_ways_is_one_series():
    rows = pd.concat([one_report(region, year, f"{year}年工作安排\n地区生产总值增长{value}%左右。\n", f"r{year}.txt")
                      for region, year, value in (("河南省", 2024, 5.5), ("河南", 2025, 5.3), ("Henan", 2026, 5))],
                     ignore_index=True)
    panel = build_panel(rows, compare_rules())
    gdp = panel[(panel["metric_key"] == "gdp") & (panel["status"] == "target")]
    assert gdp["region_code"].tolist() == ["410000"] * 3 and gdp["region"].nunique() == 1
    assert gdp["region_en"].iloc[0] == "Henan" and gdp["indicator_en"].iloc[0].startswith("GDP")
    assert gdp["previous_value"].tolist()[1:] == [5.5, 5.3] and gdp["change"].round(1).tolist()[1:] == [-0.2, -0.3]


def test_a_target_shared_by_two_indicators_is_a_target_of_each():
    rows = one_report("海南省", 2026, "2026年工作安排\n社会消费品零售总额、固定资产投资增长4%左右。\n", "hainan.txt")
    panel = build_panel(rows, compare_rules())
    shared = panel[panel["status"] == "target"].set_index("metric_key")
    assert set(shared.index) == {"retail_sales", "fixed_asset_investment"}
    assert shared["value"].tolist() == [4, 4] and set(shared["comparator"]) == {"~"}


def test_regions_resolve_to_division_codes():
    from pipeline.regions import regions

    table = regions()
    assert {t: table.resolve(t).code for t in ("河南省", "河南", "Henan", "吉林市", "吉林省", "中国 (全国)",
                                               "内蒙古自治区呼伦贝尔市海拉尔区", "浙江省杭州市江干区", "湖北省潜江市")} == {
        "河南省": "410000", "河南": "410000", "Henan": "410000", "吉林市": "220200", "吉林省": "220000",
        "中国 (全国)": "100000", "内蒙古自治区呼伦贝尔市海拉尔区": "150702", "浙江省杭州市江干区": "330104",
        "湖北省潜江市": "429005"}
    assert table.resolve("某某市") is None and table.resolve("") is None
