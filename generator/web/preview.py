"""The produced .docx read back with python-docx, to show its text and tables in the page."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

MAX_BLOCKS = 2000


@dataclass
class Block:
    kind: str  # "h1" | "h2" | "p" | "table"
    text: str = ""
    look: str = ""  # a paragraph's look in the document: "center" (cover lines), "toc1"/"toc2" (table of contents), "" (body text)
    rows: list[list[str]] = field(default_factory=list)


def _level(style: str) -> str:
    if style in ("Title", "决算标题") or style.startswith("Heading 1") or style in ("决算部分", "决算一级"):
        return "h1"
    if style.startswith("Heading") or style in ("决算二级", "决算三级", "决算表题", "决算表号"):
        return "h2"
    return "p"


def _look(p) -> str:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    style = p.style.name if p.style is not None else ""
    if style.lower().startswith("toc "):
        return "toc1" if style.endswith("1") else "toc2"
    align = p.alignment if p.alignment is not None else (p.style.paragraph_format.alignment if p.style is not None else None)
    return "center" if align == WD_ALIGN_PARAGRAPH.CENTER else ""


def read_docx(path: Path) -> list[Block]:
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = Document(str(path))
    blocks: list[Block] = []
    for child in doc.element.body.iterchildren():
        if len(blocks) >= MAX_BLOCKS:
            break
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = Paragraph(child, doc)
            text = p.text.strip()
            if text:
                blocks.append(Block(_level(p.style.name if p.style is not None else ""), text, _look(p)))
        elif tag == "tbl":
            table = Table(child, doc)
            rows = []
            for row in table.rows:
                cells, last = [], None
                for cell in row.cells:
                    if cell._tc is last:  # a merged cell appears once
                        continue
                    last = cell._tc
                    cells.append(cell.text.strip())
                rows.append(cells)
            blocks.append(Block("table", rows=rows))
    return blocks


def contains(path: Path, text: str) -> bool:
    return any(text in b.text or any(text in c for r in b.rows for c in r) for b in read_docx(path))
