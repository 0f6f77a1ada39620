"""Every file under an input folder is accounted for (read, skipped with its reason, or an error
saying what is wrong with it), old Word and WPS files are read through LibreOffice, a manifest
names files by name or by path and says what it does not match, the Python API keeps going past
a bad file, and an output name must fit its format."""
from __future__ import annotations

import os
import shutil
import stat
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

from clirun import run
from pipeline import extract
from pipeline.errors import InputError

DATA = Path(__file__).resolve().parent / "data"
NOTES = "2024年工作安排\n新增国家高新技术企业46家，城镇新增就业1.2万人。\n"  # the text of data/notes.doc


def ledger_of(path: Path) -> dict[str, dict]:
    df = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, dtype=str)
    return {Path(r["path"]).name: r for r in df.to_dict("records")}


def without_soffice() -> dict:
    """An environment in which LibreOffice is not on PATH (only this Python's folder is)."""
    return {**os.environ, "PATH": str(Path(sys.executable).parent)}


@pytest.fixture
def mixed_folder(tmp_path):
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "report.txt").write_text(NOTES, encoding="utf-8")
    (docs / "sub" / "notes.md").write_text("# 2024年工作安排\n新增企业10家。\n", encoding="utf-8")
    (docs / "figures.csv").write_text("year,gdp\n2024,5\n", encoding="utf-8")
    (docs / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    shutil.copy(DATA / "notes.doc", docs / "old.doc")
    (docs / "text_named.doc").write_text(NOTES, encoding="utf-8")
    (docs / "word_named.txt").write_bytes((DATA / "notes.doc").read_bytes())
    # not inputs: hidden files, Office's lock files, the tool's own outputs
    (docs / ".DS_Store").write_bytes(b"\x00\x01")
    (docs / ".git").mkdir()
    (docs / ".git" / "notes.txt").write_text(NOTES, encoding="utf-8")
    (docs / "~$report.docx").write_bytes(b"\x00lock")
    return docs


def test_every_file_of_a_folder_is_accounted_for(tmp_path, mixed_folder):
    out = mixed_folder / "out" / "rows.csv"  # outputs inside the input folder, as users do
    first = run("extract", mixed_folder, "-o", out, check=False, env=without_soffice())
    ledger = ledger_of(mixed_folder / "out" / "rows.ledger.csv")
    assert sorted(ledger) == ["chart.png", "figures.csv", "notes.md", "old.doc", "report.txt", "text_named.doc",
                              "word_named.txt"]
    assert {n: r["status"] for n, r in ledger.items()} == {
        "report.txt": "ok", "notes.md": "ok", "figures.csv": "skipped", "chart.png": "skipped",
        "old.doc": "skipped", "text_named.doc": "error", "word_named.txt": "error"}
    assert "an image" in ledger["chart.png"]["message"] and "a table" in ledger["figures.csv"]["message"]
    assert "old Word format (.doc); save it as .docx or install LibreOffice" in ledger["old.doc"]["message"]
    assert "its content is text, not what the suffix .doc says" in ledger["text_named.doc"]["message"]
    assert "its content is an old Office file" in ledger["word_named.txt"]["message"]
    assert first.returncode == 1 and "Traceback" not in first.stderr
    assert "2 ok" in first.stderr and "2 failed" in first.stderr and "3 skipped" in first.stderr
    assert ledger["notes.md"]["rows"] == "1"
    # a second run finds its own outputs (ledger, database, rows) in the folder and passes them over
    (mixed_folder / "out" / "report.html").write_text(
        '<html><head><meta name="generator" content="commitments report"></head></html>', encoding="utf-8")
    again = run("extract", mixed_folder, "-o", mixed_folder / "out" / "second.csv", check=False, env=without_soffice())
    assert sorted(ledger_of(mixed_folder / "out" / "second.ledger.csv")) == sorted(ledger)
    assert again.returncode == 1


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("name", ["notes.doc", "notes.wps"])
def test_old_word_and_wps_files_are_read_through_libreoffice(tmp_path, name):
    path = tmp_path / name
    shutil.copy(DATA / "notes.doc", path)  # a WPS file is a Word 97 file by content
    df = extract(path)
    assert [(m, v) for m, v in zip(df["metric"], df["value"])] == [("国家高新技术企业", 46), ("城镇新增就业", 12000)]
    assert df.attrs["ledger"]["format"].tolist() == [name.rsplit(".", 1)[1]]


def fake_soffice(folder: Path) -> None:
    """A stand-in for LibreOffice that 'converts' any file to a .docx holding NOTES, as the real
    one is called (--convert-to docx --outdir DIR FILE)."""
    folder.mkdir()
    script = folder / "soffice"
    script.write_text(f"""#!{sys.executable}
import sys, pathlib, docx
args = sys.argv[1:]
out = pathlib.Path(args[args.index("--outdir") + 1])
source = pathlib.Path(args[-1])
out.mkdir(parents=True, exist_ok=True)
document = docx.Document()
for line in {NOTES.splitlines()!r}:
    document.add_paragraph(line)
document.save(out / (source.stem + ".docx"))
""", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)


def test_conversion_goes_through_soffice_on_path(tmp_path):
    fake_soffice(tmp_path / "bin")
    shutil.copy(DATA / "notes.doc", tmp_path / "old.doc")
    env = {**os.environ, "PATH": f"{tmp_path / 'bin'}{os.pathsep}{Path(sys.executable).parent}"}
    p = run("extract", tmp_path / "old.doc", "-o", tmp_path / "out" / "rows.csv", env=env)
    rows = pd.read_csv(tmp_path / "out" / "rows.csv", encoding="utf-8-sig")
    assert rows["metric"].tolist() == ["国家高新技术企业", "城镇新增就业"]
    assert ledger_of(tmp_path / "out" / "rows.ledger.csv")["old.doc"]["format"] == "doc"
    assert "1 ok" in p.stderr


def test_the_api_keeps_going_past_bad_files(tmp_path):
    (tmp_path / "good.txt").write_text(NOTES, encoding="utf-8")
    (tmp_path / "blank.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01" * 10)
    with pytest.warns(UserWarning, match="2 of 3 files not read"):
        df = extract(tmp_path)
    assert df["value"].tolist() == [46, 12000]
    ledger = df.attrs["ledger"]
    assert dict(zip(ledger["path"].map(lambda p: Path(p).name), ledger["status"])) == {
        "binary.txt": "error", "blank.txt": "empty", "good.txt": "ok"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(extract(tmp_path, errors="ignore")) == 2
    with pytest.raises(InputError, match="binary.txt: binary file"):  # the first bad file, as before
        extract(tmp_path, errors="raise")
    with pytest.raises(ValueError, match="errors='skip'"):
        extract(tmp_path, errors="skip")


def test_manifest_names_files_by_name_or_by_path_and_says_what_it_misses(tmp_path):
    docs = tmp_path / "corpus"
    for folder in ("a", "b"):
        (docs / folder).mkdir(parents=True)
        (docs / folder / "report.txt").write_text(NOTES, encoding="utf-8")  # one name in two folders
    (docs / "a" / "other.txt").write_text(NOTES, encoding="utf-8")
    (docs / "unlisted.txt").write_text(NOTES, encoding="utf-8")
    (docs / "MANIFEST.tsv").write_text("file\tyear\tregion\na/report.txt\t2023\t甲市\nb/report.txt\t2024\t乙市\n"
                                       "other.txt\t2022\t丙市\nmissing.txt\t2021\t丁市\nc/gone.txt\t2020\t戊市\n",
                                       encoding="utf-8")
    p = run("extract", docs, "--manifest", docs / "MANIFEST.tsv", "-o", tmp_path / "out" / "rows.csv")
    rows = pd.read_csv(tmp_path / "out" / "rows.csv", encoding="utf-8-sig", dtype=str)
    regions = {(r["doc"], r["region"], r["year"]) for r in rows.to_dict("records")}
    assert {("report.txt", "甲市", "2023"), ("report.txt", "乙市", "2024"), ("other.txt", "丙市", "2022")} <= regions
    ledger = pd.read_csv(tmp_path / "out" / "rows.ledger.csv", encoding="utf-8-sig", dtype=str)
    assert dict(zip(ledger["path"].map(lambda x: Path(x).relative_to(docs).as_posix()), ledger["manifest"])) == {
        "a/other.txt": "1", "a/report.txt": "1", "b/report.txt": "1", "unlisted.txt": "0"}
    assert "1 input file(s) have no manifest row" in p.stderr and "unlisted.txt" in p.stderr
    assert "2 manifest row(s) name no input file: missing.txt, c/gone.txt" in p.stderr
    assert "MANIFEST.tsv" not in set(ledger["path"].map(lambda x: Path(x).name))  # the manifest is no input


@pytest.mark.parametrize("command,message", [
    (["report", "{rows}", "-o", "{tmp}/report.pdf"], "report writes an HTML page; name the file *.html"),
    (["extract", "{doc}", "-o", "{tmp}/rows.pdf"], "unknown output format 'pdf'"),
    (["extract", "{doc}", "-o", "{tmp}/rows.txt", "--format", "csv"], "the suffix .txt does not fit the output format csv"),
    (["compare", "{rows}", "-o", "{tmp}/panel.xlsx", "--format", "csv"], "the suffix .xlsx does not fit"),
    (["export", "--db", "{tmp}/x.sqlite", "-o", "{tmp}/rows.html"], "unknown output format 'html'"),
])
def test_an_output_name_must_fit_its_format(tmp_path, command, message):
    doc = tmp_path / "doc.txt"
    doc.write_text(NOTES, encoding="utf-8")
    rows = tmp_path / "given.csv"
    run("extract", doc, "-o", rows)
    args = [a.format(tmp=tmp_path, doc=doc, rows=rows) for a in command]
    p = run(*args, check=False)
    assert p.returncode == 2 and message in p.stderr and "Traceback" not in p.stderr
    assert not any(tmp_path.glob("report.pdf")) and not any(tmp_path.glob("rows.txt"))
