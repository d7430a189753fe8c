"""What every check shares: the Finding, the Term (a value with its cell) and the Checker.

Every finding names the sheet, the cell(s), the expected and the found value. A difference
within ±0.01 per non-zero summand is the 尾数误差 of the 决算软件's conversion to 万元: a
warning. Beyond that it is an error, and the build stops.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..model import Row
from ..money import round_money

ZERO = Decimal(0)
CENT = Decimal("0.01")
CENT_ZERO = Decimal("0.00")  # an amount that is absent: printed "0.00" like the others

Value = Decimal | int | str | None


@dataclass
class Finding:
    level: str  # "error" | "warning"
    rule: str  # stable identifier of the check, e.g. "公开01.本年收入合计"
    message: str  # one Chinese sentence for the officer
    sheet: str = ""
    cells: list[str] = field(default_factory=list)  # "工作表!C7", the checked cell first
    expected: Value = None
    found: Value = None

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


def fmt(d: Decimal | int | None) -> str:
    if d is None:
        return "—"
    if isinstance(d, int) or d.as_tuple().exponent >= 0:  # counts (个, 辆, 人次) and years: no decimals
        return f"{d:,}"
    return f"{d.quantize(CENT):,}" if d == d.quantize(CENT) else f"{d:,}"


def term(row: Row | None, column: str, sheet: str, label: str) -> Term:
    if row is None:
        return Term(CENT_ZERO, sheet, "", label)
    return Term(row.value(column), sheet, row.cells.get(column, ""), label)


def ref(sheet: str, cell: str) -> str:
    return f"{sheet}!{cell}" if cell else sheet


def label(table) -> str:
    return f"“{table.title or table.kind.value}”（工作表“{table.sheet}”）"


def tolerance(parts: list[Term]) -> Decimal:
    """±0.01 per non-zero summand (at least one)."""
    return CENT * max(1, sum(1 for p in parts if p.value != 0))


class Checker:
    """Collects findings; ``equal`` and ``at_most`` are the comparisons every rule goes through."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def equal(self, rule: str, table: str, target: Term, parts: list[Term], *, relation: str = "", level: str = "error") -> None:
        expected = sum((p.value for p in parts), ZERO)
        diff = target.value - expected
        if diff == 0:
            return
        summands = max(1, sum(1 for p in parts if p.value != 0))
        within = abs(diff) <= tolerance(parts)
        found_level = "warning" if within else level
        shown = [p for p in parts if p.value != 0] or parts[:1]
        formula = relation or " + ".join(f"{p.label} {fmt(p.value)}" for p in shown)
        kind = f"尾数误差（在允许的 ±0.01×{summands} 范围内）" if within else "不平" if level == "error" else "不一致，请核对"
        cells = [target.ref] + [p.ref for p in parts if p.cell and p.value != 0]
        shown_cells = "、".join(c.split("!")[-1] if c.split("!")[0] == target.sheet else c for c in cells[1:9])
        message = (
            f"{table}：“{target.label}”为 {fmt(target.value)}（{target.ref}），"
            f"应等于 {formula} = {fmt(expected)}（{shown_cells or '无非零项'}），相差 {fmt(diff)}，{kind}。"
        )
        self.findings.append(Finding(found_level, rule, message, target.sheet, cells, expected, target.value))

    def at_most(
        self, rule: str, table: str, small: Term | list[Term], big: Term | list[Term], note: str, *, level: str = "warning", tolerant: bool = False
    ) -> None:
        """``small`` ≤ ``big`` (each side may be a sum); with ``tolerant`` an excess within the
        尾数 tolerance of the summands is a warning, not ``level``."""
        smalls = small if isinstance(small, list) else [small]
        bigs = big if isinstance(big, list) else [big]
        s = sum((t.value for t in smalls), ZERO)
        b = sum((t.value for t in bigs), ZERO)
        if s <= b:
            return
        within = tolerant and s - b <= tolerance(smalls + bigs)
        found_level = "warning" if within else level
        s_label = " + ".join(t.label for t in smalls)
        b_label = " + ".join(t.label for t in bigs)
        s_refs = "、".join(t.ref for t in smalls if t.cell) or smalls[0].sheet
        b_refs = "、".join(t.ref for t in bigs if t.cell) or bigs[0].sheet
        extra = "（尾数误差范围内）" if within else ""
        self.findings.append(
            Finding(
                found_level,
                rule,
                f"{table}：“{s_label}” {fmt(s)}（{s_refs}）大于“{b_label}” {fmt(b)}（{b_refs}）{extra}。{note}",
                smalls[0].sheet,
                [t.ref for t in smalls + bigs if t.cell] or [smalls[0].ref],
                b,
                s,
            )
        )

    def add(self, level: str, rule: str, message: str, sheet: str = "", cells: list[str] | None = None, expected: Value = None, found: Value = None) -> None:
        self.findings.append(Finding(level, rule, message, sheet, cells or [], expected, found))


round2 = round_money  # the value as printed (money.py holds the rule)
