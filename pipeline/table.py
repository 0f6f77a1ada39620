"""Rows to a pandas DataFrame in the fixed column order, writers of a DataFrame for csv/parquet/xlsx/jsonl,
and rows read back from any of them."""
from __future__ import annotations

import datetime
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd

from .output import (FORMULA_STARTS, NUMERIC, check_format, formula_escaped, number_text, write_atomically,
                     write_csv)
from .labels import LABELS
from .records import COLUMNS, Commitment, fields_of

XLSX_MAX_ROWS, XLSX_MAX_CHARS = 1_048_575, 32_767
# Stata: names it reserves (end is one), the longest str# in bytes (longer text is a strL), and a
# fixed time stamp, so that the same rows give the same bytes
STATA_NAMES = {"end": "end_"}
STATA_STR_BYTES = 2045
STATA_TIME_STAMP = datetime.datetime(2000, 1, 1)


def to_frame(rows: list[Commitment]) -> pd.DataFrame:
    df = pd.DataFrame([fields_of(r) for r in rows], columns=COLUMNS)
    df = df.astype(NUMERIC)
    return df.reset_index(drop=True)


def excel_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula get a leading ' (shown, not run)."""
    out = df.copy()
    for col in [c for c in out.columns if pd.api.types.is_string_dtype(out[c])]:
        out[col] = out[col].map(formula_escaped)
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


def write_dta(df: pd.DataFrame, path: str) -> None:
    """A Stata 14+ file (format 118: UTF-8 text) with a variable label for every column: missing
    numbers as Stata's missing value, True/False as 1/0, text longer than a str# as a strL."""
    out = df.rename(columns=STATA_NAMES)
    for col in out.columns:
        if out[col].dtype == object and out[col].map(lambda v: v is None or isinstance(v, bool)).all():
            out[col] = out[col].map({True: 1.0, False: 0.0}).astype("float64")  # met: True/False/None
        elif isinstance(out[col].dtype, (pd.BooleanDtype, pd.Int64Dtype)):
            # Stata's missing value for NA, a double; whole numbers as they are when none is missing
            out[col] = out[col].astype("float64" if out[col].isna().any() else "int64")
        elif not pd.api.types.is_numeric_dtype(out[col]):
            out[col] = out[col].fillna("").astype(str)
    strl = [c for c in out.columns if out[c].dtype != "float64" and not pd.api.types.is_numeric_dtype(out[c])
            and max(out[c].map(lambda v: len(v.encode("utf-8"))), default=0) > STATA_STR_BYTES]
    labels = {STATA_NAMES.get(c, c): LABELS[c] for c in df.columns if c in LABELS}
    out.to_stata(path, write_index=False, version=118, variable_labels=labels, convert_strl=strl,
                 time_stamp=STATA_TIME_STAMP, data_label="commitments")


def write(df: pd.DataFrame, path: str | Path, fmt: str | None = None, safe_for_excel: bool = False) -> Path:
    """Write a table atomically in its format. safe_for_excel: in CSV, escape text cells that a
    spreadsheet would run as formulas. A CSV goes through output.write_csv, as the rows of extract
    do (one CSV dialect): its cells are the tool's text, numbers and missing values, each written
    as Python writes it (a float column as number_text)."""
    fmt = check_format(path, fmt)
    if fmt == "csv":
        out = excel_safe(df) if safe_for_excel else df.copy()
        for col in out.columns[out.dtypes == "float64"]:
            out[col] = out[col].map(number_text)
        cells = out.astype(object).where(out.notna(), None)  # a missing value of any type: an empty cell
        return write_csv(path, list(out.columns), cells.itertuples(index=False, name=None))

    def save(tmp: str) -> None:
        if fmt == "parquet":
            df.to_parquet(tmp, index=False)
        elif fmt == "xlsx":
            write_xlsx(df, tmp)
        elif fmt == "dta":
            write_dta(df, tmp)
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
               "dta": lambda: pd.read_stata(path).rename(columns={v: k for k, v in STATA_NAMES.items()}),
               "jsonl": lambda: pd.read_json(path, lines=True, dtype=False, precise_float=True)
               if path.read_text(encoding="utf-8").strip() else pd.DataFrame(columns=COLUMNS)}
    if suffix not in readers:
        raise ValueError(f"{path}: not an output of commitments (.csv, .parquet, .xlsx, .jsonl, .dta, .sqlite)")
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
