"""jieba.posseg's HMM tagger for words not in its dictionary, with the same tables and results.

jieba's Viterbi tries every pair of (previous, next) states for each character — a character it
has never seen can be any of 256 states — though each state leads to 20 others on average; this
one tries only the pairs that have a transition. The others score minus infinity and can never
win, so the best path, its ties included, is jieba's (tested against jieba.posseg itself).
"""
from __future__ import annotations

from functools import lru_cache

MIN_FLOAT = -3.14e100  # jieba's score of an emission it has never seen


@lru_cache(maxsize=1)
def predecessors() -> dict:
    """state -> the states with a transition into it"""
    import jieba.posseg

    preds = {}
    for before, nexts in jieba.posseg.trans_P.items():
        for after in nexts:
            preds.setdefault(after, []).append(before)
    return preds


def viterbi(obs: str) -> list[tuple[str, str]]:
    """The (position, tag) state of each character on the best path, as jieba.posseg.viterbi's route."""
    import jieba.posseg

    states, start, trans = jieba.posseg.char_state_tab_P, jieba.posseg.start_P, jieba.posseg.trans_P
    emit, every_state = jieba.posseg.emit_P, trans.keys()
    score = {y: start[y] + emit[y].get(obs[0], MIN_FLOAT) for y in states.get(obs[0], every_state)}
    came_from = []
    for char in obs[1:]:
        step, back = best_steps(states.get(char, every_state), char, score)
        if not step:  # no state of the character can follow: jieba then takes any state that can
            step, back = best_steps({y for x in score for y in trans[x]} or every_state, char, score)
        score = step
        came_from.append(back)
    state = max((p, y) for y, p in score.items())[1]
    route = [state]
    for back in reversed(came_from):
        state = back[state]
        route.append(state)
    return route[::-1]


def best_steps(candidates, char: str, score: dict) -> tuple[dict, dict]:
    """The best score of each candidate state that some scored state leads to, and where from."""
    import jieba.posseg

    trans, emit, preds = jieba.posseg.trans_P, jieba.posseg.emit_P, predecessors()
    step, back = {}, {}
    for y in candidates:
        e = emit[y].get(char, MIN_FLOAT)
        best = max(((score[x] + trans[x][y] + e, x) for x in preds.get(y, ()) if x in score), default=None)
        if best:
            step[y], back[y] = best
    return step, back


def hmm_words(text: str) -> list[tuple[str, str]]:
    """(word, tag) of a run of characters that is no dictionary word, as jieba.posseg's __cut_detail."""
    import jieba.posseg as posseg

    words = []
    for block in posseg.re_han_detail.split(text):
        if posseg.re_han_detail.match(block):
            begin = following = 0
            route = viterbi(block)
            for i, (position, tag) in enumerate(route):
                if position == "B":
                    begin = i
                elif position in "ES":
                    words.append((block[begin if position == "E" else i:i + 1], tag))
                    following = i + 1
            if following < len(block):
                words.append((block[following:], route[following][1]))
        else:
            for piece in posseg.re_skip_detail.split(block):
                if piece:
                    words.append((piece, "m" if posseg.re_num.match(piece) else
                                  "eng" if posseg.re_eng.match(piece) else "x"))
    return words
