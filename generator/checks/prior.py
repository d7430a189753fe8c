"""上年数 (issue 9 item 2): its own identities, and its consistency with this year's structure.

The text compares many indicators with the prior year. Two indicators that hold the same money
this year (all income is 财政拨款; all 财政拨款 spending is 一般公共预算) must not change by two
different amounts, or the document states one change twice with two values (§9, seed 000).
"""

from __future__ import annotations

from ..keys import SHEET_PRIOR
from ..model import Entry, Row, UnitAccounts
from .core import Checker, Term, fmt, round2

# total = Σ parts, checked when the total and every part are filled in.
PRIOR_SUMS = [
    ("财政拨款支出", ["一般公共预算财政拨款支出", "政府性基金预算财政拨款支出", "国有资本经营预算财政拨款支出"]),
    ("一般公共预算财政拨款支出", ["基本支出", "项目支出"]),
    ("基本支出", ["人员经费", "公用经费"]),
    ("三公经费合计", ["因公出国（境）费", "公务用车购置及运行维护费", "公务接待费"]),
    ("公务用车购置及运行维护费", ["公务用车购置费", "公务用车运行维护费"]),
]
# part ≤ whole, checked when both are filled in.
PRIOR_PARTS = [
    ("本年收入合计", "收支总计"),
    ("本年支出合计", "收支总计"),
    ("财政拨款收支总计", "收支总计"),
    ("财政拨款收入", "本年收入合计"),
    ("财政拨款支出", "本年支出合计"),
    ("财政拨款收入", "财政拨款收支总计"),
    ("财政拨款支出", "财政拨款收支总计"),
    ("一般公共预算财政拨款支出", "财政拨款支出"),
    ("一般公共预算财政拨款支出", "本年支出合计"),
    ("三公经费合计", "财政拨款支出"),
]
# Indicators that can hold the same money: (a, b, the prior keys whose sum is a − b).
SAME_MONEY = [
    ("收支总计", "财政拨款收支总计", []),
    ("本年收入合计", "财政拨款收入", []),
    ("本年支出合计", "财政拨款支出", []),
    ("本年支出合计", "一般公共预算财政拨款支出", []),
    ("财政拨款支出", "一般公共预算财政拨款支出", ["政府性基金预算财政拨款支出", "国有资本经营预算财政拨款支出"]),
    ("一般公共预算财政拨款支出", "基本支出", ["项目支出"]),
    ("一般公共预算财政拨款支出", "项目支出", ["基本支出"]),
    ("基本支出", "人员经费", ["公用经费"]),
    ("基本支出", "公用经费", ["人员经费"]),
    ("三公经费合计", "因公出国（境）费", ["公务用车购置及运行维护费", "公务接待费"]),
    ("三公经费合计", "公务用车购置及运行维护费", ["因公出国（境）费", "公务接待费"]),
    ("三公经费合计", "公务接待费", ["因公出国（境）费", "公务用车购置及运行维护费"]),
    ("公务用车购置及运行维护费", "公务用车购置费", ["公务用车运行维护费"]),
    ("公务用车购置及运行维护费", "公务用车运行维护费", ["公务用车购置费"]),
]
NAME = "“上年数”"


def _term(key: str, e: Entry | None) -> Term | None:
    if e is None or e.value is None:
        return None
    return Term(e.value, SHEET_PRIOR, e.cell, f"上年{key}")


def check_internal(ck: Checker, m: UnitAccounts) -> None:
    p = {k: _term(k, e) for k, e in m.prior.items()}
    for total, parts in PRIOR_SUMS:
        terms = [p.get(k) for k in parts]
        if p.get(total) is not None and all(t is not None for t in terms):
            ck.equal("上年数.合计", NAME, p[total], terms)
    for small, big in PRIOR_PARTS:
        if p.get(small) is not None and p.get(big) is not None:
            ck.at_most("上年数.部分≤整体", NAME, p[small], p[big], f"上年{small}是上年{big}的一部分，不能大于它。", level="error", tolerant=True)
    classes = [_term(f"{code}类", e) for code, e in sorted(m.prior_by_class.items())]
    classes = [t for t in classes if t is not None]
    if classes and p.get("一般公共预算财政拨款支出") is not None:
        ck.equal("上年数.分类合计", NAME, p["一般公共预算财政拨款支出"], classes, relation="按类列示的上年数之和")
    unit_type = m.unit.unit_type
    if ("行政" in unit_type or "参公" in unit_type or "参照公务员" in unit_type) and p.get("机关运行经费") and p.get("公用经费"):
        ck.equal("上年数.机关运行经费", NAME, p["机关运行经费"], [p["公用经费"]], level="warning")


def _cur(row: Row | None, column: str, sheet: str, label: str) -> Term | None:
    if row is None or column not in row.values:
        return None
    return Term(row.value(column), sheet, row.cells.get(column, ""), label)


def current_indicators(m: UnitAccounts) -> dict[str, Term]:
    """This year's value of each 上年数 indicator, from the cell the text quotes."""
    t01, t04, t05, t06, t07 = m.summary, m.fiscal_summary, m.gpb_expenditure, m.gpb_basic, m.sangong
    col04 = "合计" if "合计" in t04.expenditure_columns else t04.expenditure_columns[0]
    cur = {
        "收支总计": _cur(t01.totals.get("收入总计"), "金额", t01.sheet, "收入总计"),
        "本年收入合计": _cur(t01.totals.get("本年收入合计"), "金额", t01.sheet, "本年收入合计"),
        "本年支出合计": _cur(t01.totals.get("本年支出合计"), "金额", t01.sheet, "本年支出合计"),
        "财政拨款收支总计": _cur(t04.totals.get("收入总计"), "金额", t04.sheet, "财政拨款收支总计"),
        "财政拨款收入": _cur(t04.totals.get("本年收入合计"), "金额", t04.sheet, "财政拨款收入"),
        "财政拨款支出": _cur(t04.totals.get("本年支出合计"), col04, t04.sheet, "财政拨款支出"),
        "一般公共预算财政拨款支出": _cur(t05.total, "合计", t05.sheet, "一般公共预算财政拨款支出"),
        "基本支出": _cur(t05.total, "基本支出", t05.sheet, "基本支出"),
        "项目支出": _cur(t05.total, "项目支出", t05.sheet, "项目支出"),
        "人员经费": _cur(t06.personnel_total, "决算数", t06.sheet, "人员经费"),
        "公用经费": _cur(t06.public_total, "决算数", t06.sheet, "公用经费"),
    }
    for col in ("合计", "因公出国（境）费", "公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费", "公务接待费"):
        key = "三公经费合计" if col == "合计" else col
        cur[key] = _cur(t07.actual, col, t07.sheet, key)
    return {k: v for k, v in cur.items() if v is not None}


def check_same_money(ck: Checker, m: UnitAccounts) -> None:
    cur = current_indicators(m)
    prior = {k: _term(k, e) for k, e in m.prior.items()}
    for a, b, gap in SAME_MONEY:
        ca, cb, pa, pb = cur.get(a), cur.get(b), prior.get(a), prior.get(b)
        if None in (ca, cb, pa, pb) or round2(ca.value) != round2(cb.value) or round2(pa.value) == round2(pb.value):
            continue
        if gap and all(prior.get(k) is not None for k in gap):
            continue  # the prior's own parts explain (or contradict, see 上年数.合计) the difference
        da, db = round2(ca.value) - round2(pa.value), round2(cb.value) - round2(pb.value)
        ck.add(
            "warning",
            "上年数.同一笔钱",
            f"本年“{a}”与“{b}”相等（{fmt(ca.value)}，{ca.ref}、{cb.ref}），是同一笔钱；上年数却分别为 {fmt(pa.value)}（{pa.ref}）和 {fmt(pb.value)}（{pb.ref}），"
            f"文中两者比上年的增减额将分别为 {fmt(da)} 和 {fmt(db)}，同一变化出现两个数。若上年也是同一笔钱，请改正上年数；若上年结构不同，请在“上年数”中填上差额所在的指标。",
            SHEET_PRIOR,
            [pb.ref, pa.ref, ca.ref, cb.ref],
            pa.value,
            pb.value,
        )


def run(ck: Checker, m: UnitAccounts) -> None:
    check_internal(ck, m)
    check_same_money(ck, m)
