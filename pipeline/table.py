"""Rows to a pandas DataFrame in the fixed column order, and writers for csv/parquet/xlsx/jsonl."""
from __future__ import annotations

import os
import tempfile
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd

from .records import COLUMNS, Commitment

FORMATS = ("csv", "parquet", "xlsx", "jsonl")


def to_frame(rows: list[Commitment]) -> pd.DataFrame:
    df = pd.DataFrame([asdict(r) for r in rows], columns=COLUMNS)
    df = df.astype({"year": "Int64", "value": "float64", "value_high": "float64", "start": "int64",
                    "end": "int64", "aspirational": "int64"})
    return df.reset_index(drop=True)


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


def write(df: pd.DataFrame, path: str | Path, fmt: str | None = None) -> Path:
    """Write atomically (temporary file, then rename): a reader never sees half a file."""
    path = Path(path)
    fmt = check_format(path, fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=f".tmp.{fmt}")
    os.close(fd)
    try:
        if fmt == "csv":
            out = df.copy()
            for col in ("value", "value_high"):
                out[col] = out[col].map(number_text)
            out.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\n")
        elif fmt == "parquet":
            df.to_parquet(tmp, index=False)
        elif fmt == "xlsx":
            df.to_excel(tmp, index=False, engine="openpyxl")
        else:
            df.to_json(tmp, orient="records", lines=True, force_ascii=False)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path
