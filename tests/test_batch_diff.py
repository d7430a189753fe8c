"""Batch (skip unchanged, one failure does not stop the others, 汇总报告) and diff."""

import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from generator.batch import REPORT, run_batch
from generator.cli import app
from generator.diff import diff_books

SAMPLES = ["益阳市智慧城市和大数据中心_2020.xlsx", "永州市政务服务中心_2018.xlsx", "示例单位_2024.xlsx"]


@pytest.fixture()
def folder(tmp_path, samples) -> Path:
    books = tmp_path / "books"
    books.mkdir()
    for name in SAMPLES:
        shutil.copy(samples / name, books / name)
    (books / "坏文件.xlsx").write_text("这不是工作簿", encoding="utf-8")
    return books


def set_value(path: Path, sheet: str, key: str, value, column: int = 2) -> str:
    """Set the value next to ``key`` (column A) in ``sheet``; returns the cell address."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    for row in ws.iter_rows():
        if row[0].value == key:
            row[column - 1].value = value
            wb.save(path)
            return row[column - 1].coordinate
    raise KeyError(key)


def test_batch_builds_good_units_reports_corrupt_one_and_skips_on_rerun(folder, tmp_path):
    out = tmp_path / "out"
    runner = CliRunner()
    first = runner.invoke(app, ["batch", str(folder), "-o", str(out), "--jobs", "2"])
    assert first.exit_code == 1, first.output
    for name in SAMPLES:
        assert (out / name.replace(".xlsx", ".docx")).stat().st_size > 10_000
    assert "坏文件.xlsx" in first.output and "无法读取" in first.output
    assert "Traceback" not in first.output
    report = openpyxl.load_workbook(out / REPORT)
    rows = {r[0]: r for r in report["汇总"].iter_rows(min_row=2, values_only=True)}
    assert rows["坏文件.xlsx"][2] == "无法读取" and "不是 Excel 工作簿" in rows["坏文件.xlsx"][6]
    assert {rows[n][2] for n in SAMPLES} == {"已生成"}
    issues = list(report["问题清单"].iter_rows(min_row=2, values_only=True))
    assert any(r[0] == "益阳市智慧城市和大数据中心_2020.xlsx" and "3,210.99" in r[4] for r in issues)

    second = runner.invoke(app, ["batch", str(folder), "-o", str(out)])
    assert second.exit_code == 1  # the corrupt file still fails
    assert "3 个未变化已跳过" in second.output


def test_rerun_rebuilds_only_the_changed_unit_and_force_rebuilds_all(folder, tmp_path):
    out = tmp_path / "out"
    run_batch([folder], out, jobs=1)
    changed = folder / "示例单位_2024.xlsx"
    set_value(changed, "其他事项", "会议费", 5.60)
    report = run_batch([folder], out, jobs=1)
    status = {Path(r.source).name: r.status for r in report.results}
    assert status["示例单位_2024.xlsx"] == "已生成"
    assert status["益阳市智慧城市和大数据中心_2020.xlsx"] == "未变化（跳过）"
    assert report.skipped == 2
    forced = run_batch([folder], out, jobs=1, force=True)
    assert forced.skipped == 0


def test_a_failing_unit_under_final_does_not_stop_the_others(folder, tmp_path):
    report = run_batch([folder], tmp_path / "out", jobs=1, final=True)
    status = {Path(r.source).name: r.status for r in report.results}
    assert status["示例单位_2024.xlsx"] == "已生成"  # complete: nothing to fill in
    assert status["益阳市智慧城市和大数据中心_2020.xlsx"] == "缺少内容"
    assert not report.ok


def test_diff_lists_the_cell_and_only_the_sentence_quoting_it(tmp_path, samples):
    old = samples / "示例单位_2024.xlsx"
    new = tmp_path / "new.xlsx"
    shutil.copy(old, new)
    cell = set_value(new, "其他事项", "会议费", 5.60)
    report = diff_books(old, new, "湖南2020")
    assert [(c.where, c.old, c.new) for c in report.cells] == [(f"其他事项!{cell}", "4.6", "5.6")]
    assert len(report.sentences) == 1
    change = report.sentences[0]
    assert "会议费支出4.60万元" in change.old and "会议费支出5.60万元" in change.new
    assert "一般性支出" in change.where
    assert report.table_cells == []


def test_diff_of_a_prior_year_figure_changes_its_change_sentence_only(tmp_path, samples):
    old = samples / "示例单位_2024.xlsx"
    new = tmp_path / "new.xlsx"
    shutil.copy(old, new)
    wb = openpyxl.load_workbook(old, data_only=True)
    prior = next(r[1].value for r in wb["上年数"].iter_rows() if r[0].value == "收支总计")
    set_value(new, "上年数", "收支总计", float(prior) - 100)
    report = diff_books(old, new, "上海2024")
    assert len(report.cells) == 1 and report.cells[0].where.startswith("上年数!")
    assert len(report.sentences) == 1
    assert "与2023年度相比，收入支出总计增加493.16万元" in report.sentences[0].new  # 上海2024: 393.16 + 100
    from decimal import Decimal

    before = Decimal("3058.79") - Decimal(str(prior))
    assert f"收入支出总计增加{before:,.2f}万元" in report.sentences[0].old
    assert f"收入支出总计增加{before + 100:,.2f}万元" in report.sentences[0].new


def test_diff_of_a_table_value_changes_the_table_cell_and_the_sentences_that_use_it(tmp_path, samples):
    old = samples / "示例单位_2024.xlsx"
    new = tmp_path / "new.xlsx"
    shutil.copy(old, new)
    wb = openpyxl.load_workbook(new)
    ws = wb["公开07表"]
    data_row = next(r for r in ws.iter_rows() if r[0].value is not None and isinstance(r[11].value, (int, float)) and isinstance(r[0].value, (int, float)))
    data_row[11].value = 3.36  # 决算 公务接待费 2.36 -> 3.36
    data_row[6].value = 10.71  # 决算 合计 9.71 -> 10.71 (the table stays consistent)
    wb.save(new)
    report = diff_books(old, new, "上海2024")
    assert {c.where.split("!")[0] for c in report.cells} == {"公开07表"}
    texts = [c.new for c in report.sentences]
    assert any("公务接待费支出决算为3.36万元" in t for t in texts)
    assert any("支出决算为10.71万元" in t for t in texts)
    assert all("公务接待" in t or "三公" in t for t in texts), texts
    assert {c.new for c in report.table_cells} == {"3.36", "10.71"}


def test_diff_cli_writes_a_word_report(tmp_path, samples):
    new = tmp_path / "new.xlsx"
    shutil.copy(samples / "示例单位_2024.xlsx", new)
    set_value(new, "其他事项", "培训费", 19.85)
    out = tmp_path / "对照.docx"
    result = CliRunner().invoke(app, ["diff", str(samples / "示例单位_2024.xlsx"), str(new), "--profile", "湖南2020", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "培训费支出{+1+}9.85万元" in result.output
    import docx

    text = "\n".join(p.text for p in docx.Document(out).paragraphs)
    assert "培训费支出19.85万元" in text and "修改的单元格" in text
