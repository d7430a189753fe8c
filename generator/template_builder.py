"""Writes each profile's ``template.docx``: a normal Word file with docxtpl tags.

Run ``python -m generator.template_builder`` (``make templates``) after changing a layout.
The result can be restyled in Word: every paragraph uses one of the named styles below
(决算正文, 决算一级, …), so fonts and spacing change in one place, without touching Python.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .layouts import layout
from .profiles import Profile, available, load_profile

STYLES = {
    # name: (east-asian font, size pt, bold, alignment, first-line indent chars, space before/after)
    "决算标题": ("黑体", 26, True, WD_ALIGN_PARAGRAPH.CENTER, 0, (120, 12)),
    "决算副标题": ("黑体", 20, False, WD_ALIGN_PARAGRAPH.CENTER, 0, (12, 12)),
    "决算目录": ("仿宋", 14, False, WD_ALIGN_PARAGRAPH.LEFT, 0, (0, 0)),
    "决算部分": ("黑体", 16, False, WD_ALIGN_PARAGRAPH.CENTER, 0, (12, 12)),
    "决算一级": ("黑体", 15, False, WD_ALIGN_PARAGRAPH.LEFT, 2, (6, 0)),
    "决算二级": ("楷体", 15, False, WD_ALIGN_PARAGRAPH.LEFT, 2, (0, 0)),
    "决算三级": ("仿宋", 15, True, WD_ALIGN_PARAGRAPH.LEFT, 2, (0, 0)),
    "决算正文": ("仿宋", 15, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 2, (0, 0)),
    "决算表号": ("宋体", 10, False, WD_ALIGN_PARAGRAPH.RIGHT, 0, (0, 0)),
    "决算表题": ("黑体", 15, False, WD_ALIGN_PARAGRAPH.CENTER, 0, (0, 6)),
    "决算表头": ("宋体", 10, False, WD_ALIGN_PARAGRAPH.LEFT, 0, (0, 0)),
    "决算表格": ("宋体", 8, False, WD_ALIGN_PARAGRAPH.LEFT, 0, (0, 0)),
    "决算表注": ("宋体", 9, False, WD_ALIGN_PARAGRAPH.LEFT, 0, (3, 0)),
}


def _font(style_or_run, east_asian: str, size: float | None = None, bold: bool | None = None) -> None:
    font = style_or_run.font
    font.name = "Times New Roman"
    if size:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), east_asian)


def _styles(doc) -> None:
    from docx.enum.style import WD_STYLE_TYPE

    for name, (font, size, bold, align, indent, (before, after)) in STYLES.items():
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        _font(style, font, size, bold)
        pf = style.paragraph_format
        pf.alignment = align
        pf.space_before, pf.space_after = Pt(before), Pt(after)
        if indent:
            pf.first_line_indent = Pt(size * indent)
        if name in ("决算正文", "决算一级", "决算二级", "决算三级"):
            pf.line_spacing = Pt(28)


def _p(doc_or_cell, text: str, style: str, *, page_break: bool = False):
    p = doc_or_cell.add_paragraph(style=style)
    if page_break:
        p.paragraph_format.page_break_before = True
    p.add_run(text)
    return p


def _tag(doc, text: str) -> None:
    """A paragraph that holds only a {%p …%} tag (docxtpl removes it when rendering)."""
    doc.add_paragraph(text, style="决算正文")


PAGE_WIDTH_CM = 16.6


def column_widths(lay) -> list[float]:
    """Code columns narrow, name/label columns wide, amounts share the rest (cm)."""
    roles = []
    for c in range(lay.columns):
        heads = "".join(h[c] for h in lay.header)
        if "编码" in heads:
            roles.append("code")
        elif c < lay.amount_from or c in lay.text_columns:
            roles.append("label")
        else:
            roles.append("amount")
    fixed = {"code": 1.5, "label": 4.6 if "code" not in roles else 3.8}
    rest = PAGE_WIDTH_CM - sum(fixed[r] for r in roles if r != "amount")
    amount = max(1.2, rest / max(1, roles.count("amount")))
    return [fixed.get(r, amount) for r in roles]


def _table(doc, kind_key: str, profile: Profile, first: bool = False) -> None:
    from .model import TableKind

    kind = TableKind(kind_key)
    lay = layout(kind, profile.variant)
    t = f"tables.{kind_key}"
    _p(doc, "{{ %s.number }}" % t, "决算表号", page_break=not first)
    _p(doc, "{{ %s.title }}" % t, "决算表题")
    _p(doc, "{{ %s.owner_line }}" % t, "决算表头")
    rows = len(lay.header) + 3
    table = doc.add_table(rows=rows, cols=lay.columns)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for c, width in enumerate(column_widths(lay)):
        table.columns[c].width = Cm(width)
        for cell in table.columns[c].cells:
            cell.width = Cm(width)
    for r, header in enumerate(lay.header):
        for c, text in enumerate(header):
            cell = table.cell(r, c)
            cell.paragraphs[0].style = doc.styles["决算表格"]
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            if text and not _covered(lay.merges, r, c):
                cell.paragraphs[0].add_run(text).bold = True
    for r1, c1, r2, c2 in lay.merges:
        table.cell(r1, c1).merge(table.cell(r2, c2))
    h = len(lay.header)
    table.cell(h, 0).paragraphs[0].add_run("{%%tr for r in %s.rows %%}" % t)
    for c in range(lay.columns):
        para = table.cell(h + 1, c).paragraphs[0]
        para.style = doc.styles["决算表格"]
        amount = c >= lay.amount_from and c not in lay.text_columns
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT if amount else WD_ALIGN_PARAGRAPH.LEFT
        para.add_run("{{ r[%d] }}" % c)
    table.cell(h + 2, 0).paragraphs[0].add_run("{%tr endfor %}")
    _p(doc, "{{ %s.note }}" % t, "决算表注")
    _tag(doc, "{%%p if %s.empty_note %%}" % t)
    _p(doc, "{{ %s.empty_note }}" % t, "决算表注")
    _tag(doc, "{%p endif %}")


def _covered(merges, r, c) -> bool:
    return any(r1 <= r <= r2 and c1 <= c <= c2 and (r, c) != (r1, c1) for r1, c1, r2, c2 in merges)


def _projects_table(doc) -> None:
    headers = ["序号", "项目名称", "自评得分", "全年预算数（万元）", "全年执行数（万元）", "执行率", "绩效目标完成情况"]
    _p(doc, "{{ projects_title }}", "决算表题")
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    for c, text in enumerate(headers):
        para = table.cell(0, c).paragraphs[0]
        para.style = doc.styles["决算表格"]
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.add_run(text).bold = True
    table.cell(1, 0).paragraphs[0].add_run("{%tr for r in projects %}")
    for c in range(len(headers)):
        para = table.cell(2, c).paragraphs[0]
        para.style = doc.styles["决算表格"]
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT if 2 <= c <= 5 else WD_ALIGN_PARAGRAPH.LEFT
        para.add_run("{{ r[%d] }}" % c)
    table.cell(3, 0).paragraphs[0].add_run("{%tr endfor %}")


def build(profile: Profile, out: Path) -> None:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(2.5)
    _styles(doc)
    core = doc.core_properties
    core.author = core.last_modified_by = "juesuan"
    core.title = f"部门决算公开模板（{profile.name}）"
    core.comments = "由 juesuan 生成的模板，可在 Word 中修改样式（决算正文、决算一级……）。"
    core.revision = 1
    from datetime import datetime

    core.created = core.modified = datetime(2024, 1, 1)
    _p(doc, "{{ title }}", "决算标题")
    _p(doc, "{{ subtitle }}", "决算副标题")
    _p(doc, "目　录", "决算部分", page_break=True)
    _tag(doc, "{%p for line in toc %}")
    _p(doc, "{{ line }}", "决算目录")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p for part in parts %}")
    _p(doc, "{{ part.heading }}", "决算部分", page_break=True)
    _tag(doc, "{%p for p in part.paragraphs %}")
    for i, (style, word) in enumerate((("h1", "决算一级"), ("h2", "决算二级"), ("h3", "决算三级"))):
        _tag(doc, ("{%%p if p.style == '%s' %%}" if i == 0 else "{%%p elif p.style == '%s' %%}") % style)
        _p(doc, "{{r p.rich }}", word)
    _tag(doc, "{%p else %}")
    _p(doc, "{{r p.rich }}", "决算正文")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p if part.key == '决算表' %}")
    for i, kind in enumerate(profile.tables):
        _table(doc, kind.value, profile, first=i == 0)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if part.key == '附件' %}")
    _projects_table(doc)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endfor %}")
    import io

    from .files import normalize_zip, write_atomic

    from .official_look import Look, apply

    buffer = io.BytesIO()
    doc.save(buffer)
    # the print layout (GB/T 9704 page, styles, footer, TOC field, table properties) last
    write_atomic(out, normalize_zip(apply(buffer.getvalue(), Look.from_profile(profile.folder))))  # same layout → same bytes


def main(argv: list[str] | None = None) -> None:
    names = (argv if argv is not None else sys.argv[1:]) or available()
    for name in names:
        profile = load_profile(name)
        build(profile, profile.folder / "template.docx")
        print(f"wrote {profile.folder / 'template.docx'}")


if __name__ == "__main__":
    main()
