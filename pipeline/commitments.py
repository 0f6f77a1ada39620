"""Turn the quantities of a sentence into commitments: metric, action, comparator, hedge, kind.

For each quantity that no exclusion rule drops, the metric is read from the stretch of the
clause before the number (新增国家高新技术企业46家 -> 国家高新技术企业) and, when the number
counts the noun after it, from the stretch after it (推进42个区级重点产业项目建设). Verbs, time
words and linking verbs are stripped at token boundaries of the spaCy Doc. A stretch that is
empty after stripping takes the metric of the previous target of the sentence (出让7宗 after
收储经营性土地9宗 -> 经营性土地, elided).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import regex

from .nlp import is_nominal, is_verb
from .quantities import Quantity
from .rules import REGEX_TIMEOUT, Rules, compile_pattern, require, rules_for

CLAUSE_BREAK = regex.compile(r"[，,；;：:。！？!?\n]")
HEDGE_BREAK = regex.compile(r"[；;。！？!?\n]")
STRIP_CHARS = "、，,：:；; \u3000\t的和及与或"
CONTEXT = 40  # characters of context the exclusion rules see on each side


@dataclass(frozen=True)
class Exclusion:
    name: str
    before: regex.Pattern | None
    after: regex.Pattern | None
    quantity: regex.Pattern | None
    next_pos: tuple[str, ...]
    either: bool

    def matches(self, q: Quantity, before: str, after: str, next_tag: str) -> bool:
        checks = []
        if self.before is not None:
            checks.append(bool(self.before.search(before, timeout=REGEX_TIMEOUT)))
        if self.after is not None:
            checks.append(bool(self.after.search(after, timeout=REGEX_TIMEOUT)))
        context = any(checks) if self.either else all(checks)
        if self.quantity is not None and not self.quantity.search(q.plain, timeout=REGEX_TIMEOUT):
            return False
        if self.next_pos and not next_tag.startswith(self.next_pos):
            return False
        return context


@dataclass(frozen=True)
class Linking:
    text: str
    kind: str  # change | level | neutral


class CommitmentRules:
    """actions.yaml, comparators.yaml, hedges.yaml and exclusions.yaml, compiled."""

    def __init__(self, rules: Rules):
        a_path = rules.path("actions.yaml")
        actions = rules.load("actions.yaml")
        self.actions = sorted({str(x) for x in actions["actions"]}, key=len, reverse=True)
        self.nominal_actions = set(actions.get("nominal_actions") or [])
        self.change_actions = set(actions.get("change_actions") or [])
        self.leading = []
        for entry in actions.get("leading") or []:
            require(entry, ["pattern"], a_path)
            self.leading.append(compile_pattern("^(?:" + entry["pattern"] + ")", a_path, entry))
        self.linking = []
        for entry in actions.get("linking") or []:
            require(entry, ["text", "kind"], a_path)
            self.linking.append(Linking(str(entry["text"]), entry["kind"]))
        self.linking.sort(key=lambda x: len(x.text), reverse=True)
        base = actions["comparison_base"]
        self.base_end = compile_pattern("(?:" + base["pattern"] + ")$", a_path, base)
        self.base_start = compile_pattern("^(?:" + base["pattern"] + ")", a_path, base)
        self.trailing = [compile_pattern("(?:" + e["pattern"] + ")$", a_path, e)
                         for e in actions.get("trailing") or []]
        self.predicates = sorted({str(x) for x in actions.get("predicate_after") or []}, key=len, reverse=True)

        comp = rules.load("comparators.yaml")
        self.suffixes = sorted(((e["text"], e["comparator"]) for e in comp["suffixes"]),
                               key=lambda x: len(x[0]), reverse=True)
        self.prefixes = sorted(((e["text"], e["comparator"]) for e in comp["prefixes"]),
                               key=lambda x: len(x[0]), reverse=True)
        self.hedges = [e["text"] for e in rules.load("hedges.yaml")["words"]]

        x_path = rules.path("exclusions.yaml")
        self.exclusions = []
        for e in rules.load("exclusions.yaml")["rules"]:
            require(e, ["name"], x_path)
            if not any(k in e for k in ("before", "after", "quantity")):
                raise ValueError(f"{x_path.name}:{e.get('__line__')}: rule {e['name']!r}: needs before, after or quantity")
            self.exclusions.append(Exclusion(
                e["name"],
                compile_pattern(e["before"], x_path, e) if "before" in e else None,
                compile_pattern(e["after"], x_path, e) if "after" in e else None,
                compile_pattern(e["quantity"], x_path, e) if "quantity" in e else None,
                tuple(e.get("next_pos") or ()),
                bool(e.get("either")),
            ))


@lru_cache(maxsize=8)
def commitment_rules(rules_dir: str | None = None) -> CommitmentRules:
    return CommitmentRules(rules_for(rules_dir))


@dataclass
class Found:
    """A quantity read as a commitment, before document-level fields are added."""

    quantity: Quantity
    metric: str
    action: str
    kind: str
    comparator: str
    aspirational: bool
    elided: bool = False
    distributive: bool = False  # 分别: one metric of a list per quantity of a list
    list_head: int | None = None  # index of the first quantity of a 、-list this one continues
    pre_metric: str = ""


@dataclass
class Tokens:
    """Token boundaries and tags of a sentence, in document offsets."""

    starts: dict[int, object] = field(default_factory=dict)
    boundaries: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, doc) -> "Tokens":
        t = cls()
        base = doc._.offset
        for token in doc:
            s = base + token.idx
            t.starts[s] = token
            t.boundaries.update((s, s + len(token.text)))
        return t

    def at(self, offset: int):
        return self.starts.get(offset)


class SentenceReader:
    """Reads the commitments of one sentence."""

    def __init__(self, rules: CommitmentRules, text: str, start: int, end: int, tokens: Tokens):
        self.r = rules
        self.text = text
        self.start = start
        self.end = end
        self.tokens = tokens

    # ---- exclusion -----------------------------------------------------------------
    def excluded(self, q: Quantity) -> str | None:
        before = self.text[max(self.start, q.start - CONTEXT):q.start]
        after = self.text[q.end:min(self.end, q.end + CONTEXT)]
        tag = self.next_tag(q)
        for rule in self.r.exclusions:
            if rule.matches(q, before, after, tag):
                return rule.name
        if q.chinese and q.unit_class in ("count", "time") and not self.after_verb(q):
            # 八项规定, 两个市场, 今明两年: a small Chinese count is a row only after a verb (办好十件)
            return "chinese_count_without_verb"
        return None

    def next_tag(self, q: Quantity) -> str:
        """POS tag of the word after the quantity, past 以上 and 的."""
        i = q.end
        for word, _ in self.r.suffixes:
            if self.text.startswith(word, i):
                i += len(word)
                break
        if self.text.startswith("的", i):
            i += 1
        token = self.tokens.at(i)
        return token.tag_ if token is not None else ""

    def after_verb(self, q: Quantity) -> bool:
        before = self.text[self.start:q.start]
        for word, _ in self.r.prefixes:
            if before.endswith(word):
                before = before[:-len(word)]
                break
        words = self.r.actions + [link.text for link in self.r.linking if len(link.text) > 1]
        return any(before.endswith(w) for w in words)

    # ---- comparator ------------------------------------------------------------------
    def suffix(self, q: Quantity) -> tuple[str, int]:
        """Comparator word right after the quantity, and where the quantity's reach ends."""
        after = self.text[q.end:self.end]
        for word, comp in self.r.suffixes:
            if after.startswith(word):
                return comp, q.end + len(word)
        return "", q.end

    def prefix(self, q: Quantity, floor: int) -> tuple[str, int]:
        before = self.text[floor:q.start]
        for word, comp in self.r.prefixes:
            if before.endswith(word) and self.boundary(q.start - len(word)):
                return comp, q.start - len(word)
        return "", q.start

    def boundary(self, offset: int) -> bool:
        return offset in self.tokens.boundaries or not self.tokens.boundaries

    def aspirational(self, q: Quantity) -> bool:
        s = self.start
        for m in HEDGE_BREAK.finditer(self.text, self.start, q.start):
            s = m.end()
        scope = self.text[s:q.start]
        return any(h in scope for h in self.r.hedges)

    # ---- stripping ---------------------------------------------------------------------
    def strip(self, s: int, e: int) -> tuple[int, int, list[str], list[Linking]]:
        """Narrow text[s:e] to the metric: strip verbs, time words and linking verbs."""
        actions, links = [], []
        changed = True
        while changed and s < e:
            changed = False
            while s < e and self.text[s] in STRIP_CHARS:
                s, changed = s + 1, True
            while s < e and self.text[e - 1] in STRIP_CHARS:
                e, changed = e - 1, True
            seg = self.text[s:e]
            for link in self.r.linking:
                if seg.endswith(link.text) and self.boundary(e - len(link.text)):
                    links.append(link)
                    e, changed = e - len(link.text), True
                    break
            else:
                m = self.r.base_end.search(seg, timeout=REGEX_TIMEOUT)
                if m and m.start() < m.end() and self.boundary(s + m.start()):
                    e, changed = s + m.start(), True
                for pattern in self.r.trailing:
                    m = pattern.search(self.text[s:e], timeout=REGEX_TIMEOUT)
                    if m and m.start() < m.end():
                        e, changed = s + m.start(), True
            seg = self.text[s:e]
            for pattern in self.r.leading:
                m = pattern.match(seg, timeout=REGEX_TIMEOUT)
                if m and m.end() > 0 and self.boundary(s + m.end()):
                    s, changed = s + m.end(), True
                    break
            else:
                m = self.r.base_start.match(seg, timeout=REGEX_TIMEOUT)
                if m and m.end() > 0 and self.boundary(s + m.end()):
                    s, changed = s + m.end(), True
                for word in self.r.actions:
                    if seg.startswith(word) and self.boundary(s + len(word)) and not self.noun_compound(s, word):
                        actions.append(word)
                        s, changed = s + len(word), True
                        break
        return s, e, actions, links

    def noun_compound(self, s: int, word: str) -> bool:
        """An action word that is the first part of one noun token (建设|用地 in 建设用地) stays."""
        token = self.tokens.at(s)
        return token is not None and len(token.text) > len(word)

    def post_metric(self, s: int, limit: int) -> tuple[int, int]:
        """The noun phrase a count precedes: 42个区级重点产业项目建设 -> 区级重点产业项目建设."""
        while s < limit and self.text[s] in "的 \u3000":
            s += 1
        token = self.tokens.at(s)
        if s >= limit or token is None:
            return s, s
        if not (is_nominal(token) or self.text[s] in "“\"《「‘" or not is_verb(token)):
            return s, s
        e = limit
        for m in regex.finditer(r"、", self.text[s:limit]):
            e = s + m.start()
            break
        seg = self.text[s:e]
        cut = len(seg)
        for word in self.r.predicates:
            i = seg.find(word, 1)
            if 0 < i < cut and self.boundary(s + i):
                cut = i
        e = s + cut
        while e > s and self.text[e - 1] in STRIP_CHARS:
            e -= 1
        return s, e

    # ---- the sentence --------------------------------------------------------------------
    def read(self, quantities: list[Quantity]) -> list[Found]:
        kept = [q for q in quantities if not self.excluded(q)]
        found: list[Found] = []
        reach = self.start  # where the previous kept quantity's reach ended
        for i, q in enumerate(kept):
            clause_start = self.start
            for m in CLAUSE_BREAK.finditer(self.text, self.start, q.start):
                clause_start = m.end()
            clause_end = self.end
            m = CLAUSE_BREAK.search(self.text, q.end, self.end)
            if m:
                clause_end = m.start()
            seg_start = max(clause_start, reach)
            suffix_comp, q_reach = self.suffix(q)
            prefix_comp, pre_end = self.prefix(q, seg_start)
            comparator = suffix_comp or prefix_comp or q.comparator or "="
            next_start = kept[i + 1].start if i + 1 < len(kept) else clause_end
            post_limit = min(clause_end, next_start)
            continues_list = bool(found) and reach > clause_start and \
                self.text[reach:q.start].strip(" \u3000") in ("、", "和", "及", "")

            s, e, actions, links = self.strip(seg_start, pre_end)
            pre = self.text[s:e]
            ps, pe = self.post_metric(q_reach, post_limit)
            post = self.text[ps:pe]
            reach = q_reach
            while reach < post_limit and self.text[reach] in "、":
                reach += 1
            if post and pe > reach:
                reach = pe

            kind = q.kind or self.kind(links, actions)
            action = actions[-1] if actions else ""
            metric = pre + post if q.unit_class in ("count", "measure", "", "rate", "time") else pre
            elided = False
            if not metric and actions:
                metric = next((n for n in self.r.nominal_actions if actions[-1].endswith(n)), "")
            if not metric and found:
                metric, elided = found[-1].metric, True
            f = Found(q, metric, action, kind, comparator, self.aspirational(q), elided,
                      distributive=any(link.text == "分别" for link in links), pre_metric=pre)
            if continues_list and not pre:
                f.list_head = found[-1].list_head if found[-1].list_head is not None else len(found) - 1
                f.elided = False
                if not post:
                    f.metric = found[-1].metric
                    f.kind = found[-1].kind if not (links or actions) else kind
            found.append(f)
        distribute(found)
        return [f for f in found if f.metric]

    def kind(self, links: list[Linking], actions: list[str]) -> str:
        for link in links:  # nearest the number first
            if link.kind != "neutral":
                return link.kind
        if any(a in self.r.change_actions for a in actions):
            return "change"
        return "level"


def distribute(found: list[Found]) -> None:
    """服务贸易、数字贸易出口分别增长6%、8%: the i-th metric of the list for the i-th number."""
    for i, f in enumerate(found):
        if not f.distributive or f.list_head is not None:
            continue
        members = [i] + [j for j, g in enumerate(found) if g.list_head == i]
        parts = [p for p in regex.split(r"、", f.metric) if p]
        if len(members) > 1 and len(parts) == len(members):
            for j, part in zip(members, parts):
                found[j].metric = part
