"""§5 content checks (``checks/content``): template leftovers, stray years, reasons contradicting
their figures, typed 预算数 totals, 名词解释 without a definition.

Like ``test_rules_checks.py``: the consistent sample (示例单位_2024.xlsx) is read once and each
test changes one text or value of a deep copy of the model — what editing that cell gives (the
workbook-level versions of several of these cases live in ``test_reason_texts.py`` and
``test_reason_directions.py``). Every field of each finding is asserted; the figures quoted in
the comments are the sample's own cells.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

import pytest
from helpers import DEMO, findings_after

from generator.checks import Finding
from generator.intake import read_workbook

pytestmark = pytest.mark.rules

CONTENT_RULES = ("模板遗留文字", "年份", "原因与数字矛盾", "名词解释", "预算数合计")
YEARS = "本文档是2024年度决算，文中只应出现2023年、2024年（以及结转去向的2025年）；请核对是否沿用了旧年度的文字。"


@pytest.fixture(scope="module")
def demo_model():
    return read_workbook(DEMO)


def content_findings(model, edit) -> list[tuple]:
    found: list[Finding] = findings_after(model, edit)
    return [(f.level, f.rule, f.sheet, f.cells, f.expected, f.found, f.message) for f in found if f.rule in CONTENT_RULES]


def reason(key: str, text: str):
    def edit(m):
        m.reasons[key].text = text

    return edit


def budget(code: str, field: str, text: str):
    def edit(m):
        setattr(next(b for b in m.budget if b.code == code), field, text)

    return edit


def test_rule_intact_sample_has_no_content_findings(demo_model):
    assert content_findings(demo_model, lambda m: None) == []


# ---- template leftovers and 截止 -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, leftover",
    [
        ("主要用于XXXXXXXX", "XXXXXXXX"),
        ("负责ｘｘ工作", "ｘｘ"),
        ("主要用于×××工作", "×××"),
        ("金额＊＊＊万元", "＊＊＊"),
        ("金额***万元", "***"),
        ("开展了……等工作", "……"),
        ("开展了......等工作", "......"),
        ("开展了。。。", "。。。"),
        ("比上年增加/减少", "增加/减少"),
        ("比上年减少／增加", "减少／增加"),
        ("增长/下降较多", "增长/下降"),
        ("下降/增长较多", "下降/增长"),
        ("大于/小于预算", "大于/小于"),
        ("小于/大于预算", "小于/大于"),
        ("比上年增加（减少）", "增加（减少）"),
        ("比上年减少(增加)", "减少(增加)"),
        ("增长（下降）较多", "增长（下降）"),
        ("下降（增长）较多", "下降（增长）"),
        ("大于（小于）预算", "大于（小于）"),
        ("小于（大于）预算", "小于（大于）"),
        ("完成了（具体工作）", "（具体工作）"),
        ("制定了（制度名称）", "（制度名称）"),
        ("（如持平作持平表述）", "（如持平作持平表述）"),
        ("包括（罗列主要项目）", "（罗列主要项目）"),
        ("（此处填写原因）", "（此处填写原因）"),
    ],
    ids=lambda v: v.replace("/", "／"),  # a "/" in a test id reads as a path when the id is passed to pytest
)
def test_rule_template_leftover_in_a_reason(demo_model, text, leftover):
    # 说明 B26 会议费用途 "召开全市数据工作会议及业务培训会" -> a text still holding the template's placeholder
    message = f"“说明”工作表B26（会议费用途）还留有模板文字“{leftover}”，请改为本单位的实际内容。"
    assert content_findings(demo_model, reason("会议费用途", text)) == [("warning", "模板遗留文字", "说明", ["说明!B26"], None, None, message)]


@pytest.mark.parametrize("text", ["增加和减少", "只有一个X", "两个点..", "只有一个…省略号", "（具体措施见附件）"])
def test_rule_ordinary_text_is_no_leftover(demo_model, text):
    # one X, two dots, a lone ellipsis, a real bracketed note: nothing of the templates
    assert content_findings(demo_model, reason("会议费用途", f"召开全市会议，{text}")) == []


@pytest.mark.parametrize("after", ["2024年12月31日", "目前", "到年底", "当年末", "年末", "本年底"])
def test_rule_jiezhi_before_a_point_in_time(demo_model, after):
    message = "“说明”工作表B26（会议费用途）写“截止”，表示到某一时点应写“截至”。"
    assert content_findings(demo_model, reason("会议费用途", f"截止{after}，召开会议2次")) == [
        ("warning", "模板遗留文字", "说明", ["说明!B26"], None, None, message)
    ]


def test_rule_jiezhi_as_a_deadline_is_fine(demo_model):
    # "报名截止" (a deadline, not "up to a point") is correct Chinese
    assert content_findings(demo_model, reason("会议费用途", "会议报名截止后召开")) == []


# where each text of the workbook sits: (edit, sheet, cell, label)
PLACES = [
    ("functions", lambda m: setattr(m.unit, "functions", "负责XX工作"), "单位信息", "B8", "主要职能"),
    ("organization", lambda m: setattr(m.unit, "organization", "内设XX个科室"), "单位信息", "B9", "机构设置"),
    ("composition", lambda m: setattr(m.unit, "composition", "由XX组成"), "单位信息", "B10", "决算单位构成"),
    ("staffing", lambda m: setattr(m.unit, "staffing", "编制XX名"), "单位信息", "B11", "人员情况"),
    ("member", lambda m: setattr(m.unit.members[0], "note", "XX"), "单位信息", "B15", "决算单位构成表"),
    ("purpose", budget("2010302", "purpose", "主要用于XX系统运维"), "预算数", "E3", "2010302 主要用途"),
    ("budget-reason", budget("2010505", "reason", "XX节约"), "预算数", "F5", "2010505 决算与预算差异原因"),
    ("narrative", lambda m: setattr(m.performance.narrative, "text", "开展XX工作"), "绩效", "B2", "绩效管理工作情况"),
    ("system", lambda m: setattr(m.performance.system, "text", "制定了XX办法"), "绩效", "B3", "绩效管理制度"),
    ("goals", lambda m: setattr(m.performance.projects[1], "goals", "完成XX"), "绩效", "E24", "“一网通办”系统升级 绩效目标完成情况"),
    ("problems", lambda m: setattr(m.performance.projects[1], "problems", "XX不足"), "绩效", "F24", "“一网通办”系统升级 存在问题"),
    ("measures", lambda m: setattr(m.performance.projects[1], "measures", "加强XX"), "绩效", "G24", "“一网通办”系统升级 改进措施"),
    ("glossary", lambda m: setattr(m.glossary[1], "definition", "指XX"), "名词解释", "B3", "名词解释“数据要素”"),
]


@pytest.mark.parametrize("edit, sheet, cell, label", [p[1:] for p in PLACES], ids=[p[0] for p in PLACES])
def test_rule_leftover_names_the_texts_cell(demo_model, edit, sheet, cell, label):
    message = f"“{sheet}”工作表{cell}（{label}）还留有模板文字“XX”，请改为本单位的实际内容。"
    assert content_findings(demo_model, edit) == [("warning", "模板遗留文字", sheet, [f"{sheet}!{cell}"], None, None, message)]


# ---- years ------------------------------------------------------------------------------------


@pytest.mark.parametrize("year, shown", [("2022", "2022年"), ("2026", "2026年"), ("2019年和2021", "2019年、2021年")])
def test_rule_year_other_than_this_last_and_next(demo_model, year, shown):
    # 年度 2024: 2023, 2024 and 2025 (where carry-overs go) are fine; others are an older document's leftovers
    message = f"“说明”工作表B26（会议费用途）写的是{shown}，{YEARS}"
    assert content_findings(demo_model, reason("会议费用途", f"召开{year}年工作会议")) == [("warning", "年份", "说明", ["说明!B26"], None, None, message)]


@pytest.mark.parametrize("text", ["召开2024年度及2023年度总结会，结转至2025年", "依据〔2019年〕3号文", "（2020年）印发", "编号12021年"])
def test_rule_years_allowed_or_not_a_year(demo_model, text):
    # this year, last year, next year; a 文号 in brackets; digits that merely end in 20xx
    assert content_findings(demo_model, reason("会议费用途", text)) == []


def test_rule_year_of_a_project_text_is_checked(demo_model):
    message = f"“绩效”工作表F24（“一网通办”系统升级 存在问题）写的是2020年，{YEARS}"
    found = content_findings(demo_model, lambda m: setattr(m.performance.projects[1], "problems", "2020年遗留问题"))
    assert found == [("warning", "年份", "绩效", ["绩效!F24"], None, None, message)]


def test_rule_year_of_a_unit_text_is_not_checked(demo_model):
    # 主要职能 may well cite an older founding document: only reason-like texts are year-checked
    assert content_findings(demo_model, lambda m: setattr(m.unit, "functions", "根据2016年批复成立，负责全市数据工作")) == []


# ---- 变动原因 against 本年/上年 ---------------------------------------------------------------------

# (key, text, cell, this year, last year, moved, said); the sample's figures:
# 公开01 收入总计 3,058.79 vs 上年 收支总计 2,665.63; 本年收入合计 2,852.39 vs 2,327.34; 本年支出合计 2,996.61 vs 2,459.23;
# 公开04 收入总计 3,046.29 vs 财政拨款收支总计 2,655.63; 本年收入合计 2,839.89 vs 2,317.34; 本年支出合计 2,984.11 vs 2,449.23;
# 公开05 合计 2,824.11 vs 2,449.23; 公开07 决算 合计 9.71 vs 10.15, 公务接待费 2.36 vs 2.80; 机关运行经费 273.11 vs 236.15
CHANGES = [
    ("收支总计变动原因", "支出减少", "B2", "3,058.79", "2,665.63", "增加", "减少"),
    ("本年收入变动原因", "收入减少", "B3", "2,852.39", "2,327.34", "增加", "减少"),
    ("本年支出变动原因", "支出下降", "B4", "2,996.61", "2,459.23", "增加", "下降"),
    ("财政拨款收支变动原因", "规模降低", "B5", "3,046.29", "2,655.63", "增加", "降低"),
    ("财政拨款收入变动原因", "拨款减少", "B6", "2,839.89", "2,317.34", "增加", "减少"),
    ("财政拨款支出变动原因", "部分资金结转至下年", "B7", "2,984.11", "2,449.23", "增加", "结转至下年"),
    ("一般公共预算财政拨款支出变动原因", "经费减少", "B8", "2,824.11", "2,449.23", "增加", "减少"),
    ("三公经费变动原因", "接待费增加", "B11", "9.71", "10.15", "减少", "增加"),
    ("公务接待费变动原因", "接待批次上升", "B17", "2.36", "2.80", "减少", "上升"),
    ("机关运行经费变动原因", "物业管理费减少", "B22", "273.11", "236.15", "增加", "减少"),
]


@pytest.mark.parametrize("key, text, cell, now, before, moved, said", CHANGES, ids=[c[0] for c in CHANGES])
def test_rule_change_reason_against_its_figures(demo_model, key, text, cell, now, before, moved, said):
    message = f"“说明”工作表{cell}（{key}）写“{said}”，但本年 {now} 比上年 {before} {moved}了；请核对原因。"
    assert content_findings(demo_model, reason(key, text)) == [("warning", "原因与数字矛盾", "说明", [f"说明!{cell}"], f"{moved}的原因", said, message)]


@pytest.mark.parametrize(
    "key, prior, text, cell, now, before, said",
    [
        # both are 0.00 → 0.00 and 7.35 → 7.35 in the sample (flat): a last year's figure set for the test
        ("因公出国（境）费", "1.00", "出访增加", "B15", "0.00", "1.00", "增加"),
        ("公务用车购置及运行维护费", "8.00", "费用提高", "B16", "7.35", "8.00", "提高"),
    ],
)
def test_rule_change_reason_of_a_sangong_item(demo_model, key, prior, text, cell, now, before, said):
    def edit(m):
        m.prior[key].value = D(prior)
        m.reasons[f"{key}变动原因"].text = text

    message = f"“说明”工作表{cell}（{key}变动原因）写“{said}”，但本年 {now} 比上年 {before} 减少了；请核对原因。"
    assert content_findings(demo_model, edit) == [("warning", "原因与数字矛盾", "说明", [f"说明!{cell}"], "减少的原因", said, message)]


@pytest.mark.parametrize(
    "key, text",
    [
        ("公务用车购置及运行维护费变动原因", "运行费用增加"),  # 7.35 = 7.35: flat, any word goes
        ("机关运行经费变动原因", "新增物业合同，水电费减少"),  # mixed causes
        ("机关运行经费变动原因", "物业管理费增加，部分结转至下年"),  # up and 结转: mixed
        ("三公经费变动原因", "接待费减少"),  # 9.71 < 10.15: agrees
        ("三公经费变动原因", "压减接待，用车费用增加"),  # mixed
        ("机关运行经费变动原因", "物业费用调整"),  # no direction word
    ],
)
def test_rule_change_reason_agreeing_flat_or_mixed_is_fine(demo_model, key, text):
    assert content_findings(demo_model, reason(key, text)) == []


def test_rule_change_reason_without_last_years_figure_is_not_compared(demo_model):
    def edit(m):
        m.prior["机关运行经费"].value = None
        m.reasons["机关运行经费变动原因"].text = "物业管理费减少"

    assert content_findings(demo_model, edit) == []


def test_rule_change_compares_printed_amounts(demo_model):
    # 机关运行经费 273.11 vs a last year's 273.114 (prints 273.11): flat as printed, "减少" is not contradicted
    def edit(m):
        m.prior["机关运行经费"].value = D("273.114")
        m.reasons["机关运行经费变动原因"].text = "物业管理费减少"

    assert content_findings(demo_model, edit) == []


# ---- 预决算差异 reasons against 决算/年初预算 -----------------------------------------------------------

# 预算数 2010302 年初 800.00, 公开05 决算 842.30 (over); 2010399 年初 420.00, 决算 356.18 (under);
# 2121399 (政府性基金) 年初 150.00, 公开08 本年支出 160.00 (over); 一般公共预算 typed 合计 2,812.72, 公开05 合计 2,824.11 (over);
# 公开07 预算 11.00 / 决算 9.71, 公务用车 8.00 / 7.35, 公务接待 3.00 / 2.36 (all under)
OVER_CARRY = "（结转至下年只会使决算小于预算）"
# fmt: off
BUDGET_CASES = [
    ("item-over-carry", budget("2010302", "reason", "部分资金结转至下年使用"), "预算数", "F3", "2010302 决算与预算差异原因", "842.30", "大于", "800.00", "结转至下年", OVER_CARRY),
    ("item-over-saving", budget("2010302", "reason", "采购节约"), "预算数", "F3", "2010302 决算与预算差异原因", "842.30", "大于", "800.00", "节约", ""),
    ("item-under-added", budget("2010399", "reason", "年中追加"), "预算数", "F4", "2010399 决算与预算差异原因", "356.18", "小于", "420.00", "追加", ""),
    ("gov-fund-over", budget("2121399", "reason", "结转到以后年度"), "预算数", "F14", "2121399 决算与预算差异原因", "160.00", "大于", "150.00", "结转到以后年度", OVER_CARRY),
    ("gpb-total", reason("一般公共预算财政拨款预决算差异原因", "厉行节约"), "说明", "B9", "一般公共预算财政拨款预决算差异原因", "2,824.11", "大于", "2,812.72", "节约", ""),
    ("sangong-total", reason("三公经费预决算差异原因", "年中追加"), "说明", "B10", "三公经费预决算差异原因", "9.71", "小于", "11.00", "追加", ""),
    ("sangong-car", reason("公务用车购置及运行维护费预决算差异原因", "超支"), "说明", "B13", "公务用车购置及运行维护费预决算差异原因", "7.35", "小于", "8.00", "超支", ""),
    ("sangong-reception", reason("公务接待费预决算差异原因", "新增接待任务"), "说明", "B14", "公务接待费预决算差异原因", "2.36", "小于", "3.00", "新增", ""),
]
# fmt: on


@pytest.mark.parametrize("edit, sheet, cell, label, spent, word, planned, said, why", [c[1:] for c in BUDGET_CASES], ids=[c[0] for c in BUDGET_CASES])
def test_rule_budget_reason_against_its_figures(demo_model, edit, sheet, cell, label, spent, word, planned, said, why):
    expected = "决算大于预算的原因" if word == "大于" else "决算小于预算的原因"
    message = f"“{sheet}”工作表{cell}（{label}）：决算 {spent} {word}预算 {planned}，原因却写“{said}”{why}；请核对原因。"
    assert content_findings(demo_model, edit) == [("warning", "原因与数字矛盾", sheet, [f"{sheet}!{cell}"], expected, said, message)]


def test_rule_budget_reason_of_an_untyped_total_uses_the_sum_of_its_items(demo_model):
    # no typed 合计: the budget is Σ of the twelve 项 as printed = 2,812.72 (worked out in test_rule_typed_budget_total…)
    def edit(m):
        m.budget_totals.clear()
        m.reasons["一般公共预算财政拨款预决算差异原因"].text = "厉行节约"

    message = "“说明”工作表B9（一般公共预算财政拨款预决算差异原因）：决算 2,824.11 大于预算 2,812.72，原因却写“节约”；请核对原因。"
    assert content_findings(demo_model, edit) == [("warning", "原因与数字矛盾", "说明", ["说明!B9"], "决算大于预算的原因", "节约", message)]


def test_rule_budget_reason_of_a_sangong_item_budgeted_later(demo_model):
    # 因公出国（境）费 预算 0.00 in the sample; with a budget of 5.00 and 决算 0.00 the spending is under, "追加" contradicts
    def edit(m):
        m.sangong.budget.values["因公出国（境）费"] = D("5.00")
        m.reasons["因公出国（境）费预决算差异原因"].text = "追加出访"

    message = "“说明”工作表B12（因公出国（境）费预决算差异原因）：决算 0.00 小于预算 5.00，原因却写“追加”；请核对原因。"
    assert content_findings(demo_model, edit) == [("warning", "原因与数字矛盾", "说明", ["说明!B12"], "决算小于预算的原因", "追加", message)]


@pytest.mark.parametrize(
    "code, text",
    [
        ("2010302", "年中追加经费，部分结余"),  # mixed
        ("2010302", "上年结转资金安排，采购节约"),  # 上年结转 hints over: mixed
        ("2010399", "结转至下年继续使用，年中追加"),  # mixed
        ("2010302", "年中追加经费"),  # over, explained by 追加: agrees
        ("2010399", "暂未支付，新增合同"),  # mixed (暂未 hints under)
        ("2019999", "系统升级"),  # no direction word
    ],
)
def test_rule_budget_reason_agreeing_or_mixed_is_fine(demo_model, code, text):
    assert content_findings(demo_model, budget(code, "reason", text)) == []


def test_rule_budget_reason_equal_amounts_is_fine(demo_model):
    # 2010302 年初 800.00 -> 842.30 (= 决算): no difference, any word goes
    def edit(m):
        b = next(b for b in m.budget if b.code == "2010302")
        b.initial = D("842.30")
        b.reason = "结转至下年"

    assert [f for f in content_findings(demo_model, edit) if f[1] == "原因与数字矛盾"] == []


# ---- typed 预算数 合计; 名词解释 ---------------------------------------------------------------------


def test_rule_typed_budget_total_equals_its_items(demo_model):
    # 预算数 C15 一般公共预算合计 2,812.72 -> 2,800.00; its 项: 1,099.35 + 800.00 + 420.00 + 70.00 + 0.00 + 48.36 + 130.00
    # + 65.00 + 60.00 + 22.00 + 98.00 + 0.01 = 2,812.72 (2019999 is 0.00 and so not among the cells) -> error, off by 12.72
    def edit(m):
        m.budget_totals["一般公共预算"].value = D("2800.00")

    parts = (
        "2010301 行政运行 1,099.35 + 2010302 一般行政管理事务 800.00 + 2010399 其他政府办公厅（室）及相关机构事务支出 420.00 + 2010505 专项统计业务 70.00"
        " + 2080501 行政单位离退休 48.36 + 2080505 机关事业单位基本养老保险缴费支出 130.00 + 2080506 机关事业单位职业年金缴费支出 65.00"
        " + 2101101 行政单位医疗 60.00 + 2101103 公务员医疗补助 22.00 + 2210201 住房公积金 98.00 + 2240199 其他应急管理支出 0.01"
    )
    message = (
        f"“预算数”一般公共预算年初预算合计：“一般公共预算合计”为 2,800.00（预算数!C15），应等于 {parts} = 2,812.72"
        "（C2、C3、C4、C5、C7、C8、C9、C10），相差 -12.72，不平。"
    )
    cells = ["预算数!C15", *[f"预算数!C{r}" for r in (2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13)]]
    assert content_findings(demo_model, edit) == [("error", "预算数合计", "预算数", cells, D("2812.72"), D("2800.00"), message)]


def test_rule_blank_budget_total_is_not_compared(demo_model):
    def edit(m):
        m.budget_totals["一般公共预算"].value = None

    assert content_findings(demo_model, edit) == []


def test_rule_subject_without_a_definition(demo_model):
    # 公开05 2010505 "专项统计业务" renamed to a name no glossary knows, and the workbook defines none -> 【待补充】 -> warning
    def edit(m):
        for t in (m.income, m.expenditure, m.gpb_expenditure):
            for r in t.rows:
                if r.name == "专项统计业务":
                    r.name = "自创的项目名称"

    message = "文中列出科目“自创的项目名称（项）”，但没有它的名词解释；请在“名词解释”工作表 A 列写“自创的项目名称（项）”、B 列写解释。"
    assert content_findings(demo_model, edit) == [("warning", "名词解释", "名词解释", ["名词解释"], None, None, message)]

    def defined(m):
        edit(m)
        m.glossary.append(dataclasses.replace(m.glossary[0], term="自创的项目名称（项）", definition="指本单位自创项目的支出。", cell="B9"))

    assert content_findings(demo_model, defined) == []


# ---- 用语 (checks.content.check_wording): each warning in full ------------------------------------------------


def test_rule_wording_warnings_in_full(tmp_path):
    """A workbook text with "今年" and one with a 顿号 between 书名号: each one warning, its sheet, cell, rule and advice."""
    from generator import keys
    from generator.checks import run_checks
    from tests.helpers import YONGZHOU, edited_copy

    def dunhao(wb):
        wb[keys.SHEET_PERFORMANCE]["B3"] = "《预算绩效管理办法》、《绩效自评实施细则》"

    demo = read_workbook(edited_copy(DEMO, tmp_path / "d.xlsx", dunhao))
    wording = [f for f in run_checks(demo) if f.rule == "用语"]
    assert [(f.level, f.sheet, f.cells, f.message) for f in wording] == [
        ("warning", "绩效", ["绩效!B3"], "“绩效”工作表B3（绩效管理制度）书名号之间有“、”，并列的书名号之间不用顿号（如“《…办法》《…细则》”）。")
    ]
    old = [f for f in run_checks(read_workbook(YONGZHOU)) if f.rule == "用语"]  # the 2018 seed writes 今年 in 说明!B13
    assert [(f.level, f.sheet, f.cells, f.message) for f in old] == [
        (
            "warning",
            "说明",
            ["说明!B13"],
            "“说明”工作表B13（公务用车购置及运行维护费预决算差异原因）写“今年”，文档在下一年公开，请写明年份（如“2018年”）或写“本年”。",
        )
    ]
