"""绩效 (issue 9 item 4): the counts add up, and the projects' money fits the unit's 项目支出."""

from __future__ import annotations

from decimal import Decimal

from ..keys import SHEET_PERFORMANCE
from ..model import UnitAccounts
from .core import ZERO, Checker, Term, fmt, term

RATINGS = ["评级为优的项目数", "评级为良的项目数", "评级为合格的项目数", "评级为不合格的项目数"]
EVALUATED = "绩效自评项目数"
NAME = "“绩效”"


def _t(m: UnitAccounts, key: str) -> Term | None:
    e = m.performance.summary.get(key)
    if e is None or e.value is None:
        return None
    return Term(e.value, SHEET_PERFORMANCE, e.cell, key)


def check_ratings(ck: Checker, m: UnitAccounts) -> None:
    """优 + 良 + 合格 + 不合格 = the 自评 projects (the 自评项目数 row, else the listed projects)."""
    ratings = [t for t in (_t(m, k) for k in RATINGS) if t is not None]
    if not ratings or not any(t.value for t in ratings):
        return
    total = _t(m, EVALUATED)
    if total is None:
        if not m.performance.projects:
            return
        total = Term(Decimal(len(m.performance.projects)), SHEET_PERFORMANCE, "", "项目清单中的项目个数")
    expected = sum((t.value for t in ratings), ZERO)
    if expected != total.value:
        cells = [t.ref for t in ratings if t.value]
        ck.add(
            "error",
            "绩效.评级",
            f"{NAME}中各评级的项目数之和为 {expected}（{'、'.join(cells)}），与“{total.label}” {total.value}（{total.ref}）不等。",
            SHEET_PERFORMANCE,
            ([total.ref] if total.cell else []) + cells,
            expected,
            total.value,
        )


def check_problems(ck: Checker, m: UnitAccounts) -> None:
    found, done, doing = _t(m, "发现问题数"), _t(m, "已完成整改数"), _t(m, "正在整改数")
    if found is None:
        return
    parts = [t for t in (done, doing) if t is not None]
    if parts:
        ck.at_most("绩效.整改", NAME, parts, found, "已完成整改和正在整改的问题都是发现的问题，合计不能多于发现问题数。", level="error")


def check_projects_vs_spending(ck: Checker, m: UnitAccounts) -> None:
    """Σ 全年执行数 of the projects against the unit's 项目支出 (公开03 合计)."""
    actual = [Term(p.actual, SHEET_PERFORMANCE, p.cells.get("actual", ""), p.name) for p in m.performance.projects if p.actual]
    t03 = m.expenditure
    if not actual or t03.total is None or "项目支出" not in t03.columns:
        return
    spending = term(t03.total, "项目支出", t03.sheet, "公开03·合计·项目支出")
    executed = sum((t.value for t in actual), ZERO)
    cells = [t.ref for t in actual]
    if spending.value == 0:
        ck.add(
            "error",
            "绩效.项目支出",
            f"{NAME}项目清单的全年执行数合计 {fmt(executed)}（{'、'.join(cells[:6])}），而本单位项目支出为 0（{spending.ref}）：没有项目支出就不会有项目执行数。",
            SHEET_PERFORMANCE,
            cells + [spending.ref],
            spending.value,
            executed,
        )
    elif executed > spending.value:
        ck.add(
            "warning",
            "绩效.项目支出",
            f"{NAME}项目清单的全年执行数合计 {fmt(executed)}（{'、'.join(cells[:6])}）大于本单位项目支出 {fmt(spending.value)}（{spending.ref}），请核对执行数。",
            SHEET_PERFORMANCE,
            cells + [spending.ref],
            spending.value,
            executed,
        )


def run(ck: Checker, m: UnitAccounts) -> None:
    check_ratings(ck, m)
    check_problems(ck, m)
    check_projects_vs_spending(ck, m)
