"""Undo a print layout. The text of a PDF comes hard-wrapped at a fixed width, with page numbers
between the pages, and a wrap may cut a number or a word (项目总投资339.⏎9亿元, 迁⏎建工作). The
stages read a view of the text with those breaks taken out; its offsets map back to the document,
so that text[start:end] of a row still holds its quantity (then with the break inside it).
"""
from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from typing import Callable

import regex

PAGE_NUMBER = regex.compile(r"^[—–\-－ ]*(?:第\s*)?[0-9０-９]{1,3}\s*(?:页)?[—–\-－ ]*$")
PARAGRAPH_ENDS = "。！？：；"  # a full line ending so (before closing quotes) ends its paragraph
CLOSERS = "”’」』）)】"


@dataclass(frozen=True)
class TextView:
    """`text` is made of runs of the document: run k starts at view offset view_starts[k] and at
    document offset source_starts[k]."""

    text: str
    view_starts: tuple[int, ...] = (0,)
    source_starts: tuple[int, ...] = (0,)

    def source(self, i: int) -> int:
        k = bisect_right(self.view_starts, i) - 1
        return self.source_starts[k] + i - self.view_starts[k]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The document span of view[start:end] (a break inside it is inside the span too)."""
        return self.source(start), self.source(end - 1) + 1


def wrap_width(lines: list[str]) -> int | None:
    """The width of a hard-wrapped text (every full line equally long), else None."""
    lengths = [len(x.strip()) for x in lines if x.strip()]
    if len(lengths) < 20:
        return None
    width = Counter(lengths).most_common(1)[0][0]
    full = [n for n in lengths if width - 2 <= n <= width]
    return width if width >= 20 and len(full) >= 0.5 * len(lengths) else None


def unwrap(text: str, heading: Callable[[str], bool] = lambda line: False) -> TextView:
    """A hard-wrapped text with each full line that does not end its paragraph joined to the next
    line unless that is a heading (blank lines and page numbers between them dropped), and page
    numbers dropped; any other text as it is."""
    lines = text.split("\n")
    width = wrap_width(lines)
    if width is None:
        return TextView(text)
    spans: list[list[int]] = []  # kept [start, end) of the document, in order

    def keep(start: int, end: int) -> None:
        if spans and spans[-1][1] == start:
            spans[-1][1] = end
        elif end > start:
            spans.append([start, end])

    pos, joining, content_end = 0, False, 0
    for line in lines:
        start, pos = pos, min(pos + len(line) + 1, len(text))
        body = line.strip()
        if not body or PAGE_NUMBER.match(body):
            if not body and not joining:
                keep(start, pos)
            continue
        if joining and not heading(body):  # cut the previous line's end (spaces, line break) and this line's indent
            spans[-1][1] = content_end
            keep(start + len(line) - len(line.lstrip()), pos)
        else:
            keep(start, pos)
        content_end = start + len(line.rstrip())
        joining = len(body) >= width - 2 and body.rstrip(CLOSERS)[-1:] not in PARAGRAPH_ENDS
    view_starts, length = [], 0
    for a, b in spans:
        view_starts.append(length)
        length += b - a
    return TextView("".join(text[a:b] for a, b in spans), tuple(view_starts), tuple(a for a, _ in spans))
