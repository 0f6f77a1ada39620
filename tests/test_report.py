"""The HTML report opens offline and renders its charts in a real browser without script errors."""
import json
import os
import re
import shutil
import subprocess

import pytest

from clirun import run


def chromium():
    """Debian's chromium (.ci/run installs it); elsewhere the test is skipped without it."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    if os.environ.get("CI"):
        pytest.fail("chromium is missing: .ci/run must install it")
    pytest.skip("no chromium on this machine")


@pytest.fixture(scope="module")
def report(shared, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    corpus = shared / "corpus"
    docs = [corpus / f"national_{y}.txt" for y in range(2019, 2023)] + [corpus / "hailar_2018.txt",
                                                                         corpus / "hailar_2019.txt"]
    run("extract", *docs, "--manifest", corpus / "MANIFEST.tsv", "--include-achieved", "-o", out / "rows.csv",
        "--quiet")
    run("report", out / "rows.csv", "-o", out / "report.html")
    return out / "report.html"


def test_report_is_self_contained(report):
    page = report.read_text(encoding="utf-8")
    markup = re.sub(r"<script>.*?</script>", "", page, flags=re.S)  # plotly.js itself names web pages
    assert not re.search(r"<(?:script|link|img)[^>]*(?:src|href)=", markup)  # no CDN, nothing to fetch
    # nation: 4 headline indicators (gdp, cpi, jobs, unemployment) + work areas; district: gdp, budget
    # revenue, fixed-asset investment + work areas
    assert page.count('class="chart"') == 9
    assert "中国 (全国)" in page and "内蒙古自治区呼伦贝尔市海拉尔区" in page


def test_report_names_regions_and_indicators_in_both_languages(report):
    page = report.read_text(encoding="utf-8")
    assert "中国 (全国) — China, 100000" in page
    assert "内蒙古自治区呼伦贝尔市海拉尔区 — Hailar District, Hulunbuir, Inner Mongolia, 150702" in page
    # the nation's output, a district's (chart titles are in plotly's JSON, \\u-escaped)
    assert json.dumps("国内生产总值 GDP (gross domestic product)") in page
    assert json.dumps("地区生产总值 GDP (gross regional product)") in page
    assert "<p class=\"note\">2 regions," in page


@pytest.mark.parametrize("value, high, comparator, unit, text", [
    (457600000000, None, "=", "元", "4,576亿元"),
    (2760000000000, None, ">=", "元", "≥ 2.76万亿元"),
    (11000000, None, ">=", "人", "≥ 1,100万人"),
    (6.5, 7, "=", "%", "6.5–7%"),
    (0.2, None, "=", "百分点", "0.2个百分点"),
    (5000, None, "~", "元", "约 5,000元"),
    (10000000, None, "=", "", "1,000万"),
    (float("nan"), None, "=", "%", ""),
])
def test_numbers_are_written_as_researchers_write_them(value, high, comparator, unit, text):
    from pipeline.report_page import readable

    assert readable(value, high, comparator, unit) == text


def test_plurals():
    from pipeline.report_page import plural

    assert plural(1, "region") == "1 region" and plural(2, "region") == "2 regions" and plural(0, "target") == "0 targets"


def render(page, profile) -> str:
    """The page's DOM after its scripts ran in headless chromium."""
    p = subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
                        "--virtual-time-budget=10000", "--dump-dom", page.as_uri()],
                       capture_output=True, text=True, timeout=180)
    return p.stdout


def test_report_renders_its_charts_in_chromium(report, tmp_path):
    dom = render(report, tmp_path)
    assert 'id="chart-9"' in dom
    charts = re.findall(r'<div[^>]*id="chart-\d+"[^>]*>(.*?)(?=<div[^>]*id="chart-\d+"|$)', dom, flags=re.S)
    assert len(charts) == 9 and all('class="main-svg"' in chart for chart in charts)  # plotly drew each one
    assert 'data-errors="' not in dom, re.search(r'data-errors="[^"]*"', dom).group(0)
    # the table of all targets was filled by its script: as many as the rows file has targets
    import pandas as pd

    targets = (pd.read_csv(report.with_name("rows.csv"), dtype=str)["status"] == "target").sum()
    assert f'<span id="found" class="note">{targets} / {targets}</span>' in dom  # fewer than 200: all shown
    assert len(re.findall(r"<tr><td>", dom.split('id="targets"')[1])) == targets


def test_a_script_error_would_be_seen(report, tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text(report.read_text(encoding="utf-8").replace("</body>", "<script>noSuchFunction()</script></body>"),
                      encoding="utf-8")
    assert 'data-errors="' in render(broken, tmp_path / "profile")


def test_targets_and_results_of_a_chart_share_one_scale():
    import pandas as pd

    from pipeline.report_page import target_chart

    series = pd.DataFrame({"year": [2023, 2024], "status": ["target", "target"], "value": [5000.0, 6000.0],
                           "value_high": [float("nan"), 9000.0], "comparator": [">=", "="],
                           "achieved_value": [12000.0, float("nan")]})
    targets, results = target_chart(series, "城镇新增就业", "人").data[:2]
    assert list(targets.y) == [0.5, 0.6] and list(targets.error_y.array) == pytest.approx([0, 0.3])
    assert list(results.y)[0] == 1.2 and targets.text[1] == "0.6–0.9万人"
