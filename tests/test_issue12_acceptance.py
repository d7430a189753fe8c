"""Issue 12's acceptance where the other issue-12 test modules leave a case open (map: the
integrator's note I12MAP). Every test builds a sample workbook with a format (or an edited copy:
openpyxl, one change) and reads the .docx back; expected texts are written out with their arithmetic.

Zero and non-zero cases are both here or named beside the test that has the other one.
"""

from __future__ import annotations

import re

import pytest
from docx_helpers import build_edited as build
from docx_helpers import paragraph_starting as para

from generator import keys
from generator.checks import run_checks
from generator.intake import read_workbook
from tests.helpers import DEMO, DEPARTMENT, YIYANG, YONGZHOU, edited_copy

FORMATS = {"上海2024": DEMO, "中央2024": DEMO, "湖南2020": YIYANG, "2018": YONGZHOU}
YEARS = {"上海2024": 2024, "中央2024": 2024, "湖南2020": 2020, "2018": 2018}


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("issue12")


@pytest.fixture(scope="module")
def docs(out_dir):
    return {name: build(src, out_dir, f"sample-{name}", name) for name, src in FORMATS.items()}


@pytest.fixture(scope="module")
def department(out_dir):
    """The department sample (示例部门_2024) under 上海2024: the non-zero cases the unit sample has as zero."""
    return build(DEPARTMENT, out_dir, "department", "上海2024")


def body_part(doc, start: str, end: str) -> list[str]:
    """The body paragraphs from the heading ``start`` up to the heading ``end`` (目录 lines end with a tab)."""
    i = doc.paragraphs.index(start)
    return doc.paragraphs[i : doc.paragraphs.index(end, i)]


# ---- item 2: the 目录 lists the tables under 第二部分 ----------------------------------------------------

COMMON = ["一、收入支出决算总表", "二、收入决算表", "三、支出决算表", "四、财政拨款收入支出决算总表", "五、一般公共预算财政拨款支出决算表"]
TOC_TABLES = {
    "上海2024": COMMON
    + [
        "六、一般公共预算财政拨款基本支出决算表",
        "七、财政拨款“三公”经费支出决算表",
        "八、政府性基金预算财政拨款收入支出决算表",
        "九、国有资本经营预算财政拨款收入支出决算表",
    ],
    "中央2024": COMMON
    + [
        "六、一般公共预算财政拨款基本支出决算明细表",
        "七、政府性基金预算财政拨款收入支出决算表",
        "八、国有资本经营预算财政拨款支出决算表",
        "九、财政拨款“三公”经费支出决算表",
    ],
    "湖南2020": COMMON
    + [
        "六、一般公共预算财政拨款基本支出决算表",
        "七、一般公共预算财政拨款“三公”经费支出决算表",
        "八、政府性基金预算财政拨款收入支出决算表",
        "九、国有资本经营预算财政拨款支出决算表",
    ],
    # the 2018 format has eight tables (no 国有资本经营 table)
    "2018": COMMON + ["六、一般公共预算财政拨款基本支出决算表", "七、一般公共预算财政拨款“三公”经费支出决算表", "八、政府性基金预算财政拨款收入支出决算表"],
}


@pytest.mark.parametrize("name", FORMATS)
def test_toc_lists_every_table_of_the_format_under_part_two(docs, name):
    """Empty tables are listed too: 湖南's 公开08 and 09 are empty (zero case), 上海's 公开08 has a 项 (non-zero)."""
    doc = docs[name]
    entries = [p.rstrip("\t").strip() for p in doc.paragraphs[: doc.paragraphs.index("目　录") + 60] if p.endswith("\t")]
    start = next(i for i, e in enumerate(entries) if e.startswith("第二部分"))
    end = next(i for i, e in enumerate(entries) if e.startswith("第三部分"))
    assert entries[start + 1 : end] == TOC_TABLES[name]


# ---- item 3: 政府性基金, zero and non-zero --------------------------------------------------------------


def test_fund_heading_sentence_nonzero_and_zero(docs):
    # 公开08 合计: 本年收入 150.00, 本年支出 160.00 (基本 0.00 + 项目 160.00); the 项 itself: test_content_sentences::test_fund_item_like_general_budget
    assert "2024年度政府性基金预算财政拨款收入150.00万元，支出160.00万元，支出具体情况如下：" in docs["上海2024"].paragraphs
    assert "2024年度政府性基金预算财政拨款收入150.00万元，支出160.00万元，支出具体情况如下：" in docs["中央2024"].paragraphs
    # zero: 湖南's format sentence, citing its empty table
    assert "益阳市智慧城市和大数据中心2020年度无政府性基金预算财政拨款收入和支出，公开08表为空表。" in docs["湖南2020"].paragraphs
    assert "永州市政务服务中心2018年度无政府性基金预算财政拨款收入和支出，公开08表为空表。" in docs["2018"].paragraphs


def test_an_item_without_budget_says_why_it_was_spent(docs):
    # 2019999: 年初预算 0.00, 决算 35.60 — no rate, the reason as for any over-spending, no dangling "支出的主要原因是"
    assert para(docs["上海2024"], "5、一般公共服务支出（类）其他一般公共服务支出（款）") == (
        "5、一般公共服务支出（类）其他一般公共服务支出（款）其他一般公共服务支出（项）。主要用于数据要素创新应用试点。"
        "年初未安排预算，支出决算为35.60万元，决算数大于年初预算数的主要原因是年中新增数据要素创新应用试点项目，由财政追加安排。"
    )
    assert not any("支出的主要原因是" in p for doc in docs.values() for p in doc.paragraphs)


def test_shanghai_item_without_use_is_a_visible_gap(out_dir):
    """上海2024 asks 主要用于 of every 项: a blank 主要用途 is 【待补充】 (湖南/2018: the seeds state none, the clause is left out)."""

    def blank_use(wb):
        ws = wb[keys.SHEET_BUDGET]
        row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "2010505")
        row[4].value = None

    doc = build(DEMO, out_dir, "no-use", "上海2024", blank_use)
    assert para(doc, "4、一般公共服务支出（类）统计信息事务（款）").startswith(
        "4、一般公共服务支出（类）统计信息事务（款）专项统计业务（项）。【待补充：2010505的主要用途（“预算数”工作表）】。年初预算为70.00万元"
    )
    assert para(
        docs_hunan := build(YIYANG, out_dir, "hunan-use", "湖南2020"), "3、一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）。"
    ) == (
        "3、一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）。年初预算为110.50万元，支出决算为110.50万元，完成年初预算的100.00%，决算数与年初预算数持平。"
    )
    assert "待补充：2010301的主要用途" not in docs_hunan.body


# ---- item 5: 公务用车购置 and a 三公 item without budget, non-zero (the department sample; the unit sample bought no car
# and spent nothing on 因公出国: test_format_wording::test_shanghai_sangong_details_and_empty_fund) --------------------


def test_car_purchase_count_amount_and_use(department):
    # 购置 18.60 + 运行 7.35 = 25.95; one car; 保有量 4 (公开主体 部门 → 本部门)
    assert para(department, "2、公务用车购置及运行维护费支出") == (
        "2、公务用车购置及运行维护费支出25.95万元。其中：公务用车购置支出18.60万元，购置车辆1辆，主要用于更新超过使用年限的机要通信用车；"
        "公务用车运行维护支出7.35万元，主要用于燃料费、维修费、保险费、过路过桥费等。截至2024年12月31日，本部门开支财政拨款的公务用车保有量为4辆。"
    )
    # 公务用车 budget 20.00 + 8.00 = 28.00; 25.95 / 28.00 = 0.926785… → 92.68%
    assert "公务用车购置及运行维护费支出决算为25.95万元，完成预算的92.68%，未完成预算的主要原因是车辆购置价格低于预算，燃油及维修费用减少；" in para(
        department, "2024年度“三公”经费财政拨款支出年初预算为"
    )


def test_sangong_item_without_budget_says_why_it_was_spent(department):
    # zero case (budget and spending 0): "因公出国（境）费年初未安排预算，也未发生支出" — test_format_wording / the unit sample
    text = para(department, "2024年度“三公”经费财政拨款支出年初预算为")
    # budget 0 + 20.00 + 8.00 + 3.00 = 31.00; spent 5.00 + 25.95 + 2.36 = 33.31; 33.31 / 31.00 = 1.074516… → 107.45%
    assert text.startswith(
        "2024年度“三公”经费财政拨款支出年初预算为31.00万元，支出决算为33.31万元，完成预算的107.45%。"
        "其中：因公出国（境）费支出决算为5.00万元，年初未安排预算，超出预算的主要原因是年中经批准赴新加坡开展数字政府建设交流；"
    )
    assert text.endswith("“三公”经费决算数大于预算数的主要原因是年中经批准新增因公出国（境）团组1个。")
    assert (
        para(department, "1、因公出国（境）费支出")
        == "1、因公出国（境）费支出5.00万元。全年安排因公出国（境）团组1个、累计3人次。开支内容包括：赴新加坡开展数字政府建设交流。"
    )
    # against 2023 (0.00): a new item, with its reason; 5.00 / 33.31 = 15.010…% → 15.01%
    change = para(department, "2024年度“三公”经费财政拨款支出决算比2023年度")
    assert "因公出国（境）费比2023年度增加5.00万元（2023年度无此项支出）" in change
    assert "因公出国（境）费增加的主要原因是本年新增1个出访团组，上年未安排因公出国（境）。" in change
    assert para(department, "2024年度“三公”经费财政拨款支出决算中，").startswith(
        "2024年度“三公”经费财政拨款支出决算中，因公出国（境）费支出决算5.00万元，占15.01%；"
    )


def test_reception_with_foreign_guests_in_the_other_formats(docs):
    # 中央2024: the 外宾接待 amount with its 批次 and 人次 (上海2024: test_content_sentences::test_reception_with_foreign_guests_shanghai)
    assert para(docs["中央2024"], "3．公务接待费支出") == (
        "3．公务接待费支出2.36万元，全年共接待18批次、126人次（其中外宾接待1批次、6人次，支出0.42万元），主要用于上级部门调研、兄弟城市数据工作交流。"
    )
    # zero: 益阳 spent nothing on 公务接待 (公开07 决算 0.00)
    assert "3、本年度未发生公务接待费支出。" in docs["湖南2020"].paragraphs
    # 永州 had no foreign guests: the sentence says nothing of them
    assert para(docs["2018"], "3、公务接待费支出") == "3、公务接待费支出7.00万元，全年共接待20批次、200人次，主要用于省、县级对口业务交流发生的支出。"


# ---- item 6: 政府采购 in the other formats (上海2024: test_content_sentences::test_procurement_shanghai / _zero_shanghai) ----


def test_procurement_central_format(docs):
    # 86.40 + 0.00 + 412.75 = 499.15; 356.20 / 499.15 = 71.361…% → 71.36%; 198.64 / 499.15 = 39.795…% → 39.80%;
    # 其他项目 by 中小企业 70.80 = 356.20 − 285.40 (授予中小企业 = 预留项目 + 其他项目)
    assert para(docs["中央2024"], "2024年度政府采购支出总额") == (
        "2024年度政府采购支出总额499.15万元，其中：政府采购货物支出86.40万元、政府采购工程支出0.00万元、政府采购服务支出412.75万元。"
        "授予中小企业合同金额356.20万元，占政府采购支出总额的71.36%，其中：授予小微企业合同金额198.64万元，占政府采购支出总额的39.80%。"
        "面向中小企业预留政府采购项目预算金额300.00万元，面向小微企业预留政府采购项目预算金额180.00万元。"
        "在其他政府采购项目中，由中小企业供应商中标或成交的采购金额70.80万元。"
    )


def test_procurement_hunan_without_reserved_rows_and_2018_zero(docs):
    # 0.00 + 0.00 + 349.10 = 349.10; 46.52 / 349.10 = 13.325…% → 13.33%; no 预留 rows in the seed: no 预留 sentence
    assert para(docs["湖南2020"], "2020年度政府采购支出总额") == (
        "2020年度政府采购支出总额349.10万元，其中：政府采购货物支出0.00万元、政府采购工程支出0.00万元、政府采购服务支出349.10万元。"
        "授予中小企业合同金额46.52万元，占政府采购支出总额的13.33%，其中：授予小微企业合同金额46.52万元，占政府采购支出总额的13.33%。"
    )
    assert "永州市政务服务中心2018年度未发生政府采购支出。" in docs["2018"].paragraphs


# ---- item 7: 国有资产 in 湖南2020 (上海 and 2018: test_content_sentences::test_assets_*) -------------------------


def test_assets_hunan_kinds_with_zeros_and_subject(docs):
    # 0 + 0 + 1 + 0 + 0 + 0 = 1 vehicle; 公开主体 单位 → 本单位
    assert para(docs["湖南2020"], "截至2020年12月31日，本单位共有车辆") == (
        "截至2020年12月31日，本单位共有车辆1辆，其中：主要领导干部用车0辆、机要通信用车0辆、应急保障用车1辆、执法执勤用车0辆、特种专业技术用车0辆、其他用车0辆；"
        "单价50万元以上通用设备0台（套），单价100万元以上专用设备0台（套）。"
    )


# ---- item 8 (acceptance): every non-zero 经济分类 item of 公开06 is named in 六, in table order -------------


def _economic_items(table: list[list[str]]) -> tuple[list[str], list[str]]:
    """(人员经费 items, 公用经费 items) of a printed 公开06: non-zero 5-digit rows, each side top-down."""
    left, right, seen = [], [], set()
    for row in table:
        for i, cell in enumerate(row[:-2]):
            code = cell.strip()
            if re.fullmatch(r"\d{5}", code) and code not in seen and row[i + 2].strip() not in ("", "0.00"):
                seen.add(code)
                (left if code[:3] in ("301", "303") else right).append(row[i + 1].strip().lstrip("　"))
    return left, right


@pytest.mark.parametrize("name", FORMATS)
def test_basic_expenditure_names_every_nonzero_item_of_table_06(docs, name):
    doc = docs[name]
    personnel, public = _economic_items(doc.table("公开06表"))
    text = para(doc, f"{YEARS[name]}年度一般公共预算财政拨款基本支出")
    listed = re.findall(r"主要包括：([^；。]*)", text)
    assert listed == ["、".join(personnel), "、".join(public)]
    # zero items are not named: 30106 伙食补助费 is 0.00 in the demo's 公开06, 4.34 in 益阳's
    assert ("伙食补助费" in text) == (name == "湖南2020" or name == "2018")


# ---- item 9 (acceptance): for every non-zero 项 of the sample tables, 第四部分 has its entry ----------------


def _nonzero_items(table: list[list[str]], column: int) -> list[str]:
    names = []
    for row in table:
        if re.fullmatch(r"\d{7}", row[0].strip()) and row[column].strip() not in ("", "0.00") and row[1].strip().lstrip("　") not in names:
            names.append(row[1].strip().lstrip("　"))
    return names


@pytest.mark.parametrize("name", FORMATS)
def test_glossary_has_an_entry_for_every_nonzero_item(docs, name):
    doc = docs[name]
    glossary = doc.paragraphs[doc.paragraphs.index("第四部分　名词解释") :]
    items = _nonzero_items(doc.table("公开05表"), 2)
    fund = "公开08表" if name != "中央2024" else "公开07表"
    items += [x for x in _nonzero_items(doc.table(fund), 4) if x not in items]  # 本年支出 合计
    assert items, name
    for item in items:
        assert any(re.match(rf"[一二三四五六七八九十]+、{re.escape(item)}（项）：指", p) for p in glossary), item


def test_other_income_entry_is_the_units_own_text_or_the_generic_one(docs):
    # 其他收入 12.50 with the unit's text (demo) / 76.64 without one (益阳): the generic entry
    assert "六、其他收入：指单位取得的除上述收入以外的各项收入，本单位主要是银行存款利息收入和往来款清理收入。" in docs["上海2024"].paragraphs
    assert "六、其他收入：指单位取得的除上述各项收入以外的收入，如存款利息收入等。" in docs["湖南2020"].paragraphs


# ---- item 11: 本部门/本单位 by 公开主体; 机关运行经费 for a 参公 unit -------------------------------------------


@pytest.mark.parametrize("name, own, other", [("上海2024", "本单位", "本部门"), ("湖南2020", "本单位", "本部门"), ("2018", "本部门", "本单位")])
def test_subject_is_consistent_with_the_publishing_entity(docs, name, own, other):
    doc = docs[name]
    text = "\n".join(doc.paragraphs[: doc.paragraphs.index("第四部分　名词解释")])  # 名词解释 defines terms for any unit
    assert own in text and other not in text


def test_running_costs_of_a_canggong_unit(docs):
    # 永州: 单位性质 参照公务员法管理事业单位 → the amount is stated (行政: test_content_sentences::test_running_costs_admin_unit_and_other_unit)
    assert para(docs["2018"], "2018年度机关运行经费支出").startswith("2018年度机关运行经费支出606.56万元")
    assert "不涉及机关运行经费" not in docs["2018"].body


# ---- item 12: rates from the printed amounts; the 年初预算 total ----------------------------------------------


def test_typed_budget_total_is_quoted(docs):
    # typed 合计 2,812.72 (= Σ of the twelve 项); 2,824.11 / 2,812.72 = 1.004049… → 100.40%
    assert para(docs["上海2024"], "2024年度一般公共预算财政拨款支出年初预算为").startswith(
        "2024年度一般公共预算财政拨款支出年初预算为2,812.72万元，支出决算为2,824.11万元，完成年初预算的100.40%，决算数大于年初预算数的主要原因是"
    )


def test_equal_printed_amounts_give_100_percent_and_the_total_is_the_sum_of_printed_items(department):
    # the department sample: 2010302's 年初预算 is typed 842.304 and the 一般公共预算 合计 is left blank
    assert para(department, "2、一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）一般行政管理事务（项）。").endswith(
        "年初预算为842.30万元，支出决算为842.30万元，完成年初预算的100.00%，决算数与年初预算数持平。"
    )
    # Σ printed 年初预算 = 2,812.72 (the unit sample's items) − 800.00 + 842.30 = 2,855.02; 2,824.11 / 2,855.02 = 0.989173… → 98.92%
    assert para(department, "2024年度一般公共预算财政拨款支出年初预算为") == (
        "2024年度一般公共预算财政拨款支出年初预算为2,855.02万元，支出决算为2,824.11万元，完成年初预算的98.92%，"
        "决算数小于年初预算数的主要原因是“一网通办”系统升级项目部分合同按进度于次年支付。其中："
    )
    for sentence in re.split(r"[。；\n]", department.all):
        if "持平" in sentence:
            assert all(r == "100.00%" for r in re.findall(r"\d+(?:\.\d+)?%", sentence)), sentence


# ---- item 3: a 国有资本经营 项, non-zero (the unit sample has none: test_fund_heading_sentence_nonzero_and_zero) ----------


def test_state_capital_item_like_general_budget(department):
    """九: the 项 with path, 主要用于, 年初预算, 决算, rate and reason; 公开09 in the 2024 收入支出 layout; the income
    share in 二; the 项 in 名词解释."""
    assert "2024年度国有资本经营预算财政拨款收入25.00万元，支出25.00万元，支出具体情况如下：" in department.paragraphs
    # 25.00 / 20.00 = 125.00%
    assert para(department, "1、国有资本经营预算支出（类）") == (
        "1、国有资本经营预算支出（类）解决历史遗留问题及改革成本支出（款）其他解决历史遗留问题及改革成本支出（项）。"
        "主要用于所属国有企业改制遗留的职工安置补助。年初预算为20.00万元，支出决算为25.00万元，完成年初预算的125.00%，"
        "决算数大于年初预算数的主要原因是年中追加所属企业改制职工安置补助5.00万元。"
    )
    # 本年收入合计 2,877.39 = 2,689.89 + 150.00 + 25.00 + 12.50; 25.00 / 2,877.39 = 0.8688…% → 0.87%
    assert "国有资本经营预算财政拨款收入25.00万元，占0.87%" in para(department, "本年收入合计2,877.39万元")
    table = next(t for t in department.tables if "年初结转和结余" in t[0] and any(row and row[0] == "2230199" for row in t))  # 公开09
    # 年初结转 0.00, 本年收入 25.00, 本年支出 合计 25.00 (基本 0.00, 项目 25.00), 年末结转 0.00
    assert next(row for row in table if row[0] == "2230199")[2:] == ["0.00", "25.00", "25.00", "0.00", "25.00", "0.00"]
    assert para(department, "三十二、其他解决历史遗留问题及改革成本支出（项）") == (
        "三十二、其他解决历史遗留问题及改革成本支出（项）：指除上述项目以外其他用于解决历史遗留问题及改革成本方面的支出。"
    )


# ---- the reviewer's wording warnings of check (checks.content.check_wording) -------------------------------


def _wording(m) -> list[tuple[str, str]]:
    return [(f.cells[0], f.message) for f in run_checks(m) if f.rule == "用语"]


def test_wording_warnings_name_the_cell_and_the_fix():
    assert _wording(read_workbook(YIYANG)) == []  # its "我中心" is checks.claims' (公开主体.称谓): tests/test_claims.py
    assert _wording(read_workbook(YONGZHOU)) == [
        (
            "说明!B13",
            "“说明”工作表B13（公务用车购置及运行维护费预决算差异原因）写“今年”，文档在下一年公开，请写明年份（如“2018年”）或写“本年”。",
        ),
    ]
    assert _wording(read_workbook(DEMO)) == []


def test_a_dunhao_between_titles_is_a_wording_warning(tmp_path):
    def dunhao(wb):
        wb[keys.SHEET_PERFORMANCE]["B3"] = "《预算绩效管理办法》、《绩效自评实施细则》"

    m = read_workbook(edited_copy(DEMO, tmp_path / "d.xlsx", dunhao))
    assert _wording(m) == [("绩效!B3", "“绩效”工作表B3（绩效管理制度）书名号之间有“、”，并列的书名号之间不用顿号（如“《…办法》《…细则》”）。")]
    assert all(f.level == "warning" for f in run_checks(m) if f.rule == "用语")  # never stops a build, nor --final
