"""`check` output: findings grouped by sheet with counts, a one-line summary, and `--json`
valid against schemas/check_findings.schema.json. Also 部门 = Σ 单位 at the tolerance boundary."""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

import jsonschema
import pytest
from helpers import DEMO, ROOT, YIYANG, edited_copy, find_cell, sheet_named
from test_checks_reviewer import other, perf, write
from typer.testing import CliRunner

from generator.cli import app
from generator.consolidate import check_department
from generator.intake import read_workbook
from generator.synthetic import write_units

runner = CliRunner()
SCHEMA = json.loads((ROOT / "schemas" / "check_findings.schema.json").read_text("utf-8"))


def run_json(path: Path) -> tuple[int, dict]:
    result = runner.invoke(app, ["check", "--json", str(path)])
    data = json.loads(result.stdout)
    jsonschema.validate(data, SCHEMA)
    return result.exit_code, data


def test_json_of_consistent_sample_is_valid():
    code, data = run_json(DEMO)
    assert code == 0 and data["summary"] == {"errors": 0, "warnings": 0, "ok": True} and data["findings"] == [] and data["sheets"] == []


def test_json_of_seed_003_is_valid_and_counts_per_sheet():
    code, data = run_json(YIYANG)
    assert code == 0 and data["summary"]["errors"] == 0 and data["summary"]["ok"]
    assert data["summary"]["warnings"] == len(data["findings"])
    per_sheet = {s["sheet"]: s["warnings"] for s in data["sheets"]}
    assert per_sheet["Z01 收入支出决算总表(公开01表)"] == 3  # 本年支出合计, 收入总计, 支出总计 (0.01 each)
    assert sum(per_sheet.values()) == len(data["findings"])


def test_json_of_broken_book_is_valid(tmp_path):
    path, refs = write(tmp_path, [(perf("已完成整改数"), D("5")), (other("会议费"), D("0"))])
    code, data = run_json(path)
    assert code == 1 and data["summary"]["errors"] == 2 and not data["summary"]["ok"]
    assert {s["sheet"]: s["errors"] for s in data["sheets"]} == {"绩效": 1, "其他事项": 1}
    (f,) = [f for f in data["findings"] if f["rule"] == "绩效.整改"]
    assert f["expected"] == "3" and f["found"] == "6" and f["cells"][0] == refs[0]  # the 已完成整改数 cell just changed


def test_json_of_unreadable_book_is_valid(tmp_path):
    path, _ = write(tmp_path, [(other("会议费"), "12千元")])
    code, data = run_json(path)
    assert code == 2 and data["findings"] == [] and "千元" in data["fatal"] and "B11" in data["fatal"]


def test_text_output_groups_by_sheet_and_ends_with_a_summary(tmp_path):
    path, _ = write(tmp_path, [(perf("已完成整改数"), D("5")), (other("会议费"), D("0")), (other("培训费"), D("9"))])
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert "工作表“其他事项”：1 个错误，1 个警告" in lines
    assert "工作表“绩效”：1 个错误，0 个警告" in lines
    block = lines.index("工作表“其他事项”：1 个错误，1 个警告")
    assert lines[block + 1].startswith("错误：") and "会议费" in lines[block + 1]
    assert lines[block + 2].startswith("警告：") and "培训费" in lines[block + 2]
    assert lines[-1] == "book.xlsx：2 个错误，1 个警告。有错误，不能生成文档，请按上面的单元格逐条改正。"


def test_text_output_of_clean_book():
    result = runner.invoke(app, ["check", str(DEMO)])
    assert result.exit_code == 0 and result.stdout.strip() == "示例单位_2024.xlsx：0 个错误，0 个警告。可以生成文档。"


# ---- 部门 = Σ 单位 at the tolerance boundary -----------------------------------------------------


@pytest.fixture(scope="module")
def department(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dept")
    paths = write_units(folder, 3, seed=5, with_department=True)
    return paths[:-1], paths[-1]


def _shared_item(units, column="基本支出"):
    """The 项 of 公开05 with the most units holding a non-zero value in ``column``, and that count."""
    models = [read_workbook(u) for u in units]
    counts = {}
    for m in models:
        for r in m.gpb_expenditure.rows:
            if r.level == 3 and r.value(column) != 0:
                counts[r.code] = counts.get(r.code, 0) + 1
    code = max(sorted(counts), key=counts.get)
    return code, counts[code], models


@pytest.mark.parametrize("over,level", [(0, "warning"), (1, "error")])
def test_department_tolerance_boundary(department, tmp_path, over, level):
    """±0.01 per non-zero unit value: n units × 0.01 is a 尾数 warning, one cent more an error."""
    units, dept = department
    code, n, models = _shared_item(units)
    assert n >= 2  # a boundary that is more than one cent wide
    delta = D("0.01") * (n + over)

    def edit(wb):
        cell = find_cell(sheet_named(wb, "公开05"), code, "基本支出")
        cell.value = float(D(str(cell.value or 0)) + delta)

    m = read_workbook(edited_copy(dept, tmp_path / "dept.xlsx", edit))
    hits = [f for f in check_department(m, models) if code in f.message and "“基本支出”列" in f.message]
    assert len(hits) == 1 and hits[0].level == level
    assert hits[0].found - hits[0].expected == delta


def test_a_2018_workbook_without_a_format_is_told_to_choose_one():
    """Without --profile the default 上海2024 applies; a workbook in the 2018 layout gets one warning naming its 年度 cell."""
    from helpers import YONGZHOU

    runner = CliRunner()
    plain = runner.invoke(app, ["check", str(YONGZHOU), "--json"])
    (f,) = [f for f in json.loads(plain.stdout)["findings"] if f["rule"] == "格式"]
    assert f["level"] == "warning" and f["cells"] == ["单位信息!B3"] and f["expected"] == "2018" and f["found"] == "上海2024"
    assert "请加 --profile 2018" in f["message"]
    chosen = runner.invoke(app, ["check", str(YONGZHOU), "--json", "--profile", "2018"])
    assert not [f for f in json.loads(chosen.stdout)["findings"] if f["rule"] == "格式"]
    # a workbook in the 2020+ layout gets no such line
    assert not [f for f in json.loads(runner.invoke(app, ["check", str(DEMO), "--json"]).stdout)["findings"] if f["rule"] == "格式"]
