"""The year-over-year panel against the headline targets of every annual work report of ../shared
(tests/cases/headlines.tsv, read by hand): extract + compare over the 179 reports, then every cell."""
import csv
from pathlib import Path

import pandas as pd
import pytest

from clirun import run
from pipeline.headlines import agreement, cells, read_table

CASES = Path(__file__).parent / "cases"
TABLE = read_table(CASES / "headlines.tsv")
KNOWN = pd.read_csv(CASES / "headlines_known_misses.tsv", sep="\t", comment="#", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def checked(shared, tmp_path_factory):
    out = tmp_path_factory.mktemp("headlines")
    corpus = shared / "corpus"
    paths = {doc: next(p for p in corpus.rglob(doc) if "originals" not in p.parts) for doc in TABLE["doc"].unique()}
    manifest = out / "manifest.tsv"  # one manifest for the reports of three folders, by absolute path
    with open(manifest, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["file", "year", "region"])
        for doc, region, year in TABLE[["doc", "region", "year"]].drop_duplicates().itertuples(index=False):
            w.writerow([paths[doc], year, region])
    run("extract", *paths.values(), "--manifest", manifest, "-o", out / "rows.csv", "--quiet")
    run("compare", out / "rows.csv", "-o", out / "compare.csv")
    panel = pd.read_csv(out / "compare.csv", encoding="utf-8-sig", dtype={"region_code": str})
    return cells(TABLE, panel)


def test_every_headline_cell_agrees_but_the_known_misses(checked):
    print("\n" + agreement(checked).to_string())
    wrong = {(r.doc, r.indicator, r.unit) for r in checked[~checked["agree"]].itertuples()}
    known = {(r.doc, r.indicator, r.unit) for r in KNOWN.itertuples()}
    assert wrong - known == set(), checked[~checked["agree"]].to_string()
    assert known - wrong == set(), "these known misses now agree: take them off headlines_known_misses.tsv"


POLICY_TEXTS = {"ai_development_plan_2017.txt", "ai_industry_action_plan_2017.txt", "anhui_industrial_internet_2021.txt",
                "jinan_digital_pioneer_city_2021.txt", "rural_revitalization_opinion_2018.txt",
                "shandong_it_industry_opinion_2023.txt", "plan10_yunnan.txt", "plan12_national.txt"}


def test_the_table_covers_every_annual_report(shared):
    reports = {p.name for p in (shared / "corpus").rglob("*.txt") if "originals" not in p.parts} - POLICY_TEXTS
    assert set(TABLE["doc"]) == reports
    per_report = TABLE.groupby("doc")["indicator"].nunique()
    assert (per_report == 7).all()
