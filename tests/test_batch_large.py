"""Large batches (issue 13): with more than LARGE_BATCH units `batch` prints the failures and the
counts, not a row per unit (the full table is in 汇总报告.xlsx); `--pdf` says what LibreOffice is
doing and how it ended."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from generator import cli
from generator.batch import REPORT
from generator.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "示例单位_2024.xlsx"
runner = CliRunner()


def _folder(tmp_path: Path, good: int, broken: int) -> Path:
    books = tmp_path / "books"
    books.mkdir()
    for i in range(good):
        shutil.copy(SAMPLE, books / f"单位{i + 1:02d}.xlsx")
    for i in range(broken):
        (books / f"坏文件{i + 1}.xlsx").write_bytes(b"this is not a workbook")
    return books


def _text(result) -> str:
    return result.output + (getattr(result, "stderr", "") or "")


def test_many_units_print_failures_and_counts_not_every_unit(tmp_path):
    books = _folder(tmp_path, good=cli.LARGE_BATCH, broken=1)  # 21 units: above the threshold
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(books), "-o", str(out), "-j", "2"])
    text = _text(result)
    assert result.exit_code == 1, text
    assert "失败的单位（1 个" in text and "坏文件1.xlsx" in text
    assert f"共 {cli.LARGE_BATCH + 1} 个单位：{cli.LARGE_BATCH} 个已生成，0 个未变化已跳过，1 个失败" in text
    assert "单位01.docx" not in text and "批量生成结果" not in text  # no row per built unit
    rows = list(openpyxl.load_workbook(out / REPORT).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 1 + cli.LARGE_BATCH + 1  # header + every unit: the full table is in the report


def test_few_units_still_get_the_full_table(tmp_path):
    books = _folder(tmp_path, good=2, broken=1)
    result = runner.invoke(app, ["batch", str(books), "-o", str(tmp_path / "out"), "-j", "1"])
    text = _text(result)
    assert "批量生成结果" in text and "单位01.docx" in text and "坏文件1.xlsx" in text


def test_many_failures_are_cut_short_on_screen(tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "LARGE_BATCH", 2)
    monkeypatch.setattr(cli, "MAX_FAILURE_ROWS", 2)
    books = _folder(tmp_path, good=1, broken=3)
    result = runner.invoke(app, ["batch", str(books), "-o", str(tmp_path / "out"), "-j", "1"])
    text = _text(result).split("失败的单位（", 1)[1]  # after the progress bar (it names the last unit)
    assert text.startswith("3 个")
    assert "坏文件1.xlsx" in text and "坏文件2.xlsx" in text and "坏文件3.xlsx" not in text
    assert "……其余 1 个失败的单位见" in text


def test_many_units_all_built_print_no_table(tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "LARGE_BATCH", 1)
    books = _folder(tmp_path, good=2, broken=0)
    result = runner.invoke(app, ["batch", str(books), "-o", str(tmp_path / "out"), "-j", "1"])
    text = _text(result)
    assert result.exit_code == 0, text
    assert "失败的单位" not in text and "共 2 个单位：2 个已生成，0 个未变化已跳过，0 个失败" in text


def test_pdf_step_says_what_it_does(tmp_path, monkeypatch):
    """LibreOffice itself is covered by test_pdf.py; here print_batch is replaced: one document
    converts, one fails, and the user is told both before and after."""
    import generator.pdf as pdf

    def fake_print_batch(docs, jobs=1, stats=None):
        docs = sorted(docs)
        docs[0].with_suffix(".pdf").write_bytes(b"%PDF-1.7\n%%EOF")
        return {docs[0]: None, docs[1]: "LibreOffice 转换失败（测试）"}

    monkeypatch.setattr(pdf, "print_batch", fake_print_batch)
    books = _folder(tmp_path, good=2, broken=0)
    result = runner.invoke(app, ["batch", str(books), "-o", str(tmp_path / "out"), "-j", "2", "--pdf"])
    text = _text(result)
    assert "正在转换 PDF：2 份，2 个 LibreOffice 同时转换" in text
    assert "PDF 转换完成：1 份已生成，1 份失败" in text
    assert result.exit_code == 1  # the failed conversion fails its unit


@pytest.mark.parametrize("n", [1, 3])
def test_pdf_estimate_wording(n, capsys):
    cli._Progress().pdf_start(60 * n, 1)
    assert f"约 {n} 分钟" in capsys.readouterr().err
