"""The printed document: the 目录 with its entries and page numbers, table finishing, fonts.

``finish`` runs on every rendered .docx (no LibreOffice needed): it fills the TOC field with
the document's headings (parts, 一级 sections and table titles: every paragraph whose outline
level is 1 or 2), each a link to a bookmark on its heading with a PAGEREF field, each entry
sized to stand on one line; merges the code and name cells of 合计/总计 rows and moves 金额单位
to the right tab stop; gives a table wider than its portrait page (the 附件 项目支出绩效自评结果表)
a landscape section; sets a table a few rows too long for its page closer; lets short tables
share a page. These page decisions rest on an estimate of the heights (``table_height``), measured
against LibreOffice; tables that fit keep their rows together, so an estimate that is off moves
a table to the next page whole, never splits it. Without page numbers Word fills them when the
file is opened (``w:updateFields``).

``paginate_many`` puts the page numbers in: it lays documents out with a "docx → pdf" callable
(:class:`generator.pdf.Converter`, the one place that starts LibreOffice), finds each heading's page
(pdftotext, page by page), writes the numbers into the TOC and lays out again only the documents
whose numbers changed, until they hold; the returned PDF carries the same numbers. It runs when a
PDF is asked for (``build --pdf``, ``batch --pdf``), so a plain build stays fast and needs nothing
but Python. ``font_env`` and ``for_libreoffice`` are what the converter needs to lay the pages out
as Word would.
"""

from __future__ import annotations

import copy
import functools
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .files import Member, member, read_members, remember, vouch, zip_bytes
from .keys import cn_number
from .official_look import (
    COMPACT_LINE,
    COMPACT_SIZE,
    COMPACT_STYLE,
    PORTRAIT_WIDTH,
    PPR_ORDER,
    RPR_ORDER,
    TABLE_LINE,
    TBLPR_ORDER,
    TOC_INSTR,
    TOC_SIZE,
    TOC_STYLES,
    _sect_pr,
    _section_break,
    _set,
    _sort,
    _text,
    style_ids,
    w,
)

FONTS_CONF = Path(__file__).resolve().parent / "fonts" / "fonts.conf"
BOOKMARK = "_Toc9"  # Word hides bookmarks whose name starts with _Toc
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


@dataclass
class Entry:
    text: str  # the heading as it stands in the body (what the PDF's pages are searched for)
    level: int  # 0 = part, 1 = section or table
    bookmark: str
    label: str = ""  # the line in the 目录 ("一、收入支出决算总表" for a table), where it differs

    @property
    def shown(self) -> str:
        return self.label or self.text


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)


def _parse(blob: bytes):
    return etree.fromstring(blob, _PARSER)


@dataclass(frozen=True)
class StyleInfo:
    """What ``finish`` needs of styles.xml: style ids by name and outline levels by style id."""

    ids: dict[str, str]
    levels: dict[str, int]
    sizes: dict[str, float] = field(default_factory=dict)  # style id → type size (pt), where the style sets one
    lines: dict[str, float] = field(default_factory=dict)  # style id → exact line height (pt), where the style sets one

    def id(self, name: str, default: str | None = None) -> str:
        return self.ids.get(name, default or name)


_STYLE_INFO: dict[tuple[int, int], tuple[bytes, StyleInfo]] = {}


def style_info(member: Member) -> StyleInfo:
    """The styles of a template, read once per process (styles.xml is 360 kB and never changes
    between the documents of a template): keyed by the part's CRC and size, checked on its bytes;
    a new process takes it from the template cache (``_stored_style_info``)."""
    key = (member.crc, member.size)
    hit = _STYLE_INFO.get(key)
    if hit is not None and hit[0] == member.deflated:
        return hit[1]
    info = _stored_style_info(member)
    remember(_STYLE_INFO, key, (member.deflated, info), 16)
    return info


_STYLE_FIELDS = {"ids": str, "levels": int, "sizes": float, "lines": float}


def _stored_style_info(member: Member) -> StyleInfo:
    """``style_info`` across processes: kept in the template cache (folder "styles", keyed by the part's
    bytes and the program), so a single `build` does not parse styles.xml again. An entry that is not
    four maps of style ids to values of the right types is ignored and written again."""
    from . import template_cache

    key = template_cache.entry_key(member.deflated, "style info")
    hit = template_cache.load(key, "styles")
    if hit is not None and _well_typed(hit[0]):
        return StyleInfo(hit[0]["ids"], hit[0]["levels"], hit[0]["sizes"], hit[0]["lines"])
    root = _parse(member.data())
    info = StyleInfo(style_ids(root), _outline_levels(root), _sizes(root), _exact_lines(root))
    data = {"ids": info.ids, "levels": info.levels, "sizes": info.sizes, "lines": info.lines}
    if _well_typed(data):  # a style without a name or id (None) would not come back from JSON as it went in
        template_cache.store(key, data, None, "styles")
    return info


def _well_typed(data: dict) -> bool:
    return all(isinstance(data.get(f), dict) and all(isinstance(k, str) and type(v) is t for k, v in data[f].items()) for f, t in _STYLE_FIELDS.items())


def _sizes(styles_root) -> dict[str, float]:
    out = {}
    for st in styles_root.iter(w("style")):
        sz = st.find(f"{w('rPr')}/{w('sz')}")
        if sz is not None and (sz.get(w("val")) or "").isdigit():
            out[st.get(w("styleId"))] = int(sz.get(w("val"))) / 2
    return out


def _exact_lines(styles_root) -> dict[str, float]:
    out = {}
    for st in styles_root.iter(w("style")):
        sp = st.find(f"{w('pPr')}/{w('spacing')}")
        if sp is not None and sp.get(w("lineRule")) == "exact" and (sp.get(w("line")) or "").isdigit():
            out[st.get(w("styleId"))] = int(sp.get(w("line"))) / 20
    return out


def _outline_levels(styles_root) -> dict[str, int]:
    """Style id → outline level (following basedOn)."""
    direct, based = {}, {}
    for st in styles_root.iter(w("style")):
        sid = st.get(w("styleId"))
        lvl = st.find(f"{w('pPr')}/{w('outlineLvl')}")
        if lvl is not None:
            direct[sid] = int(lvl.get(w("val")))
        b = st.find(w("basedOn"))
        if b is not None:
            based[sid] = b.get(w("val"))
    out = {}
    for sid in set(direct) | set(based):
        cur, seen = sid, set()
        while cur is not None and cur not in direct and cur not in seen:
            seen.add(cur)
            cur = based.get(cur)
        if cur in direct:
            out[sid] = direct[cur]
    return out


_P, _T, _BR, _TAB, _TR, _TC = w("p"), w("t"), w("br"), w("tab"), w("tr"), w("tc")
_PPR, _PSTYLE, _SECTPR, _OUTLINE, _KEEP_NEXT = w("pPr"), w("pStyle"), w("sectPr"), w("outlineLvl"), w("keepNext")
_SPACING, _VAL, _LINE = w("spacing"), w("val"), w("line")


def _first_child(el, tag):
    """``el.find(tag)`` by lxml's C child iteration (``find`` walks in Python, several times slower: the
    finishing asks this of thousands of paragraphs)."""
    for child in el.iterchildren(tag):
        return child
    return None


def _first_grandchild(el, tag: str, sub: str):
    """``el.find("tag/sub")`` likewise: the first ``sub`` of any ``tag`` child, in document order."""
    for child in el.iterchildren(tag):
        for found in child.iterchildren(sub):
            return found
    return None


def _pstyle(p) -> str | None:
    ps = _first_grandchild(p, _PPR, _PSTYLE)
    return ps.get(_VAL) if ps is not None else None


def _level(p, levels: dict[str, int]) -> int | None:
    ppr = _first_child(p, _PPR)
    if ppr is None:
        return None
    lvl = _first_child(ppr, _OUTLINE)
    if lvl is not None:
        return int(lvl.get(_VAL))
    ps = _first_child(ppr, _PSTYLE)
    return levels.get(ps.get(_VAL)) if ps is not None else None


def _toc_span(body) -> tuple[int, int] | None:
    """Indexes (first, last) of the body paragraphs holding the TOC field."""
    children = list(body)
    for i, el in enumerate(children):
        if el.tag == w("p") and any(" TOC " in (t.text or "") for t in el.iter(w("instrText"))):
            depth = 0
            for j in range(i, len(children)):
                for fc in children[j].iter(w("fldChar")):
                    kind = fc.get(w("fldCharType"))
                    depth += 1 if kind == "begin" else -1 if kind == "end" else 0
                    if depth == 0:
                        return i, j
            return i, len(children) - 1
    return None


def _run(text: str | None = None, fld: str | None = None, instr: str | None = None, tab: bool = False):
    r = etree.Element(w("r"))
    if fld:
        etree.SubElement(r, w("fldChar")).set(w("fldCharType"), fld)
    elif instr is not None:
        t = etree.SubElement(r, w("instrText"))
        t.set(XML_SPACE, "preserve")
        t.text = instr
    elif tab:
        etree.SubElement(r, w("tab"))
    else:
        t = etree.SubElement(r, w("t"))
        t.set(XML_SPACE, "preserve")
        t.text = text
    return r


_ORDINAL = re.compile(r"^[一二三四五六七八九十百]+、")


def _numbered(p, previous, number: str, title: str) -> bool:
    """A table title: its 表号 ("公开01表") stands right above it, or right below it when no
    other title follows that 表号."""

    def style(el):
        return _pstyle(el) if el is not None and el.tag == w("p") else None

    nxt = p.getnext()
    return style(previous) == number or (style(nxt) == number and style(nxt.getnext()) != title)


def _headings(body, info: StyleInfo, span: tuple[int, int] | None) -> list[tuple[object, int, str]]:
    """(paragraph, level, 目录 label) of each heading of level 0 or 1 outside the 目录.

    A table title (决算表题 right after its 决算表号 "公开01表") is listed as in the official
    目录: numbered within its part, "一、收入支出决算总表"."""
    out = []
    number, title = info.id("决算表号"), info.id("决算表题")
    count, previous = 0, None
    for i, p in enumerate(body):
        if p.tag != w("p") or (span and span[0] <= i <= span[1]):
            previous = p
            continue
        lvl = _level(p, info.levels)
        text = _heading_text(p).strip() if lvl is not None and lvl <= 1 else ""
        if text:
            label = ""
            if lvl == 0:
                count = 0
            elif _pstyle(p) == title and _numbered(p, previous, number, title):
                count += 1
                label = "" if _ORDINAL.match(text) else f"{cn_number(count)}、{text}"
            out.append((p, lvl, label))
        previous = p
    return out


def _bookmark(p, name: str, n: int) -> None:
    ours = set()
    for b in list(p.iter(w("bookmarkStart"))):
        if (b.get(w("name")) or "").startswith(BOOKMARK):
            ours.add(b.get(w("id")))
            b.getparent().remove(b)
    for b in list(p.iter(w("bookmarkEnd"))):
        if b.get(w("id")) in ours:
            b.getparent().remove(b)
    start = etree.Element(w("bookmarkStart"))
    start.set(w("id"), f"9{n:04d}")
    start.set(w("name"), name)
    end = etree.Element(w("bookmarkEnd"))
    end.set(w("id"), f"9{n:04d}")
    ppr = p.find(w("pPr"))
    (ppr.addnext(start) if ppr is not None else p.insert(0, start))
    p.append(end)


TOC_MIN_SIZE = 10.5  # 五号: a 目录 entry shrinks no further (a unit name of 25 characters and more then wraps)
TOC_LEADER = 2  # characters of dots at least between an entry and its page number
TOC_NUMBER = 3  # digits the page number may take


def toc_size(text: str, level: int, size: float = TOC_SIZE) -> float:
    """The type size at which a 目录 entry stands on one line with at least ``TOC_LEADER`` characters of
    dots and room for a three-digit page number: the style's size, else smaller in half points down to
    五号. "第三部分　益阳市智慧城市和大数据中心2020年度部门决算情况说明" is about 30 em: 14 pt would need 420 pt
    for the text alone; a 三号/四号 entry that long broke its leader ("情况说明. .15") or wrapped."""
    indent = dict(TOC_STYLES.values()).get(f"TOC{level + 1}", 2 * level)

    def room(pt: float) -> float:
        return PORTRAIT_WIDTH / 20 - (indent + TOC_LEADER) * pt - TOC_NUMBER * 0.65 * pt

    need = text_width(text, size)
    if need <= room(size):
        return size
    fit = size
    while fit > TOC_MIN_SIZE and text_width(text, fit) > room(fit):
        fit -= 0.5
    return fit


def _entry_paragraph(entry: Entry, page: int | None, style_id: str, first: bool, last: bool, size: float = TOC_SIZE):
    p = etree.Element(w("p"))
    etree.SubElement(etree.SubElement(p, w("pPr")), w("pStyle")).set(w("val"), style_id)
    if first:
        p.extend([_run(fld="begin"), _run(instr=TOC_INSTR), _run(fld="separate")])
    link = etree.SubElement(p, w("hyperlink"))
    link.set(w("anchor"), entry.bookmark)
    link.set(w("history"), "1")
    text = _run(entry.shown)
    fit = toc_size(entry.shown, entry.level, size)
    if fit < size:
        rpr = etree.Element(w("rPr"))
        _set(rpr, "sz", val=int(fit * 2))
        _set(rpr, "szCs", val=int(fit * 2))
        text.insert(0, rpr)
    link.extend([text, _run(tab=True), _run(fld="begin"), _run(instr=f" PAGEREF {entry.bookmark} \\h "), _run(fld="separate")])
    if page is not None:
        link.append(_run(str(page)))
    link.append(_run(fld="end"))
    if last:
        p.append(_run(fld="end"))
    return p


def _fill_toc(body, info: StyleInfo, pages: list[int | None] | None) -> list[Entry]:
    span = _toc_span(body)
    if span is None:
        return []
    entries = []
    for n, (p, lvl, label) in enumerate(_headings(body, info, span), 1):
        name = f"{BOOKMARK}{n:04d}"
        _bookmark(p, name, n)
        entries.append(Entry(re.sub(r"\s+", " ", _heading_text(p)).strip(), lvl, name, label))
    children = list(body)
    anchor = children[span[0]]
    first, second = info.ids.get("toc 1", "TOC1"), info.ids.get("toc 2", "TOC2")
    for entry_index, entry in enumerate(entries):
        page = pages[entry_index] if pages and entry_index < len(pages) else None
        style = first if entry.level == 0 else second
        last = entry_index == len(entries) - 1
        anchor.addprevious(_entry_paragraph(entry, page, style, entry_index == 0, last, info.sizes.get(style, TOC_SIZE)))
    if entries:
        for el in children[span[0] : span[1] + 1]:
            body.remove(el)
    return entries


def _drop_empty_body(body, info: StyleInfo) -> None:
    """A 正文 paragraph a template sentence left empty (its condition false, its text blank) would
    print as a blank line in the middle of a section: it goes. Only runs of empty text qualify —
    a paragraph with a field, a picture, a bookmark or a section break stays."""
    sid = info.id("决算正文")
    for p in list(body.iterchildren(w("p"))):
        if _pstyle(p) != sid or any((t.text or "").strip() for t in p.iter(w("t"))):
            continue
        if all(el.tag == w("pPr") or (el.tag == w("r") and all(c.tag in (w("rPr"), w("t")) for c in el)) for el in p):
            if p.find(f"{w('pPr')}/{w('sectPr')}") is None:
                body.remove(p)


def _heading_text(p) -> str:
    """A heading's text, a line break read as the space it stands for ("第二部分　…")."""
    return "".join((el.text or "") if el.tag == w("t") else "\u3000" for el in p.iter(w("t"), w("br")))


# ---- line widths (an estimate: the layout engine decides, these rules only need to be safe) ----------

# CJK characters, full-width forms and the quotes and dashes set full width (one pattern: each compiled
# character class over these ranges costs milliseconds at every start)
_WIDE_RUN = re.compile("[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef\u201c\u201d\u2018\u2019\u2014\u2026]+")


def text_width(text: str, size: float) -> float:
    """Points ``text`` takes at ``size``: a CJK character one em, a Latin one about two thirds,
    plus the quarter em LibreOffice and Word put between CJK and Latin runs."""
    return size * _ems(text)


@functools.lru_cache(maxsize=8192)
def _ems(text: str) -> float:
    """``text_width`` in ems (a table's cells repeat: "0.00", the 科目 names — each is measured once).
    Counted run by run of CJK, not per character: every table cell of every document passes here. A
    switch between CJK and Latin counts where the character after it is not a space."""
    if text.isascii():  # figures and codes: no CJK, so no switches
        return 0.65 * len(text)
    wide = switches = 0
    for run in _WIDE_RUN.finditer(text):
        start, end = run.span()
        wide += end - start
        switches += (start > 0 and not text[start].isspace()) + (end < len(text) and not text[end].isspace())
    return wide + 0.65 * (len(text) - wide) + 0.25 * switches


_PART = re.compile(r"^(第[一二三四五六七八九十]+部分)[\u3000 ]+(\S.*)$")
PART_MIN_SIZE = 14.0  # 四号: a part title shrinks no further (a longer one wraps)


def _part_breaks(body, info: StyleInfo) -> None:
    """A part heading too long for one line breaks after "第X部分" (never inside a word); a title
    still too long for its line is set smaller, down to 四号."""
    sid = info.id("决算部分")
    size = info.sizes.get(sid, 16.0)
    line = PORTRAIT_WIDTH / 20 - size  # one character of slack: the estimate must not overshoot
    for p in body.iterchildren(w("p")):
        if _pstyle(p) != sid or p.find(f".//{w('br')}") is not None:
            continue
        ts = list(p.iter(w("t")))
        m = _PART.match(ts[0].text or "") if len(ts) == 1 else None
        if not m or text_width(ts[0].text, size) <= line:
            continue
        t, title = ts[0], m.group(2)
        t.text = m.group(1)
        br, rest = etree.Element(w("br")), etree.Element(w("t"))
        rest.text = title
        t.addnext(br)
        br.addnext(rest)
        need = text_width(title, size)
        if need > line:
            fit = max(PART_MIN_SIZE, int(2 * size * line / need) / 2)
            r = t.getparent()
            rpr = r.find(w("rPr"))
            if rpr is None:
                rpr = etree.Element(w("rPr"))
                r.insert(0, rpr)
            _set(rpr, "sz", val=int(fit * 2))
            _set(rpr, "szCs", val=int(fit * 2))


# ---- tables ------------------------------------------------------------------------------------

CELL_PADDING = 2 * 57 / 20  # pt: the cells' left and right margins
ROW_RULE = 0.5  # pt: a row's border (w:sz 4 = ½ pt; LibreOffice pitches a row of exact 10.5 pt lines at 11.0 pt)
TABLE_HEAD = 64.0  # pt: 表号, 表题 and the 编制单位 line above a table (LibreOffice: 65 pt from the page top to the header row)
SINGLE_LINE = 1.45  # a "single" line of a CJK face in LibreOffice, in type sizes (Noto CJK: ascent + descent)
_LEAD = re.compile(r"([：:]|^附件\s*\d*)$")
NOTE_LINE = 16.0  # pt: a 注 line below it (LibreOffice: 16 pt apart)


_TCW, _W, _TYPE = w("tcW"), w("w"), w("type")
_SZ, _SZ_CS = w("sz"), w("szCs")


Cells = list[tuple[int | None, tuple[float, ...]]]  # a row's cells: width in twips (None: not in twips), ems of each line piece


def _row_cells(tr) -> Cells:
    """The row's cells as the height estimate needs them: each one's width and the width in ems of each
    piece of its paragraphs (a break or tab starts a piece). lxml's C filters do the walking: a paragraph
    without a break or tab (nearly all) is one join of its texts."""
    cells: Cells = []
    for tc in tr.iterchildren(_TC):
        tcw = next(tc.iter(_TCW), None)
        width = int(tcw.get(_W, "0")) if tcw is not None and tcw.get(_TYPE) == "dxa" else None
        pieces: list[float] = []
        for p in tc.iter(_P):
            if next(p.iter(_BR, _TAB), None) is None:
                text = "".join(p.itertext(_T, with_tail=False))
            else:
                text = "".join((el.text or "") if el.tag == _T else "\n" for el in p.iter(_T, _BR, _TAB))
            pieces.extend(_ems(piece) for piece in text.split("\n"))
        cells.append((width, tuple(pieces)))
    return cells or [(None, ())]


_WRAPPERS = (w("tbl"), w("sdt"), w("customXml"))  # a nested table or a wrapped row or cell: read row by row
_WALK = (_TR, _TC, _TCW, _P, _T, _BR, _TAB)


def _table_cells(tbl) -> list[Cells]:
    """Every row's ``_row_cells``, in one walk of the table (lxml yields the elements the estimate needs in
    document order; a paragraph's break or tab, or a tab stop in its properties, starts a piece, as in
    ``_row_cells``). A table holding another table, or rows or cells wrapped in content controls, is read
    row by row."""
    if any(el is not tbl for el in tbl.iter(*_WRAPPERS)):
        return [_row_cells(tr) for tr in tbl.iterchildren(_TR)]
    rows: list[Cells] = []
    cells: Cells | None = None
    pieces: list[float] = []
    width: int | None = None
    texts: list[str] | None = None  # the open paragraph's text, "\n" at each break or tab
    open_cell = seen_width = False
    for el in tbl.iter(*_WALK):
        tag = el.tag
        if tag == _T:
            if texts is not None:
                texts.append(el.text or "")
            continue
        if tag == _BR or tag == _TAB:
            if texts is not None:
                texts.append("\n")
            continue
        if tag == _TCW:
            if open_cell and not seen_width:  # the cell's first width, as ``_row_cells`` takes it
                seen_width = True
                width = int(el.get(_W, "0")) if el.get(_TYPE) == "dxa" else None
            continue
        if texts is not None:  # a paragraph, cell or row starts: the open paragraph ends
            pieces.extend(_ems(piece) for piece in "".join(texts).split("\n"))
            texts = None
        if tag == _P:
            texts = []
            continue
        if open_cell:
            cells.append((width, tuple(pieces)))
            open_cell = False
        if tag == _TC:
            open_cell, width, seen_width, pieces = True, None, False, []
        else:  # a row
            if cells is not None:
                rows.append(cells or [(None, ())])
            cells = []
    if texts is not None:
        pieces.extend(_ems(piece) for piece in "".join(texts).split("\n"))
    if open_cell:
        cells.append((width, tuple(pieces)))
    if cells is not None:
        rows.append(cells or [(None, ())])
    return rows


def _height(rows: list[Cells], size: float, line: float, scale: float | None = None) -> float:
    """Points of ``rows`` at ``size`` on ``line``-point lines (the columns stretched by ``scale``, as
    ``_widen_table`` does): each row as high as its tallest cell, a cell's piece ⌈width ÷ room⌉ lines."""
    rooms: dict[int | None, float] = {}  # a column's room in points, by its width in twips

    def lines(cells: Cells) -> int:
        most = 1
        for width, pieces in cells:
            room = rooms.get(width)
            if room is None:
                room = rooms[width] = ((int(width * scale) if scale else width) / 20 - CELL_PADDING) if width is not None else 0
            if room <= 0:
                n = len(pieces)
            elif len(pieces) == 1:  # nearly every cell: one paragraph, no break
                n = max(1, -int(-(pieces[0] * size) // room))
            else:
                n = sum(max(1, -int(-(ems * size) // room)) for ems in pieces)
            if n > most:
                most = n
        return most

    return sum(lines(cells) * line + ROW_RULE for cells in rows)


def table_height(tbl, size: float = 9.0, line: float = TABLE_LINE / 20) -> float:
    """Points the table's rows take (estimate): each row as high as its tallest cell's lines."""
    return _height(_table_cells(tbl), size, line)


def _rows(tbl, memo: dict) -> tuple[int, list[Cells]]:
    """The table's width when its cells were read, and the cells: read once per table within one
    ``finish`` (every size, line and stretch — ``_widen`` included — is then arithmetic: the reading
    is what costs)."""
    key = ("cells", tbl)
    if key not in memo:
        memo[key] = (_table_width(tbl), _table_cells(tbl))
    return memo[key]


def _measured(tbl, size: float, line: float, memo: dict, width: int | None = None) -> float:
    """``table_height`` within one ``finish`` (several passes ask), of the table set ``width`` twips wide
    where given (else as wide as it is now)."""
    read, rows = _rows(tbl, memo)
    width = width or _table_width(tbl)
    scale = width / read if width and read and width != read and tbl.find(w("tblGrid")) is not None else None
    key = ("height", tbl, size, line, scale)
    if key not in memo:
        memo[key] = _height(rows, size, line, scale)
    return memo[key]


def _page_height(sect) -> float:
    """Points of text height of the section whose properties are ``sect`` (A4 portrait by default)."""
    size = sect.find(w("pgSz")) if sect is not None else None
    mar = sect.find(w("pgMar")) if sect is not None else None
    if size is None or mar is None:
        return (16838 - 2098 - 1984) / 20
    return (int(size.get(w("h"))) - int(mar.get(w("top"))) - int(mar.get(w("bottom")))) / 20


def _keep(p) -> None:
    """The paragraph keeps with the next (a keepNext that says w:val="0" is switched on). Children are
    looked up with iterchildren (lxml's C filter), not find (its path machinery is Python); new elements
    are made in place (``etree.Element`` makes a document of its own for each)."""
    ppr = _first_child(p, _PPR)
    if ppr is None:
        ppr = etree.SubElement(p, _PPR)
        p.insert(0, ppr)
    found = _first_child(ppr, _KEEP_NEXT)
    if found is None:  # second in schema order, after a pStyle (a sort per paragraph was a tenth of finishing)
        found = etree.SubElement(ppr, _KEEP_NEXT)
        ppr.insert(1 if ppr[0].tag == _PSTYLE else 0, found)
    else:
        found.attrib.clear()


# ---- sections: a wide 附件 table on a landscape page, short tables sharing a page ------------------


def _sect_of(el):
    """The section properties that govern body element ``el``: those of the next section break."""
    if el.tag == _SECTPR:
        return el
    found = _first_grandchild(el, _PPR, _SECTPR) if el.tag == _P else None
    if found is not None:
        return found
    for nxt in el.itersiblings(_P, _SECTPR):
        if nxt.tag == _SECTPR:
            return nxt
        found = _first_grandchild(nxt, _PPR, _SECTPR)
        if found is not None:
            return found
    return None


def _is_break(el) -> bool:
    """One of the tiny paragraphs that only end a section (official_look's or ours)."""
    return el is not None and el.tag == _P and _first_grandchild(el, _PPR, _SECTPR) is not None and _first_child(el, w("r")) is None


def _landscape(sect) -> bool:
    size = sect.find(w("pgSz")) if sect is not None else None
    return size is not None and (size.get(w("orient")) == "landscape" or int(size.get(w("w"), "0")) > int(size.get(w("h"), "0")))


def _text_width(sect) -> int:
    """Twips between the margins of the section ``sect`` (A4 portrait by default)."""
    size = sect.find(w("pgSz")) if sect is not None else None
    mar = sect.find(w("pgMar")) if sect is not None else None
    if size is None or mar is None:
        return PORTRAIT_WIDTH
    return int(size.get(w("w"))) - int(mar.get(w("left"), "0")) - int(mar.get(w("right"), "0"))


def _table_width(tbl) -> int:
    tblw = tbl.find(f"{w('tblPr')}/{w('tblW')}")
    if tblw is not None and tblw.get(w("type")) == "dxa":
        return int(tblw.get(w("w"), "0"))
    grid = tbl.find(w("tblGrid"))
    return sum(int(g.get(w("w"), "0")) for g in grid) if grid is not None else 0


def _turned(sect):
    """A landscape copy of the portrait section ``sect``: the landscape page of official_look, with the
    headers and footers of ``sect`` (so page numbers and footers run on as on every other page)."""
    new = _sect_pr(True, False)
    for ref in new.findall(w("footerReference")) + new.findall(w("headerReference")):
        new.remove(ref)
    refs = [copy.deepcopy(r) for r in sect if r.tag in (w("headerReference"), w("footerReference")) and r.get(w("type")) != "first"]
    for ref in reversed(refs):
        new.insert(0, ref)
    return new


def _wide_tables_landscape(body, info: StyleInfo) -> None:
    """A table wider than its portrait page (the 附件 项目支出绩效自评结果表, set to the landscape width by
    official_look) gets a landscape section of its own: a section break before it — above its 附件 mark, its
    title and the part heading that opens its page — and one after it. The part is optional: where the
    table is not in the document, nothing is added, so there is never an empty landscape page. Page numbers
    run on (no restart), and the sections share the document's footers."""
    heads = {info.id(n) for n in ("决算表号", "决算表题", "决算表头")}
    part, note = info.id("决算部分"), info.id("决算表注")
    for tbl in list(body.iterchildren(w("tbl"))):
        sect = _sect_of(tbl)
        if sect is None or _landscape(sect) or _table_width(tbl) <= _text_width(sect):
            continue
        start = tbl
        while True:
            prev = start.getprevious()
            if prev is None or prev.tag != w("p") or prev.find(f"{w('pPr')}/{w('sectPr')}") is not None:
                break
            style = _pstyle(prev)
            if style in heads or (style != part and _LEAD.search(_text(prev).strip())):
                start = prev
            elif style == part:
                start = prev  # the part heading that opens the page goes with it
                break
            else:
                break
        end = tbl
        while end.getnext() is not None and end.getnext().tag == w("p") and _pstyle(end.getnext()) == note:
            end = end.getnext()
        before = start.getprevious()
        if before is not None and before.find(f"{w('pPr')}/{w('sectPr')}") is None:
            ended = copy.deepcopy(sect)  # ends the portrait pages before it: in their last paragraph, no empty one added
            if before.tag == w("p"):
                ppr = before.find(w("pPr"))
                if ppr is None:
                    ppr = etree.Element(w("pPr"))
                    before.insert(0, ppr)
                ppr.append(ended)
                _sort(ppr, PPR_ORDER)
            else:
                start.addprevious(_section_break(ended))
            title = sect.find(w("titlePg"))
            if title is not None:  # the cover's first-page footer stays with the first section
                sect.remove(title)
        rest = end.getnext()
        if rest is not None and rest is sect:  # the table ends the document: the last section turns
            body.replace(sect, _turned(sect))
        elif rest is not None:
            end.addnext(_section_break(_turned(sect)))
        ppr = start.find(w("pPr"))
        pb = ppr.find(w("pageBreakBefore")) if ppr is not None else None
        if pb is not None:
            ppr.remove(pb)  # the section break starts the page: no second break (LibreOffice would leave a blank page)


_FIRST_PPR = f"{w('tr')}/{w('tc')}/{w('p')}/{w('pPr')}"


def _too_long(tbl, room: float, line: float) -> bool:
    """More rows than ``room`` points hold even at one line each, set close: such a table is not
    measured at all (measuring every cell is most of the finishing time)."""
    return sum(1 for _ in tbl.iterchildren(_TR)) * (min(line, COMPACT_LINE) + ROW_RULE) > room


def _compact(tbl, info: StyleInfo) -> None:
    """The table's text in 8 pt on an exact 8.5 pt line (小五 on 10.5 pt otherwise): what a printer does
    with a table a few rows too long for its page (公开06 of 55 rows: 55 × 11 pt + its title lines
    is a page and six rows; 55 × 9 pt fits). Its 决算表格 paragraphs take the 决算表格紧排 style (one
    attribute each); any other paragraph, and a template without that style, get the size and line set
    on the paragraph and its runs."""
    half = str(int(COMPACT_SIZE * 2))
    table, compact = info.id("决算表格"), info.ids.get(COMPACT_STYLE)
    for p in tbl.iter(_P):
        ppr = _first_child(p, _PPR)
        style = _first_child(ppr, _PSTYLE) if ppr is not None else None
        if compact is not None and style is not None and style.get(_VAL) == table:
            style.set(_VAL, compact)
            spacing = _first_child(ppr, _SPACING)
            if spacing is not None:  # the paragraph's own spacing would override the style's line
                _set(ppr, "spacing", before=0, after=0, line=int(COMPACT_LINE * 20), lineRule="exact")
            for sz in p.iter(_SZ, _SZ_CS):  # a run's own size likewise
                sz.set(_VAL, half)
            continue
        if ppr is None:
            ppr = etree.Element(_PPR)
            p.insert(0, ppr)
        _set(ppr, "spacing", before=0, after=0, line=int(COMPACT_LINE * 20), lineRule="exact")
        _sort(ppr, PPR_ORDER)
        for r in p.iter(w("r")):
            rpr = r.find(w("rPr"))
            if rpr is None:
                rpr = etree.Element(w("rPr"))
                r.insert(0, rpr)
            for tag in ("sz", "szCs"):
                _set(rpr, tag, val=half)
            _sort(rpr, RPR_ORDER)


def _is_compact(tbl, info: StyleInfo) -> bool:
    """Set closer by ``_compact`` (which sets every paragraph: the first one tells)."""
    ppr = tbl.find(_FIRST_PPR)
    if ppr is None:
        return False
    style, spacing = _first_child(ppr, _PSTYLE), _first_child(ppr, _SPACING)
    return (style is not None and style.get(_VAL) == info.ids.get(COMPACT_STYLE)) or (spacing is not None and spacing.get(_LINE) == str(int(COMPACT_LINE * 20)))


def _keep_tables(body, info: StyleInfo, memo: dict | None = None) -> None:
    """A table that fits on one page stays on one page with its 注 lines: every row keeps with the
    next (Word and LibreOffice then move it whole), the last row with the 注; a longer table flows,
    its header row repeating on each page, and takes its last two rows along to a 注 that would
    otherwise start a page alone. The sentence that introduces a table (ending in "：") keeps with it."""
    note = info.id("决算表注")
    heads = {info.id(n) for n in ("决算表号", "决算表题", "决算表头")}
    size = info.sizes.get(info.id("决算表格"), 9.0)
    line = info.lines.get(info.id("决算表格")) or size * SINGLE_LINE  # the style's exact line, else a single one
    children = list(body)
    sect = None
    for i in range(len(children) - 1, -1, -1):  # each table's section: the next section break after it
        el = children[i]
        if el.tag == _SECTPR:
            sect = el
        elif el.tag == _P:
            found = _first_grandchild(el, _PPR, _SECTPR)
            sect = found if found is not None else sect
        elif el.tag == w("tbl"):
            rows = list(el.iterchildren(_TR))
            notes = []
            for nxt in children[i + 1 :]:
                if nxt.tag != _P or _pstyle(nxt) != note:
                    break
                notes.append(nxt)
            if len(rows) < 2:
                continue
            room = _page_height(sect) - TABLE_HEAD - NOTE_LINE * len(notes)
            memo = {} if memo is None else memo
            if _too_long(el, room, line):
                fits = False
            else:
                fits = _measured(el, size, line, memo) <= room
                if not fits and _measured(el, COMPACT_SIZE, COMPACT_LINE, memo) <= room:
                    _compact(el, info)  # a few rows too long for its page: set a little closer, it fits
                    fits = True
            # a table too long for a page: its 注 lines never stand alone, the last two rows go with them
            kept = (rows if notes else rows[:-1]) if fits else rows[-2:] if notes else []
            for tr in kept:
                for p in tr.iter(_P):
                    _keep(p)
            for p in notes[:-1]:
                _keep(p)
            # the sentence that introduces the table ("……的单位包括：") or its 附件 mark ("附件1"), above the
            # 表号/表题/编制单位 lines (which keep with what follows by their style): never left behind at a page's foot
            lead = el.getprevious()
            while lead is not None and lead.tag == w("p") and _pstyle(lead) in heads:
                lead = lead.getprevious()
            if lead is not None and lead.tag == w("p") and _LEAD.search(_text(lead).strip()):
                _keep(lead)


TABLE_GAP = 18.0  # pt: the space above a table that follows another on the same page


@dataclass
class _Block:
    start: object  # the 表号 paragraph
    tbl: object
    end: object  # the table's last 注 line (or the table)

    @property
    def notes(self) -> int:
        """The 注 lines under the table."""
        notes = 0
        el = self.tbl
        while el is not self.end:
            el, notes = el.getnext(), notes + 1
        return notes

    def height(self, size: float, line: float, width: int | None = None, memo: dict | None = None) -> float:
        """Points the block takes (its table set ``width`` twips wide, where given)."""
        rows = _measured(self.tbl, size, line, {} if memo is None else memo, width)
        return TABLE_HEAD + rows + NOTE_LINE * self.notes

    def too_long(self, room: float, line: float) -> bool:
        """Taller than ``room`` even at one close-set line a row (``_too_long``): not worth measuring."""
        return _too_long(self.tbl, room - TABLE_HEAD - NOTE_LINE * self.notes, line)


def _page_break(p) -> bool:
    return _first_grandchild(p, _PPR, w("pageBreakBefore")) is not None


def _table_blocks(body, info: StyleInfo) -> list[_Block]:
    """The numbered tables (表号 … table … 注 lines), in order."""
    number, note = info.id("决算表号"), info.id("决算表注")
    heads = {info.id(n) for n in ("决算表号", "决算表题", "决算表头")}
    out = []
    for tbl in body.iterchildren(w("tbl")):
        start = tbl
        while start.getprevious() is not None and start.getprevious().tag == w("p") and _pstyle(start.getprevious()) in heads:
            start = start.getprevious()
        if start is tbl or _pstyle(start) != number:
            continue
        end = tbl
        while end.getnext() is not None and end.getnext().tag == w("p") and _pstyle(end.getnext()) == note:
            end = end.getnext()
        out.append(_Block(start, tbl, end))
    return out


def _widen_table(tbl, width: int):
    """The table stretched to ``width`` twips, its columns in proportion (returns it)."""
    old = _table_width(tbl)
    if not old or old == width or tbl.find(w("tblGrid")) is None:
        return tbl
    scale = width / old
    grid = tbl.find(w("tblGrid"))
    cols = [int(int(g.get(w("w"), "0")) * scale) for g in grid]
    cols[-1] += width - sum(cols)
    for g, x in zip(grid, cols, strict=True):
        g.set(w("w"), str(x))
    for tc in tbl.iter(w("tc")):
        tcw = tc.find(f"{w('tcPr')}/{w('tcW')}")
        if tcw is not None and tcw.get(w("type")) == "dxa":
            tcw.set(w("w"), str(int(int(tcw.get(w("w"), "0")) * scale)))
    _set(tbl.find(w("tblPr")), "tblW", w=width, type="dxa")
    _sort(tbl.find(w("tblPr")), TBLPR_ORDER)
    return tbl


def _widen(block: _Block, width: int, owner: str) -> None:
    """The table and its 编制单位 line's right tab stretched to ``width`` twips."""
    _widen_table(block.tbl, width)
    el = block.start
    while el is not block.tbl:
        if _pstyle(el) == owner:
            ppr = el.find(w("pPr"))
            tabs = ppr.find(w("tabs")) if ppr is not None else None
            if tabs is not None:
                ppr.remove(tabs)
            tabs = etree.SubElement(ppr, w("tabs"))
            for kind, pos in (("clear", PORTRAIT_WIDTH), ("right", width)):
                tab = etree.SubElement(tabs, w("tab"))
                tab.set(w("val"), kind)
                tab.set(w("pos"), str(pos))
            _sort(ppr, PPR_ORDER)
        el = el.getnext()


def _share_pages(body, info: StyleInfo, memo: dict | None = None) -> None:
    """Short tables share a page, as in a printed 决算 volume: a table that would start a new page goes
    on under the ones before it when they all fit there (公开07's one row, then 公开08 and 公开09, on one
    landscape page instead of three pages). Across a section break the narrower tables take the wider
    page: a portrait table after a landscape one joins its section (the break moves below it); a landscape
    table after a page of portrait ones takes them into its section (the break moves above them), when
    they all fit one landscape page. Only tables that fit a page whole qualify — their rows keep together,
    so a table the estimate let through by mistake moves to the next page whole, as before."""
    size = info.sizes.get(info.id("决算表格"), 9.0)
    line = info.lines.get(info.id("决算表格")) or size * SINGLE_LINE
    owner = info.id("决算表头")
    memo = {} if memo is None else memo

    def height(block: _Block, width: int | None = None) -> float:
        compact = _is_compact(block.tbl, info)
        return block.height(*((COMPACT_SIZE, COMPACT_LINE) if compact else (size, line)), width, memo)

    def join(block: _Block) -> None:
        ppr = block.start.find(w("pPr"))
        ppr.remove(ppr.find(w("pageBreakBefore")))
        _set(ppr, "spacing", before=int(TABLE_GAP * 20))
        _sort(ppr, PPR_ORDER)

    page: list[_Block] = []  # the tables on the current page, when it is a page of tables that fit whole
    used = 0.0
    for block in _table_blocks(body, info):
        prev = page[-1] if page else None
        between = prev.end.getnext() if prev is not None else None
        moves = between is not None and _is_break(between) and between.getnext() is block.start
        if prev is not None and _page_break(block.start) and (between is block.start or moves):
            sect, mine = _sect_of(prev.end), _sect_of(block.end)
            if not moves or _table_width(block.tbl) <= _text_width(sect):  # it joins the page above, as wide as it
                need = height(block, _text_width(sect) if moves else None)
                if used + TABLE_GAP + need <= _page_height(sect):
                    if moves:
                        block.end.addnext(between)  # the section break goes below the table
                        _widen(block, _text_width(sect), owner)
                    join(block)
                    page.append(block)
                    used += TABLE_GAP + need
                    continue
            elif _page_break(page[0].start):  # a wider table: the page above comes into its section
                width = _text_width(mine)
                above = sum(height(b, width) for b in page) + TABLE_GAP * (len(page) - 1)
                need = height(block)
                if above + TABLE_GAP + need <= _page_height(mine):
                    page[0].start.addprevious(between)  # the section break goes above the page's first table
                    for b in page:
                        _widen(b, width, owner)
                    join(block)
                    page.append(block)
                    used = above + TABLE_GAP + need
                    continue
        room = _page_height(_sect_of(block.end))
        fits = _page_break(block.start) and not block.too_long(room, line) and (need := height(block)) <= room
        page, used = ([block], need) if fits else ([], 0.0)


_TOTAL = re.compile(r"^(合计|总计|\S{0,6}经费合计)$")
_OWNER = re.compile(r"^(.*?\S)[\u3000 ]{2,}((?:金额)?单位：.*)$")


def _cell_text(tc) -> str:
    return "".join(tc.itertext(w("t")))


def _span(pr) -> int:
    g = pr.find(w("gridSpan")) if pr is not None else None
    return int(g.get(w("val"))) if g is not None else 1


def _width(pr) -> int:
    x = pr.find(w("tcW")) if pr is not None else None
    return int(x.get(w("w"), "0")) if x is not None else 0


def _total_cells(body) -> list:
    """The cells of the body's tables whose text may be a 合计/总计 label (a walk over the
    tables' text runs only: the other 90% of the document's elements are never visited)."""
    out = []
    for tbl in body.iterchildren(w("tbl")):
        for t in tbl.iter(w("t")):
            text = t.text
            if text == "合计" or text == "总计" or (text and text.endswith("经费合计")):
                tc = t.getparent()
                while tc is not None and tc.tag != w("tc"):
                    tc = tc.getparent()
                if tc is not None and (not out or out[-1] is not tc):
                    out.append(tc)
    return out


def _merge_totals(body) -> None:
    """合计/总计 rows span the code and name columns, as in the official exports."""
    for tc in _total_cells(body):
        tr, nxt = tc.getparent(), tc.getnext()
        while nxt is not None and nxt.tag != w("tc"):
            nxt = nxt.getnext()
        if nxt is None or not _TOTAL.match(_cell_text(tc).strip()) or _cell_text(nxt).strip():
            continue
        if tr.find(f"{w('trPr')}/{w('tblHeader')}") is not None or nxt.find(f"{w('tcPr')}/{w('vMerge')}") is not None:
            continue
        tcpr, npr = tc.find(w("tcPr")), nxt.find(w("tcPr"))
        if tcpr is None:
            tcpr = etree.Element(w("tcPr"))
            tc.insert(0, tcpr)
        total_span, total_width = _span(tcpr) + _span(npr), _width(tcpr) + _width(npr)
        if total_width:
            _set(tcpr, "tcW", w=total_width, type="dxa")
        g = tcpr.find(w("gridSpan"))
        if g is None:
            g = etree.Element(w("gridSpan"))
            tcw = tcpr.find(w("tcW"))
            (tcw.addnext(g) if tcw is not None else tcpr.insert(0, g))
        g.set(w("val"), str(total_span))
        tr.remove(nxt)
        for p in tc.iter(w("p")):
            ppr = p.find(w("pPr"))
            if ppr is None:
                ppr = etree.Element(w("pPr"))
                p.insert(0, ppr)
            _set(ppr, "jc", val="center")
            _sort(ppr, PPR_ORDER)


def _owner_tabs(body, info: StyleInfo) -> None:
    """ "编制单位：…　　　金额单位：万元": the unit line flush with the table's right edge."""
    sid = info.id("决算表头")
    for p in body.iterchildren(w("p")):
        if _pstyle(p) != sid:
            continue
        for t in p.iter(w("t")):
            m = _OWNER.match(t.text or "")
            if not m:
                continue
            r = t.getparent()
            left, right = copy.deepcopy(r), copy.deepcopy(r)
            left.find(w("t")).text, right.find(w("t")).text = m.group(1), m.group(2)
            tab = copy.deepcopy(r)
            for x in list(tab):
                if x.tag != w("rPr"):
                    tab.remove(x)
            etree.SubElement(tab, w("tab"))
            r.addprevious(left)
            r.addprevious(tab)
            r.addprevious(right)
            r.getparent().remove(r)
            break


def rounding_labels(findings, profile) -> dict[str, str]:
    """{"公开02表": note} for the tables that get the 尾数 note (profile.toml [look] rounding_note:
    "always", "never" or "when_warned" — only the tables ``check`` warns about 尾数)."""
    from .model import TableKind
    from .official_look import Look

    look = Look.from_profile(profile.folder)
    if look.rounding_note == "never":
        return {}
    if look.rounding_note == "always":
        return {profile.table_number(k): look.rounding_note_text for k in profile.tables}
    order = list(TableKind)  # check rules are named by the official 2020/2024 numbering (公开01 … 公开09)
    out = {}
    values = {k.value: k for k in order}
    for f in findings:
        if f.level != "warning" or "尾数" not in f.message:
            continue
        head = (f.rule or "").split(".")[0]  # "公开01.本年支出合计" or "expenditure.列合计"
        m = re.fullmatch(r"公开(\d\d)", head)
        kind = values.get(head) or (order[int(m.group(1)) - 1] if m and 0 < int(m.group(1)) <= len(order) else None)
        if kind in profile.tables:
            out[profile.table_number(kind)] = look.rounding_note_text
    return out


def _rounding_notes(body, info: StyleInfo, notes: dict[str, str]) -> None:
    """The 尾数 note under each named table, after its 表注 line."""
    number, note = info.id("决算表号"), info.id("决算表注")
    children = list(body)
    for i, p in enumerate(children):
        label = _text(p).strip() if p.tag == w("p") and _pstyle(p) == number else ""
        if label not in notes:
            continue
        j = i + 1
        while j < len(children) and children[j].tag != w("tbl"):
            j += 1
        k = j + 1
        while k < len(children) and children[k].tag == w("p") and _pstyle(children[k]) == note:
            k += 1
        anchor = children[k - 1] if k - 1 > j else children[j]
        new = etree.Element(w("p"))
        ppr = etree.SubElement(new, w("pPr"))
        _set(ppr, "pStyle", val=note)
        new.append(_run(notes[label]))
        anchor.addnext(new)


# ---- the package -------------------------------------------------------------------------------

DOCUMENT = "word/document.xml"


def finish(docx: bytes, pages: list[int | None] | None = None, rounding: dict[str, str] | None = None) -> bytes:
    """The rendered document with its 目录 filled (page numbers when ``pages`` is given) and the
    尾数 note under the tables named in ``rounding`` ({"公开02表": note text}).

    Only word/document.xml is parsed (once) and deflated again; every other part is copied into
    the new package as it is stored, and styles.xml is read once per template and process."""
    members = read_members(docx)
    document = finish_document(members[DOCUMENT].data(), members["word/styles.xml"], pages, rounding)
    return zip_bytes((name, document if name == DOCUMENT else m) for name, m in members.items())


def finish_document(xml: bytes, styles: Member, pages: list[int | None] | None = None, rounding: dict[str, str] | None = None) -> Member:
    """``finish`` on the main part alone (a build passes it before the package is zipped, so the
    part is deflated once): the new word/document.xml as a zip member."""
    root = _parse(xml)
    info = style_info(styles)
    body = root.find(w("body"))
    _fill_toc(body, info, pages)
    if pages is None:
        _merge_totals(body)
        _owner_tabs(body, info)
        if rounding:
            _rounding_notes(body, info, rounding)
        _part_breaks(body, info)
        _wide_tables_landscape(body, info)
        heights: dict = {}
        _keep_tables(body, info, heights)
        _share_pages(body, info, heights)
        _drop_empty_body(body, info)
    document = member(DOCUMENT, etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
    if root.tag == w("document") and body is not None:
        vouch(document)  # serialized from this tree: verify_docx need not parse it again
    return document


def _toc_links(root):
    return [link for link in root.iter(w("hyperlink")) if (link.get(w("anchor")) or "").startswith(BOOKMARK)]


def toc_entries(docx: bytes) -> list[Entry]:
    """The TOC's entries as ``finish`` wrote them (heading text, level, bookmark, 目录 label)."""
    members = read_members(docx)
    root = _parse(members[DOCUMENT].data())
    first = style_info(members["word/styles.xml"]).ids.get("toc 1", "TOC1")
    headings = {}
    for b in root.iter(w("bookmarkStart")):
        name = b.get(w("name")) or ""
        if name.startswith(BOOKMARK) and b.getparent().tag == w("p"):
            headings[name] = re.sub(r"\s+", " ", _heading_text(b.getparent())).strip()
    out = []
    for link in _toc_links(root):
        anchor = link.get(w("anchor"))
        level = 0 if _pstyle(link.getparent()) == first else 1
        texts = [t.text or "" for t in link.iter(w("t"))]
        shown = texts[0] if texts else ""
        text = headings.get(anchor, shown)
        out.append(Entry(text, level, anchor, shown if shown != text else ""))
    return out


def toc_pages(docx: bytes) -> list[int | None]:
    """The page numbers written in the TOC (None where empty)."""
    root = _parse(read_members(docx)[DOCUMENT].data())
    out = []
    for link in _toc_links(root):
        texts = [t.text or "" for t in link.iter(w("t"))]
        out.append(int(texts[-1]) if len(texts) > 1 and texts[-1].isdigit() else None)
    return out


# ---- page numbers through a layout engine --------------------------------------------------------


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page (pdftotext; pages separated by form feeds)."""
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "doc.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, timeout=120).stdout
    pages = out.decode("utf-8", "replace").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def find_pages(entries: list[Entry], pages: list[str]) -> list[int | None]:
    """The page (1-based) on which each heading stands, after the 目录's own pages."""
    squashed = [_squash(p) for p in pages]
    texts = [_squash(e.text) for e in entries]
    if not texts:
        return []
    # the 目录 pages: walk the entries in order from the first page that lists the first one
    cur = next((i for i, p in enumerate(squashed) if texts[0] in p), 0)
    for t in texts:
        k = cur
        while k < len(squashed) and t not in squashed[k]:
            k += 1
        if k < len(squashed):
            cur = k
    found, cur = [], cur + 1
    for t in texts:
        k = cur
        while k < len(squashed) and t not in squashed[k]:
            k += 1
        if k < len(squashed):
            found.append(k + 1)
            cur = k
        else:
            found.append(None)
    return found


def toc_shows(entries: list[Entry], pages: list[str], numbers: list[int | None]) -> bool:
    """The printed 目录 lists every entry followed (after its leader dots) by its number, in order."""
    if not entries or not all(numbers):
        return False
    texts = [_squash(e.shown) for e in entries]  # as the 目录 prints them
    first = next((i for i, p in enumerate(pages) if texts[0] in _squash(p)), None)
    if first is None or numbers[0] - 1 <= first:
        return False
    toc = re.sub(r"—\d+—", "", _squash("".join(pages[first : numbers[0] - 1])))  # the 目录 pages without their footers
    pos = toc.find(texts[0])
    for k, (text, number) in enumerate(zip(texts, numbers, strict=False)):
        m = re.compile(re.escape(text) + r"[.…·]*" + str(number)).match(toc, pos)
        if not m or not toc.startswith(texts[k + 1] if k + 1 < len(texts) else "", m.end()):
            return False
        pos = m.end()
    return True


@dataclass
class Paged:
    """One document after pagination: the .docx with the numbers, its PDF, or why it failed."""

    docx: bytes
    pdf: bytes = b""
    error: str = ""
    conversions: int = 0  # how many times it was laid out (1 when its numbers held at once)


def paginate_many(docs: list[bytes], convert: Callable[[list[bytes], list[int]], list[bytes | str]], passes: int = 3) -> list[Paged]:
    """Each .docx with its 目录's page numbers equal to the pages its headings stand on, and its PDF.

    ``convert(blobs, which)`` lays out many documents at once (``which``: their indexes in ``docs``)
    and returns PDF bytes or a reason for each. Pass 1 converts every document; the numbers found
    are written into the .docx. LibreOffice computes the PAGEREFs itself (see ``for_libreoffice``),
    so its PDF usually shows them already; only a document whose printed 目录 does not is converted
    again with the numbers written in, at most ``passes`` times after the first.
    """
    done = [Paged(d) for d in docs]
    entries: list[list[Entry]] = []
    numbers: list[list[int | None]] = []
    for paged in done:
        try:
            entries.append(toc_entries(paged.docx))
            numbers.append(toc_pages(paged.docx))
        except Exception:  # not a Word package we can read: this document fails, the others go on
            entries.append([])
            numbers.append([])
            paged.error = "Word 文档已损坏，无法排版和转换为 PDF；请重新生成。"
    todo = [i for i, paged in enumerate(done) if not paged.error]
    for round_ in range(passes + 1):
        if not todo:
            break
        got = convert([done[i].docx for i in todo], todo)
        again = []
        for i, pdf in zip(todo, got, strict=False):
            done[i].conversions += 1
            if isinstance(pdf, str):
                done[i].error = pdf
                continue
            done[i].pdf = pdf
            if not entries[i]:
                continue
            try:
                pages = pdf_pages(pdf)
                found = find_pages(entries[i], pages)
            except (OSError, subprocess.SubprocessError):  # no pdftotext: the PDF stays without page numbers
                continue
            if found != numbers[i]:
                done[i].docx, numbers[i] = finish(done[i].docx, found), found
                if round_ < passes and not toc_shows(entries[i], pages, found):
                    again.append(i)  # the PDF's 目录 does not show them yet: lay it out again with them written in
        todo = again
    return done


def paginate(docx: bytes, to_pdf: Callable[[bytes], bytes], passes: int = 3) -> tuple[bytes, bytes]:
    """(docx, pdf) with the 目录's page numbers equal to the pages the headings stand on (one document)."""
    paged = paginate_many([docx], lambda blobs, which: [to_pdf(b) for b in blobs], passes)[0]
    return paged.docx, paged.pdf


# ---- LibreOffice with the official faces ---------------------------------------------------------


def font_env() -> dict[str, str]:
    """The environment for soffice: our fontconfig aliases (which include the system's)."""
    env = dict(os.environ)
    if FONTS_CONF.exists():
        env["FONTCONFIG_FILE"] = str(FONTS_CONF)
    return env


def for_libreoffice(docx: bytes) -> bytes:
    """The copy LibreOffice lays out. Two work-arounds:

    * LibreOffice spreads every character of a "lines and characters" grid to twice its width;
      it lays out the line grid alone (22 lines; 156 mm of 三号 is 27.6 characters, so the lines
      break where Word's 28-character grid breaks them);
    * inside a TOC field LibreOffice prints the entries' stored text, but a PAGEREF outside one is
      a live reference it computes while laying the pages out: the TOC field's own marks are
      dropped (its entries and their PAGEREFs stay), so the first layout already prints the right
      page numbers.
    """
    members = read_members(docx)
    doc = re.sub(rb'<w:docGrid w:type="linesAndChars"([^>]*?) w:charSpace="-?\d+"', rb'<w:docGrid w:type="lines"\1', members[DOCUMENT].data())
    if b" TOC " in doc and BOOKMARK.encode() in doc:
        root = _parse(doc)
        if _unwrap_toc(root):
            doc = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return zip_bytes((name, doc if name == DOCUMENT else m) for name, m in members.items())


def _unwrap_toc(root) -> bool:
    """Remove the begin/instruction/separate runs of the TOC field that ``finish`` wrote, and its end."""
    marks = list(root.iter(w("fldChar"), w("instrText")))
    for k, el in enumerate(marks):
        if el.tag == w("instrText") and " TOC " in (el.text or "") and 0 < k and k + 1 < len(marks):
            begin, separate = marks[k - 1], marks[k + 1]
            if begin.get(w("fldCharType")) != "begin" or separate.get(w("fldCharType")) != "separate":
                return False
            depth = 1
            for other in marks[k + 2 :]:
                if other.tag != w("fldChar"):
                    continue
                kind = other.get(w("fldCharType"))
                depth += 1 if kind == "begin" else -1 if kind == "end" else 0
                if depth == 0:
                    for mark in (begin, el, separate, other):
                        run = mark.getparent()
                        run.getparent().remove(run)
                    return True
            return False
    return False


# the kind of face each official name needs, and how to recognise it in a font's name
FACE_KINDS = {
    "方正小标宋简体": ("宋", ("serif", "ming", "song", "sun")),
    "仿宋_GB2312": ("仿宋", ("ming", "fang", "serif", "song")),
    "楷体_GB2312": ("楷", ("kai",)),
    "黑体": ("黑", ("sans", "hei", "gothic")),
    "宋体": ("宋", ("serif", "ming", "song", "sun")),
}


def font_warnings() -> list[str]:
    """One line for each official face that falls back to a face of another kind (fc-match with our aliases)."""
    if shutil.which("fc-match") is None:
        return []
    out = []
    env = font_env()
    for name, (kind, marks) in FACE_KINDS.items():
        face = subprocess.run(["fc-match", "-f", "%{family[0]}", name], capture_output=True, text=True, env=env, timeout=30).stdout.strip()
        if not any(m in face.lower() for m in marks):
            out.append(
                f"字体提示：本机没有{kind}体类字体，PDF 中“{name}”以“{face or '默认字体'}”代替（Debian/Ubuntu 可安装 fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming）。"
            )
    return out
