"""Decode the file formats researchers collect into plain text: text in any common Chinese
encoding (UTF-8 with or without BOM, UTF-16, GB18030/GBK, Big5), saved web pages, Word files,
old Word and WPS files (through LibreOffice) and PDFs with a text layer. Each decoder returns
(text, encoding) — the encoding is empty for Word and PDF files, which hold no byte-encoded text —
or raises InputError naming the file.
"""
from __future__ import annotations

import io
import logging
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from .errors import EmptyDocument, InputError, SkippedFile

# What a file's first bytes say it is: (magic, kind, what to call it). Old Word, WPS, Excel and
# PowerPoint files are all OLE2 compound files; .docx/.xlsx/.odt are zip archives.
MAGIC = ((b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole2", "an old Office file (Word .doc, WPS .wps, Excel .xls)"),
         (b"PK\x03\x04", "zip", "a zip archive (Word .docx, Excel .xlsx, OpenDocument)"),
         (b"%PDF", "pdf", "a PDF"), (b"{\\rtf", "rtf", "an RTF file"),
         (b"\x89PNG", "image", "a PNG image"), (b"\xff\xd8\xff", "image", "a JPEG image"),
         (b"GIF8", "image", "a GIF image"), (b"II*\x00", "image", "a TIFF image"), (b"MM\x00*", "image", "a TIFF image"))
# the kinds of content each format is read from: anything else is a file misnamed
EXPECTED = {"text": {"text"}, "html": {"text"}, "docx": {"zip"}, "pdf": {"pdf"}, "office": {"ole2", "rtf", "zip"}}
CONVERT_SECONDS = 300  # LibreOffice's time for one file (wall clock: a conversion that hangs must end)


def content_kind(data: bytes) -> tuple[str, str]:
    """(kind, description) of a file's content by its first bytes: one of MAGIC's kinds, else
    'text' (a PDF's header may come after up to 1 KB of junk)."""
    for magic, kind, description in MAGIC:
        if data.startswith(magic):
            return kind, description
    if b"%PDF-" in data[:1024]:
        return "pdf", "a PDF"
    return "text", "text"


def check_content(data: bytes, fmt: str, path: Path) -> None:
    """A file whose content is not what its suffix says (a .doc that is text, a .txt that is a
    Word file) is an InputError saying what it is."""
    kind, description = content_kind(data)
    if kind not in EXPECTED[fmt]:
        raise InputError(f"{path}: its content is {description}, not what the suffix {path.suffix or '(none)'} "
                         "says; rename it to the suffix of its format")

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


def office_text(data: bytes, path: Path) -> tuple[str, str]:
    """An old Word (.doc), WPS (.wps), RTF or OpenDocument (.odt) file, converted to .docx by
    LibreOffice (headless, in a temporary folder, with a fresh profile and a time limit) when
    soffice is on PATH; without it, the file is skipped with the way out."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SkippedFile(f"{path}: old Word format ({path.suffix}); save it as .docx or install LibreOffice "
                          "(soffice on PATH) to read it")
    with tempfile.TemporaryDirectory(prefix="commitments-office-") as tmp:
        source = Path(tmp, "document" + path.suffix.lower())
        source.write_bytes(data)  # a copy: the original's name may hold anything
        command = [soffice, f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}", "--headless", "--norestore",
                   "--nolockcheck", "--convert-to", "docx", "--outdir", str(Path(tmp, "out")), str(source)]
        try:
            done = subprocess.run(command, capture_output=True, timeout=CONVERT_SECONDS, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise InputError(f"{path}: LibreOffice took longer than {CONVERT_SECONDS} s to convert it") from None
        converted = Path(tmp, "out", "document.docx")
        if not converted.is_file():
            said = " ".join((done.stderr or done.stdout).decode("utf-8", "replace").split())[:200]
            raise InputError(f"{path}: LibreOffice could not convert it to .docx ({said or 'no message'})")
        text, _ = docx_text(converted.read_bytes(), path)
    return text, ""
