"""The expenditure rows a format prints in 公开01 and 公开04 (profile.toml ``[rows]``).

The official 上海 2024 frame lists 24 类 in its own order; a workbook exported by the 决算 software may
hold more (债务还本支出, 债务付息支出 …) or fewer. With a frame, the table prints the frame's rows in the
frame's order (a frame row the workbook lacks stands with empty cells); a row outside the frame is dropped
when it is zero in every column, and kept — at its place by 科目编码 — when it holds money, with a ``check``
warning naming its sheet and cell, so that no amount is ever silently lost. Without a frame the rows stay
as the workbook has them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from .keys import CLASS_NAMES
from .model import BalanceTable, Row, TableKind, UnitAccounts

if TYPE_CHECKING:
    from .checks.core import Finding

FRAMED = (TableKind.summary, TableKind.fiscal_summary)  # the tables whose 支出 side a frame may set


def _nonzero(row: Row) -> bool:
    return any(v for v in row.values.values() if v is not None and v != Decimal(0))


def framed_lines(lines: list[Row], frame: list[str] | None) -> list[Row]:
    """The 类 lines to print: the frame's codes in its order, each with the workbook's row where it has
    one (an empty row where not), plus the workbook's non-zero rows outside the frame, each placed before
    the first frame code above its own."""
    if not frame:
        return list(lines)
    have = {r.code: r for r in lines}
    out = [have.get(code) or Row(key=code, code=code, name=CLASS_NAMES.get(code, code)) for code in frame]
    for r in lines:
        if r.code in frame or not _nonzero(r):
            continue
        at = next((i for i, x in enumerate(out) if x.code > r.code), len(out))
        out.insert(at, r)
    return out


def frame_findings(m: UnitAccounts, frames: dict[str, list[str]], profile_name: str) -> list[Finding]:
    """A warning for each row with money outside the format's frame (its amount cell first)."""
    from .checks.core import Finding, fmt  # the checks package only when checking, not when a template is built

    out = []
    for kind in FRAMED:
        frame = frames.get(kind.value)
        table: BalanceTable | None = m.table(kind)
        if not frame or table is None:
            continue
        column = table.expenditure_columns[0]
        for r in table.expenditure:
            if r.code in frame or not _nonzero(r):
                continue
            cell = r.cells.get(column) or r.label_cell
            amount = r.values.get(column) or next(v for v in r.values.values() if v)
            message = (
                f"“{r.name.strip()}”不在“{profile_name}”格式这张表的表样中，但有金额 {fmt(amount)} 万元；"
                "文档中照样列出这一行（金额不会丢掉），请核对科目是否填对。"
            )
            out.append(Finding("warning", f"{kind.value}.表样外的行", message, table.sheet, [f"{table.sheet}!{cell}"], "表样中的科目", r.name.strip()))
    return out
