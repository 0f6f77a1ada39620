"""Throughput of extraction against plain jieba.lcut, on one core and with --jobs.

    .venv/bin/python benchmarks/throughput.py [--corpus ../shared/corpus] [--chars 10000000] [--repeat 3]

Repeats the documents of --corpus (all its .txt files) as many whole times as it takes to hold
at least --chars characters, and prints: characters/s of extraction (one process) and of
jieba.lcut over the same texts in the same run, their ratio, the peak resident memory of each
measurement (each runs in a fresh process; extraction and jieba take turns, and the ratio of
each pair is printed too); the time of 1, 4 and 16 copies of the corpus (how time
grows with size: whole copies, so that each size has the same mix of documents; from a cold
start, and after one warm-up pass over the corpus, as in a long batch); and the speed-up of a
200-document batch with --jobs 2 over --jobs 1 (also net of a run's fixed cost, and on 4 copies of
those documents, 800 files, where that cost weighs less). Each figure is
the fastest of --repeat runs (the machine is shared). A script, not a test: it prints figures;
it takes about 15 minutes on a 2-core machine.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def base_documents(corpus: Path) -> list:
    """The .txt documents of corpus (recursively)."""
    from pipeline.read import collect_files, read_document

    return [read_document(p) for p in collect_files([corpus]) if p.suffix == ".txt"]


def copies_for(corpus: Path, chars: int) -> int:
    """How many whole copies of corpus hold at least `chars` characters."""
    return max(1, -(-chars // sum(len(doc.text) for doc in base_documents(corpus))))


def measure(what: str, corpus: Path, copies: int, warm: bool = False) -> dict:
    """One measurement in this process: seconds and characters of `what` over `copies` copies of
    the corpus. `warm`: extract the corpus's documents once before timing (what a long batch runs
    like once spaCy's vocabulary and the other caches hold the common words)."""
    docs = base_documents(corpus) * copies
    total = sum(len(doc.text) for doc in docs)
    if what == "jieba":
        import jieba

        jieba.initialize()
        start = time.perf_counter()
        for doc in docs:
            jieba.lcut(doc.text)
    else:
        from pipeline.extraction import extract_document, load_rules
        from pipeline.nlp import load_nlp

        load_rules()
        load_nlp()
        if warm:
            for doc in base_documents(corpus):
                extract_document(doc)
        start = time.perf_counter()
        for doc in docs:
            extract_document(doc)
    seconds = time.perf_counter() - start
    return {"what": what, "chars": total, "seconds": seconds,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def fresh_measurement(what: str, corpus: Path, copies: int, warm: bool = False) -> dict:
    """measure() in a fresh process."""
    p = subprocess.run([sys.executable, __file__, "--measure", what, "--corpus", str(corpus), "--copies",
                        str(copies)] + ["--warm"] * warm, capture_output=True, text=True, check=True, cwd=REPO)
    return json.loads(p.stdout.strip().splitlines()[-1])


def fastest(runs: list[dict]) -> dict:
    return min(runs, key=lambda m: m["seconds"])


def in_fresh_process(what: str, corpus: Path, copies: int, warm: bool = False, repeat: int = 1) -> dict:
    """The fastest of `repeat` measurements, each in a fresh process (the machine is shared: the
    fastest is the one least disturbed)."""
    return fastest([fresh_measurement(what, corpus, copies, warm) for _ in range(repeat)])


def alternately(corpus: Path, copies: int, repeat: int) -> tuple[dict, dict, list[float]]:
    """Extraction and jieba.lcut measured in turn, `repeat` times each: the fastest of each, and
    the ratio of each pair run back to back (a VM's speed drifts by 5-10% between minutes; a
    pair sees about the same machine)."""
    pairs = [(fresh_measurement("extraction", corpus, copies), fresh_measurement("jieba", corpus, copies))
             for _ in range(repeat)]
    ratios = [jieba["seconds"] / full["seconds"] for full, jieba in pairs]  # the same characters
    return fastest([full for full, _ in pairs]), fastest([jieba for _, jieba in pairs]), ratios


def run_seconds(files: list[Path], jobs: int, repeat: int = 1) -> float:
    """Wall time of `commitments extract` over files with --jobs, start-up and output included
    (the fastest of `repeat` runs)."""
    times = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "pipeline", "extract", *map(str, files), "-o", f"{tmp}/rows.csv",
                            "--jobs", str(jobs), "--quiet"], check=True, cwd=REPO, capture_output=True)
            times.append(time.perf_counter() - start)
    return min(times)


def batch_figures(corpus: Path, count: int = 200, copies: int = 4, repeat: int = 1) -> str:
    """The speed-up of --jobs 2 over --jobs 1 on the first `count` files of corpus (any format);
    also net of the run's fixed cost (start-up, rules, model; output), measured on one small file,
    which no number of processes shortens; and on `copies` copies of those files (each copy in a
    folder of its own, extracted like any other file), where that fixed cost weighs less."""
    import shutil

    from pipeline.read import collect_files

    files = collect_files([corpus])[:count]
    one, two = run_seconds(files, 1, repeat), run_seconds(files, 2, repeat)
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small_2024.txt"
        small.write_text("新增国家高新技术企业46家。\n", encoding="utf-8")
        fixed = run_seconds([small], 1, repeat)
        many = []
        for n in range(copies):
            for i, f in enumerate(files):
                many.append(Path(tmp) / f"copy{n}" / f"{i:03d}" / f.name)
                many[-1].parent.mkdir(parents=True)
                shutil.copyfile(f, many[-1])
        many_one, many_two = run_seconds(many, 1, repeat), run_seconds(many, 2, repeat)
    return (f"{len(files)}-document batch: --jobs 1 {one:.1f} s, --jobs 2 {two:.1f} s, speed-up {one / two:.2f}x\n"
            f"fixed cost of a run (one small document): {fixed:.1f} s; without it: "
            f"{one - fixed:.1f} s -> {two - fixed:.1f} s, speed-up {(one - fixed) / (two - fixed):.2f}x\n"
            f"{len(many)}-document batch ({copies} copies): --jobs 1 {many_one:.1f} s, --jobs 2 {many_two:.1f} s, "
            f"speed-up {many_one / many_two:.2f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    ap.add_argument("--chars", type=int, default=10_000_000, help="the least size of the main measurement")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the fastest counts")
    ap.add_argument("--measure", choices=["extraction", "jieba"], help=argparse.SUPPRESS)
    ap.add_argument("--copies", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--warm", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.corpus, args.copies, args.warm)))
        return
    copies = copies_for(args.corpus, args.chars)
    full, jieba, ratios = alternately(args.corpus, copies, args.repeat)
    rate, jieba_rate = full["chars"] / full["seconds"], jieba["chars"] / jieba["seconds"]
    print(f"corpus: {full['chars']:,} characters ({copies} copies of {args.corpus})")
    print(f"extraction:  {rate:>12,.0f} chars/s  ({full['seconds']:.1f} s, peak {full['peak_mb']:.0f} MB)")
    print(f"jieba.lcut:  {jieba_rate:>12,.0f} chars/s  ({jieba['seconds']:.1f} s, peak {jieba['peak_mb']:.0f} MB)")
    print(f"ratio extraction / jieba.lcut: {rate / jieba_rate:.2f} (fastest of each); pair by pair, run back to "
          f"back: {', '.join(f'{r:.2f}' for r in ratios)}")
    for warm in (False, True):
        sizes = {f"{n}x": full if n == copies and not warm else
                 in_fresh_process("extraction", args.corpus, n, warm, args.repeat) for n in (1, 4, 16)}
        print("time by size, " + ("after one warm-up pass over the corpus (steady state):" if warm else
                                  "from a cold start (each in a fresh process):"))
        for name, m in sizes.items():
            print(f"{name:>4}: {m['chars']:>12,} chars  {m['seconds']:8.1f} s  peak {m['peak_mb']:.0f} MB")
        growth = sizes["16x"]["seconds"] / sizes["1x"]["seconds"]
        print(f"16x / 1x time: {growth:.2f} (linear: 16)")
    print(batch_figures(args.corpus, repeat=args.repeat))


if __name__ == "__main__":
    main()
