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

from .errors import EmptyDocument, InputError
from .formats import decode_text, docx_text, html_text, pdf_text

# suffix -> format; a trailing .orig (a kept original) is looked through: hailar_2015.txt.orig
FORMATS = {".txt": "text", ".text": "text", ".htm": "html", ".html": "html", ".docx": "docx",
           ".pdf": "pdf"}


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
    """file name -> year and region, from a TSV with columns file, year, region."""

    rows: dict[str, ManifestRow] = field(default_factory=dict)

    def get(self, path: Path) -> ManifestRow | None:
        return self.rows.get(path.name) or self.rows.get(path.stem)


def load_manifest(path: str | Path) -> Manifest:
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f, delimiter="\t")
            missing = {"file", "year", "region"} - set(reader.fieldnames or [])
            if missing:
                raise InputError(f"{path}: manifest lacks column(s) {', '.join(sorted(missing))} "
                                 "(expected a TSV with columns file, year, region)")
            rows = {}
            for n, r in enumerate(reader, start=2):
                year = (r.get("year") or "").strip()
                if year and not year.isdigit():
                    raise InputError(f"{path}:{n}: year {year!r} is not a number")
                rows[(r["file"] or "").strip()] = ManifestRow(int(year) if year else None,
                                                               (r.get("region") or "").strip())
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read manifest: {e}") from None
    return Manifest(rows)


def file_format(path: Path) -> str | None:
    suffixes = [x.lower() for x in path.suffixes if x.lower() != ".orig"]
    return FORMATS.get(suffixes[-1]) if suffixes else None


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
    """The text of a file in one of FORMATS (any other suffix is read as text), with its year and
    region; InputError naming the file if it cannot be read, EmptyDocument if it holds no text."""
    path = Path(path)
    fmt = file_format(path) or "text"
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror}") from None
    if not data.strip():
        raise EmptyDocument(f"{path}: empty file")
    if fmt == "docx":
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


def collect_files(paths) -> list[Path]:
    """Files named, and the document files inside folders named, in a stable order."""
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and file_format(f)))
        elif p.exists():
            out.append(p)
        else:
            raise InputError(f"{p}: no such file or folder")
    seen = set()  # a file named twice (alone and in its folder) is read once
    return [p for p in out if not (p.resolve() in seen or seen.add(p.resolve()))]
