"""The per-sentence time limit stops a runaway rule pattern in the main thread, leaves a timer of
the caller's own in place, and does nothing in other threads (where no signal reaches)."""
from __future__ import annotations

import signal
import threading
import time

import pytest
import regex

from pipeline.timelimit import time_limit

RUNAWAY = regex.compile("(?:(?:企|企企)+)+X")  # exponential on a run of 企 without X

pytestmark = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="no SIGALRM on this platform")


def test_a_runaway_pattern_is_stopped_with_the_message():
    started = time.monotonic()
    with pytest.raises(TimeoutError, match="sentence at 3-9"), time_limit(0.2, "the sentence at 3-9"):
        RUNAWAY.search("企" * 60)
    assert time.monotonic() - started < 5


def test_nothing_happens_within_the_limit_and_the_handler_is_put_back():
    before = signal.getsignal(signal.SIGALRM)
    with time_limit(0.5, "never"):
        assert RUNAWAY.search("企企X")
    time.sleep(0.6)  # the timer was cancelled: nothing is raised later
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_timer_of_the_caller_is_put_back_less_the_time_spent():
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(1))
    try:
        signal.setitimer(signal.ITIMER_REAL, 1.0)
        with time_limit(5, "never"):
            time.sleep(0.3)
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 0.5 < left < 0.75
        time.sleep(0.8)
        assert fired == [1]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_in_another_thread_no_limit_is_set():
    outcome = []

    def work():
        with time_limit(0.05, "not here"):
            time.sleep(0.2)
            outcome.append(signal.getitimer(signal.ITIMER_REAL))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert outcome == [(0.0, 0.0)]
