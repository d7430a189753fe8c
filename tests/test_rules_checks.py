"""§6 rule tests: one named test per check, each asserting the exact finding (rule, sheet, cells, expected, found).

The workbook is the fictional, fully consistent sample (示例单位_2024.xlsx, no findings at all)
with one or two cells changed by openpyxl. Expected values are worked out by hand from the
sample's own cells (listed next to each case). These tests go through ``run_checks`` only,
so they keep their meaning when ``checks`` is reorganised.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from generator.checks import Finding, run_checks
from generator.consolidate import check_department
from generator.intake import read_workbook
from generator.intake.values import to_decimal
from helpers import DEMO, edited_copy, find_cell, find_label, sangong_cell, sheet_named

pytestmark = pytest.mark.rules


def other_cell(wb, key: str):
    """The 数值 cell (column B) of a row of “其他事项”."""
    ws = wb["其他事项"]
    return ws.cell(row=find_label(ws, key).row, column=2)


def findings_after(tmp_path, *edits) -> list[Finding]:
    """Copy the consistent sample, apply each (locate(wb) -> cell, value), read it, run the checks."""

    def edit(wb):
        for locate, value in edits:
            locate(wb).value = value

    return run_checks(read_workbook(edited_copy(DEMO, tmp_path / "book.xlsx", edit)))


def summary(findings: list[Finding]) -> list[tuple]:
    return [(f.level, f.rule, f.sheet, f.cells, f.expected, f.found) for f in findings]


def test_intact_sample_has_no_findings():
    assert run_checks(read_workbook(DEMO)) == []


# ---- 其他事项: vehicles and procurement ---------------------------------------------------------


def test_rule_vehicle_total_equals_its_kinds(tmp_path):
    # 车辆总数 (其他事项!B23) 4 vs 机要通信用车 1 + 应急保障用车 1 + 其他用车 1 = 3: off by 1 > 0.01 × 3 -> error
    found = findings_after(tmp_path, (lambda wb: other_cell(wb, "车辆总数"), 4))
    assert summary(found) == [("error", "车辆", "其他事项", ["其他事项!B23", "其他事项!B26", "其他事项!B27", "其他事项!B31"], D(3), D(4))]


def test_rule_procurement_total_equals_its_parts(tmp_path):
    # 政府采购支出总额 500.15 vs 货物 86.40 + 工程 0 + 服务 412.75 = 499.15 -> error
    found = findings_after(tmp_path, (lambda wb: other_cell(wb, "政府采购支出总额"), 500.15))
    assert summary(found) == [("error", "政府采购", "其他事项", ["其他事项!B14", "其他事项!B15", "其他事项!B17"], D("499.15"), D("500.15"))]


def test_rule_procurement_small_firms_within_sme(tmp_path):
    # 授予小微企业 400.00 > 授予中小企业 356.20 (小微 is part of 中小) -> error on the 小微 cell
    found = findings_after(tmp_path, (lambda wb: other_cell(wb, "授予小微企业合同金额"), 400))
    assert summary(found) == [("error", "政府采购", "其他事项", ["其他事项!B19"], None, None)]
    assert "授予小微企业合同金额 400.00 大于授予中小企业合同金额 356.20" in found[0].message


def test_rule_procurement_sme_within_total(tmp_path):
    # 授予中小企业 500.00 > 政府采购支出总额 499.15 -> error on the 中小 cell
    found = findings_after(tmp_path, (lambda wb: other_cell(wb, "授予中小企业合同金额"), 500))
    assert summary(found) == [("error", "政府采购", "其他事项", ["其他事项!B18"], None, None)]


# ---- negatives --------------------------------------------------------------------------------


def test_rule_negative_in_sangong_table_is_an_error(tmp_path):
    # 公开07 预算数·因公出国（境）费 B8: 0 -> −1; the 合计 A8 11 = −1 + 8 + 3 = 10 also breaks (off by 1)
    found = findings_after(tmp_path, (lambda wb: sangong_cell(sheet_named(wb, "公开07表"), "预算数", "因公出国（境）费"), -1))
    negatives = [(f.level, f.sheet, f.cells) for f in found if f.rule == "负数"]
    assert negatives == [("error", "公开07表", ["公开07表!B8"])]
    assert [(f.rule, f.expected, f.found) for f in found if f.rule != "负数"] == [("公开07.合计", D(10), D(11))]


def test_rule_negative_in_basic_table_is_an_error(tmp_path):
    # 公开06 30305 生活补助 C25: 2.40 -> −2.40; 303 group 51.96 ≠ 48.36 + 1.2 − 2.4 = 47.16
    found = findings_after(tmp_path, (lambda wb: find_cell(sheet_named(wb, "公开06表"), "30305", "决算数"), -2.4))
    negatives = [(f.level, f.sheet, f.cells) for f in found if f.rule == "负数"]
    assert negatives == [("error", "公开06表", ["公开06表!C25"])]
    groups = [(f.rule, f.cells[0], f.expected, f.found) for f in found if f.rule == "公开06.分组"]
    assert groups == [("公开06.分组", "公开06表!C20", D("47.16"), D("51.96"))]


def test_rule_negative_year_end_balance_is_allowed(tmp_path):
    # 公开08: 年初 0 + 本年收入 150 − 本年支出 160 = 年末 −10 on every row: consistent, and a
    # negative 年末结转和结余 is the one negative the tables may hold -> no finding at all
    def col(header):
        return lambda wb: [sheet_named(wb, "公开08表")[f"{header}{r}"] for r in range(7, 11)]

    def edit(wb):
        for cell in col("C")(wb):
            cell.value = 0
        for cell in col("H")(wb):
            cell.value = -10

    found = run_checks(read_workbook(edited_copy(DEMO, tmp_path / "book.xlsx", edit)))
    assert [f for f in found if f.rule == "负数"] == []


# ---- 公开04 -------------------------------------------------------------------------------------


def test_rule_fiscal_summary_spending_total(tmp_path):
    # 公开04 支出总计·政府性基金 H39: 170 -> 171; 本年支出合计 160 + 年末结转和结余 10 = 170;
    # the row's 合计 F39 3046.29 = 2876.29 + 171 + 0 = 3047.29 now differs too
    found = findings_after(tmp_path, (lambda wb: sheet_named(wb, "公开04表")["H39"], 171))
    assert summary(found) == [
        ("error", "公开04.支出总计", "公开04表", ["公开04表!H39", "公开04表!H34", "公开04表!H35"], D(170), D(171)),
        ("error", "公开04.列合计", "公开04表", ["公开04表!F39", "公开04表!G39", "公开04表!H39"], D("3047.29"), D("3046.29")),
    ]


# ---- ordering, tolerance ----------------------------------------------------------------------


def test_rule_errors_are_listed_before_warnings(tmp_path):
    # 公开01 其他收入 12.50 -> 12.51: 本年收入合计 2852.39 vs 2852.40, off by 0.01 ≤ 0.01 × 3 -> warning (checked first);
    # 车辆总数 4 vs 3 -> error (checked last). The error comes first.
    found = findings_after(
        tmp_path,
        (lambda wb: find_cell(sheet_named(wb, "公开01表"), "其他收入", "金额"), 12.51),
        (lambda wb: other_cell(wb, "车辆总数"), 4),
    )
    levels = [f.level for f in found]
    assert levels[0] == "error" and found[0].rule == "车辆"
    assert levels == sorted(levels, key=lambda level: level != "error")
    assert ("warning", "公开01.本年收入合计", D("2852.40"), D("2852.39")) in [(f.level, f.rule, f.expected, f.found) for f in found]


def _department_pair():
    """The sample read twice: a department and its one unit, identical."""
    dept, unit = read_workbook(DEMO), read_workbook(DEMO)
    return dept, unit, dept.summary.totals["本年收入合计"]


def test_rule_department_within_one_cent_per_unit_is_a_warning():
    # department 本年收入合计 2852.39 + 0.01 = 2852.40 vs Σ units 2852.39, one nonzero unit: tolerance 0.01 -> warning
    dept, unit, row = _department_pair()
    row.values["金额"] += D("0.01")
    found = [(f.level, f.expected, f.found) for f in check_department(dept, [unit]) if "本年收入合计" in f.message]
    assert found == [("warning", D("2852.39"), D("2852.40"))]


def test_rule_department_beyond_one_cent_per_unit_is_an_error():
    # 2852.39 + 0.02 = 2852.41: off by 0.02 > 0.01 × 1 unit -> error (a tolerance loosened by 0.05 would say warning)
    dept, unit, row = _department_pair()
    row.values["金额"] += D("0.02")
    found = [(f.level, f.expected, f.found) for f in check_department(dept, [unit]) if "本年收入合计" in f.message]
    assert found == [("error", D("2852.39"), D("2852.41"))]


# ---- the owner line of a table ----------------------------------------------------------------


@pytest.mark.parametrize(
    "owner",
    [
        "部门：示例市数据资源局（本级）",  # the owner line holds the unit's name
        "部门：示例市数据资源",  # the unit's name holds the owner line (a shortened name)
    ],
)
def test_rule_owner_line_matches_in_either_direction(tmp_path, owner):
    found = findings_after(tmp_path, (lambda wb: sheet_named(wb, "公开05表")["A3"], owner))
    assert [f for f in found if f.rule == "表头单位"] == []


def test_rule_owner_line_of_another_unit_is_an_error(tmp_path):
    found = findings_after(tmp_path, (lambda wb: sheet_named(wb, "公开05表")["A3"], "部门：示例市财政局"))
    assert [(f.level, f.rule, f.sheet, f.cells) for f in found] == [("error", "表头单位", "公开05表", ["公开05表!A3"])]


# ---- blank marks in amount cells (§3) ----------------------------------------------------------


@pytest.mark.parametrize("mark", ["", "-", "－", "—", "——", "–", "/", "无", " — "])
def test_rule_blank_marks_read_as_zero(mark):
    assert to_decimal(mark) == D(0)


def test_rule_blank_marks_in_a_table_read_as_zero(tmp_path):
    # 公开06 30203 咨询费 F9 is 0: written as "—" and "/" and "无" it still reads 0 -> no finding
    marks = iter(["—", "/", "无"])
    found = findings_after(
        tmp_path,
        (lambda wb: find_cell(sheet_named(wb, "公开06表"), "30203", "决算数"), next(marks)),
        (lambda wb: find_cell(sheet_named(wb, "公开06表"), "30204", "决算数"), next(marks)),
        (lambda wb: find_cell(sheet_named(wb, "公开06表"), "30208", "决算数"), next(marks)),
    )
    assert found == []


# ---- the 尾数误差 tolerance: ±0.01 per non-zero summand (§6), on the model read once -----------


@pytest.fixture(scope="module")
def demo_model():
    return read_workbook(DEMO)


def checked(model, rule: str, table: str, key: str, delta: str) -> list[tuple]:
    """Add ``delta`` to 公开01/04 total ``key`` of a copy of the model; the findings of ``rule``."""
    m = model.model_copy(deep=True)
    getattr(m, table).totals[key].values["金额"] += D(delta)
    return [(f.level, f.cells, f.expected, f.found) for f in run_checks(m) if f.rule == rule]


@pytest.mark.parametrize(
    "delta, level",
    [
        # 本年收入合计 2852.39 = 2689.89 + 150 + 12.50: three non-zero summands (five lines are 0) -> ±0.03
        ("0.01", "warning"),
        ("0.03", "warning"),
        ("-0.03", "warning"),
        ("0.04", "error"),
        ("-0.04", "error"),
    ],
)
def test_rule_tolerance_counts_non_zero_summands(demo_model, delta, level):
    found = checked(demo_model, "公开01.本年收入合计", "summary", "本年收入合计", delta)
    # cells: the total first, then the non-zero summands (一般公共预算 C7, 政府性基金 C8, 其他收入 C14)
    assert found == [(level, ["公开01表!C33", "公开01表!C7", "公开01表!C8", "公开01表!C14"], D("2852.39"), D("2852.39") + D(delta))]


@pytest.mark.parametrize("delta, level", [("0.01", "warning"), ("-0.01", "warning"), ("0.02", "error"), ("-0.02", "error")])
def test_rule_single_summand_identity_allows_one_cent(demo_model, delta, level):
    # 收入总计 3058.79 (C37) = 支出总计 (F37): one summand -> ±0.01
    found = checked(demo_model, "公开01.收支平衡", "summary", "支出总计", delta)
    assert found == [(level, ["公开01表!C37", "公开01表!F37"], D("3058.79") + D(delta), D("3058.79"))]


def test_rule_tolerance_finding_says_which_kind(demo_model):
    m = demo_model.model_copy(deep=True)
    m.summary.totals["本年收入合计"].values["金额"] += D("0.03")
    (warning,) = [f for f in run_checks(m) if f.rule == "公开01.本年收入合计"]
    assert "尾数误差（在允许的 ±0.01×3 范围内）" in warning.message
    m.summary.totals["本年收入合计"].values["金额"] += D("0.01")
    (error,) = [f for f in run_checks(m) if f.rule == "公开01.本年收入合计"]
    assert error.message.endswith("相差 0.04，不平。")
