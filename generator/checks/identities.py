"""§6 cross-table identities (勾稽关系) of the nine tables: sums, levels, and the links §6 names."""

from __future__ import annotations

from ..keys import CLASS_NAMES, OLD_CLASS_NAMES, class_name, strip_ordinal
from ..model import BalanceTable, SubjectTable, TableKind, UnitAccounts
from .core import Checker, Term, fmt, label, term

# ---- identities ---------------------------------------------------------------------------


def check_summary(ck: Checker, t: BalanceTable) -> None:
    name = label(t)
    s = t.sheet
    ck.equal(
        "公开01.本年收入合计",
        name,
        term(t.totals.get("本年收入合计"), "金额", s, "本年收入合计"),
        [term(r, "金额", s, strip_ordinal(r.name)) for r in t.income],
    )
    ck.equal(
        "公开01.本年支出合计",
        name,
        term(t.totals.get("本年支出合计"), "金额", s, "本年支出合计"),
        [term(r, "金额", s, strip_ordinal(r.name)) for r in t.expenditure],
    )
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
    for parent, children in children_by_parent(t.rows):
        if parent.level not in (1, 2):
            continue
        if not children:
            continue
        for col in t.columns:
            ck.equal(
                f"{rule}.层级",
                name,
                term(parent, col, s, f"{parent.code} {parent.name}·{col}"),
                [term(c, col, s, c.code) for c in children],
                relation=f"其下级科目（{'、'.join(c.code for c in children)}）之和",
            )
    for row in ([t.total] if t.total else []) + t.rows:
        for total_col, parts in row_components(t):
            ck.equal(f"{rule}.列合计", name, term(row, total_col, s, f"{row.code or row.name}·{total_col}"), [term(row, p, s, p) for p in parts])
        if t.kind in (TableKind.gov_fund, TableKind.state_capital) and {"年初结转和结余", "本年收入", "本年支出", "年末结转和结余"} <= set(t.columns):
            ck.equal(
                f"{rule}.年末结转",
                name,
                term(row, "年末结转和结余", s, f"{row.code or row.name}·年末结转和结余"),
                [
                    term(row, "年初结转和结余", s, "年初结转和结余"),
                    term(row, "本年收入", s, "本年收入"),
                    Term(-row.value("本年支出"), s, row.cells.get("本年支出", ""), "本年支出"),
                ],
                relation=f"年初结转和结余 {fmt(row.value('年初结转和结余'))} + 本年收入 {fmt(row.value('本年收入'))} − 本年支出 {fmt(row.value('本年支出'))}",
            )
    if t.total is not None:
        classes = [r for r in t.rows if r.level == 1]
        for col in t.columns:
            ck.equal(f"{rule}.合计", name, term(t.total, col, s, f"合计·{col}"), [term(c, col, s, c.code) for c in classes], relation="各类级科目之和")


def children_by_parent(rows) -> list:
    """(parent, its direct children) for every row, indexed once by code (类 3, 款 5, 项 7 digits)."""
    children: dict[str, list] = {r.code: [] for r in rows}
    for r in rows:
        parent = r.code[: len(r.code) - 2] if len(r.code) in (5, 7) else ""
        if parent in children:
            children[parent].append(r)
    return [(r, children[r.code]) for r in rows]


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
        ck.equal(
            "公开03=公开01",
            name,
            term(t03.total, "本年支出合计", t03.sheet, "合计·本年支出合计"),
            [term(t01.totals.get("本年支出合计"), "金额", t01.sheet, "本年支出合计")],
        )
    _classes_equal(ck, "公开03=公开01.类", name, t03, "本年支出合计", t01, "金额")


def _classes_equal(ck: Checker, rule: str, name: str, subject: SubjectTable, col: str, balance: BalanceTable, bcol: str) -> None:
    """Each 类 of a subject table equals that 类 line of a balance table (both directions)."""
    rows = {r.code: r for r in subject.rows if r.level == 1}
    lines = {r.key: r for r in balance.expenditure}
    codes = set(rows) | {k for k, r in lines.items() if r.value(bcol) != 0}
    for code in sorted(codes):
        line = lines.get(code)
        row = rows.get(code)
        title = CLASS_NAMES.get(code, code)
        ck.equal(rule, name, term(row, col, subject.sheet, f"{code} {title}"), [term(line, bcol, balance.sheet, f"{balance.title or '总表'}“{title}”")])


def check_fiscal_summary(ck: Checker, m: UnitAccounts) -> None:
    t = m.fiscal_summary
    name = label(t)
    s = t.sheet
    cols = t.expenditure_columns
    parts_cols = [c for c in ("一般公共预算", "政府性基金", "国有资本经营") if c in cols]
    ck.equal(
        "公开04.本年收入合计",
        name,
        term(t.totals.get("本年收入合计"), "金额", s, "本年收入合计"),
        [term(r, "金额", s, strip_ordinal(r.name)) for r in t.income],
    )
    subs = [v for k, v in t.totals.items() if k.startswith("年初结转和结余:")]
    if subs:
        ck.equal(
            "公开04.年初结转",
            name,
            term(t.totals.get("年初结转和结余"), "金额", s, "年初财政拨款结转和结余"),
            [term(r, "金额", s, strip_ordinal(r.name)) for r in subs],
        )
    ck.equal(
        "公开04.收入总计",
        name,
        term(t.totals.get("收入总计"), "金额", s, "收入总计"),
        [term(t.totals.get(k), "金额", s, k) for k in ("本年收入合计", "年初结转和结余")],
    )
    for col in cols:
        ck.equal(
            "公开04.本年支出合计",
            name,
            term(t.totals.get("本年支出合计"), col, s, f"本年支出合计·{col}"),
            [term(r, col, s, strip_ordinal(r.name)) for r in t.expenditure],
        )
        ck.equal(
            "公开04.支出总计",
            name,
            term(t.totals.get("支出总计"), col, s, f"支出总计·{col}"),
            [term(t.totals.get(k), col, s, k) for k in ("本年支出合计", "年末结转和结余")],
        )
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
            ck.equal(
                f"公开04={subject.kind.value}",
                pair,
                term(t.totals.get("本年支出合计"), col, s, f"本年支出合计·{col}"),
                [term(subject.total, scol, subject.sheet, f"{subject.title}合计")],
            )


def check_basic(ck: Checker, m: UnitAccounts) -> None:
    t = m.gpb_basic
    name = label(t)
    s = t.sheet
    by_group: dict[str, list] = {}
    for r in t.rows:
        if len(r.code) == 5:
            by_group.setdefault(r.code[:3], []).append(r)
    for group in (r for r in t.rows if len(r.code) == 3):
        items = by_group.get(group.code, [])
        if items:
            ck.equal(
                "公开06.分组",
                name,
                term(group, "决算数", s, f"{group.code} {group.name}"),
                [term(r, "决算数", s, r.code) for r in items],
                relation=f"其下各款（非零 {sum(1 for r in items if r.value('决算数'))} 项）之和",
            )
    groups = {r.code: r for r in t.rows if len(r.code) == 3}
    personnel = [term(groups.get(c), "决算数", s, f"{c} {groups[c].name}") for c in ("301", "303") if c in groups]
    public = [term(groups[c], "决算数", s, f"{c} {groups[c].name}") for c in sorted(groups) if c not in ("301", "303")]
    ck.equal("公开06.人员经费", name, term(t.personnel_total, "决算数", s, "人员经费合计"), personnel)
    ck.equal("公开06.公用经费", name, term(t.public_total, "决算数", s, "公用经费合计"), public)
    t05 = m.gpb_expenditure
    if t05.total is not None:
        ck.equal(
            "公开05=公开06",
            f"{label(t05)}与{name}",
            term(t05.total, "基本支出", t05.sheet, "合计·基本支出"),
            [term(t.personnel_total, "决算数", s, "人员经费合计"), term(t.public_total, "决算数", s, "公用经费合计")],
        )


def check_sangong(ck: Checker, m: UnitAccounts) -> None:
    t = m.sangong
    name = label(t)
    s = t.sheet
    for row in (t.budget, t.actual):
        side = row.name
        ck.equal(
            "公开07.合计",
            name,
            term(row, "合计", s, f"{side}·合计"),
            [term(row, k, s, k) for k in ("因公出国（境）费", "公务用车购置及运行维护费", "公务接待费")],
        )
        ck.equal(
            "公开07.用车小计",
            name,
            term(row, "公务用车购置及运行维护费", s, f"{side}·公务用车购置及运行维护费"),
            [term(row, k, s, k) for k in ("公务用车购置费", "公务用车运行维护费")],
        )
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
                    ref = f"{t.sheet}!{row.cells.get(col, '')}"
                    ck.add("error", "负数", f"{label(t)}：{row.code} {row.name}“{col}”为负数 {fmt(v)}（{ref}），本表金额不应为负。", t.sheet, [ref], "≥ 0", v)


def check_negative_basic(ck: Checker, m: UnitAccounts) -> None:
    """公开06 and 公开07 amounts are never negative."""
    rows = [(m.gpb_basic, r) for r in m.gpb_basic.rows] + [(m.sangong, m.sangong.budget), (m.sangong, m.sangong.actual)]
    for t, row in rows:
        for col, v in row.values.items():
            if v < 0:
                ref = f"{t.sheet}!{row.cells.get(col, '')}"
                ck.add("error", "负数", f"{label(t)}：{row.code or row.name}“{col}”为负数 {fmt(v)}（{ref}），本表金额不应为负。", t.sheet, [ref], "≥ 0", v)


def check_names(ck: Checker, m: UnitAccounts) -> None:
    """科目 names are per year: warn where a table uses a name that was replaced (§5)."""
    year = m.unit.year
    for t in (m.summary, m.fiscal_summary):
        for row in t.expenditure:
            bare = strip_ordinal(row.name)
            if bare in OLD_CLASS_NAMES and year >= OLD_CLASS_NAMES[bare][1]:
                ck.add(
                    "warning",
                    "科目名称",
                    f"{label(t)}：“{bare}”是 {OLD_CLASS_NAMES[bare][1]} 年以前的科目名称，{year} 年应为“{class_name(row.key, year)}”，文中将使用新名称。",
                    t.sheet,
                    [f"{t.sheet}!{row.label_cell}"],
                    class_name(row.key, year),
                    bare,
                )
