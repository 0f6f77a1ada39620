"""The look-ups made fast for throughput answer as the plain loops they replace did.

Word lists indexed by first and last character, the work area found by scanning back from the
end, indicators found through a phrase index, pattern lists tried through one alternation,
exclusion rules looked up by unit class that ask for the POS tag last: each is compared with the
straightforward definition, on the real rules and on random text.
"""
from __future__ import annotations

import regex
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.exclusions import Exclusions
from pipeline.lexicon import Patterns, Words, lexicon
from pipeline.normalize import normalizer, plain_metric
from pipeline.quantities import finder, parse_quantity
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
    finds = [k for k in (text.find(w, i, len(text) - 1) for w in words if w) if k >= 0]
    assert indexed.first_in(text, i, len(text) - 1) == min(finds, default=-1)


NORM = normalizer()
AREAS = yaml.safe_load((RULES_DIR / "areas.yaml").read_text(encoding="utf-8"))["areas"]
KEYWORDS = sorted({str(k) for area in AREAS for k in area["keywords"]} - {""})
pieces = st.one_of(st.sampled_from(KEYWORDS), st.text(alphabet="的和企业项目", max_size=3))


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
    only = Exclusions([rule])
    not_money = parse_quantity("46家")
    assert only.first_match(not_money, "新增", "企业", tag) is None and asked == []
    money = parse_quantity("700万吨")
    assert only.first_match(money, "推进", "露天矿", tag) is rule and asked == [1]


def test_exclusions_for_a_unit_class_are_the_rules_of_that_class_in_file_order():
    rules = lexicon().exclusions
    for unit_class in ("count", "measure", "rate", "time", "qualifier", "", "no such class"):
        assert list(rules.for_unit_class(unit_class)) == [
            r for r in rules if r.unit_classes is None or unit_class in r.unit_classes]


def plain_first_match(q, before, after, tag, achieved):
    """The definition: the first rule in file order whose every condition holds."""
    for r in lexicon().exclusions:
        if r.unit_classes is not None and q.unit_class not in r.unit_classes or r.targets_only and achieved:
            continue
        if r.quantity is not None and not r.quantity.search(q.plain):
            continue
        found = [p.search(t) is not None for p, t in ((r.before, before), (r.after, after)) if p is not None]
        if (any(found) if r.either else all(found)) and (not r.next_pos or tag().startswith(r.next_pos)):
            return r
    return None


CONTEXTS = ["第", "每", "从", "已达", "到", "去年", "“", "”", "项目", "以上", "强", "的", "届", "企业", "，",
            "（", "）", "提高到", "中国人", "预计", "围绕", "年产", "拥有", "3个", "新增", "、", "内"]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(["46家", "700万吨", "2025年", "3个月", "24小时", "5%", "一个", "10万人", "3公里", "千亿级", "500人"]),
       st.lists(st.sampled_from(CONTEXTS), max_size=4).map("".join),
       st.lists(st.sampled_from(CONTEXTS), max_size=4).map("".join),
       st.sampled_from(["n", "v", "vn", "x"]), st.booleans())
def test_first_exclusion_is_the_plain_definition(quantity, before, after, next_tag, achieved):
    q = parse_quantity(quantity)
    def tag():
        return next_tag
    assert lexicon().exclusions.first_match(q, before, after, tag, achieved) is plain_first_match(
        q, before, after, tag, achieved)


LEADING_TEXT = st.lists(st.sampled_from(["力争", "到", "2025年", "我区", "其中", "和", "新建", "重点", "（改造）",
                                         "一季度", "企业", "、", "1.", "每个企业", "省级", "分别", "x",
                                         "从", "中", "按照", "的", "，", "把", "通过", "建设", "每10"]),
                        max_size=4).map("".join)


@settings(max_examples=400, deadline=None)
@given(LEADING_TEXT)
def test_patterns_from_the_first_match_are_the_plain_loop(text):
    leading = lexicon().leading
    first = next((n for n, p in enumerate(leading) if p.match(text)), len(leading))
    assert leading.from_first_match(text) == list(leading)[first:]
    frames = lexicon().frames
    for s in range(len(text) + 1):
        first = next((n for n, p in enumerate(frames) if p.fullmatch(text, s)), len(frames))
        assert frames.from_first_match(text, s, full=True) == list(frames)[first:]


def test_no_patterns_match_nothing():
    assert Patterns([]).from_first_match("力争") == []


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("新增企业家个%％万亿千百十一两半翻番分之级余多0123456789０９.,-～至 \n")
                                        + ["x", "“", "："]), max_size=30))
def test_a_text_without_a_numeral_character_has_no_quantity(text):
    finder_ = finder()
    if not finder_.numeral_char.search(text):
        assert not list(finder_.pattern.finditer(text))
