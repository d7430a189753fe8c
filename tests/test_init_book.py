"""The workbook writer (generator/init_book.py) and the sample workbooks it writes.

The blank workbook is checked against the supplementary-sheet contract of §3 (headers in
row 1, keys in column A, values in column B). The fictional sample is checked for every
§6 identity with its own small reader here (Decimal from the openpyxl values), so that it
is consistent to the cent independently of intake.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from generator import keys
from generator.init_book import EXPORT_NAMES, INPUT_FILL, TABLE_ORDER, sheet_name, write_blank, write_book

ROOT = Path(__file__).resolve().parent.parent
ZERO = Decimal(0)
CENT = Decimal("0.01")
PLAIN_TABLES = [f"公开{i:02d}表" for i in range(1, 10)]
SUPPLEMENTARY = [keys.SHEET_PRIOR, keys.SHEET_BUDGET, keys.SHEET_REASONS, keys.SHEET_OTHER, keys.SHEET_PERFORMANCE, keys.SHEET_GLOSSARY]


def _load_make_samples():
    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "samples" / "src" / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    out = tmp_path_factory.mktemp("samples")
    paths = _load_make_samples().main(out)
    return {p.name: p for p in paths}


def dec(value) -> Decimal:
    """A cell value as Decimal 万元 (blank = 0)."""
    if value is None or value == "":
        return ZERO
    if isinstance(value, (int, float)):
        return Decimal(repr(value)).quantize(CENT)
    return Decimal(str(value).replace(",", "")).quantize(CENT)


def column(ws, col: int, start: int = 1) -> list:
    return [ws.cell(row=r, column=col).value for r in range(start, ws.max_row + 1)]


# ---- blank workbook -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def blank(tmp_path_factory):
    path = tmp_path_factory.mktemp("blank") / "blank.xlsx"
    write_blank(path, year=2024)
    return openpyxl.load_workbook(path)


def test_blank_has_every_sheet_in_order(blank):
    assert blank.sheetnames == ["填写说明", keys.SHEET_UNIT, *PLAIN_TABLES, *SUPPLEMENTARY]


def test_blank_instructions_mention_the_rules(blank):
    text = "\n".join(str(v) for v in column(blank["填写说明"], 1) if v)
    for needle in ("万元", "元", "“-”", "浅黄色", "导出", "科目编码", "金额单位"):
        assert needle in text


def test_blank_unit_sheet(blank):
    ws = blank[keys.SHEET_UNIT]
    assert [ws.cell(1, c).value for c in (1, 2, 3)] == ["项目", "内容", "填写说明"]
    n = len(keys.UNIT_KEYS)
    assert column(ws, 1, 2)[:n] == list(keys.UNIT_KEYS)
    assert column(ws, 3, 2)[:n] == [keys.UNIT_KEY_HELP[k] for k in keys.UNIT_KEYS]
    # one empty row, a caption, then the 决算单位构成 table header with five blank lines
    assert ws.cell(n + 2, 1).value is None
    assert ws.cell(n + 3, 1).value.startswith("决算单位构成表")
    assert [ws.cell(n + 4, c).value for c in (1, 2, 3)] == keys.COMPOSITION_COLUMNS
    assert ws.max_row == n + 4 + 5
    year_row = list(keys.UNIT_KEYS).index("年度") + 2
    assert ws.cell(year_row, 2).value == 2024
    assert ws.cell(2, 2).fill.fgColor.rgb.endswith(INPUT_FILL.fgColor.rgb[-6:])
    assert ws.freeze_panes == "A2"


def test_blank_prior_sheet(blank):
    ws = blank[keys.SHEET_PRIOR]
    assert [ws.cell(1, c).value for c in (1, 2, 3)] == ["指标", "上年决算数", "备注"]
    n = len(keys.PRIOR_KEYS)
    assert column(ws, 1, 2)[:n] == keys.PRIOR_KEYS
    assert ws.cell(n + 2, 1).value is None  # one empty row
    assert ws.cell(n + 3, 1).value == "按功能分类科目（类）列示的上年一般公共预算财政拨款支出"
    class_rows = [v for v in column(ws, 1, n + 4) if v]
    assert [v.split(" ", 1)[0] for v in class_rows] == list(keys.CLASS_NAMES)
    assert class_rows[0] == "201 一般公共服务支出"
    assert all(ws.cell(r, 2).value is None for r in range(2, ws.max_row + 1))


def test_blank_budget_reasons_other_glossary(blank):
    ws = blank[keys.SHEET_BUDGET]
    assert [ws.cell(1, c).value for c in range(1, 8)] == keys.BUDGET_COLUMNS
    ws = blank[keys.SHEET_REASONS]
    assert [ws.cell(1, c).value for c in (1, 2)] == ["事项", "内容"]
    assert column(ws, 1, 2) == keys.REASON_KEYS
    ws = blank[keys.SHEET_OTHER]
    assert [ws.cell(1, c).value for c in (1, 2, 3)] == ["事项", "数值", "单位"]
    assert column(ws, 1, 2) == list(keys.OTHER_KEYS)
    assert column(ws, 3, 2) == list(keys.OTHER_KEYS.values())
    ws = blank[keys.SHEET_GLOSSARY]
    assert [ws.cell(1, c).value for c in (1, 2)] == ["名词", "解释"]


def test_blank_performance_sheet(blank):
    ws = blank[keys.SHEET_PERFORMANCE]
    assert [ws.cell(1, c).value for c in (1, 2, 3)] == ["事项", "内容", "单位"]
    assert ws.cell(2, 1).value == keys.PERFORMANCE_NARRATIVE_KEY
    assert ws.cell(3, 1).value == keys.PERFORMANCE_SYSTEM_KEY
    n = len(keys.PERFORMANCE_KEYS)
    assert [ws.cell(4 + i, 1).value for i in range(n)] == list(keys.PERFORMANCE_KEYS)
    assert [ws.cell(4 + i, 3).value for i in range(n)] == list(keys.PERFORMANCE_KEYS.values())
    assert ws.cell(4 + n, 1).value == keys.PERFORMANCE_MECHANISM_KEY  # 上海2024's 工作机制, just above the attachment list
    # the attachment list (header + 3 blank lines), an empty row, then the project list
    assert [ws.cell(5 + n, c).value for c in (1, 2, 3)] == keys.ATTACHMENT_COLUMNS
    assert all(ws.cell(6 + n + i, 1).value is None for i in range(4))
    assert [ws.cell(10 + n, c).value for c in range(1, len(keys.PROJECT_COLUMNS) + 1)] == keys.PROJECT_COLUMNS


def test_blank_tables_have_titles_labels_and_yellow_inputs(blank):
    from generator.init_book import STATE_CAPITAL_IN_OUT, TITLES

    for kind, name in zip(TABLE_ORDER, PLAIN_TABLES, strict=False):
        ws = blank[name]
        # 公开09 as the 2024 formats print it: 国有资本经营预算财政拨款收入支出决算表
        assert ws["A1"].value == (STATE_CAPITAL_IN_OUT["title"] if kind == "state_capital" else TITLES[kind])
        texts = {str(c.value) for row in ws.iter_rows(max_row=3) for c in row if c.value}
        assert name in texts and "金额单位：万元" in texts and "部门：" in texts
        assert ws.freeze_panes is not None
        yellow = [c for row in ws.iter_rows() for c in row if c.fill.fgColor.rgb and c.fill.fgColor.rgb.endswith("FFF2CC")]
        assert yellow, name
    ws = blank["公开01表"]
    labels = [v for v in column(ws, 1) if v]
    assert "一、一般公共预算财政拨款收入" in labels and "使用非财政拨款结余" in labels
    assert "二十六、抗疫特别国债安排的支出" in [v for v in column(ws, 4) if v]


def test_blank_state_capital_table_has_carry_overs_and_income(blank):
    """The blank 公开09 has the columns of the 2024 收入支出 table (上海2024 prints all six for each 项),
    like 公开08; a format that prints the 支出 table takes its 本年支出 columns."""
    heads = [c.value for row in blank["公开09表"].iter_rows(min_row=4, max_row=5) for c in row if c.value]
    assert heads == ["项目", "年初结转和结余", "本年收入", "本年支出", "年末结转和结余", "功能分类科目编码", "科目名称", "小计", "基本支出", "项目支出"]


def test_blank_before_2019_uses_2018_layout(tmp_path):
    path = write_blank(tmp_path / "b2018.xlsx", year=2018)
    wb = openpyxl.load_workbook(path)
    assert "公开09表" not in wb.sheetnames and "公开08表" in wb.sheetnames
    labels = [v for v in column(wb["公开01表"], 1) if v]
    assert "一、财政拨款收入" in labels and "用事业基金弥补收支差额" in labels
    assert "九、医疗卫生与计划生育支出" in [v for v in column(wb["公开01表"], 4) if v]
    prior_classes = [v for v in column(wb[keys.SHEET_PRIOR], 1) if v and re.match(r"\d{3} ", str(v))]
    assert "210 医疗卫生与计划生育支出" in prior_classes
    assert not any(v.startswith(("224 ", "234 ")) for v in prior_classes)


def _prior_model():
    from generator.model import (
        BalanceTable,
        EconomicTable,
        Entry,
        Row,
        SanGongTable,
        SubjectTable,
        TableKind,
        UnitAccounts,
        UnitInfo,
    )

    D = Decimal

    def row(key, **values):
        return Row(key=key, values={k: D(v) for k, v in values.items()})

    summary = BalanceTable(
        kind=TableKind.summary,
        sheet="公开01表",
        totals={
            "收入总计": row("收入总计", 金额="3210.99"),
            "本年收入合计": row("本年收入合计", 金额="2217.42"),
            "本年支出合计": row("本年支出合计", 金额="2696.91"),
        },
    )
    fiscal = BalanceTable(
        kind=TableKind.fiscal_summary,
        sheet="公开04表",
        expenditure_columns=["合计", "一般公共预算财政拨款", "政府性基金预算财政拨款"],
        totals={
            "收入总计": row("收入总计", 金额="3134.35"),
            "本年收入合计": row("本年收入合计", 金额="2140.78"),
            "本年支出合计": row("本年支出合计", 合计="2666.26", 一般公共预算财政拨款="2666.26"),
        },
    )
    cols = ["合计", "基本支出", "项目支出"]
    gpb = SubjectTable(
        kind=TableKind.gpb_expenditure,
        sheet="公开05表",
        columns=cols,
        total=row("合计", 合计="2666.26", 基本支出="186.29", 项目支出="2479.97"),
        rows=[
            Row(key="201", code="201", name="一般公共服务支出", values={"合计": D("1732.98")}),
            Row(key="2010301", code="2010301", name="  行政运行", values={"合计": D("110.50")}),
            Row(key="207", code="207", name="文化旅游体育与传媒支出", values={"合计": D("909.88")}),
        ],
    )
    empty = dict(columns=["小计"], total=None)
    return UnitAccounts(
        unit=UnitInfo(name="测试单位", year=2023, entity="单位", parent="上级局", unit_type="事业单位", functions="职能一\n职能二"),
        summary=summary,
        income=SubjectTable(kind=TableKind.income, sheet="公开02表", **empty),
        expenditure=SubjectTable(kind=TableKind.expenditure, sheet="公开03表", **empty),
        fiscal_summary=fiscal,
        gpb_expenditure=gpb,
        gpb_basic=EconomicTable(sheet="公开06表", personnel_total=row("人员经费合计", 决算数="139.41"), public_total=row("公用经费合计", 决算数="46.88")),
        sangong=SanGongTable(
            sheet="公开07表",
            budget=row("预算数", 合计="7"),
            actual=row(
                "决算数",
                合计="4.06",
                **{"因公出国（境）费": "0", "公务用车购置及运行维护费": "4.06", "公务用车购置费": "0", "公务用车运行维护费": "4.06", "公务接待费": "0"},
            ),
        ),
        gov_fund=SubjectTable(kind=TableKind.gov_fund, sheet="公开08表", **empty),
        other={"机关运行经费": Entry(value=D("46.88")), "会议费": Entry(value=D("1.20"))},
    )


def test_blank_with_prior_fills_last_years_actuals(tmp_path):
    path = write_blank(tmp_path / "next.xlsx", prior=_prior_model())
    wb = openpyxl.load_workbook(path)
    unit = {ws_row[0]: ws_row[1] for ws_row in wb[keys.SHEET_UNIT].iter_rows(min_row=2, values_only=True)}
    assert unit["年度"] == 2024 and unit["单位名称"] == "测试单位" and unit["主要职能"] == "职能一\n职能二"
    ws = wb[keys.SHEET_PRIOR]
    prior = {r[0]: (r[1], r[2]) for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}
    expected = {
        "收支总计": "3210.99",
        "本年收入合计": "2217.42",
        "本年支出合计": "2696.91",
        "财政拨款收支总计": "3134.35",
        "财政拨款收入": "2140.78",
        "财政拨款支出": "2666.26",
        "一般公共预算财政拨款支出": "2666.26",
        "基本支出": "186.29",
        "项目支出": "2479.97",
        "人员经费": "139.41",
        "公用经费": "46.88",
        "三公经费合计": "4.06",
        "因公出国（境）费": "0",
        "公务用车购置及运行维护费": "4.06",
        "公务用车运行维护费": "4.06",
        "公务接待费": "0",
        "机关运行经费": "46.88",
        "会议费": "1.20",
        "201 一般公共服务支出": "1732.98",
        "207 文化旅游体育与传媒支出": "909.88",
    }
    for key, value in expected.items():
        assert dec(prior[key][0]) == Decimal(value), key
        assert prior[key][1] == "由上年工作簿自动填入", key
    assert prior["培训费"][0] is None and prior["205 教育支出"][0] is None
    budget = [r[:2] for r in wb[keys.SHEET_BUDGET].iter_rows(min_row=2, values_only=True) if r[0]]
    assert budget == [("2010301", "行政运行")]


def test_write_book_amounts_are_numbers_and_codes_text(tmp_path):
    book = {
        "unit": {"单位名称": "甲", "年度": 2024},
        "tables": {"income": {"total": [Decimal("1.10")] * 7, "rows": [("201", "一般公共服务支出", [Decimal("1.10")] * 7)]}},
    }
    wb = openpyxl.load_workbook(write_book(tmp_path / "a.xlsx", book))
    ws = wb["公开02表"]
    found = [(c.value, c.number_format) for row in ws.iter_rows() for c in row if c.value == "201"]
    assert found and found[0][1] == "@"
    amounts = [c for row in ws.iter_rows() for c in row if isinstance(c.value, (int, float)) and c.value == 1.1]
    assert len(amounts) == 14 and all(c.number_format == "#,##0.00" for c in amounts)


def test_sheet_names_are_legal():
    for kind in TABLE_ORDER:
        for style in ("plain", "export"):
            name = sheet_name(kind, style)
            assert len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name)
    assert sheet_name("sangong", "export") == "F03 一般公共预算财政拨款“三公”经费支出决算表(公开07表"


# ---- samples --------------------------------------------------------------------------------


def test_samples_are_deterministic(samples, tmp_path):
    again = _load_make_samples().main(tmp_path)
    for path in again:
        assert path.read_bytes() == samples[path.name].read_bytes(), path.name


def test_yiyang_sample_keeps_the_published_figures(samples):
    wb = openpyxl.load_workbook(samples["益阳市智慧城市和大数据中心_2020.xlsx"])
    assert [n for n in wb.sheetnames if "公开" in n] == [EXPORT_NAMES[k] for k in TABLE_ORDER]
    ws = wb[EXPORT_NAMES["summary"]]
    totals = [dec(r[2]) for r in ws.iter_rows(values_only=True) if r[0] == "总计"]
    assert totals == [Decimal("3210.99")]  # not 2,217.42 + 993.56 = 3,210.98
    ws = wb[EXPORT_NAMES["gpb_basic"]]
    assert [dec(r[5]) for r in ws.iter_rows(values_only=True) if r[3] == "302"] == [Decimal("46.25")]
    budget = wb[keys.SHEET_BUDGET]
    assert len([r for r in budget.iter_rows(min_row=2, values_only=True) if r[0]]) == 13


def test_yongzhou_sample_has_eight_tables_and_no_pasted_table(samples):
    wb = openpyxl.load_workbook(samples["永州市政务服务中心_2018.xlsx"])
    assert [n for n in wb.sheetnames if "公开" in n] == PLAIN_TABLES[:8]
    text = " ".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value)
    assert "永州市行政审批服务局" not in text
    ws = wb["公开08表"]
    total = [r for r in ws.iter_rows(values_only=True) if r[0] == "合计"]
    assert total and all(v is None for v in total[0][2:])
    labels = [v for v in column(wb["公开01表"], 1) if v]
    assert "一、财政拨款收入" in labels and "用事业基金弥补收支差额" in labels


# ---- the fictional sample: every §6 identity, to the cent -----------------------------------


def read_subject(ws) -> tuple[list[Decimal], dict[str, list[Decimal]], dict[str, str]]:
    total, rows, names = None, {}, {}
    for r in ws.iter_rows(values_only=True):
        a = "" if r[0] is None else str(r[0]).strip()
        if a == "合计":
            total = [dec(x) for x in r[2:]]
        elif re.fullmatch(r"\d{3}|\d{5}|\d{7}", a):
            rows[a] = [dec(x) for x in r[2:]]
            names[a] = r[1]
    width = len(total)
    return total, {k: (v + [ZERO] * width)[:width] for k, v in rows.items()}, names


def read_balance(ws, ncols: int) -> tuple[dict[str, Decimal], dict[str, list[Decimal]]]:
    left, right = {}, {}
    for r in ws.iter_rows(values_only=True):
        if r[0] and not str(r[0]).startswith(("注", "部门", "栏次", "项目", "收")):
            key = keys.strip_ordinal(r[0])
            left["年初:" + key if key in left else key] = dec(r[2])  # 公开04 年初 sub-lines
        if r[3] and not str(r[3]).startswith(("栏次", "项目", "支")):
            right[keys.strip_ordinal(r[3])] = [dec(x) for x in r[5 : 5 + ncols]]
    return left, right


def sum_children(rows: dict[str, list[Decimal]], parent: str) -> list[Decimal]:
    n = len(parent) + 2
    kids = [v for c, v in rows.items() if len(c) == n and c.startswith(parent)]
    return [sum(col, ZERO) for col in zip(*kids, strict=False)]


@pytest.fixture(scope="module")
def demo(samples):
    return openpyxl.load_workbook(samples["示例单位_2024.xlsx"])


def supp(ws, first_row: int = 2) -> dict:
    return {r[0]: r[1:] for r in ws.iter_rows(min_row=first_row, values_only=True) if r[0]}


def test_demo_subject_tables_add_up(demo):
    for name, rule in [
        ("公开02表", lambda v: v[0] == sum(v[1:], ZERO)),
        ("公开03表", lambda v: v[0] == sum(v[1:], ZERO)),
        ("公开05表", lambda v: v[0] == v[1] + v[2]),
        ("公开08表", lambda v: v[2] == v[3] + v[4] and v[5] == v[0] + v[1] - v[2]),
        ("公开09表", lambda v: v[0] == v[1] + v[2]),
    ]:
        total, rows, _ = read_subject(demo[name])
        classes = [v for c, v in rows.items() if len(c) == 3]
        assert total == [sum(col, ZERO) for col in zip(*classes, strict=False)] if classes else all(x == 0 for x in total), name
        for code, values in rows.items():
            if len(code) < 7:
                assert values == sum_children(rows, code), (name, code)
            assert rule(values), (name, code)
        assert rule(total), name


def test_demo_cross_table_identities(demo):
    s_left, s_right = read_balance(demo["公开01表"], 1)
    income_lines = [s_left[k] for k in keys.INCOME_LINES_2020]
    assert s_left["本年收入合计"] == sum(income_lines, ZERO)
    class_lines = {keys.class_code(k): v[0] for k, v in s_right.items() if keys.class_code(k)}
    assert s_right["本年支出合计"][0] == sum(class_lines.values(), ZERO)
    assert s_left["总计"] == s_left["本年收入合计"] + s_left["使用非财政拨款结余"] + s_left["年初结转和结余"]
    assert s_right["总计"][0] == s_right["本年支出合计"][0] + s_right["结余分配"][0] + s_right["年末结转和结余"][0]
    assert s_left["总计"] == s_right["总计"][0]

    inc_total, _, _ = read_subject(demo["公开02表"])
    assert inc_total[0] == s_left["本年收入合计"]
    assert inc_total[1] == s_left["一般公共预算财政拨款收入"] + s_left["政府性基金预算财政拨款收入"] + s_left["国有资本经营预算财政拨款收入"]
    assert inc_total[2:] == [s_left[k] for k in keys.INCOME_LINES_2020[3:]]

    exp_total, exp_rows, _ = read_subject(demo["公开03表"])
    assert exp_total[0] == s_right["本年支出合计"][0]
    for code, amount in class_lines.items():
        assert exp_rows.get(code, [ZERO])[0] == amount, code

    f_left, f_right = read_balance(demo["公开04表"], 4)
    gpb_total, gpb_rows, _ = read_subject(demo["公开05表"])
    fund_total, fund_rows, _ = read_subject(demo["公开08表"])
    sc_total, sc_rows, _ = read_subject(demo["公开09表"])
    assert f_left["一般公共预算财政拨款"] == s_left["一般公共预算财政拨款收入"]
    assert f_left["政府性基金预算财政拨款"] == s_left["政府性基金预算财政拨款收入"] == fund_total[1]
    assert f_left["本年收入合计"] == sum((f_left[k] for k in keys.FISCAL_INCOME_LINES), ZERO)
    opening = f_left["年初财政拨款结转和结余"]
    assert opening == sum((f_left["年初:" + k] for k in keys.FISCAL_INCOME_LINES), ZERO)
    assert f_left["年初:政府性基金预算财政拨款"] == fund_total[0]
    assert f_left["总计"] == f_left["本年收入合计"] + opening
    assert f_left["总计"] == f_right["总计"][0]
    for label, values in f_right.items():
        assert values[0] == values[1] + values[2] + values[3], label
        code = keys.class_code(label)
        if code:
            assert values[1] == gpb_rows.get(code, [ZERO])[0], code
            assert values[2] == fund_rows.get(code, [ZERO] * 3)[2], code
            assert values[3] == sc_rows.get(code, [ZERO])[0], code
    assert f_right["本年支出合计"][1:] == [gpb_total[0], fund_total[2], sc_total[0]]
    assert f_right["年末财政拨款结转和结余"][2] == fund_total[5]
    assert f_right["总计"][0] == f_right["本年支出合计"][0] + f_right["年末财政拨款结转和结余"][0]
    assert s_left["年初结转和结余"] == opening  # all carry-over of this unit is fiscal


def test_demo_basic_and_sangong(demo):
    ws = demo["公开06表"]
    items: dict[str, Decimal] = {}
    personnel = public = None
    for r in ws.iter_rows(values_only=True):
        for p in range(3):
            code = r[3 * p]
            if code and re.fullmatch(r"\d{3}|\d{5}", str(code)):
                items[str(code)] = dec(r[3 * p + 2])
        if r[0] == "人员经费合计":
            personnel, public = dec(r[2]), dec(r[8])
    for group in ("301", "302", "303", "307", "310", "399"):
        assert items[group] == sum((v for c, v in items.items() if len(c) == 5 and c.startswith(group)), ZERO), group
    assert personnel == items["301"] + items["303"]
    assert public == items["302"] + items["307"] + items["310"] + items["399"]
    gpb_total, _, _ = read_subject(demo["公开05表"])
    assert gpb_total[1] == personnel + public

    ws = demo["公开07表"]
    data = None
    rows = list(ws.iter_rows(values_only=True))
    for i, r in enumerate(rows):
        if [str(x) for x in r[:12]] == [str(k) for k in range(1, 13)]:
            data = [dec(x) for x in rows[i + 1][:12]]
    assert data is not None
    for half in (data[:6], data[6:]):
        total, abroad, car, buy, run, reception = half
        assert total == abroad + car + reception and car == buy + run
    actual = data[6:]
    assert items["30212"] <= actual[1] and items["30217"] <= actual[5]
    assert items["30231"] <= actual[4] and items["31013"] <= actual[3]

    other = supp(demo[keys.SHEET_OTHER])
    assert dec(other["机关运行经费"][0]) == public  # 行政单位
    # 政府采购支出总额 left blank on purpose: the total is computed from its kinds
    assert other["政府采购支出总额"][0] is None
    assert sum((dec(other[k][0]) for k in keys.PROCUREMENT_KINDS), ZERO) == Decimal("499.15")  # 86.40 + 0 + 412.75
    assert other["车辆总数"][0] == sum(other[k][0] for k in keys.VEHICLE_KINDS)


def test_demo_fills_every_key_and_exercises_the_edge_cases(demo):
    unit = supp(demo[keys.SHEET_UNIT])
    assert all(unit[k][0] not in (None, "") for k in keys.UNIT_KEYS)
    assert unit["单位性质"][0] == "行政单位" and unit["公开主体"][0] == "单位"
    prior = supp(demo[keys.SHEET_PRIOR])
    assert all(prior[k][0] is not None for k in keys.PRIOR_KEYS)
    reasons = supp(demo[keys.SHEET_REASONS])
    assert all(reasons[k][0] for k in keys.REASON_KEYS)
    other = supp(demo[keys.SHEET_OTHER])
    # every key but the computed 政府采购 total and the 2018-era vehicle categories
    left_blank = {keys.PROCUREMENT_TOTAL, "一般公务用车", "一般执法执勤用车", keys.FESTIVAL_KEY}  # 节庆: 湖南 only
    assert all(other[k][0] is not None for k in keys.OTHER_KEYS if k not in left_blank)
    assert all(other[k][0] is None for k in left_blank)
    perf_ws = demo[keys.SHEET_PERFORMANCE]
    perf = supp(perf_ws)
    assert perf[keys.PERFORMANCE_NARRATIVE_KEY][0]
    assert all(perf[k][0] is not None for k in keys.PERFORMANCE_KEYS)
    header_row = next(r for r in range(1, perf_ws.max_row + 1) if perf_ws.cell(r, 1).value == keys.PROJECT_COLUMNS[0])
    projects = [r for r in perf_ws.iter_rows(min_row=header_row + 1, values_only=True) if r[0]]
    assert len(projects) >= 2 and all(all(x not in (None, "") for x in p[:7]) for p in projects)
    assert dec(perf["绩效自评项目数"][0]) == len(projects)
    scores = [dec(p[1]) for p in projects]
    assert dec(perf["平均得分"][0]) == (sum(scores, ZERO) / len(scores)).quantize(CENT)
    glossary = supp(demo[keys.SHEET_GLOSSARY])
    assert glossary

    # budget vs actual: one equal, one over, one without 年初预算 but with a reason
    _, gpb_rows, _ = read_subject(demo["公开05表"])
    rows = [r for r in demo[keys.SHEET_BUDGET].iter_rows(min_row=2, values_only=True) if r[0]]
    budget = [r for r in rows if r[0] != keys.BUDGET_TOTAL_LABEL and r[6] is None]  # 一般公共预算
    assert {r[0] for r in budget} == {c for c in gpb_rows if len(c) == 7}
    # a 政府性基金 row (资金来源 typed) and the typed 一般公共预算 合计 = Σ of its 项
    assert [(r[0], r[6]) for r in rows if r[6] == "政府性基金"] == [("2121399", "政府性基金")]
    (total,) = [r for r in rows if r[0] == keys.BUDGET_TOTAL_LABEL]
    assert total[6] == "一般公共预算" and dec(total[2]) == sum((dec(r[2]) for r in budget), ZERO)
    actual = {r[0]: gpb_rows[r[0]][0] for r in budget}
    assert any(dec(r[2]) == actual[r[0]] and dec(r[2]) > 0 for r in budget)
    assert any(actual[r[0]] > dec(r[2]) > 0 and r[5] for r in budget)
    assert any(dec(r[2]) == 0 and actual[r[0]] > 0 and r[5] for r in budget)

    # prior: one equal to this year (持平), one new this year (prior 0), one zero in both years
    sangong = [r for r in demo["公开07表"].iter_rows(values_only=True) if isinstance(r[6], (int, float))]
    run = dec(sangong[-1][10])
    assert dec(prior["公务用车运行维护费"][0]) == run > 0
    assert dec(prior["培训费"][0]) == 0 < dec(other["培训费"][0])
    assert dec(prior["国有资本经营预算财政拨款支出"][0]) == 0
    prior_classes = {k.split(" ")[0]: dec(v[0]) for k, v in prior.items() if re.match(r"\d{3} ", str(k)) and v[0] is not None}
    gpb_total, _, _ = read_subject(demo["公开05表"])
    assert sum(prior_classes.values(), ZERO) == dec(prior["一般公共预算财政拨款支出"][0])
    assert dec(prior["基本支出"][0]) + dec(prior["项目支出"][0]) == dec(prior["一般公共预算财政拨款支出"][0])
    assert dec(prior["人员经费"][0]) + dec(prior["公用经费"][0]) == dec(prior["基本支出"][0])

    # a tiny 类 (share below 0.005% of 本年支出合计), a non-empty 公开08, an empty 公开09
    exp_total, exp_rows, _ = read_subject(demo["公开03表"])
    shares = [v[0] / exp_total[0] for c, v in exp_rows.items() if len(c) == 3]
    assert any(0 < s < Decimal("0.00005") for s in shares)
    fund_total, fund_rows, _ = read_subject(demo["公开08表"])
    assert fund_rows and fund_total[2] > 0
    sc_total, sc_rows, _ = read_subject(demo["公开09表"])
    assert not sc_rows and all(v == 0 for v in sc_total)

    # the demo is read by reviewers as a publishable document: no markup-looking text in its sheets ("R&D <试点>" was
    # sent back); escaping is tested on a copy with such text put in (test_document: markup characters printed literally)
    texts = [str(c.value) for name in ("说明", "预算数", "绩效") for row in demo[name].iter_rows() for c in row if isinstance(c.value, str)]
    assert texts and not any(re.search(r"[&<>]", t) for t in texts)


def test_demo_uses_current_class_names(demo):
    _, rows, names = read_subject(demo["公开03表"])
    for code in (c for c in rows if len(c) == 3):
        assert names[code] == keys.CLASS_NAMES[code]
