"""Cell values -> Decimal: the rules of §3 for what an amount cell may contain."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ..errors import InputError
from .workbook import Grid, cell_ref

ZERO = Decimal(0)
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
        return Decimal(value) * scale
    if isinstance(value, float):
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
    return -d if negative else d


def amount(grid: Grid, r: int, c: int, *, file: str = "", scale: Decimal = Decimal(1)) -> Decimal:
    """The amount at (r, c); text that is not a number is an InputError naming the cell."""
    raw = grid.get(r, c)
    d = to_decimal(raw, scale=scale)
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
