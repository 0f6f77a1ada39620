"""The word lists and patterns of rules/ that the commitments stage reads, loaded and compiled once."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

import regex

from .exclusions import load_exclusions
from .rules import Rules, compile_pattern, require, rules_for


class Words(list):
    """A word list in its order (longest first where that decides), indexed by first and last
    character, so that the words a text starts or ends with are found without trying them all."""

    def __init__(self, words):
        super().__init__(w for w in words if w)
        by_first, self.by_last = {}, {}
        for w in self:
            by_first.setdefault(w[0], []).append(w)
            self.by_last.setdefault(w[-1], []).append(w)
        # by the first two characters: the words that start so, and the one-character words that
        # are the first (in list order); other pairs of characters can start one-character words only
        self.by_first_two = {w[:2]: [] for w in self if len(w) > 1}
        for pair, candidates in self.by_first_two.items():
            candidates.extend(w for w in by_first[pair[0]] if len(w) == 1 or w[1] == pair[1])
        self.single = {c: [w for w in same_first if len(w) == 1] for c, same_first in by_first.items()}
        self.longest = max(map(len, self), default=0)

    def starting(self, text: str, i: int = 0) -> list[str]:
        """The words text[i:] starts with, in list order."""
        candidates = self.by_first_two.get(text[i:i + 2])
        if candidates is None:
            return self.single.get(text[i:i + 1], [])[:]
        return [w for w in candidates if text.startswith(w, i)]

    def ending(self, text: str) -> list[str]:
        """The words text ends with, in list order."""
        return [w for w in self.by_last.get(text[-1:], ()) if text.endswith(w)]

    def first_in(self, text: str, start: int, end: int) -> int:
        """Where the first of any of the words in text[start:end] starts, or -1: one leftmost
        search of their alternation instead of a find per word."""
        m = self.alternation.search(text, start, end) if self else None
        return m.start() if m else -1

    @cached_property
    def alternation(self) -> regex.Pattern:
        return regex.compile("|".join(map(regex.escape, self)))


class Patterns(list):
    """Patterns tried in order, with one alternation of them all: matched at a position, it tells
    the first pattern that matches there in one call instead of one call per pattern (Python's
    per-call cost dominates on short texts)."""

    def __init__(self, patterns: list[regex.Pattern]):
        super().__init__(patterns)
        self.any = regex.compile("|".join(f"(?P<pattern_{n}>{p.pattern})" for n, p in enumerate(patterns)))
        self.number_of_group = {self.any.groupindex[f"pattern_{n}"]: n for n in range(len(patterns))}

    def from_first_match(self, text: str, pos: int = 0, endpos: int | None = None, full: bool = False):
        """The patterns from the first that matches text at pos (fullmatches text[pos:endpos] if
        `full`) to the last: the ones before it cannot match."""
        endpos = len(text) if endpos is None else endpos
        m = (self.any.fullmatch if full else self.any.match)(text, pos, endpos)
        return self[self.number_of_group[m.lastindex]:] if m and m.lastindex else []


@dataclass(frozen=True)
class Linking:
    text: str
    kind: str  # change | level | neutral | hedge


class Lexicon:
    """actions.yaml, comparators.yaml, hedges.yaml and exclusions.yaml, compiled."""

    def __init__(self, rules: Rules):
        a_path = rules.path("actions.yaml")
        actions = rules.load("actions.yaml")
        self.nominal_actions = [str(x) for x in actions.get("nominal_actions") or []]
        self.change_actions = {str(x) for x in actions.get("change_actions") or []}
        verbs = {str(x) for x in actions["actions"]} | self.change_actions
        # 落实好, 办好: an action with the resultative 好 is the same action; 新签约: so with 新
        verbs |= {v + "好" for v in verbs if len(v) > 1} | {"新" + v for v in verbs if len(v) > 1}
        self.actions = Words(sorted(verbs, key=len, reverse=True))
        any_action = "|".join(map(regex.escape, self.actions))
        self.subjects = {str(x) for x in actions.get("subjects") or []}
        any_subject = "|".join(map(regex.escape, sorted(self.subjects, key=len, reverse=True)))
        self.funders = sorted((str(x) for x in actions.get("funders") or []), key=len, reverse=True)
        any_funder = "|".join(map(regex.escape, self.funders))
        leading = []
        for entry in actions.get("leading") or []:
            require(entry, ["pattern"], a_path)
            pattern = "^(?:" + entry["pattern"].replace("{action}", f"(?:{any_action})") \
                .replace("{subject}", any_subject).replace("{funder}", any_funder) + ")"
            leading.append(compile_pattern(pattern, a_path, entry))
        self.leading = Patterns(leading)
        self.bound_morphemes = str(actions.get("bound_morphemes") or "")
        self.land_units = {str(x) for x in actions.get("land_units") or []}
        self.generic_heads = {str(x) for x in actions.get("generic_heads") or []}
        self.measure_words = tuple(str(x) for x in actions.get("measure_words") or [])
        self.place_suffixes = str(actions.get("place_suffixes") or "")
        self.population_nouns = tuple(str(x) for x in actions.get("population_nouns") or [])
        self.per_unit_words = tuple(str(x) for x in actions.get("per_unit_words") or [])
        self.fund_nouns = {str(x) for x in actions.get("fund_nouns") or []}
        self.sector_words = {str(x) for x in actions.get("sector_words") or []}
        self.sector_measures = {str(x) for x in actions.get("sector_measures") or []}
        self.participles = {str(x) for x in actions.get("participles") or []}
        self.inner_verbs = [str(x) for x in actions.get("inner_verbs") or []]
        self.bare_nouns = {str(x) for x in actions.get("bare_nouns") or []}
        self.country_abbreviations = str(actions.get("country_abbreviations") or "")
        self.counted_acts = {str(x) for x in actions.get("counted_acts") or []}
        self.entity_nouns = {str(x) for x in actions.get("entity_nouns") or []}
        self.min_compound_frequency = int(actions.get("min_compound_frequency") or 0)
        self.predicate_openers = {str(x) for x in actions.get("predicate_openers") or []}
        self.clause_adverbs = Words(str(x) for x in actions.get("clause_adverbs") or [])
        self.postpositions = Words(str(x) for x in actions.get("postpositions") or [])
        self.compound_subjects = {str(k): tuple(map(str, v)) for k, v in (actions.get("compound_subjects") or {}).items()
                                  if k != "__line__"}
        self.topic_opening = compile_pattern(actions["topic_opening"]["pattern"], a_path, actions["topic_opening"])
        self.place_name = compile_pattern(actions["place_name"]["pattern"], a_path, actions["place_name"])
        self.check_long_metric = int((actions.get("check") or {}).get("long_metric", 16))
        self.purpose_after = compile_pattern(actions["purpose_after"]["pattern"], a_path, actions["purpose_after"])
        self.deadline_act = compile_pattern(actions["deadline_act"]["pattern"], a_path, actions["deadline_act"])
        self.granter_inside = compile_pattern(actions["granter_inside"]["pattern"], a_path, actions["granter_inside"])
        self.unit_things = {str(unit): compile_pattern(pattern, a_path, {"name": f"unit_things {unit}"})
                            for unit, pattern in (actions.get("unit_things") or {}).items() if unit != "__line__"}
        widened = actions["scope_widened"]
        self.scope_links = {str(x) for x in widened["links"]}
        self.scope_places = compile_pattern(widened["places"], a_path, widened)
        self.generic_kind_after_etc = compile_pattern(actions["generic_kind_after_etc"]["pattern"], a_path,
                                                      actions["generic_kind_after_etc"])
        projects = actions["livelihood_projects"]
        self.livelihood_projects_before = compile_pattern(projects["before"], a_path, projects)
        self.livelihood_projects_after = compile_pattern(projects["after"], a_path, projects)
        self.scope_adverbs = tuple(str(x) for x in actions.get("scope_adverbs") or [])
        self.light_verbs = [str(x) for x in actions.get("light_verbs") or []]
        self.function_char_nouns = Words(str(x) for x in actions.get("function_char_nouns") or [])
        self.object_frames = [(str(a), str(b)) for a, b in actions.get("object_frames") or []]
        self.trailing_adverbs = Words(sorted((str(x) for x in actions.get("trailing_adverbs") or []), key=len,
                                             reverse=True))
        self.trailing_action_nouns = Words(str(x) for x in actions.get("trailing_action_nouns") or [])
        long_actions = "|".join(map(regex.escape, (a for a in self.actions if len(a) > 1)))
        self.action_after_list = regex.compile(f".*[、等](?P<action>{long_actions})")
        self.award_nouns = [str(x) for x in actions.get("award_nouns") or []]
        awards = "|".join(map(regex.escape, sorted(self.award_nouns, key=len, reverse=True)))
        self.award_noun = regex.compile(awards)
        self.award_after = regex.compile(f"(?:的比例|的)?[，,]?(?:给予|予以)(?P<award>[\\p{{Han}}]{{0,4}}?(?:{awards}))")
        self.linking = []
        for entry in actions.get("linking") or []:
            require(entry, ["text", "kind"], a_path)
            self.linking.append(Linking(str(entry["text"]), entry["kind"]))
        self.linking.sort(key=lambda x: len(x.text), reverse=True)
        self.linking_words = Words(link.text for link in self.linking)
        self.link_of = {}  # text -> the first Linking with it
        for link in self.linking:
            self.link_of.setdefault(link.text, link)
        base = actions["comparison_base"]
        self.base_end = compile_pattern("(?:" + base["pattern"] + ")$", a_path, base)
        self.trailing = [compile_pattern("(?:" + e["pattern"] + ")$", a_path, e)
                         for e in actions.get("trailing") or []]
        self.frames = Patterns([compile_pattern(e["pattern"], a_path, e) for e in actions.get("frames") or []])
        self.noise = [compile_pattern(e["pattern"], a_path, e) for e in actions.get("noise") or []]
        self.compounds = Words(str(c) for c in actions.get("compounds") or [])
        self.verbs_after = Words(str(x) for x in actions.get("predicate_after") or [])
        # a noun phrase after a count ends at a predicate or a linking verb (310条河流…提升至75%)
        self.predicates = Words(sorted({str(x) for x in actions.get("predicate_after") or []} |
                                 {link.text for link in self.linking if len(link.text) > 1 and link.kind != "change"},
                                 key=len, reverse=True))
        # a share's noun phrase runs on through what its things do, to a change of the whole (…增长目标)
        self.change_words = Words(sorted({link.text for link in self.linking if len(link.text) > 1
                                          and link.kind == "change"}, key=len, reverse=True))

        comp = rules.load("comparators.yaml")
        # (text, comparator, the unit class it follows or None for any)
        self.suffixes = sorted(((e["text"], e["comparator"], e.get("unit_class")) for e in comp["suffixes"]),
                               key=lambda x: len(x[0]), reverse=True)
        self.prefixes = sorted(((e["text"], e["comparator"]) for e in comp["prefixes"]),
                               key=lambda x: len(x[0]), reverse=True)
        self.prefix_comparator = dict(self.prefixes)
        self.prefix_words = Words(w for w, _ in self.prefixes)  # the words a text ends with, found by its last character
        self.not_prefixes = set(comp.get("not_prefixes") or [])
        c_path = rules.path("comparators.yaml")
        slogan_bounds = [(compile_pattern(e["pattern"], c_path, e), e) for e in comp.get("prefix_patterns") or []]
        self.prefix_patterns = [(pattern, str(e["comparator"])) for pattern, e in slogan_bounds]
        # what may stand right before a count in words (办好十件, 达到两千): actions and linking verbs
        # (and the adverbs of speed that govern a count with the action after it: 加快两个国家区域医疗中心建设)
        self.verbs_before_counts = Words(self.actions + [link.text for link in self.linking if len(link.text) > 1]
                                         + [str(x) for x in actions.get("speed_adverbs") or []])
        long_prefixes = "|".join(regex.escape(w) for w, _ in self.prefixes if len(w) > 1)
        # 不少于城市建成区面积的45%, 不超过项目投资额30%: a bound before a noun phrase binds its number
        negated = "|".join(regex.escape(w) for w, _ in self.prefixes if w.startswith("不"))
        self.prefix_of_phrase = regex.compile(
            f"({long_prefixes})[^，,；;。：:\\d]{{1,12}}的$|({negated})[^，,；;。：:\\d的]{{1,12}}$")
        # 至少新建1所, 每个园区至少储备土地1000亩: an adverb bound before the verb phrase of the number
        over_phrase = "|".join(regex.escape(str(e["text"])) for e in comp["prefixes"] if e.get("over_phrase"))
        self.bound_over_phrase = regex.compile(f"({over_phrase})[^，,；;。：:\\d的]{{1,12}}$") if over_phrase else None
        h_path = rules.path("hedges.yaml")
        hedges = rules.load("hedges.yaml")
        words = sorted((str(e["text"]) for e in hedges["words"]), key=len, reverse=True)
        hopes = [pattern.pattern for pattern, e in slogan_bounds if e.get("hedge")]  # 保8争9: the 9
        self.hedge = regex.compile("|".join(list(map(regex.escape, words)) + hopes))
        self.not_hedges = [compile_pattern(e["pattern"], h_path, e) for e in hedges.get("not_hedges") or []]
        self.exclusions = load_exclusions(rules, any_action)


@lru_cache(maxsize=8)
def lexicon(rules_dir: str | None = None) -> Lexicon:
    return Lexicon(rules_for(rules_dir))
