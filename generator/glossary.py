"""名词解释: the built-in standard glossary, the 科目 that appear, and the workbook's additions.

Definitions are written in our own words from the official meanings. A workbook's 名词解释
sheet overrides a built-in term of the same name and adds new ones after them.
"""

from __future__ import annotations

from .model import UnitAccounts

STANDARD: list[tuple[str, str]] = [
    ("财政拨款收入", "单位本年度从同级财政部门取得的拨款，按资金来源分为一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款。"),
    ("上级补助收入", "事业单位从主管部门和上级单位取得的非财政补助收入。"),
    ("事业收入", "事业单位开展专业业务活动及其辅助活动取得的收入。"),
    ("经营收入", "事业单位在专业业务活动及其辅助活动以外，开展非独立核算经营活动取得的收入。"),
    ("附属单位上缴收入", "事业单位附属的独立核算单位按照有关规定上缴给本单位的收入。"),
    ("其他收入", "单位取得的除上述各项收入以外的收入，如存款利息收入等。"),
    ("使用非财政拨款结余", "事业单位在当年收入不足以安排支出时，按规定动用以前年度积累的非财政拨款结余弥补收支缺口的资金。"),
    ("年初结转和结余", "以前年度尚未执行完毕、按有关规定结转到本年度继续使用的资金，以及以前年度形成的结余资金。"),
    ("结余分配", "事业单位按规定提取的专用基金、转入非财政拨款结余以及缴纳的所得税等。"),
    ("年末结转和结余", "本年度或以前年度预算安排、因客观条件变化未能在本年度执行完毕，需要结转到以后年度按有关规定继续使用的资金，以及本年度形成的结余资金。"),
    ("基本支出", "单位为保障机构正常运转、完成日常工作任务而发生的支出，包括人员经费和公用经费。"),
    ("项目支出", "单位在基本支出之外，为完成特定的行政工作任务或事业发展目标而发生的支出。"),
    ("上缴上级支出", "事业单位按照财政部门和主管部门的规定上缴上级单位的支出。"),
    ("经营支出", "事业单位在专业业务活动及其辅助活动以外，开展非独立核算经营活动发生的支出。"),
    ("对附属单位补助支出", "事业单位用财政拨款以外的收入对附属单位补助发生的支出。"),
    ("人员经费", "基本支出中用于人员方面的支出，包括工资福利支出和对个人和家庭的补助。"),
    ("公用经费", "基本支出中用于保障机构日常运转的商品和服务支出、资本性支出等，不含人员方面的支出。"),
    (
        "“三公”经费",
        "单位使用财政拨款安排的因公出国（境）费、公务用车购置及运行维护费和公务接待费。其中：因公出国（境）费指工作人员因公出国（境）发生的国际旅费、"
        "国外城市间交通费、住宿费、伙食费、培训费、公杂费等支出；公务用车购置及运行维护费指公务用车的购置支出（含车辆购置税），以及燃料费、维修费、"
        "过路过桥费、保险费等运行维护支出；公务接待费指单位按规定开支的各类公务接待（含外宾接待）支出。",
    ),
    (
        "机关运行经费",
        "行政单位和参照公务员法管理的事业单位使用一般公共预算财政拨款安排的基本支出中的日常公用经费，用于购买保障机关运行的货物和服务，"
        "如办公及印刷费、邮电费、差旅费、会议费、福利费、日常维修费、办公用房水电费、取暖费、物业管理费、公务用车运行维护费等。",
    ),
]

# 2018 名称: the line was called 用事业基金弥补收支差额 before 2019.
STANDARD_2018 = {"使用非财政拨款结余": ("用事业基金弥补收支差额", "事业单位在当年收入不足以安排支出时，使用以前年度积累的事业基金弥补本年度收支缺口的资金。")}

# 项级科目 that almost every unit uses, described in our own words.
SUBJECTS: dict[str, str] = {
    "行政运行": "反映行政单位（含参照公务员法管理的事业单位）的基本支出。",
    "一般行政管理事务": "反映行政单位（含参照公务员法管理的事业单位）未单独设置项级科目的其他项目支出。",
    "机关服务": "反映为行政单位（含参照公务员法管理的事业单位）提供后勤服务的附属单位的支出。",
    "事业运行": "反映事业单位的基本支出，不含行政单位后勤服务中心等附属事业单位的支出。",
    "行政单位离退休": "反映行政单位（含参照公务员法管理的事业单位）开支的离退休经费。",
    "事业单位离退休": "反映事业单位开支的离退休经费。",
    "机关事业单位基本养老保险缴费支出": "反映机关事业单位实施养老保险制度由单位缴纳的基本养老保险费支出。",
    "机关事业单位职业年金缴费支出": "反映机关事业单位实施养老保险制度由单位实际缴纳的职业年金支出。",
    "行政单位医疗": "反映财政部门集中安排的行政单位基本医疗保险缴费经费。",
    "事业单位医疗": "反映财政部门集中安排的事业单位基本医疗保险缴费经费。",
    "公务员医疗补助": "反映财政部门集中安排的公务员医疗补助经费。",
    "住房公积金": "反映行政事业单位按职工工资的规定比例为职工缴存的住房公积金。",
    "提租补贴": "反映按房改政策规定向职工发放的租金补贴。",
    "购房补贴": "反映按房改政策规定向符合条件的职工发放的购房补贴。",
}


def _subject_definition(name: str, parent: str) -> str | None:
    bare = name.strip()
    if bare in SUBJECTS:
        return SUBJECTS[bare]
    if bare.startswith("其他") and bare.endswith("支出") and parent:
        return f"反映除上述项目以外，其他用于{parent.strip().removesuffix('支出')}方面的支出。"
    return None


def glossary_items(model: UnitAccounts) -> list[tuple[str, str]]:
    """Standard terms, then the 项 that appear in 公开05 (where we know their meaning), then additions."""
    items: dict[str, str] = {}
    for term, definition in STANDARD:
        if model.layout == "2018" and term in STANDARD_2018:
            term, definition = STANDARD_2018[term]
        items[term] = definition
    rows = {r.code: r for r in model.gpb_expenditure.rows}
    for row in model.gpb_expenditure.rows:
        if row.level != 3:
            continue
        parent = rows.get(row.code[:5])
        definition = _subject_definition(row.name, parent.name if parent else "")
        term = f"{row.name.strip()}（项）"
        if definition and term not in items:
            items[term] = definition
    for g in model.glossary:
        items[g.term.strip()] = g.definition.strip()
    return list(items.items())
