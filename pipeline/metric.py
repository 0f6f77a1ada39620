"""Read the metric of a number from the clause around it.

The stretch before the number loses its leading verbs, adverbs, time words and frames, and its
trailing linking verbs and comparison bases (新增国家高新技术企业 -> 国家高新技术企业; 赤字率拟按 ->
赤字率); the stretch after a number that counts the noun after it is read up to a predicate
(推进42个区级重点产业项目建设 -> 区级重点产业项目建设). Offsets are document offsets.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from .lexicon import Lexicon, Linking
from .nlp import Tokens, is_nominal_tag, is_verb_tag, tag_of, tag_of_text

CLAUSE_BREAK = regex.compile(r"[，,；;：:。！？!?]")  # a line break inside a sentence is a wrap
EDGE_CHARS = "、，,：:；; \u3000\t\n的"
END_CHARS = EDGE_CHARS + "和及与或并“「‘《"  # 2300万省外劳动力和240万…: a conjunction ends no metric, nor an opening quote
NOT_NOUN_TAGS = ("u", "p", "c", "x", "d", "r", "m", "q", "f")
DATE_IN_NOUN = regex.compile(r"[0-9０-９]{1,2}月(?:[0-9０-９]{1,2}日)?(?:前|底|末|中旬|上旬|下旬)?")
# 和一批…, 十项A和百项B: the noun phrase of another quantity
# 优势突出、成长性好、带动力强的主导产业: an item of a list of qualities before 的 and the noun
RELATIVE_ITEM = regex.compile(r"[^、，,；;。0-9０-９]{1,8}的")
# 7个城市更新项目和一批城中村改造项目; 5个重大专项和新能源、绿色低碳等8个重点专项 (examples before the count)
ANOTHER_BATCH = regex.compile(
    r"[和及与](?=(?:[^，,；;。：:和及与等]{1,30}?等)?(?:一批|一系列|若干|[0-9０-９一二两三四五六七八九十百千万]+[个项条家所座处名]))")


@dataclass
class Stripped:
    """What strip() kept of a stretch, and what it took away."""

    s: int
    e: int
    actions: list[str] = field(default_factory=list)
    links: list[Linking] = field(default_factory=list)
    leading: list[str] = field(default_factory=list)
    predicate: bool = False  # the metric has a predicate of its own (达到, 突破, 不低于)
    based: bool = False  # a base of comparison was stripped (比上年增加)


def word_frequency(word: str) -> int:
    """How often jieba's dictionary says a word occurs (0 for a word it made up)."""
    import jieba

    return jieba.dt.FREQ.get(word) or 0


class MetricReader:
    """The text of one sentence and what is known about it, with the metric-reading steps."""

    def __init__(self, lexicon: Lexicon, text: str, start: int, end: int, tokens: Tokens):
        self.r = lexicon
        self.text = text
        self.start = start
        self.end = end
        self.tokens = tokens
        self.cuts: list[tuple[int, int]] = []  # starting values, left out of metrics
        self.number_edges: set[int] = set()  # quantities are word boundaries, whatever jieba did

    def boundary(self, offset: int) -> bool:
        """Whether a word starts or ends at offset (asking parses the sentence, if not yet done)."""
        if offset in self.number_edges:
            return True
        return offset in self.tokens.boundaries or not (self.number_edges or self.tokens.boundaries)

    def word_tag(self, s: int, limit: int) -> str:
        """POS tag of the word at s; re-tagged when jieba's token straddles s (500|个省|重大项目)."""
        token = self.tokens.at(s)
        if token is not None:
            return tag_of(token)
        return tag_of_text(self.text[s:min(limit, s + 12)])

    def strip(self, s: int, e: int, bounded: bool = False) -> Stripped:
        """Narrow text[s:e] to the metric: strip verbs, time words and linking verbs.
        `bounded`: a comparator (突破, 不低于) stands between the stretch and the number."""
        while s < e and self.text[s] in EDGE_CHARS:
            s += 1
        m = self.frame(s, e)  # a frame decides first: 按照X的10% is 10% of X
        if m:
            s, e = m.start(1), m.end(1)
        out = Stripped(s, e, predicate=bounded)
        changed = True
        while changed and out.s < out.e:
            changed = self.strip_end(out) or self.strip_start(out)
        return out

    def strip_end(self, out: Stripped) -> bool:
        s, e = out.s, out.e
        while e > s and self.text[e - 1] in END_CHARS and not self.ends_with_action(s, e):
            e -= 1  # (惠及 keeps its 及)
        e = self.end_without_tail(out, s, e)
        changed = (s, e) != (out.s, out.e)
        out.s, out.e = s, e
        return changed

    def end_without_tail(self, out: Stripped, s: int, e: int) -> int:
        """text[s:e] less one tail: a starting value, a comparison base, a linking verb or a
        trailing phrase (the first that applies), recording linking verbs in `out`."""
        seg = self.text[s:e]
        for cut_s, cut_e in self.cuts:  # a starting value at the end: 报销比例由50%
            if s <= cut_s < e <= cut_e:
                return cut_s
        m = self.r.base_end.search(seg)
        if m and m.start() < m.end():  # 比去年预算高: the base of a comparison
            out.based = True
            link = next((self.r.link_of[w] for w in self.r.linking_words.ending(m.group(0))), None)
            if link:  # its verb still says what kind of change
                out.links.append(link)
            return s + m.start()
        for link in map(self.r.link_of.get, self.r.linking_words.ending(seg)):
            if not self.protected_end(s, e - len(link.text)) \
                    and not self.ends_with_action(s, e, longer_than=len(link.text)):  # 改造提升 is no 提升
                out.links.append(link)
                return e - len(link.text)
        result = regex.search(r"(\p{Han}{2})[至到]$", seg)
        if result and len(seg) > 4 and self.boundary(e - 3) and is_verb_tag(tag_of_text(result.group(1))) \
                and not self.protected_end(s, e - 3):
            # 规模放大至500亿元: any verb with 至/到 before the number says what it becomes (a level)
            out.links.append(Linking(result.group(0), "level"))
            return e - 3
        for pattern in self.r.trailing:
            m = pattern.search(seg)
            if m and m.start() < m.end() and self.boundary(s + m.start()):  # (定向免费医学生: no 向 inside a word)
                return s + m.start()
        return e - len(self.trailing_adverb(s, e))

    def trailing_adverb(self, s: int, e: int) -> str:
        """The adverb text[s:e] ends with, a word of its own (保障性安居工程新, not 科技创新), or ''."""
        seg = self.text[s:e]
        return next((w for w in self.r.trailing_adverbs.ending(seg)
                     if len(seg) - len(w) >= 2 and self.boundary(e - len(w))), "")

    def strip_start(self, out: Stripped) -> bool:
        s, e = out.s, out.e
        while s < e and self.text[s] in EDGE_CHARS:
            s += 1
        s, e = self.narrow_start(out, s, e)
        changed = (s, e) != (out.s, out.e)
        out.s, out.e = s, e
        return changed

    def narrow_start(self, out: Stripped, s: int, e: int) -> tuple[int, int]:
        """text[s:e] less one head: a frame around the metric, a leading adverb, subject or time
        word, or an action verb (the first that applies), recording what went in `out`."""
        m = self.frame(s, e)
        if m:
            return m.start(1), m.end(1)
        seg = self.text[s:e]
        for pattern in self.r.leading.from_first_match(seg):
            m = pattern.match(seg)
            if m and m.end() > 0 and (m.end() > 1 or self.boundary(s + 1) or self.r.actions.starting(seg, 1)) \
                    and not self.protected_end(s, s + m.end()) \
                    and (m.end() == len(seg) or seg[m.end()] not in self.r.bound_morphemes
                         or self.boundary(s + m.end())):
                # 继续教育 keeps its 继续, 一体化项目 its 一体 (a suffix after it makes one word)
                out.leading.append(m.group(0))
                return s + m.end(), e
        participle = max((w for w in self.r.actions.starting(seg) if w in self.r.participles), key=len, default="")
        for word in self.r.actions.starting(seg):
            if participle.startswith(word) and word != participle:
                continue  # 新开工50亿元以上制造业项目不少于5个: no 新开 inside a participle
            # 提升村386个: an action leaves no one-character metric (了 after it is no metric anyway)
            # 回收利用率: a short rate after an action is the rate of that action; 造林绿化: two
            # activities named together; 绿化面积: the size of an activity; 招商和项目服务: a noun
            if (len(seg) - len(word) != 1 or seg[-1] in "了着过") and not self.protected_start(s, word) \
                    and not (seg.endswith("率") and len(seg) - len(word) <= 3 and word not in self.r.light_verbs) \
                    and not (word in self.r.nominal_actions and seg[len(word):] in self.r.nominal_actions) \
                    and not (word in self.r.nominal_actions and seg[len(word):] in self.r.generic_heads) \
                    and not (word in self.r.award_nouns and seg[len(word):] in self.r.fund_nouns) \
                    and not (word in self.r.nominal_actions and self.coordinated_noun(s + len(word))) \
                    and not self.before_a_country(s, word) and not self.inside_common_word(s, s + len(word)) \
                    and self.text[s + len(word):s + len(word) + 1] not in self.r.bound_morphemes \
                    and not (word in self.r.participles and len(word) < len(seg) and (
                        out.predicate or any(len(link.text) > 1 for link in out.links))
                        and (seg[len(word):].startswith(tuple(self.r.entity_nouns))
                             or seg[len(word):] in self.r.generic_heads)):
                # (a participle before a bounded count names a kind when its noun follows: 新开工项目达到
                # 50个, 储备规模超万亿; not before modifiers: 引进各类人才超12万人 -> 各类人才)
                out.actions.append(word)
                return s + len(word), e
        return s, e

    def after_inner_verb(self, st: Stripped) -> None:
        """组织企业参加境外专业展会 -> 境外专业展会: an inner verb with a subject before it;
        聚焦A、B等打造C, 实施A、新增C -> C: an action after a list ends the list's clause;
        A省级给予B -> AB: who grants an award is no part of it."""
        seg = self.text[st.s:st.e]
        clause = self.clause_in_list(st.s, st.e)
        if clause:  # 瞪羚企业实现“零”的突破、国家高新技术企业突破90家: the item before has its own predicate
            st.s += clause
            return
        m = self.r.action_after_list.search(seg)
        shared = regex.match(r"[^，,；;。]{0,2}[均都]", self.text[st.e:st.e + 4])  # A、接待B均增长: both subjects
        if m and len(seg) - m.end() >= 2 and not shared:
            st.actions.append(m.group("action"))
            st.s += m.end()
            self.strip_chained_actions(st)
            return
        granter = self.r.granter_inside.search(seg)
        if granter:  # 企业级工业互联网平台省级给予一次性奖补: the platform's award, not who grants it
            st.actions.append(granter.group(0))
            self.cuts.append((st.s + granter.start(), st.s + granter.end()))
            self.cuts.sort()
            return
        for word in self.r.light_verbs:
            i = seg.find(word, 2)
            # (not before what people counted do: 困难人员实现再就业7800人 keeps 实现; not inside a
            # name in quotes: 用于“两个确保”和城市“低保”的补助资金)
            if 2 <= i and len(seg) - i - len(word) >= 2 and self.boundary(st.s + i) \
                    and seg.count("“", 0, i) <= seg.count("”", 0, i) \
                    and not any(seg.endswith(a) for a in self.r.counted_acts) \
                    and seg[i + len(word)] not in self.r.bound_morphemes \
                    and self.boundary(st.s + i + len(word)) and not self.protected_end(st.s, st.s + i + len(word)):
                st.actions.append(word)
                if seg[:i].endswith(self.r.scope_adverbs) or seg[i - 1] == "、":
                    # 行政村基本实现集体经济总收入 -> 集体经济总收入; 推动“中华鹅乡”建设、力争养殖量 -> 养殖量
                    # (a light verb after 、 opens a clause of its own)
                    st.s += i + len(word)
                    return
                # 产业集群完成产值600亿元 -> 产业集群产值: the subject and its measure, without the verb
                # (not a noun made of the verb: 投资完成额, 完成率)
                self.cuts.append((st.s + i, st.s + i + len(word)))
                self.cuts.sort()
                return
        for word in self.r.inner_verbs:
            i = seg.rfind(word)
            if i >= 2 and len(seg) - i - len(word) >= 3 and not self.protected_end(st.s, st.s + i + len(word)) \
                    and "占" not in seg and not seg.endswith("率") \
                    and seg[i + len(word)] not in self.r.bound_morphemes \
                    and seg[i + len(word):] not in self.r.bare_nouns \
                    and not (shared and "、" in seg[:i]) \
                    and seg.count("“", 0, i) <= seg.count("”", 0, i):
                # 融合型共建型教共体; …建设示范区; “新时代城市建设者之家” (a verb inside quotes is a name's);
                # 研发机构建设认定率 (a rate is of what is before the verb too);
                # 驻点招商引进项目投资额占…总额, 民营企业贷款占新增企业贷款比重 (a share names both its
                # parts, verbs and all); A、新引进B均达到85%:
                # one target of the whole list
                st.actions.append(word)
                st.s += i + len(word)
                self.strip_chained_actions(st)
                return

    def strip_chained_actions(self, st: Stripped) -> None:
        """引进孵化科创企业, 主导或参与制订国家标准: after an inner verb, the actions chained to it go
        too, one by one."""
        while st.s < st.e and self.strip_start(st):
            pass

    def clause_in_list(self, s: int, e: int) -> int:
        """How far into text[s:e] the metric starts when a 、-item before it is a clause of its own, a
        subject with a linking verb and no number (水环境质量稳居全国前列、重点建设用地安全利用率保持100%), or 0."""
        seg = self.text[s:e]
        ends = [i for i, c in enumerate(seg) if c == "、"]
        for item_start, item_end in reversed(list(zip([0] + [i + 1 for i in ends], ends))):
            if seg[item_start:item_end].endswith(self.r.measure_words):
                continue  # 规上工业营收占全市比重: a metric with 占 in it
            for i in range(item_start + 2, item_end):
                # (a verb of two characters or more with its object: not 工业增加值, 投资完成, 高品质)
                link = max((w for w in self.r.linking_words.starting(seg, i) if len(w) > 1), key=len, default="")
                if link and self.boundary(s + i) and item_end - i - len(link) >= 2 \
                        and seg[i + len(link)] not in self.r.bound_morphemes:
                    return item_end + 1
        return 0

    def frame(self, s: int, e: int):
        """从失业保险基金结余中 -> 失业保险基金结余; 按照项目设备购置额的 -> 项目设备购置额."""
        for frame in self.r.frames.from_first_match(self.text, s, e, full=True):
            m = frame.fullmatch(self.text, s, e)
            if m:
                return m
        return None

    def coordinated_noun(self, after: int) -> bool:
        """招商和项目服务一线人员: an activity joined by 和 to a noun is a noun itself (引进和培育 joins
        two actions)."""
        return self.text[after:after + 1] in ("和", "及", "与") and self.boundary(after + 1) \
            and not self.r.function_char_nouns.starting(self.text, after) and not self.r.actions.starting(self.text, after + 1)

    def before_a_country(self, s: int, word: str) -> bool:
        """对俄进出口总额: 对 before a country's one-character name is part of the metric (trade with it)."""
        after = s + len(word)
        return word in ("对", "向") and self.text[after:after + 1] in self.r.country_abbreviations \
            and self.text[after + 1:after + 2] not in self.r.country_abbreviations + "于"

    def protected_start(self, s: int, word: str) -> bool:
        """建设用地 is a noun: its 建设 is no action (also when one jieba token starts there, a word
        of jieba's dictionary common enough to be one: 开发区, 建成区; not 新建村 or 新建户, which
        jieba makes of 新建村内道路 and 新建户厕)."""
        token = self.tokens.at(s)
        if token is not None and len(token.text) > len(word) and self.common_word(token.text, len(word)):
            return True
        return bool(self.r.compounds.starting(self.text, s))

    def common_word(self, token: str, cut: int) -> bool:
        """Whether a jieba token cut after `cut` characters is a word of its own, common enough to
        keep whole (jieba's 开发新|产品 glues an adverb to the verb: no word)."""
        return word_frequency(token) >= self.r.min_compound_frequency and token[cut:] not in self.r.trailing_adverbs

    def inside_common_word(self, s: int, cut: int) -> bool:
        """Whether `cut` falls inside a common jieba word (新增|设施: 新增设 is no action of 新增设施);
        a one-character action never cuts a word (引进外资 keeps its 引)."""
        if self.boundary(cut) or cut >= self.end:
            return False
        if cut - s == 1:
            return True
        start = max((k for k in self.tokens.starts if k < cut), default=None)
        token = self.tokens.at(start) if start is not None else None
        return token is not None and self.common_word(token.text, cut - start)

    def protected_end(self, s: int, cut: int) -> bool:
        """No cut at `cut` inside a compound: 经济增长 keeps its 增长, 继续教育 its 继续."""
        return any(k + len(c) > cut for k in range(max(s, cut - self.r.compounds.longest + 1), cut)
                   for c in self.r.compounds.starting(self.text, k))

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
            metric = pattern.sub("", metric)
        metric = metric.strip(EDGE_CHARS)
        if metric[:1] in "（(" and not regex.search(r"[）)]", metric):
            metric = metric[1:]  # 示范村100个（精品村20个）: the bracket opens before the part's noun
        return metric

    def post_metric(self, s: int, limit: int, lenient: bool, before_next: bool,
                    adverb_first: bool = True, listed_before: bool = False,
                    share: bool = False) -> tuple[int, int]:
        """The noun phrase a number precedes: 42个区级重点产业项目建设 -> 区级重点产业项目建设; of a share,
        with what the things it is a share of do (60%的社区达到充分就业社区标准)."""
        while s < limit and self.text[s] in "的 \u3000":
            s += 1
        s = next((cut_e for cut_s, cut_e in self.cuts if cut_s == s and cut_e < limit), s)  # 6个[年度计划总投资100亿元的]项目
        if s >= limit or CLAUSE_BREAK.match(self.text, s) or self.text[s] == "且":
            return s, s  # 总收入35万元以上且经营性收入15万元以上: 且 opens the next target
        if any(p.match(self.text, s, limit) for p, _ in self.r.prefix_patterns):
            return s, s  # 保4争5拼6: the slogan's next bound, no noun
        verb = next(iter(self.r.verbs_after.starting(self.text, s)), "")
        if len(verb) > 1 and verb not in self.r.participles and self.boundary(s + len(verb)) \
                and not any(cut_s == s for cut_s, _ in self.cuts) \
                and self.text[s + len(verb):s + len(verb) + 2] not in self.r.entity_nouns \
                and not self.r.compounds.starting(self.text, s):
            return s, s  # 资产盘活300亿元用于支持产业发展: a predicate right after the number, no noun
        tag = self.word_tag(s, limit)
        opener = self.text[s] in "“\"《「‘" or self.text[s].isascii() and self.text[s].isalnum() \
            or bool(self.r.function_char_nouns.starting(self.text, s)) \
            or bool(regex.match(r"[过超][0-9０-９一二三四五六七八九十百千万亿]", self.text[s:s + 2]))  # 3个过二十亿元项目
        # with nothing before a number, or after a count, its noun is after it, whatever jieba
        # thinks of the first word (特别|国债, 推出5个以上开放|场景)
        # (an amount after an action is followed by its noun, not by an adverb: 投资5亿元共同打造…)
        content = tag[:1] not in ("u", "p", "c", "x") + (() if adverb_first else ("d",)) if lenient else \
            tag[:1] not in NOT_NOUN_TAGS and not is_verb_tag(tag)
        if lenient and tag[:1] == "p" and "的" in self.text[s:limit]:
            content = True  # 培育3家在国内具有较强影响力的…平台: a relative clause before the noun
        if not (opener or is_nominal_tag(tag) or content or tag[:1] in "mq" and not self.text[s].isdigit()):
            return s, s
        e = limit
        if before_next and "、" in self.text[s:limit]:
            e = self.text.rindex("、", s, limit)  # …绿化、沿街163栋: 沿街 belongs to the next number
        date = DATE_IN_NOUN.search(self.text, s + 2, e)
        e = date.start() if date else e  # 188个盟级重点项目4月15日前全部开复工
        other = ANOTHER_BATCH.search(self.text, s + 2, limit + 40)  # (its count may be the next number)
        e = other.start() if other and other.start() < e else e  # 7个城市更新项目和一批城中村改造项目
        also = self.text.find("以及", s + 2, e)
        e = also if also >= 0 else e  # 5个试点生活圈建设以及特色街区发展: 以及 adds another work
        dash = self.text.find("——", s + 2, e)
        e = dash if dash >= 0 else e  # 一座标志性公园——海拉尔河湿地公园: the dash opens its name
        etc = s if listed_before else self.text.find("等", s, e)
        if etc >= 0 and self.text.find("、", etc, e) >= 0:
            # the noun of an example list ends with its item: 卡阳、松如沟等14个750千伏电网工程、青疆联网通道
            e = self.text.find("、", etc, e)
        if listed_before:  # 武昌等3个区级消费中心和特色消费中心: the class of the examples, not what is added
            joins = [j for j in range(s + 2, e) if self.text[j] in "和及与" and self.boundary(j)
                     and self.boundary(j + 1) and not self.r.function_char_nouns.starting(self.text, j)]
            e = joins[0] if joins else e
        if "等" not in self.text[s:e]:  # A、B等C is one noun phrase
            i = self.text.find("、", s, e)
            while i >= 0:  # 新建10个A、推进B: a 、 before an action ends the noun phrase
                # (not in a relative clause: 10家建设水平突出、发展成效明显的数字产业园区)
                adverb = next(iter(self.r.clause_adverbs.starting(self.text, i + 1)), "")  # 、积极争创…
                if self.r.actions.starting(self.text, i + 1 + len(adverb)) and "的" not in self.text[i:e]:
                    e = i
                    break
                i = self.text.find("、", i + 1, e)
        # the first predicate (a metric keeps two characters at least); of overlapping ones the
        # one that starts first, whatever the order of the list (工业新增长点: 新增, not 增长)
        ends = self.r.change_words if share and not before_next else self.r.predicates
        first = ends.first_in(self.text, s + 2, e)
        while first >= 0 and (not self.boundary(first) or self.r.compounds.starting(self.text, first)
                              or self.text[first - 1] == "待"
                              or self.text[first - 1] == "、" and RELATIVE_ITEM.match(self.text, first, e)
                              or any(self.text[first + len(w):e] in self.r.entity_nouns
                                     for w in ends.starting(self.text, first))):
            # (a predicate inside a word is none: 国家水土保持示范县, 重大增长点; nor one after 待:
            # 已签约待开工项目; nor one in a relative clause: 优势突出、带动力强的主导产业)
            first = ends.first_in(self.text, first + 1, e)  # 545个重点实施项目: a kind of project
        e = first if first >= 0 else e
        e = self.before_adverb(s, e)
        while e > s and self.text[e - 1] in END_CHARS:
            e -= 1
        return s, self.before_postposition(s, e)

    def before_postposition(self, s: int, e: int) -> int:
        """省定民生实事的基础上 -> 省定民生实事: a postposition ending the phrase makes it a condition."""
        for word in self.r.postpositions.ending(self.text[s:e]):
            i = e - len(word)
            if i - s >= 2 and (len(word) > 1 or self.boundary(i)):
                return i
        return e

    def before_adverb(self, s: int, e: int) -> int:
        """A count's noun phrase ends at an adverb or a preposition that opens a predicate: 20多万
        最后无电人口都能用上电 -> 最后无电人口; 100亿元的数字经济发展专项基金在…框架下设立 ->
        数字经济发展专项基金 (a metric keeps two characters at least)."""
        if "的" in self.text[s:e]:
            return e  # 在国内具有较强影响力的…平台: a relative clause, whatever its words
        for i in range(s + 2, e):
            token = self.tokens.at(i)
            # (an opener jieba cuts in two, 不|动摇, by its text: 18亿亩耕地红线不动摇)
            if token is not None and (token.text in self.r.predicate_openers or any(
                    self.text.startswith(w, i) for w in self.r.predicate_openers if len(w) > len(token.text))):
                return i
        return e

    def ends_with_action(self, s: int, e: int, longer_than: int = 1) -> str:
        """The action word (of more than `longer_than` characters) that text[s:e] ends with."""
        seg = self.text[s:e]
        return next((w for w in self.r.actions.ending(seg) if len(w) > longer_than), "")

    def strip_trailing_predicate(self, st: Stripped) -> None:
        """大科学装置投运一个: a predicate between the counted thing and its count is no part of the
        metric (an action noun is: 景观改造26万平方米)."""
        seg = self.text[st.s:st.e]
        word = next((w for w in self.r.predicates.ending(seg) if len(w) > 1 and w not in self.r.counted_acts), "")
        if word and len(seg) - len(word) >= 2:
            st.e -= len(word)
            st.actions.append(word)
            st.e -= len(self.trailing_adverb(st.s, st.e))  # 保障性安居工程新安排740万套

    def earlier_object(self, action: str, before: int) -> str:
        """发行超长期特别国债…，今年先发行1万亿元: the noun the same verb took earlier."""
        i = self.text.rfind(action, self.start, before)
        if i < 0:
            return ""
        m = CLAUSE_BREAK.search(self.text, i, before)
        st = self.strip(i + len(action), m.start() if m else before)
        noun = self.metric_text(st.s, st.e)
        return "" if regex.search(r"[0-9０-９]", noun) else noun  # 新建项目开工40%以上: a number, no object
