"""Workbook rows and figures for publishable content (issue 12 items 1, 3–8, 11, 12).

Each new row is read back from the committed sample workbooks (zero and non-zero cases),
and each derived figure is checked against hand arithmetic.
"""

from __future__ import annotations

from decimal import Decimal as D

import openpyxl
import pytest

from generator import keys
from generator.checks import run_checks
from generator.figures import compute
from generator.init_book import write_blank
from generator.intake import read_workbook
from tests.helpers import DEMO, YIYANG, YONGZHOU, edited_copy, find_cell


@pytest.fixture(scope="module")
def demo():
    return read_workbook(DEMO)


@pytest.fixture(scope="module")
def yiyang():
    return read_workbook(YIYANG)


@pytest.fixture(scope="module")
def yongzhou():
    return read_workbook(YONGZHOU)


# ---- item 1: 决算单位构成表; item 11: 单位性质 -----------------------------------------------------


def test_composition_table_lists_every_member_in_order(yongzhou, demo):
    names = [(m.number, m.name, m.note) for m in yongzhou.unit.members]
    assert names == [
        ("1", "永州市政务服务中心（本级）", "参照公务员法管理事业单位"),
        ("2", "永州市电子政务技术服务中心", "事业单位"),
        ("3", "永州市人民政府网站", "事业单位"),
        ("4", "永州市联动处置指挥中心", "事业单位"),
    ]
    assert not yongzhou.unit.only_itself
    # the demo consists of its 本级 only: the format then shows 机构设置 instead of the table
    assert [m.name for m in demo.unit.members] == ["示例市数据资源局"] and demo.unit.only_itself
    assert yongzhou.unit.members[1].cells == {"name": "B16", "note": "C16"}


def test_running_costs_apply_to_admin_and_canggong_units_only(demo, yiyang):
    assert demo.unit.unit_type == "行政单位" and demo.unit.has_running_costs
    assert yiyang.unit.unit_type == "事业单位" and not yiyang.unit.has_running_costs
    assert keys.has_running_costs("参照公务员法管理事业单位") and keys.has_running_costs("参公事业单位")
    assert not keys.has_running_costs("") and not keys.has_running_costs("公益一类事业单位")


# ---- item 4: 绩效管理制度, attachments, 存在问题/改进措施 --------------------------------------------


def test_performance_system_attachments_and_project_columns(demo, yiyang, yongzhou):
    assert demo.performance_system().text == "《示例市数据资源局预算绩效管理办法》、《示例市数据资源局项目支出绩效自评实施细则》"
    assert demo.performance_system().cell == "B3"
    assert [(a.name, a.note) for a in yiyang.performance.attachments] == [("部门整体支出绩效评价报告", ""), ("项目绩效评价报告", "4个重点项目")]
    assert [a.name for a in demo.performance.attachments] == ["项目绩效评价报告"]
    assert yongzhou.performance.attachments == []  # nothing attached: the text must promise nothing
    first = demo.performance.projects[0]
    assert first.problems == "部分部门数据更新不及时。" and first.measures == "建立数据质量通报机制，按月通报数据更新情况。"
    assert set(first.cells) >= {"problems", "measures", "goals"}


def test_older_workbooks_keep_their_system_text_in_the_reasons_sheet(tmp_path):
    def move(wb):
        ws = wb[keys.SHEET_PERFORMANCE]
        ws["B3"] = None
        reasons = wb[keys.SHEET_REASONS]
        reasons.append(["预算绩效管理制度", "制定《预算绩效管理办法》"])

    m = read_workbook(edited_copy(DEMO, tmp_path / "old.xlsx", move))
    assert m.performance_system().text == "制定《预算绩效管理办法》"


# ---- item 5: 三公 details; item 6: 政府采购; item 7: 国有资产 --------------------------------------


def test_sangong_details_zero_and_nonzero(demo, yiyang):
    f = compute(demo)
    assert (f.get("其他.外宾接待批次").value, f.get("其他.外宾接待人次").value, f.get("其他.外宾接待费").value) == (1, 6, D("0.42"))
    assert f.get("其他.公务用车购置数").value == 0 and f.get("其他.公务用车保有量").value == 3
    assert f.get("三公.公务用车运行维护费").value == D("7.35") and f.get("三公.公务用车购置费").value == 0
    g = compute(yiyang)
    assert (g.get("其他.外宾接待批次").value, g.get("其他.外宾接待费").value) == (0, 0)  # stated as zero, not missing


def test_procurement_total_is_computed_from_its_kinds_when_blank(demo):
    f = compute(demo)
    total = f.get("其他.政府采购支出总额")
    assert total.value == D("499.15")  # 86.40 + 0.00 + 412.75
    assert total.sources == ("其他事项!B15", "其他事项!B16", "其他事项!B17")
    # shares of the total: 356.20 / 499.15 = 71.361...%, 198.64 / 499.15 = 39.795...%
    assert f"{f.get('政府采购.中小企业占比').value:.2f}" == "71.36"
    assert f"{f.get('政府采购.小微企业占比').value:.2f}" == "39.80"
    assert f"{f.get('政府采购.货物占比').value:.2f}" == "17.31"  # 86.40 / 499.15
    assert f.get("其他.中小企业预留项目中小企业中标金额").value == D("285.40")
    assert f.get("其他.小微企业预留项目小微企业中标金额").value == D("168.20")
    assert f.get("其他.其他采购项目中小企业中标金额").value == D("70.80")  # 356.20 − 285.40 (授予中小企业 = 预留 + 其他)


def test_a_typed_procurement_total_that_differs_is_a_finding(tmp_path):
    def typed(wb):
        ws = wb[keys.SHEET_OTHER]
        find = find_cell(ws, "政府采购支出总额", "数值")
        ws[find.coordinate] = 500  # Σ of the kinds is 499.15

    m = read_workbook(edited_copy(DEMO, tmp_path / "p.xlsx", typed))
    (finding,) = [f for f in run_checks(m) if f.rule == "政府采购"]
    assert finding.level == "error" and finding.cells[0] == "其他事项!B14"
    assert finding.expected == D("499.15") and finding.found == D("500")
    assert compute(m).get("其他.政府采购支出总额").value == D("500")  # the typed total is what the text quotes


def test_vehicle_categories_follow_the_era(demo, yongzhou):
    f = compute(demo)
    assert [x.name.removeprefix("其他.") for x in f.vehicle_items] == keys.VEHICLE_KINDS  # all eight, zeros included
    assert [x.value for x in f.vehicle_items] == [0, 0, 1, 1, 0, 0, 0, 1]
    assert f.get("其他.单价100万元（含）以上设备（不含车辆）").value == 1
    g = compute(yongzhou)
    assert [x.name.removeprefix("其他.") for x in g.vehicle_items] == keys.VEHICLE_KINDS_2018
    assert [x.value for x in g.vehicle_items] == [0, 1, 0, 0, 0]  # "一般公务用车1辆"
    assert (g.get("其他.单价50万元以上通用设备").value, g.get("其他.单价100万元以上专用设备").value) == (1, 0)
    assert [f for f in run_checks(yongzhou) if f.rule == "车辆"] == []  # 车辆总数 1 = Σ of the 2018 kinds


def test_a_zero_2018_category_does_not_switch_the_list():
    assert keys.vehicle_kinds({"一般公务用车": 0, "机要通信用车": 1}) == keys.VEHICLE_KINDS
    assert keys.vehicle_kinds({"一般公务用车": 0}) == keys.VEHICLE_KINDS_2018
    assert keys.vehicle_kinds({"一般执法执勤用车": 2, "机要通信用车": 0}) == keys.VEHICLE_KINDS_2018


# ---- item 3: 政府性基金 per 项 like 一般公共预算; item 12: the 年初预算 total -----------------------------


def test_fund_items_have_budget_completion_purpose_and_reason(demo):
    f = compute(demo)
    (item,) = f.fund_items
    assert item.code == "2121399" and item.amount.value == D("160")
    assert item.completion.budget.value == D("150")
    # 160.00 / 150.00 = 106.666...%; over budget
    assert f"{item.completion.rate.value:.2f}" == "106.67" and item.completion.relation == "over"
    assert item.purpose == "主要用于智慧城市感知设施建设"
    assert item.reason == "主要原因是使用上年结转资金10.00万元支付感知设施尾款。"  # normalised where it enters the text
    assert f.get("政府性基金.本年支出.年初预算").value == D("150")
    # the fund row never counts as 一般公共预算
    assert "2121399" not in {s.code for s in f.items_by_subject}


def test_budget_total_typed_is_used_and_otherwise_the_sum_of_printed_items(demo, tmp_path):
    f = compute(demo)
    # typed 合计 2,812.72 (= Σ of the twelve 项)
    assert f.get("一般公共预算财政拨款支出.年初预算").value == D("2812.72")
    assert f.get("一般公共预算财政拨款支出.年初预算").sources == ("预算数!C15",)

    def untyped(wb):
        ws = wb[keys.SHEET_BUDGET]
        for row in ws.iter_rows(min_row=2):
            if row[0].value == "合计":
                for c in row:
                    c.value = None

    g = compute(read_workbook(edited_copy(DEMO, tmp_path / "u.xlsx", untyped)))
    total = g.get("一般公共预算财政拨款支出.年初预算")
    assert total.value == D("2812.72") and len(total.sources) == 12


def test_a_typed_budget_total_that_differs_is_a_finding(tmp_path):
    def wrong(wb):
        ws = wb[keys.SHEET_BUDGET]
        for row in ws.iter_rows(min_row=2):
            if row[0].value == "合计":
                row[2].value = 2800

    m = read_workbook(edited_copy(DEMO, tmp_path / "w.xlsx", wrong))
    (finding,) = [f for f in run_checks(m) if f.rule == "预算数合计"]
    assert finding.level == "error" and finding.cells[0] == "预算数!C15"
    assert finding.expected == D("2812.72") and finding.found == D("2800")  # differs by 12.72


def test_rates_use_the_printed_amounts(tmp_path):
    # 年初预算 100.004 prints as 100.00 and 决算 100.00: the rate must read 100.00%, 持平
    def tiny(wb):
        ws = wb[keys.SHEET_BUDGET]
        for row in ws.iter_rows(min_row=2):
            if row[0].value == "2010302":
                row[2].value = 842.304  # 决算 842.30

    m = read_workbook(edited_copy(DEMO, tmp_path / "t.xlsx", tiny))
    comp = compute(m).completions["项.2010302"]
    assert comp.relation == "equal" and comp.rate.value == D(100)  # 842.30 / 842.30
    assert compute(m).get("项.2010302.预决算差额").value == 0


# ---- item 8: every non-zero 经济分类 item of 公开06 in table order -------------------------------------


def test_economic_items_are_all_nonzero_items_in_table_order(demo):
    f = compute(demo)
    codes = [x.name.removeprefix("经济分类.") for x in f.economic_items]
    expected = [r.code for r in demo.gpb_basic.rows if len(r.code) == 5 and r.value("决算数") != 0]
    assert codes == expected and len(codes) == 33  # the demo's 33 non-zero items, no top-N cut
    assert codes[:3] == ["30101", "30102", "30103"]
    personnel = [x for x in f.economic_items if x.name[5:8] in ("301", "303")]
    assert f.personnel_items_in_order == personnel and f.public_items_in_order == [x for x in f.economic_items if x not in personnel]


# ---- init: blank and --prior carry the new rows -------------------------------------------------------


def test_init_prior_carries_members_system_and_fund_budget_rows(tmp_path, demo, yongzhou):
    wb = openpyxl.load_workbook(write_blank(tmp_path / "next.xlsx", prior=yongzhou))
    ws = wb[keys.SHEET_UNIT]
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "序号")
    assert [ws.cell(header + i, 2).value for i in (1, 2, 3, 4)] == [m.name for m in yongzhou.unit.members]
    wb = openpyxl.load_workbook(write_blank(tmp_path / "next2.xlsx", prior=demo))
    assert wb[keys.SHEET_PERFORMANCE]["B3"].value == demo.performance_system().text
    fund = [r for r in wb[keys.SHEET_BUDGET].iter_rows(min_row=2, values_only=True) if r[6] == "政府性基金"]
    assert [(r[0], r[1]) for r in fund] == [("2121399", "其他城市基础设施配套费安排的支出")]


def test_state_capital_items_are_explained_like_general_budget_items(demo):
    # the samples have no 国有资本经营 spending; add one 项 to a copy of the demo's model
    from generator.model import BudgetRow, Row

    m = demo.model_copy(deep=True)
    cols = m.state_capital.columns
    values = {c: D(0) for c in cols} | {"本年支出": D("40.00")}
    m.state_capital.rows = [
        Row(key="223", code="223", name="国有资本经营预算支出", values=values),
        Row(key="22301", code="22301", name="解决历史遗留问题及改革成本支出", values=values),
        Row(key="2230105", code="2230105", name="国有企业退休人员社会化管理补助支出", values=values, cells={"本年支出": "D9"}),
    ]
    m.state_capital.total = Row(key="合计", values=values, cells={"本年支出": "D7"})
    m.budget.append(
        BudgetRow(
            code="2230105", source=keys.FUND_CAPITAL, initial=D("50.00"), purpose="退休人员社会化管理", reason="因部分补助下年拨付。", cells={"initial": "C20"}
        )
    )
    f = compute(m)
    (item,) = f.capital_items
    assert item.path == "国有资本经营预算支出（类）解决历史遗留问题及改革成本支出（款）国有企业退休人员社会化管理补助支出（项）"
    # 40.00 / 50.00 = 80.00%; under budget
    assert item.completion.rate.value == D(80) and item.completion.relation == "under"
    assert f.get("国有资本经营.项.2230105.年初预算").sources == ("预算数!C20",)
    assert f.get("国有资本经营.本年支出.年初预算").value == D("50.00")
    assert f.completions["国有资本经营.本年支出"].rate.value == D(80)
