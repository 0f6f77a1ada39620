"""A limit on the CPU time of the rules' work on each sentence.

A pattern that backtracks catastrophically must stop with a warning naming the place, not hang a
batch. The limit counts the CPU time this process spends (ITIMER_PROF), not the time on the clock:
a loaded machine, a slow disk or a cold cache make a sentence wait, not work, so the rows never
depend on them. Models, jieba's tables and the rules are loaded before any limit starts
(extraction.prepare), and the limits are wide: SENTENCE_SECONDS is over 50 times the CPU time of
the slowest sentence of ../shared/corpus (benchmarks/sentence_cpu.py measures it).

The regex module's per-call timeout costs about 1 µs a call, more than most matches make on the
short stretches of text the rules read, so a timer signal bounds all the work on a sentence
instead (and all the work of reading a document's structure and finding its numbers, in
proportion to its length): CPython and the regex module check for signals while matching.

A signal reaches only the main thread of a process (the CLI, each --jobs worker, the API called
from a script or notebook). In another thread (dask runs its tasks in threads) or without
setitimer (Windows) no limit is set: the patterns that scan whole documents (headings, sentence
ends, quantities) then fall back to the regex module's per-call timeout (PER_CALL, which counts
time on the clock, and is wide for that reason), the rules' patterns have none.
"""
from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager

from .rules import REGEX_TIMEOUT

# CPU seconds for the rules' work on one sentence: the slowest sentence of ../shared/corpus takes
# 8 ms (a 791-character sentence of fangchenggang_2024; 26,420 sentences measured), a runaway
# pattern minutes or years
SENTENCE_SECONDS = 5.0
# reading a document's structure and finding its numbers: at most 1.1 µs of CPU a character
# (plan12_national, 0.04 s in all), about 0.3 µs on average
SCAN_SECONDS, SCAN_SECONDS_PER_CHAR = 10.0, 1e-4
TIMER, SIGNAL = (signal.ITIMER_PROF, signal.SIGPROF) if hasattr(signal, "ITIMER_PROF") else (None, None)


class CPUTimeExceeded(TimeoutError):
    """The work in a TimeLimit block took more CPU time than it was given."""


class PerCallTimeout(threading.local):
    """The timeout to give each match of a pattern that scans whole documents: REGEX_TIMEOUT, or
    None while a TimeLimit is set in this thread."""

    seconds: float | None = REGEX_TIMEOUT


PER_CALL = PerCallTimeout()


class TimeLimit:
    """`with TimeLimit() as limit:` around a document installs the handler (and holds a CPU timer
    of the caller's own, put back afterwards less the CPU time spent); `with limit.on(message,
    seconds):` around each sentence raises CPUTimeExceeded(message) once the block has used
    `seconds` of the process's CPU time. Inside, PER_CALL.seconds is None."""

    def __init__(self):
        self.message = ""
        self.active = TIMER is not None and threading.current_thread() is threading.main_thread()

    def __enter__(self) -> TimeLimit:
        if self.active:
            self.per_call, PER_CALL.seconds = PER_CALL.seconds, None
            self.previous = signal.signal(SIGNAL, self.expired)
            self.started = time.process_time()
            self.outer = signal.setitimer(TIMER, 0)
        return self

    def __exit__(self, *exc) -> None:
        if self.active:
            signal.setitimer(TIMER, 0)
            signal.signal(SIGNAL, self.previous)
            PER_CALL.seconds = self.per_call
            delay, interval = self.outer
            if delay:
                left = delay - (time.process_time() - self.started)
                signal.setitimer(TIMER, max(left, 1e-6), interval)

    def expired(self, signum, frame):
        raise CPUTimeExceeded(self.message)

    @contextmanager
    def on(self, message: str, seconds: float):
        """The block may use `seconds` of CPU time."""
        if not self.active:
            yield
            return
        self.message = message
        signal.setitimer(TIMER, seconds)
        try:
            yield
        finally:
            signal.setitimer(TIMER, 0)
