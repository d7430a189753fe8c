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


def main(argv: List[str] | None = None) -> None:
    try:
        app(args=argv, prog_name="juesuan")
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
