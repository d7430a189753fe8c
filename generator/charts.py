"""Charts for formats that have them (四川-style 图1–图N): drawn from the figures, put into the .docx.

Two halves, both self-contained:

* drawing — :func:`draw` returns PNG bytes for one chart kind from :class:`~generator.figures.Figures`.
  matplotlib (the optional extra ``charts``) is imported only here, only when a chart is drawn;
  Chinese labels use a CJK font loaded by file path; the PNG carries no timestamp or software
  metadata and a fixed size and dpi, so the same figures give the same bytes (builds stay
  byte-identical).
* the package — a template calls ``{{ 图表('收入结构') }}`` in its own paragraph, which renders to a
  marker (:func:`marker`); :func:`embed_charts` then replaces each marked paragraph of the rendered
  package by the image (an inline ``w:drawing``) and its caption ``图N …（单位：万元）``, numbered in
  document order, and adds the media parts, relationships and the PNG content type. A package
  without markers is returned untouched and nothing is drawn.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from html import escape  # not xml.sax.saxutils: it imports urllib.request, http and ssl (~25 ms a start)
from pathlib import Path

# kind -> caption title
CHARTS = {
    "收支总计变动": "收入支出决算总计变动情况",
    "收入结构": "收入决算结构",
    "支出结构": "支出决算结构",
    "财政拨款收支变动": "财政拨款收入支出决算总计变动情况",
    "一般公共预算财政拨款支出结构": "一般公共预算财政拨款支出决算结构（按功能分类科目“类”）",
}
MARKER = "\u2063图表\u2063"  # invisible separator around the kind: never typed by a person, survives Jinja autoescape
_MARKER_RE = re.compile(re.escape(MARKER) + r"([^\u2063<]+)" + "\u2063")
_PARAGRAPH = re.compile(r"<w:p(?:\s[^>]*)?>(?:(?!<w:p[\s>]).)*?</w:p>", re.S)
FIG_INCHES = (6.0, 3.4)  # 15.2 cm × 8.6 cm: fits an A4 text width
DPI = 200
EMU_PER_INCH = 914400
CJK_FACES = (  # preferred first: simplified-Chinese designs, then pan-CJK collections
    "NotoSansCJKsc-Regular.otf", "NotoSansSC-Regular.otf", "SourceHanSansSC-Regular.otf", "wqy-zenhei.ttc", "wqy-microhei.ttc",
    "NotoSansCJK-Regular.ttc", "SourceHanSans-Regular.ttc", "simhei.ttf", "msyh.ttc", "simsun.ttc", "uming.ttc", "ukai.ttc",
)  # fmt: skip
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts", "/Library/Fonts", "/System/Library/Fonts", "C:/Windows/Fonts")


class ChartUnavailable(Exception):
    """matplotlib or a CJK font is missing, or the chart kind is unknown: the message says what to do."""


def marker(kind: str) -> str:
    """What ``{{ 图表('…') }}`` renders to; an unknown kind is a template error (one clear line)."""
    if kind not in CHARTS:
        raise ValueError(f"未知的图表“{kind}”，可用：{'、'.join(CHARTS)}")
    return f"{MARKER}{kind}\u2063"


# ---- drawing ------------------------------------------------------------------------------------


def cjk_font(dirs: tuple[str, ...] = FONT_DIRS) -> Path:
    """A CJK font file: ``JUESUAN_CHART_FONT`` if set, else the first known face in the system font folders."""
    chosen = os.environ.get("JUESUAN_CHART_FONT")
    if chosen:
        if Path(chosen).is_file():
            return Path(chosen)
        raise ChartUnavailable(f"JUESUAN_CHART_FONT 指定的字体文件不存在：{chosen}")
    found: dict[str, Path] = {}
    for d in dirs:
        root = Path(d).expanduser()
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                found.setdefault(path.name.lower(), path)
    for face in CJK_FACES:
        if face.lower() in found:
            return found[face.lower()]
    raise ChartUnavailable(
        "未找到中文字体，无法绘制图表；请安装中文字体（Debian/Ubuntu：make system-deps，或 apt-get install fonts-noto-cjk fonts-wqy-zenhei）。"
    )


def _money(v: Decimal) -> str:
    return f"{v.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


def _pct(v: Decimal | None) -> str:
    """As the text says it (§5): a positive share that rounds to 0.00% is “不足0.01%”."""
    if v is None:
        return ""
    shown = v.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return "不足0.01%" if v > 0 and shown == 0 else f"{shown}%"


def _series(figures, kind: str) -> tuple[str, list]:
    """(shape, data) of one chart: ("bars", [(label, prior, current)]) or ("pie", [(label, amount, share)])."""

    def changes(names):
        out = []
        for label, key in names:
            ch = figures.changes.get(key)
            if ch is not None and ch.current.value is not None:
                out.append((label, None if ch.prior is None else ch.prior.value, ch.current.value))
        return out

    if kind == "收支总计变动":
        return "bars", changes([("收支总计", "收支总计"), ("本年收入合计", "本年收入合计"), ("本年支出合计", "本年支出合计")])
    if kind == "财政拨款收支变动":
        return "bars", changes([("财政拨款收支总计", "财政拨款收支总计"), ("财政拨款收入", "财政拨款收入"), ("财政拨款支出", "财政拨款支出")])
    if kind == "收入结构":
        parts = [(a.name.split(".", 1)[1], a.value, s.value) for a, s in figures.income_lines]
    elif kind == "支出结构":
        parts = [(a.name.split(".", 1)[1], a.value, s.value) for a, s in figures.spending_parts]
    elif kind == "一般公共预算财政拨款支出结构":
        parts = [(c.path, c.amount.value, c.share.value if c.share else None) for c in figures.classes]
    else:
        raise ChartUnavailable(f"未知的图表“{kind}”，可用：{'、'.join(CHARTS)}")
    return "pie", [p for p in parts if p[1] and p[1].quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) > 0]


def _matplotlib():
    try:
        import matplotlib  # noqa: F401
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.font_manager import FontProperties
    except ImportError:
        raise ChartUnavailable("未安装绘图组件 matplotlib，无法绘制图表；请运行 pip install 'juesuan[charts]'。") from None
    return Figure, FigureCanvasAgg, FontProperties


PALETTE = ("#2F5597", "#C55A11", "#548235", "#BF9000", "#7030A0", "#2E75B6", "#A5A5A5", "#843C0C", "#375623", "#7F6000")


def draw(figures, kind: str, font: Path | None = None) -> bytes:
    """The PNG of one chart; same figures and font → same bytes."""
    Figure, FigureCanvasAgg, FontProperties = _matplotlib()
    prop = FontProperties(fname=str(font or cjk_font()), size=9)
    small = prop.copy()
    small.set_size(8)
    shape, data = _series(figures, kind)
    fig = Figure(figsize=FIG_INCHES, dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    if not data:
        ax.axis("off")
        ax.text(0.5, 0.5, "本年度无此项数据", ha="center", va="center", fontproperties=prop)
    elif shape == "bars":
        width = 0.36
        xs = range(len(data))
        for offset, index, label, color in ((-width / 2, 1, "上年", PALETTE[6]), (width / 2, 2, "本年", PALETTE[0])):
            values = [float(row[index] or 0) for row in data]
            bars = ax.bar([x + offset for x in xs], values, width, label=label, color=color)
            for bar, row in zip(bars, data, strict=False):
                text = "未填" if row[index] is None else _money(row[index])
                top = (bar.get_x() + bar.get_width() / 2, bar.get_height())
                ax.annotate(text, top, ha="center", va="bottom", fontproperties=small, xytext=(0, 2), textcoords="offset points")
        ax.set_xticks(list(xs), [row[0] for row in data], fontproperties=prop)
        ax.tick_params(axis="y", labelsize=8)
        ax.spines[["top", "right"]].set_visible(False)
        ax.margins(y=0.15)
        ax.legend(prop=prop, frameon=False)
    else:
        values = [float(row[1]) for row in data]
        colors = [PALETTE[i % len(PALETTE)] for i in range(len(data))]
        wedges, _ = ax.pie(values, colors=colors, startangle=90, counterclock=False, wedgeprops={"linewidth": 0.8, "edgecolor": "white"})
        labels = [f"{row[0]}  {_money(row[1])}（{_pct(row[2])}）" for row in data]
        ax.legend(wedges, labels, prop=small, frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5))
        ax.set_aspect("equal")
    fig.subplots_adjust(left=0.02 if shape == "pie" else 0.1, right=0.45 if shape == "pie" else 0.97, top=0.95, bottom=0.12)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None})  # no tEXt chunk with the matplotlib version
    return out.getvalue()


# ---- the package ---------------------------------------------------------------------------------

_REL_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_NS_PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
_NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CAPTION_PPR = '<w:pPr><w:jc w:val="center"/></w:pPr>'


def _drawing(rid: str, n: int, name: str, cx: int, cy: int) -> str:
    return (
        f'<w:p><w:pPr><w:keepNext/><w:jc w:val="center"/></w:pPr><w:r><w:drawing>'
        f'<wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{9000 + n}" name="图{n}" descr="{escape(name, quote=False)}"/>'
        f'<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{_NS_A}" noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        f'<a:graphic xmlns:a="{_NS_A}"><a:graphicData uri="{_NS_PIC}">'
        f'<pic:pic xmlns:pic="{_NS_PIC}"><pic:nvPicPr><pic:cNvPr id="{9000 + n}" name="chart{n}.png"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip xmlns:r="{_NS_R}" r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
        f"</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )


def _caption(n: int, title: str, style: str | None) -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/><w:jc w:val="center"/></w:pPr>' if style else _CAPTION_PPR
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">图{n}  {escape(title, quote=False)}（单位：万元）</w:t></w:r></w:p>'


def chart_kinds(document_xml: str) -> list[str]:
    """The chart kinds a rendered document.xml asks for, in document order."""
    return _MARKER_RE.findall(document_xml)


def embed_charts(entries: list[tuple[str, bytes]], draw_png: Callable[[str], bytes], caption_style: str | None = None) -> list[tuple[str, bytes]]:
    """Replace each marked paragraph of the package by its chart and caption (图1, 图2 … in document order).

    ``draw_png(kind)`` gives the PNG of a chart (e.g. ``lambda k: draw(figures, k)``); it is never called
    when the document has no marker, so a format without charts does no chart work.
    """
    files = dict(entries)
    document = files["word/document.xml"].decode("utf-8")
    if MARKER not in document:
        return entries
    media: list[tuple[str, bytes]] = []
    rels: list[str] = []
    cx, cy = int(FIG_INCHES[0] * EMU_PER_INCH), int(FIG_INCHES[1] * EMU_PER_INCH)

    def replace(m: re.Match) -> str:
        para = m.group(0)
        kinds = _MARKER_RE.findall(para)
        if not kinds:
            return para
        out = []
        for kind in kinds:
            n = len(media) + 1
            rid, name = f"rIdJuesuanChart{n}", f"media/juesuan_chart{n}.png"
            media.append((f"word/{name}", draw_png(kind)))
            rels.append(f'<Relationship Id="{rid}" Type="{_REL_IMAGE}" Target="{name}"/>')
            out.append(_drawing(rid, n, CHARTS.get(kind, kind), cx, cy) + _caption(n, CHARTS.get(kind, kind), caption_style))
        return "".join(out)

    document = _PARAGRAPH.sub(replace, document)
    rel_name = "word/_rels/document.xml.rels"
    rel_xml = files[rel_name].decode("utf-8").replace("</Relationships>", "".join(rels) + "</Relationships>")
    types = files["[Content_Types].xml"].decode("utf-8")
    if 'Extension="png"' not in types:
        types = types.replace("<Default ", '<Default Extension="png" ContentType="image/png"/><Default ', 1)
    replaced = {"word/document.xml": document.encode("utf-8"), rel_name: rel_xml.encode("utf-8"), "[Content_Types].xml": types.encode("utf-8")}
    return [(name, replaced.get(name, data)) for name, data in entries] + media


JINJA_GLOBALS = {"图表": marker}  # for the render stage: env.globals.update(JINJA_GLOBALS)


def with_charts(entries: list[tuple[str, bytes]], figures) -> list[tuple[str, bytes]]:
    """The render stage's one call: charts drawn from ``figures`` at the template's markers.

    A missing matplotlib or CJK font is one clear line (InputError), not a traceback; without
    markers nothing is drawn or imported.
    """
    from .errors import InputError

    font: list[Path] = []

    def png(kind: str) -> bytes:
        if not font:
            font.append(cjk_font())
        return draw(figures, kind, font[0])

    try:
        return embed_charts(entries, png)
    except ChartUnavailable as err:
        raise InputError(str(err)) from None


__all__ = ["CHARTS", "ChartUnavailable", "JINJA_GLOBALS", "marker", "cjk_font", "draw", "embed_charts", "chart_kinds", "with_charts"]
