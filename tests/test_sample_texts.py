"""The samples' own texts as a 财政局 reviewer reads them (issue 12): no markup-looking text,
every reason agreeing with the direction of its figure, every 名词解释 entry in the "指……" style
of the official template. Read back from the built documents.
"""

from __future__ import annotations

import re

import pytest
from docx_helpers import read

from generator.pipeline import build_book

SAMPLES = {"示例单位_2024": "上海2024", "益阳市智慧城市和大数据中心_2020": "湖南2020", "永州市政务服务中心_2018": "2018"}
DEMO = "示例单位_2024"


@pytest.fixture(scope="module")
def docs(tmp_path_factory, samples):
    folder = tmp_path_factory.mktemp("texts")
    out = {}
    for stem, profile in SAMPLES.items():
        path = folder / f"{stem}.docx"
        build_book(samples / f"{stem}.xlsx", path, profile_name=profile)
        out[stem] = read(path)
    return out


def _sentences(doc) -> list[str]:
    return [s for p in doc.paragraphs for s in re.split(r"(?<=[。；])", p) if s]


@pytest.mark.parametrize("stem", list(SAMPLES))
def test_no_markup_looking_text(docs, stem):
    doc = docs[stem]
    for text in doc.paragraphs + [c for t in doc.tables for row in t for c in row]:
        # "R&D <试点>", "利息 & 往来款": characters a published 决算 never prints
        assert not re.search(r"[&<>]", text), text


# a figure's direction and the words that contradict it in its reason
UP, DOWN = ("增加", "增长", "大于"), ("减少", "下降", "小于")
AGAINST_UP = ("减少", "下降", "结转至下年", "结转下年", "节约")
AGAINST_DOWN = ("增加", "新增", "追加", "调增")


def _reasons(doc) -> list[tuple[str, str]]:
    """(direction word, reason) for each "…增加X万元…主要原因是…" / "决算数大于…的主要原因是…" sentence."""
    out = []
    for s in _sentences(doc):
        m = re.search(r"(增加|增长|减少|下降|大于|小于)[^。；]*?主要原因是([^。；]*)", s)
        if m:
            out.append((m.group(1), m.group(2)))
    return out


def test_every_reason_of_the_demo_agrees_with_its_figure(docs):
    reasons = _reasons(docs[DEMO])
    # the demo explains its changes and its 预决算 differences: at least the 收支总计, 收入, 支出, 财政拨款,
    # 一般公共预算 (总体, 预决算) and the 项 over/under their 年初预算
    assert len(reasons) >= 12, reasons
    for word, reason in reasons:
        against = AGAINST_UP if word in UP else AGAINST_DOWN
        assert not any(a in reason for a in against), (word, reason)


def test_the_reasons_the_reviewer_sent_back_are_rewritten(docs):
    text = "".join(docs[DEMO].paragraphs)
    # 收支总计 rose 393.16: a fall of the opening carry-over is no reason for a rise
    m = re.search(r"收入支出总计3,058.79万元。与2023年度相比，收入支出总计增加393.16万元，增长14.75%，主要原因是([^。]*)。", text)
    assert m and "减少" not in m.group(1), m
    # 一般公共预算 决算 2,824.11 above 年初 2,812.72 (100.40%): money added during the year, not carried to next year
    m = re.search(r"决算数大于年初预算数的主要原因是([^。]*)。其中", text)
    assert m and "结转" not in m.group(1) and "追加" in m.group(1), m
    assert "R&D" not in text and "<试点>" not in text


@pytest.mark.parametrize("stem", list(SAMPLES))
def test_glossary_entries_are_definitions_in_the_official_style(docs, stem):
    doc = docs[stem]
    paragraphs = doc.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if re.fullmatch(r"第.部分\s*名词解释", p))
    entries = []
    for p in paragraphs[start + 1 :]:
        if re.match(r"第.部分", p):
            break
        entries.append(p)
    assert len(entries) >= 15, stem
    for entry in entries:
        m = re.fullmatch(r"[一二三四五六七八九十百]+、([^：]+)：(.+)", entry)
        assert m, entry
        # "指……" as the official template words each entry; never a bare "反映……" or a noun phrase
        assert m.group(2).startswith("指"), entry
        assert m.group(2).endswith("。"), entry
