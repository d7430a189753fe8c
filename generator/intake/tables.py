"""Parsers for the nine 公开表: a sheet's grid -> a typed table of the model.

Values are found by row labels, 科目编码 and column headers, never by fixed addresses:
the header block is read into one "path" per column (group headers carried over merged
cells), and each column is classified by the words in its path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..errors import InputError
from ..keys import class_code, strip_ordinal
from ..model import (
    SANGONG_COLUMNS,
    BalanceTable,
    EconomicTable,
    Row,
    SanGongTable,
    SubjectTable,
    TableKind,
)
from .values import amount, is_number, norm
from .workbook import Grid, cell_ref

CODE = re.compile(r"^(\d{3}|\d{5}|\d{7})$")
CODE_WITH_NAME = re.compile(r"^(\d{3}|\d{5}|\d{7})\s*(\S.*)$")


@dataclass
class Context:
    """What every parser needs besides the grid: the file name and the amount scale."""

    file: str
    scale: Decimal  # 1 for 万元, 0.0001 for 元

    def amount(self, grid: Grid, r: int, c: int) -> Decimal:
        return amount(grid, r, c, file=self.file, scale=self.scale)


# ---- shared helpers ------------------------------------------------------------------------


def owner_and_unit(grid: Grid) -> tuple[str, str]:
    """The owner line's unit name and the table's own 金额单位 ("元", "万元", … or "")."""
    h = table_header(grid)
    return h["owner"], h["amount_unit"]


def owner_unit_cell(grid: Grid) -> tuple[str, str, str]:
    """The owner name, the 金额单位 and the cell of the owner line."""
    h = table_header(grid)
    return h["owner"], h["amount_unit"], h["owner_cell"]


# Labels of the line naming the unit, most specific first (seed 004 prints "填报单位：").
OWNER_LABELS = ("部门（单位）", "单位名称", "编制单位", "填报单位", "预算单位", "部门", "单位")
_MONEY_UNIT = re.compile(r"^[千百万亿]*元$")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def _colon(text) -> str:
    return norm(text).replace(":", "：")


def _owner_label(t: str) -> tuple[str, str] | None:
    """(label, rest) when ``t`` starts an owner line; rest is "" when the name is in the next cell."""
    for lab in OWNER_LABELS:
        if t == lab or t == lab + "：":
            return lab, ""
        if t.startswith(lab + "："):
            rest = t[len(lab) + 1 :].split("金额单位")[0].strip("：")
            if _MONEY_UNIT.match(rest):  # "单位：万元" is the 金额单位 line
                return None
            return lab, rest
    return None


def _next_text(grid: Grid, r: int, c: int, stop: int) -> tuple[str, int] | tuple[None, None]:
    for x in range(c + 1, stop):
        t = _colon(grid.text(r, x))
        if t:
            return t, x
    return None, None


def table_header(grid: Grid) -> dict:
    """The header block of a table: owner line (any of OWNER_LABELS, ASCII or full-width colon,
    name in the same or the next cell), the 金额单位 line, and years printed in titles. Read once
    per sheet (the reader asks for the 金额单位 before the table's parser asks for the rest)."""
    if grid.header is None:
        grid.header = _read_header(grid)
    return {**grid.header, "years": dict(grid.header["years"])}


def _read_header(grid: Grid) -> dict:
    found = {"owner": "", "owner_cell": "", "amount_unit": "", "amount_unit_cell": "", "years": {}}
    width = min(grid.width, 40)
    for m in _YEAR.finditer(grid.name):
        found["years"].setdefault(grid.name, int(m.group(1)))
    for r in range(min(8, len(grid.rows))):
        for c in range(width):
            t = _colon(grid.text(r, c))
            if not t:
                continue
            owner = _owner_label(t)
            if owner and not found["owner"]:
                name, cell = owner[1], cell_ref(r, c)
                if not name:
                    name, x = _next_text(grid, r, c, width)
                    name = "" if name is None or "金额单位" in name or _MONEY_UNIT.match(name) else name
                    cell = cell_ref(r, x) if name else cell
                found["owner"], found["owner_cell"] = name, cell if name else ""
            unit = _amount_unit(grid, r, c, t, width)
            if unit and not found["amount_unit"]:
                found["amount_unit"], found["amount_unit_cell"] = unit, cell_ref(r, c)
            if _is_title_like(t) and not owner:
                for m in _YEAR.finditer(t):
                    found["years"].setdefault(cell_ref(r, c), int(m.group(1)))
    return found


def _is_title_like(t: str) -> bool:
    """A title or year line ("2024年度收入支出决算总表", "2024年度"), not a date such as "填报日期：2025年3月1日"."""
    return len(t) <= 60 and "金额单位" not in t and "日期" not in t and ("年度" in t or "决算" in t or t.endswith("表"))


def _amount_unit(grid: Grid, r: int, c: int, t: str, width: int) -> str:
    if "金额单位" in t:
        rest = t.split("金额单位", 1)[1].strip("：")
        if not rest:
            rest = _next_text(grid, r, c, width)[0] or ""
        return rest
    if t.startswith("单位：") and _MONEY_UNIT.match(t[3:]):
        return t[3:]
    return ""


def _is_column_numbers(grid: Grid, r: int) -> bool:
    """The 栏次 row: labelled 栏次, or its numbers run 1, 2, 3, …"""
    texts = [grid.text(r, c) for c in range(grid.width)]
    if any(norm(t) == "栏次" for t in texts):
        return True
    nums = [t for t in texts if t]
    return len(nums) >= 3 and all(t.isdigit() for t in nums) and [int(t) for t in nums] == list(range(int(nums[0]), int(nums[0]) + len(nums)))


def header_block(grid: Grid, start: int, stop: int) -> list[int]:
    """Rows in [start, stop) that belong to the column headers (not the 栏次 row)."""
    return [r for r in range(start, stop) if not _is_column_numbers(grid, r)]


def column_paths(grid: Grid, rows: list[int]) -> dict[int, list[str]]:
    """Per column, the header texts top-down; group headers fill the merged cells after them."""
    paths: dict[int, list[str]] = {c: [] for c in range(grid.width)}
    for i, r in enumerate(rows):
        carry = ""
        last = i == len(rows) - 1
        for c in range(grid.width):
            t = norm(grid.text(r, c))
            if t:
                carry = t
                paths[c].append(t)
            elif carry and not last:
                paths[c].append(carry)
    return paths


def first_row(grid: Grid, predicate, start: int = 0) -> int | None:
    for r in range(start, len(grid.rows)):
        if predicate(r):
            return r
    return None


def _row_text(grid: Grid, r: int) -> str:
    """The row's cell texts, each ``norm``ed, joined by NUL (which no label or word holds, so a word is
    found within one cell, never across two): read once per row, searched for every word list."""
    text = grid.row_texts.get(r)
    if text is None:
        text = grid.row_texts[r] = "\x00".join(norm(grid.text(r, c)) for c in range(grid.width))
    return text


def _row_has(grid: Grid, r: int, words) -> bool:
    """A cell of row ``r`` holds one of ``words``."""
    text = _row_text(grid, r)
    return any(w in text for w in words)


def _is_note(text: str) -> bool:
    t = norm(text)
    return t.startswith(("注", "备注", "说明：", "说明:"))


def _empty_note(text: str) -> str:
    t = norm(text)
    if ("无数据" in t or "没有" in t or "本单位无" in t or "本部门无" in t) and not t.startswith("注：本表反映"):
        return str(text).strip()
    return ""


# ---- 公开02/03/05/08/09: subject tables --------------------------------------------------------

SUBJECT_COLUMNS: dict[TableKind, list[tuple[str, tuple[str, ...]]]] = {
    # (column key, words that identify it) — checked in this order, most specific first.
    TableKind.income: [
        ("财政拨款收入", ("财政拨款",)),
        ("上级补助收入", ("上级补助",)),
        ("事业收入", ("事业收入",)),
        ("经营收入", ("经营收入",)),
        ("附属单位上缴收入", ("附属单位",)),
        ("其他收入", ("其他收入",)),
        ("本年收入合计", ("本年收入合计", "合计")),
    ],
    TableKind.expenditure: [
        ("基本支出", ("基本支出",)),
        ("项目支出", ("项目支出",)),
        ("上缴上级支出", ("上缴上级",)),
        ("经营支出", ("经营支出",)),
        ("对附属单位补助支出", ("对附属单位",)),
        ("本年支出合计", ("本年支出合计", "合计")),
    ],
    TableKind.gpb_expenditure: [
        ("基本支出", ("基本支出",)),
        ("项目支出", ("项目支出",)),
        ("合计", ("小计", "合计", "本年支出")),
    ],
}
_FUND_COLUMNS = [
    ("年初结转和结余", ("年初",)),
    ("年末结转和结余", ("年末",)),
    ("基本支出", ("基本支出",)),
    ("项目支出", ("项目支出",)),
    ("本年收入", ("本年收入",)),
    ("本年支出", ("本年支出", "小计", "合计")),
]
SUBJECT_COLUMNS[TableKind.gov_fund] = _FUND_COLUMNS
SUBJECT_COLUMNS[TableKind.state_capital] = _FUND_COLUMNS

TOTAL_COLUMN = {
    TableKind.income: "本年收入合计",
    TableKind.expenditure: "本年支出合计",
    TableKind.gpb_expenditure: "合计",
    TableKind.gov_fund: "本年支出",
    TableKind.state_capital: "本年支出",
}


def classify(path: list[str], vocabulary) -> str | None:
    """The column key whose words appear in the header path (bottom-up, most specific first)."""
    for text in reversed(path):
        for key, words in vocabulary:
            if any(w in text for w in words):
                return key
    return None


def parse_subject_table(grid: Grid, kind: TableKind, title: str, ctx: Context) -> SubjectTable:
    code_col = name_col = None
    head = first_row(grid, lambda r: _row_has(grid, r, ("科目编码", "科目名称", "项目")))
    if head is None:
        raise InputError("找不到表头（“项目”“科目编码”所在的行）。", file=ctx.file, sheet=grid.name)
    data_start = first_row(grid, lambda r: _is_data_row(grid, r), head + 1)
    stop = data_start if data_start is not None else _note_row(grid, head + 1)
    rows_h = header_block(grid, head, stop)
    for r in rows_h:
        for c in range(grid.width):
            t = norm(grid.text(r, c))
            if "科目编码" in t and code_col is None:
                code_col = c
            elif t == "科目名称" and name_col is None:
                name_col = c
    if code_col is None:
        code_col = _guess_code_col(grid, data_start)
    paths = column_paths(grid, rows_h)
    vocabulary = SUBJECT_COLUMNS[kind]
    first_amount = max(x for x in (code_col, name_col, 0) if x is not None) + 1
    columns: dict[str, int] = {}
    for c in range(first_amount, grid.width):
        key = classify(paths.get(c, []), vocabulary)
        if key and key not in columns:
            columns[key] = c
    if TOTAL_COLUMN[kind] not in columns:
        raise InputError(f"找不到“{TOTAL_COLUMN[kind]}”列。请保留表头原样（不要删改列标题）。", file=ctx.file, sheet=grid.name)
    ordered = sorted(columns, key=columns.get)
    table = SubjectTable(kind=kind, sheet=grid.name, title=title, columns=ordered, **table_header(grid))
    r = data_start if data_start is not None else stop
    while r is not None and r < len(grid.rows):
        code_text = grid.text(r, code_col)
        label = norm(code_text)
        name = grid.text(r, name_col) if name_col is not None else ""
        note = _empty_note(code_text) or _empty_note(name)
        if note:
            table.empty_note = table.empty_note or note
        if _is_note(code_text) or _is_note(name):
            r += 1
            continue
        match = CODE.match(label) or CODE_WITH_NAME.match(code_text.strip())
        if label in ("合计", "总计") or norm(name) in ("合计",):
            table.total = _subject_row(grid, r, columns, ctx, key="合计", code="", name="合计", label_col=code_col)
        elif match:
            code = match.group(1)
            if not name and match.re is CODE_WITH_NAME:
                name = match.group(2)
            table.rows.append(_subject_row(grid, r, columns, ctx, key=code, code=code, name=name.strip(), label_col=code_col))
        r += 1
    return table


def _guess_code_col(grid: Grid, data_start: int | None) -> int:
    if data_start is not None:
        for c in range(grid.width):
            if CODE.match(norm(grid.text(data_start, c))) or norm(grid.text(data_start, c)) == "合计":
                return c
    return 0


def _is_data_row(grid: Grid, r: int) -> bool:
    for c in range(min(grid.width, 12)):
        t = norm(grid.text(r, c))
        if t:
            return bool(CODE.match(t) or CODE_WITH_NAME.match(grid.text(r, c)) or t == "合计")
    return False


def _note_row(grid: Grid, start: int) -> int:
    r = first_row(grid, lambda r: any(_is_note(grid.text(r, c)) for c in range(grid.width)), start)
    return r if r is not None else len(grid.rows)


def _subject_row(grid, r, columns, ctx, *, key, code, name, label_col) -> Row:
    values, cells = {}, {}
    for col_key, c in columns.items():
        values[col_key] = ctx.amount(grid, r, c)
        cells[col_key] = cell_ref(r, c)
    return Row(key=key, code=code, name=name, values=values, cells=cells, label_cell=cell_ref(r, label_col))


# ---- 公开01/04: balance tables -----------------------------------------------------------------

INCOME_KEYS = [
    # (canonical key, words) in priority order; 公开04 uses the same words without 收入
    ("一般公共预算财政拨款收入", ("一般公共预算财政拨款",)),
    ("政府性基金预算财政拨款收入", ("政府性基金",)),
    ("国有资本经营预算财政拨款收入", ("国有资本经营",)),
    ("财政拨款收入", ("财政拨款收入", "财政拨款")),
    ("上级补助收入", ("上级补助",)),
    ("事业收入", ("事业收入",)),
    ("经营收入", ("经营收入",)),
    ("附属单位上缴收入", ("附属单位",)),
    ("其他收入", ("其他收入",)),
]
LEFT_TOTALS = [
    ("本年收入合计", ("本年收入合计", "本年收入")),
    ("使用非财政拨款结余", ("使用非财政拨款结余", "用事业基金弥补", "事业基金")),
    ("年初结转和结余", ("年初",)),
    ("收入总计", ("总计",)),
]
RIGHT_TOTALS = [
    ("本年支出合计", ("本年支出合计", "本年支出")),
    ("结余分配", ("结余分配",)),
    ("年末结转和结余", ("年末",)),
    ("支出总计", ("总计",)),
]
FISCAL_COLUMNS = [
    ("一般公共预算", ("一般公共预算",)),
    ("政府性基金", ("政府性基金",)),
    ("国有资本经营", ("国有资本经营",)),
    ("合计", ("合计", "小计", "决算数", "金额")),
]
FISCAL_SUBLINES = {"一般公共预算财政拨款收入": "一般公共预算", "政府性基金预算财政拨款收入": "政府性基金", "国有资本经营预算财政拨款收入": "国有资本经营"}


def _match(label: str, vocabulary) -> str | None:
    for key, words in vocabulary:
        if any(w in label for w in words):
            return key
    return None


def parse_balance_table(grid: Grid, kind: TableKind, title: str, ctx: Context) -> BalanceTable:
    head = first_row(grid, lambda r: sum(norm(grid.text(r, c)) == "项目" for c in range(grid.width)) >= 2)
    if head is None:
        raise InputError("找不到表头（左右两个“项目”所在的行）。", file=ctx.file, sheet=grid.name)
    item_cols = [c for c in range(grid.width) if norm(grid.text(head, c)) == "项目"]
    left_label, right_label = item_cols[0], item_cols[1]
    data_start = first_row(
        grid,
        lambda r: bool(norm(grid.text(r, left_label) or grid.text(r, right_label))) and not _is_column_numbers(grid, r) and r > head and _has_number(grid, r),
        head + 1,
    )
    if data_start is None:
        raise InputError("表中没有数据行。", file=ctx.file, sheet=grid.name)
    rows_h = header_block(grid, head, data_start)
    paths = column_paths(grid, rows_h)
    left_value = _value_column(paths, left_label + 1, right_label)
    if kind is TableKind.fiscal_summary:
        right_columns = {}
        for c in range(right_label + 1, grid.width):
            key = classify(paths.get(c, []), FISCAL_COLUMNS)
            if key and key not in right_columns and "行次" not in paths.get(c, [""])[-1]:
                right_columns[key] = c
        if "合计" not in right_columns:
            right_columns = {"合计": _value_column(paths, right_label + 1, grid.width)}
    else:
        right_columns = {"金额": _value_column(paths, right_label + 1, grid.width)}
    table = BalanceTable(kind=kind, sheet=grid.name, title=title, expenditure_columns=sorted(right_columns, key=right_columns.get), **table_header(grid))
    in_carry_over = False
    for r in range(data_start, len(grid.rows)):
        left, right = grid.text(r, left_label), grid.text(r, right_label)
        if _is_note(left) or _is_note(right):
            break
        lt, rt = strip_ordinal(left), strip_ordinal(right)
        if lt:
            row = Row(
                name=left.strip(), values={"金额": ctx.amount(grid, r, left_value)}, cells={"金额": cell_ref(r, left_value)}, label_cell=cell_ref(r, left_label)
            )
            total = _match(lt, LEFT_TOTALS)
            if total == "年初结转和结余":
                in_carry_over = True
            income = _match(lt, INCOME_KEYS) if total is None else None
            if total:
                row.key = total
                table.totals[total] = row
            elif income and in_carry_over and kind is TableKind.fiscal_summary:
                row.key = f"年初结转和结余:{FISCAL_SUBLINES.get(income, income)}"
                table.totals[row.key] = row
            elif income:
                row.key = income
                table.income.append(row)
        if rt:
            values = {k: ctx.amount(grid, r, c) for k, c in right_columns.items()}
            cells = {k: cell_ref(r, c) for k, c in right_columns.items()}
            row = Row(name=right.strip(), values=values, cells=cells, label_cell=cell_ref(r, right_label))
            total = _match(rt, RIGHT_TOTALS)
            code = class_code(rt) if total is None else None
            if total:
                row.key = total
                table.totals[total] = row
            elif code:
                row.key = row.code = code
                table.expenditure.append(row)
            else:
                raise InputError(
                    f"无法识别的支出科目“{right.strip()}”。请使用功能分类科目的类级名称。", file=ctx.file, sheet=grid.name, cell=cell_ref(r, right_label)
                )
    return table


def _has_number(grid: Grid, r: int) -> bool:
    return any(is_number(grid.get(r, c)) for c in range(grid.width))


def _value_column(paths: dict[int, list[str]], start: int, stop: int) -> int:
    """The amount column of one side: headed 金额/决算数/合计, else the last before ``stop``."""
    for c in range(start, stop):
        p = paths.get(c, [])
        if p and any(w in p[-1] for w in ("金额", "决算数", "合计")) and "行次" not in p[-1]:
            return c
    for c in range(stop - 1, start - 1, -1):
        p = paths.get(c, [])
        if p and "行次" not in p[-1]:
            return c
    return stop - 1


# ---- 公开06: 经济分类 --------------------------------------------------------------------------


def parse_economic_table(grid: Grid, title: str, ctx: Context) -> EconomicTable:
    head = first_row(grid, lambda r: _row_has(grid, r, ("科目编码",)))
    if head is None:
        raise InputError("找不到“科目编码”表头。", file=ctx.file, sheet=grid.name)
    panels = []
    for c in range(grid.width):
        if "科目编码" in norm(grid.text(head, c)):
            value_col = next(
                (v for v in range(c + 1, grid.width) if "决算数" in norm(grid.text(head, v)) or norm(grid.text(head, v)) in ("金额", "合计")), c + 2
            )
            name_col = next((v for v in range(c + 1, value_col) if "科目名称" in norm(grid.text(head, v))), c + 1)
            panels.append((c, name_col, value_col))
    table = EconomicTable(sheet=grid.name, title=title, **table_header(grid))
    for r in range(head + 1, len(grid.rows)):
        for code_col, name_col, value_col in panels:
            code = norm(grid.text(r, code_col))
            if re.match(r"^\d{3}(\d{2})?$", code):
                table.rows.append(
                    Row(
                        key=code,
                        code=code,
                        name=grid.text(r, name_col).strip(),
                        values={"决算数": ctx.amount(grid, r, value_col)},
                        cells={"决算数": cell_ref(r, value_col)},
                        label_cell=cell_ref(r, code_col),
                    )
                )
        for c in range(grid.width):
            t = norm(grid.text(r, c))
            if t in ("人员经费合计", "公用经费合计"):
                v = next((x for x in range(c + 1, grid.width) if is_number(grid.get(r, x)) or norm(grid.text(r, x)) in ("-",)), None)
                if v is None:
                    v = c + 1
                stop = next((x for x in range(c + 1, grid.width) if norm(grid.text(r, x)) in ("人员经费合计", "公用经费合计")), grid.width)
                if v >= stop:
                    v = c + 1
                row = Row(key=t, name=t, values={"决算数": ctx.amount(grid, r, v)}, cells={"决算数": cell_ref(r, v)}, label_cell=cell_ref(r, c))
                if t == "人员经费合计":
                    table.personnel_total = row
                else:
                    table.public_total = row
    table.rows.sort(key=lambda row: (row.code[:3], len(row.code), row.code))
    return table


# ---- 公开07: 三公 ------------------------------------------------------------------------------

_SANGONG_ITEMS = [
    ("因公出国（境）费", ("出国",)),
    ("公务接待费", ("接待",)),
]


def _sangong_item(path: list[str]) -> str | None:
    for text in reversed(path):
        if text in ("预算数", "决算数", "预算", "决算"):
            continue
        for key, words in _SANGONG_ITEMS:
            if any(w in text for w in words):
                return key
        if text == "小计":
            return "公务用车购置及运行维护费"
        if "购置" in text and "运行" in text:
            return "公务用车购置及运行维护费"
        if "购置" in text:
            return "公务用车购置费"
        if "运行" in text:
            return "公务用车运行维护费"
        if "合计" in text:
            return "合计"
    return None


def parse_sangong_table(grid: Grid, title: str, ctx: Context) -> SanGongTable:
    head = first_row(grid, lambda r: _row_has(grid, r, ("预算", "决算")) and not _row_has(grid, r, ("本表反映", "决算表")))
    if head is None:
        raise InputError("找不到“预算数”“决算数”表头。", file=ctx.file, sheet=grid.name)
    data = first_row(grid, lambda r: not _is_column_numbers(grid, r) and sum(is_number(grid.get(r, c)) for c in range(grid.width)) >= 2, head + 1)
    if data is None:
        data = _blank_data_row(grid, head)
    if data is None:
        raise InputError("找不到数据行（“预算数”“决算数”表头下方的那一行）。", file=ctx.file, sheet=grid.name)
    paths = column_paths(grid, header_block(grid, head, data))
    budget: dict[str, int] = {}
    actual: dict[str, int] = {}
    for c in range(grid.width):
        path = paths.get(c, [])
        item = _sangong_item(path)
        if item is None:
            continue
        side = next((("budget" if "预算" in t else "actual") for t in reversed(path) if "预算" in t or "决算" in t), None)
        target = budget if side == "budget" else actual if side == "actual" else None
        if target is not None and item not in target:
            target[item] = c
    missing = [k for k in SANGONG_COLUMNS if k not in budget or k not in actual]
    if missing:
        raise InputError(f"“三公”经费表缺少列：{'、'.join(missing)}。请保留表头原样。", file=ctx.file, sheet=grid.name)

    def row(name, cols):
        return Row(
            key=name,
            name=name,
            values={k: ctx.amount(grid, data, cols[k]) for k in SANGONG_COLUMNS},
            cells={k: cell_ref(data, cols[k]) for k in SANGONG_COLUMNS},
        )

    return SanGongTable(sheet=grid.name, title=title, budget=row("预算数", budget), actual=row("决算数", actual), **table_header(grid))


_SANGONG_HEADER_WORDS = ("预算", "决算", "合计", "出国", "公务", "小计", "接待", "运行", "购置")


def _blank_data_row(grid: Grid, head: int) -> int | None:
    """A 三公 table left blank or filled with "-": the first row below the headers and the
    栏次 row that is not a note (its cells read as 0)."""
    for r in range(head + 1, len(grid.rows)):
        texts = [norm(grid.text(r, c)) for c in range(grid.width)]
        if any(_is_note(t) for t in texts if t):
            return None
        if _is_column_numbers(grid, r) or any(any(w in t for w in _SANGONG_HEADER_WORDS) for t in texts if t):
            continue
        return r
    return None
