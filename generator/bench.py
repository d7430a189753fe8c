"""The benchmark (`juesuan bench`): speed is shown by measuring, not by timed tests.

Honest comparisons, all on the same synthetic units, the same template and the same context:

* ours — the whole pipeline in a warm process (read → check → figures → text → .docx file);
* naive — what a plain script does: openpyxl reads the workbook, the same checks/figures/text
  give the same context, then ``DocxTemplate(path).render(ctx).save(path)`` (no zip
  normalisation, no compiled-template reuse);
* floor — what no pipeline can beat: calamine reads every sheet of the workbook, and the same
  .docx entries are zipped to a file;
* whole processes — ``juesuan build`` and ``juesuan check`` of one unit as the user runs them
  (median of several runs, imports included);
* batch — ``juesuan batch`` through the real command line with 1 and 2 workers, the peak memory
  of each worker read from /proc while it runs;
* PDF — seconds per document of one LibreOffice worker converting the batch's documents, when
  LibreOffice is installed.

Synthetic workbooks are cached on disk by (seed, count, generator source), so a re-run does not
pay for writing them again.
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from . import __version__


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def _r(x: float | None, digits: int = 4) -> float | None:
    return None if x is None else round(x, digits)


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 2) if b else None


# ---- synthetic workbooks, cached -----------------------------------------------------------------


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "juesuan" / "bench"


def _source_key() -> str:
    h = hashlib.sha256(__version__.encode())
    here = Path(__file__).resolve().parent
    for name in ("synthetic.py", "init_book.py", "keys.py"):
        h.update((here / name).read_bytes())
    return h.hexdigest()[:16]


def synthetic_books(units: int, seed: int = 2024, cache: Path | None = None) -> tuple[list[Path], bool]:
    """``units`` synthetic workbooks (written once, then reused from the cache); (paths, came from cache)."""
    from .synthetic import write_units

    folder = (cache or cache_root()) / f"{_source_key()}-s{seed}-n{units}"
    done = folder / ".complete"
    if done.exists():
        return sorted(folder.glob("*.xlsx")), True
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".writing-", dir=folder.parent))
    try:
        write_units(work, units, seed=seed, jobs=os.cpu_count() or 1)
        (work / ".complete").write_text("ok")
        try:
            work.rename(folder)
        except OSError:  # another bench wrote it meanwhile
            shutil.rmtree(work, ignore_errors=True)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    return sorted(folder.glob("*.xlsx")), False


# ---- one document, in process ----------------------------------------------------------------------


def _floor(book: Path, entries: list[tuple[str, bytes]], out: Path) -> float:
    """calamine reads every sheet + the same .docx entries zipped to a file: no pipeline can do less."""
    import zipfile

    from python_calamine import CalamineWorkbook

    t0 = time.perf_counter()
    wb = CalamineWorkbook.from_path(str(book))
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return time.perf_counter() - t0


def _naive(book: Path, profile, out: Path) -> tuple[float, float]:
    """openpyxl read + the same context + DocxTemplate(path).render(ctx).save(path); (total, render+save)."""
    import openpyxl
    from docxtpl import DocxTemplate

    from .intake import read_workbook
    from .pipeline import analyse
    from .render import context, jinja_env

    t0 = time.perf_counter()
    openpyxl.load_workbook(book, data_only=True).close()
    t_read = time.perf_counter() - t0
    model = read_workbook(book)  # the same model and context as ours (its time is counted below, as analysis)
    t1 = time.perf_counter()
    result = analyse(model, profile)
    ctx = context(model, result.figures, result.narrative, profile)
    t_analyse = time.perf_counter() - t1
    env = jinja_env(profile)
    t2 = time.perf_counter()
    tpl = DocxTemplate(str(profile.template))
    tpl.render(ctx, jinja_env=env, autoescape=True)
    tpl.save(str(out))
    t_render = time.perf_counter() - t2
    return t_read + t_analyse + t_render, t_render


# ---- whole processes -------------------------------------------------------------------------------


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("juesuan")
    return [str(script)] if script.exists() else [sys.executable, "-m", "generator.cli"]


def _process_seconds(args: list[str], repeats: int, env: dict | None = None) -> dict:
    """Wall-clock and CPU seconds of the command as a whole process, median and minimum of
    ``repeats`` runs (on a shared machine the minimum is the closest to the idle figure, and CPU
    time is steadier than wall time)."""
    wall, cpu = [], []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(_cli() + args, capture_output=True, stdin=subprocess.DEVNULL, env=env)
        wall.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return {"wall": _median(wall), "cpu": _median(cpu), "wall_min": min(wall), "cpu_min": min(cpu)}


def _bytecode_note() -> str:
    """Whether the processes measured load our modules from cached bytecode (as an installed
    package does) or compile them on every start (PYTHONDONTWRITEBYTECODE without __pycache__)."""
    here = Path(__file__).resolve().parent
    cached = any((here / "__pycache__").glob("cli.*.pyc"))
    if cached:
        return "cached"
    return "compiled each run (PYTHONDONTWRITEBYTECODE, no __pycache__)" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "written by the first run"


def _load() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def _children(pid: int) -> set[int]:
    kids: set[int] = set()
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                kids.update(int(k) for k in f.read().split())
    except OSError:
        pass
    return kids


def _peak_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _run_watched(args: list[str]) -> tuple[float, int, dict[int, int], int]:
    """Run the CLI; (seconds, exit code, peak RSS KB per worker process, peak RSS KB of the main process)."""
    peaks: dict[int, int] = {}
    main_peak = [0]
    t0 = time.perf_counter()
    proc = subprocess.Popen(_cli() + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            main_peak[0] = max(main_peak[0], _peak_kb(proc.pid) or 0)
            for kid in _children(proc.pid):
                kb = _peak_kb(kid)
                if kb:
                    peaks[kid] = max(peaks.get(kid, 0), kb)
            stop.wait(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    code = proc.wait()
    elapsed = time.perf_counter() - t0
    stop.set()
    watcher.join()
    return elapsed, code, peaks, main_peak[0]


def _batch(books_dir: Path, out: Path, workers: int, units: int, pdf: bool = False) -> dict:
    seconds, code, peaks, main_kb = _run_watched(["batch", str(books_dir), "-o", str(out), "-j", str(workers), "--force"] + (["--pdf"] if pdf else []))
    docs = len(list(out.glob("*.docx")))
    extra = {"pdfs": len(list(out.glob("*.pdf")))} if pdf else {}
    return {
        **extra, "workers": workers, "load_average_after": _load(),
        "units": units, "documents": docs, "exit_code": code, "seconds": round(seconds, 3),
        "units_per_second": round(docs / seconds, 2) if seconds else None,
        "failed": units - docs,
        # with one worker (or one unit) batch works in its main process: that process is the worker
        "largest_worker_mb": round(max(peaks.values()) / 1024, 1) if peaks else (round(main_kb / 1024, 1) if main_kb else None),
        "main_process_mb": round(main_kb / 1024, 1) if main_kb else None,
    }  # fmt: skip


def _pdf(docs: list[Path], work: Path) -> dict | None:
    """``batch --pdf``'s PDF step on one worker: 目录 page numbers included (one start per pass)."""
    from .pdf import print_batch, soffice

    if soffice() is None or not docs:
        return None
    work.mkdir(parents=True, exist_ok=True)
    copies = []
    for d in docs:  # print_batch writes the page numbers into the .docx: work on copies
        copies.append(work / d.name)
        copies[-1].write_bytes(d.read_bytes())
    stats: dict = {}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    got = print_batch(copies, 1, stats)
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    ok = sum(v is None for v in got.values())
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "documents": len(docs), "converted": ok, "libreoffice_starts": stats.get("starts"), "seconds": round(elapsed, 2),
        "conversions_per_document": round(stats.get("conversions", 0) / len(docs), 2),
        "seconds_per_document_1_worker": round(elapsed / len(docs), 2), "cpu_seconds_per_document": round(cpu / len(docs), 2),
    }  # fmt: skip


def _batch_pdf(books: list[Path], plain: dict, work: Path, count: int) -> dict | None:
    """``juesuan batch --pdf -j 2`` over the first ``count`` units, beside the same batch without --pdf."""
    from .pdf import soffice

    if soffice() is None:
        return None
    count = min(count, len(books))
    if count == len(books):
        folder, without = books[0].parent, plain
    else:
        folder = work / f"pdf-books-{count}"
        folder.mkdir()
        for b in books[:count]:
            (folder / b.name).symlink_to(b)
        without = _batch(folder, work / f"plain{count}", 2, count)
    got = _batch(folder, work / f"batchpdf{count}", 2, count, pdf=True)
    extra = got["seconds"] - without["seconds"]
    return {
        **got, "seconds_without_pdf": without["seconds"],
        "pdf_seconds_per_document_per_worker": round(extra * 2 / count, 2) if count else None,
    }  # fmt: skip


# ---- the bench ---------------------------------------------------------------------------------------


COMPARE_UNITS = 20  # the in-process comparison (ours / naive / floor) runs on the first 20 units
ONE_WORKER_UNITS = 200  # above this, the batch is timed with 2 workers only (1 worker would double the bench)


def run_bench(
    units: int = 20, profile_name: str = "上海2024", keep: Path | None = None, *, repeats: int = 5, pdf: bool = True, pdf_docs: int = 10, pdf_units: int = 0
) -> dict:
    """``pdf_units`` > 0: also ``juesuan batch --pdf -j 2`` over that many of the units (the real
    command line), beside the same batch without --pdf."""
    import zipfile

    from .pipeline import build_book
    from .profiles import load_profile
    from .render import context, render_docx

    profile = load_profile(profile_name)
    started, load_start = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), _load()
    t0 = time.perf_counter()
    books, cached = synthetic_books(units)
    synth_seconds = time.perf_counter() - t0
    work = Path(tempfile.mkdtemp(prefix="juesuan-bench-"))
    try:
        outdir = work / "out"
        outdir.mkdir()
        build_book(books[0], outdir / "warmup.docx", profile_name=profile_name)  # compile the template once
        ours, render_ours, naive, naive_render, floor = [], [], [], [], []
        for book in books[:COMPARE_UNITS]:
            out = outdir / f"{book.stem}.docx"
            t0 = time.perf_counter()
            result = build_book(book, out, profile_name=profile_name)
            ours.append(time.perf_counter() - t0)
            ctx = context(result.model, result.figures, result.narrative, profile)
            t0 = time.perf_counter()
            render_docx(profile, ctx)
            render_ours.append(time.perf_counter() - t0)
            total, render = _naive(book, profile, work / "naive.docx")
            naive.append(total)
            naive_render.append(render)
            with zipfile.ZipFile(out) as zf:
                entries = [(i.filename, zf.read(i.filename)) for i in zf.infolist()]
            floor.append(_floor(book, entries, work / "floor.docx"))
        m_ours, m_naive, m_floor = _median(ours), _median(naive), _median(floor)

        sample = books[0]
        build_args = ["build", str(sample), "-o", str(work / "process.docx"), "--profile", profile_name]
        cold_env = {**os.environ, "JUESUAN_CACHE_DIR": str(work / "cold-cache")}  # a first run: the template is compiled
        cold = []
        for _ in range(max(1, repeats // 2)):
            shutil.rmtree(work / "cold-cache", ignore_errors=True)
            cold.append(_process_seconds(build_args, 1, cold_env))
        _process_seconds(build_args, 1)  # the user's template cache holds this template from here on
        build_process = _process_seconds(build_args, repeats)
        check_process = _process_seconds(["check", str(sample), "--profile", profile_name], repeats)
        help_process = _process_seconds(["--help"], repeats)

        books_dir = books[0].parent
        batch = {str(w): _batch(books_dir, work / f"batch{w}", w, len(books)) for w in ((1, 2) if len(books) <= ONE_WORKER_UNITS else (2,))}
        pdf_result = _pdf(sorted((work / "batch2").glob("*.docx"))[:pdf_docs], work / "pdf") if pdf else None
        batch_pdf = _batch_pdf(books, batch["2"], work, pdf_units) if pdf and pdf_units > 0 else None
        result = {
            "date": time.strftime("%Y-%m-%d", time.gmtime()),
            "started": started,
            "finished": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "load_average": {"start": load_start, "end": _load()},
            "bytecode": _bytecode_note(),
            "compared_units": min(units, COMPARE_UNITS),
            "engine": __version__,
            "units": units,
            "profile": profile_name,
            "cpus": os.cpu_count(),
            "synthetic_workbooks": {"cached": cached, "seconds": round(synth_seconds, 2)},
            "median_build_seconds": _r(m_ours),
            "median_render_seconds": _r(_median(render_ours)),
            "median_naive_pipeline_seconds": _r(m_naive),
            "median_naive_docxtpl_seconds": _r(_median(naive_render)),
            "median_floor_seconds": _r(m_floor),
            "speedup_vs_naive_pipeline": _ratio(m_naive, m_ours),
            "speedup_render_vs_naive": _ratio(_median(naive_render), _median(render_ours)),
            "ratio_to_floor": _ratio(m_ours, m_floor),
            # whole processes, median of ``repeats`` runs, the template taken from the user's cache (as from the second run on)
            "process_seconds": {
                "build": _r(build_process["wall"], 3),
                "check": _r(check_process["wall"], 3),
                "help": _r(help_process["wall"], 3),
                "repeats": repeats,
            },
            "process_cpu_seconds": {"build": _r(build_process["cpu"], 3), "check": _r(check_process["cpu"], 3), "help": _r(help_process["cpu"], 3)},
            "process_seconds_min": {
                "build": _r(build_process["wall_min"], 3),
                "check": _r(check_process["wall_min"], 3),
                "help": _r(help_process["wall_min"], 3),
            },
            "process_cpu_seconds_min": {
                "build": _r(build_process["cpu_min"], 3),
                "check": _r(check_process["cpu_min"], 3),
                "help": _r(help_process["cpu_min"], 3),
            },
            "process_first_build_seconds": {  # a template this user has never built with: compiled, then cached
                "wall": _r(min(c["wall"] for c in cold), 3),
                "cpu": _r(min(c["cpu"] for c in cold), 3),
                "runs": len(cold),
            },
            "batch": batch,
            "projected_1000_units_seconds_2_workers": round(1000 / batch["2"]["units_per_second"], 1) if batch["2"]["units_per_second"] else None,
            "pdf": pdf_result,
            "batch_pdf": batch_pdf,
            "peak_memory": {
                "main_process_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "largest_worker_mb": batch["2"]["largest_worker_mb"],
            },
        }
        if keep:
            shutil.copytree(work, keep, dirs_exist_ok=True)
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def print_result(r: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    ms = lambda s: f"{s * 1000:.1f} ms" if s is not None else "—"  # noqa: E731
    table = Table(title=f"juesuan bench（{r['units']} 个模拟单位，格式 {r['profile']}，{r['date']}，{r['cpus']} 核）")
    table.add_column("指标")
    table.add_column("结果", justify="right")
    p, c, b, pm = r["process_seconds"], r["process_cpu_seconds"], r["batch"], r["process_seconds_min"]
    rows = [
        ("单份文档完整生成（读表→检查→计算→成文→Word 文件），中位数", ms(r["median_build_seconds"])),
        ("简单做法（openpyxl 读表 + 同样的计算 + docxtpl 渲染保存），中位数", ms(r["median_naive_pipeline_seconds"])),
        ("完整生成比简单做法快", f"{r['speedup_vs_naive_pipeline']}×"),
        ("下限（calamine 读表 + 写出同一个 .docx 压缩包），中位数", ms(r["median_floor_seconds"])),
        ("完整生成 / 下限", f"{r['ratio_to_floor']}×"),
        ("其中 Word 渲染 / docxtpl 渲染保存，中位数", f"{ms(r['median_render_seconds'])} / {ms(r['median_naive_docxtpl_seconds'])}"),
        ("命令 juesuan build / check / --help（整个进程，中位数）", f"{p['build']} 秒 / {p['check']} 秒 / {p['help']} 秒"),
        ("同上，CPU 时间", f"{c['build']} 秒 / {c['check']} 秒 / {c['help']} 秒"),
        *([("批量 juesuan batch：1 个进程", f"{b['1']['units_per_second']} 份/秒（{b['1']['seconds']} 秒）")] if "1" in b else []),
        ("批量 juesuan batch：2 个进程", f"{b['2']['units_per_second']} 份/秒（{b['2']['seconds']} 秒）"),
        ("推算 1000 个单位（2 个进程）", f"{r['projected_1000_units_seconds_2_workers']} 秒"),
        (
            "首次用某个模板的 juesuan build（模板编译后存入缓存）",
            f"{r['process_first_build_seconds']['wall']} 秒（CPU {r['process_first_build_seconds']['cpu']} 秒）",
        ),
        ("juesuan build / check / --help 最小值（墙钟）", f"{pm['build']} 秒 / {pm['check']} 秒 / {pm['help']} 秒"),
        ("内存峰值：最大工作进程 / 批量主进程", f"{b['2']['largest_worker_mb']} MB / {b['2']['main_process_mb']} MB"),
    ]
    if r.get("pdf"):
        pdf = r["pdf"]
        rows.append(
            (
                "PDF（batch --pdf，1 个 LibreOffice，含目录页码，每份）",
                f"{pdf['seconds_per_document_1_worker']} 秒（CPU {pdf['cpu_seconds_per_document']} 秒，"
                f"{pdf['documents']} 份，每份排版 {pdf['conversions_per_document']} 次，启动 {pdf['libreoffice_starts']} 次）",
            )
        )
    else:
        rows.append(("PDF", "未测（未安装 LibreOffice）"))
    if r.get("batch_pdf"):
        bp = r["batch_pdf"]
        rows.append(
            (
                f"批量 juesuan batch --pdf：{bp['units']} 个单位，2 个进程",
                f"{bp['seconds']} 秒（不带 --pdf {bp['seconds_without_pdf']} 秒；PDF {bp['pdfs']} 份，每进程每份 {bp['pdf_seconds_per_document_per_worker']} 秒）",
            )
        )
    rows.append(("测量时间与负载（1 分钟平均）", f"{r['started']} – {r['finished']}，负载 {r['load_average']['start']} → {r['load_average']['end']}"))
    for k, v in rows:
        table.add_row(k, v)
    Console().print(table)


__all__ = ["run_bench", "print_result", "synthetic_books"]
