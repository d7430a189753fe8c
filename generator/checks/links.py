"""Cross-table links beyond the identities §6 names (a reviewer's checks, issue 9 item 1).

Derived from what each table holds: 公开04 is the 财政拨款 part of 公开01, 公开05 the
一般公共预算 part of 公开03, 公开08/09 the fund columns of 公开04. Equalities go through the
尾数 tolerance; "part ≤ whole" is an error beyond it. The README's chapter on `check` lists
every link made here (LINKS).
"""

from __future__ import annotations

from ..keys import CLASS_NAMES, FISCAL_INCOME_LINES
from ..model import BalanceTable, SubjectTable, UnitAccounts
from .core import Checker, Term, label, term

# (rule, what it says) — the README lists these.
LINKS = [
    ("公开01=公开04.收入", "公开01 的财政拨款收入各行（一般公共预算/政府性基金/国有资本经营；2018 版为“财政拨款收入”）= 公开04 对应收入行"),
    ("公开01=公开04.本年收入", "公开01 财政拨款收入之和 = 公开04 本年收入合计"),
    ("公开04≤公开01", "公开04 收入总计、本年支出合计、年初/年末结转和结余 ≤ 公开01 对应数；公开04 各类支出 ≤ 公开01 同类支出"),
    ("公开02=公开04", "公开02 合计行“财政拨款收入”= 公开04 本年收入合计"),
    ("公开08=公开04", "公开08（09）合计行的年初结转和结余、本年收入、年末结转和结余 = 公开04 对应的政府性基金（国有资本经营）数"),
    ("公开08=公开01", "公开08 本年收入 = 公开01 政府性基金预算财政拨款收入（公开09 同理）"),
    ("公开05≤公开03", "公开05 合计、基本支出、项目支出 ≤ 公开03 合计行对应列；公开05 各类 ≤ 公开03 同类"),
    ("公开05≤公开01", "公开05 合计 ≤ 公开01 本年支出合计"),
    ("公开07≤公开04", "公开07 决算合计 ≤ 公开04 本年支出合计（三公经费是财政拨款支出的一部分）"),
]

_FUND_LINE = {"一般公共预算": "一般公共预算财政拨款收入", "政府性基金": "政府性基金预算财政拨款收入", "国有资本经营": "国有资本经营预算财政拨款收入"}
_PART_NOTE = "{part}是{whole}的一部分，不能大于它。请核对两张表是否为同一单位、同一年度、同一口径。"


def _income(t: BalanceTable, key: str, label_: str) -> Term | None:
    row = t.income_line(key)
    return None if row is None else term(row, "金额", t.sheet, label_)


def check_fiscal_income(ck: Checker, m: UnitAccounts) -> None:
    """公开01 财政拨款 income lines = 公开04 income lines; their sum = 公开04 本年收入合计."""
    t01, t04 = m.summary, m.fiscal_summary
    pair = f"{label(t01)}与{label(t04)}"
    keys = ["财政拨款收入"] if t01.income_line("财政拨款收入") is not None else [f"{line}收入" for line in FISCAL_INCOME_LINES]
    parts = []
    for key in keys:
        a = _income(t01, key, f"公开01·{key}")
        b = _income(t04, key, f"公开04·{key}")
        if a is not None:
            parts.append(a)
        if a is not None and b is not None:
            ck.equal("公开01=公开04.收入", pair, b, [a])
    if parts:
        ck.equal("公开01=公开04.本年收入", pair, term(t04.totals.get("本年收入合计"), "金额", t04.sheet, "公开04·本年收入合计"), parts)


def check_fiscal_within_summary(ck: Checker, m: UnitAccounts) -> None:
    """公开04 (财政拨款 only) never exceeds 公开01 (all funds): totals, carry-overs and each 类."""
    t01, t04 = m.summary, m.fiscal_summary
    pair = f"{label(t04)}与{label(t01)}"
    col = "合计" if "合计" in t04.expenditure_columns else t04.expenditure_columns[0]
    note = _PART_NOTE.format(part="财政拨款", whole="全部资金")
    for key, col04 in (("收入总计", "金额"), ("年初结转和结余", "金额"), ("本年支出合计", col), ("年末结转和结余", col)):
        row04, row01 = t04.totals.get(key), t01.totals.get(key)
        if row04 is not None and row01 is not None:
            ck.at_most(
                "公开04≤公开01",
                pair,
                term(row04, col04, t04.sheet, f"公开04·{key}"),
                term(row01, "金额", t01.sheet, f"公开01·{key}"),
                note,
                level="error",
                tolerant=True,
            )
    lines01 = {r.key: r for r in t01.expenditure}
    for row in t04.expenditure:
        title = CLASS_NAMES.get(row.key, row.key)
        ck.at_most(
            "公开04≤公开01",
            pair,
            term(row, col, t04.sheet, f"公开04·{title}"),
            term(lines01.get(row.key), "金额", t01.sheet, f"公开01·{title}"),
            note,
            level="error",
            tolerant=True,
        )


def check_income_table_fiscal(ck: Checker, m: UnitAccounts) -> None:
    t02, t04 = m.income, m.fiscal_summary
    if t02.total is None or "财政拨款收入" not in t02.columns:
        return
    ck.equal(
        "公开02=公开04",
        f"{label(t02)}与{label(t04)}",
        term(t02.total, "财政拨款收入", t02.sheet, "公开02·合计·财政拨款收入"),
        [term(t04.totals.get("本年收入合计"), "金额", t04.sheet, "公开04·本年收入合计")],
    )


def check_fund_tables(ck: Checker, m: UnitAccounts) -> None:
    """公开08/09 合计 row: 年初, 本年收入, 年末 = the fund's lines and column in 公开04 (and 公开01)."""
    t01, t04 = m.summary, m.fiscal_summary
    for fund, subject in (("政府性基金", m.gov_fund), ("国有资本经营", m.state_capital)):
        if subject is None or subject.total is None:
            continue
        pair = f"{label(subject)}与{label(t04)}"
        s = subject.sheet
        if "年初结转和结余" in subject.columns and f"年初结转和结余:{fund}" in t04.totals:
            ck.equal(
                "公开08=公开04",
                pair,
                term(subject.total, "年初结转和结余", s, "合计·年初结转和结余"),
                [term(t04.totals[f"年初结转和结余:{fund}"], "金额", t04.sheet, f"公开04·年初结转和结余·{fund}")],
            )
        if "年末结转和结余" in subject.columns and fund in t04.expenditure_columns and "年末结转和结余" in t04.totals:
            ck.equal(
                "公开08=公开04",
                pair,
                term(subject.total, "年末结转和结余", s, "合计·年末结转和结余"),
                [term(t04.totals["年末结转和结余"], fund, t04.sheet, f"公开04·年末结转和结余·{fund}")],
            )
        if "本年收入" in subject.columns:
            line04 = _income(t04, _FUND_LINE[fund], f"公开04·{_FUND_LINE[fund]}")
            if line04 is not None:
                ck.equal("公开08=公开04", pair, term(subject.total, "本年收入", s, "合计·本年收入"), [line04])
            line01 = _income(t01, _FUND_LINE[fund], f"公开01·{_FUND_LINE[fund]}")
            if line01 is not None:
                ck.equal("公开08=公开01", f"{label(subject)}与{label(t01)}", term(subject.total, "本年收入", s, "合计·本年收入"), [line01])


def _class_rows(t: SubjectTable) -> dict:
    return {r.code: r for r in t.rows if r.level == 1}


def check_gpb_within_expenditure(ck: Checker, m: UnitAccounts) -> None:
    """公开05 (一般公共预算财政拨款) never exceeds 公开03 (all funds) nor 公开01 本年支出合计."""
    t05, t03, t01 = m.gpb_expenditure, m.expenditure, m.summary
    pair = f"{label(t05)}与{label(t03)}"
    note = _PART_NOTE.format(part="一般公共预算财政拨款支出", whole="本年支出合计")
    if t05.total is not None and t03.total is not None:
        for col05, col03 in (("合计", "本年支出合计"), ("基本支出", "基本支出"), ("项目支出", "项目支出")):
            if col05 in t05.columns and col03 in t03.columns:
                ck.at_most(
                    "公开05≤公开03",
                    pair,
                    term(t05.total, col05, t05.sheet, f"公开05·合计·{col05}"),
                    term(t03.total, col03, t03.sheet, f"公开03·合计·{col03}"),
                    note,
                    level="error",
                    tolerant=True,
                )
    classes03 = _class_rows(t03)
    for code, row in _class_rows(t05).items():
        title = CLASS_NAMES.get(code, code)
        ck.at_most(
            "公开05≤公开03",
            pair,
            term(row, "合计", t05.sheet, f"公开05·{code} {title}"),
            term(classes03.get(code), "本年支出合计", t03.sheet, f"公开03·{code} {title}"),
            note,
            level="error",
            tolerant=True,
        )
    if t05.total is not None:
        ck.at_most(
            "公开05≤公开01",
            f"{label(t05)}与{label(t01)}",
            term(t05.total, "合计", t05.sheet, "公开05·合计"),
            term(t01.totals.get("本年支出合计"), "金额", t01.sheet, "公开01·本年支出合计"),
            note,
            level="error",
            tolerant=True,
        )


def check_sangong_within_fiscal(ck: Checker, m: UnitAccounts) -> None:
    t07, t04 = m.sangong, m.fiscal_summary
    col = "合计" if "合计" in t04.expenditure_columns else t04.expenditure_columns[0]
    note = _PART_NOTE.format(part="“三公”经费", whole="财政拨款支出")
    ck.at_most(
        "公开07≤公开04",
        f"{label(t07)}与{label(t04)}",
        term(t07.actual, "合计", t07.sheet, "公开07·决算数·合计"),
        term(t04.totals.get("本年支出合计"), col, t04.sheet, "公开04·本年支出合计"),
        note,
        level="error",
        tolerant=True,
    )


def run(ck: Checker, m: UnitAccounts) -> None:
    check_fiscal_income(ck, m)
    check_fiscal_within_summary(ck, m)
    check_income_table_fiscal(ck, m)
    check_fund_tables(ck, m)
    check_gpb_within_expenditure(ck, m)
    check_sangong_within_fiscal(ck, m)
