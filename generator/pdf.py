"""Optional PDF output through LibreOffice (``soffice``), when it is installed.

Starting LibreOffice costs more than converting one document, and a fresh profile costs
more again; so a :class:`Converter` keeps one profile per worker for its whole life and
hands LibreOffice many documents per start (``soffice --convert-to pdf a.docx b.docx …``).
If LibreOffice dies or hangs on a chunk, the documents it did not write are retried one by
one with a fresh start; a document that still fails is reported as failed, the others go on.

Why not a UNO server (``unoserver``): its server must run under the Python that has LibreOffice's
``uno`` bridge — on Debian ``/usr/bin/python3`` with ``python3-uno``, outside the project's
virtualenv, where pip refuses to install (PEP 668). Many documents per start gives the same
saving (one start per ``CHUNK`` documents) with nothing installed beside LibreOffice itself.

The PDF gets bookmarks from the headings (``ExportBookmarks``: paragraphs with an outline
level) and LibreOffice embeds the (subset) fonts. Without LibreOffice the Word document is
still written and the user is told, in one line, what to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .files import write_atomic

EXPORT_FILTER = 'pdf:writer_pdf_Export:{"ExportBookmarks":{"type":"boolean","value":"true"},"UseTaggedPDF":{"type":"boolean","value":"false"}}'
CHUNK = 20  # documents per LibreOffice start: a crash loses at most this many, which are then retried alone
INSTALL_HINT = "需要 PDF 时请安装 LibreOffice（Debian/Ubuntu：make system-deps，或 apt-get install libreoffice-writer-nogui fonts-noto-cjk）后重试。"


class PdfUnavailable(Exception):
    """LibreOffice is missing or failed: the message says what to do."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


class Converter:
    """One LibreOffice worker: a profile kept for the converter's life, many documents per start.

    Usable as the "convert to PDF" callable of other stages: ``converter(docx_bytes) -> pdf bytes``,
    ``converter(Path) -> Path`` of the PDF written next to it (or to ``pdf=``).
    """

    def __init__(self, timeout_base: float = 120, timeout_per_doc: float = 60, exe: str | None = None):
        self.exe = exe or soffice()
        if self.exe is None:
            raise PdfUnavailable("未找到 LibreOffice（soffice），无法生成 PDF；Word 文档已生成。" + INSTALL_HINT)
        self.timeout_base, self.timeout_per_doc = timeout_base, timeout_per_doc
        self._home = Path(tempfile.mkdtemp(prefix="juesuan-lo-"))
        self._lock = threading.Lock()
        self.starts = 0  # how many times LibreOffice was started (the bench and tests read it)

    def close(self) -> None:
        shutil.rmtree(self._home, ignore_errors=True)

    def __enter__(self) -> Converter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self):  # pragma: no cover - best effort clean-up
        try:
            self.close()
        except Exception:
            pass

    def _run(self, docs: list[Path], outdir: Path) -> None:
        profile = (self._home / "profile").as_uri()
        cmd = [self.exe, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nolockcheck",
               "--convert-to", EXPORT_FILTER, "--outdir", str(outdir), *map(str, docs)]  # fmt: skip
        self.starts += 1
        env = {**os.environ, "HOME": str(self._home)}  # LibreOffice writes caches under HOME too
        try:
            subprocess.run(cmd, capture_output=True, timeout=self.timeout_base + self.timeout_per_doc * len(docs), env=env, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            pass  # the documents it did not write are retried alone by the caller

    def convert_many(self, docs: list[Path]) -> dict[Path, bytes | str]:
        """PDF bytes per document, or the reason (Chinese) it could not be converted."""
        docs = [Path(d) for d in docs]
        out: dict[Path, bytes | str] = {}
        with self._lock, tempfile.TemporaryDirectory(dir=self._home) as work:
            work = Path(work)
            chunks: list[list[Path]] = []
            for d in docs:  # LibreOffice names the PDF after the file: no two equal stems in a chunk
                target = next((c for c in chunks if len(c) < CHUNK and all(x.stem != d.stem for x in c)), None)
                if target is None:
                    chunks.append(target := [])
                target.append(d)
            runs = 0
            for chunk in chunks:
                pending = chunk
                while pending:  # LibreOffice converts in order: after a crash, the first missing one goes alone
                    runs += 1
                    outdir = work / f"r{runs}"
                    self._run(pending, outdir)
                    missing = []
                    for d in pending:
                        pdf = _read_pdf(outdir / (d.stem + ".pdf"))
                        if pdf is None:
                            missing.append(d)
                        else:
                            out[d] = pdf
                    if not missing:
                        break
                    culprit, pending = missing[0], missing[1:]
                    runs += 1
                    alone = work / f"r{runs}"
                    self._run([culprit], alone)  # a fresh start, alone
                    pdf = _read_pdf(alone / (culprit.stem + ".pdf"))
                    out[culprit] = pdf if pdf is not None else f"LibreOffice 未能把 {culprit.name} 转换为 PDF（文件损坏或 LibreOffice 出错）；Word 文档已生成。"
        return out

    def convert_file(self, docx: Path, pdf: Path | None = None) -> Path:
        """``docx`` to PDF next to it (or to ``pdf``), written atomically; PdfUnavailable on failure."""
        docx = Path(docx)
        pdf = Path(pdf) if pdf else docx.with_suffix(".pdf")
        got = self.convert_many([docx])[docx]
        if isinstance(got, str):
            raise PdfUnavailable(got)
        write_atomic(pdf, got)
        return pdf

    def __call__(self, docx: bytes | str | Path, pdf: Path | None = None) -> bytes | Path:
        if isinstance(docx, (bytes, bytearray)):
            with tempfile.TemporaryDirectory(dir=self._home) as work:
                src = Path(work) / "document.docx"
                src.write_bytes(docx)
                got = self.convert_many([src])[src]
            if isinstance(got, str):
                raise PdfUnavailable(got)
            return got
        return self.convert_file(Path(docx), pdf)


def _read_pdf(path: Path) -> bytes | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if data.startswith(b"%PDF") and b"%%EOF" in data[-1024:] else None


_DEFAULT: Converter | None = None


def default_converter() -> Converter:
    """The process's converter (its LibreOffice profile is made once and reused)."""
    global _DEFAULT
    if _DEFAULT is None or soffice() is None:
        _DEFAULT = Converter()
    return _DEFAULT


def to_pdf(docx: Path, pdf: Path | None = None, timeout: int | None = None) -> Path:
    """Convert ``docx`` to PDF next to it (or to ``pdf``), atomically."""
    return default_converter().convert_file(Path(docx), pdf)


def convert_batch(docs: list[Path], jobs: int = 1) -> dict[Path, str | None]:
    """PDF next to each .docx, ``jobs`` LibreOffice workers at once; the failure reason per document (None = written)."""
    docs = [Path(d) for d in docs]
    if not docs:
        return {}
    jobs = max(1, min(jobs, len(docs)))
    converters = [Converter() for _ in range(jobs)]
    shares = [docs[i::jobs] for i in range(jobs)]

    def work(pair):
        conv, share = pair
        outcome = {}
        for d, got in conv.convert_many(share).items():
            if isinstance(got, str):
                outcome[d] = got
            else:
                write_atomic(d.with_suffix(".pdf"), got)
                outcome[d] = None
        return outcome

    result: dict[Path, str | None] = {}
    try:
        with ThreadPoolExecutor(max_workers=jobs) as pool:  # the work is in the LibreOffice processes
            for part in pool.map(work, zip(converters, shares)):
                result.update(part)
    finally:
        for c in converters:
            c.close()
    return {d: result[d] for d in docs}


__all__ = ["Converter", "PdfUnavailable", "soffice", "to_pdf", "convert_batch", "default_converter", "EXPORT_FILTER"]
