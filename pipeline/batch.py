"""A batch run over many files: each file gets an outcome (ok, empty, error or skipped) for the run
ledger, a failing file never stops the batch, and a file whose content and extraction fingerprint
are unchanged since the last run is taken from the database instead of being extracted again.
With --jobs, the files are extracted in worker processes that end when the run ends, however it
ends (Ctrl-C, kill -9 of the run).
"""
from __future__ import annotations

import hashlib
import os
import signal
import threading
import time
import traceback
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Callable, NamedTuple

from .errors import EmptyDocument, SkippedFile
from .extraction import Options, extract_document
from .read import Document, Manifest, read_document
from .records import Commitment, text_hash
from .rules import RULES_DIR
from .store import Store, StoredDocument

LEDGER_COLUMNS = ["path", "sha256", "format", "encoding", "chars", "rows", "status", "message", "warnings",
                  "seconds", "reused", "manifest", "orphaned"]
RETRIED = ("error", "skipped")  # statuses of files read again in every run (LibreOffice may be there now)
WARNINGS_LISTED = 5  # the sentences named in a ledger message


@dataclass
class FileResult:
    path: Path
    info: StoredDocument
    rows: list[Commitment]  # as extracted; in run_batch's results none: the rows are in the database
    reused: bool = False
    trace: str = ""  # the traceback of an error, for --debug; not stored


class Job(NamedTuple):
    """A file to extract: as named, its database key (absolute path), hash and fingerprint."""

    path: Path
    key: str
    sha256: str
    fingerprint: str


# modules and rules that do not change the rows of a document: editing them re-extracts nothing
NOT_EXTRACTION = {"__init__.py", "__main__.py", "cli.py", "batch.py", "store.py", "table.py", "panel.py",
                  "report_page.py", "evaluate.py", "compare.yaml", "labels.py", "progress.py", "review.py",
                  "corrections.py"}


@lru_cache(maxsize=None)
def code_fingerprint(options: Options) -> str:
    """What extraction depends on besides the file: its code, its rules, the options, the NLP
    libraries and model. Any change to them makes every file be extracted again."""
    from importlib.metadata import version

    import jieba
    import spacy

    from .nlp import DEFAULT_MODEL, is_installed

    h = hashlib.sha256()
    rules = Path(options.rules_dir) if options.rules_dir else RULES_DIR
    for f in sorted(Path(__file__).parent.glob("*.py")) + sorted(rules.glob("*.yaml")):
        if f.name not in NOT_EXTRACTION:
            h.update(f.name.encode() + b"\0" + f.read_bytes())
    model = options.model or (DEFAULT_MODEL if is_installed(DEFAULT_MODEL) else "jieba")
    versions = (spacy.__version__, jieba.__version__, version("rjieba"))
    h.update(repr((options.include_achieved, model, versions)).encode())
    return h.hexdigest()


def fingerprint(path: Path, manifest: Manifest | None, options: Options) -> str:
    row = manifest.get(path) if manifest else None
    return hashlib.sha256(f"{code_fingerprint(options)}|{path.name}|{row}".encode()).hexdigest()


def error_message(path: Path, err: BaseException) -> str:
    """One line naming the file: our errors already do; others get the file and the error type."""
    text = " ".join(str(err).split())
    return text if isinstance(err, ValueError) and str(path) in text else f"{path}: {type(err).__name__}: {text}"


def dump(doc: Document, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / (doc.name + ".txt")).write_text(doc.text, encoding="utf-8", newline="\n")


def process_file(path: Path, sha256: str, fp: str, manifest: Manifest | None, options: Options,
                 dump_text: Path | None = None, raise_errors: bool = False) -> FileResult:
    """Read and extract one file; any failure becomes the result's status, never an exception
    (unless raise_errors)."""
    start = time.perf_counter()
    doc, rows, skipped, status, message, trace = None, [], [], "ok", "", ""
    try:
        doc = read_document(path, manifest)
        if dump_text is not None:
            dump(doc, Path(dump_text))
        rows, skipped = extract_document(doc, options)
        message = warnings_message(path, skipped)
    except Exception as err:  # noqa: BLE001 - one bad file must not stop a batch
        if raise_errors:
            raise
        status = "skipped" if isinstance(err, SkippedFile) else "empty" if isinstance(err, EmptyDocument) else "error"
        message, trace = error_message(path, err), traceback.format_exc()
    # the hash of the bytes decoded, should the file have changed since it was hashed for the reuse check
    info = StoredDocument(doc.sha256 if doc else sha256, fp, doc.format if doc else "", doc.encoding if doc else "",
                          len(doc.text) if doc else 0, len(rows), status, message,
                          round(time.perf_counter() - start, 3), len(skipped), text_hash(doc.text) if doc else "")
    return FileResult(path, info, rows, trace=trace)


def warnings_message(path: Path, skipped: list[tuple[int, int, str]]) -> str:
    """The ledger's message for a document some of whose sentences were left out."""
    if not skipped:
        return ""
    places = ", ".join(f"{start}-{end}" for start, end, _ in skipped[:WARNINGS_LISTED])
    more = f" and {len(skipped) - WARNINGS_LISTED} more" if len(skipped) > WARNINGS_LISTED else ""
    return (f"{path}: {len(skipped)} sentence(s) left out, the rules ran over their CPU time limit on them "
            f"(at {places}{more}); the rest of the document is extracted")


def file_sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""  # read_document reports it


def run_batch(files: list[Path], store: Store, manifest: Manifest | None = None, options: Options = Options(),
              force: bool = False, dump_text: Path | None = None,
              on_result: Callable[[FileResult], None] | None = None, jobs: int = 1, engine: str = "local",
              scheduler: str | None = None) -> list[FileResult]:
    """Extract every file into `store` (each file whole, committed within a second), reusing
    unchanged ones unless `force`; files that failed before are always tried again. With jobs > 1 the files are
    extracted in that many processes, with engine "dask" on a Dask cluster; the store, the
    results and their order are the same. on_result sees each file's rows; the results returned
    leave them out (read them from the store)."""
    results: dict[Path, FileResult] = {}
    todo: list[Job] = []

    def done(result: FileResult) -> None:
        results[result.path] = replace(result, rows=[])  # they are in the store: a batch of any size holds none
        if on_result:
            on_result(result)

    for path in files:
        start = time.perf_counter()
        key, sha, fp = str(path.resolve()), file_sha256(path), fingerprint(path, manifest, options)
        stored = None if force else store.document(key)
        if stored and stored.status not in RETRIED and (stored.sha256, stored.fingerprint) == (sha, fp) \
                and dumped(path, manifest, dump_text if stored.status == "ok" else None):
            done(FileResult(path, replace(stored, seconds=round(time.perf_counter() - start, 3)), [], reused=True))
        else:
            todo.append(Job(path, key, sha, fp))
    for job, result in extracted(todo, manifest, options, dump_text, jobs, engine, scheduler):
        store.save(job.key, job.path.name, result.info, result.rows)
        done(result)
    store.commit()
    return [results[path] for path in files]


def dumped(path: Path, manifest: Manifest | None, dump_text: Path | None) -> bool:
    """The text of an unchanged file written for --dump-text; False if it cannot be read now (it is
    then extracted again, and fails as a file of its own)."""
    if dump_text is None:
        return True
    try:
        dump(read_document(path, manifest), Path(dump_text))
        return True
    except Exception:  # noqa: BLE001 - process_file reports it
        return False


def extracted(todo: list[Job], manifest: Manifest | None, options: Options, dump_text: Path | None, jobs: int,
              engine: str = "local", scheduler: str | None = None):
    """(job, FileResult) of each file to extract, as each is done: in this process, in `jobs`
    processes, or on a Dask cluster (engine "dask": the one at `scheduler`, else a local one of
    `jobs` workers)."""
    if engine == "dask":
        if todo:  # no cluster for a run of unchanged files
            yield from on_dask(todo, manifest, options, dump_text, jobs, scheduler)
        return
    if jobs <= 1 or len(todo) <= 1:
        for job in todo:
            yield job, process_file(job.path, job.sha256, job.fingerprint, manifest, options, dump_text)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from .nlp import load_nlp

    if multiprocessing.get_start_method() == "fork":
        load_nlp(options.model)  # forked workers inherit the loaded pipeline instead of each loading it
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(todo)), initializer=worker_started)
    try:
        futures = {pool.submit(process_file, job.path, job.sha256, job.fingerprint, manifest, options, dump_text): job
                   for job in largest_first(todo)}
        yield from outcomes(futures, as_completed(futures))
    except BaseException:  # Ctrl-C, or the caller stopped: the workers end now, not after their files
        stop_workers(pool)
        raise
    finally:
        pool.shutdown(cancel_futures=True)


PARENT_CHECK_SECONDS = 0.5


def worker_started() -> None:
    """In each worker process: Ctrl-C is the run's to handle (the run stops the workers), and the
    worker ends when the run's process is gone (kill -9), instead of living on, blocked on a pipe
    nobody reads."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch():
        while os.getppid() == started_under:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    started_under = os.getppid()  # the run, or its forkserver, which ends with it
    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def stop_workers(pool) -> None:
    """End the pool's processes at once (Python 3.14 has pool.kill_workers for this)."""
    kill = getattr(pool, "kill_workers", None)
    if kill:
        kill()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.kill()


def largest_first(todo: list[Job]) -> list[Job]:
    """The biggest files first: the processes then finish at about the same time, instead of one
    extracting a long report at the end while the others wait (the results are put back in
    file order)."""
    def size(job: Job) -> int:
        try:
            return job.path.stat().st_size
        except OSError:
            return 0  # process_file reports it
    return sorted(todo, key=size, reverse=True)


def outcomes(futures: dict, finished):
    """(job, FileResult) of each finished future; a worker that died (killed for memory, say)
    makes its file an error to retry, not the end of the run."""
    for future in finished:
        job = futures.pop(future)  # and its result, once saved, is no longer held
        try:
            yield job, future.result()
        except Exception as err:  # noqa: BLE001 - BrokenProcessPool, KilledWorker, ...
            info = StoredDocument(job.sha256, job.fingerprint, "", "", 0, 0, "error",
                                  f"{job.path}: the process extracting it failed ({type(err).__name__}: {err}); "
                                  "run again to retry", 0.0)
            yield job, FileResult(job.path, info, [], trace=traceback.format_exc())


def on_dask(todo: list[Job], manifest: Manifest | None, options: Options, dump_text: Path | None, jobs: int,
            scheduler: str | None):
    """The same per-file work on Dask workers (which read the files themselves: they need the
    paths, the tool and its rules as this machine has them)."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise ValueError("--engine dask needs dask.distributed: pip install 'commitments[dask]'") from None
    cluster = None if scheduler else LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True,
                                                   dashboard_address=None)
    try:
        with Client(scheduler or cluster) as client:
            futures = {client.submit(process_file, job.path.resolve(), job.sha256, job.fingerprint, manifest, options,
                                     dump_text, pure=False): job for job in largest_first(todo)}
            for job, result in outcomes(futures, as_completed(futures)):
                yield job, replace(result, path=job.path)  # the path as named, for the ledger
    except OSError as e:
        raise ValueError(f"Dask scheduler {scheduler or 'local'}: {e}") from None
    finally:
        if cluster is not None:
            cluster.close()


def ledger_records(results: list[FileResult], manifest: Manifest | None = None,
                   orphaned: dict[str, int] | None = None) -> list[tuple]:
    """The run ledger (LEDGER_COLUMNS): one row per input file, in input order; `manifest` is 1
    when a manifest row names the file, 0 when none does, empty without a manifest; `orphaned`
    the corrections of the file whose row is gone (by database key)."""
    orphaned = orphaned or {}
    return [(str(r.path), r.info.sha256, r.info.format, r.info.encoding, r.info.chars, r.info.rows, r.info.status,
             r.info.message, r.info.warnings, r.info.seconds, int(r.reused),
             "" if manifest is None else int(manifest.entry(r.path) is not None),
             orphaned.get(str(r.path.resolve()), 0)) for r in results]
