"""Checks on the workbook's own texts and typed totals (§5, issue 12): what a reviewer would send back.

* template leftovers still in a text (XX, ×××, ……, "增加（减少）", "（具体工作）" …), and
  "截止2024年…" where a point in time needs 截至;
* a year other than 年度 and 年度−1 in a reason, a purpose or a 绩效 text;
* a reason whose direction words contradict the figure: every 变动原因 (says 减少 or 结转至下年
  while the amount rose, 增加 while it fell) and every 预决算差异 reason — each 项, the 一般公共预算
  total, the 三公 total and items (explains over-spending with 结转至下年/节约, under-spending with 追加);
* a 预算数 "合计" row that differs from the sum of its 项;
* wording a reviewer corrects but that need not stop a build (``RULE_WORDING``): 今年/去年/明年
  (the document is read a year later), a 顿号 between 《》 titles (GB/T 15834: 标有书名号的并列成分之间
  不用顿号); 我单位/我中心 are checks.claims' (公开主体.称谓).

Each finding names the sheet and the cell. The text findings are warnings for ``check``;
``--final`` refuses to build while any of them remains (``FINAL_RULES``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from ..glossary import glossary_items
from ..keys import (
    BUDGET_TOTAL_LABEL,
    FUND_CAPITAL,
    FUND_GENERAL,
    FUND_GOV,
    SHEET_BUDGET,
    SHEET_GLOSSARY,
    SHEET_PERFORMANCE,
    SHEET_REASONS,
)
from ..model import UnitAccounts
from ..money import round_money
from .core import Checker, Term

ZERO = Decimal(0)
CENT = Decimal("0.01")

RULE_LEFTOVER = "模板遗留文字"
RULE_YEAR = "年份"
RULE_DIRECTION = "原因与数字矛盾"
RULE_GLOSSARY = "名词解释"
RULE_WORDING = "用语"
FINAL_RULES = frozenset({RULE_LEFTOVER, RULE_YEAR, RULE_DIRECTION, RULE_GLOSSARY})

# What the official templates put where the unit's own words belong.
LEFTOVERS = re.compile(
    r"[XxＸｘ]{2,}|×{2,}|＊{3,}|\*{3,}|…{2,}|\.{6,}|。{3,}"
    r"|增加[/／]减少|减少[/／]增加|增长[/／]下降|下降[/／]增长|大于[/／]小于|小于[/／]大于"
    r"|增加[（(]减少[）)]|减少[（(]增加[）)]|增长[（(]下降[）)]|下降[（(]增长[）)]|大于[（(]小于[）)]|小于[（(]大于[）)]"
    r"|[（(](?:具体工作|制度名称|如持平作持平表述)[）)]|[（(]罗列[^）)]*[）)]|[（(]此处填写[^）)]*[）)]"
)
_JIEZHI = re.compile(r"截止(?=\s*(?:20\d\d|目前|到|当年|年末|本年))")  # "截止2024年12月31日" should read 截至
_YEAR = re.compile(r"(?<![\d［\[〔（(])(20\d\d)\s*年")
# A claim needs a result word (增加 …) and no hint of the other direction (新增, 压减 …), so that
# "新增A项目，B资金减少" (mixed causes) is never flagged.
_UP = ("增加", "增长", "上升", "提高")
_DOWN = ("减少", "下降", "降低")
_UP_HINTS = (*_UP, "新增", "追加", "增多", "扩大")
_DOWN_HINTS = (*_DOWN, "压减", "节约", "缩减", "取消")
_CARRY_FORWARD = re.compile(r"结转(?:至|到)?(?:下年|下一年|以后年度|次年)")


def _ref(sheet: str, cell: str) -> str:
    return f"{sheet}!{cell}" if cell else sheet


def workbook_texts(m: UnitAccounts) -> Iterator[tuple[str, str, str, str, bool]]:
    """(label, text, sheet, cell, is_reason_like) for every free text the document quotes."""
    u = m.unit
    for field, label in (("functions", "主要职能"), ("organization", "机构设置"), ("composition", "决算单位构成"), ("staffing", "人员情况")):
        yield label, getattr(u, field), u.sheet, u.cells.get(field, ""), False
    for member in u.members:
        yield "决算单位构成表", f"{member.name}{member.note}", u.sheet, member.cells.get("name", ""), False
    for key, entry in m.reasons.items():
        yield key, entry.text, SHEET_REASONS, entry.cell, True
    for b in m.budget:
        yield f"{b.code} 主要用途", b.purpose, SHEET_BUDGET, b.cells.get("purpose", ""), True
        yield f"{b.code} 决算与预算差异原因", b.reason, SHEET_BUDGET, b.cells.get("reason", ""), True
    p = m.performance
    yield "绩效管理工作情况", p.narrative.text, SHEET_PERFORMANCE, p.narrative.cell, True
    yield "绩效管理制度", p.system.text, SHEET_PERFORMANCE, p.system.cell, True
    for project in p.projects:
        for field, label in (("goals", "绩效目标完成情况"), ("problems", "存在问题"), ("measures", "改进措施")):
            yield f"{project.name} {label}", getattr(project, field), SHEET_PERFORMANCE, project.cells.get(field, ""), True
    for g in m.glossary:
        yield f"名词解释“{g.term}”", g.definition, SHEET_GLOSSARY, g.cell, False


def check_leftovers(ck: Checker, m: UnitAccounts) -> None:
    """Template placeholders still in a text, and years other than 年度 and 年度−1."""
    year = m.unit.year
    allowed = {year - 1, year, year + 1}  # 年度+1 is where carry-overs go (结转至下年); no leftover can hold it
    for label, text, sheet, cell, reason_like in workbook_texts(m):
        if not text:
            continue
        found = LEFTOVERS.search(text)
        if found:
            ck.add(
                "warning",
                RULE_LEFTOVER,
                f"“{sheet}”工作表{cell}（{label}）还留有模板文字“{found.group(0)}”，请改为本单位的实际内容。",
                sheet,
                [_ref(sheet, cell)],
            )
        if _JIEZHI.search(text):
            ck.add("warning", RULE_LEFTOVER, f"“{sheet}”工作表{cell}（{label}）写“截止”，表示到某一时点应写“截至”。", sheet, [_ref(sheet, cell)])
        if reason_like:
            others = sorted({int(y) for y in _YEAR.findall(text)} - allowed)
            if others:
                shown = "、".join(f"{y}年" for y in others)
                ck.add(
                    "warning",
                    RULE_YEAR,
                    f"“{sheet}”工作表{cell}（{label}）写的是{shown}，本文档是{year}年度决算，文中只应出现{year - 1}年、{year}年（以及结转去向的{year + 1}年）；请核对是否沿用了旧年度的文字。",
                    sheet,
                    [_ref(sheet, cell)],
                )


_RELATIVE_YEAR = re.compile(r"今年|去年|明年")
_TITLES_WITH_DUNHAO = re.compile(r"》[、，,]《")


def check_wording(ck: Checker, m: UnitAccounts) -> None:
    """Words of the unit's own texts that a reviewer sends back, each with the cell and the fix (warnings only)."""
    for label, text, sheet, cell, _ in workbook_texts(m):
        if not text:
            continue
        where = f"“{sheet}”工作表{cell}（{label}）"
        fixes = []
        if found := _RELATIVE_YEAR.search(text):
            fixes.append(f"写“{found.group(0)}”，文档在下一年公开，请写明年份（如“{m.unit.year}年”）或写“本年”")
        if found := _TITLES_WITH_DUNHAO.search(text):
            fixes.append(f"书名号之间有“{found.group(0)[1]}”，并列的书名号之间不用顿号（如“《…办法》《…细则》”）")
        for fix in fixes:
            ck.add("warning", RULE_WORDING, f"{where}{fix}。", sheet, [_ref(sheet, cell)])


def _words(text: str, words: tuple[str, ...]) -> list[str]:
    return [w for w in words if w in text]


def _down_words(text: str) -> list[str]:
    """The words that say "less": 减少 …, and 结转至下年 (money carried forward is not spent this year)."""
    carried = _CARRY_FORWARD.search(text)
    return _words(text, _DOWN) + ([carried.group(0)] if carried else [])


def _direction_claim(text: str) -> str:
    """up | down | "" (no or mixed direction words)."""
    if _words(text, _UP) and not _words(text, _DOWN_HINTS) and not _CARRY_FORWARD.search(text):
        return "up"
    if _down_words(text) and not _words(text, _UP_HINTS):
        return "down"
    return ""


# A 预决算差异 reason: over-spending is explained by 追加/新增 …, under-spending by 结转至下年/节约/减少 ….
_OVER = ("追加", "新增", "增加", "超支")
_OVER_HINTS = (*_OVER, "上年结转", "以前年度结转", "增长", "提高")
_UNDER = ("节约", "减少", "下降", "未支付", "未到位", "未发生", "结余")
_UNDER_HINTS = (*_UNDER, "压减", "缩减", "取消", "降低", "暂未", "未完成")


def _budget_claim(text: str) -> str:
    """over | under | "" (no or mixed words)."""
    under = _words(text, _UNDER) + ([_CARRY_FORWARD.search(text).group(0)] if _CARRY_FORWARD.search(text) else [])
    if _words(text, _OVER) and not under and not _words(text, _UNDER_HINTS):
        return "over"
    if under and not _words(text, _OVER_HINTS):
        return "under"
    return ""


def _change_pairs(m: UnitAccounts) -> dict[str, tuple[Decimal, str]]:
    """变动原因 key -> (this year's amount, 上年数 key)."""
    s, f, g, a = m.summary, m.fiscal_summary, m.gpb_expenditure, m.sangong.actual
    pairs = {
        "收支总计变动原因": (s.total("收入总计"), "收支总计"),
        "本年收入变动原因": (s.total("本年收入合计"), "本年收入合计"),
        "本年支出变动原因": (s.total("本年支出合计"), "本年支出合计"),
        "财政拨款收支变动原因": (f.total("收入总计"), "财政拨款收支总计"),
        "财政拨款收入变动原因": (f.total("本年收入合计"), "财政拨款收入"),
        "财政拨款支出变动原因": (f.total("本年支出合计", "合计"), "财政拨款支出"),
        "三公经费变动原因": (a.value("合计"), "三公经费合计"),
    }
    if g.total is not None:
        pairs["一般公共预算财政拨款支出变动原因"] = (g.total.value("合计"), "一般公共预算财政拨款支出")
    for item in ("因公出国（境）费", "公务用车购置及运行维护费", "公务接待费"):
        pairs[f"{item}变动原因"] = (a.value(item), item)
    entry = m.other.get("机关运行经费")
    if entry is not None and entry.value is not None:
        pairs["机关运行经费变动原因"] = (entry.value, "机关运行经费")
    return pairs


def _budget_reasons(m: UnitAccounts) -> Iterator[tuple[str, Decimal, Decimal, str, str, str]]:
    """(label, 决算, 年初预算, reason, sheet, cell) for every 预决算差异 reason of the workbook:
    each 项 of the 预算数 sheet (all three funds), the 一般公共预算 total, the 三公 total and items."""
    tables = {FUND_GENERAL: (m.gpb_expenditure, "合计"), FUND_GOV: (m.gov_fund, "本年支出"), FUND_CAPITAL: (m.state_capital, "本年支出")}
    for b in m.budget:
        table, column = tables[m.budget_source(b)]
        if b.initial is None or not b.reason or table is None:
            continue
        row = table.row(b.code)
        actual = row.value(column) if row is not None else ZERO
        yield f"{b.code} 决算与预算差异原因", actual, b.initial, b.reason, SHEET_BUDGET, b.cells.get("reason", "")
    key = "一般公共预算财政拨款预决算差异原因"
    general = m.gpb_expenditure
    if key in m.reasons and general is not None and general.total is not None:
        typed = m.budget_totals.get(FUND_GENERAL)
        rows = [b for b in m.budget_rows(FUND_GENERAL) if len(b.code) == 7 and b.initial is not None]
        budget = typed.value if typed is not None and typed.value is not None else sum((round_money(b.initial) for b in rows), ZERO)
        if typed is not None and typed.value is not None or rows:
            yield key, general.total.value("合计"), budget, m.reasons[key].text, SHEET_REASONS, m.reasons[key].cell
    sg_budget, sg_actual = m.sangong.budget, m.sangong.actual
    for item, key in (("合计", "三公经费预决算差异原因"), ("因公出国（境）费", None), ("公务用车购置及运行维护费", None), ("公务接待费", None)):
        key = key or f"{item}预决算差异原因"
        if key in m.reasons:
            r = m.reasons[key]
            yield key, sg_actual.value(item), sg_budget.value(item), r.text, SHEET_REASONS, r.cell


def check_directions(ck: Checker, m: UnitAccounts) -> None:
    """A reason that says the opposite of what the figures did: every 变动原因 against 本年/上年,
    every 预决算差异 reason against 决算/年初预算 (结转至下年 explaining over-spending, 追加 under-spending)."""
    for key, (current, prior_key) in _change_pairs(m).items():
        reason, prior = m.reasons.get(key), m.prior.get(prior_key)
        if reason is None or prior is None or prior.value is None:
            continue
        cur, old = round_money(current), round_money(prior.value)
        actual = "up" if cur > old else "down" if cur < old else ""
        claim = _direction_claim(reason.text)
        if actual and claim and claim != actual:
            moved = "增加" if actual == "up" else "减少"
            said = "、".join(_words(reason.text, _UP) if claim == "up" else _down_words(reason.text))
            ck.add(
                "warning",
                RULE_DIRECTION,
                f"“{SHEET_REASONS}”工作表{reason.cell}（{key}）写“{said}”，但本年 {cur:,.2f} 比上年 {old:,.2f} {moved}了；请核对原因。",
                SHEET_REASONS,
                [_ref(SHEET_REASONS, reason.cell)],
                expected=f"{moved}的原因",
                found=said,
            )
    for label, actual, budget, text, sheet, cell in _budget_reasons(m):
        spent, planned = round_money(actual), round_money(budget)
        relation = "over" if spent > planned else "under" if spent < planned else ""
        claim = _budget_claim(text)
        if not relation or not claim or claim == relation:
            continue
        if relation == "over":
            carried = _CARRY_FORWARD.search(text)
            said = carried.group(0) if carried else "、".join(_words(text, _UNDER))
            why = "（结转至下年只会使决算小于预算）" if carried else ""
            expected = "决算大于预算的原因"
        else:
            said = "、".join(_words(text, _OVER))
            why = ""
            expected = "决算小于预算的原因"
        word = "大于" if relation == "over" else "小于"
        ck.add(
            "warning",
            RULE_DIRECTION,
            f"“{sheet}”工作表{cell}（{label}）：决算 {spent:,.2f} {word}预算 {planned:,.2f}，原因却写“{said}”{why}；请核对原因。",
            sheet,
            [_ref(sheet, cell)],
            expected=expected,
            found=said,
        )


def check_budget_totals(ck: Checker, m: UnitAccounts) -> None:
    """A typed 预算数 "合计" equals the sum of its 项 (each as printed)."""

    for source, entry in m.budget_totals.items():
        if entry.value is None:
            continue
        rows = [b for b in m.budget_rows(source) if len(b.code) == 7 and b.initial is not None]
        parts = [Term(round_money(b.initial), SHEET_BUDGET, b.cells.get("initial", ""), f"{b.code} {b.name.strip()}") for b in rows]
        target = Term(entry.value, SHEET_BUDGET, entry.cell, f"{source}{BUDGET_TOTAL_LABEL}")
        ck.equal("预算数合计", f"“{SHEET_BUDGET}”{source}年初预算{BUDGET_TOTAL_LABEL}", target, parts)


def check_glossary(ck: Checker, m: UnitAccounts) -> None:
    """A non-zero 项 we have no definition for, and the workbook gives none: the 名词解释 would show 【待补充】."""

    own = {g.term.strip() for g in m.glossary}
    for term, definition in glossary_items(m):
        if definition.startswith("【待补充") and term not in own:
            ck.add(
                "warning",
                RULE_GLOSSARY,
                f"文中列出科目“{term}”，但没有它的名词解释；请在“{SHEET_GLOSSARY}”工作表 A 列写“{term}”、B 列写解释。",
                SHEET_GLOSSARY,
                [SHEET_GLOSSARY],
            )


def check_content(ck: Checker, m: UnitAccounts) -> None:
    """Everything of this module, in the order a reviewer reads."""
    check_budget_totals(ck, m)
    check_leftovers(ck, m)
    check_wording(ck, m)
    check_directions(ck, m)
    check_glossary(ck, m)


def final_blockers(findings) -> list:
    """The findings that ``--final`` refuses to build with (besides 【待补充】)."""
    return [f for f in findings if f.rule in FINAL_RULES]
