"""Writing input workbooks (§3): the blank one of ``juesuan init`` and filled ones for samples.

Two entry points:

* :func:`write_blank` — the blank workbook: an instruction sheet, the nine 公开表 as empty
  frames in the 部门决算 software's export layout, and the supplementary sheets with every
  key pre-listed. Input cells are light yellow. With ``prior=`` (last year's model) the
  上年数 sheet is filled from last year's actual figures.
* :func:`write_book` — a filled workbook from a plain-Python dict (shape below). It writes
  what it is given and computes nothing: totals are whatever the dict says, so a sample can
  reproduce a published table with its 尾数 differences.

This module only writes; it never reads a workbook and never imports intake.

The ``book`` dict
=================

Amounts are ``Decimal`` (``int`` is accepted); ``None`` leaves the cell blank. Every key is
optional unless marked *required*.

.. code-block:: python

    book = {
        "unit": {                       # 单位信息, keys of keys.UNIT_KEYS
            "单位名称": "…",            # *required* (also printed as "部门：…" on each table)
            "年度": 2020,               # *required*
            "金额单位": "万元", "公开主体": "单位", "上级部门": "…", "单位性质": "…",
            "主要职能": "段落1\\n段落2", "机构设置": "…", "决算单位构成": "…", "人员情况": "…",
        },
        "tables": {
            # 公开01 收入支出决算总表
            "summary": {
                "income": {"一般公共预算财政拨款收入": D, …},   # keys.INCOME_LINES_2020 / _2018
                "classes": {"201": D, …},                     # 类 code -> 金额; missing = 0
                "totals": {"本年收入合计": D, "使用非财政拨款结余": D,  # 2018: "用事业基金弥补收支差额"
                           "年初结转和结余": D, "收入总计": D, "本年支出合计": D,
                           "结余分配": D, "年末结转和结余": D, "支出总计": D},
            },
            # 公开02/03/05/08/09: subject tables
            "income" | "expenditure" | "gpb_expenditure" | "gov_fund" | "state_capital": {
                "total": [D, …] | None,           # the 合计 row, one value per amount column
                "rows": [("201", "一般公共服务支出", [D, …]), ("20101", "人大事务", […]), …],
                "remarks": [("0", "备注：本单位无…")],   # optional text rows after the data
                "notes": ["注：…"],                # optional: replaces the default 注 line(s)
            },
            # 公开04 财政拨款收入支出决算总表
            "fiscal_summary": {
                "income": {"一般公共预算财政拨款": D, "政府性基金预算财政拨款": D,
                           "国有资本经营预算财政拨款": D},          # 2018: first two only
                "labels": {"国有资本经营预算财政拨款": "三、国有资本经营财政拨款"},  # optional
                "classes": {"201": [合计, 一般公共预算, 政府性基金, 国有资本经营], …},
                "totals": {"本年收入合计": D, "年初结转和结余": D,
                           "年初结转和结余:一般公共预算": D, "年初结转和结余:政府性基金": D,
                           "年初结转和结余:国有资本经营": D, "收入总计": D,
                           "本年支出合计": [4 values], "年末结转和结余": [4 values],
                           "支出总计": [4 values]},                # 3 values each in 2018
            },
            # 公开06: either explicit panels or amounts by code (names from ECON_PANELS)
            "gpb_basic": {
                "panels": [[(code, name, D), …], […], […]],   # 人员经费 | 公用经费 | 公用经费
                # or: "amounts": {"301": D, "30101": D, …},
                "personnel_total": D, "public_total": D,
            },
            # 公开07: six values each, in model.SANGONG_COLUMNS order
            "sangong": {"budget": [合计, 出国, 用车小计, 购置, 运行, 接待], "actual": […]},
        },
        "prior": {"本年收入合计": D | (D, "备注"), …},      # 上年数, keys.PRIOR_KEYS
        "prior_by_class": {"201": D | (D, "备注"), …},       # 上年 一般公共预算 支出 by 类
        "members": [{"序号": 1, "单位名称": "…（本级）", "备注": "…"}, …],  # 单位信息 决算单位构成表
        "budget": [{"code": "2010301", "name": "行政运行", "initial": D, "adjusted": D,
                    "purpose": "…", "reason": "…",
                    "source": "政府性基金"}, …],                # 预算数 (source blank = 一般公共预算)
        "budget_totals": {"一般公共预算": D, …},               # 预算数 "合计" rows (optional)
        "reasons": {"本年收入变动原因": "…", …},                # 说明, keys.REASON_KEYS
        "other": {"公务用车保有量": 1, "会议费": D, …},          # 其他事项, keys.OTHER_KEYS
        "performance": {
            "narrative": "…",                                   # keys.PERFORMANCE_NARRATIVE_KEY
            "system": "《…办法》《…细则》",                       # keys.PERFORMANCE_SYSTEM_KEY
            "mechanism": "事前评估、事中监控、事后评价",          # keys.PERFORMANCE_MECHANISM_KEY
            "attachments": [("部门整体支出绩效评价报告", "备注", "正文"), …],  # keys.ATTACHMENT_COLUMNS
            "summary": {"绩效自评项目数": 4, …},                  # keys.PERFORMANCE_KEYS
            "projects": [{"项目名称": "…", "自评得分": D, "全年预算数": D, "全年执行数": D,
                          "绩效目标完成情况": "…", "存在问题": "…", "改进措施": "…"}, …],
        },
        "glossary": [("名词", "解释"), …],                       # 名词解释
    }

``layout`` is "2020" (nine tables; 使用非财政拨款结余; 一般公共预算/政府性基金/国有资本经营)
or "2018" (eight tables; 财政拨款收入 as one line; 用事业基金弥补收支差额; old 类 names).
``sheet_names`` is "plain" ("公开01表" …) or "export" (the 决算软件 export names, e.g.
"Z01 收入支出决算总表(公开01表)").
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from . import keys
from .files import normalize_zip, write_atomic
from .keys import cn_number

if TYPE_CHECKING:  # pragma: no cover
    from .model import UnitAccounts

# ---- constants ----------------------------------------------------------------------------

TABLE_ORDER = [
    "summary",
    "income",
    "expenditure",
    "fiscal_summary",
    "gpb_expenditure",
    "gpb_basic",
    "sangong",
    "gov_fund",
    "state_capital",
]

TITLES = {
    "summary": "收入支出决算总表",
    "income": "收入决算表",
    "expenditure": "支出决算表",
    "fiscal_summary": "财政拨款收入支出决算总表",
    "gpb_expenditure": "一般公共预算财政拨款支出决算表",
    "gpb_basic": "一般公共预算财政拨款基本支出决算表",
    "sangong": "一般公共预算财政拨款“三公”经费支出决算表",
    "gov_fund": "政府性基金预算财政拨款收入支出决算表",
    "state_capital": "国有资本经营预算财政拨款支出决算表",
}

# Export-name prefixes as seen in the 部门决算 software export (seed 003).
EXPORT_PREFIX = {
    "summary": "Z01",
    "income": "Z03",
    "expenditure": "Z04",
    "fiscal_summary": "Z01_1",
    "gpb_expenditure": "Z07",
    "gpb_basic": "Z08_1",
    "sangong": "F03",
    "gov_fund": "Z09",
    "state_capital": "Z11",
}

SHEET_INSTRUCTIONS = "填写说明"
MAX_SHEET_NAME = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
AMOUNT_FORMAT = "#,##0.00"
_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=16)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center")
RIGHT = Alignment(horizontal="right", vertical="center")
WRAP = Alignment(horizontal="left", vertical="top", wrap_text=True)

# Fixed timestamp for deterministic files (zip entries and docProps/core.xml).
_FIXED_ZIP_TIME = (2020, 1, 1, 0, 0, 0)
_FIXED_CORE_TIME = "2020-01-01T00:00:00Z"

# ---- layouts ------------------------------------------------------------------------------

_CLASSES_2020 = [
    "201", "202", "203", "204", "205", "206", "207", "208", "210", "211", "212", "213", "214",
    "215", "216", "217", "219", "220", "221", "222", "223", "224", "229", "231", "232", "234",
]  # fmt: skip
_CLASSES_2018 = [
    "201", "202", "203", "204", "205", "206", "207", "208", "210", "211", "212", "213", "214",
    "215", "216", "217", "219", "220", "221", "222", "229",
]  # fmt: skip

LAYOUTS: dict[str, dict[str, Any]] = {
    "2020": {
        "tables": TABLE_ORDER,
        "income_lines": keys.INCOME_LINES_2020,
        "classes": _CLASSES_2020,
        "summary_body_rows": 26,
        "surplus_line": "使用非财政拨款结余",
        "fiscal_lines": keys.FISCAL_INCOME_LINES,
        "fiscal_body_rows": 26,
    },
    "2018": {
        "tables": TABLE_ORDER[:-1],
        "income_lines": keys.INCOME_LINES_2018,
        "classes": _CLASSES_2018,
        "summary_body_rows": 22,
        "surplus_line": "用事业基金弥补收支差额",
        "fiscal_lines": keys.FISCAL_INCOME_LINES[:2],
        "fiscal_body_rows": 21,
    },
}

# Amount columns of the subject tables: (header groups, column names).
# A header group is (label, [sub-labels]) — an empty list means one column spanning both rows.
SUBJECT_HEADERS: dict[str, list[tuple[str, list[str]]]] = {
    "income": [
        ("本年收入合计", []),
        ("财政拨款收入", []),
        ("上级补助收入", []),
        ("事业收入", []),
        ("经营收入", []),
        ("附属单位上缴收入", []),
        ("其他收入", []),
    ],
    "expenditure": [
        ("本年支出合计", []),
        ("基本支出", []),
        ("项目支出", []),
        ("上缴上级支出", []),
        ("经营支出", []),
        ("对附属单位补助支出", []),
    ],
    "gpb_expenditure": [("本年支出", ["小计", "基本支出", "项目支出"])],
    "gov_fund": [
        ("年初结转和结余", []),
        ("本年收入", []),
        ("本年支出", ["小计", "基本支出", "项目支出"]),
        ("年末结转和结余", []),
    ],
    "state_capital": [("本年支出", ["合计", "基本支出", "项目支出"])],
}


# 公开09 as the 2024 formats print it (上海: 国有资本经营预算财政拨款收入支出决算表): carry-overs, income and
# spending per 项, like 公开08. The blank workbook of `init` has it (a format that prints the 支出 table takes
# its 本年支出 columns); a workbook written with ``{"in_out": False}`` keeps the 支出 table of the 2020 export.
STATE_CAPITAL_IN_OUT = {
    "headers": SUBJECT_HEADERS["gov_fund"],
    "title": "国有资本经营预算财政拨款收入支出决算表",
    "note": "注：本表反映部门本年度国有资本经营预算财政拨款收入、支出及结转和结余情况。",
}


def _headers(kind: str, data: dict) -> list:
    return STATE_CAPITAL_IN_OUT["headers"] if kind == "state_capital" and data.get("in_out") else SUBJECT_HEADERS[kind]


def subject_columns(kind: str, data: dict | None = None) -> list[str]:
    """The amount column labels of a subject table, left to right (``data``: its table, for 公开09's layout)."""
    cols: list[str] = []
    for label, subs in _headers(kind, data or {}):
        cols.extend(subs or [label])
    return cols


DEFAULT_NOTES = {
    "summary": "注：本表反映部门本年度的总收支和年末结转结余情况。",
    "income": "注：本表反映部门本年度取得的各项收入情况。",
    "expenditure": "注：本表反映部门本年度各项支出情况。",
    "fiscal_summary": "注：本表反映部门本年度一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款的总收支和年末结转结余情况。",
    "gpb_expenditure": "注：本表反映部门本年度一般公共预算财政拨款支出情况。",
    "gpb_basic": "注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。",
    "sangong": (
        "注：本表反映部门本年度“三公”经费支出预决算情况。其中，预算数为“三公”经费全年预算数，反映按规定程序调整后的预算数；"
        "决算数是包括当年一般公共预算财政拨款和以前年度结转资金安排的实际支出。"
    ),
    "gov_fund": "注：本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。",
    "state_capital": "注：本表反映部门本年度国有资本经营预算财政拨款支出情况。",
}
DEFAULT_NOTES_2018 = {
    **DEFAULT_NOTES,
    "fiscal_summary": "注：本表反映部门本年度一般公共预算财政拨款和政府性基金预算财政拨款的总收支和年末结转结余情况。",
    "sangong": "注：本表反映部门本年度“三公”经费支出预决算情况。其中：预算数为“三公”经费年初预算数，决算数是包括当年一般公共预算财政拨款和以前年度结转资金安排的实际支出。",
}
SUMMARY_NOTE_2020 = DEFAULT_NOTES["summary"] + "本套报表金额单位转换时可能存在尾数误差。"

# 公开06 panels (经济分类科目), as in the 2020 export of seed 003. Groups are 3-digit codes.
ECON_PANELS_2020: list[list[tuple[str, str]]] = [
    [
        ("301", "工资福利支出"), ("30101", "基本工资"), ("30102", "津贴补贴"), ("30103", "奖金"),
        ("30106", "伙食补助费"), ("30107", "绩效工资"), ("30108", "机关事业单位基本养老保险缴费"),
        ("30109", "职业年金缴费"), ("30110", "职工基本医疗保险缴费"), ("30111", "公务员医疗补助缴费"),
        ("30112", "其他社会保障缴费"), ("30113", "住房公积金"), ("30114", "医疗费"),
        ("30199", "其他工资福利支出"), ("303", "对个人和家庭的补助"), ("30301", "离休费"),
        ("30302", "退休费"), ("30303", "退职（役）费"), ("30304", "抚恤金"), ("30305", "生活补助"),
        ("30306", "救济费"), ("30307", "医疗费补助"), ("30308", "助学金"), ("30309", "奖励金"),
        ("30310", "个人农业生产补贴"), ("30311", "代缴社会保险费"), ("30399", "其他对个人和家庭的补助"),
    ],
    [
        ("302", "商品和服务支出"), ("30201", "办公费"), ("30202", "印刷费"), ("30203", "咨询费"),
        ("30204", "手续费"), ("30205", "水费"), ("30206", "电费"), ("30207", "邮电费"),
        ("30208", "取暖费"), ("30209", "物业管理费"), ("30211", "差旅费"),
        ("30212", "因公出国（境）费用"), ("30213", "维修（护）费"), ("30214", "租赁费"),
        ("30215", "会议费"), ("30216", "培训费"), ("30217", "公务接待费"), ("30218", "专用材料费"),
        ("30224", "被装购置费"), ("30225", "专用燃料费"), ("30226", "劳务费"), ("30227", "委托业务费"),
        ("30228", "工会经费"), ("30229", "福利费"), ("30231", "公务用车运行维护费"),
        ("30239", "其他交通费用"), ("30240", "税金及附加费用"), ("30299", "其他商品和服务支出"),
    ],
    [
        ("307", "债务利息及费用支出"), ("30701", "国内债务付息"), ("30702", "国外债务付息"),
        ("310", "资本性支出"), ("31001", "房屋建筑物购建"), ("31002", "办公设备购置"),
        ("31003", "专用设备购置"), ("31005", "基础设施建设"), ("31006", "大型修缮"),
        ("31007", "信息网络及软件购置更新"), ("31008", "物资储备"), ("31009", "土地补偿"),
        ("31010", "安置补助"), ("31011", "地上附着物和青苗补偿"), ("31012", "拆迁补偿"),
        ("31013", "公务用车购置"), ("31019", "其他交通工具购置"), ("31021", "文物和陈列品购置"),
        ("31022", "无形资产购置"), ("31099", "其他资本性支出"), ("399", "其他支出"), ("39906", "赠与"),
        ("39907", "国家赔偿费用支出"), ("39908", "对民间非营利组织和群众性自治组织补贴"),
        ("39999", "其他支出"),
    ],
]  # fmt: skip
ECON_NAMES: dict[str, str] = {code: name for panel in ECON_PANELS_2020 for code, name in panel}

SANGONG_HEADER = [
    ("合计", []),
    ("因公出国（境）费", []),
    ("公务用车购置及运行费", ["小计", "公务用车购置费", "公务用车运行费"]),
    ("公务接待费", []),
]

INSTRUCTIONS = [
    "决算公开数据工作簿 · 填写说明",
    "",
    "1. 本工作簿每个单位一份。先填“单位信息”（单位名称、年度、金额单位、单位性质等），并在其下方的“决算单位构成表”逐行列出纳入决算的单位（本级在前），其余各表按需填写。",
    "2. “公开01表”至“公开09表”是九张部门决算公开表，格式与部门决算软件导出的一致。"
    "可以直接把决算软件导出的 Z01、Z03、Z04、Z01_1、Z07、Z08_1、F03、Z09、Z11 各表整张复制（或作为工作表粘贴）进来，代替手工填写；"
    "程序按表名或表标题识别各表，按行标签、科目编码和列标题取数，不依赖固定单元格位置。",
    "3. 金额单位以“单位信息”中的“金额单位”为准，可填“万元”或“元”（元会自动换算为万元）。金额保留两位小数。",
    "4. 金额单元格为空、填“-”或 0 都按 0 处理；也可以填写带千分位的文字，如“2,140.78”。不要填写公式以外的说明文字。",
    "5. 不要修改行标签、科目编码和列标题；科目编码请按文本填写（类 3 位、款 5 位、项 7 位）。",
    "6. 浅黄色底纹的单元格是需要填写的单元格。",
    "7. “上年数”：填写上年决算数，用于计算增减变化；可用 juesuan init --prior 上年工作簿.xlsx 自动填入。",
    "8. “预算数”：逐项（7 位科目）填写年初预算数、主要用途和决算与预算差异原因；政府性基金、国有资本经营的科目在“资金来源”列注明（空白 = 一般公共预算）。"
    "科目编码写“合计”的行可填该资金来源的年初预算合计（不填时按各项之和）。",
    "9. “说明”：填写正文需要引用的各项原因（直接写原因，如“人员增加”；开头写了“主要原因是”“由于”等也可以）；缺少时草稿中会以【待补充】标出。"
    "不要留下模板文字（XX、……、“增加（减少）”等）或往年的年份，检查时会提示。",
    "10. “其他事项”：三公经费的团组、人次、车辆数，会议费、培训费、机关运行经费、政府采购、国有资产等。",
    "11. “绩效”：绩效管理工作情况（可多段，换行即分段）、绩效管理制度、汇总数、随文档公开的附件清单（只列真正附上的报告）和项目自评清单。",
    "12. “名词解释”：可选，补充或替换内置的名词解释。",
    "13. 长文本（主要职能、机构设置等）写在一个单元格内，用换行分段（Excel 中按 Alt+Enter）。",
]

# ---- small helpers ------------------------------------------------------------------------


def safe_sheet_name(name: str) -> str:
    """A legal Excel sheet name: no []:*?/\\, at most 31 characters.

    A name that is too long keeps its "(公开NN表)" ending when it can (the reader finds
    tables by title anyway)."""
    name = _BAD_SHEET_CHARS.sub("_", name).strip("'") or "Sheet"
    if len(name) <= MAX_SHEET_NAME:
        return name
    m = re.search(r"[(（]公开\d\d表[)）]?$", name)
    if m:
        tail = m.group(0)
        return name[: MAX_SHEET_NAME - len(tail)] + tail
    return name[:MAX_SHEET_NAME]


# The export's own sheet names (seed 003). F03's is cut at Excel's 31 characters by the
# software itself, losing its closing parenthesis; it is kept exactly so.
EXPORT_NAMES = {
    "summary": "Z01 收入支出决算总表(公开01表)",
    "income": "Z03 收入决算表(公开02表)",
    "expenditure": "Z04 支出决算表(公开03表)",
    "fiscal_summary": "Z01_1 财政拨款收入支出决算总表(公开04表)",
    "gpb_expenditure": "Z07 一般公共预算财政拨款支出决算表(公开05表)",
    "gpb_basic": "Z08_1 一般公共预算财政拨款基本支出决算表(公开06表)",
    "sangong": "F03 一般公共预算财政拨款“三公”经费支出决算表(公开07表",
    "gov_fund": "Z09 政府性基金预算财政拨款收入支出决算表(公开08表)",
    "state_capital": "Z11 国有资本经营预算财政拨款支出决算表(公开09表)",
}


def sheet_name(kind: str, style: str) -> str:
    """Sheet name of a table: "公开01表" (plain) or "Z01 收入支出决算总表(公开01表)" (export)."""
    label = f"公开{TABLE_ORDER.index(kind) + 1:02d}表"
    if style == "plain":
        return label
    if style == "export":
        return safe_sheet_name(EXPORT_NAMES.get(kind) or f"{EXPORT_PREFIX[kind]} {TITLES[kind]}({label})")
    raise ValueError(f"unknown sheet_names style: {style!r}")


def _num(value):
    """Decimal/int/float -> a value openpyxl writes as a number; None stays None."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and value.as_tuple().exponent >= 0 else float(str(value))
    if isinstance(value, (int, float)):
        return value
    return value


def _split_note(value) -> tuple[Any, str]:
    if isinstance(value, tuple):
        return value[0], value[1]
    return value, ""


class _Sheet:
    """A worksheet plus the writing conventions of this module."""

    def __init__(self, ws, mark_inputs: bool):
        self.ws = ws
        self.mark_inputs = mark_inputs

    def put(self, row, col, value, *, style=None):
        cell = self.ws.cell(row=row, column=col)
        if value is not None and value != "":
            cell.value = value
        if style == "amount":
            cell.number_format = AMOUNT_FORMAT
            cell.alignment = RIGHT
        elif style == "code":
            cell.number_format = "@"
            cell.alignment = LEFT
        elif style == "header":
            cell.font = BOLD
            cell.alignment = CENTER
            cell.fill = HEADER_FILL
        elif style == "wrap":
            cell.alignment = WRAP
        return cell

    def amount(self, row, col, value, *, input_cell=True):
        cell = self.put(row, col, _num(value), style="amount")
        cell.border = BORDER
        if input_cell and self.mark_inputs:
            cell.fill = INPUT_FILL
        return cell

    def text(self, row, col, value, *, input_cell=False, wrap=False, code=False):
        cell = self.put(row, col, value, style="code" if code else ("wrap" if wrap else None))
        if input_cell and self.mark_inputs:
            cell.fill = INPUT_FILL
        return cell

    def header(self, row, col, value, *, to_row=None, to_col=None):
        self.put(row, col, value, style="header")
        r2, c2 = to_row or row, to_col or col
        for r in range(row, r2 + 1):
            for c in range(col, c2 + 1):
                cell = self.ws.cell(row=r, column=c)
                cell.border = BORDER
                cell.fill = HEADER_FILL
        if (r2, c2) != (row, col):
            self.ws.merge_cells(start_row=row, start_column=col, end_row=r2, end_column=c2)

    def border_row(self, row, first, last):
        for c in range(first, last + 1):
            self.ws.cell(row=row, column=c).border = BORDER

    def widths(self, widths: dict[int, float]):
        for col, w in widths.items():
            self.ws.column_dimensions[get_column_letter(col)].width = w


# ---- table writers ------------------------------------------------------------------------


def _title_block(sh: _Sheet, kind: str, unit_name: str, width: int, title: str | None = None) -> int:
    """Rows 1–3: title, "公开NN表" label, 部门/金额单位 line. Returns the next row."""
    ws = sh.ws
    sh.put(1, 1, title or TITLES[kind])
    ws.cell(row=1, column=1).font = TITLE_FONT
    ws.cell(row=1, column=1).alignment = CENTER
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 30
    label = sh.put(2, width, f"公开{TABLE_ORDER.index(kind) + 1:02d}表")
    label.alignment = RIGHT
    sh.put(3, 1, f"部门：{unit_name}" if unit_name else "部门：")
    unit = sh.put(3, width, "金额单位：万元")
    unit.alignment = RIGHT
    return 4


def _notes(sh: _Sheet, row: int, notes: list[str], width: int) -> None:
    for i, note in enumerate(notes):
        cell = sh.put(row + i, 1, note)
        cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        sh.ws.merge_cells(start_row=row + i, start_column=1, end_row=row + i, end_column=width)
        sh.ws.row_dimensions[row + i].height = 30 if len(note) > 60 else 18


def _class_label(code: str, index: int, year: int | None) -> str:
    return f"{cn_number(index)}、{keys.class_name(code, year or 2020)}"


def _write_summary(sh: _Sheet, data: dict, layout: str, unit_name: str, year, fill_zero: bool, notes):
    """公开01: income lines left, 类 lines right, totals below."""
    lay = LAYOUTS[layout]
    width = 6
    r = _title_block(sh, "summary", unit_name, width)
    sh.header(r, 1, "收入", to_col=3)
    sh.header(r, 4, "支出", to_col=6)
    for c, label in enumerate(["项目", "行次", "金额", "项目", "行次", "金额"], start=1):
        sh.header(r + 1, c, label)
    for c, label in enumerate(["栏次", "", "1", "栏次", "", "2"], start=1):
        sh.header(r + 2, c, label)
    r += 3
    sh.ws.freeze_panes = sh.ws.cell(row=r, column=1)
    income = data.get("income", {})
    classes = data.get("classes", {})
    totals = data.get("totals", {})
    zero = Decimal(0) if fill_zero else None
    body = lay["summary_body_rows"]
    right_start = body + 6
    for i in range(body):
        row = r + i
        sh.border_row(row, 1, width)
        sh.put(row, 2, i + 1).alignment = CENTER
        if i < len(lay["income_lines"]):
            key = lay["income_lines"][i]
            sh.put(row, 1, f"{cn_number(i + 1)}、{key}")
            sh.amount(row, 3, income.get(key, zero))
        sh.put(row, 5, right_start + i).alignment = CENTER
        if i < len(lay["classes"]):
            code = lay["classes"][i]
            sh.put(row, 4, _class_label(code, i + 1, year))
            sh.amount(row, 6, classes.get(code, zero))
    r += body
    surplus = lay["surplus_line"]
    lines = [
        ("本年收入合计", "本年收入合计", "本年支出合计", "本年支出合计"),
        (surplus, surplus, "结余分配", "结余分配"),
        ("年初结转和结余", "年初结转和结余", "年末结转和结余", "年末结转和结余"),
        (None, None, None, None),
        ("总计", "收入总计", "总计", "支出总计"),
    ]
    for j, (llabel, lkey, rlabel, rkey) in enumerate(lines):
        row = r + j
        sh.border_row(row, 1, width)
        sh.put(row, 2, body + 1 + j).alignment = CENTER
        sh.put(row, 5, right_start + body + j).alignment = CENTER
        if llabel:
            sh.put(row, 1, llabel).font = BOLD
            sh.amount(row, 3, totals.get(lkey, zero))
            sh.put(row, 4, rlabel).font = BOLD
            sh.amount(row, 6, totals.get(rkey, zero))
    r += len(lines)
    default = SUMMARY_NOTE_2020 if layout == "2020" else DEFAULT_NOTES["summary"]
    _notes(sh, r, notes or [default], width)
    sh.widths({1: 34, 2: 6, 3: 14, 4: 34, 5: 6, 6: 14})


def _write_fiscal_summary(sh: _Sheet, data: dict, layout: str, unit_name: str, year, fill_zero: bool, notes):
    """公开04: fiscal income left, 类 × (合计, 一般公共预算, 政府性基金[, 国有资本经营]) right."""
    lay = LAYOUTS[layout]
    fiscal = lay["fiscal_lines"]
    ncols = 1 + len(fiscal)
    width = 5 + ncols
    r = _title_block(sh, "fiscal_summary", unit_name, width)
    sh.header(r, 1, "收     入", to_col=3)
    sh.header(r, 4, "支     出", to_col=width)
    for c, label in enumerate(["项目", "行次", "金额", "项目", "行次"], start=1):
        sh.header(r + 1, c, label, to_row=r + 2)
    for k, label in enumerate(["合计", *fiscal]):
        sh.header(r + 1, 6 + k, label, to_row=r + 2)
    sh.header(r + 3, 1, "栏次")
    sh.header(r + 3, 2, "")
    sh.header(r + 3, 3, "1")
    sh.header(r + 3, 4, "栏次")
    sh.header(r + 3, 5, "")
    for k in range(ncols):
        sh.header(r + 3, 6 + k, str(2 + k))
    r += 4
    sh.ws.freeze_panes = sh.ws.cell(row=r, column=1)
    income = data.get("income", {})
    labels = data.get("labels", {})
    classes = data.get("classes", {})
    totals = data.get("totals", {})
    zero = Decimal(0) if fill_zero else None
    zeros = [zero] * ncols
    body = lay["fiscal_body_rows"]
    right_start = body + 7
    for i in range(body):
        row = r + i
        sh.border_row(row, 1, width)
        sh.put(row, 2, i + 1).alignment = CENTER
        if i < len(fiscal):
            key = fiscal[i]
            sh.put(row, 1, labels.get(key) or f"{cn_number(i + 1)}、{key}")
            sh.amount(row, 3, income.get(key, zero))
        sh.put(row, 5, right_start + i).alignment = CENTER
        if i < len(lay["classes"]):
            code = lay["classes"][i]
            sh.put(row, 4, _class_label(code, i + 1, year))
            values = list(classes.get(code, zeros)) + [zero] * ncols
            for k in range(ncols):
                sh.amount(row, 6 + k, values[k])
    r += body
    sub_keys = {
        "一般公共预算财政拨款": "年初结转和结余:一般公共预算",
        "政府性基金预算财政拨款": "年初结转和结余:政府性基金",
        "国有资本经营预算财政拨款": "年初结转和结余:国有资本经营",
    }
    lines: list[tuple] = [
        ("本年收入合计", "本年收入合计", "本年支出合计", "本年支出合计"),
        ("年初财政拨款结转和结余", "年初结转和结余", "年末财政拨款结转和结余", "年末结转和结余"),
    ]
    lines += [(f, sub_keys[f], None, None) for f in fiscal]
    while len(lines) < 5:
        lines.append((None, None, None, None))
    lines.append(("总计", "收入总计", "总计", "支出总计"))
    for j, (llabel, lkey, rlabel, rkey) in enumerate(lines):
        row = r + j
        sh.border_row(row, 1, width)
        sh.put(row, 2, body + 1 + j).alignment = CENTER
        sh.put(row, 5, right_start + body + j).alignment = CENTER
        if llabel:
            cell = sh.put(row, 1, llabel)
            if lkey in ("本年收入合计", "收入总计", "年初结转和结余"):
                cell.font = BOLD
            sh.amount(row, 3, totals.get(lkey, zero))
        if rlabel:
            sh.put(row, 4, rlabel).font = BOLD
            values = list(totals.get(rkey, zeros)) + [zero] * ncols
            for k in range(ncols):
                sh.amount(row, 6 + k, values[k])
    r += len(lines)
    default = DEFAULT_NOTES["fiscal_summary"] if layout == "2020" else DEFAULT_NOTES_2018["fiscal_summary"]
    _notes(sh, r, notes or [default], width)
    sh.widths({1: 30, 2: 6, 3: 14, 4: 34, 5: 6, **{6 + k: 16 for k in range(ncols)}})


def _write_subject(sh: _Sheet, kind: str, data: dict, unit_name: str, notes, blank_rows: int = 0, layout: str = "2020"):
    """公开02/03/05/08/09: code | name | amount columns; 合计 row first, then 类/款/项 rows."""
    groups = _headers(kind, data)
    cols = subject_columns(kind, data)
    width = 2 + len(cols)
    in_out = kind == "state_capital" and bool(data.get("in_out"))
    r = _title_block(sh, kind, unit_name, width, STATE_CAPITAL_IN_OUT["title"] if in_out else None)
    sh.header(r, 1, "项目", to_col=2)
    sh.header(r + 1, 1, "功能分类科目编码")
    sh.header(r + 1, 2, "科目名称")
    c = 3
    for label, subs in groups:
        if subs:
            sh.header(r, c, label, to_col=c + len(subs) - 1)
            for k, sub in enumerate(subs):
                sh.header(r + 1, c + k, sub)
            c += len(subs)
        else:
            sh.header(r, c, label, to_row=r + 1)
            c += 1
    repeat = kind == "income" and layout == "2020"  # the 2020 Z03 export repeats 栏次/合计
    if repeat:
        sh.header(r + 2, 1, "栏次")
        sh.header(r + 2, 2, "栏次")
    else:
        sh.header(r + 2, 1, "栏次", to_col=2)
    for k in range(len(cols)):
        sh.header(r + 2, 3 + k, str(k + 1))
    r += 3
    sh.ws.freeze_panes = sh.ws.cell(row=r, column=3)
    # 合计 row
    sh.border_row(r, 1, width)
    sh.put(r, 1, "合计").font = BOLD
    sh.ws.cell(row=r, column=1).alignment = CENTER
    if repeat:
        sh.put(r, 2, "合计").font = BOLD
    else:
        sh.ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
    total = data.get("total")
    for k in range(len(cols)):
        sh.amount(r, 3 + k, total[k] if total is not None and k < len(total) else None)
    r += 1
    for code, name, values in data.get("rows", []):
        sh.border_row(r, 1, width)
        sh.text(r, 1, str(code), code=True)
        sh.text(r, 2, name)
        if len(str(code)) <= 3:
            sh.ws.cell(row=r, column=2).font = BOLD
        values = list(values or [])
        for k in range(len(cols)):
            sh.amount(r, 3 + k, values[k] if k < len(values) else None)
        r += 1
    for _ in range(blank_rows):
        sh.border_row(r, 1, width)
        sh.text(r, 1, None, input_cell=True, code=True)
        sh.text(r, 2, None, input_cell=True)
        for k in range(len(cols)):
            sh.amount(r, 3 + k, None)
        r += 1
    for code, text in data.get("remarks", []):
        sh.border_row(r, 1, width)
        sh.text(r, 1, str(code), code=True)
        sh.text(r, 2, text)
        r += 1
    _notes(sh, r, notes or [STATE_CAPITAL_IN_OUT["note"] if in_out else DEFAULT_NOTES[kind]], width)
    sh.widths({1: 14, 2: 40, **{3 + k: 15 for k in range(len(cols))}})


def _econ_panels(data: dict, fill_zero: bool) -> list[list[tuple[str, str, Any]]]:
    if "panels" in data:
        return [[tuple(item) for item in panel] for panel in data["panels"]]
    amounts = data.get("amounts", {})
    zero = Decimal(0) if fill_zero else None
    return [[(code, name, amounts.get(code, zero)) for code, name in panel] for panel in ECON_PANELS_2020]


def _write_basic(sh: _Sheet, data: dict, unit_name: str, fill_zero: bool, notes):
    """公开06: three panels of 科目编码 | 科目名称 | 决算数; totals on the last row."""
    width = 9
    r = _title_block(sh, "gpb_basic", unit_name, width)
    sh.header(r, 1, "人员经费", to_col=3)
    sh.header(r, 4, "公用经费", to_col=9)
    for p in range(3):
        for k, label in enumerate(["科目编码", "科目名称", "决算数"]):
            sh.header(r + 1, 1 + 3 * p + k, label)
    r += 2
    sh.ws.freeze_panes = sh.ws.cell(row=r, column=1)
    panels = _econ_panels(data, fill_zero)
    height = max(len(p) for p in panels)
    for i in range(height):
        row = r + i
        sh.border_row(row, 1, width)
        for p, panel in enumerate(panels):
            if i >= len(panel):
                continue
            code, name, value = panel[i]
            col = 1 + 3 * p
            sh.text(row, col, str(code), code=True)
            sh.text(row, col + 1, name)
            if len(str(code)) == 3:
                sh.ws.cell(row=row, column=col + 1).font = BOLD
            sh.amount(row, col + 2, value)
    r += height
    sh.border_row(r, 1, width)
    sh.put(r, 1, "人员经费合计").font = BOLD
    sh.ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
    sh.amount(r, 3, data.get("personnel_total", Decimal(0) if fill_zero else None))
    sh.put(r, 4, "公用经费合计").font = BOLD
    sh.ws.merge_cells(start_row=r, start_column=4, end_row=r, end_column=8)
    sh.amount(r, 9, data.get("public_total", Decimal(0) if fill_zero else None))
    r += 1
    _notes(sh, r, notes or [DEFAULT_NOTES["gpb_basic"]], width)
    sh.widths({1: 10, 2: 30, 3: 13, 4: 10, 5: 24, 6: 13, 7: 10, 8: 30, 9: 13})


def _write_sangong(sh: _Sheet, data: dict, unit_name: str, layout: str, fill_zero: bool, notes):
    """公开07: 预算数 and 决算数, six columns each, 栏次 1..12, one data row."""
    width = 12
    r = _title_block(sh, "sangong", unit_name, width)
    sh.header(r, 1, "预算数", to_col=6)
    sh.header(r, 7, "决算数", to_col=12)
    for half in range(2):
        c = 1 + 6 * half
        for label, subs in SANGONG_HEADER:
            if subs:
                sh.header(r + 1, c, label, to_col=c + len(subs) - 1)
                for k, sub in enumerate(subs):
                    sh.header(r + 2, c + k, sub)
                c += len(subs)
            else:
                sh.header(r + 1, c, label, to_row=r + 2)
                c += 1
    for k in range(12):
        sh.header(r + 3, 1 + k, str(k + 1))
    r += 4
    sh.ws.freeze_panes = sh.ws.cell(row=r, column=1)
    zero = Decimal(0) if fill_zero else None
    budget = list(data.get("budget") or []) + [zero] * 6
    actual = list(data.get("actual") or []) + [zero] * 6
    for k in range(6):
        sh.amount(r, 1 + k, budget[k])
        sh.amount(r, 7 + k, actual[k])
    r += 1
    default = DEFAULT_NOTES["sangong"] if layout == "2020" else DEFAULT_NOTES_2018["sangong"]
    _notes(sh, r, notes or [default], width)
    sh.ws.row_dimensions[r].height = 45
    sh.widths({k: 13 for k in range(1, 13)})


# ---- supplementary sheets -----------------------------------------------------------------


def _supp_header(sh: _Sheet, labels: list[str], row: int = 1):
    for c, label in enumerate(labels, start=1):
        sh.header(row, c, label)


def _write_unit(sh: _Sheet, unit: dict, members: list | None = None, blank_rows: int = 0):
    _supp_header(sh, ["项目", "内容", "填写说明"])
    long_keys = {"主要职能", "机构设置", "决算单位构成", "人员情况"}
    for i, key in enumerate(keys.UNIT_KEYS, start=2):
        sh.text(i, 1, key).border = BORDER
        value = unit.get(key)
        cell = sh.text(i, 2, value, input_cell=True, wrap=True)
        cell.border = BORDER
        if key == "年度" and isinstance(value, int):
            cell.number_format = "0"
        sh.text(i, 3, keys.UNIT_KEY_HELP.get(key, "")).border = BORDER
        if key in long_keys:
            lines = str(value or "").count("\n") + 1
            length = len(str(value or ""))
            sh.ws.row_dimensions[i].height = max(45, min(400, 15 * max(lines, length // 40 + 1)))
    # 决算单位构成 as the format's table: 序号 | 单位名称 | 备注, one unit a row (本级 first).
    r = len(keys.UNIT_KEYS) + 3
    sh.text(r, 1, "决算单位构成表（纳入本部门决算的单位，每行一个，本级在前；只有本级时只填一行）").font = BOLD
    r += 1
    _supp_header(sh, list(keys.COMPOSITION_COLUMNS), row=r)
    r += 1
    for i, item in enumerate(list(members or []) + [{}] * blank_rows, start=1):
        name = item.get("单位名称")
        sh.text(r, 1, item.get("序号", i if name else None), input_cell=True).border = BORDER
        sh.text(r, 2, name, input_cell=True).border = BORDER
        sh.text(r, 3, item.get("备注"), input_cell=True).border = BORDER
        r += 1
    sh.ws.freeze_panes = "A2"
    sh.widths({1: 16, 2: 80, 3: 36})


def _write_prior(sh: _Sheet, prior: dict, prior_by_class: dict, year: int | None):
    _supp_header(sh, ["指标", "上年决算数", "备注"])
    r = 2
    for key in keys.PRIOR_KEYS:
        value, note = _split_note(prior.get(key))
        sh.text(r, 1, key).border = BORDER
        sh.amount(r, 2, value)
        sh.text(r, 3, note, wrap=True).border = BORDER
        r += 1
    r += 1
    sh.text(r, 1, "按功能分类科目（类）列示的上年一般公共预算财政拨款支出").font = BOLD
    r += 1
    prior_year = (year - 1) if year else None
    for code in keys.CLASS_NAMES:
        since = keys.NEW_CLASSES_SINCE.get(code)
        if since and year and year < since and code not in prior_by_class:
            continue
        value, note = _split_note(prior_by_class.get(code))
        name = keys.class_name(code, prior_year or 2020)
        sh.text(r, 1, f"{code} {name}").border = BORDER
        sh.amount(r, 2, value)
        sh.text(r, 3, note, wrap=True).border = BORDER
        r += 1
    sh.ws.freeze_panes = "A2"
    sh.widths({1: 40, 2: 16, 3: 60})


def _write_budget(sh: _Sheet, rows: list[dict], blank_rows: int = 0, totals: dict | None = None):
    """预算数: one row per 项 (资金来源 blank = 一般公共预算), then optional "合计" rows per 资金来源."""
    _supp_header(sh, list(keys.BUDGET_COLUMNS))
    r = 2
    totals = dict(totals or {})
    lines = list(rows) + [{}] * blank_rows
    lines += [{"code": keys.BUDGET_TOTAL_LABEL, "initial": v, "source": k} for k, v in totals.items()]
    for item in lines:
        code = item.get("code")
        sh.text(r, 1, str(code) if code is not None else None, code=True, input_cell=True).border = BORDER
        sh.text(r, 2, item.get("name"), input_cell=True).border = BORDER
        sh.amount(r, 3, item.get("initial"))
        sh.amount(r, 4, item.get("adjusted"))
        sh.text(r, 5, item.get("purpose"), input_cell=True, wrap=True).border = BORDER
        sh.text(r, 6, item.get("reason"), input_cell=True, wrap=True).border = BORDER
        sh.text(r, 7, item.get("source"), input_cell=True).border = BORDER
        r += 1
    sh.ws.freeze_panes = "A2"
    sh.widths({1: 12, 2: 34, 3: 14, 4: 14, 5: 40, 6: 60, 7: 14})


def _write_reasons(sh: _Sheet, reasons: dict):
    _supp_header(sh, ["事项", "内容"])
    for r, key in enumerate(keys.REASON_KEYS, start=2):
        sh.text(r, 1, key).border = BORDER
        sh.text(r, 2, reasons.get(key), input_cell=True, wrap=True).border = BORDER
    sh.ws.freeze_panes = "A2"
    sh.widths({1: 40, 2: 90})


def _write_other(sh: _Sheet, other: dict):
    _supp_header(sh, ["事项", "数值", "单位"])
    for r, (key, unit) in enumerate(keys.OTHER_KEYS.items(), start=2):
        sh.text(r, 1, key).border = BORDER
        cell = sh.amount(r, 2, other.get(key))
        if unit != "万元":
            cell.number_format = "0"
        sh.text(r, 3, unit).border = BORDER
    sh.ws.freeze_panes = "A2"
    sh.widths({1: 32, 2: 16, 3: 10})


def _write_performance(sh: _Sheet, perf: dict, blank_rows: int = 0):
    _supp_header(sh, ["事项", "内容", "单位"])
    sh.text(2, 1, keys.PERFORMANCE_NARRATIVE_KEY).border = BORDER
    sh.text(2, 2, perf.get("narrative"), input_cell=True, wrap=True).border = BORDER
    sh.ws.row_dimensions[2].height = 120
    sh.text(3, 1, keys.PERFORMANCE_SYSTEM_KEY).border = BORDER
    sh.text(3, 2, perf.get("system"), input_cell=True, wrap=True).border = BORDER
    sh.text(3, 3, "制度名称，用顿号分隔").border = BORDER
    sh.ws.row_dimensions[3].height = 45
    summary = perf.get("summary", {})
    r = 4
    for key, unit in keys.PERFORMANCE_KEYS.items():
        sh.text(r, 1, key).border = BORDER
        cell = sh.amount(r, 2, summary.get(key))
        if unit != "万元":
            cell.number_format = "0.##" if unit == "分" else "0"
        sh.text(r, 3, unit).border = BORDER
        r += 1
    # 上海2024's "建立了XXXX的预算绩效管理工作机制", in the row before the attachment list (the cells below keep their places)
    sh.text(r, 1, keys.PERFORMANCE_MECHANISM_KEY).border = BORDER
    sh.text(r, 2, perf.get("mechanism"), input_cell=True, wrap=True).border = BORDER
    sh.text(r, 3, "如：事前评估、事中监控、事后评价").border = BORDER
    r += 1
    # the reports the document attaches: only those listed here are promised in the text
    _supp_header(sh, list(keys.ATTACHMENT_COLUMNS), row=r)
    sh.text(r, 4, "如：" + "、".join(keys.ATTACHMENT_EXAMPLES) + "（未附的不填）；正文可多段，换行即分段")
    r += 1
    for item in list(perf.get("attachments", [])) + [(None, None)] * (3 if blank_rows else 0):
        name, note, text = (*item, None)[:3] if isinstance(item, tuple) else (item, None, None)
        sh.text(r, 1, name, input_cell=True).border = BORDER
        sh.text(r, 2, note, input_cell=True).border = BORDER
        sh.text(r, 3, text, input_cell=True).border = BORDER
        r += 1
    r += 1
    _supp_header(sh, list(keys.PROJECT_COLUMNS), row=r)
    r += 1
    amount_cols = {"自评得分", "全年预算数", "全年执行数"}
    projects = list(perf.get("projects", [])) + [{}] * blank_rows
    for project in projects:
        for c, col in enumerate(keys.PROJECT_COLUMNS, start=1):
            if col in amount_cols:
                cell = sh.amount(r, c, project.get(col))
                if col == "自评得分":
                    cell.number_format = "0.##"
            else:
                sh.text(r, c, project.get(col), input_cell=True, wrap=True).border = BORDER
        r += 1
    sh.ws.freeze_panes = "A2"
    sh.widths({1: 34, 2: 60, 3: 14, 4: 14, 5: 40, 6: 40, 7: 40})


def _write_glossary(sh: _Sheet, items: list, blank_rows: int = 0):
    _supp_header(sh, ["名词", "解释"])
    r = 2
    for term, definition in list(items) + [(None, None)] * blank_rows:
        sh.text(r, 1, term, input_cell=True).border = BORDER
        sh.text(r, 2, definition, input_cell=True, wrap=True).border = BORDER
        r += 1
    sh.ws.freeze_panes = "A2"
    sh.widths({1: 24, 2: 100})


def _write_instructions(sh: _Sheet):
    for r, line in enumerate(INSTRUCTIONS, start=1):
        cell = sh.text(r, 1, line, wrap=True)
        if r == 1:
            cell.font = Font(bold=True, size=14)
    example = sh.text(len(INSTRUCTIONS) + 2, 1, "（本行示例：浅黄色 = 需填写的单元格）", input_cell=True)
    example.fill = INPUT_FILL
    sh.widths({1: 120})


# ---- workbook assembly --------------------------------------------------------------------


def _build(book: dict, *, layout: str, sheet_names: str, mark_inputs: bool, blank: bool, instructions: bool) -> Workbook:
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout: {layout!r} (expected '2020' or '2018')")
    unit = dict(book.get("unit", {}))
    unit_name = str(unit.get("单位名称") or "")
    year = unit.get("年度")
    year = int(year) if isinstance(year, (int, Decimal)) or (isinstance(year, str) and year.isdigit()) else None
    tables = book.get("tables", {})
    fill_zero = not blank
    rows_if_blank = 30 if blank else 0

    wb = Workbook()
    wb.remove(wb.active)

    def new(name: str, table_mark: bool = mark_inputs) -> _Sheet:
        return _Sheet(wb.create_sheet(safe_sheet_name(name)), table_mark)

    if instructions:
        _write_instructions(new(SHEET_INSTRUCTIONS))
    _write_unit(new(keys.SHEET_UNIT, True), unit, book.get("members", []), blank_rows=5 if blank else 0)

    for kind in LAYOUTS[layout]["tables"]:
        data = tables.get(kind, {})
        notes = data.get("notes")
        sh = new(sheet_name(kind, sheet_names))
        if kind == "summary":
            _write_summary(sh, data, layout, unit_name, year, fill_zero, notes)
        elif kind == "fiscal_summary":
            _write_fiscal_summary(sh, data, layout, unit_name, year, fill_zero, notes)
        elif kind == "gpb_basic":
            _write_basic(sh, data, unit_name, fill_zero, notes)
        elif kind == "sangong":
            _write_sangong(sh, data, unit_name, layout, fill_zero, notes)
        else:
            _write_subject(sh, kind, data, unit_name, notes, blank_rows=rows_if_blank, layout=layout)

    _write_prior(new(keys.SHEET_PRIOR, True), book.get("prior", {}), book.get("prior_by_class", {}), year)
    _write_budget(new(keys.SHEET_BUDGET, True), book.get("budget", []), blank_rows=20 if blank else 0, totals=book.get("budget_totals"))
    _write_reasons(new(keys.SHEET_REASONS, True), book.get("reasons", {}))
    _write_other(new(keys.SHEET_OTHER, True), book.get("other", {}))
    _write_performance(new(keys.SHEET_PERFORMANCE, True), book.get("performance", {}), blank_rows=10 if blank else 0)
    _write_glossary(new(keys.SHEET_GLOSSARY, True), book.get("glossary", []), blank_rows=10 if blank else 0)

    wb.properties.creator = "juesuan"
    wb.properties.lastModifiedBy = "juesuan"
    return wb


def _save(wb: Workbook, path: str | Path) -> Path:
    """Save deterministically (fixed zip times and core dates) and atomically (temp + rename)."""
    raw = io.BytesIO()
    wb.save(raw)

    def fixed_dates(name: str, data: bytes) -> bytes:
        if name != "docProps/core.xml":
            return data
        return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)", rb"\g<1>" + _FIXED_CORE_TIME.encode() + rb"\g<2>", data)

    return write_atomic(path, normalize_zip(raw.getvalue(), fixed_dates, _FIXED_ZIP_TIME))


def write_book(
    path: str | Path,
    book: dict,
    layout: str = "2020",
    sheet_names: str = "plain",
    *,
    mark_inputs: bool | None = None,
    instructions: bool = False,
) -> Path:
    """Write a filled workbook from ``book`` (shape in the module docstring).

    ``mark_inputs`` (default: True for plain names, False for export names, which mimic the
    software's export) colours the table amount cells yellow; the supplementary sheets'
    input cells are always marked.
    """
    if mark_inputs is None:
        mark_inputs = sheet_names == "plain"
    wb = _build(book, layout=layout, sheet_names=sheet_names, mark_inputs=mark_inputs, blank=False, instructions=instructions)
    return _save(wb, path)


# ---- blank workbook and prior-year fill ---------------------------------------------------

PRIOR_NOTE = "由上年工作簿自动填入"


def prior_from_model(last: UnitAccounts) -> tuple[dict, dict]:
    """上年数 for this year from last year's model: (prior, prior_by_class), noted."""

    def noted(value):
        return (value, PRIOR_NOTE) if value is not None else None

    def total(table, key: str, column: str):
        row = table.totals.get(key)
        return row.value(column) if row is not None else None

    prior: dict[str, Any] = {}
    s, f, g = last.summary, last.fiscal_summary, last.gpb_expenditure
    prior["收支总计"] = total(s, "收入总计", "金额")
    prior["本年收入合计"] = total(s, "本年收入合计", "金额")
    prior["本年支出合计"] = total(s, "本年支出合计", "金额")
    prior["财政拨款收支总计"] = total(f, "收入总计", "金额")
    prior["财政拨款收入"] = total(f, "本年收入合计", "金额")
    prior["财政拨款支出"] = total(f, "本年支出合计", "合计")
    if g.total is not None:
        prior["一般公共预算财政拨款支出"] = g.total.value("合计") if "合计" in g.total.values else g.total.value("小计")
        prior["基本支出"] = g.total.value("基本支出")
        prior["项目支出"] = g.total.value("项目支出")
    b = last.gpb_basic
    if b.personnel_total is not None:
        prior["人员经费"] = b.personnel_total.value("决算数")
    if b.public_total is not None:
        prior["公用经费"] = b.public_total.value("决算数")
    from .model import SANGONG_COLUMNS  # local: only needed here

    for col in SANGONG_COLUMNS:
        key = "三公经费合计" if col == "合计" else col
        if col in last.sangong.actual.values:
            prior[key] = last.sangong.actual.values[col]
    for key in ("机关运行经费", "会议费", "培训费"):
        entry = last.other.get(key)
        if entry is not None and entry.value is not None:
            prior[key] = entry.value
    if last.gov_fund.total is not None:
        cols = last.gov_fund.total.values
        prior["政府性基金预算财政拨款支出"] = cols.get("本年支出")
    if last.state_capital is not None and last.state_capital.total is not None:
        cols = last.state_capital.total.values
        prior["国有资本经营预算财政拨款支出"] = cols.get("本年支出")
    by_class = {}
    for row in g.rows:
        if len(row.code) == 3:
            value = row.values.get("合计", row.values.get("小计"))
            if value is not None:
                by_class[row.code] = noted(value)
    return {k: noted(v) for k, v in prior.items() if v is not None}, by_class


def write_blank(path: str | Path, *, year: int | None = None, prior: UnitAccounts | None = None) -> Path:
    """Write the blank input workbook of ``juesuan init`` (optionally pre-filled from last year).

    With ``prior`` (last year's model), 上年数 is filled from last year's actual figures,
    年度 becomes last year + 1 (unless ``year`` is given), the unit's descriptive texts are
    copied, and the 预算数 sheet lists last year's 项 (codes and names only).
    """
    unit: dict[str, Any] = {"金额单位": "万元"}
    book: dict[str, Any] = {"unit": unit}
    if prior is not None:
        info = prior.unit
        year = year or info.year + 1
        unit.update(
            {
                "单位名称": info.name,
                "公开主体": info.entity,
                "上级部门": info.parent,
                "单位性质": info.unit_type,
                "主要职能": info.functions,
                "机构设置": info.organization,
                "决算单位构成": info.composition,
                "金额单位": "万元",
            }
        )
        book["members"] = [{"单位名称": m.name, "备注": m.note} for m in info.members]
        book["performance"] = {"system": prior.performance_system().text, "mechanism": prior.performance.mechanism.text}
        book["prior"], book["prior_by_class"] = prior_from_model(prior)
        book["budget"] = [{"code": r.code, "name": r.name.strip()} for r in prior.gpb_expenditure.rows if len(r.code) == 7]
        for source, table in ((keys.FUND_GOV, prior.gov_fund), (keys.FUND_CAPITAL, prior.state_capital)):
            if table is not None:
                book["budget"] += [{"code": r.code, "name": r.name.strip(), "source": source} for r in table.rows if len(r.code) == 7]
    if year is not None:
        unit["年度"] = int(year)
    layout = "2018" if year is not None and int(year) < 2019 else "2020"
    book["tables"] = {"state_capital": {"in_out": True}}
    wb = _build(book, layout=layout, sheet_names="plain", mark_inputs=True, blank=True, instructions=True)
    return _save(wb, path)


__all__ = [
    "write_blank",
    "write_book",
    "prior_from_model",
    "sheet_name",
    "safe_sheet_name",
    "subject_columns",
    "ECON_PANELS_2020",
    "ECON_NAMES",
    "EXPORT_NAMES",
    "LAYOUTS",
    "TABLE_ORDER",
    "TITLES",
]
