"""diff (§1 job 3): after a reviewer's corrections, which input cells changed, and which
sentences and table cells of the document change because of them.

Both workbooks go through the same pipeline; the documents are compared sentence by
sentence (keyed by section and position, so numbering stays stable) and cell by cell.
"""

from __future__ import annotations

import difflib
import io
from dataclasses import dataclass, field
from pathlib import Path

from .figures import compute
from .intake import read_workbook
from .intake.values import to_decimal
from .intake.workbook import cell_ref, load_grids
from .layouts import rows_for
from .profiles import Profile, load_profile
from .render import render_text


@dataclass
class Change:
    where: str
    old: str
    new: str


@dataclass
class DiffReport:
    cells: list[Change] = field(default_factory=list)
    sentences: list[Change] = field(default_factory=list)
    table_cells: list[Change] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.cells or self.sentences or self.table_cells)


def _same(a, b) -> bool:
    if a == b:
        return True
    da, db = to_decimal(a), to_decimal(b)
    return da is not None and db is not None and da == db and str(a).strip() != "" and str(b).strip() != ""


def input_changes(old: Path, new: Path) -> list[Change]:
    a, b = load_grids(old), load_grids(new)
    changes = []
    for name in list(a) + [n for n in b if n not in a]:
        ga, gb = a.get(name), b.get(name)
        if ga is None or gb is None:
            changes.append(Change(f"工作表“{name}”", "（无）" if ga is None else "（整张表）", "（无）" if gb is None else "（整张表）"))
            continue
        for r in range(max(len(ga.rows), len(gb.rows))):
            for c in range(max(ga.width, gb.width)):
                va, vb = ga.text(r, c), gb.text(r, c)
                if va != vb and not _same(ga.get(r, c), gb.get(r, c)):
                    changes.append(Change(f"{name}!{cell_ref(r, c)}", va or "（空）", vb or "（空）"))
    return changes


def document_lines(path: Path, profile: Profile) -> tuple[dict, dict[str, str]]:
    """(sentences, table cells) of the document a workbook produces, by stable key."""
    model = read_workbook(path)
    figures = compute(model)
    narrative = render_text(model, figures, profile)  # the text as the template writes it
    sentences = {}
    for part in narrative.parts:
        headings: dict[str, str] = {}
        count = 0
        for p in part.paragraphs:
            if p.style.startswith("h"):
                level = int(p.style[1])
                headings = {k: v for k, v in headings.items() if int(k[1]) < level}
                headings[p.style] = p.text
                count = 0
                continue
            count += 1
            where = "".join(headings[k] for k in sorted(headings)) or part.heading
            for i, (text, _) in enumerate(p.sentences(), 1):
                # the key (section keys, not numbers) matches; the label is what the officer reads
                sentences[f"{p.key}#{i}"] = (f"{part.heading.split('　')[0]} {where} 第{count}段第{i}句", text)
    cells = {}
    for kind in profile.tables:
        number = profile.table_number(kind)
        for r, row in enumerate(rows_for(kind, model, profile.variant, profile.rows.get(kind.value))):
            label = row[0] or row[1] if len(row) > 1 else row[0]
            for c, text in enumerate(row):
                cells[f"{number} 第{r + 1}行（{label}）第{c + 1}列"] = text
    return sentences, cells


def _compare(a: dict, b: dict) -> list[Change]:
    """Entries are text, or (label, text) where the label differs from the matching key."""
    out = []
    for key in list(a) + [k for k in b if k not in a]:
        old, new = a.get(key, ""), b.get(key, "")
        label = (new or old)[0] if isinstance(new or old, tuple) else key
        old_text = old[1] if isinstance(old, tuple) else old
        new_text = new[1] if isinstance(new, tuple) else new
        if old_text != new_text:
            out.append(Change(label, old_text, new_text))
    return out


def diff_books(old: Path, new: Path, profile_name: str | None = None) -> DiffReport:
    profile = load_profile(profile_name)
    report = DiffReport(cells=input_changes(old, new))
    sa, ca = document_lines(old, profile)
    sb, cb = document_lines(new, profile)
    report.sentences = _compare(sa, sb)
    report.table_cells = _compare(ca, cb)
    return report


def marked(old: str, new: str) -> str:
    """Inline word diff for the terminal: [-removed-]{+added+}."""
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(old[i1:i2])
        else:
            if i2 > i1:
                out.append(f"[-{old[i1:i2]}-]")
            if j2 > j1:
                out.append(f"{{+{new[j1:j2]}+}}")
    return "".join(out)


def report_docx(report: DiffReport, old: Path, new: Path) -> bytes:
    """The same report as a Word document for reviewers: removals struck out, additions highlighted."""
    from docx import Document
    from docx.enum.text import WD_COLOR_INDEX
    from docx.shared import RGBColor

    from .files import normalize_zip

    doc = Document()
    doc.core_properties.author = "juesuan"
    from datetime import datetime

    doc.core_properties.created = doc.core_properties.modified = datetime(2024, 1, 1)
    doc.add_heading("决算公开文档修改对照", level=1)
    doc.add_paragraph(f"原工作簿：{old.name}　新工作簿：{new.name}")
    doc.add_heading("一、修改的单元格", level=2)
    for ch in report.cells:
        doc.add_paragraph(f"{ch.where}：{ch.old} → {ch.new}")
    for title, changes in (("二、随之变化的文字", report.sentences), ("三、随之变化的表格单元格", report.table_cells)):
        doc.add_heading(title, level=2)
        if not changes:
            doc.add_paragraph("无。")
        for ch in changes:
            p = doc.add_paragraph()
            p.add_run(f"{ch.where}：").bold = True
            for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ch.old, ch.new, autojunk=False).get_opcodes():
                if op == "equal":
                    p.add_run(ch.old[i1:i2])
                    continue
                if i2 > i1:
                    run = p.add_run(ch.old[i1:i2])
                    run.font.strike = True
                    run.font.color.rgb = RGBColor(0xC0, 0, 0)
                if j2 > j1:
                    p.add_run(ch.new[j1:j2]).font.highlight_color = WD_COLOR_INDEX.YELLOW
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalize_zip(buffer.getvalue())
