"""部门 = Σ 所属单位 (§6, batch): every table of the department equals the sum of its units.

Each mismatch names the table, the row, the column, the department's value, the sum, and
the units with their values, so the officer knows where to look.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from .checks import CENT, Finding, fmt
from .model import TableKind, UnitAccounts

ZERO = Decimal(0)


@dataclass(frozen=True)
class Cell:
    table: str
    row: str  # printed row label: "2010301 行政运行", "本年收入合计", "决算数"
    column: str
    ref: str  # "Sheet!C7" in the department workbook, "" when the row is absent there


def cells(m: UnitAccounts) -> Iterator[tuple[Cell, Decimal]]:
    """Every amount of a unit's nine tables, keyed by what it is (never by position)."""
    for kind in TableKind:
        t = m.table(kind)
        if t is None:
            continue
        title = t.title or kind.value
        if kind in (TableKind.summary, TableKind.fiscal_summary):
            rows = [(r.key, r.name, r) for r in t.income + t.expenditure] + [(k, k, r) for k, r in t.totals.items()]
        elif kind is TableKind.gpb_basic:
            rows = [(r.code, f"{r.code} {r.name}", r) for r in t.rows]
            rows += [(r.key, r.key, r) for r in (t.personnel_total, t.public_total) if r is not None]
        elif kind is TableKind.sangong:
            rows = [("预算数", "预算数", t.budget), ("决算数", "决算数", t.actual)]
        else:
            rows = ([("合计", "合计", t.total)] if t.total else []) + [(r.code, f"{r.code} {r.name.strip()}", r) for r in t.rows]
        for key, label, row in rows:
            for column, value in row.values.items():
                yield Cell(title, f"{key}|{label}", column, f"{t.sheet}!{row.cells.get(column, '')}"), value


def check_department(department: UnitAccounts, units: Iterable[UnitAccounts]) -> list[Finding]:
    units = list(units)
    dept = {(c.table, c.row.split("|")[0], c.column): (c, v) for c, v in cells(department)}
    sums: dict[tuple, list[tuple[str, Decimal]]] = {}
    labels: dict[tuple, str] = {}
    for u in units:
        for c, v in cells(u):
            key = (c.table, c.row.split("|")[0], c.column)
            sums.setdefault(key, []).append((u.unit.name, v))
            labels.setdefault(key, c.row.split("|")[1])
    findings = []
    for key in sorted(set(dept) | set(sums)):
        table, _, column = key
        cell, dept_value = dept.get(key, (None, ZERO))
        parts = sums.get(key, [])
        total = sum((v for _, v in parts), ZERO)
        diff = dept_value - total
        if diff == 0:
            continue
        nonzero = [(n, v) for n, v in parts if v != 0]
        tolerance = CENT * max(1, len(nonzero))
        level = "warning" if abs(diff) <= tolerance else "error"
        label = (cell.row.split("|")[1] if cell else labels.get(key, key[1])).strip()
        who = "、".join(f"{n} {fmt(v)}" for n, v in nonzero) or "各单位均为 0"
        ref = cell.ref if cell else f"{department.unit.name}（无此行）"
        findings.append(
            Finding(
                level,
                "部门=单位之和",
                f"“{table}”“{label}”行“{column}”列：部门数 {fmt(dept_value)}（{ref}），各单位合计 {fmt(total)}（{who}），相差 {fmt(diff)}。",
                cell.ref.split("!")[0] if cell else "",
                [cell.ref] if cell else [],
                total,
                dept_value,
            )
        )
    return findings
