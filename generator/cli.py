"""The `juesuan` command line: commands only; the work is done by the pipeline modules."""

from __future__ import annotations

import gc
import json
import os
import sys
from pathlib import Path

# no pydantic plugins are used: skip their discovery (it scans every installed package's metadata)
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from .errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL, InputError, os_reason, write_crash_log

_CLI_EXITS = (typer.Exit, typer.Abort, TyperException)  # usage errors print themselves (exit 2)


class _Boundary(TyperGroup):
    """The one error boundary of every command: exceptions become one line and an exit code.

    InputError/OutputError → 2 (the message names file, sheet, cell); an OSError that escaped
    → 2 with its reason; anything else is a bug → 3, one line naming a log file that holds the
    traceback. Nothing else in the CLI catches exceptions.
    """

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except _CLI_EXITS:
            raise
        except InputError as err:
            typer.echo(f"错误：{err}", err=True)
            raise typer.Exit(EXIT_INPUT) from None
        except OSError as err:
            where = f"“{err.filename}”" if err.filename else "文件"
            typer.echo(f"错误：无法读写{where}：{os_reason(err)}。", err=True)
            raise typer.Exit(EXIT_INPUT) from None
        except Exception as exc:  # a bug: one line for the user, the traceback for the maintainer
            log = write_crash_log(exc, sys.argv)
            typer.echo(f"内部错误：程序出现了意外问题（{exc.__class__.__name__}），结果未生成或不完整。请把日志文件 {log} 发给维护人员。", err=True)
            raise typer.Exit(EXIT_INTERNAL) from None


app = typer.Typer(cls=_Boundary, add_completion=False, no_args_is_help=True, help="部门决算公开文档生成工具：检查工作簿、生成 Word 文档。")


def _long_running() -> None:
    """A command that runs for minutes or serves: the cyclic garbage collector back on."""
    gc.enable()


def _fail(message: str, code: int) -> None:
    typer.echo(f"错误：{message}", err=True)
    raise typer.Exit(code)


@app.command()
def init(
    out: Path = typer.Argument(..., help="要生成的空白工作簿（.xlsx）"),
    prior: Path | None = typer.Option(None, "--prior", help="上年的工作簿：用其决算数填入“上年数”"),
    year: int | None = typer.Option(None, "--year", help="决算年度（不填则为今年的上一年）"),
    force: bool = typer.Option(False, "--force", help="输出文件已存在时覆盖它（默认拒绝，以免覆盖已填好的工作簿）"),
) -> None:
    """生成空白工作簿（含全部工作表、表头和填写说明）。"""
    from .errors import OutputError
    from .files import refuse_inputs
    from .init_book import write_blank
    from .intake import read_workbook

    refuse_inputs(out, prior)
    if (out.exists() or out.is_symlink()) and not (force and out.is_file()):
        what = "是一个文件夹" if out.is_dir() else "已存在"
        raise OutputError(
            f"输出文件{what}，未做任何改动。为免覆盖已填好的工作簿，请换一个文件名" + ("。" if out.is_dir() else "，或加 --force 覆盖。"), file=str(out)
        )
    last = read_workbook(prior) if prior else None
    write_blank(out, year=year, prior=last)
    typer.echo(f"已生成空白工作簿：{out}")


@app.command()
def check(
    book: Path = typer.Argument(..., help="要检查的工作簿（.xlsx）"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出（供程序使用）"),
    profile: str | None = typer.Option(None, "--profile", help="文档格式（决定需要哪些上年数和原因；默认 上海2024）"),
) -> None:
    """检查勾稽关系和缺少的内容。无错误时退出码为 0，有错误为 1，文件无法读取为 2。"""
    from .pipeline import check_book
    from .report import json_report, text_report

    try:
        result = check_book(book, profile)
    except InputError as err:
        if not as_json:
            raise
        typer.echo(json_report(book, [], fatal=str(err)))  # machines read JSON, even for this
        raise typer.Exit(EXIT_INPUT) from None
    if as_json:
        typer.echo(json_report(book, result.findings))
    else:
        for line in text_report(book.name, result.findings):
            typer.echo(line)
    raise typer.Exit(1 if result.has_errors else 0)


@app.command()
def build(
    book: Path = typer.Argument(..., help="单位的工作簿（.xlsx）"),
    out: Path | None = typer.Option(None, "-o", "--out", help="输出的 Word 文件（默认与工作簿同名 .docx）"),
    profile: str | None = typer.Option(None, "--profile", help="文档格式：上海2024（默认）、湖南2020、2018"),
    template: Path | None = typer.Option(None, "--template", help="改用自己的 Word 模板（.docx），格式设置仍取自 --profile"),
    final: bool = typer.Option(False, "--final", help="定稿：有任何【待补充】内容时拒绝生成，并列出缺少的内容"),
    trace: bool = typer.Option(False, "--trace", help="同时输出 .trace.json：每句话引用的数字及其来源单元格或公式"),
    pdf: bool = typer.Option(False, "--pdf", help="同时用 LibreOffice 转出 PDF（需已安装 LibreOffice）"),
) -> None:
    """先检查，再生成决算公开 Word 文档。"""
    from .checks.content import FINAL_RULES
    from .pipeline import BuildRefused, build_book

    try:
        result = build_book(book, out, profile_name=profile, template=template, final=final, trace=trace)
    except BuildRefused as refused:  # a result (findings), not an error: exit 1
        for f in refused.result.findings:
            if f.level == "error" or (final and (f.rule == "待补充" or f.rule in FINAL_RULES)):
                typer.echo(("错误：" if f.level == "error" else "缺少：") + f.message, err=True)
        _fail(str(refused), EXIT_FINDINGS)
    warnings = [f for f in result.findings if f.level == "warning"]
    pending = [f for f in warnings if f.rule == "待补充"]
    for f in pending:
        typer.echo("待补充：" + f.message.split("；")[0])
    typer.echo(f"已生成：{result.output}（{len(warnings) - len(pending)} 个警告，{len(pending)} 处待补充）")
    if pdf:
        from .pdf import PdfUnavailable, print_pdf  # 目录 page numbers into the .docx, then the PDF

        try:
            produced, font_notes = print_pdf(result.output)
            typer.echo(f"已生成：{produced}")
            for note in font_notes:
                typer.echo(note, err=True)
        except PdfUnavailable as err:
            typer.echo(f"提示：{err}", err=True)


PDF_SECONDS = 1.0  # per document per LibreOffice worker on a 2-core machine (README's speed table)
LARGE_BATCH = 20  # above this many units, batch prints the failures and the counts, not a row per unit
MAX_FAILURE_ROWS = 100  # at most this many failures on screen (all of them are in 汇总报告.xlsx)


class _Progress:
    """rich progress bar for batch (one tick per finished unit), and the PDF step's lines."""

    def __init__(self):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(TextColumn("生成中"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("{task.description}"))
        self.task = None

    def start(self, total: int) -> None:
        self.bar.start()
        self.task = self.bar.add_task("", total=total)

    def advance(self, result) -> None:
        from rich.markup import escape

        self.bar.update(self.task, advance=1, description=escape(result.unit or Path(result.source).name))

    def stop(self) -> None:
        if self.task is not None:
            self.bar.stop()
            self.task = None

    def pdf_start(self, documents: int, workers: int) -> None:
        """LibreOffice converts a worker's share in one go: say what is happening and for how long."""
        self.stop()
        minutes = documents / max(1, workers) * PDF_SECONDS / 60
        about = f"约 {minutes:.0f} 分钟" if minutes >= 1 else "不到 1 分钟"
        typer.echo(f"正在转换 PDF：{documents} 份，{workers} 个 LibreOffice 同时转换，{about}（每份约 {PDF_SECONDS:g} 秒）……", err=True)

    def pdf_done(self, written: int, failed: int, seconds: float) -> None:
        typer.echo(f"PDF 转换完成：{written} 份已生成，{failed} 份失败，用时 {seconds:.0f} 秒。", err=True)


@app.command()
def batch(
    inputs: list[Path] = typer.Argument(..., help="工作簿，或存放工作簿的文件夹（可多个）"),
    out: Path = typer.Option(..., "-o", "--out", help="输出文件夹（Word 文档、汇总报告.xlsx）"),
    profile: str = typer.Option("上海2024", "--profile", help="文档格式：上海2024（默认）、湖南2020、2018"),
    template: Path | None = typer.Option(None, "--template", help="改用自己的 Word 模板"),
    jobs: int | None = typer.Option(None, "--jobs", "-j", help="同时处理的单位数（默认每个 CPU 核一个）"),
    final: bool = typer.Option(False, "--final", help="定稿：有【待补充】内容的单位不生成"),
    force: bool = typer.Option(False, "--force", help="全部重新生成（不跳过未变化的单位）"),
    wait: float = typer.Option(0, "--wait", help="输出文件夹正被另一个批量任务使用时，最多等待多少秒（默认不等待，直接提示）"),
    pdf: bool = typer.Option(False, "--pdf", help="同时用 LibreOffice 转出每个单位的 PDF（每个进程一个 LibreOffice，转换失败的单位记为失败）"),
) -> None:
    """批量生成所有单位的文档；一个单位失败不影响其他单位，结束时给出汇总表和 汇总报告.xlsx。"""
    _long_running()
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from .batch import REPORT, run_batch
    from .files import clean_text

    progress = _Progress()
    try:
        report = run_batch(list(inputs), out, profile=profile, template=template, jobs=jobs, final=final, force=force, progress=progress, wait=wait, pdf=pdf)
    finally:
        progress.stop()
    for line in report.notes:
        typer.echo(f"提示：{line}", err=True)
    large = len(report.results) > LARGE_BATCH  # many units: the failures only; every unit is in 汇总报告.xlsx
    shown = [r for r in report.results if not r.ok] if large else report.results
    table = Table(title=f"失败的单位（{len(shown)} 个；全部单位的结果见 {REPORT}）" if large else "批量生成结果")
    for col in ("单位", "状态", "警告", "错误", "输出文件"):
        table.add_column(col)
    for r in shown[:MAX_FAILURE_ROWS] if large else shown:
        style = None if r.ok else "red"
        cells = (r.unit or Path(r.source).name, r.status, str(r.warnings), str(r.errors), Path(r.output).name if r.output else r.message)
        table.add_row(*(escape(clean_text(c)) for c in cells), style=style)
    console = Console()
    if shown:
        console.print(table)
    if large and len(shown) > MAX_FAILURE_ROWS:
        console.print(f"……其余 {len(shown) - MAX_FAILURE_ROWS} 个失败的单位见 {out / REPORT}。", markup=False)
    if report.department:
        errors = [f for f in report.department if f["level"] == "error"]
        console.print(f"部门与所属单位之和的核对：{len(errors)} 处不一致（超出尾数误差），{len(report.department) - len(errors)} 处尾数误差。")
        for f in report.department[:20]:
            console.print(("错误：" if f["level"] == "error" else "警告：") + f["message"], markup=False)
        if len(report.department) > 20:
            console.print(f"……其余 {len(report.department) - 20} 条见汇总报告.xlsx 的“问题清单”。")
    failed = sum(not r.ok for r in report.results)
    console.print(
        f"共 {len(report.results)} 个单位：{len(report.results) - failed - report.skipped} 个已生成，{report.skipped} 个未变化已跳过，{failed} 个失败。详见 {out / REPORT}",
        markup=False,
    )
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def diff(
    old: Path = typer.Argument(..., help="修改前的工作簿"),
    new: Path = typer.Argument(..., help="修改后的工作簿"),
    profile: str = typer.Option("上海2024", "--profile", help="文档格式"),
    out: Path | None = typer.Option(None, "-o", "--out", help="同时输出 Word 对照文档（删除的文字划线、新增的文字高亮）"),
) -> None:
    """列出修改的单元格，以及文档中因此变化的句子和表格单元格。"""
    from .diff import diff_books, marked, report_docx
    from .files import clean_text, refuse_inputs, verify_docx, write_atomic

    if out:
        refuse_inputs(out, old, new)
    report = diff_books(old, new, profile)
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
        from dataclasses import replace

        def cleaned(changes):
            return [replace(c, where=clean_text(c.where), old=clean_text(c.old), new=clean_text(c.new)) for c in changes]

        safe = replace(report, cells=cleaned(report.cells), sentences=cleaned(report.sentences), table_cells=cleaned(report.table_cells))
        data = report_docx(safe, Path(clean_text(str(old))), Path(clean_text(str(new))))  # defensive: intake already cleaned the cells
        verify_docx(data, out.name)
        write_atomic(out, data)
        typer.echo(f"已生成对照文档：{out}")


@app.command()
def bench(
    units: int = typer.Option(20, "--units", "-n", min=1, help="生成多少个模拟单位"),
    profile: str = typer.Option("上海2024", "--profile", help="文档格式"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出结果"),
    pdf_units: int = typer.Option(0, "--pdf-units", min=0, help="另用真实命令 batch --pdf -j 2 转换其中多少个单位的 PDF（0 为不测；需 LibreOffice）"),
) -> None:
    """性能测试：模拟单位的单份生成耗时、与 docxtpl 直接渲染的对比、1/2 个进程的批量吞吐量和内存峰值。"""
    _long_running()
    from .bench import print_result, run_bench

    result = run_bench(units, profile, pdf_units=pdf_units)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print_result(result)


@app.command()
def fields(
    book: Path | None = typer.Argument(None, help="可选：工作簿（.xlsx），同时列出每个名称在该工作簿中的值"),
    out: Path | None = typer.Option(None, "-o", "--out", help="写入文件：.xlsx 或 .md"),
    profile: str = typer.Option("上海2024", "--profile", help="文档格式（格式名或格式文件夹）"),
) -> None:
    """列出模板可以使用的全部名称和过滤器（含义；给出工作簿时还有取值）。"""
    from .fields_export import catalogue, write_catalogue

    try:
        rows = catalogue(book, profile)
        if out:
            write_catalogue(rows, out)
    except InputError as err:
        _fail(err)
    if out:
        typer.echo(f"已生成：{out}（{len(rows)} 项）")
        return
    for kind, name, meaning, value in rows:
        typer.echo(f"{kind}\t{name}\t{meaning}" + (f"\t{value}" if value else ""))


template_app = typer.Typer(no_args_is_help=True, help="模板工具：检查自己制作的 Word 模板。")
app.add_typer(template_app, name="template")


@template_app.command("check")
def template_check(
    target: Path = typer.Argument(..., help="Word 模板（.docx），或格式文件夹（profile.toml + template.docx）"),
    profile: str = typer.Option("上海2024", "--profile", help="检查单个 .docx 时按哪个格式的表格设置"),
) -> None:
    """检查模板：语法、未知的名称和过滤器、被 Word 拆开的标记、表格。没有问题退出码为 0，有问题为 2。"""
    from .profiles import load_profile
    from .render import check_template

    try:
        if target.is_dir() or target.name == "profile.toml":
            prof = load_profile(str(target))
        else:
            prof = load_profile(profile, template=target)
        problems = check_template(prof)
    except InputError as err:
        _fail(err, 2)
    for line in problems:
        typer.echo(line)
    if problems:
        typer.echo(f"{prof.template}：{len(problems)} 处问题。", err=True)
        raise typer.Exit(2)
    typer.echo(f"{prof.template}：没有发现问题。")


# ---- web page (issue 14): self-contained; the web package is imported only when used ----

admin_app = typer.Typer(add_completion=False, no_args_is_help=True, help="网页的账户管理。")
app.add_typer(admin_app, name="admin")


def _web():
    try:
        import fastapi  # noqa: F401

        import generator.web as web
    except ImportError:
        _fail("网页功能需要另外安装：pip install -e '.[web]'", 2)
    return web


@app.command()
def serve(
    data: Path | None = typer.Option(None, "--data", help="数据文件夹（数据库和上传的文件；默认 ~/.juesuan）"),
    db: str | None = typer.Option(None, "--db", help="数据库地址，例如 postgresql://用户@主机/库（默认数据文件夹中的 SQLite）"),
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址（不是 127.0.0.1 时自动为多用户模式）"),
    port: int = typer.Option(8000, "--port", help="端口"),
    multi_user: bool = typer.Option(False, "--multi-user", help="多用户模式：需要登录，按财政局、部门、单位分权限"),
    cert: Path | None = typer.Option(None, "--cert", help="HTTPS 证书文件（.pem）；指定后登录状态只经 HTTPS 传送"),
    key: Path | None = typer.Option(None, "--key", help="HTTPS 证书的私钥文件（.pem）"),
) -> None:
    """启动网页：在浏览器中下载工作簿、上传检查、生成文档、比较版本、部门批量生成。"""
    _long_running()
    web = _web()
    if bool(cert) != bool(key):
        _fail("--cert 和 --key 需要同时指定。", 2)
    try:
        web.serve(data or web.default_data(), db, host, port, multi_user, cert=cert, key=key)
    except web.DatabaseUnavailable as err:
        _fail(str(err), 2)


@admin_app.command("create")
def admin_create(
    name: str = typer.Argument(..., help="账户名"),
    password: str = typer.Option(..., "--password", prompt="密码", hide_input=True, confirmation_prompt="再输入一次", help="密码（不填时提示输入）"),
    role: str = typer.Option("admin", "--role", help="角色：admin（财政局管理员）、department（部门）、unit（单位）"),
    department: str = typer.Option("", "--department", help="部门名称（部门、单位账户）"),
    unit: str = typer.Option("", "--unit", help="单位名称（单位账户）"),
    data: Path | None = typer.Option(None, "--data", help="数据文件夹（与 serve 相同）"),
    db: str | None = typer.Option(None, "--db", help="数据库地址（与 serve 相同）"),
) -> None:
    """建立账户（第一个财政局管理员用它建立，其余账户也可在网页“账户”页建立）。"""
    web = _web()
    try:
        typer.echo(web.create_admin(data or web.default_data(), db, name, password, role, department, unit))
    except (ValueError, web.DatabaseUnavailable) as err:
        _fail(str(err), 2)


def main(argv: list[str] | None = None) -> None:
    # A one-document command allocates a lot (imports, the template, the model) and frees little:
    # the cyclic collector's full passes cost ~10% of `build`/`check`. Long-running commands
    # (batch, bench, serve) switch it back on (``_long_running``); batch workers never run main().
    enabled = gc.isenabled()
    gc.disable()
    try:
        app(args=argv, prog_name="juesuan")
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)
    finally:
        if enabled:
            gc.enable()  # main() called in a longer-lived process (tests): leave it as it was


if __name__ == "__main__":  # pragma: no cover
    main()
