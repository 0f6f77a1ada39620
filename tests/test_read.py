"""Reading what researchers have: GBK/Big5/UTF-16 text, BOMs, saved web pages, Word files, PDFs."""
import io
from pathlib import Path

import pandas as pd
import pytest
import regex
from minipdf import pdf_bytes

from pipeline import extract
from pipeline.errors import EmptyDocument
from pipeline.extraction import extract_document
from pipeline.read import InputError, collect_files, read_document

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"

REPO = Path(__file__).resolve().parent.parent
TEXT = "2020年工作安排\n地区生产总值增长5.5%，新增国家高新技术企业46家。\n"
PDF = pdf_bytes([TEXT.splitlines()])


def rows(path):
    return [(r.quantity_text, r.value, r.metric) for r in extract_document(read_document(path)).rows]


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


ORIGINALS = sorted(p.name for p in (SHARED / "corpus" / "originals").glob("*.orig")) or ["none.txt.orig"]
COMPARED = ["section", "topic", "metric", "quantity_text", "value", "value_high", "unit", "kind", "comparator",
            "aspirational", "status", "year"]


@pytest.mark.parametrize("original", ORIGINALS)
def test_originals_give_the_rows_of_the_utf8_text(shared, original):
    """GBK text and Word files as published give the rows of their UTF-8 text version."""
    path = shared / "corpus" / "originals" / original
    text_version = next((shared / "corpus").rglob(original.split(".")[0] + ".txt"))
    assert read_document(path).format == ("docx" if ".docx" in original else "text")
    from_original, from_text = extract(path), extract(text_version)
    pd.testing.assert_frame_equal(from_original[COMPARED], from_text[COMPARED])


def test_originals_folder_is_collected(shared):
    files = collect_files([shared / "corpus" / "originals"])
    assert any(f.name == "beijing_2025.docx.orig" for f in files)
    assert any(f.name == "hailar_2015.txt.orig" for f in files)


def locked_pdf(user_password: str) -> bytes:
    """PDF encrypted as published PDFs often are: an owner password against copying, and sometimes
    a user password against opening."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(PDF)))
    writer.encrypt(user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("name,content,error,message", [
    ("empty.txt", b"  \n", EmptyDocument, "empty file"),
    ("binary.txt", b"\x00\x01\x02" * 50, InputError, "binary"),
    ("broken.docx", b"PK\x03\x04 truncated", InputError, "not a readable Word"),
    ("truncated.pdf", PDF[:len(PDF) // 2], InputError, "not a readable PDF file"),
    ("locked.pdf", locked_pdf("secret"), InputError, "encrypted PDF"),
    ("scan.pdf", pdf_bytes([[], []]), EmptyDocument, "no text layer"),
])
def test_bad_files_are_one_line_errors_naming_the_file(tmp_path, name, content, error, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_document(path)
    assert type(err.value) is error
    assert name in str(err.value) and message in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("content", [
    PDF,
    locked_pdf(""),  # an owner password only: anyone may open it
    PDF.replace(b"\n", b"\n%comment\n", 1),  # every offset in the xref table is off: pypdf repairs it
], ids=["plain", "owner password", "bad xref"])
def test_pdf_text_layer_is_read_quietly(tmp_path, caplog, content):
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    doc = read_document(path)
    assert (doc.format, doc.text) == ("pdf", TEXT.rstrip("\n"))
    assert [q for q, _, _ in rows(path)] == ["5.5%", "46家"]
    assert not caplog.records  # pypdf's warnings about repairs would flood a batch


def print_as_pdf(text: str, width: int = 35, page_lines: int = 40) -> bytes:
    """The text as a PDF prints it: paragraphs hard-wrapped at `width` characters, without their
    indent, on pages of `page_lines` lines with a page number at the foot."""
    lines = []
    for paragraph in filter(None, (p.strip(" \t\u3000") for p in text.split("\n"))):
        lines += [paragraph[i:i + width] for i in range(0, len(paragraph), width)]
    pages = [lines[i:i + page_lines] for i in range(0, len(lines), page_lines)]
    return pdf_bytes([page + [f"— {n} —"] for n, page in enumerate(pages, 1)])


@pytest.fixture(scope="module", params=[("hailar_2015", 35), ("hailar_2015", 28), ("national_2019", 40)])
def printed_report(shared, tmp_path_factory, request):
    """(.txt, .pdf) of a real report: its text, and that text printed to a multi-page PDF."""
    name, width = request.param
    txt = shared / "corpus" / f"{name}.txt"
    pdf = tmp_path_factory.mktemp("pdf") / f"{name}.pdf"
    pdf.write_bytes(print_as_pdf(txt.read_text(encoding="utf-8"), width))
    return txt, pdf


def test_printed_report_keeps_its_text_structure_and_offsets(printed_report):
    txt, pdf = printed_report
    doc = read_document(pdf)
    assert "".join(regex.sub(r"— \d+ —", "", doc.text).split()) == "".join(txt.read_text("utf-8").split())
    from_txt, from_pdf = extract(txt), extract(pdf)
    assert len(from_pdf) == len(from_txt) > 20
    assert all(doc.text[r.start:r.end] == r.quantity_text for r in from_pdf.itertuples())
    layout = ["year", "region", "section", "topic", "status"]  # lines joined, page numbers dropped
    pd.testing.assert_frame_equal(from_pdf[layout], from_txt[layout])


def test_printed_report_gives_the_rows_of_the_text(printed_report):
    from_txt, from_pdf = (extract(path) for path in printed_report)
    for frame in (from_txt, from_pdf):
        # a number cut by a wrap, maybe with a page number between: 1⏎— 5 —⏎0万吨
        frame["quantity_text"] = frame["quantity_text"].map(lambda q: regex.sub(r"\s|— \d+ —", "", q))
    # (row ids come from the text, whose layout differs)
    columns = [c for c in from_txt.columns if c not in ("row_id", "doc", "sentence", "start", "end")]
    pd.testing.assert_frame_equal(from_pdf[columns], from_txt[columns])


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
