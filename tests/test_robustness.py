"""Bad or huge input never crashes or hangs, and the work on a huge file is bounded.

A property test feeds random text made of random Unicode and of the building blocks of a work report
(numbers, units, comparators, headings) to extract_text; then huge files go through read_document and
extract_document as a batch reads them. The huge tests assert rows and offsets, not timings; each
takes 1-20 s on two cores (some were quadratic or failed before: see max_sentence_chars in
rules/structure.yaml and longest_number in rules/units.yaml).
"""
import math
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.extraction import Options, extract_document, extract_text
from pipeline.read import read_document
from pipeline.structure import split

DIGITS = "0123456789０１２３４５６７８９"
BLOCKS = [
    ".", "．", "%", "％", ",", "-", "－", "~", "至", "/", "点",
    "家", "个", "万元", "亿元", "公里", "吨", "个百分点", "倍", "年", "级", "余", "多",
    "以上", "左右", "以内", "不低于", "超过", "约", "力争", "争取",
    "新增", "增长", "达到", "完成", "下降", "控制在", "其中", "分别", "等", "企业", "项目", "指数",
    "百分之", "分之", "翻一番", "一半", "千亿级",
    "，", "。", "、", "；", "：", "（", "）", "“", "”", "！", "？",
    "\n", "\r\n", "\r", "\n\n", " ", "　", "\t", "\ufeff",
    "一、", "二、", "（二）", "(三)", "1.", "２．",
    "各位代表", "政府工作报告", "2024年工作安排", "2023年工作回顾", "过去一年，我们", "今年，是",
    "“十五五”时期", "附件", "名词解释",
]
pieces = st.one_of(
    st.sampled_from(BLOCKS),
    st.text(alphabet=DIGITS, min_size=1, max_size=20),
    st.text(alphabet="零〇一二两三四五六七八九十百千万亿", min_size=1, max_size=20),
    st.text(max_size=6),  # any Unicode
    st.text(st.characters(exclude_categories=()), max_size=2),  # lone surrogates too
)
texts = st.lists(pieces, max_size=60).map("".join)


def check_rows(text, **kw):
    rows = extract_text(text, **kw)
    view = text.replace("\r\n", "\n")  # what extract_text reads
    for r in rows:
        assert 0 <= r.start < r.end <= len(view)
        assert view[r.start:r.end] == r.quantity_text, (r.start, r.end, r.quantity_text)
        assert math.isfinite(r.value) and (r.value_high is None or math.isfinite(r.value_high))
    return rows


@settings(max_examples=200, deadline=None, database=None,  # failures found go in as @example
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(texts, st.sampled_from([None, 2024]), st.booleans())
@example("新增企业一" + "亿" * 45 + "家。", None, False)  # was an OverflowError: a value beyond a float
@example("新增企业" + "9" * 400 + "家。", None, False)  # was a row with value inf
@example("力争百分之" + "亿" * 40 + "。", 2024, True)
@example("新增企业\ud80046家。", None, False)  # was a UnicodeEncodeError in spaCy
def test_random_text_never_raises_and_offsets_index_the_text(text, year, achieved):
    check_rows(text, year=year, options=Options(include_achieved=achieved))


# ---- huge inputs, read from a file as a batch reads them -----------------------------------------

PLAIN = "各级政府要坚持以人民为中心的发展思想，深化改革开放，推动高质量发展，切实保障和改善民生。"


def extract_file(tmp_path, text, name="huge_2024.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    doc = read_document(path)
    rows = extract_document(doc).rows
    for r in rows:
        assert doc.text[r.start:r.end] == r.quantity_text
    return doc, rows


def _write(tmp_path, text, name="markers_2024.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_50_mb_file(tmp_path):
    # 50 MB of report prose; every 1000th paragraph has two targets. The cheap quantity scan skips
    # the rest (the whole document is still split, scanned for markers and for quantities).
    plain = ("　　" + PLAIN * 3 + "\n") * 999
    n = 50_000_000 // len(plain.encode()) + 1
    text = "".join(f"{plain}　　{PLAIN}新增国家高新技术企业{k}家、“雏鹰计划”企业20家。\n" for k in range(1, n + 1))
    doc, rows = extract_file(tmp_path, text)
    assert len(doc.text.encode()) >= 50_000_000
    assert len(rows) == 2 * n
    assert [(r.metric, r.value, r.unit) for r in rows[:2]] == [("国家高新技术企业", 1, "家"), ("“雏鹰计划”企业", 20, "家")]
    assert [r.value for r in rows[::2]] == list(range(1, n + 1))
    assert rows[-1].start == text.rindex("20家")


@pytest.mark.parametrize("text", [
    "1" * 1_000_000,
    "新增企业" + "1" * 1_000_000 + "家。",
    "新增企业" + "１" * 1_000_000 + "家，力争新增企业" + "一" * 1_000_000 + "家。",
], ids=["digits", "digits in a sentence", "full-width and Chinese digits"])
def test_a_million_digits_is_no_quantity(tmp_path, text):
    _, rows = extract_file(tmp_path, text)
    assert rows == []  # longer than longest_number (rules/units.yaml): no value of 10**1000000


def test_a_million_digits_before_a_target(tmp_path):
    text = "新增企业" + "1" * 1_000_000 + "家。新增国家高新技术企业46家。"
    _, rows = extract_file(tmp_path, text)
    assert [(r.metric, r.value, r.quantity_text) for r in rows] == [("国家高新技术企业", 46, "46家")]


def test_a_million_characters_without_sentence_punctuation(tmp_path):
    # a text flattened into one line without 。: read in pieces of at most max_sentence_chars (such
    # a line was quadratic: 100,000 characters took 47 s, 200,000 took 156 s)
    prose = PLAIN.replace("，", "").replace("。", "") * 5
    n = 1_000_000 // len(prose) + 1
    text = "".join(f"{prose}新增企业{k}家、出口增长{k}%" for k in range(1, n + 1))
    _, rows = extract_file(tmp_path, text)
    assert len(text) >= 1_000_000
    assert [(r.value, r.unit) for r in rows] == [(k, u) for k in range(1, n + 1) for u in ("家", "%")]
    assert all(("企业" if r.unit == "家" else "出口") in r.metric for r in rows)
    assert max(len(r.sentence) for r in rows) <= 1000


def test_a_million_characters_of_prose_without_any_punctuation(tmp_path):
    text = "各级政府要坚持以人民为中心的发展思想深化改革开放推动高质量发展" * 33_000 + "新增企业46家"
    _, rows = extract_file(tmp_path, text)
    assert [(r.value, r.unit) for r in rows] == [(46, "家")]


def test_whitespace_and_blank_lines(tmp_path):
    text = "\n" * 1_000_000 + "新增企业46家。" + " " * 1_000_000 + "\n" + "　\n\t \r\n" * 300_000 + "力争地区生产总值增长5%。" \
        + "\u3000" * 500_000
    _, rows = extract_file(tmp_path, text)
    assert [r.quantity_text for r in rows] == ["46家", "5%"]
    with pytest.raises(Exception, match="empty|no text"):
        extract_file(tmp_path, "\n \t\u3000\r\n" * 200_000, "blank.txt")


def test_many_headings_in_a_row(tmp_path):
    numbers = "一二三四五六七八九十"
    text = "".join(f"{numbers[i % 10]}、加快发展\n（{numbers[i % 10]}）推动改革\n深化开放\n" for i in range(60_000))
    text += "二、2024年工作安排\n新增企业46家。\n"
    _, rows = extract_file(tmp_path, text)
    assert [(r.section, r.value) for r in rows] == [("二、2024年工作安排", 46)]


def test_many_plan_markers_among_many_headings(tmp_path):
    # was quadratic (each marker looked through every heading) and then a regex timeout
    text = "各位代表：\n" + "".join(f"一、{2024 - i % 2}年工作任务\n加快发展。\n" for i in range(50_000))
    doc = read_document(_write(tmp_path, text))
    sentences = split(doc.text, 2024)
    assert len(sentences) == 100_001
    assert {s.part for s in sentences} == {"review", "plan"}


def test_the_same_rows_whatever_the_hash_seed():
    # the metric after a count ended at whichever of two overlapping predicates came last in a set
    code = ("from pipeline.extraction import extract_text; print([r.metric for r in extract_text("
            "'确保诺德锂电、智慧光子等100个工业新增长点达产达效，力争新增规模以上工业企业100家。')])")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "4")}
    assert len(outs) == 1


# ---- a rule pattern that backtracks without end is a per-file error, never a hang ----------------

CATASTROPHIC = "'(?:(?:企|企企)+)+X'"  # exponential on a run of 企 without X


def rules_with(tmp_path, name, old_line_start, new_line):
    import shutil

    from pipeline.rules import RULES_DIR

    rules = tmp_path / "rules"
    if not rules.exists():
        shutil.copytree(RULES_DIR, rules)
    path = rules / name
    lines = path.read_text(encoding="utf-8").split("\n")
    i = next(n for n, line in enumerate(lines) if line.startswith(old_line_start))
    lines[i] = new_line if new_line.startswith(old_line_start) else lines[i] + "\n" + new_line
    path.write_text("\n".join(lines), encoding="utf-8")
    return str(rules)


@pytest.mark.parametrize("name,line_start,new_line,status,message", [
    ("structure.yaml", "review_inline:", f"review_inline: {CATASTROPHIC}", "error",
     "review_inline of rules/structure.yaml ran longer than its time limit"),
    ("exclusions.yaml", "rules:", f"  - {{name: pathological, before: {CATASTROPHIC}, example: none}}", "ok",
     "1 sentence(s) left out, the rules ran over their CPU time limit on them (at 0-44)"),
])
def test_a_runaway_pattern_costs_its_sentence_and_a_runaway_scan_its_file(tmp_path, monkeypatch, name, line_start,
                                                                          new_line, status, message):
    # as a batch runs each file (pipeline/batch.py): a sentence over its CPU time limit is left out
    # and named in the ledger's message; a document scan over its limit makes the file an error
    from pipeline import timelimit
    from pipeline.batch import process_file

    monkeypatch.setattr(timelimit, "SENTENCE_SECONDS", 0.3)
    monkeypatch.setattr(timelimit, "SCAN_SECONDS", 0.3)
    options = Options(rules_dir=rules_with(tmp_path, name, line_start, new_line))
    bad = _write(tmp_path, "企" * 40 + "46家。\n新增国家高新技术企业46家。\n", "bad.txt")
    good = _write(tmp_path, "新增国家高新技术企业46家。\n", "good.txt")
    results = [process_file(path, "", "", None, options) for path in (bad, good)]
    assert [r.info.status for r in results] == [status, "ok"]
    assert message in results[0].info.message and str(bad) in results[0].info.message
    assert results[0].info.warnings == (status == "ok")
    assert [(r.doc, r.value) for r in results[0].rows] == ([("bad.txt", 46)] if status == "ok" else [])
    assert [(r.doc, r.value) for r in results[1].rows] == [("good.txt", 46)]
