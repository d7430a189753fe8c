"""What the workbook's texts and typed figures claim that its own tables contradict (issue 12,
the 财政局 reviewer's read of the samples). Each finding is a warning naming the cell to fix:

* 绩效: a text saying every project has 绩效目标 (or was 自评) while the amount counted is below
  the unit's 项目支出; one project's 执行数 above the unit's whole 项目支出; a project's 全年预算数
  that differs from the 预算数 sheet's budget of the 科目 whose 决算 is that project's 执行数, and a
  执行数 above the 决算 of the 科目 whose budget is that project's 全年预算数;
* 政府采购: 授予中小企业合同金额 = 中小企业预留项目中由中小企业中标成交 + 其他项目中由中小企业
  中标成交; what 小微企业 won in reserved projects within its wholes;
* 单位性质 事业单位 while the tables spend on 行政运行, a 机关运行经费 is given, or 单位信息 says 参公;
* 年初预算 typed as 财政拨款收入 + 年初结转和结余 (the available total, not the budget);
* a reason saying "收支…减少" while 收入 rose (or the reverse);
* 本单位 in a 部门's texts (本部门 in a 单位's), 我单位/我中心/我局… in any; a 单位 whose 决算单位构成表
  lists more than its 本级 (a 部门决算); a text promising 附件 none is listed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from ..keys import FUND_CAPITAL, FUND_GENERAL, FUND_GOV, SHEET_BUDGET, SHEET_OTHER, SHEET_PERFORMANCE, SHEET_REASONS, has_running_costs
from ..model import UnitAccounts
from ..money import round_money
from .content import workbook_texts
from .core import ZERO, Checker, Term, fmt, ref

# ---- 绩效 ------------------------------------------------------------------------------------
_C = r"[^。；;\n]"  # within one clause
# "所有项目支出均设定绩效目标", "项目支出全部设定绩效目标", "绩效目标管理全覆盖"
_GOALS_ALL = re.compile(
    rf"(?:所有|全部){_C}{{0,12}}?项目{_C}{{0,12}}?(?:设定|设置|编制|编报|申报|填报|制定){_C}{{0,3}}?绩效目标"
    rf"|项目{_C}{{0,12}}?(?:均|都|全部|全面){_C}{{0,4}}?(?:设定|设置|编制|编报|申报|填报|制定){_C}{{0,3}}?绩效目标"
    rf"|绩效目标{_C}{{0,10}}?全覆盖"
)
# "年末组织全部项目开展绩效自评", "项目均开展绩效自评", "绩效自评全覆盖"
_SELF_ALL = re.compile(
    rf"(?:所有|全部){_C}{{0,12}}?项目{_C}{{0,12}}?(?:开展|进行|完成|组织){_C}{{0,4}}?自评"
    rf"|项目{_C}{{0,12}}?(?:均|都|全部){_C}{{0,4}}?(?:开展|进行|完成){_C}{{0,4}}?自评"
    rf"|绩效自评{_C}{{0,10}}?全覆盖"
)
COVERAGE = [  # (rule, claim, 绩效 summary amount key, what the claim says)
    ("绩效.目标覆盖", _GOALS_ALL, "绩效目标涉及金额", "设定了绩效目标"),
    ("绩效.自评覆盖", _SELF_ALL, "绩效自评涉及金额", "开展了绩效自评"),
]


def _project_spending(m: UnitAccounts) -> Term | None:
    t03 = m.expenditure
    if t03.total is None or "项目支出" not in t03.columns:
        return None
    return Term(t03.total.value("项目支出"), t03.sheet, t03.total.cells.get("项目支出", ""), "公开03·合计·项目支出")


def _covered(m: UnitAccounts, key: str) -> list[Term]:
    """The amount a 绩效 claim counts: the summary row as typed, else the listed projects' 全年预算数."""
    e = m.performance.summary.get(key)
    if e is not None and e.value is not None:
        return [Term(e.value, SHEET_PERFORMANCE, e.cell, key)]
    return [Term(p.budget, SHEET_PERFORMANCE, p.cells.get("budget", ""), f"{p.name} 全年预算数") for p in m.performance.projects if p.budget is not None]


def check_coverage_claims(ck: Checker, m: UnitAccounts) -> None:
    """ "所有项目支出均设定绩效目标" while the amount with 绩效目标 is below 项目支出 (公开03)."""
    spending = _project_spending(m)
    if spending is None or spending.value <= 0:
        return
    p = m.performance
    texts = [(label, e) for label, e in (("绩效管理工作情况", p.narrative), ("绩效管理制度", p.system)) if e.text]
    for rule, claim, key, says in COVERAGE:
        covered = _covered(m, key)
        amount = sum((t.value for t in covered), ZERO)
        if not covered or amount >= spending.value:
            continue
        for label, entry in texts:
            found = claim.search(entry.text)
            if not found:
                continue
            here = ref(SHEET_PERFORMANCE, entry.cell)
            where = "、".join(t.ref for t in covered[:6] if t.cell)
            what = covered[0].label if len(covered) == 1 else "项目清单的全年预算数合计"
            ck.add(
                "warning",
                rule,
                f"“{SHEET_PERFORMANCE}”工作表{entry.cell}（{label}）写“{found.group(0)}”，但{what} {fmt(amount)}（{where}）"
                f"小于本单位项目支出 {fmt(spending.value)}（{spending.ref}）：若全部项目都{says}，涉及金额通常不会少于项目支出"
                "（用上年结转资金安排的支出除外）；请核对涉及金额，或改写文字（不说“所有”“全部”）。",
                SHEET_PERFORMANCE,
                [here] + [t.ref for t in covered if t.cell] + [spending.ref],
                spending.value,
                amount,
            )


def check_project_within_spending(ck: Checker, m: UnitAccounts) -> None:
    """One project's 全年执行数 above the unit's whole 项目支出 (with one project, ``performance``'s
    sum check already says so)."""
    spending = _project_spending(m)
    executed = [p for p in m.performance.projects if p.actual]
    if spending is None or spending.value <= 0 or len(executed) < 2:
        return
    for p in executed:
        if p.actual > spending.value:
            here = ref(SHEET_PERFORMANCE, p.cells.get("actual", ""))
            ck.add(
                "warning",
                "绩效.单个项目执行数",
                f"“{SHEET_PERFORMANCE}”项目“{p.name}”的全年执行数 {fmt(p.actual)}（{here}）大于本单位全部项目支出 {fmt(spending.value)}（{spending.ref}）："
                "一个项目的执行数不会超过单位的全部项目支出；请核对是否填了累计数、预算数或其他单位的支出。",
                SHEET_PERFORMANCE,
                [here, spending.ref],
                spending.value,
                p.actual,
            )


def _items_by_amount(m: UnitAccounts) -> dict[Decimal, list[tuple[str, str, str]]]:
    """决算 of every non-zero 项 (公开05 合计, 公开08/09 本年支出) -> [(code, 资金来源, "sheet!cell")]."""
    index: dict[Decimal, list[tuple[str, str, str]]] = defaultdict(list)
    for table, column, source in ((m.gpb_expenditure, "合计", FUND_GENERAL), (m.gov_fund, "本年支出", FUND_GOV), (m.state_capital, "本年支出", FUND_CAPITAL)):
        if table is None:
            continue
        for row in table.rows:
            value = row.value(column)
            if row.level == 3 and value:
                index[round_money(value)].append((row.code, source, ref(table.sheet, row.cells.get(column, ""))))
    return index


def check_project_budgets(ck: Checker, m: UnitAccounts) -> None:
    """A project whose 执行数 is exactly one 项's 决算 is that 项's money: its 全年预算数 is the
    预算数 sheet's 调整预算数 (or, with none typed, the 年初预算数), else the document gives two
    budgets for the same money."""
    projects = [p for p in m.performance.projects if p.actual and p.budget is not None]
    if not projects or not m.budget:
        return
    index = _items_by_amount(m)
    budgets = {(b.code, m.budget_source(b)): b for b in m.budget}
    for p in projects:
        matches = index.get(round_money(p.actual), [])
        if len(matches) != 1:
            continue
        code, source, item_ref = matches[0]
        b = budgets.get((code, source))
        if b is None or b.initial is None:
            continue
        adjusted = b.adjusted is not None
        expected = b.adjusted if adjusted else b.initial
        if round_money(p.budget) == round_money(expected):
            continue
        here = ref(SHEET_PERFORMANCE, p.cells.get("budget", ""))
        there = ref(SHEET_BUDGET, b.cells.get("adjusted" if adjusted else "initial", ""))
        kind = "调整预算数" if adjusted else "年初预算数（没有填调整预算数）"
        ck.add(
            "warning",
            "绩效.项目预算数",
            f"“{SHEET_PERFORMANCE}”项目“{p.name}”的全年预算数 {fmt(p.budget)}（{here}）与“{SHEET_BUDGET}”中 {code} 的{kind} {fmt(expected)}（{there}）不同，"
            f"而该项目的全年执行数 {fmt(p.actual)} 正是 {code} 的决算数（{item_ref}），文中同一笔钱会出现两个预算数；"
            "年中调整过的请在“预算数”工作表填调整预算数，否则请核对两处金额。",
            SHEET_PERFORMANCE,
            [here, there, item_ref],
            expected,
            p.budget,
        )


def check_project_within_item(ck: Checker, m: UnitAccounts) -> None:
    """A project whose 全年预算数 is exactly one 预算数 row's budget (调整预算数, else 年初预算数) is that
    科目's money: its 全年执行数 cannot exceed the 科目's 决算."""
    projects = [p for p in m.performance.projects if p.actual and p.budget]
    if not projects or not m.budget:
        return
    tables = {FUND_GENERAL: (m.gpb_expenditure, "合计"), FUND_GOV: (m.gov_fund, "本年支出"), FUND_CAPITAL: (m.state_capital, "本年支出")}
    by_budget: dict[Decimal, list] = defaultdict(list)
    for b in m.budget:
        amount = b.adjusted if b.adjusted is not None else b.initial
        if amount and len(b.code) == 7:
            by_budget[round_money(amount)].append(b)
    for p in projects:
        matches = by_budget.get(round_money(p.budget), [])
        if len(matches) != 1:
            continue
        b = matches[0]
        table, column = tables[m.budget_source(b)]
        row = table.row(b.code) if table is not None else None
        if row is None or round_money(p.actual) <= round_money(row.value(column)):
            continue
        spent = round_money(row.value(column))
        here = ref(SHEET_PERFORMANCE, p.cells.get("actual", ""))
        item_ref = ref(table.sheet, row.cells.get(column, ""))
        budget_ref = ref(SHEET_BUDGET, b.cells.get("adjusted" if b.adjusted is not None else "initial", ""))
        ck.add(
            "warning",
            "绩效.项目执行数",
            f"“{SHEET_PERFORMANCE}”项目“{p.name}”的全年执行数 {fmt(p.actual)}（{here}）大于 {b.code} 的决算数 {fmt(spent)}（{item_ref}），"
            f"而该项目的全年预算数 {fmt(p.budget)} 正是“{SHEET_BUDGET}”中 {b.code} 的预算数（{budget_ref}），应是同一笔钱；"
            "项目执行数不会超过它所在科目的决算数，请核对执行数（是否填了预算数）。",
            SHEET_PERFORMANCE,
            [here, item_ref, budget_ref],
            spent,
            p.actual,
        )


# ---- 政府采购 ----------------------------------------------------------------------------------
SME_TOTAL = "授予中小企业合同金额"
SMALL_TOTAL = "授予小微企业合同金额"
SME_RESERVED_WON = "中小企业预留项目中小企业中标金额"
SMALL_RESERVED_WON = "小微企业预留项目小微企业中标金额"
OTHER_WON = "其他采购项目中小企业中标金额"


def _other(m: UnitAccounts, key: str) -> Term | None:
    e = m.other.get(key)
    if e is None or e.value is None:
        return None
    return Term(e.value, SHEET_OTHER, e.cell, key)


def check_procurement(ck: Checker, m: UnitAccounts) -> None:
    """授予中小企业 = 中小企业预留项目中由中小企业中标成交 + 其他项目中由中小企业中标成交 (the 小微企业
    预留项目 are part of the 中小企业预留项目, as ``other`` checks their budgets)."""
    total, reserved, others = _other(m, SME_TOTAL), _other(m, SME_RESERVED_WON), _other(m, OTHER_WON)
    if total is not None and reserved is not None and others is not None:
        expected = reserved.value + others.value
        if total.value != expected:
            ck.add(
                "warning",
                "政府采购.中小企业合同",
                f"“其他事项”“{SME_TOTAL}” {fmt(total.value)}（{total.ref}）应等于“{SME_RESERVED_WON}” {fmt(reserved.value)}（{reserved.cell}）"
                f"+“{OTHER_WON}” {fmt(others.value)}（{others.cell}）= {fmt(expected)}，相差 {fmt(total.value - expected)}："
                "授予中小企业的合同，要么在面向中小企业预留的项目中（小微企业预留项目包含在内），要么在其他政府采购项目中；请核对这三个数。",
                SHEET_OTHER,
                [total.ref, reserved.ref, others.ref],
                expected,
                total.value,
            )
    small_won = _other(m, SMALL_RESERVED_WON)
    if small_won is None:
        return
    for big, note in (
        (reserved, "小微企业预留项目包含在中小企业预留项目中，小微企业中标成交的也是中小企业中标成交的。"),
        (_other(m, SMALL_TOTAL), "小微企业在预留项目中中标成交的合同，都是授予小微企业的合同。"),
    ):
        if big is not None:
            ck.at_most("政府采购.小微企业中标", "“其他事项”", small_won, big, note)


# ---- 单位性质 ------------------------------------------------------------------------------------
_CIVIL_SERVANT_RULES = re.compile(r"参照公务员法|参照《中华人民共和国公务员法》|参公")


def check_unit_type(ck: Checker, m: UnitAccounts) -> None:
    """单位性质 says 事业单位 (not 行政/参公) while the workbook shows a 行政/参公 unit."""
    u = m.unit
    kind = u.unit_type.strip()
    if not kind or has_running_costs(kind):
        return
    evidence: list[tuple[str, str]] = []  # (what, cell)
    seen = set()
    for table, column in ((m.expenditure, m.expenditure.columns[0] if m.expenditure.columns else ""), (m.gpb_expenditure, "合计")):
        for row in table.rows:
            if row.level == 3 and row.code not in seen and "".join(row.name.split()) == "行政运行" and row.value(column):
                seen.add(row.code)
                cell = ref(table.sheet, row.cells.get(column, ""))
                evidence.append((f"表中 {row.code} 行政运行有支出 {fmt(row.value(column))}（{cell}）", cell))
    running = m.other.get("机关运行经费")
    if running is not None and running.value:
        cell = ref(SHEET_OTHER, running.cell)
        evidence.append((f"“其他事项”填了机关运行经费 {fmt(running.value)}（{cell}）", cell))
    texts = [
        (label, getattr(u, field), u.cells.get(field, ""))
        for field, label in (("organization", "机构设置"), ("composition", "决算单位构成"), ("staffing", "人员情况"))
    ]
    texts += [("决算单位构成表", f"{x.name} {x.note}", x.cells.get("note" if _CIVIL_SERVANT_RULES.search(x.note) else "name", "")) for x in u.members]
    for label, text, cell in texts:
        found = _CIVIL_SERVANT_RULES.search(text or "")
        if found:
            where = ref(u.sheet, cell)
            evidence.append((f"{label}写“{found.group(0)}”（{where}）", where))
    if not evidence:
        return
    here = ref(u.sheet, u.cells.get("unit_type", ""))
    ck.add(
        "warning",
        "单位性质",
        f"“{u.sheet}”工作表{u.cells.get('unit_type', '')}的单位性质是“{kind}”，但{'；'.join(w for w, _ in evidence)}。"
        "行政运行科目和机关运行经费属于行政单位和参照公务员法管理的事业单位，文中却会按非行政单位写机关运行经费，与表矛盾。"
        "请核对单位性质（参公单位填“参照公务员法管理事业单位”）。",
        u.sheet,
        [here] + [c for _, c in evidence],
        "行政单位或参照公务员法管理事业单位",
        kind,
    )


# ---- 年初预算 ------------------------------------------------------------------------------------
INCOME_LINE = {FUND_GENERAL: "一般公共预算财政拨款收入", FUND_GOV: "政府性基金预算财政拨款收入", FUND_CAPITAL: "国有资本经营预算财政拨款收入"}


def check_budget_includes_carry_over(ck: Checker, m: UnitAccounts) -> None:
    """The 年初预算 total (typed, else Σ of the printed 项) equals 本年财政拨款收入 + 年初结转和结余
    exactly: the officer typed the money available, not the budget."""
    f = m.fiscal_summary
    for source, line_key in INCOME_LINE.items():
        carry_row = f.totals.get(f"年初结转和结余:{source}")
        line = f.income_line(line_key)
        if carry_row is None or line is None or not carry_row.value("金额"):
            continue
        carry, income = round_money(carry_row.value("金额")), round_money(line.value("金额"))
        typed = m.budget_totals.get(source)
        rows = [b for b in m.budget_rows(source) if len(b.code) == 7 and b.initial is not None]
        if typed is not None and typed.value is not None:
            total, cells = round_money(typed.value), [ref(SHEET_BUDGET, typed.cell)]
        elif rows:
            total = sum((round_money(b.initial) for b in rows), ZERO)
            cells = [ref(SHEET_BUDGET, b.cells.get("initial", "")) for b in rows]
        else:
            continue
        if total != income + carry:
            continue
        carry_ref, income_ref = ref(f.sheet, carry_row.cells.get("金额", "")), ref(f.sheet, line.cells.get("金额", ""))
        # the 项 typed with exactly the carry-over is the likely slip: named first
        culprits = {ref(SHEET_BUDGET, b.cells.get("initial", "")): b.code for b in rows if round_money(b.initial) == carry}
        hint = "".join(f"其中 {code} 的年初预算数（{cell}）正等于年初结转和结余。" for cell, code in culprits.items())
        ordered = list(culprits) + [c for c in cells if c not in culprits]
        ck.add(
            "warning",
            "年初预算.含结转",
            f"“{SHEET_BUDGET}”{source}年初预算合计 {fmt(total)} 正好等于本年{line_key} {fmt(income)}（{income_ref}）+ 年初结转和结余 {fmt(carry)}（{carry_ref}）。{hint}"
            "年初预算不含上年结转，这像是填了全年可用资金；请核对“预算数”工作表的年初预算数。",
            SHEET_BUDGET,
            ordered + [income_ref, carry_ref],
            f"≠ {income + carry}",
            total,
        )


# ---- 原因里的“收支” -----------------------------------------------------------------------------
_BOTH = re.compile(rf"(财政拨款)?收支(?!总计|结余|差额|平衡|缺口){_C}{{0,12}}?(增加|增长|上升|提高|减少|下降|降低)")
_UP_WORDS = ("增加", "增长", "上升", "提高")


def check_both_ways(ck: Checker, m: UnitAccounts) -> None:
    """A reason saying "收支…减少" says 收入 and 支出 both fell; flag it when one of them rose (or the reverse)."""
    s, f = m.summary, m.fiscal_summary
    pairs = {
        "": [("本年收入合计", s.total("本年收入合计"), "本年收入合计"), ("本年支出合计", s.total("本年支出合计"), "本年支出合计")],
        "财政拨款": [("财政拨款收入", f.total("本年收入合计"), "财政拨款收入"), ("财政拨款支出", f.total("本年支出合计", "合计"), "财政拨款支出")],
    }
    for key, entry in m.reasons.items():
        found = _BOTH.search(entry.text)
        if not found:
            continue
        claim_up = found.group(2) in _UP_WORDS
        against = []
        for label, current, prior_key in pairs["财政拨款" if found.group(1) else ""]:
            prior = m.prior.get(prior_key)
            if prior is None or prior.value is None:
                continue
            cur, old = round_money(current), round_money(prior.value)
            if cur != old and (cur > old) != claim_up:
                against.append(f"{label} {cur:,.2f} 比上年 {old:,.2f} {'增加' if cur > old else '减少'}了")
        if against:
            here = ref(SHEET_REASONS, entry.cell)
            ck.add(
                "warning",
                "原因.收支方向",
                f"“{SHEET_REASONS}”工作表{entry.cell}（{key}）写“{found.group(0)}”，“收支”说的是收入和支出两者，但{'，'.join(against)}；请只写与数字相符的那一项。",
                SHEET_REASONS,
                [here],
                "减少" if claim_up else "增加",
                found.group(2),
            )


# ---- 称谓与附件 -----------------------------------------------------------------------------------
SELF_WORDS = {"部门": ("本单位",), "单位": ("本部门",)}
# "我单位", "我中心", "我局" …: the document speaks of itself as 本部门/本单位 only
_FIRST_PERSON = re.compile(r"我(?:单位|部门|中心|局|委|办|院|站|所|厅|队|馆|会)")


def check_self_reference(ck: Checker, m: UnitAccounts) -> None:
    """The 公开主体 decides 本部门/本单位; a workbook text with the other word, or with 我单位/我中心/我局…,
    mixes several in one document."""
    entity = m.unit.entity
    wrong = SELF_WORDS.get(entity, ())
    want = f"本{entity}"
    entity_ref = ref(m.unit.sheet, m.unit.cells.get("entity", ""))
    for label, text, sheet, cell, _ in workbook_texts(m):
        words = [w for w in wrong if w in (text or "")] + sorted(set(_FIRST_PERSON.findall(text or "")))
        if words:
            here = ref(sheet, cell)
            ck.add(
                "warning",
                "公开主体.称谓",
                f"“{sheet}”工作表{cell}（{label}）写“{'”“'.join(words)}”，而公开主体是“{entity}”（{entity_ref}），文中其余处都写“{want}”；请改为“{want}”。",
                sheet,
                [here, entity_ref],
                want,
                words[0],
            )


def check_entity_members(ck: Checker, m: UnitAccounts) -> None:
    """公开主体 单位 while the 决算单位构成表 lists other units too: such accounts are a 部门's (本部门)."""
    u = m.unit
    if u.entity != "单位" or len(u.members) < 2:
        return
    entity_ref = ref(u.sheet, u.cells.get("entity", ""))
    ck.add(
        "warning",
        "公开主体.构成",
        f"“{u.sheet}”工作表的决算单位构成表列有{len(u.members)}个单位，而公开主体是“单位”（{entity_ref}）；"
        "含所属单位的决算按部门公开，文中应称“本部门”：请将公开主体改为“部门”，或只列本级。",
        u.sheet,
        [entity_ref] + [ref(u.sheet, x.cells.get("name", "")) for x in u.members[1:2]],
        "部门",
        "单位",
    )


def check_attachment_promises(ck: Checker, m: UnitAccounts) -> None:
    """A 绩效 text that speaks of 附件 while the 绩效 sheet lists no attachment: the document would promise what it lacks."""
    p = m.performance
    if p.attachments:
        return
    for label, entry in (("绩效管理工作情况", p.narrative), ("绩效管理制度", p.system)):
        if "附件" in entry.text:
            here = ref(SHEET_PERFORMANCE, entry.cell)
            ck.add(
                "warning",
                "绩效.附件",
                f"“{SHEET_PERFORMANCE}”工作表{entry.cell}（{label}）提到“附件”，但“附件名称”清单是空的，文档不会附上任何报告；"
                "请在清单中列出真正附上的报告，或删去文中的“附件”。",
                SHEET_PERFORMANCE,
                [here],
                "附件名称清单中至少一项",
                "无",
            )


def run(ck: Checker, m: UnitAccounts) -> None:
    check_coverage_claims(ck, m)
    check_project_within_spending(ck, m)
    check_project_budgets(ck, m)
    check_project_within_item(ck, m)
    check_procurement(ck, m)
    check_unit_type(ck, m)
    check_budget_includes_carry_over(ck, m)
    check_both_ways(ck, m)
    check_self_reference(ck, m)
    check_entity_members(ck, m)
    check_attachment_promises(ck, m)
