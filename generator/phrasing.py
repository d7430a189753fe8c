"""Auto-phrasing (§5): the wording chosen from the figures, never typed by hand.

Each function here turns figures into a phrase: 增加/减少 and 增长/下降 follow the sign,
equal values read 持平, a zero base reads 上年无此项, a share that rounds to zero reads
不足0.01%. The same functions are registered as Jinja filters for the Word template
(``jinja_filters``), so a template author can write ``{{ x|money }}``.

Figures are embedded in the text with invisible markers (``\\ue000name\\ue001shown\\ue002``)
so that, after rendering, every sentence knows which figures it quotes (trace sidecar,
``diff``); ``Paragraph.parse`` strips them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.numbers import get_decimal_symbol, get_group_symbol

from .figures import Change, Completion, Figure, Figures

ZERO = Decimal(0)
OPEN, SEP, CLOSE = "\ue000", "\ue001", "\ue002"
PENDING = "【待补充："
_MARK = re.compile(f"{OPEN}([^{SEP}]*){SEP}([^{CLOSE}]*){CLOSE}")
_LOCALE = Locale.parse("zh_CN")  # parsed once: a string locale costs ~15x per call
_GROUP, _DECIMAL = get_group_symbol(_LOCALE), get_decimal_symbol(_LOCALE)


@dataclass(frozen=True)
class Settings:
    """The profile's phrasing options."""

    percent_decimals: int = 2
    thousands_in_text: bool = True
    list_zero_items: bool = False


def format_amount(value: Decimal, thousands: bool = True, decimals: int = 2) -> str:
    """2140.775 -> "2,140.78" (ROUND_HALF_UP first, then grouping; babel never rounds here)."""
    q = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if q == 0:
        q = abs(q)
    if not thousands:
        return f"{q:.{decimals}f}".replace(".", _DECIMAL)
    # Python's own grouping on the already-rounded Decimal (exact, ~20x faster than
    # babel.format_decimal per cell); babel supplies zh_CN's separators.
    return f"{q:,.{decimals}f}".translate({ord(","): _GROUP, ord("."): _DECIMAL})


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
        """"2,140.78万元" (or "2140.78万元" per the profile's setting)."""
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
        """"占34.13%"; a tiny share reads "占比不足0.01%" (never "占0.00%")."""
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
    def change(self, ch: Change, noun: str = "支出", *, prior_label: str = "上年", prior_key: str = "") -> str:
        """增加/减少 X万元，增长/下降 Y% · 与上年持平 · 上年无此项 · 均无 · 【待补充】."""
        direction = ch.direction
        if ch.current.value is None:
            return "与上年相比" + self.pending(f"本年{ch.name.removeprefix('其他.')}", "其他事项")
        if direction == "unknown":
            return "与上年相比" + self.pending(f"上年{prior_key or ch.name}决算数", "上年数")
        if direction == "flat":
            return f"与{prior_label}持平"
        if direction == "none":
            return f"{prior_label}和本年均无此项{noun}"
        if direction == "new":
            return f"比{prior_label}增加{self.money(ch.diff)}（{prior_label}无此项{noun}）"
        verb, trend = ("增加", "增长") if direction == "up" else ("减少", "下降")
        return f"比{prior_label}{verb}{self.money(ch.diff)}，{trend}{self.pct(ch.pct)}"

    def change_with_reason(self, ch: Change, reason: str | None, reason_key: str, noun: str = "支出", prior_key: str = "") -> str:
        """The change phrase, followed by its reason when the amount moved."""
        text = self.change(ch, noun, prior_key=prior_key)
        if ch.direction in ("up", "down", "new"):
            text += "，主要原因是" + self.reason(reason, reason_key)
        return text

    def reason(self, text: str | None, key: str, where: str = "说明") -> str:
        """The workbook's reason, normalised once (``reason_text``), or the 【待补充】 marker."""
        normalised = reason_text(text)
        if normalised:
            return normalised
        return self.pending(key, where)

    def completion(self, comp: Completion, *, budget_word: str = "年初预算", reason: str | None = None, reason_key: str = "", reason_where: str = "说明", purpose: str = "") -> str:
        """完成年初预算的Z%；决算数大于/小于年初预算数的主要原因是…／与年初预算数持平."""
        relation = comp.relation
        if relation == "unknown":
            return self.pending(f"{comp.name.removeprefix('项.')}的{budget_word}数", "预算数")
        if relation == "no_budget":
            text = f"年初未安排预算，决算为{self.money(comp.actual)}"
            return text + "，支出的主要原因是" + self.reason(reason, reason_key, reason_where)
        if relation == "equal" and comp.rate is None:
            return f"{budget_word}和决算均为0"
        text = f"完成{budget_word}的{self.pct(comp.rate)}"
        if relation == "equal":
            return text + f"，决算数与{budget_word}数持平"
        word = "大于" if relation == "over" else "小于"
        return text + f"，决算数{word}{budget_word}数的主要原因是" + self.reason(reason, reason_key, reason_where)

    def composition(self, items: list[tuple[str, Figure, Figure | None]], *, share_word: str = "占") -> str:
        """"A X万元，占P%；B Y万元，占Q%" — non-zero items in table order unless the profile lists zeros."""
        parts = []
        for label, amount, share in items:
            if not self.settings.list_zero_items and not (amount.value or ZERO):
                continue
            text = f"{label}{self.money(amount)}"
            if share is not None:
                text += f"，{self.share(share, share_word)}"
            parts.append(text)
        return "；".join(parts)


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
    def parse(cls, marked: str, style: str = "body", key: str = "") -> "Paragraph":
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


def jinja_filters(settings: Settings) -> dict:
    """The phrasing library as Jinja filters, for templates that phrase inline.

    ``{{ fig|money }}`` → "2,140.78万元", ``{{ fig|pct }}`` → "43.91%",
    ``{{ change|change }}`` → "比上年增加…", ``{{ value|amount }}`` → "2,140.78".
    They take Figure/Change/Completion objects and return clean text (no markers).
    """
    phraser = Phraser(Figures(model=None), settings)  # type: ignore[arg-type]

    def clean(fn):
        return lambda *args, **kwargs: Paragraph.parse(fn(*args, **kwargs)).text

    return {
        "money": clean(phraser.money),
        "pct": clean(phraser.pct),
        "count": clean(phraser.count),
        "change": clean(phraser.change),
        "completion": clean(phraser.completion),
        "amount": lambda v: format_amount(v, settings.thousands_in_text) if v is not None else "",
    }
