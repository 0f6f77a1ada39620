"""spaCy over candidate sentences: jieba segmentation, and POS tags and a dependency parse
when a trained Chinese pipeline (zh_core_web_sm or --model PATH) is installed.

Without a trained pipeline, a blank spaCy Chinese pipeline segments with jieba (computed by
rjieba) and a token's ``._.jieba_tag`` is jieba's POS tag, tagged on demand. Nothing is ever
downloaded.
"""
from __future__ import annotations

import gc
import importlib.util
import logging
from bisect import bisect_right
from functools import cached_property, lru_cache
from itertools import accumulate
from pathlib import Path

import regex
import spacy
from spacy.attrs import IDX, LENGTH
from spacy.lang.zh import ChineseTokenizer
from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.util import get_words_and_spaces

import jieba

from .hmm import hmm_words
from .jieba_tables import load_jieba_tables

DEFAULT_MODEL = "zh_core_web_sm"
jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict" chatter on stderr

if not Doc.has_extension("offset"):
    # where the Doc's text starts in Document.text, so token offsets map back to the document
    Doc.set_extension("offset", default=0)


class ModelError(ValueError):
    """A named spaCy pipeline is not installed, or a path is not a pipeline; the message says which."""


JIEBA_HAN = regex.compile("[\u4E00-\u9FD5]+")  # the characters jieba's dictionary and HMM treat as 汉字
LETTER = regex.compile("[A-Za-z]")
# a repetition (一一一, ABAB): words that are powers of one string (一|一一, 一一|一) can tie exactly
# for the best route, and rjieba breaks such a tie otherwise than jieba (一一一000: 一|一一)
REPETITION = regex.compile(r"([\u4E00-\u9FD5])\1\1|([\u4E00-\u9FD5]{2,4})\2")


def ascii_digits(word: str) -> bool:
    """A run of ASCII digits: no word of jieba's dictionary has two of them (tested)."""
    return word.isascii() and word.isdigit()


class FastJieba:
    """jieba's segmentation (dictionary, DAG and HMM) computed by rjieba, jieba in Rust: the same
    words ~8x faster. A word with anything but those 汉字 in it is re-cut by jieba itself, whose
    rules for other characters differ (0.6Pa -> 0.6|Pa, 2021-2023 -> 2021|-|2023, .𠀀 -> .|𠀀).
    What becomes of each word is kept: a corpus uses the same words over and over."""

    KEPT = 200_000  # words kept; the memory starts over beyond that

    def __init__(self):
        import rjieba

        self.rust_cut = rjieba.cut
        self.pieces_of: dict[str, tuple[str, ...]] = {}

    @staticmethod
    def pieces(word: str) -> tuple[str, ...]:
        """The word as jieba cuts it."""
        # a run of ASCII digits, the commonest such word, is one word for jieba too: not re-cut
        if len(word) > 1 and not JIEBA_HAN.fullmatch(word) and not word.isspace() and not ascii_digits(word):
            return tuple(jieba.lcut(word))
        return (word,)

    def cut(self, text: str, cut_all: bool = False) -> list[str]:
        if REPETITION.search(text):
            return jieba.lcut(text)
        pieces_of = self.pieces_of
        if len(pieces_of) >= self.KEPT:
            pieces_of.clear()
        words = []
        for word in self.rust_cut(text, True):
            pieces = pieces_of.get(word)
            if pieces is None:
                pieces = pieces_of[word] = self.pieces(word)
            words += pieces
        return words


class JiebaTokenizer(ChineseTokenizer):
    """spaCy's Chinese tokenizer with jieba's words from FastJieba. A text without whitespace (most
    sentences) needs no re-alignment of words and spaces (spaCy's get_words_and_spaces, which
    slices the text once per word): its words are its tokens, none followed by a space."""

    def __init__(self, vocab):
        super().__init__(vocab, segmenter="jieba")
        self.jieba_seg = FastJieba()

    def __call__(self, text: str) -> Doc:
        words = [w for w in self.jieba_seg.cut(text) if w]
        if text.split() == [text]:
            return Doc(self.vocab, words=words, spaces=[False] * len(words))
        words, spaces = get_words_and_spaces(words, text)
        return Doc(self.vocab, words=words, spaces=spaces)


@spacy.registry.tokenizers("commitments.jieba_tokenizer.v1")
def jieba_tokenizer():
    """The tokenizer of the default pipeline: spacy.blank("zh") with this in its config."""
    return lambda nlp: JiebaTokenizer(nlp.vocab)


class PieceTags:
    """jieba's POS tags of a text, tagged piece by piece as they are asked for. jieba.posseg cuts a
    text at every character outside 汉字/ASCII letters and digits and tags each piece alone, so
    tagging the piece around a character gives the tag that tagging the whole text would; the HMM
    tagger is slow and the rules ask about a few tokens only."""

    def __init__(self, text: str):
        import jieba.posseg

        self.text = text
        self.ends = list(accumulate(map(len, jieba.posseg.re_han_internal.split(text))))  # of each piece
        self.tags = {}  # character offset -> tag, for the words tagged so far

    def at(self, i: int) -> str:
        """The tag of the jieba word that character i is in."""
        import jieba.posseg

        if i not in self.tags and 0 <= i < len(self.text):
            k = bisect_right(self.ends, i)
            pos = self.ends[k - 1] if k else 0
            piece = self.text[pos:self.ends[k]]
            words = (dag_tags(piece, i - pos) if jieba.posseg.re_han_internal.fullmatch(piece)
                     else jieba.posseg.lcut(piece, HMM=True))  # spaces and punctuation: no HMM
            for word, flag in words:
                if flag is not None:
                    self.tags.update((j, flag) for j in range(pos, pos + len(word)))
                pos += len(word)
        return self.tags.get(i, "")


def dag_tags(piece: str, wanted: int) -> list[tuple[str, str | None]]:
    """jieba.posseg's (word, tag) of one piece of 汉字, letters and digits, as its __cut_DAG makes
    them: the dictionary's route, and a run of single characters that is no dictionary word tagged
    by the HMM. The HMM, the slow part, runs only on the run that holds character `wanted`; other
    such runs are one (run, None)."""
    import jieba.posseg

    tagger = jieba.posseg.dt
    tagger.makesure_userdict_loaded()
    tag_of_word, freq = tagger.word_tag_tab, jieba.dt.FREQ
    out = []

    def add_run(s: int, e: int):
        run = piece[s:e]
        if len(run) == 1:
            out.append((run, tag_of_word.get(run, "x")))
        elif freq.get(run):
            out.extend((c, tag_of_word.get(c, "x")) for c in run)
        elif s <= wanted < e:
            out.extend(hmm_words(run))  # jieba.posseg's HMM
        else:
            out.append((run, None))

    x = run_start = 0
    for word in route_words(piece):
        if len(word) > 1:
            if run_start < x:
                add_run(run_start, x)
            out.append((word, tag_of_word.get(word, "x")))
            run_start = x + len(word)
        x += len(word)
    if run_start < len(piece):
        add_run(run_start, len(piece))
    return out


def route_words(piece: str) -> list[str]:
    """The words of jieba's dictionary route through a piece (its DAG and calc, no HMM). rjieba
    computes the same route ~6x faster (tested on every piece of the corpus) but joins runs of
    single letters and digits into one word: with no letters in the piece, such a run is digits,
    which no dictionary word of jieba's begins with but 1号店, and is cut back into single
    characters; with letters, or a repetition (see REPETITION), jieba computes the route."""
    if not LETTER.search(piece) and not REPETITION.search(piece):
        import rjieba

        words = []
        for word in rjieba.cut(piece, False):
            words.extend(word if len(word) > 1 and ascii_digits(word) else (word,))
        return words
    return jieba_route(piece)


def jieba_route(piece: str) -> list[str]:
    """jieba's own dictionary route through a piece, computed by jieba."""
    route = {}
    jieba.dt.calc(piece, jieba.dt.get_DAG(piece), route)
    words, x = [], 0
    while x < len(piece):
        words.append(piece[x:route[x][1] + 1])
        x += len(words[-1])
    return words


def jieba_tag(token) -> str:
    """jieba's POS tag of the jieba word the token's first character is in."""
    data = token.doc.user_data
    if "jieba_tags" not in data:
        # parse() keeps the text it parsed; doc.text would be joined from Token objects
        data["jieba_tags"] = PieceTags(data.get("text") or token.doc.text)
    return data["jieba_tags"].at(token.idx)


if not Token.has_extension("jieba_tag"):
    Token.set_extension("jieba_tag", getter=jieba_tag)


def is_installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def load_nlp(model: str | None = None) -> Language:
    """The spaCy pipeline: `model` (package name or path) if given, else zh_core_web_sm if
    installed, else a blank Chinese pipeline with jieba segmentation and jieba POS tags."""
    return loaded_nlp(model or None)  # one cached pipeline for load_nlp() and load_nlp(None)


@lru_cache(maxsize=4)
def loaded_nlp(model: str | None) -> Language:
    nlp = new_nlp(model)
    warm_up(nlp)
    # what is loaded by now (the pipeline, jieba's tables, the rules) lives as long as the process:
    # the garbage collector's full passes, ~80 ms each on that heap, leave it alone from here on
    # (and forked --jobs workers share its memory pages instead of copying them)
    gc.freeze()
    return nlp


def warm_up(nlp: Language) -> None:
    """Load now what the first sentence would load on its way (rjieba's dictionary, jieba.posseg's
    tagger and HMM tables, a trained pipeline's first run), outside any time limit."""
    doc = parse(nlp, "力争新增就业岗位10万个", 0)
    for token in doc:
        tag_of(token)
    tag_of_text("新增")


def new_nlp(model: str | None) -> Language:
    if model:
        try:
            return spacy.load(model)
        except (OSError, ValueError) as err:
            if Path(model).exists():  # a path, but no meta.json/config.cfg, or a broken config
                raise ModelError(f"{model!r} is not a spaCy pipeline directory (one saved with "
                                 f"nlp.to_disk): {' '.join(str(err).split())[:200]}") from None
            if not isinstance(err, OSError):
                raise
            raise ModelError(f"spaCy pipeline {model!r} is not installed and is never downloaded; "
                             f"install it with pip (e.g. pip install ./{model}.whl) or give a path") from None
    if is_installed(DEFAULT_MODEL):
        return spacy.load(DEFAULT_MODEL)
    load_jieba_tables()  # with the model, not at the first word or tag
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "commitments.jieba_tokenizer.v1"}}})
    # the rules read a token's text, offset and jieba tag, never a lexical attribute (shape, norm,
    # like_num, …): the vocabulary computes none, so that each new word costs a table entry, not
    # 23 Python calls (a tenth of a first pass over a corpus). A trained pipeline keeps its own.
    nlp.vocab.lex_attr_getters = {}
    return nlp


def parse(nlp: Language, text: str, offset: int) -> Doc:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # a lone surrogate (in a str given to the API; a decoded file has none) cannot be hashed by
        # spaCy: '?' instead, one character for one, so that token offsets stay the document's
        text = text.encode("utf-8", "replace").decode("utf-8")
    doc = nlp(text) if nlp.pipeline else nlp.make_doc(text)  # the same Doc; a blank pipeline has no steps
    doc._.offset = offset
    doc.user_data["text"] = text
    return doc


# Trained pipelines tag with the Penn Chinese Treebank set; the rules speak jieba's tags.
CTB_TO_JIEBA = {"NN": "n", "NR": "nr", "NT": "t", "PN": "r", "VV": "v", "VC": "v", "VE": "v", "VA": "a",
                "AD": "d", "P": "p", "BA": "p", "LB": "p", "SB": "p", "CC": "c", "CS": "c", "DEC": "uj",
                "DEG": "uj", "DER": "ud", "DEV": "ud", "AS": "ul", "SP": "y", "MSP": "u", "ETC": "u",
                "CD": "m", "OD": "m", "M": "q", "LC": "f", "PU": "x", "JJ": "a", "FW": "eng", "IJ": "e",
                "ON": "o", "URL": "x"}
VERB_TAGS = ("v", "vd", "vi", "vg")
NOMINAL_TAGS = ("vn", "eng", "j", "l", "i", "an", "b", "s")


def tag_of(token) -> str:
    """The token's tag in jieba's tag set: a trained pipeline's tag mapped, else jieba's."""
    return CTB_TO_JIEBA.get(token.tag_, token.tag_) if token.tag_ else token._.jieba_tag


def is_verb(token) -> bool:
    """jieba tags verbs v/vd/vi (vn is a verbal noun)."""
    return is_verb_tag(tag_of(token))


def is_verb_tag(tag: str) -> bool:
    return tag in VERB_TAGS


def is_nominal_tag(tag: str) -> bool:
    """Nouns, verbal nouns, names and Latin words (n*, vn, eng, j, …)."""
    return tag[:1] == "n" or tag in NOMINAL_TAGS


def tag_of_text(text: str) -> str:
    """jieba's tag of the first word of a short text: for words that a token boundary split."""
    import jieba.posseg

    for word, flag in jieba.posseg.lcut(text, HMM=True):
        return flag
    return ""


class Tokens:
    """Tokens of a sentence, looked up by document offset. The sentence is parsed when a rule
    first asks about its tokens: one whose quantities all fall to exclusions (a third of the
    sentences with a number) never is."""

    def __init__(self, nlp: Language, text: str, offset: int):
        self.nlp, self.text, self.offset = nlp, text, offset

    @cached_property
    def doc(self) -> Doc:
        return parse(self.nlp, self.text, self.offset)

    @cached_property
    def spans(self):
        return self.doc.to_array([IDX, LENGTH]).reshape(-1, 2)  # no Token objects

    @cached_property
    def starts(self) -> dict[int, int]:
        """document offset -> index of the token that starts there"""
        starts = (self.spans[:, 0] + self.offset).tolist()
        return dict(zip(starts, range(len(starts))))

    @cached_property
    def boundaries(self) -> set[int]:
        out = set(self.starts)
        out.update((self.spans[:, 0] + self.spans[:, 1] + self.offset).tolist())
        return out

    def at(self, offset: int):
        """The token that starts at offset, if one does."""
        i = self.starts.get(offset)
        return None if i is None else self.doc[i]
