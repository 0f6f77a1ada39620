"""The review loop's files: the workbook a reviewer fills (`commitments review`), the corrections it
or a CSV holds, read and validated line by line (`commitments correct`), and the precision a
reviewed random sample gives (`commitments eval --reviewed`)."""
from __future__ import annotations

import csv
import datetime
import json
import math
import random
from dataclasses import dataclass
from pathlib import Path

from .corrections import ACTIONS, COMPARATORS, EXPECTED, FIELDS, KINDS, parsed
from .errors import InputError
from .records import COLUMNS, Commitment, fields_of, row_identity, text_hash
from .table import XLSX_MAX_CHARS

SHOWN = ["row_id", "doc", "sentence", "quantity_text", "metric", "value", "value_high", "unit", "kind", "comparator",
         "aspirational", "period", "status", "check", "source"]
FIXABLE = ["metric", "value", "value_high", "unit", "kind", "comparator", "aspirational", "period", "status"]
VERDICTS = ("ok", "drop", "fix")
EMPTY = "(empty)"  # a fix_ cell that empties its field (a blank cell changes nothing)
REVIEW_HEADER = SHOWN + ["verdict"] + [f"fix_{f}" for f in FIXABLE] + ["note"]
ADD_HEADER = ["doc", "start", "end", "quantity_text"] + [f"fix_{f}" for f in FIXABLE] + ["note"]
CSV_HEADER = ["row_id", "field", "value", "note", "doc", "start", "end"]
WIDTHS = {"row_id": 19, "doc": 18, "sentence": 70, "metric": 24, "check": 14, "verdict": 9, "note": 30}
HIGHLIGHT = "C00000"
Z95 = 1.959964


@dataclass(frozen=True)
class Line:
    """One correction as a file states it, with where (for messages)."""

    where: str
    row_id: str
    field: str
    value: str
    note: str
    doc: str = ""
    start: int | None = None
    end: int | None = None


# ---- the workbook --------------------------------------------------------------------------
def chosen_rows(rows: list[Commitment], only_flagged: bool, sample: int | None, seed: int) -> list[Commitment]:
    """The rows to review: all, the flagged ones, or a random sample of them (the same for the
    same seed), in document order."""
    pool = [r for r in rows if r.check] if only_flagged else list(rows)
    if sample is not None and sample < len(pool):
        order = {id(r): i for i, r in enumerate(pool)}
        pool = sorted(random.Random(seed).sample(pool, sample), key=lambda r: order[id(r)])
    return pool


def write_review(rows: list[Commitment], population: int, path: str | Path, only_flagged: bool,
                 sample: int | None, seed: int, units: list[str]) -> None:
    """review.xlsx: a row per commitment with its sentence (the number in red), its fields and
    check flags, and empty columns for the verdict and the corrected fields, with lists to pick
    from; a sheet for missed rows; a sheet saying what sample this is."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    from .table import save_reproducibly

    book = Workbook()
    sheet = book.active
    sheet.title = "review"
    sheet.append(REVIEW_HEADER)
    for r in rows:
        values = dict(zip(COLUMNS, fields_of(r)))
        values["aspirational"] = int(values["aspirational"])
        sheet.append([highlighted(r.sentence, r.quantity_text) if c == "sentence" else values[c] for c in SHOWN])
    added = book.create_sheet("add")
    added.append(ADD_HEADER)
    lists = book.create_sheet("lists")
    lists.sheet_state = "hidden"
    for i, unit in enumerate(units, start=1):
        lists.cell(i, 1, unit)
    about = book.create_sheet("about")
    for item in (("what", "rows of commitments to check: write ok, drop or fix in verdict; for fix, the right "
                          "values in the fix_ columns ((empty) empties a field: a unit that is none); a missed "
                          "number on the sheet add (doc: the file name; "
                          "start, end: its offsets in the document's text, as the rows' start and end; "
                          "quantity_text: the number as written); then: commitments correct this file"),
                 ("rows in the database", population), ("only flagged rows", int(only_flagged)),
                 ("sample", "" if sample is None else sample), ("seed", seed if sample is not None else ""),
                 ("rows here", len(rows))):
        about.append(list(item))
    n = max(len(rows), 1) + 1
    for sheet_, header, last in ((sheet, REVIEW_HEADER, n), (added, ADD_HEADER, 1000)):
        choices = {"verdict": VERDICTS, "fix_kind": KINDS, "fix_comparator": COMPARATORS, "fix_aspirational": ("0", "1"),
                   "fix_status": ("target", "achieved")}
        for name, allowed in choices.items():
            if name in header:
                column = letter(header.index(name))
                rule = DataValidation(type="list", formula1='"' + ",".join(allowed) + '"', allow_blank=True,
                                      showErrorMessage=True, error=f"one of {', '.join(allowed)}")
                rule.add(f"{column}2:{column}{last}")
                sheet_.add_data_validation(rule)
        column = letter(header.index("fix_unit"))
        units_rule = DataValidation(type="list", formula1=f"lists!$A$1:$A${max(len(units), 1)}", allow_blank=True,
                                    showErrorMessage=True, errorStyle="warning",
                                    error="not a unit of rules/units.yaml; keep it?")
        units_rule.add(f"{column}2:{column}{last}")
        sheet_.add_data_validation(units_rule)
        sheet_.freeze_panes = "A2"
        sheet_.auto_filter.ref = f"A1:{letter(len(header) - 1)}{max(n if sheet_ is sheet else 1, 1)}"
        for i, name in enumerate(header):
            sheet_.column_dimensions[letter(i)].width = WIDTHS.get(name, max(10, len(name) + 2))
    book.properties.creator = "commitments review"
    save_reproducibly(book, str(path))


def letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def highlighted(sentence: str, quantity: str):
    """The sentence as rich text with the number in bold red (plain text if it is not found)."""
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    sentence = ILLEGAL_CHARACTERS_RE.sub("", sentence)[:XLSX_MAX_CHARS]
    i = sentence.find(quantity) if quantity else -1
    if i < 0:
        return sentence
    number = TextBlock(InlineFont(b=True, color=HIGHLIGHT), quantity)
    return CellRichText([p for p in (sentence[:i], number, sentence[i + len(quantity):]) if p is number or p])


# ---- reading corrections ---------------------------------------------------------------------
def read_lines(path: str | Path) -> list[Line]:
    """The corrections a filled review.xlsx or a corrections CSV states, checked for their form
    (a verdict fix without a value, a value that is not one of its column…): every problem named
    with its line, and none stored when there is one."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        lines, problems = workbook_lines(path)
    elif suffix == ".csv":
        lines, problems = csv_lines(path)
    else:
        raise InputError(f"{path}: corrections are a review workbook (.xlsx, from commitments review) or a CSV "
                         f"with the columns {', '.join(CSV_HEADER)}")
    problems += [p for line in lines for p in form_problems(line)]
    if problems:
        raise not_stored(path, problems)
    return lines


def not_stored(path: str | Path, problems: list[str]) -> InputError:
    """The error of a corrections file with problems: each named with its line, nothing stored."""
    return InputError(f"{path}: {len(problems)} problem(s), nothing stored:\n  " + "\n  ".join(problems[:30])
                      + ("\n  ..." if len(problems) > 30 else ""))


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value).strip()


def rows_of(sheet) -> tuple[list[str], list[tuple[int, dict]]]:
    values = list(sheet.iter_rows(values_only=True))
    header = [cell_text(h) for h in values[0]] if values else []
    return header, [(i, dict(zip(header, map(cell_text, row)))) for i, row in enumerate(values[1:], start=2)
                    if any(v not in (None, "") for v in row)]


def workbook_lines(path: Path) -> tuple[list[Line], list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, rich_text=False)
    except Exception as e:  # noqa: BLE001 - a broken or foreign file fails its own way
        raise InputError(f"{path}: cannot read the workbook ({type(e).__name__}: {e})") from None
    if "review" not in book.sheetnames:
        raise InputError(f"{path}: no sheet review (a workbook of commitments review)")
    lines, problems = [], []
    header, rows = rows_of(book["review"])
    missing = [c for c in ("row_id", "verdict") if c not in header]
    if missing:
        raise InputError(f"{path}: sheet review has no column {', '.join(missing)}")
    for number, row in rows:
        where = f"sheet review, row {number}"
        verdict, fixes = row.get("verdict", "").lower(), fixes_of(row)
        note = row.get("note", "")
        if verdict not in ("",) + VERDICTS:
            problems.append(f"{where}: verdict {verdict!r} is none of {', '.join(VERDICTS)}")
        elif verdict == "drop":
            lines.append(Line(where, row["row_id"], "drop", "", note))
        elif verdict == "fix" and not fixes:
            problems.append(f"{where}: verdict fix, but no fix_ column holds the right value")
        elif fixes and verdict != "fix":
            problems.append(f"{where}: {', '.join('fix_' + f for f in fixes)} filled, but the verdict is "
                            f"{verdict or 'empty'} (write fix)")
        else:
            lines += [Line(where, row["row_id"], field, value, note) for field, value in fixes.items()]
    if "add" in book.sheetnames:
        _, added = rows_of(book["add"])
        for number, row in added:
            where = f"sheet add, row {number}"
            span = span_of(row, where, problems)
            if span is None:
                continue
            lines.append(Line(where, "", "add", row.get("quantity_text", ""), row.get("note", ""), row.get("doc", ""),
                              *span))
            lines += [Line(where, "", f, value, row.get("note", ""), row.get("doc", ""), *span)
                      for f, value in fixes_of(row).items()]
    return lines, problems


def fixes_of(row: dict) -> dict[str, str]:
    """The fix_ cells filled, by field; (empty) for an empty value."""
    return {f: "" if row[f"fix_{f}"] == EMPTY else row[f"fix_{f}"] for f in FIXABLE if row.get(f"fix_{f}")}


def span_of(row: dict, where: str, problems: list[str]) -> tuple[int, int] | None:
    try:
        start, end = int(row.get("start", "")), int(row.get("end", ""))
    except ValueError:
        problems.append(f"{where}: start and end must be offsets (whole numbers) into the document's text")
        return None
    if not row.get("doc"):
        problems.append(f"{where}: doc is empty (the file name of the document)")
        return None
    return start, end


def csv_lines(path: Path) -> tuple[list[Line], list[str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
            header = list(rows[0].keys()) if rows else []
    except (UnicodeDecodeError, csv.Error) as e:
        raise InputError(f"{path}: not a CSV in UTF-8 ({e})") from None
    missing = [c for c in CSV_HEADER if rows and c not in header]
    if missing:
        raise InputError(f"{path}: no column {', '.join(missing)} (columns: {', '.join(CSV_HEADER)})")
    lines, problems = [], []
    for number, row in enumerate(rows, start=2):
        where = f"line {number}"
        row = {k: (v or "").strip() for k, v in row.items() if k}
        span = None
        if not row["row_id"]:
            span = span_of(row, where, problems)
            if span is None:
                continue
        lines.append(Line(where, row["row_id"], row["field"], row["value"], row["note"], row["doc"],
                          *(span or (None, None))))
    return lines, problems


def form_problems(line: Line) -> list[str]:
    """What is wrong with a line by itself: an unknown field, a value that is not one of it."""
    if line.field not in FIELDS and line.field not in ACTIONS:
        return [f"{line.where}: unknown field {line.field!r} (drop, add, or one of {', '.join(FIELDS)})"]
    if line.field == "add" and line.row_id:
        return [f"{line.where}: add takes no row_id (the row is new): give doc, start and end"]
    if line.field not in ("add",) and not line.row_id and line.start is None:
        return [f"{line.where}: no row_id (or doc, start and end of a row added in this file)"]
    if line.field in FIELDS:
        try:
            parsed(line.field, line.value)
        except ValueError:
            return [f"{line.where}: {line.field} {line.value!r} is not {EXPECTED.get(line.field, 'a value of it')}"]
    return []


# ---- checking corrections against the database ---------------------------------------------------
def resolve(path: str | Path, lines: list[Line], store, read_text) -> list[dict]:
    """The corrections of file `path` ready to store: each line checked against the database (its
    row exists, an added row's span is a number of its document), added rows read by the rules.
    read_text(path) gives a document's Document, or None. Every problem is named; an InputError,
    and nothing to store, when there is one."""
    from .extraction import row_at

    documents = store.documents()
    by_name: dict[str, list[tuple]] = {}
    for d in documents:
        by_name.setdefault(d[1], []).append(d)
        by_name.setdefault(d[0], []).append(d)
    located = {r[0]: (r[1], r[2], r[3]) for r in store.conn.execute(
        "SELECT c.row_id, c.path, d.doc, d.text_sha256 FROM commitments c JOIN documents d USING (path)")}
    problems, out, added_ids = [], [], {}
    now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    for line in lines:
        base = {"field": line.field, "value": line.value, "note": line.note, "start": line.start, "end": line.end,
                "added": "", "created": now}
        if line.field == "add" or not line.row_id:
            found = by_name.get(line.doc, [])
            if len(found) != 1:
                problems.append(f"{line.where}: doc {line.doc!r} is " + (
                    "no document of the database" if not found else "the name of several documents; give its path"))
                continue
            path, doc, status, text_sha = found[0]
            key = (path, line.start, line.end)
            if line.field != "add":
                if key not in added_ids:
                    problems.append(f"{line.where}: {doc} {line.start}-{line.end} is no row added in this file "
                                    "(an add line comes first)")
                    continue
                out.append({**base, "row_id": added_ids[key], "path": path, "doc": doc, "text_sha256": text_sha})
                continue
            document = read_text(path)
            if document is None or status != "ok" or text_hash(document.text) != text_sha:
                problems.append(f"{line.where}: {doc} changed since it was extracted (or cannot be read); "
                                "run commitments extract first")
                continue
            text = document.text
            if not 0 <= line.start < line.end <= len(text):
                problems.append(f"{line.where}: {line.start}-{line.end} is outside {doc} ({len(text)} characters)")
                continue
            if line.value and text[line.start:line.end] != line.value:
                problems.append(f"{line.where}: {doc}[{line.start}:{line.end}] is {text[line.start:line.end]!r}, "
                                f"not {line.value!r}")
                continue
            row_id = row_identity(text_sha, line.start, line.end)
            if row_id in located:
                problems.append(f"{line.where}: {doc} {line.start}-{line.end} is already a row ({row_id}); "
                                "correct that row instead")
                continue
            row = row_at(document, line.start, line.end)
            if row is None:
                problems.append(f"{line.where}: no number spans {doc}[{line.start}:{line.end}] "
                                f"({text[line.start:line.end]!r})")
                continue
            row.source = "added"
            added_ids[key] = row_id
            out.append({**base, "value": text[line.start:line.end], "row_id": row_id, "path": path, "doc": doc,
                        "text_sha256": text_sha, "added": json.dumps(list(fields_of(row)), ensure_ascii=False)})
        elif line.row_id in located:
            path, doc, text_sha = located[line.row_id]
            out.append({**base, "row_id": line.row_id, "path": path, "doc": doc, "text_sha256": text_sha})
        else:
            problems.append(f"{line.where}: row_id {line.row_id!r} is no row of the database")
    if problems:
        raise not_stored(path, problems)
    return out


# ---- precision from a reviewed sample ------------------------------------------------------------
def wilson(successes: int, n: int) -> tuple[float, float]:
    """The 95% Wilson score interval of a proportion."""
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    centre = (p + Z95 ** 2 / (2 * n)) / (1 + Z95 ** 2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95 ** 2 / (4 * n * n)) / (1 + Z95 ** 2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def reviewed_precision(path: str | Path) -> dict:
    """Precision of the rows from a filled review workbook: full (verdict ok) and of detection (ok
    or fix: a commitment, some field wrong), each with its 95% interval; the sample it came from."""
    from openpyxl import load_workbook

    book = load_workbook(path, rich_text=False)
    if "review" not in book.sheetnames:
        raise InputError(f"{path}: no sheet review (a workbook of commitments review)")
    _, rows = rows_of(book["review"])
    verdicts = [row.get("verdict", "").lower() for _, row in rows]
    about = {cell_text(k): v for k, v in book["about"].iter_rows(values_only=True)} if "about" in book.sheetnames else {}
    judged = [v for v in verdicts if v in VERDICTS]
    ok, fix = judged.count("ok"), judged.count("fix")
    low, high = wilson(ok, len(judged))
    dlow, dhigh = wilson(ok + fix, len(judged))
    return {"reviewed": len(judged), "not_reviewed": len(verdicts) - len(judged), "ok": ok, "fix": fix,
            "drop": judged.count("drop"),
            "precision": ok / len(judged) if judged else None, "precision_ci95": [low, high],
            "detection_precision": (ok + fix) / len(judged) if judged else None,
            "detection_precision_ci95": [dlow, dhigh],
            "random_sample": bool(about.get("sample")), "only_flagged": bool(about.get("only flagged rows")),
            "population": about.get("rows in the database")}
