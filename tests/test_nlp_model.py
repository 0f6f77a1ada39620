"""The trained-pipeline path of pipeline.nlp (--model NAME_OR_PATH), without zh_core_web_sm.

zh_core_web_sm cannot be installed here, so a module fixture trains a tiny Chinese tagger+parser
with spaCy itself (jieba segmentation, CTB tags, a few seconds) and saves it to disk; the tests
load it by path as a user would, and check the jieba-only default and the error paths.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from spacy.training import Example

from pipeline import extract as extract_rows
from pipeline import nlp as nlpmod

ROOT = Path(__file__).resolve().parents[1]

# (text, CTB tags, absolute heads, deps), one entry per jieba word of the text
TRAIN = [
    ("新增国家高新技术企业46家", "VV NN NN NN CD M", [0, 3, 3, 0, 5, 0],
     "ROOT nn nn dobj nummod range"),
    ("地区生产总值增长5.5%", "NN NN VV CD", [1, 2, 2, 2], "nn nsubj ROOT dobj"),
    ("建成4万个以上5G基站", "VV CD M LC NN NN", [0, 2, 5, 2, 5, 0],
     "ROOT nummod clf loc nn dobj"),
    ("推进42个区级重点产业项目建设", "VV CD M JJ JJ NN NN NN", [0, 2, 7, 7, 7, 6, 7, 0],
     "ROOT nummod clf amod amod nn nn dobj"),
    ("城镇新增就业1.2万人", "NN VV NN CD M", [1, 1, 1, 4, 1], "nsubj ROOT dobj nummod range"),
    ("完成固定资产投资300亿元", "VV NN NN CD M", [0, 2, 0, 4, 0], "ROOT nn dobj nummod range"),
    ("粮食产量稳定在1200万吨以上", "NN VV P CD M LC", [1, 1, 1, 4, 5, 2],
     "nsubj ROOT prep nummod lobj pobj"),
    ("新建农村公路500公里", "VV NN CD M", [0, 0, 3, 0], "ROOT dobj nummod range"),
    ("居民人均可支配收入增长6%", "NN JJ AD VV NN VV CD", [4, 4, 3, 4, 5, 5, 5],
     "nn amod advmod rcmod nsubj ROOT dobj"),
    ("北京市新增就业岗位10万个", "NR VV NN NN CD M", [1, 1, 3, 1, 5, 1],
     "nsubj ROOT nn dobj nummod range"),
    ("全面完成年度目标任务。", "VV NN NN NN PU", [0, 3, 3, 0, 0], "ROOT nn nn dobj punct"),
    ("“雏鹰计划”企业20家", "PU NR NN PU NN CD M", [2, 2, 4, 2, 4, 6, 4],
     "punct nn nn punct ROOT nummod dep"),
]
TAGS = {t for _, tags, _, _ in TRAIN for t in tags.split()}

DOC = ("2020年全区经济社会发展的主要预期目标是：地区生产总值增长5.5%；"
       "新增国家高新技术企业46家、“雏鹰计划”企业20家。\n")
EXPECTED = [("5.5%", 5.5, "%"), ("46家", 46.0, "家"), ("20家", 20.0, "家")]


@pytest.fixture(scope="module")
def model_path(tmp_path_factory) -> str:
    """Train and save a tiny zh tagger+parser; words come from the pipeline's own jieba
    segmenter, so Example.from_dict aligns one annotation per token."""
    spacy.util.fix_random_seed(0)
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("tagger")
    nlp.add_pipe("parser", config={"min_action_freq": 1})  # default 30 folds rare labels
    examples = []
    for text, tags, heads, deps in TRAIN:
        doc = nlp.make_doc(text)
        assert len(doc) == len(heads), [t.text for t in doc]
        examples.append(Example.from_dict(doc, {"words": [t.text for t in doc], "tags": tags.split(),
                                                "heads": heads, "deps": deps.split()}))
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(30):
        nlp.update(examples, sgd=optimizer)
    path = tmp_path_factory.mktemp("model") / "zh_tiny"
    nlp.to_disk(path)
    return str(path)


def test_load_trained_pipeline_by_path(model_path):
    nlp = nlpmod.load_nlp(model_path)
    assert {"tagger", "parser"} <= set(nlp.pipe_names)
    assert "jieba_pos" not in nlp.pipe_names
    doc = nlp(TRAIN[0][0])
    assert all(t.tag_ in TAGS for t in doc), [(t.text, t.tag_) for t in doc]
    assert doc[0].text == "新增" and nlpmod.is_verb(doc[0])
    assert doc.has_annotation("DEP") and all(t.dep_ for t in doc)


def rows(df):
    return [(r.quantity_text, r.value, r.unit) for r in df.itertuples()]


def test_extract_with_model_matches_jieba_default(model_path, tmp_path):
    """The quantities of a document do not depend on the tagger; only metrics may."""
    path = tmp_path / "2020_test.txt"
    path.write_text(DOC, encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    df = extract_rows(path, model=model_path)
    assert rows(df) == EXPECTED
    for r in df.itertuples():
        assert text[r.start:r.end] == r.quantity_text
    assert rows(extract_rows(path)) == EXPECTED


def test_missing_pipeline_is_model_error():
    with pytest.raises(nlpmod.ModelError, match="no_such_pipeline_xyz.*not installed.*never downloaded"):
        nlpmod.load_nlp("no_such_pipeline_xyz")


def test_directory_that_is_not_a_pipeline_is_model_error(tmp_path):
    with pytest.raises(nlpmod.ModelError, match="not a spaCy pipeline"):
        nlpmod.load_nlp(str(tmp_path))


def test_cli_missing_pipeline_exits_2_with_one_line(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text(DOC, encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(path), "--quiet",
                          "--model", "no_such_pipeline_xyz", "-o", str(tmp_path / "out.csv")],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 2, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "no_such_pipeline_xyz" in lines[0], out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.skipif(nlpmod.is_installed(nlpmod.DEFAULT_MODEL), reason="zh_core_web_sm is installed")
def test_default_is_jieba_tags():
    nlp = nlpmod.load_nlp(None)
    assert nlp.pipe_names == []  # segmentation only; tags come on demand
    doc = nlp("新增国家高新技术企业46家")
    assert doc[0].text == "新增" and doc[0].tag_ == "" and nlpmod.tag_of(doc[0]) == "v"
