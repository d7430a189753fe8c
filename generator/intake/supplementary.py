"""Parsers for the supplementary sheets that ``init`` creates (单位信息, 上年数, 预算数, …).

Their layout is ours (header in row 1, key in column A, value in column B), but users
insert rows and reorder them, so keys are found by text, not by position.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..errors import InputError
from ..keys import (
    ATTACHMENT_COLUMNS,
    BUDGET_COLUMNS,
    BUDGET_TOTAL_LABEL,
    COMPOSITION_COLUMNS,
    FUND_CAPITAL,
    FUND_GENERAL,
    FUND_GOV,
    PERFORMANCE_MECHANISM_KEY,
    PERFORMANCE_NARRATIVE_KEY,
    PERFORMANCE_SYSTEM_KEY,
    PROJECT_COLUMNS,
    UNIT_KEYS,
)
from ..model import Attachment, BudgetRow, Entry, GlossaryItem, MemberUnit, Performance, Project, UnitInfo
from ..money import round_money
from .tables import Context
from .values import MONEY_UNITS, UnknownUnit, norm, to_decimal
from .workbook import Grid, cell_ref

_CLASS_ROW = re.compile(r"^(\d{3})(?:\s*(.*))?$")


def key_values(grid: Grid) -> dict[str, tuple[object, str, int]]:
    """Column A key -> (raw value in B, its cell, row) for every non-empty key row."""
    result = {}
    for r in range(len(grid.rows)):
        key = norm(grid.text(r, 0))
        if key and key not in result:
            result[key] = (grid.get(r, 1), cell_ref(r, 1), r)
    return result


def text_of(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def parse_unit_info(grid: Grid, file: str) -> UnitInfo:
    kv = key_values(grid)
    fields: dict[str, object] = {}
    cells = {}
    for key, field in UNIT_KEYS.items():
        if key in kv:
            raw, cell, _ = kv[key]
            fields[field] = text_of(raw)
            cells[field] = cell
    name = str(fields.get("name", ""))
    if not name:
        raise InputError("缺少“单位名称”。请在 A 列写“单位名称”，B 列填单位全称。", file=file, sheet=grid.name, cell=cells.get("name", ""))
    year_text = str(fields.get("year", ""))
    if not year_text:
        raise InputError("缺少“年度”。请在 A 列写“年度”，B 列填决算年度（如 2024）。", file=file, sheet=grid.name, cell=cells.get("year", ""))
    year_text = year_text.removesuffix("年度").removesuffix("年")
    if not year_text.isdigit() or not 2000 <= int(year_text) <= 2100:
        raise InputError(f"“年度”应为四位年份（如 2024），但填写的是“{fields['year']}”。", file=file, sheet=grid.name, cell=cells.get("year", ""))
    fields["year"] = int(year_text)
    unit = str(fields.get("amount_unit") or "万元")
    if unit not in ("万元", "元"):
        raise InputError(f"“金额单位”只能是“万元”或“元”，但填写的是“{unit}”。", file=file, sheet=grid.name, cell=cells.get("amount_unit", ""))
    fields["amount_unit"] = unit
    entity = str(fields.get("entity") or "单位")
    fields["entity"] = "部门" if "部门" in entity else "单位"
    return UnitInfo(**fields, members=parse_members(grid), sheet=grid.name, cells=cells)


def parse_members(grid: Grid) -> list[MemberUnit]:
    """The 决算单位构成 table (header "序号 | 单位名称 | 备注" in columns A–C) below the key rows."""
    head = next((r for r in range(len(grid.rows)) if norm(grid.text(r, 0)) == COMPOSITION_COLUMNS[0] and norm(grid.text(r, 1)) == COMPOSITION_COLUMNS[1]), None)
    if head is None:
        return []
    members = []
    for r in range(head + 1, len(grid.rows)):
        name = grid.text(r, 1).strip()
        if not name:
            continue
        cells = {"name": cell_ref(r, 1), "note": cell_ref(r, 2)}
        members.append(MemberUnit(number=text_of(grid.get(r, 0)), name=name, note=grid.text(r, 2).strip(), cells=cells))
    return members


def _number_entry(raw, cell: str, ctx: Context, grid: Grid, *, scaled: bool) -> Entry:
    """A number; ``scaled`` means an amount: converted by the cell's own unit suffix ("125000元")
    or else the sheet's, and rounded to 0.01万元."""
    text = text_of(raw)
    if text == "":
        return Entry(value=None, cell=cell)
    try:
        value = to_decimal(raw, scale=ctx.scale if scaled else Decimal(1))
    except UnknownUnit as err:
        raise InputError(err.message(), file=ctx.file, sheet=grid.name, cell=cell) from None
    if value is None:
        raise InputError(f"应为数字，但填写的是文字“{text}”。", file=ctx.file, sheet=grid.name, cell=cell)
    return Entry(value=round_money(value) if scaled else value, cell=cell)


def _unit_entry(raw, cell: str, ctx: Context, grid: Grid, unit: str) -> Entry:
    """A value with its own 单位 column: amounts (元/万元, or a unit written in the cell) become
    万元; counts may repeat their unit in the cell ("3辆").

    (Sheets without a 单位 column — 上年数, 预算数 — follow 单位信息 金额单位 instead.)
    """
    if unit in MONEY_UNITS:
        money = Context(file=ctx.file, scale=MONEY_UNITS[unit])
        return _number_entry(raw, cell, money, grid, scaled=True)
    text = "".join(text_of(raw).split())
    if unit and text.endswith(unit) and text != unit:
        raw = text.removesuffix(unit)
    return _number_entry(raw, cell, ctx, grid, scaled=False)


def parse_prior(grid: Grid, ctx: Context) -> tuple[dict[str, Entry], dict[str, Entry]]:
    """上年数: indicator rows, and per-类 rows written "201 一般公共服务支出"."""
    indicators, by_class = {}, {}
    for r in range(1, len(grid.rows)):
        label = grid.text(r, 0)
        if not label:
            continue
        cell = cell_ref(r, 1)
        raw = grid.get(r, 1)
        match = _CLASS_ROW.match(label.strip())
        if match:
            by_class[match.group(1)] = _number_entry(raw, cell, ctx, grid, scaled=True)
        elif norm(label) != "指标" and text_of(raw) not in ("上年决算数",):
            # every value is read (with its own unit: "2665.63万元"); text raises with the cell named
            indicators[norm(label)] = _number_entry(raw, cell, ctx, grid, scaled=True)
    return {k: v for k, v in indicators.items() if v.value is not None}, {k: v for k, v in by_class.items() if v.value is not None}


def parse_reasons(grid: Grid) -> dict[str, Entry]:
    result = {}
    for key, (raw, cell, r) in key_values(grid).items():
        if r == 0 and key in ("事项", "项目"):
            continue
        text = text_of(raw)
        if text:
            result[key] = Entry(text=text, cell=cell)
    return result


def parse_other(grid: Grid, ctx: Context) -> dict[str, Entry]:
    result = {}
    for key, (raw, cell, r) in key_values(grid).items():
        if r == 0:
            continue
        unit = norm(grid.text(r, 2))
        entry = _unit_entry(raw, cell, ctx, grid, unit)
        if entry.value is not None:
            if entry.value < 0:
                raise InputError(f"“{key}”不能为负数，但填写的是 {text_of(raw)}。", file=ctx.file, sheet=grid.name, cell=cell)
            result[key] = entry
    return result


def _header_columns(grid: Grid, r: int, names: list[str]) -> dict[str, int]:
    cols = {}
    for c in range(grid.width):
        t = norm(grid.text(r, c))
        for name in names:
            if name not in cols and (t == name or (name in t and len(t) <= len(name) + 4)):
                cols[name] = c
    return cols


def fund_source(text: str) -> str:
    """资金来源 as typed ("政府性基金预算", "国有资本经营预算财政拨款" …) -> one of keys.FUND_SOURCES, or ""."""
    t = norm(text)
    if "基金" in t:
        return FUND_GOV
    if "国有资本" in t:
        return FUND_CAPITAL
    if "一般公共" in t:
        return FUND_GENERAL
    return ""


def parse_budget(grid: Grid, ctx: Context, totals: dict[str, Entry] | None = None) -> list[BudgetRow]:
    """预算数 rows per 科目; a "合计" row (in 科目编码 or 科目名称) goes to ``totals`` by its 资金来源."""
    head = next((r for r in range(min(10, len(grid.rows))) if "科目编码" in {norm(grid.text(r, c)) for c in range(grid.width)}), None)
    if head is None:
        raise InputError("找不到表头“科目编码”。", file=ctx.file, sheet=grid.name)
    cols = _header_columns(grid, head, BUDGET_COLUMNS)
    rows = []
    for r in range(head + 1, len(grid.rows)):
        code = norm(grid.text(r, cols["科目编码"]))
        source = fund_source(grid.text(r, cols["资金来源"])) if "资金来源" in cols else ""
        if BUDGET_TOTAL_LABEL in (code, norm(grid.text(r, cols.get("科目名称", 1)))) and "年初预算数" in cols and totals is not None:
            entry = _number_entry(grid.get(r, cols["年初预算数"]), cell_ref(r, cols["年初预算数"]), ctx, grid, scaled=True)
            if entry.value is not None:
                totals[source or FUND_GENERAL] = entry
            continue
        if not re.match(r"^\d{3}(\d{2}){0,2}$", code):
            continue
        row = BudgetRow(code=code, source=source, name=grid.text(r, cols.get("科目名称", 1)))
        for header, field in (("年初预算数", "initial"), ("调整预算数", "adjusted")):
            if header in cols:
                entry = _number_entry(grid.get(r, cols[header]), cell_ref(r, cols[header]), ctx, grid, scaled=True)
                setattr(row, field, entry.value)
                row.cells[field] = entry.cell
        for header, field in (("主要用途", "purpose"), ("决算与预算差异原因", "reason")):
            if header in cols:
                setattr(row, field, text_of(grid.get(r, cols[header])))
                row.cells[field] = cell_ref(r, cols[header])
        rows.append(row)
    return rows


def parse_performance(grid: Grid, ctx: Context) -> Performance:
    perf = Performance()
    project_head = next((r for r in range(len(grid.rows)) if norm(grid.text(r, 0)) == "项目名称"), None)
    attach_head = next((r for r in range(len(grid.rows)) if norm(grid.text(r, 0)) == ATTACHMENT_COLUMNS[0]), None)
    end = len(grid.rows)
    stop = min(x for x in (project_head, attach_head, end) if x is not None)
    for r in range(1, stop):
        key = norm(grid.text(r, 0))
        if not key:
            continue
        cell = cell_ref(r, 1)
        if key in (PERFORMANCE_NARRATIVE_KEY, PERFORMANCE_SYSTEM_KEY, PERFORMANCE_MECHANISM_KEY):
            field = {PERFORMANCE_NARRATIVE_KEY: "narrative", PERFORMANCE_SYSTEM_KEY: "system", PERFORMANCE_MECHANISM_KEY: "mechanism"}[key]
            setattr(perf, field, Entry(text=text_of(grid.get(r, 1)), cell=cell))
            continue
        unit = norm(grid.text(r, 2))
        entry = _unit_entry(grid.get(r, 1), cell, ctx, grid, unit)
        if entry.value is not None:
            perf.summary[key] = entry
    if attach_head is not None:
        for r in range(attach_head + 1, project_head if project_head is not None and project_head > attach_head else end):
            name = grid.text(r, 0).strip()
            if name:
                perf.attachments.append(Attachment(name=name, note=grid.text(r, 1).strip(), text=text_of(grid.get(r, 2)), cell=cell_ref(r, 0)))
    if project_head is not None:
        cols = _header_columns(grid, project_head, PROJECT_COLUMNS)
        for r in range(project_head + 1, attach_head if attach_head is not None and attach_head > project_head else end):
            name = grid.text(r, cols.get("项目名称", 0))
            if not name:
                continue
            project = Project(name=name)
            for header, field, scaled in (("自评得分", "score", False), ("全年预算数", "budget", True), ("全年执行数", "actual", True)):
                if header in cols:
                    entry = _number_entry(grid.get(r, cols[header]), cell_ref(r, cols[header]), ctx, grid, scaled=scaled)
                    setattr(project, field, entry.value)
                    project.cells[field] = entry.cell
            for header, field in (("绩效目标完成情况", "goals"), ("存在问题", "problems"), ("改进措施", "measures")):
                if header in cols:
                    setattr(project, field, text_of(grid.get(r, cols[header])))
                    project.cells[field] = cell_ref(r, cols[header])
            perf.projects.append(project)
    return perf


def parse_glossary(grid: Grid) -> list[GlossaryItem]:
    items = []
    for r in range(1, len(grid.rows)):
        term, definition = grid.text(r, 0), grid.text(r, 1)
        if term and definition:
            items.append(GlossaryItem(term=term, definition=definition, cell=cell_ref(r, 1)))
    return items
