"""Rows to a pandas DataFrame in the fixed column order, and writers for csv/parquet/xlsx/jsonl."""
from __future__ import annotations

import csv
import os
import sqlite3
import tempfile
from operator import attrgetter
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from .records import COLUMNS, Commitment

FORMATS = ("csv", "parquet", "xlsx", "jsonl")
NUMERIC = {"year": "Int64", "period": "Int64", "value": "float64", "value_high": "float64", "start": "int64",
           "end": "int64", "aspirational": "int64"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet reads a cell starting so as a formula
XLSX_MAX_ROWS, XLSX_MAX_CHARS = 1_048_575, 32_767


def to_frame(rows: list[Commitment]) -> pd.DataFrame:
    df = pd.DataFrame([attrgetter(*COLUMNS)(r) for r in rows], columns=COLUMNS)
    df = df.astype(NUMERIC)
    return df.reset_index(drop=True)


TEXT_COLUMNS = [i for i, c in enumerate(COLUMNS) if c not in NUMERIC]
FLOAT_COLUMNS = [i for i, c in enumerate(COLUMNS) if NUMERIC.get(c) == "float64"]
ASPIRATIONAL = COLUMNS.index("aspirational")


def number_text(x) -> str:
    """A value as a plain decimal: 380000000 not 3.8e+08, 6.5 not 6.500000."""
    if pd.isna(x):
        return ""
    return np.format_float_positional(x, trim="-")  # the shortest text that reads back as x


def check_format(path: str | Path, fmt: str | None = None) -> str:
    """The output format: given, else the file's suffix, else csv; checked before any work."""
    path = Path(path)
    fmt = fmt or (path.suffix.lstrip(".").lower() or "csv")
    if fmt not in FORMATS:
        raise ValueError(f"{path}: unknown output format {fmt!r} (one of {', '.join(FORMATS)}; use --format)")
    return fmt


def excel_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula get a leading ' (shown, not run)."""
    out = df.copy()
    for col in [c for c in out.columns if pd.api.types.is_string_dtype(out[c])]:
        out[col] = out[col].map(lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v)
    return out


def write_xlsx(df: pd.DataFrame, path: str) -> None:
    """Every text cell is written as text, never as a formula; characters XML cannot hold are
    dropped and a cell is cut at Excel's 32,767 characters (the CSV keeps everything)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if len(df) > XLSX_MAX_ROWS:
        raise ValueError(f"{path}: {len(df)} rows do not fit in one Excel sheet; write csv or parquet")
    book = Workbook(write_only=True)
    sheet = book.create_sheet("commitments")
    sheet.append(list(df.columns))

    def cell(v):
        if v is None or v is pd.NA or isinstance(v, float) and np.isnan(v):
            return None
        if not isinstance(v, str):
            return v.item() if isinstance(v, np.generic) else v
        c = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", v)[:XLSX_MAX_CHARS])
        c.data_type = "s"
        return c

    for row in df.itertuples(index=False):
        sheet.append([cell(v) for v in row])
    save_reproducibly(book, path)


def save_reproducibly(book, path: str) -> None:
    """Save a workbook with fixed dates (document properties and zip entries), so that the same
    rows give the same bytes."""
    import datetime
    import io
    import zipfile

    from openpyxl.writer.excel import ExcelWriter

    book.properties.created = book.properties.modified = datetime.datetime(2000, 1, 1)
    buffer = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    with zipfile.ZipFile(buffer) as built, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in built.infolist():
            out.writestr(zipfile.ZipInfo(item.filename, date_time=(2000, 1, 1, 0, 0, 0)), built.read(item),
                         zipfile.ZIP_DEFLATED)


def write_atomically(path: str | Path, save: Callable[[str], None]) -> Path:
    """save(temporary path) next to `path`, then rename it to `path`: a reader never sees half a
    file, and a run killed meanwhile leaves the old one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=f".tmp{path.suffix}")
    os.close(fd)
    try:
        save(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's owner-only mode
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def csv_cells(row: Commitment, safe_for_excel: bool) -> list:
    """A row's cells as write() puts them in a CSV: numbers as number_text, missing as empty,
    aspirational as 0/1, text escaped for a spreadsheet when asked."""
    cells = list(attrgetter(*COLUMNS)(row))
    for i in FLOAT_COLUMNS:
        cells[i] = "" if cells[i] is None else number_text(float(cells[i]))
    cells[ASPIRATIONAL] = int(cells[ASPIRATIONAL])
    if safe_for_excel:
        for i in TEXT_COLUMNS:
            if isinstance(cells[i], str) and cells[i].startswith(FORMULA_STARTS):
                cells[i] = "'" + cells[i]
    return cells


def write_rows(rows: list[Commitment], path: str | Path, fmt: str | None = None,
               safe_for_excel: bool = False) -> Path:
    """Write rows as write(to_frame(rows)) does; a CSV straight from the rows (the same bytes, in
    a fifth of the time: no DataFrame of strings built to be turned back into text)."""
    if check_format(path, fmt) != "csv":
        return write(to_frame(rows), path, fmt, safe_for_excel)

    def save(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as f:
            out = csv.writer(f, lineterminator="\n")
            out.writerow(COLUMNS)
            out.writerows(csv_cells(r, safe_for_excel) for r in rows)

    return write_atomically(path, save)


def write(df: pd.DataFrame, path: str | Path, fmt: str | None = None, safe_for_excel: bool = False) -> Path:
    """Write a table atomically in its format. safe_for_excel: in CSV, escape text cells that a
    spreadsheet would run as formulas."""
    fmt = check_format(path, fmt)

    def save(tmp: str) -> None:
        if fmt == "csv":
            out = excel_safe(df) if safe_for_excel else df.copy()
            for col in out.columns[out.dtypes == "float64"]:
                out[col] = out[col].map(number_text)
            out.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\n")
        elif fmt == "parquet":
            df.to_parquet(tmp, index=False)
        elif fmt == "xlsx":
            write_xlsx(df, tmp)
        else:
            df.to_json(tmp, orient="records", lines=True, force_ascii=False, double_precision=15)

    return write_atomically(path, save)


def read_rows(path: str | Path) -> pd.DataFrame:
    """Rows written by `extract` (any output format) or kept in a database, as to_frame gives them."""
    from .store import Store

    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{path}: no such file")
    suffix = path.suffix.lower().lstrip(".")
    if suffix in ("sqlite", "db", "sqlite3"):
        store = Store(path, readonly=True)
        try:
            return to_frame(store.rows())
        except sqlite3.Error as e:
            raise ValueError(f"{path}: cannot read the database ({e})") from None
        finally:
            store.close()
    readers = {"csv": lambda: pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False),
               "parquet": lambda: pd.read_parquet(path), "xlsx": lambda: pd.read_excel(path, dtype=str),
               "jsonl": lambda: pd.read_json(path, lines=True, dtype=False, precise_float=True)
               if path.read_text(encoding="utf-8").strip() else pd.DataFrame(columns=COLUMNS)}
    if suffix not in readers:
        raise ValueError(f"{path}: not an output of commitments (.csv, .parquet, .xlsx, .jsonl, .sqlite)")
    try:
        df = readers[suffix]()
    except Exception as e:  # noqa: BLE001 - each reader fails its own way on a broken file
        raise ValueError(f"{path}: cannot read rows ({type(e).__name__}: {e})") from None
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"{path}: not an output of commitments extract (no column {', '.join(missing)})")
    df = df[COLUMNS].copy()
    text = [c for c in COLUMNS if c not in NUMERIC]
    df[text] = df[text].fillna("").astype(str)
    for col in text:  # undo --excel-safe: '= is the comparator =
        df[col] = df[col].map(lambda v: v[1:] if v[:1] == "'" and v[1:2] in FORMULA_STARTS else v)
    try:
        for col in NUMERIC:
            df[col] = pd.to_numeric(df[col].replace("", None))
        return df.astype(NUMERIC)
    except (ValueError, TypeError) as e:
        raise ValueError(f"{path}: column {col} holds something that is not a number ({e})") from None
