"""A time limit on the rules' work on each sentence.

A rule pattern that backtracks catastrophically must stop with an error naming the document, not
hang a batch. The regex module's per-call timeout costs about 1 µs a call, more than most matches
the rules make on their short stretches of text (hundreds of thousands of calls per million
characters), so one timer signal bounds all of a sentence's rule work instead: CPython and the
regex module check for signals while matching. A signal reaches only the main thread of a process
(the CLI, each --jobs worker, the API called from a script or notebook). In another thread (dask
runs its tasks in threads) or without SIGALRM (Windows) no limit is set, and the patterns that scan
whole documents (sentence ends, headings, quantities) keep their per-call timeouts everywhere.
"""
from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager

RULE_SECONDS = 2.0  # the rules' time on one sentence; a runaway pattern takes minutes or years


class TimeLimit:
    """`with TimeLimit(s) as limit:` around a document installs the handler (and holds a timer
    of the caller's own, put back afterwards less the time spent); `with limit.on(message):`
    around each sentence raises TimeoutError(message) once the sentence has taken s seconds."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.message = ""
        self.active = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()

    def __enter__(self) -> TimeLimit:
        if self.active:
            self.previous = signal.signal(signal.SIGALRM, self.expired)
            self.started = time.monotonic()
            self.outer = signal.setitimer(signal.ITIMER_REAL, 0)
        return self

    def __exit__(self, *exc) -> None:
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
            delay, interval = self.outer
            if delay:
                left = delay - (time.monotonic() - self.started)
                signal.setitimer(signal.ITIMER_REAL, max(left, 1e-6), interval)

    def expired(self, signum, frame):
        raise TimeoutError(self.message)

    @contextmanager
    def on(self, message: str):
        if not self.active:
            yield
            return
        self.message = message
        signal.setitimer(signal.ITIMER_REAL, self.seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
