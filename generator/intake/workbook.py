"""Opening a workbook file: from bytes on disk to one value grid per sheet.

This is the only module that knows about file formats. It turns every way a file can be
unusable (.xls, encrypted, not a workbook, formulas never calculated) into one clear
InputError, and hands the parsers a plain grid with A1-style addresses.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from defusedxml import ElementTree

from ..errors import InputError

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """Zero-based (row, col) -> "C7"."""
    return f"{column_letter(col)}{row + 1}"


@dataclass
class Grid:
    """One sheet's values: ``rows[r][c]`` is str, float, int, bool, date or "" (empty)."""

    name: str
    rows: list[list]

    def __post_init__(self) -> None:
        self.width = max((len(r) for r in self.rows), default=0)

    def get(self, r: int, c: int):
        if 0 <= r < len(self.rows) and 0 <= c < len(self.rows[r]):
            return self.rows[r][c]
        return ""

    def text(self, r: int, c: int) -> str:
        v = self.get(r, c)
        if v is None:
            return ""
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v).strip()


def load_grids(path: str | Path) -> dict[str, Grid]:
    """Every sheet of the workbook at ``path`` as a Grid, in workbook order."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise InputError("文件不存在。", file=name)
    if path.suffix.lower() == ".xls":
        raise InputError(
            "这是旧版 Excel 97-2003 文件（.xls），本工具只读 .xlsx。请用 Excel 或 WPS 打开，"
            "选择“另存为”→“Excel 工作簿(*.xlsx)”后再试。",
            file=name,
        )
    head = path.read_bytes()[:8]
    if head == _OLE_MAGIC:
        data = path.read_bytes()
        if _ENCRYPTED in data:
            raise InputError("工作簿设置了打开密码，无法读取。请在 Excel/WPS 中取消密码（文件→信息→保护工作簿）后另存再试。", file=name)
        raise InputError(
            "这是旧版 Excel 97-2003 格式（.xls）的文件，本工具只读 .xlsx。请用 Excel 或 WPS 打开，"
            "另存为“Excel 工作簿(*.xlsx)”后再试。",
            file=name,
        )
    if not zipfile.is_zipfile(path):
        raise InputError("不是 Excel 工作簿（.xlsx）：文件内容无法识别。请确认文件未损坏，且是从 Excel/WPS 保存的 .xlsx。", file=name)
    try:
        with zipfile.ZipFile(path) as zf:
            sheet_files = _sheet_files(zf)
            for sheet, member in sheet_files.items():
                xml = zf.read(member)
                bad = _uncached_formula(xml)
                if bad:
                    raise InputError(
                        "含有公式但没有计算结果（公式未计算）。请用 Excel 或 WPS 打开此文件并保存一次，再重新运行。",
                        file=name,
                        sheet=sheet,
                        cell=bad,
                    )
                error = _error_value(xml)
                if error:
                    raise InputError(
                        f"单元格显示错误值 {error[1]}（公式出错）。请修正该单元格的公式或改填数字后再试。", file=name, sheet=sheet, cell=error[0]
                    )
    except InputError:
        raise
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise InputError(f"不是有效的 .xlsx 工作簿（{exc.__class__.__name__}）。请用 Excel/WPS 重新保存后再试。", file=name) from None
    return _read_values(path, list(sheet_files))


def _sheet_files(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> zip member of its XML, via workbook.xml and its relationships."""
    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    workbook = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    result = {}
    for sheet in workbook.iter(f"{ns_main}sheet"):
        target = targets.get(sheet.get(f"{ns_rel}id"), "")
        if not target:
            continue
        target = target.lstrip("/")
        member = target if target.startswith("xl/") else f"xl/{target}"
        result[sheet.get("name")] = member
    return result


_CELL = re.compile(rb'<c\b([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_REF = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_VALUE = re.compile(rb"<v>[^<]+</v>")


_STRING_RESULT = re.compile(rb'\bt="str"')
_ERROR_CELL = re.compile(rb'<c\b([^>]*\bt="e"[^>]*)>(.*?)</c>', re.S)


def _uncached_formula(xml: bytes) -> str:
    """The first cell holding a formula without a cached value, or "".

    A formula whose result is the empty string (Excel writes t="str" and an empty <v/>)
    has been calculated: it is not reported.
    """
    if b"<f" not in xml:
        return ""
    for match in _CELL.finditer(xml):
        body = match.group(2) or b""
        if b"<f" in body and not _VALUE.search(body) and not _STRING_RESULT.search(match.group(1)):
            ref = _REF.search(match.group(1))
            return ref.group(1).decode() if ref else "?"
    return ""


def _error_value(xml: bytes) -> tuple[str, str] | None:
    """(cell, "#DIV/0!") of the first cell whose cached value is an Excel error, or None."""
    if b't="e"' not in xml:
        return None
    for match in _ERROR_CELL.finditer(xml):
        ref = _REF.search(match.group(1))
        value = re.search(rb"<v>([^<]*)</v>", match.group(2))
        return (ref.group(1).decode() if ref else "?", value.group(1).decode() if value else "#ERROR")
    return None


def _read_values(path: Path, names: list[str]) -> dict[str, Grid]:
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:  # pragma: no cover - calamine is a declared dependency
        return _read_values_openpyxl(path)
    try:
        wb = CalamineWorkbook.from_path(str(path))
        return {n: Grid(n, wb.get_sheet_by_name(n).to_python(skip_empty_area=False)) for n in wb.sheet_names}
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise InputError(f"无法读取工作簿内容（{exc}）。请用 Excel/WPS 重新保存后再试。", file=path.name) from None


def _read_values_openpyxl(path: Path) -> dict[str, Grid]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    grids = {}
    for ws in wb.worksheets:
        rows = [["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)]
        grids[ws.title] = Grid(ws.title, rows)
    wb.close()
    return grids
