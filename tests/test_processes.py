"""A run leaves no process behind, however it ends, and its dataset never depends on how busy the
machine is: the limits count CPU time and start after the models and rules are loaded."""
from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clirun import REPO, run

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")


def alive(pid: int) -> bool:
    """A process that runs (a zombie has ended: only its exit status waits to be read)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.add(child)
            todo.append(child)
    return out


@pytest.fixture
def many_documents(tmp_path):
    """Enough work for two workers to be busy for several seconds."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(30):
        for f in sorted((REPO / "corpus").glob("*.txt")):
            shutil.copy(f, docs / f"{f.stem}_{i}.txt")
    return docs


def start_run(docs: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pipeline", "extract", str(docs), "-o", str(out), "--jobs", "2",
                             "--quiet"], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)


def wait_for_workers(proc: subprocess.Popen, db: Path) -> set[int]:
    """The run's processes once both workers have documents done."""
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None:
        try:
            with sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True) as conn:
                if conn.execute("SELECT count(*) FROM documents").fetchone()[0] >= 2:
                    return descendants(proc.pid)
        except sqlite3.Error:  # not there yet, or locked while the run writes
            pass
        time.sleep(0.05)
    pytest.fail("the run ended or stalled before its workers were busy")


def test_workers_end_when_the_run_is_killed(tmp_path, many_documents):
    proc = start_run(many_documents, tmp_path / "out" / "rows.csv")
    workers = wait_for_workers(proc, tmp_path / "out" / "commitments.sqlite")
    assert len(workers) >= 2
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(5)
    assert [pid for pid in workers if alive(pid)] == []


def test_ctrl_c_stops_every_process_and_the_next_run_resumes(tmp_path, many_documents):
    out = tmp_path / "out" / "rows.csv"
    db = out.parent / "commitments.sqlite"
    proc = start_run(many_documents, out)
    workers = wait_for_workers(proc, db)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal sends it: to the run and its workers
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130 and "interrupted" in stderr.decode() and "Traceback" not in stderr.decode()
    time.sleep(1)
    assert [pid for pid in workers if alive(pid)] == []
    with sqlite3.connect(db) as conn:  # every document saved whole, with all its rows
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        saved = conn.execute("SELECT d.rows, (SELECT count(*) FROM commitments c WHERE c.path = d.path) "
                             "FROM documents d").fetchall()
        assert 2 <= len(saved) < len(list(many_documents.iterdir()))
        assert all(expected == stored for expected, stored in saved)
    p = run("extract", many_documents, "-o", out, "--jobs", "2", "--quiet")
    assert f"{len(saved)} unchanged since the last run" in p.stderr
    whole = tmp_path / "whole" / "rows.csv"
    run("extract", many_documents, "-o", whole, "--jobs", "1", "--quiet")
    assert out.read_bytes() == whole.read_bytes()


def test_the_same_dataset_on_a_busy_machine(tmp_path):
    """Two runs side by side, each niced, with an empty cache (jieba's tables built anew), beside one
    busy loop more than there are cores: a process of the run gets a fifth of a core or less, so
    loading and reading take many times longer on the clock than in CPU time. The busy loops run at
    nice 5, so that the test ends within a minute."""
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(REPO / "corpus" / "jianggan_2020.txt", docs)
    shutil.copy(REPO / "corpus" / "hailar_2015.txt", docs)
    (docs / "notes.txt").write_text("# notes 新增10个", encoding="utf-8")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    loops = [subprocess.Popen(["nice", "-n", "5", sys.executable, "-c", "while True: pass"]) for _ in range(cores + 1)]
    try:
        runs = [subprocess.Popen(["nice", "-n", "10", sys.executable, "-m", "pipeline", "extract", str(docs), "-o",
                                  str(tmp_path / str(i) / "rows.csv"), "--jobs", "2", "--quiet"], cwd=REPO,
                                 env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / f"cache{i}")},
                                 stderr=subprocess.PIPE) for i in (1, 2)]
        errors = [r.communicate(timeout=300)[1].decode() for r in runs]
    finally:
        for loop in loops:
            loop.kill()
            loop.wait()
    assert [r.returncode for r in runs] == [0, 0], errors
    assert all("3 ok" in e and "0 failed" in e for e in errors), errors
    assert (tmp_path / "1" / "rows.csv").read_bytes() == (tmp_path / "2" / "rows.csv").read_bytes()
    ledgers = [(tmp_path / str(i) / "rows.ledger.csv").read_text(encoding="utf-8-sig").splitlines() for i in (1, 2)]
    header = ledgers[0][0].split(",")
    for ledger in ledgers:
        for line in ledger[1:]:
            row = dict(zip(header, line.split(",")))
            assert (row["status"], row["warnings"]) == ("ok", "0")
