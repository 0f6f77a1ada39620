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
    under_subheading = by_probe["引进人才40人。"]  # a sub-heading wins over a paragraph's lead phrase
    assert under_subheading.topic == "（三）坚持创新引领发展，培育壮大新动能"


def test_paragraph_lead_phrase_is_the_topic():
    text = "一、主要任务\n大力集聚创新要素。引进人才40人。\n"
    sentence = next(s for s in split(text, None) if "40人" in text[s.start:s.end])
    assert sentence.topic == "大力集聚创新要素"


def test_hard_wrapped_text_is_joined_and_page_numbers_skipped():
    """PDF text wrapped at a fixed width: sentences and quantities run across line breaks."""
    from pipeline.extraction import extract_text

    width = 24
    filler = "推进高质量发展，全面深化改革开放，持续改善民生福祉。" * 20
    target = "。城镇新增就业4.3"
    head = filler[:width * 20 - len(target)] + target  # the line break falls after 4.3
    paragraph = head + "万人，地区生产总值增长6.5%左右，新增停车泊位2000个。"
    lines = [paragraph[i:i + width] for i in range(0, len(paragraph), width)]
    lines.insert(21, " — 5 —")
    text = "\n".join(lines) + "\n"
    rows = {r.quantity_text: r for r in extract_text(text)}
    assert rows["4.3\n万人"].metric == "城镇新增就业"
    assert rows["6.5%"].comparator == "~"
    assert rows["2000个"].metric == "停车泊位"
    for r in rows.values():
        assert text[r.start:r.end] == r.quantity_text
