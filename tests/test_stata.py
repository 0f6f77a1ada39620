"""Stata files (--format dta) for economists: they open in pandas.read_stata with the Chinese text
and the numbers intact, every column labelled, the same bytes from the same rows."""
from pathlib import Path

import pandas as pd

from clirun import run
from pipeline.labels import LABELS
from pipeline.records import COLUMNS, Commitment
from pipeline.table import read_rows, to_frame, write

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"


def test_rows_round_trip_through_stata_with_labels(tmp_path):
    run("extract", CORPUS / "nantong_2024.txt", CORPUS / "national_2024.txt", "-o", tmp_path / "rows.csv",
        "--quiet", "--manifest", CORPUS / "MANIFEST.tsv")
    run("export", "-o", tmp_path / "rows.dta")  # the database beside rows.csv
    stata = pd.read_stata(tmp_path / "rows.dta")
    rows = read_rows(tmp_path / "rows.csv")
    assert len(stata) == len(rows) > 50
    assert stata["metric"].tolist() == rows["metric"].tolist()  # Chinese text, as UTF-8
    assert stata["sentence"].tolist() == rows["sentence"].tolist()
    assert stata["value"].tolist() == rows["value"].tolist()  # exactly: doubles
    pd.testing.assert_frame_equal(read_rows(tmp_path / "rows.dta"), rows)
    with pd.io.stata.StataReader(tmp_path / "rows.dta") as reader:
        labels = reader.variable_labels()
    assert labels["metric"] == LABELS["metric"] and labels["end_"] == LABELS["end"]
    assert all(labels[c if c != "end" else "end_"] for c in COLUMNS)


def test_long_text_becomes_a_strl_and_missing_numbers_stata_missing(tmp_path):
    sentence = "完成" + "很长的句子" * 600 + "。"  # 6,000 bytes: more than a str2045
    row = Commitment("r0123456789abcdef", "a.txt", None, "", "", "", "", "", "指标", "text:指标", "5个", 5.0, None, "个",
                     "level", "=", False, "target", None, "", "machine", sentence, 0, 2)
    write(to_frame([row]), tmp_path / "a.dta")
    back = pd.read_stata(tmp_path / "a.dta")
    assert back["sentence"][0] == sentence
    assert pd.isna(back["year"][0]) and pd.isna(back["value_high"][0])


def test_the_panel_in_stata(tmp_path):
    docs = [CORPUS / "national_2019.txt", CORPUS / "national_2024.txt"]
    run("extract", *docs, "-o", tmp_path / "rows.csv", "--quiet", "--manifest", CORPUS / "MANIFEST.tsv",
        "--include-achieved")
    run("compare", "-o", tmp_path / "compare.dta")  # no DATA: the database of the output's folder
    panel = pd.read_stata(tmp_path / "compare.dta")
    changes = pd.read_stata(tmp_path / "compare.changes.dta")
    assert set(panel["region_code"]) == {"100000"} and "GDP" in set(panel["indicator_en"].str[:3])
    assert set(panel["met"].dropna()) <= {0.0, 1.0}
    assert len(changes) == 0  # 2019 and 2024 are not consecutive report years
    again = tmp_path / "again"
    again.mkdir()
    run("compare", tmp_path / "rows.csv", "-o", again / "compare.dta")
    assert (again / "compare.dta").read_bytes() == (tmp_path / "compare.dta").read_bytes()
