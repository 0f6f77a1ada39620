"""The command line end to end: accuracy on the dev gold, output formats, errors, determinism."""
import csv
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from clirun import run
from pipeline.records import COLUMNS

REPO = Path(__file__).resolve().parent.parent
FLOORS = {"detect_f1": 0.97, "metric_acc": 0.90, "full_f1": 0.88, "offsets_ok": 1.0}


def gold_docs(shared):
    golds = sorted((shared / "gold").glob("*.gold.csv"))
    docs = [next((shared / "corpus").rglob(g.name.replace(".gold.csv", ".txt"))) for g in golds]
    return golds, docs


@pytest.fixture(scope="module")
def dev_run(shared, tmp_path_factory):
    out = tmp_path_factory.mktemp("dev") / "pred.csv"
    golds, docs = gold_docs(shared)
    run("extract", *docs, "-o", out, "--manifest", shared / "corpus" / "MANIFEST.tsv")
    return golds, out


def test_accuracy_floors_by_reference_scorer(shared, dev_run):
    golds, pred = dev_run
    p = subprocess.run([sys.executable, str(shared / "gold" / "score.py"), *map(str, golds), "--pred", str(pred),
                        "--docs", str(shared / "corpus"), "--json"], capture_output=True, text=True, check=True)
    figures = json.loads(p.stdout.strip().splitlines()[-1])
    for name, floor in FLOORS.items():
        assert figures[name] >= floor, (name, figures[name], floor)


def test_eval_command_gives_the_reference_figures(shared, dev_run):
    golds, pred = dev_run
    ref = subprocess.run([sys.executable, str(shared / "gold" / "score.py"), *map(str, golds), "--pred", str(pred),
                          "--docs", str(shared / "corpus"), "--json", "--misses"], capture_output=True, text=True,
                         check=True).stdout
    ours = run("eval", "--gold", *golds, "--pred", pred, "--docs", shared / "corpus", "--json", "--misses").stdout
    assert json.loads(ours.splitlines()[-1]) == json.loads(ref.splitlines()[-1])
    assert sorted(ours.splitlines()[:-1]) == sorted(ref.splitlines()[:-1])


def test_csv_schema_bom_and_offsets(dev_run, shared):
    _, pred = dev_run
    raw = pred.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel shows the Chinese text
    df = pd.read_csv(pred, encoding="utf-8-sig", keep_default_na=False, dtype=str)
    assert list(df.columns) == COLUMNS
    assert set(df["status"]) == {"target"}
    assert set(df["kind"]) <= {"change", "level"}
    assert set(df["comparator"]) <= {"=", ">=", "<=", "~", ">", "<"}
    assert set(df["aspirational"]) <= {"0", "1"}
    assert not df["value"].str.contains("e").any()  # plain decimals: 380000000, not 3.8e+08
    texts = {}
    for row in df.itertuples():
        if row.doc not in texts:
            texts[row.doc] = next((shared / "corpus").rglob(row.doc)).read_text(encoding="utf-8")
        assert texts[row.doc][int(row.start):int(row.end)] == row.quantity_text
        assert row.quantity_text in row.sentence or " " in row.quantity_text


def test_manifest_gives_year_and_region(dev_run):
    _, pred = dev_run
    df = pd.read_csv(pred, encoding="utf-8-sig", keep_default_na=False, dtype=str)
    national = df[df["doc"] == "national_2019.txt"]
    assert set(national["year"]) == {"2019"} and set(national["region"]) == {"中国 (全国)"}


@pytest.mark.parametrize("fmt", ["parquet", "xlsx", "jsonl", "dta"])
def test_other_formats_hold_the_same_rows(tmp_path, fmt):
    doc = REPO / "corpus" / "jianggan_2020.txt"
    run("extract", doc, "-o", tmp_path / "a.csv", "--quiet")
    run("extract", doc, "-o", tmp_path / f"a.{fmt}", "--quiet")
    csv_rows = pd.read_csv(tmp_path / "a.csv", encoding="utf-8-sig")
    other = {"parquet": pd.read_parquet, "xlsx": pd.read_excel,
             "jsonl": lambda p: pd.read_json(p, lines=True),
             "dta": lambda p: pd.read_stata(p).rename(columns={"end_": "end"})}[fmt](tmp_path / f"a.{fmt}")
    assert list(other.columns) == COLUMNS  # in Stata, end (a word it reserves) is end_
    assert list(other["quantity_text"]) == list(csv_rows["quantity_text"])
    assert list(other["value"]) == pytest.approx(list(csv_rows["value"]))
    time.sleep(1.1)  # a clock in the file (as xlsx's dates were) would change now
    run("extract", doc, "-o", tmp_path / f"b.{fmt}", "--quiet")
    assert (tmp_path / f"b.{fmt}").read_bytes() == (tmp_path / f"a.{fmt}").read_bytes()


def test_same_input_gives_byte_identical_output(tmp_path):
    for name in ("a.csv", "b.csv"):
        run("extract", REPO / "corpus", "-o", tmp_path / name, "--manifest", REPO / "corpus" / "MANIFEST.tsv")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_include_achieved_adds_past_results(tmp_path):
    doc = REPO / "corpus" / "national_2019.txt"
    run("extract", doc, "-o", tmp_path / "t.csv")
    run("extract", doc, "-o", tmp_path / "a.csv", "--include-achieved")
    targets = pd.read_csv(tmp_path / "t.csv", encoding="utf-8-sig")
    both = pd.read_csv(tmp_path / "a.csv", encoding="utf-8-sig")
    achieved = both[both["status"] == "achieved"]
    assert len(achieved) > 20 and len(both) == len(targets) + len(achieved)
    assert achieved["start"].max() < targets["start"].min()  # the review comes before the plan


def test_missing_file_is_a_one_line_error(tmp_path):
    p = run("extract", tmp_path / "nope.txt", "-o", tmp_path / "o.csv", check=False)
    assert p.returncode == 2
    assert "nope.txt" in p.stderr and "Traceback" not in p.stderr


def test_bad_file_is_reported_and_the_rest_is_kept(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02binary\x00" * 10)
    (tmp_path / "good.txt").write_text("地区生产总值增长5.5%。", encoding="utf-8")
    p = run("extract", tmp_path, "-o", tmp_path / "o.csv", check=False)
    assert p.returncode == 1
    assert "bad.txt" in p.stderr and "Traceback" not in p.stderr
    rows = list(csv.DictReader((tmp_path / "o.csv").open(encoding="utf-8-sig")))
    assert [(r["doc"], r["quantity_text"]) for r in rows] == [("good.txt", "5.5%")]


def test_bad_rules_file_names_file_and_line(tmp_path):
    import shutil

    rules = tmp_path / "rules"
    shutil.copytree(REPO / "rules", rules)
    text = (rules / "exclusions.yaml").read_text(encoding="utf-8")
    broken = re.sub(r"(name: ordinal\n(?:    #.*\n)*    before: ')", r"\1(", text)  # an unbalanced parenthesis
    assert broken != text
    (rules / "exclusions.yaml").write_text(broken, encoding="utf-8")
    (tmp_path / "d.txt").write_text("新增企业5家。", encoding="utf-8")
    p = run("extract", tmp_path / "d.txt", "-o", tmp_path / "o.csv", "--rules", rules, check=False)
    assert p.returncode == 2
    assert "exclusions.yaml:" in p.stderr and "ordinal" in p.stderr and "Traceback" not in p.stderr


def test_rules_file_missing_a_key_is_a_one_line_error(tmp_path):
    import shutil

    rules = tmp_path / "rules"
    shutil.copytree(REPO / "rules", rules)
    text = (rules / "actions.yaml").read_text(encoding="utf-8")
    (rules / "actions.yaml").write_text(text.replace("comparison_base:", "comparison_base_renamed:"),
                                        encoding="utf-8")
    (tmp_path / "d.txt").write_text("新增企业5家。", encoding="utf-8")
    p = run("extract", tmp_path / "d.txt", "-o", tmp_path / "o.csv", "--rules", rules, check=False)
    assert p.returncode == 2
    assert "comparison_base" in p.stderr and "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1


def test_unknown_output_format_fails_before_any_work(tmp_path):
    p = run("extract", REPO / "corpus", "-o", tmp_path / "out.txt", check=False)
    assert p.returncode == 2 and "out.txt" in p.stderr and "--format" in p.stderr


def test_a_file_named_twice_is_read_once(tmp_path):
    doc = REPO / "corpus" / "jianggan_2020.txt"
    run("extract", doc, doc.parent, "-o", tmp_path / "o.csv", "--quiet")
    df = pd.read_csv(tmp_path / "o.csv", encoding="utf-8-sig")
    assert not df.duplicated(["doc", "start", "end"]).any()
