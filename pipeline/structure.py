"""Split a document into sentences that know their section, topic and part (review | plan).

Headings are numbered lines (一、 （一） 1.) or short lines without sentence punctuation.
The part switches from review to plan at the first plan marker (二、2015年工作安排); a report
whose first marker is a review heading starts in the review part, any other text is plan.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

import regex

from .rules import Rules, compile_pattern, require, rules_for
from .timelimit import PER_CALL

SENTENCE_END = regex.compile(r"[。！？!?]+[”’」）)]*")
LEAD_PUNCT = " \t\u3000\ufeff"
HEADING_END = regex.compile(r"[。]")
SENTENCE_PUNCT = regex.compile(r"[。；;，,！？!?：:]")  # a line with none may be a bare heading
HAN = regex.compile(r"\p{Han}")
DIGIT = regex.compile(r"\d")
# a heading about the year's work (an annex titled 2026年省十件民生实事 is plan text again)
WORK_WORDS = regex.compile(r"工作|任务|目标|回顾|成就|安排|建议|思路|重点|部署|要求|实事")
# where a sentence longer than max_sentence_chars is cut, best first
CLAUSE_CUTS = ("；;", "，：:", "、 \u3000\t")
NUMBER_CHARS = frozenset("0123456789０１２３４５６７８９.．,%％点零〇○一二两三四五六七八九十百千万亿")
SCAN_CHUNK = 1_000_000  # characters: a pattern scans a document in pieces of this size


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
        self.period_heading = compile_pattern(data["period_heading"], path, entry)
        self.review_paragraph = compile_pattern(data["review_paragraph"], path, entry)
        self.appendix = compile_pattern(data["appendix_heading"], path, entry)
        self.speech = compile_pattern(data["speech"], path, entry)
        self.speech_window = int(data.get("speech_window", 3000))
        self.max_sentence = max(20, int(data.get("max_sentence_chars", 1000)))

    def numbered_heading(self, line: str) -> bool:
        """一、… or （二）…: a heading by its number, whatever its length (a wrapped line's end is no
        heading of this kind, while it may be as short as a bare heading or start with 2.5亿元)."""
        return any(level <= 2 and pattern.match(line, timeout=PER_CALL.seconds) for level, pattern in self.headings)

    def heading_level(self, line: str) -> int | None:
        if self.appendix.match(line, timeout=PER_CALL.seconds) and len(line) <= self.bare_max:
            return 1  # 附件：名词解释
        for level, pattern in self.headings:
            if pattern.match(line, timeout=PER_CALL.seconds):
                return level
        if len(line) <= self.bare_max and not SENTENCE_PUNCT.search(line) and HAN.search(line):
            return 1
        return None


@lru_cache(maxsize=8)
def structure_rules(rules_dir: str | None = None) -> StructureRules:
    return StructureRules(rules_for(rules_dir))


YEAR = regex.compile(r"((?:1[89]|20)\d\d)年")


def heading_part(h: Heading, year: int | None, rules: StructureRules) -> str | None:
    """review, plan, appendix or None (the heading does not say)."""
    if rules.appendix.search(h.text, timeout=PER_CALL.seconds):
        return "appendix"
    if h.level != 1:
        return None
    if "报告" in h.text:
        return None  # the title: 2025年浙江省政府工作报告
    m = YEAR.search(h.text, timeout=PER_CALL.seconds)
    if m and year and WORK_WORDS.search(h.text):
        return "review" if int(m.group(1)) < year else "plan"
    if rules.review_heading.search(h.text, timeout=PER_CALL.seconds):
        return "review"
    if rules.plan_heading.search(h.text, timeout=PER_CALL.seconds):
        return "plan"
    period = rules.period_heading.search(h.text, timeout=PER_CALL.seconds)
    if period and year and plan_period_end(period.group("n")) >= year:
        return "plan"
    return None


def plan_period_end(n: str) -> int:
    """The last year of the five-year plan 十N五: 十一五 ends in 2010, 十四五 in 2025."""
    return 2010 + 5 * "一二三四五六七八九".index(n)


def part_switches(text: str, headings: list[Heading], year: int | None, rules: StructureRules):
    """(offset, part) events in text order, starting with the part at offset 0."""
    parts = [(h, heading_part(h, year, rules)) for h in headings]
    by_heading = [(h.start, part) for h, part in parts if h.level == 1 or part == "appendix"]
    events = [(offset, part) for offset, part in by_heading if part]
    heading_offsets = [offset for offset, _ in by_heading]
    events += [(m.start(), "review") for m in scan(rules.review_inline, text, "review_inline")]
    dated_plan = False
    for weak, name in ((False, "plan_inline"), (True, "plan_paragraph")):
        for m in scan(getattr(rules, name), text, name):
            y = m.group("year")
            if y and year and int(y) < year:
                continue
            dated_plan = dated_plan or bool(y)
            k = bisect_right(heading_offsets, m.start())  # the section the marker is in
            if not (weak and k and by_heading[k - 1][1] == "review"):
                events.append((m.start(), "plan"))
    for m in scan(rules.period_paragraph, text, "period_paragraph"):
        n = m.group("n")
        if n is None or year and plan_period_end(n) >= year:
            events.append((m.start(), "plan"))  # 今后五年; “十五五”时期 in 2026
    events.sort()
    report = dated_plan or any(part == "review" for _, part in events) or \
        bool(rules.speech.search(text[:rules.speech_window], timeout=PER_CALL.seconds))
    if not report or not any(part == "plan" for _, part in events):
        # (an annex of indicators after a policy's 附件 heading is plan again: 包头市数字政府建设考评指标)
        return [(0, "plan")] + [e for e in events if e[1] in ("appendix", "plan")]
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
        for n, (s, t) in enumerate(sentence_spans(text, start, end, rules.max_sentence)):
            while next_event < len(events) and events[next_event][0] < t:
                if part == "review" and events[next_event][1] == "plan" and not heading and \
                        not rules.period_paragraph.match(text, events[next_event][0], timeout=PER_CALL.seconds):
                    # the plan starts without a heading of its own; but a plan period's paragraph
                    # stays in its section (二、“十三五”时期发展成就和“十四五”时期主要目标任务)
                    section, subheading = "", ""
                part = events[next_event][1]
                next_event += 1
            # (a sentence of past results inside a plan paragraph: 2011年，是…开局之年…。过去一年，
            # 我们的各项工作取得了很大成绩。国内生产总值增长10.3%… is review to the paragraph's end)
            past = past or (n > 0 and part == "plan" and past_paragraph(text[s:t], year, rules))
            if past and part == "plan":
                part_here = "review"
            else:
                part_here = part
            if n == 0 and not heading and t < end:
                lead = text[s:t].rstrip("。")
                if len(lead) <= rules.topic_max and not DIGIT.search(lead):
                    topic = lead
            sentences.append(Sentence(s, t, section, subheading or topic, part_here))
    return sentences


def past_paragraph(paragraph: str, year: int | None, rules: StructureRules) -> bool:
    """过去一年，我们… / 2023年，我们…: a paragraph of past results."""
    m = rules.review_paragraph.match(paragraph, timeout=PER_CALL.seconds)
    if not m:
        return False
    y = m.groupdict().get("year")
    return not (y and year and int(y) >= year)


def scan(pattern: regex.Pattern, text: str, name: str) -> list[regex.Match]:
    """All matches of a structure.yaml pattern in the whole text, found piece by piece (cut before a
    line break, else after a 。, which no marker spans), so that the regex timeout bounds the
    work on each piece and not the length of the document."""
    out, a = [], 0
    while a < len(text):
        b = min(a + SCAN_CHUNK, len(text))
        if b < len(text):
            cut = text.rfind("\n", a + 1, b)  # the next piece starts with the line break
            if cut < 0:
                cut = text.rfind("。", a, b) + 1
            b = cut if cut > a else b
        try:
            out.extend(pattern.finditer(text, a, b, timeout=PER_CALL.seconds))
        except TimeoutError:
            raise TimeoutError(f"the pattern {name} of rules/structure.yaml ran longer than its time limit "
                               f"on the text at {a}-{b}; the document is skipped") from None
        a = b
    return out


def sentence_spans(text: str, start: int, end: int, limit: int | None = None):
    """(start, end) of the sentences of text[start:end]; none longer than `limit` characters."""
    try:
        ends = [m.end() for m in SENTENCE_END.finditer(text, start, end, timeout=PER_CALL.seconds)]
    except TimeoutError:
        raise TimeoutError(f"the sentence end pattern ran longer than its time limit on the text at "
                           f"{start}-{end}; the document is skipped") from None
    if (ends[-1] if ends else start) < end:
        ends.append(end)  # the text after the last sentence end
    s = start
    for t in ends:
        yield from pieces(text, s, t, limit) if limit else [(s, t)]
        s = t


def pieces(text: str, s: int, t: int, limit: int):
    """text[s:t] in pieces of at most `limit` characters, each cut after the last clause break of
    its second half, else before a number there, else at the limit."""
    while t - s > limit:
        lo, cut = s + limit // 2, s + limit
        for breaks in CLAUSE_CUTS:
            i = max(text.rfind(c, lo, cut) for c in breaks)
            if i >= 0:
                cut = i + 1
                break
        else:
            i = cut
            while i > lo and text[i - 1] in NUMBER_CHARS:
                i -= 1  # 新增企业46|家: the number goes whole into the next piece
            if i > lo:
                cut = i
        yield s, cut
        s = cut
    yield s, t
