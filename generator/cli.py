"""The `juesuan` command line: commands only; the work is done by the pipeline modules."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from .errors import InputError

app = typer.Typer(add_completion=False, no_args_is_help=True, help="部门决算公开文档生成工具：检查工作簿、生成 Word 文档。")


def _fail(err: Exception, code: int = 2) -> None:
    typer.echo(f"错误：{err}", err=True)
    raise typer.Exit(code)


@app.command()
def init(
    out: Path = typer.Argument(..., help="要生成的空白工作簿（.xlsx）"),
    prior: Optional[Path] = typer.Option(None, "--prior", help="上年的工作簿：用其决算数填入“上年数”"),
    year: Optional[int] = typer.Option(None, "--year", help="决算年度（不填则为今年的上一年）"),
) -> None:
    """生成空白工作簿（含全部工作表、表头和填写说明）。"""
    from .init_book import write_blank
    from .intake import read_workbook

    try:
        last = read_workbook(prior) if prior else None
        write_blank(out, year=year, prior=last)
    except InputError as err:
        _fail(err)
    typer.echo(f"已生成空白工作簿：{out}")


@app.command()
def check(
    book: Path = typer.Argument(..., help="要检查的工作簿（.xlsx）"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出（供程序使用）"),
    profile: str = typer.Option("上海2024", "--profile", help="文档格式（决定需要哪些上年数和原因）"),
) -> None:
    """检查勾稽关系和缺少的内容。无错误时退出码为 0，有错误为 1，文件无法读取为 2。"""
    from .pipeline import check_book

    try:
        result = check_book(book, profile)
    except InputError as err:
        if as_json:
            typer.echo(json.dumps({"file": str(book), "fatal": str(err)}, ensure_ascii=False))
            raise typer.Exit(2)
        _fail(err)
    findings = result.findings
    if as_json:
        typer.echo(json.dumps({"file": str(book), "findings": [f.as_dict() for f in findings]}, ensure_ascii=False, indent=1))
    else:
        for f in findings:
            typer.echo(("错误：" if f.level == "error" else "警告：") + f.message)
        errors = sum(f.level == "error" for f in findings)
        warnings = len(findings) - errors
        typer.echo(f"{book.name}：{errors} 个错误，{warnings} 个警告。" + ("" if errors else "可以生成文档。"))
    raise typer.Exit(1 if result.has_errors else 0)


@app.command()
def build(
    book: Path = typer.Argument(..., help="单位的工作簿（.xlsx）"),
    out: Optional[Path] = typer.Option(None, "-o", "--out", help="输出的 Word 文件（默认与工作簿同名 .docx）"),
    profile: str = typer.Option("上海2024", "--profile", help="文档格式：上海2024（默认）、湖南2020、2018"),
    template: Optional[Path] = typer.Option(None, "--template", help="改用自己的 Word 模板（.docx），格式设置仍取自 --profile"),
    final: bool = typer.Option(False, "--final", help="定稿：有任何【待补充】内容时拒绝生成，并列出缺少的内容"),
    trace: bool = typer.Option(False, "--trace", help="同时输出 .trace.json：每句话引用的数字及其来源单元格或公式"),
    pdf: bool = typer.Option(False, "--pdf", help="同时用 LibreOffice 转出 PDF（需已安装 LibreOffice）"),
) -> None:
    """先检查，再生成决算公开 Word 文档。"""
    from .pipeline import BuildRefused, build_book

    try:
        result = build_book(book, out, profile_name=profile, template=template, final=final, trace=trace)
    except InputError as err:
        _fail(err)
    except BuildRefused as refused:
        for f in refused.result.findings:
            if f.level == "error" or (final and f.rule == "待补充"):
                typer.echo(("错误：" if f.level == "error" else "缺少：") + f.message, err=True)
        _fail(refused, 1)
    warnings = [f for f in result.findings if f.level == "warning"]
    pending = [f for f in warnings if f.rule == "待补充"]
    for f in pending:
        typer.echo("待补充：" + f.message.split("；")[0])
    typer.echo(f"已生成：{result.output}（{len(warnings) - len(pending)} 个警告，{len(pending)} 处待补充）")
    if pdf:
        from .pdf import PdfUnavailable, to_pdf

        try:
            typer.echo(f"已生成：{to_pdf(result.output)}")
        except PdfUnavailable as err:
            typer.echo(f"提示：{err}", err=True)


class _Progress:
    """rich progress bar for batch (one tick per finished unit)."""

    def __init__(self):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(TextColumn("生成中"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("{task.description}"))
        self.task = None

    def start(self, total: int) -> None:
        self.bar.start()
        self.task = self.bar.add_task("", total=total)

    def advance(self, result) -> None:
        self.bar.update(self.task, advance=1, description=result.unit or Path(result.source).name)

    def stop(self) -> None:
        if self.task is not None:
            self.bar.stop()


@app.command()
def batch(
    inputs: List[Path] = typer.Argument(..., help="工作簿，或存放工作簿的文件夹（可多个）"),
    out: Path = typer.Option(..., "-o", "--out", help="输出文件夹（Word 文档、汇总报告.xlsx）"),
    profile: str = typer.Option("上海2024", "--profile", help="文档格式：上海2024（默认）、湖南2020、2018"),
    template: Optional[Path] = typer.Option(None, "--template", help="改用自己的 Word 模板"),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", help="同时处理的单位数（默认每个 CPU 核一个）"),
    final: bool = typer.Option(False, "--final", help="定稿：有【待补充】内容的单位不生成"),
    force: bool = typer.Option(False, "--force", help="全部重新生成（不跳过未变化的单位）"),
) -> None:
    """批量生成所有单位的文档；一个单位失败不影响其他单位，结束时给出汇总表和 汇总报告.xlsx。"""
    from rich.console import Console
    from rich.table import Table

    from .batch import REPORT, run_batch

    progress = _Progress()
    try:
        report = run_batch(list(inputs), out, profile=profile, template=template, jobs=jobs, final=final, force=force, progress=progress)
    except InputError as err:
        progress.stop()
        _fail(err)
    progress.stop()
    table = Table(title="批量生成结果")
    for col in ("单位", "状态", "警告", "错误", "输出文件"):
        table.add_column(col)
    for r in report.results:
        style = None if r.ok else "red"
        table.add_row(r.unit or Path(r.source).name, r.status, str(r.warnings), str(r.errors), Path(r.output).name if r.output else r.message, style=style)
    console = Console()
    console.print(table)
    if report.department:
        errors = [f for f in report.department if f["level"] == "error"]
        console.print(f"部门与所属单位之和的核对：{len(errors)} 处不一致（超出尾数误差），{len(report.department) - len(errors)} 处尾数误差。")
        for f in report.department[:20]:
            console.print(("错误：" if f["level"] == "error" else "警告：") + f["message"], markup=False)
        if len(report.department) > 20:
            console.print(f"……其余 {len(report.department) - 20} 条见汇总报告.xlsx 的“问题清单”。")
    failed = sum(not r.ok for r in report.results)
    console.print(f"共 {len(report.results)} 个单位：{len(report.results) - failed - report.skipped} 个已生成，{report.skipped} 个未变化已跳过，{failed} 个失败。详见 {out / REPORT}", markup=False)
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def diff(
    old: Path = typer.Argument(..., help="修改前的工作簿"),
    new: Path = typer.Argument(..., help="修改后的工作簿"),
    profile: str = typer.Option("上海2024", "--profile", help="文档格式"),
    out: Optional[Path] = typer.Option(None, "-o", "--out", help="同时输出 Word 对照文档（删除的文字划线、新增的文字高亮）"),
) -> None:
    """列出修改的单元格，以及文档中因此变化的句子和表格单元格。"""
    from .diff import diff_books, marked, report_docx
    from .files import write_atomic

    try:
        report = diff_books(old, new, profile)
    except InputError as err:
        _fail(err)
    typer.echo(f"修改的单元格（{len(report.cells)} 处）：")
    for ch in report.cells:
        typer.echo(f"  {ch.where}：{ch.old} → {ch.new}")
    typer.echo(f"随之变化的文字（{len(report.sentences)} 句）：")
    for ch in report.sentences:
        typer.echo(f"  {ch.where}：{marked(ch.old, ch.new)}")
    typer.echo(f"随之变化的表格单元格（{len(report.table_cells)} 个）：")
    for ch in report.table_cells:
        typer.echo(f"  {ch.where}：{ch.old or '（空）'} → {ch.new or '（空）'}")
    if out:
        write_atomic(out, report_docx(report, old, new))
        typer.echo(f"已生成对照文档：{out}")


@app.command()
def bench(
    units: int = typer.Option(20, "--units", "-n", help="生成多少个模拟单位"),
    profile: str = typer.Option("上海2024", "--profile", help="文档格式"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出结果"),
) -> None:
    """性能测试：模拟单位的单份生成耗时、与 docxtpl 直接渲染的对比、1/2 个进程的批量吞吐量和内存峰值。"""
    from .bench import print_result, run_bench

    result = run_bench(units, profile)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print_result(result)


# ---- web page (issue 14): self-contained; the web package is imported only when used ----

admin_app = typer.Typer(add_completion=False, no_args_is_help=True, help="网页的账户管理。")
app.add_typer(admin_app, name="admin")


def _web():
    try:
        import generator.web as web
        import fastapi  # noqa: F401
    except ImportError:
        typer.echo("错误：网页功能需要另外安装：pip install -e '.[web]'", err=True)
        raise typer.Exit(2)
    return web


@app.command()
def serve(
    data: Optional[Path] = typer.Option(None, "--data", help="数据文件夹（数据库和上传的文件；默认 ~/.juesuan）"),
    db: Optional[str] = typer.Option(None, "--db", help="数据库地址，例如 postgresql://用户@主机/库（默认数据文件夹中的 SQLite）"),
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址（不是 127.0.0.1 时自动为多用户模式）"),
    port: int = typer.Option(8000, "--port", help="端口"),
    multi_user: bool = typer.Option(False, "--multi-user", help="多用户模式：需要登录，按财政局、部门、单位分权限"),
    cert: Optional[Path] = typer.Option(None, "--cert", help="HTTPS 证书文件（.pem）；指定后登录状态只经 HTTPS 传送"),
    key: Optional[Path] = typer.Option(None, "--key", help="HTTPS 证书的私钥文件（.pem）"),
) -> None:
    """启动网页：在浏览器中下载工作簿、上传检查、生成文档、比较版本、部门批量生成。"""
    web = _web()
    if bool(cert) != bool(key):
        _fail(ValueError("--cert 和 --key 需要同时指定。"))
    try:
        web.serve(data or web.default_data(), db, host, port, multi_user, cert=cert, key=key)
    except web.DatabaseUnavailable as err:
        _fail(err)


@admin_app.command("create")
def admin_create(
    name: str = typer.Argument(..., help="账户名"),
    password: str = typer.Option(..., "--password", prompt="密码", hide_input=True, confirmation_prompt="再输入一次", help="密码（不填时提示输入）"),
    role: str = typer.Option("admin", "--role", help="角色：admin（财政局管理员）、department（部门）、unit（单位）"),
    department: str = typer.Option("", "--department", help="部门名称（部门、单位账户）"),
    unit: str = typer.Option("", "--unit", help="单位名称（单位账户）"),
    data: Optional[Path] = typer.Option(None, "--data", help="数据文件夹（与 serve 相同）"),
    db: Optional[str] = typer.Option(None, "--db", help="数据库地址（与 serve 相同）"),
) -> None:
    """建立账户（第一个财政局管理员用它建立，其余账户也可在网页“账户”页建立）。"""
    web = _web()
    try:
        typer.echo(web.create_admin(data or web.default_data(), db, name, password, role, department, unit))
    except (ValueError, web.DatabaseUnavailable) as err:
        _fail(err)


def main(argv: List[str] | None = None) -> None:
    try:
        app(args=argv, prog_name="juesuan")
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
