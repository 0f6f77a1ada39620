"""Numbers that are no commitment: rules of rules/exclusions.yaml, each matched on the text just
before and after a quantity, on the quantity itself, its unit class and the POS of the next word.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

from .quantities import Quantity
from .rules import REGEX_TIMEOUT, Rules, RulesError, compile_pattern, require

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
    unit_classes: tuple[str, ...] | None  # only quantities whose unit is of these classes
    targets_only: bool  # a fact the rule drops from a plan is a result in a review

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


def load_exclusions(rules: Rules, any_action: str) -> list[Exclusion]:
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
            tuple(str(c or "") for c in e["unit_class"]) if "unit_class" in e else None,
            bool(e.get("targets_only")),
        ))
    return out
