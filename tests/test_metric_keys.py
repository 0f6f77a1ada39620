"""Metrics -> indicator keys (rules/metrics.yaml), as a table: tests/cases/metric_keys.yaml."""
from pathlib import Path

import pytest
import yaml

from pipeline.normalize import normalizer

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "metric_keys.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["metric"] for c in CASES])
def test_metric_key(case):
    norm = normalizer()
    assert norm.metric_key(case["metric"], case.get("action", "")) == case["key"]
    if "keys" in case:
        assert norm.metric_keys(case["metric"]) == case["keys"]
