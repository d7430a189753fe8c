"""Reason texts (issue 12 item 10): normalised once where they enter a sentence; workbook texts
with template leftovers, stray years or contradicting direction words are warnings naming the
cell, and --final refuses to build with them."""

from __future__ import annotations

import pytest

from generator import keys
from generator.checks import run_checks
from generator.checks.content import FINAL_RULES, RULE_DIRECTION, RULE_LEFTOVER, RULE_YEAR
from generator.figures import compute
from generator.intake import read_workbook
from generator.phrasing import Paragraph, Phraser, reason_text
from generator.pipeline import BuildRefused, build_book
from tests.helpers import DEMO, edited_copy, find_cell

LEADS = ["主要原因是", "主要原因：", "主要原因:", "主要原因为", "主要是", "是因", "因", "由于", "系", "主要是由于", "是由于", "因为", "原因是",
         "决算数小于预算数的主要原因：", "决算数大于预算数的主要原因是"]  # fmt: skip


@pytest.mark.rules
@pytest.mark.parametrize("lead", LEADS)
@pytest.mark.parametrize("end", ["", "。", "；", "，", "。 "])
def test_every_lead_word_and_end_mark_is_stripped(lead, end):
    assert reason_text(f"{lead}人员增加{end}") == "人员增加"


@pytest.mark.rules
@pytest.mark.parametrize("text", ["主要原因是是因人员增加。", "主要原因是主要是人员增加", "由于因人员增加", "主要原因：由于人员增加；"])
def test_doubled_lead_words_are_stripped_together(text):
    assert reason_text(text) == "人员增加"


@pytest.mark.rules
@pytest.mark.parametrize("text", ["因公出国（境）费减少", "系统升级改造", "因此支出减少", "人员增加", "年中追加因素"])
def test_words_that_merely_start_like_a_lead_are_kept(text):
    assert reason_text(text) == text


@pytest.mark.rules
def test_normalising_is_idempotent_and_empty_stays_empty():
    once = reason_text("主要原因是由于年中追加经费。")
    assert once == "年中追加经费" and reason_text(once) == once
    assert reason_text(None) == "" and reason_text("。") == ""


@pytest.mark.parametrize("lead", LEADS)
def test_phraser_sentence_never_doubles_the_lead(lead):
    phraser = Phraser(compute(read_workbook(DEMO)))
    text = Paragraph.parse("主要原因是" + phraser.reason(f"{lead}人员增加。", "本年支出变动原因")).text
    assert text == "主要原因是人员增加"
    for bad in ("是因", "主要是主要", "原因是主要原因", "原因是决算数", "原因是由于"):
        assert bad not in text


def test_an_empty_reason_is_pending():
    phraser = Phraser(compute(read_workbook(DEMO)))
    assert "【待补充：本年支出变动原因" in phraser.reason("主要原因是。", "本年支出变动原因")


# ---- content checks: each names sheet and cell ---------------------------------------------------


def _set_reason(key: str, text: str):
    def edit(wb):
        ws = wb[keys.SHEET_REASONS]
        ws[find_cell(ws, key, "内容").coordinate] = text

    return edit


def _findings(tmp_path, edit, rule):
    m = read_workbook(edited_copy(DEMO, tmp_path / "x.xlsx", edit))
    return [f for f in run_checks(m) if f.rule == rule]


def test_the_demo_has_no_text_findings():
    assert [f for f in run_checks(read_workbook(DEMO)) if f.rule in FINAL_RULES] == []


@pytest.mark.parametrize(
    "text, leftover",
    [
        ("主要用于XXXXXXXX", "XXXXXXXX"),
        ("主要用于×××工作", "×××"),
        ("开展了……等工作", "……"),
        ("比上年增加（减少）", "增加（减少）"),
        ("增长/下降较多", "增长/下降"),
        ("完成了（具体工作）", "（具体工作）"),
        ("包括（罗列主要项目）", "（罗列主要项目）"),
        ("（此处填写原因）", "（此处填写原因）"),
        ("截止2024年12月31日召开", "截止"),
    ],
)
def test_template_leftovers_are_warned_with_the_cell(tmp_path, text, leftover):
    (f,) = _findings(tmp_path, _set_reason("会议费用途", text), RULE_LEFTOVER)
    assert f.level == "warning" and f.cells == ["说明!B26"] and f"“{leftover}”" in f.message


def test_leftovers_in_budget_and_unit_texts_name_their_cells(tmp_path):
    def edit(wb):
        ws = wb[keys.SHEET_BUDGET]
        for row in ws.iter_rows(min_row=2):
            if row[0].value == "2010302":
                row[4].value = "主要用于XX系统运维"
        wb[keys.SHEET_UNIT][find_cell(wb[keys.SHEET_UNIT], "机构设置", "内容").coordinate] = "内设XX个科室"

    cells = sorted(c for f in _findings(tmp_path, edit, RULE_LEFTOVER) for c in f.cells)
    assert cells == ["单位信息!B9", "预算数!E3"]


def test_a_year_other_than_this_and_last_is_warned(tmp_path):
    # 年度 2024: 2024 and 2023 are fine, and 2025 (where carry-overs go); 2022 is a leftover of an older document
    assert _findings(tmp_path, _set_reason("会议费用途", "召开2024年度及2023年度总结会，结转至2025年"), RULE_YEAR) == []
    (f,) = _findings(tmp_path, _set_reason("会议费用途", "召开2022年工作会议"), RULE_YEAR)
    assert f.cells == ["说明!B26"] and "2022年" in f.message and "2023年、2024年" in f.message


def test_a_reason_contradicting_the_direction_is_warned(tmp_path):
    # 机关运行经费 2024 273.11 vs 2023 236.15: increased; the reason says 减少
    (f,) = _findings(tmp_path, _set_reason("机关运行经费变动原因", "物业管理费减少"), RULE_DIRECTION)
    assert f.cells == ["说明!B22"] and "273.11" in f.message and "236.15" in f.message
    # mixed causes (新增 … 减少) are not flagged
    assert _findings(tmp_path, _set_reason("机关运行经费变动原因", "新增物业合同，水电费减少"), RULE_DIRECTION) == []


def test_over_spending_explained_by_carry_forward_is_warned(tmp_path):
    def edit(wb):
        ws = wb[keys.SHEET_BUDGET]
        for row in ws.iter_rows(min_row=2):
            if row[0].value == "2010302":  # 年初 800.00, 决算 842.30: over budget
                row[5].value = "部分资金结转至下年使用"

    (f,) = _findings(tmp_path, edit, RULE_DIRECTION)
    assert f.cells == ["预算数!F3"] and "842.30" in f.message and "800.00" in f.message


def test_final_refuses_while_a_text_finding_remains(tmp_path):
    book = edited_copy(DEMO, tmp_path / "x.xlsx", _set_reason("会议费用途", "召开XX会议"))
    out = tmp_path / "x.docx"
    with pytest.raises(BuildRefused) as refused:
        build_book(book, out, profile_name="上海2024", final=True)
    assert "模板文字" in str(refused.value) and not out.exists()
    build_book(book, out, profile_name="上海2024")  # a draft is still built
    assert out.exists()
