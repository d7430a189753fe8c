"""Reading a produced .docx back (python-docx): text, tables in body order, highlights.

Tests assert on what a reader of the Word file sees, not on the engine's internals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

TABLE_LABEL = re.compile(r"^公开(\d\d)表$")


@dataclass
class DocText:
    """Everything a reader sees: paragraphs and table cells, in body order."""

    paragraphs: list[str]
    tables: list[list[list[str]]]  # table -> rows -> cell texts
    labels: list[str | None]  # the 公开NN表 label preceding each table (None if none)
    after: list[list[str]] = field(default_factory=list)  # paragraphs between a table and the next one

    @property
    def body(self) -> str:
        """All paragraph texts, one per line."""
        return "\n".join(self.paragraphs)

    @property
    def cells(self) -> str:
        return "\n".join(" | ".join(row) for t in self.tables for row in t)

    @property
    def all(self) -> str:
        return self.body + "\n" + self.cells

    def table(self, label: str) -> list[list[str]]:
        """The table labelled e.g. "公开05表"."""
        hits = [t for t, lab in zip(self.tables, self.labels, strict=False) if lab == label]
        assert len(hits) == 1, f"{label}: {len(hits)} tables"
        return hits[0]

    def paragraphs_after(self, label: str) -> list[str]:
        i = self.labels.index(label)
        return self.after[i]


def read(path: str | Path) -> DocText:
    document = docx.Document(str(path))
    paragraphs: list[str] = []
    tables: list[list[list[str]]] = []
    labels: list[str | None] = []
    after: list[list[str]] = []
    last_label: str | None = None
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = Paragraph(child, document).text
            paragraphs.append(text)
            if TABLE_LABEL.match(text.strip()):
                last_label = text.strip()
            if after:
                after[-1].append(text)
        elif tag == "tbl":
            t = Table(child, document)
            tables.append([[cell.text for cell in row.cells] for row in t.rows])
            labels.append(last_label)
            last_label = None
            after.append([])
    return DocText(paragraphs, tables, labels, after)


def highlighted_runs(path: str | Path) -> list[tuple[str, object]]:
    """(run text, highlight colour) of every run in body paragraphs and table cells."""
    document = docx.Document(str(path))
    out = []
    paras = list(document.paragraphs)
    for t in document.tables:
        for row in t.rows:
            for cell in row.cells:
                paras.extend(cell.paragraphs)
    for p in paras:
        for r in p.runs:
            out.append((r.text, r.font.highlight_color))
    return out


def fmt_table_amount(value) -> str:
    """A workbook cell as the published table must show it: 2 decimals, thousands separators."""
    if value is None or (isinstance(value, str) and value.strip() in ("", "-")):
        d = Decimal(0)
    elif isinstance(value, (int, float)):
        d = Decimal(repr(value))
    else:
        d = Decimal(str(value).replace(",", "").strip())
    q = d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if q == 0:
        q = abs(q)
    return f"{q:,.2f}"


def build_edited(src: Path, out_dir: Path, name: str, profile: str, edit=None) -> DocText:
    """Build ``src`` (edited by ``edit(workbook)`` when given) in ``profile`` and read the document back."""
    from generator.pipeline import build_book
    from tests.helpers import edited_copy

    book = edited_copy(src, out_dir / f"{name}.xlsx", edit)
    out = out_dir / f"{name}.docx"
    build_book(book, out, profile_name=profile)
    return read(out)


def paragraph_starting(doc: DocText, start: str) -> str:
    """The one paragraph that starts with ``start``."""
    hits = [p for p in doc.paragraphs if p.startswith(start)]
    assert len(hits) == 1, f"{start}: {hits}"
    return hits[0]
