"""The `commitments` command: extract rows from documents, and score them against gold."""
from __future__ import annotations

import argparse
import sys
import traceback

EXIT_OK, EXIT_FAILED_FILES, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="commitments", description=(
        "Extract quantified commitments (targets) from Chinese policy documents into a table."))
    p.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    sub = p.add_subparsers(dest="command", required=True)

    x = sub.add_parser("extract", help="extract commitments from files or folders")
    x.add_argument("paths", nargs="+", metavar="PATH",
                   help="documents (.txt in UTF-8/UTF-16/GB18030/Big5, .html, .docx) or folders of them")
    x.add_argument("-o", "--output", default="outputs/commitments.csv", help="output file (default: %(default)s)")
    x.add_argument("--format", choices=["csv", "parquet", "xlsx", "jsonl"],
                   help="output format (default: from the output file's suffix, else csv)")
    x.add_argument("--manifest", help="TSV with columns file, year, region (as shared/corpus/MANIFEST.tsv)")
    x.add_argument("--include-achieved", action="store_true",
                   help="also write rows of past results (status achieved)")
    x.add_argument("--model", help="spaCy pipeline name or path (default: zh_core_web_sm if installed, "
                                   "else jieba segmentation and POS tags)")
    x.add_argument("--rules", help="rules folder (default: the rules/ shipped with the tool)")
    x.add_argument("--dump-text", metavar="DIR", help="write each document's decoded text to DIR/<file>.txt "
                                                     "(start/end index into it)")
    x.add_argument("--quiet", action="store_true", help="no progress bar")

    e = sub.add_parser("eval", help="score predicted rows against gold annotations")
    e.add_argument("--gold", nargs="+", required=True, metavar="GOLD.csv")
    e.add_argument("--pred", required=True, metavar="PRED.csv")
    e.add_argument("--docs", help="folder of the documents, to check offsets")
    e.add_argument("--misses", action="store_true", help="list wrong, missed and extra rows")
    e.add_argument("--json", action="store_true", help="print the figures as JSON")
    return p


def run_extract(args) -> int:
    from tqdm import tqdm

    from .extraction import Options, extract_files, load_rules
    from .read import collect_files, load_manifest
    from .table import check_format, to_frame, write

    fmt = check_format(args.output, args.format)
    manifest = load_manifest(args.manifest) if args.manifest else None
    files = collect_files(args.paths)
    if not files:
        print(f"commitments: no documents (.txt, .html, .docx) in {' '.join(args.paths)}", file=sys.stderr)
        return EXIT_USAGE
    options = Options(include_achieved=args.include_achieved, model=args.model, rules_dir=args.rules)
    load_rules(options)
    if args.model:
        from .nlp import load_nlp

        load_nlp(args.model)  # a missing pipeline stops the run before any document
    failed = []
    bar = tqdm(total=len(files), unit="doc", disable=args.quiet or None, file=sys.stderr)

    def on_error(path, err):
        failed.append(path)
        message = str(err) if isinstance(err, ValueError) and str(path) in str(err) else \
            f"{path}: {type(err).__name__}: {err}"
        tqdm.write(f"commitments: {message}", file=sys.stderr)
        if args.debug:
            traceback.print_exception(err)

    rows = extract_files(files, manifest, options, progress=lambda _: bar.update(), on_error=on_error,
                         dump_text=args.dump_text)
    bar.close()
    out = write(to_frame(rows), args.output, fmt)
    print(f"{len(rows)} rows from {len(files) - len(failed)} of {len(files)} documents -> {out}"
          + (f"; {len(failed)} failed" if failed else ""), file=sys.stderr)
    return EXIT_FAILED_FILES if failed else EXIT_OK


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
        return run_extract(args) if args.command == "extract" else run_eval(args)
    except (ValueError, OSError, KeyError) as err:  # InputError, RulesError, ModelError are ValueErrors
        if args.debug:
            traceback.print_exc()
        print(f"commitments: error: {err}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
