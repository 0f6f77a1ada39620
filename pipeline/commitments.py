"""Turn the quantities of a sentence into commitments: metric, action, comparator, hedge, kind.

For each quantity that no exclusion rule drops, the metric is read from the stretch of the
clause before the number (新增国家高新技术企业46家 -> 国家高新技术企业) and, when the number
counts the noun after it, from the stretch after it (推进42个区级重点产业项目建设); see metric.py.
A stretch that is empty after stripping takes the metric of the previous target of the sentence
(出让7宗 after 收储经营性土地9宗 -> 经营性土地, elided). Comparator, hedge and kind come from the
words around the number.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from functools import partial

import jieba
import regex

from .exclusions import CONTEXT
from .lexicon import Lexicon
from .metric import CLAUSE_BREAK, EDGE_CHARS, MetricReader, Stripped
from .nlp import Tokens, is_verb_tag
from .quantities import Quantity

HEDGE_BREAK_BACK = regex.compile(r"[；;。！？!?]", regex.REVERSE)  # searched from the end: the last break
CLAUSE_BREAK_BACK = regex.compile(CLAUSE_BREAK.pattern, regex.REVERSE)
TIME_WORD = regex.compile(r"全年|年内|今年|当年|年度|明年")
LIST_JOIN = regex.compile(r"(?:以及|和|及|与|且|、)?")
QUOTE_CLOSES = regex.compile(r"[^“”，,；;。]{0,8}”")


PEOPLE = ("人", "名", "")  # units that count people (160万外出务工劳动力: no unit written)
BENEFICIARY_MARKERS = ("为", "对", "向", "帮助", "帮扶")  # 为80万重点群体提供…: the people something is done for


@dataclass
class Found:
    """A quantity read as a commitment, before document-level fields are added."""

    quantity: Quantity
    metric: str
    action: str
    kind: str
    comparator: str
    aspirational: bool
    distributive: bool = False  # 分别: one metric of a list per quantity of a list
    list_head: int | None = None  # index of the first quantity of a 、-list this one continues
    pre: str = ""  # metric read before the number
    post: str = ""  # metric read after the number
    predicate_after: bool = False  # a predicate follows the noun after the number (160万劳动力稳定就业)
    measure_after: str = ""  # the measure of the next amount, after the noun counted (200个重点项目投资…)
    base: str = ""  # what a sub-category (其中工业类) narrows
    prefix_comparator: str = ""  # a comparator before the number (分别不少于7.5%、22.5%)
    listed_actions: tuple[str, ...] = ()  # actions listed with 、 before the metric (新签约、新开工、新竣工…项目)
    flags: set[str] = field(default_factory=set)  # what the rules were least sure of (the check column)


class SentenceReader(MetricReader):
    """Reads the commitments of one sentence."""

    def __init__(self, lexicon: Lexicon, text: str, start: int, end: int, tokens: Tokens, achieved: bool = False):
        super().__init__(lexicon, text, start, end, tokens)
        self.achieved = achieved  # a sentence of past results: rules for targets only do not apply
        self.kept: list[Quantity] = []  # quantities no exclusion dropped, in text order
        self.row_metrics: dict[int, str] = {}  # quantities whose metric a rule gives (总投资X亿元的), by start

    # ---- exclusion -----------------------------------------------------------------
    def excluded(self, q: Quantity) -> str | None:
        before = self.text[max(self.start, q.start - CONTEXT):q.start]
        after = self.text[q.end:min(self.end, q.end + CONTEXT)]
        tag = partial(self.next_tag, q)  # asked for by a rule only when all else holds
        rule = self.r.exclusions.first_match(q, before, after, tag, self.achieved)
        if rule is not None:
            if rule.cut_from_metric and rule.before is not None:
                m = rule.before.search(before)
                end = q.end + (self.text.startswith("的", q.end))
                if q.unit_class == "count" and rule.after is not None and "counted" in rule.after.groupindex:
                    counted = rule.after.match(after)  # 从15个县（市）扩大到: the counties too
                    end = q.end + len(counted.group("counted")) if counted else end
                self.cuts.append((q.start - len(before) + m.start(), end))
            if rule.row_metric:  # (the words `before` names as its group `metric`: 年度计划总投资)
                named = m.group("metric") if "metric" in rule.before.groupindex else ""
                self.row_metrics[q.start] = named or rule.row_metric
                return None
            return rule.name
        if q.chinese and q.value == 1 and q.unit_class == "count" and not (
                self.after_verb(q, linking=False) or self.continues_list(q)):
            return "one_without_action"  # 说一件、干一件、成一件; 投运一个 counts
        if q.chinese and q.unit_class in ("count", "time") and not (
                self.after_verb(q) or self.clause_final(q) or self.continues_list(q) or self.after_list(q)
                or self.deadline(q) or self.livelihood_projects(q)):
            # 八项规定, 两个市场, 今明两年: a Chinese count is a row only after a verb (办好十件),
            # at the end of its clause (幼儿园两所) or in a list of counts (一座公园、两条大街)
            return "chinese_count_without_verb"
        return None

    def deadline(self, q: Quantity) -> bool:
        """在十五个工作日内处理: a time in words with 内 is a deadline (not years: 三年内, 今明两年
        name the period of a plan)."""
        return q.unit_class == "time" and q.unit != "年" and self.suffix(q)[0] == "<="

    def livelihood_projects(self, q: Quantity) -> bool:
        """办好助企十件实事: the year's livelihood projects counted, the act of doing them a few words
        before (rules/actions.yaml: livelihood_projects)."""
        return bool(self.r.livelihood_projects_after.match(self.text, q.end, self.end)
                    and self.r.livelihood_projects_before.search(self.text, self.start, q.start))

    def after_list(self, q: Quantity) -> bool:
        """实施住房保障、创业服务等十条支持措施: a list closed by 等 after a verb governs the count."""
        clause = self.text[self.start:q.start]
        clause = clause[max((clause.rfind(c) for c in "，,；;：:"), default=-1) + 1:]
        return clause.endswith("等") and any(clause.startswith(w) or w in clause[:4] for w in self.r.actions)

    def clause_final(self, q: Quantity) -> bool:
        _, reach = self.suffix(q)
        return reach >= self.end or bool(CLAUSE_BREAK.match(self.text, reach))

    def continues_list(self, q: Quantity) -> bool:
        """一座公园、两条大街 (十项课题研究和百项示范项目): after 、 or a conjunction, in the clause of a
        number already kept; or opening the clause right after one that a Chinese count kept opens
        (建设一座标志性公园——海拉尔河湿地公园，一条特色景观环路、两条风情滨河路)."""
        if not self.kept:
            return False
        before = self.text[self.start:q.start]
        if before.endswith(("，", ",")) and self.kept[-1].chinese:
            return len(CLAUSE_BREAK.findall(self.text, self.kept[-1].end, q.start)) == 1
        if not before.endswith(("、", "和", "及")):
            return False
        return not CLAUSE_BREAK.search(self.text, self.kept[-1].end, q.start)

    def next_tag(self, q: Quantity) -> str:
        """POS tag of the word after the quantity, past 以上 and 的."""
        i = q.end
        for word, _, unit_class in self.r.suffixes:
            if self.text.startswith(word, i) and unit_class in (None, q.unit_class):
                i += len(word)
                break
        if self.text.startswith("的", i):
            i += 1
        return self.word_tag(i, self.end) if i < self.end else ""

    def after_verb(self, q: Quantity, linking: bool = True) -> bool:
        before = self.text[self.start:q.start]
        if before.endswith("“") and QUOTE_CLOSES.match(self.text, q.end, self.end):
            before = before[:-1]  # 办好“十件民生实事”: a short quoted count after the verb
        for word in self.r.prefix_words.ending(before)[:1]:
            before = before[:-len(word)]
        return bool((self.r.verbs_before_counts if linking else self.r.actions).ending(before))

    # ---- comparator ------------------------------------------------------------------
    def suffix(self, q: Quantity) -> tuple[str, int]:
        """Comparator word right after the quantity, and where the quantity's reach ends."""
        after = self.text[q.end:self.end]
        gap = len(after) - len(after.lstrip(" \u3000\n"))  # 6.5%⏎左右 in a hard-wrapped text
        for word, comp, unit_class in self.r.suffixes:
            if after.startswith(word, gap) and unit_class in (None, q.unit_class):
                return comp, q.end + gap + len(word)
        return "", q.end

    def prefix(self, q: Quantity, floor: int) -> tuple[str, int]:
        """Comparator word right before the number (超过23万亿元), and where the stretch ends.
        A comparator before a 的-phrase (不少于城市建成区面积的45%) binds the number too."""
        before = self.text[floor:q.start]
        for pattern, comparator in self.r.prefix_patterns:
            m = pattern.search(self.text, floor, q.start)  # (its lookbehind may see the number before)
            if m:  # 增速“保8争9”: one character of a slogan
                return comparator, m.start()
        for word in self.r.prefix_words.ending(before):
            if len(word) > 1 or before[-2:] not in self.r.not_prefixes:
                return self.r.prefix_comparator[word], q.start - len(word)
        m = self.r.prefix_of_phrase.search(before)
        if m:
            return self.r.prefix_comparator[m.group(1) or m.group(2)], floor + m.start()
        m = self.r.bound_over_phrase.search(before) if self.r.bound_over_phrase else None
        if m:  # the adverb leaves the metric (每个园区至少储备土地1000亩 -> 园区储备土地)
            self.cuts.append((floor + m.start(1), floor + m.end(1)))
            self.cuts.sort()
            return self.r.prefix_comparator[m.group(1)], q.start
        return "", q.start

    def aspirational(self, q: Quantity) -> bool:
        m = HEDGE_BREAK_BACK.search(self.text, self.start, q.start)  # the last one before the number
        s = m.end() if m else self.start
        scope = self.text[s:q.start]
        for pattern in self.r.not_hedges:
            scope = pattern.sub("", scope)
        return bool(self.r.hedge.search(scope))

    # ---- the sentence --------------------------------------------------------------------
    def read(self, quantities: list[Quantity], every_quantity: bool = False) -> list[Found]:
        """The commitments of the sentence; every_quantity: one for each quantity, excluded or
        without a metric (a row a reviewer adds)."""
        self.kept.extend(q for q in quantities if every_quantity or not self.excluded(q))
        for q in self.kept:
            self.number_edges.update((q.start, q.end))
        found: list[Found] = []
        reach = self.start  # where the previous kept quantity's reach ended
        for i, q in enumerate(self.kept):
            # (推动41个总投资383亿元的…项目: a sum describing the things counted leaves the count's reach)
            next_start = next((k.start for k in self.kept[i + 1:] if k.start not in self.row_metrics), None)
            f, reach = self.read_quantity(q, next_start, reach, found)
            found.append(f)
        self.actions_sharing_a_noun(found)
        share_list_nouns(found)
        share_list_units(found)
        distribute(found, self.r, self.without_action_noun)
        self.places_of_a_topic(found)
        for f in found:
            f.metric = f.metric.rstrip("等")  # …专项人才等1000人: a list with no noun after 等
            if f.quantity.unit_class == "count":
                f.metric = self.without_action_noun(f.metric)
        self.sums_of_the_things_counted(found)
        for f in found:
            f.flags |= self.doubts(f)
        return [f for f in found if f.metric or every_quantity]

    def actions_sharing_a_noun(self, found: list[Found]) -> None:
        """新建25.2万亩、改造提升20.3万亩高标准农田: actions of a list, each with its number, share the
        noun after the last number."""
        for f, g in zip(found, found[1:]):
            between = self.text[f.quantity.end:g.quantity.start]
            clause_start, _ = self.clause_of(f.quantity)
            if not f.metric and self.ends_with_action(clause_start, f.quantity.start, 0) and g.action and g.post \
                    and not g.pre \
                    and f.quantity.unit == g.quantity.unit and regex.fullmatch(r"、\p{Han}{1,6}", between) \
                    and between.endswith(g.action):
                f.metric = f.post = g.post
                f.flags.add("borrowed")

    def doubts(self, f: Found) -> set[str]:
        """What about a row a reader should check (rules/actions.yaml: check): a long metric, an
        action word inside it, a quantity that is a magnitude word alone, no unit."""
        flags = set()
        if len(f.metric) > self.r.check_long_metric:
            flags.add("long")
        if any(self.verb_inside(f.metric, i, w) for i in range(1, len(f.metric) - 1)
               for w in self.r.actions.starting(f.metric, i)):
            flags.add("verb")
        if not regex.search(r"[0-9０-９一二两三四五六七八九十]", f.quantity.text):
            flags.add("magnitude")
        if not f.quantity.unit and f.quantity.unit_class != "rate" and f.quantity.value >= 1:
            flags.add("no_unit")
        if f.quantity.unit == "元" and self.r.purpose_after.match(self.text, f.quantity.end, self.end):
            flags.add("purpose")
        return flags

    def ends_with_action_word(self, metric: str) -> str:
        """The action word (two characters or more) a metric ends with: 新能源开工 -> 开工."""
        return next((w for w in self.r.actions.ending(metric) if 1 < len(w) < len(metric) - 1), "")

    def places_of_a_topic(self, found: list[Found]) -> None:
        """在规上工业增加值增长方面，力争兴宾区增长10%、象州县增长14.5%: the topic the sentence opens
        with is what each place's number measures (兴宾区规上工业增加值)."""
        m = self.r.topic_opening.search(self.text, self.start, self.end)
        if not m:
            return
        for f in found:
            if f.quantity.start > m.end() and self.r.place_name.fullmatch(f.metric):
                f.metric = f.base = f.metric + m.group("topic")
                f.flags.add("borrowed")

    def verb_inside(self, metric: str, i: int, word: str) -> bool:
        """An action word inside a metric with an object after it (中心城区吸引农村转移劳动力), not one
        that makes a noun with what follows (播种面积, 改造项目, 建设用地)."""
        rest = metric[i + len(word):]
        return len(word) > 1 and len(rest) >= 2 and rest not in self.r.bare_nouns | self.r.generic_heads \
            and rest[0] not in self.r.bound_morphemes and not self.r.compounds.starting(metric, i)

    def without_action_noun(self, metric: str, bare_too: bool = False) -> str:
        """项目建设140项 -> 项目: what is done to the things counted is no part of what they are (an
        area or a sum measures the work itself: 林草生态建设48万亩). A bare noun alone keeps it, unless
        `bare_too`."""
        for word in self.r.trailing_action_nouns.ending(metric):
            rest = metric[:-len(word)]
            if len(rest) >= 2 and (bare_too or rest not in self.r.bare_nouns) and rest[-1] not in "、和及与等的" \
                    and rest not in self.r.actions:
                return self.without_action_noun(rest, bare_too)  # 项目落地建设 -> 项目
        return metric

    def clause_of(self, q: Quantity) -> tuple[int, int]:
        m = CLAUSE_BREAK_BACK.search(self.text, self.start, q.start)  # the last one before the number
        clause_start = m.end() if m else self.start
        m = CLAUSE_BREAK.search(self.text, q.end, self.end)
        return clause_start, m.start() if m else self.end

    def read_quantity(self, q: Quantity, next_start: int | None, reach: int,
                      found: list[Found]) -> tuple[Found, int]:
        """One quantity: its comparator, hedge, kind and metric; and how far its reach goes."""
        clause_start, clause_end = self.clause_of(q)
        next_start = clause_end if next_start is None else next_start
        seg_start = max(clause_start, reach)
        if reach > clause_start:  # A增长5%和B增长6%: a conjunction after the previous number
            seg_start = LIST_JOIN.match(self.text, seg_start, q.start).end()
            if self.r.function_char_nouns.starting(self.text, seg_start - 1):
                seg_start -= 1  # 、和美乡村150个: 和 of a word, no conjunction
            verb = regex.match(r"\p{Han}{1,2}(?=、)", self.text, pos=seg_start, endpos=q.start)
            if verb and is_verb_tag(self.word_tag(verb.start(), verb.end())):
                seg_start = verb.end() + 1  # 群众诉求100%响应、可办事项100%办结: the verb of the target before
        suffix_comp, q_reach = self.suffix(q)
        prefix_comp, pre_end = self.prefix(q, seg_start)
        if q.start in self.row_metrics:  # 总投资13.5亿元的13所续建学校: the sum the things counted add up to
            metric = self.row_metrics[q.start]
            return Found(q, metric, "", "level", suffix_comp or prefix_comp or q.comparator or "=",
                         self.aspirational(q), pre=metric, base=metric), q_reach
        post_limit = min(clause_end, next_start)
        between = self.text[reach:q.start]
        in_list = bool(found) and reach > clause_start and between.strip(" \u3000、和及") == ""
        # 实施蓉江新区100个、高铁空港新区60个重点项目: items of a list, each with its place
        placed_item = bool(found) and reach > clause_start and not in_list \
            and (between.startswith("、") or self.text[reach - 1:reach] == "、") \
            and not found[-1].post and len(between) <= 9 and found[-1].quantity.unit_class == q.unit_class == "count" \
            and not any(self.r.actions.starting(between, i) for i in range(1, len(between)))

        st = self.strip(seg_start, pre_end, bounded=bool(prefix_comp))
        pre = self.metric_text(st.s, st.e)
        lenient = not pre or q.unit_class == "count" or bool(self.ends_with_action(st.s, st.e))
        ps, pe = self.post_metric(q_reach, post_limit, lenient, next_start < clause_end,
                                  adverb_first=not pre or q.unit_class == "count",
                                  listed_before=self.text[q.start - 1:q.start] == "等", share=q.unit == "%")
        done_within = self.r.deadline_act.match(self.text, q_reach, post_limit) \
            if q.unit_class == "time" and suffix_comp == "<=" and ps == pe else None
        if done_within:  # 自收到申请之日起7个工作日内答复: a deadline's metric is what is done within it
            st.s = st.e
            pre, (ps, pe) = "", done_within.span()
        kind = self.r.generic_kind_after_etc.search(self.text, ps + 2, pe)
        if q.unit_class == "measure" and kind:
            pe = kind.start()  # 2万平方米回迁房等开发项目: a size is of the things named, not of a generic kind
        post = self.metric_text(ps, pe)
        measure = next((w for w in self.r.measure_words if len(w) > 1 and post.endswith(w) and len(post) - len(w) >= 2
                        and self.boundary(pe - len(w))), "")
        if measure and q.unit_class == "count" and next_start < clause_end and pe <= next_start:
            # 200个重点项目投资继续超千亿元: the measure of the amount after is no part of what is counted
            post, pe = post[:-len(measure)], pe - len(measure)
        else:
            measure = ""
        works = regex.match(r"([^、和]{2,}?)[、和].*(?:等)?(?:" + "|".join(self.r.trailing_action_nouns) + ")$", post)
        if works and q.unit_class == "measure" and not self.r.actions.starting(post, works.end(1) + 1):
            # (not two actions joined: 生态保护和修复项目建设)
            # 推进10.7万亩高标准农田、中储粮仓储物流园等建设: works of several things, the size the first's
            post = works.group(1)
            pe = ps + len(post)
        if post in self.r.generic_heads:
            ps = pe = q_reach  # 开行量保持在千列规模: 规模 only says it is a size
            post = ""
        for verb, tail in self.r.object_frames:  # 解决5000人供水保障提升问题 -> 供水保障提升
            if verb in st.actions or verb in st.leading or any(link.text == verb for link in st.links) \
                    or in_list and verb in self.text[clause_start:q.start]:  # 完成30个示范村、400个达标村创建目标
                if post.endswith(tail) and len(post) > len(tail) + 1:
                    post = post[:-len(tail)]
                elif post == tail and pre:
                    post = ""  # 完成裁减军队员额20万的任务: the task of the words before the number
                elif not post and self.text[st.s:st.e].endswith(tail) and st.e - st.s > len(tail) + 1:
                    st.e -= len(tail)  # 完成农民工职业技能提升培训任务2100万人次
                    pre = self.metric_text(st.s, st.e)
        if not post:
            if q.unit_class == "count":
                self.strip_trailing_predicate(st)
            self.after_inner_verb(st)
            pre = self.metric_text(st.s, st.e)
        if pre in self.r.bare_nouns and st.actions and st.actions[-1] in self.r.participles:
            pre = st.actions[-1] + pre  # 新开工整治项目150个: 整治项目, not 项目
        if post and pre and q.unit_class == "count" and any(link.text in self.r.scope_links for link in st.links) \
                and self.r.scope_places.match(post):
            post = ""  # 县级公立医院综合改革试点扩大到1000个县: the places say how far the pilot reaches
        elif post and pre and not placed_item and (
                self.ends_with_action(st.s, st.e) and q.unit_class != "rate" or q.unit_class == "count"):
            # 服务保障7个新开工百亿级, 推进42个X: a count's noun is the one it counts; so too after
            # examples of it (郑州、洛阳等10个物流枢纽 -> 物流枢纽), unless that noun alone says too little
            # (江汉平原产业交流中心等12个项目建设 -> 江汉平原产业交流中心等项目)
            core = self.without_action_noun(post, bare_too=True)
            if pre.endswith("等") and core in self.r.bare_nouns:
                post = core
            else:
                pre = ""
        elif post and pre and q.unit_class == "rate" and self.text[q_reach:ps].strip() == "的" \
                and any(link.kind == "level" for link in st.links):
            # 试点范围扩大到全国80%的县: the share is of the counties, the scope is what is measured
            post = ""
        elif post and pre and q.unit_class not in ("count", "rate") and self.text[q_reach:ps].strip() == "的":
            pre, post = post, pre  # 声学过载点达到135dB的声学传感器: the sensor's overload point (a share
            # reads in order: 普惠托育服务覆盖50%以上的镇街 -> 普惠托育服务覆盖镇街)
        predicate_after = bool(post) and regex.match(r"\p{Han}", self.text[pe:post_limit]) is not None
        act = self.text[pe:post_limit].rstrip(EDGE_CHARS)
        if predicate_after and q.unit in PEOPLE and len(act) <= 8 and any(a in act for a in self.r.counted_acts) \
                and not self.text[seg_start:q.start].endswith(BENEFICIARY_MARKERS):
            # 3900名青年参加就业见习: what the people counted do (为80万重点群体提供就业帮扶: what is
            # done for them, a predicate of the sentence's own subject)
            post, pe = post + act, pe + len(act)
        reach = max(q_reach, pe) if post else q_reach
        while reach < post_limit and self.text[reach] in "、":
            reach += 1

        kind = q.kind or self.kind(st, q, pre, bool(post))
        if pre and not post and st.links and st.links[0].text in ("提升", "提高") and self.improved_in_units(q, pre):
            pre += st.links[0].text  # 森林质量提升8.5万亩: the area improved, the activity's name keeps its verb
        f = Found(q, pre + post, st.actions[-1] if st.actions else "", kind,
                  suffix_comp or prefix_comp or q.comparator or "=", self.aspirational(q), pre=pre,
                  post=post, distributive=any(link.text == "分别" for link in st.links) or "分别" in st.leading,
                  prefix_comparator=prefix_comp or "", predicate_after=predicate_after, measure_after=measure,
                  listed_actions=tuple(st.actions) if len(st.actions) > 1
                  and "、".join(st.actions) in self.text[seg_start:q.start] else ())
        if in_list and not pre or placed_item:
            f.list_head = found[-1].list_head if found[-1].list_head is not None else len(found) - 1
        self.complete_metric(f, st, found, seg_start)
        return f, reach

    def complete_metric(self, f: Found, st: Stripped, found: list[Found], seg_start: int) -> None:
        """Metrics that name only part of what is counted, or nothing, borrow from before."""
        measure = found[-1].measure_after if found else ""
        if measure and (f.metric == measure or not f.metric and st.actions[-1:] == [measure]):
            # 200个重点项目投资继续超千亿元: the investment of the projects counted
            f.metric = f.base = found[-1].metric + measure
            f.flags.add("borrowed")
            return
        if f.metric in self.r.sector_measures and seg_start > self.start \
                and not any(TIME_WORD.search(w) for w in st.leading):  # (全年产值 stays as readers write it)
            sector = self.sector_of_clause_before(seg_start) or self.sector_of_sentence()
            if sector:  # 新材料产业重点支持…，实现产值170亿元: the output of the sector the sentence is about
                f.metric = f.base = sector + f.metric
                f.flags.add("borrowed")
                return
        if found and not f.post and len(f.pre) == 2 and f.metric == f.pre and st.e - st.s == 2 \
                and self.word_tag(st.s, st.e) in ("v", "vn") and not f.pre.endswith(tuple(self.r.nominal_actions)) \
                and f.quantity.unit == found[-1].quantity.unit and f.quantity.unit_class in ("count", "measure"):
            # 筹集保障性租赁住房4500套、完成分配3000套: what is done to the things of the clause before
            # (not to things of another unit, nor a rate: 新增供气管道14千米、供暖35万平方米; 出口增长8%)
            f.metric = f.base = found[-1].base + f.pre
            f.flags.add("borrowed")
            return
        if found and (f.pre.endswith("类") or "其中" in st.leading and (0 < len(f.pre) <= 2 or f.pre == f.metric != ""
                                                                       and f.pre[-1] in self.r.place_suffixes)
                      or f.metric in self.r.generic_heads):
            # 其中工业类3个 -> 工业类重点项目; “十四五”末总量 -> 保障性租赁住房总量
            f.metric = found[-1].base + f.metric if f.metric in self.r.generic_heads else f.pre + found[-1].base
            f.base = found[-1].base
            f.flags.add("borrowed")
        elif f.metric in self.r.generic_heads and not found and seg_start > self.start:
            # 大力推进糖料蔗高标准蔗田建设，面积稳定在130万亩: the size of what the clause before names
            thing = self.thing_of_clause_before(seg_start)
            f.metric = f.base = (thing + f.metric) if thing else f.metric
            f.flags.add("borrowed")
        elif f.metric in self.r.subjects and not found and seg_start > self.start:
            # 下调城镇职工基本养老保险单位缴费比例，各地可降至16%: who does it is no metric
            f.metric = f.base = self.thing_of_clause_before(seg_start) or f.metric
            f.flags.add("borrowed")
        elif not f.metric and st.actions:
            f.metric = next((n for n in self.r.nominal_actions if st.actions[-1].endswith(n)), "")
            funder = next((w for w in self.r.funders if w in "".join(st.leading)), "")
            if f.metric and funder:  # 中央财政将投入120亿元: the spending of who spends, 中央财政投入
                f.metric = funder + f.metric
            if not f.metric:
                f.metric = self.earlier_object(st.actions[-1], seg_start) or self.earlier_thing(f.quantity)
                f.flags.add("borrowed")
        award = self.r.award_after.match(self.text, f.quantity.end, self.end)
        if award and f.quantity.unit == "%":
            f.metric = award.group("award")  # 按项目设备购置额的10%给予奖补: a rate of the award
        elif f.comparator == "<=" and f.quantity.unit.endswith("元") and (
                not f.metric or self.r.award_noun.search(f.metric)):
            # 给予奖补，最高3000万元: a cap with no metric of its own caps the award before it
            awards = self.r.award_noun.findall(self.text, self.start, f.quantity.start)
            f.metric = awards[-1] if awards else f.metric
        kinds = list(self.r.unit_things[f.quantity.unit].finditer(f.metric)) \
            if f.quantity.unit in self.r.unit_things else []
        if kinds and self.is_verb_word(f.metric[kinds[-1].end():], f.quantity.start):
            f.metric = f.base = kinds[-1].group(0)  # 推动中欧班列扩量、开行4000班次: the trains, not their growth
        if not f.metric and f.distributive and not found and seg_start > self.start:
            # 合同履约率、开工率、资金到位率，分别达到90%、80%、30%: the list is the clause before
            m = CLAUSE_BREAK_BACK.search(self.text, self.start, seg_start - 1)
            listed = self.strip(m.end() if m else self.start, seg_start - 1)
            f.metric = self.metric_text(listed.s, listed.e)
            f.flags.add("borrowed")
        if not f.metric and not found and seg_start > self.start and f.quantity.unit_class in ("measure", "rate") \
                and (st.actions or any(link.kind != "hedge" for link in st.links)):
            # 加快“四好农村路”建设，新改建60公里: what is built is what the clause before names
            f.metric = f.base = self.thing_of_clause_before(seg_start)
            f.flags.add("borrowed")
        if not f.metric and found and (found[-1].quantity.unit_class != "time"
                                       or found[-1].quantity.unit == f.quantity.unit):
            # (a time too when this one is of its unit: 人均预期寿命提高1岁，达到74.5岁)
            # 开工项目400个以上、完成投资380亿元以上，建成投产50个以上: a count goes on counting the
            # things of the last count, over an amount between
            same = next((g for g in reversed(found) if g.quantity.unit == f.quantity.unit), None) \
                if f.quantity.unit_class == "count" and found[-1].quantity.unit_class == "measure" \
                and found[-1].quantity.end < seg_start else None
            f.metric = (same or found[-1]).metric
            f.base = (same or found[-1]).base
            f.flags.add("borrowed")
            done = self.ends_with_action_word(f.metric)
            if done and st.actions and st.actions[-1] != done:
                # 新能源开工1600万千瓦、投产1000万千瓦: the same thing, another action
                f.metric = f.base = f.metric[:-len(done)] + st.actions[-1]
            if all(link.kind == "hedge" for link in st.links) and not st.actions:
                f.kind = found[-1].kind  # 确保增长6%、力争8%: the 8% is a change too
        f.base = f.base or f.metric

    def is_verb_word(self, word: str, before: int) -> bool:
        """Whether `word`, last written before `before` in the sentence, is one jieba word tagged a verb
        (中欧班列扩量: 扩量; not 中欧班列开行量, whose 开行量 is two words, a measure)."""
        i = self.text.rfind(word, self.start, before) if word else -1
        token = self.tokens.at(i) if i >= 0 else None
        return token is not None and token.text == word and is_verb_tag(self.word_tag(i, before))

    def sums_of_the_things_counted(self, found: list[Found]) -> None:
        """总投资13.5亿元的13所续建学校 -> 续建学校总投资: the sum names what it sums, after 的 (the
        noun of the count there, or the noun phrase)."""
        for i, f in enumerate(found):
            if f.quantity.start not in self.row_metrics:
                continue
            after = regex.match(r"(?:以上)?的", self.text[f.quantity.end:f.quantity.end + 3])
            if not after:
                continue
            at = f.quantity.end + after.end()
            counted = next((g for g in found[i + 1:i + 2] if g.quantity.start == at), None)
            if counted is not None:
                thing = counted.metric
            else:
                s, e = self.post_metric(at, self.clause_of(f.quantity)[1], True, False)
                thing = self.metric_text(s, e)
            thing = self.without_action_noun(thing, bare_too=True)
            f.metric = f.base = thing + f.metric if thing else f.metric

    def sector_of_sentence(self) -> str:
        """The sector the sentence opens with (新材料产业重点支持…, 发展精品粮油…等特色产业，…), or ''."""
        m = CLAUSE_BREAK.search(self.text, self.start, self.end)
        first = self.text[self.start:m.start() if m else self.end]
        words = "|".join(sorted(self.r.sector_words, key=len, reverse=True))
        opening = regex.match(r"\p{Han}[^，,；;。：:、]{1,24}?(?:" + words + ")", first)
        if not opening or regex.match(r"[、和及与]", first[opening.end():]) \
                or any(self.r.actions.starting(first, i) and self.boundary(self.start + i)
                       for i in range(1, opening.end())):
            return ""  # (not a list, nor a clause with an action: 围绕打造百亿级产业, 转型发展钙基新材料产业)
        named = self.strip(self.start, self.start + opening.end())
        return self.metric_text(named.s, named.e)

    def sector_of_clause_before(self, seg_start: int) -> str:
        """The sector the clause right before names (大力发展铝基新材料首位产业，力争实现产值350亿元), or ''."""
        thing = self.thing_of_clause_before(seg_start).rsplit("的", 1)[-1]  # (具有区域竞争力的新材料产业集群)
        thing = regex.sub(r"^[0-9０-９.十百千万亿]+(?:元|级)?", "", thing)  # (千亿元大健康产业: its size)
        return thing if thing.endswith(tuple(self.r.sector_words)) and not regex.search(r"[、和及与]", thing) else ""

    def earlier_thing(self, q: Quantity) -> str:
        """深化中欧班列市场化运营改革，全年开行3000列以上: the last thing of the kind q's unit counts
        named earlier in the sentence (not after a verb), or ''."""
        pattern = self.r.unit_things.get(q.unit)
        named = pattern.finditer(self.text, self.start, q.start) if pattern else ()
        # (not a verb before the thing: 创新班列市场化运营模式 names no kind of train)
        kinds = [m.group(0) for m in named if not is_verb_tag(self.word_tag(m.start(), m.end()))]
        return kinds[-1] if kinds else ""

    def thing_of_clause_before(self, seg_start: int) -> str:
        """The thing the clause before seg_start names, without its action noun (…建设 -> …)."""
        m = CLAUSE_BREAK_BACK.search(self.text, self.start, seg_start - 1)
        named = self.strip(m.end() if m else self.start, seg_start - 1)
        return self.without_action_noun(self.metric_text(named.s, named.e))

    def improved_in_units(self, q: Quantity, metric: str) -> bool:
        """森林质量提升8.5万亩, 道路照明质量提升100条: a quality improved, counted in things or land
        (耕地面积提高 is no activity: an area of an area)."""
        return (q.unit_class == "count" or q.unit in self.r.land_units) and not metric.endswith(("面积", "规模", "数量"))

    def kind(self, st: Stripped, q: Quantity, pre: str, named: bool) -> str:
        """pre: the metric read before the number; named: the count names what it counts after it
        (增加1万个停车位; 580万套，增加110万套 is a change of the elided metric)."""
        for link in st.links:  # nearest the number first
            if link.kind in ("change", "level"):
                # 道路照明质量提升100条, 增加1万个停车位: a count of things improved or added is a
                # level (比上年增加10家 is a change against a base)
                added = link.text in ("提升", "提高") or link.text == "增加" and named and not st.based
                return "level" if added and self.improved_in_units(q, pre) else link.kind
        if any(a in self.r.change_actions for a in st.actions):
            return "change"
        return "level"


def share_list_nouns(found: list[Found]) -> None:
    """红菱等7个、49万平方米老旧小区改造: a list of numbers shares the noun after the last one;
    打造2条千亿级、15条百亿级产业链: also after a grade of its own (千亿级产业链)."""
    for i, f in enumerate(found):
        if f.list_head is not None:
            continue
        members = [i] + [j for j, g in enumerate(found) if g.list_head == i]
        last = found[members[-1]]
        # (not a member whose metric an action gave: 131个…项目完成投资420亿元以上、475个市县重点项目)
        # (not to a first item of its own before a noun with a predicate: 城镇新增就业9.8万人、160万外出
        # 务工劳动力稳定就业 -- the last is a clause of its own)
        # (a metric borrowed from the clause before gives way: 年内完成3800户、58万平方米棚户区改造)
        if len(members) > 1 and last.post and not any(
                found[j].post or found[j].metric not in ("", found[j].pre) and "borrowed" not in found[j].flags
                for j in members[:-1]) \
                and not (last.predicate_after and f.pre) \
                and not any(found[j].quantity.unit_class == "rate" for j in members):
            for j in members:
                found[j].metric = (found[j].pre if j != i and found[j].pre else f.pre) + last.post
                found[j].flags.add("list")
        elif len(members) > 1 and last.pre and last.post and last.metric == last.pre + last.post \
                and not any(found[j].post for j in members[:-1]) and all(found[j].pre for j in members):
            for j in members[:-1]:  # each item's place with the noun of the last
                found[j].metric = found[j].pre + last.post
                found[j].flags.add("list")
        elif len(members) > 1 and regex.search(r"(?:以上|以下)(?=.{2})", last.post):
            noun = regex.split(r"以上|以下", last.post, maxsplit=1)[1]
            for j in members[:-1]:  # 引进2-5个10亿元以上、1个50亿元以上制造业项目: each threshold, one noun
                if regex.search(r"(?:以上|以下)$", found[j].metric):
                    found[j].metric += noun
                    found[j].flags.add("list")
        elif len(members) > 1 and "级" in last.post[:-1]:
            for n, j in enumerate(members[:-1]):
                later = next((found[k].post for k in members[n + 1:] if "级" in found[k].post[:-1]), "")
                if found[j].post.endswith("级") and later:
                    # 1家五星级、3家四星级旅游饭店、6家高等级民宿: the noun of the next one with its own
                    found[j].metric = found[j].pre + found[j].post + later.split("级", 1)[1]


def share_list_units(found: list[Found]) -> None:
    """产业规模分别达1.28万亿、1.18万亿、8200亿元: amounts of a list with a magnitude and no unit take
    the unit written after the last one."""
    for i, f in enumerate(found):
        if f.list_head is not None:
            continue
        members = [found[i]] + [g for g in found if g.list_head == i]
        last = members[-1].quantity
        if len(members) > 1 and last.unit and last.unit_class == "measure":
            for g in members[:-1]:
                q = g.quantity
                if not q.unit and q.value >= 10000 and regex.search("[万亿]$", q.text):
                    g.quantity = replace(q, unit=last.unit, unit_class=last.unit_class)


def distribute(found: list[Found], r: Lexicon, thing_of) -> None:
    """服务贸易、数字贸易出口分别增长6%、8%: the i-th metric of the list for the i-th number;
    粮食、蔬菜分别稳定播种550万亩和75万亩: what follows 分别 is the predicate."""
    for i, f in enumerate(found):
        if f.list_head is not None:
            continue
        members = [i] + [j for j, g in enumerate(found) if g.list_head == i]
        if f.distributive or "分别" in f.metric:
            for j in members[1:]:
                if found[j].comparator == "=" and f.prefix_comparator:
                    found[j].comparator = f.prefix_comparator  # 分别不少于7.5%、22.5%、45%: each a floor
            share_last_comparator(found, members)
            parts = list_items(f.metric.split("分别")[0], len(members))
            whole = compound_subjects(parts, len(members), r.compound_subjects) \
                or counted_subjects(found, i, members, parts, thing_of) \
                or ([a + f.metric for a in f.listed_actions] if len(f.listed_actions) == len(members) else [])
            # (新签约、新开工、新竣工亿元以上产业项目分别不少于1400个、800个和500个: one action each)
            if whole:  # 城乡居民人均可支配收入分别增长8.5%和11%: 城镇居民…, 农村居民…
                for j, part in zip(members, whole):
                    found[j].metric = part
                    found[j].flags.add("list")
                continue
        elif "等" not in f.metric and len({found[j].quantity.unit for j in members}) in (1, len(members)):
            # without 分别, a 、-list of as many names as numbers of one unit pairs up too
            # (市场采购、互市贸易、跨境电商贸易额达到15亿元、20亿元和30亿元)
            # (粮食播种面积和产量稳定在426万亩、183万吨以上: joined by 和 too; not when the items have
            # names of their own: 连锁便利店和…门店200家、青城惠民菜店60家)
            own = any(found[j].pre for j in members[1:])
            parts = regex.split(r"、|和(?!美|谐)|及(?!以上|以下)|与", f.pre) if f.pre == f.metric and not own else []
            whole = compound_subjects(parts, len(members), r.compound_subjects) if len(members) > 1 else []
            if whole:  # 装配式建筑开竣工比例45%、30%: 开工 and 竣工, one value each
                for j, part in zip(members, whole):
                    found[j].metric = part
                    found[j].flags.add("list")
                continue
        else:
            continue
        if len(members) > 1 and len(parts) == len(members):
            share_last_comparator(found, members)
            parts = spelled_out(parts)
            tail = shared_tail(parts[0], parts[-1], r)
            for j, part in zip(members, parts):
                if j != members[0] and len(part) - len(tail) == 1 and part.endswith(tail) and len(parts[0]) >= 3:
                    part = parts[0][:-1] + part  # 地方储备粮、油规模: 油 is 地方储备油
                elif j != members[0] and part in r.sector_measures:
                    # 规上工业总产值、增加值: an output measure alone is of what the first item measures
                    # (not 市属国企资产总额、营业收入: 资产总额 is no output)
                    measure = max((w for w in r.sector_measures if parts[0].endswith(w) and len(parts[0]) > len(w)),
                                  key=len, default="")
                    part = parts[0][:-len(measure)] + part if measure else part
                found[j].metric = part + shared_tail(part, parts[-1], r)
                found[j].flags.add("list")


def spelled_out(parts: list[str]) -> list[str]:
    """Items written short before what they share: 市、县两级财政… -> 市级, 县级财政…; 一、二、三产业 ->
    第一产业, 第二产业, 第三产业."""
    levels = regex.match(r"(\p{Han}{1,3}?)[两二三四]级(.+)", parts[-1])
    if levels and all(len(p) <= 3 for p in parts[:-1]):
        parts = [p + "级" for p in parts[:-1]] + [levels.group(1) + "级" + levels.group(2)]
    if all(p[:1] in "一二三" for p in parts) and parts[-1][1:].startswith("产业") \
            and all(len(p) == 1 for p in parts[:-1]):
        parts = ["第" + p for p in parts]
    return parts


def split_sector_word(word: str, sector_words: set[str]) -> list[str]:
    """信息产业 -> 信息 + 产业: a sector's name and its sector word, which the items of a list share."""
    sector = max((w for w in sector_words if word.endswith(w) and len(word) > len(w)), key=len, default="")
    return [word[:-len(sector)], sector] if sector else [word]


def list_items(subjects: str, n: int) -> list[str]:
    """The items of a list of subjects: split at 、, 和 and 及, or at 、 alone when that gives the n
    items the values ask for (智能光伏及新型储能、新能源汽车及零部件、电动工具产值: 及 inside items)."""
    outside = r"(?![^（(]*[）)])"  # not inside brackets: 县（市、区）
    parts = [p for p in regex.split(r"(?:、|和|及)" + outside, subjects) if p]
    by_comma = [p for p in regex.split("、" + outside, subjects) if p]
    return by_comma if len(parts) != n and len(by_comma) == n else parts


def counted_subjects(found: list[Found], i: int, members: list[int], parts: list[str], thing_of) -> list[str]:
    """推进27个A项目、380个B项目建设，力争分别完成投资260亿元、750亿元: a measure of no subject of its
    own, one value per thing counted in the list just before, is the measure of each of them (A项目投资,
    B项目投资)."""
    own = "" if "borrowed" in found[i].flags else parts[0] if parts else ""
    # (新增企业300家、个体户2000户，分别增长5%、8%: no measure of its own, the growth of each)
    if len(parts) > 1 or len(own) > 4 or i == 0:
        return []
    head = found[i - 1].list_head if found[i - 1].list_head is not None else i - 1
    before = [head] + [j for j in range(head + 1, i) if found[j].list_head == head]
    if len(before) != len(members) and i >= len(members) and all(
            found[j].list_head is None and found[j].pre for j in range(i - len(members), i)):
        before = list(range(i - len(members), i))  # targets each with its own metric, one after another
    # (or measured: 营业收入达到400亿元、利润总额达到13亿元，分别增长6%、4%: the growth of each)
    if len(before) != len(members) or len({found[j].quantity.unit_class for j in before}) != 1 \
            or found[before[0]].quantity.unit_class not in ("count", "measure"):
        return []
    return [thing_of(found[j].metric) + own for j in before]


def share_last_comparator(found: list[Found], members: list[int]) -> None:
    """分别增长5%、6%以上: a comparator written only after the last value of a list of values of
    one predicate applies to every value (GUIDE.md)."""
    last = found[members[-1]].comparator
    if len(members) > 1 and last != "=" and not found[members[0]].prefix_comparator:
        for j in members[:-1]:
            if found[j].comparator == "=":
                found[j].comparator = last


def compound_subjects(parts: list[str], n: int, compounds: dict[str, tuple[str, ...]]) -> list[str]:
    """One subject written as one word of n subjects (城乡 for 城镇 and 农村), spelled out."""
    if len(parts) != 1:
        return []
    for word, subjects in compounds.items():
        at = parts[0].find(word)  # 金融机构人民币存贷款余额: after a modifier too
        if at >= 0 and len(subjects) == n:
            return [parts[0][:at] + s + parts[0][at + len(word):] for s in subjects]
    return []


def shared_tail(part: str, last: str, r: Lexicon) -> str:
    """The words of the last item after its own name: 新材料产业产值 after 新能源 -> 产业产值;
    煤炭接卸能力 after 铁矿石 -> 接卸能力; 猕猴桃产量 after 茶叶 -> 产量; 三产增加值 after 一 ->
    产增加值; 农村居民人均可支配收入 after 城镇 -> 居民…."""
    if part == last or part.endswith(r.measure_words):
        return ""  # 接待游客人次、旅游收入、游客人均消费: an item that names its measure is whole
    words = [piece for w in jieba.lcut(last) for piece in split_sector_word(w, r.sector_words)]
    place = "".join(itertools.takewhile(lambda w: w[-1] in r.place_suffixes, words))
    bracket = regex.match(r"[（(][^）)]{1,8}[）)]", last[len(place):]) if place else None
    place += bracket.group(0) if bracket else ""  # 县（市）每年安排的…: the place with its alternatives
    if part[-1] in r.place_suffixes and place and place != last:
        return last[len(place):]  # 中心城区和县城环境空气质量优良率 (徐州高新区…): places share what follows
    sector = next((k for k in range(1, len(words)) if words[k] in r.sector_words), 0)
    if len(part) >= 3 and sector:
        # 新能源、汽车零部件产业产值: what the items are sectors of (主导产业及高新技术产业…: the item
        # names its sector word itself)
        tail = "".join(words[sector + part.endswith(words[sector]):])
    elif len(part) >= 3:
        # items of three characters or more are parallel names: the last item's own name ends at
        # the word boundary nearest the item's length (the nearer start on a tie)
        # (an item as long as the last one or longer takes its last word if that names a measure:
        # 智能光伏及新型储能 before 电动工具产值 -> 产值)
        ends = list(itertools.accumulate(map(len, words)))
        if len(part) >= len(last) and len(words) > 1 and words[-1] in r.measure_words:
            # (a one-character measure with its word: 养老保险和基本医疗保险参保率 -> 参保率)
            ends = ends[:-2] if len(words[-1]) == 1 and len(words) > 2 else ends[:-1]
        tail = last[min(ends, key=lambda end: (abs(end - len(part)), end)):]
        per = next((k for k in range(len(last) - len(tail) + 1, len(last)) if last.startswith(r.per_unit_words, k)), 0)
        if per:  # 居民医保和基本公共卫生服务经费人均财政补助标准: a measure per head is what the items share
            tail = last[per:]
        # 绿色建筑、装配式建筑占…比例: the item's own last word does not come twice
        tail = next((tail[k:] for k in range(min(len(part), len(tail)), 1, -1) if part.endswith(tail[:k])), tail)
    elif len(part) == 1 or len(words[0]) - len(part) >= 2 and words[0][len(part):].startswith(r.population_nouns):
        # one character stands for the first character of the last item (一、二、三产, 大、中、小学),
        # a kind of people for the modifier inside its first word (城镇、农村居民; not 高铁、高速公路)
        tail = last[len(part):]
    else:
        length, tail = 0, ""
        for n, word in enumerate(words):  # 茶叶、猕猴桃产量: a short item against whole words
            length += len(word)
            if length >= len(part):
                # (个人和小微企业贷款额度: the last item's own name takes its entity noun along)
                rest = words[n + 1:]
                while len(rest) > 1 and rest[0] in r.entity_nouns:
                    rest = rest[1:]
                tail = "".join(rest)  # (企业、个体户: a one-word item shares nothing)
                break
    # 开工率 before 资金到位率: an item that ends as the last one does is whole
    return "" if not tail or part.endswith(tail[-2:]) or part[-1] == tail[-1] else tail