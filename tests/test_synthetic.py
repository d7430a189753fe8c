"""Synthetic units (generator/synthetic.py): consistent to the cent, every sheet filled,
and a department workbook that is exactly the sum of its units."""

from __future__ import annotations

from decimal import Decimal

import pytest

from generator import keys
from generator.checks import run_checks
from generator.consolidate import check_department
from generator.init_book import write_book
from generator.intake import read_workbook
from generator.synthetic import department_book, synthetic_book, write_units


@pytest.mark.parametrize("seed", range(5))
def test_unit_is_consistent_and_complete(tmp_path, seed):
    book = synthetic_book(seed)
    model = read_workbook(write_book(tmp_path / f"unit{seed}.xlsx", book))
    assert run_checks(model) == []

    rows = model.gpb_expenditure.rows
    assert 30 <= len(rows) <= 60
    assert 4 <= sum(len(r.code) == 3 for r in rows) <= 8
    assert set(model.prior) == set(keys.PRIOR_KEYS)
    assert set(keys.REASON_KEYS) <= set(model.reasons)
    assert all(model.reasons[k].text for k in keys.REASON_KEYS)
    assert set(keys.OTHER_KEYS) - {"一般公务用车", "一般执法执勤用车"} <= set(model.other)  # a 2024-era unit: the current vehicle list
    assert set(keys.PERFORMANCE_KEYS) <= set(model.performance.summary)
    assert model.performance.narrative.text
    assert 2 <= len(model.performance.projects) <= 5
    assert model.glossary
    gpb_classes = {r.code for r in rows if len(r.code) == 3}
    assert gpb_classes <= set(model.prior_by_class)

    items = {r.code: r.value("合计") for r in rows if len(r.code) == 7}
    budget = {b.code: b for b in model.budget}
    assert set(items) <= set(budget)
    initial = {c: budget[c].initial for c in items}
    assert any(v == 0 for v in initial.values())  # one zero-budget 项
    assert any(v == items[c] for c, v in initial.items())
    assert any(0 < v < items[c] for c, v in initial.items())
    assert any(v > items[c] for c, v in initial.items())
    if "行政" in model.unit.unit_type:
        assert model.other["机关运行经费"].value == model.gpb_basic.public_total.value("决算数")


def test_items_and_determinism():
    assert synthetic_book(7) == synthetic_book(7)
    assert synthetic_book(7) != synthetic_book(8)
    book = synthetic_book(3, items=12, name="测试单位", year=2023)
    assert book["unit"]["单位名称"] == "测试单位" and book["unit"]["年度"] == 2023
    assert sum(len(code) == 7 for code, _, _ in book["tables"]["gpb_expenditure"]["rows"]) == 12
    # amounts are Decimal with two places
    values = [v for _, _, vals in book["tables"]["expenditure"]["rows"] for v in vals]
    assert all(isinstance(v, Decimal) and v.as_tuple().exponent == -2 for v in values)
    # 公开08 is non-empty for some seeds, empty for others
    assert {bool(synthetic_book(s)["tables"]["gov_fund"]["rows"]) for s in range(12)} == {True, False}


def test_department_is_sum_of_units(tmp_path):
    dept_name = "示例市测试局"
    units = [synthetic_book(seed, parent=dept_name) for seed in (11, 12, 13)]
    names = [u["unit"]["单位名称"] for u in units]
    assert len(set(names)) == 3
    unit_models = [read_workbook(write_book(tmp_path / f"u{i}.xlsx", u)) for i, u in enumerate(units)]
    dept = department_book(units, name=dept_name)
    dept_model = read_workbook(write_book(tmp_path / "dept.xlsx", dept))
    assert dept_model.unit.entity == "部门"
    assert run_checks(dept_model) == []
    assert check_department(dept_model, unit_models) == []

    # one 项's 基本支出 in the department's 公开05 off by +1.00 -> exactly that cell is reported
    code = "2210201"  # 住房公积金: present in every unit
    for row_code, _, values in dept["tables"]["gpb_expenditure"]["rows"]:
        if row_code == code:
            values[1] += Decimal("1.00")
    bad = read_workbook(write_book(tmp_path / "dept_bad.xlsx", dept))
    findings = check_department(bad, unit_models)
    assert len(findings) == 1
    f = findings[0]
    assert f.level == "error"
    assert "一般公共预算财政拨款支出决算表" in f.message
    assert f"“{code} 住房公积金”行“基本支出”列" in f.message
    assert all(n in f.message for n in names)
    assert f.sheet == "公开05表" and f.found - f.expected == Decimal("1.00")


def test_write_units(tmp_path):
    paths = write_units(tmp_path, 2, seed=1, with_department=True)
    assert len(paths) == 3 and all(p.exists() for p in paths)
    models = [read_workbook(p) for p in paths]
    dept, units = models[-1], models[:-1]
    assert dept.unit.entity == "部门"
    assert all(u.unit.parent == dept.unit.name for u in units)
    assert check_department(dept, units) == []
