"""The sentences of issue 12 in the shipped templates, read back from built documents.

Each test builds a sample workbook (or an edited copy: openpyxl, one change) with its format
and reads the .docx back; expected texts are written out with their arithmetic.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from docx_helpers import read

from generator.pipeline import build_book
from tests.helpers import DEMO, DEPARTMENT, YIYANG, YONGZHOU, edited_copy, value_cell_of

PROFILES = {DEMO: "上海2024", DEPARTMENT: "上海2024", YIYANG: "湖南2020", YONGZHOU: "2018"}


def build(src: Path, out_dir: Path, name: str, edit=None):
    book = edited_copy(src, out_dir / f"{name}.xlsx", edit)
    out = out_dir / f"{name}.docx"
    build_book(book, out, profile_name=PROFILES[src])
    return read(out)


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("sentences")


@pytest.fixture(scope="module")
def docs(out_dir):
    return {src: build(src, out_dir, src.stem) for src in PROFILES}


def para(doc, start: str) -> str:
    hits = [p for p in doc.paragraphs if p.startswith(start)]
    assert len(hits) == 1, f"{start}: {hits}"
    return hits[0]


def table_headed(doc, *head: str) -> list[list[str]]:
    hits = [t for t in doc.tables if t and t[0][: len(head)] == list(head)]
    assert len(hits) == 1, f"{head}: {len(hits)} tables"
    return hits[0]


def set_cells(wb, sheet: str, values: dict[str, object]) -> None:
    ws = wb[sheet]
    for label, value in values.items():
        ws[value_cell_of(ws, label).coordinate] = value


# ---- 1. 决算单位构成 -----------------------------------------------------------------------------


def test_members_table_with_lead_sentence_2018(docs):
    doc = docs[YONGZHOU]
    # 公开主体 = 部门 → 本部门
    assert "从决算单位构成看，纳入本部门2018年度部门决算编制范围的单位包括：" in doc.paragraphs
    assert table_headed(doc, "序号", "单位名称") == [
        ["序号", "单位名称", "备注"],
        ["1", "永州市政务服务中心（本级）", "参照公务员法管理事业单位"],
        ["2", "永州市电子政务技术服务中心", "事业单位"],
        ["3", "永州市人民政府网站", "事业单位"],
        ["4", "永州市联动处置指挥中心", "事业单位"],
    ]


def test_shanghai_only_itself_shows_organisation_not_members(docs):
    doc = docs[DEMO]
    assert "二、机构设置" in doc.paragraphs
    assert not any("部门决算单位构成" in p for p in doc.paragraphs[doc.paragraphs.index("二、机构设置") - 3 :])
    assert not any("编制范围的单位包括" in p for p in doc.paragraphs)


def test_shanghai_members_table_when_more_than_itself(docs):
    """The department sample (本级 and two 事业单位) under 上海2024: the official template's two sentences with
    the department's name, then the 序号/单位名称/备注 table from the 单位信息 sheet; no 机构设置 heading."""
    doc = docs[DEPARTMENT]
    assert "二、部门决算单位构成" in doc.paragraphs
    assert (
        "从预算单位构成看，示例市大数据管理局部门决算包括：示例市大数据管理局本级决算、下属行政事业单位决算。"
        "纳入示例市大数据管理局2024年度部门决算编制范围的单位包括：" in doc.paragraphs
    )
    assert table_headed(doc, "序号", "单位名称") == [
        ["序号", "单位名称", "备注"],
        ["1", "示例市大数据管理局", "本级"],
        ["2", "示例市大数据中心", "事业单位"],
        ["3", "示例市信息安全测评中心", "事业单位"],
    ]
    assert "二、机构设置" not in doc.paragraphs


def test_only_itself_sentence_and_no_repeated_staffing_hunan(docs):
    doc = docs[YIYANG]
    assert "纳入本单位2020年度部门决算编制范围的单位只有益阳市智慧城市和大数据中心，本单位决算即本级决算。" in doc.paragraphs
    part1 = "\n".join(doc.paragraphs[: doc.paragraphs.index("三、部门决算单位构成")])
    # 人员情况 starts with "核定全额拨款事业编制16名。", which 机构设置 already says
    assert part1.count("核定全额拨款事业编制16名") == 1
    assert "2020年本单位年末实有人数12人，比上年增加1人。" in doc.paragraphs


# ---- 2. 政府采购 (上海2024) --------------------------------------------------------------------


def test_procurement_shanghai(docs):
    text = para(docs[DEMO], "示例市数据资源局2024年度政府采购金额")
    # total 86.40 + 0.00 + 412.75 = 499.15; 356.20 / 499.15 = 71.36%; 198.64 / 499.15 = 39.796…% → 39.80%
    assert text == (
        "示例市数据资源局2024年度政府采购金额（以合同签订为准）为499.15万元，其中：货物采购金额86.40万元、工程采购金额0.00万元、服务采购金额412.75万元。"
        "授予中小企业合同金额356.20万元，占政府采购金额的71.36%，其中：授予小微企业合同金额198.64万元，占政府采购金额的39.80%。"
        "2024年度本单位面向中小企业预留政府采购项目预算金额300.00万元，面向小微企业预留政府采购项目预算金额180.00万元。"
        "在面向中小企业预留的政府采购项目中，由中小企业供应商中标或成交的，采购金额285.40万元；"
        "在面向小微企业预留的政府采购项目中，由小微企业供应商中标或成交的，采购金额168.20万元；"
        "在其他政府采购项目中，由中小企业供应商中标或成交的，采购金额70.80万元。"
    )


def test_procurement_zero_shanghai(out_dir):
    labels = [
        "政府采购货物支出",
        "政府采购工程支出",
        "政府采购服务支出",
        "授予中小企业合同金额",
        "授予小微企业合同金额",
        "面向中小企业预留项目预算金额",
        "面向小微企业预留项目预算金额",
        "中小企业预留项目中小企业中标金额",
        "小微企业预留项目小微企业中标金额",
        "其他采购项目中小企业中标金额",
    ]
    doc = build(DEMO, out_dir, "procurement0", lambda wb: set_cells(wb, "其他事项", dict.fromkeys(labels, 0)))
    assert "示例市数据资源局2024年度未发生政府采购支出。" in doc.paragraphs
    assert not any("以合同签订为准" in p for p in doc.paragraphs)


# ---- 3. 国有资产 -------------------------------------------------------------------------------


def test_assets_shanghai_all_eight_vehicle_kinds(docs):
    # 0 + 0 + 1 + 1 + 0 + 0 + 0 + 1 = 3 vehicles
    assert para(docs[DEMO], "截至2024年12月31日，本单位共有车辆") == (
        "截至2024年12月31日，本单位共有车辆3辆，其中：部级领导干部用车0辆、主要领导干部用车0辆、机要通信用车1辆、应急保障用车1辆、执法执勤用车0辆、"
        "特种专业技术用车0辆、离退休干部用车0辆、其他用车1辆。单价100万元（含）以上设备（不含车辆）1台（套）。"
    )


def test_assets_2018_kinds_and_equipment(docs):
    assert para(docs[YONGZHOU], "截至2018年12月31日，本部门共有车辆") == (
        "截至2018年12月31日，本部门共有车辆1辆，其中：部级领导干部用车0辆、一般公务用车1辆、一般执法执勤用车0辆、特种专业技术用车0辆、其他用车0辆；"
        "单价50万元以上通用设备1台（套），单价100万元以上专用设备0台（套）。"
    )


# ---- 4. 三公: 外宾接待 ---------------------------------------------------------------------------


def test_reception_with_foreign_guests_shanghai(docs):
    assert para(docs[DEMO], "3、公务接待费支出") == (
        "3、公务接待费支出2.36万元。其中：国内公务接待支出2.36万元（含外宾接待支出0.42万元），主要用于上级部门调研、兄弟城市数据工作交流。"
        "全年共接待18批次、126人次，其中：接待外宾1批次、6人次。"
    )


def test_reception_foreign_guests_zero_stated_shanghai(out_dir):
    doc = build(DEMO, out_dir, "guests0", lambda wb: set_cells(wb, "其他事项", {"外宾接待批次": 0, "外宾接待人次": 0, "外宾接待费": 0}))
    text = para(doc, "3、公务接待费支出")
    assert "（含外宾接待支出0.00万元）" in text and text.endswith("其中：接待外宾0批次、0人次。")


# ---- 5. 机关运行经费 ----------------------------------------------------------------------------


def test_running_costs_admin_unit_and_other_unit(docs):
    # 273.11 − 236.15 = 36.96; 36.96 / 236.15 = 15.651…% → 15.65%
    assert (
        para(docs[DEMO], "2024年度机关运行经费支出")
        == "2024年度机关运行经费支出273.11万元，比2023年度增加36.96万元，增长15.65%，主要原因是物业管理费和信息网络购置更新支出增加。"
    )
    doc = docs[YIYANG]  # 事业单位
    assert "益阳市智慧城市和大数据中心不属于行政单位和参照公务员法管理的事业单位，不涉及机关运行经费。" in doc.paragraphs
    assert not any(p.startswith("2020年度机关运行经费支出") for p in doc.paragraphs)


# ---- 6. 基本支出 ---------------------------------------------------------------------------------


def test_basic_expenditure_lists_every_item_in_table_order(docs):
    text = para(docs[DEMO], "2024年度一般公共预算财政拨款基本支出")
    # 公开06 non-zero 301/303 items in table order (14), then 302/310 items (19); no "等"
    assert (
        "人员经费1,252.71万元，占82.10%，主要包括：基本工资、津贴补贴、奖金、绩效工资、机关事业单位基本养老保险缴费、职业年金缴费、职工基本医疗保险缴费、"
        "公务员医疗补助缴费、其他社会保障缴费、住房公积金、其他工资福利支出、退休费、生活补助、奖励金；" in text
    )
    assert text.endswith("公务用车运行维护费、其他交通费用、其他商品和服务支出、办公设备购置、信息网络及软件购置更新。")
    assert "等" not in text.split("主要包括：")[1]


# ---- 7. 政府性基金 -------------------------------------------------------------------------------


def test_fund_item_like_general_budget(docs):
    # 160.00 / 150.00 = 106.67%
    assert para(docs[DEMO], "1、城乡社区支出（类）") == (
        "1、城乡社区支出（类）城市基础设施配套费安排的支出（款）其他城市基础设施配套费安排的支出（项）。主要用于智慧城市感知设施建设。"
        "年初预算为150.00万元，支出决算为160.00万元，完成年初预算的106.67%，决算数大于年初预算数的主要原因是使用上年结转资金10.00万元支付感知设施尾款。"
    )


def test_fund_item_without_purpose_is_pending(out_dir):
    def edit(wb):
        ws = wb["预算数"]
        row = next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value) == "2121399")
        ws.cell(row, 5).value = None

    doc = build(DEMO, out_dir, "fundpurpose", edit)
    assert para(doc, "1、城乡社区支出（类）").startswith(
        "1、城乡社区支出（类）城市基础设施配套费安排的支出（款）其他城市基础设施配套费安排的支出（项）。【待补充：2121399的主要用途（“预算数”工作表）】。年初预算为150.00万元"
    )


# ---- 8. 预算绩效 ---------------------------------------------------------------------------------


def test_performance_opening_annex_and_attachments(docs):
    doc = docs[DEMO]
    assert para(doc, "示例市数据资源局2024年度预算绩效管理工作开展情况如下：") == (
        "示例市数据资源局2024年度预算绩效管理工作开展情况如下：本单位建立了如下预算绩效管理制度：《示例市数据资源局预算绩效管理办法》《示例市数据资源局项目支出绩效自评实施细则》，"
        "建立了事前绩效评估、事中绩效运行监控、事后绩效评价与结果应用相衔接的预算绩效管理工作机制。"
    )
    table = table_headed(doc, "序号", "项目名称")
    assert table[0] == ["序号", "项目名称", "自评得分", "全年预算数（万元）", "全年执行数（万元）", "执行率", "绩效目标完成情况", "存在问题", "改进措施"]
    # 356.18 / 400.00 = 89.045% → 89.05%
    assert table[2][:6] == ["2", "“一网通办”系统升级", "86", "400.00", "356.18", "89.05%"]
    assert table[2][7:] == ["项目进度滞后于计划，资金支付率89.05%。", "细化项目实施计划，加强进度跟踪与合同管理。"]
    # the sentence names the attachment by its number: 附件1 is the 自评 table, so the report is 附件2
    assert "本单位2024年度项目绩效评价报告（政务数据共享平台运维）见附件2。" in doc.paragraphs
    i = doc.paragraphs.index("附件2")  # the mark alone, as "附件1"; the title below it
    assert doc.paragraphs[i + 1] == "项目绩效评价报告（政务数据共享平台运维）"


def test_several_attachments_are_named_by_number(docs):
    # 益阳: 附件1 the 自评 table, then its two reports
    (p,) = [p for p in docs[YIYANG].paragraphs if "部门整体支出绩效评价报告、项目绩效评价报告" in p]
    assert p.endswith("见附件2、附件3。")
    assert "附件3" in docs[YIYANG].paragraphs


def test_shanghai_performance_mechanism_without_a_row_is_a_visible_gap(out_dir):
    """上海2024 asks for "建立了XXXX的预算绩效管理工作机制": a blank 绩效管理工作机制 is 【待补充】, not a dropped clause."""

    def blank_mechanism(wb):
        ws = wb["绩效"]
        (cell,) = [c for row in ws.iter_rows() for c in row if c.value == "绩效管理工作机制"]
        ws.cell(row=cell.row, column=cell.column + 1).value = None

    doc = build(DEMO, out_dir, "无工作机制", blank_mechanism)
    assert para(doc, "示例市数据资源局2024年度预算绩效管理工作开展情况如下：").endswith(
        "，建立了【待补充：绩效管理工作机制（“绩效”工作表）】的预算绩效管理工作机制。"
    )


def test_an_attachment_prints_its_text_under_its_heading(docs):
    """The 正文 column of the 附件 list: one paragraph per line, right under "附件N：…"."""
    doc = docs[DEMO]
    i = doc.paragraphs.index("项目绩效评价报告（政务数据共享平台运维）")
    assert doc.paragraphs[i + 1].startswith("一、项目概况。")
    assert doc.paragraphs[i + 5].startswith("五、改进措施。")
    assert not any("待补充" in p for p in doc.paragraphs)


def test_an_attachment_without_text_is_a_visible_gap(out_dir):
    """A listed report whose 正文 is blank: the document never shows a bare heading; it marks the gap."""

    def blank_text(wb):
        ws = wb["绩效"]
        (cell,) = [c for row in ws.iter_rows() for c in row if c.value == "项目绩效评价报告"]
        ws.cell(row=cell.row, column=cell.column + 2).value = None

    doc = build(DEMO, out_dir, "附件无正文", blank_text)
    i = doc.paragraphs.index("项目绩效评价报告（政务数据共享平台运维）")
    assert doc.paragraphs[i + 1] == "【待补充：项目绩效评价报告的正文（“绩效”工作表）】"


def test_no_attachment_promised_without_list(docs):
    doc = docs[YONGZHOU]  # no 附件 rows in its 绩效 sheet
    assert not any("见附件" in p or p.startswith("附件2") for p in doc.paragraphs)
    # 2018 名称 in its 名词解释: 结余分配 before 转入非财政拨款结余 existed
    assert any(p.endswith("结余分配：指事业单位按规定提取的职工福利基金、事业基金以及缴纳的所得税等。") for p in doc.paragraphs)
    assert not any("转入非财政拨款结余" in p for p in doc.paragraphs)
    # GB/T 9704: the mark "附件1" above, the table's title once below it
    i = doc.paragraphs.index("附件1")
    assert doc.paragraphs[i + 1] == "2018年度项目支出绩效自评结果表"


# ---- 9. wording ----------------------------------------------------------------------------------


def test_income_total_without_second_year(docs):
    for doc in docs.values():
        assert not any("年度本年收入合计" in p or "年度本年支出合计" in p for p in doc.paragraphs)
    assert para(docs[DEMO], "本年收入合计2,852.39万元，其中：").startswith("本年收入合计2,852.39万元，其中：一般公共预算财政拨款收入2,689.89万元，占94.30%")


def test_zero_in_both_years_reads_naturally(docs):
    text = para(docs[YIYANG], "2020年度“三公”经费财政拨款支出决算比上年")
    assert "其中：2019年度和2020年度均未发生因公出国（境）费支出；" in text
    assert "2019年度和2020年度均未发生公务接待费支出。" in text
    assert not any("均无此项支出" in p for doc in docs.values() for p in doc.paragraphs)


def test_hunan_meeting_and_training_both_zero_one_sentence(docs):
    assert "2020年度未发生会议费和培训费支出，也未举办节庆、晚会、论坛、赛事活动。" in docs[YIYANG].paragraphs
    # non-zero case (the 2018 format shares the sentence): each amount with its use
    assert "2018年度会议费支出7.36万元，主要用于单位会议费开支；培训费支出30.18万元，主要用于单位职工参加各种业务培训开支。" in docs[YONGZHOU].paragraphs


# The acceptance's forbidden strings in every format and with every lead word: tests/test_format_wording.py.
