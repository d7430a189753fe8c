"""The reader (generator/intake): both layouts, finding tables, amount cells, 元, source cells,
and the round trip through the blank workbook of ``juesuan init``.

Expected figures are the ones printed in the seed documents' tables (seed 003 = 益阳 2020,
seed 004 = 永州 2018), typed here by hand.
"""

from __future__ import annotations

import copy
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from helpers import (
    DEMO,
    YIYANG,
    YONGZHOU,
    dec,
    edited_copy,
    find_cell,
    find_label,
    formula_cell_book,
    label_norm,
    norm,
    sangong_cell,
    sheet_named,
    value_cell_of,
)

from generator import keys
from generator.checks import run_checks
from generator.errors import InputError
from generator.init_book import write_blank
from generator.intake import read_workbook
from generator.model import TableKind, UnitAccounts

TABLES = [k for k in TableKind]


@pytest.fixture(scope="module")
def yiyang() -> UnitAccounts:
    return read_workbook(YIYANG)


@pytest.fixture(scope="module")
def yongzhou() -> UnitAccounts:
    return read_workbook(YONGZHOU)


@pytest.fixture(scope="module")
def demo() -> UnitAccounts:
    return read_workbook(DEMO)


def table_values(model: UnitAccounts, kind: TableKind):
    """A table's figures keyed by row identity (independent of where the rows sit)."""
    t = model.table(kind)
    if t is None:
        return None
    if kind in (TableKind.summary, TableKind.fiscal_summary):
        return (
            {r.key: r.values for r in t.income},
            {r.key: r.values for r in t.expenditure},
            {k: r.values for k, r in t.totals.items()},
        )
    if kind is TableKind.gpb_basic:
        return (
            {r.code: r.values for r in t.rows},
            t.personnel_total.values if t.personnel_total else None,
            t.public_total.values if t.public_total else None,
        )
    if kind is TableKind.sangong:
        return t.budget.values, t.actual.values
    return {r.code: r.values for r in t.rows}, (t.total.values if t.total else None)


# ---- the two layouts -------------------------------------------------------------------------


def test_2020_export_layout(yiyang):
    m = yiyang
    assert m.layout == "2020"
    assert m.unit.name == "益阳市智慧城市和大数据中心" and m.unit.year == 2020
    # export sheet names
    assert m.summary.sheet == "Z01 收入支出决算总表(公开01表)"
    assert m.gpb_expenditure.sheet == "Z07 一般公共预算财政拨款支出决算表(公开05表)"
    assert m.sangong.sheet.startswith("F03 ")
    assert m.state_capital is not None and m.state_capital.sheet.startswith("Z11 ")
    assert [r.key for r in m.summary.income][:3] == ["一般公共预算财政拨款收入", "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入"]
    assert m.summary.income_line("财政拨款收入") is None
    assert m.fiscal_summary.expenditure_columns == ["合计", "一般公共预算", "政府性基金", "国有资本经营"]


def test_2018_layout(yongzhou):
    m = yongzhou
    assert m.layout == "2018"
    assert m.unit.year == 2018
    line = m.summary.income_line("财政拨款收入")
    assert line is not None and line.value("金额") == D("2899.74")
    assert m.summary.income_line("一般公共预算财政拨款收入") is None
    # 使用非财政拨款结余 is read from the "用事业基金弥补收支差额" row
    carry = m.summary.totals["使用非财政拨款结余"]
    ws = openpyxl.load_workbook(YONGZHOU)["公开01表"]
    assert carry.label_cell == find_label(ws, "用事业基金弥补收支差额").coordinate
    assert carry.value("金额") == D("0")
    assert m.state_capital is None
    assert m.fiscal_summary.expenditure_columns == ["合计", "一般公共预算", "政府性基金"]
    # old 类 names map to their codes
    assert m.summary.class_line("210").value("金额") == D("1.98")


SPOT_003 = [
    # (what, getter, printed value)
    ("公开01 一般公共预算财政拨款收入", lambda m: m.summary.income_line("一般公共预算财政拨款收入").value("金额"), "2140.78"),
    ("公开01 其他收入", lambda m: m.summary.income_line("其他收入").value("金额"), "76.64"),
    ("公开01 年末结转和结余", lambda m: m.summary.total("年末结转和结余"), "514.07"),
    ("公开01 年初结转和结余", lambda m: m.summary.total("年初结转和结余"), "993.56"),
    ("公开01 207 文化旅游体育与传媒支出", lambda m: m.summary.class_line("207").value("金额"), "909.88"),
    ("公开02 合计 其他收入", lambda m: m.income.total.value("其他收入"), "76.64"),
    ("公开03 2010350 基本支出", lambda m: m.expenditure.row("2010350").value("基本支出"), "153.77"),
    ("公开04 本年支出合计 一般公共预算", lambda m: m.fiscal_summary.total("本年支出合计", "一般公共预算"), "2666.26"),
    ("公开04 年末 合计", lambda m: m.fiscal_summary.total("年末结转和结余", "合计"), "468.09"),
    ("公开05 20103 项目支出", lambda m: m.gpb_expenditure.row("20103").value("项目支出"), "518.97"),
    ("公开05 合计 小计", lambda m: m.gpb_expenditure.total.value("合计"), "2666.26"),
    ("公开06 人员经费合计", lambda m: m.gpb_basic.personnel_total.value("决算数"), "139.41"),
    ("公开06 公用经费合计", lambda m: m.gpb_basic.public_total.value("决算数"), "46.88"),
    ("公开06 30239 其他交通费用", lambda m: m.gpb_basic.row("30239").value("决算数"), "3.99"),
    ("公开07 预算 合计", lambda m: m.sangong.budget.value("合计"), "7.00"),
    ("公开07 决算 公务用车运行费", lambda m: m.sangong.actual.value("公务用车运行维护费"), "4.06"),
    ("公开07 决算 公务接待费", lambda m: m.sangong.actual.value("公务接待费"), "0"),
]

SPOT_004 = [
    ("公开01 其他收入", lambda m: m.summary.income_line("其他收入").value("金额"), "182.58"),
    ("公开01 本年支出合计", lambda m: m.summary.total("本年支出合计"), "3383.61"),
    ("公开01 总计", lambda m: m.summary.total("收入总计"), "4727.74"),
    ("公开04 总计 合计", lambda m: m.fiscal_summary.total("支出总计", "合计"), "4545.16"),
    ("公开05 2010306 基本支出", lambda m: m.gpb_expenditure.row("2010306").value("基本支出"), "768"),
    ("公开06 公用经费合计", lambda m: m.gpb_basic.public_total.value("决算数"), "606.56"),
    ("公开06 人员经费合计", lambda m: m.gpb_basic.personnel_total.value("决算数"), "563.51"),
    ("公开07 预算 公务接待费", lambda m: m.sangong.budget.value("公务接待费"), "13.00"),
    ("公开07 决算 公务接待费", lambda m: m.sangong.actual.value("公务接待费"), "7.00"),
    ("公开07 决算 合计", lambda m: m.sangong.actual.value("合计"), "10.08"),
]


@pytest.mark.parametrize("what,get,printed", SPOT_003, ids=[s[0] for s in SPOT_003])
def test_seed003_figures(yiyang, what, get, printed):
    assert get(yiyang) == D(printed)


@pytest.mark.parametrize("what,get,printed", SPOT_004, ids=[s[0] for s in SPOT_004])
def test_seed004_figures(yongzhou, what, get, printed):
    assert get(yongzhou) == D(printed)


def test_subject_rows_keep_codes_names_and_order(yiyang):
    codes = [r.code for r in yiyang.gpb_expenditure.rows]
    assert codes[:5] == ["201", "20101", "2010102", "20102", "2010202"]
    assert yiyang.gpb_expenditure.row("2070199").name == "其他文化和旅游支出"
    # the "0 备注：本单位无…" line of the empty 公开08 is a note, not a row
    assert yiyang.gov_fund.rows == [] and yiyang.gov_fund.is_empty
    assert "无政府性基金" in yiyang.gov_fund.empty_note


# ---- finding tables --------------------------------------------------------------------------


def test_table_found_by_title_under_a_neutral_sheet_name(tmp_path, yiyang):
    def edit(wb):
        sheet_named(wb, "公开03表").title = "Sheet3"
        sheet_named(wb, "公开07表").title = "Sheet7"

    m = read_workbook(edited_copy(YIYANG, tmp_path / "neutral.xlsx", edit))
    assert m.expenditure.sheet == "Sheet3" and m.sangong.sheet == "Sheet7"
    assert table_values(m, TableKind.expenditure) == table_values(yiyang, TableKind.expenditure)
    assert table_values(m, TableKind.sangong) == table_values(yiyang, TableKind.sangong)


def _drop_titles(ws):
    """Remove the title and the "公开NN表" label (first two rows)."""
    for row in ws.iter_rows(max_row=2):
        for c in row:
            if c.value is not None and c.coordinate not in ws.merged_cells:
                c.value = None
            elif c.value is not None:
                ws[c.coordinate] = None


@pytest.mark.parametrize(
    "src,fragment,new_name,kind",
    [
        (DEMO, "公开05表", None, TableKind.gpb_expenditure),  # plain "公开05表"
        (DEMO, "公开06表", "一般公共预算财政拨款基本支出决算表", TableKind.gpb_basic),
        (YIYANG, "公开01表", None, TableKind.summary),  # export "Z01 收入支出决算总表(公开01表)"
        (YIYANG, "公开04表", None, TableKind.fiscal_summary),
    ],
)
def test_table_found_by_sheet_name_without_title(tmp_path, src, fragment, new_name, kind):
    original = read_workbook(src)
    names = {}

    def edit(wb):
        ws = sheet_named(wb, fragment)
        _drop_titles(ws)
        assert all(c.value is None for row in ws.iter_rows(max_row=2) for c in row)
        if new_name:
            ws.title = new_name
        names["sheet"] = ws.title

    m = read_workbook(edited_copy(src, tmp_path / "untitled.xlsx", edit))
    assert m.table(kind).sheet == names["sheet"]
    assert table_values(m, kind) == table_values(original, kind)


# ---- amount cells ----------------------------------------------------------------------------


def test_amounts_as_text_blank_dash_and_zero_text(tmp_path, yiyang):
    def edit(wb):
        ws = sheet_named(wb, "公开01表")
        ws[find_cell(ws, "一般公共预算财政拨款收入", "金额").coordinate] = "2,140.78"
        ws[find_cell(ws, "政府性基金预算财政拨款收入", "金额").coordinate] = "-"
        ws[find_cell(ws, "国有资本经营预算财政拨款收入", "金额").coordinate] = None
        ws[find_cell(ws, "上级补助收入", "金额").coordinate] = "0.00"
        ws[find_cell(ws, "本年收入合计", "金额").coordinate] = " 2,217.42 "
        ws = sheet_named(wb, "公开05表")
        ws[find_cell(ws, "2010301", "基本支出").coordinate] = "-"
        ws[find_cell(ws, "2010301", "项目支出").coordinate] = "110.50"
        ws[find_cell(ws, "2010302", "基本支出").coordinate] = None
        ws = sheet_named(wb, "公开07表")
        ws[sangong_cell(ws, "决算数", "公务接待费").coordinate] = "0.00"
        ws[sangong_cell(ws, "决算数", "合计").coordinate] = "4.06"

    m = read_workbook(edited_copy(YIYANG, tmp_path / "text.xlsx", edit))
    s = m.summary
    assert s.income_line("一般公共预算财政拨款收入").value("金额") == D("2140.78")
    assert s.income_line("政府性基金预算财政拨款收入").value("金额") == 0
    assert s.income_line("国有资本经营预算财政拨款收入").value("金额") == 0
    assert s.income_line("上级补助收入").value("金额") == 0
    assert s.total("本年收入合计") == D("2217.42")
    assert m.gpb_expenditure.row("2010301").values == {"合计": D("110.5"), "基本支出": 0, "项目支出": D("110.5")}
    assert m.gpb_expenditure.row("2010302").value("基本支出") == 0
    assert m.sangong.actual.value("公务接待费") == 0 and m.sangong.actual.value("合计") == D("4.06")
    # and the checks see exactly what they saw before
    key = lambda f: (f.level, f.rule, tuple(f.cells), f.expected, f.found)  # noqa: E731
    assert sorted(map(key, run_checks(m))) == sorted(map(key, run_checks(yiyang)))


def _scale_to_yuan(wb, header: str):
    """Every table amount (and 上年数/预算数) × 10000; 单位信息 金额单位 = 元.

    ``header``: "keep" leaves the tables' "金额单位：万元" lines, "yuan" rewrites them to 元,
    "none" removes them.
    """
    for ws in wb.worksheets:
        if "公开0" not in ws.title and ws.title not in ("上年数", "预算数"):
            continue
        skip = {c.column for row in ws.iter_rows() for c in row if norm(c.value) == "行次"}
        for row in ws.iter_rows():
            for c in row:
                if c.column in skip or isinstance(c.value, bool):
                    continue
                if isinstance(c.value, (int, float)):
                    c.value = int(dec(c.value) * 10000)
                elif isinstance(c.value, str) and "金额单位" in c.value:
                    c.value = {"keep": c.value, "yuan": "金额单位：元", "none": None}[header]
    unit = wb["单位信息"]
    unit[find_cell(unit, "金额单位", "内容").coordinate] = "元"


def _assert_same_figures(a: UnitAccounts, b: UnitAccounts):
    for kind in TABLES:
        assert table_values(b, kind) == table_values(a, kind), kind
    assert {k: e.value for k, e in b.prior.items()} == {k: e.value for k, e in a.prior.items()}
    assert {k: e.value for k, e in b.prior_by_class.items()} == {k: e.value for k, e in a.prior_by_class.items()}
    assert [(r.code, r.initial, r.adjusted) for r in b.budget] == [(r.code, r.initial, r.adjusted) for r in a.budget]


@pytest.mark.parametrize("header", ["yuan", "none"])
def test_amounts_in_yuan_are_converted_to_wanyuan(tmp_path, demo, header):
    m = read_workbook(edited_copy(DEMO, tmp_path / "yuan.xlsx", lambda wb: _scale_to_yuan(wb, header)))
    assert m.unit.amount_unit == "元"
    assert m.summary.total("本年收入合计") == D("2852.39")
    _assert_same_figures(demo, m)
    assert run_checks(m) == []


def test_unit_info_yuan_converts_every_table(tmp_path, demo):
    m = read_workbook(edited_copy(DEMO, tmp_path / "yuan.xlsx", lambda wb: _scale_to_yuan(wb, "keep")))
    _assert_same_figures(demo, m)


# ---- source cells ----------------------------------------------------------------------------


def test_values_keep_their_source_cells(yiyang):
    wb = openpyxl.load_workbook(YIYANG)
    ws01 = sheet_named(wb, "公开01表")
    ws05 = sheet_named(wb, "公开05表")
    ws06 = sheet_named(wb, "公开06表")
    ws07 = sheet_named(wb, "公开07表")
    ws04 = sheet_named(wb, "公开04表")
    checks = [
        (yiyang.summary.income_line("一般公共预算财政拨款收入"), "金额", find_cell(ws01, "一般公共预算财政拨款收入", "金额")),
        (yiyang.summary.totals["支出总计"], "金额", find_cell(ws01, "总计", "金额", 1)),
        (yiyang.summary.class_line("207"), "金额", find_cell(ws01, "文化旅游体育与传媒支出", "金额")),
        (yiyang.gpb_expenditure.row("2010350"), "基本支出", find_cell(ws05, "2010350", "基本支出")),
        (yiyang.gpb_expenditure.total, "合计", find_cell(ws05, "合计", "小计")),
        (yiyang.gpb_basic.row("30231"), "决算数", find_cell(ws06, "30231", "决算数")),
        (yiyang.gpb_basic.public_total, "决算数", value_cell_of(ws06, "公用经费合计")),
        (yiyang.sangong.actual, "公务用车运行维护费", sangong_cell(ws07, "决算数", "公务用车运行费")),
        (yiyang.fiscal_summary.totals["年末结转和结余"], "一般公共预算", find_cell(ws04, "年末财政拨款结转和结余", "一般公共预算财政拨款")),
    ]
    for row, column, cell in checks:
        assert row.cells[column] == cell.coordinate, (row.name, column)
        assert row.value(column) == dec(cell.value), (row.name, column)
    line = yiyang.summary.class_line("207")
    assert line.label_cell == find_label(ws01, "文化旅游体育与传媒支出").coordinate
    assert yiyang.unit.cells["year"] == find_cell(wb["单位信息"], "年度", "内容").coordinate


def test_every_amount_cell_holds_the_value_read(yiyang):
    """Exhaustively: each Row value equals the number in the cell it names."""
    wb = openpyxl.load_workbook(YIYANG, data_only=True)
    n = 0
    for kind in TABLES:
        t = yiyang.table(kind)
        ws = wb[t.sheet]
        if kind in (TableKind.summary, TableKind.fiscal_summary):
            rows = t.income + t.expenditure + list(t.totals.values())
        elif kind is TableKind.sangong:
            rows = [t.budget, t.actual]
        elif kind is TableKind.gpb_basic:
            rows = t.rows + [t.personnel_total, t.public_total]
        else:
            rows = t.rows + ([t.total] if t.total else [])
        for row in rows:
            for col, value in row.values.items():
                assert value == dec(ws[row.cells[col]].value), (t.sheet, row.cells[col])
                n += 1
    assert n > 500


# ---- round trip through the blank workbook ----------------------------------------------------


def _fill_blank_from(sample: openpyxl.Workbook, blank: openpyxl.Workbook) -> None:
    """Fill the blank of ``juesuan init`` from the sample's cells, locating everything by labels."""
    su, bu = sample["单位信息"], blank["单位信息"]
    for r in range(2, su.max_row + 1):
        key = su.cell(row=r, column=1).value
        if key in keys.UNIT_KEYS:
            bu[find_cell(bu, key, "内容").coordinate] = su.cell(row=r, column=2).value

    for n in range(1, 10):
        s, b = sheet_named(sample, f"公开{n:02d}表"), sheet_named(blank, f"公开{n:02d}表")
        if n in (1, 4):
            _fill_balance(s, b)
        elif n == 6:
            _fill_basic(s, b)
        elif n == 7:
            for side in ("预算数", "决算数"):
                for item in ("合计", "因公出国（境）费", "小计", "公务用车购置费", "公务用车运行费", "公务接待费"):
                    b[sangong_cell(b, side, item).coordinate] = sangong_cell(s, side, item).value
        else:
            _fill_subject(s, b)


def _fill_balance(s, b):
    head = find_label(s, "项目").row
    headers = {c.column: norm(c.value) for c in s[head] if c.value}
    counts: dict[str, int] = {}
    for r in range(head + 1, s.max_row + 1):
        label = None
        for c in s[r]:
            if c.column in headers and headers[c.column] == "项目":
                label = label_norm(c.value) if c.value else None
                if label:
                    nth = counts.get(label, 0)
                    counts[label] = nth + 1
                continue
            if label and isinstance(c.value, (int, float)) and headers.get(c.column) not in (None, "行次"):
                target = find_cell(b, label, headers[c.column], nth)
                b[target.coordinate] = c.value


def _subject_headers(ws):
    """Column -> lowest header text above the data (栏次 row excluded)."""
    head = find_label(ws, "项目").row
    total = find_label(ws, "合计")
    while total.row <= head:  # a "合计" column header, not the 合计 row
        total = find_label(ws, "合计", 1)
    out = {}
    for r in range(head, total.row):
        for c in ws[r]:
            t = norm(c.value)
            if t and t != "栏次" and not t.isdigit():
                out[c.column] = t
    return total.row, out


def _fill_subject(s, b):
    s_total, s_headers = _subject_headers(s)
    b_total, b_headers = _subject_headers(b)
    b_col = {text: col for col, text in b_headers.items()}
    out = b_total
    for r in range(s_total, s.max_row + 1):
        code = s.cell(row=r, column=1).value
        if code is None or not (str(code) == "合计" or str(code).isdigit()) or str(code) == "0":
            continue
        if str(code) != "合计":
            out += 1
            b.cell(row=out, column=1).value = str(code)
            b.cell(row=out, column=2).value = s.cell(row=r, column=2).value
        row = b_total if str(code) == "合计" else out
        for col, text in s_headers.items():
            v = s.cell(row=r, column=col).value
            if isinstance(v, (int, float)) and text in b_col:
                b.cell(row=row, column=b_col[text]).value = v


def _fill_basic(s, b):
    for row in s.iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.value.isdigit() and len(c.value) in (3, 5):
                src = find_cell(s, c.value, "决算数")
                b[find_cell(b, c.value, "决算数").coordinate] = src.value
    for label in ("人员经费合计", "公用经费合计"):
        b[value_cell_of(b, label).coordinate] = value_cell_of(s, label).value


@pytest.fixture(scope="module")
def filled_blank(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("roundtrip")
    blank = write_blank(tmp / "blank.xlsx", year=2024)
    wb = openpyxl.load_workbook(blank)
    _fill_blank_from(openpyxl.load_workbook(DEMO), wb)
    wb.save(tmp / "filled.xlsx")
    return tmp / "filled.xlsx"


def test_round_trip_blank_filled_with_the_sample_reads_the_same(filled_blank, demo):
    m = read_workbook(filled_blank)
    assert m.unit.name == "示例市数据资源局" and m.unit.year == 2024 and m.unit.unit_type == "行政单位"
    for kind in TABLES:
        if kind is TableKind.state_capital:  # the blank's 公开09 is the 2024 收入支出 table, the sample's the 支出 table
            continue
        assert table_values(m, kind) == table_values(demo, kind), kind
    # 公开09: the sample's 支出 columns read the same; the blank's carry-over and income columns are 0 (nothing typed)
    filled, sample = m.state_capital.total.values, demo.state_capital.total.values
    assert {k: filled[k] for k in sample} == sample and set(filled) - set(sample) == {"年初结转和结余", "本年收入", "年末结转和结余"}
    assert all(filled[k] == 0 for k in set(filled) - set(sample))
    # a few figures by hand, so that a reader that misreads both files alike still fails
    assert m.summary.total("本年收入合计") == D("2852.39")
    assert m.fiscal_summary.total("支出总计", "政府性基金") == D("170")
    assert m.gpb_expenditure.row("2010399").value("项目支出") == D("356.18")
    assert m.gpb_basic.public_total.value("决算数") == D("273.11")
    assert m.sangong.actual.value("公务接待费") == D("2.36")
    assert m.gov_fund.row("2121399").value("年末结转和结余") == D("10")
    assert run_checks(m) == []


def test_write_blank_with_prior_fills_last_years_figures(tmp_path, demo):
    path = write_blank(tmp_path / "next.xlsx", prior=demo)
    wb = openpyxl.load_workbook(path)
    assert find_cell(wb["单位信息"], "年度", "内容").value == 2025
    assert find_cell(wb["单位信息"], "单位名称", "内容").value == "示例市数据资源局"
    prior = wb["上年数"]

    def last_year(key):
        return dec(find_cell(prior, key, "上年决算数").value)

    # this year's prior = last year's actual (the sample's printed figures)
    assert last_year("收支总计") == D("3058.79")
    assert last_year("本年收入合计") == D("2852.39")
    assert last_year("本年支出合计") == D("2996.61")
    assert last_year("财政拨款收支总计") == D("3046.29")
    assert last_year("财政拨款支出") == D("2984.11")
    assert last_year("一般公共预算财政拨款支出") == D("2824.11")
    assert last_year("基本支出") == D("1525.82")
    assert last_year("项目支出") == D("1298.29")
    assert last_year("人员经费") == D("1252.71")
    assert last_year("公用经费") == D("273.11")
    assert last_year("三公经费合计") == D("9.71")
    assert last_year("公务用车运行维护费") == D("7.35")
    assert last_year("公务接待费") == D("2.36")
    assert last_year("机关运行经费") == D("273.11")
    assert last_year("政府性基金预算财政拨款支出") == D("160")
    assert dec(find_cell(prior, "201 一般公共服务支出", "上年决算数").value) == D("2397.63")
    assert dec(find_cell(prior, "221 住房保障支出", "上年决算数").value) == D("99.63")


def test_write_blank_with_prior_fills_state_capital(tmp_path, demo):
    last = copy.deepcopy(demo)
    last.state_capital.total.values["本年支出"] = D("5")
    wb = openpyxl.load_workbook(write_blank(tmp_path / "next.xlsx", prior=last))
    assert dec(find_cell(wb["上年数"], "国有资本经营预算财政拨款支出", "上年决算数").value) == D("5")


def test_prior_year_figures_read_back(tmp_path, demo):
    """The 上年数 written by init --prior are what the reader hands to the text."""
    path = write_blank(tmp_path / "next.xlsx", prior=demo)
    wb = openpyxl.load_workbook(path)
    _fill_blank_from(openpyxl.load_workbook(DEMO), wb)
    unit = wb["单位信息"]
    unit[find_cell(unit, "年度", "内容").coordinate] = 2025
    wb.save(tmp_path / "next_filled.xlsx")
    m = read_workbook(tmp_path / "next_filled.xlsx")
    assert m.unit.year == 2025
    assert m.prior["本年收入合计"].value == D("2852.39")
    assert m.prior["公用经费"].value == D("273.11")
    assert m.prior_by_class["201"].value == D("2397.63")


# ---- blank means zero, also in 公开07 ----------------------------------------------------------


@pytest.mark.parametrize("mark", [None, "-"])
def test_sangong_row_of_blanks_or_dashes_reads_as_zero(tmp_path, mark):
    def edit(wb):
        ws = sheet_named(wb, "公开07表")
        for side in ("预算数", "决算数"):
            for item in ("合计", "因公出国（境）费", "小计", "公务用车购置费", "公务用车运行费", "公务接待费"):
                ws[sangong_cell(ws, side, item).coordinate] = mark

    m = read_workbook(edited_copy(DEMO, tmp_path / "sangong.xlsx", edit))
    assert set(m.sangong.actual.values.values()) == {D(0)}
    assert set(m.sangong.budget.values.values()) == {D(0)}


# ---- a formula with a cached value is read; an empty cached string is blank ---------------------


def _formula_book(tmp_path: Path, header: str, cached_xml: str) -> tuple[Path, str]:
    """公开05 row 2010302, column ``header``, as a formula cell with the given cached value XML."""
    return formula_cell_book(DEMO, tmp_path / "formula.xlsx", "公开05表", lambda ws: find_cell(ws, "2010302", header), cached_xml)


def test_formula_with_cached_number_is_read(tmp_path):
    # 项目支出 of 2010302 is printed 842.30; the formula's cached value says so
    path, coord = _formula_book(tmp_path, "项目支出", "><f>F</f><v>842.3</v>")
    m = read_workbook(path)
    assert m.gpb_expenditure.row("2010302").value("项目支出") == D("842.3")
    assert m.gpb_expenditure.row("2010302").cells["项目支出"] == coord
    assert run_checks(m) == []


def test_formula_with_cached_empty_string_is_blank(tmp_path):
    path, coord = _formula_book(tmp_path, "基本支出", ' t="str"><f>F</f><v/>')
    try:
        m = read_workbook(path)
    except InputError as err:
        pytest.fail(str(err))
    assert m.gpb_expenditure.row("2010302").value("基本支出") == 0


def test_amount_cells_are_remembered_by_value_and_type():
    """Amounts are converted once per distinct cell value (the same figures repeat across tables and
    units), told apart by type: 1 and 1.0 are both 1.00, but TRUE typed in an amount cell is not an
    amount, even right after a 1 was read; "1,234.5元" is 0.12 万元 (1234.5 × 0.0001 = 0.12345 → 0.12)."""
    from generator.intake.values import amount
    from generator.intake.workbook import Grid

    grid = Grid("公开01", [[1, 1.0, True, "1", "1,234.5元"]])
    assert [amount(grid, 0, c) for c in (0, 1, 3, 4)] == [D("1.00"), D("1.00"), D("1.00"), D("0.12")]
    with pytest.raises(InputError) as err:
        amount(grid, 0, 2, file="x.xlsx")
    assert (err.value.file, err.value.sheet, err.value.cell) == ("x.xlsx", "公开01", "C1")
    assert "应为金额" in str(err.value)
