"""The published layout of each of the nine tables: header cells and data rows as text.

Shared by the template builder (which writes the static header rows into the .docx) and
by render (which fills the data rows), so the two can never disagree on a column. Tables
hold exactly the workbook's values, formatted with thousands separators and two decimals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .keys import class_name, cn_number, strip_ordinal
from .model import SANGONG_COLUMNS, BalanceTable, SubjectTable, TableKind, UnitAccounts
from .phrasing import format_amount
from .rowsets import framed_lines

INDENT = "\u3000"  # 科目 indented by level with full-width spaces


@dataclass
class Layout:
    """Header rows (texts, with merges as (row, col, row2, col2)), amount columns, note."""

    columns: int
    header: list[list[str]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    amount_from: int = 2  # columns at or after this index are right-aligned amounts
    text_columns: tuple[int, ...] = ()  # exceptions: label columns among the amounts
    note: str = ""


def _subject_layout(amounts: list[str], note: str, group: str | None = None) -> Layout:
    n = 2 + len(amounts)
    if group:
        header = [["项目", ""] + [group] * len(amounts), ["功能分类科目编码", "科目名称"] + amounts]
        merges = [(0, 0, 0, 1), (0, 2, 0, n - 1)]
    else:
        header = [["项目", ""] + amounts, ["功能分类科目编码", "科目名称"] + [""] * len(amounts)]
        merges = [(0, 0, 0, 1)] + [(0, c, 1, c) for c in range(2, n)]
    return Layout(n, header, merges, 2, (), note)


def layout(kind: TableKind, variant: str = "2024") -> Layout:
    """The layout of ``kind``; ``variant`` "2018" drops the 国有资本经营 column of 公开04."""
    if kind is TableKind.summary:
        return Layout(
            4,
            [["收入", "", "支出", ""], ["项目", "决算数", "项目", "决算数"]],
            [(0, 0, 0, 1), (0, 2, 0, 3)],
            1,
            (2,),
            "注：本表反映部门本年度的总收支和年末结转结余情况。",
        )
    if kind is TableKind.income:
        return _subject_layout(
            ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"],
            "注：本表反映部门本年度取得的各项收入情况。",
        )
    if kind is TableKind.expenditure:
        return _subject_layout(
            ["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"], "注：本表反映部门本年度各项支出情况。"
        )
    if kind is TableKind.fiscal_summary:
        funds = ["一般公共预算财政拨款", "政府性基金预算财政拨款"] + ([] if variant == "2018" else ["国有资本经营预算财政拨款"])
        n = 4 + len(funds)
        header = [["收入", "", "支出"] + [""] * (n - 3), ["项目", "决算数", "项目", "合计"] + funds]
        return Layout(n, header, [(0, 0, 0, 1), (0, 2, 0, n - 1)], 1, (2,), "注：本表反映部门本年度财政拨款总收支和年末结转结余情况。")
    if kind is TableKind.gpb_expenditure:
        return _subject_layout(["合计", "基本支出", "项目支出"], "注：本表反映部门本年度一般公共预算财政拨款支出情况。", group="本年支出")
    if kind is TableKind.gpb_basic:
        note = "注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。"
        if variant == "2024":  # the official 2024 template: one header row, 经济分类科目编码 both sides
            return Layout(6, [["经济分类\n科目编码", "科目名称", "决算数"] * 2], [], 2, (3, 4), note)  # breaks as the official one
        header = [["人员经费", "", "", "公用经费", "", ""], ["科目编码", "科目名称", "决算数", "科目编码", "科目名称", "决算数"]]
        return Layout(6, header, [(0, 0, 0, 2), (0, 3, 0, 5)], 2, (3, 4), note)
    if kind is TableKind.sangong and variant == "2024":
        return _sangong_official()
    if kind is TableKind.sangong:
        row1 = ["合计", "因公出国（境）费", "公务用车购置及运行维护费", "", "", "公务接待费"] * 2
        row2 = ["", "", "小计", "公务用车购置费", "公务用车运行维护费", ""] * 2
        header = [["预算数"] * 6 + ["决算数"] * 6, row1, row2]
        merges = [(0, 0, 0, 5), (0, 6, 0, 11)]
        for base in (0, 6):
            merges += [(1, base, 2, base), (1, base + 1, 2, base + 1), (1, base + 2, 1, base + 4), (1, base + 5, 2, base + 5)]
        return Layout(12, header, merges, 0, (), "注：本表反映部门本年度“三公”经费支出预决算情况。")
    if kind is TableKind.gov_fund:
        return _fund_layout("注：本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。")
    if kind is TableKind.state_capital:
        if variant == "湖南2020":
            return _subject_layout(["合计", "基本支出", "项目支出"], "注：本表反映部门本年度国有资本经营预算财政拨款支出情况。", group="本年支出")
        return _fund_layout("注：本表反映部门本年度国有资本经营预算财政拨款收入、支出及结转和结余情况。")
    raise ValueError(kind)


def _sangong_official() -> Layout:
    """公开07 as the official 2024 template: each item over a 预算数 | 决算数 pair."""
    pair = lambda text: [text, text]  # noqa: E731
    header = [
        ["财政拨款“三公”经费"] * 12,
        pair("合计") + pair("因公出国（境）费") + ["公务用车购置及运行维护费"] * 6 + pair("公务接待费"),
        ["", "", "", ""] + pair("小计") + pair("公务用车购置费") + pair("公务用车运行维护费") + ["", ""],
        ["预算数", "决算数"] * 6,
    ]
    merges = [(0, 0, 0, 11), (1, 0, 2, 1), (1, 2, 2, 3), (1, 4, 1, 9), (1, 10, 2, 11), (2, 4, 2, 5), (2, 6, 2, 7), (2, 8, 2, 9)]
    return Layout(12, header, merges, 0, (), "注：本表反映部门本年度“三公”经费支出预决算情况。")


def _fund_layout(note: str) -> Layout:
    header = [
        ["项目", "", "年初结转和结余", "本年收入", "本年支出", "", "", "年末结转和结余"],
        ["功能分类科目编码", "科目名称", "", "", "合计", "基本支出", "项目支出", ""],
    ]
    merges = [(0, 0, 0, 1), (0, 2, 1, 2), (0, 3, 1, 3), (0, 4, 0, 6), (0, 7, 1, 7)]
    return Layout(8, header, merges, 2, (), note)


# ---- data rows --------------------------------------------------------------------------------


def money(value: Decimal | None) -> str:
    return "" if value is None else format_amount(value)


def _subject_rows(t: SubjectTable | None, columns: list[str], year: int) -> list[list[str]]:
    if t is None or t.is_empty:
        return [["合计", ""] + [""] * len(columns)]
    rows = []
    if t.total is not None:
        rows.append(["合计", ""] + [money(t.total.values.get(c)) for c in columns])
    for r in t.rows:
        name = class_name(r.code, year) if r.level == 1 else r.name.strip()
        rows.append([r.code, INDENT * (r.level - 1) + name] + [money(r.values.get(c)) if c in t.columns else "" for c in columns])
    return rows


def _balance_rows(t: BalanceTable, right_columns: list[str], year: int, ordinals: bool = False, frame: list[str] | None = None) -> list[list[str]]:
    """公开01/04; ``ordinals``: row labels numbered "一、…" as in the official 2024 template; ``frame``: the
    format's 类 rows (profile.toml ``[rows]``, see rowsets)."""
    num = (lambda i, text: f"{cn_number(i)}、{text}") if ordinals else (lambda i, text: text)  # noqa: E731
    left = [(num(i, strip_ordinal(r.name)), r.values.get("金额")) for i, r in enumerate(t.income, 1)]
    lines = framed_lines(t.expenditure, frame)
    right = [(num(i, class_name(r.key, year)), [r.values.get(c) for c in right_columns]) for i, r in enumerate(lines, 1)]
    left_totals = [k for k in ("本年收入合计", "使用非财政拨款结余", "年初结转和结余") if k in t.totals]
    right_totals = [k for k in ("本年支出合计", "结余分配", "年末结转和结余") if k in t.totals]
    body = max(len(left), len(right))
    rows = []
    for i in range(body):
        l_label, l_value = left[i] if i < len(left) else ("", None)
        r_label, r_values = right[i] if i < len(right) else ("", [None] * len(right_columns))
        rows.append([l_label, money(l_value), r_label] + [money(v) for v in r_values])
    subs = [k for k in t.totals if k.startswith("年初结转和结余:")]
    left_block = [(_total_label(t, k), t.totals[k].values.get("金额")) for k in left_totals]
    if subs:
        idx = next(i for i, (label, _) in enumerate(left_block) if "年初" in label) + 1
        left_block[idx:idx] = [(INDENT + num(i, strip_ordinal(t.totals[k].name)), t.totals[k].values.get("金额")) for i, k in enumerate(subs, 1)]
    right_block = [(_total_label(t, k), [t.totals[k].values.get(c) for c in right_columns]) for k in right_totals]
    for i in range(max(len(left_block), len(right_block))):
        l_label, l_value = left_block[i] if i < len(left_block) else ("", None)
        r_label, r_values = right_block[i] if i < len(right_block) else ("", [None] * len(right_columns))
        rows.append([l_label, money(l_value), r_label] + [money(v) for v in r_values])
    total_in = t.totals.get("收入总计")
    total_out = t.totals.get("支出总计")
    rows.append(
        ["总计", money(total_in.values.get("金额") if total_in else None), "总计"]
        + [money(total_out.values.get(c) if total_out else None) for c in right_columns]
    )
    return rows


def _total_label(t: BalanceTable, key: str) -> str:
    return strip_ordinal(t.totals[key].name) or key


def _basic_rows(m: UnitAccounts) -> list[list[str]]:
    t = m.gpb_basic
    left = [r for r in t.rows if r.code[:3] in ("301", "303")]
    right = [r for r in t.rows if r.code[:3] not in ("301", "303")]

    def cells(r):
        if r is None:
            return ["", "", ""]
        indent = "" if len(r.code) == 3 else INDENT
        return [r.code, indent + r.name.strip(), money(r.values.get("决算数"))]

    rows = [cells(left[i] if i < len(left) else None) + cells(right[i] if i < len(right) else None) for i in range(max(len(left), len(right)))]
    p, q = t.personnel_total, t.public_total
    rows.append(["人员经费合计", "", money(p.values.get("决算数") if p else None), "公用经费合计", "", money(q.values.get("决算数") if q else None)])
    return rows


def rows_for(kind: TableKind, m: UnitAccounts, variant: str, frame: list[str] | None = None) -> list[list[str]]:
    """The data rows of ``kind``; ``frame``: the format's 类 rows of 公开01/04 (profile.rows), if it sets them."""
    year = m.unit.year
    if kind is TableKind.summary:
        return _balance_rows(m.summary, ["金额"], year, ordinals=variant == "2024", frame=frame)
    if kind is TableKind.fiscal_summary:
        cols = ["合计", "一般公共预算", "政府性基金"] + ([] if variant == "2018" else ["国有资本经营"])
        return _balance_rows(m.fiscal_summary, cols, year, ordinals=variant == "2024", frame=frame)
    if kind is TableKind.income:
        return _subject_rows(m.income, ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"], year)
    if kind is TableKind.expenditure:
        return _subject_rows(m.expenditure, ["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"], year)
    if kind is TableKind.gpb_expenditure:
        return _subject_rows(m.gpb_expenditure, ["合计", "基本支出", "项目支出"], year)
    if kind is TableKind.gpb_basic:
        return _basic_rows(m)
    if kind is TableKind.sangong and variant == "2024":
        return [[money(side.values.get(c)) for c in SANGONG_COLUMNS for side in (m.sangong.budget, m.sangong.actual)]]
    if kind is TableKind.sangong:
        return [[money(m.sangong.budget.values.get(c)) for c in SANGONG_COLUMNS] + [money(m.sangong.actual.values.get(c)) for c in SANGONG_COLUMNS]]
    if kind is TableKind.gov_fund:
        return _subject_rows(m.gov_fund, ["年初结转和结余", "本年收入", "本年支出", "基本支出", "项目支出", "年末结转和结余"], year)
    if kind is TableKind.state_capital:
        if variant == "湖南2020":
            return _subject_rows(m.state_capital, ["本年支出", "基本支出", "项目支出"], year)
        return _subject_rows(m.state_capital, ["年初结转和结余", "本年收入", "本年支出", "基本支出", "项目支出", "年末结转和结余"], year)
    raise ValueError(kind)
