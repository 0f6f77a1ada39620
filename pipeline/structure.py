"""Split a document into sentences that know their section, topic and part (review | plan).

Headings are numbered lines (一、 （一） 1.) or short lines without sentence punctuation.
The part switches from review to plan at the first plan marker (二、2015年工作安排); a report
whose first marker is a review heading starts in the review part, any other text is plan.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from .rules import REGEX_TIMEOUT, Rules, compile_pattern, require, rules_for

SENTENCE_END = regex.compile(r"[。！？!?]+[”’」）)]*")
LEAD_PUNCT = " \t\u3000\ufeff"
HEADING_END = regex.compile(r"[。]")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    section: str  # the nearest level-1 heading
    topic: str  # the nearest lower heading or the paragraph's lead phrase
    part: str  # review | plan


@dataclass(frozen=True)
class Heading:
    start: int
    end: int
    level: int
    text: str


class StructureRules:
    def __init__(self, rules: Rules):
        path = rules.path("structure.yaml")
        data = rules.load("structure.yaml")
        self.headings = []
        for h in data.get("headings") or []:
            require(h, ["level", "pattern"], path)
            self.headings.append((int(h["level"]), compile_pattern(h["pattern"], path, h)))
        self.bare_max = int(data.get("bare_heading_max_chars", 30))
        self.topic_max = int(data.get("topic_max_chars", 30))
        entry = {"name": "structure", "__line__": 1}
        self.review_heading = compile_pattern(data["review_heading"], path, entry)
        self.plan_heading = compile_pattern(data["plan_heading"], path, entry)
        self.review_inline = compile_pattern(data["review_inline"], path, entry)
        self.plan_inline = compile_pattern(data["plan_inline"], path, entry)

    def heading_level(self, line: str) -> int | None:
        for level, pattern in self.headings:
            if pattern.match(line, timeout=REGEX_TIMEOUT):
                return level
        if len(line) <= self.bare_max and not regex.search(r"[。；;，,！？!?：:]$|[。；;]", line) \
                and regex.search(r"\p{Han}", line):
            return 1
        return None


@lru_cache(maxsize=8)
def structure_rules(rules_dir: str | None = None) -> StructureRules:
    return StructureRules(rules_for(rules_dir))


def part_switches(text: str, headings: list[Heading], year: int | None, rules: StructureRules):
    """(offset, part) events in text order."""
    events = []
    for h in headings:
        if rules.review_heading.search(h.text, timeout=REGEX_TIMEOUT):
            events.append((h.start, "review"))
        elif rules.plan_heading.search(h.text, timeout=REGEX_TIMEOUT):
            events.append((h.start, "plan"))
    for m in rules.review_inline.finditer(text, timeout=REGEX_TIMEOUT):
        events.append((m.start(), "review"))
    for m in rules.plan_inline.finditer(text, timeout=REGEX_TIMEOUT):
        y = m.groupdict().get("year")
        if y and year and int(y) < year:
            continue
        events.append((m.start(), "plan"))
    events.sort()
    # review only before the first plan marker: once the plan starts, it runs to the end
    out, seen_plan = [], False
    for offset, part in events:
        if part == "plan":
            seen_plan = True
        elif seen_plan:
            continue
        out.append((offset, part))
    return out


def split(text: str, year: int | None = None, rules: StructureRules | None = None) -> list[Sentence]:
    rules = rules or structure_rules()
    headings: list[Heading] = []
    paragraphs = []  # (body_start, body_end, heading or None)
    pos = 0
    for line in text.split("\n"):
        line_start, pos = pos, pos + len(line) + 1
        stripped = line.lstrip(LEAD_PUNCT)
        start = line_start + len(line) - len(stripped)
        body = stripped.rstrip()
        if not body:
            continue
        end = start + len(body)
        level = rules.heading_level(body)
        heading = None
        if level is not None:
            m = HEADING_END.search(body)
            h_end = start + (m.end() if m else len(body))
            heading = Heading(start, h_end, level, text[start:h_end].rstrip("。"))
            headings.append(heading)
        paragraphs.append((start, end, heading))

    events = part_switches(text, headings, year, rules)
    part = "review" if events and events[0][1] == "review" else "plan"
    next_event = 0
    sentences = []
    section, subheading = "", ""
    for start, end, heading in paragraphs:
        if heading:
            if heading.level == 1:
                section, subheading = heading.text, ""
            else:
                subheading = heading.text
        topic = ""
        for n, (s, t) in enumerate(sentence_spans(text, start, end)):
            while next_event < len(events) and events[next_event][0] < t:
                part = events[next_event][1]
                next_event += 1
            if n == 0 and not heading and t < end:
                lead = text[s:t].rstrip("。")
                if len(lead) <= rules.topic_max and not regex.search(r"\d", lead):
                    topic = lead
            sentences.append(Sentence(s, t, section, subheading or topic, part))
    return sentences


def sentence_spans(text: str, start: int, end: int):
    s = start
    for m in SENTENCE_END.finditer(text, start, end, timeout=REGEX_TIMEOUT):
        yield s, m.end()
        s = m.end()
    if s < end:
        yield s, end
