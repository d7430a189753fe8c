"""The benchmark (`juesuan bench`): speed is shown by measuring, not by timed tests.

For N synthetic units it reports the median seconds per document of our build (whole
pipeline, workbook to .docx) and of the render step alone; the same render done the naive
docxtpl way (``DocxTemplate(path).render(ctx).save()``) on the same context and template;
their ratio; batch throughput with 1 and 2 workers; and peak memory.
"""

from __future__ import annotations

import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from .batch import run_batch
from .intake import read_workbook
from .pipeline import analyse, build_book
from .profiles import load_profile
from .render import context, jinja_env, render_docx, render_naive


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def _peak_mb() -> dict:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"main_process_mb": round(own, 1), "largest_worker_mb": round(children, 1)}


def run_bench(units: int = 20, profile_name: str = "上海2024", keep: Path | None = None) -> dict:
    from .synthetic import write_units

    profile = load_profile(profile_name)
    work = Path(tempfile.mkdtemp(prefix="juesuan-bench-"))
    try:
        books = write_units(work / "books", units, seed=2024)
        outdir = work / "out"
        outdir.mkdir()
        build_book(books[0], outdir / "warmup.docx", profile_name=profile_name)  # compile the template once
        ours, render_ours, naive = [], [], []
        env = jinja_env(profile)
        for book in books:
            t0 = time.perf_counter()
            build_book(book, outdir / f"{book.stem}.docx", profile_name=profile_name)
            ours.append(time.perf_counter() - t0)
            model = read_workbook(book)
            result = analyse(model, profile)
            ctx = context(model, result.figures, result.narrative, profile)
            t0 = time.perf_counter()
            render_docx(profile, ctx)
            render_ours.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            render_naive(profile.template, ctx, env)
            naive.append(time.perf_counter() - t0)
        throughput = {}
        for workers in (1, 2):
            target = work / f"batch{workers}"
            t0 = time.perf_counter()
            report = run_batch([work / "books"], target, profile=profile_name, jobs=workers, force=True)
            elapsed = time.perf_counter() - t0
            throughput[str(workers)] = {"units": len(report.results), "seconds": round(elapsed, 3), "units_per_second": round(len(report.results) / elapsed, 1), "failed": sum(not r.ok for r in report.results)}
        result = {
            "units": units,
            "profile": profile_name,
            "median_build_seconds": round(_median(ours), 4),
            "median_render_seconds": round(_median(render_ours), 4),
            "median_naive_docxtpl_seconds": round(_median(naive), 4),
            "speedup_render_vs_naive": round(_median(naive) / _median(render_ours), 1) if render_ours else None,
            "speedup_build_vs_naive_render": round(_median(naive) / _median(ours), 1) if ours else None,
            "batch": throughput,
            "projected_1000_units_seconds_2_workers": round(1000 / throughput["2"]["units_per_second"], 1),
            "peak_memory": _peak_mb(),
        }
        if keep:
            shutil.copytree(work, keep, dirs_exist_ok=True)
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def print_result(r: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"juesuan bench（{r['units']} 个模拟单位，格式 {r['profile']}）")
    table.add_column("指标")
    table.add_column("结果", justify="right")
    rows = [
        ("单份文档完整生成（读表→检查→计算→成文→Word），中位数", f"{r['median_build_seconds'] * 1000:.1f} ms"),
        ("其中 Word 渲染，中位数", f"{r['median_render_seconds'] * 1000:.1f} ms"),
        ("docxtpl 直接渲染（同一模板和数据），中位数", f"{r['median_naive_docxtpl_seconds'] * 1000:.1f} ms"),
        ("渲染提速倍数", f"{r['speedup_render_vs_naive']}×"),
        ("完整生成 vs docxtpl 仅渲染", f"{r['speedup_build_vs_naive_render']}×"),
        ("批量：1 个进程", f"{r['batch']['1']['units_per_second']} 份/秒"),
        ("批量：2 个进程", f"{r['batch']['2']['units_per_second']} 份/秒"),
        ("推算 1000 个单位（2 个进程）", f"{r['projected_1000_units_seconds_2_workers']} 秒"),
        ("内存峰值（主进程 / 最大工作进程）", f"{r['peak_memory']['main_process_mb']} MB / {r['peak_memory']['largest_worker_mb']} MB"),
    ]
    for k, v in rows:
        table.add_row(k, v)
    Console().print(table)


__all__ = ["run_bench", "print_result"]
