"""commitments: quantified commitments from Chinese policy documents, as a table. The Python API
mirrors the command line; each step returns pandas DataFrames and writes a file when given one:

    import pipeline as cm
    rows = cm.extract("reports/", manifest="reports/MANIFEST.tsv", output="out/rows.dta")
    rows.attrs["ledger"]                  # one row per file: status, message, rows, ...
    panel = cm.compare(rows, output="out/compare.csv")
    panel.attrs["changes"]                # new, dropped, raised and lowered targets
    cm.report(rows, output="out/report.html")
    cm.export("out/commitments.sqlite", output="out/rows.parquet")   # every row extract ever stored

docs/walkthrough.md goes through them on the sample corpus; docs/schema.md explains every column.
"""
from __future__ import annotations

__all__ = ["extract", "export", "compare", "report"]

ERRORS = ("warn", "raise", "ignore")


def extract(paths, manifest=None, include_achieved: bool = False, model: str | None = None,
            rules_dir: str | None = None, errors: str = "warn", output=None):
    """Rows of every document in `paths` (a file, a folder, or a list of them) as a DataFrame.

    manifest: a TSV path with columns file, year, region; model: a spaCy pipeline name or path.
    A file that cannot be read (empty, broken, of another type) does not stop the others: the
    result holds the rows of every good file, and `df.attrs["ledger"]` is the run ledger (a
    DataFrame with the CLI ledger's columns: path, status, message, rows, ...). errors: "warn"
    (default) also warns naming the files not read, "ignore" does not, "raise" raises the first
    file's error instead. output: a file to write the rows to, in the format of its suffix (.csv,
    .parquet, .xlsx, .jsonl, .dta).
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
    check_output(output)
    if isinstance(paths, (str, Path)):
        paths = [paths]
    options = Options(include_achieved, model, rules_dir)
    prepare(options)
    table = load_manifest(manifest) if manifest else None
    results = [process_file(path, "", "", table, options, raise_errors=errors == "raise")
               for path in collect_files(paths, not_inputs=[manifest] if manifest else [])]
    df = to_frame([row for result in results for row in result.rows])
    df.attrs["ledger"] = pd.DataFrame(ledger_records(results, table), columns=LEDGER_COLUMNS)
    not_read = [r.info.message for r in results if r.info.status != "ok"]
    if not_read and errors == "warn":
        warnings.warn(f"{len(not_read)} of {len(results)} files not read (see df.attrs['ledger']): "
                      + "; ".join(not_read[:5]) + (" ..." if len(not_read) > 5 else ""), stacklevel=2)
    return written(df, output)


def export(db, output=None):
    """Every row of a database that `commitments extract` wrote (commitments.sqlite), as a DataFrame."""
    from .table import read_rows

    check_output(output)
    return written(read_rows(db), output)


def compare(data, output=None, rules_dir: str | None = None):
    """The year-over-year panel of the rows in `data` (a DataFrame of extract, a file it wrote, a
    database, or a list of them), one row per region, indicator, unit and year; the new, dropped
    and changed targets are in `panel.attrs["changes"]`. output: the panel's file; the changes go
    beside it as <name>.changes.<suffix>, as the command line writes them."""
    from pathlib import Path

    from .table import write

    check_output(output)
    result = comparison(data, rules_dir)
    warn_left_out(result)
    panel = result.panel
    if output is not None:
        out = Path(output)
        write(panel, out)
        write(result.changes, out.with_name(f"{out.stem}.changes{out.suffix}"))
    panel.attrs["changes"] = result.changes
    return panel


def report(data, output=None, rules_dir: str | None = None) -> str:
    """The HTML report of the rows in `data` (as for compare), as text; written to `output` (.html)
    when given."""
    from pathlib import Path

    from .output import write_atomically
    from .report_page import build_report

    if output is not None and Path(output).suffix.lower() not in (".html", ".htm"):
        raise ValueError(f"{output}: report writes an HTML page; name the file *.html")
    result = comparison(data, rules_dir)
    warn_left_out(result)
    page = build_report(result, rules_dir)
    if output is not None:
        write_atomically(output, lambda tmp: Path(tmp).write_text(page, encoding="utf-8"))
    return page


def comparison(data, rules_dir=None):
    """The comparison (panel.Comparison) of the rows in `data`: DataFrames of extract, files it
    wrote, databases, or a list of them (the command line's compare and report call it too)."""
    from pathlib import Path

    import pandas as pd

    from .panel import compare as compare_rows
    from .table import read_rows

    items = [data] if isinstance(data, (str, Path, pd.DataFrame)) else list(data)
    rows = pd.concat([item if isinstance(item, pd.DataFrame) else read_rows(item) for item in items],
                     ignore_index=True)
    return compare_rows(rows, rules_dir)


def warn_left_out(result) -> None:
    import warnings

    if result.left_out:
        warnings.warn(f"{result.left_out} rows without region or year are left out (give extract a manifest)",
                      stacklevel=3)


def check_output(output) -> None:
    """A bad output name fails before any work."""
    from .output import check_format

    if output is not None:
        check_format(output)


def written(df, output):
    from .table import write

    if output is not None:
        write(df, output)
    return df
