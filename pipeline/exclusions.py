"""Numbers that are no commitment: rules of rules/exclusions.yaml, each matched on the text just
before and after a quantity, on the quantity itself, its unit class and the POS of the next word.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import regex

from .quantities import Quantity
from .rules import Rules, RulesError, compile_pattern, require

CONTEXT = 40  # characters of context the rules see on each side


@dataclass(frozen=True)
class Exclusion:
    name: str
    before: regex.Pattern | None
    after: regex.Pattern | None
    quantity: regex.Pattern | None
    next_pos: tuple[str, ...]
    either: bool
    cut_from_metric: bool  # the words from the `before` match to the quantity leave the metric
    row_metric: str  # with cut_from_metric: the quantity stays a row, of this metric (总投资), or of
    # the words of the `before` group named `metric` (年度计划总投资)
    unit_classes: tuple[str, ...] | None  # only quantities whose unit is of these classes
    targets_only: bool  # a fact the rule drops from a plan is a result in a review

    def checks(self) -> tuple:
        """What the rule tests of the text around a quantity, as bound search methods (None: no
        condition), for the loop of Exclusions.first_match."""
        def search(p):
            return None if p is None else p.search
        return (self, search(self.before), search(self.after), self.either, self.next_pos)


class Exclusions(tuple):
    """The rules in file order. A quantity is tested against every rule that applies to it, so the
    loop is kept tight: the rules whose unit class, quantity pattern and targets_only hold for a
    quantity are looked up once per (unit class, text, review) -- the same few quantities (5%,
    1个) recur all through a corpus -- and each rule's remaining tests are a flat tuple of bound
    methods."""

    CACHED = 50_000  # quantities whose rules are kept; the cache starts over beyond that

    def __new__(cls, rules):
        out = super().__new__(cls, rules)
        out.checks_of = {r: r.checks() for r in rules}  # each rule's tuple, built once
        out.by_class = {}
        out.by_quantity = {}
        out.rule_sets = {}  # each distinct set of checks once: the quantities share a few dozen
        return out

    def for_unit_class(self, unit_class: str) -> tuple[Exclusion, ...]:
        if unit_class not in self.by_class:
            self.by_class[unit_class] = tuple(r for r in self if r.unit_classes is None or unit_class in r.unit_classes)
        return self.by_class[unit_class]

    def for_quantity(self, q: Quantity, achieved: bool) -> tuple[tuple, ...]:
        """The checks of the rules that apply to q, as far as q alone can tell."""
        plain = q.plain
        key = (q.unit_class, plain, achieved)
        found = self.by_quantity.get(key)
        if found is None:
            if len(self.by_quantity) >= self.CACHED:
                self.by_quantity.clear()
            found = tuple(self.checks_of[r] for r in self.for_unit_class(q.unit_class)
                          if not (r.targets_only and achieved) and (r.quantity is None or r.quantity.search(plain)))
            found = self.by_quantity[key] = self.rule_sets.setdefault(found, found)
        return found

    def first_match(self, q: Quantity, before: str, after: str, next_tag: Callable[[], str],
                    achieved: bool = False) -> Exclusion | None:
        """The first rule that drops q, with `before` and `after` the text around it. `next_tag`
        is asked only when the rest of a rule holds: tagging is the slow part."""
        for rule, before_search, after_search, either, next_pos in self.for_quantity(q, achieved):
            if either:
                if not ((before_search is not None and before_search(before) is not None)
                        or (after_search is not None and after_search(after) is not None)):
                    continue
            elif ((before_search is not None and before_search(before) is None)
                  or (after_search is not None and after_search(after) is None)):
                continue
            if not next_pos or next_tag().startswith(next_pos):
                return rule
        return None


def load_exclusions(rules: Rules, any_action: str) -> Exclusions:
    """The rules of exclusions.yaml; `{action}` in a pattern stands for any action word."""
    x_path = rules.path("exclusions.yaml")
    out = []

    def pattern(e, key):
        return compile_pattern(e[key].replace("{action}", f"(?:{any_action})"), x_path, e) if key in e else None

    for e in rules.load("exclusions.yaml")["rules"]:
        require(e, ["name"], x_path)
        if not any(k in e for k in ("before", "after", "quantity", "unit_class")):
            raise RulesError(f"{x_path.name}:{e.get('__line__')}: rule {e['name']!r}: "
                             "needs before, after, quantity or unit_class")
        out.append(Exclusion(
            e["name"],
            pattern(e, "before"),
            pattern(e, "after"),
            pattern(e, "quantity"),
            tuple(e.get("next_pos") or ()),
            bool(e.get("either")),
            bool(e.get("cut_from_metric")),
            str(e.get("row_metric") or ""),
            tuple(str(c or "") for c in e["unit_class"]) if "unit_class" in e else None,
            bool(e.get("targets_only")),
        ))
    return Exclusions(out)
