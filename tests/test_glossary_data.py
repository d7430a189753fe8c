"""名词解释 data (issue 12 item 9): every non-zero 科目 of the samples and of the synthetic
vocabulary has a definition, names follow the year, the unit's own entry replaces ours, and
the 其他 rule never doubles "其他"."""

from __future__ import annotations

import tomllib

import pytest

from generator import keys, synthetic
from generator.glossary import _DATA, glossary_items, subject_definition, subject_entries, subject_name
from generator.intake import read_workbook
from tests.helpers import DEMO, YIYANG, YONGZHOU, edited_copy

SAMPLES = [DEMO, YIYANG, YONGZHOU]


@pytest.fixture(scope="module")
def models():
    return {p.stem: read_workbook(p) for p in SAMPLES}


def _nonzero_rows(m):
    for t in (m.income, m.expenditure, m.gpb_expenditure, m.gov_fund, m.state_capital):
        for row in t.rows if t is not None else []:
            if any(v != 0 for v in row.values.values()):
                yield row


@pytest.mark.parametrize("stem", [p.stem for p in SAMPLES])
def test_every_nonzero_subject_of_the_samples_has_a_definition(models, stem):
    m = models[stem]
    entries = dict(glossary_items(m, levels=(1, 2, 3)))
    for row in _nonzero_rows(m):
        level = {1: "类", 2: "款", 3: "项"}[row.level]
        name = keys.class_name(row.code, m.unit.year) if row.level == 1 else row.name.strip()
        term = f"{name}（{level}）"
        assert term in entries, (row.code, term)
        assert entries[term].startswith("指") and "【待补充" not in entries[term], (row.code, entries[term])


def test_every_subject_of_the_synthetic_vocabulary_has_a_definition():
    for code, name in synthetic.NAMES.items():
        assert subject_definition(code, name, 2024), (code, name)


def test_every_class_and_kuan_of_201_to_234_is_in_the_data():
    codes = tomllib.loads(_DATA.read_text("utf-8"))["codes"]
    for code in keys.CLASS_NAMES:
        assert code in codes and codes[code]["text"].startswith("指"), code
    # the 款 of the classes a 部门决算 commonly uses, current and abolished
    for code in ("20101", "20103", "20111", "20137", "20138", "20199", "20402", "20502", "20601", "20701", "20805", "20808", "20828",
                 "21011", "21015", "21101", "21201", "21208", "21301", "21305", "21401", "22001", "22102", "22401", "22402", "22499", "23401"):  # fmt: skip
        assert code in codes, code


def test_names_follow_the_year_of_the_2019_reform():
    assert subject_name("210", 2018) == "医疗卫生与计划生育支出" and subject_name("210", 2019) == "卫生健康支出"
    assert subject_name("207", 2018) == "文化体育与传媒支出" and subject_name("207", 2024) == "文化旅游体育与传媒支出"
    assert subject_name("215", 2018) == "资源勘探信息等支出" and subject_name("220", 2018) == "国土海洋气象等支出"
    assert subject_name("20805", 2018) == "行政事业单位离退休" and subject_name("20805", 2020) == "行政事业单位养老支出"
    # each name has its own definition: the 2018 class text speaks of 计划生育, not 卫生健康
    assert "计划生育" in subject_definition("210", "医疗卫生与计划生育支出", 2018)
    assert subject_definition("210", "卫生健康支出", 2024).startswith("指政府在卫生健康方面")


def test_the_2018_sample_prints_the_old_class_name_with_its_definition(models):
    entries = dict(subject_entries(models[YONGZHOU.stem], levels=(1,)))
    assert "医疗卫生与计划生育支出（类）" in entries and "卫生健康支出（类）" not in entries


@pytest.mark.parametrize(
    "name, expected",
    [
        # XX comes from the item's own name: "其他" + XX + "支出"
        ("其他一般公共服务支出", "指除上述项目以外其他用于一般公共服务方面的支出。"),
        ("其他政府办公厅（室）及相关机构事务支出", "指除上述项目以外其他用于政府办公厅（室）及相关机构事务方面的支出。"),
        ("其他城市基础设施配套费安排的支出", "指除上述项目以外其他用城市基础设施配套费安排的支出。"),
        ("其他应急管理支出", "指除上述项目以外其他用于应急管理方面的支出。"),
    ],
)
def test_the_other_rule_never_doubles_qita(name, expected):
    # codes not in the data (9999999) so that the rule, not a data entry, answers
    assert subject_definition("9999999", name, 2024) == expected


def test_no_entry_of_any_sample_says_qita_twice(models):
    for m in models.values():
        for term, definition in glossary_items(m, levels=(1, 2, 3)):
            assert "其他用于其他" not in definition and "其他其他" not in definition, term


def test_a_subject_we_cannot_define_is_marked_not_dropped(tmp_path):
    def rename(wb):
        ws = wb["公开05表"]
        for row in ws.iter_rows():
            for c in row:
                if c.value == "专项统计业务":
                    c.value = "自创的项目名称"

    m = read_workbook(edited_copy(DEMO, tmp_path / "x.xlsx", rename))
    entries = dict(subject_entries(m))
    assert entries["自创的项目名称（项）"] == "【待补充：2010505 自创的项目名称的名词解释（“名词解释”工作表）】"


def test_the_units_own_entry_replaces_the_generic_other_income(models):
    demo = dict(glossary_items(models[DEMO.stem]))
    # the demo's 名词解释 sheet defines 其他收入 in its own words
    assert demo["其他收入"] == "指单位取得的除上述收入以外的各项收入，本单位主要是银行存款利息收入和往来款清理收入。"
    yiyang = dict(glossary_items(models[YIYANG.stem]))
    assert yiyang["其他收入"] == "指单位取得的除上述各项收入以外的收入，如存款利息收入等。"  # built-in: no entry of its own
    terms = [t for t, _ in glossary_items(models[DEMO.stem])]
    assert terms.count("其他收入") == 1


def test_an_undefined_subject_is_a_check_warning_until_the_unit_defines_it(tmp_path):
    from generator.checks import run_checks

    def rename(wb):
        for row in wb["公开05表"].iter_rows():
            for c in row:
                if c.value == "专项统计业务":
                    c.value = "自创的项目名称"

    book = edited_copy(DEMO, tmp_path / "x.xlsx", rename)
    (f,) = [f for f in run_checks(read_workbook(book)) if f.rule == "名词解释"]
    assert f.level == "warning" and "“自创的项目名称（项）”" in f.message and f.sheet == "名词解释"

    def define(wb):
        rename(wb)
        wb["名词解释"].append(["自创的项目名称（项）", "反映本单位自创项目的支出。"])

    m = read_workbook(edited_copy(DEMO, tmp_path / "y.xlsx", define))
    assert [f for f in run_checks(m) if f.rule == "名词解释"] == []
    assert dict(glossary_items(m))["自创的项目名称（项）"] == "反映本单位自创项目的支出。"
