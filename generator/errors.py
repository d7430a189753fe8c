"""Errors that reach the user as one clear line (never a traceback)."""

from __future__ import annotations


class InputError(Exception):
    """Unreadable or malformed input: the CLI prints ``str(err)`` and exits 2."""

    def __init__(self, message: str, *, file: str = "", sheet: str = "", cell: str = ""):
        super().__init__(message)
        self.message = message
        self.file = file
        self.sheet = sheet
        self.cell = cell

    def where(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”")
        if self.cell:
            parts.append(f"单元格 {self.cell}")
        return "，".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}：{self.message}" if where else self.message
