"""The year a row's value is for: the report's year for a target, the year before for a past
result, unless the words before the number (else the topic, else the section) name another year,
a five-year plan period or several years (rules/periods.yaml)."""
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
    before: int
    after: int

    def named(self, text: str, report_year: int, achieved: bool) -> int | None:
        """The year the last time expression in text names (a year, or a plan period's last year)
        that can be the period: a past result's at most the report's year, a target's at least."""
        found = []  # (end offset, year)
        for pattern in self.named_year:
            found += [(m.end(), int(m.group("year"))) for m in pattern.finditer(text)]
        found += [(m.end(), plan_period_end(m.group("n")))
                  for m in self.plan_period.finditer(text)]
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
        """named() of a topic or section heading: asked again for every row under it."""
        return self.named(heading, report_year, achieved)


def load_period_rules(rules: Rules) -> PeriodRules:
    path = rules.path("periods.yaml")
    data = rules.load("periods.yaml")
    require(data, ["multi_year", "multi_year_lead", "named_year", "plan_period", "plausible_years"], path)
    years = data["plausible_years"]
    return PeriodRules(compile_pattern(data["multi_year"], path, data), compile_pattern(data["multi_year_lead"], path, data),
                       tuple(compile_pattern(p, path, data) for p in data["named_year"]),
                       compile_pattern(data["plan_period"], path, data), int(years["before"]), int(years["after"]))


@lru_cache(maxsize=8)
def period_rules(rules_dir: str | None = None) -> PeriodRules:
    return load_period_rules(rules_for(rules_dir))
