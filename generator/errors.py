"""Errors that reach the user as one clear line (never a traceback), and the exit codes.

Exit codes (the CLI's one error boundary maps exceptions to them):
0 ok · 1 findings (勾稽 errors, --final refusals, a batch with a failed unit) ·
2 unusable input or arguments (InputError, OutputError) · 3 internal error (a bug: one line
naming a log file that holds the traceback).
"""

from __future__ import annotations

import datetime as _dt
import os
import tempfile
import traceback
from pathlib import Path

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


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
        text = f"{where}：{self.message}" if where else self.message
        return " ".join(text.split("\n"))  # one line, whatever a file name holds


class OutputError(InputError):
    """An output that cannot be written (full disk, read-only folder, a folder in the way,
    the output would overwrite an input): exit 2, nothing half-written."""


class InternalError(Exception):
    """A bug caught by a self-check (e.g. a written document that does not parse): exit 3."""


_OS_REASONS = {
    "ENOSPC": "磁盘空间不足",
    "EDQUOT": "磁盘配额已满",
    "EROFS": "所在位置是只读的",
    "EACCES": "没有写入权限",
    "EPERM": "没有权限",
    "EISDIR": "这是一个文件夹",
    "ENOTDIR": "路径中有一段不是文件夹",
    "ENOENT": "路径不存在",
    "ENAMETOOLONG": "文件名太长",
    "EEXIST": "文件已存在",
}


def os_reason(exc: OSError) -> str:
    """A short Chinese reason for a failed file operation."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    return _OS_REASONS.get(name, exc.strerror or exc.__class__.__name__)


def write_crash_log(exc: BaseException, argv: list[str] | None = None) -> Path:
    """Write the traceback of an internal error to a log file and return its path."""
    folder = Path(os.environ.get("JUESUAN_LOG_DIR") or tempfile.gettempdir())
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = "juesuan 内部错误\n命令：" + " ".join(argv or []) + "\n\n" + "".join(traceback.format_exception(exc))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f"juesuan-error-{stamp}-", suffix=".log", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        return Path(name)
    except OSError:  # no writable temp folder: the log goes to the user's home
        path = Path.home() / f"juesuan-error-{stamp}-{os.getpid()}.log"
        path.write_text(text, encoding="utf-8")
        return path
