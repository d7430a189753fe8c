"""§5 phrasing rules, one by one, on figures built by hand.

Every expected string is worked out by hand from the rule (ROUND_HALF_UP on the exact
Decimal ratio, words that follow the sign, …), not copied from the program's output.
"""

from __future__ import annotations

import re
from decimal import Decimal as D
from pathlib import Path

import pytest

from generator.figures import Figure, Figures
from generator.keys import cn_number
from generator.narrative import Numbering
from generator.phrasing import Paragraph, Phraser, Settings

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_2024 = ROOT / "samples" / "示例单位_2024.xlsx"

pytestmark = pytest.mark.rules  # phrase rules on hand-made figures: part of the fast subset


def clean(marked: str) -> str:
    return Paragraph.parse(marked).text


def reg(**values) -> Figures:
    """A registry with the given figures (name=Decimal|None)."""
    f = Figures(model=None)
    for name, value in values.items():
        f.add(Figure(name, None if value is None else D(value)))
    return f


def phr(figures: Figures, **settings) -> Phraser:
    return Phraser(figures, Settings(**settings))


def money(value, **settings) -> str:
    f = reg(x=value)
    return clean(phr(f, **settings).money("x"))


def share_text(part, whole, **settings) -> str:
    f = reg(part=part, whole=whole)
    s = f.share(f.get("part"), f.get("whole"))
    return clean(phr(f, **settings).pct(s))


def change_text(current, prior, noun="支出", **settings):
    f = Figures(model=None)
    cur = f.add(Figure("本年支出合计", None if current is None else D(current)))
    pri = f.add(Figure("上年.本年支出合计", None if prior is None else D(prior)))
    ch = f.change(cur, pri)
    p = phr(f, **settings)
    return clean(p.change(ch, noun)), ch, p


# ---- money ---------------------------------------------------------------------------------


def test_money_with_thousands_separator():
    assert money("2140.78") == "2,140.78万元"


def test_money_without_thousands_setting():
    assert money("2140.78", thousands_in_text=False) == "2140.78万元"


@pytest.mark.parametrize(
    "value, shown",
    [
        ("2.675", "2.68万元"),  # float(2.675) is 2.67499… and would print 2.67
        ("0.005", "0.01万元"),
        ("1.445", "1.45万元"),
        ("2140.775", "2,140.78万元"),
        ("1234567.125", "1,234,567.13万元"),
        ("0", "0.00万元"),
        ("100", "100.00万元"),
    ],
)
def test_money_rounds_half_up_on_decimal(value, shown):
    assert money(value) == shown


def test_money_half_up_where_float_would_round_down():
    # as binary floats these are just below the half (2.67499…, 1.00499…, 0.28499…): a float
    # path would print 2.67 / 1.00 / 0.28; the exact Decimal rounds half up
    assert (f"{2.675:.2f}", f"{1.005:.2f}", f"{0.285:.2f}") == ("2.67", "1.00", "0.28")
    assert money("2.675") == "2.68万元"
    assert money("1.005") == "1.01万元"
    assert money("0.285") == "0.29万元"


def test_money_of_missing_value_is_a_visible_pending_marker():
    f = reg(**{"其他.会议费": None})
    p = phr(f)
    text = clean(p.money("其他.会议费"))
    assert text == "【待补充：会议费（“其他事项”工作表）】"
    assert [m.what for m in p.missing] == ["会议费"]


# ---- percentages ---------------------------------------------------------------------------


def test_pct_two_decimals_by_default():
    # 2140.78 / 2217.42 = 96.5437…%
    assert share_text("2140.78", "2217.42") == "96.54%"


def test_pct_one_decimal_setting():
    # 2140.78 / 2217.42 = 96.5437…% -> 96.5% ; 76.64 / 2217.42 = 3.4563…% -> 3.5%
    assert share_text("2140.78", "2217.42", percent_decimals=1) == "96.5%"
    assert share_text("76.64", "2217.42", percent_decimals=1) == "3.5%"


def test_pct_rounds_half_up():
    # 1 / 8 = 12.5% exactly; 1 / 16 = 6.25% -> 6.3% with one decimal (half up, not half even)
    assert share_text("1", "8") == "12.50%"
    assert share_text("1", "16", percent_decimals=1) == "6.3%"
    # 1 / 400 = 0.25% exactly -> 0.3% with one decimal
    assert share_text("1", "400", percent_decimals=1) == "0.3%"


def test_each_share_rounded_individually_on_exact_ratio():
    # seed 003 structure: 1.53 / 2666.26 = 0.05738…% -> 0.06% (not 0%, not the remainder)
    assert share_text("1.53", "2666.26") == "0.06%"
    # 909.88 / 2666.26 = 34.126…% (the seed printed 32%)
    assert share_text("909.88", "2666.26") == "34.13%"
    # 1732.98 / 2666.26 = 64.9967…% -> 65.00% (two decimals kept even when they are zeros)
    assert share_text("1732.98", "2666.26") == "65.00%"
    # the six shares are each rounded; they need not add up to 100.00
    parts = ["1732.98", "1.53", "909.88", "8.96", "6.19", "6.72"]
    shown = [share_text(p, "2666.26") for p in parts]
    assert shown == ["65.00%", "0.06%", "34.13%", "0.34%", "0.23%", "0.25%"]


def test_share_is_exact_decimal_ratio():
    f = reg(part="1.53", whole="2666.26")
    s = f.share(f.get("part"), f.get("whole"))
    assert isinstance(s.value, D)
    assert s.value == D("1.53") / D("2666.26") * 100


@pytest.mark.parametrize("part", ["0.01", "0.13", "0.001"])
def test_tiny_nonzero_share_reads_less_than_smallest_unit(part):
    # 0.13 / 2666.26 = 0.00488% -> rounds to 0.00 -> must read 不足0.01%
    text = share_text(part, "2666.26")
    assert text == "不足0.01%"
    assert text not in ("0%", "0.00%")


def test_tiny_share_with_one_decimal_setting():
    # 0.5 / 2666.26 = 0.01875% -> 0.0 with one decimal -> 不足0.1%
    assert share_text("0.5", "2666.26", percent_decimals=1) == "不足0.1%"
    # 1.53 / 2666.26 = 0.0574% -> 0.1%
    assert share_text("1.53", "2666.26", percent_decimals=1) == "0.1%"


def test_share_just_above_half_of_smallest_unit_rounds_up():
    # 0.005% exactly -> 0.01% (half up), not 不足0.01%
    assert share_text("0.005", "100") == "0.01%"


# ---- change vs prior -----------------------------------------------------------------------


def test_change_up():
    # seed 003: 本年收入合计 2217.42, prior 1540.80 -> +676.62, 676.62 / 1540.80 = 43.913…%
    text, ch, _ = change_text("2217.42", "1540.80", "收入")
    assert text == "比上年增加676.62万元，增长43.91%"
    assert ch.direction == "up"


def test_change_down():
    # seed 003: 财政拨款支出 2666.26, prior 3506.54 -> −840.28, 840.28 / 3506.54 = 23.963…%
    text, ch, _ = change_text("2666.26", "3506.54")
    assert text == "比上年减少840.28万元，下降23.96%"
    assert ch.direction == "down"


def test_change_amount_and_rate_are_positive_numbers_with_words_for_the_sign():
    text, _, _ = change_text("40", "46.88")
    # 6.88 / 46.88 = 14.675…%
    assert text == "比上年减少6.88万元，下降14.68%"
    assert "-" not in text


@pytest.mark.parametrize("current, prior", [("100.004", "100.00"), ("100", "100"), ("99.996", "100"), ("2217.42", "2217.420")])
def test_change_equal_at_display_precision_is_flat(current, prior):
    text, ch, _ = change_text(current, prior)
    assert text == "与上年持平"
    assert not re.search(r"增加|减少|增长|下降", text)


def test_change_from_zero_base_has_no_percentage_and_says_new():
    text, ch, _ = change_text("15.50", "0", "支出")
    assert ch.direction == "new"
    # 15.50 − 0.00 = 15.50, no rate over a zero base
    assert text == "比上年增加15.50万元（上年无此项支出）"


def test_change_from_zero_base_for_income_says_income():
    text, _, _ = change_text("150.00", "0", "收入")
    assert text == "比上年增加150.00万元（上年无此项收入）"


def test_change_both_zero_says_there_was_none():
    text, ch, _ = change_text("0", "0", "支出")
    assert ch.direction == "none"
    assert text == "上年和本年均无此项支出"


def test_change_prior_missing_gives_visible_marker_and_records_it():
    text, ch, p = change_text("2217.42", None)
    assert ch.direction == "unknown"
    assert text == "与上年相比【待补充：上年本年支出合计决算数（“上年数”工作表）】"  # says where to fill it in
    assert [(m.what, m.where) for m in p.missing] == [("上年本年支出合计决算数", "上年数")]


def test_change_to_zero_from_nonzero_is_a_full_decrease():
    text, _, _ = change_text("0", "5.42")
    assert text == "比上年减少5.42万元，下降100.00%"


@pytest.mark.parametrize(
    "current, prior",
    [("10", "5"), ("5", "10"), ("0.02", "0.01"), ("0.01", "0.02"), ("1000000", "1"), ("1", "1000000"), ("3082.32", "2897.74"), ("4.06", "5.42")],
)
def test_change_words_always_agree_with_sign(current, prior):
    text, _, _ = change_text(current, prior)
    up = D(current) > D(prior)
    if up:
        assert "增加" in text and "增长" in text and "减少" not in text and "下降" not in text
    else:
        assert "减少" in text and "下降" in text and "增加" not in text and "增长" not in text
    assert "增加/减少" not in text and "增长/下降" not in text
    amount = re.search(r"(?:增加|减少)([\d,]+\.\d\d)万元", text).group(1)
    assert D(amount.replace(",", "")) == abs(D(current) - D(prior)).quantize(D("0.01"))


def test_change_with_reason_quotes_reason_only_when_amount_moved():
    f = Figures(model=None)
    cur = f.add(Figure("a", D("46.88")))
    pri = f.add(Figure("上年.a", D("40")))
    ch = f.change(cur, pri)
    p = phr(f)
    text = clean(p.change_with_reason(ch, "公务用车运行费增加。", "机关运行经费变动原因"))
    # 6.88 / 40 = 17.20% (seed 003 printed 18%)
    assert text == "比上年增加6.88万元，增长17.20%，主要原因是公务用车运行费增加"
    f2 = Figures(model=None)
    ch2 = f2.change(f2.add(Figure("a", D("40"))), f2.add(Figure("上年.a", D("40"))))
    assert clean(phr(f2).change_with_reason(ch2, None, "机关运行经费变动原因")) == "与上年持平"
    assert phr(f2).missing == []


def test_change_with_reason_missing_reason_gives_marker():
    f = Figures(model=None)
    ch = f.change(f.add(Figure("a", D("46.88"))), f.add(Figure("上年.a", D("40"))))
    p = phr(f)
    text = clean(p.change_with_reason(ch, "  ", "机关运行经费变动原因"))
    assert text.endswith("主要原因是【待补充：机关运行经费变动原因（“说明”工作表）】")
    assert [(m.what, m.where) for m in p.missing] == [("机关运行经费变动原因", "说明")]


def test_change_never_states_a_zero_amount():
    text, _, _ = change_text("100.005", "100.004")
    # shown values are 100.01 and 100.00: the change is the printed one, 0.01万元, 0.01 / 100.00 = 0.01%
    assert text == "比上年增加0.01万元，增长0.01%"


def test_change_with_missing_current_value_gives_marker_not_crash():
    text, ch, p = change_text(None, "40")
    assert text == "与上年相比【待补充：本年本年支出合计（“其他事项”工作表）】"
    assert [(m.what, m.where) for m in p.missing] == [("本年本年支出合计", "其他事项")]


# ---- budget vs actual ----------------------------------------------------------------------


def completion_text(actual, budget, reason=None, **kw):
    f = Figures(model=None)
    a = f.add(Figure("项.2010350", D(actual)))
    b = None if budget is None else f.add(Figure("项.2010350.年初预算", D(budget)))
    comp = f.completion(a, b)
    p = phr(f)
    return clean(p.completion(comp, reason=reason, reason_key="2010350的决算与预算差异原因", reason_where="预算数", **kw)), comp, p


def test_completion_under_budget_with_reason():
    # seed 003 事业运行: 377.27 / 481.78 = 78.307…%
    reason = "“市电子政务外网平台中心机房租赁费及运行维护”项目中存在部分未完成升级改造的，预计于2021年完成。"
    text, comp, _ = completion_text("377.27", "481.78", reason)
    assert text == (
        "完成年初预算的78.31%，决算数小于年初预算数的主要原因是“市电子政务外网平台中心机房租赁费及运行维护”项目中存在部分未完成升级改造的，预计于2021年完成"
    )
    assert comp.relation == "under"


def test_completion_over_budget():
    # 842.30 / 800 = 105.2875% -> 105.29%
    text, comp, _ = completion_text("842.30", "800", "年中追加经费")
    assert text == "完成年初预算的105.29%，决算数大于年初预算数的主要原因是年中追加经费"
    assert comp.relation == "over"


def test_completion_equal_asks_no_reason():
    text, comp, p = completion_text("110.50", "110.50", None)
    assert text == "完成年初预算的100.00%，决算数与年初预算数持平"
    assert "原因" not in text and p.missing == []


def test_completion_equal_at_display_precision():
    text, comp, p = completion_text("110.504", "110.50", None)
    assert comp.relation == "equal"
    assert text.endswith("决算数与年初预算数持平") and p.missing == []


def test_completion_missing_reason_gives_marker():
    text, comp, p = completion_text("377.27", "481.78", None)
    # 377.27 / 481.78 = 78.307…%
    assert text == "完成年初预算的78.31%，决算数小于年初预算数的主要原因是【待补充：2010350的决算与预算差异原因（“预算数”工作表）】"
    assert [(m.what, m.where) for m in p.missing] == [("2010350的决算与预算差异原因", "预算数")]


def test_completion_zero_budget_has_no_rate_and_says_why_spent():
    text, comp, p = completion_text("35.60", "0", "年中新增试点项目")
    assert comp.relation == "no_budget"
    assert comp.rate is None and comp.gap is None
    assert text == "年初未安排预算，支出决算为35.60万元，决算数大于年初预算数的主要原因是年中新增试点项目"


def test_completion_budget_missing_gives_marker():
    text, comp, p = completion_text("35.60", None)
    assert comp.relation == "unknown"
    assert text == "【待补充：2010350的年初预算数（“预算数”工作表）】"
    assert [(m.what, m.where) for m in p.missing] == [("2010350的年初预算数", "预算数")]


def test_completion_rate_and_signed_gap_figures():
    f = Figures(model=None)
    under = f.completion(f.add(Figure("u", D("377.27"))), f.add(Figure("u.b", D("481.78"))))
    over = f.completion(f.add(Figure("o", D("842.30"))), f.add(Figure("o.b", D("800"))))
    # 预决算差异率 = (决算 − 预算) / 预算 × 100, signed
    assert under.gap.value == (D("377.27") - D("481.78")) / D("481.78") * 100
    assert over.gap.value == (D("842.30") - D("800")) / D("800") * 100
    assert over.gap.value.quantize(D("0.01")) == D("5.29")  # 42.30 / 800 = 5.2875%
    assert under.rate.value == D("377.27") / D("481.78") * 100


def test_completion_rate_base_is_budget_not_actual():
    # seed 004 §9: 机关运行经费 606.56 vs 828.84: the gap rate is 222.28 / 828.84 = 26.82%
    f = Figures(model=None)
    comp = f.completion(f.add(Figure("x", D("606.56"))), f.add(Figure("x.b", D("828.84"))))
    assert clean(phr(f).pct(comp.gap)) == "-26.82%"
    assert clean(phr(f).pct(comp.rate)) == "73.18%"


# ---- composition lists ---------------------------------------------------------------------


def _composition(list_zero_items: bool) -> str:
    f = Figures(model=None)
    whole = f.add(Figure("本年收入合计", D("2217.42")))
    items = []
    for name, value in (("一般公共预算财政拨款收入", "2140.78"), ("上级补助收入", "0"), ("事业收入", "0"), ("其他收入", "76.64")):
        a = f.add(Figure(f"收入.{name}", D(value)))
        items.append((name, a, f.share(a, whole)))
    return clean(phr(f, list_zero_items=list_zero_items).composition(items))


def test_composition_skips_zero_items_in_table_order():
    assert _composition(False) == "一般公共预算财政拨款收入2,140.78万元，占96.54%；其他收入76.64万元，占3.46%"


def test_composition_lists_zero_items_when_profile_says_so():
    # 2140.78 / 2217.42 = 96.543…%; 0 / 2217.42 = 0.00%; 76.64 / 2217.42 = 3.456…%; table order kept
    assert (
        _composition(True)
        == "一般公共预算财政拨款收入2,140.78万元，占96.54%；上级补助收入0.00万元，占0.00%；事业收入0.00万元，占0.00%；其他收入76.64万元，占3.46%"
    )


# ---- reasons -------------------------------------------------------------------------------


def test_missing_reason_marker_names_key_and_sheet():
    p = phr(Figures(model=None))
    assert clean(p.reason(None, "收支总计变动原因")) == "【待补充：收支总计变动原因（“说明”工作表）】"
    assert clean(p.reason("", "三公经费预决算差异原因")) == "【待补充：三公经费预决算差异原因（“说明”工作表）】"
    assert [m.what for m in p.missing] == ["收支总计变动原因", "三公经费预决算差异原因"]


def test_reason_text_is_quoted_without_trailing_punctuation():
    p = phr(Figures(model=None))
    assert p.reason("受疫情影响，本年公务出行减少。", "k") == "受疫情影响，本年公务出行减少"
    assert p.missing == []


# ---- markers -------------------------------------------------------------------------------


def test_paragraph_parse_strips_markers_and_keeps_spans():
    f = reg(本年收入合计="2217.42")
    marked = "本年收入合计" + phr(f).money("本年收入合计") + "。"
    para = Paragraph.parse(marked)
    assert para.text == "本年收入合计2,217.42万元。"
    assert [(para.text[s.start : s.end], s.figure) for s in para.spans] == [("2,217.42万元", "本年收入合计")]


# ---- section numbering ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "n, cn",
    [
        (1, "一"),
        (2, "二"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (13, "十三"),
        (19, "十九"),
        (20, "二十"),
        (21, "二十一"),
        (30, "三十"),
        (45, "四十五"),
        (99, "九十九"),
    ],
)
def test_cn_number(n, cn):
    assert cn_number(n) == cn


def test_numbering_resets_deeper_levels():
    n = Numbering()
    got = [n.next(0), n.next(1), n.next(1), n.next(2), n.next(2), n.next(3), n.next(1), n.next(3), n.next(0), n.next(1)]
    assert got == ["第一部分", "一、", "二、", "（一）", "（二）", "1．", "三、", "1．", "第二部分", "一、"]
    n = Numbering("1、")  # the format's list_numbering
    assert [n.next(1), n.next(3), n.next(3)] == ["一、", "1、", "2、"]
    n.reset()
    assert [n.next(0), n.next(1), n.next(3)] == ["第一部分", "一、", "1、"]


def test_numbering_twelve_sections():
    n = Numbering()
    heads = [n.next(1) for _ in range(12)]
    assert heads[9:] == ["十、", "十一、", "十二、"]


def _h1(doc_path) -> list[str]:
    import docx

    return [p.text for p in docx.Document(doc_path).paragraphs if p.style.name == "决算一级"]


def test_template_omitting_a_section_renumbers_the_following(tmp_path):
    from template_edit import copy_profile, delete_section, edit_document

    from generator.pipeline import build_book

    build_book(SAMPLE_2024, tmp_path / "full.docx")
    heads_full = [h for h in _h1(tmp_path / "full.docx")]
    part3 = heads_full[heads_full.index("一、收入支出决算总体情况说明") :]
    assert part3[1] == "二、收入决算情况说明"
    folder = copy_profile("上海2024", tmp_path)
    edit_document(folder, lambda xml: delete_section(xml, "收入决算情况说明"))
    build_book(SAMPLE_2024, tmp_path / "cut.docx", profile_name=str(folder))
    heads = _h1(tmp_path / "cut.docx")
    heads = heads[heads.index("一、收入支出决算总体情况说明") :]
    assert len(heads) == len(part3) - 1
    assert heads[1] == "二、支出决算情况说明"
    assert heads[2] == "三、财政拨款收入支出决算总体情况说明"
    numbers = [h.split("、", 1)[0] for h in heads]  # gap-free: exactly 一 … N in order
    assert numbers == [cn_number(i) for i in range(1, len(heads) + 1)]


def test_template_omitting_a_subsection_renumbers_subsections(tmp_path):
    import docx
    from template_edit import blocks, copy_profile, edit_document, text

    from generator.pipeline import build_book

    def drop(xml: str) -> str:  # 2018: 其他重要事项 (一)机关运行经费 (二)一般性支出 (三)政府采购 (四)国有资产
        bs = blocks(xml)
        i = next(k for k, b in enumerate(bs) if text(b.group(0)).endswith("二级() }}一般性支出情况"))
        return xml[: bs[i].start()] + xml[bs[i + 2].start() :]  # the heading and its one paragraph

    folder = copy_profile("2018", tmp_path)
    edit_document(folder, drop)
    build_book(ROOT / "samples" / "永州市政务服务中心_2018.xlsx", tmp_path / "out.docx", profile_name=str(folder))
    paras = docx.Document(tmp_path / "out.docx").paragraphs
    i = next(k for k, p in enumerate(paras) if p.style.name == "决算一级" and p.text.endswith("其他重要事项情况说明"))
    subs = []
    for p in paras[i + 1 :]:
        if p.style.name in ("决算一级", "决算部分"):
            break
        if p.style.name == "决算二级":
            subs.append(p.text)
    assert subs == ["（一）机关运行经费支出情况", "（二）政府采购支出情况", "（三）国有资产占有使用情况"]


# ---- purpose texts (quoted after our own "主要用于") ----------------------------------------


def test_purpose_text_drops_doubled_lead_words():
    from generator.phrasing import purpose_text

    assert purpose_text("用于单位会议费开支") == "单位会议费开支"
    assert purpose_text("主要用于单位职工参加各种业务培训开支。") == "单位职工参加各种业务培训开支"
    assert purpose_text("主要是省、县级对口业务交流发生的支出") == "省、县级对口业务交流发生的支出"
    assert purpose_text("燃料费、维修费") == "燃料费、维修费"


def test_purpose_text_keeps_words_that_merely_start_with_zhuyao():
    from generator.phrasing import purpose_text

    assert purpose_text("主要领导干部调研接待") == "主要领导干部调研接待"


def test_format_amount_remembered_values_print_by_value():
    """Printed amounts are remembered by value: equal Decimals print alike whatever their exponent, the
    rounding stays ROUND_HALF_UP after a hit, and a negative amount that rounds to zero prints 0.00."""
    from generator.phrasing import format_amount

    assert [format_amount(D(x)) for x in ("1.0", "1.00", "1", "1.000")] == ["1.00"] * 4
    assert format_amount(D("2.665")) == "2.67" and format_amount(D("2.66500")) == "2.67"  # 2.665 → 2.67 (half up)
    assert format_amount(D("-0.004")) == "0.00" and format_amount(D("-0.005")) == "-0.01"
    assert format_amount(D("1234567.891")) == "1,234,567.89"
    assert format_amount(D("1234567.891"), thousands=False) == "1234567.89"  # same value, other options
    assert format_amount(D("1234567.891"), decimals=1) == "1,234,567.9"
