"""Optional PDF output through LibreOffice (``soffice``), when it is installed.

Without LibreOffice the Word document is still written and the user is told, in one line,
what to install; nothing else depends on this module.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from .files import write_atomic


class PdfUnavailable(Exception):
    """LibreOffice is missing or failed: the message says what to do."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: Path, pdf: Path | None = None, timeout: int = 180) -> Path:
    """Convert ``docx`` to PDF next to it (or to ``pdf``), atomically."""
    exe = soffice()
    if exe is None:
        raise PdfUnavailable("未找到 LibreOffice（soffice），无法生成 PDF；Word 文档已生成。需要 PDF 时请安装 LibreOffice 后重试。")
    pdf = Path(pdf) if pdf else Path(docx).with_suffix(".pdf")
    with tempfile.TemporaryDirectory() as work:
        profile = Path(work) / "profile"
        cmd = [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", work, str(docx)]
        try:
            subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise PdfUnavailable(f"LibreOffice 转换 PDF 失败（{exc.__class__.__name__}）；Word 文档已生成。") from None
        produced = Path(work) / (Path(docx).stem + ".pdf")
        if not produced.exists():
            raise PdfUnavailable("LibreOffice 没有生成 PDF；Word 文档已生成。")
        write_atomic(pdf, produced.read_bytes())
    return pdf
