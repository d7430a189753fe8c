"""§5 phrase rules, each a named test through ``Phraser`` on figures built by hand.

Every expected string is worked out from the rule with the arithmetic in a comment
(ROUND_HALF_UP on the exact Decimal, words from the sign, …). Only ``generator.figures`` and
``generator.phrasing`` are used: the sentences around these phrases live in the templates.
"""

from __future__ import annotations

import copy
from decimal import Decimal as D

import pytest

from generator.figures import Figure, Figures
from generator.phrasing import Paragraph, Phraser, Settings, format_amount

pytestmark = pytest.mark.rules


def clean(marked: str) -> str:
    return Paragraph.parse(marked).text


def change(current: str, prior: str, noun: str = "支出", **settings) -> tuple[str, Phraser]:
    f = Figures(model=None)
    ch = f.change(f.add(Figure("a", D(current))), f.add(Figure("上年.a", D(prior))))
    p = Phraser(f, Settings(**settings))
    return clean(p.change(ch, noun)), p


def change_with_reason(current: str, prior: str, reason: str | None) -> tuple[str, Phraser]:
    f = Figures(model=None)
    ch = f.change(f.add(Figure("a", D(current))), f.add(Figure("上年.a", D(prior))))
    p = Phraser(f)
    return clean(p.change_with_reason(ch, reason, "公务接待费变动原因")), p


def completion(actual: str, budget: str, **words) -> tuple[str, Phraser]:
    f = Figures(model=None)
    comp = f.completion(f.add(Figure("项.2010301", D(actual))), f.add(Figure("项.2010301.年初预算", D(budget))))
    p = Phraser(f)
    return clean(p.completion(comp, reason="年中追加", reason_key="k", **words)), p


def pct(value: str, **settings) -> str:
    f = Figures(model=None)
    return clean(Phraser(f, Settings(**settings)).pct(f.add(Figure("x", D(value), "%"))))


# ---- change vs prior --------------------------------------------------------------------------


def test_rule_change_amount_rounds_half_up():
    # 2.665 -> 2.67 (HALF_UP; HALF_EVEN would give 2.66); 2.67 − 1.00 = 1.67; 1.67 / 1.00 = 167.00%
    text, _ = change("2.665", "1.00")
    assert text == "比上年增加1.67万元，增长167.00%"


def test_rule_change_is_decided_on_the_printed_amounts():
    # defect: 100.005 is printed 100.01, the prior 100.00: the text must say the printed
    # difference, 100.01 − 100.00 = 0.01万元, 0.01 / 100.00 = 0.01% (never "与上年持平")
    text, _ = change("100.005", "100.00")
    assert text == "比上年增加0.01万元，增长0.01%"


def test_rule_change_equal_when_printed_amounts_equal():
    # 100.004 and 100.00 are both printed 100.00
    assert change("100.004", "100.00")[0] == "与上年持平"


def test_rule_new_item_is_decided_on_the_printed_zero():
    # defect: a prior of 0.004 is printed 0.00, so the item is new (no percentage, no crash);
    # 5.00 − 0.00 = 5.00
    text, _ = change("5", "0.004")
    assert text == "比上年增加5.00万元（上年无此项支出）"


def test_rule_both_printed_zero_says_none():
    # 0.004 and 0 both print 0.00
    assert change("0.004", "0", "收入")[0] == "上年和本年均无此项收入"


def test_rule_down_to_zero():
    # 0 − 5.42: 减少5.42万元, 5.42 / 5.42 = 100.00%
    assert change("0", "5.42")[0] == "比上年减少5.42万元，下降100.00%"


def test_rule_new_item_asks_for_a_reason():
    # a new item moved (0.00 -> 2.36): the reason is asked for like any other change
    text, p = change_with_reason("2.36", "0", None)
    assert text == "比上年增加2.36万元（上年无此项支出），主要原因是【待补充：公务接待费变动原因（“说明”工作表）】"
    assert [(m.what, m.where) for m in p.missing] == [("公务接待费变动原因", "说明")]


def test_rule_flat_asks_no_reason():
    text, p = change_with_reason("2.36", "2.36", None)
    assert text == "与上年持平" and p.missing == []


def test_rule_down_quotes_its_reason():
    # 2.80 − 2.36 = 0.44; 0.44 / 2.80 = 15.714…% -> 15.71%
    text, p = change_with_reason("2.36", "2.80", "严格控制接待范围和标准。")
    assert text == "比上年减少0.44万元，下降15.71%，主要原因是严格控制接待范围和标准"


# ---- budget vs actual -------------------------------------------------------------------------


def test_rule_completion_of_zero_over_zero_has_no_rate():
    # no budget and nothing spent: no "完成0.00%"
    text, p = completion("0", "0")
    assert text == "年初预算和决算均为0"
    assert p.missing == []


def test_rule_completion_of_zero_over_a_printed_zero_has_no_rate():
    # a budget of 0.004 is printed 0.00: the same as no budget (0 / 0.004 would print 完成0.00%)
    assert completion("0", "0.004")[0] == "年初预算和决算均为0"


def test_rule_completion_over_budget():
    # 842.30 / 800 = 105.2875% -> 105.29%
    assert completion("842.30", "800")[0] == "完成年初预算的105.29%，决算数大于年初预算数的主要原因是年中追加"


def test_rule_completion_without_budget():
    # budget 0, spent 35.60: no rate, the spending is explained
    assert completion("35.60", "0")[0] == "年初未安排预算，支出决算为35.60万元，决算数大于年初预算数的主要原因是年中追加"


def test_rule_completion_without_a_budget_of_another_kind():
    # a 绩效 project's 全年预算 of 0 with 35.60 spent: the clause names that budget, not 年初预算
    text = completion("35.60", "0", budget_word="全年预算")[0]
    assert text == "未安排全年预算，支出决算为35.60万元，决算数大于全年预算数的主要原因是年中追加"


# ---- display: no minus zero, tiny shares ------------------------------------------------------


@pytest.mark.parametrize("value", ["-0.004", "-0.00", "-0"])
def test_rule_no_minus_zero_amount(value):
    # −0.004 rounds to −0.00, printed 0.00
    assert format_amount(D(value)) == "0.00"
    assert format_amount(D(value), thousands=False) == "0.00"


def test_rule_no_minus_zero_percentage():
    assert pct("-0.00") == "0.00%"
    assert pct("-0.0", percent_decimals=1) == "0.0%"


def test_rule_negative_tiny_rate_reads_less_than():
    # −0.004% is not zero but rounds to 0.00 -> 不足0.01%
    assert pct("-0.004") == "不足0.01%"


def test_rule_tiny_share_reads_zhanbi_buzu():
    # 0.01 / 2824.11 = 0.000354…% -> rounds to 0.00 -> "占比不足0.01%" (never "占不足0.01%", never "占0.00%")
    f = Figures(model=None)
    s = f.share(f.add(Figure("part", D("0.01"))), f.add(Figure("whole", D("2824.11"))))
    assert clean(Phraser(f).share(s)) == "占比不足0.01%"
    assert clean(Phraser(f, Settings(percent_decimals=1)).share(s)) == "占比不足0.1%"


def test_rule_share_reads_zhan():
    # 247.62 / 2824.11 = 8.768…% -> 8.77%
    f = Figures(model=None)
    s = f.share(f.add(Figure("part", D("247.62"))), f.add(Figure("whole", D("2824.11"))))
    assert clean(Phraser(f).share(s)) == "占8.77%"
    assert clean(Phraser(f).share(s, "占政府采购支出总额的")) == "占政府采购支出总额的8.77%"


# ---- profile settings -------------------------------------------------------------------------


def test_rule_thousands_setting():
    f = Figures(model=None)
    x = f.add(Figure("x", D("2824.105")))
    # 2824.105 -> 2824.11 (HALF_UP)
    assert clean(Phraser(f, Settings(thousands_in_text=True)).money(x)) == "2,824.11万元"
    assert clean(Phraser(f, Settings(thousands_in_text=False)).money(x)) == "2824.11万元"


def test_rule_composition_zero_items_setting():
    f = Figures(model=None)
    items = [("甲", f.add(Figure("a", D("1.50"))), None), ("乙", f.add(Figure("b", D("0"))), None), ("丙", f.add(Figure("c", D("2"))), None)]
    assert clean(Phraser(f, Settings(list_zero_items=False)).composition(items)) == "甲1.50万元；丙2.00万元"
    assert clean(Phraser(f, Settings(list_zero_items=True)).composition(items)) == "甲1.50万元；乙0.00万元；丙2.00万元"


# ---- markers: every printed figure keeps its name (trace, diff) --------------------------------


def test_rule_markers_give_spans_and_sentences():
    f = Figures(model=None)
    a = f.add(Figure("本年收入合计", D("2852.39")))
    b = f.add(Figure("本年支出合计", D("2996.61")))
    p = Phraser(f)
    para = Paragraph.parse(f"收入{p.money(a)}。支出{p.money(b)}，多于收入。", "body", "三.一.1")
    assert para.text == "收入2,852.39万元。支出2,996.61万元，多于收入。"
    assert (para.style, para.key) == ("body", "三.一.1")
    # "收入" is 2 characters, "2,852.39万元" 10: the first span is [2, 12); "。支出" 3 more: the second is [15, 25)
    assert [(s.start, s.end, s.figure) for s in para.spans] == [(2, 12, "本年收入合计"), (15, 25, "本年支出合计")]
    assert [(text, [s.figure for s in spans]) for text, spans in para.sentences()] == [
        ("收入2,852.39万元。", ["本年收入合计"]),
        ("支出2,996.61万元，多于收入。", ["本年支出合计"]),
    ]


def test_rule_last_sentence_without_full_stop_is_kept():
    para = Paragraph.parse("甲。乙")
    assert [text for text, _ in para.sentences()] == ["甲。", "乙"]


# ---- counts, markers for what the workbook lacks ----------------------------------------------


@pytest.mark.parametrize("value, unit, shown", [("18", "批次", "18批次"), ("3.000000", "辆", "3辆"), ("86.5", "分", "86.5分"), ("0", "个", "0个")])
def test_rule_counts_print_without_trailing_zeros(value, unit, shown):
    f = Figures(model=None)
    assert clean(Phraser(f).count(f.add(Figure("其他.公务接待批次", D(value), unit)), unit)) == shown


def test_rule_missing_count_is_a_marker_naming_the_sheet():
    f = Figures(model=None)
    p = Phraser(f)
    assert clean(p.count(f.add(Figure("其他.公务用车保有量", None, "辆")), "辆")) == "【待补充：公务用车保有量（“其他事项”工作表）】"
    assert [(m.what, m.where) for m in p.missing] == [("公务用车保有量", "其他事项")]


def test_rule_missing_rate_is_a_marker_without_a_sheet():
    f = Figures(model=None)
    p = Phraser(f)
    assert clean(p.pct(f.add(Figure("项.2010301.完成率", None, "%")))) == "【待补充：项.2010301.完成率】"
    assert [(m.what, m.where) for m in p.missing] == [("项.2010301.完成率", "")]


def test_rule_missing_current_value_names_the_item():
    f = Figures(model=None)
    ch = f.change(f.add(Figure("其他.机关运行经费", None)), f.add(Figure("上年.机关运行经费", D("40"))), "其他.机关运行经费")
    p = Phraser(f)
    assert clean(p.change_with_reason(ch, "x", "机关运行经费变动原因")) == "与上年相比【待补充：本年机关运行经费（“其他事项”工作表）】"


def test_rule_missing_prior_names_the_prior_key():
    f = Figures(model=None)
    ch = f.change(f.add(Figure("收入总计", D("3058.79"))), None, "收支总计")
    p = Phraser(f)
    assert clean(p.change_with_reason(ch, None, "收支总计变动原因", "收支", "收支总计")) == "与上年相比【待补充：上年收支总计决算数（“上年数”工作表）】"
    assert [(m.what, m.where) for m in p.missing] == [("上年收支总计决算数", "上年数")]


def test_rule_unbudgeted_spending_without_reason_asks_for_it():
    f = Figures(model=None)
    comp = f.completion(f.add(Figure("项.2019999", D("35.60"))), f.add(Figure("项.2019999.年初预算", D("0"))))
    p = Phraser(f)
    text = clean(p.completion(comp, reason=None, reason_key="2019999的支出原因", reason_where="预算数"))
    assert text == "年初未安排预算，支出决算为35.60万元，决算数大于年初预算数的主要原因是【待补充：2019999的支出原因（“预算数”工作表）】"
    assert [(m.what, m.where) for m in p.missing] == [("2019999的支出原因", "预算数")]


def test_rule_composition_uses_its_share_word():
    f = Figures(model=None)
    whole = f.add(Figure("总额", D("499.15")))
    part = f.add(Figure("中小", D("356.20")))
    # 356.20 / 499.15 = 71.361…% -> 71.36%
    items = [("中小企业", part, f.share(part, whole))]
    assert clean(Phraser(f).composition(items, share_word="占总额的")) == "中小企业356.20万元，占总额的71.36%"


@pytest.mark.parametrize("text, purpose", [("主要用于：办公设备。", "办公设备"), ("用于，会议 ", "会议"), ("主要是 培训", "培训")])
def test_rule_purpose_text_drops_lead_words_and_separators(text, purpose):
    from generator.phrasing import purpose_text

    assert purpose_text(text) == purpose


def test_rule_count_read_from_a_float_cell_prints_its_digits():
    # a score typed 86.5 is read as 86.500000 (float noise cleaned at 0.000001): printed 86.5分, not 86.500000分
    f = Figures(model=None)
    p = Phraser(f)
    assert clean(p.count(f.add(Figure("绩效.平均得分", D("86.500000"), "")), "分")) == "86.5分"
    assert clean(p.count(f.add(Figure("其他.车辆总数", D("1E+2"), "辆")))) == "100"


def test_rule_defaults_of_the_phrase_functions():
    # amounts in text have thousands separators unless the profile says otherwise; a change speaks of 支出;
    # a reason is asked for on the 说明 sheet; a paragraph is body text
    assert format_amount(D("2140.78")) == "2,140.78"
    f = Figures(model=None)
    new = f.change(f.add(Figure("a", D("2.36"))), f.add(Figure("上年.a", D(0))))
    p = Phraser(f)
    assert clean(p.change(new)) == "比上年增加2.36万元（上年无此项支出）"
    assert (
        clean(p.change_with_reason(new, None, "a变动原因", "收入")) == "比上年增加2.36万元（上年无此项收入），主要原因是【待补充：a变动原因（“说明”工作表）】"
    )
    over = f.completion(f.add(Figure("b", D(2))), f.add(Figure("b.预算", D(1))))
    assert clean(p.completion(over)) == "完成年初预算的200.00%，决算数大于年初预算数的主要原因是【待补充：（“说明”工作表）】"
    para = Paragraph.parse("甲")
    assert (para.style, para.key) == ("body", "")


def test_rule_missing_prior_of_a_sangong_item_names_the_item():
    f = Figures(model=None)
    ch = f.change(f.add(Figure("三公.公务接待费", D("2.36"))), None, "三公.公务接待费")
    p = Phraser(f)
    assert clean(p.change_with_reason(ch, None, "k", prior_key="公务接待费")) == "与上年相比【待补充：上年公务接待费决算数（“上年数”工作表）】"


def test_rule_sentences_keep_spans_at_their_edges():
    f = Figures(model=None)
    p = Phraser(f)
    a, b = f.add(Figure("a", D(1))), f.add(Figure("b", D(2)))
    para = Paragraph.parse(f"{p.money(a)}。{p.money(b)}。")
    # "1.00万元" is 6 characters: a spans [0, 6), the first sentence [0, 7); b starts the second sentence at 7
    assert [(text, [s.figure for s in spans]) for text, spans in para.sentences()] == [("1.00万元。", ["a"]), ("2.00万元。", ["b"])]


# ---- the Jinja filters (what a template calls): defaults, arguments, names that are not figures ----


@pytest.fixture(scope="module")
def demo_figures():
    from helpers import DEMO

    from generator.figures import compute
    from generator.intake import read_workbook

    return compute(read_workbook(DEMO))


def render(figures: Figures, source: str, **extra) -> str:
    """``source`` rendered the way a document template is: the registry as a tree, the filters, a Phraser."""
    from jinja2 import ChainableUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from generator.narrative import tree
    from generator.phrasing import PHRASER, template_filters

    env = SandboxedEnvironment(undefined=ChainableUndefined)  # as ``render.jinja_env``
    env.filters.update(template_filters())
    ctx = {**tree(figures.items), PHRASER: Phraser(figures), "变动": tree(figures.changes), "完成": tree(figures.completions), **extra}
    return clean(env.from_string(source).render(ctx))


def test_rule_filter_change_with_reason_quotes_the_reasons_sheet(demo_figures):
    # 机关运行经费 273.11 vs 上年 236.15: +36.96, 36.96 / 236.15 = 15.651…% -> 15.65%; the 说明 reason
    # "主要是物业管理费和信息网络购置更新支出增加；" loses its lead words and its "；"
    text = render(demo_figures, "{{ 变动.机关运行经费|change_with_reason('机关运行经费变动原因') }}")
    assert text == "比上年增加36.96万元，增长15.65%，主要原因是物业管理费和信息网络购置更新支出增加"


def test_rule_filter_change_with_reason_defaults_for_a_new_item(demo_figures):
    # 培训费 9.85 vs 上年 0.00: new; default noun 支出 and label 上年; no reason in 说明: the marker names the key
    text = render(demo_figures, "{{ 变动.培训费|change_with_reason('培训费变动原因') }}")
    assert text == "比上年增加9.85万元（上年无此项支出），主要原因是【待补充：培训费变动原因（“说明”工作表）】"


def test_rule_filter_change_with_reason_names_the_missing_prior(demo_figures):
    # 上年数 without 培训费: the marker names 培训费 by default, or the template's own prior_key
    from generator.figures import compute

    model = copy.deepcopy(demo_figures.model)
    del model.prior["培训费"]
    f = compute(model)
    assert render(f, "{{ 变动.培训费|change_with_reason('培训费变动原因') }}") == "与上年相比【待补充：上年培训费决算数（“上年数”工作表）】"
    assert (
        render(f, "{{ 变动.培训费|change_with_reason('培训费变动原因', '支出', '培训费用') }}") == "与上年相比【待补充：上年培训费用决算数（“上年数”工作表）】"
    )


def test_rule_filter_completion_defaults(demo_figures):
    # 项 2010505: 64.20 of 70.00 -> 91.714…% -> 91.71%, under; no reason key: an unnamed marker on 说明
    text = render(demo_figures, "{{ 完成.项['2010505']|completion }}")
    assert text == "完成年初预算的91.71%，决算数小于年初预算数的主要原因是【待补充：（“说明”工作表）】"


def test_rule_filter_completion_reads_the_reason_by_key(demo_figures):
    # 三公: 9.71 of 11.00 -> 88.27…% -> 88.27%; the reason from 说明 "三公经费预决算差异原因"; the template's budget word
    text = render(demo_figures, "{{ 完成.三公.三公经费合计|completion('三公经费预决算差异原因', budget_word='预算') }}")
    assert text == "完成预算的88.27%，决算数小于预算数的主要原因是厉行节约，严控公务用车和公务接待支出"


def test_rule_filter_completion_given_reason_wins_over_the_key(demo_figures):
    # a reason passed by the template (the 预算数 row's own) is used even when a key is named too
    text = render(demo_figures, "{{ 完成.项['2010505']|completion('一般公共预算财政拨款预决算差异原因', reason='年中调减。') }}")
    assert text == "完成年初预算的91.71%，决算数小于年初预算数的主要原因是年中调减"


def test_rule_filter_completion_marker_names_key_and_sheet(demo_figures):
    text = render(demo_figures, "{{ 完成.项['2010505']|completion('差异原因X', '预算数') }}")
    assert text == "完成年初预算的91.71%，决算数小于年初预算数的主要原因是【待补充：差异原因X（“预算数”工作表）】"


def test_rule_filter_name_without_a_figure_is_a_marker(demo_figures):
    # "收入" is only a namespace (收入.其他收入 …), not a figure: a visible marker, not a crash
    assert render(demo_figures, "{{ 收入|money }}") == "【待补充：（模板引用的数字不存在）】"
    assert render(demo_figures, "{{ 不存在|money }}") == "【待补充：（模板引用的数字不存在）】"


def test_rule_filter_takes_a_bare_figure_too(demo_figures):
    # list entries (车辆 …) are Figures, not registry names: 公务用车保有量 3 -> "3辆"
    assert render(demo_figures, "{{ x|count('辆') }}", x=demo_figures.get("其他.公务用车保有量")) == "3辆"


def test_rule_filter_amount_for_tables(demo_figures):
    # 2824.11 with and without grouping; a plain Decimal 1234.5 -> 1,234.50; nothing for None
    text = render(
        demo_figures, "{{ 一般公共预算财政拨款支出|amount }} {{ 一般公共预算财政拨款支出|amount(false) }} {{ d|amount }}[{{ n|amount }}]", d=D("1234.5"), n=None
    )
    assert text == "2,824.11 2824.11 1,234.50[]"


def test_rule_purpose_keeps_a_leading_latin_letter():
    # "主要用于X光机维护": only the lead words and separators go, the X of X光机 stays
    from generator.phrasing import purpose_text

    assert purpose_text("主要用于X光机维护。") == "X光机维护"


def test_rule_filter_composition_defaults_and_arguments(demo_figures):
    # 其他收入 12.50 of 2852.39 = 0.438…% -> 0.44%; 经营收入 0 is left out; an entry without a share prints its amount only;
    # 一般公共预算 2689.89 / 2852.39 = 94.303…% -> 94.30%
    items = "[('其他收入', 收入.其他收入, 收入.其他收入.占本年收入合计), ('经营收入', 收入.经营收入, 收入.经营收入.占本年收入合计), ('财政拨款收入', 收入.一般公共预算财政拨款收入, none)]"
    assert render(demo_figures, "{{ " + items + "|composition }}") == "其他收入12.50万元，占0.44%；财政拨款收入2,689.89万元"
    items = (
        "[('其他', 收入.其他收入, 收入.其他收入.占本年收入合计), ('一般公共预算', 收入.一般公共预算财政拨款收入, 收入.一般公共预算财政拨款收入.占本年收入合计)]"
    )
    text = render(demo_figures, "{{ " + items + "|composition('占本年收入的', '收入', '，') }}")
    assert text == "其他收入12.50万元，占本年收入的0.44%，一般公共预算收入2,689.89万元，占本年收入的94.30%"


def test_rule_filter_purpose(demo_figures):
    assert render(demo_figures, "{{ '主要用于：会议。'|purpose }}[{{ ''|purpose }}][{{ none|purpose }}]") == "会议[][]"


def test_rule_change_takes_the_templates_lead():
    # 5 vs 4: +1.00, 1 / 4 = 25.00%; the lead phrase replaces "比上年", also through change_with_reason
    f = Figures(model=None)
    ch = f.change(f.add(Figure("a", D(5))), f.add(Figure("上年.a", D(4))))
    p = Phraser(f)
    assert clean(p.change(ch, lead="与2023年度相比，")) == "与2023年度相比，增加1.00万元，增长25.00%"
    assert clean(p.change_with_reason(ch, "因人员增加。", "k", lead="较上年")) == "较上年增加1.00万元，增长25.00%，主要原因是人员增加"


def test_rule_change_with_reason_names_the_change_when_the_prior_is_missing():
    f = Figures(model=None)
    ch = f.change(f.add(Figure("培训费", D(5))), None)
    assert clean(Phraser(f).change_with_reason(ch, None, "培训费变动原因")) == "与上年相比【待补充：上年培训费决算数（“上年数”工作表）】"


@pytest.mark.parametrize(
    "text, reason",
    [
        ("主要原因是由于年中追加项目。", "年中追加项目"),  # two lead words, stripped in two rounds
        ("主要原因是：，年中追加", "年中追加"),  # separators after the lead word
        ("因预算调整", "预算调整"),  # a one-character lead word
        ("由于X光机更新", "X光机更新"),  # a Latin letter after the lead word stays
        ("主要原因", "主要原因"),  # nothing but a lead word: kept, never emptied
        ("因公出国（境）团组减少", "因公出国（境）团组减少"),  # "因公" is a word, not a lead
    ],
)
def test_rule_reason_text_strips_lead_words(text, reason):
    from generator.phrasing import reason_text

    assert reason_text(text) == reason


def test_rule_filter_change_with_reason_passes_lead_and_label(demo_figures):
    # 273.11 vs 236.15: +36.96, 15.65% (see above); the template's lead and prior label reach the phrase
    text = render(demo_figures, "{{ 变动.机关运行经费|change_with_reason('机关运行经费变动原因', lead='较上年') }}")
    assert text == "较上年增加36.96万元，增长15.65%，主要原因是物业管理费和信息网络购置更新支出增加"
    text = render(demo_figures, "{{ 变动.培训费|change_with_reason('培训费变动原因', prior_label='2023年') }}")
    assert text == "比2023年增加9.85万元（2023年无此项支出），主要原因是【待补充：培训费变动原因（“说明”工作表）】"


# ---- the format's own names for standard terms (profile [terms], 2018: 公务用车购置及运行费) ----------------

TERMS_2018 = (("公务用车购置及运行维护费", "公务用车购置及运行费"), ("公务用车运行维护费", "公务用车运行费"))


def test_rule_term_in_the_format_wording():
    s = Settings(terms=TERMS_2018)
    assert s.term("公务用车购置及运行维护费") == "公务用车购置及运行费"
    assert s.term("公务接待费") == "公务接待费"  # a name the format keeps: as it is


def test_rule_text_in_the_format_wording():
    s = Settings(terms=TERMS_2018)
    # each standard name replaced by the format's own, wherever it stands
    text = "公务用车购置及运行维护费5.00万元，其中公务用车运行维护费5.00万元。"
    assert s.in_terms(text) == "公务用车购置及运行费5.00万元，其中公务用车运行费5.00万元。"
    assert Settings().in_terms(text) == text  # no [terms]: unchanged


def test_rule_longer_standard_names_are_replaced_first():
    # "公务用车" is part of "公务用车运行维护费": replaced first, it would leave "公车运行维护费" and the longer name unmatched
    s = Settings(terms=(("公务用车", "公车"), ("公务用车运行维护费", "车辆运行费")))
    assert s.in_terms("公务用车运行维护费3.00万元，公务用车2辆") == "车辆运行费3.00万元，公车2辆"
