"""Part detection (review | plan | appendix), headings and topics, as a table (tests/cases/structure.yaml)."""
from pathlib import Path

import pytest
import yaml

from pipeline.structure import split

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "structure.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_parts(case):
    text = case["text"]
    sentences = split(text, case["year"])
    for probe, part in case["parts"].items():
        at = text.index(probe)
        sentence = next(s for s in sentences if s.start <= at < s.end)
        assert sentence.part == part, (probe, sentence.part)


def test_sections_and_topics():
    text = "三、2019年政府工作任务\n（三）坚持创新引领发展，培育壮大新动能。\n新增企业5家。\n大力集聚创新要素。引进人才40人。\n"
    by_probe = {text[s.start:s.end]: s for s in split(text, 2019)}
    assert by_probe["新增企业5家。"].section == "三、2019年政府工作任务"
    assert by_probe["新增企业5家。"].topic == "（三）坚持创新引领发展，培育壮大新动能"
    lead = by_probe["引进人才40人。"]
    assert lead.topic == "（三）坚持创新引领发展，培育壮大新动能"


def test_paragraph_lead_phrase_is_the_topic():
    text = "一、主要任务\n大力集聚创新要素。引进人才40人。\n"
    sentence = next(s for s in split(text, None) if "40人" in text[s.start:s.end])
    assert sentence.topic == "大力集聚创新要素"
