"""The reader: a workbook file -> UnitAccounts, or one InputError saying what is wrong."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ..errors import InputError
from ..keys import (
    SHEET_BUDGET,
    SHEET_GLOSSARY,
    SHEET_OTHER,
    SHEET_PERFORMANCE,
    SHEET_PRIOR,
    SHEET_REASONS,
    SHEET_UNIT,
)
from ..model import TABLE_TITLES, TableKind, UnitAccounts
from . import supplementary as sup
from .locate import find_sheet, find_tables
from .tables import (
    Context,
    owner_and_unit,
    parse_balance_table,
    parse_economic_table,
    parse_sangong_table,
    parse_subject_table,
)
from .workbook import load_grids

_TEN_THOUSAND = Decimal("0.0001")
REQUIRED = [k for k in TableKind if k is not TableKind.state_capital]


def read_workbook(path: str | Path) -> UnitAccounts:
    path = Path(path)
    file = path.name
    grids = load_grids(path)
    unit_grid = find_sheet(grids, SHEET_UNIT)
    if unit_grid is None:
        raise InputError(f"缺少工作表“{SHEET_UNIT}”（单位名称、年度等）。可用 juesuan init 生成空白工作簿参照填写。", file=file)
    unit = sup.parse_unit_info(unit_grid, file)
    book_scale = _TEN_THOUSAND if unit.amount_unit == "元" else Decimal(1)
    found = find_tables(grids, file)
    missing = [k for k in REQUIRED if k not in found]
    if missing:
        names = "、".join(f"“{TABLE_TITLES[k]}”" for k in missing)
        raise InputError(f"缺少{names}。请补上这些表（工作表名或表内标题需包含表名）。", file=file)
    tables = {}
    for kind, (grid, title) in found.items():
        _, unit_line = owner_and_unit(grid)
        # a table's own "金额单位：元" means 元; otherwise 单位信息 governs (init prints 万元 on every table)
        scale = _TEN_THOUSAND if unit_line == "元" else book_scale
        ctx = Context(file=file, scale=scale)
        tables[kind.value] = _parse(kind, grid, title, ctx)
    ctx = Context(file=file, scale=book_scale)
    layout = "2018" if tables["summary"].income_line("财政拨款收入") is not None else "2020"
    model = UnitAccounts(source=str(path), layout=layout, unit=unit, **tables)
    if (g := find_sheet(grids, SHEET_PRIOR)) is not None:
        model.prior, model.prior_by_class = sup.parse_prior(g, ctx)
    if (g := find_sheet(grids, SHEET_BUDGET)) is not None:
        model.budget = sup.parse_budget(g, ctx, model.budget_totals)
    if (g := find_sheet(grids, SHEET_REASONS)) is not None:
        model.reasons = sup.parse_reasons(g)
    if (g := find_sheet(grids, SHEET_OTHER)) is not None:
        model.other = sup.parse_other(g, ctx)
    if (g := find_sheet(grids, SHEET_PERFORMANCE)) is not None:
        model.performance = sup.parse_performance(g, ctx)
    if (g := find_sheet(grids, SHEET_GLOSSARY)) is not None:
        model.glossary = sup.parse_glossary(g)
    return model


def _parse(kind: TableKind, grid, title: str, ctx: Context):
    if kind in (TableKind.summary, TableKind.fiscal_summary):
        return parse_balance_table(grid, kind, title, ctx)
    if kind is TableKind.gpb_basic:
        return parse_economic_table(grid, title, ctx)
    if kind is TableKind.sangong:
        return parse_sangong_table(grid, title, ctx)
    return parse_subject_table(grid, kind, title, ctx)
