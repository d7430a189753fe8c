"""Bad input (§7): one clear Chinese line each — file, sheet, cell, what was expected — never a
traceback; `juesuan check` exits 2 for an unreadable workbook (1 for check-level errors).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from helpers import DEMO, ROOT, edited_copy, find_cell, formula_cell_book, set_value, sheet_named
from typer.testing import CliRunner

from generator.cli import app
from generator.errors import InputError
from generator.intake import read_workbook

runner = CliRunner()
JUESUAN = ROOT / ".venv" / "bin" / "juesuan"

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


# ---- builders: each writes one bad workbook into tmp_path and returns its path ------------------


def text_file(tmp: Path) -> Path:
    p = tmp / "决算.xlsx"
    p.write_text("单位名称,年度\n示例,2024\n", encoding="utf-8")
    return p


def xls_by_extension(tmp: Path) -> Path:
    p = tmp / "决算.xls"
    shutil.copyfile(DEMO, p)  # even a good workbook: the name says .xls
    return p


def test_a_workbook_is_read_by_its_content_not_its_name(tmp_path):
    """An .xlsx saved under a .xls name is read (the content decides, not the extension)."""
    model = read_workbook(xls_by_extension(tmp_path))
    assert model.unit.name == read_workbook(DEMO).unit.name


def ole2_file(tmp: Path) -> Path:
    p = tmp / "决算.xlsx"
    p.write_bytes(OLE_MAGIC + b"\x00" * 504 + "Workbook".encode("utf-16-le") + b"\x00" * 1024)
    return p


def encrypted_file(tmp: Path) -> Path:
    p = tmp / "决算.xlsx"
    p.write_bytes(OLE_MAGIC + b"\x00" * 504 + "EncryptedInfo".encode("utf-16-le") + b"\x00" * 64 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 1024)
    return p


def edited(edit):
    return lambda tmp: edited_copy(DEMO, tmp / "决算.xlsx", edit)


def _unit(key: str, value):
    def edit(wb):
        ws = wb["单位信息"]
        ws[find_cell(ws, key, "内容").coordinate] = value

    return edit


def _cell(sheet: str, label: str, header: str, value):
    def edit(wb):
        ws = sheet_named(wb, sheet)
        ws[find_cell(ws, label, header).coordinate] = value

    return edit


def _delete(fragment: str):
    return lambda wb: wb.remove(sheet_named(wb, fragment))


def _duplicate(wb):
    copy = wb.copy_worksheet(sheet_named(wb, "公开03表"))
    copy.title = "支出表（副本）"


# (id, builder, exit code, texts the single message line must contain)
CASES = [
    ("not-xlsx", text_file, 2, ["决算.xlsx", "不是 Excel 工作簿", ".xlsx"]),
    ("xls-ole2-content", ole2_file, 2, ["决算.xlsx", ".xls", "另存为", ".xlsx"]),
    ("password", encrypted_file, 2, ["决算.xlsx", "密码"]),
    ("no-unit-sheet", edited(_delete("单位信息")), 2, ["单位信息"]),
    ("no-year", edited(_unit("年度", None)), 2, ["单位信息", "B3", "年度"]),
    ("year-in-chinese", edited(_unit("年度", "二〇二四")), 2, ["单位信息", "B3", "二〇二四"]),
    ("year-1899", edited(_unit("年度", 1899)), 2, ["单位信息", "B3", "1899"]),
    ("no-unit-name", edited(_unit("单位名称", None)), 2, ["单位信息", "B2", "单位名称"]),
    ("bad-amount-unit", edited(_unit("金额单位", "千元")), 2, ["单位信息", "B4", "千元"]),
    ("missing-table", edited(_delete("公开06表")), 2, ["一般公共预算财政拨款基本支出决算表"]),
    ("text-in-05", edited(_cell("公开05表", "2010302", "项目支出", "约3万")), 2, ["公开05表", "E11", "约3万"]),
    ("text-in-01", edited(_cell("公开01表", "其他收入", "金额", "十二点五")), 2, ["公开01表", "C14", "十二点五"]),
    ("text-in-prior", edited(_cell("上年数", "本年收入合计", "上年决算数", "约两千万")), 2, ["上年数", "B3", "约两千万"]),
    ("duplicate-table", edited(_duplicate), 2, ["公开03表", "支出表（副本）"]),
    ("negative-count", edited(_cell("其他事项", "公务用车保有量", "数值", -1)), 2, ["其他事项", "B5", "公务用车保有量", "负"]),
    ("negative-amount-other", edited(_cell("其他事项", "会议费", "数值", -4.6)), 2, ["其他事项", "B11", "会议费", "负"]),
]


def formula_without_cache(tmp: Path) -> Path:
    def edit(wb):
        ws = sheet_named(wb, "公开05表")
        ws[find_cell(ws, "2010302", "项目支出").coordinate] = "=800+42.3"

    return edited_copy(DEMO, tmp / "决算.xlsx", edit)


CASES.append(("formula-uncached", formula_without_cache, 2, ["公开05表", "E11", "公式", "Excel", "WPS", "保存"]))


@pytest.mark.parametrize("build,code,texts", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_one_clear_line(tmp_path, build, code, texts):
    path = build(tmp_path)
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert isinstance(result.exception, SystemExit), repr(result.exception)  # not a crash
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("错误：")
    for text in texts:
        assert text in line, (text, line)
    # Chinese, and no Python repr leaking through
    assert not any(bad in line for bad in ("Error(", "Exception", "None", "\\u"))


@pytest.mark.parametrize("build,code,texts", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_raises_input_error_from_the_reader(tmp_path, build, code, texts):
    """The Python API says the same through InputError, with sheet and cell fields."""
    path = build(tmp_path)
    with pytest.raises(InputError) as info:
        read_workbook(path)
    err = info.value
    assert err.file == path.name
    for text in texts:
        assert text in str(err)
    cells = [t for t in texts if t[:1].isascii() and t[:1].isalpha() and t[1:].isdigit()]
    if cells:
        assert err.cell == cells[0]


def test_bad_input_json_reports_fatal(tmp_path):
    path = edited(_cell("公开05表", "2010302", "项目支出", "约3万"))(tmp_path)
    result = runner.invoke(app, ["check", "--json", str(path)])
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert "约3万" in data["fatal"] and "E11" in data["fatal"]


def test_missing_file_is_one_line(tmp_path):
    result = runner.invoke(app, ["check", str(tmp_path / "没有这个文件.xlsx")])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "没有这个文件.xlsx" in result.stderr


@pytest.mark.parametrize("case_id", ["not-xlsx", "password", "text-in-05", "formula-uncached"])
def test_real_process_prints_no_traceback(tmp_path, case_id):
    """The installed console script, as the officer runs it."""
    if not JUESUAN.exists():
        pytest.skip("console script not installed")
    build, code, texts = next(c[1:] for c in CASES if c[0] == case_id)
    path = build(tmp_path)
    proc = subprocess.run([str(JUESUAN), "check", str(path)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == code
    assert "Traceback" not in proc.stderr + proc.stdout
    assert len(proc.stderr.strip().splitlines()) == 1
    assert all(t in proc.stderr for t in texts)


# ---- Excel error values --------------------------------------------------------------------


@pytest.mark.parametrize("error", ["#DIV/0!", "#REF!"])
def test_error_value_in_an_amount_cell_is_one_clear_line(tmp_path, error):
    path, coord = formula_cell_book(DEMO, tmp_path / "决算.xlsx", "公开05表", lambda ws: find_cell(ws, "2010302", "项目支出"), f' t="e"><f>F</f><v>{error}</v>')
    result = runner.invoke(app, ["check", str(path)])
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exit_code == 2, result.stdout
    assert "公开05表" in result.stderr and coord in result.stderr and error in result.stderr


# ---- negative table amounts are check-level errors (exit 1) ----------------------------------


def negative_05(tmp: Path) -> Path:
    """公开05 2010302 基本支出 −5 with every sum kept intact (项目支出 +5; 2010399 moved back)."""

    def edit(wb):
        ws = sheet_named(wb, "公开05表")
        for code, header, delta in (
            ("2010302", "基本支出", D("-5")),
            ("2010302", "项目支出", D("5")),
            ("2010399", "基本支出", D("5")),
            ("2010399", "项目支出", D("-5")),
        ):
            cell = find_cell(ws, code, header)
            set_value(ws, cell, D(repr(cell.value)) + delta)

    return edited_copy(DEMO, tmp / "决算.xlsx", edit)


def test_negative_amount_in_05_is_a_check_error(tmp_path):
    path = negative_05(tmp_path)
    ws = sheet_named(openpyxl.load_workbook(path), "公开05表")
    changed = find_cell(ws, "2010302", "基本支出")
    assert changed.value == -5
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    errors = [line for line in result.stdout.splitlines() if line.startswith("错误：")]
    assert len(errors) == 1, result.stdout
    assert "负数" in errors[0] and "2010302" in errors[0] and "-5.00" in errors[0]
    data = json.loads(runner.invoke(app, ["check", "--json", str(path)]).stdout)
    (err,) = [f for f in data["findings"] if f["level"] == "error"]
    assert err["rule"] == "负数" and err["cells"] == [f"公开05表!{changed.coordinate}"]


def test_negative_carry_over_in_01_is_not_an_input_error(tmp_path):
    """年末结转和结余 may be negative (rare): read, not rejected."""

    def edit(wb):
        ws = sheet_named(wb, "公开01表")
        ws[find_cell(ws, "年末结转和结余", "金额").coordinate] = "(1.00)"

    m = read_workbook(edited_copy(DEMO, tmp_path / "决算.xlsx", edit))
    assert m.summary.total("年末结转和结余") == D("-1.00")
