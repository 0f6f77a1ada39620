"""Every output column, on one small report: what each holds (README's schema)."""
from pathlib import Path

import pytest
import yaml

from pipeline import extract
from pipeline.extraction import Options, extract_text
from pipeline.records import COLUMNS

REPORT = """2020年某区政府工作报告
各位代表：
一、2019年工作回顾
过去一年，地区生产总值增长6.1%。
二、2020年工作安排
（一）着力深化改革创新
大力集聚创新要素。力争新增国家高新技术企业46家，实际利用外资3.8亿美元以上。
地区生产总值增长5.5%左右，城镇登记失业率控制在4%以内。
新建学校3所、幼儿园6所。
"""


@pytest.fixture(scope="module")
def frames(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    (folder / "quxian_2020.txt").write_text(REPORT, encoding="utf-8")
    (folder / "MANIFEST.tsv").write_text("file\tyear\tregion\nquxian_2020.txt\t2020\t某省某市某区\n", encoding="utf-8")
    targets = extract(folder / "quxian_2020.txt", manifest=folder / "MANIFEST.tsv")
    both = extract(folder / "quxian_2020.txt", include_achieved=True)
    return targets, both


def row(df, quantity_text):
    return df[df["quantity_text"] == quantity_text].iloc[0]


def test_columns_in_order(frames):
    targets, _ = frames
    assert list(targets.columns) == COLUMNS
    assert list(targets["quantity_text"]) == ["46家", "3.8亿美元", "5.5%", "4%", "3所", "6所"]


def test_document_fields(frames):
    targets, both = frames
    r = row(targets, "46家")
    assert (r.doc, r.year, r.region) == ("quxian_2020.txt", 2020, "某省某市某区")
    assert row(both, "46家").year == 2020  # from the file name without a manifest
    assert r.section == "二、2020年工作安排"
    assert r.topic == "（一）着力深化改革创新"
    assert r.sentence == "力争新增国家高新技术企业46家，实际利用外资3.8亿美元以上。"
    assert REPORT[r.start:r.end] == "46家"


def test_commitment_fields(frames):
    targets, _ = frames
    r = row(targets, "46家")
    assert (r.action, r.metric, r.value, r.unit, r.kind, r.comparator, r.aspirational, r.status) == \
        ("新增", "国家高新技术企业", 46, "家", "level", "=", 1, "target")
    assert r.metric_key == "high_tech_enterprises" and r.work_area == "科技创新"
    fdi = row(targets, "3.8亿美元")
    assert (fdi.metric, fdi.value, fdi.unit, fdi.comparator, fdi.metric_key, fdi.work_area) == \
        ("实际利用外资", 380000000, "美元", ">=", "actual_fdi", "对外开放")
    gdp = row(targets, "5.5%")
    assert (gdp.metric_key, gdp.kind, gdp.comparator, gdp.aspirational) == ("gdp", "change", "~", 0)
    assert row(targets, "4%").comparator == "<="
    assert row(targets, "6所").metric == "幼儿园" and row(targets, "6所").work_area == "教育"
    assert targets["value_high"].isna().all()


def test_status_achieved_only_with_include_achieved(frames):
    targets, both = frames
    assert "6.1%" not in set(targets["quantity_text"])
    past = row(both, "6.1%")
    assert (past.status, past.metric, past.section) == ("achieved", "地区生产总值", "一、2019年工作回顾")
    assert past.period == 2019 and set(targets["period"]) == {2020}  # the year each value is for


PERIOD_CASES = yaml.safe_load((Path(__file__).parent / "cases" / "periods.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", PERIOD_CASES, ids=[c["text"][:16] for c in PERIOD_CASES])
def test_period_is_the_year_the_value_is_for(case):
    rows = extract_text(case["text"], year=case["year"], options=Options(include_achieved=True))
    assert [[r.quantity_text, r.period] for r in rows] == case["periods"]
