"""Decode the file formats researchers collect into plain text: text in any common Chinese
encoding (UTF-8 with or without BOM, UTF-16, GB18030/GBK, Big5), saved web pages, Word files and
PDFs with a text layer. Each decoder returns (text, encoding) — the encoding is empty for Word and
PDF files, which hold no byte-encoded text — or raises InputError naming the file.
"""
from __future__ import annotations

import io
import logging
from html.parser import HTMLParser
from pathlib import Path

from .errors import EmptyDocument, InputError

BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
CHINESE_ENCODINGS = ("gb18030", "gbk", "gb2312", "big5", "big5hkscs", "cp950", "cp936", "hz", "utf_16",
                     "utf_8")


def decode_text(data: bytes, path: Path) -> tuple[str, str]:
    """Bytes of a text file to str: a BOM decides, else UTF-8, else the encoding that
    charset-normalizer finds among the Chinese ones."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.replace("-sig", "")
            except UnicodeDecodeError as e:
                raise InputError(f"{path}: declares {encoding} but byte {e.start} is not") from None
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(f"{path}: binary file (NUL byte at byte {nul}), not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(CHINESE_ENCODINGS)).best()
    if best is None:
        raise InputError(f"{path}: not text in UTF-8, UTF-16, GB18030 or Big5")
    return str(best), best.encoding


BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "table",
          "ul", "ol", "dd", "dt", "blockquote", "pre"}
SKIPPED = {"script", "style", "nav", "header", "footer", "noscript", "iframe", "template", "svg", "head"}


class _PageText(HTMLParser):
    """The visible text of a page, a line per block, without scripts, styles and navigation."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self.skipping += 1
        elif tag in BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(" ".join(data.split("\n")))


def html_text(data: bytes, path: Path) -> tuple[str, str]:
    raw, encoding = decode_text(data, path)
    parser = _PageText()
    parser.feed(raw)
    parser.close()
    lines = (line.strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line) + "\n", encoding


def docx_text(data: bytes, path: Path) -> tuple[str, str]:
    """Paragraphs and table rows of a Word file in document order, a line each."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:  # noqa: BLE001 - python-docx raises many kinds for a broken file
        raise InputError(f"{path}: not a readable Word .docx file ({type(e).__name__}: {e})") from None
    lines = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines), ""


def pdf_text(data: bytes, path: Path) -> tuple[str, str]:
    """The text layer of a PDF, its pages in order, as pypdf lays it out: a line per printed line
    (layout.unwrap joins hard-wrapped lines and drops page numbers). pypdf's warnings about
    repaired files are kept off stderr, where a batch would drown in them."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError

    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    except FileNotDecryptedError:
        raise InputError(f"{path}: encrypted PDF that needs a password to open") from None
    except Exception as e:  # noqa: BLE001 - pypdf raises many kinds for a broken file
        raise InputError(f"{path}: not a readable PDF file ({type(e).__name__}: {e})") from None
    finally:
        log.setLevel(level)
    text = "\n".join(pages)
    if not text.strip():
        raise EmptyDocument(f"{path}: no text layer in this PDF (a scan? it needs OCR first)")
    return text, ""
