"""The per-sentence time limit stops a runaway rule pattern in the main thread, leaves a timer of
the caller's own in place, and does nothing in other threads (where no signal reaches)."""
from __future__ import annotations

import signal
import threading
import time

import pytest
import regex

from pipeline.timelimit import TimeLimit

RUNAWAY = regex.compile("(?:(?:企|企企)+)+X")  # exponential on a run of 企 without X

pytestmark = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="no SIGALRM on this platform")


def test_a_runaway_pattern_is_stopped_with_the_message_of_its_sentence():
    started = time.monotonic()
    with TimeLimit(0.2) as limit:
        with limit.on("the sentence at 0-2"):
            assert RUNAWAY.search("企企X")
        with pytest.raises(TimeoutError, match="sentence at 3-9"), limit.on("the sentence at 3-9"):
            RUNAWAY.search("企" * 60)
    assert time.monotonic() - started < 5


def test_each_sentence_has_the_whole_limit_and_the_handler_is_put_back():
    before = signal.getsignal(signal.SIGALRM)
    with TimeLimit(0.3) as limit:
        for _ in range(3):  # 0.6 s in all, 0.2 s each
            with limit.on("never"):
                time.sleep(0.2)
    time.sleep(0.4)  # the timer was cancelled: nothing is raised later
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_timer_of_the_caller_is_put_back_less_the_time_spent():
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(1))
    try:
        signal.setitimer(signal.ITIMER_REAL, 1.0)
        with TimeLimit(5) as limit, limit.on("never"):
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
        with TimeLimit(0.05) as limit, limit.on("not here"):
            time.sleep(0.2)
            outcome.append(signal.getitimer(signal.ITIMER_REAL))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert outcome == [(0.0, 0.0)]


def test_document_scans_have_a_per_call_timeout_only_where_no_limit_is_set():
    from pipeline.rules import REGEX_TIMEOUT
    from pipeline.timelimit import PER_CALL

    seen = []

    def in_thread():
        with TimeLimit(1):
            seen.append(PER_CALL.seconds)

    with TimeLimit(1):
        seen.append(PER_CALL.seconds)
        thread = threading.Thread(target=in_thread)
        thread.start()
        thread.join()
    seen.append(PER_CALL.seconds)
    assert seen == [None, REGEX_TIMEOUT, REGEX_TIMEOUT]
