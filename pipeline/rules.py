"""Load the YAML rule files of rules/ safely, check them, and compile their regexes.

Every mapping read from YAML carries the line it starts on, so that a bad rule is reported
as ``rules/exclusions.yaml:42: rule 'ordinal': ...`` instead of a traceback.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import regex
import yaml

SOURCE_RULES = Path(__file__).resolve().parent.parent / "rules"  # a checkout, or an editable install
INSTALLED_RULES = Path(sys.prefix) / "share" / "commitments" / "rules"  # pip install .
RULES_DIR = SOURCE_RULES if SOURCE_RULES.is_dir() else INSTALLED_RULES
LINE = "__line__"
REGEX_TIMEOUT = 60.0  # seconds on the clock; each match of a pattern that scans a whole document, where no CPU limit can be set (see timelimit.py)


class RulesError(ValueError):
    """A rules file is malformed; the message names the file, the line and the rule."""


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """SafeLoader (libyaml's, ~8x faster, when PyYAML has it) that records the 1-based line of every mapping."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        return mapping


def load_yaml(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.load(f, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise RulesError(f"{where}: not valid YAML: {getattr(e, 'problem', e)}") from None
    except OSError as e:
        raise RulesError(f"{path}: cannot read rules file: {e.strerror}") from None
    if not isinstance(data, dict):
        raise RulesError(f"{path}: expected a mapping at the top level")
    return data


def where(path: Path, entry) -> str:
    line = entry.get(LINE, "?") if isinstance(entry, dict) else "?"
    name = entry.get("name") or entry.get("text") or entry.get("key") if isinstance(entry, dict) else entry
    return f"{path.name}:{line}: rule {name!r}"


def compile_pattern(pattern: str, path: Path, entry) -> regex.Pattern:
    try:
        return regex.compile(pattern)
    except (regex.error, TypeError) as e:
        raise RulesError(f"{where(path, entry)}: bad regex {pattern!r}: {e}") from None


def require(entry, keys, path: Path):
    if not isinstance(entry, dict):
        raise RulesError(f"{path.name}: expected a mapping, got {entry!r}")
    missing = [k for k in keys if k not in entry or entry[k] in (None, "")]
    if missing:
        raise RulesError(f"{where(path, entry)}: missing {', '.join(missing)}")


@dataclass(frozen=True)
class Rules:
    """All rule files of one rules directory, loaded once."""

    directory: Path

    def path(self, name: str) -> Path:
        return self.directory / name

    def load(self, name: str) -> dict:
        return load_yaml(self.path(name))


@lru_cache(maxsize=8)
def rules_for(directory: str | None = None) -> Rules:
    d = Path(directory) if directory else RULES_DIR
    if not d.is_dir():
        raise RulesError(f"{d}: rules directory not found")
    return Rules(d)
