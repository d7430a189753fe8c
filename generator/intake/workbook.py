"""Opening a workbook file: from bytes on disk to one value grid per sheet.

This is the only module that knows about file formats. It turns every way a file can be
unusable (not a regular file, too large, encrypted, not a workbook, malformed XML, a DTD,
formulas never calculated, Excel error values) into one clear InputError, and hands the
parsers a plain grid with A1-style addresses.

Reading is bounded, because workbooks come from others: the file size, the total and the
per-part uncompressed size are checked from the zip directory before anything is inflated
(and zipfile never inflates past the declared size: a lie fails the CRC check); .xlsx sheets
are streamed through expat with DTDs and entities refused; a sheet's used range comes from
the cells that hold a value, and cells beyond ``MAX_ROWS`` × ``MAX_COLS`` (no 决算 table is
that large) are not read, so a stray value at XFD1048576 costs nothing. ``.xls`` and ``.ods``
are read with calamine. Control characters are removed from every text here, once, so no
later stage can write them into XML.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from xml.parsers import expat

from ..errors import InputError
from ..files import CONTROL_CHARS, clean_text

MAX_FILE_BYTES = 64 * 1024 * 1024  # on disk
MAX_TOTAL_UNCOMPRESSED = 256 * 1024 * 1024  # all parts of the package together
MAX_PART_UNCOMPRESSED = 64 * 1024 * 1024  # one sheet (or any other part)
MAX_PARTS = 5000
MAX_ROWS = 9_999  # cells below or right of this box are not read
MAX_COLS = 128  # column DX
MAX_CALAMINE_CELLS = 4_000_000  # .xls/.ods: calamine materialises the whole used range

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SEP = "\x01"  # expat namespace separator (never in a name)

_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


@cache  # a few dozen columns, asked for at every cell read
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


def parse_ref(ref: str) -> tuple[int, int] | None:
    """ "C7" -> (6, 2); None if ``ref`` is not an A1 address."""
    m = re.fullmatch(r"([A-Z]{1,3})([0-9]{1,7})", ref or "")
    if not m:
        return None
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


@dataclass
class Grid:
    """One sheet's values: ``rows[r][c]`` is str, float, int, bool, date or "" (empty)."""

    name: str
    rows: list[list]
    header: dict | None = field(default=None, repr=False, compare=False)  # tables.table_header, read once
    row_texts: dict[int, str] = field(default_factory=dict, repr=False, compare=False)  # tables._row_text, read once

    def __post_init__(self) -> None:
        self.width = max((len(r) for r in self.rows), default=0)

    def get(self, r: int, c: int):
        if 0 <= r < len(self.rows) and 0 <= c < len(self.rows[r]):
            return self.rows[r][c]
        return ""

    def text(self, r: int, c: int) -> str:
        rows = self.rows
        v = rows[r][c] if 0 <= r < len(rows) and 0 <= c < len(rows[r]) else ""  # ``get``, inlined: called for every label cell
        if v is None:
            return ""
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v).strip()


# ---- the file itself ----------------------------------------------------------------------


def _open_regular(path: Path) -> None:
    """Refuse anything that is not a readable regular file of a sane size."""
    name = path.name
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise InputError("是一个指向不存在文件的快捷方式（链接），找不到工作簿。", file=name) from None
        raise InputError("文件不存在。", file=name) from None
    except OSError as exc:
        raise InputError(f"无法访问此文件（{exc.strerror}）。", file=name) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError("这是一个文件夹，不是工作簿文件。", file=name)
    if not stat.S_ISREG(st.st_mode):
        raise InputError("不是普通文件（可能是设备或管道），不能作为工作簿读取。", file=name)
    if st.st_size > MAX_FILE_BYTES:
        raise InputError(f"文件过大（{st.st_size // 1024 // 1024} MB，上限 {MAX_FILE_BYTES // 1024 // 1024} MB），不像是一个单位的决算工作簿。", file=name)
    if not os.access(path, os.R_OK):
        raise InputError("没有读取此文件的权限。", file=name)


def load_grids(path: str | Path) -> dict[str, Grid]:
    """Every sheet of the workbook at ``path`` as a Grid, in workbook order."""
    path = Path(path)
    name = path.name
    _open_regular(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取此文件（{exc.strerror}）。", file=name) from None
    if data[:8] == _OLE_MAGIC:
        if _ENCRYPTED in data:
            raise InputError("工作簿设置了打开密码，无法读取。请在 Excel/WPS 中取消密码（文件→信息→保护工作簿）后另存再试。", file=name)
        return _read_calamine(path, "xls", data)
    if data[:4] != b"PK\x03\x04" or not zipfile.is_zipfile(io.BytesIO(data)):
        raise InputError("不是 Excel 工作簿（.xlsx、.xls 或 .ods）：文件内容无法识别。请确认文件未损坏，且是从 Excel/WPS 保存的 .xlsx。", file=name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            _check_sizes(zf, name)
            names = set(zf.namelist())
            if "mimetype" in names and zf.read("mimetype").startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
                _verify_package(zf, name)
                return _read_calamine(path, "ods", data)
            if "xl/workbook.xml" not in names:
                raise InputError("不是有效的 .xlsx 工作簿（缺少 xl/workbook.xml）。请用 Excel/WPS 重新保存后再试。", file=name)
            return _read_xlsx(zf, name, path, data)
    except InputError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, KeyError, ValueError, IndexError, RuntimeError, NotImplementedError) as exc:
        raise InputError(f"不是有效的工作簿，文件已损坏或格式不对（{exc.__class__.__name__}）。请用 Excel/WPS 重新保存后再试。", file=name) from None
    except zlib.error:
        raise InputError("不是有效的工作簿：压缩数据已损坏。请用 Excel/WPS 重新保存后再试。", file=name) from None


def _check_sizes(zf: zipfile.ZipFile, name: str) -> None:
    """Uncompressed sizes from the zip directory, before anything is inflated."""
    infos = zf.infolist()
    if len(infos) > MAX_PARTS:
        raise InputError(f"工作簿包含 {len(infos)} 个部件，超过上限 {MAX_PARTS}，不像是一个单位的决算工作簿。", file=name)
    total = 0
    for info in infos:
        if info.file_size > MAX_PART_UNCOMPRESSED:
            raise InputError(
                f"工作簿中的“{info.filename}”解压后有 {info.file_size // 1024 // 1024} MB，超过单个部件的上限 {MAX_PART_UNCOMPRESSED // 1024 // 1024} MB（可能是恶意构造的文件）。",
                file=name,
            )
        total += info.file_size
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise InputError(
            f"工作簿解压后共 {total // 1024 // 1024} MB，超过上限 {MAX_TOTAL_UNCOMPRESSED // 1024 // 1024} MB（可能是恶意构造的文件）。", file=name
        )


def _verify_package(zf: zipfile.ZipFile, name: str) -> None:
    """Inflate every part once (CRC checked) and parse every XML part."""
    for info in zf.infolist():
        if not info.is_dir():
            data = zf.read(info)  # size capped before; a size that lies fails the CRC check
            if info.filename.endswith((".xml", ".rels")):
                _wellformed(data, name, info.filename)


# ---- XML, streamed through expat with DTDs and entities refused -------------------------


class _Handler:
    """Base expat handler: override what you need; unknown tags are ignored."""

    def start(self, tag: str, attrs: dict) -> None:  # pragma: no cover - default
        pass

    def end(self, tag: str) -> None:  # pragma: no cover - default
        pass

    def data(self, text: str) -> None:  # pragma: no cover - default
        pass


class _Refused(Exception):
    pass


def _parse(stream, file: str, part: str, handler: _Handler | None) -> None:
    """Stream one XML part through expat; without a handler it only checks (in C, fast)."""
    parser = expat.ParserCreate(namespace_separator=_SEP)

    def refuse(*_args):
        raise _Refused()

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    if handler is not None:
        parser.StartElementHandler = handler.start
        parser.EndElementHandler = handler.end
        parser.CharacterDataHandler = handler.data
        parser.buffer_text = True
    try:
        while chunk := stream.read(1 << 16):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Refused:
        raise InputError(f"不是可用的工作簿：部件“{part}”含有 DTD 或实体声明（Excel 不会写出这些，可能是恶意构造的文件）。", file=file) from None
    except expat.ExpatError as exc:
        raise InputError(
            f"不是可用的工作簿：部件“{part}”的 XML 已损坏（第 {exc.lineno} 行第 {exc.offset} 列）。请用 Excel/WPS 重新保存后再试。", file=file
        ) from None


def _local(tag: str) -> tuple[str, str]:
    ns, _, local = tag.rpartition(_SEP)
    return ns, local


class _Collect(_Handler):
    """The attributes of every element with a given local name (workbook.xml, rels, styles)."""

    def __init__(self, *names: str):
        self.names = names
        self.found: dict[str, list[dict]] = {n: [] for n in names}

    def start(self, tag, attrs):
        local = _local(tag)[1]
        if local in self.found:
            self.found[local].append({_local(k)[1]: v for k, v in attrs.items()})  # r:id -> "id"


class _SharedStrings(_Handler):
    def __init__(self):
        self.strings: list[str] = []
        self.buf: list[str] | None = None
        self.in_t = False
        self.skip = 0  # inside <rPh> (phonetic guide): not part of the text

    def start(self, tag, attrs):
        local = _local(tag)[1]
        if local == "si":
            self.buf = []
        elif local == "rPh":
            self.skip += 1
        elif local == "t":
            self.in_t = True

    def end(self, tag):
        local = _local(tag)[1]
        if local == "si":
            self.strings.append("".join(self.buf or []))
            self.buf = None
        elif local == "rPh":
            self.skip -= 1
        elif local == "t":
            self.in_t = False

    def data(self, text):
        if self.in_t and not self.skip and self.buf is not None:
            self.buf.append(text)


@dataclass
class _Cell:
    row: int
    col: int
    kind: str
    style: int
    value: str
    formula: bool


class _Sheet(_Handler):
    """Cells that carry something: (row, col, t, s, value text, has formula)."""

    def __init__(self):
        self.cells: list[_Cell] = []
        self.row = -1
        self.col = -1
        self.cur: dict | None = None
        self.text: list[str] | None = None
        self.skip = 0

    def start(self, tag, attrs):
        local = _local(tag)[1]
        if local == "row":
            r = attrs.get("r")
            self.row = int(r) - 1 if r and r.isdigit() else self.row + 1
            self.col = -1
        elif local == "c":
            pos = parse_ref(attrs.get("r", ""))
            if pos:
                self.row, self.col = pos
            else:
                self.col += 1
            self.cur = {"t": attrs.get("t", "n"), "s": attrs.get("s", "0"), "v": None, "is": None, "f": False}
        elif self.cur is not None:
            if local == "v":
                self.text = []
            elif local == "f":
                self.cur["f"] = True
            elif local == "is":
                self.cur["is"] = []
            elif local == "rPh":
                self.skip += 1
            elif local == "t" and self.cur["is"] is not None and not self.skip:
                self.text = self.cur["is"]

    def end(self, tag):
        local = _local(tag)[1]
        if local == "v" and self.cur is not None and self.text is not None:
            self.cur["v"] = "".join(self.text)
            self.text = None
        elif local == "t":
            self.text = None
        elif local == "rPh":
            self.skip -= 1
        elif local == "c" and self.cur is not None:
            c = self.cur
            value = "".join(c["is"]) if c["is"] is not None else c["v"]
            if (value is not None or c["f"]) and 0 <= self.row < MAX_ROWS and 0 <= self.col < MAX_COLS:  # far cells are not kept
                style = int(c["s"]) if c["s"].isdigit() else 0
                self.cells.append(_Cell(self.row, self.col, c["t"], style, value or "", c["f"] and not c["v"]))
            self.cur = None

    def data(self, text):
        if self.text is not None:
            self.text.append(text)


# ---- .xlsx ---------------------------------------------------------------------------------


def _member(zf: zipfile.ZipFile, target: str, base: str = "xl/") -> str:
    target = target.replace("\\", "/")
    if target.startswith("/"):
        return target.lstrip("/")
    parts = (base + target).split("/")
    out: list[str] = []
    for p in parts:
        if p == "..":
            if out:
                out.pop()
        elif p and p != ".":
            out.append(p)
    return "/".join(out)


def _xml(zf: zipfile.ZipFile, member: str, file: str, handler: _Handler) -> _Handler:
    with zf.open(member) as f:
        _parse(f, file, member, handler)
    return handler


_BUILTIN_DATES = set(range(14, 23)) | set(range(27, 37)) | set(range(45, 48)) | set(range(50, 59))
_DATE_CODE = re.compile(r"[dmyhs]", re.I)
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')


def _date_styles(zf: zipfile.ZipFile, file: str, names: set[str]) -> set[int]:
    """Indexes of cellXfs whose number format shows a date or time."""
    if "xl/styles.xml" not in names:
        return set()
    h = _xml(zf, "xl/styles.xml", file, _StylesHandler())
    custom = {int(a.get("numFmtId", "0")): a.get("formatCode", "") for a in h.numfmts}
    dates = set()
    for i, fmt in enumerate(h.xfs):
        if fmt in _BUILTIN_DATES or (fmt in custom and _DATE_CODE.search(_QUOTED.sub("", custom[fmt])) and "General" not in custom[fmt]):
            dates.add(i)
    return dates


class _StylesHandler(_Handler):
    def __init__(self):
        self.numfmts: list[dict] = []
        self.xfs: list[int] = []
        self.in_xfs = False

    def start(self, tag, attrs):
        local = _local(tag)[1]
        if local == "numFmt":
            self.numfmts.append(attrs)
        elif local == "cellXfs":
            self.in_xfs = True
        elif local == "xf" and self.in_xfs:
            v = attrs.get("numFmtId", "0")
            self.xfs.append(int(v) if v.isdigit() else 0)

    def end(self, tag):
        if _local(tag)[1] == "cellXfs":
            self.in_xfs = False


def _unescape(text: str) -> str:
    """Excel writes characters XML cannot hold as _xHHHH_; decode, then drop the controls."""
    if "_x" in text:
        text = _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)
    return clean_text(text)


def _sheet_members(zf: zipfile.ZipFile, file: str, names: set[str]) -> tuple[dict[str, str], bool]:
    """Sheet name -> zip member of its XML (workbook order), and whether dates count from 1904."""
    wb = _xml(zf, "xl/workbook.xml", file, _Collect("sheet", "workbookPr"))
    rels_name = "xl/_rels/workbook.xml.rels"
    rels = _xml(zf, rels_name, file, _Collect("Relationship")) if rels_name in names else _Collect("Relationship")
    targets = {r.get("Id"): r.get("Target", "") for r in rels.found["Relationship"]}
    members = {}
    for attrs in wb.found["sheet"]:
        target = targets.get(attrs.get("id", ""), "")
        member = _member(zf, target) if target else ""
        if member in names:
            members[attrs.get("name", "")] = member
    if not members:
        raise InputError("工作簿中没有可读取的工作表。请用 Excel/WPS 重新保存后再试。", file=file)
    return members, any(a.get("date1904") in ("1", "true") for a in wb.found["workbookPr"])


def _wellformed(data: bytes, file: str, part: str) -> None:
    """Parse once in C (no Python callbacks unless a DTD appears): malformed XML or a DTD is refused."""

    _parse(io.BytesIO(data), file, part, None)


# a reference outside MAX_ROWS × MAX_COLS: 3 letters, E?–Z?, DY/DZ, or a row number of 5 digits (≥ 10000)
_FAR = rb"(?:[A-Z]{3}|[E-Z][A-Z]|D[YZ])[0-9]+|[A-Z]+[0-9]{5}"
# Each pattern opens with a literal (r=", ref="), which the regex engine finds at C speed: a cell's r=" is
# matched whatever element and prefix it stands in (a row's r="12345" has no letters and never matches;
# another attribute ending in r, like footer="0.3", holds no cell reference). A false alarm only sends the
# workbook to the streaming reader, which reads the same cells.
_FAR_CELL = re.compile(rb'r="(?:' + _FAR + rb')"')
_FAR_DIMENSION = re.compile(rb'ref="(?:[A-Z]+[0-9]+:)?(?:' + _FAR + rb')"')


def _within_bounds(xml: bytes) -> bool:
    """True when every cell reference (and the declared dimension, or a merged range) lies inside
    MAX_ROWS × MAX_COLS."""
    return not (_FAR_CELL.search(xml) or _FAR_DIMENSION.search(xml))


def _read_xlsx(zf: zipfile.ZipFile, file: str, path: Path, whole: bytes) -> dict[str, Grid]:
    """Validate every part; then calamine (fast) when all cells lie in bounds, else our own reader."""
    names = set(zf.namelist())
    members, date1904 = _sheet_members(zf, file, names)
    sheet_of = {m: n for n, m in members.items()}
    bounded = True
    for info in zf.infolist():
        if info.is_dir():
            continue
        data = zf.read(info)  # size already capped; a size that lies fails the CRC check
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        _wellformed(data, file, info.filename)
        if info.filename in sheet_of:
            sheet = clean_text(sheet_of[info.filename])
            bad = _uncached_formula(data)
            if bad:
                raise InputError("含有公式但没有计算结果（公式未计算）。请用 Excel 或 WPS 打开此文件并保存一次，再重新运行。", file=file, sheet=sheet, cell=bad)
            error = _error_value(data)
            if error:
                raise InputError(
                    f"单元格显示错误值 {clean_text(error[1])}（公式出错）。请修正该单元格的公式或改填数字后再试。", file=file, sheet=sheet, cell=error[0]
                )
            bounded = bounded and _within_bounds(data)
    if bounded:
        return _read_calamine(path, "xlsx", whole)
    return _read_own(zf, file, names, members, date1904)


def _read_own(zf: zipfile.ZipFile, file: str, names: set[str], members: dict[str, str], date1904: bool) -> dict[str, Grid]:
    """The streaming reader: only cells inside the bounds are kept (a far stray cell costs nothing)."""
    strings: list[str] = []
    if "xl/sharedStrings.xml" in names:
        strings = [_unescape(s) for s in _xml(zf, "xl/sharedStrings.xml", file, _SharedStrings()).strings]
    dates = _date_styles(zf, file, names)
    grids: dict[str, Grid] = {}
    for sheet, member in members.items():
        cells = _xml(zf, member, file, _Sheet()).cells
        grids[clean_text(sheet)] = _grid(clean_text(sheet), cells, strings, dates, date1904, file)
    return grids


_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
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
        return (ref.group(1).decode() if ref else "?", value.group(1).decode("utf-8", "replace") if value else "#ERROR")
    return None


def _grid(sheet: str, cells: list[_Cell], strings: list[str], dates: set[int], date1904: bool, file: str) -> Grid:
    rows: list[list] = []
    for cell in cells:
        if cell.row >= MAX_ROWS or cell.col >= MAX_COLS or cell.row < 0 or cell.col < 0:
            continue  # no 决算 table reaches here: a stray cell costs nothing
        ref = cell_ref(cell.row, cell.col)
        if cell.formula and cell.kind != "str":
            raise InputError("含有公式但没有计算结果（公式未计算）。请用 Excel 或 WPS 打开此文件并保存一次，再重新运行。", file=file, sheet=sheet, cell=ref)
        value = _value(cell, strings, dates, date1904, file, sheet, ref)
        if value == "":
            continue
        while len(rows) <= cell.row:
            rows.append([])
        row = rows[cell.row]
        if len(row) <= cell.col:
            row.extend([""] * (cell.col + 1 - len(row)))
        row[cell.col] = value
    return Grid(sheet, rows)


def _value(cell: _Cell, strings: list[str], dates: set[int], date1904: bool, file: str, sheet: str, ref: str):
    kind, text = cell.kind, cell.value
    if kind == "e":
        raise InputError(
            f"单元格显示错误值 {clean_text(text) or '#ERROR'}（公式出错）。请修正该单元格的公式或改填数字后再试。", file=file, sheet=sheet, cell=ref
        )
    if kind == "s":
        if not text.strip().isdigit() or int(text) >= len(strings):
            raise InputError("不是有效的 .xlsx 工作簿：单元格引用了不存在的共享文字。请用 Excel/WPS 重新保存后再试。", file=file, sheet=sheet, cell=ref)
        return strings[int(text)]
    if kind in ("str", "inlineStr"):
        return _unescape(text)
    if kind == "b":
        return text.strip() in ("1", "true")
    if kind == "d":
        try:
            return dt.datetime.fromisoformat(text.strip())
        except ValueError:
            return clean_text(text)
    if not text.strip():
        return ""
    try:
        number = float(text)
    except ValueError:
        raise InputError(
            f"不是有效的 .xlsx 工作簿：数字单元格的内容“{clean_text(text)[:40]}”无法识别。请用 Excel/WPS 重新保存后再试。", file=file, sheet=sheet, cell=ref
        ) from None
    return _number(number, cell.style in dates, date1904, file, sheet, ref)


def _number(number: float, is_date: bool, date1904: bool, file: str, sheet: str, ref: str):
    if not math.isfinite(number):
        raise InputError("数字无效（NaN 或无穷大）。请改填正常的数字。", file=file, sheet=sheet, cell=ref)
    if is_date and 0 <= number < 2958466:
        base = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
        stamp = base + dt.timedelta(days=number)
        return stamp.date() if number.is_integer() else stamp
    return number


# ---- .xls and .ods through calamine -----------------------------------------------------


def _read_calamine(path: Path, kind: str, data: bytes) -> dict[str, Grid]:
    from python_calamine import CalamineWorkbook

    label = {"xls": "旧版 Excel 97-2003 文件（.xls）", "ods": "OpenDocument 表格（.ods）", "xlsx": "工作簿"}[kind]
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))  # the content decides the format, not the name
        grids = {}
        for n in wb.sheet_names:
            sheet = wb.get_sheet_by_name(n)
            if sheet.height * sheet.width > MAX_CALAMINE_CELLS:
                if sheet.width > 1024:
                    raise InputError(
                        f"工作表的使用范围过大（{sheet.height} 行 × {sheet.width} 列），请删除表格以外误填的单元格后再试。", file=path.name, sheet=clean_text(n)
                    )
                rows = _bounded_rows(sheet)
            else:
                rows = sheet.to_python(skip_empty_area=False)
            grids[clean_text(n)] = Grid(clean_text(n), _clean_rows(rows, path.name, clean_text(n)))
        return grids
    except InputError:
        raise
    except Exception:  # calamine raises its own error types for damaged files
        raise InputError(
            f"无法读取这个{label}，文件可能已损坏。请用 Excel 或 WPS 打开，另存为“Excel 工作簿(*.xlsx)”后再试。",
            file=path.name,
        ) from None


def _bounded_rows(sheet) -> list[list]:
    rows = []
    for row in sheet.iter_rows():
        rows.append(list(row[:MAX_COLS]))
        if len(rows) >= MAX_ROWS:
            break
    return rows


def _clean_rows(rows: list[list], file: str, sheet: str) -> list[list]:
    """Bounded rows, control characters removed from texts, NaN/infinity refused with the cell named."""
    out = []
    isfinite, search = math.isfinite, CONTROL_CHARS.search
    for r, row in enumerate(rows[:MAX_ROWS]):
        row = row[:MAX_COLS]
        for c, v in enumerate(row):
            t = type(v)
            if t is str:
                if search(v):
                    row[c] = clean_text(v)
            elif t is float and not isfinite(v):
                _number(v, False, False, file, sheet, cell_ref(r, c))
        out.append(row)
    return out
