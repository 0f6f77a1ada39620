"""The fast default segmentation and on-demand tags are jieba's own, word for word and tag for tag.

pipeline.nlp segments with rjieba (jieba in Rust) and re-cuts ASCII runs with jieba, and makes the
same Doc as spaCy's own Chinese tokenizer with jieba (tokens and spaces); it tags a
token by running jieba.posseg's dictionary route over the piece of text around it, and its HMM
only on the run of unknown characters that holds the token. Both are speed-ups that must
not change a single word or tag: compared here with jieba.lcut and with jieba.posseg over the
whole sentence, on a table of sentences and on random text.
"""
from __future__ import annotations

import jieba
import jieba.posseg
import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import nlp as nlpmod
from pipeline.hmm import hmm_words
from pipeline.metric import CLAUSE_BREAK
from test_robustness import BLOCKS, DIGITS

SENTENCES = [
    "新增国家高新技术企业46家、“雏鹰计划”企业20家",
    "噪音水平0.6Pa以内的压力传感器",  # a number run into a Latin unit
    "《数字经济发展行动计划（2021-2023年）》",  # a hyphenated year range
    "来源：https://www.pkulaw.com/lar/abc.html 法宝引证码【CLI.12.4638041】",
    "建成4万个以上5G基站，T恤、KTV和B超不是指标",  # Latin letters inside dictionary words
    "国内生产总值增长5%左右；城镇新增就业1200万人以上",
    "ＧＤＰ增长６．５％，ｗｗｗ．ｇｏｖ．ｃｎ",  # full-width
    "  各位代表：\t今年 是 “十四五”规划收官之年\u3000",
    "C++、C#与.NET开发者3000名，R&D经费投入强度2.5%",
    ".𠀀、①项目、Ⅱ类、ｍ³",  # outside jieba's 汉字 range: found by the random test below
    "开设21号店和1号店、第4S店",  # the dictionary words with digits in them
    "一一一000三00000000000",  # an exact tie of routes (一|一一, 一一|一), broken otherwise by rjieba: found by the random test
    "研究研究再研究，谢谢谢谢谢",
]

ASCII = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_+#&%/:@ "
pieces = st.one_of(
    st.sampled_from(BLOCKS),
    st.text(alphabet=DIGITS, min_size=1, max_size=8),
    st.text(alphabet=ASCII, min_size=1, max_size=12),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=6),  # any Unicode; parse() replaces surrogates
    st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FD5), min_size=2, max_size=6),  # unknown words: the HMM
)
texts = st.lists(pieces, max_size=40).map("".join)

pytestmark = pytest.mark.skipif(nlpmod.is_installed(nlpmod.DEFAULT_MODEL),
                                reason="zh_core_web_sm is installed: the jieba default is not what runs here")


def whole_sentence_tags(text: str) -> list[str]:
    """jieba.posseg over the whole text: the tag of the word each character is in."""
    tags = []
    for word, flag in jieba.posseg.lcut(text, HMM=True):
        tags += [flag] * len(word)
    return tags


STOCK = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})  # spaCy's own, with jieba


def check(text: str) -> None:
    assert nlpmod.FastJieba().cut(text) == jieba.lcut(text)
    doc = nlpmod.load_nlp(None)(text)
    assert [(t.text, t.whitespace_) for t in doc] == [(t.text, t.whitespace_) for t in STOCK(text)]
    expected = whole_sentence_tags(text)
    assert [token._.jieba_tag for token in reversed(doc)] == [expected[t.idx] for t in reversed(doc)]
    every_char = nlpmod.PieceTags(text)  # also inside words, each asked first (the HMM runs on its run only)
    assert [every_char.at(i) for i in reversed(range(len(text)))] == expected[::-1]


@pytest.mark.parametrize("text", SENTENCES)
def test_sentences(text):
    check(text)


@settings(max_examples=500, deadline=None)
@given(texts)
def test_random_text(text):
    check(text)


def test_an_ascii_run_is_cut_as_jieba_cuts_it():
    assert nlpmod.FastJieba().cut("噪音水平0.6Pa以内") == ["噪音", "水平", "0.6", "Pa", "以内"]


def test_a_run_of_ascii_digits_is_one_jieba_word():
    # why FastJieba does not re-cut one: jieba's dictionary has no word of two or more digits
    jieba.initialize()
    assert not [w for w in jieba.dt.FREQ if len(w) > 1 and w.isascii() and w.isdigit()]
    assert jieba.lcut("2025") == ["2025"] and nlpmod.FastJieba().cut("增长2025家") == jieba.lcut("增长2025家")


@settings(max_examples=500, deadline=None)
@given(texts)
def test_route_words_are_jiebas_route(text):
    jieba.initialize()
    for piece in jieba.posseg.re_han_internal.findall(text) + nlpmod.JIEBA_HAN.findall(text):
        assert nlpmod.route_words(piece) == nlpmod.jieba_route(piece)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(pieces, st.sampled_from("，,；;：:。！？!?")), max_size=30).map("".join))
def test_a_sentence_cut_after_a_clause_break_has_the_same_words_before_it(text):
    # why extraction.parse_end may parse a sentence only up to the clause of its last number
    nlp = nlpmod.load_nlp(None)
    whole = [(t.idx, t.text) for t in nlp(text)]  # (a space after the cut is no longer there)
    tags = whole_sentence_tags(text)
    for m in CLAUSE_BREAK.finditer(text):
        assert [(t.idx, t.text) for t in nlp(text[:m.end()])] == [w for w in whole if w[0] < m.end()]
        cut = nlpmod.PieceTags(text[:m.end()])
        assert [cut.at(i) for i in range(m.end())] == tags[:m.end()]


COMMON_HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种"
runs = st.lists(st.one_of(st.sampled_from(COMMON_HAN), st.characters(min_codepoint=0x4E00, max_codepoint=0x9FD5),
                          st.sampled_from(["5", "G", "a1", "3.5", "．", "𠀀"])), min_size=1, max_size=9).map("".join)


@settings(max_examples=1000, deadline=None)
@given(runs)
def test_hmm_words_are_jieba_posseg_hmm(run):
    # pipeline.hmm's Viterbi tries only the state pairs with a transition: the same words and tags, ties included
    expected = [(w, f) for w, f in jieba.posseg.dt._POSTokenizer__cut_detail(run)]
    assert hmm_words(run) == expected


@pytest.mark.parametrize("run", ["鄂伦春旗", "嘎查", "苏木镇嘎查村", "甴曱", "龘靐齉"])
def test_hmm_words_on_unknown_words(run):
    assert hmm_words(run) == [(w, f) for w, f in jieba.posseg.dt._POSTokenizer__cut_detail(run)]
