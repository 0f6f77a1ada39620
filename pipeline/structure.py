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
    part: str  # review | plan | appendix


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
        self.plan_paragraph = compile_pattern(data["plan_paragraph"], path, entry)
        self.period_paragraph = compile_pattern(data["period_paragraph"], path, entry)
        self.review_paragraph = compile_pattern(data["review_paragraph"], path, entry)
        self.appendix = compile_pattern(data["appendix_heading"], path, entry)
        self.speech = compile_pattern(data["speech"], path, entry)
        self.speech_window = int(data.get("speech_window", 3000))

    def heading_level(self, line: str) -> int | None:
        if self.appendix.match(line, timeout=REGEX_TIMEOUT) and len(line) <= self.bare_max:
            return 1  # 附件：名词解释
        for level, pattern in self.headings:
            if pattern.match(line, timeout=REGEX_TIMEOUT):
                return level
        if len(line) <= self.bare_max and not regex.search(r"[。；;，,！？!?：:]", line) \
                and regex.search(r"\p{Han}", line):
            return 1
        return None


@lru_cache(maxsize=8)
def structure_rules(rules_dir: str | None = None) -> StructureRules:
    return StructureRules(rules_for(rules_dir))


YEAR = regex.compile(r"((?:1[89]|20)\d\d)年")


def heading_part(h: Heading, year: int | None, rules: StructureRules) -> str | None:
    """review, plan, appendix or None (the heading does not say)."""
    if rules.appendix.search(h.text, timeout=REGEX_TIMEOUT):
        return "appendix"
    if h.level != 1:
        return None
    if "报告" in h.text:
        return None  # the title: 2025年浙江省政府工作报告
    m = YEAR.search(h.text, timeout=REGEX_TIMEOUT)
    if m and year and regex.search(r"工作|任务|目标|回顾|成就|安排|建议|思路|重点|部署|要求", h.text):
        return "review" if int(m.group(1)) < year else "plan"
    if rules.review_heading.search(h.text, timeout=REGEX_TIMEOUT):
        return "review"
    if rules.plan_heading.search(h.text, timeout=REGEX_TIMEOUT):
        return "plan"
    return None


def part_switches(text: str, headings: list[Heading], year: int | None, rules: StructureRules):
    """(offset, part) events in text order, starting with the part at offset 0."""
    parts = [(h, heading_part(h, year, rules)) for h in headings]
    by_heading = [(h.start, part) for h, part in parts if h.level == 1 or part == "appendix"]
    events = [(offset, part) for offset, part in by_heading if part]
    events += [(m.start(), "review") for m in rules.review_inline.finditer(text, timeout=REGEX_TIMEOUT)]
    dated_plan = False
    for weak, pattern in ((False, rules.plan_inline), (True, rules.plan_paragraph)):
        for m in pattern.finditer(text, timeout=REGEX_TIMEOUT):
            y = m.group("year")
            if y and year and int(y) < year:
                continue
            dated_plan = dated_plan or bool(y)
            section = [part for offset, part in by_heading if offset <= m.start()]
            if not (weak and section and section[-1] == "review"):
                events.append((m.start(), "plan"))
    for m in rules.period_paragraph.finditer(text, timeout=REGEX_TIMEOUT):
        n = m.group("n")
        if n is None or year and 2010 + 5 * "一二三四五六七八九".index(n) >= year:
            events.append((m.start(), "plan"))  # 今后五年; “十五五”时期 in 2026
    events.sort()
    report = dated_plan or any(part == "review" for _, part in events) or \
        bool(rules.speech.search(text[:rules.speech_window], timeout=REGEX_TIMEOUT))
    if not report or not any(part == "plan" for _, part in events):
        return [(0, "plan")] + [e for e in events if e[1] == "appendix"]
    # a report is review before its first plan marker; once the plan starts, it runs to the end
    # (or to an appendix)
    out, seen_plan = [(0, "review")], False
    for offset, part in events:
        if part == "plan":
            seen_plan = True
        elif part == "review" and seen_plan:
            continue
        out.append((offset, part))
    return out


def split(text: str, year: int | None = None, rules: StructureRules | None = None) -> list[Sentence]:
    """Sentences of a text (a PDF's line wraps already taken out by layout.unwrap), each with its
    section, topic and part."""
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
    part, next_event = events[0][1], 1
    sentences = []
    section, subheading = "", ""
    for start, end, heading in paragraphs:
        if heading:
            if heading.level == 1:
                section, subheading = heading.text, ""
            else:
                subheading = heading.text
        topic = ""
        past = past_paragraph(text[start:end], year, rules)
        for n, (s, t) in enumerate(sentence_spans(text, start, end)):
            while next_event < len(events) and events[next_event][0] < t:
                if part == "review" and events[next_event][1] == "plan" and not heading:
                    section, subheading = "", ""  # the plan starts without a heading of its own
                part = events[next_event][1]
                next_event += 1
            if past and part == "plan":
                part_here = "review"
            else:
                part_here = part
            if n == 0 and not heading and t < end:
                lead = text[s:t].rstrip("。")
                if len(lead) <= rules.topic_max and not regex.search(r"\d", lead):
                    topic = lead
            sentences.append(Sentence(s, t, section, subheading or topic, part_here))
    return sentences


def past_paragraph(paragraph: str, year: int | None, rules: StructureRules) -> bool:
    """过去一年，我们… / 2023年，我们…: a paragraph of past results."""
    m = rules.review_paragraph.match(paragraph, timeout=REGEX_TIMEOUT)
    if not m:
        return False
    y = m.groupdict().get("year")
    return not (y and year and int(y) >= year)


def sentence_spans(text: str, start: int, end: int):
    s = start
    for m in SENTENCE_END.finditer(text, start, end, timeout=REGEX_TIMEOUT):
        yield s, m.end()
        s = m.end()
    if s < end:
        yield s, end
