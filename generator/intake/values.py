"""Cell values -> Decimal: the rules of §3 for what an amount cell may contain."""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

from ..errors import InputError
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
    text = text.removesuffix("万元").removesuffix("元")
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


def amount(grid: Grid, r: int, c: int, *, file: str = "", scale: Decimal = Decimal(1)) -> Decimal:
    """The amount at (r, c); text that is not a number is an InputError naming the cell."""
    raw = grid.get(r, c)
    d = to_decimal(raw, scale=scale)
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


def is_number(value) -> bool:
    """True for a real number or numeric text (not for blanks)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    text = "".join(str(value).split()).replace("，", ",")
    return bool(text) and bool(_NUMBER.match(text))


_NORM = str.maketrans({"“": None, "”": None, '"': None, "(": "（", ")": "）", "\u3000": None})


def norm(text) -> str:
    """A label with spaces, line breaks and quote variants removed, for matching."""
    return "".join(str(text).split()).translate(_NORM)
