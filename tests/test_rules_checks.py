"""§6 rule tests: one named test per check, each asserting the exact finding (rule, sheet, cells, expected, found).

The input is the fictional, fully consistent sample (示例单位_2024.xlsx, no findings at all),
read once; each test changes one or two values of a deep copy of the model, exactly what a
changed cell gives (cells keep their addresses). Expected values are worked out by hand from
the sample's own cells (listed next to each case). These tests go through ``run_checks`` only,
so they keep their meaning when ``checks`` is reorganised.
"""

from __future__ import annotations

import copy
from decimal import Decimal as D

import openpyxl
import pytest
from helpers import DEMO, edited_copy, find_cell, find_label, findings_after, sheet_named

from generator.checks import Finding, run_checks
from generator.consolidate import check_department
from generator.intake import read_workbook
from generator.intake.values import to_decimal
from generator.model import Entry

pytestmark = pytest.mark.rules


@pytest.fixture(scope="module")
def demo_model():
    """The consistent sample, read once; each test edits a deep copy (a workbook edit gives the same model)."""
    return read_workbook(DEMO)


def summary(findings: list[Finding]) -> list[tuple]:
    return [(f.level, f.rule, f.sheet, f.cells, f.expected, f.found) for f in findings]


def other(key: str, value: str):
    def edit(m):
        m.other[key].value = D(value)

    return edit


def test_intact_sample_has_no_findings(demo_model):
    assert run_checks(demo_model) == []


# ---- 其他事项: vehicles and procurement ---------------------------------------------------------


def at(model, *keys: str) -> list[str]:
    """The cells the reader found for ``keys`` of 其他事项 (located by their labels, wherever the rows sit)."""
    return [f"其他事项!{model.other[k].cell}" for k in keys]


def test_rule_vehicle_total_equals_its_kinds(demo_model):
    # 车辆总数 4 vs 机要通信用车 1 + 应急保障用车 1 + 其他用车 1 = 3: off by 1 > 0.01 × 3 -> error
    found = findings_after(demo_model, other("车辆总数", "4"))
    cells = at(demo_model, "车辆总数", "机要通信用车", "应急保障用车", "其他用车")
    assert summary(found) == [("error", "车辆", "其他事项", cells, D(3), D(4))]


def test_rule_procurement_total_equals_its_parts(demo_model, tmp_path):
    # the sample leaves 政府采购支出总额 blank (computed); typed as 500.15 it must equal
    # 货物 86.40 + 工程 0.00 + 服务 412.75 = 499.15 -> error naming the total and its non-zero kinds
    # (a zero part is left out of the cells, as in every sum finding)
    ws = sheet_named(openpyxl.load_workbook(DEMO), "其他事项")
    total_cell = f"B{find_label(ws, '政府采购支出总额').row}"

    def edit(m):
        m.other["政府采购支出总额"] = Entry(value=D("500.15"), text="", cell=total_cell)

    found = findings_after(demo_model, edit)
    cells = [f"其他事项!{total_cell}", *at(demo_model, "政府采购货物支出", "政府采购服务支出")]
    assert summary(found) == [("error", "政府采购", "其他事项", cells, D("499.15"), D("500.15"))]


def test_rule_procurement_small_firms_within_sme(demo_model):
    # 授予小微企业 400.00 > 授予中小企业 356.20 (小微 is part of 中小) -> error; expected the whole, found the part
    found = findings_after(demo_model, other("授予小微企业合同金额", "400.00"))  # money is read to the cent
    cells = at(demo_model, "授予小微企业合同金额", "授予中小企业合同金额")
    assert summary(found) == [("error", "其他事项.部分≤整体", "其他事项", cells, D("356.20"), D("400"))]
    assert f"“授予小微企业合同金额” 400.00（{cells[0]}）大于“授予中小企业合同金额” 356.20（{cells[1]}）" in found[0].message


def test_rule_procurement_sme_within_total(demo_model):
    # 授予中小企业 500.00 > 政府采购支出总额, blank in the sample and so 86.40 + 0.00 + 412.75 = 499.15 -> error;
    # the finding names the three kinds' cells (no cell holds the computed total)
    def edit(m):
        m.other["授予中小企业合同金额"].value = D("500.00")
        m.other["其他采购项目中小企业中标金额"].value = D("214.60")  # 285.40 + 214.60 = 500.00: 中小企业合同 stays its parts' sum

    found = findings_after(demo_model, edit)
    cells = at(demo_model, "授予中小企业合同金额", "政府采购货物支出", "政府采购工程支出", "政府采购服务支出")
    assert summary(found) == [("error", "其他事项.部分≤整体", "其他事项", cells, D("499.15"), D("500"))]
    assert (
        f"“授予中小企业合同金额” 500.00（{cells[0]}）大于“政府采购货物支出 + 政府采购工程支出 + 政府采购服务支出” 499.15（{'、'.join(cells[1:])}）"
        in found[0].message
    )


def test_rule_procurement_sme_equal_to_total_is_fine(demo_model):
    # 授予中小企业 = 总额 499.15, 小微 = 中小: both limits reached, not exceeded
    def edit(m):
        m.other["授予中小企业合同金额"].value = D("499.15")
        m.other["授予小微企业合同金额"].value = D("499.15")
        m.other["其他采购项目中小企业中标金额"].value = D("213.75")  # 285.40 + 213.75 = 499.15

    assert findings_after(demo_model, edit) == []


# ---- negatives --------------------------------------------------------------------------------


def test_rule_negative_in_sangong_table_is_an_error(demo_model):
    # 公开07 预算数·因公出国（境）费 B8: 0 -> −1; the 合计 A8 11 = −1 + 8 + 3 = 10 also breaks (off by 1)
    def edit(m):
        m.sangong.budget.values["因公出国（境）费"] = D(-1)

    found = findings_after(demo_model, edit)
    negatives = [(f.level, f.sheet, f.cells) for f in found if f.rule == "负数"]
    assert negatives == [("error", "公开07表", ["公开07表!B8"])]
    assert [(f.rule, f.expected, f.found) for f in found if f.rule != "负数"] == [("公开07.合计", D(10), D(11))]


def test_rule_negative_in_basic_table_is_an_error(demo_model):
    # 公开06 30305 生活补助 C25: 2.40 -> −2.40; 303 group 51.96 ≠ 48.36 + 1.2 − 2.4 = 47.16
    def edit(m):
        m.gpb_basic.row("30305").values["决算数"] = D("-2.4")

    found = findings_after(demo_model, edit)
    negatives = [(f.level, f.sheet, f.cells) for f in found if f.rule == "负数"]
    assert negatives == [("error", "公开06表", ["公开06表!C25"])]
    groups = [(f.rule, f.cells[0], f.expected, f.found) for f in found if f.rule == "公开06.分组"]
    assert groups == [("公开06.分组", "公开06表!C20", D("47.16"), D("51.96"))]


def test_rule_negative_in_subject_table_is_an_error(demo_model):
    # 公开05 2010302 项目支出: 842.30 -> −842.30 (its 款, 类, 合计 and row totals break too)
    def edit(m):
        m.gpb_expenditure.row("2010302").values["项目支出"] = D("-842.30")

    found = findings_after(demo_model, edit)
    negatives = [(f.level, f.sheet, len(f.cells)) for f in found if f.rule == "负数"]
    assert negatives == [("error", "公开05表", 1)]
    assert found[0].level == "error"


def test_rule_negative_year_end_balance_is_allowed(demo_model):
    # 公开08: 年初 0 + 本年收入 150 − 本年支出 160 = 年末 −10 on every row: consistent, and a
    # negative 年末结转和结余 is the one negative the tables may hold -> no 负数 finding
    def edit(m):
        for row in [m.gov_fund.total, *m.gov_fund.rows]:
            row.values["年初结转和结余"] = D(0)
            row.values["年末结转和结余"] = D(-10)

    found = findings_after(demo_model, edit)
    assert [f for f in found if f.rule == "负数"] == []


# ---- 公开04 -------------------------------------------------------------------------------------


def test_rule_fiscal_summary_spending_total(demo_model):
    # 公开04 支出总计·政府性基金 H39: 170 -> 171; 本年支出合计 160 + 年末结转和结余 10 = 170;
    # the row's 合计 F39 3046.29 = 2876.29 + 171 + 0 = 3047.29 now differs too
    def edit(m):
        m.fiscal_summary.totals["支出总计"].values["政府性基金"] = D(171)

    assert summary(findings_after(demo_model, edit)) == [
        ("error", "公开04.支出总计", "公开04表", ["公开04表!H39", "公开04表!H34", "公开04表!H35"], D(170), D(171)),
        ("error", "公开04.列合计", "公开04表", ["公开04表!F39", "公开04表!G39", "公开04表!H39"], D("3047.29"), D("3046.29")),
    ]


# ---- ordering, tolerance ----------------------------------------------------------------------


def test_rule_errors_are_listed_before_warnings(demo_model):
    # 公开01 其他收入 12.50 -> 12.51: 本年收入合计 2852.39 vs 2852.40, off by 0.01 ≤ 0.01 × 3 -> warning (checked first);
    # 车辆总数 4 vs 3 -> error (checked last). The error comes first.
    def edit(m):
        next(r for r in m.summary.income if r.name.endswith("其他收入")).values["金额"] = D("12.51")
        m.other["车辆总数"].value = D(4)

    found = findings_after(demo_model, edit)
    levels = [f.level for f in found]
    assert levels[0] == "error" and found[0].rule == "车辆"
    assert levels == sorted(levels, key=lambda level: level != "error")
    assert ("warning", "公开01.本年收入合计", D("2852.40"), D("2852.39")) in [(f.level, f.rule, f.expected, f.found) for f in found]


def _department_pair(model):
    """The sample twice: a department and its one unit, identical."""
    dept, unit = copy.deepcopy(model), copy.deepcopy(model)
    return dept, unit, dept.summary.totals["本年收入合计"]


def test_rule_department_equal_to_its_units_is_silent(demo_model):
    dept, unit, _ = _department_pair(demo_model)
    assert check_department(dept, [unit]) == []


def test_rule_department_within_one_cent_per_unit_is_a_warning(demo_model):
    # department 本年收入合计 2852.39 + 0.01 = 2852.40 vs Σ units 2852.39, one nonzero unit: tolerance 0.01 -> warning
    dept, unit, row = _department_pair(demo_model)
    row.values["金额"] += D("0.01")
    found = [(f.level, f.cells, f.expected, f.found) for f in check_department(dept, [unit])]
    assert found == [("warning", ["公开01表!C33"], D("2852.39"), D("2852.40"))]


def test_rule_department_beyond_one_cent_per_unit_is_an_error(demo_model):
    # 2852.39 + 0.02 = 2852.41: off by 0.02 > 0.01 × 1 unit -> error (a tolerance loosened by 0.05 would say warning)
    dept, unit, row = _department_pair(demo_model)
    row.values["金额"] += D("0.02")
    found = [(f.level, f.cells, f.expected, f.found) for f in check_department(dept, [unit])]
    assert found == [("error", ["公开01表!C33"], D("2852.39"), D("2852.41"))]


def test_rule_department_tolerance_counts_units(demo_model):
    # two units of 2852.39 each = 5704.78; the department 5704.80 is off by 0.02 ≤ 0.01 × 2 -> warning
    dept, unit, row = _department_pair(demo_model)
    row.values["金额"] = D("5704.80")
    found = [(f.level, f.expected, f.found) for f in check_department(dept, [unit, copy.deepcopy(unit)]) if f.cells == ["公开01表!C33"]]
    assert found == [("warning", D("5704.78"), D("5704.80"))]


# ---- the owner line of a table ----------------------------------------------------------------


@pytest.mark.parametrize(
    "owner",
    [
        "示例市数据资源局（本级）",  # the owner line holds the unit's name
        "示例市数据资源",  # the unit's name holds the owner line (a shortened name)
    ],
)
def test_rule_owner_line_matches_in_either_direction(demo_model, owner):
    def edit(m):
        m.gpb_expenditure.owner = owner

    assert findings_after(demo_model, edit) == []


def test_rule_owner_line_of_another_unit_is_an_error(demo_model):
    def edit(m):
        m.gpb_expenditure.owner = "示例市财政局"

    found = findings_after(demo_model, edit)
    # the owner line of 公开05 (A3) and the unit's name in 单位信息 (B2) are both named
    assert [(f.level, f.rule, f.sheet, f.cells) for f in found] == [("error", "表头单位", "公开05表", ["公开05表!A3", "单位信息!B2"])]
    assert "“示例市财政局”" in found[0].message and "“示例市数据资源局”" in found[0].message


# ---- blank marks in amount cells (§3) ----------------------------------------------------------


@pytest.mark.parametrize("mark", ["", "-", "－", "—", "——", "–", "/", "无", " — "])
def test_rule_blank_marks_read_as_zero(mark):
    assert to_decimal(mark) == D(0)


def test_rule_blank_marks_in_a_table_read_as_zero(tmp_path):
    # 公开06 咨询费 30203, 手续费 30204, 取暖费 30208 are 0: written as "—", "/" and "无" they still read 0
    def edit(wb):
        ws = sheet_named(wb, "公开06表")
        for code, mark in (("30203", "—"), ("30204", "/"), ("30208", "无")):
            find_cell(ws, code, "决算数").value = mark

    m = read_workbook(edited_copy(DEMO, tmp_path / "book.xlsx", edit))
    assert [m.gpb_basic.row(code).values["决算数"] for code in ("30203", "30204", "30208")] == [D(0), D(0), D(0)]


# ---- the 尾数误差 tolerance: ±0.01 per non-zero summand (§6), on the model read once -----------


def checked(model, rule: str, table: str, key: str, delta: str) -> list[tuple]:
    """Add ``delta`` to 公开01/04 total ``key`` of a copy of the model; the findings of ``rule``."""
    m = copy.deepcopy(model)
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
    m = copy.deepcopy(demo_model)
    m.summary.totals["本年收入合计"].values["金额"] += D("0.03")
    (warning,) = [f for f in run_checks(m) if f.rule == "公开01.本年收入合计"]
    assert "尾数误差（在允许的 ±0.01×3 范围内）" in warning.message
    m.summary.totals["本年收入合计"].values["金额"] += D("0.01")
    (error,) = [f for f in run_checks(m) if f.rule == "公开01.本年收入合计"]
    assert error.message.endswith("相差 0.04，不平。")


# ---- each §6 identity fires on its own cell, with expected and found ---------------------------


def _bump(path: str, column: str, delta: str = "1"):
    """An edit adding ``delta`` to model value ``path`` (``"summary.totals.本年支出合计"``, ``"gpb_expenditure.row.2010302"``…)."""

    def edit(m):
        table, kind, key = path.split(".", 2)
        t = getattr(m, table)
        row = {"totals": lambda: t.totals[key], "row": lambda: t.row(key), "total": lambda: t.total, "line": lambda: t.class_line(key)}[kind]()
        row.values[column] += D(delta)

    return edit


IDENTITIES = [
    # 公开01 本年支出合计 F33 2996.61 -> 2997.61 vs Σ 类 2410.13 + 247.62 + 79.22 + 160 + 99.63 + 0.01 = 2996.61
    ("01-spend", _bump("summary.totals.本年支出合计", "金额"), "公开01.本年支出合计", "公开01表!F33", "2996.61", "2997.61"),
    # 公开01 类 line 201 F7 2410.13 -> 2411.13: Σ 类 = 2997.61 vs 本年支出合计 2996.61
    ("01-spend-class", _bump("summary.line.201", "金额"), "公开01.本年支出合计", "公开01表!F33", "2997.61", "2996.61"),
    # 公开01 收入总计 C37 = 本年收入合计 2852.39 + 使用非财政拨款结余 0 + 年初结转和结余 206.40 = 3058.79
    ("01-income-grand", _bump("summary.totals.收入总计", "金额"), "公开01.收入总计", "公开01表!C37", "3058.79", "3059.79"),
    # 公开01 支出总计 F37 = 2996.61 + 0 + 62.18 = 3058.79
    ("01-spend-grand", _bump("summary.totals.支出总计", "金额"), "公开01.支出总计", "公开01表!F37", "3058.79", "3059.79"),
    # 公开05 项 2010302 项目支出 E11 842.30 -> 843.30: its 款 20103 E9 1198.48 ≠ 1199.48
    ("05-kuan", _bump("gpb_expenditure.row.2010302", "项目支出"), "gpb_expenditure.层级", "公开05表!E9", "1199.48", "1198.48"),
    # … and its row total C11 842.30 ≠ 基本 0 + 项目 843.30
    ("05-row", _bump("gpb_expenditure.row.2010302", "项目支出"), "gpb_expenditure.列合计", "公开05表!C11", "843.30", "842.30"),
    # 公开05 款 20103 项目支出 E9 1198.48 -> 1199.48: its 类 201 E8 1298.28 ≠ 1299.28
    ("05-lei", _bump("gpb_expenditure.row.20103", "项目支出"), "gpb_expenditure.层级", "公开05表!E8", "1299.28", "1298.28"),
    # 公开05 合计·合计 C7 2824.11 -> 2825.11 vs Σ 类 2824.11
    ("05-total", _bump("gpb_expenditure.total.x", "合计"), "gpb_expenditure.合计", "公开05表!C7", "2824.11", "2825.11"),
    # 公开03 合计·本年支出合计 C7 2996.61 -> 2997.61 vs 公开01 本年支出合计 2996.61
    ("03-01", _bump("expenditure.total.x", "本年支出合计"), "公开03=公开01", "公开03表!C7", "2996.61", "2997.61"),
    # 公开03 类 201 本年支出合计 C8 2410.13 -> 2411.13 vs 公开01 类 line 201 2410.13
    ("03-01-class", _bump("expenditure.row.201", "本年支出合计"), "公开03=公开01.类", "公开03表!C8", "2410.13", "2411.13"),
    # 公开02 合计·其他收入 I7 12.50 -> 13.50 vs 公开01 其他收入 12.50
    ("02-01", _bump("income.total.x", "其他收入"), "公开02=公开01", "公开02表!I7", "12.50", "13.50"),
    # 公开02 合计·财政拨款收入 D7 2839.89 -> 2840.89 vs 公开01 2689.89 + 150 + 0 = 2839.89
    ("02-01-fiscal", _bump("income.total.x", "财政拨款收入"), "公开02=公开01", "公开02表!D7", "2839.89", "2840.89"),
    # 公开04 本年收入合计 C34 2839.89 -> 2840.89 vs 2689.89 + 150 + 0
    ("04-income", _bump("fiscal_summary.totals.本年收入合计", "金额"), "公开04.本年收入合计", "公开04表!C34", "2839.89", "2840.89"),
    # 公开04 年初结转和结余 C35 206.40 -> 207.40 vs 186.40 + 20 + 0
    ("04-carry", _bump("fiscal_summary.totals.年初结转和结余", "金额"), "公开04.年初结转", "公开04表!C35", "206.40", "207.40"),
    # 公开04 收入总计 C39 3046.29 -> 3047.29 vs 2839.89 + 206.40
    ("04-income-grand", _bump("fiscal_summary.totals.收入总计", "金额"), "公开04.收入总计", "公开04表!C39", "3046.29", "3047.29"),
    # 公开04 本年支出合计·一般公共预算 G34 2824.11 -> 2825.11 vs Σ 类 2824.11
    ("04-spend", _bump("fiscal_summary.totals.本年支出合计", "一般公共预算"), "公开04.本年支出合计", "公开04表!G34", "2824.11", "2825.11"),
    # 公开04 收支平衡: 收入总计 C39 3046.29 vs 支出总计·合计 F39 3046.29 -> 3047.29
    ("04-balance", _bump("fiscal_summary.totals.支出总计", "合计"), "公开04.收支平衡", "公开04表!C39", "3047.29", "3046.29"),
    # 公开04 类 221 一般公共预算 G26 99.63 -> 100.63: the 公开05 类 221 (99.63) no longer equals it
    ("04-05-class", _bump("fiscal_summary.line.221", "一般公共预算"), "公开04=gpb_expenditure.类", "公开05表!C", "100.63", "99.63"),
    # 公开04 本年支出合计·政府性基金 H34 160 -> 161 vs 公开08 合计 160
    ("04-08", _bump("fiscal_summary.totals.本年支出合计", "政府性基金"), "公开04=gov_fund", "公开04表!H34", "160", "161"),
    # 公开08 合计 年末结转和结余 H7 10 -> 11 vs 年初 20 + 收入 150 − 支出 160 = 10
    ("08-year-end", _bump("gov_fund.total.x", "年末结转和结余"), "gov_fund.年末结转", "公开08表!H7", "10", "11"),
    # 公开06 公用经费合计 I34 273.11 -> 274.11 vs 302 254.31 + 307 0 + 310 18.80 + 399 0
    ("06-public", lambda m: m.gpb_basic.public_total.values.__setitem__("决算数", D("274.11")), "公开06.公用经费", "公开06表!I34", "273.11", "274.11"),
    # 公开06 人员经费合计 C34 1252.71 -> 1253.71 vs 301 1200.75 + 303 51.96
    ("06-personnel", lambda m: m.gpb_basic.personnel_total.values.__setitem__("决算数", D("1253.71")), "公开06.人员经费", "公开06表!C34", "1252.71", "1253.71"),
    # 公开05 合计·基本支出 D7 1525.82 -> 1526.82 vs 公开06 人员经费 1252.71 + 公用经费 273.11
    ("05-06", _bump("gpb_expenditure.total.x", "基本支出"), "公开05=公开06", "公开05表!D7", "1525.82", "1526.82"),
    # 公开07 决算数 用车小计 I8 7.35 -> 8.35 vs 购置 0 + 运行 7.35
    ("07-car", lambda m: m.sangong.actual.values.__setitem__("公务用车购置及运行维护费", D("8.35")), "公开07.用车小计", "公开07表!I8", "7.35", "8.35"),
]


@pytest.mark.parametrize("edit, rule, cell, expected, found", [c[1:] for c in IDENTITIES], ids=[c[0] for c in IDENTITIES])
def test_rule_identity_fires_on_its_cell(demo_model, edit, rule, cell, expected, found):
    hits = [(f.level, f.expected, f.found) for f in findings_after(demo_model, edit) if f.rule == rule and f.cells and f.cells[0].startswith(cell)]
    assert hits == [("error", D(expected), D(found))]


def test_rule_basic_item_above_sangong_is_a_warning(demo_model):
    # 公开06 30217 公务接待费 F22 2.36 -> 3.00 > 公开07 决算数·公务接待费 L8 2.36 (公开07 also counts 项目支出): a warning
    def edit(m):
        m.gpb_basic.row("30217").values["决算数"] = D(3)

    found = [(f.level, f.cells, f.expected, f.found) for f in findings_after(demo_model, edit) if f.rule == "公开06≤公开07"]
    assert found == [("warning", ["公开06表!F22", "公开07表!L8"], D("2.36"), D(3))]


def test_rule_basic_item_equal_to_sangong_is_silent(demo_model):
    def edit(m):
        m.gpb_basic.row("30231").values["决算数"] = D("7.35")  # 6.88 -> 7.35 = 公开07 运行维护费 (group and total not re-added: filter)

    assert [f for f in findings_after(demo_model, edit) if f.rule == "公开06≤公开07"] == []


def test_rule_class_only_in_the_summary_is_compared_too(demo_model):
    # 公开01 类 line 205 教育支出 (F11: 201 is F7, 202–205 follow) 0 -> 5, 公开03 has no 205 row: 公开03 205 (absent, 0) ≠ 公开01 5
    found = [
        (f.level, f.cells, f.expected, f.found) for f in findings_after(demo_model, _bump("summary.line.205", "金额", "5")) if f.rule == "公开03=公开01.类"
    ]
    assert found == [("error", ["公开03表", "公开01表!F11"], D(5), D(0))]


def test_rule_income_table_without_some_columns_still_checks_the_rest(demo_model):
    # a 公开02 without the 上级补助收入 and 经营收入 columns: 财政拨款收入 (checked after them) is still compared
    def edit(m):
        m.income.columns = [c for c in m.income.columns if c not in ("上级补助收入", "经营收入")]
        m.income.total.values["财政拨款收入"] += D(1)

    found = [(f.level, f.cells[0], f.expected, f.found) for f in findings_after(demo_model, edit) if f.rule == "公开02=公开01"]
    assert found == [("error", "公开02表!D7", D("2839.89"), D("2840.89"))]


# ---- 其他事项 and 绩效 against the tables: each finding in full, message included ------------------

T07 = "“一般公共预算财政拨款三公经费支出决算表”（工作表“公开07表”）"
T06 = "“一般公共预算财政拨款基本支出决算表”（工作表“公开06表”）"


def full(findings: list[Finding], *rules: str) -> list[tuple]:
    """Every field of the findings of ``rules`` (all findings when none is named)."""
    return [(f.level, f.rule, f.sheet, f.cells, f.expected, f.found, f.message) for f in findings if not rules or f.rule in rules]


def others(**values: str):
    def edit(m):
        for key, value in values.items():
            m.other[key].value = D(value)

    return edit


def test_rule_sangong_money_needs_its_count(demo_model):
    # 公开07 公务接待费 2.36 > 0 but 公务接待批次 0 (the first two pairs, 购置费 0/购置数 0 and 出国 0/团组 0, agree);
    # 外宾接待批次 1 > 公务接待批次 0 is a second error
    assert full(findings_after(demo_model, others(公务接待批次="0"))) == [
        (
            "error",
            "其他事项.个数与金额",
            "其他事项",
            ["其他事项!B6", "公开07表!L8"],
            "> 0",
            D(0),
            f"{T07}决算数·公务接待费 2.36（公开07表!L8）大于 0，而“其他事项”“公务接待批次”为 0（其他事项!B6）：有支出就应有批次数。",
        ),
        (
            "error",
            "其他事项.部分≤整体",
            "其他事项",
            ["其他事项!B8", "其他事项!B6"],
            D(0),
            D(1),
            "“其他事项”：“外宾接待批次” 1（其他事项!B8）大于“公务接待批次” 0（其他事项!B6）。“外宾接待批次”不能大于“公务接待批次”。",
        ),
    ]


def test_rule_count_needs_sangong_money(demo_model):
    # 公务用车购置数 1 while 公开07 公务用车购置费 J8 is 0 (1 ≤ 保有量 3: no other finding)
    assert full(findings_after(demo_model, others(公务用车购置数="1"))) == [
        (
            "error",
            "其他事项.个数与金额",
            "其他事项",
            ["其他事项!B4", "公开07表!J8"],
            "0",
            D(1),
            f"“其他事项”“公务用车购置数”为 1（其他事项!B4），而{T07}决算数·公务用车购置费为 0（公开07表!J8）：没有支出就不应有辆数。",
        )
    ]


def test_rule_foreign_guest_money_needs_its_count(demo_model):
    # 外宾接待费 0.42 (其他事项 itself) with 外宾接待批次 and 人次 0
    assert full(findings_after(demo_model, others(外宾接待批次="0", 外宾接待人次="0"))) == [
        (
            "error",
            "其他事项.个数与金额",
            "其他事项",
            ["其他事项!B8", "其他事项!B10"],
            "> 0",
            D(0),
            "外宾接待费 0.42（其他事项!B10）大于 0，而“其他事项”“外宾接待批次”为 0（其他事项!B8）：有支出就应有批次数。",
        )
    ]


def test_rule_foreign_guests_within_all_guests(demo_model):
    # 外宾接待人次 130 > 公务接待人次 126 (the second pair of OTHER_PARTS; the first, 批次 1 ≤ 18, holds)
    assert full(findings_after(demo_model, others(外宾接待人次="130"))) == [
        (
            "error",
            "其他事项.部分≤整体",
            "其他事项",
            ["其他事项!B9", "其他事项!B7"],
            D(126),
            D(130),
            "“其他事项”：“外宾接待人次” 130（其他事项!B9）大于“公务接待人次” 126（其他事项!B7）。“外宾接待人次”不能大于“公务接待人次”。",
        )
    ]


def test_rule_foreign_guest_money_within_reception_money(demo_model):
    # 外宾接待费 3.00 > 公开07 决算数·公务接待费 2.36: off by 0.64, beyond the 0.01 × 2 tolerance -> error
    assert full(findings_after(demo_model, others(外宾接待费="3.00"))) == [
        (
            "error",
            "其他事项.部分≤整体",
            "其他事项",
            ["其他事项!B10", "公开07表!L8"],
            D("2.36"),
            D("3.00"),
            "“其他事项”：“外宾接待费” 3.00（其他事项!B10）大于“公开07决算数·公务接待费” 2.36（公开07表!L8）。外宾接待费是公务接待费的一部分。",
        )
    ]


def test_rule_training_zero_while_basic_table_shows_it(demo_model):
    # 培训费 0 but 公开06 30216 9.85 (会议费 4.60 = 4.60, checked first, holds): the text would say "未发生" -> error
    assert full(findings_after(demo_model, others(培训费="0"))) == [
        (
            "error",
            "其他事项.公开06",
            "其他事项",
            ["其他事项!B12", "公开06表!F21"],
            D("9.85"),
            D(0),
            f"“其他事项”“培训费” 0（其他事项!B12）小于{T06}“30216 培训费” 9.85（公开06表!F21）。文中会写“未发生”，与表矛盾。",
        )
    ]


def test_rule_meeting_below_basic_table_is_a_warning(demo_model):
    # 会议费 4.00 < 公开06 30215 4.60: 公开06 holds 基本支出 only, so a smaller total is odd but not impossible
    assert full(findings_after(demo_model, others(会议费="4.00"))) == [
        (
            "warning",
            "其他事项.公开06",
            "其他事项",
            ["其他事项!B11", "公开06表!F20"],
            D("4.60"),
            D("4.00"),
            f"“其他事项”“会议费” 4.00（其他事项!B11）小于{T06}“30215 会议费” 4.60（公开06表!F20）。"
            "公开06 只含基本支出，其他事项应包括全部资金的该项支出，通常不应更小，请核对。",
        )
    ]


@pytest.mark.parametrize("unit_type", ["行政单位", "参照公务员法管理事业单位", "参公事业单位"])
def test_rule_running_costs_equal_public_funds_of_administrative_units(demo_model, unit_type):
    # 机关运行经费 270.00 ≠ 公开06 公用经费合计 273.11 (I34)
    def edit(m):
        m.other["机关运行经费"].value = D("270.00")
        m.unit.unit_type = unit_type

    assert full(findings_after(demo_model, edit)) == [
        (
            "warning",
            "机关运行经费",
            "其他事项",
            ["其他事项!B13", "公开06表!I34"],
            D("273.11"),
            D("270.00"),
            "“其他事项”中的机关运行经费 270.00（其他事项!B13）与“一般公共预算财政拨款基本支出决算表”的公用经费合计 273.11（公开06表!I34）不一致；"
            f"{unit_type}的机关运行经费应等于一般公共预算财政拨款基本支出中的公用经费，请核对。",
        )
    ]


@pytest.mark.parametrize("unit_type", ["事业单位", ""])
def test_rule_running_costs_of_other_units_are_not_compared(demo_model, unit_type):
    def edit(m):
        m.other["机关运行经费"].value = D("270.00")
        m.unit.unit_type = unit_type

    found = findings_after(demo_model, edit)
    # not compared with 公用经费; a 事业单位 that fills 机关运行经费 gets the 单位性质 warning of checks.claims instead
    assert [f for f in found if f.rule != "单位性质"] == []
    assert [f.rule for f in found] == (["单位性质"] if unit_type else [])


def test_rule_performance_ratings_add_up_to_the_evaluated(demo_model):
    # 优 2 + 良 1 + 合格 1 + 不合格 0 = 4 ≠ 绩效自评项目数 3 (B8); the zero rating's cell is not named
    def edit(m):
        m.performance.summary["评级为优的项目数"].value = D(2)

    message = "“绩效”中各评级的项目数之和为 4（绩效!B11、绩效!B12、绩效!B13），与“绩效自评项目数” 3（绩效!B8）不等。"
    assert full(findings_after(demo_model, edit)) == [("error", "绩效.评级", "绩效", ["绩效!B8", "绩效!B11", "绩效!B12", "绩效!B13"], D(4), D(3), message)]


def test_rule_performance_ratings_without_count_use_the_project_list(demo_model):
    # 自评项目数 blank: the three listed projects are the count (no cell of its own)
    def edit(m):
        m.performance.summary["评级为优的项目数"].value = D(2)
        m.performance.summary["绩效自评项目数"].value = None

    message = "“绩效”中各评级的项目数之和为 4（绩效!B11、绩效!B12、绩效!B13），与“项目清单中的项目个数” 3（绩效）不等。"
    assert full(findings_after(demo_model, edit)) == [("error", "绩效.评级", "绩效", ["绩效!B11", "绩效!B12", "绩效!B13"], D(4), D(3), message)]


def test_rule_performance_all_ratings_zero_is_not_checked(demo_model):
    # the ratings left at 0 (not yet rated) say nothing about the count
    def edit(m):
        for key in ("评级为优的项目数", "评级为良的项目数", "评级为合格的项目数"):
            m.performance.summary[key].value = D(0)

    assert findings_after(demo_model, edit) == []


def test_rule_performance_rectified_within_found(demo_model):
    # 已完成整改 3 + 正在整改 1 = 4 > 发现问题数 3
    def edit(m):
        m.performance.summary["已完成整改数"].value = D(3)

    message = (
        "“绩效”：“已完成整改数 + 正在整改数” 4（绩效!B16、绩效!B17）大于“发现问题数” 3（绩效!B15）。"
        "已完成整改和正在整改的问题都是发现的问题，合计不能多于发现问题数。"
    )
    assert full(findings_after(demo_model, edit)) == [("error", "绩效.整改", "绩效", ["绩效!B16", "绩效!B17", "绩效!B15"], D(3), D(4), message)]


@pytest.mark.parametrize(
    "spending, level, tail",
    [
        ("0.00", "error", "，而本单位项目支出为 0（公开03表!E7）：没有项目支出就不会有项目执行数。"),
        ("1000.00", "warning", "大于本单位项目支出 1,000.00（公开03表!E7），请核对执行数。"),
    ],
)
def test_rule_performance_projects_within_project_spending(demo_model, spending, level, tail):
    # Σ 全年执行数 842.30 + 356.18 + 35.60 = 1234.08 against 公开03 合计·项目支出 (1470.79 in the sample)
    def edit(m):
        m.expenditure.total.values["项目支出"] = D(spending)

    cells = ["绩效!D23", "绩效!D24", "绩效!D25", "公开03表!E7"]
    message = "“绩效”项目清单的全年执行数合计 1,234.08（绩效!D23、绩效!D24、绩效!D25）" + tail
    assert full(findings_after(demo_model, edit), "绩效.项目支出") == [(level, "绩效.项目支出", "绩效", cells, D(spending), D("1234.08"), message)]


# ---- 上年数: its own sums and parts, and the same money this year --------------------------------


def priors(**values: str | None):
    def edit(m):
        for key, value in values.items():
            m.prior[key].value = None if value is None else D(value)

    return edit


def test_rule_prior_sum_of_a_later_total(demo_model):
    # 上年三公经费合计 10.15 = 出国 0.00 + 用车 7.35 + 接待 2.80; 接待 2.80 -> 2.00: 7.35 + 2.00 = 9.35, off by 0.80
    # (the earlier sums — 财政拨款支出, 一般公共预算, 基本支出 — hold; 出国 0 is left out of the sum shown)
    message = "“上年数”：“上年三公经费合计”为 10.15（上年数!B13），应等于 上年公务用车购置及运行维护费 7.35 + 上年公务接待费 2.00 = 9.35（B15、B18），相差 0.80，不平。"
    assert full(findings_after(demo_model, priors(公务接待费="2.00"))) == [
        ("error", "上年数.合计", "上年数", ["上年数!B13", "上年数!B15", "上年数!B18"], D("9.35"), D("10.15"), message)
    ]


def test_rule_prior_sum_with_a_blank_part_is_not_checked(demo_model):
    assert findings_after(demo_model, priors(公务接待费=None)) == []


def test_rule_prior_part_within_its_wholes(demo_model):
    # 上年财政拨款收入 2700.00 > 上年本年收入合计 2327.34 and > 上年财政拨款收支总计 2655.63 (4th and 6th of PRIOR_PARTS)
    note = "上年财政拨款收入是上年{0}的一部分，不能大于它。"
    assert full(findings_after(demo_model, priors(财政拨款收入="2700.00"))) == [
        (
            "error",
            "上年数.部分≤整体",
            "上年数",
            ["上年数!B6", "上年数!B3"],
            D("2327.34"),
            D("2700.00"),
            "“上年数”：“上年财政拨款收入” 2,700.00（上年数!B6）大于“上年本年收入合计” 2,327.34（上年数!B3）。" + note.format("本年收入合计"),
        ),
        (
            "error",
            "上年数.部分≤整体",
            "上年数",
            ["上年数!B6", "上年数!B5"],
            D("2655.63"),
            D("2700.00"),
            "“上年数”：“上年财政拨款收入” 2,700.00（上年数!B6）大于“上年财政拨款收支总计” 2,655.63（上年数!B5）。" + note.format("财政拨款收支总计"),
        ),
    ]


def test_rule_prior_classes_add_up_to_the_gpb_total(demo_model):
    # 上年 by 类: 2084.33 + 238.70 + 77.90 + 48.30 + 0.00 = 2449.23; 201 -> 2085.33 gives 2450.23
    def edit(m):
        m.prior_by_class["201"].value = D("2085.33")

    message = (
        "“上年数”：“上年一般公共预算财政拨款支出”为 2,449.23（上年数!B8），应等于 按类列示的上年数之和 = 2,450.23（B26、B33、B35、B45），相差 -1.00，不平。"
    )
    cells = ["上年数!B8", "上年数!B26", "上年数!B33", "上年数!B35", "上年数!B45"]
    assert full(findings_after(demo_model, edit)) == [("error", "上年数.分类合计", "上年数", cells, D("2450.23"), D("2449.23"), message)]


@pytest.mark.parametrize("unit_type, flagged", [("行政单位", True), ("参公单位", True), ("参照公务员法管理的事业单位", True), ("事业单位", False)])
def test_rule_prior_running_costs_equal_prior_public_funds(demo_model, unit_type, flagged):
    # 上年机关运行经费 240.00 ≠ 上年公用经费 236.15 (administrative units only): a warning
    def edit(m):
        m.prior["机关运行经费"].value = D("240.00")
        m.unit.unit_type = unit_type

    message = "“上年数”：“上年机关运行经费”为 240.00（上年数!B19），应等于 上年公用经费 236.15 = 236.15（B12），相差 3.85，不一致，请核对。"
    expected = [("warning", "上年数.机关运行经费", "上年数", ["上年数!B19", "上年数!B12"], D("236.15"), D("240.00"), message)]
    # (a 事业单位 whose workbook fills 机关运行经费 also gets the 单位性质 warning of checks.claims: not this rule)
    assert [f for f in full(findings_after(demo_model, edit)) if f[1] != "单位性质"] == (expected if flagged else [])


def test_rule_prior_same_money_changed_twice(demo_model):
    # this year 公务用车购置及运行维护费 = 运行维护费 = 7.35 (购置费 0): one sum of money. 上年 7.35 and 7.00 with
    # 购置费 blank (nothing explains the 0.35): the text would state the change as 0.00 and as 0.35 -> warning
    message = (
        "本年“公务用车购置及运行维护费”与“公务用车运行维护费”相等（7.35，公开07表!I8、公开07表!K8），是同一笔钱；"
        "上年数却分别为 7.35（上年数!B15）和 7.00（上年数!B17），文中两者比上年的增减额将分别为 0.00 和 0.35，同一变化出现两个数。"
        "若上年也是同一笔钱，请改正上年数；若上年结构不同，请在“上年数”中填上差额所在的指标。"
    )
    cells = ["上年数!B17", "上年数!B15", "公开07表!I8", "公开07表!K8"]
    assert full(findings_after(demo_model, priors(公务用车购置费=None, 公务用车运行维护费="7.00"))) == [
        ("warning", "上年数.同一笔钱", "上年数", cells, D("7.35"), D("7.00"), message)
    ]


def test_rule_prior_same_money_explained_by_its_parts(demo_model):
    # the same 0.35 with 上年购置费 filled in (0.00): 上年 7.35 ≠ 0.00 + 7.00 is then the sum's error, not a 同一笔钱 warning
    found = findings_after(demo_model, priors(公务用车运行维护费="7.00"))
    assert [(f.rule, f.expected, f.found) for f in found] == [("上年数.合计", D("7.00"), D("7.35"))]


# ---- sanity: year, 金额单位, negatives, counts and scores ----------------------------------------


def test_rule_table_of_another_year(demo_model):
    def edit(m):
        m.gpb_expenditure.years = {"A1": 2023}

    message = "“一般公共预算财政拨款支出决算表”（工作表“公开05表”）的标题或表头写的是 2023 年（公开05表!A1），而单位信息的年度是 2024（单位信息!B3）：可能用了另一年度的表，或年度填错。"
    assert full(findings_after(demo_model, edit)) == [("error", "年度", "公开05表", ["公开05表!A1", "单位信息!B3"], 2024, 2023, message)]


@pytest.mark.parametrize("name, flagged", [("示例单位_2023决算.xlsx", True), ("示例单位_2023-2024.xlsx", False), ("示例单位_12023.xlsx", False)])
def test_rule_file_name_of_another_year(demo_model, name, flagged):
    # a year in the file name (a whole 4-digit 19xx/20xx) must include 单位信息's 2024
    def edit(m):
        m.source = f"/data/{name}"

    message = f"文件名“{name}”中的年份是 2023，而单位信息的年度是 2024（单位信息!B3）：请核对年度或文件是否用错。"
    expected = [("error", "年度", "单位信息", ["单位信息!B3"], 2024, 2023, message)]
    assert full(findings_after(demo_model, edit)) == (expected if flagged else [])


def test_rule_unknown_amount_unit(demo_model):
    def edit(m):
        m.gpb_expenditure.amount_unit = "千元"

    message = "“一般公共预算财政拨款支出决算表”（工作表“公开05表”）的金额单位“千元”（公开05表!E3）无法识别：只能是“万元”或“元”。"
    assert full(findings_after(demo_model, edit)) == [("error", "金额单位", "公开05表", ["公开05表!E3"], "万元 或 元", "千元", message)]


def test_rule_wan_table_in_a_yuan_book(demo_model):
    # 单位信息 says 元, every table 万元: each table is an error (shown: the first, 公开01)
    def edit(m):
        m.unit.amount_unit = "元"

    found = full(findings_after(demo_model, edit), "金额单位")
    assert len(found) == 9
    assert found[0] == (
        "error",
        "金额单位",
        "公开01表",
        ["公开01表!F3", "单位信息!B4"],
        "元",
        "万元",
        "“收入支出决算总表”（工作表“公开01表”）的金额单位是万元（公开01表!F3），而单位信息的金额单位是元（单位信息!B4）："
        "按单位信息读取会把本表金额缩小一万倍。请把单位信息的金额单位改为万元，或把本表改为以元填写。",
    )


@pytest.mark.parametrize("tables, flagged", [("all", True), ("all but 公开09", False)])
def test_rule_yuan_tables_in_a_wan_book(demo_model, tables, flagged):
    # every table in 元 while 单位信息 says 万元: 上年数/预算数 are read in 万元 — a warning; one table in 万元: none
    def edit(m):
        for t in (m.summary, m.income, m.expenditure, m.fiscal_summary, m.gpb_expenditure, m.gpb_basic, m.sangong, m.gov_fund, m.state_capital):
            t.amount_unit = "元"
        if tables != "all":
            m.state_capital.amount_unit = "万元"

    message = "各表的金额单位都是元，而单位信息的金额单位是万元（单位信息!B4）：“上年数”“预算数”按单位信息的万元读取。若它们也是以元填写的，请把单位信息的金额单位改为元。"
    expected = [("warning", "金额单位", "单位信息", ["单位信息!B4"], "元", "万元", message)]
    assert full(findings_after(demo_model, edit), "金额单位") == (expected if flagged else [])


def test_rule_negatives_in_the_supplementary_sheets(demo_model):
    # one negative in each place read: 上年数 (and its 类 rows), 预算数 (年初/调整), 其他事项, 绩效 summary and projects
    def edit(m):
        m.prior["会议费"].value = D("-1")
        m.prior_by_class["224"].value = D("-0.01")
        m.budget[1].adjusted = D("-5")
        m.budget[2].initial = D("-420.00")
        m.other["会议费"].value = D("-4.60")
        m.performance.summary["发现问题数"].value = D("-3")
        m.performance.projects[0].budget = D("-842.30")
        m.performance.projects[1].score = D("-1")
        m.performance.projects[2].actual = D("-35.60")

    negatives = [f for f in findings_after(demo_model, edit) if f.rule == "负数"]
    assert {f.level for f in negatives} == {"error"}
    assert [(f.sheet, f.cells, f.expected, f.found, f.message) for f in negatives] == [
        ("上年数", ["上年数!B20"], "≥ 0", D(-1), "“上年数”中“会议费”为负数 -1（上年数!B20），此处不能为负。"),
        ("上年数", ["上年数!B48"], "≥ 0", D("-0.01"), "“上年数”中“224”为负数 -0.01（上年数!B48），此处不能为负。"),
        ("预算数", ["预算数!D3"], "≥ 0", D(-5), "“预算数”中“2010302 调整预算数”为负数 -5（预算数!D3），此处不能为负。"),
        ("预算数", ["预算数!C4"], "≥ 0", D(-420), "“预算数”中“2010399 年初预算数”为负数 -420.00（预算数!C4），此处不能为负。"),
        ("其他事项", ["其他事项!B11"], "≥ 0", D("-4.60"), "“其他事项”中“会议费”为负数 -4.60（其他事项!B11），此处不能为负。"),
        ("绩效", ["绩效!B15"], "≥ 0", D(-3), "“绩效”中“发现问题数”为负数 -3（绩效!B15），此处不能为负。"),
        ("绩效", ["绩效!C23"], "≥ 0", D("-842.30"), "“绩效”中“政务数据共享平台运维 全年预算数”为负数 -842.30（绩效!C23），此处不能为负。"),
        ("绩效", ["绩效!B24"], "≥ 0", D(-1), "“绩效”中““一网通办”系统升级 自评得分”为负数 -1（绩效!B24），此处不能为负。"),
        ("绩效", ["绩效!D25"], "≥ 0", D("-35.60"), "“绩效”中“数据要素创新应用试点 全年执行数”为负数 -35.60（绩效!D25），此处不能为负。"),
    ]


def test_rule_counts_are_whole_and_scores_within_100(demo_model):
    def edit(m):
        m.other["公务接待批次"].value = D("18.5")
        m.performance.summary["发现问题数"].value = D("3.5")
        m.performance.summary["平均得分"].value = D("101")
        m.performance.projects[2].score = D("100.5")

    assert full(findings_after(demo_model, edit), "整数", "得分") == [
        ("error", "整数", "其他事项", ["其他事项!B6"], "整数", D("18.5"), "“其他事项”中“公务接待批次”是个数，应为整数，但填写的是 18.5（其他事项!B6）。"),
        ("error", "整数", "绩效", ["绩效!B15"], "整数", D("3.5"), "“绩效”中“发现问题数”是个数，应为整数，但填写的是 3.5（绩效!B15）。"),
        ("error", "得分", "绩效", ["绩效!B10"], "0～100", D(101), "“绩效”中“平均得分”应在 0～100 之间，但填写的是 101（绩效!B10）。"),
        (
            "error",
            "得分",
            "绩效",
            ["绩效!B25"],
            "0～100",
            D("100.5"),
            "“绩效”中项目“数据要素创新应用试点”的自评得分应在 0～100 之间，但填写的是 100.5（绩效!B25）。",
        ),
    ]


@pytest.mark.parametrize("score, flagged", [("-1", True), ("0", False), ("100", False)])
def test_rule_average_score_bounds(demo_model, score, flagged):
    def edit(m):
        m.performance.summary["平均得分"].value = D(score)

    expected = [("error", "得分", "绩效", ["绩效!B10"], "0～100", D(score), f"“绩效”中“平均得分”应在 0～100 之间，但填写的是 {score}（绩效!B10）。")]
    assert full(findings_after(demo_model, edit), "得分") == (expected if flagged else [])


def test_rule_procurement_sme_within_a_typed_total(demo_model):
    # a typed 政府采购支出总额 300.00 is the whole 授予中小企业 356.20 is compared with (not the kinds' 499.15),
    # and it differs from 86.40 + 0.00 + 412.75 = 499.15 by −199.15
    from generator.model import Entry

    def edit(m):
        m.other["政府采购支出总额"] = Entry(value=D("300.00"), cell="B14")

    assert full(findings_after(demo_model, edit)) == [
        (
            "error",
            "其他事项.部分≤整体",
            "其他事项",
            ["其他事项!B18", "其他事项!B14"],
            D("300.00"),
            D("356.20"),
            "“其他事项”：“授予中小企业合同金额” 356.20（其他事项!B18）大于“政府采购支出总额” 300.00（其他事项!B14）。“授予中小企业合同金额”不能大于“政府采购支出总额”。",
        ),
        (
            "error",
            "政府采购",
            "其他事项",
            ["其他事项!B14", "其他事项!B15", "其他事项!B17"],
            D("499.15"),
            D("300.00"),
            "“其他事项”：“政府采购支出总额”为 300.00（其他事项!B14），应等于 政府采购货物支出 86.40 + 政府采购服务支出 412.75 = 499.15（B15、B17），相差 -199.15，不平。",
        ),
    ]


# ---- the comparisons every check goes through (checks.core) ------------------------------------


def test_rule_part_within_tolerance_is_a_warning_that_says_so(demo_model):
    # 外宾接待费 2.37 > 公开07 公务接待费 2.36 by 0.01 ≤ 0.01 × 2 summands (tolerant check): a warning, marked 尾数误差
    assert full(findings_after(demo_model, others(外宾接待费="2.37"))) == [
        (
            "warning",
            "其他事项.部分≤整体",
            "其他事项",
            ["其他事项!B10", "公开07表!L8"],
            D("2.36"),
            D("2.37"),
            "“其他事项”：“外宾接待费” 2.37（其他事项!B10）大于“公开07决算数·公务接待费” 2.36（公开07表!L8）（尾数误差范围内）。外宾接待费是公务接待费的一部分。",
        )
    ]


def test_rule_sum_finding_wording():
    from generator.checks import Checker, Term

    ck = Checker()
    # all parts zero: the first part is shown, and no cell is listed ("无非零项")
    ck.equal("r", "“表”", Term(D("1.00"), "S", "A1", "合计"), [Term(D(0), "S", "B1", "甲"), Term(D(0), "S", "", "乙")])
    # 2.00 + 2.99 = 4.99 vs 5.00: off by 0.01 ≤ 0.01 × 2 -> 尾数误差 warning; a cell of another sheet keeps its sheet
    ck.equal("r", "“表”", Term(D("5.00"), "S", "A1", "合计"), [Term(D("2.00"), "S", "B1", "甲"), Term(D("2.99"), "T", "B2", "乙")])
    # a part without a cell is named by its sheet
    ck.at_most("r", "“表”", [Term(D(3), "S", "", "甲")], [Term(D(2), "S", "", "乙")], "注。")
    assert full(ck.findings) == [
        ("error", "r", "S", ["S!A1"], D(0), D("1.00"), "“表”：“合计”为 1.00（S!A1），应等于 甲 0 = 0（无非零项），相差 1.00，不平。"),
        (
            "warning",
            "r",
            "S",
            ["S!A1", "S!B1", "T!B2"],
            D("4.99"),
            D("5.00"),
            "“表”：“合计”为 5.00（S!A1），应等于 甲 2.00 + 乙 2.99 = 4.99（B1、T!B2），相差 0.01，尾数误差（在允许的 ±0.01×2 范围内）。",
        ),
        ("warning", "r", "S", ["S"], D(2), D(3), "“表”：“甲” 3（S）大于“乙” 2（S）。注。"),
    ]


@pytest.mark.parametrize("value, shown", [(None, "—"), (1234, "1,234"), (D("1234.5"), "1,234.50"), (D("1.234"), "1.234"), (D("-0.5"), "-0.50"), (D(7), "7")])
def test_rule_finding_numbers(value, shown):
    # counts and years without decimals, money with two (or all it has), thousands grouped
    from generator.checks import fmt

    assert fmt(value) == shown


# ---- cross-table links (checks.links): each link fires on its own cells, message in full -------

T01, T03, T04, T05, T08 = (
    "“收入支出决算总表”（工作表“公开01表”）",
    "“支出决算表”（工作表“公开03表”）",
    "“财政拨款收入支出决算总表”（工作表“公开04表”）",
    "“一般公共预算财政拨款支出决算表”（工作表“公开05表”）",
    "“政府性基金预算财政拨款收入支出决算表”（工作表“公开08表”）",
)
LINK_RULES = (
    "公开01=公开04.收入",
    "公开01=公开04.本年收入",
    "公开04≤公开01",
    "公开02=公开04",
    "公开08=公开04",
    "公开08=公开01",
    "公开05≤公开03",
    "公开05≤公开01",
    "公开07≤公开04",
)
SAME_BASIS = "请核对两张表是否为同一单位、同一年度、同一口径。"


def _add(get, column: str, delta: str):
    def edit(m):
        get(m).values[column] += D(delta)

    return edit


LINKS = [
    (
        # 公开04 国有资本经营 income line C10 0.00 -> 1.00 (the third line; the first two agree) vs 公开01's 0.00
        "04-income-line",
        _add(lambda m: m.fiscal_summary.income_line("国有资本经营预算财政拨款收入"), "金额", "1"),
        [
            (
                "error",
                "公开01=公开04.收入",
                "公开04表",
                ["公开04表!C10"],
                D("0.00"),
                D("1.00"),
                f"{T01}与{T04}：“公开04·国有资本经营预算财政拨款收入”为 1.00（公开04表!C10），应等于 公开01·国有资本经营预算财政拨款收入 0.00 = 0.00（无非零项），相差 1.00，不平。",
            )
        ],
    ),
    (
        # 公开04 年末结转和结余·合计 F35 62.18 -> 72.18 > 公开01 年末结转和结余 62.18 (the fourth total compared)
        "04-year-end",
        _add(lambda m: m.fiscal_summary.totals["年末结转和结余"], "合计", "10"),
        [
            (
                "error",
                "公开04≤公开01",
                "公开04表",
                ["公开04表!F35", "公开01表!F35"],
                D("62.18"),
                D("72.18"),
                f"{T04}与{T01}：“公开04·年末结转和结余” 72.18（公开04表!F35）大于“公开01·年末结转和结余” 62.18（公开01表!F35）。财政拨款是全部资金的一部分，不能大于它。{SAME_BASIS}",
            )
        ],
    ),
    (
        # 公开04 类 221 合计 F26 99.63 -> 100.63 > 公开01 类 221 F25 99.63
        "04-class",
        _add(lambda m: m.fiscal_summary.class_line("221"), "合计", "1"),
        [
            (
                "error",
                "公开04≤公开01",
                "公开04表",
                ["公开04表!F26", "公开01表!F25"],
                D("99.63"),
                D("100.63"),
                f"{T04}与{T01}：“公开04·住房保障支出” 100.63（公开04表!F26）大于“公开01·住房保障支出” 99.63（公开01表!F25）。财政拨款是全部资金的一部分，不能大于它。{SAME_BASIS}",
            )
        ],
    ),
    (
        # 公开08 合计·年初结转和结余 C7 20.00 -> 21.00 vs 公开04 年初结转和结余·政府性基金 C37 20.00
        "08-carry",
        _add(lambda m: m.gov_fund.total, "年初结转和结余", "1"),
        [
            (
                "error",
                "公开08=公开04",
                "公开08表",
                ["公开08表!C7", "公开04表!C37"],
                D("20.00"),
                D("21.00"),
                f"{T08}与{T04}：“合计·年初结转和结余”为 21.00（公开08表!C7），应等于 公开04·年初结转和结余·政府性基金 20.00 = 20.00（公开04表!C37），相差 1.00，不平。",
            )
        ],
    ),
    (
        # 公开08 合计·本年收入 D7 150.00 -> 151.00 vs 公开04 C9 and 公开01 C8, both 150.00
        "08-income",
        _add(lambda m: m.gov_fund.total, "本年收入", "1"),
        [
            (
                "error",
                "公开08=公开04",
                "公开08表",
                ["公开08表!D7", "公开04表!C9"],
                D("150.00"),
                D("151.00"),
                f"{T08}与{T04}：“合计·本年收入”为 151.00（公开08表!D7），应等于 公开04·政府性基金预算财政拨款收入 150.00 = 150.00（公开04表!C9），相差 1.00，不平。",
            ),
            (
                "error",
                "公开08=公开01",
                "公开08表",
                ["公开08表!D7", "公开01表!C8"],
                D("150.00"),
                D("151.00"),
                f"{T08}与{T01}：“合计·本年收入”为 151.00（公开08表!D7），应等于 公开01·政府性基金预算财政拨款收入 150.00 = 150.00（公开01表!C8），相差 1.00，不平。",
            ),
        ],
    ),
    (
        # 公开05 合计·项目支出 E7 1298.29 -> 1498.29 > 公开03 合计·项目支出 E7 1470.79 (the third column pair)
        "05-project",
        _add(lambda m: m.gpb_expenditure.total, "项目支出", "200"),
        [
            (
                "error",
                "公开05≤公开03",
                "公开05表",
                ["公开05表!E7", "公开03表!E7"],
                D("1470.79"),
                D("1498.29"),
                f"{T05}与{T03}：“公开05·合计·项目支出” 1,498.29（公开05表!E7）大于“公开03·合计·项目支出” 1,470.79（公开03表!E7）。"
                f"一般公共预算财政拨款支出是本年支出合计的一部分，不能大于它。{SAME_BASIS}",
            )
        ],
    ),
    (
        # 公开05 类 221 合计 C26 99.63 -> 199.63 > 公开03 类 221 C29 99.63
        "05-class",
        _add(lambda m: m.gpb_expenditure.row("221"), "合计", "100"),
        [
            (
                "error",
                "公开05≤公开03",
                "公开05表",
                ["公开05表!C26", "公开03表!C29"],
                D("99.63"),
                D("199.63"),
                f"{T05}与{T03}：“公开05·221 住房保障支出” 199.63（公开05表!C26）大于“公开03·221 住房保障支出” 99.63（公开03表!C29）。"
                f"一般公共预算财政拨款支出是本年支出合计的一部分，不能大于它。{SAME_BASIS}",
            )
        ],
    ),
    (
        # 公开07 决算数·合计 G8 9.71 -> 3009.71 > 公开04 本年支出合计·合计 F34 2984.11
        "07-04",
        _add(lambda m: m.sangong.actual, "合计", "3000"),
        [
            (
                "error",
                "公开07≤公开04",
                "公开07表",
                ["公开07表!G8", "公开04表!F34"],
                D("2984.11"),
                D("3009.71"),
                f"{T07}与{T04}：“公开07·决算数·合计” 3,009.71（公开07表!G8）大于“公开04·本年支出合计” 2,984.11（公开04表!F34）。“三公”经费是财政拨款支出的一部分，不能大于它。{SAME_BASIS}",
            )
        ],
    ),
]


@pytest.mark.parametrize("edit, expected", [c[1:] for c in LINKS], ids=[c[0] for c in LINKS])
def test_rule_link_fires_in_full(demo_model, edit, expected):
    assert full(findings_after(demo_model, edit), *LINK_RULES) == expected


# ---- identities: the later tables of each loop -----------------------------------------------------


def test_rule_outdated_class_name_in_the_fiscal_summary(demo_model):
    # 公开04 (the second table checked) names 类 210 by its pre-2019 name: a warning, the text uses the 2024 name
    def edit(m):
        m.fiscal_summary.class_line("210").name = "医疗卫生与计划生育支出"

    message = f"{T04}：“医疗卫生与计划生育支出”是 2019 年以前的科目名称，2024 年应为“卫生健康支出”，文中将使用新名称。"
    assert full(findings_after(demo_model, edit)) == [("warning", "科目名称", "公开04表", ["公开04表!D16"], "卫生健康支出", "医疗卫生与计划生育支出", message)]


@pytest.mark.parametrize(
    "edit, sheet, cell, found, message",
    [
        (
            _add(lambda m: m.gov_fund.row("2121399"), "项目支出", "-161"),  # 160.00 -> −1.00 (公开08, after 02/03/05)
            "公开08表",
            "公开08表!G10",
            D("-1.00"),
            f"{T08}：2121399 其他城市基础设施配套费安排的支出“项目支出”为负数 -1.00（公开08表!G10），本表金额不应为负。",
        ),
        (
            _add(lambda m: m.sangong.actual, "公务接待费", "-4.72"),  # 2.36 -> −2.36 (公开07 决算数, the last row checked)
            "公开07表",
            "公开07表!L8",
            D("-2.36"),
            f"{T07}：决算数“公务接待费”为负数 -2.36（公开07表!L8），本表金额不应为负。",
        ),
    ],
)
def test_rule_negative_in_a_later_table(demo_model, edit, sheet, cell, found, message):
    assert full(findings_after(demo_model, edit), "负数") == [("error", "负数", sheet, [cell], "≥ 0", found, message)]


def test_rule_vehicle_total_message(demo_model):
    # 车辆总数 4 vs 机要通信用车 1 + 应急保障用车 1 + 其他用车 1 = 3
    message = "“其他事项”：“车辆总数”为 4（其他事项!B25），应等于 各类车辆之和 = 3（B28、B29、B33），相差 1，不平。"
    cells = ["其他事项!B25", "其他事项!B28", "其他事项!B29", "其他事项!B33"]
    assert full(findings_after(demo_model, others(车辆总数="4"))) == [("error", "车辆", "其他事项", cells, D(3), D(4), message)]


def test_rule_vehicle_total_blank_is_not_checked(demo_model):
    def edit(m):
        m.other["车辆总数"].value = None

    assert findings_after(demo_model, edit) == []


TRAINING_ZERO = (
    "error",
    "其他事项.公开06",
    "其他事项",
    ["其他事项!B12", "公开06表!F21"],
    D("9.85"),
    D(0),
    f"“其他事项”“培训费” 0（其他事项!B12）小于{T06}“30216 培训费” 9.85（公开06表!F21）。文中会写“未发生”，与表矛盾。",
)


def test_rule_training_checked_when_meeting_is_blank(demo_model):
    # 会议费 left blank (nothing to compare) does not stop the 培训费 comparison that follows it
    def edit(m):
        m.other["会议费"].value = None
        m.other["培训费"].value = D(0)

    assert full(findings_after(demo_model, edit), "其他事项.公开06") == [TRAINING_ZERO]


def test_rule_training_checked_when_basic_table_lacks_meeting(demo_model):
    # 公开06 without a 30215 row: 会议费 is not compared, 培训费 still is
    def edit(m):
        m.gpb_basic.rows = [r for r in m.gpb_basic.rows if r.code != "30215"]
        m.other["培训费"].value = D(0)

    assert full(findings_after(demo_model, edit), "其他事项.公开06") == [TRAINING_ZERO]


def test_rule_year_in_the_sheet_name(demo_model):
    # the year read from the sheet's name (not a cell): the finding names the sheet; a matching year elsewhere is silent
    def edit(m):
        m.summary.years = {"A1": 2024}
        m.gpb_expenditure.years = {"A2": 2024, "公开05表": 2023}

    message = f"{T05}的标题或表头写的是 2023 年（公开05表），而单位信息的年度是 2024（单位信息!B3）：可能用了另一年度的表，或年度填错。"
    assert full(findings_after(demo_model, edit)) == [("error", "年度", "公开05表", ["公开05表", "单位信息!B3"], 2024, 2023, message)]


def test_rule_owner_of_another_unit_in_full(demo_model):
    # 公开04 (the 4th table; 01–03 match) names another unit
    def edit(m):
        m.fiscal_summary.owner = "示例市财政局"

    message = f"{T04}的表头单位是“示例市财政局”（公开04表!A3），与单位信息中的单位名称“示例市数据资源局”不一致，可能混入了其他单位的表。"
    assert full(findings_after(demo_model, edit)) == [
        ("error", "表头单位", "公开04表", ["公开04表!A3", "单位信息!B2"], "示例市数据资源局", "示例市财政局", message)
    ]


@pytest.mark.parametrize("owner", ["示例市 数据资源局(本级)", "“示例市数据资源局”", "示例市数据资源局·本级", "示例市\u3000数据资源局"])
def test_rule_owner_compared_without_spaces_quotes_and_bracket_widths(demo_model, owner):
    def edit(m):
        m.gpb_basic.owner = owner

    assert findings_after(demo_model, edit) == []


def test_rule_performance_projects_without_a_spending_total_or_amounts(demo_model):
    # no 公开03 合计 row: nothing to compare with; no project amounts and 项目支出 0: nothing to say;
    # Σ 执行数 1234.08 equal to 项目支出 1234.08: within it
    def no_total(m):
        m.expenditure.total = None

    def no_amounts(m):
        for p in m.performance.projects:
            p.actual = None
        m.expenditure.total.values["项目支出"] = D(0)

    def equal(m):
        m.expenditure.total.values["项目支出"] = D("1234.08")

    for edit in (no_total, no_amounts, equal):
        assert full(findings_after(demo_model, edit), "绩效.项目支出") == [], edit.__name__


def test_rule_performance_projects_message_lists_six_cells(demo_model):
    # seven projects: 1234.08 + 4 × 1.00 = 1238.08 > 1000.00; the message lists the first six cells, the finding all seven
    from generator.model import Project

    def edit(m):
        for i in range(4):
            m.performance.projects.append(Project(name=f"项目{i}", actual=D(1), cells={"actual": f"D{26 + i}"}))
        m.expenditure.total.values["项目支出"] = D("1000.00")

    cells = [f"绩效!D{r}" for r in range(23, 30)]
    message = f"“绩效”项目清单的全年执行数合计 1,238.08（{'、'.join(cells[:6])}）大于本单位项目支出 1,000.00（公开03表!E7），请核对执行数。"
    assert full(findings_after(demo_model, edit), "绩效.项目支出") == [
        ("warning", "绩效.项目支出", "绩效", [*cells, "公开03表!E7"], D("1000.00"), D("1238.08"), message)
    ]


def test_rule_prior_indicators_read_this_years_cells(demo_model):
    # this year's value of each 上年数 indicator, from the cell the text quotes (what 上年数.同一笔钱 compares),
    # each a Term labelled as the document names it (收支总计 is 公开01's 收入总计)
    from generator.checks.prior import current_indicators

    cur = {k: (t.value, t.ref, t.label) for k, t in current_indicators(demo_model).items()}
    cells = {
        "收支总计": ("3058.79", "公开01表!C37"),
        "本年收入合计": ("2852.39", "公开01表!C33"),
        "本年支出合计": ("2996.61", "公开01表!F33"),
        "财政拨款收支总计": ("3046.29", "公开04表!C39"),
        "财政拨款收入": ("2839.89", "公开04表!C34"),
        "财政拨款支出": ("2984.11", "公开04表!F34"),  # the 合计 column
        "一般公共预算财政拨款支出": ("2824.11", "公开05表!C7"),
        "基本支出": ("1525.82", "公开05表!D7"),
        "项目支出": ("1298.29", "公开05表!E7"),
        "人员经费": ("1252.71", "公开06表!C34"),
        "公用经费": ("273.11", "公开06表!I34"),
        "三公经费合计": ("9.71", "公开07表!G8"),
        "因公出国（境）费": ("0.00", "公开07表!H8"),
        "公务用车购置及运行维护费": ("7.35", "公开07表!I8"),
        "公务用车购置费": ("0.00", "公开07表!J8"),
        "公务用车运行维护费": ("7.35", "公开07表!K8"),
        "公务接待费": ("2.36", "公开07表!L8"),
    }
    assert cur == {k: (D(v), ref, "收入总计" if k == "收支总计" else k) for k, (v, ref) in cells.items()}


def test_rule_prior_indicators_of_a_table_without_total_column_or_rows(demo_model):
    # 公开04 without a 合计 column: 财政拨款支出 is its first column (一般公共预算, G34 2824.11);
    # no 人员经费合计 row, no 公务接待费 column: those indicators are not compared
    from generator.checks.prior import current_indicators

    m = copy.deepcopy(demo_model)
    m.fiscal_summary.expenditure_columns = [c for c in m.fiscal_summary.expenditure_columns if c != "合计"]
    m.gpb_basic.personnel_total = None
    del m.sangong.actual.values["公务接待费"]
    cur = current_indicators(m)
    assert (cur["财政拨款支出"].value, cur["财政拨款支出"].ref) == (D("2824.11"), "公开04表!G34")
    assert "人员经费" not in cur and "公务接待费" not in cur and "公用经费" in cur


def test_rule_prior_part_within_tolerance_is_a_warning(demo_model):
    # 上年财政拨款收入 2327.35 > 上年本年收入合计 2327.34 by 0.01 ≤ 0.01 × 2: a warning (尾数误差)
    found = full(findings_after(demo_model, priors(财政拨款收入="2327.35")))
    assert found == [
        (
            "warning",
            "上年数.部分≤整体",
            "上年数",
            ["上年数!B6", "上年数!B3"],
            D("2327.34"),
            D("2327.35"),
            "“上年数”：“上年财政拨款收入” 2,327.35（上年数!B6）大于“上年本年收入合计” 2,327.34（上年数!B3）（尾数误差范围内）。上年财政拨款收入是上年本年收入合计的一部分，不能大于它。",
        )
    ]


@pytest.mark.parametrize("how", ["blank", "absent"])
def test_rule_running_costs_blank_or_absent_is_not_compared(demo_model, how):
    def edit(m):
        if how == "blank":
            m.other["机关运行经费"].value = None
        else:
            del m.other["机关运行经费"]

    assert findings_after(demo_model, edit) == []


def test_rule_performance_projects_without_spending_message_lists_six_cells(demo_model):
    # seven projects (1234.08 + 4 × 1.00 = 1238.08) and 项目支出 0: the error lists the first six cells
    from generator.model import Project

    def edit(m):
        for i in range(4):
            m.performance.projects.append(Project(name=f"项目{i}", actual=D(1), cells={"actual": f"D{26 + i}"}))
        m.expenditure.total.values["项目支出"] = D(0)

    cells = [f"绩效!D{r}" for r in range(23, 30)]
    message = f"“绩效”项目清单的全年执行数合计 1,238.08（{'、'.join(cells[:6])}），而本单位项目支出为 0（公开03表!E7）：没有项目支出就不会有项目执行数。"
    assert full(findings_after(demo_model, edit), "绩效.项目支出") == [("error", "绩效.项目支出", "绩效", [*cells, "公开03表!E7"], D(0), D("1238.08"), message)]


def test_rule_unknown_amount_unit_after_a_table_without_one(demo_model):
    # 公开01 has no 金额单位 line (skipped); 公开05's "千元" further on is still reported
    def edit(m):
        m.summary.amount_unit = ""
        m.gpb_expenditure.amount_unit = "千元"

    assert [(f.level, f.rule, f.cells) for f in findings_after(demo_model, edit)] == [("error", "金额单位", ["公开05表!E3"])]


def test_rule_yuan_tables_warning_with_prior_but_no_budget(demo_model):
    # the 万元 reading matters as soon as either 上年数 or 预算数 is there (here: 上年数 only)
    def edit(m):
        for t in (m.summary, m.income, m.expenditure, m.fiscal_summary, m.gpb_expenditure, m.gpb_basic, m.sangong, m.gov_fund, m.state_capital):
            t.amount_unit = "元"
        m.budget = []

    assert [(f.level, f.rule, f.cells) for f in findings_after(demo_model, edit) if f.rule == "金额单位"] == [("warning", "金额单位", ["单位信息!B4"])]


def test_rule_project_score_of_100_is_allowed(demo_model):
    def edit(m):
        m.performance.projects[2].score = D(100)

    assert findings_after(demo_model, edit) == []


def test_rule_finding_as_a_dict_for_json(demo_model):
    # what `check --json` and the web show: every field, numbers as exact strings, no value as None
    (finding,) = findings_after(demo_model, others(车辆总数="4"))
    assert finding.as_dict() == {
        "level": "error",
        "rule": "车辆",
        "message": "“其他事项”：“车辆总数”为 4（其他事项!B25），应等于 各类车辆之和 = 3（B28、B29、B33），相差 1，不平。",
        "sheet": "其他事项",
        "cells": ["其他事项!B25", "其他事项!B28", "其他事项!B29", "其他事项!B33"],
        "expected": "3",
        "found": "4",
    }
    from generator.checks import Finding

    assert Finding("warning", "r", "m").as_dict() == {
        "level": "warning",
        "rule": "r",
        "message": "m",
        "sheet": "",
        "cells": [],
        "expected": None,
        "found": None,
    }


def test_rule_term_of_an_absent_row_is_zero_named_by_its_sheet():
    # a row a table lacks counts as 0.00 and is named by its sheet alone
    from generator.checks.core import term

    t = term(None, "金额", "公开01表", "经营收入")
    assert (t.value, t.ref, t.label) == (D("0.00"), "公开01表", "经营收入")


def test_rule_sum_finding_lists_eight_cells_at_most():
    # ten non-zero parts of 1.00 each = 10.00 vs 12.00: the message names the first eight cells, the finding all ten
    from generator.checks import Checker, Term

    ck = Checker()
    parts = [Term(D("1.00"), "S", f"B{i}", f"p{i}") for i in range(1, 11)]
    ck.equal("r", "“表”", Term(D("12.00"), "S", "A1", "合计"), parts)
    (f,) = ck.findings
    assert f.cells == ["S!A1"] + [f"S!B{i}" for i in range(1, 11)]
    assert "（B1、B2、B3、B4、B5、B6、B7、B8），相差 2.00，不平。" in f.message


def test_rule_prior_same_money_after_an_explained_pair(demo_model):
    # 公开07 决算 with no 公务接待费: 三公经费合计 7.35 = 用车 7.35 this year; 上年 10.15 vs 7.35 is explained by the
    # prior's own 出国 0.00 + 接待 2.80 (no warning), and the later pair 用车/运行维护费 (上年 7.35 vs 7.00, 购置费 blank) still warns
    def edit(m):
        m.sangong.actual.values["公务接待费"] = D(0)
        m.sangong.actual.values["合计"] = D("7.35")
        m.prior["公务用车购置费"].value = None
        m.prior["公务用车运行维护费"].value = D("7.00")

    found = [(f.rule, f.cells, f.expected, f.found) for f in findings_after(demo_model, edit) if f.rule == "上年数.同一笔钱"]
    assert found == [("上年数.同一笔钱", ["上年数!B17", "上年数!B15", "公开07表!I8", "公开07表!K8"], D("7.35"), D("7.00"))]


def test_rule_errors_stop_the_build_warnings_do_not():
    from generator.checks import Finding, has_errors

    warning, error = Finding("warning", "r", "m"), Finding("error", "r", "m")
    assert (has_errors([]), has_errors([warning]), has_errors([warning, error])) == (False, False, True)


def test_rule_tolerance_edges_and_wording():
    from generator.checks import Checker, Term

    ck = Checker()
    # one summand: 1.00 vs 0.99, off by 0.01 = 0.01 × 1 -> 尾数误差 naming ×1
    ck.equal("r", "“表”", Term(D("1.00"), "S", "A1", "合计"), [Term(D("0.99"), "S", "B1", "甲")])
    # tolerant part ≤ whole: 2.02 vs 2.00, off by exactly 0.01 × 2 -> still within (warning, not the level)
    ck.at_most("r", "“表”", Term(D("2.02"), "S", "A2", "甲"), Term(D("2.00"), "S", "B2", "乙"), "注。", level="error", tolerant=True)
    # not tolerant (the default): 2.01 vs 2.00 is the level itself, without the 尾数 remark
    ck.at_most("r", "“表”", Term(D("2.01"), "S", "A3", "甲"), Term(D("2.00"), "S", "B3", "乙"), "注。", level="error")
    assert [(f.level, f.message) for f in ck.findings] == [
        ("warning", "“表”：“合计”为 1.00（S!A1），应等于 甲 0.99 = 0.99（B1），相差 0.01，尾数误差（在允许的 ±0.01×1 范围内）。"),
        ("warning", "“表”：“甲” 2.02（S!A2）大于“乙” 2.00（S!B2）（尾数误差范围内）。注。"),
        ("error", "“表”：“甲” 2.01（S!A3）大于“乙” 2.00（S!B3）。注。"),
    ]


def test_rule_references_without_a_cell_name_the_sheet():
    from generator.checks.core import ref, term
    from generator.model import Row

    assert (ref("其他事项", ""), ref("其他事项", "B13")) == ("其他事项", "其他事项!B13")
    # a row without a cell for the column (a column its table lacks): its value 0, named by the sheet
    t = term(Row(code="201", values={}), "经营支出", "公开03表", "201")
    assert (t.value, t.ref) == (D(0), "公开03表")


T02 = "“收入决算表”（工作表“公开02表”）"


@pytest.mark.parametrize("column, cell", [("上级补助收入", "E7"), ("事业收入", "F7"), ("经营收入", "G7"), ("附属单位上缴收入", "H7")])
def test_rule_income_table_column_equals_the_summary_line(demo_model, column, cell):
    # 公开02 合计 row, a column that is 0.00 in both tables: 0.00 -> 1.00 vs 公开01's 0.00
    message = f"{T02}与{T01}：“合计·{column}”为 1.00（公开02表!{cell}），应等于 {column} 0.00 = 0.00（无非零项），相差 1.00，不平。"
    found = full(findings_after(demo_model, _add(lambda m: m.income.total, column, "1")), "公开02=公开01")
    assert found == [("error", "公开02=公开01", "公开02表", [f"公开02表!{cell}"], D("0.00"), D("1.00"), message)]


def test_rule_gpb_total_equals_its_classes_message(demo_model):
    # 公开05 合计 C7 2824.11 -> 2825.11 vs 2397.63 + 247.62 + 79.22 + 99.63 + 0.01 = 2824.11
    message = f"{T05}：“合计·合计”为 2,825.11（公开05表!C7），应等于 各类级科目之和 = 2,824.11（C8、C17、C22、C26、C29），相差 1.00，不平。"
    cells = ["公开05表!C7", "公开05表!C8", "公开05表!C17", "公开05表!C22", "公开05表!C26", "公开05表!C29"]
    found = full(findings_after(demo_model, _add(lambda m: m.gpb_expenditure.total, "合计", "1")), "gpb_expenditure.合计")
    assert found == [("error", "gpb_expenditure.合计", "公开05表", cells, D("2824.11"), D("2825.11"), message)]


def test_rule_basic_item_above_sangong_message(demo_model):
    def edit(m):
        m.gpb_basic.row("30217").values["决算数"] = D("3.00")

    message = (
        f"{T06}与{T07}：“30217 公务接待费” 3.00（公开06表!F22）大于“决算数·公务接待费” 2.36（公开07表!L8）。"
        "“三公”经费表还包含项目支出中的三公经费，通常不应小于基本支出中的对应科目，请核对。"
    )
    found = full(findings_after(demo_model, edit), "公开06≤公开07")
    assert found == [("warning", "公开06≤公开07", "公开06表", ["公开06表!F22", "公开07表!L8"], D("2.36"), D("3.00"), message)]


def test_rule_fiscal_income_total_of_both_summaries(demo_model):
    # 公开04 本年收入合计 C34 2839.89 -> 2840.89 vs 公开01 一般公共预算 2689.89 + 政府性基金 150.00 (+ 国有资本经营 0.00)
    message = (
        f"{T01}与{T04}：“公开04·本年收入合计”为 2,840.89（公开04表!C34），"
        "应等于 公开01·一般公共预算财政拨款收入 2,689.89 + 公开01·政府性基金预算财政拨款收入 150.00 = 2,839.89（公开01表!C7、公开01表!C8），相差 1.00，不平。"
    )
    found = full(findings_after(demo_model, _add(lambda m: m.fiscal_summary.totals["本年收入合计"], "金额", "1")), "公开01=公开04.本年收入")
    cells = ["公开04表!C34", "公开01表!C7", "公开01表!C8"]
    assert found == [("error", "公开01=公开04.本年收入", "公开04表", cells, D("2839.89"), D("2840.89"), message)]


def test_rule_fiscal_income_of_a_2018_summary():
    # 2018 layout (永州 sample): 公开01 has one line "财政拨款收入" (C7, 2899.74 -> 2900.74), compared with 公开04's 本年收入合计 (C29)
    from helpers import YONGZHOU

    m = read_workbook(YONGZHOU)
    next(r for r in m.summary.income if r.key == "财政拨款收入").values["金额"] += D(1)
    found = [(f.level, f.rule, f.cells, f.expected, f.found) for f in run_checks(m) if f.rule.startswith("公开01=公开04")]
    assert found == [("error", "公开01=公开04.本年收入", ["公开04表!C29", "公开01表!C7"], D("2900.74"), D("2899.74"))]
