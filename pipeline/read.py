"""Read a document file into text, and attach its year and region.

Offsets everywhere else point into ``Document.text``: the decoded file (of a Word file or a PDF,
the text extracted from it, as --dump-text writes it) with line ends as \\n and nothing else
changed (the gold's convention), so ``text[start:end]`` is exact.
"""
from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import regex

from .errors import EmptyDocument, InputError, SkippedFile
from .formats import check_content, content_kind, decode_text, docx_text, html_text, office_text, pdf_text

# suffix -> format; a trailing .orig (a kept original) is looked through: hailar_2015.txt.orig
FORMATS = {".txt": "text", ".text": "text", ".md": "text", ".htm": "html", ".html": "html", ".docx": "docx",
           ".pdf": "pdf", ".doc": "office", ".wps": "office", ".rtf": "office", ".odt": "office"}
# a file without a suffix is read by what its content is
FORMAT_OF_CONTENT = {"text": "text", "pdf": "pdf", "zip": "docx", "ole2": "office", "rtf": "office"}
# why a file of another type is not read
NOT_READ = {**dict.fromkeys((".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp"),
                            "an image; the tool reads text, so it needs OCR first"),
            **dict.fromkeys((".csv", ".tsv", ".xls", ".xlsx", ".ods", ".parquet", ".json", ".jsonl", ".dta"),
                            "a table or data file, not a document"),
            **dict.fromkeys((".zip", ".rar", ".7z", ".gz", ".tar", ".bz2", ".xz"), "an archive; unpack it first"),
            **dict.fromkeys((".ppt", ".pptx", ".dps"), "a presentation, which the tool does not read")}
READ = ", ".join(FORMATS)


@dataclass(frozen=True)
class Document:
    path: Path
    text: str
    year: int | None = None
    region: str = ""
    encoding: str = "utf-8"
    format: str = "text"
    sha256: str = ""  # of the bytes the text was decoded from

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class ManifestRow:
    year: int | None
    region: str


@dataclass
class Manifest:
    """Year and region of files, from a TSV with columns file, year, region. `file` is a bare file
    name (matching a file of that name, or that name plus .orig, in any folder) or a path relative
    to the manifest's folder (matching that file only)."""

    by_name: dict[str, tuple[str, ManifestRow]] = field(default_factory=dict)
    by_path: dict[Path, tuple[str, ManifestRow]] = field(default_factory=dict)

    def entry(self, path: Path) -> tuple[str, ManifestRow] | None:
        """(the manifest's `file` text, its row) for a document, if a row names it."""
        return self.by_path.get(path.resolve()) or self.by_name.get(path.name) or self.by_name.get(path.stem)

    def get(self, path: Path) -> ManifestRow | None:
        found = self.entry(path)
        return found[1] if found else None

    def unmatched(self, files: list[Path]) -> list[str]:
        """The rows (their `file` text) that name none of `files`, in the manifest's order."""
        used = {found[0] for found in map(self.entry, files) if found}
        return [text for text, _ in [*self.by_name.values(), *self.by_path.values()] if text not in used]


def load_manifest(path: str | Path) -> Manifest:
    path = Path(path)
    manifest = Manifest()
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f, delimiter="\t")
            missing = {"file", "year", "region"} - set(reader.fieldnames or [])
            if missing:
                raise InputError(f"{path}: manifest lacks column(s) {', '.join(sorted(missing))} "
                                 "(expected a TSV with columns file, year, region)")
            for n, r in enumerate(reader, start=2):
                year = (r.get("year") or "").strip()
                if year and not year.isdigit():
                    raise InputError(f"{path}:{n}: year {year!r} is not a number")
                text = (r["file"] or "").strip()
                row = ManifestRow(int(year) if year else None, (r.get("region") or "").strip())
                if "/" in text or "\\" in text:
                    manifest.by_path[(path.parent / text.replace("\\", "/")).resolve()] = (text, row)
                elif text:
                    manifest.by_name[text] = (text, row)
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read manifest: {e}") from None
    return manifest


def document_suffix(path: Path) -> str:
    """The suffix that names the file's type, a trailing .orig looked through ('' if none)."""
    suffixes = [x.lower() for x in path.suffixes if x.lower() != ".orig"]
    return suffixes[-1] if suffixes else ""


def file_format(path: Path) -> str | None:
    return FORMATS.get(document_suffix(path))


def skip_reason(path: Path) -> str:
    suffix = document_suffix(path)
    return (f"{path}: {NOT_READ.get(suffix) or f'its type ({suffix}) is not one the tool reads'} "
            f"(documents: {READ})")


YEAR_IN_NAME = regex.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
YEAR_IN_TEXT = [
    # the date of delivery: ——2024年1月13日在马鞍山市第十七届人民代表大会第四次会议上
    regex.compile(r"(19[5-9]\d|20\d\d)年\d{1,2}月\d{1,2}日在"),
    # the plan year: 2020年工作安排, 2019年经济社会发展
    regex.compile(r"(19[5-9]\d|20\d\d)年(?:政府)?(?:工作安排|工作任务|目标任务|主要工作|重点工作|工作建议|经济社会发展)"),
]
REGION = "(?P<region>(?!我|代表)[\\p{Han}]{2,12}?(?:自治区|自治州|省|市|区|县|州|盟|旗))"
REGION_IN_TEXT = [
    regex.compile(r"(?:(?:19|20)\d\d年)?" + REGION + r"(?:人民)?政府工作报告"),
    regex.compile(r"在" + REGION + r"第[\p{Han}]{1,4}届人民代表大会"),
    regex.compile(REGION + r"人民政府(?:办公厅|关于)"),
]
NATIONAL = regex.compile(r"国务院总理|国务院政府工作报告|中华人民共和国国务院")


def detect_year(path: Path, text: str) -> int | None:
    """The plan year: from the file name, else the date of delivery, else 2020年工作安排-like phrases."""
    m = YEAR_IN_NAME.search(path.stem)
    if m:
        return int(m.group(1))
    for pattern in YEAR_IN_TEXT:
        years = [int(m.group(1)) for m in pattern.finditer(text[:20000], timeout=1.0)]
        if years:
            return max(years, key=years.count)
    return None


def detect_region(text: str) -> str:
    """From the title or the session line (…市人民政府工作报告; 在马鞍山市第十七届人民代表大会)."""
    head = text[:3000]
    for pattern in REGION_IN_TEXT:
        m = pattern.search(head, timeout=1.0)
        if m:
            return m.group("region")
    return "中国 (全国)" if NATIONAL.search(head, timeout=1.0) else ""


def read_document(path: str | Path, manifest: Manifest | None = None) -> Document:
    """The text of a file in one of FORMATS (without a suffix: by its content), with its year and
    region; SkippedFile for another type of file, InputError naming the file if it cannot be read
    or its content is not what its suffix says, EmptyDocument if it holds no text."""
    path = Path(path)
    fmt = file_format(path)
    if fmt is None and document_suffix(path):
        raise SkippedFile(skip_reason(path))
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror}") from None
    if not data.strip():
        raise EmptyDocument(f"{path}: empty file")
    fmt = fmt or FORMAT_OF_CONTENT.get(content_kind(data)[0])
    if fmt is None:
        raise SkippedFile(f"{path}: its content is {content_kind(data)[1]}, not a document")
    check_content(data, fmt, path)
    if fmt == "office":
        text, encoding = office_text(data, path)
        fmt = document_suffix(path).lstrip(".") or "doc"
    elif fmt == "docx":
        text, encoding = docx_text(data, path)
    elif fmt == "html":
        text, encoding = html_text(data, path)
    elif fmt == "pdf":
        text, encoding = pdf_text(data, path)
    else:
        text, encoding = decode_text(data, path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EmptyDocument(f"{path}: no text in this {fmt} file")
    row = manifest.get(path) if manifest else None
    year = row.year if row and row.year else detect_year(path, text)
    region = row.region if row and row.region else detect_region(text)
    return Document(path, text, year, region, encoding, fmt, hashlib.sha256(data).hexdigest())


def collect_files(paths, not_inputs=()) -> list[Path]:
    """Files named, and every file inside folders named (in sorted order) but those that are no
    input: hidden files (.name, or inside a .folder), Office's lock files (~$name.docx), the
    tool's own outputs (own_output) and `not_inputs` (this run's outputs; for a folder, all in it)."""
    excluded = [Path(x).resolve() for x in not_inputs]
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(f for f in sorted(p.rglob("*")) if f.is_file() and is_input(f, p, excluded))
        elif p.exists():
            out.append(p)
        else:
            raise InputError(f"{p}: no such file or folder")
    seen = set()  # a file named twice (alone and in its folder) is read once
    return [p for p in out if not (p.resolve() in seen or seen.add(p.resolve()))]


def is_input(f: Path, folder: Path, excluded: list[Path]) -> bool:
    if any(part.startswith(".") for part in f.relative_to(folder).parts) or f.name.startswith("~$"):
        return False
    resolved = f.resolve()
    return not any(resolved == x or x in resolved.parents for x in excluded) and not own_output(f)


OWN_DATABASE = (".sqlite", ".sqlite-journal", ".sqlite-wal", ".sqlite-shm")
REPORT_MARK = b'<meta name="generator" content="commitments report">'


def own_output(f: Path) -> bool:
    """A file this tool wrote: a ledger (*.ledger.csv), a database (*.sqlite and SQLite's files
    beside it), rows or a compare table in CSV or JSONL (by their columns), the HTML report."""
    name = f.name.lower()
    if name.endswith(".ledger.csv") or name.endswith(OWN_DATABASE):
        return True
    suffix = f.suffix.lower()
    try:
        if suffix in (".csv", ".jsonl"):
            with open(f, encoding="utf-8-sig", errors="replace") as stream:
                first = stream.readline(4096)
            columns = set(regex.findall(r"[a-z_]+", first))
            return {"doc", "quantity_text", "start", "end"} <= columns or {"region", "metric_key", "year"} <= columns
        if suffix in (".html", ".htm"):
            with open(f, "rb") as stream:
                return REPORT_MARK in stream.read(4096)
    except OSError:
        return False  # read_document reports it
    return False
