"""Undoing a print layout: hard wraps and page numbers out of the view, offsets back to the text."""
from pipeline.layout import unwrap

FILL = "一二三四五六七八九十" * 3  # a full line of a text wrapped at 30 characters


def wrapped(*tail_lines: str) -> str:
    return "\n".join([FILL] * 24 + ["结束。"] + list(tail_lines)) + "\n"


def test_text_without_wraps_is_its_own_view():
    text = "新增企业46家。\n二、\n城镇新增就业1.2万人。\n"
    view = unwrap(text)
    assert view.text == text and view.source_span(4, 7) == (4, 7)


def test_number_cut_by_a_wrap_and_a_page_number_is_read_whole():
    full = "全年共安排市级重点项目二十四个，年内计划完成投资总额339."
    assert len(full) == len(FILL)
    text = wrapped(full, "", "— 5 —", "9亿元，建成投产。", "短行不续", "下一段。")
    view = unwrap(text)
    assert "总额339.9亿元，建成投产。\n短行不续\n下一段。\n" in view.text
    i = view.text.index("339.9亿元")
    start, end = view.source_span(i, i + len("339.9亿元"))
    assert text[start:end] == "339.\n\n— 5 —\n9亿元"


def test_full_line_ending_a_sentence_ends_its_paragraph():
    line = "这一行正好写满了三十个字符并且以句号结束所以不再接续下一行文字。"[:29] + "。"
    view = unwrap(wrapped(line, "新段落。"))
    assert line + "\n新段落。" in view.text


def test_a_heading_after_a_full_line_is_never_joined_to_it():
    quoted = FILL[:-4] + "“三农”"  # full, and its sentence does not end
    text = wrapped(quoted, "二、2024年工作安排", "新增企业46家。")
    view = unwrap(text, heading=lambda line: line.startswith("二、"))
    assert quoted + "\n二、2024年工作安排\n" in view.text


def test_closing_quotes_do_not_hide_the_end_of_a_paragraph():
    line = FILL[:-3] + "。”"  # full, ends its sentence inside the quote
    view = unwrap(wrapped(line + "", "下一段。"))
    assert line + "\n下一段。" in view.text
