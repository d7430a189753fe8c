"""Document-level rule tests: a workbook with a few cells changed, built with ``build_book``,
read back with python-docx, and the exact sentence asserted.

Each workbook is the fictional, consistent sample (示例单位_2024.xlsx, 上海2024) or the 2018
sample, changed with openpyxl; the expected sentences are worked out by hand (arithmetic in
the comments). Only the pipeline's public entry point is used, never the narrative's internals,
so these tests hold whichever way the text is assembled (code or Word template).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx_helpers import read
from helpers import DEMO, YONGZHOU, edited_copy, find_cell, find_label, sangong_cell, sheet_named

import generator.profiles as profiles
from generator.pipeline import build_book

pytestmark = pytest.mark.rules


def set_row(wb, sheet: str, label: str, value, column: int = 2) -> None:
    """Write ``value`` in ``column`` of the row labelled ``label`` of a supplementary sheet."""
    ws = wb[sheet]
    ws.cell(row=find_label(ws, label).row, column=column).value = value


def build(tmp_path: Path, name: str, edit=None, src: Path = DEMO, profile: str | None = None):
    book = edited_copy(src, tmp_path / f"{name}.xlsx", edit)
    out = tmp_path / f"{name}.docx"
    build_book(book, out, profile_name=profile)
    return read(out)


def paragraph_with(doc, fragment: str) -> str:
    hits = [p for p in doc.paragraphs if fragment in p]
    assert len(hits) == 1, f"{len(hits)} paragraphs hold {fragment!r}"
    return hits[0]


# ---- the intact sample ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return build(tmp_path_factory.mktemp("demo"), "demo")


def test_rule_basic_spending_lists_every_item_in_table_order_303_under_personnel(demo):
    # 人员经费 1252.71 / 基本支出 1525.82 = 82.101…% -> 82.10%; 公用经费 273.11 / 1525.82 = 17.899…% -> 17.90%.
    # 人员经费 = 301 + 303 items: all 14 nonzero in table order (the format's "……（不涉及的不列）"), no 等;
    # 公用经费 = 302 + 310 items: all 19 nonzero in table order.
    assert paragraph_with(demo, "年度一般公共预算财政拨款基本支出1,525.82万元") == (
        "2024年度一般公共预算财政拨款基本支出1,525.82万元。其中："
        "人员经费1,252.71万元，占82.10%，主要包括：基本工资、津贴补贴、奖金、绩效工资、机关事业单位基本养老保险缴费、职业年金缴费、"
        "职工基本医疗保险缴费、公务员医疗补助缴费、其他社会保障缴费、住房公积金、其他工资福利支出、退休费、生活补助、奖励金；"
        "公用经费273.11万元，占17.90%，主要包括：办公费、印刷费、水费、电费、邮电费、物业管理费、差旅费、维修（护）费、会议费、培训费、"
        "公务接待费、劳务费、工会经费、福利费、公务用车运行维护费、其他交通费用、其他商品和服务支出、办公设备购置、信息网络及软件购置更新。"
    )


def test_rule_sangong_under_budget_is_weizwancheng(demo):
    # 用车 7.35 / 8.00 = 91.875% -> 91.88%; 接待 2.36 / 3.00 = 78.666…% -> 78.67%; both under budget
    text = paragraph_with(demo, "“三公”经费财政拨款支出年初预算为")
    assert "公务用车购置及运行维护费支出决算为7.35万元，完成预算的91.88%，未完成预算的主要原因是合理安排车辆使用，燃油及维修费用减少；" in text
    assert "公务接待费支出决算为2.36万元，完成预算的78.67%，未完成预算的主要原因是严格执行公务接待标准，接待批次减少。" in text


def test_rule_tiny_class_share_reads_zhanbi_buzu(demo):
    # 灾害防治及应急管理支出 0.01 / 2824.11 = 0.00035…% -> 0.00 -> 占比不足0.01%
    assert "灾害防治及应急管理支出（类）0.01万元，占比不足0.01%。" in paragraph_with(demo, "主要用于以下方面")


# ---- zero sections -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def zeros(tmp_path_factory):
    """No 机关运行经费 and no 三公 this year or last (公开07 all 0; 上年数 0). The 接待 counts and the
    外宾 amount go to 0 with the money (a count without money, or 外宾 > 公务接待费, is an error since i9)."""

    def edit(wb):
        set_row(wb, "其他事项", "机关运行经费", 0)
        for key in ("公务接待批次", "公务接待人次", "外宾接待批次", "外宾接待人次", "外宾接待费"):
            set_row(wb, "其他事项", key, 0)
        for key in ("机关运行经费", "三公经费合计", "公务用车购置及运行维护费", "公务用车运行维护费", "公务接待费"):
            set_row(wb, "上年数", key, 0)
        ws = sheet_named(wb, "公开07表")
        for side in ("预算数", "决算数"):
            for item in ("合计", "因公出国（境）费", "小计", "公务用车购置费", "公务用车运行费", "公务接待费"):
                sangong_cell(ws, side, item).value = 0

    return build(tmp_path_factory.mktemp("zeros"), "zeros", edit)


def test_rule_no_running_costs_sentence(zeros):
    assert "示例市数据资源局2024年度无机关运行经费支出。" in zeros.paragraphs


def test_rule_no_sangong_sentence(zeros):
    assert "示例市数据资源局2024年度无“三公”经费财政拨款支出，上年也无此项支出。" in zeros.paragraphs


# ---- 三公 over budget, a new item, a prior printed 0.00, an unspent budget line ----------------


@pytest.fixture(scope="module")
def changed(tmp_path_factory):
    def edit(wb):
        ws = sheet_named(wb, "公开07表")
        sangong_cell(ws, "预算数", "公务接待费").value = 2  # 3.00 -> 2.00
        sangong_cell(ws, "预算数", "合计").value = 10  # 0 + 8.00 + 2.00
        set_row(wb, "上年数", "公务接待费", 0.004)  # printed 0.00: a new item
        set_row(wb, "上年数", "三公经费合计", 7.354)  # 0 + 7.35 + 0.004
        set_row(wb, "上年数", "机关运行经费", 100)
        set_row(wb, "其他事项", "机关运行经费", 100.005)  # printed 100.01
        wb["预算数"].append(["2010350", "事业运行", 30, None, "事业单位运行经费", "人员未到位，未发生支出"])
        set_row(wb, "预算数", "合计", 2842.72, column=3)  # the typed 合计 follows: 2812.72 + 30 (else an error since i12)

    return build(tmp_path_factory.mktemp("changed"), "changed", edit)


def test_rule_sangong_over_budget_is_chaochu(changed):
    # 合计 9.71 / 10.00 = 97.10%; 接待 2.36 / 2.00 = 118.00% (over); 用车 7.35 / 8.00 = 91.88% (under)
    text = paragraph_with(changed, "“三公”经费财政拨款支出年初预算为")
    assert text.startswith("2024年度“三公”经费财政拨款支出年初预算为10.00万元，支出决算为9.71万元，完成预算的97.10%。")
    assert "公务接待费支出决算为2.36万元，完成预算的118.00%，超出预算的主要原因是严格执行公务接待标准，接待批次减少。" in text
    assert "完成预算的91.88%，未完成预算的主要原因是" in text


def test_rule_new_sangong_item_reason_says_increase(changed):
    # prior 0.004 prints 0.00: 公务接待费 is new, 2.36 − 0.00 = 2.36; total 9.71 − 7.35 = 2.36, 2.36 / 7.35 = 32.108…% -> 32.11%
    text = paragraph_with(changed, "“三公”经费财政拨款支出决算比2023年度")
    assert text == (
        "2024年度“三公”经费财政拨款支出决算比2023年度增加2.36万元，增长32.11%，其中：2023年度和2024年度均未发生因公出国（境）费支出；"
        "公务用车购置及运行维护费与2023年度持平；公务接待费比2023年度增加2.36万元（2023年度无此项支出）。"
        "公务接待费增加的主要原因是严格控制接待范围和标准。"
    )


def test_rule_change_on_printed_amounts_in_the_document(changed):
    # 100.005 prints 100.01; prior 100.00: 增加0.01万元, 0.01 / 100.00 = 0.01%
    assert paragraph_with(changed, "年度机关运行经费支出") == (
        "2024年度机关运行经费支出100.01万元，比2023年度增加0.01万元，增长0.01%，主要原因是物业管理费和信息网络购置更新支出增加。"
    )


def test_rule_budgeted_but_unspent_item_is_in_the_text(changed):
    # 年初预算 2812.72 + 30 = 2842.72; 2824.11 / 2842.72 = 99.3453…% -> 99.35%; the item 0 / 30 = 0.00%
    assert paragraph_with(changed, "年初预算为2,842.72万元").startswith(
        "2024年度一般公共预算财政拨款支出年初预算为2,842.72万元，支出决算为2,824.11万元，完成年初预算的99.35%，决算数小于年初预算数"
    )
    assert paragraph_with(changed, "事业运行（项）") == (
        "3、一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）事业运行（项）。主要用于事业单位运行经费。"
        "年初预算为30.00万元，支出决算为0.00万元，完成年初预算的0.00%，决算数小于年初预算数的主要原因是人员未到位，未发生支出。"
    )


# ---- 2018: glossary term and 一般性支出 ----------------------------------------------------------


@pytest.fixture(scope="module")
def y2018(tmp_path_factory):
    def edit(wb):
        # no 会议费 at all: 其他事项 0, and 公开06's 30215 (7.36) moved to 30299 (59.79 + 7.36 = 67.15) so the 302
        # group and the totals stay (会议费 0 while 公开06 shows money is an error since i9)
        set_row(wb, "其他事项", "会议费", 0)
        ws = sheet_named(wb, "公开06表")
        meeting, other_goods = find_cell(ws, "30215", "决算数"), find_cell(ws, "30299", "决算数")
        assert (meeting.value, other_goods.value) == (7.36, 59.79)
        meeting.value, other_goods.value = 0, 67.15

    return build(tmp_path_factory.mktemp("y2018"), "y2018", edit, YONGZHOU, "2018")


def test_rule_2018_glossary_uses_the_2018_term(y2018):
    assert "七、用事业基金弥补收支差额：指事业单位在当年收入不足以安排支出时，使用以前年度积累的事业基金弥补本年度收支缺口的资金。" in y2018.paragraphs
    assert not any(p.split("：")[0].endswith("使用非财政拨款结余") for p in y2018.paragraphs)


def test_rule_2018_glossary_surplus_distribution_in_the_2018_words(y2018):
    # before 2019 结余分配 was 提取职工福利基金、事业基金 (from 2019: 专用基金、转入非财政拨款结余)
    assert "九、结余分配：指事业单位按规定提取的职工福利基金、事业基金以及缴纳的所得税等。" in y2018.paragraphs


def test_rule_subject_names_and_definitions_follow_the_year():
    """The 2019 reform renamed 类 210 and others: up to 2018 the old name and its own definition."""
    from generator.glossary import subject_definition, subject_name

    assert subject_name("210", 2018) == "医疗卫生与计划生育支出"
    assert subject_name("210", 2019) == "卫生健康支出"
    old, new = subject_definition("210", "医疗卫生与计划生育支出", 2018), subject_definition("210", "卫生健康支出", 2019)
    assert old and new and old != new


def test_rule_sangong_item_neither_budgeted_nor_spent(demo):
    # the sample: 因公出国（境）费 budget 0.00 and 决算 0.00 in 公开07 → one clause in (一), one sentence in (二)
    assert "其中：因公出国（境）费年初未安排预算，也未发生支出；公务用车购置及运行维护费支出决算为7.35万元" in paragraph_with(
        demo, "“三公”经费财政拨款支出年初预算为"
    )
    assert "1、本年度未发生因公出国（境）费支出。" in demo.paragraphs


def test_rule_no_meeting_costs_sentence(y2018):
    assert "2018年度未发生会议费支出；培训费支出30.18万元，主要用于单位职工参加各种业务培训开支。" in y2018.paragraphs


# ---- 类 names of the year in 公开01/04 ----------------------------------------------------------


def test_rule_outdated_class_name_is_printed_with_this_years_name(tmp_path):
    def edit(wb):
        find_label(sheet_named(wb, "公开01表"), "卫生健康支出").value = "九、医疗卫生与计划生育支出"
        find_label(sheet_named(wb, "公开04表"), "卫生健康支出").value = "九、医疗卫生与计划生育支出"

    doc = build(tmp_path, "old", edit)
    for label in ("公开01表", "公开04表"):
        labels = [cell for row in doc.table(label) for cell in row]
        # the table keeps the workbook's ordinal (the sample's label is "九、卫生健康支出", as in the official form)
        # and prints the year's name after it
        assert "九、卫生健康支出" in labels, label
        assert not any("医疗卫生与计划生育" in c for c in labels), label


# ---- profile settings read from profile.toml --------------------------------------------------


def test_rule_profile_settings_from_profile_toml(tmp_path, monkeypatch):
    templates = tmp_path / "templates"
    shutil.copytree(profiles.TEMPLATES / "上海2024", templates / "测试格式")
    toml = templates / "测试格式" / "profile.toml"
    text = toml.read_text("utf-8")
    for key, old, new in (("percent_decimals", "2", "1"), ("thousands_in_text", "true", "false"), ("list_zero_items", "false", "true")):
        assert f"{key} = {old}" in text
        text = text.replace(f"{key} = {old}", f"{key} = {new}")
    toml.write_text(text, "utf-8")
    monkeypatch.setattr(profiles, "TEMPLATES", templates)
    doc = build(tmp_path, "settings", profile="测试格式")
    # 2689.89 / 2852.39 = 94.303…% -> 94.3%; 150 / 2852.39 = 5.258…% -> 5.3%; 12.50 / 2852.39 = 0.438…% -> 0.4%;
    # zero lines listed (list_zero_items), no thousands separators in the text
    assert paragraph_with(doc, "本年收入合计2852.39万元") == (
        "本年收入合计2852.39万元，其中：一般公共预算财政拨款收入2689.89万元，占94.3%；政府性基金预算财政拨款收入150.00万元，占5.3%；"
        "国有资本经营预算财政拨款收入0.00万元，占0.0%；上级补助收入0.00万元，占0.0%；事业收入0.00万元，占0.0%；经营收入0.00万元，占0.0%；"
        "附属单位上缴收入0.00万元，占0.0%；其他收入12.50万元，占0.4%。"
    )
