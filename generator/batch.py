"""Batch (§1 job 2): every unit of a department in one run, in parallel, skipping what has
not changed since the last run, with a summary the officer can work through in Excel.

A unit that fails never stops the others. The manifest in OUTDIR records, per unit, the
hash of its workbook, of the template and profile, and the engine version; a re-run
rebuilds only units whose hashes changed.
"""

from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import __version__
from .errors import InputError

MANIFEST = ".juesuan-manifest.json"
REPORT = "汇总报告.xlsx"


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


def collect(inputs: list[Path], outdir: Path) -> list[Path]:
    """Workbooks named on the command line, and the .xlsx files of named folders."""
    books: list[Path] = []
    for item in inputs:
        if item.is_dir():
            books += sorted(p for p in item.glob("*.xlsx") if not p.name.startswith(("~$", ".")) and outdir.resolve() not in p.resolve().parents and p.name != REPORT)
        else:
            books.append(item)
    seen, unique = set(), []
    for b in books:
        key = b.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(b)
    return unique


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def template_digest(profile_name: str, template: Path | None) -> str:
    from .profiles import load_profile

    profile = load_profile(profile_name, template)
    h = hashlib.sha256()
    for p in (profile.template, profile.folder / "profile.toml"):
        h.update(p.read_bytes())
    return h.hexdigest()


def output_for(book: Path, outdir: Path) -> Path:
    return outdir / (book.stem + ".docx")


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
        result.status, result.errors, result.message = "无法读取", 1, f"处理时出错：{exc.__class__.__name__}: {exc}"
        return result
    result.unit, result.entity = built.model.unit.name, built.model.unit.entity
    result.findings = [f.as_dict() for f in built.findings]
    result.warnings = len(built.findings)
    result.status, result.output = "已生成", str(built.output)
    return result


@dataclass
class BatchReport:
    results: list[UnitResult]
    skipped: int
    department: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results) and not any(f["level"] == "error" for f in self.department)


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
    pdf: bool = False,
) -> BatchReport:
    outdir.mkdir(parents=True, exist_ok=True)
    books = collect(inputs, outdir)
    manifest_path = outdir / MANIFEST
    manifest = json.loads(manifest_path.read_text("utf-8")) if manifest_path.exists() and not force else {}
    tdigest = template_digest(profile, template)
    results: dict[str, UnitResult] = {}
    todo = []
    for book in books:
        key = str(book.resolve())
        entry = manifest.get(key)
        hashes = {"workbook": digest(book), "template": tdigest, "engine": __version__, "profile": profile, "final": final}
        out = output_for(book, outdir)
        if entry and entry.get("hashes") == hashes and entry.get("status") == "已生成" and out.exists():
            results[key] = UnitResult(**{**entry["result"], "status": "未变化（跳过）"})
        else:
            todo.append((book, key, hashes, out))
    skipped = len(books) - len(todo)
    workers = max(1, jobs or os.cpu_count() or 1)
    if progress:
        progress.start(len(todo))
    if todo:
        if workers == 1 or len(todo) == 1:
            for book, key, hashes, out in todo:
                results[key] = build_unit(str(book), str(out), profile, str(template) if template else None, final)
                if progress:
                    progress.advance(results[key])
        else:
            with ProcessPoolExecutor(max_workers=min(workers, len(todo))) as pool:
                futures = {pool.submit(build_unit, str(b), str(o), profile, str(template) if template else None, final): k for b, k, h, o in todo}
                for fut in as_completed(futures):
                    results[futures[fut]] = fut.result()
                    if progress:
                        progress.advance(results[futures[fut]])
    if pdf:
        pdf_units([results[str(b.resolve())] for b in books], workers)
    for book, key, hashes, out in todo:
        r = results[key]
        manifest[key] = {"hashes": hashes, "status": r.status, "result": asdict(r)}
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True), "utf-8")
    ordered = [results[str(b.resolve())] for b in books]
    departments = [b for b, r in zip(books, ordered) if r.entity == "部门"]
    report = BatchReport(ordered, skipped, department_findings(books) if len(departments) == 1 and len(books) > 1 else [])
    write_report(outdir / REPORT, report)
    return report


def pdf_units(results: list[UnitResult], workers: int) -> None:
    """PDF beside each built document (missing or older than its .docx); a failed conversion fails its unit."""
    from .pdf import PdfUnavailable, convert_batch

    todo = [Path(r.output) for r in results if r.ok and r.output and (not Path(r.output).with_suffix(".pdf").exists()
            or Path(r.output).with_suffix(".pdf").stat().st_mtime_ns < Path(r.output).stat().st_mtime_ns)]  # fmt: skip
    try:
        failed = convert_batch(todo, workers)
    except PdfUnavailable as err:
        failed = {d: str(err) for d in todo}
    for r in results:
        reason = failed.get(Path(r.output)) if r.output else None
        if reason:
            r.status, r.errors, r.message = "PDF 转换失败", r.errors + 1, reason


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


def write_report(path: Path, report: BatchReport) -> None:
    """汇总报告.xlsx: one row per unit, then every finding, to work through in Excel."""
    import openpyxl
    from openpyxl.styles import Font, PatternFill

    from .files import write_atomic

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "汇总"
    ws.append(["工作簿", "单位", "状态", "警告", "错误", "输出文件", "说明"])
    for r in report.results:
        ws.append([Path(r.source).name, r.unit, r.status, r.warnings, r.errors, Path(r.output).name if r.output else "", r.message])
        if not r.ok:
            for cell in ws[ws.max_row]:
                cell.fill = PatternFill("solid", fgColor="F8CBAD")
    detail = wb.create_sheet("问题清单")
    detail.append(["工作簿", "单位", "级别", "类别", "说明", "单元格"])
    for r in report.results:
        for f in r.findings:
            detail.append([Path(r.source).name, r.unit, "错误" if f["level"] == "error" else "警告", f["rule"], f["message"], "；".join(f["cells"])])
        if r.status == "无法读取":
            detail.append([Path(r.source).name, r.unit, "错误", "无法读取", r.message, ""])
    for f in report.department:
        detail.append(["（部门汇总）", f["unit"], "错误" if f["level"] == "error" else "警告", f["rule"], f["message"], "；".join(f["cells"])])
    for sheet in (ws, detail):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for col, width in zip("ABCDEFG", (34, 28, 14, 8, 8, 34, 80)):
            sheet.column_dimensions[col].width = width
    import io

    buffer = io.BytesIO()
    wb.save(buffer)
    write_atomic(path, buffer.getvalue())
