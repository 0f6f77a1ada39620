"""A self-contained HTML report of a comparison, one section per region: each headline indicator's
target over the years with the results beside it, commitments per work area per year, the table of
new, dropped and changed targets, and a searchable table of every target with its sentence.
plotly.js is inlined, so the file opens offline.
"""
from __future__ import annotations

import html
import json

import pandas as pd

from .normalize import TEXT_KEY, normalizer
from .panel import Comparison, indicator_name

# a large value reads better with a magnitude word before its unit (4,576亿元, 1,100万人, 1.3万亿斤)
MAGNITUDES = ((1e12, "万亿"), (1e8, "亿"), (1e4, "万"))
UNIT_NAMES = {"百分点": "个百分点"}  # 0.2个百分点
COMPARATOR_TEXT = {">=": "≥ ", "<=": "≤ ", "~": "约 ", ">": "> ", "<": "< ", "=": ""}
PAGE = """<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><meta name="generator" content="commitments report">
<title>{title}</title>
<script>/* script errors are kept on the page, where a check can read them */
window.reportErrors = [];
function keepError(text) {{ window.reportErrors.push(String(text));
  document.documentElement.setAttribute("data-errors", window.reportErrors.join(" | ")); }}
window.addEventListener("error", function (e) {{ keepError(e.message); }});
var consoleError = console.error;
console.error = function () {{ keepError(Array.prototype.join.call(arguments, " ")); consoleError.apply(console, arguments); }};
</script>
<script>{plotly}</script>
<style>
body {{ font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2em auto; max-width: 1200px; color: #222; }}
.charts {{ display: flex; flex-wrap: wrap; gap: 1em; }}
.chart {{ width: 580px; height: 360px; }}
table {{ border-collapse: collapse; font-size: 0.9em; }}
td, th {{ border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; }}
.note {{ color: #666; font-size: 0.9em; }}
#search {{ width: 30em; font-size: 1em; padding: 0.2em; }}
</style></head>
<body><h1>{title}</h1>
<p class="note">{summary}</p>
{body}
<h2>所有目标 All targets</h2>
<p><input id="search" type="search" placeholder="搜索 search: 地区, 指标, 文件, 句子…"> <span id="found" class="note"></span></p>
<table id="targets"><thead><tr><th>地区 region</th><th>年份 year</th><th>指标 metric</th><th>目标 target</th>
<th>文件 document</th><th>句子 sentence</th></tr></thead><tbody></tbody></table>
<script type="application/json" id="target-rows">{targets}</script>
<script>
(function () {{
  var rows = JSON.parse(document.getElementById("target-rows").textContent);
  var body = document.querySelector("#targets tbody"), found = document.getElementById("found");
  var shown = 200;
  function show() {{
    var words = document.getElementById("search").value.trim().toLowerCase().split(/\\s+/).filter(Boolean);
    var hits = rows.filter(function (r) {{
      var line = r.join(" ").toLowerCase();
      return words.every(function (w) {{ return line.indexOf(w) >= 0; }});
    }});
    body.innerHTML = "";
    hits.slice(0, shown).forEach(function (r) {{
      var tr = document.createElement("tr");
      r.forEach(function (cell) {{ var td = document.createElement("td"); td.textContent = cell; tr.appendChild(td); }});
      body.appendChild(tr);
    }});
    found.textContent = hits.length + " / " + rows.length + (hits.length > shown ? " (first " + shown + " shown)" : "");
  }}
  document.getElementById("search").addEventListener("input", show);
  show();
}})();
</script>
</body></html>
"""


def magnitude(values: pd.Series, unit: str) -> tuple[float, str]:
    """The factor and unit name that write the largest of `values` as researchers do (4,576亿元)."""
    largest = values.abs().max()
    for factor, word in MAGNITUDES:
        if largest >= factor:
            return factor, word + unit
    return 1, UNIT_NAMES.get(unit, unit)


def scale(series: pd.DataFrame, unit: str) -> tuple[float, str]:
    """One factor for targets, ranges and results of a chart (亿元 when any reaches 1亿)."""
    return magnitude(series[["value", "value_high", "achieved_value"]].stack(), unit)


def number(x: float) -> str:
    """1,100 and 4,576.5 and 6.5: thousands separated, at most two decimals, no trailing zeros."""
    text = f"{x:,.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def readable(value, value_high, comparator: str, unit: str) -> str:
    """A target as researchers write it: ≥ 4,576亿元, 6.5–7%, 约 1,100万人."""
    if value is None or pd.isna(value):
        return ""
    high = None if value_high is None or pd.isna(value_high) else value_high
    factor, name = magnitude(pd.Series([value] + ([high] if high is not None else [])), unit)
    text = number(value / factor) + ("" if high is None else "–" + number(high / factor))
    return f"{COMPARATOR_TEXT.get(comparator, '')}{text}{name}"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def target_chart(series: pd.DataFrame, title: str, unit: str):
    """Targets as a line (a range as a bar from its low to its high end), results as diamonds,
    years without a target marked."""
    import plotly.graph_objects as go

    series = series.sort_values("year")
    targets = series[series["status"] != "result"]  # an absent year breaks the line (its value is empty)
    factor, shown_unit = scale(series, unit)
    low, high = targets["value"] / factor, targets["value_high"].fillna(targets["value"]) / factor
    achieved = series["achieved_value"] / factor
    fig = go.Figure()
    fig.add_scatter(x=targets["year"], y=low, mode="lines+markers", name="目标 target",
                    error_y={"type": "data", "symmetric": False, "array": (high - low).tolist(), "arrayminus": [0] * len(low)},
                    text=[f"{COMPARATOR_TEXT.get(c, '')}{number(v)}" + (f"–{number(h)}" if h != v else "")
                          + shown_unit if v == v else "" for c, v, h in zip(targets["comparator"], low, high)],
                    hovertemplate="%{x}: %{text}<extra>目标</extra>")
    fig.add_scatter(x=series["year"], y=achieved, mode="markers", name="结果 result",
                    marker={"symbol": "diamond", "size": 10}, hovertemplate="%{x}: %{y:g}<extra>结果</extra>")
    absent = series[series["status"] == "absent"]
    if len(absent):
        floor = min(low.min() if len(low) else 0, achieved.min() if achieved.notna().any() else 0)
        fig.add_scatter(x=absent["year"], y=[floor] * len(absent), mode="markers", name="未设目标 no target",
                        marker={"symbol": "x", "size": 9}, hovertemplate="%{x}: 未设目标 no target<extra></extra>")
    fig.update_layout(title=title, xaxis={"dtick": 1, "title": "年份"}, yaxis={"title": shown_unit},
                      margin={"l": 50, "r": 20, "t": 50, "b": 40}, legend={"orientation": "h", "y": -0.2})
    return fig


def area_chart(rows: pd.DataFrame, region: str):
    import plotly.graph_objects as go

    counts = rows.groupby(["year", "work_area"]).size().unstack(fill_value=0)
    fig = go.Figure([go.Bar(x=counts.index.tolist(), y=counts[area].tolist(), name=area)
                     for area in sorted(counts.columns)])
    fig.update_layout(barmode="stack", title=f"{region}：各工作领域的目标数 targets per work area",
                      xaxis={"dtick": 1, "title": "报告年份"}, yaxis={"title": "条"},
                      margin={"l": 50, "r": 20, "t": 50, "b": 40})
    return fig


def changes_table(changes: pd.DataFrame, panel: pd.DataFrame, names: dict) -> str:
    """The region's new, dropped and changed indicator targets, the numbers as researchers write them."""
    indicators = changes[~changes["metric_key"].str.startswith(TEXT_KEY)]
    targets = {(r.metric_key, r.unit, r.year): readable(r.value, r.value_high, r.comparator, r.unit)
               for r in panel[panel["status"] == "target"].itertuples()}
    head = "".join(f"<th>{h}</th>" for h in ("年份 year", "指标 indicator", "变化 change", "上年 before", "本年 now"))
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in
                         (r.year, f"{indicator_name(names.get(r.metric_key, r.metric_key), r.region_code)} ({r.metric_key})", r.change,
                          targets.get((r.metric_key, r.unit, r.year - 1), ""),
                          targets.get((r.metric_key, r.unit, r.year), ""))) + "</tr>"
        for r in indicators.itertuples())
    others = len(changes) - len(indicators)
    return (f"<table><tr>{head}</tr>{body}</table>" if body else "<p>—</p>") + \
        f'<p class="note">Other metrics (keys text:…): {plural(others, "new, dropped or changed target")}; ' \
        "see the changes file.</p>"


def target_rows(rows: pd.DataFrame) -> str:
    """Every target as [region, year, metric, target, document, sentence], for the searchable table
    (JSON inside a script element: </ cannot end it)."""
    targets = rows[rows["status"] == "target"].sort_values(["region", "year", "doc", "start"], kind="stable")
    data = [[r.region, "" if pd.isna(r.year) else str(int(r.year)), r.metric,
             readable(r.value, r.value_high, r.comparator, r.unit), r.doc, r.sentence]
            for r in targets.itertuples()]
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def build_report(comparison: Comparison, rules_dir: str | None = None) -> str:
    import plotly.offline

    panel, changes, rules = comparison.panel, comparison.changes, comparison.rules
    # a row of a target shared by two indicators is in the placed rows twice (one per indicator)
    rows = comparison.rows.drop_duplicates(["doc", "row_id"])
    indicators = normalizer(rules_dir).indicators
    names = {key: name for key, name, _ in indicators}
    sections, n = [], 0
    for region in sorted(panel["region"].unique()):
        charts = []
        of_region = panel[panel["region"] == region]
        code, english = of_region["region_code"].iloc[0], of_region["region_en"].iloc[0]
        for key in rules.headline:
            of_key = of_region[of_region["metric_key"] == key]
            for unit in sorted(of_key["unit"].unique()):
                series = of_key[of_key["unit"] == unit]
                if (series["status"] == "target").any():
                    title = indicator_name(f"{names.get(key, key)} {series['indicator_en'].iloc[0]}".strip(), code)
                    charts.append(target_chart(series, title, unit))
        targets = rows[(rows["region"] == region) & (rows["status"] == "target")]
        if len(targets):
            charts.append(area_chart(targets, region))
        divs = []
        for fig in charts:
            n += 1
            divs.append(f'<div class="chart">{fig.to_html(full_html=False, include_plotlyjs=False, div_id=f"chart-{n}", config={"displayModeBar": False, "responsive": True})}</div>')
        about = ", ".join(x for x in (english, code) if x)
        sections.append(f"<h2>{html.escape(region)}{f' — {html.escape(about)}' if about else ''}</h2>"
                        f"<div class=\"charts\">{''.join(divs)}</div>"
                        f"<h3>新增、取消和调整的目标 new, dropped and changed targets</h3>"
                        f"{changes_table(changes[changes['region'] == region], of_region, names)}")
    judged = panel["met"].notna()
    summary = (f"{plural(panel['region'].nunique(), 'region')}, "
               f"{plural(int((panel['status'] == 'target').sum()), 'annual target')}, "
               f"{plural(int((panel['status'] == 'absent').sum()), 'headline target')} not set, "
               f"{int(judged.sum())} judged against a result ({int(panel.loc[judged, 'met'].sum())} met).")
    return PAGE.format(title="目标对比 Targets year over year", summary=html.escape(summary),
                       plotly=plotly.offline.get_plotlyjs(), body="\n".join(sections), targets=target_rows(rows))
