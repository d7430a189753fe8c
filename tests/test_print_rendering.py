"""The printed pages, laid out by LibreOffice: page numbers, repeated table headers, PDF
bookmarks, a 目录 whose numbers are the headings' pages, no heading alone at a page's foot.

A synthetic unit with 60 items per subject table, so that the wide tables run over two pages.
"""

from __future__ import annotations

import re
import shutil

import pytest

from generator import pdf, printing
from generator.init_book import write_book
from generator.pipeline import build_book
from generator.synthetic import synthetic_book

pytestmark = pytest.mark.skipif(
    pdf.soffice() is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) or poppler-utils (pdftotext) is not installed here",
)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("print")
    book = write_book(folder / "合成单位.xlsx", synthetic_book(3, items=60))
    out = folder / "合成单位.docx"
    build_book(book, out)
    pdf_path, notes = pdf.print_pdf(out)
    data = pdf_path.read_bytes()
    return out.read_bytes(), data, printing.pdf_pages(data), notes


def test_every_page_but_the_cover_carries_its_number(printed):
    _, _, pages, _ = printed
    assert len(pages) > 20
    assert not re.search(r"—\s*\d+\s*—", pages[0])
    for n, page in enumerate(pages[1:], 2):
        assert re.search(rf"—\s*{n}\s*—", page), f"page {n} has no “— {n} —”"


def test_a_table_over_two_pages_repeats_its_header_row(printed):
    _, _, pages, _ = printed
    starts = [i for i, p in enumerate(pages) if "收入决算表" in squash(p) and "公开02表" in squash(p)]
    start = max(starts)  # the table's own page (the 目录 lists the title too, without 公开02表)
    following = squash(pages[start + 1])
    assert "公开02表" not in following and "公开03表" not in following  # still 公开02
    assert "本年收入合计" in following and "上级补助收入" in following  # header row repeated


def test_the_pdf_has_bookmarks_for_parts_and_sections(printed):
    docx, pdf, _, _ = printed
    titles = set()
    for raw in re.findall(rb"/Title\s*<([0-9A-Fa-f]+)>", pdf):
        titles.add(squash(bytes.fromhex(raw.decode()).decode("utf-16")))
    for raw in re.findall(rb"/Title\s*\((.*?)\)", pdf):
        titles.add(squash(raw.decode("latin-1")))
    entries = printing.toc_entries(docx)
    assert len(entries) >= 25
    missing = [e.text for e in entries if squash(e.text) not in titles]
    assert not missing, missing


def test_every_toc_number_is_the_page_of_its_heading(printed):
    docx, _, pages, _ = printed
    entries, numbers = printing.toc_entries(docx), printing.toc_pages(docx)
    assert len(numbers) == len(entries) and all(numbers)
    assert numbers == sorted(numbers)
    toc_text = squash(pages[1])
    for entry, number in zip(entries, numbers, strict=False):
        assert squash(entry.text) in squash(pages[number - 1]), (entry.text, number)
        # the printed 目录 shows that number after the entry (dot leaders in between)
    assert re.search(rf"{re.escape(squash(entries[0].text))}\.*{numbers[0]}", toc_text)


def test_no_page_ends_with_a_heading(printed):
    docx, _, pages, _ = printed
    headings = {squash(e.text) for e in printing.toc_entries(docx)}
    for n, page in enumerate(pages[:-1], 1):
        lines = [squash(line) for line in page.splitlines() if squash(line)]
        lines = [line for line in lines if not re.fullmatch(r"—\d+—", line)]
        if n <= 3 or not lines:
            continue  # the cover and the 目录 list headings by design
        assert lines[-1] not in headings, f"page {n} ends with the heading “{lines[-1]}”"


def test_official_faces_are_found_here(printed):
    *_, notes = printed
    assert notes == []  # fonts-noto-cjk + fonts-arphic-ukai/uming give every kind of face
