"""`check`: a reason whose direction words contradict its figures (issue 12 item 10), for every reason
text the workbook carries — each 变动原因 of the 说明 sheet against 本年/上年, each 预决算差异 reason
(预算数 sheet 项 of all three funds, the 一般公共预算 total, the 三公 total and items) against 决算/年初预算.

Each test breaks one cell of the demo workbook and asserts the finding's sheet, cell, expected and found.
"""

from __future__ import annotations

import pytest

from generator import keys
from generator.checks import run_checks
from generator.checks.content import RULE_DIRECTION
from generator.intake import read_workbook
from tests.helpers import DEMO, YIYANG, YONGZHOU, edited_copy, find_cell


def _reason(key: str, text: str):
    def edit(wb):
        ws = wb[keys.SHEET_REASONS]
        ws[find_cell(ws, key, "内容").coordinate] = text

    return edit


def _budget_reason(code: str, text: str):
    def edit(wb):
        ws = wb[keys.SHEET_BUDGET]
        for row in ws.iter_rows(min_row=2):
            if str(row[0].value) == code:
                row[5].value = text  # F: 决算与预算差异原因

    return edit


def _direction_findings(tmp_path, edit):
    m = read_workbook(edited_copy(DEMO, tmp_path / "x.xlsx", edit))
    return [f for f in run_checks(m) if f.rule == RULE_DIRECTION]


# ---- 变动原因: 本年 against 上年 -------------------------------------------------------------------


@pytest.mark.parametrize(
    "key, cell, text, expected, found",
    [
        # 3,058.79 > 2,665.63: rose; money carried forward (结转至下年) only lowers a total
        ("收支总计变动原因", "B2", "部分项目资金结转至下年", "增加的原因", "结转至下年"),
        ("本年收入变动原因", "B3", "上级补助收入减少", "增加的原因", "减少"),  # 2,852.39 > 2,327.34
        ("本年支出变动原因", "B4", "项目支出下降", "增加的原因", "下降"),  # 2,996.61 > 2,459.23
        ("财政拨款收支变动原因", "B5", "财政拨款减少", "增加的原因", "减少"),  # 3,046.29 > 2,655.63
        ("财政拨款收入变动原因", "B6", "一般公共预算拨款降低", "增加的原因", "降低"),  # 2,839.89 > 2,317.34
        ("财政拨款支出变动原因", "B7", "项目结转至下年", "增加的原因", "结转至下年"),  # 2,984.11 > 2,449.23
        ("一般公共预算财政拨款支出变动原因", "B8", "人员经费减少", "增加的原因", "减少"),  # 2,824.11 > 2,449.23
        ("三公经费变动原因", "B11", "接待任务增加", "减少的原因", "增加"),  # 9.71 < 10.15: fell
        ("公务接待费变动原因", "B17", "接待批次增加", "减少的原因", "增加"),  # 2.36 < 2.80
        ("机关运行经费变动原因", "B22", "物业管理费减少", "增加的原因", "减少"),  # 273.11 > 236.15
    ],
)
def test_change_reason_against_the_figures(tmp_path, key, cell, text, expected, found):
    (f,) = _direction_findings(tmp_path, _reason(key, text))
    assert (f.level, f.sheet, f.cells, f.expected, f.found) == ("warning", "说明", [f"说明!{cell}"], expected, found)
    assert key in f.message


def test_flat_change_and_mixed_reasons_are_not_flagged(tmp_path):
    # 公务用车购置及运行维护费 7.35 = 7.35: nothing moved, so no direction can contradict
    assert _direction_findings(tmp_path, _reason("公务用车购置及运行维护费变动原因", "燃油费减少")) == []
    # 新增 … 结转至下年: two causes, no single claim
    assert _direction_findings(tmp_path, _reason("本年支出变动原因", "新增项目，部分资金结转至下年")) == []


# ---- 预决算差异原因: 决算 against 年初预算 ------------------------------------------------------------


@pytest.mark.parametrize(
    "edit, cell, expected, found",
    [
        # 一般公共预算 total: 2,824.11 > 2,812.72 (the typed 预算数 合计) — over, explained by carrying forward
        (_reason("一般公共预算财政拨款预决算差异原因", "部分项目结转至下年"), "说明!B9", "决算大于预算的原因", "结转至下年"),
        # 三公 total 9.71 < 11.00 and 公务接待费 2.36 < 3.00, 公务用车 7.35 < 8.00: under, explained by 追加/新增
        (_reason("三公经费预决算差异原因", "年中追加接待任务"), "说明!B10", "决算小于预算的原因", "追加"),
        (_reason("公务接待费预决算差异原因", "接待批次增加"), "说明!B14", "决算小于预算的原因", "增加"),
        (_reason("公务用车购置及运行维护费预决算差异原因", "新增车辆保险"), "说明!B13", "决算小于预算的原因", "新增"),
        # 项 2010302: 842.30 > 800.00 explained by 节约; 2010505: 64.20 < 70.00 explained by 追加
        (_budget_reason("2010302", "采购节约"), "预算数!F3", "决算大于预算的原因", "节约"),
        (_budget_reason("2010505", "年中追加统计监测经费"), "预算数!F5", "决算小于预算的原因", "追加"),
        # 政府性基金 项 2121399: 160.00 > 150.00
        (_budget_reason("2121399", "部分资金结转至下年"), "预算数!F14", "决算大于预算的原因", "结转至下年"),
    ],
)
def test_budget_reason_against_the_figures(tmp_path, edit, cell, expected, found):
    (f,) = _direction_findings(tmp_path, edit)
    assert (f.level, f.sheet, f.cells, f.expected, f.found) == ("warning", cell.split("!")[0], [cell], expected, found)


def test_samples_have_no_contradicting_reason():
    for book in (DEMO, YIYANG, YONGZHOU):
        assert [f.message for f in run_checks(read_workbook(book)) if f.rule == RULE_DIRECTION] == []
