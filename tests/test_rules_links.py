"""§6 cross-table links (``checks/links``) not covered by ``test_rules_checks.py``: 公开02 = 公开04,
公开04 ≤ 公开01 for 收入总计 and 年初结转和结余, 公开08's 年末结转和结余, and the 国有资本经营 branch
(公开09 in the 收入支出 layout, as some provinces print it).

As in ``test_rules_checks.py``: the consistent sample (示例单位_2024.xlsx) is read once, each test
breaks one value of a deep copy of the model (what a changed cell gives; cells keep their
addresses) and asserts every field of the finding. The sample's figures are quoted in the comments.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from helpers import DEMO, findings_after

from generator.checks import Finding
from generator.intake import read_workbook
from generator.model import TableKind

pytestmark = pytest.mark.rules

T01 = "“收入支出决算总表”（工作表“公开01表”）"
T02 = "“收入决算表”（工作表“公开02表”）"
T04 = "“财政拨款收入支出决算总表”（工作表“公开04表”）"
T08 = "“政府性基金预算财政拨款收入支出决算表”（工作表“公开08表”）"
T09 = "“国有资本经营预算财政拨款收入支出决算表”（工作表“公开09表”）"
PART_NOTE = "财政拨款是全部资金的一部分，不能大于它。请核对两张表是否为同一单位、同一年度、同一口径。"


@pytest.fixture(scope="module")
def demo_model():
    return read_workbook(DEMO)


def full(findings: list[Finding], *rules: str) -> list[tuple]:
    return [(f.level, f.rule, f.sheet, f.cells, f.expected, f.found, f.message) for f in findings if f.rule in rules]


# ---- 公开02 = 公开04 ----------------------------------------------------------------------------


def test_rule_income_table_fiscal_column_equals_fiscal_income_total(demo_model):
    # 公开02 合计·财政拨款收入 D7 2839.89 -> 2840.89; 公开04 本年收入合计 C34 2839.89: one summand, off by 1.00 > 0.01 -> error
    def edit(m):
        m.income.total.values["财政拨款收入"] += D(1)

    message = (
        f"{T02}与{T04}：“公开02·合计·财政拨款收入”为 2,840.89（公开02表!D7），应等于 公开04·本年收入合计 2,839.89 = 2,839.89（公开04表!C34），相差 1.00，不平。"
    )
    assert full(findings_after(demo_model, edit), "公开02=公开04") == [
        ("error", "公开02=公开04", "公开02表", ["公开02表!D7", "公开04表!C34"], D("2839.89"), D("2840.89"), message)
    ]


def test_rule_income_table_without_a_fiscal_column_is_not_linked(demo_model):
    # a 公开02 without the 财政拨款收入 column has nothing to compare with 公开04 (not "0.00 ≠ 2,839.89")
    def edit(m):
        m.income.columns.remove("财政拨款收入")
        del m.income.total.values["财政拨款收入"]

    assert full(findings_after(demo_model, edit), "公开02=公开04") == []


# ---- 公开04 ≤ 公开01: 收入总计 and 年初结转和结余 ---------------------------------------------------------


def test_rule_fiscal_grand_total_within_summary_grand_total(demo_model):
    # 公开04 收入总计 C39 3046.29 -> 3066.29 > 公开01 收入总计 C37 3058.79 (by 7.50) -> error
    def edit(m):
        m.fiscal_summary.totals["收入总计"].values["金额"] += D(20)

    message = f"{T04}与{T01}：“公开04·收入总计” 3,066.29（公开04表!C39）大于“公开01·收入总计” 3,058.79（公开01表!C37）。{PART_NOTE}"
    assert full(findings_after(demo_model, edit), "公开04≤公开01") == [
        ("error", "公开04≤公开01", "公开04表", ["公开04表!C39", "公开01表!C37"], D("3058.79"), D("3066.29"), message)
    ]


def test_rule_fiscal_carry_over_within_summary_carry_over(demo_model):
    # 公开04 年初结转和结余 C35 206.40 -> 207.40 > 公开01 年初结转和结余 C35 206.40 (by 1.00) -> error
    def edit(m):
        m.fiscal_summary.totals["年初结转和结余"].values["金额"] += D(1)

    message = f"{T04}与{T01}：“公开04·年初结转和结余” 207.40（公开04表!C35）大于“公开01·年初结转和结余” 206.40（公开01表!C35）。{PART_NOTE}"
    assert full(findings_after(demo_model, edit), "公开04≤公开01") == [
        ("error", "公开04≤公开01", "公开04表", ["公开04表!C35", "公开01表!C35"], D("206.40"), D("207.40"), message)
    ]


def test_rule_fiscal_carry_over_below_summary_is_fine(demo_model):
    # 公开04 年初结转和结余 206.40 -> 106.40 ≤ 公开01 206.40: the part is smaller, no 公开04≤公开01 finding
    # (公开04's own identities break, but that is another rule)
    def edit(m):
        m.fiscal_summary.totals["年初结转和结余"].values["金额"] -= D(100)

    assert full(findings_after(demo_model, edit), "公开04≤公开01") == []


# ---- 公开08: 年末结转和结余 ------------------------------------------------------------------------


def test_rule_gov_fund_year_end_equals_fiscal_summary(demo_model):
    # 公开08 合计·年末结转和结余 H7 10.00 -> 11.00; 公开04 年末结转和结余·政府性基金 H35 10.00: off by 1.00 -> error
    def edit(m):
        m.gov_fund.total.values["年末结转和结余"] += D(1)

    message = (
        f"{T08}与{T04}：“合计·年末结转和结余”为 11.00（公开08表!H7），应等于 公开04·年末结转和结余·政府性基金 10.00 = 10.00（公开04表!H35），相差 1.00，不平。"
    )
    assert full(findings_after(demo_model, edit), "公开08=公开04") == [
        ("error", "公开08=公开04", "公开08表", ["公开08表!H7", "公开04表!H35"], D("10.00"), D("11.00"), message)
    ]


# ---- 国有资本经营: 公开09 in the 收入支出 layout ----------------------------------------------------------
# The sample's 公开09 is the 上海2024 支出表 (本年支出/基本支出/项目支出 only). Some provinces print the
# 收入支出表, with 年初结转和结余 (C7), 本年收入 (D7) and 年末结转和结余 (H7) like 公开08. The sample has no
# 国有资本经营 money at all: 公开04 C38 (年初·国有资本经营), C10 (income line), I35 (年末·国有资本经营) and
# 公开01 C9 (income line) are all 0.00, so a consistent 公开09 of this layout holds zeros.

CAPITAL_COLUMNS = {"年初结转和结余": "C7", "本年收入": "D7", "本年支出": "E7", "基本支出": "F7", "项目支出": "G7", "年末结转和结余": "H7"}


def capital_table(column: str | None = None, value: str = "0"):
    """The sample with a 公开09 of the 收入支出 layout, all zeros, and ``column`` of its 合计 row set to ``value``."""

    def edit(m):
        t = m.state_capital
        assert t.kind == TableKind.state_capital
        t.title = "国有资本经营预算财政拨款收入支出决算表"
        t.columns = list(CAPITAL_COLUMNS)
        t.total.values = {c: D("0.00") for c in CAPITAL_COLUMNS}
        t.total.cells = dict(CAPITAL_COLUMNS)
        if column is not None:
            t.total.values[column] = D(value)

    return edit


def test_rule_state_capital_income_expenditure_table_consistent_is_silent(demo_model):
    assert full(findings_after(demo_model, capital_table()), "公开08=公开04", "公开08=公开01") == []


def test_rule_state_capital_carry_over_equals_fiscal_summary(demo_model):
    # 公开09 合计·年初结转和结余 C7 0.00 -> 1.00; 公开04 年初结转和结余·国有资本经营 C38 0.00: off by 1.00 -> error
    # (a zero summand is left out of the cells but still named: "0.00 = 0.00")
    message = f"{T09}与{T04}：“合计·年初结转和结余”为 1.00（公开09表!C7），应等于 公开04·年初结转和结余·国有资本经营 0.00 = 0.00（无非零项），相差 1.00，不平。"
    assert full(findings_after(demo_model, capital_table("年初结转和结余", "1.00")), "公开08=公开04") == [
        ("error", "公开08=公开04", "公开09表", ["公开09表!C7"], D("0.00"), D("1.00"), message)
    ]


def test_rule_state_capital_income_equals_both_summaries(demo_model):
    # 公开09 合计·本年收入 D7 0.00 -> 2.50; 公开04 国有资本经营预算财政拨款收入 C10 0.00 and 公开01 C9 0.00: two errors
    found = full(findings_after(demo_model, capital_table("本年收入", "2.50")), "公开08=公开04", "公开08=公开01")
    assert found == [
        (
            "error",
            "公开08=公开04",
            "公开09表",
            ["公开09表!D7"],
            D("0.00"),
            D("2.50"),
            f"{T09}与{T04}：“合计·本年收入”为 2.50（公开09表!D7），应等于 公开04·国有资本经营预算财政拨款收入 0.00 = 0.00（无非零项），相差 2.50，不平。",
        ),
        (
            "error",
            "公开08=公开01",
            "公开09表",
            ["公开09表!D7"],
            D("0.00"),
            D("2.50"),
            f"{T09}与{T01}：“合计·本年收入”为 2.50（公开09表!D7），应等于 公开01·国有资本经营预算财政拨款收入 0.00 = 0.00（无非零项），相差 2.50，不平。",
        ),
    ]


def test_rule_state_capital_year_end_equals_fiscal_summary(demo_model):
    # 公开09 合计·年末结转和结余 H7 0.00 -> 0.05; 公开04 年末结转和结余·国有资本经营 I35 0.00: 0.05 > 0.01 -> error
    message = f"{T09}与{T04}：“合计·年末结转和结余”为 0.05（公开09表!H7），应等于 公开04·年末结转和结余·国有资本经营 0.00 = 0.00（无非零项），相差 0.05，不平。"
    assert full(findings_after(demo_model, capital_table("年末结转和结余", "0.05")), "公开08=公开04") == [
        ("error", "公开08=公开04", "公开09表", ["公开09表!H7"], D("0.00"), D("0.05"), message)
    ]


def test_rule_fiscal_spending_within_summary_spending(demo_model):
    # 公开04 本年支出合计·合计 F34 2984.11 -> 3004.11 > 公开01 本年支出合计 F33 2996.61 (by 7.50) -> error
    def edit(m):
        m.fiscal_summary.totals["本年支出合计"].values["合计"] += D(20)

    message = f"{T04}与{T01}：“公开04·本年支出合计” 3,004.11（公开04表!F34）大于“公开01·本年支出合计” 2,996.61（公开01表!F33）。{PART_NOTE}"
    assert full(findings_after(demo_model, edit), "公开04≤公开01") == [
        ("error", "公开04≤公开01", "公开04表", ["公开04表!F34", "公开01表!F33"], D("2996.61"), D("3004.11"), message)
    ]


def test_rule_total_missing_from_the_summary_is_not_compared(demo_model):
    # 公开01 without a 年末结转和结余 row: 公开04's 62.18 has nothing to be compared with (not "62.18 > 0.00")
    def edit(m):
        del m.summary.totals["年末结转和结余"]

    assert full(findings_after(demo_model, edit), "公开04≤公开01") == []


# ---- every "part ≤ whole" link: an excess within the 尾数 tolerance is a warning ----------------------
# Each case raises the part by 0.01 over its whole (one summand each side: tolerance 0.01 × 2 = 0.02).
WITHIN = "（尾数误差范围内）"
T03 = "“支出决算表”（工作表“公开03表”）"
T05 = "“一般公共预算财政拨款支出决算表”（工作表“公开05表”）"
T07 = "“一般公共预算财政拨款三公经费支出决算表”（工作表“公开07表”）"
GPB_NOTE = "一般公共预算财政拨款支出是本年支出合计的一部分，不能大于它。请核对两张表是否为同一单位、同一年度、同一口径。"
SANGONG_NOTE = "“三公”经费是财政拨款支出的一部分，不能大于它。请核对两张表是否为同一单位、同一年度、同一口径。"


def _set(get, column: str, value: str):
    def edit(m):
        get(m).values[column] = D(value)

    return edit


TOLERANCE_CASES = [
    (
        # 公开04 年初结转和结余 C35 206.40 -> 206.41 vs 公开01 C35 206.40
        "04-total",
        _set(lambda m: m.fiscal_summary.totals["年初结转和结余"], "金额", "206.41"),
        "公开04≤公开01",
        "公开04表",
        ["公开04表!C35", "公开01表!C35"],
        "206.40",
        "206.41",
        f"{T04}与{T01}：“公开04·年初结转和结余” 206.41（公开04表!C35）大于“公开01·年初结转和结余” 206.40（公开01表!C35）{WITHIN}。{PART_NOTE}",
    ),
    (
        # 公开04 类 221 合计 F26 99.63 -> 99.64 vs 公开01 类 221 F25 99.63
        "04-class",
        _set(lambda m: m.fiscal_summary.class_line("221"), "合计", "99.64"),
        "公开04≤公开01",
        "公开04表",
        ["公开04表!F26", "公开01表!F25"],
        "99.63",
        "99.64",
        f"{T04}与{T01}：“公开04·住房保障支出” 99.64（公开04表!F26）大于“公开01·住房保障支出” 99.63（公开01表!F25）{WITHIN}。{PART_NOTE}",
    ),
    (
        # 公开05 合计·项目支出 E7 1298.29 -> 1470.80 vs 公开03 合计·项目支出 E7 1470.79
        "05-03-column",
        _set(lambda m: m.gpb_expenditure.total, "项目支出", "1470.80"),
        "公开05≤公开03",
        "公开05表",
        ["公开05表!E7", "公开03表!E7"],
        "1470.79",
        "1470.80",
        f"{T05}与{T03}：“公开05·合计·项目支出” 1,470.80（公开05表!E7）大于“公开03·合计·项目支出” 1,470.79（公开03表!E7）{WITHIN}。{GPB_NOTE}",
    ),
    (
        # 公开05 类 221 合计 C26 99.63 -> 99.64 vs 公开03 类 221 C29 99.63
        "05-03-class",
        _set(lambda m: m.gpb_expenditure.row("221"), "合计", "99.64"),
        "公开05≤公开03",
        "公开05表",
        ["公开05表!C26", "公开03表!C29"],
        "99.63",
        "99.64",
        f"{T05}与{T03}：“公开05·221 住房保障支出” 99.64（公开05表!C26）大于“公开03·221 住房保障支出” 99.63（公开03表!C29）{WITHIN}。{GPB_NOTE}",
    ),
    (
        # 公开05 合计 C7 2824.11 -> 2996.62 vs 公开01 本年支出合计 F33 2996.61 (公开05≤公开03 fires too: another rule)
        "05-01",
        _set(lambda m: m.gpb_expenditure.total, "合计", "2996.62"),
        "公开05≤公开01",
        "公开05表",
        ["公开05表!C7", "公开01表!F33"],
        "2996.61",
        "2996.62",
        f"{T05}与{T01}：“公开05·合计” 2,996.62（公开05表!C7）大于“公开01·本年支出合计” 2,996.61（公开01表!F33）{WITHIN}。{GPB_NOTE}",
    ),
    (
        # 公开07 决算数·合计 G8 9.71 -> 2984.12 vs 公开04 本年支出合计·合计 F34 2984.11
        "07-04",
        _set(lambda m: m.sangong.actual, "合计", "2984.12"),
        "公开07≤公开04",
        "公开07表",
        ["公开07表!G8", "公开04表!F34"],
        "2984.11",
        "2984.12",
        f"{T07}与{T04}：“公开07·决算数·合计” 2,984.12（公开07表!G8）大于“公开04·本年支出合计” 2,984.11（公开04表!F34）{WITHIN}。{SANGONG_NOTE}",
    ),
]


@pytest.mark.parametrize("edit, rule, sheet, cells, expected, found, message", [c[1:] for c in TOLERANCE_CASES], ids=[c[0] for c in TOLERANCE_CASES])
def test_rule_part_over_its_whole_within_tolerance_is_a_warning(demo_model, edit, rule, sheet, cells, expected, found, message):
    assert full(findings_after(demo_model, edit), rule) == [("warning", rule, sheet, cells, D(expected), D(found), message)]


# ---- 公开05 ≤ 公开03: each column pair; guards for tables without a row or column ------------------


@pytest.mark.parametrize(
    "column, value, cells, expected, found, shown",
    [
        # 公开05 合计·合计 C7 2824.11 -> 3000.00 > 公开03 合计·本年支出合计 C7 2996.61 (公开05≤公开01 fires too: another rule)
        (
            "合计",
            "3000.00",
            ["公开05表!C7", "公开03表!C7"],
            "2996.61",
            "3000.00",
            "“公开05·合计·合计” 3,000.00（公开05表!C7）大于“公开03·合计·本年支出合计” 2,996.61（公开03表!C7）",
        ),
        # 公开05 合计·基本支出 D7 1525.82 -> 1526.82 > 公开03 合计·基本支出 D7 1525.82 (all basic spending is 一般公共预算)
        (
            "基本支出",
            "1526.82",
            ["公开05表!D7", "公开03表!D7"],
            "1525.82",
            "1526.82",
            "“公开05·合计·基本支出” 1,526.82（公开05表!D7）大于“公开03·合计·基本支出” 1,525.82（公开03表!D7）",
        ),
    ],
)
def test_rule_gpb_column_within_expenditure_column(demo_model, column, value, cells, expected, found, shown):
    message = f"{T05}与{T03}：{shown}。{GPB_NOTE}"
    assert full(findings_after(demo_model, _set(lambda m: m.gpb_expenditure.total, column, value)), "公开05≤公开03") == [
        ("error", "公开05≤公开03", "公开05表", cells, D(expected), D(found), message)
    ]


def test_rule_gpb_total_over_summary_spending_is_an_error(demo_model):
    # 公开05 合计 C7 2824.11 -> 3100.00 > 公开01 本年支出合计 F33 2996.61: 103.39 over, far beyond 尾数 (公开05≤公开03 fires too)
    message = f"{T05}与{T01}：“公开05·合计” 3,100.00（公开05表!C7）大于“公开01·本年支出合计” 2,996.61（公开01表!F33）。{GPB_NOTE}"
    assert full(findings_after(demo_model, _set(lambda m: m.gpb_expenditure.total, "合计", "3100.00")), "公开05≤公开01") == [
        ("error", "公开05≤公开01", "公开05表", ["公开05表!C7", "公开01表!F33"], D("2996.61"), D("3100.00"), message)
    ]


def test_rule_class_outside_the_official_list_is_named_by_its_code(demo_model):
    # 类 221 typed as 299 in both tables (no such 类 in the 2024 list): 公开05 199.63 > 公开03 99.63, labelled by the code
    def edit(m):
        m.gpb_expenditure.row("221").code = m.expenditure.row("221").code = "299"
        next(r for r in m.gpb_expenditure.rows if r.code == "299").values["合计"] += D(100)

    (message,) = [f.message for f in findings_after(demo_model, edit) if f.rule == "公开05≤公开03"]
    assert f"{T05}与{T03}：“公开05·299 299” 199.63（公开05表!C26）大于“公开03·299 299” 99.63（公开03表!C29）。" in message


def test_rule_fiscal_spending_within_summary_by_the_first_column_when_there_is_no_total_column(demo_model):
    # a 公开04 without a 合计 column: its 本年支出合计 is read in the first column, 一般公共预算 G34 (2824.11 -> 3100.00)
    # > 公开01 本年支出合计 F33 2996.61
    def edit(m):
        m.fiscal_summary.expenditure_columns.remove("合计")
        m.fiscal_summary.totals["本年支出合计"].values["一般公共预算"] = D("3100.00")

    found = [(f.level, f.cells, f.expected, f.found) for f in findings_after(demo_model, edit) if f.rule == "公开04≤公开01"]
    assert found == [("error", ["公开04表!G34", "公开01表!F33"], D("2996.61"), D("3100.00"))]


def test_rule_fiscal_total_column_is_found_wherever_it_stands(demo_model):
    # a 公开04 whose 合计 column comes after the fund columns: 合计 is still the column compared (F34, not G34)
    def edit(m):
        m.fiscal_summary.expenditure_columns.remove("合计")
        m.fiscal_summary.expenditure_columns.append("合计")
        m.fiscal_summary.totals["本年支出合计"].values["合计"] = D("3100.00")  # 2984.11 -> 3100.00 > 公开01 F33 2996.61
        m.sangong.actual.values["合计"] = D("3000.00")  # 9.71 -> 3000.00 < 3100.00 but > 一般公共预算 G34 2824.11

    found = findings_after(demo_model, edit)
    assert [(f.cells, f.expected, f.found) for f in found if f.rule == "公开04≤公开01"] == [(["公开04表!F34", "公开01表!F33"], D("2996.61"), D("3100.00"))]
    assert [f for f in found if f.rule == "公开07≤公开04"] == []  # 3,000.00 ≤ 合计 3,100.00


def test_rule_fiscal_class_outside_the_official_list_is_named_by_its_code(demo_model):
    # 类 221 typed as 299 on both 公开04 and 公开01: 公开04 99.63 + 100 = 199.63 > 公开01 99.63, labelled by the code
    def edit(m):
        line04 = m.fiscal_summary.class_line("221")
        next(r for r in m.summary.expenditure if r.key == "221").key = line04.key = "299"
        line04.values["合计"] += D(100)

    (message,) = [f.message for f in findings_after(demo_model, edit) if f.rule == "公开04≤公开01"]
    assert message == f"{T04}与{T01}：“公开04·299” 199.63（公开04表!F26）大于“公开01·299” 99.63（公开01表!F25）。{PART_NOTE}"


def test_rule_sangong_within_the_first_fiscal_column_when_there_is_no_total_column(demo_model):
    # a 公开04 without a 合计 column: 三公 is weighed against its first column, 一般公共预算 G34 2824.11
    def edit(m):
        m.fiscal_summary.expenditure_columns.remove("合计")
        m.sangong.actual.values["合计"] = D("3000.00")

    found = [(f.level, f.cells, f.expected, f.found) for f in findings_after(demo_model, edit) if f.rule == "公开07≤公开04"]
    assert found == [("error", ["公开07表!G8", "公开04表!G34"], D("2824.11"), D("3000.00"))]


def test_rule_expenditure_table_without_total_row_compares_classes_only(demo_model):
    # 公开03 without its 合计 row: the three column pairs are not compared (not "2,824.11 > 0.00"); the 类 still are
    def edit(m):
        m.expenditure.total = None
        m.gpb_expenditure.row("221").values["合计"] += D(100)  # 公开05 类 221 199.63 > 公开03 类 221 99.63

    found = [(f.level, f.cells) for f in findings_after(demo_model, edit) if f.rule == "公开05≤公开03"]
    assert found == [("error", ["公开05表!C26", "公开03表!C29"])]


def test_rule_expenditure_table_without_a_column_skips_that_pair(demo_model):
    # 公开03 without 基本支出: 公开05's 基本支出 1,525.82 has nothing to be compared with
    def edit(m):
        m.expenditure.columns.remove("基本支出")
        del m.expenditure.total.values["基本支出"]

    assert full(findings_after(demo_model, edit), "公开05≤公开03") == []


# ---- 公开08/09 guards -----------------------------------------------------------------------------


def test_rule_state_capital_checked_when_the_gov_fund_table_has_no_total(demo_model):
    # 公开08 without a 合计 row is skipped; 公开09 (收入支出 layout) is still compared: 年初 0.00 -> 1.00 vs 公开04 C38 0.00
    def edit(m):
        m.gov_fund.total = None
        capital_table("年初结转和结余", "1.00")(m)

    found = [(f.sheet, f.cells, f.expected, f.found) for f in findings_after(demo_model, edit) if f.rule == "公开08=公开04"]
    assert found == [("公开09表", ["公开09表!C7"], D("0.00"), D("1.00"))]


def test_rule_expenditure_only_fund_table_has_no_carry_overs_to_compare(demo_model):
    # the sample's 公开09 is the 支出 layout (本年支出/基本支出/项目支出): with 公开04's 国有资本经营 年初 C38 and 年末 I35
    # set to 1.00 there is no 公开09 年初/年末 column to compare them with (公开04's own sums break: other rules)
    def edit(m):
        m.fiscal_summary.totals["年初结转和结余:国有资本经营"].values["金额"] = D("1.00")
        m.fiscal_summary.totals["年末结转和结余"].values["国有资本经营"] = D("1.00")

    assert full(findings_after(demo_model, edit), "公开08=公开04", "公开08=公开01") == []
