"""Batch (§1 job 2): every unit of a department in one run, in parallel, skipping what has
not changed since the last run, with a summary the officer can work through in Excel.

Nothing a unit does can stop the others:

* inputs are checked before the pool starts; a missing file, a broken link, a folder named
  ``x.xlsx`` or an unreadable file becomes a failed unit, not an abort;
* a worker that dies (abort, out of memory) fails only its own unit: the pool is restarted
  for the rest, and units that were running when it died are retried alone, so the one that
  kills its process is named;
* workers die with the main process (no orphans after ``kill -9``);
* the report writer cleans every text it writes.

Outputs: one .docx per unit, named by :func:`output_names` (unique even when file names repeat
across folders); ``.juesuan-manifest.json`` (what was built from which bytes) and
``汇总报告.xlsx``, both written atomically and byte-identical for the same results. A lock on
the output folder keeps two batches apart. A re-run skips a unit only when its workbook,
template, profile and engine are unchanged and its .docx still has the recorded bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import multiprocessing
import os
import signal
import stat
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from . import __version__
from .errors import InputError, OutputError
from .files import TEMP_PREFIX, clean, clean_text, write_atomic
from .intake.workbook import MAX_FILE_BYTES

MANIFEST = ".juesuan-manifest.json"
MANIFEST_FORMAT = "juesuan-batch-manifest"
LOCK = ".juesuan-lock"
REPORT = "汇总报告.xlsx"
BOOK_SUFFIXES = (".xlsx", ".xls", ".ods")
CRASHED = "处理此单位时工作进程意外终止（可能是内存不足或文件异常），其他单位不受影响。请检查此工作簿，或单独运行 juesuan build 查看原因。"


@dataclass
class UnitResult:
    source: str
    unit: str = ""
    entity: str = ""  # 公开主体: 部门 | 单位
    status: str = ""  # 已生成 | 未变化（跳过） | 无法读取 | 有错误 | 缺少内容
    warnings: int = 0
    errors: int = 0
    output: str = ""
    message: str = ""
    findings: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status in ("已生成", "未变化（跳过）")


def _failed(book: Path | str, message: str) -> UnitResult:
    return UnitResult(source=str(book), status="无法读取", errors=1, message=message)


# ---- collecting and checking inputs ---------------------------------------------------------


def collect(inputs: list[Path], outdir: Path) -> list[Path]:
    """Workbooks named on the command line (whatever they are: checked later) and the
    .xlsx/.xls/.ods files in named folders and their subfolders (hidden ones, Excel's ``~$``
    lock files, the output folder and 汇总报告.xlsx left out), without repeats."""
    books: list[Path] = []
    out = _resolved(outdir)
    for item in inputs:
        if item.is_dir() and not item.name.lower().endswith(BOOK_SUFFIXES):
            found = []
            for root, dirs, files in os.walk(item):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and _resolved(Path(root) / d) != out)
                for name in files + [d for d in dirs if d.lower().endswith(BOOK_SUFFIXES)]:
                    p = Path(root) / name
                    if name.lower().endswith(BOOK_SUFFIXES) and not name.startswith(("~$", ".")) and name != REPORT:
                        found.append(p)
                dirs[:] = [d for d in dirs if not d.lower().endswith(BOOK_SUFFIXES)]
            books += sorted(found, key=lambda p: (len(p.relative_to(item).parts), str(p)))
        else:
            books.append(item)
    seen, unique = set(), []
    for b in books:
        key = _resolved(b)
        if key not in seen:
            seen.add(key)
            unique.append(b)
    return unique


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def precheck(book: Path) -> str:
    """ "" when ``book`` can be handed to a worker, else the one line saying why not."""
    name = book.name
    try:
        st = os.stat(book)
    except FileNotFoundError:
        return f"{name}：" + ("是一个指向不存在文件的快捷方式（链接），找不到工作簿。" if os.path.islink(book) else "文件不存在。")
    except OSError as exc:
        return f"{name}：无法访问此文件（{exc.strerror}）。"
    if stat.S_ISDIR(st.st_mode):
        return f"{name}：这是一个文件夹，不是工作簿文件。"
    if not stat.S_ISREG(st.st_mode):
        return f"{name}：不是普通文件（可能是设备或管道），不能作为工作簿读取。"
    if not os.access(book, os.R_OK):
        return f"{name}：没有读取此文件的权限。"
    if st.st_size > MAX_FILE_BYTES:
        return f"{name}：文件过大（{st.st_size // 1024 // 1024} MB，上限 {MAX_FILE_BYTES // 1024 // 1024} MB），不像是一个单位的决算工作簿。"
    return ""


def digest(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()  # streamed: any size costs no memory


def template_digest(profile_name: str, template: Path | None) -> str:
    from .profiles import load_profile

    profile = load_profile(profile_name, template)
    h = hashlib.sha256()
    for p in (profile.template, profile.folder / "profile.toml"):
        h.update(p.read_bytes())
    return h.hexdigest()


def output_names(books: list[Path], outdir: Path) -> dict[Path, Path]:
    """Each workbook's .docx, unique in ``outdir``.

    Rule: a workbook gets ``名称.docx``. When several workbooks share a name (in different
    folders, or a.xls beside a.xlsx), the first in input order (command-line order; inside a
    folder, shallower files first, then by path) keeps ``名称.docx`` and each other one gets
    ``名称（所在文件夹名）.docx``, or ``名称（扩展名）.docx`` when it sits in the same folder;
    if that is still taken, ``名称（2）.docx``, ``名称（3）.docx`` …
    """
    taken = {_resolved(b).as_posix().casefold() for b in books}
    names: dict[Path, Path] = {}
    first: dict[str, Path] = {}
    used: set[str] = set()

    def free(stem: str) -> bool:
        candidate = outdir / f"{stem}.docx"
        return candidate.name.casefold() not in used and _resolved(candidate).as_posix().casefold() not in taken

    for book in books:
        stem = clean_text(book.stem).replace("/", "_") or "工作簿"
        key = stem.casefold()
        options = [stem]
        if key in first:
            other = first[key]
            tag = book.suffix.lstrip(".") if _resolved(book.parent) == _resolved(other.parent) else clean_text(book.parent.name)
            options.append(f"{stem}（{tag}）")
        first.setdefault(key, book)
        options += [f"{stem}（{i}）" for i in range(2, len(books) + 3)]
        chosen = next(o for o in options if free(o))
        used.add(f"{chosen}.docx".casefold())
        names[book] = outdir / f"{chosen}.docx"
    return names


def output_for(book: Path, outdir: Path) -> Path:
    """The output of a workbook when it is alone (see :func:`output_names` for repeats)."""
    return output_names([book], outdir)[book]


# ---- the worker --------------------------------------------------------------------------


def build_unit(book: str, out: str, profile: str, template: str | None, final: bool) -> UnitResult:
    """Worker: one unit, never raising (its failure is reported, not propagated)."""
    from .pipeline import BuildRefused, build_book

    result = UnitResult(source=book)
    try:
        built = build_book(book, out, profile_name=profile, template=template, final=final)
    except InputError as err:
        result.status, result.errors, result.message = "无法读取", 1, str(err)
        return result
    except BuildRefused as refused:
        r = refused.result
        result.unit = r.model.unit.name if r.model else ""
        result.entity = r.model.unit.entity if r.model else ""
        result.findings = [f.as_dict() for f in r.findings]
        result.errors = sum(f.level == "error" for f in r.findings)
        result.warnings = len(r.findings) - result.errors
        result.status = "有错误" if result.errors else "缺少内容"
        result.message = str(refused)
        return result
    except Exception as exc:  # a bug must not stop the other units; it is reported plainly
        result.status, result.errors, result.message = "无法读取", 1, f"处理时出现内部错误（{exc.__class__.__name__}: {exc}），请报告给维护人员。"
        return result
    result.unit, result.entity = built.model.unit.name, built.model.unit.entity
    result.findings = [f.as_dict() for f in built.findings]
    result.warnings = len(built.findings)
    result.status, result.output = "已生成", str(built.output)
    return result


_STARTED = None  # shared array: 1 while a worker handles unit i, 2 when it returned


def _worker_init(parent: int, started) -> None:
    """Die with the main process: PR_SET_PDEATHSIG where Linux offers it, a watcher otherwise."""
    global _STARTED
    _STARTED = started
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's business
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(1)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _work(index: int, book: str, out: str, profile: str, template: str | None, final: bool) -> UnitResult:
    _STARTED[index] = 1
    try:
        return build_unit(book, out, profile, template, final)
    finally:
        _STARTED[index] = 2


def _run_pool(tasks: list[tuple], workers: int, on_result) -> None:
    """Run ``tasks`` (index, book, out, profile, template, final) in a pool that survives dead workers.

    When a worker dies, the units that were running are retried each alone (so the one that
    kills its process is found and failed) and the rest go to a fresh pool.
    """
    ctx = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else multiprocessing.get_context()
    started = ctx.Array("b", max(t[0] for t in tasks) + 1, lock=False)
    pending = list(tasks)
    alone: list[tuple] = []
    while pending or alone:
        if pending:
            group, size = pending, min(workers, len(pending))
        else:
            group, size = [alone.pop(0)], 1
        pending = [t for t in pending if t not in group]
        unfinished = _pool_round(ctx, started, group, size, on_result)
        for task in unfinished:
            if size == 1:
                on_result(task[0], _failed(task[1], f"{Path(task[1]).name}：{CRASHED}"))
            elif started[task[0]] == 1:
                alone.append(task)  # running when the pool broke: retried alone
            else:
                pending.append(task)
        if unfinished and size > 1 and not any(started[t[0]] == 1 for t in unfinished):
            for task in pending:  # the pool broke before any unit ran: give up on them cleanly
                on_result(task[0], _failed(task[1], f"{Path(task[1]).name}：{CRASHED}"))
            pending = []


def _pool_round(ctx, started, group: list[tuple], size: int, on_result) -> list[tuple]:
    """One pool over ``group``; returns the tasks that got no result because the pool broke."""
    for task in group:
        started[task[0]] = 0
    unfinished = []
    with ProcessPoolExecutor(max_workers=size, mp_context=ctx, initializer=_worker_init, initargs=(os.getpid(), started)) as pool:
        futures = {pool.submit(_work, *task): task for task in group}
        for fut in as_completed(futures):
            task = futures[fut]
            try:
                on_result(task[0], fut.result())
            except BrokenProcessPool:
                unfinished.append(task)
    return unfinished


# ---- the run -------------------------------------------------------------------------------


@dataclass
class BatchReport:
    results: list[UnitResult]
    skipped: int
    department: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # warnings about the run itself (e.g. a foreign manifest)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results) and not any(f["level"] == "error" for f in self.department)


@contextmanager
def folder_lock(outdir: Path, wait: float = 0):
    """Only one batch writes into a folder at a time; the lock dies with its process."""
    import fcntl

    path = outdir / LOCK
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        from .errors import os_reason

        raise OutputError(f"无法在输出文件夹中写入（{os_reason(exc)}）。请换一个输出文件夹。", file=str(outdir)) from None
    deadline = time.monotonic() + max(0.0, wait)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise OutputError("输出文件夹正被另一个批量任务使用，未做任何改动。请等它结束后再运行，或用 --wait 秒数 等待。", file=str(outdir)) from None
                time.sleep(0.2)
        yield
    finally:
        os.close(fd)


def read_manifest(path: Path, notes: list[str]) -> dict:
    """The units of a manifest we wrote; a corrupt or foreign one is ignored with a note."""
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
        if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT or not isinstance(data.get("units"), dict):
            raise ValueError("foreign")
        units = data["units"]
        known = {f.name for f in fields(UnitResult)}
        for entry in units.values():
            if not (isinstance(entry, dict) and isinstance(entry.get("result"), dict) and set(entry["result"]) <= known):
                raise ValueError("foreign")
        return units
    except (OSError, ValueError, UnicodeDecodeError):
        notes.append(f"输出文件夹中的 {MANIFEST} 已损坏或不是本工具写的，已忽略并重新生成全部单位。")
        return {}


def write_manifest(path: Path, units: dict) -> None:
    data = {"format": MANIFEST_FORMAT, "version": 1, "units": units}
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8"))


def remove_stale_temps(outdir: Path) -> None:
    """Temporary files left by a killed run (only ever ours: they carry our prefix)."""
    for p in outdir.glob(TEMP_PREFIX + "*"):
        try:
            p.unlink()
        except OSError:
            pass


def run_batch(
    inputs: list[Path],
    outdir: Path,
    *,
    profile: str = "上海2024",
    template: Path | None = None,
    jobs: int | None = None,
    final: bool = False,
    force: bool = False,
    progress=None,
    wait: float = 0,
    pdf: bool = False,
) -> BatchReport:
    outdir = Path(outdir)
    if outdir.exists() and not outdir.is_dir():
        raise OutputError("输出位置是一个文件，不是文件夹。请用 -o 指定一个文件夹。", file=str(outdir))
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from .errors import os_reason

        raise OutputError(f"无法建立输出文件夹（{os_reason(exc)}）。", file=str(outdir)) from None
    tdigest = template_digest(profile, template)
    with folder_lock(outdir, wait):
        remove_stale_temps(outdir)
        return _run_locked(inputs, outdir, profile, template, tdigest, jobs, final, force, progress, pdf)


def _run_locked(inputs, outdir: Path, profile, template, tdigest, jobs, final, force, progress, pdf: bool = False) -> BatchReport:
    notes: list[str] = []
    books = collect(inputs, outdir)
    outputs = output_names(books, outdir)
    manifest_path = outdir / MANIFEST
    manifest = {} if force else read_manifest(manifest_path, notes)
    results: dict[str, UnitResult] = {}
    todo = []
    for book in books:
        key = str(_resolved(book))
        problem = precheck(book)
        if problem:
            results[key] = _failed(book, problem)
            manifest.pop(key, None)
            continue
        out = outputs[book]
        try:
            hashes = {"workbook": digest(book), "template": tdigest, "engine": __version__, "profile": profile, "final": final, "output": out.name}
        except OSError as exc:
            results[key] = _failed(book, f"{book.name}：无法读取此文件（{exc.strerror}）。")
            continue
        entry = manifest.get(key)
        if entry and entry.get("hashes") == hashes and entry.get("status") == "已生成" and _has_bytes(out, entry.get("output_sha256")):
            results[key] = UnitResult(**{**entry["result"], "status": "未变化（跳过）"})
        else:
            todo.append((book, key, hashes, out))
    skipped = sum(r.status == "未变化（跳过）" for r in results.values())
    if progress:
        progress.start(len(todo))
    last_save = [time.monotonic()]

    def on_result(index: int, result: UnitResult) -> None:
        book, key, hashes, out = todo[index]
        results[key] = result
        entry = {"hashes": hashes, "status": result.status, "result": asdict(result)}
        if result.status == "已生成":
            entry["output_sha256"] = digest(out) if out.exists() else ""
        manifest[key] = entry
        if progress:
            progress.advance(result)
        if time.monotonic() - last_save[0] > 1:  # progress survives a kill
            write_manifest(manifest_path, manifest)
            last_save[0] = time.monotonic()

    tasks = [(i, str(book), str(out), profile, str(template) if template else None, final) for i, (book, key, hashes, out) in enumerate(todo)]
    workers = max(1, jobs or os.cpu_count() or 1)
    if tasks:
        if workers == 1 or len(tasks) == 1:
            for task in tasks:
                on_result(task[0], build_unit(*task[1:]))
        else:
            _run_pool(tasks, workers, on_result)
    ordered = [results[str(_resolved(b))] for b in books]
    if pdf:
        written, font_notes = pdf_units(ordered, workers, progress)
        notes += font_notes
        written = {str(d) for d in written}  # paths as pdf_units saw them
        for key, r in results.items():
            if r.status == "PDF 转换失败":  # retried next run
                manifest.pop(key, None)
            elif r.output and str(Path(r.output)) in written and key in manifest:  # the page numbers changed the .docx: record its new bytes
                manifest[key]["output_sha256"] = digest(Path(r.output))
    write_manifest(manifest_path, manifest)
    readable = [b for b, r in zip(books, ordered, strict=False) if r.entity]
    departments = [b for b, r in zip(books, ordered, strict=False) if r.entity == "部门"]
    department = []
    if len(departments) == 1 and len(readable) > 1:
        department = department_findings(readable)
    report = BatchReport(ordered, skipped, department, notes)
    write_report(outdir / REPORT, report)
    return report


def _has_bytes(out: Path, sha: str | None) -> bool:
    """The output is still what this batch wrote (not deleted, replaced or damaged)."""
    try:
        return bool(sha) and out.is_file() and digest(out) == sha
    except OSError:
        return False


def pdf_units(results: list[UnitResult], workers: int, progress=None) -> tuple[list[Path], list[str]]:
    """PDF beside each built document (missing or older than its .docx), with the 目录's page numbers
    written into both; a failed conversion fails its unit. Returns the documents it rewrote and the
    notes for the run (font fallbacks, one line each)."""
    from .pdf import PdfUnavailable, print_batch
    from .printing import font_warnings

    todo = [Path(r.output) for r in results if r.ok and r.output and (not Path(r.output).with_suffix(".pdf").exists()
            or Path(r.output).with_suffix(".pdf").stat().st_mtime_ns < Path(r.output).stat().st_mtime_ns)]  # fmt: skip
    if not todo:
        return [], []
    started = time.monotonic()
    if progress is not None and hasattr(progress, "pdf_start"):
        progress.pdf_start(len(todo), max(1, min(workers, len(todo))))
    try:
        failed = print_batch(todo, workers)
    except PdfUnavailable as err:
        failed = {d: str(err) for d in todo}
    if progress is not None and hasattr(progress, "pdf_done"):
        progress.pdf_done(sum(failed.get(d) is None for d in todo), sum(failed.get(d) is not None for d in todo), time.monotonic() - started)
    for r in results:
        reason = failed.get(Path(r.output)) if r.output else None
        if reason:
            r.status, r.errors, r.message = "PDF 转换失败", r.errors + 1, reason
    written = [d for d in todo if failed.get(d) is None]
    return written, font_warnings() if written else []


def department_findings(books: list[Path]) -> list[dict]:
    """部门 = Σ 单位 when one workbook is the department's own (公开主体 = 部门)."""
    from .consolidate import check_department
    from .intake import read_workbook

    models = []
    for b in books:
        try:
            models.append(read_workbook(b))
        except InputError:
            continue
    departments = [m for m in models if m.unit.entity == "部门"]
    if len(departments) != 1 or len(models) < 2:
        return []
    dept = departments[0]
    units = [m for m in models if m is not dept and m.unit.parent.strip() == dept.unit.name.strip()]
    if not units:
        return []
    return [{**f.as_dict(), "unit": dept.unit.name} for f in check_department(dept, units)]


# ---- 汇总报告.xlsx ---------------------------------------------------------------------------

_EXCEL_TEXT_LIMIT = 32_000


def _cell(value):
    """A value Excel can hold as written: no control characters, never a formula, not too long."""
    value = clean(value)
    if isinstance(value, str):
        value = value[:_EXCEL_TEXT_LIMIT]
    return value


def write_report(path: Path, report: BatchReport) -> None:
    """汇总报告.xlsx: one row per unit, then every finding, to work through in Excel."""
    import openpyxl
    from openpyxl.styles import Font, PatternFill

    from .files import fixed_core_dates, normalize_zip

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "汇总"

    def append(sheet, row) -> None:
        sheet.append([_cell(v) for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text from a workbook is never a formula here

    append(ws, ["工作簿", "单位", "状态", "警告", "错误", "输出文件", "说明"])
    for r in report.results:
        append(ws, [Path(r.source).name, r.unit, r.status, r.warnings, r.errors, Path(r.output).name if r.output else "", r.message])
        if not r.ok:
            for cell in ws[ws.max_row]:
                cell.fill = PatternFill("solid", fgColor="F8CBAD")
    detail = wb.create_sheet("问题清单")
    append(detail, ["工作簿", "单位", "级别", "类别", "说明", "单元格"])
    for r in report.results:
        for f in r.findings:
            append(detail, [Path(r.source).name, r.unit, "错误" if f["level"] == "error" else "警告", f["rule"], f["message"], "；".join(f["cells"])])
        if r.status == "无法读取":
            append(detail, [Path(r.source).name, r.unit, "错误", "无法读取", r.message, ""])
    for f in report.department:
        append(detail, ["（部门汇总）", f["unit"], "错误" if f["level"] == "error" else "警告", f["rule"], f["message"], "；".join(f["cells"])])
    for sheet in (ws, detail):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for col, width in zip("ABCDEFG", (34, 28, 14, 8, 8, 34, 80), strict=False):
            sheet.column_dimensions[col].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    write_atomic(path, normalize_zip(buffer.getvalue(), fixed_core_dates))
