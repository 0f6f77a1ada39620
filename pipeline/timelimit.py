"""A time limit on the rules' work on one sentence.

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


@contextmanager
def time_limit(seconds: float, message: str):
    """Raise TimeoutError(message) in the block once it has run `seconds` (main thread only).
    A timer set by the caller's own code is put back, less the time spent here."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame):
        raise TimeoutError(message)

    previous = signal.signal(signal.SIGALRM, expired)
    started = time.monotonic()
    outer_delay, outer_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_delay:
            left = outer_delay - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-6), outer_interval)
