"""spaCy over candidate sentences: jieba segmentation, and POS tags and a dependency parse
when a trained Chinese pipeline (zh_core_web_sm or --model PATH) is installed.

Without a trained pipeline, a blank spaCy Chinese pipeline segments with jieba and the
``jieba_pos`` component tags tokens with jieba's POS tags. Nothing is ever downloaded.
"""
from __future__ import annotations

import importlib.util
import logging
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import jieba

DEFAULT_MODEL = "zh_core_web_sm"
jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict" chatter on stderr

if not Doc.has_extension("offset"):
    # where the Doc's text starts in Document.text, so token offsets map back to the document
    Doc.set_extension("offset", default=0)


class ModelError(ValueError):
    """A named spaCy pipeline is not installed, or a path is not a pipeline; the message says which."""


@Language.component("jieba_pos")
def jieba_pos(doc: Doc) -> Doc:
    """Give every token jieba's POS tag (the tag of the jieba word its first character is in)."""
    import jieba.posseg

    tags = [""] * len(doc.text)
    pos = 0
    for word, flag in jieba.posseg.lcut(doc.text, HMM=True):
        tags[pos:pos + len(word)] = [flag] * len(word)
        pos += len(word)
    for token in doc:
        token.tag_ = tags[token.idx] if token.idx < len(tags) else ""
    return doc


def is_installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


@lru_cache(maxsize=4)
def load_nlp(model: str | None = None) -> Language:
    """The spaCy pipeline: `model` (package name or path) if given, else zh_core_web_sm if
    installed, else a blank Chinese pipeline with jieba segmentation and jieba POS tags."""
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
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("jieba_pos")
    return nlp


def parse(nlp: Language, text: str, offset: int) -> Doc:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # a lone surrogate (in a str given to the API; a decoded file has none) cannot be hashed by
        # spaCy: '?' instead, one character for one, so that token offsets stay the document's
        text = text.encode("utf-8", "replace").decode("utf-8")
    doc = nlp(text)
    doc._.offset = offset
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
    """The token's tag in jieba's tag set, whichever pipeline tagged it."""
    return CTB_TO_JIEBA.get(token.tag_, token.tag_)


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
    """Tokens of a sentence's Doc, looked up by document offset."""

    def __init__(self, doc):
        self.offset = doc._.offset
        self.doc = doc
        self.index = [0] * len(doc.text)  # character -> token index
        self.boundaries = set()
        for token in doc:
            self.index[token.idx:token.idx + len(token.text)] = [token.i] * len(token.text)
            s = self.offset + token.idx
            self.boundaries.update((s, s + len(token.text)))

    def covering(self, offset: int):
        i = offset - self.offset
        return self.doc[self.index[i]] if 0 <= i < len(self.index) else None

    def at(self, offset: int):
        """The token that starts at offset, if one does."""
        token = self.covering(offset)
        return token if token is not None and self.start_of(token) == offset else None

    def start_of(self, token) -> int:
        return self.offset + token.idx
