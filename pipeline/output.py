"""Writing output files without pandas: the output format, atomic writes, and CSV written straight
from the database's rows. extract's usual run (CSV) never imports pandas, a quarter of a second of
every run's start-up; the other formats go through table.py's DataFrame.
"""
from __future__ import annotations

import csv
import math
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .records import COLUMNS

if TYPE_CHECKING:
    from .store import Store

FORMATS = ("csv", "parquet", "xlsx", "jsonl", "dta")
# the columns that are not text, by their pandas type (table.to_frame)
NUMERIC = {"year": "Int64", "period": "Int64", "value": "float64", "value_high": "float64", "start": "int64",
           "end": "int64", "aspirational": "int64"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet reads a cell starting so as a formula
FLOAT_COLUMNS = [i for i, c in enumerate(COLUMNS) if NUMERIC.get(c) == "float64"]


def check_format(path: str | Path, fmt: str | None = None) -> str:
    """The output format: given, else the file's suffix, else csv; checked before any work. A
    suffix that is not the format's (-o rows.pdf, -o rows.txt --format csv) is an error."""
    path = Path(path)
    suffix = path.suffix.lstrip(".").lower()
    fmt = fmt or suffix or "csv"
    if fmt not in FORMATS:
        raise ValueError(f"{path}: unknown output format {fmt!r} (one of {', '.join(FORMATS)}; use --format)")
    if suffix and suffix != fmt:
        raise ValueError(f"{path}: the suffix .{suffix} does not fit the output format {fmt}; "
                         f"name the file *.{fmt}")
    return fmt


def number_text(x) -> str:
    """A value as a plain decimal: 380000000 not 3.8e+08, 6.5 not 6.500000; missing (None, NaN) as empty."""
    if x is None or math.isnan(x):
        return ""
    return np.format_float_positional(x, trim="-")  # the shortest text that reads back as x


def formula_escaped(cell):
    """A text cell that a spreadsheet would run as a formula, with a leading ' (shown, not run)."""
    return "'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell


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


def write_csv(path: str | Path, header: Sequence[str], records: Iterable[Sequence]) -> Path:
    """A CSV as pandas writes one (UTF-8 with BOM for Excel, \\n, quoted only where needed; None
    as empty), atomically."""
    def save(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as f:
            out = csv.writer(f, lineterminator="\n")
            out.writerow(header)
            out.writerows(records)

    return write_atomically(path, save)


def csv_cells(values: Sequence, safe_for_excel: bool) -> list:
    """A row's values as the database holds them (COLUMNS order; aspirational 0/1) as table.write
    puts them in a CSV: the values as number_text, text escaped for a spreadsheet when asked."""
    cells = list(values)
    if safe_for_excel:
        cells = [formula_escaped(c) for c in cells]  # before the numbers are text: -5 stays -5
    for i in FLOAT_COLUMNS:
        cells[i] = number_text(cells[i])
    return cells


def write_stored(store: Store, keys: list[str] | None, path: str | Path, fmt: str | None = None,
                 safe_for_excel: bool = False) -> tuple[Path, int]:
    """Write the rows of documents `keys` (None: all) from the database as table.write(to_frame(rows))
    does; the file and the number of rows. A CSV is written straight from the database, a row at a
    time: the same bytes in a third of the time, without pandas, and in the memory of one row,
    however large the batch."""
    if check_format(path, fmt) != "csv":
        from .table import to_frame, write

        rows = store.rows(keys)
        return write(to_frame(rows), path, fmt, safe_for_excel), len(rows)
    written = 0

    def cells():
        nonlocal written
        for values in store.records(keys):
            written += 1
            yield csv_cells(values, safe_for_excel)

    return write_csv(path, COLUMNS, cells()), written
