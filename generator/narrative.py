"""The text of the document (§4): parts, sections and sentences, phrased from the figures.

Section numbers (一、（一）1．) are computed while the document is assembled, so an omitted
section never leaves a gap. Each section is one function that returns its paragraphs, or
nothing when the profile leaves it out. Reasons and purposes come from the workbook; when
one is missing the sentence carries a visible 【待补充：…】 marker (phrasing.pending).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .figures import ZERO, Figures, SubjectFigure
from .glossary import glossary_items
from .keys import VEHICLE_KINDS, cn_number
from .model import TableKind, UnitAccounts
from .phrasing import Missing, Paragraph, Phraser, purpose_text, strip_end
from .profiles import Profile

def heading_number(level: int, n: int) -> str:
    return {1: f"{cn_number(n)}、", 2: f"（{cn_number(n)}）", 3: f"{n}．"}[level]


@dataclass
class Section:
    """A titled block; its number is given when the document is assembled."""

    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)  # marked text (phrasing markers)
    children: list["Section"] = field(default_factory=list)


@dataclass
class Part:
    key: str
    heading: str
    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass
class Narrative:
    title: str
    subtitle: str
    parts: list[Part]
    missing: list[Missing]
    glossary: list[tuple[str, str]]

    def part(self, key: str) -> Part | None:
        return next((p for p in self.parts if p.key == key), None)


class Writer:
    """Writes one unit's narrative for one profile."""

    def __init__(self, model: UnitAccounts, figures: Figures, profile: Profile):
        self.m = model
        self.f = figures
        self.profile = profile
        self.p = Phraser(figures, profile.settings)
        self.year = model.unit.year
        self.unit = model.unit.name

    # ---- helpers ----------------------------------------------------------------------------
    def reason(self, key: str) -> str | None:
        e = self.m.reasons.get(key)
        return e.text if e else None

    def other_text(self, key: str) -> str:
        """A purpose/content text from 说明, without lead words our sentence already says."""
        e = self.m.reasons.get(key)
        return purpose_text(e.text) if e and e.text else ""

    def money(self, name: str) -> str:
        return self.p.money(name)

    def pct(self, name: str) -> str:
        return self.p.pct(name)

    def value(self, name: str) -> Decimal:
        v = self.f.get(name).value
        return v if v is not None else ZERO

    # ---- part 1 ------------------------------------------------------------------------------
    def part1(self) -> list[Section]:
        u = self.m.unit
        sections = []
        for key in self.profile.part1:
            text = {"主要职能": u.functions, "机构设置": "\n".join(x for x in (u.organization, u.staffing) if x), "决算单位构成": u.composition}.get(key, "")
            if key == "机构设置" and not text:
                continue
            paras = [line.strip() for line in text.splitlines() if line.strip()] if text else [self.p.pending(key, "单位信息")]
            sections.append(Section(key, self.profile.title(key), paras))
        return sections

    # ---- part 3 sections ---------------------------------------------------------------------
    def s_总体(self) -> Section:
        y = self.year
        if self.profile.overview == "收支总计":
            ch = self.f.changes["收支总计"]
            text = f"{self.unit}{y}年度收入、支出总计均为{self.money('收入总计')}，{self.p.change_with_reason(ch, self.reason('收支总计变动原因'), '收支总计变动原因', '收支', '收支总计')}。"
            return Section("总体", self.profile.title("总体"), [text])
        first = f"{y}年度收入总计、支出总计均为{self.money('收入总计')}。"
        income = self.p.change_with_reason(self.f.changes["本年收入合计"], self.reason("本年收入变动原因"), "本年收入变动原因", "收入")
        spend = self.p.change_with_reason(self.f.changes["本年支出合计"], self.reason("本年支出变动原因"), "本年支出变动原因", "支出")
        second = f"{y}年度本年收入合计{self.money('本年收入合计')}，{income}；本年支出合计{self.money('本年支出合计')}，{spend}。"
        return Section("总体", self.profile.title("总体"), [first, second])

    def s_收入(self) -> Section:
        items = [(a.name.removeprefix("收入."), a, s) for a, s in self.f.income_lines]
        listing = self.p.composition(items)
        text = f"{self.year}年度本年收入合计{self.money('本年收入合计')}" + (f"，其中：{listing}。" if listing else "。")
        paras = [text]
        notes = [f"{k.removesuffix('主要内容')}主要是{self.other_text(k)}" for k in ("事业收入主要内容", "经营收入主要内容", "其他收入主要内容") if self.other_text(k) and self.value("收入." + k.removesuffix("主要内容"))]
        if notes:
            paras.append("；".join(notes) + "。")
        return Section("收入", self.profile.title("收入"), paras)

    def s_支出(self) -> Section:
        items = [(a.name.removeprefix("支出."), a, s) for a, s in self.f.spending_parts]
        listing = self.p.composition(items)
        text = f"{self.year}年度本年支出合计{self.money('本年支出合计')}" + (f"，其中：{listing}。" if listing else "。")
        return Section("支出", self.profile.title("支出"), [text])

    def s_财政拨款总体(self) -> Section:
        y = self.year
        if self.profile.fiscal_overview == "收支总计":
            ch = self.f.changes["财政拨款收支总计"]
            text = f"{self.unit}{y}年度财政拨款收入、支出总计均为{self.money('财政拨款收支总计')}，{self.p.change_with_reason(ch, self.reason('财政拨款收支变动原因'), '财政拨款收支变动原因', '收支', '财政拨款收支总计')}。"
            return Section("财政拨款总体", self.profile.title("财政拨款总体"), [text])
        income = self.p.change_with_reason(self.f.changes["财政拨款收入"], self.reason("财政拨款收入变动原因"), "财政拨款收入变动原因", "收入")
        spend = self.p.change_with_reason(self.f.changes["财政拨款支出"], self.reason("财政拨款支出变动原因"), "财政拨款支出变动原因", "支出")
        text = f"{y}年度财政拨款收入{self.money('财政拨款收入')}，{income}；财政拨款支出{self.money('财政拨款支出')}，{spend}。"
        return Section("财政拨款总体", self.profile.title("财政拨款总体"), [text])

    def s_一般公共预算支出(self) -> Section:
        y = self.year
        total = "一般公共预算财政拨款支出"
        ch = self.f.changes[total]
        overall = (
            f"{y}年度一般公共预算财政拨款支出{self.money(total)}，占本年支出合计的{self.pct(total + '.占本年支出合计')}，"
            f"{self.p.change_with_reason(ch, self.reason('一般公共预算财政拨款支出变动原因'), '一般公共预算财政拨款支出变动原因', '支出', total)}。"
        )
        classes = "；".join(f"{c.path}（类）{self.p.money(c.amount)}，{self.p.share(c.share)}" for c in self.f.classes if c.amount.value or self.profile.settings.list_zero_items)
        structure = f"{y}年度一般公共预算财政拨款支出{self.money(total)}" + (f"，主要用于以下方面：{classes}。" if classes else "。")
        detail = Section("具体", "一般公共预算财政拨款支出决算具体情况")
        if total in self.f.completions:
            comp = self.f.completions[total]
            head = f"{y}年度一般公共预算财政拨款支出年初预算为{self.p.money(comp.budget)}，支出决算为{self.money(total)}，" + self.p.completion(
                comp, reason=self.reason("一般公共预算财政拨款预决算差异原因"), reason_key="一般公共预算财政拨款预决算差异原因"
            )
            detail.paragraphs.append(head + "。其中：")
        elif self.f.items_by_subject:
            detail.paragraphs.append(f"{y}年度一般公共预算财政拨款支出决算{self.money(total)}，" + self.p.pending("各项级科目的年初预算数", "预算数") + "。其中：")
        for i, s in enumerate(self.f.items_by_subject, 1):
            detail.paragraphs.append(self._subject_sentence(i, s))
        children = [Section("总体", "一般公共预算财政拨款支出决算总体情况", [overall]), Section("结构", "一般公共预算财政拨款支出决算结构情况", [structure])]
        if detail.paragraphs:
            children.append(detail)
        return Section("一般公共预算支出", self.profile.title("一般公共预算支出"), [], children)

    def _subject_sentence(self, i: int, s: SubjectFigure) -> str:
        text = f"{i}．{s.path}。"
        if s.purpose:
            text += f"主要用于{purpose_text(s.purpose)}。"
        comp = s.completion
        if comp is None:
            return text + f"支出决算为{self.p.money(s.amount)}。"
        if comp.budget is None:  # the 预算数 sheet has no 年初预算 for this 项: a visible marker
            return text + f"支出决算为{self.p.money(s.amount)}，" + self.p.completion(comp) + "。"
        rel = comp.relation
        if rel == "no_budget":
            return text + self.p.completion(comp, reason=s.reason, reason_key=f"{s.code}的支出原因（“决算与预算差异原因”列）", reason_where="预算数") + "。"
        return text + f"年初预算为{self.p.money(comp.budget)}，支出决算为{self.p.money(s.amount)}，" + self.p.completion(
            comp, reason=s.reason, reason_key=f"{s.code}的决算与预算差异原因", reason_where="预算数"
        ) + "。"

    def s_基本支出(self) -> Section:
        names = self.f.economic_names

        def listing(items) -> str:
            chosen = items[:8]
            order = sorted(chosen, key=lambda x: x.name)
            text = "、".join(names.get(x.name.removeprefix("经济分类."), x.name) for x in order)
            return text + ("等" if len(items) > len(chosen) else "")

        parts = []
        for key, items in (("人员经费", self.f.personnel_items), ("公用经费", self.f.public_items)):
            if not self.value(key) and not self.profile.settings.list_zero_items:
                continue
            text = f"{key}{self.money(key)}，{self.p.share(key + '.占一般公共预算财政拨款基本支出')}"
            if items:
                text += f"，主要包括：{listing(items)}"
            parts.append(text)
        body = f"{self.year}年度一般公共预算财政拨款基本支出{self.money('一般公共预算财政拨款基本支出')}"
        body += ("，其中：" + "；".join(parts) + "。") if parts else "。"
        return Section("基本支出", self.profile.title("基本支出"), [body])

    SANGONG_ITEMS = ("因公出国（境）费", "公务用车购置及运行维护费", "公务接待费")

    def s_三公(self) -> Section:
        y = self.year
        f = self.f
        total_b, total_a = self.value("三公.三公经费合计.预算"), self.value("三公.三公经费合计")
        title = self.profile.title("三公")
        prior_total = f.changes["三公.三公经费合计"]
        if total_b == 0 and total_a == 0 and prior_total.direction in ("none",):
            return Section("三公", title, [f"{self.unit}{y}年度无“三公”经费财政拨款支出，上年也无此项支出。"])
        comp = f.completions["三公.三公经费合计"]
        first = f"{y}年度“三公”经费财政拨款支出年初预算为{self.money('三公.三公经费合计.预算')}，支出决算为{self.money('三公.三公经费合计')}"
        if comp.relation in ("over", "under", "equal") and comp.rate is not None:
            first += f"，完成预算的{self.p.pct(comp.rate)}"
        items = []
        for key in self.SANGONG_ITEMS:
            c = f.completions[f"三公.{key}"]
            if c.relation == "equal" and c.rate is None:
                items.append(f"{key}年初未安排预算，也未发生支出")
            elif c.relation == "no_budget":
                items.append(f"{key}支出决算为{self.p.money(c.actual)}，年初未安排预算")
            else:
                item = f"{key}支出决算为{self.p.money(c.actual)}，完成预算的{self.p.pct(c.rate)}"
                reason = self.reason(f"{key}预决算差异原因")
                if c.relation in ("over", "under") and reason:
                    item += f"，{'超出' if c.relation == 'over' else '未完成'}预算的主要原因是{strip_end(reason)}"
                items.append(item)
        first += "。其中：" + "；".join(items) + "。"
        differing = [k for k in self.SANGONG_ITEMS if f.completions[f"三公.{k}"].relation in ("over", "under")]
        items_explained = bool(differing) and all(self.reason(f"{k}预决算差异原因") for k in differing)
        own = self.reason("三公经费预决算差异原因")
        if comp.relation in ("over", "under") and (own or not items_explained):
            word = "大于" if comp.relation == "over" else "小于"
            first += f"“三公”经费决算数{word}预算数的主要原因是" + self.p.reason(own, "三公经费预决算差异原因") + "。"
        elif comp.relation == "no_budget":
            first += "年初未安排“三公”经费预算，支出的主要原因是" + self.p.reason(self.reason("三公经费预决算差异原因"), "三公经费预决算差异原因") + "。"
        elif comp.relation == "equal" and comp.rate is not None:
            first += "“三公”经费决算数与预算数持平。"
        changes = [f"{key}{self.p.change(f.changes[f'三公.{key}'], '支出', prior_key=key)}" for key in self.SANGONG_ITEMS]
        second = f"{y}年度“三公”经费财政拨款支出决算{self.p.change(prior_total, '支出', prior_key='三公经费合计')}，其中：" + "；".join(changes) + "。"
        for key in self.SANGONG_ITEMS:
            ch = f.changes[f"三公.{key}"]
            if ch.direction in ("up", "down", "new"):
                word = "增加" if ch.direction != "down" else "减少"
                second += f"{key}{word}的主要原因是" + self.p.reason(self.reason(f"{key}变动原因"), f"{key}变动原因") + "。"
        overall = Section("总体", "“三公”经费财政拨款支出决算总体情况", [first, second])
        detail = Section("具体", "“三公”经费财政拨款支出决算具体情况")
        if total_a:
            shares = self.p.composition([(f"{key}支出决算", f.get(f"三公.{key}"), f.sangong_shares[key]) for key in self.SANGONG_ITEMS])
            detail.paragraphs.append(f"{y}年度“三公”经费财政拨款支出决算中，{shares}。具体情况如下：")
            detail.paragraphs.extend(self._sangong_details())
        else:
            detail.paragraphs.append(f"{y}年度未发生“三公”经费财政拨款支出。")
        return Section("三公", title, [], [overall, detail])

    def _sangong_details(self) -> list[str]:
        p, y = self.p, self.year
        out = []
        abroad = self.value("三公.因公出国（境）费")
        if abroad:
            text = f"1．因公出国（境）费支出{self.money('三公.因公出国（境）费')}，全年安排因公出国（境）团组{p.count('其他.因公出国（境）团组数', '个')}，累计{p.count('其他.因公出国（境）人次', '人次')}"
            content = self.other_text("因公出国（境）费开支内容")
            out.append(text + (f"，主要用于{content}。" if content else "。"))
        else:
            out.append("1．本年度未发生因公出国（境）费支出。")
        car = self.value("三公.公务用车购置及运行维护费")
        if car:
            text = f"2．公务用车购置及运行维护费支出{self.money('三公.公务用车购置及运行维护费')}。其中："
            if self.value("三公.公务用车购置费"):
                use = self.other_text("公务用车购置用途")
                text += f"公务用车购置费{self.money('三公.公务用车购置费')}，购置车辆{p.count('其他.公务用车购置数', '辆')}" + (f"，主要用于{use}" if use else "") + "；"
            else:
                text += "本年度未购置公务用车；"
            use = self.other_text("公务用车运行维护用途")
            text += f"公务用车运行维护费{self.money('三公.公务用车运行维护费')}" + (f"，主要用于{use}" if use else "") + "。"
            out.append(text + f"截至{y}年12月31日，开支财政拨款的公务用车保有量为{p.count('其他.公务用车保有量', '辆')}。")
        else:
            vehicles = self.f.get("其他.公务用车保有量")
            tail = f"截至{y}年12月31日，开支财政拨款的公务用车保有量为{p.count(vehicles, '辆')}。" if vehicles.value is not None else ""
            out.append("2．本年度未发生公务用车购置及运行维护费支出。" + tail)
        reception = self.value("三公.公务接待费")
        if reception:
            text = f"3．公务接待费支出{self.money('三公.公务接待费')}，全年共接待{p.count('其他.公务接待批次', '批次')}、{p.count('其他.公务接待人次', '人次')}"
            foreign = self.f.get("其他.外宾接待批次")
            if foreign.value:
                text += f"（其中外宾接待{p.count(foreign, '批次')}、{p.count('其他.外宾接待人次', '人次')}）"
            use = self.other_text("公务接待用途")
            out.append(text + (f"，主要用于{use}。" if use else "。"))
        else:
            out.append("3．本年度未发生公务接待费支出。")
        return out

    def _fund_section(self, key: str, prefix: str, table, items: list[SubjectFigure]) -> Section:
        title = self.profile.title(key)
        if table is None or table.is_empty:
            return Section(key, title, [f"{self.unit}{self.year}年度无{prefix}预算财政拨款收入和支出，{self._table_label(key)}为空表。"])
        text = f"{self.year}年度{prefix}预算财政拨款收入{self.money(prefix + '.本年收入')}，支出{self.money(prefix + '.本年支出')}"
        paras = [text + ("，支出具体情况如下：" if items else "。")]
        for i, s in enumerate(items, 1):
            paras.append(f"{i}．{s.path}。支出决算为{self.p.money(s.amount)}。")
        return Section(key, title, paras)

    def _table_label(self, section_key: str) -> str:
        kind = {"政府性基金": TableKind.gov_fund, "国有资本经营": TableKind.state_capital}[section_key]
        return self.profile.table_number(kind) if kind in self.profile.tables else "该表"

    def s_政府性基金(self) -> Section:
        return self._fund_section("政府性基金", "政府性基金", self.m.gov_fund, self.f.fund_items)

    def s_国有资本经营(self) -> Section:
        return self._fund_section("国有资本经营", "国有资本经营", self.m.state_capital, self.f.capital_items)

    def s_绩效(self) -> Section:
        perf = self.m.performance
        paras = [line.strip() for line in perf.narrative.text.splitlines() if line.strip()]
        s = {k: self.f.items.get(f"绩效.{k}") for k in perf.summary}
        clauses = []
        for count_key, amount_key, verb in (("绩效目标项目数", "绩效目标涉及金额", "编报绩效目标的"), ("绩效跟踪项目数", "绩效跟踪涉及金额", "开展绩效跟踪的"), ("绩效自评项目数", "绩效自评涉及金额", "开展绩效自评的")):
            if s.get(count_key) is not None:
                clause = f"{verb}{self.year}年度项目{self.p.count(s[count_key], '个')}"
                if s.get(amount_key) is not None:
                    clause += f"，涉及预算金额{self.p.money(s[amount_key])}"
                clauses.append(clause)
        if clauses:
            text = "；".join(clauses)
            if s.get("平均得分") is not None:
                text += f"，平均得分{self.p.count(s['平均得分'], '分')}"
            grades = [(g, s.get(f"评级为{g}的项目数")) for g in ("优", "良", "合格", "不合格")]
            if any(v is not None for _, v in grades):
                text += "（其中：" + "；".join(f"绩效评级为“{g}”的项目{self.p.count(v, '个')}" for g, v in grades if v is not None) + "）"
            paras.append(text + "。")
        if s.get("发现问题数") is not None:
            tail = f"绩效自评中共发现问题{self.p.count(s['发现问题数'], '个')}"
            if s.get("已完成整改数") is not None:
                tail += f"，已完成整改{self.p.count(s['已完成整改数'], '个')}"
            if s.get("正在整改数") is not None:
                tail += f"，正在整改{self.p.count(s['正在整改数'], '个')}"
            paras.append(tail + "。")
        for i, project in enumerate(perf.projects, 1):
            comp = self.f.completions[f"绩效项目{i}"]
            text = f"{i}．{project.name}：自评得分{self.p.count(f'绩效项目{i}.得分', '分')}，全年预算数{self.p.money(comp.budget)}，全年执行数{self.p.money(comp.actual)}"
            if comp.rate is not None:
                text += f"，执行率{self.p.pct(comp.rate)}"
            paras.append(text + "。")
        if not paras:
            paras.append(self.p.pending("绩效管理工作情况", "绩效"))
        return Section("绩效", self.profile.title("绩效"), paras)

    def s_机关运行经费(self) -> Section:
        fig = self.f.get("其他.机关运行经费")
        title = self.profile.title("机关运行经费")
        if fig.value is not None and fig.value == 0 and self.f.changes["机关运行经费"].direction in ("none", "unknown"):
            return Section("机关运行经费", title, [f"{self.unit}{self.year}年度无机关运行经费支出。"])
        ch = self.f.changes["机关运行经费"]
        text = f"{self.year}年度机关运行经费支出{self.money('其他.机关运行经费')}，{self.p.change_with_reason(ch, self.reason('机关运行经费变动原因'), '机关运行经费变动原因', '支出', '机关运行经费')}。"
        return Section("机关运行经费", title, [text])

    def s_一般性支出(self) -> Section:
        parts = []
        for key in ("会议费", "培训费"):
            if self.f.get("其他." + key).value == 0:
                parts.append(f"未发生{key}支出")
                continue
            text = f"{key}支出{self.money('其他.' + key)}"
            use = self.other_text(f"{key}用途")
            if use and self.value("其他." + key):
                text += f"，主要用于{use}"
            parts.append(text)
        return Section("一般性支出", self.profile.title("一般性支出"), [f"{self.year}年度" + "；".join(parts) + "。"])

    def s_政府采购(self) -> Section:
        title = self.profile.title("政府采购")
        total = self.f.get("其他.政府采购支出总额")
        if total.value is not None and total.value == 0:
            return Section("政府采购", title, [f"{self.unit}{self.year}年度未发生政府采购支出。"])
        text = f"{self.year}年度政府采购支出总额{self.money('其他.政府采购支出总额')}，其中：政府采购货物支出{self.money('其他.政府采购货物支出')}、政府采购工程支出{self.money('其他.政府采购工程支出')}、政府采购服务支出{self.money('其他.政府采购服务支出')}。"
        if total.value:
            text += f"授予中小企业合同金额{self.money('其他.授予中小企业合同金额')}，{self.p.share('政府采购.中小企业占比', '占政府采购支出总额的')}，其中：授予小微企业合同金额{self.money('其他.授予小微企业合同金额')}，{self.p.share('政府采购.小微企业占比', '占政府采购支出总额的')}。"
        reserved = [k for k in ("面向中小企业预留项目预算金额", "面向小微企业预留项目预算金额", "其他采购项目中小企业中标金额") if self.f.get("其他." + k).value is not None]
        if reserved:
            text += "；".join(f"{k.replace('项目预算金额', '政府采购项目预算金额')}{self.money('其他.' + k)}" for k in reserved) + "。"
        return Section("政府采购", title, [text])

    def s_国有资产(self) -> Section:
        p = self.p
        kinds = [k for k in VEHICLE_KINDS if (self.f.get("其他." + k).value or (self.profile.settings.list_zero_items and self.f.get("其他." + k).value is not None))]
        text = f"截至{self.year}年12月31日，共有车辆{p.count('其他.车辆总数', '辆')}"
        if kinds:
            text += "，其中：" + "、".join(f"{k}{p.count('其他.' + k, '辆')}" for k in kinds)
        text += f"；单价50万元以上通用设备{p.count('其他.单价50万元以上通用设备', '台（套）')}，单价100万元以上专用设备{p.count('其他.单价100万元以上专用设备', '台（套）')}。"
        return Section("国有资产", self.profile.title("国有资产"), [text])

    def s_其他重要事项(self) -> Section:
        children = [getattr(self, f"s_{k}")() for k in self.profile.other_items]
        return Section("其他重要事项", self.profile.title("其他重要事项"), [], children)

    def part3(self) -> list[Section]:
        return [getattr(self, f"s_{key}")() for key in self.profile.sections]


def flatten(sections: list[Section], prefix: str, level: int = 1) -> list[Paragraph]:
    """Sections -> numbered headings and body paragraphs; numbering follows what is present."""
    out: list[Paragraph] = []
    for n, sec in enumerate(sections, 1):
        key = f"{prefix}.{sec.key}"
        out.append(Paragraph.parse(heading_number(level, n) + sec.title, f"h{level}", key))
        for i, text in enumerate(sec.paragraphs):
            out.append(Paragraph.parse(text, "body", f"{key}.{i + 1}"))
        out.extend(flatten(sec.children, key, level + 1))
    return out


PART_KEYS = ["概况", "决算表", "情况说明", "名词解释", "附件"]


def write(model: UnitAccounts, figures: Figures, profile: Profile) -> Narrative:
    w = Writer(model, figures, profile)
    unit, year = model.unit.name, model.unit.year
    part1 = flatten(w.part1(), "一")
    part3 = flatten(w.part3(), "三")
    glossary = glossary_items(model)
    part4 = [Paragraph.parse(f"{cn_number(i)}、{term}：{definition}", "body", f"四.{i}") for i, (term, definition) in enumerate(glossary, 1)]
    annexes = []
    if model.performance.projects:
        annexes.append(Paragraph.parse(f"附件1：{year}年度项目支出绩效自评结果表", "body", "五.1"))
    parts_spec = [
        ("概况", f"{unit}概况", part1),
        ("决算表", f"{unit}{year}年度部门决算表", []),
        ("情况说明", f"{unit}{year}年度部门决算情况说明", part3),
        ("名词解释", "名词解释", part4),
        ("附件", "附件", annexes),
    ]
    parts = []
    for key, heading, paras in parts_spec:
        if key == "附件" and not paras:
            continue
        parts.append(Part(key, f"第{cn_number(len(parts) + 1)}部分　{heading}", paras))
    return Narrative(title=f"{unit}", subtitle=f"{year}年度部门决算", parts=parts, missing=w.p.missing, glossary=glossary)
