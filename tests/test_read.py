"""Reading what researchers have: GBK/Big5/UTF-16 text, BOMs, saved web pages, Word files."""
from pathlib import Path

import pytest

from pipeline.extraction import extract_document
from pipeline.read import InputError, collect_files, read_document

REPO = Path(__file__).resolve().parent.parent
TEXT = "2020年工作安排\n地区生产总值增长5.5%，新增国家高新技术企业46家。\n"


def rows(path):
    return [(r.quantity_text, r.value, r.metric) for r in extract_document(read_document(path))]


@pytest.mark.parametrize("encoding,expected", [("utf-8-sig", "utf-8"), ("utf-16", "utf-16"),
                                               ("gb18030", "gb18030"), ("big5", None)])
def test_encodings_give_the_same_text(tmp_path, encoding, expected):
    path = tmp_path / "doc.txt"
    text = TEXT if encoding != "big5" else "2020年工作安排\n地區生產總值增長5.5%，新增國家高新技術企業46家。\n"
    path.write_bytes(text.encode(encoding))
    doc = read_document(path)
    assert doc.text == text
    if expected:
        assert doc.encoding == expected


def test_saved_web_page_keeps_the_text_only(tmp_path):
    page = ("<html><head><title>报告</title><style>p{color:red}</style></head><body>"
            "<nav>首页 &gt; 政府工作报告 增长99%</nav><script>var x = '增长88%';</script>"
            "<div><p>地区生产总值增长5.5%，</p><p>新增国家高新技术企业46家。</p></div></body></html>")
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    doc = read_document(path)
    assert doc.format == "html"
    assert "99%" not in doc.text and "88%" not in doc.text and "color" not in doc.text
    assert [q for q, _, _ in rows(path)] == ["5.5%", "46家"]


def test_originals_give_the_rows_of_the_utf8_text(shared):
    corpus = shared / "corpus"
    for original in ("hailar_2015.txt.orig", "beijing_2025.docx.orig"):
        path = corpus / "originals" / original
        text_version = corpus / original.split(".")[0]
        text_version = text_version.with_suffix(".txt")
        doc = read_document(path)
        assert doc.format == ("docx" if "docx" in original else "text")
        assert rows(path) == rows(text_version)


def test_originals_folder_is_collected(shared):
    files = collect_files([shared / "corpus" / "originals"])
    assert any(f.name == "beijing_2025.docx.orig" for f in files)
    assert any(f.name == "hailar_2015.txt.orig" for f in files)


@pytest.mark.parametrize("name,content,message", [
    ("empty.txt", b"  \n", "empty file"),
    ("binary.txt", b"\x00\x01\x02" * 50, "binary"),
    ("broken.docx", b"PK\x03\x04 truncated", "not a readable Word"),
])
def test_bad_files_are_one_line_errors_naming_the_file(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_document(path)
    assert name in str(err.value) and message in str(err.value)


def test_dump_text_writes_the_text_offsets_index(tmp_path):
    import subprocess
    import sys

    import pandas as pd

    page = tmp_path / "page.html"
    page.write_text("<p>地区生产总值增长5.5%，</p><p>新增企业46家。</p>", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pipeline", "extract", str(page), "-o", str(tmp_path / "o.csv"),
                    "--dump-text", str(tmp_path / "texts"), "--quiet"], cwd=REPO, check=True)
    text = (tmp_path / "texts" / "page.html.txt").read_text(encoding="utf-8")
    df = pd.read_csv(tmp_path / "o.csv", encoding="utf-8-sig")
    assert len(df) == 2
    assert all(text[r.start:r.end] == r.quantity_text for r in df.itertuples())
