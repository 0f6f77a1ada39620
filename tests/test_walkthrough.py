"""docs/walkthrough.md runs as written: every ```python block, in order, in one namespace."""
import os
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_the_walkthrough_runs(tmp_path, monkeypatch):
    page = (REPO / "docs" / "walkthrough.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", page, flags=re.S)
    assert len(blocks) >= 5
    os.symlink(REPO / "corpus", tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)  # its outputs/ go to a temporary folder
    namespace = {}
    for block in blocks:
        exec(compile(block, "docs/walkthrough.md", "exec"), namespace)  # noqa: S102 - our own documentation
    for name in ("rows.dta", "compare.csv", "compare.changes.csv", "report.html", "cli/rows.parquet"):
        assert (tmp_path / "outputs" / "walkthrough" / name).is_file(), name
    assert len(namespace["stored"]) == len(namespace["rows"][namespace["rows"]["status"] == "target"])
    assert set(namespace["gdp"]["region_code"]) >= {"100000", "330000"}  # the nation and Zhejiang
