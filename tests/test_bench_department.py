"""Batch with a department workbook (部门 = Σ units), and the benchmark as a smoke test."""

import openpyxl
import pytest

from generator.batch import REPORT, run_batch
from generator.bench import run_bench
from generator.synthetic import write_units


@pytest.fixture(scope="module")
def department(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dept")
    paths = write_units(folder, 3, seed=5, with_department=True)
    return folder, paths[-1]


def _bump_first_item(path, column_header="基本支出", delta=1.0):
    """Add ``delta`` to the first 项 row of 公开05 in the given column; returns (code, cell)."""
    wb = openpyxl.load_workbook(path)
    ws = next(ws for ws in wb.worksheets if "公开05" in ws.title)
    header = next(c for row in ws.iter_rows(max_row=8) for c in row if c.value == column_header)
    for row in ws.iter_rows(min_row=header.row + 1):
        code = str(row[0].value or "").strip()
        if len(code) == 7 and code.isdigit():
            cell = ws.cell(row[0].row, header.column)
            cell.value = float(cell.value or 0) + delta
            wb.save(path)
            return code, cell.coordinate
    raise AssertionError("no 项 row")


def test_consistent_department_has_no_mismatch(department, tmp_path):
    folder, _ = department
    report = run_batch([folder], tmp_path / "out", jobs=2)
    assert report.ok, [r.message for r in report.results if not r.ok]
    assert report.department == []


def test_department_cell_that_differs_from_units_is_reported(department, tmp_path):
    folder, dept = department
    code, cell = _bump_first_item(dept)
    report = run_batch([folder], tmp_path / "out", jobs=1)
    errors = [f for f in report.department if f["level"] == "error"]
    mine = [f for f in errors if code in f["message"] and "“基本支出”列" in f["message"]]
    assert mine, errors
    assert mine[0]["cells"] == [f"{mine[0]['sheet']}!{cell}"]
    assert "一般公共预算财政拨款支出决算表" in mine[0]["message"]
    # the department's own identities now break too (its 小计 and 款), but nothing else in other tables
    assert all("一般公共预算财政拨款支出决算表" in f["message"] for f in errors)
    issues = list(openpyxl.load_workbook(tmp_path / "out" / REPORT)["问题清单"].iter_rows(values_only=True))
    assert any(r[0] == "（部门汇总）" and code in r[4] for r in issues)


def test_bench_smoke_and_json_keys(monkeypatch, tmp_path):
    import json

    from typer.testing import CliRunner

    from generator import bench
    from generator.cli import app

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    result = run_bench(units=3, repeats=1, pdf=False)
    assert result["units"] == 3
    assert result["batch"]["1"]["failed"] == 0 and result["batch"]["2"]["failed"] == 0
    assert result["batch"]["1"]["exit_code"] == 0 and result["batch"]["2"]["documents"] == 3
    for key in ("median_build_seconds", "median_render_seconds", "median_naive_docxtpl_seconds", "median_naive_pipeline_seconds", "median_floor_seconds"):
        assert result[key] > 0, key
    assert result["ratio_to_floor"] > 0 and result["speedup_vs_naive_pipeline"] > 0
    assert set(result["process_seconds"]) >= {"build", "check", "help"} and all(result["process_seconds"][k] > 0 for k in ("build", "check", "help"))
    assert result["peak_memory"]["main_process_mb"] > 0 and result["batch"]["2"]["largest_worker_mb"] > 0
    assert result["pdf"] is None and result["batch_pdf"] is None  # not asked for
    assert all(0 < result["process_seconds_min"][k] <= result["process_seconds"][k] for k in ("build", "check", "help"))
    assert result["process_first_build_seconds"]["runs"] >= 1 and result["process_first_build_seconds"]["cpu"] > 0
    assert result["started"].endswith("UTC") and "start" in result["load_average"] and result["bytecode"]
    # the workbooks are cached: a second call reuses them
    books, cached = bench.synthetic_books(3)
    assert cached and len(books) == 3
    # the command prints the same dictionary as JSON
    monkeypatch.setattr(bench, "run_bench", lambda units, profile, **_: result)
    out = CliRunner().invoke(app, ["bench", "--json", "-n", "3"])
    assert out.exit_code == 0 and json.loads(out.output) == result


@pytest.mark.slow
def test_bench_batch_pdf_through_the_real_command(monkeypatch, tmp_path):
    """`bench --pdf-units N`: `juesuan batch --pdf -j 2` over N units, beside the same batch without --pdf."""
    from generator.pdf import soffice

    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: make system-deps")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    result = run_bench(units=3, repeats=1, pdf=True, pdf_docs=1, pdf_units=2)
    bp = result["batch_pdf"]
    assert bp["units"] == 2 and bp["workers"] == 2 and bp["exit_code"] == 0
    assert bp["documents"] == 2 and bp["pdfs"] == 2  # the PDFs through the real command line
    assert bp["seconds"] > bp["seconds_without_pdf"] > 0 and bp["pdf_seconds_per_document_per_worker"] > 0
