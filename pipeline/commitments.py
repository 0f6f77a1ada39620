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

from .nlp import is_nominal_tag, is_verb, is_verb_tag, tag_of_text
from .quantities import Quantity
from .rules import REGEX_TIMEOUT, Rules, compile_pattern, require, rules_for

CLAUSE_BREAK = regex.compile(r"[，,；;：:。！？!?\n]")
HEDGE_BREAK = regex.compile(r"[；;。！？!?\n]")
EDGE_CHARS = "、，,：:；; \u3000\t的"
END_CHARS = EDGE_CHARS + "和及与或"  # 2300万省外劳动力和240万…: a conjunction ends no metric
NOT_NOUN_TAGS = ("u", "p", "c", "x", "d", "r", "m", "q", "f")
CONTEXT = 40  # characters of context the exclusion rules see on each side


@dataclass(frozen=True)
class Exclusion:
    name: str
    before: regex.Pattern | None
    after: regex.Pattern | None
    quantity: regex.Pattern | None
    next_pos: tuple[str, ...]
    either: bool
    cut_from_metric: bool  # the words from the `before` match to the quantity leave the metric
    unit_classes: tuple[str, ...] | None  # only quantities whose unit is of these classes

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
        if self.unit_classes is not None and q.unit_class not in self.unit_classes:
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
        self.nominal_actions = [str(x) for x in actions.get("nominal_actions") or []]
        self.change_actions = {str(x) for x in actions.get("change_actions") or []}
        verbs = {str(x) for x in actions["actions"]} | self.change_actions
        # 落实好, 办好: an action with the resultative 好 is the same action
        self.actions = sorted(verbs | {v + "好" for v in verbs if len(v) > 1}, key=len, reverse=True)
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
        self.trailing = [compile_pattern("(?:" + e["pattern"] + ")$", a_path, e)
                         for e in actions.get("trailing") or []]
        self.frames = [compile_pattern(e["pattern"], a_path, e) for e in actions.get("frames") or []]
        self.noise = [compile_pattern(e["pattern"], a_path, e) for e in actions.get("noise") or []]
        self.compounds = [str(c) for c in actions.get("compounds") or []]
        self.predicates = sorted({str(x) for x in actions.get("predicate_after") or []}, key=len, reverse=True)

        comp = rules.load("comparators.yaml")
        self.suffixes = sorted(((e["text"], e["comparator"]) for e in comp["suffixes"]),
                               key=lambda x: len(x[0]), reverse=True)
        self.prefixes = sorted(((e["text"], e["comparator"]) for e in comp["prefixes"]),
                               key=lambda x: len(x[0]), reverse=True)
        self.not_prefixes = set(comp.get("not_prefixes") or [])
        long_prefixes = "|".join(regex.escape(w) for w, _ in self.prefixes if len(w) > 1)
        self.prefix_of_phrase = regex.compile(f"({long_prefixes})[^，,；;。：:\\d]{{1,12}}的$")
        h_path = rules.path("hedges.yaml")
        hedges = rules.load("hedges.yaml")
        words = sorted((str(e["text"]) for e in hedges["words"]), key=len, reverse=True)
        self.hedge = regex.compile("|".join(map(regex.escape, words)))
        self.not_hedges = [compile_pattern(e["pattern"], h_path, e) for e in hedges.get("not_hedges") or []]

        x_path = rules.path("exclusions.yaml")
        self.exclusions = []
        for e in rules.load("exclusions.yaml")["rules"]:
            require(e, ["name"], x_path)
            if not any(k in e for k in ("before", "after", "quantity", "unit_class")):
                raise ValueError(f"{x_path.name}:{e.get('__line__')}: rule {e['name']!r}: needs before, after or quantity")
            self.exclusions.append(Exclusion(
                e["name"],
                compile_pattern(e["before"], x_path, e) if "before" in e else None,
                compile_pattern(e["after"], x_path, e) if "after" in e else None,
                compile_pattern(e["quantity"], x_path, e) if "quantity" in e else None,
                tuple(e.get("next_pos") or ()),
                bool(e.get("either")),
                bool(e.get("cut_from_metric")),
                tuple(str(c or "") for c in e["unit_class"]) if "unit_class" in e else None,
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
    pre: str = ""  # metric read before the number
    post: str = ""  # metric read after the number
    base: str = ""  # what a sub-category (其中工业类) narrows


@dataclass
class Stripped:
    """What strip() kept of a stretch, and what it took away."""

    s: int
    e: int
    actions: list[str] = field(default_factory=list)
    links: list[Linking] = field(default_factory=list)
    leading: list[str] = field(default_factory=list)


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


class SentenceReader:
    """Reads the commitments of one sentence."""

    def __init__(self, rules: CommitmentRules, text: str, start: int, end: int, tokens: Tokens):
        self.r = rules
        self.text = text
        self.start = start
        self.end = end
        self.tokens = tokens
        self.cuts: list[tuple[int, int]] = []  # starting values, left out of metrics
        self.kept: list[Quantity] = []  # quantities no exclusion dropped, in text order

    # ---- exclusion -----------------------------------------------------------------
    def excluded(self, q: Quantity) -> str | None:
        before = self.text[max(self.start, q.start - CONTEXT):q.start]
        after = self.text[q.end:min(self.end, q.end + CONTEXT)]
        tag = self.next_tag(q)
        for rule in self.r.exclusions:
            if rule.matches(q, before, after, tag):
                if rule.cut_from_metric and rule.before is not None:
                    m = rule.before.search(before, timeout=REGEX_TIMEOUT)
                    end = q.end + (self.text.startswith("的", q.end))
                    self.cuts.append((q.start - len(before) + m.start(), end))
                return rule.name
        if q.chinese and q.unit_class in ("count", "time") and not (
                self.after_verb(q) or self.clause_final(q) or self.continues_list(q)):
            # 八项规定, 两个市场, 今明两年: a Chinese count is a row only after a verb (办好十件),
            # at the end of its clause (幼儿园两所) or in a list of counts (一座公园、两条大街)
            return "chinese_count_without_verb"
        return None

    def clause_final(self, q: Quantity) -> bool:
        _, reach = self.suffix(q)
        return reach >= self.end or bool(CLAUSE_BREAK.match(self.text, reach))

    def continues_list(self, q: Quantity) -> bool:
        """一座公园、两条大街: after 、, in the clause of a number already kept."""
        if not self.kept or not self.text[self.start:q.start].endswith("、"):
            return False
        return not CLAUSE_BREAK.search(self.text, self.kept[-1].end, q.start)

    def word_tag(self, s: int, limit: int) -> str:
        """POS tag of the word at s; re-tagged when jieba's token straddles s (500|个省|重大项目)."""
        token = self.tokens.at(s)
        if token is not None:
            return token.tag_
        return tag_of_text(self.text[s:min(limit, s + 12)])

    def next_tag(self, q: Quantity) -> str:
        """POS tag of the word after the quantity, past 以上 and 的."""
        i = q.end
        for word, _ in self.r.suffixes:
            if self.text.startswith(word, i):
                i += len(word)
                break
        if self.text.startswith("的", i):
            i += 1
        return self.word_tag(i, self.end) if i < self.end else ""

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
        """Comparator word right before the number (超过23万亿元), and where the stretch ends.
        A comparator before a 的-phrase (不少于城市建成区面积的45%) binds the number too."""
        before = self.text[floor:q.start]
        for word, comp in self.r.prefixes:
            if before.endswith(word) and (len(word) > 1 or before[-2:] not in self.r.not_prefixes):
                return comp, q.start - len(word)
        m = self.r.prefix_of_phrase.search(before, timeout=REGEX_TIMEOUT)
        if m:
            return dict(self.r.prefixes)[m.group(1)], floor + m.start()
        return "", q.start

    def boundary(self, offset: int) -> bool:
        return offset in self.tokens.boundaries or not self.tokens.boundaries

    def aspirational(self, q: Quantity) -> bool:
        s = self.start
        for m in HEDGE_BREAK.finditer(self.text, self.start, q.start):
            s = m.end()
        scope = self.text[s:q.start]
        for pattern in self.r.not_hedges:
            scope = pattern.sub("", scope, timeout=REGEX_TIMEOUT)
        return bool(self.r.hedge.search(scope, timeout=REGEX_TIMEOUT))

    # ---- stripping ---------------------------------------------------------------------
    def strip(self, s: int, e: int) -> Stripped:
        """Narrow text[s:e] to the metric: strip verbs, time words and linking verbs."""
        out = Stripped(s, e)
        changed = True
        while changed and out.s < out.e:
            changed = self.strip_end(out) or self.strip_start(out)
        return out

    def strip_end(self, out: Stripped) -> bool:
        s, e = out.s, out.e
        while e > s and self.text[e - 1] in END_CHARS:
            e -= 1
        seg = self.text[s:e]
        for cut_s, cut_e in self.cuts:  # a starting value at the end: 报销比例由50%
            if s <= cut_s < e and cut_e >= e:
                e = cut_s
                break
        else:
            m = self.r.base_end.search(seg, timeout=REGEX_TIMEOUT)
            if m and m.start() < m.end():  # 比去年预算高: the base of a comparison
                e = s + m.start()
                link = next((k for k in self.r.linking if m.group(0).endswith(k.text)), None)
                if link:  # its verb still says what kind of change
                    out.links.append(link)
                seg = ""
            for link in self.r.linking:
                if seg.endswith(link.text) and not self.protected_end(s, e - len(link.text)):
                    out.links.append(link)
                    e -= len(link.text)
                    break
            else:
                for pattern in self.r.trailing:
                    m = pattern.search(seg, timeout=REGEX_TIMEOUT)
                    if m and m.start() < m.end():
                        e = s + m.start()
                        break
        changed = (s, e) != (out.s, out.e)
        out.s, out.e = s, e
        return changed

    def strip_start(self, out: Stripped) -> bool:
        s, e = out.s, out.e
        while s < e and self.text[s] in EDGE_CHARS:
            s += 1
        seg = self.text[s:e]
        for frame in self.r.frames:
            m = frame.fullmatch(seg, timeout=REGEX_TIMEOUT)
            if m:
                s, e = s + m.start(1), s + m.end(1)
                break
        else:
            for pattern in self.r.leading:
                m = pattern.match(seg, timeout=REGEX_TIMEOUT)
                if m and m.end() > 0 and (m.end() > 1 or self.boundary(s + 1)):
                    out.leading.append(m.group(0))
                    s += m.end()
                    break
            else:
                for word in self.r.actions:
                    if seg.startswith(word) and not self.protected_start(s, word):
                        out.actions.append(word)
                        s += len(word)
                        break

        changed = (s, e) != (out.s, out.e)
        out.s, out.e = s, e
        return changed

    def protected_start(self, s: int, word: str) -> bool:
        """建设用地 is a noun: its 建设 is no action (also when one jieba token starts there)."""
        token = self.tokens.at(s)
        if token is not None and self.tokens.start_of(token) == s and len(token.text) > len(word):
            return True
        return any(self.text.startswith(c, s) for c in self.r.compounds)

    def protected_end(self, s: int, cut: int) -> bool:
        """经济增长 is a metric: its 增长 is no linking verb (a compound spans the cut)."""
        return any(self.text.startswith(c, k) for c in self.r.compounds
                   for k in range(max(s, cut - len(c) + 1), cut))

    def metric_text(self, s: int, e: int) -> str:
        """text[s:e] without starting values (现行16%的税率 -> 税率)."""
        pieces, pos = [], s
        for cut_s, cut_e in self.cuts:
            if s <= cut_s and cut_e <= e:
                pieces.append(self.text[pos:cut_s])
                pos = cut_e
        pieces.append(self.text[pos:e])
        metric = "".join(pieces)
        for pattern in self.r.noise:
            metric = pattern.sub("", metric, timeout=REGEX_TIMEOUT)
        return metric.strip(EDGE_CHARS)

    def post_metric(self, s: int, limit: int, pre_empty: bool, before_next: bool) -> tuple[int, int]:
        """The noun phrase a number precedes: 42个区级重点产业项目建设 -> 区级重点产业项目建设."""
        while s < limit and self.text[s] in "的 \u3000":
            s += 1
        if s >= limit or CLAUSE_BREAK.match(self.text, s):
            return s, s
        tag = self.word_tag(s, limit)
        opener = self.text[s] in "“\"《「‘" or self.text[s].isascii() and self.text[s].isalnum()
        content = tag[:1] not in NOT_NOUN_TAGS and (pre_empty or not is_verb_tag(tag))
        if not (opener or is_nominal_tag(tag) or content or tag[:1] in "mq" and not self.text[s].isdigit()):
            return s, s
        e = limit
        if before_next and "、" in self.text[s:limit]:
            e = self.text.rindex("、", s, limit)  # …绿化、沿街163栋: 沿街 belongs to the next number
        for m in regex.finditer("、", self.text[s:e]):
            i = s + m.end()  # 新建10个A、推进B: a 、 before a verb ends the noun phrase; A、B does not
            token = self.tokens.at(i)
            if any(self.text.startswith(w, i) for w in self.r.actions) or token is not None and is_verb(token):
                e = s + m.start()
                break
        cut = e
        for word in self.r.predicates:
            i = self.text.find(word, s + 1, cut)
            if i >= 0:
                cut = i
        e = cut
        while e > s and self.text[e - 1] in END_CHARS:
            e -= 1
        return s, e

    def ends_with_action(self, s: int, e: int) -> bool:
        seg = self.text[s:e]
        return any(seg.endswith(w) and len(w) < len(seg) + 1 for w in self.r.actions if len(w) > 1)

    # ---- the sentence --------------------------------------------------------------------
    def read(self, quantities: list[Quantity]) -> list[Found]:
        kept = self.kept
        for q in quantities:
            if not self.excluded(q):
                kept.append(q)
        for q in kept:  # quantities are always token boundaries, whatever jieba did
            self.tokens.boundaries.update((q.start, q.end))
        found: list[Found] = []
        reach = self.start  # where the previous kept quantity's reach ended
        for i, q in enumerate(kept):
            clause_start = self.start
            for m in CLAUSE_BREAK.finditer(self.text, self.start, q.start):
                clause_start = m.end()
            m = CLAUSE_BREAK.search(self.text, q.end, self.end)
            clause_end = m.start() if m else self.end
            seg_start = max(clause_start, reach)
            if reach > clause_start:  # A增长5%和B增长6%: a conjunction after the previous number
                seg_start += len(regex.match(r"(?:以及|和|及|与|、)?", self.text[seg_start:q.start]).group(0))
            suffix_comp, q_reach = self.suffix(q)
            prefix_comp, pre_end = self.prefix(q, seg_start)
            comparator = suffix_comp or prefix_comp or q.comparator or "="
            next_start = kept[i + 1].start if i + 1 < len(kept) else clause_end
            post_limit = min(clause_end, next_start)
            in_list = bool(found) and reach > clause_start and \
                self.text[reach:q.start].strip(" \u3000、和及") == ""

            st = self.strip(seg_start, pre_end)
            pre = self.metric_text(st.s, st.e)
            ps, pe = self.post_metric(q_reach, post_limit, not pre, next_start < clause_end)
            post = self.text[ps:pe]
            if post and pre and self.ends_with_action(st.s, st.e):
                pre = ""  # 服务保障7个新开工百亿级: the verb's object is the counted noun
            reach = max(q_reach, pe)
            while reach < post_limit and self.text[reach] in "、":
                reach += 1

            f = Found(q, pre + post, st.actions[-1] if st.actions else "", q.kind or self.kind(st),
                      comparator, self.aspirational(q), pre=pre, post=post,
                      distributive=any(link.text == "分别" for link in st.links))
            if in_list and not pre:
                f.list_head = found[-1].list_head if found[-1].list_head is not None else len(found) - 1
            if found and (pre.endswith("类") or "其中" in st.leading and 0 < len(pre) <= 2):
                f.metric = pre + found[-1].base  # 其中工业类3个 -> 工业类重点项目
                f.base = found[-1].base
            elif not f.metric and st.actions:
                f.metric = next((n for n in self.r.nominal_actions if st.actions[-1].endswith(n)), "")
                if not f.metric:
                    f.metric = self.earlier_object(st.actions[-1], seg_start)
                    f.elided = bool(f.metric)
            if not f.metric and found:
                f.metric, f.elided = found[-1].metric, f.list_head is None
                f.base = found[-1].base
                if not any(link.kind != "neutral" for link in st.links) and not st.actions:
                    f.kind = found[-1].kind  # 确保增长6%、力争8%: the 8% is a change too
            if not f.base:
                f.base = f.metric
            found.append(f)
        share_list_nouns(found)
        distribute(found)
        return [f for f in found if f.metric]

    def earlier_object(self, action: str, before: int) -> str:
        """发行超长期特别国债…，今年先发行1万亿元: the noun the same verb took earlier."""
        i = self.text.rfind(action, self.start, before)
        if i < 0:
            return ""
        m = CLAUSE_BREAK.search(self.text, i, before)
        st = self.strip(i + len(action), m.start() if m else before)
        return self.metric_text(st.s, st.e)

    def kind(self, st: Stripped) -> str:
        for link in st.links:  # nearest the number first
            if link.kind != "neutral":
                return link.kind
        if any(a in self.r.change_actions for a in st.actions):
            return "change"
        return "level"


def share_list_nouns(found: list[Found]) -> None:
    """红菱等7个、49万平方米老旧小区改造: a list of numbers shares the noun after the last one."""
    for i, f in enumerate(found):
        if f.list_head is not None:
            continue
        members = [i] + [j for j, g in enumerate(found) if g.list_head == i]
        last = found[members[-1]]
        if len(members) > 1 and last.post and not any(found[j].post for j in members[:-1]):
            for j in members:
                found[j].metric = f.pre + last.post
                found[j].elided = False


def distribute(found: list[Found]) -> None:
    """服务贸易、数字贸易出口分别增长6%、8%: the i-th metric of the list for the i-th number."""
    for i, f in enumerate(found):
        if not f.distributive or f.list_head is not None:
            continue
        members = [i] + [j for j, g in enumerate(found) if g.list_head == i]
        parts = [p for p in regex.split(r"、", f.metric) if p]
        if len(members) > 1 and len(parts) == len(members):
            last = parts[-1]
            for j, part in zip(members, parts):
                # 一、二、三产分别增长: a short item takes the shared tail of the last one (一产)
                tail = last[len(part):] if len(part) <= 2 and len(last) > len(part) else ""
                found[j].metric = part + tail
