"""The Commitment record: the contract between extraction and every output."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields
from operator import attrgetter

COLUMNS = ["row_id", "doc", "year", "region", "section", "topic", "work_area", "action", "metric", "metric_key",
           "quantity_text", "value", "value_high", "unit", "kind", "comparator", "aspirational", "status",
           "period", "check", "source", "sentence", "start", "end"]
SOURCES = ("machine", "corrected", "added")  # who gave a row its values: the rules, or a reviewer


def text_hash(text: str) -> str:
    """The hash of a document's decoded text: the same text, whatever file or encoding it came in."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()  # a lone surrogate too


def row_identity(text_sha256: str, start: int, end: int) -> str:
    """A row's id from its document's text and its quantity's span: the same in every run and with
    every version of the rules, as long as the text is the same ('r' first: no spreadsheet reads
    it as a number)."""
    return "r" + hashlib.sha256(f"{text_sha256}:{start}:{end}".encode()).hexdigest()[:16]


@dataclass
class Commitment:
    row_id: str  # row_identity(): corrections refer to it
    doc: str
    year: int | None
    region: str
    section: str
    topic: str
    work_area: str
    action: str
    metric: str
    metric_key: str
    quantity_text: str
    value: float
    value_high: float | None
    unit: str
    kind: str  # change | level
    comparator: str  # = >= <= ~ > <
    aspirational: bool
    status: str  # target | achieved
    period: int | None  # the year the value is for; None when it spans several years
    check: str  # what a reader should check first: borrowed, list, long, verb, magnitude, no_unit, purpose (; between)
    source: str  # machine | corrected | added (SOURCES)
    sentence: str
    start: int
    end: int

    def __reduce__(self):
        """Pickled as its fields in order, not as a dict of them: the parent of --jobs workers
        unpickles every row, a third faster so (and 10% fewer bytes through the pipe)."""
        return Commitment, fields_of(self)


assert [f.name for f in fields(Commitment)] == COLUMNS
fields_of = attrgetter(*COLUMNS)  # a row's values in column order
