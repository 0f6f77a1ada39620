"""A time limit on the rules' work on each sentence.

A pattern that backtracks catastrophically must stop with an error naming the document, not hang
a batch. The regex module's per-call timeout costs about 1 µs a call, more than most matches make
on the short stretches of text the rules read (hundreds of thousands of calls per million
characters), so a timer signal bounds all the work on a sentence instead (and all the work of
reading a document's structure and finding its numbers, in proportion to its length): CPython and
the regex module check for signals while matching.

A signal reaches only the main thread of a process (the CLI, each --jobs worker, the API called
from a script or notebook). In another thread (dask runs its tasks in threads) or without SIGALRM
(Windows) no limit is set: the patterns that scan whole documents (headings, sentence ends,
quantities) then fall back to a per-call timeout (PER_CALL), the rules' patterns have none.
"""
from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager

from .rules import REGEX_TIMEOUT

RULE_SECONDS = 2.0  # the time for one sentence; a runaway pattern takes minutes or years
SCAN_SECONDS_PER_CHAR = 5e-6  # reading a document's structure and numbers takes ~0.3 µs a character


class PerCallTimeout(threading.local):
    """The timeout to give each match of a pattern that scans whole documents: REGEX_TIMEOUT, or
    None while a TimeLimit is set in this thread."""

    seconds: float | None = REGEX_TIMEOUT


PER_CALL = PerCallTimeout()


class TimeLimit:
    """`with TimeLimit(s) as limit:` around a document installs the handler (and holds a timer
    of the caller's own, put back afterwards less the time spent); `with limit.on(message):`
    around each sentence raises TimeoutError(message) once the sentence has taken s seconds.
    Inside, PER_CALL.seconds is None."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.message = ""
        self.active = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()

    def __enter__(self) -> TimeLimit:
        if self.active:
            self.per_call, PER_CALL.seconds = PER_CALL.seconds, None
            self.previous = signal.signal(signal.SIGALRM, self.expired)
            self.started = time.monotonic()
            self.outer = signal.setitimer(signal.ITIMER_REAL, 0)
        return self

    def __exit__(self, *exc) -> None:
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
            PER_CALL.seconds = self.per_call
            delay, interval = self.outer
            if delay:
                left = delay - (time.monotonic() - self.started)
                signal.setitimer(signal.ITIMER_REAL, max(left, 1e-6), interval)

    def expired(self, signum, frame):
        raise TimeoutError(self.message)

    @contextmanager
    def on(self, message: str, seconds: float | None = None):
        """The block may run `seconds` (default: the limit's)."""
        if not self.active:
            yield
            return
        self.message = message
        signal.setitimer(signal.ITIMER_REAL, seconds or self.seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
