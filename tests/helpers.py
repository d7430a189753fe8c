"""Small fixture helpers for the intake / checks / bad-input tests.

Cells are always located the way an officer would find them — by row label (or 科目编码)
and column header text — never by a hard-coded address, so the tests keep meaning what
they say when the writer's layout changes.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DEMO = SAMPLES / "示例单位_2024.xlsx"  # fictional, fully consistent, 2024
DEPARTMENT = SAMPLES / "示例部门_2024.xlsx"  # fictional department of three units: the cases DEMO has as zero
YIYANG = SAMPLES / "益阳市智慧城市和大数据中心_2020.xlsx"  # seed 003, 2020 export layout
YONGZHOU = SAMPLES / "永州市政务服务中心_2018.xlsx"  # seed 004, 2018 layout

D = Decimal

_ORDINALS = "一二三四五六七八九十百零〇"


def norm(text) -> str:
    """Cell text without any whitespace (full-width space included)."""
    if text is None:
        return ""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    return "".join(str(text).split()).replace("\u3000", "")


def label_norm(text) -> str:
    """A row label without whitespace and without a leading "十二、" or "（一）"."""
    t = norm(text)
    if "、" in t[:5] and t.index("、") > 0 and all(c in _ORDINALS for c in t[: t.index("、")]):
        t = t[t.index("、") + 1 :]
    if t.startswith("（") and "）" in t[:5]:
        t = t[t.index("）") + 1 :]
    return t


def find_label(ws: Worksheet, row_label: str, nth: int = 0) -> Cell:
    """The ``nth`` cell (row-major) whose text is ``row_label`` (ordinal prefixes ignored)."""
    want = label_norm(row_label)
    seen = 0
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None and label_norm(cell.value) == want:
                if seen == nth:
                    return cell
                seen += 1
    raise LookupError(f"{ws.title}: no row labelled {row_label!r} (occurrence {nth})")


def find_cell(ws: Worksheet, row_label: str, column_header: str, nth: int = 0) -> Cell:
    """The cell in the row labelled ``row_label`` under the header ``column_header``.

    The header is looked for above the label row and to the right of the label; when several
    header cells carry that text (公开01 has "金额" on both sides) the nearest column to the
    right of the label wins, and of those the nearest row above. Label cells with no such
    header above-right (e.g. a "合计" that is itself a header) are skipped; ``nth`` counts
    the remaining ones in row-major order.
    """
    want_label = label_norm(row_label)
    want = norm(column_header)
    seen = 0
    for row in ws.iter_rows():
        for label in row:
            if label.value is None or label_norm(label.value) != want_label:
                continue
            best = None
            for hrow in ws.iter_rows(min_row=1, max_row=label.row - 1):
                for cell in hrow:
                    if cell.column <= label.column or norm(cell.value) != want:
                        continue
                    key = (cell.column, -cell.row)
                    if best is None or key < best[0]:
                        best = (key, cell)
            if best is None:
                continue
            if seen == nth:
                return ws.cell(row=label.row, column=best[1].column)
            seen += 1
    raise LookupError(f"{ws.title}: no row {row_label!r} under a header {column_header!r} (occurrence {nth})")


def value_cell_of(ws: Worksheet, row_label: str, nth: int = 0) -> Cell:
    """The cell just right of a label's merged range (公开06: "公用经费合计" D:H merged, value in I)."""
    label = find_label(ws, row_label, nth)
    last = label.column
    for rng in ws.merged_cells.ranges:
        if label.coordinate in rng:
            last = rng.max_col
    return ws.cell(row=label.row, column=last + 1)


def header_cell(ws: Worksheet, header: str, nth: int = 0) -> Cell:
    return find_label(ws, header, nth)


def sangong_cell(ws: Worksheet, side: str, item: str) -> Cell:
    """公开07: the data cell of ``item`` (a header text such as "公务接待费", "小计") under the
    "预算数" or "决算数" group header."""
    budget = header_cell(ws, "预算数")
    actual = header_cell(ws, "决算数")
    lo, hi = (budget.column, actual.column - 1) if side == "预算数" else (actual.column, ws.max_column)
    want = norm(item)
    cols = [c for row in ws.iter_rows(min_row=budget.row + 1, max_row=budget.row + 3) for c in row if lo <= c.column <= hi and norm(c.value) == want]
    if not cols:
        raise LookupError(f"{ws.title}: no {item!r} under {side}")
    header = cols[0]
    # the data row: the row after the 栏次 row ("1", "2", …); without one, after the headers
    for r in range(header.row + 1, ws.max_row + 1):
        cell = ws.cell(row=r, column=header.column)
        if isinstance(cell.value, str) and cell.value.strip().isdigit():
            return ws.cell(row=r + 1, column=header.column)
    return ws.cell(row=budget.row + 3, column=header.column)


def sheet_named(wb, fragment: str) -> Worksheet:
    """The sheet whose name contains ``fragment`` (e.g. "公开05表")."""
    hits = [ws for ws in wb.worksheets if fragment in ws.title]
    if len(hits) != 1:
        raise LookupError(f"{len(hits)} sheets contain {fragment!r}: {[ws.title for ws in wb.worksheets]}")
    return hits[0]


def ref(cell: Cell) -> str:
    """ "Sheet!C7", as findings name cells."""
    return f"{cell.parent.title}!{cell.coordinate}"


def dec(value) -> Decimal:
    """An openpyxl cell value as Decimal (blank = 0), independent of the program's reader."""
    if value is None or value == "":
        return Decimal(0)
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value).replace(",", ""))


def edited_copy(src: Path, dest: Path, edit: Callable[[openpyxl.Workbook], None] | None = None) -> Path:
    """Copy ``src`` to ``dest`` and apply ``edit`` to it with openpyxl (then save)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if edit is None:
        shutil.copyfile(src, dest)
        return dest
    wb = openpyxl.load_workbook(src)  # a fresh load: a deep copy breaks copy_worksheet (shared style tables)
    edit(wb)
    wb.save(dest)
    return dest


_LOADED: dict[tuple, openpyxl.Workbook] = {}


def _loaded(src: Path) -> openpyxl.Workbook:
    """``src`` loaded once per test session (per size and mtime), for reading cells only (never edit it).

    Loading the demo takes ~0.2 s; the rule tests that look up many cells are what each mutant of
    ``make mutation`` runs, so this is where its time goes.
    """
    stat = src.stat()
    key = (src.resolve(), stat.st_size, stat.st_mtime_ns)
    if key not in _LOADED:
        _LOADED[key] = openpyxl.load_workbook(src)
    return _LOADED[key]


def set_value(ws: Worksheet, cell: Cell, value) -> Cell:
    """Write a number as the writer does (float/int), Decimal converted."""
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral() else float(value)
    ws[cell.coordinate] = value
    return ws[cell.coordinate]


def _rewrite_sheet_xml(path: Path, sheet_title: str, fn: Callable[[str], str]) -> None:
    """Rewrite one worksheet's XML inside an .xlsx (for cell forms openpyxl cannot write)."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        data = {n: zf.read(n) for n in names}
    workbook = data["xl/workbook.xml"].decode()
    rels = data["xl/_rels/workbook.xml.rels"].decode()
    rid = re.search(rf'<sheet[^>]*name="{re.escape(sheet_title)}"[^>]*r:id="(rId\d+)"', workbook).group(1)
    target = re.search(rf'<Relationship[^>]*Id="{rid}"[^>]*/>', rels).group(0)
    member = re.search(r'Target="([^"]+)"', target).group(1).lstrip("/")
    member = member if member.startswith("xl/") else "xl/" + member
    data[member] = fn(data[member].decode()).encode()
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for n in names:
            zf.writestr(n, data[n])
    shutil.move(tmp, path)


def formula_cell_book(src: Path, dest: Path, sheet: str, locate, cached_xml: str) -> tuple[Path, str]:
    """Copy ``src`` with one cell turned into a formula whose cached value is ``cached_xml``.

    ``cached_xml`` is what follows ``<c r=".." s=".."``, with F standing for the formula, e.g.
    ``'><f>F</f><v>842.3</v>'`` (a number), ``' t="str"><f>F</f><v/>'`` (an empty string, as
    Excel writes =IF(…,"",…)) or ``' t="e"><f>F</f><v>#DIV/0!</v>'`` (an error value).
    Returns (path, cell address).
    """
    import re

    found = {}

    def edit(wb):
        ws = sheet_named(wb, sheet)
        cell = locate(ws)
        ws[cell.coordinate] = '=IF(1=1,"","x")'
        found["cell"], found["sheet"] = cell.coordinate, ws.title

    path = edited_copy(src, dest, edit)
    coord = found["cell"]

    def fn(xml: str) -> str:
        pattern = rf'<c r="{coord}"([^>]*)>\s*<f>(.*?)</f>\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>'
        new, n = re.subn(pattern, lambda m: f'<c r="{coord}"{m.group(1)}{cached_xml.replace("F", m.group(2), 1)}</c>', xml)
        assert n == 1, f"formula cell {coord} not found"
        return new

    _rewrite_sheet_xml(path, found["sheet"], fn)
    return path, coord


def findings_after(model, edit: Callable) -> list:
    """``run_checks`` on a deep copy of ``model`` after ``edit(copy)`` (a workbook edit gives the same model)."""
    import copy

    from generator.checks import run_checks

    m = copy.deepcopy(model)
    edit(m)
    return run_checks(m)
