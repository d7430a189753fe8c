"""Cell values -> Decimal: the rules of §3 for what an amount cell may contain."""

from __future__ import annotations

import functools
import math
import re
from decimal import Decimal, InvalidOperation

from ..errors import InputError
from ..money import round_money
from .workbook import Grid, cell_ref

ZERO = Decimal(0)
MAX_AMOUNT = Decimal("1e12")  # 万元: a trillion 万元 is far beyond any unit's 决算 (and any Decimal trouble)
_FLOAT_NOISE = Decimal("0.000001")  # 0.01 元 in 万元: finer than any real figure
_BLANKS = {"", "-", "－", "—", "——", "–", "/", "无"}
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")


def to_decimal(value, *, scale: Decimal = Decimal(1)) -> Decimal | None:
    """Decimal for a number or numeric text; ZERO for blank marks; None if not a number.

    Floats from the file are converted through ``repr`` (shortest exact text) and cleaned
    of binary noise at 0.000001; they never take part in arithmetic.
    """
    if value is None or isinstance(value, bool):
        return None if isinstance(value, bool) else ZERO
    if isinstance(value, int):
        return _bounded(Decimal(value) * scale)
    if isinstance(value, float):
        if not math.isfinite(value) or abs(value) * float(scale) >= float(MAX_AMOUNT):
            return None
        d = Decimal(repr(value)).quantize(_FLOAT_NOISE) * scale
        return d.normalize() if d == d.to_integral() else d
    text = "".join(str(value).split()).replace("，", ",")
    if text in _BLANKS:
        return ZERO
    text, scale = own_unit(text, scale)
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1]
    if not _NUMBER.match(text):
        return None
    try:
        d = Decimal(text.replace(",", "")) * scale
    except InvalidOperation:
        return None
    return _bounded(-d if negative else d)


def _bounded(d: Decimal) -> Decimal | None:
    """None for magnitudes no 决算 can hold (they would also break formatting)."""
    return d if abs(d) < MAX_AMOUNT else None


def out_of_range(value) -> bool:
    """True for a number that is NaN, infinite or too large to be an amount."""
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        return not math.isfinite(value) or abs(value) >= float(MAX_AMOUNT)
    if isinstance(value, int):
        return abs(value) >= MAX_AMOUNT
    text = "".join(str(value).split()).replace("，", ",").removesuffix("万元").removesuffix("元").strip("()")
    return bool(_NUMBER.match(text)) and abs(Decimal(text.replace(",", ""))) >= MAX_AMOUNT


# ---- a cell's own unit ("125000元", "1,234.5万元") -----------------------------------------------

MONEY_UNITS = {"万元": Decimal(1), "元": Decimal("0.0001")}  # -> 万元
_SUFFIX = re.compile(r"^(?P<number>[(（]?[+-]?[\d,.]+[)）]?)(?P<unit>[^\d,.()（）]+)$")


class UnknownUnit(ValueError):
    """A cell's number carries a unit other than 万元/元 (e.g. "12千元")."""

    def __init__(self, unit: str, text: str):
        super().__init__(unit)
        self.unit = unit
        self.text = text

    def message(self) -> str:
        return f"“{self.text}”带有无法识别的单位“{self.unit}”。金额只能以“万元”或“元”为单位（不写单位时按表的金额单位读取），请改写后再试。"


def own_unit(text: str, scale: Decimal) -> tuple[str, Decimal]:
    """Split a unit suffix off numeric text: "125000元" -> ("125000", 0.0001); a suffix names its
    own unit and overrides the sheet's ``scale``. Unknown money units raise UnknownUnit."""
    match = _SUFFIX.match(text)
    if not match:
        return text, scale
    unit = match.group("unit")
    if unit in MONEY_UNITS:
        return match.group("number"), MONEY_UNITS[unit]
    if "元" in unit:
        raise UnknownUnit(unit, text)
    return text, scale  # "3辆": not an amount; the caller decides


def amount(grid: Grid, r: int, c: int, *, file: str = "", scale: Decimal = Decimal(1)) -> Decimal:
    """The amount at (r, c) in 万元, rounded to 0.01; text that is not a number, or a unit other
    than 万元/元 written in the cell, is an InputError naming the cell."""
    raw = grid.get(r, c)
    try:
        d = _printed(raw, scale)
    except UnknownUnit as err:
        raise InputError(err.message(), file=file, sheet=grid.name, cell=cell_ref(r, c)) from None
    if d is None and out_of_range(raw):
        raise InputError(
            f"金额“{raw}”超出了决算金额的合理范围（应小于 {MAX_AMOUNT:,.0f} 万元）。请检查是否多填了位数或填错了单元格。",
            file=file,
            sheet=grid.name,
            cell=cell_ref(r, c),
        )
    if d is None:
        raise InputError(
            f"应为金额，但填写的是文字“{raw}”。请改为数字（空白、“-”都按 0 处理）。",
            file=file,
            sheet=grid.name,
            cell=cell_ref(r, c),
        )
    return d


@functools.lru_cache(maxsize=8192, typed=True)
def _printed(raw, scale: Decimal) -> Decimal | None:
    """``to_decimal`` rounded to 0.01, remembered: a workbook's amounts repeat (0, the totals carried from
    table to table, the same figures in every unit of a batch), and this runs for every amount cell.
    typed: 1, 1.0 and True are different cells (True is not an amount)."""
    d = to_decimal(raw, scale=scale)
    return None if d is None else round_money(d)


def is_number(value) -> bool:
    """True for a real number or numeric text (not for blanks)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    text = "".join(str(value).split()).replace("，", ",")
    match = _SUFFIX.match(text)
    if match and match.group("unit") in MONEY_UNITS:
        text = match.group("number")
    return bool(text) and bool(_NUMBER.match(text))


_NORM = str.maketrans({"“": None, "”": None, '"': None, "(": "（", ")": "）", "\u3000": None})


@functools.lru_cache(maxsize=8192, typed=True)
def norm(text) -> str:
    """A label with spaces, line breaks and quote variants removed, for matching (remembered: the same
    labels are matched thousands of times a workbook)."""
    return "".join(str(text).split()).translate(_NORM)
