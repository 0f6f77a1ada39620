"""A self-contained HTML report of a comparison, one section per region: each headline indicator's
target over the years with the results beside it, commitments per work area per year, and the
table of new, dropped and changed targets. plotly.js is inlined, so the file opens offline.
"""
from __future__ import annotations

import html

import pandas as pd

from .normalize import TEXT_KEY, normalizer
from .panel import CompareRules

# a value in 元 or 人 reads better in 亿元 or 万人
DISPLAY_UNITS = {"元": (1e8, "亿元"), "人": (1e4, "万人")}
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
</style></head>
<body><h1>{title}</h1>
<p class="note">{summary}</p>
{body}
</body></html>
"""


def scale(series: pd.DataFrame, unit: str) -> tuple[float, str]:
    """One factor for targets, ranges and results of a chart (亿元 when any reaches 1亿)."""
    factor, name = DISPLAY_UNITS.get(unit, (1, unit))
    largest = series[["value", "value_high", "achieved_value"]].abs().max().max()
    return (factor, name) if largest >= factor else (1, unit)


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
                    text=[f"{COMPARATOR_TEXT.get(c, '')}{v:g}" + (f"–{h:g}" if h != v else "") + f" {shown_unit}"
                          if v == v else "" for c, v, h in zip(targets["comparator"], low, high)],
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


def changes_table(changes: pd.DataFrame) -> str:
    indicators = changes[~changes["metric_key"].str.startswith(TEXT_KEY)]
    head = "".join(f"<th>{h}</th>" for h in ("年份 year", "指标 indicator", "变化 change", "上年 before", "本年 now"))
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in
                         (r.year, f"{r.metric} ({r.metric_key})", r.change, r.previous, r.current)) + "</tr>"
        for r in indicators.itertuples())
    others = len(changes) - len(indicators)
    return (f"<table><tr>{head}</tr>{body}</table>" if body else "<p>—</p>") + \
        f'<p class="note">Other metrics (keys text:…): {others} new, dropped or changed targets; see the changes file.</p>'


def build_report(rows: pd.DataFrame, panel: pd.DataFrame, changes: pd.DataFrame, rules: CompareRules,
                 rules_dir: str | None = None) -> str:
    import plotly.offline

    names = {key: name for key, name, _ in normalizer(rules_dir).indicators}
    sections, n = [], 0
    for region in sorted(panel["region"].unique()):
        charts = []
        of_region = panel[panel["region"] == region]
        for key in rules.headline:
            of_key = of_region[of_region["metric_key"] == key]
            for unit in sorted(of_key["unit"].unique()):
                series = of_key[of_key["unit"] == unit]
                if (series["status"] == "target").any():
                    charts.append(target_chart(series, f"{names.get(key, key)} ({key})", unit))
        targets = rows[(rows["region"] == region) & (rows["status"] == "target")]
        if len(targets):
            charts.append(area_chart(targets, region))
        divs = []
        for fig in charts:
            n += 1
            divs.append(f'<div class="chart">{fig.to_html(full_html=False, include_plotlyjs=False, div_id=f"chart-{n}", config={"displaylogo": False, "responsive": True})}</div>')
        sections.append(f"<h2>{html.escape(region)}</h2><div class=\"charts\">{''.join(divs)}</div>"
                        f"<h3>新增、取消和调整的目标 new, dropped and changed targets</h3>"
                        f"{changes_table(changes[changes['region'] == region])}")
    judged = panel["met"].notna()
    summary = (f"{panel['region'].nunique()} regions, {int((panel['status'] == 'target').sum())} annual targets, "
               f"{int((panel['status'] == 'absent').sum())} headline targets not set, "
               f"{int(judged.sum())} judged against a result ({int(panel.loc[judged, 'met'].sum())} met).")
    return PAGE.format(title="目标对比 Targets year over year", summary=html.escape(summary),
                       plotly=plotly.offline.get_plotlyjs(), body="\n".join(sections))
