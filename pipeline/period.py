"""The year a row's value is for: the report's year for a target, the year before for a past
result, unless the words before the number (else the topic, else the section) name another year, a five-year plan period or several years (rules/periods.yaml). Words that name
the report's own year (今年, 全年, 主要预期目标) count as a year named: the annual targets of a report
are for its year even in a section about the coming five-year plan."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from .rules import Rules, compile_pattern, require, rules_for
from .structure import plan_period_end

CLAUSE_END = regex.compile(r"[，,；;：:。]")


@dataclass(frozen=True)
class PeriodRules:
    multi_year: regex.Pattern
    multi_year_lead: regex.Pattern
    named_year: tuple[regex.Pattern, ...]
    plan_period: regex.Pattern
    annual: regex.Pattern
    annual_targets: regex.Pattern
    before: int
    after: int

    def named(self, text: str, report_year: int, achieved: bool) -> int | None:
        """The year the last time expression in text names (a year, a plan period's last year, or
        for a target the report's own year) that can be the period: a past result's at most the
        report's year, a target's at least."""
        found = []  # (end offset, year)
        for pattern in self.named_year:
            found += [(m.end(), int(m.group("year"))) for m in pattern.finditer(text)]
        annual = [] if achieved else [m.span() for m in self.annual.finditer(text)]
        periods = [m for m in self.plan_period.finditer(text)
                   if not any(a <= m.start() < b for a, b in annual)]  # 今年是“十五五”开局之年: the year
        found += [(m.end(), plan_period_end(m.group("n"))) for m in periods]
        found += [(b, report_year) for _, b in annual]
        if not achieved:
            found += [(m.end(), report_year) for m in self.annual_targets.finditer(text)
                      if not any(p.end() <= m.start() for p in periods)]
        low, high = (report_year - self.before, report_year) if achieved else (report_year, report_year + self.after)
        found = [(end, y) for end, y in found if low <= y <= high]
        return max(found)[1] if found else None

    def period(self, paragraph: str, before_number: str, topic: str, section: str, report_year: int | None,
               achieved: bool) -> int | None:
        """paragraph: the paragraph up to the number; before_number: its sentence up to the number."""
        if report_year is None:
            return None
        clause = CLAUSE_END.split(before_number)[-1]
        if self.multi_year.search(clause) or \
                self.multi_year_lead.match(paragraph.lstrip(" \t\u3000")):
            return None
        year = self.named(before_number, report_year, achieved)
        if year is None:
            year = self.heading_year(topic, report_year, achieved)
        if year is None:
            year = self.heading_year(section, report_year, achieved)
        if year is not None:
            return year
        return report_year - 1 if achieved else report_year

    @lru_cache(maxsize=4096)
    def heading_year(self, heading: str, report_year: int, achieved: bool) -> int | None:
        """named() of a topic or section heading (asked again for every row under it); a target
        under a heading that names the report's year anywhere is for that year, should the heading
        name a plan period too (二、“十五五”时期主要目标任务和2026年工作安排)."""
        if not achieved and f"{report_year}年" in heading:
            return report_year
        return self.named(heading, report_year, achieved)


def load_period_rules(rules: Rules) -> PeriodRules:
    path = rules.path("periods.yaml")
    data = rules.load("periods.yaml")
    require(data, ["multi_year", "multi_year_lead", "named_year", "plan_period", "annual", "annual_targets",
                   "plausible_years"], path)
    years = data["plausible_years"]
    return PeriodRules(compile_pattern(data["multi_year"], path, data), compile_pattern(data["multi_year_lead"], path, data),
                       tuple(compile_pattern(p, path, data) for p in data["named_year"]),
                       compile_pattern(data["plan_period"], path, data), compile_pattern(data["annual"], path, data),
                       compile_pattern(data["annual_targets"], path, data), int(years["before"]), int(years["after"]))


@lru_cache(maxsize=8)
def period_rules(rules_dir: str | None = None) -> PeriodRules:
    return load_period_rules(rules_for(rules_dir))
