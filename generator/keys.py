"""The workbook contract's fixed vocabulary: 科目 classes, sheet names, indicator and reason keys.

Kept in one place so that ``init`` (which writes the keys), intake (which reads them),
checks (which asks for them) and narrative (which quotes them) can never disagree.
"""

from __future__ import annotations

# 功能分类 类级科目: code -> current name. Older names map to the same code (§5: 2019 renames).
CLASS_NAMES: dict[str, str] = {
    "201": "一般公共服务支出",
    "202": "外交支出",
    "203": "国防支出",
    "204": "公共安全支出",
    "205": "教育支出",
    "206": "科学技术支出",
    "207": "文化旅游体育与传媒支出",
    "208": "社会保障和就业支出",
    "209": "社会保险基金支出",
    "210": "卫生健康支出",
    "211": "节能环保支出",
    "212": "城乡社区支出",
    "213": "农林水支出",
    "214": "交通运输支出",
    "215": "资源勘探工业信息等支出",
    "216": "商业服务业等支出",
    "217": "金融支出",
    "219": "援助其他地区支出",
    "220": "自然资源海洋气象等支出",
    "221": "住房保障支出",
    "222": "粮油物资储备支出",
    "223": "国有资本经营预算支出",
    "224": "灾害防治及应急管理支出",
    "227": "预备费",
    "229": "其他支出",
    "230": "转移性支出",
    "231": "债务还本支出",
    "232": "债务付息支出",
    "233": "债务发行费用支出",
    "234": "抗疫特别国债安排的支出",
}

# Names used before the 2019 reform (§5), with the first year the new name applies.
OLD_CLASS_NAMES: dict[str, tuple[str, int]] = {
    "医疗卫生与计划生育支出": ("210", 2019),
    "文化体育与传媒支出": ("207", 2019),
    "资源勘探信息等支出": ("215", 2019),
    "国土海洋气象等支出": ("220", 2019),
}

NEW_CLASSES_SINCE: dict[str, int] = {"224": 2019, "234": 2020}


def class_code(name: str) -> str | None:
    """The 类 code of a printed class name such as "七、文化旅游体育与传媒支出"."""
    bare = strip_ordinal(name)
    for code, current in CLASS_NAMES.items():
        if bare == current or bare == current.removesuffix("支出"):
            return code
    old = OLD_CLASS_NAMES.get(bare) or OLD_CLASS_NAMES.get(bare + "支出")
    return old[0] if old else None


def class_name(code: str, year: int) -> str:
    """The 类 name valid in ``year`` (the printed name follows the year, §5)."""
    if year < 2019:
        for old, (old_code, _) in OLD_CLASS_NAMES.items():
            if old_code == code:
                return old
    return CLASS_NAMES.get(code, code)


CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 13 -> 十三, 21 -> 二十一, 105 -> 一百零五, 110 -> 一百一十: ordinals of headings and lines."""
    if n < 10:
        return CN_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")
    if n < 10_000:
        high, rest = divmod(n, 100 if n < 1000 else 1000)
        unit = "百" if n < 1000 else "千"
        if not rest:
            return CN_DIGITS[high] + unit
        tail = cn_number(rest)
        gap = rest < (10 if n < 1000 else 100)
        return CN_DIGITS[high] + unit + ("零" if gap else "") + ("一" + tail if rest >= 10 and tail.startswith("十") else tail)
    return str(n)


_ORDINAL_CHARS = "一二三四五六七八九十百零〇"


def strip_ordinal(label: str) -> str:
    """Drop a leading "二十三、" or "（一）" and spaces from a printed label."""
    text = "".join(str(label).split())
    if "、" in text[:5] and all(c in _ORDINAL_CHARS for c in text[: text.index("、")]):
        text = text[text.index("、") + 1 :]
    if text.startswith("（") and "）" in text[:5]:
        text = text[text.index("）") + 1 :]
    return text


# ---- income lines of 公开01 (canonical keys) -------------------------------------------
INCOME_LINES_2020 = [
    "一般公共预算财政拨款收入",
    "政府性基金预算财政拨款收入",
    "国有资本经营预算财政拨款收入",
    "上级补助收入",
    "事业收入",
    "经营收入",
    "附属单位上缴收入",
    "其他收入",
]
INCOME_LINES_2018 = ["财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]
FISCAL_INCOME_LINES = ["一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"]

# ---- supplementary sheets ------------------------------------------------------------------
SHEET_UNIT = "单位信息"
SHEET_PRIOR = "上年数"
SHEET_BUDGET = "预算数"
SHEET_REASONS = "说明"
SHEET_OTHER = "其他事项"
SHEET_PERFORMANCE = "绩效"
SHEET_GLOSSARY = "名词解释"

UNIT_KEYS = {
    "单位名称": "name",
    "年度": "year",
    "金额单位": "amount_unit",
    "公开主体": "entity",
    "上级部门": "parent",
    "单位性质": "unit_type",
    "主要职能": "functions",
    "机构设置": "organization",
    "决算单位构成": "composition",
    "人员情况": "staffing",
}
UNIT_KEY_HELP = {
    "单位名称": "与决算报表一致的全称",
    "年度": "决算年度，四位数字，如 2024",
    "金额单位": "万元 或 元（元会自动换算为万元）",
    "公开主体": "部门 或 单位（部门＝汇总公开）",
    "上级部门": "主管部门名称",
    "单位性质": "行政单位 / 参照公务员法管理事业单位 / 事业单位",
    "主要职能": "可多段，换行即分段",
    "机构设置": "内设机构、编制等",
    "决算单位构成": "可选的说明文字；单位清单填在本表下方的“决算单位构成表”（序号、单位名称、备注）",
    "人员情况": "年末实有人数等（可选）",
}

# 上年数: indicators the text compares with the prior year.
PRIOR_KEYS = [
    "收支总计",
    "本年收入合计",
    "本年支出合计",
    "财政拨款收支总计",
    "财政拨款收入",
    "财政拨款支出",
    "一般公共预算财政拨款支出",
    "基本支出",
    "项目支出",
    "人员经费",
    "公用经费",
    "三公经费合计",
    "因公出国（境）费",
    "公务用车购置及运行维护费",
    "公务用车购置费",
    "公务用车运行维护费",
    "公务接待费",
    "机关运行经费",
    "会议费",
    "培训费",
    "政府性基金预算财政拨款支出",
    "国有资本经营预算财政拨款支出",
]

# 说明: the reasons the text quotes.
REASON_KEYS = [
    "收支总计变动原因",
    "本年收入变动原因",
    "本年支出变动原因",
    "财政拨款收支变动原因",
    "财政拨款收入变动原因",
    "财政拨款支出变动原因",
    "一般公共预算财政拨款支出变动原因",
    "一般公共预算财政拨款预决算差异原因",
    "三公经费预决算差异原因",
    "三公经费变动原因",
    "因公出国（境）费预决算差异原因",
    "公务用车购置及运行维护费预决算差异原因",
    "公务接待费预决算差异原因",
    "因公出国（境）费变动原因",
    "公务用车购置及运行维护费变动原因",
    "公务接待费变动原因",
    "因公出国（境）费开支内容",
    "公务用车购置用途",
    "公务用车运行维护用途",
    "公务接待用途",
    "机关运行经费变动原因",
    "事业收入主要内容",
    "经营收入主要内容",
    "其他收入主要内容",
    "会议费用途",
    "培训费用途",
]
# An older home of 绩效管理制度 (the 说明 sheet): still read when the 绩效 sheet leaves it blank.
OLD_PERFORMANCE_SYSTEM_REASON = "预算绩效管理制度"

# 湖南's 一般性支出 states this spending (zero included); last row of 其他事项, so older workbooks keep their cells.
FESTIVAL_KEY = "节庆、晚会、论坛、赛事活动支出"
# 其他事项: counts (个/人次/辆/台套) and amounts (万元).
OTHER_KEYS: dict[str, str] = {
    "因公出国（境）团组数": "个",
    "因公出国（境）人次": "人次",
    "公务用车购置数": "辆",
    "公务用车保有量": "辆",
    "公务接待批次": "批次",
    "公务接待人次": "人次",
    "外宾接待批次": "批次",
    "外宾接待人次": "人次",
    "外宾接待费": "万元",
    "会议费": "万元",
    "培训费": "万元",
    "机关运行经费": "万元",
    "政府采购支出总额": "万元",
    "政府采购货物支出": "万元",
    "政府采购工程支出": "万元",
    "政府采购服务支出": "万元",
    "授予中小企业合同金额": "万元",
    "授予小微企业合同金额": "万元",
    "面向中小企业预留项目预算金额": "万元",
    "面向小微企业预留项目预算金额": "万元",
    "中小企业预留项目中小企业中标金额": "万元",
    "小微企业预留项目小微企业中标金额": "万元",
    "其他采购项目中小企业中标金额": "万元",
    "车辆总数": "辆",
    "部级领导干部用车": "辆",
    "主要领导干部用车": "辆",
    "机要通信用车": "辆",
    "应急保障用车": "辆",
    "执法执勤用车": "辆",
    "特种专业技术用车": "辆",
    "离退休干部用车": "辆",
    "其他用车": "辆",
    "一般公务用车": "辆",
    "一般执法执勤用车": "辆",
    "单价100万元（含）以上设备（不含车辆）": "台（套）",
    "单价50万元以上通用设备": "台（套）",
    "单价100万元以上专用设备": "台（套）",
    FESTIVAL_KEY: "万元",
}
# 车辆: 上海2024 lists all eight; the 2018-era formats list 一般公务用车 and 一般执法执勤用车 instead.
VEHICLE_KINDS = ["部级领导干部用车", "主要领导干部用车", "机要通信用车", "应急保障用车", "执法执勤用车", "特种专业技术用车", "离退休干部用车", "其他用车"]
VEHICLE_KINDS_2018 = ["部级领导干部用车", "一般公务用车", "一般执法执勤用车", "特种专业技术用车", "其他用车"]
EQUIPMENT_KEYS = ["单价100万元（含）以上设备（不含车辆）", "单价50万元以上通用设备", "单价100万元以上专用设备"]


def vehicle_kinds(other) -> list[str]:
    """The vehicle categories a workbook uses (``other``: 其他事项 key -> Entry or number).

    The 2018-era list when one of its own kinds (一般公务用车, 一般执法执勤用车) is non-zero, or is
    filled while none of the current list's own kinds is; otherwise the current eight.
    """

    def value(key):
        v = other.get(key)
        return getattr(v, "value", v)

    own_2018 = [k for k in VEHICLE_KINDS_2018 if k not in VEHICLE_KINDS]
    own_now = [k for k in VEHICLE_KINDS if k not in VEHICLE_KINDS_2018]
    if any(value(k) for k in own_2018):
        return VEHICLE_KINDS_2018
    if any(value(k) is not None for k in own_2018) and all(value(k) is None for k in own_now):
        return VEHICLE_KINDS_2018
    return VEHICLE_KINDS


# 政府采购 (上海2024): the total (以合同签订为准) is the sum of its three kinds.
PROCUREMENT_TOTAL = "政府采购支出总额"
PROCUREMENT_KINDS = ["政府采购货物支出", "政府采购工程支出", "政府采购服务支出"]
PROCUREMENT_SME = [
    "授予中小企业合同金额",
    "授予小微企业合同金额",
    "面向中小企业预留项目预算金额",
    "面向小微企业预留项目预算金额",
    "中小企业预留项目中小企业中标金额",
    "小微企业预留项目小微企业中标金额",
    "其他采购项目中小企业中标金额",
]

# 单位性质 whose 公用经费 is 机关运行经费 (行政单位 and 参照公务员法管理的事业单位).
ADMIN_TYPE_WORDS = ("行政", "参照公务员", "参公")


def has_running_costs(unit_type: str) -> bool:
    """机关运行经费 applies to 行政 and 参公 units only; others get the format's own sentence."""
    return any(w in (unit_type or "") for w in ADMIN_TYPE_WORDS)


# 单位信息: the 决算单位构成 table below the key rows.
COMPOSITION_COLUMNS = ["序号", "单位名称", "备注"]

# 绩效 summary keys.
PERFORMANCE_KEYS: dict[str, str] = {
    "绩效目标项目数": "个",
    "绩效目标涉及金额": "万元",
    "绩效跟踪项目数": "个",
    "绩效跟踪涉及金额": "万元",
    "绩效自评项目数": "个",
    "绩效自评涉及金额": "万元",
    "平均得分": "分",
    "评级为优的项目数": "个",
    "评级为良的项目数": "个",
    "评级为合格的项目数": "个",
    "评级为不合格的项目数": "个",
    "发现问题数": "个",
    "已完成整改数": "个",
    "正在整改数": "个",
}
PERFORMANCE_NARRATIVE_KEY = "绩效管理工作情况"
PERFORMANCE_SYSTEM_KEY = "绩效管理制度"  # 上海2024: "本部门建立了如下预算绩效管理制度：…"
PERFORMANCE_MECHANISM_KEY = "绩效管理工作机制"  # 上海2024: "…，建立了XXXX的预算绩效管理工作机制"
PROJECT_COLUMNS = ["项目名称", "自评得分", "全年预算数", "全年执行数", "绩效目标完成情况", "存在问题", "改进措施"]
# 绩效 sheet, below the projects: the reports attached to the document (only those listed are promised).
ATTACHMENT_COLUMNS = ["附件名称", "备注", "正文"]  # 正文: the attachment's own text, printed under its heading
ATTACHMENT_EXAMPLES = ["部门整体支出绩效评价报告", "项目绩效评价报告"]

# 预算数: 年初预算 per 项 of all three 财政拨款 kinds; a row whose 科目编码 is "合计" is that kind's typed total.
FUND_GENERAL, FUND_GOV, FUND_CAPITAL = "一般公共预算", "政府性基金", "国有资本经营"
FUND_SOURCES = [FUND_GENERAL, FUND_GOV, FUND_CAPITAL]
BUDGET_COLUMNS = ["科目编码", "科目名称", "年初预算数", "调整预算数", "主要用途", "决算与预算差异原因", "资金来源"]
BUDGET_TOTAL_LABEL = "合计"
