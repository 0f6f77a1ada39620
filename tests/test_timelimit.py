"""The limit on the rules' work counts CPU time: it stops a runaway rule pattern in the main
thread, lets a sentence wait (a loaded machine, a slow disk) as long as it must, leaves a CPU timer
of the caller's own in place, and does nothing in other threads (where no signal reaches)."""
from __future__ import annotations

import signal
import threading
import time

import pytest
import regex

from pipeline.timelimit import SIGNAL, TIMER, CPUTimeExceeded, TimeLimit

RUNAWAY = regex.compile("(?:(?:企|企企)+)+X")  # exponential on a run of 企 without X

pytestmark = pytest.mark.skipif(TIMER is None, reason="no CPU timer (setitimer) on this platform")


def burn(seconds: float) -> None:
    """Use `seconds` of this process's CPU time."""
    until = time.process_time() + seconds
    while time.process_time() < until:
        pass


def test_a_runaway_pattern_is_stopped_with_the_message_of_its_sentence():
    started = time.monotonic()
    with TimeLimit() as limit:
        with limit.on("the sentence at 0-2", 0.2):
            assert RUNAWAY.search("企企X")
        with pytest.raises(CPUTimeExceeded, match="sentence at 3-9"), limit.on("the sentence at 3-9", 0.2):
            RUNAWAY.search("企" * 60)
    assert time.monotonic() - started < 5


def test_waiting_is_not_working():
    # a second of sleep (as a loaded machine or a slow disk makes a sentence wait) within a 0.1 s limit
    with TimeLimit() as limit, limit.on("never", 0.1):
        time.sleep(1.0)


def test_each_block_has_the_whole_limit_and_the_handler_is_put_back():
    before = signal.getsignal(SIGNAL)
    with TimeLimit() as limit:
        for _ in range(3):  # 0.6 s of CPU in all, 0.2 s each
            with limit.on("never", 0.3):
                burn(0.2)
    burn(0.4)  # the timer was cancelled: nothing is raised later
    assert signal.getsignal(SIGNAL) is before
    assert signal.getitimer(TIMER) == (0.0, 0.0)


def test_a_cpu_timer_of_the_caller_is_put_back_less_the_cpu_time_spent():
    fired = []
    previous = signal.signal(SIGNAL, lambda *_: fired.append(1))
    try:
        signal.setitimer(TIMER, 1.0)
        with TimeLimit() as limit, limit.on("never", 5):
            burn(0.3)
        left, _ = signal.getitimer(TIMER)
        assert 0.5 < left < 0.75
        burn(0.8)
        assert fired == [1]
    finally:
        signal.setitimer(TIMER, 0)
        signal.signal(SIGNAL, previous)


def test_in_another_thread_no_limit_is_set():
    outcome = []

    def work():
        with TimeLimit() as limit, limit.on("not here", 0.05):
            burn(0.2)
            outcome.append(signal.getitimer(TIMER))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert outcome == [(0.0, 0.0)]


def test_document_scans_have_a_per_call_timeout_only_where_no_limit_is_set():
    from pipeline.rules import REGEX_TIMEOUT
    from pipeline.timelimit import PER_CALL

    seen = []

    def in_thread():
        with TimeLimit():
            seen.append(PER_CALL.seconds)

    with TimeLimit():
        seen.append(PER_CALL.seconds)
        thread = threading.Thread(target=in_thread)
        thread.start()
        thread.join()
    seen.append(PER_CALL.seconds)
    assert seen == [None, REGEX_TIMEOUT, REGEX_TIMEOUT]


def test_a_slow_model_load_costs_time_not_rows(monkeypatch):
    # loading the pipeline (a slow disk: 5 s of waiting; a slow machine: 1.5 s of CPU) happens
    # before any limit starts: with a 1 s limit per sentence, the first document keeps its rows
    from pipeline import nlp, timelimit
    from pipeline.extraction import extract_text

    real = nlp.new_nlp

    def slow_new_nlp(model):
        time.sleep(5)
        burn(1.5)
        return real(model)

    monkeypatch.setattr(nlp, "new_nlp", slow_new_nlp)
    monkeypatch.setattr(timelimit, "SENTENCE_SECONDS", 1.0)
    monkeypatch.setattr(timelimit, "SCAN_SECONDS", 1.0)
    nlp.loaded_nlp.cache_clear()
    try:
        rows = extract_text("2024年工作安排\n新增国家高新技术企业46家，城镇新增就业1.2万人。\n")
    finally:
        nlp.loaded_nlp.cache_clear()  # the next test loads the pipeline as usual
    assert [(r.metric, r.value) for r in rows] == [("国家高新技术企业", 46), ("城镇新增就业", 12000)]
