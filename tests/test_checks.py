"""§6 cross-table identities (勾稽关系): each one fires when broken and is silent when intact.

Strategy: copy the fictional, fully consistent sample (示例单位_2024.xlsx), change one cell
with openpyxl (found by row label / 科目编码 and column header, never by address), read it
with the real reader and run the checks. Every expected / found value below was worked out
by hand from the sample's printed tables, not copied from the program's output.
"""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

import pytest
from helpers import (
    DEMO,
    YIYANG,
    YONGZHOU,
    edited_copy,
    find_cell,
    find_label,
    ref,
    sangong_cell,
    set_value,
    sheet_named,
    value_cell_of,
)
from typer.testing import CliRunner

from generator.checks import Finding, run_checks
from generator.cli import app
from generator.intake import read_workbook

runner = CliRunner()


# ---- helpers ---------------------------------------------------------------------------------


def cell_at(sheet: str, label: str, header: str, nth: int = 0):
    """A locator: the cell in ``sheet`` at (row label, column header)."""
    return lambda wb: find_cell(sheet_named(wb, sheet), label, header, nth)


def total_of(sheet: str, label: str):
    """A locator for a value right of a merged label (公开06 人员经费合计 / 公用经费合计)."""
    return lambda wb: value_cell_of(sheet_named(wb, sheet), label)


def sangong(side: str, item: str):
    return lambda wb: sangong_cell(sheet_named(wb, "公开07表"), side, item)


def apply(tmp_path: Path, edits, src: Path = DEMO, name: str = "book.xlsx"):
    """Copy ``src``, write each (locator, value), read and check. Returns (findings, refs)."""
    refs: list[str] = []

    def edit(wb):
        for locate, value in edits:
            cell = locate(wb)
            set_value(cell.parent, cell, value)
            refs.append(ref(cell))

    path = edited_copy(src, tmp_path / name, edit)
    return run_checks(read_workbook(path)), refs


def matching(findings: list[Finding], rule: str, changed: str, **kw) -> list[Finding]:
    out = [f for f in findings if f.rule == rule and changed in f.cells]
    for k, v in kw.items():
        out = [f for f in out if getattr(f, k) == v]
    return out


def describe(findings: list[Finding]) -> str:
    return "\n".join(f"{f.level} {f.rule} cells={f.cells} expected={f.expected} found={f.found}" for f in findings)


# ---- the intact sample -----------------------------------------------------------------------


def test_fictional_sample_has_no_findings_at_all():
    findings = run_checks(read_workbook(DEMO))
    assert findings == [], describe(findings)


def test_seed_2018_sample_has_no_errors():
    findings = run_checks(read_workbook(YONGZHOU))
    assert not [f for f in findings if f.level == "error"], describe(findings)


# ---- one broken cell per identity ------------------------------------------------------------

# (id, locator, new value, rule, expected, found); the changed cell must be in Finding.cells.
CASES = [
    # 公开01 本年收入合计 = Σ income lines: 2689.89 + 150 + 12.5 = 2852.39
    ("01-income-total", cell_at("公开01表", "本年收入合计", "金额"), D("2862.39"), "公开01.本年收入合计", D("2852.39"), D("2862.39")),
    ("01-income-line", cell_at("公开01表", "其他收入", "金额"), D("13.5"), "公开01.本年收入合计", D("2853.39"), D("2852.39")),
    # 公开01 本年支出合计 = Σ 类: 2410.13 + 247.62 + 79.22 + 160 + 99.63 + 0.01 = 2996.61
    ("01-spend-total", cell_at("公开01表", "本年支出合计", "金额"), D("2996.71"), "公开01.本年支出合计", D("2996.61"), D("2996.71")),
    ("01-spend-class", cell_at("公开01表", "卫生健康支出", "金额"), D("80.22"), "公开01.本年支出合计", D("2997.61"), D("2996.61")),
    # 公开01 收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余 = 2852.39 + 0 + 206.4
    ("01-grand-income", cell_at("公开01表", "总计", "金额", 0), D("3060.79"), "公开01.收入总计", D("3058.79"), D("3060.79")),
    ("01-grand-income-carry", cell_at("公开01表", "年初结转和结余", "金额"), D("207.4"), "公开01.收入总计", D("3059.79"), D("3058.79")),
    ("01-grand-income-nonfiscal", cell_at("公开01表", "使用非财政拨款结余", "金额"), D("1"), "公开01.收入总计", D("3059.79"), D("3058.79")),
    # 公开01 支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余 = 2996.61 + 0 + 62.18
    ("01-grand-spend-distribution", cell_at("公开01表", "结余分配", "金额"), D("5"), "公开01.支出总计", D("3063.79"), D("3058.79")),
    ("01-grand-spend-carry", cell_at("公开01表", "年末结转和结余", "金额"), D("63.18"), "公开01.支出总计", D("3059.79"), D("3058.79")),
    # 公开01 收入总计 = 支出总计
    ("01-balance", cell_at("公开01表", "总计", "金额", 1), D("3068.79"), "公开01.收支平衡", D("3068.79"), D("3058.79")),
    # 类 = Σ 款 (公开05 201 项目支出: 1198.48 + 64.2 + 35.6 = 1298.28)
    ("05-class-sum", cell_at("公开05表", "201", "项目支出"), D("1299.28"), "gpb_expenditure.层级", D("1298.28"), D("1299.28")),
    # 款 = Σ 项 (公开03 20103 项目支出: 0 + 854.8 + 357.18 after the change; printed 1210.98)
    ("03-item-sum", cell_at("公开03表", "2010399", "项目支出"), D("357.18"), "expenditure.层级", D("1211.98"), D("1210.98")),
    # 款 = Σ 项 in 公开02 (20105 财政拨款收入 = 2010505 64.2)
    ("02-item-sum", cell_at("公开02表", "20105", "财政拨款收入"), D("64.3"), "income.层级", D("64.2"), D("64.3")),
    # … and the same cell as a part of its 类 (201 = 2163.61 + 64.3 + 35.6)
    ("02-class-sum", cell_at("公开02表", "20105", "财政拨款收入"), D("64.3"), "income.层级", D("2263.51"), D("2263.41")),
    # 公开08 款 = Σ 项 (21213 项目支出 = 2121399)
    ("08-item-sum", cell_at("公开08表", "2121399", "项目支出"), D("150"), "gov_fund.层级", D("150"), D("160")),
    # row total = Σ component columns
    ("02-row-total", cell_at("公开02表", "208", "本年收入合计"), D("248.62"), "income.列合计", D("247.62"), D("248.62")),
    ("03-row-total", cell_at("公开03表", "2010301", "本年支出合计"), D("1099.45"), "expenditure.列合计", D("1099.35"), D("1099.45")),
    ("05-row-total", cell_at("公开05表", "2010302", "小计"), D("843.3"), "gpb_expenditure.列合计", D("842.3"), D("843.3")),
    # 公开08 本年支出 = 基本 + 项目 (212: 0 + 150 after the change; printed 160)
    ("08-row-total", cell_at("公开08表", "212", "项目支出"), D("150"), "gov_fund.列合计", D("150"), D("160")),
    ("09-row-total", cell_at("公开09表", "合计", "合计"), D("5"), "state_capital.列合计", D("0"), D("5")),
    # 合计 row = Σ 类
    ("02-total-row", cell_at("公开02表", "合计", "事业收入"), D("3"), "income.合计", D("0"), D("3")),
    ("03-total-row", cell_at("公开03表", "合计", "本年支出合计"), D("2996.71"), "expenditure.合计", D("2996.61"), D("2996.71")),
    ("05-total-row", cell_at("公开05表", "合计", "基本支出"), D("1526.82"), "gpb_expenditure.合计", D("1525.82"), D("1526.82")),
    ("08-total-row", cell_at("公开08表", "合计", "年初结转和结余"), D("25"), "gov_fund.合计", D("20"), D("25")),
    ("09-total-row", cell_at("公开09表", "合计", "合计"), D("5"), "state_capital.合计", D("0"), D("5")),
    # 公开08 年末 = 年初 + 本年收入 − 本年支出: 20 + 150 − 160 = 10
    ("08-carry-over", cell_at("公开08表", "2121399", "年末结转和结余"), D("12"), "gov_fund.年末结转", D("10"), D("12")),
    ("08-carry-over-total", cell_at("公开08表", "合计", "本年收入"), D("155"), "gov_fund.年末结转", D("15"), D("10")),
    # 公开02 合计 = 公开01 income lines (其他收入 12.5; 财政拨款收入 = 2689.89 + 150 + 0)
    ("02=01-other", cell_at("公开02表", "合计", "其他收入"), D("13.5"), "公开02=公开01", D("12.5"), D("13.5")),
    ("02=01-fiscal", cell_at("公开01表", "政府性基金预算财政拨款收入", "金额"), D("151"), "公开02=公开01", D("2840.89"), D("2839.89")),
    # 公开03 合计 = 公开01 本年支出合计; 公开03 类 = 公开01 类 lines
    ("03=01-total", cell_at("公开01表", "本年支出合计", "金额"), D("2996.71"), "公开03=公开01", D("2996.71"), D("2996.61")),
    ("03=01-class-in-01", cell_at("公开01表", "卫生健康支出", "金额"), D("80.22"), "公开03=公开01.类", D("80.22"), D("79.22")),
    ("03=01-class-in-03", cell_at("公开03表", "210", "本年支出合计"), D("80.22"), "公开03=公开01.类", D("79.22"), D("80.22")),
    # 公开04 both sides balance (收入总计 3046.29 = 支出总计·合计)
    ("04-balance", cell_at("公开04表", "总计", "合计", 0), D("3047.29"), "公开04.收支平衡", D("3047.29"), D("3046.29")),
    # 公开04 收入总计 = 本年收入合计 2839.89 + 年初 206.4
    ("04-grand-income", cell_at("公开04表", "年初财政拨款结转和结余", "金额"), D("207.4"), "公开04.收入总计", D("3047.29"), D("3046.29")),
    ("04-carry-lines", cell_at("公开04表", "年初财政拨款结转和结余", "金额"), D("207.4"), "公开04.年初结转", D("206.4"), D("207.4")),
    ("04-income-lines", cell_at("公开04表", "本年收入合计", "金额"), D("2849.89"), "公开04.本年收入合计", D("2839.89"), D("2849.89")),
    # 公开04 合计 column = 一般公共预算 + 政府性基金 + 国有资本经营 (221: 99.63 + 0 + 0)
    ("04-column-total", cell_at("公开04表", "住房保障支出", "合计"), D("99.73"), "公开04.列合计", D("99.63"), D("99.73")),
    ("04-column-part", cell_at("公开04表", "城乡社区支出", "政府性基金预算财政拨款"), D("161"), "公开04.列合计", D("161"), D("160")),
    ("04-spend-column", cell_at("公开04表", "本年支出合计", "政府性基金预算财政拨款"), D("161"), "公开04.本年支出合计", D("160"), D("161")),
    # 公开04 一般公共预算 column = 公开05 by 类 (221 小计 99.63), both directions
    ("04=05-in-05", cell_at("公开05表", "221", "小计"), D("99.73"), "公开04=gpb_expenditure.类", D("99.63"), D("99.73")),
    ("04=05-in-04", cell_at("公开04表", "住房保障支出", "一般公共预算财政拨款"), D("99.73"), "公开04=gpb_expenditure.类", D("99.73"), D("99.63")),
    # 公开04 政府性基金 column = 公开08 (212 本年支出 160)
    ("04=08-in-04", cell_at("公开04表", "城乡社区支出", "政府性基金预算财政拨款"), D("161"), "公开04=gov_fund.类", D("161"), D("160")),
    ("04=08-in-08", cell_at("公开08表", "212", "小计"), D("161"), "公开04=gov_fund.类", D("160"), D("161")),
    # 公开04 国有资本经营 column = 公开09 合计 (0)
    ("04=09", cell_at("公开09表", "合计", "合计"), D("5"), "公开04=state_capital", D("5"), D("0")),
    # 公开05 基本支出合计 1525.82 = 公开06 人员经费合计 1252.71 + 公用经费合计 273.11
    ("05=06-personnel", total_of("公开06表", "人员经费合计"), D("1253.71"), "公开05=公开06", D("1526.82"), D("1525.82")),
    ("05=06-basic", cell_at("公开05表", "合计", "基本支出"), D("1526.82"), "公开05=公开06", D("1525.82"), D("1526.82")),
    # 公开06 group = Σ items (302 商品和服务支出 254.31; 办公费 38.5 → 39.5)
    ("06-group", cell_at("公开06表", "30201", "决算数"), D("39.5"), "公开06.分组", D("255.31"), D("254.31")),
    ("06-group-total", cell_at("公开06表", "310", "决算数"), D("19.8"), "公开06.分组", D("18.8"), D("19.8")),
    # 公开06 人员经费 = 301 1200.75 + 303 51.96
    ("06-personnel", total_of("公开06表", "人员经费合计"), D("1253.71"), "公开06.人员经费", D("1252.71"), D("1253.71")),
    ("06-personnel-303", cell_at("公开06表", "303", "决算数"), D("52.96"), "公开06.人员经费", D("1253.71"), D("1252.71")),
    # 公开06 公用经费 = 302 254.31 + 307 0 + 310 18.8 + 399 0
    ("06-public", total_of("公开06表", "公用经费合计"), D("274.11"), "公开06.公用经费", D("273.11"), D("274.11")),
    ("06-public-310", cell_at("公开06表", "310", "决算数"), D("19.8"), "公开06.公用经费", D("274.11"), D("273.11")),
    # 公开07 合计 = 出国 + 用车小计 + 接待 (预算 0 + 8 + 3 = 11; 决算 0 + 7.35 + 2.36 = 9.71)
    ("07-budget-total", sangong("预算数", "合计"), D("12"), "公开07.合计", D("11"), D("12")),
    ("07-actual-total", sangong("决算数", "合计"), D("9.81"), "公开07.合计", D("9.71"), D("9.81")),
    ("07-actual-reception", sangong("决算数", "公务接待费"), D("2.46"), "公开07.合计", D("9.81"), D("9.71")),
    # 公开07 用车小计 = 购置 + 运行 (预算 0 + 8; 决算 0 + 7.35)
    ("07-budget-vehicle", sangong("预算数", "公务用车运行费"), D("9"), "公开07.用车小计", D("9"), D("8")),
    ("07-actual-vehicle", sangong("决算数", "小计"), D("7.45"), "公开07.用车小计", D("7.35"), D("7.45")),
    ("07-actual-purchase", sangong("决算数", "公务用车购置费"), D("1"), "公开07.用车小计", D("8.35"), D("7.35")),
]


@pytest.mark.parametrize("locate,value,rule,expected,found", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_identity_fires_when_broken(tmp_path, locate, value, rule, expected, found):
    findings, (changed,) = apply(tmp_path, [(locate, value)])
    hits = matching(findings, rule, changed, expected=expected, found=found)
    assert hits, f"no {rule} finding naming {changed} with expected={expected} found={found}:\n{describe(findings)}"
    assert all(f.level == "error" for f in hits)
    assert all(f.sheet and f.message for f in hits)
    # the checked cell comes first, as "Sheet!A1"
    assert all("!" in f.cells[0] for f in hits)


def test_each_rule_is_silent_on_the_intact_sample():
    """Every rule exercised above produces nothing on the consistent sample."""
    rules = {c[3] for c in CASES}
    fired = {f.rule for f in run_checks(read_workbook(DEMO))}
    assert not rules & fired


def test_error_message_names_table_cells_and_figures(tmp_path):
    findings, (changed,) = apply(tmp_path, [(cell_at("公开01表", "本年收入合计", "金额"), D("2862.39"))])
    (f,) = matching(findings, "公开01.本年收入合计", changed)
    assert f.cells[0] == changed == "公开01表!C33"
    assert "收入支出决算总表" in f.message and changed in f.message
    assert "2,862.39" in f.message and "2,852.39" in f.message
    assert (D(f.as_dict()["expected"]), D(f.as_dict()["found"])) == (D("2852.39"), D("2862.39"))


def test_only_the_broken_identities_fire(tmp_path):
    """A 项 changed in 公开03 breaks its row total and its 款 (whose total is printed) — nothing else."""
    findings, (changed,) = apply(tmp_path, [(cell_at("公开03表", "2010399", "项目支出"), D("357.18"))])
    assert changed == "公开03表!E12"
    assert all(changed in f.cells for f in findings), describe(findings)
    got = sorted((f.rule, f.cells[0]) for f in findings)
    assert got == sorted(
        [
            ("expenditure.列合计", "公开03表!C12"),  # 356.18 ≠ 0 + 357.18
            ("expenditure.层级", "公开03表!E9"),  # 20103 项目支出 ≠ Σ 项
        ]
    ), describe(findings)


# ---- 公开07 vs 公开06: warnings, not errors --------------------------------------------------

# raise one 公开06 item above the 公开07 actual and lower a sibling so the group still adds up
WARN_CASES = [
    ("30212", "30299", D("7.15"), D("1"), "因公出国（境）费", D("0")),
    ("30217", "30299", D("7.15"), D("3.36"), "公务接待费", D("2.36")),
    ("30231", "30299", D("7.62"), D("7.41"), "公务用车运行费", D("7.35")),
    ("31013", "31002", D("11.3"), D("1"), "公务用车购置费", D("0")),
]


@pytest.mark.parametrize("code,sibling,sibling_value,value,item,actual", WARN_CASES, ids=[c[0] for c in WARN_CASES])
def test_basic_item_above_sangong_is_a_warning(tmp_path, code, sibling, sibling_value, value, item, actual):
    (
        findings,
        (
            changed,
            _,
        ),
    ) = apply(
        tmp_path,
        [(cell_at("公开06表", code, "决算数"), value), (cell_at("公开06表", sibling, "决算数"), sibling_value)],
    )
    assert [f.rule for f in findings] == ["公开06≤公开07"], describe(findings)
    (f,) = findings
    assert f.level == "warning"
    assert f.cells[0] == changed
    # the other cell named is the 公开07 决算数 column of that item
    assert f.cells[1].startswith("公开07表!")
    assert f.found == value and f.expected == actual


def test_basic_item_equal_to_sangong_is_silent():
    """30217 公务接待费 2.36 = 公开07 决算 公务接待费 2.36 in the sample: no warning."""
    assert not [f for f in run_checks(read_workbook(DEMO)) if f.rule == "公开06≤公开07"]


# ---- table owner, 机关运行经费, outdated 类 names ------------------------------------------


def _owner_edit(text: str):
    def edit(wb):
        ws = sheet_named(wb, "公开03表")
        cell = next(c for row in ws.iter_rows(max_row=6) for c in row if isinstance(c.value, str) and c.value.startswith("部门："))
        ws[cell.coordinate] = text

    return edit


@pytest.mark.parametrize("text", ["部门：另一个单位", "编制单位：永州市政务服务中心"])
def test_table_of_another_unit_is_an_error(tmp_path, text):
    path = edited_copy(DEMO, tmp_path / "owner.xlsx", _owner_edit(text))
    findings = run_checks(read_workbook(path))
    owner = [f for f in findings if f.rule == "表头单位"]
    assert len(owner) == 1 and owner[0].level == "error", describe(findings)
    assert owner[0].sheet == "公开03表"
    assert text.split("：")[1] in owner[0].message and "示例市数据资源局" in owner[0].message


def test_table_of_the_same_unit_is_fine(tmp_path):
    path = edited_copy(DEMO, tmp_path / "owner.xlsx", _owner_edit("编制单位：示例市数据资源局"))
    assert run_checks(read_workbook(path)) == []


def test_table_owner_finding_names_the_owner_cell(tmp_path):
    path = edited_copy(DEMO, tmp_path / "owner.xlsx", _owner_edit("部门：另一个单位"))
    (f,) = [f for f in run_checks(read_workbook(path)) if f.rule == "表头单位"]
    assert "公开03表!A3" in f.cells


def _running_costs(value, unit_type=None):
    def edit(wb):
        cell = find_cell(wb["其他事项"], "机关运行经费", "数值")
        set_value(cell.parent, cell, value)
        if unit_type is not None:
            wb["单位信息"][find_cell(wb["单位信息"], "单位性质", "内容").coordinate] = unit_type

    return edit


@pytest.mark.parametrize("unit_type", [None, "参照公务员法管理事业单位"])  # None: the sample's 行政单位
def test_running_costs_differing_from_public_funds_is_a_warning(tmp_path, unit_type):
    path = edited_copy(DEMO, tmp_path / "rc.xlsx", _running_costs(D("280"), unit_type))
    findings = run_checks(read_workbook(path))
    assert [f.rule for f in findings] == ["机关运行经费"], describe(findings)
    (f,) = findings
    assert f.level == "warning"
    assert f.cells[0] == "其他事项!B13"
    assert f.cells[1] == "公开06表!I34"  # the 公用经费合计 it should equal
    assert "280.00" in f.message and "273.11" in f.message


def test_running_costs_of_a_public_institution_are_not_checked(tmp_path):
    path = edited_copy(DEMO, tmp_path / "rc.xlsx", _running_costs(D("280"), "事业单位"))
    # the identity with 公用经费 is not checked; that a 事业单位 gives 机关运行经费 (and spends on
    # 行政运行) at all is checks.claims' 单位性质 warning
    assert [f.rule for f in run_checks(read_workbook(path))] == ["单位性质"]


def test_running_costs_finding_carries_expected_and_found(tmp_path):
    path = edited_copy(DEMO, tmp_path / "rc.xlsx", _running_costs(D("280")))
    (f,) = run_checks(read_workbook(path))
    assert f.expected == D("273.11") and f.found == D("280")


@pytest.mark.parametrize("sheet", ["公开01表", "公开04表"])
def test_outdated_class_name_is_a_warning(tmp_path, sheet):
    """2020 seed export: 210 printed with its pre-2019 name "医疗卫生与计划生育支出"."""
    refs = []

    def edit(wb):
        cell = find_label(sheet_named(wb, sheet), "卫生健康支出")
        cell.parent[cell.coordinate] = cell.value.replace("卫生健康支出", "医疗卫生与计划生育支出")
        refs.append(ref(cell))

    path = edited_copy(YIYANG, tmp_path / "names.xlsx", edit)
    findings = run_checks(read_workbook(path))
    names = [f for f in findings if f.rule == "科目名称"]
    assert len(names) == 1 and names[0].level == "warning", describe(findings)
    assert names[0].cells == refs
    assert "卫生健康支出" in names[0].message and "2020" in names[0].message
    # the old name still maps to 210, so no identity breaks
    assert not [f for f in findings if f.level == "error"]


def test_old_class_names_are_fine_in_a_2018_workbook():
    # seed 004 (2018) prints "医疗卫生与计划生育支出"
    assert not [f for f in run_checks(read_workbook(YONGZHOU)) if f.rule == "科目名称"]


# ---- tolerance: ±0.01 per non-zero summand ----------------------------------------------------

# 公开05 row 201: 小计 2397.63 = 基本 1099.35 + 项目 1298.28 (two non-zero summands)
ROW_201 = cell_at("公开05表", "201", "小计")


@pytest.mark.parametrize(
    "value,level",
    [
        (D("2397.64"), "warning"),  # +0.01
        (D("2397.62"), "warning"),  # −0.01
        (D("2397.65"), "warning"),  # +0.02 = 2 × 0.01: still inside
        (D("2397.66"), "error"),  # +0.03
        (D("2397.60"), "error"),  # −0.03
    ],
)
def test_tolerance_on_a_two_summand_identity(tmp_path, value, level):
    findings, (changed,) = apply(tmp_path, [(ROW_201, value)])
    (f,) = [f for f in findings if f.rule == "gpb_expenditure.列合计" and f.cells[0] == changed]
    assert f.level == level
    assert f.expected == D("2397.63") and f.found == value
    if level == "warning":
        assert "尾数" in f.message


def test_zero_difference_gives_nothing(tmp_path):
    findings, _ = apply(tmp_path, [(ROW_201, D("2397.63"))])
    assert findings == []


# 公开07 决算 用车小计 7.35 = 购置 0 + 运行 7.35: one non-zero summand → ±0.01
@pytest.mark.parametrize("value,level", [(D("7.36"), "warning"), (D("7.37"), "error")])
def test_tolerance_counts_only_non_zero_summands(tmp_path, value, level):
    findings, (changed,) = apply(tmp_path, [(sangong("决算数", "小计"), value)])
    (f,) = [f for f in findings if f.rule == "公开07.用车小计" and f.cells[0] == changed]
    assert f.level == level and f.expected == D("7.35") and f.found == value


def test_single_summand_identity_allows_one_cent_only(tmp_path):
    """公开01 收入总计 = 支出总计 has one summand: 0.01 is a warning, 0.02 an error."""
    for value, level in ((D("3058.80"), "warning"), (D("3058.81"), "error")):
        findings, (changed,) = apply(tmp_path, [(cell_at("公开01表", "总计", "金额", 1), value)], name=f"{value}.xlsx")
        (f,) = [f for f in findings if f.rule == "公开01.收支平衡"]
        assert f.level == level and f.expected == value and f.found == D("3058.79")
        assert changed in f.cells


# ---- seed 003: the real export's 0.01 differences are warnings --------------------------------

Z01 = "Z01 收入支出决算总表(公开01表)"
Z04 = "Z04 支出决算表(公开03表)"
Z01_1 = "Z01_1 财政拨款收入支出决算总表(公开04表)"
Z07 = "Z07 一般公共预算财政拨款支出决算表(公开05表)"
Z08_1 = "Z08_1 一般公共预算财政拨款基本支出决算表(公开06表)"

SEED_003_WARNINGS = [
    # rule, checked cell, expected (worked out from the printed parts), found (printed)
    ("公开01.收入总计", f"{Z01}!C37", D("2217.42") + D("993.56"), D("3210.99")),
    (
        "公开01.本年支出合计",
        f"{Z01}!F33",
        D("1763.64") + D("1.53") + D("909.88") + D("8.96") + D("6.19") + D("6.72"),
        D("2696.91"),
    ),
    ("expenditure.列合计", f"{Z04}!C7", D("186.29") + D("2510.63"), D("2696.91")),
    ("公开04.收入总计", f"{Z01_1}!C39", D("2140.78") + D("993.56"), D("3134.35")),
    ("gpb_expenditure.层级", f"{Z07}!E13", D("110.50") + D("169.10") + D("223.50") + D("15.86"), D("518.97")),
    (
        "公开06.分组",
        f"{Z08_1}!F6",
        sum(D(x) for x in "4.61 3.40 0.05 3.09 2.78 0.46 11.86 4.09 4.07 4.06 3.99 3.77".split()),
        D("46.25"),
    ),
]


@pytest.fixture(scope="module")
def seed003_findings():
    return run_checks(read_workbook(YIYANG))


def test_seed003_has_no_errors(seed003_findings):
    assert not [f for f in seed003_findings if f.level == "error"], describe(seed003_findings)


@pytest.mark.parametrize("rule,cell,expected,found", SEED_003_WARNINGS, ids=[w[0] for w in SEED_003_WARNINGS])
def test_seed003_rounding_differences_are_warnings(seed003_findings, rule, cell, expected, found):
    hits = [f for f in seed003_findings if f.rule == rule and f.cells[0] == cell]
    assert len(hits) == 1, describe(seed003_findings)
    (f,) = hits
    assert f.level == "warning"
    assert f.expected == expected and f.found == found
    assert abs(f.found - f.expected) <= D("0.02")


def test_seed003_check_cli_exits_0():
    result = runner.invoke(app, ["check", str(YIYANG)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "0 个错误" in result.stdout
    warnings = [line for line in result.stdout.splitlines() if line.startswith("警告：")]
    assert len(warnings) >= len(SEED_003_WARNINGS)
    # the 公开01 总计 line quotes the printed figures
    assert any("3,210.99" in w and "2,217.42" in w and "993.56" in w for w in warnings)


def test_seed003_check_json(tmp_path):
    result = runner.invoke(app, ["check", "--json", str(YIYANG)])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert isinstance(data["findings"], list) and data["findings"]
    assert {f["level"] for f in data["findings"]} == {"warning"}
    (total,) = [f for f in data["findings"] if f["rule"] == "公开01.收入总计"]
    assert D(total["expected"]) == D("3210.98") and D(total["found"]) == D("3210.99")
    assert total["cells"][0] == f"{Z01}!C37"


# ---- acceptance: +1.00 on 公开05 2010301 基本支出 in seed 003 --------------------------------


@pytest.fixture(scope="module")
def seed003_broken(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("accept")
    refs = []

    def edit(wb):
        cell = find_cell(sheet_named(wb, "公开05表"), "2010301", "基本支出")
        refs.append(ref(cell))
        set_value(cell.parent, cell, D(str(cell.value or 0)) + D("1.00"))

    return edited_copy(YIYANG, tmp / "益阳_broken.xlsx", edit), refs[0]


def test_acceptance_errors_name_the_changed_cell(seed003_broken, seed003_findings):
    path, changed = seed003_broken
    assert changed == f"{Z07}!D14"
    findings = run_checks(read_workbook(path))
    errors = [f for f in findings if f.level == "error"]
    got = sorted((f.rule, f.cells[0], f.expected, f.found) for f in errors)
    assert got == sorted(
        [
            # 2010301: 小计 110.50 ≠ 基本 1.00 + 项目 110.50
            ("gpb_expenditure.列合计", f"{Z07}!C14", D("111.50"), D("110.50")),
            # 20103 基本支出 153.77 ≠ Σ 项 1.00 + 0 + 153.77 + 0
            ("gpb_expenditure.层级", f"{Z07}!D13", D("154.77"), D("153.77")),
        ]
    ), describe(errors)
    assert all(changed in f.cells for f in errors)
    # nothing about unrelated rows: the warnings are exactly the ones of the intact export
    before = sorted((f.rule, tuple(f.cells)) for f in seed003_findings if f.level == "warning")
    after = sorted((f.rule, tuple(f.cells)) for f in findings if f.level == "warning")
    assert after == before


def test_acceptance_check_cli_exits_1_and_json_names_the_cell(seed003_broken):
    path, changed = seed003_broken
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.stdout.splitlines() if line.startswith("错误：")]
    assert len(errors) == 2
    assert "2 个错误" in result.stdout
    result = runner.invoke(app, ["check", "--json", str(path)])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    errors = [f for f in data["findings"] if f["level"] == "error"]
    assert len(errors) == 2 and all(changed in f["cells"] for f in errors)


def test_acceptance_printed_errors_name_the_changed_cell(seed003_broken):
    path, changed = seed003_broken
    result = runner.invoke(app, ["check", str(path)])
    errors = [line for line in result.stdout.splitlines() if line.startswith("错误：")]
    assert errors and all("D14" in line for line in errors)


def test_cli_json_on_consistent_sample_is_empty_list():
    result = runner.invoke(app, ["check", "--json", str(DEMO)])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["findings"] == []
