"""Finding the nine tables and the supplementary sheets in a workbook.

A table is recognised by its title (in a cell near the top, or in the sheet name, as the
决算软件 export names them: "Z01 收入支出决算总表(公开01表)"), and only as a last resort by a
"公开NN" number, because numbering differs between formats (三公 is 公开07 or 公开09).
"""

from __future__ import annotations

import re

from ..errors import InputError
from ..model import TableKind
from .values import norm
from .workbook import Grid

# Most specific first: "财政拨款收入支出决算总表" also contains "收入支出决算总表".
TITLE_PATTERNS: list[tuple[TableKind, tuple[str, ...]]] = [
    (TableKind.fiscal_summary, ("财政拨款收入支出决算总表",)),
    (TableKind.summary, ("收入支出决算总表",)),
    (TableKind.gpb_basic, ("一般公共预算财政拨款基本支出决算表", "基本支出决算表")),
    (TableKind.gpb_expenditure, ("一般公共预算财政拨款支出决算表",)),
    (TableKind.sangong, ("三公经费支出决算表", "三公经费")),
    (TableKind.gov_fund, ("政府性基金预算财政拨款收入支出决算表", "政府性基金预算财政拨款")),
    (TableKind.state_capital, ("国有资本经营预算财政拨款收入支出决算表", "国有资本经营预算财政拨款支出决算表", "国有资本经营预算财政拨款")),
    (TableKind.income, ("收入决算表",)),
    (TableKind.expenditure, ("支出决算表",)),
]

# Fallback when a sheet has no recognisable title: the common (2018/2020) numbering.
DEFAULT_NUMBERING = {
    1: TableKind.summary,
    2: TableKind.income,
    3: TableKind.expenditure,
    4: TableKind.fiscal_summary,
    5: TableKind.gpb_expenditure,
    6: TableKind.gpb_basic,
    7: TableKind.sangong,
    8: TableKind.gov_fund,
    9: TableKind.state_capital,
}

_NUMBER = re.compile(r"公开0?(\d)表?")
SUPPLEMENTARY = ("单位信息", "上年数", "预算数", "说明", "其他事项", "绩效", "名词解释", "填写说明")


def kind_of_title(text: str) -> TableKind | None:
    t = norm(text)
    if not t or t.startswith("注") or "本表反映" in t:
        return None
    for kind, patterns in TITLE_PATTERNS:
        if any(p in t for p in patterns):
            return kind
    return None


def kind_of_sheet(grid: Grid) -> tuple[TableKind | None, str]:
    """(kind, title) of a sheet, or (None, "") if it is not one of the nine tables."""
    if norm(grid.name) in SUPPLEMENTARY:
        return None, ""
    for r in range(min(6, len(grid.rows))):
        for c in range(min(grid.width, 30)):
            text = grid.text(r, c)
            if len(text) > 40 or not text.endswith(("表", "表）", "表)")):
                continue
            kind = kind_of_title(text)
            if kind is not None:
                return kind, norm(text)
    kind = kind_of_title(grid.name)
    if kind is not None:
        return kind, norm(grid.name)
    match = _NUMBER.search(norm(grid.name))
    if match:
        return DEFAULT_NUMBERING.get(int(match.group(1))), ""
    return None, ""


def find_tables(grids: dict[str, Grid], file: str = "") -> dict[TableKind, tuple[Grid, str]]:
    """Map each table kind to its sheet; a kind found on two sheets is an error."""
    found: dict[TableKind, tuple[Grid, str]] = {}
    for grid in grids.values():
        kind, title = kind_of_sheet(grid)
        if kind is None:
            continue
        if kind in found:
            other = found[kind][0].name
            raise InputError(
                f"工作表“{other}”和“{grid.name}”都是“{title or kind.value}”，同一张表只能有一份。请删除多余的一张。",
                file=file,
            )
        found[kind] = (grid, title)
    return found


def find_sheet(grids: dict[str, Grid], name: str) -> Grid | None:
    """A supplementary sheet by exact name, else by a name containing it."""
    if name in grids:
        return grids[name]
    for sheet, grid in grids.items():
        if name in norm(sheet):
            return grid
    return None
