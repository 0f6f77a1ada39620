"""Normalize a row: canonical indicator key (rules/metrics.yaml) and work area (rules/areas.yaml)."""
from __future__ import annotations

from functools import lru_cache

import regex

from .lexicon import Words
from .rules import RulesError, Rules, compile_pattern, require, rules_for

QUOTES = "“”\"'‘’《》「」"
TEXT_KEY = "text:"  # the key of a metric that is no canonical indicator: text:国家高新技术企业


WITHOUT_QUOTES = str.maketrans("", "", QUOTES)
# the subjects of one target shared by several indicators: 社会消费品零售总额、固定资产投资增长4%左右
SUBJECTS = regex.compile("、|和|及|与|以及")


def plain_metric(metric: str) -> str:
    """The metric without quotes and whitespace."""
    return "".join(metric.translate(WITHOUT_QUOTES).split())


class Normalizer:
    def __init__(self, rules: Rules):
        m_path = rules.path("metrics.yaml")
        data = rules.load("metrics.yaml")
        scope, suffixes = data.get("scope") or "", data.get("suffixes") or ""
        qualifiers, verbs = data.get("qualifiers") or "(?!)", data.get("verbs") or "(?!)"
        ending = f"(?:{qualifiers})?(?:{suffixes})?(?:{qualifiers})?"
        self.wording = compile_pattern(f"^(?:{scope})*(?P<core>.+?){ending}$", m_path, data)
        self.indicators = []  # (key, name, full-match pattern)
        self.names = {}  # key -> (name, name in English)
        self.by_phrase = {}  # phrase -> numbers of the indicators that have it, in file order
        seen = {}
        for ind in data.get("indicators") or []:
            require(ind, ["key", "name", "phrases"], m_path)
            if ind["key"] in seen:
                raise RulesError(f"{m_path.name}:{ind['__line__']}: indicator {ind['key']!r} repeats line {seen[ind['key']]}")
            seen[ind["key"]] = ind["__line__"]
            plain = sorted({plain_metric(str(p)) for p in ind["phrases"]}, key=len, reverse=True)
            if "" in plain:
                raise RulesError(f"{m_path.name}:{ind['__line__']}: indicator {ind['key']!r} has an empty phrase")
            pattern = f"(?:{scope})*(?:{verbs})?(?:{'|'.join(map(regex.escape, plain))}){ending}"
            self.indicators.append((ind["key"], ind["name"], compile_pattern(pattern, m_path, ind)))
            self.names[ind["key"]] = (str(ind["name"]), str(ind.get("en") or ""))
            for phrase in plain:
                self.by_phrase.setdefault(phrase, []).append(len(self.indicators) - 1)
        self.phrases = Words(self.by_phrase)
        self.shared_subjects = {str(k): [str(s) for s in v] for k, v in (data.get("shared_subjects") or {}).items()
                                if k != "__line__"}
        a_path = rules.path("areas.yaml")
        areas = rules.load("areas.yaml")
        self.default_area = areas.get("default", "")
        keywords = []  # (keyword, area) in file order
        for area in areas.get("areas") or []:
            require(area, ["name", "keywords"], a_path)
            keywords.extend((str(k), area["name"]) for k in area["keywords"] if str(k))
        keywords.sort(key=lambda ka: -len(ka[0]))  # longest first, then file order
        self.keywords = Words(k for k, _ in keywords)
        self.area_of = {}  # keyword -> the area of its first place in that order
        for keyword, area in keywords:
            self.area_of.setdefault(keyword, area)

    def metric_key(self, metric: str, action: str = "") -> str:
        """The canonical indicator's key, else text: and the metric's wording without scope and
        suffix (全市新增高新技术企业总量 -> text:新增高新技术企业), so that the same wording in
        two years gets the same key. An action before the metric belongs to an indicator's name
        when the two make it (新增 + 就业: 新增就业, urban_new_jobs)."""
        text = plain_metric(metric)
        for candidate in (text, plain_metric(action) + text) if action else (text,):
            for n in sorted(self.candidates(candidate)):  # the first indicator in file order that matches wins
                key, _, pattern = self.indicators[n]
                if pattern.fullmatch(candidate):
                    return key
        m = self.wording.match(text)
        return TEXT_KEY + (m.group("core") if m else text)

    def metric_keys(self, metric: str, key: str | None = None) -> list[str]:
        """The indicators a row's target is for: its metric_key (`key`, else read from metric);
        for a subject that stands for several (城乡居民人均可支配收入: the urban and the rural income)
        the key of each; for one target shared by subjects named side by side (社会消费品零售总额、
        固定资产投资增长4%左右) the key of each subject that is an indicator (一般公共预算总收入、地方
        一般公共预算收入均增长5.5%: the second)."""
        key = key or self.metric_key(metric)
        text = plain_metric(metric)
        for word, subjects in self.shared_subjects.items():
            if text.startswith(word):
                keys = [self.metric_key(s + text[len(word):]) for s in subjects]
                if not any(k.startswith(TEXT_KEY) for k in keys):
                    return keys
        if not key.startswith(TEXT_KEY):
            return [key]
        parts = SUBJECTS.split(plain_metric(metric))
        keys = [k for k in map(self.metric_key, parts) if not k.startswith(TEXT_KEY)] if len(parts) > 1 else []
        return list(dict.fromkeys(keys)) or [key]

    def candidates(self, text: str) -> set[int]:
        """The indicators with a phrase somewhere in text: only they can match it (a phrase
        look-up by first characters instead of a pattern per indicator)."""
        found = set()
        for i in range(len(text)):
            for phrase in self.phrases.starting(text, i):
                found.update(self.by_phrase[phrase])
        return found

    def area_in(self, text: str) -> str:
        """The area of the keyword that ends latest in text (the head noun), longest on ties."""
        for end in range(len(text), 0, -1):
            ending = self.keywords.ending(text[:end])
            if ending:
                return self.area_of[ending[0]]
        return ""

    def work_area(self, metric: str, topic: str, section: str) -> str:
        return self.area_in(plain_metric(metric)) or self.heading_area(topic) or self.heading_area(section) \
            or self.default_area

    @lru_cache(maxsize=4096)
    def heading_area(self, heading: str) -> str:
        """The area of a topic or section heading: asked again for every row under it."""
        return self.area_in(plain_metric(heading))


@lru_cache(maxsize=8)
def normalizer(rules_dir: str | None = None) -> Normalizer:
    return Normalizer(rules_for(rules_dir))
