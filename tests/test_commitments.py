"""Sentences -> rows, as a table (tests/cases/commitments.yaml), including negative cases."""
import math
from pathlib import Path

import pytest
import yaml

from pipeline.extraction import Options, extract_text

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "commitments.yaml").read_text(encoding="utf-8"))


def check_row(row, expected):
    for field, want in expected.items():
        got = getattr(row, field)
        if field in ("value", "value_high"):
            assert got is not None and math.isclose(got, want, rel_tol=1e-5), (field, got, want)
        elif field == "aspirational":
            assert int(got) == want, (field, got, want)
        else:
            assert got == want, (field, got, want)


@pytest.mark.parametrize("case", CASES["positive"], ids=[c["text"][:20] for c in CASES["positive"]])
def test_positive(case):
    rows = extract_text(case["text"])
    assert [r.quantity_text for r in rows] == [e["quantity_text"] for e in case["rows"]]
    for row, expected in zip(rows, case["rows"]):
        check_row(row, expected)
        assert case["text"][row.start:row.end] == row.quantity_text


@pytest.mark.parametrize("case", CASES["negative"], ids=[c["text"][:20] for c in CASES["negative"]])
def test_negative(case):
    assert [(r.quantity_text, r.metric) for r in extract_text(case["text"])] == []


def test_a_review_read_with_achieved_rows_keeps_a_part_with_no_subject_of_its_own():
    """其中173户349人: the part of a review's total has no words before its number (it crashed once)."""
    text = "一、2018年工作回顾\n\n建档立卡贫困户301户611人全部脱贫，其中173户349人稳定脱贫。\n"
    rows = extract_text(text, options=Options(include_achieved=True))
    assert [r.quantity_text for r in rows] == ["301户", "611人", "173户", "349人"]
