"""checks/claims.py: what the workbook's texts and typed figures claim against its own tables.

Each rule test copies a committed sample, changes one cell (found by row label and column
header, as an officer would), reads it with the real reader and asserts the finding's rule,
level, sheet, cells, expected and found. Expected values are worked out by hand from the
sample's cells (comments). The last tests list what the three committed samples give.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
from helpers import DEMO, YIYANG, YONGZHOU, _loaded, edited_copy, find_cell, ref, set_value, sheet_named

from generator.checks import Finding, run_checks
from generator.intake import read_workbook

pytestmark = pytest.mark.rules

CLAIM_RULES = {
    "绩效.目标覆盖",
    "绩效.自评覆盖",
    "绩效.单个项目执行数",
    "绩效.项目预算数",
    "绩效.项目执行数",
    "政府采购.中小企业合同",
    "政府采购.小微企业中标",
    "单位性质",
    "年初预算.含结转",
    "原因.收支方向",
    "公开主体.称谓",
    "公开主体.构成",
    "绩效.附件",
}


def at(sheet: str, label: str, header: str):
    return lambda wb: find_cell(sheet_named(wb, sheet) if sheet.startswith("公开") else wb[sheet], label, header)


def check(tmp_path: Path, edits, src: Path = DEMO) -> tuple[list[Finding], list[str]]:
    """Copy ``src``, write each (locator, value), read and check; returns the findings and the edited cells."""
    refs: list[str] = []

    def edit(wb):
        for locate, value in edits:
            cell = locate(wb)
            if isinstance(value, str) or value is None:
                cell.parent[cell.coordinate] = value
            else:
                set_value(cell.parent, cell, value)
            refs.append(ref(cell))

    path = edited_copy(src, tmp_path / "book.xlsx", edit)
    return run_checks(read_workbook(path)), refs


def of(findings, rule: str) -> list[tuple]:
    return [(f.level, f.sheet, f.cells, f.expected, f.found) for f in findings if f.rule == rule]


# the demo's cells the findings name besides the edited one (located like the edited ones)
def demo_cell(sheet: str, label: str, header: str) -> str:
    return ref(at(sheet, label, header)(_loaded(DEMO)))  # read only: the session's one load of the demo


SPENDING = lambda: demo_cell("公开03表", "合计", "项目支出")  # noqa: E731  公开03 合计·项目支出 1,470.79


# ---- 绩效 --------------------------------------------------------------------------------------


def test_rule_all_projects_have_goals_but_the_amount_is_short(tmp_path):
    narrative = at("绩效", "绩效管理工作情况", "内容")
    found, (cell,) = check(tmp_path, [(narrative, "本单位全面实施预算绩效管理，所有项目支出均设定绩效目标。")])
    # 绩效目标涉及金额 842.30 + 400.00 + 35.60 = 1,277.90 < 项目支出 1,470.79 (公开03 合计)
    goal_amount = demo_cell("绩效", "绩效目标涉及金额", "内容")
    assert of(found, "绩效.目标覆盖") == [("warning", "绩效", [cell, goal_amount, SPENDING()], D("1470.79"), D("1277.90"))]
    assert of(found, "绩效.自评覆盖") == []  # the text claims nothing about 自评
    message = next(f.message for f in found if f.rule == "绩效.目标覆盖")
    assert "“所有项目支出均设定绩效目标”" in message and "1,277.90" in message and "1,470.79" in message
    assert f"但绩效目标涉及金额 1,277.90（{goal_amount}）小于本单位项目支出 1,470.79（{SPENDING()}）" in message  # the summary row, named
    assert message.endswith("涉及金额通常不会少于项目支出（用上年结转资金安排的支出除外）；请核对涉及金额，或改写文字（不说“所有”“全部”）。")


def test_rule_all_projects_evaluated_but_the_amount_is_short(tmp_path):
    narrative = at("绩效", "绩效管理工作情况", "内容")
    found, (cell,) = check(tmp_path, [(narrative, "年末组织全部项目开展绩效自评。")])
    # 绩效自评涉及金额 1,277.90 < 1,470.79
    assert of(found, "绩效.自评覆盖") == [("warning", "绩效", [cell, demo_cell("绩效", "绩效自评涉及金额", "内容"), SPENDING()], D("1470.79"), D("1277.90"))]


def test_rule_evaluation_claim_without_a_summary_counts_its_one_project(tmp_path):
    """永州 has no 绩效自评涉及金额: the claim is weighed against its one listed project's 全年预算数."""
    narrative = at("绩效", "绩效管理工作情况", "内容")
    found, (cell,) = check(tmp_path, [(narrative, "本部门所有项目均开展绩效自评。")], src=YONGZHOU)
    # 政务服务和电子政务专项资金 全年预算数 768.00 (绩效!C22) < 项目支出 2,213.54 (公开03 合计 E7)
    assert of(found, "绩效.自评覆盖") == [("warning", "绩效", [cell, "绩效!C22", "公开03表!E7"], D("2213.54"), D("768.00"))]
    message = next(f.message for f in found if f.rule == "绩效.自评覆盖")
    assert "但政务服务和电子政务专项资金 全年预算数 768.00（绩效!C22）小于本单位项目支出 2,213.54（公开03表!E7）" in message


def test_rule_evaluation_claim_without_a_summary_counts_the_project_list(tmp_path):
    """With 绩效自评涉及金额 left blank, the claim is weighed against the sum of the listed projects' 全年预算数."""
    narrative = at("绩效", "绩效管理工作情况", "内容")
    found, (cell, _) = check(tmp_path, [(narrative, "年末组织全部项目开展绩效自评。"), (at("绩效", "绩效自评涉及金额", "内容"), None)])
    # 842.30 + 400.00 + 35.60 = 1,277.90 (绩效 C23:C25) < 项目支出 1,470.79
    assert of(found, "绩效.自评覆盖") == [("warning", "绩效", [cell, "绩效!C23", "绩效!C24", "绩效!C25", SPENDING()], D("1470.79"), D("1277.90"))]
    message = next(f.message for f in found if f.rule == "绩效.自评覆盖")
    assert "但项目清单的全年预算数合计 1,277.90（绩效!C23、绩效!C24、绩效!C25）小于本单位项目支出 1,470.79" in message


def test_rule_goal_claim_in_the_system_text(tmp_path):
    """The claim may stand in 绩效管理制度 (the second text) while 绩效管理工作情况 says nothing of it."""
    system = at("绩效", "绩效管理制度", "内容")
    found, (cell,) = check(tmp_path, [(system, "《项目支出绩效目标管理办法》，所有项目支出均设定绩效目标")])
    # 绩效目标涉及金额 1,277.90 < 项目支出 1,470.79, as in the narrative's case
    assert of(found, "绩效.目标覆盖") == [("warning", "绩效", [cell, demo_cell("绩效", "绩效目标涉及金额", "内容"), SPENDING()], D("1470.79"), D("1277.90"))]
    assert "（绩效管理制度）写“所有项目支出均设定绩效目标”" in next(f.message for f in found if f.rule == "绩效.目标覆盖")


def test_rule_goal_claim_weighed_against_a_small_project_spending(tmp_path):
    """Any positive 项目支出 is weighed, however small (a unit in 万元 with 1.00 of 项目支出)."""
    narrative = at("绩效", "绩效管理工作情况", "内容")
    found, (cell, amount, spending) = check(
        tmp_path,
        [(narrative, "所有项目支出均设定绩效目标。"), (at("绩效", "绩效目标涉及金额", "内容"), D("0.50")), (at("公开03表", "合计", "项目支出"), D("1.00"))],
    )
    # 绩效目标涉及金额 0.50 < 项目支出 1.00
    assert of(found, "绩效.目标覆盖") == [("warning", "绩效", [cell, amount, spending], D("1.00"), D("0.50"))]


def test_rule_goal_claim_with_the_amount_covering_the_spending_is_fine(tmp_path):
    narrative = at("绩效", "绩效管理工作情况", "内容")
    found, _ = check(tmp_path, [(narrative, "所有项目支出均设定绩效目标。"), (at("绩效", "绩效目标涉及金额", "内容"), D("1470.79"))])
    assert of(found, "绩效.目标覆盖") == []  # equal to 项目支出: nothing to say


def test_rule_one_project_above_all_project_spending(tmp_path):
    actual = at("绩效", "“一网通办”系统升级", "全年执行数")
    found, (cell,) = check(tmp_path, [(actual, D("1500.00"))])
    # 1,500.00 > 项目支出 1,470.79: one project alone is more than the unit's whole 项目支出
    assert of(found, "绩效.单个项目执行数") == [("warning", "绩效", [cell, SPENDING()], D("1470.79"), D("1500.00"))]
    message = next(f.message for f in found if f.rule == "绩效.单个项目执行数")
    assert f"项目““一网通办”系统升级”的全年执行数 1,500.00（{cell}）大于本单位全部项目支出 1,470.79（{SPENDING()}）" in message


def test_rule_two_projects_above_a_small_project_spending(tmp_path):
    """Two projects with 执行数 are enough, and any positive 项目支出 is weighed (1.00 here)."""
    edits = [(at("绩效", "数据要素创新应用试点", "全年执行数"), None), (at("公开03表", "合计", "项目支出"), D("1.00"))]
    found, (_, spending) = check(tmp_path, edits)
    # 842.30 (绩效 D23) and 356.18 (D24) each > 1.00; the third project has no 执行数 now
    assert of(found, "绩效.单个项目执行数") == [
        ("warning", "绩效", ["绩效!D23", spending], D("1.00"), D("842.30")),
        ("warning", "绩效", ["绩效!D24", spending], D("1.00"), D("356.18")),
    ]


def test_rule_the_only_project_above_all_project_spending_is_left_to_the_sum_check(tmp_path):
    """永州 lists one project: its 执行数 above 项目支出 is the 绩效 sum check's finding, not this rule's."""
    found, _ = check(tmp_path, [(at("绩效", "政务服务和电子政务专项资金", "全年执行数"), D("2300.00"))], src=YONGZHOU)
    assert of(found, "绩效.单个项目执行数") == []  # 2,300.00 > 项目支出 2,213.54, but one project only


def test_rule_one_project_equal_to_all_project_spending_is_fine(tmp_path):
    found, _ = check(tmp_path, [(at("绩效", "“一网通办”系统升级", "全年执行数"), D("1470.79"))])
    assert of(found, "绩效.单个项目执行数") == []


def test_rule_project_budget_differs_from_the_adjusted_budget(tmp_path):
    budget = at("绩效", "“一网通办”系统升级", "全年预算数")
    found, (cell,) = check(tmp_path, [(budget, D("410.00"))])
    # 执行数 356.18 = 公开05 2010399 决算 356.18 (the only 项 with that amount): the same money, whose
    # 调整预算数 is 400.00 (预算数 D4) — the project now says 410.00
    adjusted = demo_cell("预算数", "2010399", "调整预算数")
    item = demo_cell("公开05表", "2010399", "小计")
    assert of(found, "绩效.项目预算数") == [("warning", "绩效", [cell, adjusted, item], D("400.00"), D("410.00"))]
    message = next(f.message for f in found if f.rule == "绩效.项目预算数")
    assert f"项目““一网通办”系统升级”的全年预算数 410.00（{cell}）与" in message and f"而该项目的全年执行数 356.18 正是 2010399 的决算数（{item}）" in message
    assert f"与“预算数”中 2010399 的调整预算数 400.00（{adjusted}）不同" in next(f.message for f in found if f.rule == "绩效.项目预算数")


def test_rule_project_spent_exactly_a_government_fund_item(tmp_path):
    """A project whose 执行数 is a 政府性基金 项's 本年支出 (公开08) is that 项's money: its budget is the 预算数 row of
    that 项 whose 资金来源 is 政府性基金. The 款 and 类 above it carry the same 160.00 but are not 项."""
    project = "数据要素创新应用试点"
    found, (cell,) = check(tmp_path, [(at("绩效", project, "全年执行数"), D("160.00"))])
    # 执行数 160.00 = 公开08 2121399 本年支出 160.00 (also 212 and 21213, which are 类/款): 2121399's 年初预算数
    # is 150.00 with no 调整预算数 (预算数 C14, 资金来源 政府性基金), the project says 35.60
    budget, initial = demo_cell("绩效", project, "全年预算数"), demo_cell("预算数", "2121399", "年初预算数")
    item = demo_cell("公开08表", "2121399", "小计")
    assert of(found, "绩效.项目预算数") == [("warning", "绩效", [budget, initial, item], D("150.00"), D("35.60"))]
    assert cell == "绩效!D25"


def test_rule_project_spent_exactly_a_state_capital_item():
    """The same for a 国有资本经营 项 (公开09 本年支出), on a model edited in memory: the sample's 公开09 is empty."""
    from generator.model import BudgetRow, Row

    m = read_workbook(DEMO)
    m.state_capital.rows.append(Row(key="2230199", code="2230199", name="其他国有资本经营预算支出", values={"本年支出": D("25.00")}, cells={"本年支出": "E10"}))
    m.budget.append(BudgetRow(code="2230199", source="国有资本经营", name="其他国有资本经营预算支出", initial=D("30.00"), cells={"initial": "C20"}))
    m.performance.projects[2].actual = D("25.00")  # 数据要素创新应用试点, 全年预算数 35.60 (绩效 C25)
    # 执行数 25.00 = 公开09 2230199 本年支出 25.00, whose 年初预算数 is 30.00 (no 调整预算数): the project says 35.60
    assert of(run_checks(m), "绩效.项目预算数") == [("warning", "绩效", ["绩效!C25", "预算数!C20", "公开09表!E10"], D("30.00"), D("35.60"))]


def test_rule_project_budgets_checked_after_a_project_without_a_budget_row(tmp_path):
    """A project whose 科目 has no 年初预算数 typed is passed over; the next projects are still checked."""
    edits = [(at("预算数", "2010302", "年初预算数"), None), (at("绩效", "“一网通办”系统升级", "全年预算数"), D("410.00"))]
    found, (_, cell) = check(tmp_path, edits)
    # 政务数据共享平台运维 (2010302) first: no 年初预算数, skipped; “一网通办” 410.00 ≠ 2010399 调整预算数 400.00
    assert [f.cells[0] for f in found if f.rule == "绩效.项目预算数"] == [cell]


def test_rule_project_executed_more_than_a_state_capital_item():
    """A project whose 全年预算数 is a 国有资本经营 row's budget cannot spend more than that 项's 公开09 本年支出."""
    from generator.model import BudgetRow, Row

    m = read_workbook(DEMO)
    m.state_capital.rows.append(Row(key="2230199", code="2230199", name="其他国有资本经营预算支出", values={"本年支出": D("25.00")}, cells={"本年支出": "E10"}))
    m.budget.append(BudgetRow(code="2230199", source="国有资本经营", name="其他国有资本经营预算支出", initial=D("30.00"), cells={"initial": "C20"}))
    project = m.performance.projects[2]  # 数据要素创新应用试点 (绩效 row 25)
    project.budget, project.actual = D("30.00"), D("40.00")
    # 全年预算数 30.00 = 预算数 2230199 年初预算数 30.00 (the only row with it): 执行数 40.00 > 公开09 2230199 本年支出 25.00
    assert of(run_checks(m), "绩效.项目执行数") == [("warning", "绩效", ["绩效!D25", "公开09表!E10", "预算数!C20"], D("25.00"), D("40.00"))]


def test_rule_project_amount_shared_by_two_items_names_none(tmp_path):
    """Two 项 with the project's 执行数 356.18 (公开05 2010505 typed so): no single 科目, no finding."""
    found, _ = check(tmp_path, [(at("绩效", "“一网通办”系统升级", "全年预算数"), D("410.00")), (at("公开05表", "2010505", "小计"), D("356.18"))])
    assert of(found, "绩效.项目预算数") == []


def test_rule_project_budget_without_adjustment_is_the_initial_budget(tmp_path):
    """The reviewer's case: 全年预算数 400.00 next to 年初预算 420.00 with no 调整预算数 typed."""
    adjusted = at("预算数", "2010399", "调整预算数")
    found, _ = check(tmp_path, [(adjusted, None)])
    budget, initial = demo_cell("绩效", "“一网通办”系统升级", "全年预算数"), demo_cell("预算数", "2010399", "年初预算数")
    assert of(found, "绩效.项目预算数") == [("warning", "绩效", [budget, initial, demo_cell("公开05表", "2010399", "小计")], D("420.00"), D("400.00"))]
    message = next(f.message for f in found if f.rule == "绩效.项目预算数")
    assert f"与“预算数”中 2010399 的年初预算数（没有填调整预算数） 420.00（{initial}）不同" in message


def test_rule_project_executed_more_than_its_item(tmp_path):
    actual = at("绩效", "政务数据共享平台运维", "全年执行数")
    found, (cell,) = check(tmp_path, [(actual, D("850.00"))])
    # 全年预算数 842.30 = 预算数 2010302 调整预算数 842.30 (no other row has that budget): the same money,
    # whose 决算 (公开05 2010302) is 842.30 — the project now says it spent 850.00
    item, adjusted = demo_cell("公开05表", "2010302", "小计"), demo_cell("预算数", "2010302", "调整预算数")
    assert of(found, "绩效.项目执行数") == [("warning", "绩效", [cell, item, adjusted], D("842.30"), D("850.00"))]
    message = next(f.message for f in found if f.rule == "绩效.项目执行数")
    assert message.startswith(
        f"“绩效”项目“政务数据共享平台运维”的全年执行数 850.00（{cell}）大于 2010302 的决算数 842.30（{item}），"
        f"而该项目的全年预算数 842.30 正是“预算数”中 2010302 的预算数（{adjusted}），应是同一笔钱；"
    )


def test_rule_project_executed_more_than_its_item_budgeted_without_adjustment(tmp_path):
    """A 预算数 row with no 调整预算数 is matched by its 年初预算数; a 款 row typed with the same amount is not a 项."""

    def edit(wb):
        ws = wb["绩效"]
        ws["C25"], ws["D25"] = 70, 80  # 数据要素创新应用试点: 全年预算数 70.00, 执行数 80.00
        wb["预算数"]["A16"], wb["预算数"]["C16"] = "20105", 70  # 款 20105 typed with 70.00 too

    found = run_checks(read_workbook(edited_copy(DEMO, tmp_path / "book.xlsx", edit)))
    # 全年预算数 70.00 = 预算数 2010505 年初预算数 70.00 (C5, no 调整预算数; 20105 is a 款): 执行数 80.00 > 公开05 2010505 64.20 (C14)
    assert of(found, "绩效.项目执行数") == [("warning", "绩效", ["绩效!D25", "公开05表!C14", "预算数!C5"], D("64.20"), D("80.00"))]


def test_rule_project_budget_shared_by_two_items_names_none(tmp_path):
    """Two 预算数 rows with the project's budget: which 科目 is its money is unknown, so no finding."""
    found, _ = check(tmp_path, [(at("绩效", "政务数据共享平台运维", "全年执行数"), D("850.00")), (at("预算数", "2010505", "年初预算数"), D("842.30"))])
    assert of(found, "绩效.项目执行数") == []


def test_rule_project_executed_within_its_item_is_fine(tmp_path):
    found, _ = check(tmp_path, [(at("绩效", "政务数据共享平台运维", "全年执行数"), D("800.00"))])
    assert of(found, "绩效.项目执行数") == []


# ---- 政府采购 ------------------------------------------------------------------------------------


def test_rule_sme_contracts_are_reserved_plus_other(tmp_path):
    other_won = at("其他事项", "其他采购项目中小企业中标金额", "数值")
    found, (cell,) = check(tmp_path, [(other_won, D("56.20"))])
    # 授予中小企业 356.20 ≠ 中小企业预留项目中标 285.40 + 其他项目中标 56.20 = 341.60
    sme, reserved = demo_cell("其他事项", "授予中小企业合同金额", "数值"), demo_cell("其他事项", "中小企业预留项目中小企业中标金额", "数值")
    assert of(found, "政府采购.中小企业合同") == [("warning", "其他事项", [sme, reserved, cell], D("341.60"), D("356.20"))]
    message = next(f.message for f in found if f.rule == "政府采购.中小企业合同")
    assert "= 341.60" in message and "相差 14.60" in message
    assert message.startswith(f"“其他事项”“授予中小企业合同金额” 356.20（{sme}）应等于“中小企业预留项目中小企业中标金额” 285.40（")
    assert message.endswith("要么在其他政府采购项目中；请核对这三个数。")


def test_rule_sme_contracts_without_a_total_are_not_summed(tmp_path):
    found, _ = check(tmp_path, [(at("其他事项", "授予中小企业合同金额", "数值"), None)])
    assert of(found, "政府采购.中小企业合同") == []  # no total typed: nothing to compare 285.40 + 70.80 with


def test_rule_small_firms_won_within_their_contracts(tmp_path):
    won = at("其他事项", "小微企业预留项目小微企业中标金额", "数值")
    found, (cell,) = check(tmp_path, [(won, D("200.00"))])
    # 200.00 > 授予小微企业 198.64 (but ≤ 中小企业预留项目中标 285.40)
    small = demo_cell("其他事项", "授予小微企业合同金额", "数值")
    assert of(found, "政府采购.小微企业中标") == [("warning", "其他事项", [cell, small], D("198.64"), D("200.00"))]
    message = next(f.message for f in found if f.rule == "政府采购.小微企业中标")
    assert message.endswith("大于“授予小微企业合同金额” 198.64（" + small + "）。小微企业在预留项目中中标成交的合同，都是授予小微企业的合同。")


def test_rule_small_firms_won_within_sme_won(tmp_path):
    won = at("其他事项", "小微企业预留项目小微企业中标金额", "数值")
    found, (cell,) = check(tmp_path, [(won, D("290.00"))])
    # 290.00 > 中小企业预留项目中标 285.40 and > 授予小微企业 198.64
    reserved, small = demo_cell("其他事项", "中小企业预留项目中小企业中标金额", "数值"), demo_cell("其他事项", "授予小微企业合同金额", "数值")
    assert of(found, "政府采购.小微企业中标") == [
        ("warning", "其他事项", [cell, reserved], D("285.40"), D("290.00")),
        ("warning", "其他事项", [cell, small], D("198.64"), D("290.00")),
    ]


# ---- 单位性质 --------------------------------------------------------------------------------------


def test_rule_institution_spending_on_administration(tmp_path):
    kind = at("单位信息", "单位性质", "内容")
    found, (cell,) = check(tmp_path, [(kind, "事业单位")])
    # 公开03 2010301 行政运行 1,099.35 and 机关运行经费 273.11 belong to 行政/参公 units
    running = demo_cell("公开03表", "2010301", "本年支出合计")
    costs = demo_cell("其他事项", "机关运行经费", "数值")
    assert of(found, "单位性质") == [("warning", "单位信息", [cell, running, costs], "行政单位或参照公务员法管理事业单位", "事业单位")]
    message = next(f.message for f in found if f.rule == "单位性质")
    assert message.startswith(
        f"“单位信息”工作表B7的单位性质是“事业单位”，但表中 2010301 行政运行有支出 1,099.35（{running}）；“其他事项”填了机关运行经费 273.11（{costs}）。"
    )


def test_rule_institution_whose_composition_says_civil_servant_managed(tmp_path):
    composition = at("单位信息", "决算单位构成", "内容")
    found, (kind_cell, text_cell) = check(tmp_path, [(at("单位信息", "单位性质", "内容"), "事业单位"), (composition, "本单位为参公单位，无下属单位。")])
    message = next(f.message for f in found if f.rule == "单位性质")
    running, costs = demo_cell("公开03表", "2010301", "本年支出合计"), demo_cell("其他事项", "机关运行经费", "数值")
    assert of(found, "单位性质") == [("warning", "单位信息", [kind_cell, running, costs, text_cell], "行政单位或参照公务员法管理事业单位", "事业单位")]
    assert f"；决算单位构成写“参公”（{text_cell}）。" in message


def test_rule_institution_whose_member_name_says_civil_servant_managed(tmp_path):
    """The 决算单位构成表 names the unit "（参公）" while its 备注 says nothing: the name's cell is the evidence."""
    found, (_, name_cell) = check(tmp_path, [(at("单位信息", "单位性质", "内容"), "事业单位"), (lambda wb: wb["单位信息"]["B15"], "示例市数据资源局（参公）")])
    assert of(found, "单位性质")[0][2][-1] == name_cell == "单位信息!B15"
    assert f"决算单位构成表写“参公”（{name_cell}）" in next(f.message for f in found if f.rule == "单位性质")


def test_rule_institution_spending_on_administration_named_with_spaces(tmp_path):
    """A 科目名称 typed with a space inside ("行政 运行") is still 行政运行."""
    found, (cell, _) = check(tmp_path, [(at("单位信息", "单位性质", "内容"), "事业单位"), (at("公开03表", "2010301", "科目名称"), "行政 运行")])
    running = demo_cell("公开03表", "2010301", "本年支出合计")  # 1,099.35, found on 公开03 before 公开05's own 2010301
    costs = demo_cell("其他事项", "机关运行经费", "数值")
    assert of(found, "单位性质") == [("warning", "单位信息", [cell, running, costs], "行政单位或参照公务员法管理事业单位", "事业单位")]


@pytest.mark.parametrize("kind", ["参照公务员法管理事业单位", "行政单位"])
def test_rule_administrative_types_are_fine(tmp_path, kind):
    found, _ = check(tmp_path, [(at("单位信息", "单位性质", "内容"), kind)])
    assert of(found, "单位性质") == []


def test_rule_institution_described_as_civil_servant_managed(tmp_path):
    """单位信息 text saying 参公 while 单位性质 says 公益一类事业单位 (the 2018 seed's contradiction)."""
    staffing = at("单位信息", "人员情况", "内容")
    found, (kind_cell, staffing_cell) = check(
        tmp_path, [(at("单位信息", "单位性质", "内容"), "公益一类事业单位"), (staffing, "核定参照公务员法管理人员编制32名。")]
    )
    running = demo_cell("公开03表", "2010301", "本年支出合计")
    costs = demo_cell("其他事项", "机关运行经费", "数值")
    assert of(found, "单位性质") == [
        ("warning", "单位信息", [kind_cell, running, costs, staffing_cell], "行政单位或参照公务员法管理事业单位", "公益一类事业单位")
    ]


# ---- 年初预算 -----------------------------------------------------------------------------------------


def test_rule_initial_budget_typed_as_income_plus_carry_over(tmp_path):
    total = at("预算数", "合计", "年初预算数")
    found, (cell,) = check(tmp_path, [(total, D("2876.29"))])
    # 公开04 一般公共预算财政拨款收入 2,689.89 + 年初结转和结余（一般公共预算）186.40 = 2,876.29
    m = read_workbook(DEMO)
    f = m.fiscal_summary
    income = f"{f.sheet}!{f.income_line('一般公共预算财政拨款收入').cells['金额']}"
    carry = f"{f.sheet}!{f.totals['年初结转和结余:一般公共预算'].cells['金额']}"
    assert of(found, "年初预算.含结转") == [("warning", "预算数", [cell, income, carry], "≠ 2876.29", D("2876.29"))]


@pytest.mark.parametrize("general_carry", [None, 0], ids=["after-the-general-fund", "general-fund-without-carry-over"])
def test_rule_government_fund_budget_typed_as_income_plus_carry_over(tmp_path, general_carry):
    """政府性基金 has no typed 合计: its 项 (7-digit codes) are added; a 款 row typed as well is not a 项."""

    def edit(wb):
        ws = wb["预算数"]
        ws["C14"] = 170  # 2121399 (资金来源 政府性基金)
        ws["A16"], ws["B16"], ws["C16"], ws["G16"] = "21213", "城市基础设施配套费安排的支出", 170, "政府性基金"
        if general_carry is not None:
            sheet_named(wb, "公开04表")["C36"] = general_carry  # 年初结转和结余（一般公共预算）186.40 → 0

    found = run_checks(read_workbook(edited_copy(DEMO, tmp_path / "book.xlsx", edit)))
    # 2121399 年初预算数 170.00 = 政府性基金预算财政拨款收入 150.00 (公开04 C9) + 年初结转和结余（政府性基金）20.00 (C37)
    assert of(found, "年初预算.含结转") == [("warning", "预算数", ["预算数!C14", "公开04表!C9", "公开04表!C37"], "≠ 170.00", D("170.00"))]
    message = next(f.message for f in found if f.rule == "年初预算.含结转")
    assert message.startswith(
        "“预算数”政府性基金年初预算合计 170.00 正好等于本年政府性基金预算财政拨款收入 150.00（公开04表!C9）+ 年初结转和结余 20.00（公开04表!C37）。年初预算不含"
    )


def test_rule_initial_budget_equal_to_the_income_without_carry_over_is_fine(tmp_path):
    """No 年初结转: a budget equal to the year's income is what it should be, not a slip."""

    def edit(wb):
        sheet_named(wb, "公开04表")["C37"] = 0  # 年初结转和结余（政府性基金）20.00 -> 0
        # 2121399 年初预算数 stays 150.00 = 政府性基金预算财政拨款收入 150.00 + 0

    assert of(run_checks(read_workbook(edited_copy(DEMO, tmp_path / "book.xlsx", edit))), "年初预算.含结转") == []


def test_rule_initial_budget_without_the_carry_over_is_fine(tmp_path):
    """益阳: 2070199 年初预算 993.56 is the 年初结转; typed as the 决算 909.88 the sum is no longer 收入 + 结转."""
    found, _ = check(tmp_path, [(at("预算数", "2070199", "年初预算数"), D("909.88"))], src=YIYANG)
    assert of(found, "年初预算.含结转") == []


# ---- 原因 -------------------------------------------------------------------------------------------


def test_rule_reason_says_both_fell_while_income_rose(tmp_path):
    reason = at("说明", "财政拨款收入变动原因", "内容")
    found, (cell,) = check(tmp_path, [(reason, "新增政府性基金预算财政拨款，因此财政拨款收支较上年减少")])
    # 财政拨款收入 2,839.89 > 上年 2,317.34 and 财政拨款支出 2,984.11 > 上年 2,449.23: both rose
    assert of(found, "原因.收支方向") == [("warning", "说明", [cell], "增加", "减少")]
    message = next(f.message for f in found if f.rule == "原因.收支方向")
    assert "财政拨款收入 2,839.89 比上年 2,317.34 增加了" in message and "财政拨款支出 2,984.11 比上年 2,449.23 增加了" in message


def test_rule_reason_says_all_fell_while_all_rose(tmp_path):
    """Plain "收支" weighs 本年收入合计 and 本年支出合计 (not the 财政拨款 pair); a missing prior year leaves its half out."""
    reason = at("说明", "本年支出变动原因", "内容")
    found, (cell,) = check(tmp_path, [(reason, "项目结束，收支较上年减少")])
    # 本年收入合计 2,852.39 > 上年 2,327.34 and 本年支出合计 2,996.61 > 上年 2,459.23: both rose
    assert of(found, "原因.收支方向") == [("warning", "说明", [cell], "增加", "减少")]
    message = next(f.message for f in found if f.rule == "原因.收支方向")
    assert (
        "（本年支出变动原因）写“收支较上年减少”，“收支”说的是收入和支出两者，但本年收入合计 2,852.39 比上年 2,327.34 增加了，本年支出合计 2,996.61 比上年 2,459.23 增加了；"
        in message
    )
    found, _ = check(tmp_path, [(reason, "项目结束，收支较上年减少"), (at("上年数", "本年收入合计", "上年决算数"), None)])
    assert "但本年支出合计 2,996.61 比上年 2,459.23 增加了；" in next(f.message for f in found if f.rule == "原因.收支方向")


def test_rule_reason_says_both_rose_while_income_fell(tmp_path):
    reason = at("说明", "本年支出变动原因", "内容")
    found, (cell, _) = check(tmp_path, [(reason, "数据平台运维支出增加，收支较上年增加"), (at("上年数", "本年收入合计", "上年决算数"), D("3000.00"))])
    # 本年收入合计 2,852.39 < 上年 3,000.00 (fell); 本年支出合计 2,996.61 > 2,459.23 (rose, as said)
    assert of(found, "原因.收支方向") == [("warning", "说明", [cell], "减少", "增加")]
    assert "但本年收入合计 2,852.39 比上年 3,000.00 减少了；" in next(f.message for f in found if f.rule == "原因.收支方向")


def test_rule_reason_matching_both_directions_is_fine(tmp_path):
    found, _ = check(tmp_path, [(at("说明", "本年支出变动原因", "内容"), "数据平台运维支出增加，收支较上年增加")])
    assert of(found, "原因.收支方向") == []  # 本年收入 2,852.39 > 2,327.34 and 本年支出 2,996.61 > 2,459.23


# ---- 称谓与附件 ---------------------------------------------------------------------------------------


def test_rule_department_word_in_a_unit_document(tmp_path):
    reason = at("说明", "公务接待费预决算差异原因", "内容")
    found, (cell,) = check(tmp_path, [(reason, "本部门严格执行公务接待标准")])
    entity = demo_cell("单位信息", "公开主体", "内容")
    assert of(found, "公开主体.称谓") == [("warning", "说明", [cell, entity], "本单位", "本部门")]


def test_rule_first_person_word_in_any_document(tmp_path):
    reason = at("说明", "公务接待费预决算差异原因", "内容")
    found, (cell,) = check(tmp_path, [(reason, "我局严格执行公务接待标准")])
    entity = demo_cell("单位信息", "公开主体", "内容")
    assert of(found, "公开主体.称谓") == [("warning", "说明", [cell, entity], "本单位", "我局")]


def test_rule_a_unit_listing_other_units_is_a_department(tmp_path):
    def second_member(wb):
        ws = wb["单位信息"]
        ws["A16"], ws["B16"], ws["C16"] = "2", "示例市数据服务中心", "事业单位"

    m = read_workbook(edited_copy(DEMO, tmp_path / "m.xlsx", second_member))
    entity = demo_cell("单位信息", "公开主体", "内容")
    # 2 units listed (本级 + 示例市数据服务中心) while 公开主体 = 单位
    assert of(run_checks(m), "公开主体.构成") == [("warning", "单位信息", [entity, "单位信息!B16"], "部门", "单位")]
    assert of(run_checks(read_workbook(DEMO)), "公开主体.构成") == []  # its 本级 only


def test_rule_attachment_promised_but_none_listed(tmp_path):
    narrative = at("绩效", "绩效管理工作情况", "内容")
    found, (cell,) = check(tmp_path, [(narrative, "本部门2018年度部门整体支出绩效评价报告见附件。")], src=YONGZHOU)
    assert of(found, "绩效.附件") == [("warning", "绩效", [cell], "附件名称清单中至少一项", "无")]
    message = next(f.message for f in found if f.rule == "绩效.附件")
    assert message.startswith("“绩效”工作表B2（绩效管理工作情况）提到“附件”，但“附件名称”清单是空的")


# ---- the three committed samples --------------------------------------------------------------------


def claims_of(path: Path) -> list[tuple]:
    return sorted((f.rule, f.cells[0], f.expected, f.found) for f in run_checks(read_workbook(path)) if f.rule in CLAIM_RULES)


def test_demo_sample_claims_nothing_its_tables_deny():
    """The fictional sample is consistent: its texts make no claim its tables contradict."""
    assert claims_of(DEMO) == []


def test_yiyang_sample_findings():
    t03 = "Z04 支出决算表(公开03表)"
    assert claims_of(YIYANG) == [
        ("公开主体.称谓", "绩效!B2", "本单位", "我中心"),  # "2020年我中心切实加强…" (the seed's own words)
        ("单位性质", "单位信息!B7", "行政单位或参照公务员法管理事业单位", "事业单位"),  # 2010301 行政运行 110.50, 机关运行经费 46.88
        ("年初预算.含结转", "预算数!C11", "≠ 3134.34", D("3134.34")),  # Σ 年初预算 = 2,140.78 + 993.56; 2070199 993.56 = 年初结转
        ("绩效.单个项目执行数", "绩效!D25", D("2510.63"), D("2686.00")),  # 雪亮工程 2,686.00 > 项目支出 2,510.63
        ("绩效.项目执行数", "绩效!D27", D("917.65"), D("918.00")),  # 智慧大脑: budget 918.00 = 2010202's, 决算 917.65
    ]
    unit_type = next(f for f in run_checks(read_workbook(YIYANG)) if f.rule == "单位性质")
    assert unit_type.cells == ["单位信息!B7", f"{t03}!C14", "其他事项!B13"]


def test_yongzhou_sample_findings():
    # the sample states 参公 and writes 本部门, as the seed's own text does
    assert claims_of(YONGZHOU) == []


def test_yongzhou_as_a_plain_public_institution_names_every_piece_of_evidence(tmp_path):
    found, (cell,) = check(tmp_path, [(at("单位信息", "单位性质", "内容"), "事业单位")], src=YONGZHOU)
    (f,) = [f for f in found if f.rule == "单位性质"]
    # 2010301 行政运行 398.43, 机关运行经费 606.56, "参公编制" in 人员情况, 本级 noted 参照公务员法管理事业单位
    assert f.cells == [cell, "公开03表!C10", "其他事项!B13", "单位信息!B11", "单位信息!C15"]
    assert (f.expected, f.found) == ("行政单位或参照公务员法管理事业单位", "事业单位")
