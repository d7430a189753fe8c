"""Cross-table identities (勾稽关系, §6) and the other checks run before any document is built.

Every finding names the table, the cells, the expected and the found value. A difference
within ±0.01 per summand is the 尾数误差 of the 决算软件's conversion to 万元: a warning.
Beyond that it is an error, and the build stops.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .content_checks import check_content
from .keys import CLASS_NAMES, OLD_CLASS_NAMES, class_name, strip_ordinal, vehicle_kinds
from .model import BalanceTable, Row, SubjectTable, TableKind, UnitAccounts

ZERO = Decimal(0)
CENT = Decimal("0.01")


@dataclass
class Finding:
    level: str  # "error" | "warning"
    rule: str  # stable identifier of the check, e.g. "公开01.本年收入合计"
    message: str  # one Chinese sentence for the officer
    sheet: str = ""
    cells: list[str] = field(default_factory=list)  # "工作表!C7", the checked cell first
    expected: Decimal | None = None
    found: Decimal | None = None

    def as_dict(self) -> dict:
        return {
            "level": self.level,
            "rule": self.rule,
            "message": self.message,
            "sheet": self.sheet,
            "cells": self.cells,
            "expected": None if self.expected is None else str(self.expected),
            "found": None if self.found is None else str(self.found),
        }


@dataclass
class Term:
    """One value in an identity, with where it came from."""

    value: Decimal
    sheet: str
    cell: str
    label: str

    @property
    def ref(self) -> str:
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet


def fmt(d: Decimal | None) -> str:
    if d is None:
        return "—"
    return f"{d.quantize(CENT):,}" if d == d.quantize(CENT) else f"{d:,}"


def term(row: Row | None, column: str, sheet: str, label: str) -> Term:
    if row is None:
        return Term(ZERO, sheet, "", label)
    return Term(row.value(column), sheet, row.cells.get(column, ""), label)


class Checker:
    """Collects findings; ``equal`` is the one comparison every identity goes through."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def equal(self, rule: str, table: str, target: Term, parts: list[Term], *, relation: str = "") -> None:
        expected = sum((p.value for p in parts), ZERO)
        diff = target.value - expected
        if diff == 0:
            return
        summands = max(1, sum(1 for p in parts if p.value != 0))
        tolerance = CENT * summands
        level = "warning" if abs(diff) <= tolerance else "error"
        shown = [p for p in parts if p.value != 0] or parts[:1]
        formula = relation or " + ".join(f"{p.label} {fmt(p.value)}" for p in shown)
        kind = "尾数误差（在允许的 ±0.01×{} 范围内）".format(summands) if level == "warning" else "不平"
        cells = [target.ref] + [p.ref for p in parts if p.cell and p.value != 0]
        shown_cells = "、".join(c.split("!")[-1] if c.split("!")[0] == target.sheet else c for c in cells[1:9])
        message = (
            f"{table}：“{target.label}”为 {fmt(target.value)}（{target.ref}），"
            f"应等于 {formula} = {fmt(expected)}（{shown_cells or '无非零项'}），相差 {fmt(diff)}，{kind}。"
        )
        self.findings.append(Finding(level, rule, message, target.sheet, cells, expected, target.value))

    def at_most(self, rule: str, table: str, small: Term, big: Term, note: str) -> None:
        if small.value > big.value:
            self.findings.append(
                Finding(
                    "warning",
                    rule,
                    f"{table}：“{small.label}” {fmt(small.value)}（{small.ref}）大于“{big.label}” {fmt(big.value)}（{big.ref}）。{note}",
                    small.sheet,
                    [small.ref, big.ref],
                    big.value,
                    small.value,
                )
            )

    def add(self, level: str, rule: str, message: str, sheet: str = "", cells: list[str] | None = None) -> None:
        self.findings.append(Finding(level, rule, message, sheet, cells or []))


def label(table) -> str:
    return f"“{table.title or table.kind.value}”（工作表“{table.sheet}”）"


# ---- identities ---------------------------------------------------------------------------


def check_summary(ck: Checker, t: BalanceTable) -> None:
    name = label(t)
    s = t.sheet
    ck.equal("公开01.本年收入合计", name, term(t.totals.get("本年收入合计"), "金额", s, "本年收入合计"), [term(r, "金额", s, strip_ordinal(r.name)) for r in t.income])
    ck.equal("公开01.本年支出合计", name, term(t.totals.get("本年支出合计"), "金额", s, "本年支出合计"), [term(r, "金额", s, strip_ordinal(r.name)) for r in t.expenditure])
    income_side = [term(t.totals.get(k), "金额", s, k) for k in ("本年收入合计", "使用非财政拨款结余", "年初结转和结余")]
    ck.equal("公开01.收入总计", name, term(t.totals.get("收入总计"), "金额", s, "收入总计"), income_side)
    spend_side = [term(t.totals.get(k), "金额", s, k) for k in ("本年支出合计", "结余分配", "年末结转和结余")]
    ck.equal("公开01.支出总计", name, term(t.totals.get("支出总计"), "金额", s, "支出总计"), spend_side)
    ck.equal("公开01.收支平衡", name, term(t.totals.get("收入总计"), "金额", s, "收入总计"), [term(t.totals.get("支出总计"), "金额", s, "支出总计")])


def check_subject_table(ck: Checker, t: SubjectTable) -> None:
    """类 = Σ 款, 款 = Σ 项 per column; total column = Σ components per row; 合计 = Σ 类."""
    name = label(t)
    s = t.sheet
    rule = t.kind.value
    for parent in t.rows:
        if parent.level not in (1, 2):
            continue
        children = [r for r in t.rows if r.level == parent.level + 1 and r.code.startswith(parent.code)]
        if not children:
            continue
        for col in t.columns:
            ck.equal(
                f"{rule}.层级", name, term(parent, col, s, f"{parent.code} {parent.name}·{col}"), [term(c, col, s, c.code) for c in children],
                relation=f"其下级科目（{'、'.join(c.code for c in children)}）之和",
            )
    for row in ([t.total] if t.total else []) + t.rows:
        for total_col, parts in row_components(t):
            ck.equal(
                f"{rule}.列合计", name, term(row, total_col, s, f"{row.code or row.name}·{total_col}"), [term(row, p, s, p) for p in parts]
            )
        if t.kind in (TableKind.gov_fund, TableKind.state_capital) and {"年初结转和结余", "本年收入", "本年支出", "年末结转和结余"} <= set(t.columns):
            ck.equal(
                f"{rule}.年末结转", name, term(row, "年末结转和结余", s, f"{row.code or row.name}·年末结转和结余"),
                [term(row, "年初结转和结余", s, "年初结转和结余"), term(row, "本年收入", s, "本年收入"), Term(-row.value("本年支出"), s, row.cells.get("本年支出", ""), "本年支出")],
                relation=f"年初结转和结余 {fmt(row.value('年初结转和结余'))} + 本年收入 {fmt(row.value('本年收入'))} − 本年支出 {fmt(row.value('本年支出'))}",
            )
    if t.total is not None:
        classes = [r for r in t.rows if r.level == 1]
        for col in t.columns:
            ck.equal(f"{rule}.合计", name, term(t.total, col, s, f"合计·{col}"), [term(c, col, s, c.code) for c in classes], relation="各类级科目之和")


ROW_COMPONENTS = {
    TableKind.income: [("本年收入合计", ["财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"])],
    TableKind.expenditure: [("本年支出合计", ["基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"])],
    TableKind.gpb_expenditure: [("合计", ["基本支出", "项目支出"])],
    TableKind.gov_fund: [("本年支出", ["基本支出", "项目支出"])],
    TableKind.state_capital: [("本年支出", ["基本支出", "项目支出"])],
}


def row_components(t: SubjectTable):
    for total, parts in ROW_COMPONENTS[t.kind]:
        present = [p for p in parts if p in t.columns]
        if total in t.columns and present:
            yield total, present


def check_income_vs_summary(ck: Checker, m: UnitAccounts) -> None:
    t02, t01 = m.income, m.summary
    if t02.total is None:
        return
    name = f"{label(t02)}与{label(t01)}"
    mapping = {
        "本年收入合计": ["本年收入合计"],
        "上级补助收入": ["上级补助收入"],
        "事业收入": ["事业收入"],
        "经营收入": ["经营收入"],
        "附属单位上缴收入": ["附属单位上缴收入"],
        "其他收入": ["其他收入"],
        "财政拨款收入": ["财政拨款收入", "一般公共预算财政拨款收入", "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入"],
    }
    for col, keys in mapping.items():
        if col not in t02.columns:
            continue
        parts = []
        for k in keys:
            row = t01.totals.get(k) or t01.income_line(k)
            if row is not None:
                parts.append(term(row, "金额", t01.sheet, k))
        if parts:
            ck.equal("公开02=公开01", name, term(t02.total, col, t02.sheet, f"合计·{col}"), parts)


def check_expenditure_vs_summary(ck: Checker, m: UnitAccounts) -> None:
    t03, t01 = m.expenditure, m.summary
    name = f"{label(t03)}与{label(t01)}"
    if t03.total is not None:
        ck.equal("公开03=公开01", name, term(t03.total, "本年支出合计", t03.sheet, "合计·本年支出合计"), [term(t01.totals.get("本年支出合计"), "金额", t01.sheet, "本年支出合计")])
    _classes_equal(ck, "公开03=公开01.类", name, t03, "本年支出合计", t01, "金额")


def _classes_equal(ck: Checker, rule: str, name: str, subject: SubjectTable, col: str, balance: BalanceTable, bcol: str) -> None:
    """Each 类 of a subject table equals that 类 line of a balance table (both directions)."""
    codes = {r.code for r in subject.rows if r.level == 1} | {r.key for r in balance.expenditure if r.value(bcol) != 0}
    for code in sorted(codes):
        line = balance.class_line(code)
        row = subject.row(code)
        title = CLASS_NAMES.get(code, code)
        ck.equal(rule, name, term(row, col, subject.sheet, f"{code} {title}"), [term(line, bcol, balance.sheet, f"{balance.title or '总表'}“{title}”")])


def check_fiscal_summary(ck: Checker, m: UnitAccounts) -> None:
    t = m.fiscal_summary
    name = label(t)
    s = t.sheet
    cols = t.expenditure_columns
    parts_cols = [c for c in ("一般公共预算", "政府性基金", "国有资本经营") if c in cols]
    ck.equal("公开04.本年收入合计", name, term(t.totals.get("本年收入合计"), "金额", s, "本年收入合计"), [term(r, "金额", s, strip_ordinal(r.name)) for r in t.income])
    subs = [v for k, v in t.totals.items() if k.startswith("年初结转和结余:")]
    if subs:
        ck.equal("公开04.年初结转", name, term(t.totals.get("年初结转和结余"), "金额", s, "年初财政拨款结转和结余"), [term(r, "金额", s, strip_ordinal(r.name)) for r in subs])
    ck.equal("公开04.收入总计", name, term(t.totals.get("收入总计"), "金额", s, "收入总计"), [term(t.totals.get(k), "金额", s, k) for k in ("本年收入合计", "年初结转和结余")])
    for col in cols:
        ck.equal("公开04.本年支出合计", name, term(t.totals.get("本年支出合计"), col, s, f"本年支出合计·{col}"), [term(r, col, s, strip_ordinal(r.name)) for r in t.expenditure])
        ck.equal("公开04.支出总计", name, term(t.totals.get("支出总计"), col, s, f"支出总计·{col}"), [term(t.totals.get(k), col, s, k) for k in ("本年支出合计", "年末结转和结余")])
    ck.equal("公开04.收支平衡", name, term(t.totals.get("收入总计"), "金额", s, "收入总计"), [term(t.totals.get("支出总计"), "合计", s, "支出总计")])
    if "合计" in cols and parts_cols:
        for row in t.expenditure + [t.totals[k] for k in ("本年支出合计", "年末结转和结余", "支出总计") if k in t.totals]:
            ck.equal("公开04.列合计", name, term(row, "合计", s, f"{strip_ordinal(row.name)}·合计"), [term(row, c, s, c) for c in parts_cols])
    # the fund columns equal the detailed tables, 类 by 类 and in total
    links = [("一般公共预算", m.gpb_expenditure, "合计"), ("政府性基金", m.gov_fund, "本年支出"), ("国有资本经营", m.state_capital, "本年支出")]
    for col, subject, scol in links:
        if col not in cols or subject is None:
            continue
        if scol not in subject.columns:
            continue
        pair = f"{name}与{label(subject)}"
        _classes_equal(ck, f"公开04={subject.kind.value}.类", pair, subject, scol, t, col)
        if subject.total is not None:
            ck.equal(f"公开04={subject.kind.value}", pair, term(t.totals.get("本年支出合计"), col, s, f"本年支出合计·{col}"), [term(subject.total, scol, subject.sheet, f"{subject.title}合计")])


def check_basic(ck: Checker, m: UnitAccounts) -> None:
    t = m.gpb_basic
    name = label(t)
    s = t.sheet
    for group in (r for r in t.rows if len(r.code) == 3):
        items = [r for r in t.rows if len(r.code) == 5 and r.code.startswith(group.code)]
        if items:
            ck.equal("公开06.分组", name, term(group, "决算数", s, f"{group.code} {group.name}"), [term(r, "决算数", s, r.code) for r in items], relation=f"其下各款（非零 {sum(1 for r in items if r.value('决算数'))} 项）之和")
    groups = {r.code: r for r in t.rows if len(r.code) == 3}
    personnel = [term(groups.get(c), "决算数", s, f"{c} {groups[c].name}") for c in ("301", "303") if c in groups]
    public = [term(groups[c], "决算数", s, f"{c} {groups[c].name}") for c in sorted(groups) if c not in ("301", "303")]
    ck.equal("公开06.人员经费", name, term(t.personnel_total, "决算数", s, "人员经费合计"), personnel)
    ck.equal("公开06.公用经费", name, term(t.public_total, "决算数", s, "公用经费合计"), public)
    t05 = m.gpb_expenditure
    if t05.total is not None:
        ck.equal(
            "公开05=公开06", f"{label(t05)}与{name}", term(t05.total, "基本支出", t05.sheet, "合计·基本支出"),
            [term(t.personnel_total, "决算数", s, "人员经费合计"), term(t.public_total, "决算数", s, "公用经费合计")],
        )


def check_sangong(ck: Checker, m: UnitAccounts) -> None:
    t = m.sangong
    name = label(t)
    s = t.sheet
    for row in (t.budget, t.actual):
        side = row.name
        ck.equal("公开07.合计", name, term(row, "合计", s, f"{side}·合计"), [term(row, k, s, k) for k in ("因公出国（境）费", "公务用车购置及运行维护费", "公务接待费")])
        ck.equal("公开07.用车小计", name, term(row, "公务用车购置及运行维护费", s, f"{side}·公务用车购置及运行维护费"), [term(row, k, s, k) for k in ("公务用车购置费", "公务用车运行维护费")])
    b = m.gpb_basic
    pair = f"{label(b)}与{name}"
    note = "“三公”经费表还包含项目支出中的三公经费，通常不应小于基本支出中的对应科目，请核对。"
    for code, col in (("30212", "因公出国（境）费"), ("30217", "公务接待费"), ("30231", "公务用车运行维护费"), ("31013", "公务用车购置费")):
        row = b.row(code)
        if row is not None:
            ck.at_most("公开06≤公开07", pair, term(row, "决算数", b.sheet, f"{code} {row.name}"), term(t.actual, col, s, f"决算数·{col}"), note)


def check_negatives(ck: Checker, m: UnitAccounts) -> None:
    """Amounts in these tables are never negative (年末结转 can be, in rare cases: not checked)."""
    for kind in (TableKind.income, TableKind.expenditure, TableKind.gpb_expenditure, TableKind.gov_fund, TableKind.state_capital):
        t = m.table(kind)
        if t is None:
            continue
        for row in t.rows:
            for col, v in row.values.items():
                if v < 0 and col != "年末结转和结余":
                    ck.add("error", "负数", f"{label(t)}：{row.code} {row.name}“{col}”为负数 {fmt(v)}，本表金额不应为负。", t.sheet, [f"{t.sheet}!{row.cells.get(col, '')}"])


def check_negative_basic(ck: Checker, m: UnitAccounts) -> None:
    """公开06 and 公开07 amounts are never negative."""
    rows = [(m.gpb_basic, r) for r in m.gpb_basic.rows] + [(m.sangong, m.sangong.budget), (m.sangong, m.sangong.actual)]
    for t, row in rows:
        for col, v in row.values.items():
            if v < 0:
                ref = f"{t.sheet}!{row.cells.get(col, '')}"
                ck.add("error", "负数", f"{label(t)}：{row.code or row.name}“{col}”为负数 {fmt(v)}（{ref}），本表金额不应为负。", t.sheet, [ref])


def check_owner(ck: Checker, m: UnitAccounts) -> None:
    """A table whose 部门 line names another unit was pasted from elsewhere (§9)."""
    unit = m.unit.name
    for kind in TableKind:
        t = m.table(kind)
        if t is None or not t.owner:
            continue
        if t.owner not in unit and unit not in t.owner:
            where = f"{t.sheet}!{t.owner_cell}" if t.owner_cell else t.sheet
            ck.add(
                "error", "表头单位", f"{label(t)}的表头单位是“{t.owner}”（{where}），与单位信息中的单位名称“{unit}”不一致，可能混入了其他单位的表。", t.sheet, [where]
            )


def check_names(ck: Checker, m: UnitAccounts) -> None:
    """科目 names are per year: warn where a table uses a name that was replaced (§5)."""
    year = m.unit.year
    for t in (m.summary, m.fiscal_summary):
        for row in t.expenditure:
            bare = strip_ordinal(row.name)
            if bare in OLD_CLASS_NAMES and year >= OLD_CLASS_NAMES[bare][1]:
                ck.add("warning", "科目名称", f"{label(t)}：“{bare}”是 {OLD_CLASS_NAMES[bare][1]} 年以前的科目名称，{year} 年应为“{class_name(row.key, year)}”，文中将使用新名称。", t.sheet, [f"{t.sheet}!{row.label_cell}"])


def check_running_costs(ck: Checker, m: UnitAccounts) -> None:
    """机关运行经费 of a 行政/参公 unit equals its 公开06 公用经费 (§5)."""
    entry = m.other.get("机关运行经费")
    public = m.gpb_basic.public_total
    if entry is None or entry.value is None or public is None:
        return
    kind = m.unit.unit_type
    if not ("行政" in kind or "参照公务员" in kind or "参公" in kind):
        return
    expected = public.value("决算数")
    if entry.value != expected:
        public_ref = f"{m.gpb_basic.sheet}!{public.cells.get('决算数', '')}"
        ck.findings.append(
            Finding(
                "warning",
                "机关运行经费",
                f"“其他事项”中的机关运行经费 {fmt(entry.value)}（其他事项!{entry.cell}）与“{m.gpb_basic.title}”的公用经费合计 {fmt(expected)}（{public_ref}）不一致；"
                f"{kind}的机关运行经费应等于一般公共预算财政拨款基本支出中的公用经费，请核对。",
                "其他事项",
                [f"其他事项!{entry.cell}", public_ref],
                expected,
                entry.value,
            )
        )


def check_vehicles(ck: Checker, m: UnitAccounts) -> None:
    total = m.other.get("车辆总数")
    if total is None or total.value is None:
        return
    kinds = [(k, m.other[k]) for k in vehicle_kinds(m.other) if k in m.other]
    if kinds:
        ck.equal("车辆", "“其他事项”车辆", Term(total.value, "其他事项", total.cell, "车辆总数"), [Term(e.value or ZERO, "其他事项", e.cell, k) for k, e in kinds])


def check_procurement(ck: Checker, m: UnitAccounts) -> None:
    total = m.other.get("政府采购支出总额")
    parts = [(k, m.other.get(k)) for k in ("政府采购货物支出", "政府采购工程支出", "政府采购服务支出")]
    if total is not None and total.value is not None and any(e for _, e in parts):
        ck.equal("政府采购", "“其他事项”政府采购", Term(total.value, "其他事项", total.cell, "政府采购支出总额"), [Term(e.value or ZERO, "其他事项", e.cell, k) for k, e in parts if e is not None])
    sme, micro = m.other.get("授予中小企业合同金额"), m.other.get("授予小微企业合同金额")
    if sme and micro and sme.value is not None and micro.value is not None and micro.value > sme.value:
        ck.add("error", "政府采购", f"“其他事项”授予小微企业合同金额 {fmt(micro.value)} 大于授予中小企业合同金额 {fmt(sme.value)}（小微企业属于中小企业）。", "其他事项", [f"其他事项!{micro.cell}"])
    if total and sme and total.value is not None and sme.value is not None and sme.value > total.value:
        ck.add("error", "政府采购", f"“其他事项”授予中小企业合同金额 {fmt(sme.value)} 大于政府采购支出总额 {fmt(total.value)}。", "其他事项", [f"其他事项!{sme.cell}"])


def run_checks(m: UnitAccounts) -> list[Finding]:
    """All identities of §6 plus the consistency checks of §5, errors first."""
    ck = Checker()
    check_owner(ck, m)
    check_summary(ck, m.summary)
    for kind in (TableKind.income, TableKind.expenditure, TableKind.gpb_expenditure, TableKind.gov_fund, TableKind.state_capital):
        t = m.table(kind)
        if t is not None:
            check_subject_table(ck, t)
    check_income_vs_summary(ck, m)
    check_expenditure_vs_summary(ck, m)
    check_fiscal_summary(ck, m)
    check_basic(ck, m)
    check_sangong(ck, m)
    check_negatives(ck, m)
    check_negative_basic(ck, m)
    check_names(ck, m)
    check_running_costs(ck, m)
    check_vehicles(ck, m)
    check_procurement(ck, m)
    check_content(ck, m)  # texts and typed totals (content_checks.py)
    return sorted(ck.findings, key=lambda f: f.level != "error")


def has_errors(findings: list[Finding]) -> bool:
    return any(f.level == "error" for f in findings)
