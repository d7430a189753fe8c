"""The line-width estimate and the table-fit test used by the print layout (printing.py): the
fast forms give the same answers as the definitions they replace."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from generator.official_look import w
from generator.printing import fits_in, table_height, text_width

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


@pytest.mark.parametrize("name", ["示例单位_2024.docx", "益阳市智慧城市和大数据中心_2020.docx"])
def test_fits_in_agrees_with_the_measured_height(name):
    """``fits_in`` stops measuring early; its answer is ``table_height <= room`` for every table and room."""
    tables = _tables(SAMPLES / name)
    assert len(tables) >= 9
    for tbl in tables:
        height = table_height(tbl, 9.0, 10.5)
        for room in (0.0, height - 0.01, height, height + 0.01, 200.0, 700.0):
            assert fits_in(tbl, room, 9.0, 10.5) is (height <= room), (name, room, height)
