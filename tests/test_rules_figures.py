"""§5 figure rules, each a named test on ``generator.figures`` (computed once, exact Decimals).

Expected values are worked out by hand from the fictional sample's cells (示例单位_2024.xlsx)
or from figures made here; the arithmetic is in the comments.
"""

from __future__ import annotations

import copy
import re
from decimal import Decimal as D

import openpyxl
import pytest
from helpers import DEMO, find_cell, find_label

from generator.figures import Figure, Figures, compute, round_money
from generator.intake import read_workbook
from generator.keys import VEHICLE_KINDS, VEHICLE_KINDS_2018, vehicle_kinds

pytestmark = pytest.mark.rules

# 全年执行数 of the first project of 绩效 (located by its name and column header, wherever the rows sit)
PROJECT1_SPENT = f"绩效!{find_cell(openpyxl.load_workbook(DEMO)['绩效'], '政务数据共享平台运维', '全年执行数').coordinate}"


@pytest.fixture(scope="module")
def demo_model():
    return read_workbook(DEMO)


@pytest.fixture
def demo(demo_model):
    """Figures computed afresh for each test (cheap), so that every test exercises ``compute``."""
    return compute(demo_model)


@pytest.mark.parametrize(
    "value, rounded", [("2.665", "2.67"), ("2.675", "2.68"), ("0.005", "0.01"), ("0.004", "0.00"), ("-2.665", "-2.67"), ("100.005", "100.01")]
)
def test_rule_round_money_is_half_up(value, rounded):
    # HALF_UP: a 5 in the third decimal always rounds away from zero (HALF_EVEN would give 2.66 for 2.665)
    assert round_money(D(value)) == D(rounded)


def test_rule_change_amount_is_taken_on_printed_values():
    # 2.665 -> 2.67, 1.004 -> 1.00: the change is 1.67 (not 1.661), its rate 1.67 / 1.00 = 167%
    f = Figures(model=None)
    ch = f.change(f.add(Figure("a", D("2.665"))), f.add(Figure("上年.a", D("1.004"))))
    assert (ch.direction, ch.diff.value, ch.pct.value) == ("up", D("1.67"), D("167"))


def test_rule_prior_printed_zero_is_new_without_rate():
    # 0.004 prints 0.00: the item is new, and there is no rate to divide by
    f = Figures(model=None)
    ch = f.change(f.add(Figure("a", D("5"))), f.add(Figure("上年.a", D("0.004"))))
    assert (ch.direction, ch.diff.value, ch.pct) == ("new", D("5.00"), None)


def test_rule_budget_printed_zero_gives_no_completion_rate():
    # a budget of 0.004 prints 0.00: no completion rate and no 预决算差异率
    f = Figures(model=None)
    comp = f.completion(f.add(Figure("a", D("0"))), f.add(Figure("a.b", D("0.004"))))
    assert (comp.relation, comp.rate, comp.gap) == ("equal", None, None)


def test_rule_a_figure_cannot_be_computed_twice_with_two_values():
    f = Figures(model=None)
    f.add(Figure("人员经费", D("1252.71")))
    f.add(Figure("人员经费", D("1252.71")))  # the same value again is the same figure
    with pytest.raises(ValueError, match="figure 人员经费 computed twice with different values"):
        f.add(Figure("人员经费", D("1252.72")))
    assert f.get("人员经费").value == D("1252.71")


def test_rule_personnel_items_are_301_and_303(demo):
    # 公开06 nonzero items, largest first: 301xx and 303xx are 人员经费, everything else 公用经费
    assert [x.name.removeprefix("经济分类.") for x in demo.personnel_items] == [
        "30101",
        "30102",
        "30107",
        "30108",
        "30113",
        "30109",
        "30110",
        "30302",
        "30103",
        "30111",
        "30199",
        "30112",
        "30305",
        "30309",
    ]  # 310.20 285.64 168.90 132.84 99.63 66.42 58.17 48.36 42.30 21.05 12.48 3.12 2.40 1.20
    assert [x.name.removeprefix("经济分类.") for x in demo.public_items] == [
        "30209",
        "30201",
        "30239",
        "30206",
        "30211",
        "30228",
        "31002",
        "30229",
        "30216",
        "30207",
        "30299",
        "30213",
        "30231",
        "31007",
        "30202",
        "30226",
        "30215",
        "30205",
        "30217",
    ]  # 56.30 38.50 27.60 24.80 18.74 14.06 12.30 10.20 9.85 9.65 8.15 7.92 6.88 6.50 6.20 5.40 4.60 3.10 2.36 (Σ 273.11)


def test_rule_budgeted_but_unspent_item_is_kept(tmp_path):
    # a 项 with 年初预算 30 that 公开05 does not list: kept with 决算 0, and its budget counts in the total
    # (2812.72 + 30 = 2842.72). The typed 合计 is blanked, so the total is the sum of the printed items
    # (a typed 合计 is used as typed and checked against the items by ``checks``).
    from helpers import edited_copy, find_label

    def edit(wb):
        ws = wb["预算数"]
        ws.cell(row=find_label(ws, "合计").row, column=3).value = None
        ws.append(["2010350", "事业运行", 30, None, "事业单位运行经费", "人员未到位，未发生支出"])

    f = compute(read_workbook(edited_copy(DEMO, tmp_path / "book.xlsx", edit)))
    item = next(s for s in f.items_by_subject if s.code == "2010350")
    assert (item.amount.value, item.completion.budget.value, item.completion.relation, item.reason) == (D(0), D(30), "under", "人员未到位，未发生支出")
    assert [s.code for s in f.items_by_subject][:4] == ["2010301", "2010302", "2010350", "2010399"]
    assert f.get("一般公共预算财政拨款支出.年初预算").value == D("2842.72")


# ---- every printed figure is traceable (§5): source cells or the formula ----------------------


@pytest.mark.parametrize(
    "name, value, unit, sources, formula",
    [
        ("本年收入合计", "2852.39", "万元", ("公开01表!C33",), ""),
        ("收入.其他收入", "12.50", "万元", ("公开01表!C14",), ""),
        ("上年.收支总计", "2665.63", "万元", ("上年数!B2",), ""),
        ("其他.机关运行经费", "273.11", "万元", ("其他事项!B13",), ""),
        ("项.2010302.年初预算", "800", "万元", ("预算数!C3",), ""),
        ("绩效项目1.执行数", "842.30", "万元", (PROJECT1_SPENT,), ""),
        # 3058.79 − 2665.63 = 393.16, on the printed amounts
        ("收支总计.增减额", "393.16", "万元", (), "|收入总计 − 上年.收支总计|（按两位小数）"),
        # 842.30 − 800 = 42.30, on the printed amounts (i12: budget gaps and rates on printed amounts)
        ("项.2010302.预决算差额", "42.30", "万元", (), "|项.2010302 − 项.2010302.年初预算|（按两位小数）"),
    ],
)
def test_rule_figure_names_its_source_or_formula(demo, name, value, unit, sources, formula):
    fig = demo.get(name)
    assert (fig.value, fig.unit, fig.sources, fig.formula) == (D(value), unit, sources, formula)


@pytest.mark.parametrize(
    "name, exact, formula",
    [
        # 12.50 / 2852.39 × 100
        ("收入.其他收入.占本年收入合计", D("12.50") / D("2852.39") * 100, "收入.其他收入 / 本年收入合计 × 100%"),
        # 393.16 / 2665.63 × 100
        ("收支总计.增减率", D("393.16") / D("2665.63") * 100, "|收入总计 − 上年.收支总计| / 上年.收支总计 × 100%"),
        # 842.30 / 800.00 × 100 = 105.2875; (842.30 − 800.00) / 800.00 × 100 = 5.2875 — computed from the
        # printed (two-decimal) amounts since i12, which the formula now says with "（按两位小数）"
        ("项.2010302.完成率", D("105.2875"), "项.2010302 / 项.2010302.年初预算 × 100%（按两位小数）"),
        ("项.2010302.预决算差异率", D("5.2875"), "(项.2010302 − 项.2010302.年初预算) / 项.2010302.年初预算 × 100%（按两位小数）"),
        # 2.36 / 9.71 × 100
        ("三公.公务接待费.占三公经费", D("2.36") / D("9.71") * 100, "三公.公务接待费 / 三公.三公经费合计 × 100%"),
    ],
)
def test_rule_rates_are_exact_ratios_with_their_formula(demo, name, exact, formula):
    fig = demo.get(name)
    assert (fig.value, fig.unit, fig.sources, fig.formula) == (exact, "%", (), formula)


def test_rule_budget_total_typed_is_used(demo):
    # i12: the sample types the 一般公共预算 合计 (2812.72) in 预算数; a typed total is used as it stands
    # (``checks`` compares it with the items), its source the 合计 cell
    ws = openpyxl.load_workbook(DEMO, read_only=False)["预算数"]
    fig = demo.get("一般公共预算财政拨款支出.年初预算")
    assert (fig.value, fig.sources, fig.formula) == (D("2812.72"), (f"预算数!C{find_label(ws, '合计').row}",), "预算数表填写的合计")


def test_rule_budget_total_lists_every_budget_cell(tmp_path):
    # 合计 left blank: 1099.35 + 800 + 420 + 70 + 0 + 48.36 + 130 + 65 + 60 + 22 + 98 + 0.01 = 2812.72, the sum of the
    # 一般公共预算 items as printed (i12: budgets per 资金来源 — the 政府性基金 row 2121399, 150, is not in it)
    from helpers import edited_copy

    def edit(wb):
        ws = wb["预算数"]
        ws.cell(row=find_label(ws, "合计").row, column=3).value = None

    f = compute(read_workbook(edited_copy(DEMO, tmp_path / "book.xlsx", edit)))
    ws = openpyxl.load_workbook(DEMO)["预算数"]
    rows = [
        find_label(ws, code).row
        for code in ("2010301", "2010302", "2010399", "2010505", "2019999", "2080501", "2080505", "2080506", "2101101", "2101103", "2210201", "2240199")
    ]
    fig = f.get("一般公共预算财政拨款支出.年初预算")
    assert (fig.value, fig.sources, fig.formula) == (D("2812.72"), tuple(f"预算数!C{r}" for r in rows), "预算数表各项级科目年初预算之和（按两位小数）")


def test_rule_absent_row_and_blank_entry_are_named():
    f = Figures(model=None)
    assert f.cell("收入.经营收入", None, "金额", "公开01表") == Figure("收入.经营收入", D(0), "万元", (), "表中无此行，按 0 计")
    assert f.entry("其他.会议费", None, "其他事项") == Figure("其他.会议费", None, "万元", (), "工作簿未填写")


def test_rule_subject_paths_name_class_kuan_xiang(demo):
    assert [(s.code, s.path) for s in demo.items_by_subject[:2]] == [
        ("2010301", "一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）"),
        ("2010302", "一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）一般行政管理事务（项）"),
    ]
    assert [(c.code, c.path, c.amount.value) for c in demo.classes] == [
        ("201", "一般公共服务支出", D("2397.63")),
        ("208", "社会保障和就业支出", D("247.62")),
        ("210", "卫生健康支出", D("79.22")),
        ("221", "住房保障支出", D("99.63")),
        ("224", "灾害防治及应急管理支出", D("0.01")),
    ]
    assert [s.path for s in demo.fund_items] == ["城乡社区支出（类）城市基础设施配套费安排的支出（款）其他城市基础设施配套费安排的支出（项）"]


def test_rule_subject_path_uses_the_years_class_name():
    from generator.figures import subject_path

    assert subject_path("210", {}, 2018) == "医疗卫生与计划生育支出（类）"
    assert subject_path("210", {}, 2019) == "卫生健康支出（类）"
    # without table rows the 款/项 print their codes, unless the 项 is named
    assert subject_path("2101101", {}, 2024) == "卫生健康支出（类）21011（款）2101101（项）"
    assert subject_path("2101101", {}, 2024, " 行政单位医疗 ") == "卫生健康支出（类）21011（款）行政单位医疗（项）"


# ---- the whole registry of the complete sample: provenance, units, what is compared -----------

_REF = re.compile(r"^([^!]+)!([A-Z]{1,3}[1-9][0-9]*)$")
_COUNT_UNITS = {
    "因公出国（境）团组数": "个",
    "因公出国（境）人次": "人次",
    "公务用车购置数": "辆",
    "公务用车保有量": "辆",
    "公务接待批次": "批次",
    "公务接待人次": "人次",
    "外宾接待批次": "批次",
    "外宾接待人次": "人次",
}


def expected_unit(name: str) -> str:
    """§5: money in 万元, shares and rates in %, counts in their own unit."""
    if name.endswith(("率", "占比", "占三公经费")) or ".占" in name:
        return "%"
    key = name.removeprefix("其他.")
    if key in _COUNT_UNITS:
        return _COUNT_UNITS[key]
    if name.startswith("其他.单价"):  # 设备 counts, even "（不含车辆）"
        return "台（套）"
    if name.startswith("其他.") and ("车" in key and "费" not in key):
        return "辆"
    if name.startswith("其他.单价"):
        return "台（套）"
    if name.endswith(".得分"):
        return "分"
    return "万元"


def test_rule_every_figure_of_a_complete_workbook_is_sourced(demo):
    # the sample fills every sheet: no figure may be missing, and each names real cells or a formula
    sheets = set(openpyxl.load_workbook(DEMO, read_only=True).sheetnames)
    # the vehicle kinds of the other era (2018: 一般公务用车, 一般执法执勤用车) are registered for every
    # format but are not rows of a 2024 workbook: the only figures allowed to be unfilled
    other_era = {f"其他.{k}" for k in VEHICLE_KINDS + VEHICLE_KINDS_2018 if k not in vehicle_kinds(demo.model.other)}
    assert other_era == {"其他.一般公务用车", "其他.一般执法执勤用车"}
    for fig in demo.items.values():
        if fig.name in other_era:
            assert fig.formula == "工作簿未填写" and fig not in demo.vehicle_items, fig.name
            continue
        assert fig.sources or fig.formula, fig.name
        assert fig.formula != "工作簿未填写", fig.name
        assert not fig.formula.startswith("表中无"), fig.name  # every row the figures read is in the sample's tables
        for ref in fig.sources:
            m = _REF.match(ref)
            assert m and m.group(1) in sheets, (fig.name, ref)


def test_rule_every_figure_has_its_unit(demo):
    for fig in demo.items.values():
        if not fig.name.startswith("绩效."):
            assert fig.unit == expected_unit(fig.name), fig.name


def test_rule_what_is_compared_with_last_year_and_the_budget(demo):
    assert sorted(demo.changes) == sorted(
        [
            "收支总计",
            "本年收入合计",
            "本年支出合计",
            "财政拨款收支总计",
            "财政拨款收入",
            "财政拨款支出",
            "一般公共预算财政拨款支出",
            "人员经费",
            "公用经费",
            "一般公共预算财政拨款基本支出",
            "机关运行经费",
            "会议费",
            "培训费",
        ]
        + [f"三公.{k}" for k in ("三公经费合计", "因公出国（境）费", "公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费", "公务接待费")]
    )
    # every change of the complete sample has its prior (none is "unknown")
    assert [name for name, ch in demo.changes.items() if ch.direction == "unknown"] == []
    assert sorted(demo.completions) == sorted(
        # i12 item 3: the 政府性基金 spending and its 项 (2121399) have completions too
        ["一般公共预算财政拨款支出", "政府性基金.本年支出", "政府性基金.项.2121399", "绩效项目1", "绩效项目2", "绩效项目3"]
        + [f"三公.{k}" for k in ("三公经费合计", "因公出国（境）费", "公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费", "公务接待费")]
        + [
            f"项.{c}"
            for c in ("2010301", "2010302", "2010399", "2010505", "2019999", "2080501", "2080505", "2080506", "2101101", "2101103", "2210201", "2240199")
        ]
    )


# ---- branches the complete sample does not take, and figures no other rule test reads ---------


def _model_copy(demo_model, edit):
    m = copy.deepcopy(demo_model)
    edit(m)
    return m


def test_rule_spending_parts_follow_the_columns_of_the_expenditure_table(demo, demo_model):
    # 公开03 合计 row: 基本支出 1525.82 + 项目支出 1470.79 (+ three zero columns), each a share of 本年支出合计 2996.61
    assert [(a.name, a.value, s.value) for a, s in demo.spending_parts] == [
        ("支出.基本支出", D("1525.82"), D("1525.82") / D("2996.61") * 100),
        ("支出.项目支出", D("1470.79"), D("1470.79") / D("2996.61") * 100),
        ("支出.上缴上级支出", D("0.00"), D(0)),
        ("支出.经营支出", D("0.00"), D(0)),
        ("支出.对附属单位补助支出", D("0.00"), D(0)),
    ]

    def drop(m):
        m.expenditure.columns = [c for c in m.expenditure.columns if c not in ("上缴上级支出", "经营支出")]

    # a 公开03 without two of the columns (older layouts): only the columns it has are parts
    f = compute(_model_copy(demo_model, drop))
    assert [a.name for a, _ in f.spending_parts] == ["支出.基本支出", "支出.项目支出", "支出.对附属单位补助支出"]


@pytest.mark.parametrize(
    "name, value, source",
    [
        ("财政拨款年初结转和结余", "206.40", "公开04表!C35"),
        ("财政拨款年末结转和结余", "62.18", "公开04表!F35"),
        ("一般公共预算财政拨款基本支出", "1525.82", "公开05表!D7"),
        ("一般公共预算财政拨款项目支出", "1298.29", "公开05表!E7"),
        ("其他.外宾接待费", "0.42", "其他事项!B10"),
        ("三公.公务接待费.预算", "3.00", "公开07表!F8"),
        ("政府性基金.本年支出", "160.00", "公开08表!E7"),
        # 公开08 has its own 本年收入 column; 公开09 has none, so its income is 公开04's line
        ("政府性基金.本年收入", "150.00", "公开08表!D7"),
        ("国有资本经营.本年收入", "0.00", "公开04表!C10"),
        ("政府性基金.项.2121399", "160.00", "公开08表!E10"),
        ("绩效项目1.预算数", "842.30", "绩效!C23"),
        ("绩效项目1.得分", "94", "绩效!B23"),
    ],
)
def test_rule_figure_reads_its_own_cell(demo, name, value, source):
    fig = demo.get(name)
    assert (fig.value, fig.sources, fig.formula) == (D(value), (source,), "")


def test_rule_class_shares_are_of_the_gpb_total(demo):
    # 类 of 公开05 over its 合计 2824.11 (= 2397.63 + 247.62 + 79.22 + 99.63 + 0.01)
    assert [(c.share.name, c.share.value) for c in demo.classes] == [
        (f"类.{code}.占一般公共预算财政拨款支出", D(v) / D("2824.11") * 100)
        for code, v in (("201", "2397.63"), ("208", "247.62"), ("210", "79.22"), ("221", "99.63"), ("224", "0.01"))
    ]


def test_rule_economic_items_keep_table_order(demo):
    # every non-zero 款 of 公开06 in table order; 301/303 are 人员经费, the rest 公用经费 (no top-N cut, no sorting)
    personnel = ["30101", "30102", "30103", "30107", "30108", "30109", "30110", "30111", "30112", "30113", "30199", "30302", "30305", "30309"]
    public = ["30201", "30202", "30205", "30206", "30207", "30209", "30211", "30213", "30215", "30216", "30217", "30226", "30228", "30229", "30231", "30239"]
    public += ["30299", "31002", "31007"]
    names = [x.name.removeprefix("经济分类.") for x in demo.economic_items]
    assert names == personnel[:11] + public[:17] + personnel[11:] + public[17:]
    assert [x.name.removeprefix("经济分类.") for x in demo.personnel_items_in_order] == personnel
    assert [x.name.removeprefix("经济分类.") for x in demo.public_items_in_order] == public


def test_rule_sangong_completions_are_against_the_sangong_budget(demo):
    # 公开07: 决算 9.71 of 预算 11.00 -> 88.27…%; 公务接待费 2.36 of 3.00 -> 78.66…%, gap 0.64
    total = demo.completions["三公.三公经费合计"]
    assert (total.budget.name, total.budget.value, total.rate.value, total.relation) == (
        "三公.三公经费合计.预算",
        D("11.00"),
        D("9.71") / D("11.00") * 100,
        "under",
    )
    reception = demo.completions["三公.公务接待费"]
    assert (reception.rate.value, demo.get("三公.公务接待费.预决算差额").value) == (D("2.36") / D("3.00") * 100, D("0.64"))


def test_rule_gpb_total_completion_is_against_the_typed_budget_total(demo):
    # 2824.11 / 2812.72 × 100 (the typed 合计 of 预算数)
    comp = demo.completions["一般公共预算财政拨款支出"]
    assert (comp.budget.value, comp.rate.value, comp.relation) == (D("2812.72"), D("2824.11") / D("2812.72") * 100, "over")


def test_rule_performance_project_completion_and_blank_cells(demo, demo_model):
    # 绩效 project 1: 执行 842.30 of 预算 842.30 -> 100%, "equal"
    comp = demo.completions["绩效项目1"]
    assert (comp.budget.value, comp.rate.value, comp.relation) == (D("842.30"), D(100), "equal")
    # the summary block's figures keep the sheet's own unit: none
    assert demo.get("绩效.绩效目标项目数").unit == ""

    def blank(m):
        p = m.performance.projects[0]
        p.actual = p.budget = p.score = None

    # a project with blank amounts and score: no source cells, and no completion to state
    f = compute(_model_copy(demo_model, blank))
    assert [f.get(f"绩效项目1.{k}").sources for k in ("执行数", "预算数", "得分")] == [(), (), ()]
    assert f.completions["绩效项目1"].relation == "unknown"


def test_rule_fund_table_without_spending_column(demo_model):
    # a 公开08 without 本年支出: the spending is 0 "表中无本年支出列", and no 项 is read from the table
    def drop(m):
        m.gov_fund.columns = [c for c in m.gov_fund.columns if c != "本年支出"]

    f = compute(_model_copy(demo_model, drop))
    assert f.get("政府性基金.本年支出") == Figure("政府性基金.本年支出", D(0), "万元", (), "表中无本年支出列")
    # 2121399 is still budgeted (150): kept with 决算 0, from 预算数, not from the table
    assert [(s.code, s.amount.formula) for s in f.fund_items] == [("2121399", "决算表无此科目，决算为 0")]


def test_rule_budgeted_but_unspent_items_are_named_by_their_kuan(demo_model):
    # two 项 budgeted but absent from 公开05: 2010350 (its 款 20103 is in the table: full path) and
    # 2130104 (款 21301 is not: the budget's own name only)
    from generator.model import BudgetRow

    def add(m):
        m.budget.append(BudgetRow(code="2010350", name="事业运行", initial=D(30), reason="人员未到位", cells={"initial": "C40", "reason": "F40"}))
        m.budget.append(BudgetRow(code="2130104", name=" 事业运行 ", initial=D(5), cells={"initial": "C41", "reason": "F41"}))

    f = compute(_model_copy(demo_model, add))
    new = {s.code: s for s in f.items_by_subject if s.code in ("2010350", "2130104")}
    assert new["2010350"].path == "一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）事业运行（项）"
    assert new["2130104"].path == "事业运行（项）"
    assert new["2010350"].amount == Figure("项.2010350", D(0), "万元", (), "决算表无此科目，决算为 0")
    assert (new["2010350"].reason_cell, new["2130104"].completion.budget.sources) == ("预算数!F40", ("预算数!C41",))


def test_rule_budget_reason_cell_is_named(demo):
    # each 项 names the 预算数 cell of its 差异原因 (column F), where a missing reason is to be typed
    assert [s.reason_cell for s in demo.items_by_subject][:3] == ["预算数!F2", "预算数!F3", "预算数!F4"]


def test_rule_procurement_total_is_the_sum_of_its_kinds_when_blank(demo):
    # 政府采购支出总额 left blank: 货物 86.40 + 工程 0.00 + 服务 412.75 = 499.15; shares of it:
    # 中小企业 356.20, 小微企业 198.64, 货物 86.40, 工程 0, 服务 412.75
    total = demo.get("其他.政府采购支出总额")
    assert total == Figure(
        "其他.政府采购支出总额",
        D("499.15"),
        "万元",
        ("其他事项!B15", "其他事项!B16", "其他事项!B17"),
        "其他.政府采购货物支出 + 其他.政府采购工程支出 + 其他.政府采购服务支出",
    )
    shares = {n: demo.get(f"政府采购.{n}占比").value for n in ("中小企业", "小微企业", "货物", "工程", "服务")}
    assert shares == {
        "中小企业": D("356.20") / D("499.15") * 100,
        "小微企业": D("198.64") / D("499.15") * 100,
        "货物": D("86.40") / D("499.15") * 100,
        "工程": D(0),
        "服务": D("412.75") / D("499.15") * 100,
    }


def test_rule_procurement_total_typed_is_used_as_typed(demo_model):
    # typed 500.15 (≠ 499.15, the sum of the kinds): the figure is the typed cell (checks compare the two)
    from generator.model import Entry

    def typed(m):
        m.other["政府采购支出总额"] = Entry(value=D("500.15"), cell="B14")

    f = compute(_model_copy(demo_model, typed))
    assert f.get("其他.政府采购支出总额") == Figure("其他.政府采购支出总额", D("500.15"), "万元", ("其他事项!B14",), "")

    def blank_row(m):
        m.other["政府采购支出总额"] = Entry(value=None, cell="B14")

    # the row is there but blank: computed from the kinds, as when the row is absent
    f = compute(_model_copy(demo_model, blank_row))
    assert f.get("其他.政府采购支出总额").value == D("499.15")


def test_rule_share_of_a_zero_or_missing_whole_is_missing():
    f = Figures(model=None)
    a, zero, gone = f.add(Figure("a", D(5))), f.add(Figure("b", D(0))), f.add(Figure("c", None))
    assert f.share(a, zero) == Figure("a.占b", None, "%", (), "a / b")
    assert f.share(gone, a) == Figure("c.占a", None, "%", (), "c / a")


def test_rule_cell_without_an_address_has_no_source():
    # a row that has no cell for the column (a column the table lacks): the figure is sourceless, not "表!"
    from generator.model import Row

    f = Figures(model=None)
    assert f.cell("x", Row(code="201", values={}), "金额", "公开01表") == Figure("x", D(0), "万元", (), "")


def test_rule_festival_statement_is_a_figure_only_when_typed(demo_model):
    """湖南's 节庆、晚会、论坛、赛事活动支出: typed (even 0) it is a figure read from its cell; blank, there is none (未举办)."""
    from generator.keys import FESTIVAL_KEY
    from generator.model import Entry

    name = f"其他.{FESTIVAL_KEY}"
    assert name not in compute(demo_model).items  # the sample has no such row
    blank = compute(_model_copy(demo_model, lambda m: m.other.__setitem__(FESTIVAL_KEY, Entry(value=None, cell="B40"))))
    assert name not in blank.items
    typed = compute(_model_copy(demo_model, lambda m: m.other.__setitem__(FESTIVAL_KEY, Entry(value=D("0.00"), cell="B40"))))
    fig = typed.get(name)
    assert (fig.value, fig.unit, fig.sources) == (D("0.00"), "万元", ("其他事项!B40",))
