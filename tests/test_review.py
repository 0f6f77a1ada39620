"""Corrections that survive: review -> fill the workbook -> correct -> extract --force -> export shows
them; bad corrections files stop with every problem named and nothing stored; orphans are named;
row ids are the same in every run and for any --jobs."""
import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from clirun import run
from pipeline.review import read_lines, wilson

REPO = Path(__file__).resolve().parent.parent
DOCS = [REPO / "corpus" / "jianggan_2020.txt", REPO / "corpus" / "hailar_2015.txt"]


def rows_of(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


@pytest.fixture
def study(tmp_path):
    for doc in DOCS:
        shutil.copy(doc, tmp_path / doc.name)
    run("extract", *(tmp_path / d.name for d in DOCS), "-o", tmp_path / "rows.csv", "--quiet")
    return tmp_path


def fill(workbook: Path, verdicts: dict[int, dict], added: list[dict] = ()) -> None:
    """Write verdicts into rows (2 = the first data row) as a reviewer does in Excel."""
    book = load_workbook(workbook)
    sheet = book["review"]
    header = [c.value for c in sheet[1]]
    for row, values in verdicts.items():
        for name, value in values.items():
            sheet.cell(row, header.index(name) + 1, value)
    add = book["add"]
    add_header = [c.value for c in add[1]]
    for values in added:
        add.append([values.get(name) for name in add_header])
    book.save(workbook)


def test_the_whole_loop_survives_reextraction(study):
    run("review", "-o", study / "review.xlsx")  # the database beside rows.csv
    book = load_workbook(study / "review.xlsx", rich_text=True)
    sheet = book["review"]
    header = [c.value for c in sheet[1]]
    first = {h: c.value for h, c in zip(header, sheet[2])}
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    assert "ok,drop,fix" in str([v.formula1 for v in sheet.data_validations.dataValidation])
    assert first["quantity_text"] in str(sheet.cell(2, header.index("sentence") + 1).value)
    machine = rows_of(study / "rows.csv")
    second, third = (sheet.cell(r, 1).value for r in (3, 4))
    fill(study / "review.xlsx", {
        2: {"verdict": "ok"},
        3: {"verdict": "drop", "note": "a name, not a target"},
        4: {"verdict": "fix", "fix_metric": "改过的指标", "fix_comparator": ">=", "fix_unit": "(empty)",
            "note": "checked"},
    })
    run("correct", study / "review.xlsx")
    for rows in (rows_of(study / "rows.csv"),):  # the old output is not rewritten by correct
        assert len(rows) == len(machine)
    run("extract", *(study / d.name for d in DOCS), "-o", study / "rows.csv", "--quiet", "--force")
    run("export", "-o", study / "all.csv")
    for name in ("rows.csv", "all.csv"):
        rows = rows_of(study / name)
        assert second not in set(rows["row_id"])
        fixed = rows[rows["row_id"] == third].iloc[0]
        assert (fixed["metric"], fixed["comparator"], fixed["unit"], fixed["source"]) == ("改过的指标", ">=", "",
                                                                                        "corrected")
        assert set(rows.loc[rows["row_id"] != third, "source"]) == {"machine"}
        assert len(rows) == len(machine) - 1
    listed = run("correct", "--list", "--db", study / "commitments.sqlite").stdout
    assert listed.count("in force") == 4 and "drop" in listed and "改过的指标" in listed


def test_a_missed_row_added_from_a_csv_and_then_set(study):
    text = (study / "hailar_2015.txt").read_text(encoding="utf-8")
    rows = rows_of(study / "rows.csv")
    taken = {(int(s), int(e)) for s, e in zip(rows["start"], rows["end"])}
    corrections = study / "corrections.csv"
    with corrections.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["row_id", "field", "value", "note", "doc", "start", "end"])
        q = rows[rows["doc"] == "hailar_2015.txt"].iloc[0]
        missing_span = find_unread_number(text, taken)
        out.writerow(["", "add", text[missing_span[0]:missing_span[1]], "missed", "hailar_2015.txt", *missing_span])
        out.writerow(["", "metric", "手工指标", "", "hailar_2015.txt", *missing_span])
        out.writerow([q["row_id"], "value", "9", "typo in the source", "", "", ""])
    run("correct", corrections)
    run("export", "-o", study / "all.csv")
    after = rows_of(study / "all.csv")
    added = after[after["source"] == "added"]
    assert len(added) == 1 and added.iloc[0]["metric"] == "手工指标"
    assert (int(added.iloc[0]["start"]), int(added.iloc[0]["end"])) == missing_span
    assert after.loc[after["row_id"] == q["row_id"], "value"].iloc[0] == "9"
    # added rows sit in document order
    hailar = after[after["doc"] == "hailar_2015.txt"]
    assert list(hailar["start"].astype(int)) == sorted(hailar["start"].astype(int))


def find_unread_number(text: str, taken: set) -> tuple[int, int]:
    """A span the quantity grammar reads that is no row: a number the rules excluded."""
    from pipeline.extraction import Options
    from pipeline.quantities import finder

    for q in finder(Options().rules_dir).find(text):
        if (q.start, q.end) not in taken and q.unit:
            return q.start, q.end
    raise AssertionError("every number of the document is a row")


@pytest.mark.parametrize("lines, problem", [
    ([["r0000000000000000", "metric", "x", "", "", "", ""]], "is no row of the database"),
    ([["{row}", "colour", "red", "", "", "", ""]], "unknown field 'colour'"),
    ([["{row}", "comparator", "about", "", "", "", ""]], "comparator 'about' is not"),
    ([["{row}", "value", "many", "", "", "", ""]], "value 'many' is not a number"),
    ([["", "add", "999亿元", "", "hailar_2015.txt", "0", "5"]], "not '999亿元'"),
    ([["", "add", "", "", "nowhere.txt", "0", "5"]], "no document of the database"),
    ([["", "add", "", "", "hailar_2015.txt", "x", "5"]], "start and end must be offsets"),
    ([["", "metric", "y", "", "hailar_2015.txt", "0", "5"]], "is no row added in this file"),
])
def test_bad_corrections_are_named_by_line_and_nothing_is_stored(study, lines, problem):
    row = rows_of(study / "rows.csv")["row_id"].iloc[0]
    path = study / "bad.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["row_id", "field", "value", "note", "doc", "start", "end"])
        out.writerow([row, "metric", "fine", "", "", "", ""])  # a good line
        for line in lines:
            out.writerow([cell.format(row=row) for cell in line])
    p = run("correct", path, check=False)
    assert p.returncode == 2 and problem in p.stderr and "line 3" in p.stderr and "nothing stored" in p.stderr
    assert "Traceback" not in p.stderr
    assert run("correct", "--list", "--db", study / "commitments.sqlite").stdout == ""  # nor the good line


def test_a_workbook_with_a_fix_but_no_value_or_a_value_but_no_fix(study):
    run("review", "-o", study / "review.xlsx")
    fill(study / "review.xlsx", {2: {"verdict": "fix"}, 3: {"fix_unit": "个"}, 4: {"verdict": "maybe"}})
    p = run("correct", study / "review.xlsx", check=False)
    assert p.returncode == 2
    for text in ("sheet review, row 2: verdict fix, but no fix_", "row 3: fix_unit filled, but the verdict is empty",
                 "row 4: verdict 'maybe'"):
        assert text in p.stderr


def test_corrections_of_a_changed_document_are_orphaned_and_named(study):
    rows = rows_of(study / "rows.csv")
    row = rows[rows["doc"] == "hailar_2015.txt"].iloc[0]
    path = study / "c.csv"
    path.write_text(f"row_id,field,value,note,doc,start,end\n{row['row_id']},metric,新指标,,,,\n", encoding="utf-8")
    run("correct", path)
    doc = study / "hailar_2015.txt"
    doc.write_text("前言。\n" + doc.read_text(encoding="utf-8"), encoding="utf-8")  # every offset moves
    p = run("extract", *(study / d.name for d in DOCS), "-o", study / "rows.csv", "--quiet")
    assert "1 correction(s) apply to no row any more" in p.stderr and row["row_id"] in p.stderr
    ledger = rows_of(study / "rows.ledger.csv")
    assert ledger.set_index("path").loc[str(doc), "orphaned"] == "1"
    assert "新指标" not in set(rows_of(study / "rows.csv")["metric"])
    listed = run("correct", "--list", "--db", study / "commitments.sqlite").stdout
    assert "orphaned" in listed
    run("correct", "--undo", "1", "--db", study / "commitments.sqlite")
    assert "orphaned" not in run("correct", "--list", "--db", study / "commitments.sqlite").stdout


def test_row_ids_are_the_same_in_every_run_and_for_any_jobs(tmp_path):
    docs = [REPO / "corpus" / name for name in ("nantong_2024.txt", "national_2024.txt", "zhejiang_2025.txt")]
    run("extract", *docs, "-o", tmp_path / "a" / "rows.csv", "--quiet", "--jobs", "1")
    run("extract", *docs, "-o", tmp_path / "b" / "rows.csv", "--quiet", "--jobs", "2")
    a, b = rows_of(tmp_path / "a" / "rows.csv"), rows_of(tmp_path / "b" / "rows.csv")
    assert list(a["row_id"]) == list(b["row_id"])
    for doc, of_doc in a.groupby("doc"):
        assert of_doc["row_id"].is_unique, doc
    # the same text in another file and encoding: the same ids
    gbk = tmp_path / "copy.txt"
    gbk.write_bytes(docs[0].read_text(encoding="utf-8").encode("gb18030"))
    run("extract", gbk, "-o", tmp_path / "c" / "rows.csv", "--quiet")
    assert list(rows_of(tmp_path / "c" / "rows.csv")["row_id"]) == list(a.loc[a["doc"] == "nantong_2024.txt", "row_id"])


def test_precision_of_a_reviewed_random_sample(study):
    run("review", "-o", study / "review.xlsx", "--sample", "10", "--seed", "7")
    again = study / "again"
    again.mkdir()
    shutil.copy(study / "commitments.sqlite", again / "commitments.sqlite")
    run("review", "-o", again / "review.xlsx", "--sample", "10", "--seed", "7")
    assert (again / "review.xlsx").read_bytes() == (study / "review.xlsx").read_bytes()  # the same sample
    fill(study / "review.xlsx", {r: {"verdict": "ok"} for r in range(2, 10)} | {10: {"verdict": "drop"},
                                                                               11: {"verdict": "fix", "fix_unit": "个"}})
    out = run("eval", "--reviewed", study / "review.xlsx").stdout
    low, high = wilson(8, 10)
    assert "10 rows reviewed (8 ok, 1 with a wrong field, 1 not commitments" in out
    assert f"precision (every field right): 0.800, 95% CI {low:.3f}-{high:.3f}" in out
    assert "precision of detection (a commitment, fields aside): 0.900" in out


def test_wilson_interval():
    assert wilson(0, 0) == (0.0, 1.0)
    low, high = wilson(80, 100)
    assert low == pytest.approx(0.7111, abs=1e-3) and high == pytest.approx(0.8666, abs=1e-3)


def test_a_file_that_is_no_corrections_file(tmp_path):
    (tmp_path / "x.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(ValueError, match="corrections are a review workbook"):
        read_lines(tmp_path / "x.txt")
