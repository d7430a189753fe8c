"""The line-width estimate and the table heights used by the print layout (printing.py): the fast
forms give the same answers as the definitions they replace."""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from generator.official_look import w
from generator.printing import CELL_PADDING, ROW_RULE, table_height, text_width

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.mark.parametrize(
    ("text", "points"),
    [
        ("", 0.0),
        ("1,234.56", 52.0),  # 8 Latin characters × 0.65 × 10 pt
        ("中文", 20.0),  # 2 CJK × 10 pt
        ("中文ab", 35.5),  # 20 + 2 × 6.5 + one CJK→Latin switch (2.5)
        ("a 中", 25.5),  # 6.5 + 6.5 (the space) + 10 + the switch at 中 (2.5); none at the space
        ("中\u3000中", 30.0),  # the ideographic space is wide: no switch anywhere
        ("（2024年）", 61.0),  # （ 10 + 2024 (4 × 6.5 = 26) + switch at 2 (2.5) + 年 10 + switch (2.5) + ） 10
    ],
)
def test_text_width(text, points):
    """At 10 pt: a CJK character 10, a Latin one 6.5, 2.5 at each CJK/Latin switch not at a space."""
    assert text_width(text, 10.0) == pytest.approx(points)


def _tables(path: Path):
    with zipfile.ZipFile(path) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    return list(root.iter(w("tbl")))


def _lines_by_definition(tc, size: float) -> int:
    """A cell's lines as the rule says, cell by cell: each paragraph split at breaks and tabs, each piece
    ⌈width ÷ column⌉ lines (at least one); a cell without a width in twips takes one line a piece."""
    tcw = tc.find(f"{w('tcPr')}/{w('tcW')}")
    width = int(tcw.get(w("w"), "0")) / 20 - CELL_PADDING if tcw is not None and tcw.get(w("type")) == "dxa" else 0
    lines = 0
    for p in tc.iter(w("p")):
        text = "".join((el.text or "") if el.tag == w("t") else "\n" for el in p.iter(w("t"), w("br"), w("tab")))
        for part in text.split("\n"):
            lines += max(1, math.ceil(text_width(part, size) / width)) if width > 0 else 1
    return max(1, lines)


@pytest.mark.parametrize("name", ["示例单位_2024.docx", "益阳市智慧城市和大数据中心_2020.docx"])
def test_table_height_is_the_sum_of_the_tallest_cells(name):
    """``table_height`` reads each row in one pass; its answer is the cell-by-cell definition's."""
    tables = _tables(SAMPLES / name)
    assert len(tables) >= 9
    for tbl in tables:
        for size, line in ((9.0, 10.5), (8.0, 8.5)):
            rows = tbl.iterchildren(w("tr"))
            expected = sum(max((_lines_by_definition(tc, size) for tc in tr.iterchildren(w("tc"))), default=1) * line + ROW_RULE for tr in rows)
            assert table_height(tbl, size, line) == pytest.approx(expected), name


def test_compact_style_is_8pt_on_exact_8_5pt_lines():
    """The style a table a few rows too long is switched to (公开06 of the 2024 sample)."""
    with zipfile.ZipFile(SAMPLES.parent / "templates" / "上海2024" / "template.docx") as zf:
        styles = etree.fromstring(zf.read("word/styles.xml"))
    style = next(s for s in styles.iter(w("style")) if s.find(w("name")).get(w("val")) == "决算表格紧排")
    assert style.find(f"{w('rPr')}/{w('sz')}").get(w("val")) == "16"  # 8 pt in half points
    spacing = style.find(f"{w('pPr')}/{w('spacing')}")
    assert (spacing.get(w("line")), spacing.get(w("lineRule"))) == ("170", "exact")  # 8.5 pt in twips


def test_compact_without_the_style_sets_each_paragraph_and_run():
    """A template made elsewhere (no 决算表格紧排 style): the same size and line, set directly."""
    from generator.printing import StyleInfo, _compact

    tbl = _tables(SAMPLES / "示例单位_2024.docx")[1]
    _compact(tbl, StyleInfo(ids={"决算表格": "决算表格"}, levels={}))
    paragraphs = list(tbl.iter(w("p")))
    assert paragraphs and all(p.find(f"{w('pPr')}/{w('spacing')}").get(w("line")) == "170" for p in paragraphs)
    runs = [r for p in paragraphs for r in p.iter(w("r"))]
    assert runs and all(r.find(f"{w('rPr')}/{w('sz')}").get(w("val")) == "16" for r in runs)
    assert {p.find(f"{w('pPr')}/{w('pStyle')}").get(w("val")) for p in paragraphs} == {"决算表格"}


def _definition_height(tbl, size: float, line: float) -> float:
    rows = tbl.iterchildren(w("tr"))
    return sum(max((_lines_by_definition(tc, size) for tc in tr.iterchildren(w("tc"))), default=1) * line + ROW_RULE for tr in rows)


@pytest.mark.parametrize("wrapper", ["tbl", "sdt"])
def test_table_height_of_a_nested_table_or_wrapped_row(wrapper):
    """``table_height`` reads a plain table in one walk; a table holding another table in a cell, or a row
    wrapped in a content control (w:sdt), is read row by row, and the answer is still the definition's:
    the nested table's paragraphs count in their cell, the wrapped row is not one of the table's rows."""
    tbl = next(t for t in _tables(SAMPLES / "示例单位_2024.docx") if len(t.findall(w("tr"))) > 4)
    before = _definition_height(tbl, 9.0, 10.5)
    rows = tbl.findall(w("tr"))
    cell = rows[2].find(w("tc"))
    if wrapper == "tbl":
        inner = etree.SubElement(cell, w("tbl"))
        for text in ("一段很长很长的嵌套表格文字，" * 6, "第二行"):
            p = etree.SubElement(etree.SubElement(etree.SubElement(inner, w("tr")), w("tc")), w("p"))
            etree.SubElement(etree.SubElement(p, w("r")), w("t")).text = text
        etree.SubElement(cell, w("p"))  # a cell ends with a paragraph
    else:
        sdt = etree.Element(w("sdt"))
        rows[3].addprevious(sdt)
        etree.SubElement(sdt, w("sdtContent")).append(rows[3])
    expected = _definition_height(tbl, 9.0, 10.5)
    assert expected != pytest.approx(before)  # the nested lines count, the wrapped row does not
    assert table_height(tbl, 9.0, 10.5) == pytest.approx(expected)
