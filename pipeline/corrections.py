"""Corrections a reviewer makes, kept in the database beside the machine's rows and applied to every
output: a row dropped, a field set, a missed row added. They refer to rows by row_id (the
document's text and the quantity's span), so they outlive re-extraction and changed rules; a
correction whose row is gone (the document's text changed, or the rules no longer read that
number) is orphaned: kept, listed, never applied silently to something else.
"""
from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .records import COLUMNS

COMPARATORS = (">=", "<=", "~", ">", "<", "=")
KINDS = ("change", "level")
STATUSES = ("target", "achieved")
# what a row's source becomes when a correction applies to it
CORRECTED, ADDED = "corrected", "added"
ACTIONS = ("drop", "add")  # the fields that are no column


def number(text: str) -> float:
    value = float(text.replace(",", ""))
    if not math.isfinite(value):
        raise ValueError
    return value


def optional(parse: Callable[[str], object]) -> Callable[[str], object]:
    return lambda text: None if text == "" else parse(text)


def one_of(choices: tuple[str, ...]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text not in choices:
            raise ValueError
        return text
    return parse


def text(value: str) -> str:
    return value


def nonempty(value: str) -> str:
    if not value.strip():
        raise ValueError
    return value


def whole(text: str) -> int:
    value = number(text)
    if value != int(value):
        raise ValueError
    return int(value)


# the columns a correction may set, each with what reads its value (ValueError: not a value of it)
FIELDS: dict[str, Callable[[str], object]] = {
    "metric": nonempty, "metric_key": nonempty, "action": text, "work_area": text, "section": text, "topic": text,
    "value": number, "value_high": optional(number), "unit": text, "kind": one_of(KINDS),
    "comparator": one_of(COMPARATORS), "aspirational": one_of(("0", "1")), "status": one_of(STATUSES),
    "period": optional(whole),
}
EXPECTED = {"value": "a number", "value_high": "a number or nothing", "kind": " or ".join(KINDS),
            "comparator": " ".join(COMPARATORS), "aspirational": "0 or 1", "status": " or ".join(STATUSES),
            "period": "a year or nothing", "metric": "a metric (not empty)", "metric_key": "a key (not empty)"}


def parsed(field: str, value: str):
    """The value of a field as a row holds it (aspirational as 0/1)."""
    result = FIELDS[field](value)
    return int(result) if field == "aspirational" else result


@dataclass(frozen=True)
class Correction:
    id: int
    row_id: str
    field: str  # drop | add | a column of FIELDS
    value: str
    note: str
    path: str  # the document's database key
    doc: str
    text_sha256: str  # of the document's text when it was corrected
    start: int | None
    end: int | None
    added: str  # for add: the row the rules read, as JSON of COLUMNS
    created: str  # when (UTC); in no output


INDEX = {c: i for i, c in enumerate(COLUMNS)}


class Held:
    """The corrections of a database, ready to apply to the machine's rows of a document."""

    def __init__(self, corrections: Iterable[Correction]):
        self.all = list(corrections)
        self.dropped = {c.row_id for c in self.all if c.field == "drop"}
        self.fields: dict[str, list[Correction]] = {}
        self.adds: dict[str, list[Correction]] = {}
        for c in self.all:
            if c.field == "add":
                self.adds.setdefault(c.text_sha256, []).append(c)
            elif c.field != "drop":
                self.fields.setdefault(c.row_id, []).append(c)

    def __bool__(self) -> bool:
        return bool(self.all)

    def apply(self, rows: list[tuple], text_sha256: str) -> list[tuple]:
        """A document's rows (COLUMNS values) with its corrections: rows dropped, added rows in
        their place by offset, fields set (the latest correction of a field wins)."""
        machine = {r[INDEX["row_id"]] for r in rows}
        added = [tuple(json.loads(c.added)) for c in self.adds.get(text_sha256, ())
                 if c.row_id not in machine]  # a row the rules read since: theirs, corrected as any
        if added:
            rows = sorted(rows + added, key=lambda r: (r[INDEX["start"]], r[INDEX["end"]]))
        out = []
        for row in rows:
            row_id = row[INDEX["row_id"]]
            if row_id in self.dropped:
                continue
            row = list(row)
            for c in self.fields.get(row_id, ()):
                row[INDEX[c.field]] = parsed(c.field, c.value)
                if row[INDEX["source"]] != ADDED:
                    row[INDEX["source"]] = CORRECTED
            out.append(tuple(row))
        return out

    def orphans(self, row_ids: set[str], texts: set[str]) -> list[Correction]:
        """Corrections whose row is in none of the documents: `row_ids` of the machine's rows,
        `texts` the text hashes of the documents (an added row lives while its text does)."""
        live = set(row_ids) | {c.row_id for c in self.all if c.field == "add" and c.text_sha256 in texts}
        return [c for c in self.all
                if (c.text_sha256 not in texts if c.field == "add" else c.row_id not in live)]


def describe(c: Correction) -> str:
    what = {"drop": "drop", "add": f"add {c.value!r} at {c.start}-{c.end}"}.get(c.field, f"{c.field} = {c.value!r}")
    return f"#{c.id} {c.doc} {c.row_id}: {what}" + (f" ({c.note})" if c.note else "")
