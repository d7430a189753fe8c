"""Auto-phrasing (§5): the wording chosen from the figures, never typed by hand.

Each Phraser method turns figures into a phrase: 增加/减少 and 增长/下降 follow the sign,
equal values read 持平, a zero base reads 上年无此项, a share that rounds to zero reads
不足0.01%. Each rule lives once, here; the Word template reaches them through thin Jinja
filters (``template_filters``: ``{{ 收入总计|money }}``, ``{{ 变动.X|change(lead='比上年') }}``).

Figures are embedded in the text with invisible markers (``\\ue000name\\ue001shown\\ue002``)
so that, after rendering, every sentence knows which figures it quotes (trace sidecar,
``diff``); ``Paragraph.parse`` strips them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from .figures import Change, Completion, Figure, Figures
from .locale_symbols import separators

ZERO = Decimal(0)
OPEN, SEP, CLOSE = "\ue000", "\ue001", "\ue002"
PENDING = "【待补充："
_MARK = re.compile(f"{OPEN}([^{SEP}]*){SEP}([^{CLOSE}]*){CLOSE}")


@dataclass(frozen=True)
class Settings:
    """The profile's phrasing options."""

    percent_decimals: int = 2
    thousands_in_text: bool = True
    list_zero_items: bool = False
    list_numbering: str = "1．"  # the third-level number's form: "1．" "1、" or "1."
    terms: tuple[tuple[str, str], ...] = ()  # the format's names for standard terms (2018: 公务用车购置及运行费)

    def term(self, name: str) -> str:
        """A standard name as this format words it."""
        return dict(self.terms).get(name, name)

    def in_terms(self, text: str) -> str:
        """A text with every standard name in this format's wording (longest names first)."""
        for name, own in sorted(self.terms, key=lambda t: -len(t[0])):
            text = text.replace(name, own)
        return text


def format_amount(value: Decimal, thousands: bool = True, decimals: int = 2) -> str:
    """2140.775 -> "2,140.78" (ROUND_HALF_UP first, then grouping; babel never rounds here)."""
    return _formatted(value, thousands, decimals, *separators())


@lru_cache(maxsize=4096, typed=True)
def _formatted(value: Decimal, thousands: bool, decimals: int, group: str, decimal: str) -> str:
    """``format_amount``, remembered: every table cell passes here, and 0.00 and the totals repeated
    from table to table are most of them (equal Decimals print alike: 1.0 and 1.00 are both "1.00")."""
    q = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if q == 0:
        q = abs(q)
    if not thousands:
        return f"{q:.{decimals}f}".replace(".", decimal)
    # Python's own grouping on the already-rounded Decimal (exact, ~20x faster than
    # babel.format_decimal per cell); babel supplies zh_CN's separators (locale_symbols).
    return f"{q:,.{decimals}f}".translate({ord(","): group, ord("."): decimal})


def strip_end(text: str) -> str:
    return text.strip().rstrip("。；;，,. ")


_LEADS = ("主要是用于", "主要用于", "主要是", "主要为", "用于")


def purpose_text(text: str) -> str:
    """A workbook's purpose text, ready to follow our own "主要用于": no doubled lead words."""
    text = strip_end(text)
    for lead in _LEADS:
        if text.startswith(lead):
            return text[len(lead) :].lstrip("：:，, ")
    return text


# Lead words a workbook reason may start with; our sentence already says "主要原因是".
# "因" and "系" are not stripped before a character that makes them part of a word (因公出国, 系统).
_REASON_LEAD = re.compile(
    r"^(?:"
    r"[^，。；：:]{0,24}?的主要原因(?:是|为)?[：:，,]?"  # "决算数小于预算数的主要原因：…"
    r"|主要原因(?:是|为)?[：:，,]?|原因(?:是|为)[：:，,]?"
    r"|主要是由于|主要是因为|主要是因|主要由于|主要因为|主要因|主要是|主要系"
    r"|是由于|是因为|是因|由于|因为|因(?![公此私而素])|系(?![统列数])"
    r")\s*"
)
_REASON_END = "。；;，,.．、！!？? \t\n"


def reason_text(text: str | None) -> str:
    """A workbook reason ready to follow our "主要原因是": lead words and end punctuation stripped.

    Applied where a reason enters a sentence (``Phraser.reason``); idempotent, so "主要原因是由于…"
    and "因…。" both come out as "…" and no doubled lead word can reach the text.
    """
    text = (text or "").strip()
    while True:
        m = _REASON_LEAD.match(text)
        if not m or m.end() == 0 or m.end() >= len(text):
            break
        text = text[m.end() :].lstrip("：:，, ")
    return text.rstrip(_REASON_END)


@dataclass
class Missing:
    """Something the text needs but the workbook lacks, and where to fill it in."""

    what: str
    where: str


@dataclass
class Phraser:
    figures: Figures
    settings: Settings = field(default_factory=Settings)
    missing: list[Missing] = field(default_factory=list)

    # ---- figures -------------------------------------------------------------------------
    def mark(self, fig: Figure, shown: str) -> str:
        return f"{OPEN}{fig.name}{SEP}{shown}{CLOSE}"

    def money(self, fig: Figure | str) -> str:
        """ "2,140.78万元" (or "2140.78万元" per the profile's setting)."""
        fig = self._fig(fig)
        if fig.value is None:
            return self.pending(fig.name.removeprefix("其他."), "其他事项")
        return self.mark(fig, format_amount(fig.value, self.settings.thousands_in_text) + "万元")

    def count(self, fig: Figure | str, unit: str = "") -> str:
        fig = self._fig(fig)
        if fig.value is None:
            return self.pending(fig.name.removeprefix("其他."), "其他事项")
        return self.mark(fig, f"{fig.value.normalize():f}{unit}")  # 86.500000 (a float cell) -> 86.5, 1E+2 -> 100

    def pct(self, fig: Figure | str) -> str:
        """Share or rate: ROUND_HALF_UP; a nonzero value that rounds to zero reads 不足0.01%."""
        fig = self._fig(fig)
        if fig.value is None:
            return self.pending(fig.name, "")
        d = self.settings.percent_decimals
        q = fig.value.quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP)
        if q == 0 and fig.value != 0:
            smallest = Decimal(1).scaleb(-d)
            return self.mark(fig, f"不足{smallest}%")
        return self.mark(fig, f"{abs(q) if q == 0 else q}%")

    def share(self, fig: Figure | str, word: str = "占") -> str:
        """ "占34.13%"; a tiny share reads "占比不足0.01%" (never "占0.00%")."""
        text = self.pct(fig)
        return ("占比" if "不足" in text else word) + text

    def _fig(self, fig: Figure | str) -> Figure:
        return self.figures.get(fig) if isinstance(fig, str) else fig

    def pending(self, what: str, where: str) -> str:
        """The visible 【待补充】 marker of a draft; the item is listed for --final and check."""
        self.missing.append(Missing(what, where))
        place = f"（“{where}”工作表）" if where else ""
        return f"{PENDING}{what}{place}】"

    # ---- patterns ------------------------------------------------------------------------
    def change(self, ch: Change, noun: str = "支出", *, prior_label: str = "上年", prior_key: str = "", lead: str | None = None) -> str:
        """增加/减少 X万元，增长/下降 Y% · 与上年持平 · 上年无此项 · 均无 · 【待补充】.

        ``lead`` is the comparison phrase the template chooses: by default "比上年" before the
        verb; "与2023年度相比，" gives "与2023年度相比，增加…".
        """
        direction = ch.direction
        lead = f"比{prior_label}" if lead is None else lead
        if ch.current.value is None:
            return "与上年相比" + self.pending(f"本年{ch.name.removeprefix('其他.')}", "其他事项")
        if direction == "unknown":
            return "与上年相比" + self.pending(f"上年{prior_key or ch.name}决算数", "上年数")
        if direction == "flat":
            return f"与{prior_label}持平"
        if direction == "none":
            return f"{prior_label}和本年均无此项{noun}"
        if direction == "new":
            return f"{lead}增加{self.money(ch.diff)}（{prior_label}无此项{noun}）"
        verb, trend = ("增加", "增长") if direction == "up" else ("减少", "下降")
        return f"{lead}{verb}{self.money(ch.diff)}，{trend}{self.pct(ch.pct)}"

    def change_with_reason(self, ch: Change, reason: str | None, reason_key: str, noun: str = "支出", prior_key: str = "", **kw) -> str:
        """The change phrase, followed by its reason when the amount moved."""
        text = self.change(ch, noun, prior_key=prior_key, **kw)
        if ch.direction in ("up", "down", "new"):
            text += "，主要原因是" + self.reason(reason, reason_key)
        return text

    def reason(self, text: str | None, key: str, where: str = "说明") -> str:
        """The workbook's reason, normalised once (``reason_text``), or the 【待补充】 marker."""
        normalised = reason_text(text)
        if normalised:
            return normalised
        return self.pending(key, where)

    def completion(
        self, comp: Completion, *, budget_word: str = "年初预算", reason: str | None = None, reason_key: str = "", reason_where: str = "说明", purpose: str = ""
    ) -> str:
        """完成年初预算的Z%；决算数大于/小于年初预算数的主要原因是…／与年初预算数持平."""
        relation = comp.relation
        if relation == "unknown":
            return self.pending(f"{comp.name.removeprefix('项.')}的{budget_word}数", "预算数")
        if relation == "no_budget":
            # the reason explains why money was spent at all: the same clause as any over-spending
            unplanned = "年初未安排预算" if budget_word == "年初预算" else f"未安排{budget_word}"
            text = f"{unplanned}，支出决算为{self.money(comp.actual)}"
            return text + f"，决算数大于{budget_word}数的主要原因是" + self.reason(reason, reason_key, reason_where)
        if relation == "equal" and comp.rate is None:
            return f"{budget_word}和决算均为0"
        text = f"完成{budget_word}的{self.pct(comp.rate)}"
        if relation == "equal":
            return text + f"，决算数与{budget_word}数持平"
        word = "大于" if relation == "over" else "小于"
        return text + f"，决算数{word}{budget_word}数的主要原因是" + self.reason(reason, reason_key, reason_where)

    def composition(self, items: list[tuple[str, Figure, Figure | None]], *, share_word: str = "占", label_suffix: str = "", sep: str = "；") -> str:
        """ "A X万元，占P%；B Y万元，占Q%" — non-zero items in table order unless the profile lists zeros."""
        parts = []
        for label, amount, share in items:
            if not self.settings.list_zero_items and not (amount.value or ZERO):
                continue
            text = f"{label}{label_suffix}{self.money(amount)}"
            if share is not None:
                text += f"，{self.share(share, share_word)}"
            parts.append(text)
        return sep.join(parts)


# ---- after rendering: markers -> clean text with spans ----------------------------------------


@dataclass
class Span:
    start: int
    end: int
    figure: str


@dataclass
class Paragraph:
    """A finished paragraph: clean text, the figures it quotes (by position), its style."""

    text: str
    style: str = "body"  # title | part | h1 | h2 | h3 | body | note
    spans: list[Span] = field(default_factory=list)
    key: str = ""  # stable identity for diff: "三.五.(三).3"

    @classmethod
    def parse(cls, marked: str, style: str = "body", key: str = "") -> Paragraph:
        out, spans, pos = [], [], 0
        last = 0
        for m in _MARK.finditer(marked):
            out.append(marked[last : m.start()])
            pos += m.start() - last
            shown = m.group(2)
            spans.append(Span(pos, pos + len(shown), m.group(1)))
            out.append(shown)
            pos += len(shown)
            last = m.end()
        out.append(marked[last:])
        return cls("".join(out), style, spans, key)

    def sentences(self) -> list[tuple[str, list[Span]]]:
        """The paragraph cut at 。 with the spans that fall in each sentence."""
        result, start = [], 0
        for i, ch in enumerate(self.text):
            if ch == "。" or i == len(self.text) - 1:
                end = i + 1
                sentence = self.text[start:end].strip()
                if sentence:
                    result.append((sentence, [s for s in self.spans if start <= s.start < end]))
                start = end
        return result


PHRASER = " phraser"  # the context key of the document's Phraser: a space makes it unreachable from a template


def _unwrap(value):
    """A template value -> Figure/Change/Completion: names resolve to the figure they name."""
    return getattr(value, "fig", value) if value is not None and not isinstance(value, (str, Decimal)) else value


def template_filters() -> dict:
    """The phrasing library as Jinja filters: thin wrappers, each §5 rule stays in Phraser.

    Each filter finds the document's Phraser in the render context (so the missing items of
    this document are collected) and returns marked text; see README “制作自己的格式”.
    """
    from jinja2 import Undefined, pass_context

    def wrap(method: str, adapt=None):
        @pass_context
        def apply(ctx, value, *args, **kwargs):
            phraser: Phraser = ctx[PHRASER]
            value = _unwrap(value)
            if value is None or isinstance(value, Undefined):  # a name the workbook does not give
                return phraser.pending("（模板引用的数字不存在）", "")
            if adapt:
                return adapt(phraser, value, *args, **kwargs)
            return getattr(phraser, method)(value, *args, **kwargs)

        return apply

    def reasons(phraser: Phraser) -> dict:
        return {k: e.text for k, e in phraser.figures.model.reasons.items()}

    def change_with_reason(p: Phraser, ch, reason_key: str, noun: str = "支出", prior_key: str = "", lead: str | None = None, prior_label: str = "上年"):
        return p.change_with_reason(ch, reasons(p).get(reason_key), reason_key, noun, prior_key, lead=lead, prior_label=prior_label)

    def completion(p: Phraser, comp, reason_key: str = "", reason_where: str = "说明", budget_word: str = "年初预算", reason: str | None = None):
        if reason is None and reason_key:
            reason = reasons(p).get(reason_key)
        return p.completion(comp, budget_word=budget_word, reason=reason or None, reason_key=reason_key, reason_where=reason_where)

    def composition(p: Phraser, items, share_word: str = "占", label_suffix: str = "", sep: str = "；"):
        return p.composition([(label, _unwrap(a), _unwrap(s)) for label, a, s in items], share_word=share_word, label_suffix=label_suffix, sep=sep)

    return {
        "money": wrap("money"),
        "pct": wrap("pct"),
        "share": wrap("share"),
        "count": wrap("count"),
        "change": wrap("change"),
        "change_with_reason": wrap("", change_with_reason),
        "completion": wrap("", completion),
        "composition": wrap("", composition),
        "purpose": lambda text: purpose_text(text) if text else "",
        "amount": lambda v, thousands=True: format_amount(_unwrap(v).value if hasattr(_unwrap(v), "value") else v, thousands) if v is not None else "",
    }


FILTER_DOCS = {
    "money": ("金额", "{{ 收入总计|money }} → 3,058.79万元（千分位按格式设置；缺数时为【待补充】）"),
    "pct": ("百分比", "{{ 一般公共预算财政拨款支出.占本年支出合计|pct }} → 94.24%（四舍五入；非零而不足0.01%时写“不足0.01%”）"),
    "share": ("占比", "{{ 人员经费.占一般公共预算财政拨款基本支出|share }} → 占82.10%；share('占政府采购支出总额的') 换前导词"),
    "count": ("个数", "{{ 其他.公务用车保有量|count('辆') }} → 3辆"),
    "change": (
        "与上年比较",
        "{{ 变动.本年收入合计|change('收入') }} → 比上年增加X万元，增长Y% / 与上年持平 / 比上年增加X万元（上年无此项收入）；lead='与2023年度相比，' 换比较用语",
    ),
    "change_with_reason": (
        "比较并说明原因",
        "{{ 变动.收支总计|change_with_reason('收支总计变动原因', '收支', '收支总计') }}：有增减时接“主要原因是…”（原因取自“说明”表，缺少时为【待补充】）",
    ),
    "completion": (
        "预算完成情况",
        "{{ 完成.一般公共预算财政拨款支出|completion('一般公共预算财政拨款预决算差异原因') }} → 完成年初预算的Z%，决算数大于/小于年初预算数的主要原因是…／决算数与年初预算数持平；"
        "年初预算为 0 时：年初未安排预算，支出决算为X万元，决算数大于年初预算数的主要原因是…",
    ),
    "composition": ("构成列表", "{{ 收入构成|composition }} → A X万元，占P%；B …（按表中顺序，为零的项目按格式设置省略）"),
    "purpose": ("用途文字", "{{ 说明.会议费用途|purpose }}：去掉“主要用于”等重复的引导词"),
    "amount": ("表格金额", "{{ x|amount }} → 2,140.78（不带单位）"),
}
