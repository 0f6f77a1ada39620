"""Number parsing, as a table of text -> value, value_high, unit (tests/cases/quantities.yaml)."""
import math
from pathlib import Path

import pytest
import yaml

from pipeline.quantities import chinese_to_number, parse_quantity

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "quantities.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["text"] for c in CASES])
def test_quantity(case):
    q = parse_quantity(case["text"])
    if case.get("none"):
        assert q is None
        return
    assert q is not None, case["text"]
    assert math.isclose(q.value, case["value"], rel_tol=1e-5)
    if "value_high" in case:
        assert math.isclose(q.value_high, case["value_high"], rel_tol=1e-9)
    else:
        assert q.value_high is None
    assert q.unit == case["unit"]
    assert q.text == case["text"]
    if "comparator" in case:
        assert q.comparator == case["comparator"]


@pytest.mark.parametrize("text,value", [("十", 10), ("十五", 15), ("一百二十", 120), ("两千", 2000),
                                        ("万亿", 10**12), ("一万二千", 12000), ("三亿五千万", 350000000),
                                        ("千亿", 10**11), ("十万", 100000), ("一点二万", 12000)])
def test_chinese_numerals(text, value):
    assert chinese_to_number(text) == value
