"""jieba's tables loaded from the tool's cache are jieba's own: the same word counts (prefixes
included), total and POS tags; a damaged, foreign or unwritable cache only costs time."""
import json
import os
import subprocess
import sys
from pathlib import Path

from pipeline.jieba_tables import MAGIC, decode, encode

REPO = Path(__file__).resolve().parent.parent

# in a fresh process (jieba's tables are per process): load them the tool's way, then compare
# them with what jieba builds from its dictionary file itself
CHECK = """
import json, jieba
from pipeline.jieba_tables import load_jieba_tables
load_jieba_tables()
import jieba.posseg
freq, total = jieba.Tokenizer.gen_pfdict(jieba.dt.get_dict_file())
tags = jieba.posseg.POSTokenizer(jieba.Tokenizer()).word_tag_tab
print(json.dumps({"freq": freq == jieba.dt.FREQ, "total": total == jieba.dt.total,
                  "tags": tags == jieba.posseg.dt.word_tag_tab, "words": len(freq),
                  "cut": [list(p) for p in jieba.posseg.lcut("推进5G基站建设，新增国家高新技术企业46家")]}))
"""


def load_in_fresh_process(cache_home: Path) -> dict:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    out = subprocess.run([sys.executable, "-c", CHECK], env=env, cwd=REPO, capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def assert_jiebas_own(result: dict):
    assert result["freq"] and result["total"] and result["tags"]
    assert result["words"] > 400_000  # words and their prefixes
    assert result["cut"][:4] == [["推进", "v"], ["5", "m"], ["G", "eng"], ["基站", "n"]]


def test_built_then_loaded_tables_are_jiebas_own(tmp_path):
    first = load_in_fresh_process(tmp_path)  # builds the cache
    cache = tmp_path / "commitments" / "jieba.tables"
    assert cache.read_bytes().startswith(MAGIC)
    built = cache.stat().st_mtime_ns
    assert_jiebas_own(first)
    assert_jiebas_own(load_in_fresh_process(tmp_path))  # loads it
    assert cache.stat().st_mtime_ns == built  # read, not rebuilt


def test_damaged_cache_is_rebuilt(tmp_path):
    load_in_fresh_process(tmp_path)
    cache = tmp_path / "commitments" / "jieba.tables"
    whole = cache.read_bytes()
    cache.write_bytes(whole[:len(whole) // 2])
    assert_jiebas_own(load_in_fresh_process(tmp_path))
    assert cache.read_bytes() == whole


def test_unwritable_cache_costs_only_time(tmp_path):
    (tmp_path / "commitments").write_text("a file where the cache folder would be")
    assert_jiebas_own(load_in_fresh_process(tmp_path))


def test_encoding_round_trip_and_foreign_data():
    freq, tags = {"北": 5, "北京": 12, "北京天": 0}, {"北": "ns", "北京": "ns"}
    data = encode("key-1", freq, 17, tags)
    assert decode(data, "key-1") == (freq, 17, tags)
    assert decode(data, "key-2") is None  # another jieba version or dictionary
    assert decode(data[:-1], "key-1") is None  # truncated
    assert decode(b"\x80" + data[1:], "key-1") is None  # not ours
