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


def main(argv: List[str] | None = None) -> None:
    try:
        app(args=argv, prog_name="juesuan")
    except KeyboardInterrupt:  # pragma: no cover
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
