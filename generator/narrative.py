"""What a Word template can say (§4): the named figures, lists and functions of the template
context, and the computed numbering. The sentences themselves live in the template
(``templates/<格式>/template.docx``); Python supplies figures and phrasing, never sentences.

Names are Chinese and follow the figure registry: ``收入总计``, ``三公.公务接待费``,
``其他['因公出国（境）团组数']`` (a name with full-width brackets needs ``['…']``);
``变动.X`` is X compared with the prior year, ``完成.X`` X against its budget, ``说明.X`` a
reason or purpose text of the 说明 sheet. ``juesuan fields`` lists every name with its meaning.

Numbering is part of the paragraph text and computed in document order: ``{{ 部分() }}`` →
第一部分, ``{{ 一级() }}`` → 一、, ``{{ 二级() }}`` → （一）, ``{{ 三级() }}`` → 1．; each level
resets the deeper ones, so a section a template leaves out (or a ``{%p if %}`` skips) never
leaves a gap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .figures import ZERO, Figure, Figures
from .glossary import glossary_items
from .keys import VEHICLE_KINDS, cn_number
from .model import UnitAccounts
from .phrasing import PHRASER, Missing, Paragraph, Phraser, Settings, purpose_text

TOC_MARK = "\ue003目录\ue003"
NUMBERING = " numbering"  # like PHRASER: a key no template can name
SANGONG_ITEMS = ("因公出国（境）费", "公务用车购置及运行维护费", "公务接待费")
INCOME_NOTES = ("事业收入主要内容", "经营收入主要内容", "其他收入主要内容")


def heading_number(level: int, n: int, list_numbering: str = "1．") -> str:
    """第一部分 · 一、 · （一） · 1．(or the format's "1、" / "1.": profile.toml list_numbering)."""
    return {0: f"第{cn_number(n)}部分", 1: f"{cn_number(n)}、", 2: f"（{cn_number(n)}）", 3: f"{n}{list_numbering[1:]}"}[level]


class Numbering:
    """The counters behind 部分() 一级() 二级() 三级(): called in document order while rendering."""

    def __init__(self, list_numbering: str = "1．") -> None:
        self.counts = [0, 0, 0, 0]
        self.list_numbering = list_numbering

    def reset(self) -> None:
        """Number again from 第一部分 (each render), in the same format."""
        self.counts = [0, 0, 0, 0]

    def next(self, level: int) -> str:
        self.counts[level] += 1
        for deeper in range(level + 1, len(self.counts)):
            self.counts[deeper] = 0
        return heading_number(level, self.counts[level], self.list_numbering)

    def functions(self) -> dict:
        return {"部分": lambda: self.next(0), "一级": lambda: self.next(1), "二级": lambda: self.next(2), "三级": lambda: self.next(3)}


class Node(dict):
    """One name of the registry: a figure (``.fig``) and the namespace of the names below it.

    ``人员经费`` is a figure and ``人员经费.占一般公共预算财政拨款基本支出`` another; in the
    template both read naturally. Attributes the children do not have come from the figure
    (``变动.收支总计.direction``, ``完成.X.rate``).
    """

    __slots__ = ("fig",)

    def __init__(self) -> None:
        super().__init__()
        self.fig = None

    def __getattr__(self, name: str):
        if name in self:
            return self[name]
        if self.fig is not None and not name.startswith("_"):
            return getattr(self.fig, name)
        raise AttributeError(name)

    def __bool__(self) -> bool:
        return self.fig is not None or len(self) > 0

    def __str__(self) -> str:
        value = getattr(self.fig, "value", None)
        return "" if value is None else f"{value:f}"


def tree(named: dict[str, object], roots: tuple[str, ...] = ()) -> Node:
    """{"三公.公务接待费": x} -> 三公 → 公务接待费 (x); ``roots`` always exist, even when empty."""
    top = Node()
    for root in roots:
        top[root] = Node()
    for name, value in named.items():
        node = top
        for part in name.split("."):
            node = node.setdefault(part, Node())
        node.fig = value
    return top


# Top-level names the figure registry can give (figures.compute); `template check` knows them.
FIGURE_ROOTS = (
    "收入总计 支出总计 本年收入合计 本年支出合计 使用非财政拨款结余 年初结转和结余 结余分配 年末结转和结余 收支总计 收入 支出 "
    "财政拨款收支总计 财政拨款收入 财政拨款支出 财政拨款年初结转和结余 财政拨款年末结转和结余 一般公共预算财政拨款支出 "
    "一般公共预算财政拨款基本支出 一般公共预算财政拨款项目支出 类 项 人员经费 公用经费 经济分类 三公 其他 政府性基金 国有资本经营 "
    "机关运行经费 会议费 培训费 政府采购 绩效 上年"
).split()
_PROJECT_ROOT = re.compile(r"绩效项目\d+$")

# Every other name of the context, with its meaning (for `juesuan fields` and `template check`).
NAMES: dict[str, str] = {
    "单位名称": "单位信息：单位名称",
    "年度": "决算年度（单位信息）",
    "上年度": "年度 − 1",
    "变动": "与上年比较：变动.收支总计、变动.本年收入合计、变动.三公.公务接待费、变动.机关运行经费……（配合 change / change_with_reason）",
    "完成": "与预算比较：完成.一般公共预算财政拨款支出、完成.三公.三公经费合计、完成.项['2010101']……（配合 completion；.rate 完成率、.relation 为 over/under/equal/no_budget/unknown）",
    "说明": "“说明”工作表的文字：说明.收支总计变动原因……（没有时为空）",
    "主要职能": "单位信息“主要职能”，每行一段",
    "机构设置": "单位信息“机构设置”和“人员情况”（人员情况中机构设置已说过的句子不重复），每行一段",
    "决算单位构成": "单位信息“决算单位构成”，每行一段",
    "单位构成": "决算单位构成表各行：[序号, 单位名称, 备注]（单位信息的单位构成清单）",
    "只含本级": "决算单位构成只有本级一个单位（格式此时写机构设置）",
    "主体": "按公开主体：本部门 / 本单位",
    "有机关运行经费": "单位性质为行政单位或参公单位（机关运行经费适用）",
    "车辆": "本格式列出的公务用车类别（为零的也列）：每项 .名称 .数量",
    "绩效制度": "绩效表“绩效管理制度”（预算绩效管理制度名称等），没有时为空",
    "绩效机制": "绩效表“绩效管理工作机制”（上海2024：“建立了…的预算绩效管理工作机制”），没有时为空",
    "附件": "附件清单（绩效表“附件”各行）：每项 .名称 .说明 .正文（段落列表，空时为【待补充】）；文中只提及清单中的附件",
    "收入构成": "本年收入各项（名称、金额、占本年收入合计的比例），配合 composition",
    "支出构成": "本年支出各项（基本支出、项目支出……），配合 composition",
    "收入说明": "事业/经营/其他收入的主要内容（有文字且金额不为零的项）：每项 .名称 .内容",
    "类构成": "一般公共预算财政拨款支出各类（名称、金额、占比），配合 composition(label_suffix='（类）')",
    "项": "一般公共预算财政拨款支出各项级科目：.路径 .金额 .用途 .原因 .编码 .年初预算 .完成",
    "基本支出构成": "人员经费和公用经费（为零的按设置省略）：.名称 .金额 .占比 .主要项目（不为零的经济分类名称，按表中顺序全部列出）",
    "三公项目": "“三公”三项的名称：因公出国（境）费、公务用车购置及运行维护费、公务接待费",
    "三公构成": "“三公”三项（名称按格式的称谓、金额、占“三公”经费的比例），配合 composition",
    "称谓": "函数：称谓('公务用车购置及运行维护费') → 本格式对标准名称的叫法（profile.toml 的 [terms]，如 2018 格式的“公务用车购置及运行费”），没有时原样",
    "三公差异已逐项说明": "各项差异原因都已填写（合计不必再说明原因）",
    "空表": "空表.政府性基金、空表.国有资本经营：该表为空（或本格式没有该表）",
    "政府性基金项": "政府性基金预算财政拨款支出各项级科目：.路径 .金额 .用途 .原因 .编码 .年初预算 .完成（同“项”）",
    "国有资本经营项": "国有资本经营预算财政拨款支出各项级科目：.路径 .金额 .用途 .原因 .编码 .年初预算 .完成（同“项”）",
    "绩效说明": "绩效表“绩效管理工作情况”，每行一段",
    "绩效项目": "绩效项目清单：.名称 .得分 .完成（.budget 全年预算数、.actual 全年执行数、.rate 执行率）",
    "车辆类别": "公务用车类别（部级领导干部用车……其他用车）",
    "名词解释": "名词解释条目（名词、解释）：标准名词、公开05表出现的项级科目、工作簿中的补充",
    "设置": "格式设置：设置.list_zero_items、设置.percent_decimals、设置.thousands_in_text",
    "tables": "决算表：tables.summary.number（公开01表）、.title、.owner_line、.rows、.note、.empty_note；表的种类见 profile.toml",
    "projects": "附件的项目绩效自评结果表各行：[序号, 项目名称, 自评得分, 全年预算数, 全年执行数, 执行率, 绩效目标完成情况, 存在问题, 改进措施]",
    "部分": "函数：部分() → 第一部分、第二部分……",
    "一级": "函数：一级() → 一、二、……（每个部分重新编号）",
    "二级": "函数：二级() → （一）（二）……",
    "三级": "函数：三级() → 1．2．……或 1、2、……（按格式设置 list_numbering；每个上级标题重新编号）",
    "目录": "函数：目录() → 在此段生成目录（各部分和一级标题）",
    "reason": "函数：reason('收支总计变动原因') → “说明”表中的原因（去掉句末标点），缺少时为【待补充】",
    "pending": "函数：pending('内容', '工作表') → 【待补充：内容（“工作表”工作表）】",
    "图表": "函数：图表('收入结构') → 在此段插入图和图题“图N …（单位：万元）”，N 按顺序自动编号；可用：收支总计变动、收入结构、支出结构、财政拨款收支变动、一般公共预算财政拨款支出结构（需单独成段）",
    "purpose": "函数：purpose('会议费用途') → “说明”表中的用途文字（去掉“主要用于”等引导词），没有时为空",
}


def known_name(name: str) -> bool:
    return (
        name in NAMES or name in FIGURE_ROOTS or bool(_PROJECT_ROOT.match(name)) or name in ("loop", "namespace", "range", "dict", "lipsum", "cycler", "joiner")
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _economic_listing(items: list[Figure], names: dict[str, str]) -> str:
    """Every non-zero item in table order: the formats' "……（不涉及的不列）" lists them all."""
    return "、".join(names.get(x.name.removeprefix("经济分类."), x.name) for x in items if x.value)


def _staffing_lines(organization: str, staffing: str) -> list[str]:
    """人员情况 without the sentences 机构设置 already says (the two never repeat each other)."""
    said = re.sub(r"\s", "", organization or "")
    sentences = re.findall(r"[^。]+。?", staffing or "")
    kept = [x for x in sentences if not x.strip() or re.sub(r"\s", "", x).rstrip("。") not in said]
    return _lines("".join(kept))


def context(model: UnitAccounts, figures: Figures, settings: Settings) -> dict:
    """The names a template can use for one unit (tables and the annex are added by render)."""
    u, f = model.unit, figures
    phraser = Phraser(figures, settings)
    reasons = {k: e.text for k, e in model.reasons.items() if e is not None}

    def value(name: str) -> Decimal:
        v = f.items[name].value if name in f.items else None
        return v if v is not None else ZERO

    def reason(key: str, where: str = "说明") -> str:
        return phraser.reason(reasons.get(key), key, where)

    def purpose(key: str) -> str:
        text = reasons.get(key)
        return purpose_text(text) if text else ""

    def subject_lines(items) -> list[dict]:
        return [
            {
                "路径": s.path,
                "金额": s.amount,
                "编码": s.code,
                "用途": purpose_text(s.purpose) if s.purpose else "",
                "原因": s.reason or "",
                "完成": s.completion,
                "年初预算": s.completion.budget if s.completion else None,
            }
            for s in items
        ]

    subjects = subject_lines(f.items_by_subject)
    basic = []
    for key, items in (("人员经费", f.personnel_items_in_order), ("公用经费", f.public_items_in_order)):
        if value(key) or settings.list_zero_items:
            basic.append(
                {
                    "名称": key,
                    "金额": f.items[key],
                    "占比": f.items[key + ".占一般公共预算财政拨款基本支出"],
                    "主要项目": _economic_listing(items, f.economic_names) if items else "",
                }
            )
    differing = [k for k in SANGONG_ITEMS if f.completions[f"三公.{k}"].relation in ("over", "under")]
    projects = [
        {"名称": p.name, "得分": f.items[f"绩效项目{i}.得分"], "完成": f.completions[f"绩效项目{i}"]} for i, p in enumerate(model.performance.projects, 1)
    ]
    numbering = Numbering(settings.list_numbering)
    ctx = {
        **tree(f.items, tuple(r for r in FIGURE_ROOTS)),
        PHRASER: phraser,
        "单位名称": u.name,
        "年度": u.year,
        "上年度": u.year - 1,
        "变动": tree(f.changes, ("三公",)),
        "完成": tree(f.completions, ("三公", "项")),
        "说明": reasons,
        "主要职能": _lines(u.functions),
        "机构设置": _lines(u.organization) + _staffing_lines(u.organization, u.staffing),
        "单位构成": [[m.number or str(i), m.name, m.note] for i, m in enumerate(u.members, 1)],
        "只含本级": u.only_itself,
        "主体": "本部门" if u.entity == "部门" else "本单位",
        "有机关运行经费": u.has_running_costs,
        "车辆": [{"名称": x.name.removeprefix("其他."), "数量": x} for x in f.vehicle_items],
        "绩效制度": model.performance_system().text.strip(),
        "绩效机制": model.performance.mechanism.text.strip().rstrip("。；;，,"),
        "附件": [
            {"名称": a.name, "说明": a.note, "正文": [line.strip() for line in a.text.splitlines() if line.strip()]} for a in model.performance.attachments
        ],
        "决算单位构成": _lines(u.composition),
        "收入构成": [(a.name.removeprefix("收入."), a, s) for a, s in f.income_lines],
        "支出构成": [(a.name.removeprefix("支出."), a, s) for a, s in f.spending_parts],
        "收入说明": [
            {"名称": k.removesuffix("主要内容"), "内容": purpose(k)} for k in INCOME_NOTES if purpose(k) and value("收入." + k.removesuffix("主要内容"))
        ],
        "类构成": [(c.path, c.amount, c.share) for c in f.classes],
        "项": subjects,
        "基本支出构成": basic,
        "三公项目": list(SANGONG_ITEMS),
        "三公构成": [(settings.term(k), f.items[f"三公.{k}"], f.sangong_shares[k]) for k in SANGONG_ITEMS],
        "称谓": settings.term,
        "三公差异已逐项说明": bool(differing) and all(reasons.get(f"{k}预决算差异原因") for k in differing),
        "空表": {"政府性基金": model.gov_fund is None or model.gov_fund.is_empty, "国有资本经营": model.state_capital is None or model.state_capital.is_empty},
        "政府性基金项": subject_lines(f.fund_items),
        "国有资本经营项": subject_lines(f.capital_items),
        "绩效说明": _lines(model.performance.narrative.text),
        "绩效项目": projects,
        "车辆类别": list(VEHICLE_KINDS),
        "名词解释": [(settings.in_terms(t), settings.in_terms(d)) for t, d in glossary_items(model)],
        "设置": {"list_zero_items": settings.list_zero_items, "percent_decimals": settings.percent_decimals, "thousands_in_text": settings.thousands_in_text},
        "目录": lambda: TOC_MARK,
        "reason": reason,
        "pending": phraser.pending,
        "purpose": purpose,
        **numbering.functions(),
        NUMBERING: numbering,
    }
    return ctx


@dataclass
class Part:
    key: str
    heading: str
    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass
class Narrative:
    """The document's text as rendered from the template: parts of paragraphs (with the figures
    each quotes), the 【待补充】 items, and the rendered body (written out by render.package)."""

    title: str
    subtitle: str
    parts: list[Part]
    missing: list[Missing]
    body: str = ""
    figures: Figures | None = None  # what the template's charts (图表) are drawn from when packaged

    def part(self, key: str) -> Part | None:
        return next((p for p in self.parts if p.key == key), None)


def field_catalogue(ctx: dict | None = None) -> list[tuple[str, str, str, str]]:
    """(kind, name as written in a template, meaning, value) for every name; values given a unit's context."""
    rows = [("函数" if "函数" in meaning else "名称", name, meaning, "") for name, meaning in NAMES.items()]
    if ctx is None:
        return rows + [("数字", name, "数字（见工作簿）", "") for name in FIGURE_ROOTS]
    phraser: Phraser = ctx[PHRASER]
    out = []
    for kind, name, meaning, _ in rows:
        v = ctx.get(name)
        shown = str(v) if isinstance(v, (str, int)) else ""
        out.append((kind, name, meaning, shown))
    for fig in phraser.figures.items.values():
        parts = fig.name.split(".")
        expr = parts[0] + "".join(f".{p}" if p.isidentifier() else f"['{p}']" for p in parts[1:])
        if not parts[0].isidentifier():
            expr = fig.name
        where = "、".join(fig.sources) or fig.formula
        shown = (
            ""
            if fig.value is None
            else Paragraph.parse(
                phraser.count(fig, fig.unit if fig.unit not in ("万元", "%") else "")
                if fig.unit not in ("万元", "%")
                else (phraser.money(fig) if fig.unit == "万元" else phraser.pct(fig))
            ).text
        )
        out.append(("数字", expr, where, shown))
    phraser.missing.clear()
    return out
