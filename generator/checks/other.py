"""其他事项 against the tables (issue 9 item 3): the counts and amounts the text quotes next to
the tables' money. Rules are data (tuples of keys) so rows added to keys.OTHER_KEYS slot in."""

from __future__ import annotations

from ..keys import OTHER_KEYS, SHEET_OTHER, vehicle_kinds
from ..model import Entry, UnitAccounts
from .core import Checker, Term, fmt, label, ref, term

# money in 公开07 决算 (column) ⇔ a count in 其他事项: money > 0 exactly when count > 0.
MONEY_AND_COUNT = [
    ("公务用车购置费", "公务用车购置数"),
    ("因公出国（境）费", "因公出国（境）团组数"),
    ("公务接待费", "公务接待批次"),
]
# amount in 其他事项 ⇔ count in 其他事项.
OTHER_MONEY_AND_COUNT = [("外宾接待费", "外宾接待批次")]
# (small, big, level): a part of something cannot exceed it.
OTHER_PARTS = [
    ("外宾接待批次", "公务接待批次", "error"),
    ("外宾接待人次", "公务接待人次", "error"),
    ("因公出国（境）团组数", "因公出国（境）人次", "error"),  # every 团组 has at least one person
    ("公务接待批次", "公务接待人次", "error"),
    ("公务用车保有量", "车辆总数", "error"),
    ("公务用车购置数", "公务用车保有量", "warning"),  # cars bought this year are normally still held
    ("授予中小企业合同金额", "政府采购支出总额", "error"),
    ("授予小微企业合同金额", "授予中小企业合同金额", "error"),
    ("面向小微企业预留项目预算金额", "面向中小企业预留项目预算金额", "error"),
]
# 其他事项 amount ≥ the 公开06 item (公开06 counts 基本支出 only): (key, 经济分类 code).
OTHER_VS_BASIC = [("会议费", "30215"), ("培训费", "30216")]
PROCUREMENT_TOTAL = "政府采购支出总额"


def procurement_kinds() -> list[str]:
    """政府采购 by kind (货物/工程/服务 …): every 万元 row "政府采购…支出" except the total."""
    return [k for k, unit in OTHER_KEYS.items() if k.startswith("政府采购") and k.endswith("支出") and k != PROCUREMENT_TOTAL and unit == "万元"]


def _procurement_total(m: UnitAccounts) -> Term | list[Term] | None:
    """The typed 政府采购支出总额, or — left blank, as the workbook allows — its kinds (a sum whose
    finding names each kind's cell, never one kind's cell as if it held the total)."""
    typed = _t(m, PROCUREMENT_TOTAL)
    if typed is not None:
        return typed
    kinds = [t for t in (_t(m, k) for k in procurement_kinds()) if t is not None]
    return kinds or None


def _t(m: UnitAccounts, key: str) -> Term | None:
    e: Entry | None = m.other.get(key)
    if e is None or e.value is None:
        return None
    return Term(e.value, SHEET_OTHER, e.cell, key)


NAME = "“其他事项”"


def check_counts_vs_money(ck: Checker, m: UnitAccounts) -> None:
    t07 = m.sangong
    pairs = [(term(t07.actual, col, t07.sheet, f"{label(t07)}决算数·{col}"), key) for col, key in MONEY_AND_COUNT]
    pairs += [(_t(m, money), key) for money, key in OTHER_MONEY_AND_COUNT]
    for money, key in pairs:
        count = _t(m, key)
        if money is None or count is None or (money.value > 0) == (count.value > 0):
            continue
        if money.value > 0:
            text = f"{money.label} {fmt(money.value)}（{money.ref}）大于 0，而{NAME}“{key}”为 0（{count.ref}）：有支出就应有{OTHER_KEYS.get(key, '')}数。"
            expected = "> 0"
        else:
            text = f"{NAME}“{key}”为 {count.value}（{count.ref}），而{money.label}为 0（{money.ref}）：没有支出就不应有{OTHER_KEYS.get(key, '')}数。"
            expected = "0"
        ck.add("error", "其他事项.个数与金额", text, SHEET_OTHER, [count.ref, money.ref], expected, count.value)


def check_parts(ck: Checker, m: UnitAccounts) -> None:
    for small, big, level in OTHER_PARTS:
        s, b = _t(m, small), _procurement_total(m) if big == PROCUREMENT_TOTAL else _t(m, big)
        if s is not None and b is not None:
            ck.at_most("其他事项.部分≤整体", NAME, s, b, f"“{small}”不能大于“{big}”。", level=level)
    ext = _t(m, "外宾接待费")
    if ext is not None:
        t07 = m.sangong
        ck.at_most(
            "其他事项.部分≤整体",
            NAME,
            ext,
            term(t07.actual, "公务接待费", t07.sheet, "公开07决算数·公务接待费"),
            "外宾接待费是公务接待费的一部分。",
            level="error",
            tolerant=True,
        )


def check_sums(ck: Checker, m: UnitAccounts) -> None:
    total = _t(m, PROCUREMENT_TOTAL)
    kinds = [t for t in (_t(m, k) for k in procurement_kinds()) if t is not None]
    if total is not None and kinds:
        ck.equal("政府采购", NAME, total, kinds)
    vehicles = _t(m, "车辆总数")
    parts = [t for t in (_t(m, k) for k in vehicle_kinds(m.other)) if t is not None]
    if vehicles is not None and parts:
        ck.equal("车辆", NAME, vehicles, parts, relation="各类车辆之和")


def check_vs_basic(ck: Checker, m: UnitAccounts) -> None:
    """会议费/培训费 ≥ 公开06 30215/30216 (公开06 is 基本支出 only: below it is a warning; 0 while
    公开06 shows money is an error — the text would say there was none)."""
    t06 = m.gpb_basic
    for key, code in OTHER_VS_BASIC:
        mine = _t(m, key)
        row = t06.row(code)
        if mine is None or row is None:
            continue
        basic = term(row, "决算数", t06.sheet, f"{code} {row.name}")
        if mine.value >= basic.value:
            continue
        level = "error" if mine.value == 0 else "warning"
        ck.add(
            level,
            "其他事项.公开06",
            f"{NAME}“{key}” {fmt(mine.value)}（{mine.ref}）小于{label(t06)}“{basic.label}” {fmt(basic.value)}（{basic.ref}）。"
            + ("文中会写“未发生”，与表矛盾。" if level == "error" else "公开06 只含基本支出，其他事项应包括全部资金的该项支出，通常不应更小，请核对。"),
            SHEET_OTHER,
            [mine.ref, basic.ref],
            basic.value,
            mine.value,
        )


def is_administrative(unit_type: str) -> bool:
    return "行政" in unit_type or "参照公务员" in unit_type or "参公" in unit_type


def check_running_costs(ck: Checker, m: UnitAccounts) -> None:
    """机关运行经费 of a 行政/参公 unit equals its 公开06 公用经费 (§5); for other units it is not checked."""
    entry = m.other.get("机关运行经费")
    public = m.gpb_basic.public_total
    kind = m.unit.unit_type
    if entry is None or entry.value is None or not kind:
        return
    here = ref(SHEET_OTHER, entry.cell)
    if not is_administrative(kind):
        return  # the identity holds for 行政/参公 units only; others may state it on their own basis
    if public is None:
        return
    expected = public.value("决算数")
    if entry.value != expected:
        public_ref = f"{m.gpb_basic.sheet}!{public.cells.get('决算数', '')}"
        ck.add(
            "warning",
            "机关运行经费",
            f"“其他事项”中的机关运行经费 {fmt(entry.value)}（{here}）与“{m.gpb_basic.title}”的公用经费合计 {fmt(expected)}（{public_ref}）不一致；"
            f"{kind}的机关运行经费应等于一般公共预算财政拨款基本支出中的公用经费，请核对。",
            SHEET_OTHER,
            [here, public_ref],
            expected,
            entry.value,
        )


def run(ck: Checker, m: UnitAccounts) -> None:
    check_counts_vs_money(ck, m)
    check_parts(ck, m)
    check_sums(ck, m)
    check_vs_basic(ck, m)
    check_running_costs(ck, m)
