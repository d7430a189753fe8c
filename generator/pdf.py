"""PDF output through LibreOffice (``soffice``), when it is installed: the one place that starts it.

Starting LibreOffice costs more than converting one document, and a fresh profile costs
more again; so a :class:`Converter` keeps one profile per worker for its whole life and
hands LibreOffice many documents per start (``soffice --convert-to pdf a.docx b.docx …``).
If LibreOffice dies or hangs on a chunk, the documents it did not write are retried one by
one with a fresh start; a document that still fails is reported as failed, the others go on.
Every document goes through :func:`printing.for_libreoffice` first (the character-grid
work-around) and LibreOffice runs with :func:`printing.font_env` (our fontconfig aliases).

Why not a UNO server (``unoserver``): its server must run under the Python that has LibreOffice's
``uno`` bridge — on Debian ``/usr/bin/python3`` with ``python3-uno``, outside the project's
virtualenv, where pip refuses to install (PEP 668). Many documents per start gives the same
saving (one start per ``CHUNK`` documents) with nothing installed beside LibreOffice itself.

:func:`print_pdf` (``build --pdf``) and :func:`print_batch` (``batch --pdf``) add the 目录's page
numbers (:func:`printing.paginate_many`): a batch converts all documents of a worker in one start
per pass; LibreOffice computes the 目录's numbers itself, so one pass is the rule and only a
document whose printed 目录 disagrees with its headings' pages is converted again. The PDF gets bookmarks
from the headings (``ExportBookmarks``: paragraphs with an outline level) and embedded (subset)
fonts. Without LibreOffice the Word document is still written and the user is told, in one line,
what to install.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .files import write_atomic
from .printing import Paged, font_env, font_warnings, for_libreoffice, paginate_many

# the one PDF filter: bookmarks from the outline levels, the standard fonts embedded too (LibreOffice embeds the others anyway)
EXPORT_FILTER = (
    'pdf:writer_pdf_Export:{"ExportBookmarks":{"type":"boolean","value":"true"},'
    '"EmbedStandardFonts":{"type":"boolean","value":"true"},"UseTaggedPDF":{"type":"boolean","value":"false"}}'
)
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
        env = {**font_env(), "HOME": str(self._home)}  # our font aliases; LibreOffice writes caches under HOME too
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
            staged: dict[Path, Path] = {}  # our copy (made for LibreOffice) → the caller's document
            for n, d in enumerate(docs):
                try:
                    data = d.read_bytes()
                except OSError as exc:
                    out[d] = f"无法读取 {d.name}（{exc.strerror}）；未生成 PDF。"
                    continue
                try:
                    data = for_libreoffice(data)
                except Exception:  # not a Word package: LibreOffice gets it as it is and says no
                    pass
                copy = work / "in" / str(n) / d.name
                copy.parent.mkdir(parents=True)
                copy.write_bytes(data)
                staged[copy] = d
            chunks: list[list[Path]] = []
            for d in staged:  # LibreOffice names the PDF after the file: no two equal stems in a chunk
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
                            out[staged[d]] = pdf
                    if not missing:
                        break
                    culprit, pending = missing[0], missing[1:]
                    runs += 1
                    alone = work / f"r{runs}"
                    self._run([culprit], alone)  # a fresh start, alone
                    pdf = _read_pdf(alone / (culprit.stem + ".pdf"))
                    name = staged[culprit].name
                    out[staged[culprit]] = pdf if pdf is not None else f"LibreOffice 未能把 {name} 转换为 PDF（文件损坏或 LibreOffice 出错）；Word 文档已生成。"
        return {d: out[d] for d in docs}

    def convert_blobs(self, blobs: list[bytes], names: list[str] | None = None) -> list[bytes | str]:
        """PDF bytes (or the reason) for each .docx given as bytes; ``names`` name them in messages."""
        names = names or [f"document{n}.docx" for n in range(len(blobs))]
        with tempfile.TemporaryDirectory(dir=self._home) as work:
            paths = []
            for n, (blob, name) in enumerate(zip(blobs, names, strict=False)):
                path = Path(work) / str(n) / name
                path.parent.mkdir()
                path.write_bytes(blob)
                paths.append(path)
            got = self.convert_many(paths)
        return [got[p] for p in paths]

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
            got = self.convert_blobs([bytes(docx)])[0]
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
    """Convert ``docx`` to PDF next to it (or to ``pdf``), atomically (no page numbers filled)."""
    return default_converter().convert_file(Path(docx), pdf)


def _write(docx_path: Path, original: bytes, paged: Paged, pdf_path: Path) -> None:
    """The .docx gets the PDF's page numbers (only when they changed it), then the PDF; both atomically."""
    if paged.docx != original:
        write_atomic(docx_path, paged.docx)
    write_atomic(pdf_path, paged.pdf)


def print_pdf(docx_path: str | Path, pdf_path: str | Path | None = None, converter: Converter | None = None) -> tuple[Path, list[str]]:
    """``build --pdf``: the 目录's page numbers into the .docx, then the PDF; both written atomically.

    Returns the PDF's path and the font warnings (one line each); PdfUnavailable when it failed.
    """
    docx_path = Path(docx_path)
    pdf_path = Path(pdf_path) if pdf_path else docx_path.with_suffix(".pdf")
    conv = converter or default_converter()
    original = docx_path.read_bytes()
    paged = paginate_many([original], lambda blobs, which: conv.convert_blobs(blobs, [docx_path.name] * len(blobs)))[0]
    if paged.error:
        raise PdfUnavailable(paged.error)
    _write(docx_path, original, paged, pdf_path)
    return pdf_path, font_warnings()


def _print_share(conv: Converter, share: list[Path]) -> tuple[dict[Path, str | None], int]:
    """One worker's documents: paginated and written; the failure reason per document, and how many conversions it took."""
    outcome: dict[Path, str | None] = {}
    originals: dict[Path, bytes] = {}
    for d in share:
        try:
            originals[d] = d.read_bytes()
        except OSError as exc:
            outcome[d] = f"无法读取 {d.name}（{exc.strerror}）；未生成 PDF。"
    readable = list(originals)
    pages = paginate_many([originals[d] for d in readable], lambda blobs, which: conv.convert_blobs(blobs, [readable[i].name for i in which]))
    for d, paged in zip(readable, pages, strict=False):
        if paged.error:
            outcome[d] = paged.error
            continue
        try:
            _write(d, originals[d], paged, d.with_suffix(".pdf"))
            outcome[d] = None
        except OSError as exc:
            outcome[d] = f"无法写入 {d.with_suffix('.pdf').name}（{exc.strerror}）。"
    return outcome, sum(p.conversions for p in pages)


def print_batch(docs: list[Path], jobs: int = 1, stats: dict | None = None) -> dict[Path, str | None]:
    """``batch --pdf``: PDF beside each .docx, with the 目录's page numbers in both; ``jobs`` LibreOffice
    workers, each converting its share in one start per pass. The failure reason per document (None = written).

    ``stats`` (when given) receives ``conversions`` (documents converted, all passes) and ``starts``.
    """
    docs = [Path(d) for d in docs]
    if not docs:
        return {}
    jobs = max(1, min(jobs, len(docs)))
    converters = [Converter() for _ in range(jobs)]
    shares = [docs[i::jobs] for i in range(jobs)]

    def work(pair):
        try:
            return _print_share(*pair)
        except Exception as exc:  # a bug fails this worker's documents, never the batch
            return {d: f"生成 PDF 时出现内部错误（{exc.__class__.__name__}: {exc}），请报告给维护人员。" for d in pair[1]}, 0

    result: dict[Path, str | None] = {}
    conversions = 0
    try:
        with ThreadPoolExecutor(max_workers=jobs) as pool:  # the work is in the LibreOffice processes
            for part, n in pool.map(work, zip(converters, shares, strict=False)):
                result.update(part)
                conversions += n
    finally:
        for c in converters:
            c.close()
    if stats is not None:
        stats.update(conversions=conversions, starts=sum(c.starts for c in converters))
    return {d: result[d] for d in docs}


__all__ = ["Converter", "PdfUnavailable", "soffice", "to_pdf", "print_pdf", "print_batch", "default_converter", "EXPORT_FILTER"]
