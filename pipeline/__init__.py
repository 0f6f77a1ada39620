"""commitments: quantified commitments from Chinese policy documents, as a table.

    from pipeline import extract
    df = extract("corpus/")          # a pandas DataFrame, one row per commitment
    df.attrs["ledger"]               # a DataFrame, one row per file: status, message, rows, ...
"""
from __future__ import annotations

__all__ = ["extract"]

ERRORS = ("warn", "raise", "ignore")


def extract(paths, manifest=None, include_achieved: bool = False, model: str | None = None,
            rules_dir: str | None = None, errors: str = "warn"):
    """Rows of every document in `paths` (a file, a folder, or a list of them) as a DataFrame.

    manifest: a TSV path with columns file, year, region; model: a spaCy pipeline name or path.
    A file that cannot be read (empty, broken, of another type) does not stop the others: the
    result holds the rows of every good file, and `df.attrs["ledger"]` is the run ledger (a
    DataFrame with the CLI ledger's columns: path, status, message, rows, ...). errors: "warn"
    (default) also warns naming the files not read, "ignore" does not, "raise" raises the first
    file's error instead.
    """
    import warnings
    from pathlib import Path

    import pandas as pd

    from .batch import LEDGER_COLUMNS, ledger_records, process_file
    from .extraction import Options, prepare
    from .read import collect_files, load_manifest
    from .table import to_frame

    if errors not in ERRORS:
        raise ValueError(f"errors={errors!r}: one of {', '.join(ERRORS)}")
    if isinstance(paths, (str, Path)):
        paths = [paths]
    options = Options(include_achieved, model, rules_dir)
    prepare(options)
    table = load_manifest(manifest) if manifest else None
    results = [process_file(path, "", "", table, options, raise_errors=errors == "raise")
               for path in collect_files(paths)]
    df = to_frame([row for result in results for row in result.rows])
    df.attrs["ledger"] = pd.DataFrame(ledger_records(results, table), columns=LEDGER_COLUMNS)
    not_read = [r.info.message for r in results if r.info.status != "ok"]
    if not_read and errors == "warn":
        warnings.warn(f"{len(not_read)} of {len(results)} files not read (see df.attrs['ledger']): "
                      + "; ".join(not_read[:5]) + (" ..." if len(not_read) > 5 else ""), stacklevel=2)
    return df
