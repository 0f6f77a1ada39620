"""From files to rows: read, structure, scan, nlp, quantities, commitments, normalize."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import regex
from spacy.language import Language

from .commitments import SentenceReader
from .layout import TextView, unwrap
from .lexicon import lexicon
from .metric import CLAUSE_BREAK
from .nlp import Tokens, load_nlp
from .normalize import TEXT_KEY, normalizer
from .period import period_rules
from .quantities import Quantity, finder
from .read import Document
from .records import Commitment, row_identity, text_hash
from .rules import RulesError
from .structure import Sentence, split, structure_rules
from . import timelimit
from .timelimit import CPUTimeExceeded, TimeLimit


@dataclass(frozen=True)
class Options:
    include_achieved: bool = False
    model: str | None = None  # spaCy pipeline name or path; None: zh_core_web_sm if installed, else jieba
    rules_dir: str | None = None


def sentence_text(text: str) -> str:
    return " ".join(text.split())


def load_rules(options: Options = Options()) -> None:
    """Compile every rules file now, so that a malformed one stops the run before any document,
    with the file named (a missing key or a bad pattern is a RulesError, not a traceback)."""
    try:
        lexicon(options.rules_dir), finder(options.rules_dir), normalizer(options.rules_dir)
        period_rules(options.rules_dir)
        structure_rules(options.rules_dir)
    except RulesError:
        raise
    except (KeyError, TypeError, AttributeError, regex.error) as err:
        where = options.rules_dir or "rules/"
        raise RulesError(f"{where}: a rules file is incomplete or malformed: {type(err).__name__}: {err}") from None


class Extraction(NamedTuple):
    """A document's rows, and the sentences whose rules ran over their CPU time limit (their
    rows are lost, the rest of the document is not): (start, end, message) each."""

    rows: list[Commitment]
    skipped: list[tuple[int, int, str]]


def prepare(options: Options = Options()) -> Language:
    """The rules compiled and the NLP pipeline loaded, with jieba's tables and its tagger: all of
    it before any time limit starts, so that a slow disk or a cold cache costs time, never rows."""
    load_rules(options)
    return load_nlp(options.model)


def extract_document(doc: Document, options: Options = Options()) -> Extraction:
    nlp = prepare(options)
    quantities = finder(options.rules_dir)
    layout = structure_rules(options.rules_dir)
    rows, skipped = [], []
    with TimeLimit() as limit:
        with limit.on("reading the document's structure and numbers took more CPU time than its limit; "
                      "the document is skipped",
                      timelimit.SCAN_SECONDS + timelimit.SCAN_SECONDS_PER_CHAR * len(doc.text)):
            view = unwrap(doc.text, layout.numbered_heading)  # a PDF's wraps out; never joined to a heading
            # the cheap scan: only sentences with a quantity are parsed
            candidates = [(sent, found) for sent in split(view.text, doc.year, layout)
                          if not (sent.part == "appendix" or sent.part == "review" and not options.include_achieved)
                          for found in [quantities.find(view.text, sent.start, sent.end)] if found]
        text_sha256 = text_hash(doc.text)
        for sent, found in candidates:
            try:
                with limit.on("", timelimit.SENTENCE_SECONDS):
                    rows.extend(read_sentence(doc, text_sha256, view, sent, found, nlp, options))
            except CPUTimeExceeded:
                start, end = view.source_span(sent.start, sent.end)
                skipped.append((start, end, f"the rules ran over {timelimit.SENTENCE_SECONDS:g} s of CPU time "
                                            f"on the sentence at {start}-{end}; its rows are left out"))
    return Extraction(drop_second_mentions(rows), skipped)


def row_at(doc: Document, start: int, end: int, options: Options = Options()) -> Commitment | None:
    """The row the rules read for the quantity at doc.text[start:end], whatever the exclusions say
    and metric or not (a row a reviewer adds); None when no quantity spans exactly that."""
    nlp = prepare(options)
    layout = structure_rules(options.rules_dir)
    view = unwrap(doc.text, layout.numbered_heading)
    for sent in split(view.text, doc.year, layout):
        s, e = view.source_span(sent.start, sent.end)
        if s <= start and end <= e:
            found = finder(options.rules_dir).find(view.text, sent.start, sent.end)
            rows = read_sentence(doc, text_hash(doc.text), view, sent, found, nlp, options, every_quantity=True)
            return next((r for r in rows if (r.start, r.end) == (start, end)), None)
    return None


def read_sentence(doc: Document, text_sha256: str, view: TextView, sent: Sentence, found: list[Quantity],
                  nlp: Language, options: Options, every_quantity: bool = False) -> list[Commitment]:
    """The rows of one sentence with quantities: parsed (as far as the rules read) and read."""
    tokens = Tokens(nlp, view.text[sent.start:parse_end(nlp, view.text, sent, found)], sent.start)
    return sentence_rows(doc, text_sha256, view, sent, found, tokens, options, every_quantity)


def parse_end(nlp: Language, text: str, sent: Sentence, found: list[Quantity]) -> int:
    """Where the part of a sentence the rules read ends: after the clause of its last number (no
    rule reads a word beyond it). jieba cuts its words at a clause break, so the words before it
    are the same; a trained pipeline's tags depend on the whole sentence, and it parses all."""
    if nlp.pipeline:
        return sent.end
    m = CLAUSE_BREAK.search(text, found[-1].end, sent.end)
    return m.end() if m else sent.end


def sentence_rows(doc: Document, text_sha256: str, view: TextView, sent: Sentence, found: list[Quantity],
                  tokens: Tokens, options: Options, every_quantity: bool = False) -> list[Commitment]:
    """The rules over one sentence with quantities: its commitments, with document-level fields
    (every_quantity: a row for each quantity, whatever the exclusions say, metric or not: a row a
    reviewer adds)."""
    norm = normalizer(options.rules_dir)
    periods = period_rules(options.rules_dir)
    text = view.text
    reader = SentenceReader(lexicon(options.rules_dir), text, sent.start, sent.end, tokens,
                            achieved=sent.part == "review")
    rows = []
    sentence = sentence_text(text[sent.start:sent.end])
    for f in reader.read(found, every_quantity):
        q = f.quantity
        start, end = view.source_span(q.start, q.end)
        rows.append(Commitment(
            row_id=row_identity(text_sha256, start, end), doc=doc.name, year=doc.year, region=doc.region, section=sent.section, topic=sent.topic,
            work_area=norm.work_area(f.metric, sent.topic, sent.section), action=f.action,
            metric=f.metric, metric_key=norm.metric_key(f.metric, f.action), quantity_text=doc.text[start:end],
            value=q.value, value_high=q.value_high, unit=q.unit, kind=f.kind,
            comparator=f.comparator, aspirational=f.aspirational,
            status="achieved" if sent.part == "review" else "target",
            period=periods.period(text[text.rfind("\n", 0, sent.start) + 1:q.start], text[sent.start:q.start],
                                  sent.topic, sent.section, doc.year, sent.part == "review"),
            check=";".join(sorted(f.flags)), source="machine", sentence=sentence, start=start, end=end))
    return rows


def drop_second_mentions(rows: list[Commitment]) -> list[Commitment]:
    """经济增长预期目标为5%左右 after 国内生产总值增长5%左右: a known indicator's target is one
    row, at its first mention in a section (other metrics may repeat a value for different things);
    a five-year goal and the year's target of the same value are two rows (their periods differ)."""
    seen, out = set(), []
    for r in rows:
        key = (r.status, r.section, r.period, r.metric_key, r.value, r.value_high, r.unit, r.comparator)
        if r.metric_key.startswith(TEXT_KEY) or key not in seen:
            seen.add(key)
            out.append(r)
    return out


def extract_text(text: str, name: str = "text.txt", year: int | None = None, region: str = "",
                 options: Options = Options()) -> list[Commitment]:
    """Rows of one text given as a string (tests, notebooks)."""
    return extract_document(Document(Path(name), text.replace("\r\n", "\n"), year, region), options).rows
