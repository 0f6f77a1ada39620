"""The CPU time of the slowest sentences and document scans of a corpus, against the limits of
pipeline/timelimit.py: the limits must stay far above what any real sentence takes (issue: at
least 50 times), so that a loaded machine never changes the rows.

    .venv/bin/python benchmarks/sentence_cpu.py [--corpus ../shared/corpus] [--top 10]

One pass in one fresh process (its caches cold, as a run's first documents find them), after the
rules and the pipeline are loaded, as extraction.prepare loads them before any limit starts.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from pipeline import timelimit
from pipeline.extraction import Options, prepare, read_sentence
from pipeline.layout import unwrap
from pipeline.quantities import finder
from pipeline.read import collect_files, file_format, read_document
from pipeline.records import text_hash
from pipeline.structure import split, structure_rules


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default=str(Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"))
    ap.add_argument("--top", type=int, default=10)
    args = ap.parse_args()
    options = Options(include_achieved=True)  # every sentence with a number is read
    nlp = prepare(options)
    quantities, layout = finder(), structure_rules()
    sentences, scans, chars = [], [], 0
    for path in collect_files([args.corpus]):
        if file_format(path) not in ("text", "html", "docx", "pdf"):
            continue
        doc = read_document(path)
        chars += len(doc.text)
        started = time.process_time()
        view = unwrap(doc.text, layout.numbered_heading)
        found = [(s, q) for s in split(view.text, doc.year, layout) if s.part != "appendix"
                 for q in [quantities.find(view.text, s.start, s.end)] if q]
        scans.append((time.process_time() - started, len(doc.text), path.name))
        for sent, quantity in found:
            started = time.process_time()
            read_sentence(doc, text_hash(doc.text), view, sent, quantity, nlp, options)
            sentences.append((time.process_time() - started, path.name, sent.start, sent.end,
                              view.text[sent.start:sent.end]))
    sentences.sort(reverse=True)
    print(f"{len(scans)} documents, {chars:,} characters, {len(sentences):,} sentences with a number read")
    print(f"slowest sentences (CPU seconds; limit {timelimit.SENTENCE_SECONDS:g} s):")
    for seconds, name, start, end, text in sentences[:args.top]:
        print(f"  {seconds:.4f}  {name} {start}-{end} ({end - start} chars) {text[:40]}…")
    slowest = sentences[0][0]
    print(f"limit / slowest sentence: {timelimit.SENTENCE_SECONDS / slowest:.0f}x")
    worst = max(scans, key=lambda s: s[0] / (timelimit.SCAN_SECONDS + timelimit.SCAN_SECONDS_PER_CHAR * s[1]))
    limit = timelimit.SCAN_SECONDS + timelimit.SCAN_SECONDS_PER_CHAR * worst[1]
    rate = max(s[0] / s[1] for s in scans)
    print(f"document scans: the slowest per character {rate * 1e6:.2f} µs (limit "
          f"{timelimit.SCAN_SECONDS_PER_CHAR * 1e6:g} µs a character + {timelimit.SCAN_SECONDS:g} s); closest to "
          f"its limit: {worst[2]}, {worst[0]:.3f} s of {limit:.1f} s ({limit / worst[0]:.0f}x)")


if __name__ == "__main__":
    main()
