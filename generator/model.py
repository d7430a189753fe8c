"""The typed model of one unit's final accounts (部门决算), as read from its workbook.

Every later stage (checks, figures, narrative, render) reads only this model, so the
workbook's layout never leaks past intake. Amounts are Decimal in 万元. Every value keeps
the cell it came from ("Sheet!C7") so that a finding can point the officer at it.
The JSON Schema in ``schemas/`` is generated from these classes (``schema.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from .keys import FUND_CAPITAL, FUND_GENERAL, FUND_GOV, OLD_PERFORMANCE_SYSTEM_REASON, has_running_costs


class TableKind(StrEnum):
    """The nine 公开表, identified by what they hold, never by their number."""

    summary = "summary"  # 收入支出决算总表
    income = "income"  # 收入决算表
    expenditure = "expenditure"  # 支出决算表
    fiscal_summary = "fiscal_summary"  # 财政拨款收入支出决算总表
    gpb_expenditure = "gpb_expenditure"  # 一般公共预算财政拨款支出决算表
    gpb_basic = "gpb_basic"  # 一般公共预算财政拨款基本支出决算表
    sangong = "sangong"  # （一般公共预算）财政拨款“三公”经费支出决算表
    gov_fund = "gov_fund"  # 政府性基金预算财政拨款收入支出决算表
    state_capital = "state_capital"  # 国有资本经营预算财政拨款（收入）支出决算表


TABLE_TITLES: dict[TableKind, str] = {
    TableKind.summary: "收入支出决算总表",
    TableKind.income: "收入决算表",
    TableKind.expenditure: "支出决算表",
    TableKind.fiscal_summary: "财政拨款收入支出决算总表",
    TableKind.gpb_expenditure: "一般公共预算财政拨款支出决算表",
    TableKind.gpb_basic: "一般公共预算财政拨款基本支出决算表",
    TableKind.sangong: "财政拨款“三公”经费支出决算表",
    TableKind.gov_fund: "政府性基金预算财政拨款收入支出决算表",
    TableKind.state_capital: "国有资本经营预算财政拨款收入支出决算表",
}


def _described(text: str, **kw):
    """A field with a description for the JSON Schema (``schema.py`` reads it)."""
    return field(metadata={"description": text}, **kw)


_model = dataclass(kw_only=True, slots=True)  # every model class: keyword-only, no stray attributes


@_model
class _Table:
    """What every table's header block says besides the title: whose table it is, its 金额单位
    line and any year printed in its title or header (so `check` can catch a pasted table)."""

    sheet: str
    title: str = ""
    owner: str = ""  # the "部门：…" / "编制单位：…" line, to catch a table pasted from another unit
    owner_cell: str = ""
    amount_unit: str = ""  # the table's own "金额单位：…" line ("" when it has none)
    amount_unit_cell: str = ""
    years: dict[str, int] = _described("cell (or sheet name) -> a year printed in the title/header", default_factory=dict)


@_model
class Row:
    """One line of a table: a 科目 row, an income line, a total.

    ``key`` is the canonical identity used by checks and figures (a 科目编码, or a fixed
    name such as "本年收入合计"); ``name`` is the label as printed in the workbook.
    """

    key: str = ""
    code: str = ""
    name: str = ""
    values: dict[str, Decimal] = field(default_factory=dict)
    cells: dict[str, str] = _described("column key -> cell, e.g. 'E7'", default_factory=dict)
    label_cell: str = ""

    @property
    def level(self) -> int:
        """1 = 类 (3 digits), 2 = 款 (5), 3 = 项 (7); 0 for non-subject rows."""
        return {3: 1, 5: 2, 7: 3}.get(len(self.code), 0)

    def value(self, column: str) -> Decimal:
        return self.values.get(column, Decimal(0))


@_model
class SubjectTable(_Table):
    """公开02/03/05/08/09: 科目 rows (类/款/项) with a fixed set of amount columns."""

    kind: TableKind
    columns: list[str]
    total: Row | None = None
    rows: list[Row] = field(default_factory=list)
    empty_note: str = ""

    def row(self, code: str) -> Row | None:
        return next((r for r in self.rows if r.code == code), None)

    @property
    def is_empty(self) -> bool:
        zero = Decimal(0)
        cells = [v for r in self.rows for v in r.values.values()]
        if self.total is not None:
            cells += list(self.total.values.values())
        return all(v == zero for v in cells)


@_model
class BalanceTable(_Table):
    """公开01 and 公开04: income lines on the left, 类 lines on the right, totals below.

    ``totals`` keys: 本年收入合计, 使用非财政拨款结余 (2018: 用事业基金弥补收支差额),
    年初结转和结余, 收入总计, 本年支出合计, 结余分配, 年末结转和结余, 支出总计; in 公开04 also
    年初结转和结余:一般公共预算 / :政府性基金 / :国有资本经营.
    """

    kind: TableKind
    income: list[Row] = field(default_factory=list)
    expenditure: list[Row] = field(default_factory=list)
    expenditure_columns: list[str] = field(default_factory=lambda: ["金额"])
    totals: dict[str, Row] = field(default_factory=dict)

    def income_line(self, key: str) -> Row | None:
        return next((r for r in self.income if r.key == key), None)

    def class_line(self, code: str) -> Row | None:
        return next((r for r in self.expenditure if r.key == code), None)

    def total(self, key: str, column: str = "金额") -> Decimal:
        row = self.totals.get(key)
        return row.value(column) if row else Decimal(0)


@_model
class EconomicTable(_Table):
    """公开06: 经济分类 rows (3-digit groups, 5-digit items) with one 决算数 each."""

    kind: TableKind = TableKind.gpb_basic
    rows: list[Row] = field(default_factory=list)
    personnel_total: Row | None = None  # 人员经费合计
    public_total: Row | None = None  # 公用经费合计

    def row(self, code: str) -> Row | None:
        return next((r for r in self.rows if r.code == code), None)


SANGONG_COLUMNS = ["合计", "因公出国（境）费", "公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费", "公务接待费"]


@_model
class SanGongTable(_Table):
    """公开07 (or 09 in some formats): 三公 budget and actual, six columns each."""

    kind: TableKind = TableKind.sangong
    budget: Row
    actual: Row


@_model
class Entry:
    """A keyed value from a supplementary sheet: a number, a text, or both."""

    value: Decimal | None = None
    text: str = ""
    cell: str = ""


@_model
class MemberUnit:
    """One line of the 决算单位构成 table (序号/单位名称/备注)."""

    number: str = ""
    name: str
    note: str = ""
    cells: dict[str, str] = field(default_factory=dict)


@_model
class UnitInfo:
    name: str
    year: int
    amount_unit: str = "万元"
    entity: str = "单位"  # 公开主体: 部门 or 单位
    parent: str = ""  # 上级部门
    unit_type: str = ""  # 单位性质: 行政单位 / 参照公务员法管理事业单位 / 事业单位 …
    functions: str = ""  # 主要职能
    organization: str = ""  # 机构设置
    composition: str = ""  # 决算单位构成
    staffing: str = ""  # 人员情况
    members: list[MemberUnit] = _described("决算单位构成 table, in the workbook's order", default_factory=list)
    sheet: str = "单位信息"
    cells: dict[str, str] = field(default_factory=dict)

    @property
    def has_running_costs(self) -> bool:
        """机关运行经费 applies (行政单位 / 参公); other units take the format's own sentence."""
        return has_running_costs(self.unit_type)

    @property
    def only_itself(self) -> bool:
        """The 决算 covers the unit's 本级 only (the format then shows 机构设置 instead of the table)."""
        return len(self.members) <= 1


@_model
class BudgetRow:
    """预算数 sheet: 年初预算 per 科目 (一般公共预算, 政府性基金 or 国有资本经营), with use and gap reason."""

    code: str
    source: str = ""  # 资金来源 as typed: 一般公共预算 / 政府性基金 / 国有资本经营 (blank: by the tables)
    name: str = ""
    initial: Decimal | None = None  # 年初预算数
    adjusted: Decimal | None = None  # 调整预算数
    purpose: str = ""  # 主要用途
    reason: str = ""  # 决算与预算差异原因
    cells: dict[str, str] = field(default_factory=dict)


@_model
class Project:
    """绩效 sheet project list: one project's self-evaluation."""

    name: str
    score: Decimal | None = None
    budget: Decimal | None = None  # 全年预算数
    actual: Decimal | None = None  # 全年执行数
    goals: str = ""  # 绩效目标完成情况
    problems: str = ""  # 存在问题
    measures: str = ""  # 改进措施
    cells: dict[str, str] = field(default_factory=dict)


@_model
class Attachment:
    """A report the document attaches (部门整体支出绩效评价报告, 项目绩效评价报告 …)."""

    name: str
    note: str = ""
    text: str = _described("the attachment's own text (paragraphs by line); blank → 【待补充】 under its heading", default="")
    cell: str = ""


@_model
class Performance:
    narrative: Entry = field(default_factory=Entry)
    system: Entry = _described("绩效管理制度: the rules the unit has set up", default_factory=Entry)
    mechanism: Entry = _described('绩效管理工作机制: 上海2024\'s "建立了XXXX的预算绩效管理工作机制"', default_factory=Entry)
    summary: dict[str, Entry] = field(default_factory=dict)
    projects: list[Project] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)


@_model
class GlossaryItem:
    term: str
    definition: str
    cell: str = ""


@_model
class UnitAccounts:
    """One unit's final accounts: the root of the model."""

    source: str = ""
    layout: str = "2020"  # "2018": single 财政拨款收入 line, 用事业基金弥补收支差额, no 公开09
    unit: UnitInfo
    summary: BalanceTable
    income: SubjectTable
    expenditure: SubjectTable
    fiscal_summary: BalanceTable
    gpb_expenditure: SubjectTable
    gpb_basic: EconomicTable
    sangong: SanGongTable
    gov_fund: SubjectTable
    state_capital: SubjectTable | None = None
    prior: dict[str, Entry] = _described("上年数: indicator -> prior-year value", default_factory=dict)
    prior_by_class: dict[str, Entry] = _described("上年数 per 类 code", default_factory=dict)
    budget: list[BudgetRow] = field(default_factory=list)
    budget_totals: dict[str, Entry] = _described("预算数 合计 rows typed in the workbook, by 资金来源", default_factory=dict)
    reasons: dict[str, Entry] = field(default_factory=dict)
    other: dict[str, Entry] = field(default_factory=dict)
    performance: Performance = field(default_factory=Performance)
    glossary: list[GlossaryItem] = field(default_factory=list)

    def table(self, kind: TableKind):
        return getattr(self, kind.value)

    def budget_source(self, row: BudgetRow) -> str:
        """The 资金来源 of a 预算数 row: as typed, else the table that holds its code, else 一般公共预算."""
        if row.source in (FUND_GENERAL, FUND_GOV, FUND_CAPITAL):
            return row.source
        if self.gov_fund.row(row.code) is not None and self.gpb_expenditure.row(row.code) is None:
            return FUND_GOV
        if self.state_capital is not None and self.state_capital.row(row.code) is not None and self.gpb_expenditure.row(row.code) is None:
            return FUND_CAPITAL
        return FUND_GENERAL

    def performance_system(self) -> Entry:
        """绩效管理制度: the 绩效 sheet's text, else the older 说明 row "预算绩效管理制度"."""
        if self.performance.system.text:
            return self.performance.system
        return self.reasons.get(OLD_PERFORMANCE_SYSTEM_REASON) or self.performance.system

    def budget_rows(self, source: str = FUND_GENERAL) -> list[BudgetRow]:
        return [b for b in self.budget if self.budget_source(b) == source]
