"""The `commitments` command: extract rows from documents (kept in a database), export them, compare
targets year over year, report on them in HTML, and score rows against gold."""
from __future__ import annotations

import argparse
import os
from collections import Counter
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

    v = sub.add_parser("review", help="a workbook to check rows by hand: verdicts and corrected values")
    v.add_argument("-o", "--output", default="outputs/review.xlsx", help="the workbook (default: %(default)s)")
    v.add_argument("--db", metavar="FILE", help="database (default: commitments.sqlite in the output file's folder)")
    v.add_argument("--only-flagged", action="store_true", help="only rows with check flags (the likeliest errors)")
    v.add_argument("--sample", type=positive, metavar="N",
                   help="a random sample of N rows (to estimate precision: commitments eval --reviewed)")
    v.add_argument("--seed", type=int, default=1, help="the sample's random seed (default: %(default)s)")

    k = sub.add_parser("correct", help="store a reviewer's corrections; every output applies them from then on")
    k.add_argument("file", nargs="?", metavar="FILE",
                   help="a filled review workbook (.xlsx) or a CSV with columns row_id, field, value, note, doc, "
                        "start, end")
    k.add_argument("--db", metavar="FILE", help="database (default: commitments.sqlite in FILE's folder; with "
                                                "--list or --undo: outputs/commitments.sqlite)")
    k.add_argument("--list", action="store_true", help="show the corrections held, and which are orphaned")
    k.add_argument("--undo", type=int, metavar="ID", help="remove correction ID (see --list)")

    e = sub.add_parser("eval", help="score rows against gold annotations, or a reviewed sample's precision")
    e.add_argument("--gold", nargs="+", metavar="GOLD.csv",
                   help="gold files (the format of ../shared/gold: doc, start, end, quantity_text, value, …)")
    e.add_argument("--pred", metavar="PRED.csv", help="rows written by extract (CSV)")
    e.add_argument("--reviewed", metavar="REVIEW.xlsx",
                   help="a filled review workbook of a random sample: the precision of the rows, with its 95%% "
                        "confidence interval")
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
        keys = [str(r.path.resolve()) for r in results]
        out, rows = write_stored(store, keys, args.output, fmt, safe_for_excel=args.excel_safe)
        orphans = store.orphans(keys)
        unplaced = store.unplaced(keys)
    except sqlite3.Error as e:  # e.g. locked by another run for longer than the timeout
        raise InputError(f"{store.path}: {e}") from None
    finally:
        store.close()
    report_orphans(orphans)
    if unplaced:
        print(f"commitments: {len(unplaced)} file(s) have rows without region or year, which compare leaves out "
              f"(give --manifest): {', '.join(unplaced[:5])}{' …' if len(unplaced) > 5 else ''}", file=sys.stderr)
    orphaned = Counter(c.path for c in orphans)
    ledger = write_csv(ledger_path(out), LEDGER_COLUMNS, ([formula_escaped(c) for c in r] if args.excel_safe else r
                                                          for r in ledger_records(results, manifest, orphaned)))
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


def report_orphans(orphans) -> None:
    """Corrections whose row is gone are named, never dropped silently (they stay in the database)."""
    from .corrections import describe

    if orphans:
        print(f"commitments: {len(orphans)} correction(s) apply to no row any more (the document's text changed, "
              "or the rules no longer read that number); they are kept: commitments correct --list, --undo ID",
              file=sys.stderr)
        for c in orphans[:20]:
            print(f"  orphaned: {describe(c)}", file=sys.stderr)


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
    from . import comparison as compare

    result = compare(args.data or [existing_database(args)], args.rules)
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
    from .report_page import build_report

    if Path(args.output).suffix.lower() not in (".html", ".htm"):
        raise InputError(f"{args.output}: report writes an HTML page; name the file *.html")
    result = comparison(args)
    page = build_report(result, args.rules)
    out = write_atomically(args.output, lambda tmp: Path(tmp).write_text(page, encoding="utf-8"))
    regions = result.panel["region"].nunique()
    print(f"report of {regions} region{'' if regions == 1 else 's'} -> {out}", file=sys.stderr)
    return EXIT_OK


def run_review(args) -> int:
    from .output import write_atomically
    from .quantities import finder
    from .review import chosen_rows, write_review
    from .store import Store

    if Path(args.output).suffix.lower() != ".xlsx":
        raise InputError(f"{args.output}: review writes a workbook; name the file *.xlsx")
    db = existing_database(args)
    store = Store(db, readonly=True)
    try:
        rows = store.rows()
    finally:
        store.close()
    chosen = chosen_rows(rows, args.only_flagged, args.sample, args.seed)
    units = sorted({u.unit for u in finder().units.values() if u.unit} | {r.unit for r in rows if r.unit})
    write_atomically(args.output, lambda tmp: write_review(chosen, len(rows), tmp, args.only_flagged, args.sample,
                                                          args.seed, units))
    print(f"{len(chosen)} of {len(rows)} rows to review -> {args.output}; fill verdict (ok, drop, fix) and the fix_ "
          f"columns, then: commitments correct {args.output}", file=sys.stderr)
    return EXIT_OK


def run_correct(args) -> int:
    from .corrections import describe
    from .read import read_document
    from .review import read_lines, resolve
    from .store import Store

    if args.list or args.undo is not None:
        db = Path(args.db or Path("outputs") / DATABASE)
        if not db.is_file():
            raise InputError(f"{db}: no such database (name it with --db)")
        store = Store(db)
        try:
            if args.undo is not None:
                print(f"removed: {describe(store.undo(args.undo))}", file=sys.stderr)
            orphaned = {c.id for c in store.orphans()}
            for c in store.corrections().all:
                print(f"{c.created}\t{'orphaned' if c.id in orphaned else 'in force'}\t{describe(c)}")
        finally:
            store.close()
        return EXIT_OK
    if not args.file:
        raise InputError("correct: name the corrections FILE (or --list, --undo ID)")
    db = Path(args.db) if args.db else Path(args.file).parent / DATABASE
    lines = read_lines(args.file)
    if not db.is_file():
        raise InputError(f"{db}: no such database (the review's folder holds it, or name it with --db)")
    store = Store(db)
    try:
        def read_text(path):
            try:
                return read_document(Path(path), None)
            except (ValueError, OSError):
                return None

        resolved = resolve(args.file, lines, store, read_text)
        store.add_corrections(resolved)
    finally:
        store.close()
    kinds = Counter("drop" if r["field"] == "drop" else "add" if r["field"] == "add" else "field" for r in resolved)
    print(f"{len(resolved)} correction(s) stored in {db}: {kinds['drop']} rows dropped, {kinds['add']} added, "
          f"{kinds['field']} fields set; every output from this database applies them (extract, export, compare, "
          "report)", file=sys.stderr)
    return EXIT_OK


def run_eval(args) -> int:
    import json

    from .evaluate import score

    if args.reviewed:
        return eval_reviewed(args)
    if not (args.gold and args.pred):
        raise InputError("eval: give --gold and --pred, or --reviewed")
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


def eval_reviewed(args) -> int:
    import json

    from .review import reviewed_precision

    f = reviewed_precision(args.reviewed)
    if args.json:
        print(json.dumps(f, ensure_ascii=False))
        return EXIT_OK
    if not f["reviewed"]:
        raise InputError(f"{args.reviewed}: no row has a verdict (ok, drop, fix)")
    low, high = f["precision_ci95"]
    dlow, dhigh = f["detection_precision_ci95"]
    print(f"{f['reviewed']} rows reviewed ({f['ok']} ok, {f['fix']} with a wrong field, {f['drop']} not "
          f"commitments; {f['not_reviewed']} without a verdict)")
    print(f"precision (every field right): {f['precision']:.3f}, 95% CI {low:.3f}-{high:.3f} (Wilson)")
    print(f"precision of detection (a commitment, fields aside): {f['detection_precision']:.3f}, "
          f"95% CI {dlow:.3f}-{dhigh:.3f}")
    if not f["random_sample"]:
        print("note: not a random sample (review --sample N): these figures describe the rows reviewed only",
              file=sys.stderr)
    elif f["only_flagged"]:
        print("note: a sample of the flagged rows only: the precision of those, lower than of all rows",
              file=sys.stderr)
    return EXIT_OK


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return {"extract": run_extract, "export": run_export, "compare": run_compare, "report": run_report,
                "review": run_review, "correct": run_correct, "eval": run_eval}[args.command](args)
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
