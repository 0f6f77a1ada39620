"""One short description of every output column (rows, panel, changes), at most 80 characters:
the variable labels of a Stata file, where a reader looks up what a column holds (docs/schema.md
gives the whole meaning)."""

LABELS = {
    # rows (records.COLUMNS)
    "row_id": "row id: document text and span (corrections refer to it)",
    "doc": "file name of the document",
    "year": "year of the report (manifest, else read from the text)",
    "region": "region of the report (manifest, else read from the text)",
    "section": "nearest top-level heading",
    "topic": "nearest sub-heading or the paragraph's lead phrase",
    "work_area": "work area (rules/areas.yaml)",
    "action": "verb before the metric (新增, 建成, 完成)",
    "metric": "what the number counts or measures",
    "metric_key": "canonical indicator key (rules/metrics.yaml), else text:<wording>",
    "quantity_text": "the number with magnitude word and unit, as written",
    "value": "value, magnitude words folded in (3.8亿 = 380000000); low end of a range",
    "value_high": "high end of a range",
    "unit": "unit after the magnitude word (%, 百分点, 元, 家); empty if none",
    "kind": "change (增长8%) or level",
    "comparator": ">= <= ~ > < or = (以上, 以内, 左右, 多, 小于)",
    "aspirational": "1 when hedged (力争, 争取, 努力, 力求)",
    "status": "rows: target or achieved (a past result); panel: target, absent or result",
    "period": "year the value is for; empty when it spans several years",
    "check": "flags of rows to check first: borrowed list long verb magnitude no_unit purpose",
    "source": "machine, corrected or added (by a reviewer)",
    "sentence": "the sentence the row comes from",
    "start": "offset of quantity_text in the document text (code points)",
    "end": "end offset of quantity_text in the document text (code points)",
    # the panel and the changes (compare)
    "region_code": "administrative division code (GB/T 2260); 100000 the nation",
    "region_en": "region in English",
    "indicator_en": "indicator in English",
    "previous_value": "the previous year's target of the series",
    "change": "difference to the previous year's target; in changes: new, dropped, …",
    "achieved_value": "the result for that year, from a later report",
    "met": "1 met, 0 missed, empty when not judged",
    "achieved_doc": "document stating the result",
    "achieved_text": "the result as written",
    "previous": "the previous year's target, as text",
    "current": "this year's target, as text",
}
