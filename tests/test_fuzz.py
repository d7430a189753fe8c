"""Fuzz (issue 10): random mutations of the sample workbooks' cells through check and build.

Numbers (NaN, infinities, huge and tiny), text with control characters, dates, booleans and
long Unicode go into random cells of the three samples, written as raw cell XML (the way Excel
stores them, control characters as _xHHHH_). Every run must end with exit 0, 1 or 2; exit 2 is
one clean line; any .docx written opens with python-docx. Bounded (derandomized, no database)
so it takes well under a minute (JUESUAN_FUZZ_EXAMPLES=500 for a deeper, random run).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import docx
import pytest
from helpers import SAMPLES
from typer.testing import CliRunner

from generator.cli import app

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

EXAMPLES = int(os.environ.get("JUESUAN_FUZZ_EXAMPLES", "30"))  # raise for a deeper run
BOOKS = sorted(SAMPLES.glob("*.xlsx"))
PROFILE = {"益阳": "湖南2020", "永州": "2018", "示例": "上海2024"}
_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"[^>]*?(?:/>|>.*?</c>)', re.S)


def _cells(book: Path) -> list[tuple[str, str]]:
    """(sheet part, cell address) of every cell of every sheet."""
    with zipfile.ZipFile(book) as zf:
        return [(n, m.group(1)) for n in zf.namelist() if n.startswith("xl/worksheets/") for m in _CELL.finditer(zf.read(n).decode())]


CELLS = {book.name: _cells(book) for book in BOOKS}

control_text = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x3000, blacklist_categories=("Cs",)), max_size=40)
long_text = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=500, max_size=3000)
values = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1e-300, 5e-324, 1e15, 1e22, 1e308, -1e22, 0.005, 0.004999, 99999999999.99]),
    st.integers(min_value=-(10**25), max_value=10**25),
    control_text,
    long_text,
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    st.sampled_from(["-", "", "—", "1,234.56", "(12.00)", "12万元", "１２３", "NaN", "inf", "1e400", "=1+1", "#DIV/0!"]),
)


def _excel_text(text: str) -> str:
    """Text as Excel stores it: XML-escaped, characters XML cannot hold as _xHHHH_."""
    text = text.replace("_x", "_x005F_x")
    text = "".join(f"_x{ord(ch):04X}_" if ord(ch) < 0x20 and ch not in "\t\n\r" or 0x7F <= ord(ch) <= 0x9F else ch for ch in text)
    return escape(text)


def cell_xml(ref: str, value) -> str:
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}" t="d"><v>{value.isoformat()}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_excel_text(value)}</t></is></c>'


def mutate(book: Path, dest: Path, changes: list[tuple[tuple[str, str], object]]) -> Path:
    with zipfile.ZipFile(book) as zf:
        entries = [(i.filename, zf.read(i)) for i in zf.infolist()]
    parts = dict(entries)
    for (part, ref), value in changes:
        xml = parts[part].decode()
        parts[part] = re.sub(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', lambda _m, ref=ref, value=value: cell_xml(ref, value), xml, count=1, flags=re.S).encode()
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for name, _ in entries:
            out.writestr(name, parts[name])
    return dest


def run_both(book: Path, folder: Path) -> None:
    runner = CliRunner()
    profile = next(p for k, p in PROFILE.items() if k in book.name)
    out = folder / "out.docx"
    for args in (["check", str(book), "--profile", profile], ["build", str(book), "--profile", profile, "-o", str(out)]):
        result = runner.invoke(app, args)
        said = result.stdout + result.stderr
        assert result.exit_code in (0, 1, 2), (args[0], result.exit_code, said[-3000:])
        assert isinstance(result.exception, (SystemExit, type(None))), repr(result.exception)
        assert "Traceback" not in said
        if result.exit_code == 2:
            lines = result.stderr.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("错误："), result.stderr
            assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", lines[0])
    if out.exists():
        docx.Document(out)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 30, database=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_random_cell_mutations_end_cleanly(data):
    book = data.draw(st.sampled_from(BOOKS), label="book")
    cells = CELLS[book.name]
    changes = data.draw(st.lists(st.tuples(st.sampled_from(cells), values), min_size=1, max_size=3), label="changes")
    with tempfile.TemporaryDirectory() as tmp:
        run_both(mutate(book, Path(tmp) / book.name, changes), Path(tmp))


TEXT_CELLS = {
    name: [c for c in cells if c[1][0] in "AB"]  # labels, names and texts live in columns A/B
    for name, cells in CELLS.items()
}


@settings(max_examples=max(1, EXAMPLES * 5 // 6), deadline=None, derandomize=EXAMPLES <= 30, database=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_control_characters_in_text_cells_never_break_the_document(data):
    """Text mutations only: the workbook stays readable, so most runs really write a document."""
    book = data.draw(st.sampled_from(BOOKS), label="book")
    picks = data.draw(st.lists(st.sampled_from(TEXT_CELLS[book.name]), min_size=1, max_size=3), label="cells")
    with zipfile.ZipFile(book) as zf:
        texts = []
        for part, ref in picks:
            m = re.search(rf'<c r="{ref}"[^>]*>.*?<t[^>]*>(.*?)</t>', zf.read(part).decode(), re.S)
            texts.append(m.group(1) if m else "")
    noise = data.draw(st.lists(control_text, min_size=len(picks), max_size=len(picks)), label="noise")
    from xml.sax.saxutils import unescape

    changes = [(c, unescape(t) + n) for c, t, n in zip(picks, texts, noise, strict=False)]
    with tempfile.TemporaryDirectory() as tmp:
        run_both(mutate(book, Path(tmp) / book.name, changes), Path(tmp))
