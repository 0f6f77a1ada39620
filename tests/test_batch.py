"""Batch runs: the run ledger, the database of record (reuse, --force, additions, resume after a
kill), exports, and output that a spreadsheet cannot run as formulas."""
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pandas as pd
import pytest
from openpyxl import load_workbook

from clirun import REPO, run
from pipeline.batch import LEDGER_COLUMNS, Job, largest_first, run_batch
from pipeline.read import Manifest
from pipeline.store import Store
from pipeline.records import COLUMNS


def read_csv(path):
    return pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, dtype=str)


@pytest.fixture
def folder(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("地区生产总值增长5.5%左右。新增企业46家。", encoding="utf-8")
    (docs / "b.txt").write_text("力争城镇新增就业1.2万人以上。", encoding="utf-8")
    return docs


def test_ledger_accounts_for_every_file(tmp_path, folder):
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01binary" * 20)
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 truncated")
    (folder / "norows.txt").write_text("今年的工作很重要。", encoding="utf-8")
    p = run("extract", folder, "-o", tmp_path / "out" / "rows.csv", check=False)
    assert p.returncode == 1 and "Traceback" not in p.stderr
    ledger = read_csv(tmp_path / "out" / "rows.ledger.csv")
    assert list(ledger.columns) == LEDGER_COLUMNS
    by_name = {path.rsplit("/", 1)[-1]: r for path, r in zip(ledger["path"], ledger.itertuples())}
    assert sorted(by_name) == ["a.txt", "b.txt", "binary.txt", "broken.docx", "empty.txt", "norows.txt"]
    assert {n: (r.status, r.rows) for n, r in by_name.items()} == {
        "a.txt": ("ok", "2"), "b.txt": ("ok", "1"), "norows.txt": ("ok", "0"), "empty.txt": ("empty", "0"),
        "binary.txt": ("error", "0"), "broken.docx": ("error", "0")}
    assert "NUL byte" in by_name["binary.txt"].message and "binary.txt" in by_name["binary.txt"].message
    assert by_name["a.txt"].encoding == "utf-8" and by_name["a.txt"].chars == "23"
    assert len(by_name["a.txt"].sha256) == 64
    assert "3 ok" in p.stderr and "1 empty" in p.stderr and "2 failed" in p.stderr
    for name in ("empty.txt", "binary.txt", "broken.docx"):
        assert name in p.stderr


def test_unchanged_files_are_reused_and_changes_are_extracted(tmp_path, folder):
    out = tmp_path / "out"
    run("extract", folder, "-o", out / "first.csv")
    first = (out / "first.csv").read_bytes()
    run("extract", folder, "-o", out / "again.csv")
    assert (out / "again.csv").read_bytes() == first
    assert list(read_csv(out / "again.ledger.csv")["reused"]) == ["1", "1"]
    run("extract", folder, "-o", out / "forced.csv", "--force")
    assert list(read_csv(out / "forced.ledger.csv")["reused"]) == ["0", "0"]
    assert (out / "forced.csv").read_bytes() == first

    (folder / "b.txt").write_text("力争城镇新增就业1.3万人以上。", encoding="utf-8")
    (folder / "c.txt").write_text("粮食产量1.3万亿斤以上。", encoding="utf-8")  # next year's report
    run("extract", folder, "-o", out / "later.csv")
    assert list(read_csv(out / "later.ledger.csv")["reused"]) == ["1", "0", "0"]
    rows = read_csv(out / "later.csv")
    assert list(zip(rows["doc"], rows["value"])) == [("a.txt", "5.5"), ("a.txt", "46"), ("b.txt", "13000"),
                                                     ("c.txt", "1300000000000")]


def test_export_writes_the_whole_database(tmp_path, folder):
    out = tmp_path / "out"
    run("extract", folder / "a.txt", "-o", out / "a.csv")
    run("extract", folder / "b.txt", "-o", out / "b.csv")
    run("export", "--db", out / "commitments.sqlite", "-o", out / "all.xlsx")
    both = pd.read_excel(out / "all.xlsx")
    assert list(both.columns) == COLUMNS
    assert list(both["doc"]) == ["a.txt", "a.txt", "b.txt"]
    with sqlite3.connect(out / "commitments.sqlite") as db:
        assert db.execute("SELECT metric, value FROM commitments WHERE doc = 'b.txt'").fetchall() == \
            [("城镇新增就业", 12000.0)]


def test_bad_database_is_a_one_line_error(tmp_path, folder):
    (tmp_path / "bad.sqlite").write_bytes(b"this is not a database" * 100)
    p = run("extract", folder, "-o", tmp_path / "o.csv", "--db", tmp_path / "bad.sqlite", check=False)
    assert p.returncode == 2 and "bad.sqlite" in p.stderr and "Traceback" not in p.stderr
    p = run("export", "--db", tmp_path / "none.sqlite", "-o", tmp_path / "o.csv", check=False)
    assert p.returncode == 2 and "none.sqlite" in p.stderr


FORMULA_TEXT = "=HYPERLINK(\"http://x\")新增企业46家。\n-1+2新增项目5个。\n"


def test_excel_safe_csv_escapes_formula_cells(tmp_path):
    (tmp_path / "f.txt").write_text(FORMULA_TEXT, encoding="utf-8")
    run("extract", tmp_path / "f.txt", "-o", tmp_path / "plain.csv")
    run("extract", tmp_path / "f.txt", "-o", tmp_path / "safe.csv", "--excel-safe")
    plain, safe = read_csv(tmp_path / "plain.csv"), read_csv(tmp_path / "safe.csv")
    assert [s[:2] for s in plain["sentence"]] == ["=H", "-1"]
    assert [s[:3] for s in safe["sentence"]] == ["'=H", "'-1"]
    assert list(safe["value"]) == ["46", "5"]  # numbers are not text: never escaped


def test_xlsx_text_is_never_a_formula(tmp_path):
    (tmp_path / "f.txt").write_text(FORMULA_TEXT, encoding="utf-8")
    run("extract", tmp_path / "f.txt", "-o", tmp_path / "f.xlsx")
    sheet = load_workbook(tmp_path / "f.xlsx").active
    header = [c.value for c in sheet[1]]
    cells = [row[header.index("sentence")] for row in sheet.iter_rows(min_row=2)]
    assert [(c.value[:2], c.data_type) for c in cells] == [("=H", "s"), ("-1", "s")]


def documents(db_path):
    with sqlite3.connect(db_path) as db:
        docs = db.execute("SELECT path, sha256, status, rows FROM documents ORDER BY path").fetchall()
        counts = dict(db.execute("SELECT path, count(*) FROM commitments GROUP BY path").fetchall())
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert all(rows == counts.get(path, 0) for path, _, _, rows in docs)  # no half-written document
    return docs


def test_killed_run_resumes_to_the_dataset_of_an_uninterrupted_run(tmp_path, shared):
    # enough documents that the run lasts a few seconds: it commits the documents done each second
    cities = sorted((shared / "corpus" / "cities_2024").glob("*.txt"))
    docs = tmp_path / "docs"
    docs.mkdir()
    for f in cities:
        shutil.copy(f, docs)
    whole, broken = tmp_path / "whole", tmp_path / "broken"
    run("extract", docs, "-o", whole / "rows.csv", "--quiet")
    run("extract", *sorted(docs.iterdir())[:2], "-o", broken / "rows.csv", "--quiet")
    old = (broken / "rows.csv").read_bytes()

    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "extract", str(docs), "-o", str(broken / "rows.csv"),
                             "--quiet"], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        try:
            if len(documents(broken / "commitments.sqlite")) >= 5:
                break
        except sqlite3.OperationalError:  # locked while the run writes
            pass
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 5 <= len(documents(broken / "commitments.sqlite")) < len(cities)
    assert (broken / "rows.csv").read_bytes() == old  # the old version, not half of the new one

    p = run("extract", docs, "-o", broken / "rows.csv", "--quiet")
    assert "unchanged since the last run" in p.stderr
    assert 0 < read_csv(broken / "rows.ledger.csv")["reused"].astype(int).sum() < len(cities)
    assert (broken / "rows.csv").read_bytes() == (whole / "rows.csv").read_bytes()
    assert documents(broken / "commitments.sqlite") == documents(whole / "commitments.sqlite")


@pytest.mark.parametrize("content,message", [
    (b"name\tyear\tregion\na.txt\t2024\tX\n", "lacks column(s) file"),
    (b"file,year,region\na.txt,2024,X\n", "lacks column(s) file, region, year"),  # not tab-separated
    (b"file\tyear\tregion\na.txt\t2024\tX\nb.txt\tnext year\tY\n", ":3: year 'next year' is not a number"),
    ("file\tyear\tregion\na.txt\t2024\t北京\n".encode("gbk"), "cannot read manifest"),
])
def test_malformed_manifest_is_a_one_line_error(tmp_path, folder, content, message):
    (tmp_path / "m.tsv").write_bytes(content)
    p = run("extract", folder, "-o", tmp_path / "o.csv", "--manifest", tmp_path / "m.tsv", check=False)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert f"{tmp_path / 'm.tsv'}" in p.stderr and message in p.stderr
    assert not (tmp_path / "o.csv").exists()


def test_output_is_the_same_for_any_number_of_jobs(tmp_path):
    corpus = REPO / "corpus"
    for jobs in ("1", "2"):
        p = run("extract", corpus, "--manifest", corpus / "MANIFEST.tsv", "--jobs", jobs, "-o", tmp_path / jobs / "rows.csv",
                "--quiet")
        assert "8 ok (0 unchanged" in p.stderr
    assert (tmp_path / "1" / "rows.csv").read_bytes() == (tmp_path / "2" / "rows.csv").read_bytes()
    assert documents(tmp_path / "1" / "commitments.sqlite") == documents(tmp_path / "2" / "commitments.sqlite")


def test_parallel_jobs_start_with_the_largest_files(tmp_path):
    sizes = {"small.txt": 10, "big.txt": 300, "medium.txt": 100, "also_medium.txt": 100}
    for name, size in sizes.items():
        (tmp_path / name).write_bytes(b"x" * size)
    todo = [Job(tmp_path / name, name, "", "") for name in [*sizes, "missing.txt"]]
    assert [job.key for job in largest_first(todo)] == ["big.txt", "medium.txt", "also_medium.txt", "small.txt",
                                                        "missing.txt"]


def test_dask_engine_gives_the_rows_of_the_local_engine(tmp_path):
    corpus = REPO / "corpus"
    run("extract", corpus, "--jobs", "1", "-o", tmp_path / "local" / "rows.csv", "--quiet")
    p = run("extract", corpus, "--engine", "dask", "--jobs", "2", "-o", tmp_path / "dask" / "rows.csv", "--quiet")
    assert "8 ok (0 unchanged" in p.stderr  # a LocalCluster of two workers did the work
    assert (tmp_path / "dask" / "rows.csv").read_bytes() == (tmp_path / "local" / "rows.csv").read_bytes()


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_batch_holds_no_rows_once_they_are_stored(tmp_path, folder, jobs):
    """Memory stays that of one file's rows however many files a batch has."""
    store = Store(tmp_path / "db.sqlite")
    seen = {}
    results = run_batch(sorted(folder.iterdir()), store, jobs=jobs,
                        on_result=lambda r: seen.update({r.path.name: [row.quantity_text for row in r.rows]}))
    assert seen == {"a.txt": ["5.5%", "46家"], "b.txt": ["1.2万人"]}
    assert [(r.path.name, r.info.rows, r.rows) for r in results] == [("a.txt", 2, []), ("b.txt", 1, [])]
    assert [row.quantity_text for row in store.rows([str(r.path.resolve()) for r in results])] == \
        ["5.5%", "46家", "1.2万人"]
    store.close()


MAIN_PID = os.getpid()


class DyingManifest(Manifest):
    """Kills the worker process that reads die.txt, as the out-of-memory killer would."""

    def get(self, path):
        if path.name == "die.txt" and os.getpid() != MAIN_PID:
            os._exit(9)
        return None


def test_a_dead_worker_makes_errors_to_retry_not_a_lost_run(tmp_path, folder):
    (folder / "die.txt").write_text("新增企业5家。", encoding="utf-8")
    files = sorted(folder.iterdir())
    store = Store(tmp_path / "db.sqlite")
    results = run_batch(files, store, DyingManifest(), jobs=2)
    by_name = {r.path.name: r.info for r in results}
    assert list(by_name) == ["a.txt", "b.txt", "die.txt"]
    assert by_name["die.txt"].status == "error" and "process extracting it failed" in by_name["die.txt"].message
    assert {i.status for i in by_name.values()} <= {"ok", "error"}
    again = run_batch(files, store, None, jobs=1)  # the failed files are tried again
    assert [r.info.status for r in again] == ["ok", "ok", "ok"]
    store.close()


def test_reading_commands_never_change_a_database(tmp_path, folder):
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE t (x)")
    before = foreign.read_bytes()
    for command in (["compare", foreign, "-o", tmp_path / "c.csv"], ["export", "--db", foreign, "-o", tmp_path / "e.csv"]):
        p = run(*command, check=False)
        assert p.returncode == 2 and "foreign.db: not a commitments database" in p.stderr
    assert foreign.read_bytes() == before
    run("extract", folder, "-o", tmp_path / "out" / "rows.csv")
    ours = tmp_path / "out" / "commitments.sqlite"
    before = ours.read_bytes()
    run("compare", ours, "-o", tmp_path / "c.csv")
    assert ours.read_bytes() == before


def test_saved_documents_are_committed_together_a_second_apart_and_on_close(tmp_path):
    from pipeline.batch import process_file
    from pipeline.extraction import Options

    paths = []
    for name, text in (("a_2024.txt", "新增企业46家。\n"), ("b_2024.txt", "新建学校3所。\n")):
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(tmp_path / name)
    results = [process_file(p, "", "", None, Options()) for p in paths]
    store = Store(tmp_path / "db.sqlite")

    def committed():
        with sqlite3.connect(tmp_path / "db.sqlite") as db:  # another reader sees what is committed
            return db.execute("SELECT doc, rows FROM documents ORDER BY doc").fetchall(), \
                db.execute("SELECT count(*) FROM commitments").fetchone()[0]

    store.committed = time.monotonic()
    store.save("a", "a_2024.txt", results[0].info, results[0].rows)
    assert committed() == ([], 0)  # within the second: kept
    store.committed -= 1.0
    store.save("b", "b_2024.txt", results[1].info, results[1].rows)
    assert committed() == ([("a_2024.txt", 1), ("b_2024.txt", 1)], 2)  # a second on: both, whole
    store.save("a", "a_2024.txt", results[0].info, [])
    store.close()
    assert committed() == ([("a_2024.txt", 1), ("b_2024.txt", 1)], 1)  # on close: a's rows replaced
