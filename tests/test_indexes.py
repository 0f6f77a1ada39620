"""The look-ups made fast for throughput answer as the plain loops they replace did.

Word lists indexed by first and last character, the work area found by scanning back from the
end, one pattern for all indicators, and exclusion rules that ask for the POS tag last: each is
compared with the straightforward definition, on the real rules and on random text.
"""
from __future__ import annotations

import regex
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.exclusions import Exclusion
from pipeline.lexicon import Words, lexicon
from pipeline.normalize import normalizer, plain_metric
from pipeline.quantities import parse_quantity
from pipeline.rules import RULES_DIR

SMALL = "ab的增长"
words_lists = st.lists(st.text(alphabet=SMALL, max_size=4), max_size=12)


@settings(max_examples=300, deadline=None)
@given(words_lists, st.text(alphabet=SMALL, max_size=10), st.integers(0, 10))
def test_words_starting_and_ending_are_the_plain_loops(words, text, i):
    indexed = Words(words)
    assert indexed.starting(text, i) == [w for w in words if w and text.startswith(w, i)]
    assert indexed.ending(text) == [w for w in words if w and text.endswith(w)]
    assert list(indexed) == [w for w in words if w]


NORM = normalizer()
KEYWORDS = [(k, area) for area_words in [NORM.keywords_by_last[c] for c in sorted(NORM.keywords_by_last)]
            for k, area in area_words]
pieces = st.one_of(st.sampled_from([k for k, _ in KEYWORDS]), st.text(alphabet="的和企业项目", max_size=3))


AREAS = yaml.safe_load((RULES_DIR / "areas.yaml").read_text(encoding="utf-8"))["areas"]


def area_by_rfind(text: str) -> str:
    """The definition: the keyword whose last occurrence ends latest, the longest on ties, then the
    first in the rules file."""
    best = None
    for area in AREAS:
        for keyword in map(str, area["keywords"]):
            i = text.rfind(keyword)
            if keyword and i >= 0 and (best is None or (i + len(keyword), len(keyword)) > best[0]):
                best = ((i + len(keyword), len(keyword)), area["name"])
    return best[1] if best else ""


@settings(max_examples=200, deadline=None)
@given(st.lists(pieces, max_size=5).map("".join))
def test_area_is_the_keyword_ending_latest(text):
    assert NORM.area_in(text) == area_by_rfind(text)


SCOPE = ["全市", "全年", "今年", ""]
SUFFIX = ["", "总量", "增长", "目标", "增速"]
PHRASES = sorted({p for _, _, pattern in NORM.indicators
                  for p in regex.search(r"\(\?:\(\?:.*?\)\)\*\(\?:(.*)\)\(\?:", pattern.pattern).group(1).split("|")})


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SCOPE), st.sampled_from(PHRASES), st.sampled_from(SUFFIX))
def test_metric_key_is_the_first_indicator_that_matches(scope, phrase, suffix):
    text = plain_metric(scope + regex.sub(r"\\(.)", r"\1", phrase) + suffix)
    first = next((key for key, _, pattern in NORM.indicators if regex.fullmatch(pattern.pattern, text)), None)
    key = NORM.metric_key(text)
    assert key == first if first else key.startswith("text:")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([regex.sub(r"\\(.)", r"\1", p) for p in PHRASES] + SCOPE + SUFFIX + ["的", "新增", "率", "“"]),
                max_size=4).map("".join))
def test_metric_key_of_any_wording_is_the_first_indicator_that_matches(text):
    first = next((key for key, _, pattern in NORM.indicators if regex.fullmatch(pattern.pattern, plain_metric(text))), None)
    key = NORM.metric_key(text)
    assert key == first if first else key.startswith("text:")


def test_an_exclusion_asks_for_the_tag_only_when_the_rest_holds():
    asked = []

    def tag():
        asked.append(1)
        return "n"

    rule = next(r for r in lexicon().exclusions if r.next_pos and r.quantity is not None)
    assert isinstance(rule, Exclusion)
    not_money = parse_quantity("46家")
    assert not rule.matches(not_money, "新增", "企业", tag) and asked == []
    money = parse_quantity("700万吨")
    assert rule.matches(money, "推进", "露天矿", tag) and asked == [1]
