"""The `commitments` command: extract rows from documents (kept in a database), export them, compare
targets year over year, report on them in HTML, and score rows against gold."""
from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import traceback
from pathlib import Path

from .errors import InputError

EXIT_OK, EXIT_FAILED_FILES, EXIT_USAGE = 0, 1, 2
DATABASE = "commitments.sqlite"


def build_parser() -> argparse.ArgumentParser:
    from .output import FORMATS

    formats = ", ".join(FORMATS)
    p = argparse.ArgumentParser(prog="commitments", description=(
        "Extract quantified commitments (targets) from Chinese policy documents into a table. "
        "Each folder of outputs holds its database, commitments.sqlite, beside the output file "
        "(-o); --db names another."))
    p.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    sub = p.add_subparsers(dest="command", required=True)

    x = sub.add_parser("extract", help="extract commitments from files or folders")
    x.add_argument("paths", nargs="+", metavar="PATH",
                   help="documents (.txt in UTF-8/UTF-16/GB18030/Big5, .md, .html, .docx, .pdf; .doc/.wps/.rtf/.odt "
                        "with LibreOffice) or folders of them, searched recursively")
    x.add_argument("-o", "--output", default="outputs/commitments.csv", help="output file (default: %(default)s)")
    x.add_argument("--format", choices=FORMATS,
                   help=f"output format: {formats} (default: from the output file's suffix, else csv)")
    x.add_argument("--manifest", metavar="FILE",
                   help="TSV with columns file, year, region: file is the document's file name (or its path "
                        "relative to the manifest); without it, year and region are read from the text")
    x.add_argument("--include-achieved", action="store_true",
                   help="also write rows of past results (status achieved), which compare judges targets by")
    x.add_argument("--model", help="spaCy pipeline name or path (default: zh_core_web_sm if installed, "
                                   "else jieba segmentation and POS tags)")
    x.add_argument("--rules", metavar="DIR", help="rules folder (default: the rules/ shipped with the tool)")
    x.add_argument("--dump-text", metavar="DIR", help="write each document's decoded text to DIR/<file>.txt "
                                                     "(start/end index into it)")
    x.add_argument("--db", metavar="FILE",
                   help="the database of record (default: commitments.sqlite in the output file's folder)")
    x.add_argument("--force", action="store_true", help="extract every file again, even if unchanged")
    x.add_argument("--excel-safe", action="store_true",
                   help="in CSV, prefix ' to text cells starting with = + - @ (spreadsheet formula injection)")
    x.add_argument("--jobs", type=positive, metavar="N",
                   help="documents extracted in parallel processes (default: one per core of the machine); "
                        "the output is the same for any number")
    x.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="local processes, or a Dask cluster (default: %(default)s)")
    x.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --engine dask: the scheduler (tcp://host:8786); default: a local cluster of --jobs workers")
    x.add_argument("--quiet", action="store_true", help="no progress bar")

    o = sub.add_parser("export", help="write every row of the database to a file")
    o.add_argument("-o", "--output", required=True, help=f"output file ({formats})")
    o.add_argument("--db", metavar="FILE", help="database (default: commitments.sqlite in the output file's folder)")
    o.add_argument("--format", choices=FORMATS, help="output format (default: from the output file's suffix)")
    o.add_argument("--excel-safe", action="store_true", help="as for extract")

    c = sub.add_parser("compare", help="targets year over year: panel, results, new/dropped/changed targets")
    c.add_argument("data", nargs="*", metavar="DATA",
                   help="outputs of extract (.csv, .parquet, .xlsx, .jsonl, .dta) or databases (.sqlite); default: "
                        "the database (--db); extract with --include-achieved to compare targets with results")
    c.add_argument("-o", "--output", default="outputs/compare.csv",
                   help="the panel (default: %(default)s); the changes go beside it as <name>.changes.<suffix>")
    c.add_argument("--db", metavar="FILE",
                   help="database read when no DATA is named (default: commitments.sqlite in the output file's folder)")
    c.add_argument("--format", choices=FORMATS, help="output format (default: from the output file's suffix, else csv)")
    c.add_argument("--rules", metavar="DIR", help="rules folder (default: the rules/ shipped with the tool)")

    r = sub.add_parser("report", help="a self-contained HTML report: targets over the years, results, changes")
    r.add_argument("data", nargs="*", metavar="DATA", help="as for compare")
    r.add_argument("-o", "--output", default="outputs/report.html", help="the report (default: %(default)s)")
    r.add_argument("--db", metavar="FILE", help="as for compare")
    r.add_argument("--rules", metavar="DIR", help="rules folder (default: the rules/ shipped with the tool)")

    e = sub.add_parser("eval", help="score predicted rows against gold annotations")
    e.add_argument("--gold", nargs="+", required=True, metavar="GOLD.csv",
                   help="gold files (the format of ../shared/gold: doc, start, end, quantity_text, value, …)")
    e.add_argument("--pred", required=True, metavar="PRED.csv", help="rows written by extract (CSV)")
    e.add_argument("--docs", metavar="DIR", help="folder of the documents, to check offsets")
    e.add_argument("--misses", action="store_true", help="list wrong, missed and extra rows")
    e.add_argument("--json", action="store_true", help="print the figures as JSON")
    return p


def database(args) -> Path:
    """The one rule for where a run's database is: --db, else commitments.sqlite in the folder of
    the output file (-o), so that extract, export, compare and report of one folder share it."""
    return Path(args.db) if args.db else Path(args.output).parent / DATABASE


def available_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes (1 or more)")
    return int(text)


def existing_database(args) -> Path:
    db = database(args)
    if not db.is_file():
        raise InputError(f"{db}: no such database (commitments extract -o {Path(args.output).parent / 'rows.csv'} "
                         "writes one there; or name it with --db)")
    return db


def ledger_path(output: str | Path) -> Path:
    output = Path(output)
    return output.with_name(output.stem + ".ledger.csv")


def run_extract(args) -> int:
    from .batch import LEDGER_COLUMNS, ledger_records, run_batch
    from .extraction import Options, load_rules
    from .output import check_format, formula_escaped, write_csv, write_stored
    from .progress import Progress, duration
    from .read import collect_files, load_manifest
    from .store import Store

    fmt = check_format(args.output, args.format)
    manifest = load_manifest(args.manifest) if args.manifest else None
    db = database(args)
    # this run's own files are no input, should they lie in an input folder
    own = [args.output, ledger_path(args.output), *(db.with_name(db.name + s) for s in ("", "-journal", "-wal", "-shm")),
           *([args.manifest] if args.manifest else []), *([args.dump_text] if args.dump_text else [])]
    files = collect_files(args.paths, not_inputs=own)
    if not files:
        print(f"commitments: no files in {' '.join(args.paths)}", file=sys.stderr)
        return EXIT_USAGE
    if args.scheduler and args.engine != "dask":
        raise InputError("--scheduler is for --engine dask")
    options = Options(include_achieved=args.include_achieved, model=args.model,
                      rules_dir=str(Path(args.rules).resolve()) if args.rules else None)  # as workers see it
    dump_text = Path(args.dump_text).resolve() if args.dump_text else None
    load_rules(options)
    if args.model:
        from .nlp import load_nlp

        load_nlp(args.model)  # a missing pipeline stops the run before any document
    store = Store(db)
    progress = Progress(files, args.quiet)

    def report(result):
        progress.update(result.path, result.info.chars)
        if result.info.status != "ok":
            progress.write(f"commitments: {result.info.status}: {result.info.message}")
            if args.debug and result.trace:
                print(result.trace, file=sys.stderr)

    try:
        results = run_batch(files, store, manifest, options, force=args.force, dump_text=dump_text,
                            on_result=report, jobs=args.jobs or available_cores(), engine=args.engine,
                            scheduler=args.scheduler)
        seconds = progress.close()
        out, rows = write_stored(store, [str(r.path.resolve()) for r in results], args.output, fmt,
                                 safe_for_excel=args.excel_safe)
    except sqlite3.Error as e:  # e.g. locked by another run for longer than the timeout
        raise InputError(f"{store.path}: {e}") from None
    finally:
        store.close()
    ledger = write_csv(ledger_path(out), LEDGER_COLUMNS, ([formula_escaped(c) for c in r] if args.excel_safe else r
                                                          for r in ledger_records(results, manifest)))
    if manifest is not None:
        report_manifest(manifest, [r.path for r in results if r.info.status != "skipped"])
    count = {s: sum(r.info.status == s for r in results) for s in ("ok", "empty", "error", "skipped")}
    reused = sum(r.reused and r.info.status == "ok" for r in results)
    warned = sum(r.info.warnings > 0 for r in results)
    print(f"{rows} rows from {len(files)} files: {count['ok']} ok ({reused} unchanged since the last run"
          f"{f', {warned} with sentences left out' if warned else ''}), {count['empty']} empty, {count['error']} "
          f"failed, {count['skipped']} skipped, in {duration(seconds)} -> {out}; ledger: {ledger}; "
          f"database: {store.path}", file=sys.stderr)
    return EXIT_FAILED_FILES if count["empty"] or count["error"] else EXIT_OK


def report_manifest(manifest, files: list[Path]) -> None:
    """Say which documents no manifest row names (their year and region come from the text) and
    which manifest rows name none of them: a path in the manifest that does not match is found so."""
    def some(names: list[str]) -> str:
        return ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")

    unnamed = [f.name for f in files if manifest.entry(f) is None]
    unused = manifest.unmatched(files)
    if unnamed:
        print(f"commitments: {len(unnamed)} input file(s) have no manifest row (year and region are read from "
              f"the text; the ledger's manifest column is 0): {some(unnamed)}", file=sys.stderr)
    if unused:
        print(f"commitments: {len(unused)} manifest row(s) name no input file: {some(unused)}", file=sys.stderr)


def run_export(args) -> int:
    from .output import check_format, write_stored
    from .store import Store

    fmt = check_format(args.output, args.format)
    db = existing_database(args)
    store = Store(db, readonly=True)
    try:
        out, rows = write_stored(store, None, args.output, fmt, safe_for_excel=args.excel_safe)
    except sqlite3.Error as e:
        raise InputError(f"{db}: cannot read the database ({e})") from None
    finally:
        store.close()
    print(f"{rows} rows -> {out}", file=sys.stderr)
    return EXIT_OK


def comparison(args):
    """The comparison of the rows of DATA (else of the database)."""
    import pandas as pd

    from .panel import compare
    from .table import read_rows

    data = args.data or [existing_database(args)]
    result = compare(pd.concat([read_rows(path) for path in data], ignore_index=True), args.rules)
    if result.left_out:
        print(f"commitments: {result.left_out} rows without region or year are left out "
              "(extract with --manifest to give them)", file=sys.stderr)
    return result


def run_compare(args) -> int:
    from .output import check_format
    from .table import write

    fmt = check_format(args.output, args.format)
    result = comparison(args)
    panel, changes = result.panel, result.changes
    out = Path(args.output)
    write(panel, out, fmt)
    changes_path = write(changes, out.with_name(f"{out.stem}.changes{out.suffix or '.' + fmt}"), fmt)
    counts = panel["status"].value_counts()
    print(f"{len(panel)} panel rows ({counts.get('target', 0)} targets, {counts.get('absent', 0)} absent, "
          f"{int(panel['met'].notna().sum())} judged against a result) -> {out}; "
          f"{len(changes)} new, dropped or changed targets -> {changes_path}", file=sys.stderr)
    return EXIT_OK


def run_report(args) -> int:
    from .output import write_atomically
    from .report import build_report

    if Path(args.output).suffix.lower() not in (".html", ".htm"):
        raise InputError(f"{args.output}: report writes an HTML page; name the file *.html")
    result = comparison(args)
    page = build_report(result, args.rules)
    out = write_atomically(args.output, lambda tmp: Path(tmp).write_text(page, encoding="utf-8"))
    regions = result.panel["region"].nunique()
    print(f"report of {regions} region{'' if regions == 1 else 's'} -> {out}", file=sys.stderr)
    return EXIT_OK


def run_eval(args) -> int:
    import json

    from .evaluate import score

    result = score(args.gold, args.pred, args.docs)
    if args.misses:
        for line in result.misses:
            print(line)
    if args.json:
        print(json.dumps(result.figures, ensure_ascii=False))
    else:
        for k, v in result.figures.items():
            print(f"{k:>20}: {v}")
    return EXIT_OK


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return {"extract": run_extract, "export": run_export, "compare": run_compare, "report": run_report,
                "eval": run_eval}[args.command](args)
    except KeyboardInterrupt:
        print("commitments: interrupted; what was extracted is kept in the database, run again to resume",
              file=sys.stderr)
        return 130
    except (ValueError, OSError, KeyError, sqlite3.Error) as err:  # InputError, RulesError, ModelError: ValueError
        if args.debug:
            traceback.print_exc()
        print(f"commitments: error: {err}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
