"""Issue 9's examples: each contradiction that used to reach the document without a word now
gives a finding — and, for errors, `build` writes no document.

Figures are the sample's (示例单位_2024.xlsx) unless said otherwise; each comment shows how
the example's sentence came about and what the finding must say.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from helpers import DEMO, edited_copy, find_cell
from test_checks_reviewer import at, describe, other, owner_cell, perf, prior, sangong, unit_info, write

from generator.checks import run_checks
from generator.init_book import write_book
from generator.intake import read_workbook
from generator.pipeline import BuildRefused, build_book
from generator.synthetic import synthetic_book


def refused(path: Path, tmp_path: Path) -> list:
    """Build must refuse and leave no document; returns the error findings."""
    out = tmp_path / "out.docx"
    with pytest.raises(BuildRefused) as err:
        build_book(path, out)
    assert not out.exists()
    return [f for f in err.value.result.findings if f.level == "error"]


def findings_of(path: Path, rule: str):
    return [f for f in run_checks(read_workbook(path)) if f.rule == rule]


def test_fiscal_spending_change_stated_twice(tmp_path):
    """ "财政拨款支出 … 比上年增加374.88万元" and "一般公共预算财政拨款支出 … 增加424.11万元": 上年
    一般公共预算 typed 2400.00 while 上年财政拨款支出 2449.23 = 一般公共预算 + 政府性基金 0 + 国有资本经营 0."""
    path, (changed,) = write(tmp_path, [(prior("一般公共预算财政拨款支出"), D("2400"))])
    (f,) = [f for f in findings_of(path, "上年数.合计") if f.cells[0] == "上年数!B7"]
    assert f.level == "error" and changed in f.cells and f.expected == D("2400.00") and f.found == D("2449.23")
    assert refused(path, tmp_path)


def test_income_change_stated_twice(tmp_path):
    """ "本年收入合计 … 比上年减少" beside "财政拨款收入 … 比上年增加" for the same money: a unit whose
    income is all 财政拨款 (synthetic seed 2), 上年财政拨款收入 typed 200 lower than 上年本年收入合计."""
    book = synthetic_book(2)
    assert book["prior"]["本年收入合计"] == book["prior"]["财政拨款收入"]
    book["prior"]["财政拨款收入"] = book["prior"]["本年收入合计"] - D("200")
    path = write_book(tmp_path / "all_fiscal.xlsx", book)
    hits = [f for f in findings_of(path, "上年数.同一笔钱") if "本年收入合计" in f.message and "财政拨款收入" in f.message]
    assert len(hits) == 1, describe(run_checks(read_workbook(path)))
    (f,) = hits
    assert f.level == "warning"
    assert f.expected == book["prior"]["本年收入合计"] and f.found == book["prior"]["财政拨款收入"]


def test_gpb_spending_above_total_spending(tmp_path):
    """ "一般公共预算财政拨款支出3,324.11万元，占本年支出合计的110.93%": 3324.11 / 2996.61 = 110.93%."""
    path, (changed,) = write(tmp_path, [(at("公开05表", "合计", "小计"), D("3324.11"))])
    (f,) = findings_of(path, "公开05≤公开01")
    assert f.level == "error" and f.cells[0] == changed and f.expected == D("2996.61") and f.found == D("3324.11")
    assert refused(path, tmp_path)


def test_vehicle_purchase_without_vehicles(tmp_path):
    """ "公务用车购置费20.00万元，购置车辆0辆": 公开07 决算 购置 20, 小计 27.35, 合计 29.71 (consistent)."""
    path, (purchase, *_) = write(
        tmp_path, [(sangong("决算数", "公务用车购置费"), D("20")), (sangong("决算数", "小计"), D("27.35")), (sangong("决算数", "合计"), D("29.71"))]
    )
    (f,) = findings_of(path, "其他事项.个数与金额")
    assert f.level == "error" and f.cells == ["其他事项!B4", purchase] and f.expected == "> 0" and f.found == 0
    assert refused(path, tmp_path)


def test_foreign_guests_more_than_all_guests(tmp_path):
    """ "全年共接待0批次、0人次（其中外宾接待5批次、12人次）"."""
    path, _ = write(
        tmp_path, [(other("公务接待批次"), D("0")), (other("公务接待人次"), D("0")), (other("外宾接待批次"), D("5")), (other("外宾接待人次"), D("12"))]
    )
    parts = {(f.cells[0], f.expected, f.found) for f in findings_of(path, "其他事项.部分≤整体")}
    assert {("其他事项!B8", D("0"), D("5")), ("其他事项!B9", D("0"), D("12"))} <= parts
    # and 公务接待费 2.36 with 0 批次
    assert [f for f in findings_of(path, "其他事项.个数与金额") if f.cells[0] == "其他事项!B6"]
    assert refused(path, tmp_path)


def test_no_meeting_costs_while_table_shows_them(tmp_path):
    """ "未发生会议费支出" while 公开06 30215 会议费 shows 4.60."""
    path, (changed,) = write(tmp_path, [(other("会议费"), D("0"))])
    (f,) = findings_of(path, "其他事项.公开06")
    assert f.level == "error" and f.cells == [changed, "公开06表!F20"] and f.expected == D("4.60") and f.found == D("0")
    assert refused(path, tmp_path)


def test_ratings_for_more_projects_than_evaluated(tmp_path):
    """ "优 2个；良 2个；合格 2个" for 3 projects: 2 + 2 + 2 + 0 = 6 ≠ 3."""
    path, refs = write(tmp_path, [(perf("评级为优的项目数"), D("2")), (perf("评级为良的项目数"), D("2")), (perf("评级为合格的项目数"), D("2"))])
    (f,) = findings_of(path, "绩效.评级")
    evaluated = perf("绩效自评项目数")(openpyxl.load_workbook(path))
    assert f.level == "error" and f.cells[0] == f"绩效!{evaluated.coordinate}" and f.expected == D("6") and f.found == D("3")
    assert refused(path, tmp_path)


def test_more_problems_fixed_than_found(tmp_path):
    """ "发现问题3个，已完成整改5个，正在整改4个": 5 + 4 = 9 > 3."""
    path, refs = write(tmp_path, [(perf("已完成整改数"), D("5")), (perf("正在整改数"), D("4"))])
    (f,) = findings_of(path, "绩效.整改")
    found_row = int(refs[0].split("!B")[1]) - 1  # 发现问题数 stands just above 已完成整改数
    assert f.level == "error" and f.cells == [refs[0], refs[1], f"绩效!B{found_row}"] and f.expected == D("3") and f.found == D("9")
    assert refused(path, tmp_path)


def test_negative_prior_total(tmp_path):
    """ "比上年增加3,063.79万元，增长-61275.80%": 上年收支总计 −5.00; 3058.79 + 5 = 3063.79, 3063.79 / −5 = −612.758."""
    path, (changed,) = write(tmp_path, [(prior("收支总计"), D("-5"))])
    (f,) = findings_of(path, "负数")
    assert f.level == "error" and f.cells == [changed] and f.found == D("-5.00")
    assert refused(path, tmp_path)


def test_negative_budget(tmp_path):
    """ "年初预算为-70.00万元…完成年初预算的-91.71%": 2010505 决算 64.20 / −70 = −91.71%."""
    path, (changed,) = write(tmp_path, [(at("预算数", "2010505", "年初预算数"), D("-70"))])
    (f,) = findings_of(path, "负数")
    assert f.level == "error" and f.cells == [changed] and f.found == D("-70.00")
    assert refused(path, tmp_path)


def test_document_dated_2023_from_tables_titled_2024(tmp_path):
    def edit(wb):
        wb["单位信息"][find_cell(wb["单位信息"], "年度", "内容").coordinate] = 2023
        for ws in (ws for ws in wb.worksheets if "公开" in ws.title):
            ws["A1"] = f"2024年度{ws['A1'].value}"

    path = edited_copy(DEMO, tmp_path / "book.xlsx", edit)
    years = findings_of(path, "年度")
    assert len(years) == 9 and all(f.level == "error" and f.expected == 2023 and f.found == 2024 for f in years)
    assert {f.cells[0] for f in years} >= {"公开01表!A1", "公开09表!A1"}
    assert refused(path, tmp_path)


def test_table_pasted_from_another_unit(tmp_path):
    """Seed 004's header form "填报单位：…"."""
    path, (changed,) = write(tmp_path, [(owner_cell("公开04表"), "填报单位：永州市行政审批服务局")])
    (f,) = findings_of(path, "表头单位")
    assert f.level == "error" and f.cells[0] == changed and f.found == "永州市行政审批服务局" and f.expected == "示例市数据资源局"
    assert refused(path, tmp_path)


def test_unit_name_with_brackets_and_space_builds(tmp_path):
    """A unit named "示例(测试)单位 A" used to get false 表头单位 errors."""

    def edit(wb):
        wb["单位信息"][find_cell(wb["单位信息"], "单位名称", "内容").coordinate] = "示例(测试)单位 A"
        for ws in (ws for ws in wb.worksheets if "公开" in ws.title):
            cell = owner_cell(ws.title)(wb)
            cell.value = "部门：示例（测试）单位A" if "公开05" in ws.title else "部门：示例(测试)单位 A"

    path = edited_copy(DEMO, tmp_path / "book.xlsx", edit)
    assert run_checks(read_workbook(path)) == []
    assert build_book(path, tmp_path / "out.docx").output.exists()


def test_yuan_amount_in_a_wanyuan_table(tmp_path):
    """ "125000元" typed in a 万元 table was read as 125,000.00万元: now 12.50万元, nothing breaks."""
    path, _ = write(tmp_path, [(at("公开01表", "其他收入", "金额"), "125000元")])
    m = read_workbook(path)
    assert m.summary.income_line("其他收入").value("金额") == D("12.50")
    assert run_checks(m) == []


def test_prior_with_unit_is_read(tmp_path):
    """上年数 typed as "2665.63万元" was silently dropped: now read (and the text gets its change)."""
    path, _ = write(tmp_path, [(prior("收支总计"), "2665.63万元")])
    m = read_workbook(path)
    assert m.prior["收支总计"].value == D("2665.63")
    assert run_checks(m) == []


def test_unit_info_yuan_while_tables_say_wanyuan(tmp_path):
    """金额单位 元 in 单位信息 while every table says 万元: the document would be divided by 10,000."""
    path, _ = write(tmp_path, [(unit_info("金额单位"), "元")])
    units = findings_of(path, "金额单位")
    assert len(units) == 9
    assert all(f.level == "error" and "单位信息!B4" in f.cells and f.expected == "元" and f.found == "万元" for f in units)
    assert refused(path, tmp_path)
