"""Every derived number of the document, computed once and named (§5).

The narrative, the tables and the trace sidecar all read figures from here by name, so a
figure cannot appear with two values. Values stay exact Decimals; rounding (ROUND_HALF_UP)
happens only when a figure is displayed (``phrasing``). No docx, no Jinja here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .keys import (
    EQUIPMENT_KEYS,
    FESTIVAL_KEY,
    FUND_CAPITAL,
    FUND_GENERAL,
    FUND_GOV,
    PROCUREMENT_KINDS,
    PROCUREMENT_SME,
    PROCUREMENT_TOTAL,
    VEHICLE_KINDS,
    VEHICLE_KINDS_2018,
    class_name,
    vehicle_kinds,
)
from .model import Row, UnitAccounts
from .money import round_money

ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Figure:
    """A named number with its provenance: source cells, or the formula over other figures."""

    name: str
    value: Decimal | None
    unit: str = "万元"  # 万元 | % | 个 | 人次 | 辆 | …
    sources: tuple[str, ...] = ()
    formula: str = ""

    @property
    def missing(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Change:
    """Current vs prior year: the amount, its percentage, and which wording applies."""

    name: str
    current: Figure
    prior: Figure | None
    diff: Figure | None
    pct: Figure | None

    @property
    def direction(self) -> str:
        """up | down | flat | new | none (both zero) | unknown (prior missing)."""
        if self.current.value is None or self.prior is None or self.prior.value is None:
            return "unknown"
        cur = self.current.value
        prior = self.prior.value
        if round_money(cur) == round_money(prior):
            return "none" if round_money(cur) == 0 else "flat"
        if round_money(prior) == 0:
            return "new"
        return "up" if cur > prior else "down"


@dataclass(frozen=True)
class Completion:
    """Actual vs budget: the rate and the signed 预决算差异率."""

    name: str
    actual: Figure
    budget: Figure | None
    rate: Figure | None
    gap: Figure | None

    @property
    def relation(self) -> str:
        """over | under | equal | no_budget | unknown."""
        if self.budget is None or self.budget.value is None:
            return "unknown"
        b, a = round_money(self.budget.value), round_money(self.actual.value or ZERO)
        if b == 0:
            return "equal" if a == 0 else "no_budget"
        return "equal" if a == b else ("over" if a > b else "under")


@dataclass
class SubjectFigure:
    """One 科目 of 公开05 with everything the text says about it."""

    code: str
    path: str  # "一般公共服务（类）政府办公厅（室）及相关机构事务（款）行政运行（项）"
    amount: Figure
    share: Figure | None = None
    completion: Completion | None = None
    purpose: str = ""
    reason: str = ""
    reason_cell: str = ""


@dataclass
class Figures:
    """The registry: name -> Figure, plus the structured views the narrative walks."""

    model: UnitAccounts
    items: dict[str, Figure] = field(default_factory=dict)
    changes: dict[str, Change] = field(default_factory=dict)
    completions: dict[str, Completion] = field(default_factory=dict)
    income_lines: list[tuple[Figure, Figure]] = field(default_factory=list)
    spending_parts: list[tuple[Figure, Figure]] = field(default_factory=list)
    classes: list[SubjectFigure] = field(default_factory=list)
    items_by_subject: list[SubjectFigure] = field(default_factory=list)
    personnel_items: list[Figure] = field(default_factory=list)
    public_items: list[Figure] = field(default_factory=list)
    economic_items: list[Figure] = field(default_factory=list)  # every non-zero 公开06 款, in table order (no top-N cut)
    personnel_items_in_order: list[Figure] = field(default_factory=list)
    public_items_in_order: list[Figure] = field(default_factory=list)
    vehicle_items: list[Figure] = field(default_factory=list)  # the format's vehicle categories, zero ones included
    fund_items: list[SubjectFigure] = field(default_factory=list)
    capital_items: list[SubjectFigure] = field(default_factory=list)
    sangong_shares: dict[str, Figure] = field(default_factory=dict)
    economic_names: dict[str, str] = field(default_factory=dict)

    # ---- constructors -----------------------------------------------------------------
    def add(self, fig: Figure) -> Figure:
        if fig.name in self.items and self.items[fig.name] != fig:
            raise ValueError(f"figure {fig.name} computed twice with different values")
        self.items[fig.name] = fig
        return fig

    def cell(self, name: str, row: Row | None, column: str, sheet: str, unit: str = "万元") -> Figure:
        if row is None:
            return self.add(Figure(name, ZERO, unit, (), "表中无此行，按 0 计"))
        ref = row.cells.get(column, "")
        return self.add(Figure(name, row.value(column), unit, (f"{sheet}!{ref}",) if ref else ()))

    def entry(self, name: str, entry, sheet: str, unit: str = "万元") -> Figure:
        if entry is None or entry.value is None:
            return self.add(Figure(name, None, unit, (), "工作簿未填写"))
        return self.add(Figure(name, entry.value, unit, (f"{sheet}!{entry.cell}",)))

    def share(self, part: Figure, whole: Figure, name: str | None = None) -> Figure:
        name = name or f"{part.name}.占{whole.name}"
        if part.value is None or not whole.value:
            return self.add(Figure(name, None, "%", (), f"{part.name} / {whole.name}"))
        return self.add(Figure(name, part.value / whole.value * HUNDRED, "%", (), f"{part.name} / {whole.name} × 100%"))

    def change(self, current: Figure, prior: Figure | None, name: str | None = None) -> Change:
        name = name or current.name
        diff = pct = None
        if prior is not None and prior.value is not None and current.value is not None:
            # on the amounts as printed, so that the reader's own subtraction gives the same figure
            cur, old = round_money(current.value), round_money(prior.value)
            diff = self.add(Figure(f"{name}.增减额", abs(cur - old), "万元", (), f"|{current.name} − {prior.name}|（按两位小数）"))
            if old != 0:
                pct = self.add(Figure(f"{name}.增减率", abs(cur - old) / old * HUNDRED, "%", (), f"|{current.name} − {prior.name}| / {prior.name} × 100%"))
        ch = Change(name, current, prior, diff, pct)
        self.changes[name] = ch
        return ch

    def completion(self, actual: Figure, budget: Figure | None, name: str | None = None) -> Completion:
        """Rate, gap and difference on the amounts as printed: equal printed amounts give 100.00%."""
        name = name or actual.name
        rate = gap = None
        a = round_money(actual.value or ZERO)
        b = round_money(budget.value) if budget is not None and budget.value is not None else None
        if b:
            rate = self.add(Figure(f"{name}.完成率", a / b * HUNDRED, "%", (), f"{actual.name} / {budget.name} × 100%（按两位小数）"))
            gap = self.add(
                Figure(f"{name}.预决算差异率", (a - b) / b * HUNDRED, "%", (), f"({actual.name} − {budget.name}) / {budget.name} × 100%（按两位小数）")
            )
        if b is not None:
            self.add(Figure(f"{name}.预决算差额", abs(a - b), "万元", (), f"|{actual.name} − {budget.name}|（按两位小数）"))
        comp = Completion(name, actual, budget, rate, gap)
        self.completions[name] = comp
        return comp

    def prior(self, key: str) -> Figure:
        return self.entry(f"上年.{key}", self.model.prior.get(key), "上年数")

    def get(self, name: str) -> Figure:
        return self.items[name]


def subject_path(code: str, rows_by_code: dict[str, Row], year: int, item_name: str = "") -> str:
    """类/款/项 path as printed: "一般公共服务（类）…（款）…（项）"; ``item_name`` names a 项 the table lacks
    (budgeted but not spent: its name comes from 预算数)."""
    parts = []
    for length, word in ((3, "类"), (5, "款"), (7, "项")):
        if len(code) < length:
            break
        sub = code[:length]
        row = rows_by_code.get(sub)
        name = class_name(sub, year) if length == 3 else (row.name.strip() if row else (item_name.strip() if length == 7 and item_name.strip() else sub))
        parts.append(f"{name}（{word}）")
    return "".join(parts)


def compute(model: UnitAccounts) -> Figures:
    """All figures of one unit's document."""
    f = Figures(model)
    t01, t03, t04, t05, t06, t07 = model.summary, model.expenditure, model.fiscal_summary, model.gpb_expenditure, model.gpb_basic, model.sangong
    year = model.unit.year
    s01 = t01.sheet

    # 一、收入支出总体（公开01）
    for key in ("收入总计", "支出总计", "本年收入合计", "本年支出合计", "使用非财政拨款结余", "年初结转和结余", "结余分配", "年末结转和结余"):
        f.cell(key, t01.totals.get(key), "金额", s01)
    f.change(f.get("收入总计"), f.prior("收支总计"), "收支总计")
    f.change(f.get("本年收入合计"), f.prior("本年收入合计"))
    f.change(f.get("本年支出合计"), f.prior("本年支出合计"))

    # 二、收入（公开01 income lines, shares of 本年收入合计）
    for row in t01.income:
        amount = f.cell(f"收入.{row.key}", row, "金额", s01)
        f.income_lines.append((amount, f.share(amount, f.get("本年收入合计"))))

    # 三、支出（公开03 合计 row, shares of 本年支出合计）
    for col in ("基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"):
        if col in t03.columns:
            amount = f.cell(f"支出.{col}", t03.total, col, t03.sheet)
            f.spending_parts.append((amount, f.share(amount, f.get("本年支出合计"))))

    # 四、财政拨款收支总体（公开04）
    f.cell("财政拨款收支总计", t04.totals.get("收入总计"), "金额", t04.sheet)
    f.cell("财政拨款收入", t04.totals.get("本年收入合计"), "金额", t04.sheet)
    f.cell("财政拨款支出", t04.totals.get("本年支出合计"), "合计", t04.sheet)
    f.cell("财政拨款年初结转和结余", t04.totals.get("年初结转和结余"), "金额", t04.sheet)
    f.cell("财政拨款年末结转和结余", t04.totals.get("年末结转和结余"), "合计", t04.sheet)
    f.change(f.get("财政拨款收支总计"), f.prior("财政拨款收支总计"))
    f.change(f.get("财政拨款收入"), f.prior("财政拨款收入"))
    f.change(f.get("财政拨款支出"), f.prior("财政拨款支出"))

    # 五、一般公共预算财政拨款支出（公开05）
    total = f.cell("一般公共预算财政拨款支出", t05.total, "合计", t05.sheet)
    f.share(total, f.get("本年支出合计"))
    f.change(total, f.prior("一般公共预算财政拨款支出"))
    f.cell("一般公共预算财政拨款基本支出", t05.total, "基本支出", t05.sheet)
    f.cell("一般公共预算财政拨款项目支出", t05.total, "项目支出", t05.sheet)
    rows_by_code = {r.code: r for r in t05.rows}
    for row in t05.rows:
        if row.level == 1:
            amount = f.cell(f"类.{row.code}", row, "合计", t05.sheet)
            f.classes.append(SubjectFigure(row.code, class_name(row.code, year), amount, f.share(amount, total)))
    target = f.items_by_subject
    for row in t05.rows:
        if row.level == 3:
            target.append(SubjectFigure(row.code, subject_path(row.code, rows_by_code, year), f.cell(f"项.{row.code}", row, "合计", t05.sheet)))
    _budgeted(f, model, FUND_GENERAL, "项", t05, total, target)

    # 六、基本支出（公开06）
    basic = f.get("一般公共预算财政拨款基本支出")
    personnel = f.cell("人员经费", t06.personnel_total, "决算数", t06.sheet)
    public = f.cell("公用经费", t06.public_total, "决算数", t06.sheet)
    f.share(personnel, basic)
    f.share(public, basic)
    f.change(personnel, f.prior("人员经费"))
    f.change(public, f.prior("公用经费"))
    f.change(basic, f.prior("基本支出"))
    for row in t06.rows:
        if len(row.code) != 5 or row.value("决算数") == 0:
            continue
        fig = f.cell(f"经济分类.{row.code}", row, "决算数", t06.sheet)
        (f.personnel_items if row.code[:3] in ("301", "303") else f.public_items).append(fig)
        f.economic_items.append(fig)
        (f.personnel_items_in_order if row.code[:3] in ("301", "303") else f.public_items_in_order).append(fig)
    for items in (f.personnel_items, f.public_items):
        items.sort(key=lambda x: -(x.value or ZERO))
    f.economic_names = {r.code: r.name for r in t06.rows}

    # 七、三公（公开07 + 其他事项 counts）
    sangong_total = None
    for col in ("合计", "因公出国（境）费", "公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费", "公务接待费"):
        key = "三公经费合计" if col == "合计" else col
        actual = f.cell(f"三公.{key}", t07.actual, col, t07.sheet)
        budget = f.cell(f"三公.{key}.预算", t07.budget, col, t07.sheet)
        f.completion(actual, budget, f"三公.{key}")
        f.change(actual, f.prior(key), f"三公.{key}")
        if col == "合计":
            sangong_total = actual
        elif col in ("因公出国（境）费", "公务用车购置及运行维护费", "公务接待费"):
            f.sangong_shares[col] = f.share(actual, sangong_total, f"三公.{key}.占三公经费")
    for key, unit in (
        ("因公出国（境）团组数", "个"),
        ("因公出国（境）人次", "人次"),
        ("公务用车购置数", "辆"),
        ("公务用车保有量", "辆"),
        ("公务接待批次", "批次"),
        ("公务接待人次", "人次"),
        ("外宾接待批次", "批次"),
        ("外宾接待人次", "人次"),
    ):
        f.entry(f"其他.{key}", model.other.get(key), "其他事项", unit)
    f.entry("其他.外宾接待费", model.other.get("外宾接待费"), "其他事项")

    # 八、九 政府性基金 / 国有资本经营
    for kind_table, prefix, target in ((model.gov_fund, "政府性基金", f.fund_items), (model.state_capital, "国有资本经营", f.capital_items)):
        if kind_table is None:
            continue
        col = "本年支出"
        if col in kind_table.columns:
            f.cell(f"{prefix}.本年支出", kind_table.total, col, kind_table.sheet)
        else:
            f.add(Figure(f"{prefix}.本年支出", ZERO, "万元", (), "表中无本年支出列"))
        if "本年收入" in kind_table.columns:
            f.cell(f"{prefix}.本年收入", kind_table.total, "本年收入", kind_table.sheet)
        else:
            line = t04.income_line(f"{prefix}预算财政拨款收入")
            f.cell(f"{prefix}.本年收入", line, "金额", t04.sheet)
        codes = {r.code: r for r in kind_table.rows}
        for row in kind_table.rows:
            if row.level == 3 and col in kind_table.columns:
                amount = f.cell(f"{prefix}.项.{row.code}", row, col, kind_table.sheet)
                target.append(SubjectFigure(row.code, subject_path(row.code, codes, year), amount))
        source = FUND_GOV if prefix == "政府性基金" else FUND_CAPITAL
        _budgeted(f, model, source, f"{prefix}.项", kind_table, f.get(f"{prefix}.本年支出"), target)

    # 十、其他重要事项
    for key in ("机关运行经费", "会议费", "培训费"):
        f.entry(f"其他.{key}", model.other.get(key), "其他事项")
    festival = model.other.get(FESTIVAL_KEY)
    if festival is not None and festival.value is not None:  # 湖南's 节庆 statement; blank reads 未举办 (no figure)
        f.entry(f"其他.{FESTIVAL_KEY}", festival, "其他事项")
    f.change(f.get("其他.机关运行经费"), f.prior("机关运行经费"), "机关运行经费")
    f.change(f.get("其他.会议费"), f.prior("会议费"), "会议费")
    f.change(f.get("其他.培训费"), f.prior("培训费"), "培训费")
    _procurement(f, model)
    kinds = vehicle_kinds(model.other)
    f.entry("其他.车辆总数", model.other.get("车辆总数"), "其他事项", "辆")
    for key in dict.fromkeys(VEHICLE_KINDS + VEHICLE_KINDS_2018):
        f.entry(f"其他.{key}", model.other.get(key), "其他事项", "辆")
    f.vehicle_items.extend(f.get(f"其他.{key}") for key in kinds)
    for key in EQUIPMENT_KEYS:
        f.entry(f"其他.{key}", model.other.get(key), "其他事项", "台（套）")

    # 十一、预算绩效
    for key, entry in model.performance.summary.items():
        f.entry(f"绩效.{key}", entry, "绩效", "")
    for i, p in enumerate(model.performance.projects, 1):
        actual = f.add(Figure(f"绩效项目{i}.执行数", p.actual, "万元", (f"绩效!{p.cells.get('actual', '')}",) if p.actual is not None else ()))
        budget = f.add(Figure(f"绩效项目{i}.预算数", p.budget, "万元", (f"绩效!{p.cells.get('budget', '')}",) if p.budget is not None else ()))
        f.add(Figure(f"绩效项目{i}.得分", p.score, "分", (f"绩效!{p.cells.get('score', '')}",) if p.score is not None else ()))
        f.completion(actual, budget, f"绩效项目{i}")
    return f


def _budgeted(f: Figures, model: UnitAccounts, source: str, prefix: str, table, total: Figure, items: list[SubjectFigure]) -> None:
    """年初预算 per 项 of one 资金来源 (预算数 sheet): completion, purpose and reason per 项, and the total.

    The total's 年初预算 is the typed 合计 row when there is one (``checks.content`` compares it
    with the items), else the sum of the items as printed, so the printed parts add up to it.
    """
    budgets = {b.code: b for b in model.budget_rows(source) if len(b.code) == 7}
    known = {s.code for s in items}
    rows_by_code = {r.code: r for r in table.rows}
    for code, b in budgets.items():
        if code not in known and b.initial:  # budgeted but not spent at all: 决算 0
            amount = f.add(Figure(f"{prefix}.{code}", ZERO, "万元", (), "决算表无此科目，决算为 0"))
            path = subject_path(code, rows_by_code, model.unit.year, b.name.strip()) if code[:5] in rows_by_code else f"{b.name.strip()}（项）"
            items.append(SubjectFigure(code, path, amount))
    items.sort(key=lambda s: s.code)
    budget_sum, cells = ZERO, []
    for sf in items:
        b = budgets.get(sf.code)
        budget_fig = None
        if b is not None and b.initial is not None:
            ref = f"预算数!{b.cells.get('initial', '')}"
            budget_fig = f.add(Figure(f"{prefix}.{sf.code}.年初预算", b.initial, "万元", (ref,)))
            budget_sum += round_money(b.initial)
            cells.append(ref)
        if b is not None:
            sf.purpose, sf.reason, sf.reason_cell = b.purpose, b.reason, f"预算数!{b.cells.get('reason', '')}"
        sf.completion = f.completion(sf.amount, budget_fig, f"{prefix}.{sf.code}")
    typed = model.budget_totals.get(source)
    if not budgets and typed is None:
        return
    if typed is not None and typed.value is not None:
        bt = f.add(Figure(f"{total.name}.年初预算", typed.value, "万元", (f"预算数!{typed.cell}",), "预算数表填写的合计"))
    else:
        bt = f.add(Figure(f"{total.name}.年初预算", budget_sum, "万元", tuple(cells), "预算数表各项级科目年初预算之和（按两位小数）"))
    f.completion(total, bt)


def _procurement(f: Figures, model: UnitAccounts) -> None:
    """政府采购: the total (以合同签订为准) is Σ of 货物/工程/服务 when left blank; 中小/小微 shares of it."""
    kinds = [f.entry(f"其他.{k}", model.other.get(k), "其他事项") for k in PROCUREMENT_KINDS]
    typed = model.other.get(PROCUREMENT_TOTAL)
    if (typed is None or typed.value is None) and any(k.value is not None for k in kinds):
        amount = sum((k.value or ZERO for k in kinds), ZERO)
        total = f.add(Figure(f"其他.{PROCUREMENT_TOTAL}", amount, "万元", tuple(s for k in kinds for s in k.sources), " + ".join(k.name for k in kinds)))
    else:
        total = f.entry(f"其他.{PROCUREMENT_TOTAL}", typed, "其他事项")
    for key in PROCUREMENT_SME:
        f.entry(f"其他.{key}", model.other.get(key), "其他事项")
    if total.value:
        f.share(f.get("其他.授予中小企业合同金额"), total, "政府采购.中小企业占比")
        f.share(f.get("其他.授予小微企业合同金额"), total, "政府采购.小微企业占比")
        for k in kinds:
            f.share(k, total, f"政府采购.{k.name.removeprefix('其他.政府采购').removesuffix('支出')}占比")
