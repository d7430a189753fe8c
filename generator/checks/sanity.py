"""Input sanity (§7): whose tables these are, which year, which unit, and values that cannot be.

A table pasted from another unit, a title of another year, a 金额单位 line the reader did not
apply, negatives and fractional counts in the supplementary sheets: each is an error naming
the cell, because the document would state it without a word.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from ..keys import OTHER_KEYS, PERFORMANCE_KEYS, SHEET_BUDGET, SHEET_OTHER, SHEET_PERFORMANCE, SHEET_PRIOR
from ..model import TableKind, UnitAccounts
from .core import ZERO, Checker, fmt, label, ref

_NAME_NORM = str.maketrans(
    {"(": "（", ")": "）", "[": "【", "]": "】", ":": "：", "“": None, "”": None, "‘": None, "’": None, '"': None, "'": None, "·": None, "•": None}
)


def norm_name(text: str) -> str:
    """A unit name for comparison: no spaces (any width), one kind of bracket, no quotes."""
    return "".join(str(text).split()).translate(_NAME_NORM)


def tables(m: UnitAccounts):
    for kind in TableKind:
        t = m.table(kind)
        if t is not None:
            yield t


def check_owner(ck: Checker, m: UnitAccounts) -> None:
    """A table whose owner line names another unit was pasted from elsewhere (§9, seed 004)."""
    unit = norm_name(m.unit.name)
    for t in tables(m):
        owner = norm_name(t.owner)
        if not owner or owner == unit or owner in unit or unit in owner:
            continue
        where = ref(t.sheet, t.owner_cell)
        ck.add(
            "error",
            "表头单位",
            f"{label(t)}的表头单位是“{t.owner}”（{where}），与单位信息中的单位名称“{m.unit.name}”不一致，可能混入了其他单位的表。",
            t.sheet,
            [where, ref(m.unit.sheet, m.unit.cells.get("name", ""))],
            m.unit.name,
            t.owner,
        )


_FILE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def check_year(ck: Checker, m: UnitAccounts) -> None:
    """年度 of 单位信息 against the years printed in the tables' titles/headers and the file name."""
    year = m.unit.year
    year_ref = ref(m.unit.sheet, m.unit.cells.get("year", ""))
    for t in tables(m):
        for where, printed in t.years.items():
            if printed != year:
                cell = ref(t.sheet, where) if where != t.sheet else t.sheet
                ck.add(
                    "error",
                    "年度",
                    f"{label(t)}的标题或表头写的是 {printed} 年（{cell}），而单位信息的年度是 {year}（{year_ref}）：可能用了另一年度的表，或年度填错。",
                    t.sheet,
                    [cell, year_ref],
                    year,
                    printed,
                )
    if m.source:
        stem = Path(m.source).stem
        years = {int(y) for y in _FILE_YEAR.findall(stem)}
        if years and year not in years:
            printed = min(years)
            ck.add(
                "error",
                "年度",
                f"文件名“{Path(m.source).name}”中的年份是 {printed}，而单位信息的年度是 {year}（{year_ref}）：请核对年度或文件是否用错。",
                m.unit.sheet,
                [year_ref],
                year,
                printed,
            )


def check_amount_units(ck: Checker, m: UnitAccounts) -> None:
    """Each table's own 金额单位 line against 单位信息 金额单位.

    A table saying "元" is read in 元 whatever 单位信息 says (documented); a table saying "万元"
    while 单位信息 says 元 would be divided by 10,000: an error. Unknown units are errors.
    """
    book = m.unit.amount_unit
    book_ref = ref(m.unit.sheet, m.unit.cells.get("amount_unit", ""))
    yuan_tables = 0
    for t in tables(m):
        unit = t.amount_unit
        if not unit:
            continue
        where = ref(t.sheet, t.amount_unit_cell)
        if unit not in ("万元", "元"):
            ck.add("error", "金额单位", f"{label(t)}的金额单位“{unit}”（{where}）无法识别：只能是“万元”或“元”。", t.sheet, [where], "万元 或 元", unit)
        elif unit == "万元" and book == "元":
            ck.add(
                "error",
                "金额单位",
                f"{label(t)}的金额单位是万元（{where}），而单位信息的金额单位是元（{book_ref}）：按单位信息读取会把本表金额缩小一万倍。请把单位信息的金额单位改为万元，或把本表改为以元填写。",
                t.sheet,
                [where, book_ref],
                book,
                unit,
            )
        yuan_tables += unit == "元"
    if book == "万元" and yuan_tables and yuan_tables == sum(1 for t in tables(m) if t.amount_unit) and (m.prior or m.budget):
        ck.add(
            "warning",
            "金额单位",
            f"各表的金额单位都是元，而单位信息的金额单位是万元（{book_ref}）：“上年数”“预算数”按单位信息的万元读取。若它们也是以元填写的，请把单位信息的金额单位改为元。",
            m.unit.sheet,
            [book_ref],
            "元",
            book,
        )


def _negative(ck: Checker, sheet: str, cell: str, what: str, value: Decimal | None) -> None:
    if value is not None and value < 0:
        where = ref(sheet, cell)
        ck.add("error", "负数", f"“{sheet}”中“{what}”为负数 {fmt(value)}（{where}），此处不能为负。", sheet, [where], "≥ 0", value)


def check_negatives(ck: Checker, m: UnitAccounts) -> None:
    """上年数, 预算数, 其他事项 and 绩效 amounts and counts are never negative."""
    for key, e in list(m.prior.items()) + list(m.prior_by_class.items()):
        _negative(ck, SHEET_PRIOR, e.cell, key, e.value)
    for b in m.budget:
        _negative(ck, SHEET_BUDGET, b.cells.get("initial", ""), f"{b.code} 年初预算数", b.initial)
        _negative(ck, SHEET_BUDGET, b.cells.get("adjusted", ""), f"{b.code} 调整预算数", b.adjusted)
    for key, e in m.other.items():
        _negative(ck, SHEET_OTHER, e.cell, key, e.value)
    for key, e in m.performance.summary.items():
        _negative(ck, SHEET_PERFORMANCE, e.cell, key, e.value)
    for p in m.performance.projects:
        for field, what in (("score", "自评得分"), ("budget", "全年预算数"), ("actual", "全年执行数")):
            _negative(ck, SHEET_PERFORMANCE, p.cells.get(field, ""), f"{p.name} {what}", getattr(p, field))


MONEY_UNITS = ("万元", "元")


def count_keys() -> dict[str, str]:
    """Rows of 其他事项 and 绩效 that count things (unit 个/辆/批次/人次/台（套）): whole numbers."""
    keys = {k: SHEET_OTHER for k, unit in OTHER_KEYS.items() if unit not in MONEY_UNITS}
    keys.update({k: SHEET_PERFORMANCE for k, unit in PERFORMANCE_KEYS.items() if unit == "个"})
    return keys


def check_whole_counts(ck: Checker, m: UnitAccounts) -> None:
    for key, sheet in count_keys().items():
        e = (m.other if sheet == SHEET_OTHER else m.performance.summary).get(key)
        if e is not None and e.value is not None and e.value != e.value.to_integral_value():
            where = ref(sheet, e.cell)
            ck.add("error", "整数", f"“{sheet}”中“{key}”是个数，应为整数，但填写的是 {e.value}（{where}）。", sheet, [where], "整数", e.value)
    for key in ("平均得分",):
        e = m.performance.summary.get(key)
        if e is not None and e.value is not None and not ZERO <= e.value <= 100:
            where = ref(SHEET_PERFORMANCE, e.cell)
            ck.add("error", "得分", f"“绩效”中“{key}”应在 0～100 之间，但填写的是 {e.value}（{where}）。", SHEET_PERFORMANCE, [where], "0～100", e.value)
    for p in m.performance.projects:
        if p.score is not None and p.score > 100:
            where = ref(SHEET_PERFORMANCE, p.cells.get("score", ""))
            ck.add(
                "error",
                "得分",
                f"“绩效”中项目“{p.name}”的自评得分应在 0～100 之间，但填写的是 {p.score}（{where}）。",
                SHEET_PERFORMANCE,
                [where],
                "0～100",
                p.score,
            )
