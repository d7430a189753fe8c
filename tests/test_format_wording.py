"""Each format's own wording, read back from built documents (issue 12): the 上海2024 sentences and
headings as the official template words them, list numbering per format, the 2018 names of the
vehicle items, 湖南's 节庆、晚会、论坛、赛事 statement, a 国有资本经营 table with 项, and the
acceptance's forbidden strings in every format. Expected texts are written out with their arithmetic.
"""

from __future__ import annotations

import copy
import re
from decimal import Decimal as D

import pytest
from docx_helpers import build_edited as build
from docx_helpers import paragraph_starting as para
from docx_helpers import read

from generator import keys
from generator.figures import compute
from generator.intake import read_workbook
from generator.model import BudgetRow, Row
from generator.printing import finish
from generator.profiles import load_profile
from generator.render import render_docx, render_text
from tests.helpers import DEMO, YIYANG, YONGZHOU

FORMATS = {"上海2024": DEMO, "中央2024": DEMO, "湖南2020": YIYANG, "2018": YONGZHOU}


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("wording")


@pytest.fixture(scope="module")
def docs(out_dir):
    return {name: build(src, out_dir, f"sample-{name}", name) for name, src in FORMATS.items()}


# ---- 上海2024 as the official template words it ----------------------------------------------------


def test_shanghai_headings_follow_the_official_template(docs):
    doc = docs["上海2024"]
    for heading in (
        "一、收入支出决算总体情况说明",
        "（一）“三公”经费财政拨款支出决算总体情况说明",
        "（二）“三公”经费财政拨款支出决算具体情况说明",
        "十、预算绩效管理情况",
        "十一、其他重要事项的情况说明",
        "（一）机关运行经费支出情况",
        "（二）政府采购支出情况",
        "（三）国有资产占有使用情况说明",
    ):
        assert heading in doc.paragraphs, heading
    assert "（一）“三公”经费财政拨款支出决算总体情况" not in doc.paragraphs


def test_shanghai_comparisons_name_the_prior_year(docs):
    doc = docs["上海2024"]
    # 3,058.79 − 2,665.63 = 393.16; 393.16 / 2,665.63 = 14.749…% → 14.75%
    assert para(doc, "示例市数据资源局2024年度收入支出总计") == (
        "示例市数据资源局2024年度收入支出总计3,058.79万元。与2023年度相比，收入支出总计增加393.16万元，增长14.75%，"
        "主要原因是新增政府性基金安排的智慧城市基础设施项目，一般公共预算项目经费增加。"
    )
    # 3,046.29 − 2,655.63 = 390.66; 390.66 / 2,655.63 = 14.710…% → 14.71%
    assert para(doc, "示例市数据资源局2024年度财政拨款收入支出总计") == (
        "示例市数据资源局2024年度财政拨款收入支出总计3,046.29万元。与2023年度相比，财政拨款收入支出总计增加390.66万元，增长14.71%，"
        "主要原因是新增政府性基金预算财政拨款。"
    )
    # 2,824.11 / 2,996.61 = 94.243…%; 2,824.11 − 2,449.23 = 374.88; 374.88 / 2,449.23 = 15.306…% → 15.31%
    assert para(doc, "2024年度一般公共预算财政拨款支出2,824.11万元，占本年支出合计") == (
        "2024年度一般公共预算财政拨款支出2,824.11万元，占本年支出合计的94.24%。与2023年度相比，一般公共预算财政拨款支出增加374.88万元，"
        "增长15.31%，主要原因是数据共享平台运维经费增加，人员经费按政策调增。"
    )
    # 三公 9.71 − 10.15 = −0.44, 0.44 / 10.15 = 4.334…%; 公务接待费 2.36 − 2.80 = −0.44, 0.44 / 2.80 = 15.714…%
    assert para(doc, "2024年度“三公”经费财政拨款支出决算比2023年度").startswith(
        "2024年度“三公”经费财政拨款支出决算比2023年度减少0.44万元，下降4.33%，其中：2023年度和2024年度均未发生因公出国（境）费支出；"
        "公务用车购置及运行维护费与2023年度持平；公务接待费比2023年度减少0.44万元，下降15.71%。"
    )
    assert not any("比上年" in p or "与上年" in p for p in doc.paragraphs)


def test_shanghai_sangong_details_and_empty_fund(docs):
    doc = docs["上海2024"]
    assert "1、本年度未发生因公出国（境）费支出。" in doc.paragraphs
    assert para(doc, "2、公务用车购置及运行维护费支出") == (
        "2、公务用车购置及运行维护费支出7.35万元。其中：本年度未购置公务用车；公务用车运行维护支出7.35万元，主要用于燃料费、维修费、保险费、过路过桥费等。"
        "截至2024年12月31日，本单位开支财政拨款的公务用车保有量为3辆。"
    )
    assert para(doc, "2024年度一般公共预算财政拨款基本支出").startswith("2024年度一般公共预算财政拨款基本支出1,525.82万元。其中：人员经费1,252.71万元")
    # no 国有资本经营: the official sentence, without citing the table
    assert "示例市数据资源局2024年度无国有资本经营预算财政拨款收入和支出。" in doc.paragraphs


def test_shanghai_performance_wording(docs):
    doc = docs["上海2024"]
    assert para(doc, "全过程绩效管理实施情况：") == (
        "全过程绩效管理实施情况：编报绩效目标的2024年度项目3个，涉及预算金额1,277.90万元；绩效跟踪评价的2024年度项目2个，涉及预算金额1,242.30万元；"
        "绩效自评的2024年度项目3个，涉及预算金额1,277.90万元，平均得分86分（其中，绩效评级为“优”的项目1个；绩效评级为“良”的项目1个；"
        "绩效评级为“合格”的项目1个；绩效评级为“不合格”的项目0个）。"
    )
    assert "绩效自评中共发现问题3个，已经完成整改的2个，正在整改的1个。" in doc.paragraphs


@pytest.mark.parametrize("name, number", [("上海2024", "1、"), ("湖南2020", "1、"), ("2018", "1、"), ("中央2024", "1．")])
def test_list_numbering_per_format(docs, name, number):
    doc = docs[name]
    numbered = [p for p in doc.paragraphs if re.match(r"\d+[、．.]", p)]
    assert numbered and all(re.match(r"\d+", p).group(0) + number[1] == p[: len(re.match(r"\d+", p).group(0)) + 1] for p in numbered)


# ---- 2018: the 2018-era names in its tables and text ---------------------------------------------


def test_2018_vehicle_names_in_table_and_text(docs):
    doc = docs["2018"]
    header = doc.table("公开07表")[:3]
    cells = {c for row in header for c in row}
    assert {"公务用车购置及运行费", "公务用车运行费", "公务用车购置费"} <= cells
    assert not any("运行维护费" in c for c in cells)
    start = doc.paragraphs.index("七、财政拨款“三公”经费支出决算情况说明")  # the heading (the 目录 line ends with a tab)
    sangong = "\n".join(doc.paragraphs[start : doc.paragraphs.index("八、政府性基金预算财政拨款收入支出决算情况说明")])
    assert "运行维护费" not in re.sub(r"【待补充：[^】]*】", "", sangong)  # a 【待补充】 names the workbook's row as it is
    # 3.08 / 10.08 = 30.555…% → 30.56%
    assert "2018年度“三公”经费财政拨款支出决算中，公务用车购置及运行费支出决算3.08万元，占30.56%；" in sangong
    assert para(doc, "2、公务用车购置及运行费支出3.08万元。").startswith(
        "2、公务用车购置及运行费支出3.08万元。其中：本年度未购置公务用车；公务用车运行费3.08万元，"
    )
    assert "公务用车购置及运行费和公务接待费" in para(doc, "十八、“三公”经费：")
    # the other formats keep today's names
    assert "公务用车购置及运行维护费" in docs["湖南2020"].body and "公务用车购置及运行费支出" not in docs["湖南2020"].body


# ---- 湖南2020: 一般性支出 with 节庆、晚会、论坛、赛事 -------------------------------------------------


def test_hunan_general_spending_zero_is_one_sentence(docs):
    doc = docs["湖南2020"]
    # 会议费 0, 培训费 0, no 节庆 row in the workbook
    assert para(doc, "2020年度未发生会议费") == "2020年度未发生会议费和培训费支出，也未举办节庆、晚会、论坛、赛事活动。"


def _other_rows(values: dict):
    def edit(wb):
        ws = wb[keys.SHEET_OTHER]
        rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
        for label, value in values.items():
            r = rows.get(label) or ws.max_row + 1
            ws.cell(r, 1).value, ws.cell(r, 2).value, ws.cell(r, 3).value = label, value, "万元"

    return edit


def test_hunan_festival_spending_from_the_workbook(out_dir):
    doc = build(YIYANG, out_dir, "festival", "湖南2020", _other_rows({keys.FESTIVAL_KEY: 3.5}))
    assert para(doc, "2020年度未发生会议费") == "2020年度未发生会议费和培训费支出；节庆、晚会、论坛、赛事活动支出3.50万元。"
    doc = build(YIYANG, out_dir, "festival0", "湖南2020", _other_rows({keys.FESTIVAL_KEY: 0, "会议费": 1.2}))
    assert para(doc, "2020年度会议费") == "2020年度会议费支出1.20万元；未发生培训费支出；未举办节庆、晚会、论坛、赛事活动。"


def test_festival_statement_is_hunan_only(docs):
    for name in ("上海2024", "中央2024", "2018"):
        assert "节庆" not in docs[name].body


# ---- 国有资本经营 with 项: phrased like 一般公共预算 ------------------------------------------------


def _with_state_capital():
    """The demo plus two 国有资本经营 项 (40.00 and 25.00): one fully described, one without use and reason."""
    m = copy.deepcopy(read_workbook(DEMO))
    cols = m.state_capital.columns = list(m.gov_fund.columns)  # 年初结转和结余 … 年末结转和结余, as 公开08

    def values(spent: str) -> dict:
        return {c: D(0) for c in cols} | {"本年收入": D(spent), "本年支出": D(spent), "项目支出": D(spent)}

    m.state_capital.rows = [
        Row(key="223", code="223", name="国有资本经营预算支出", values=values("65.00")),
        Row(key="22301", code="22301", name="解决历史遗留问题及改革成本支出", values=values("65.00")),
        Row(key="2230105", code="2230105", name="国有企业退休人员社会化管理补助支出", values=values("40.00")),
        Row(key="2230199", code="2230199", name="其他解决历史遗留问题及改革成本支出", values=values("25.00")),
    ]
    m.state_capital.total = Row(key="合计", values=values("65.00"))
    m.budget += [
        BudgetRow(code="2230105", source=keys.FUND_CAPITAL, initial=D("50.00"), purpose="主要用于退休人员社会化管理", reason="系部分补助下年拨付。"),
        BudgetRow(code="2230199", source=keys.FUND_CAPITAL, initial=D("20.00")),
    ]
    return m


@pytest.mark.parametrize("name, number", [("上海2024", "公开09表"), ("中央2024", "公开08表")])
def test_state_capital_items_phrased_like_general_budget(tmp_path, name, number):
    m = _with_state_capital()
    profile = load_profile(name)
    out = tmp_path / "capital.docx"
    out.write_bytes(finish(render_docx(profile, render_text(m, compute(m), profile))))
    doc = read(out)
    n = "1、" if name == "上海2024" else "1．"
    n2 = n.replace("1", "2")
    assert "2024年度国有资本经营预算财政拨款收入65.00万元，支出65.00万元，支出具体情况如下：" in doc.paragraphs
    # 40.00 / 50.00 = 80.00%: under budget, the reason without its lead word 系
    assert para(doc, f"{n}国有资本经营预算支出（类）") == (
        f"{n}国有资本经营预算支出（类）解决历史遗留问题及改革成本支出（款）国有企业退休人员社会化管理补助支出（项）。主要用于退休人员社会化管理。"
        "年初预算为50.00万元，支出决算为40.00万元，完成年初预算的80.00%，决算数小于年初预算数的主要原因是部分补助下年拨付。"
    )
    # 25.00 / 20.00 = 125.00%: over budget; use and reason are 【待补充】, never a silent gap
    assert para(doc, f"{n2}国有资本经营预算支出（类）") == (
        f"{n2}国有资本经营预算支出（类）解决历史遗留问题及改革成本支出（款）其他解决历史遗留问题及改革成本支出（项）。"
        "【待补充：2230199的主要用途（“预算数”工作表）】。年初预算为20.00万元，支出决算为25.00万元，完成年初预算的125.00%，"
        "决算数大于年初预算数的主要原因是【待补充：2230199的决算与预算差异原因（“预算数”工作表）】。"
    )
    table = doc.table(number)
    assert any(row[0] == "2230105" and "40.00" in row for row in table)
    assert not any("无国有资本经营预算财政拨款收入和支出" in p for p in doc.paragraphs)


# ---- acceptance: no doubled lead words, 持平 only at 100.00%, in every format ---------------------

FORBIDDEN = ("是因", "主要是主要", "原因是主要原因", "原因是决算数", "其他用于其他", "截止")
LEADS = ["主要原因是", "主要原因：", "主要是", "是因", "因", "由于", "系", "决算数大于预算数的主要原因："]  # the acceptance's seven, and a whole lead clause


def _assert_clean(doc, label: str) -> None:
    text = doc.all
    for word in FORBIDDEN:
        assert word not in text, f"{label}: {word}"
    for sentence in re.split(r"[。；\n]", text):
        if "持平" in sentence:
            rates = re.findall(r"\d+(?:\.\d+)?%", sentence)
            assert all(r == "100.00%" for r in rates), f"{label}: {sentence}"


@pytest.mark.parametrize("name", FORMATS)
def test_samples_have_no_forbidden_strings(docs, name):
    _assert_clean(docs[name], name)


def _every_reason_begins_with(lead: str):
    """Every reason of the 说明 sheet and every 差异原因 of the 预算数 sheet, filled in with the lead word first."""

    def edit(wb):
        ws = wb[keys.SHEET_REASONS]
        for r in range(2, ws.max_row + 1):
            if str(ws.cell(r, 1).value or "").endswith("原因"):
                ws.cell(r, 2).value = lead + "业务量增加。"
        ws = wb[keys.SHEET_BUDGET]
        for row in ws.iter_rows(min_row=2):
            if row[0].value and str(row[0].value).isdigit():
                row[5].value = lead + "年中调整预算。"

    return edit


@pytest.mark.parametrize("lead", LEADS)
@pytest.mark.parametrize("name", FORMATS)
def test_reasons_with_each_lead_word_never_double(out_dir, name, lead):
    doc = build(FORMATS[name], out_dir, f"lead-{name}-{LEADS.index(lead)}", name, _every_reason_begins_with(lead))
    assert "主要原因是业务量增加" in doc.body  # the edit took effect
    if any(b.initial is not None for b in read_workbook(FORMATS[name]).budget):  # the 2018 sample has no 预算数 rows
        assert "主要原因是年中调整预算" in doc.body
    _assert_clean(doc, f"{name} {lead}")


@pytest.mark.parametrize("name, heading", [("湖南2020", "十四、预算绩效情况说明"), ("2018", "九、预算绩效情况说明"), ("上海2024", "十、预算绩效管理情况")])
def test_performance_heading_per_format_and_no_empty_paragraph(docs, name, heading):
    doc = docs[name]
    i = doc.paragraphs.index(heading)
    assert doc.paragraphs[i + 1].strip()  # the 湖南/2018 samples have no 绩效管理制度: no blank line in its place
