"""Optional PDF: produced where LibreOffice is installed; a clear message where it is not."""

import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from generator import pdf
from generator.cli import app


def test_without_libreoffice_the_docx_is_built_and_the_user_is_told(tmp_path, samples, monkeypatch):
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    out = tmp_path / "doc.docx"
    result = CliRunner().invoke(app, ["build", str(samples / "示例单位_2024.xlsx"), "-o", str(out), "--pdf"])
    assert result.exit_code == 0, result.output
    assert out.exists() and not out.with_suffix(".pdf").exists()
    assert "未找到 LibreOffice" in result.output


@pytest.mark.skipif(pdf.soffice() is None, reason="LibreOffice is not installed here")
def test_with_libreoffice_a_pdf_with_the_text_is_written(tmp_path, samples):
    out = tmp_path / "doc.docx"
    result = CliRunner().invoke(app, ["build", str(samples / "示例单位_2024.xlsx"), "-o", str(out), "--pdf"])
    assert result.exit_code == 0, result.output
    produced = out.with_suffix(".pdf")
    assert produced.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(produced), "-"], capture_output=True, text=True).stdout
        assert "2,852.39" in text


# --- the converter (one LibreOffice profile per worker, many documents per start) -----------------

needs_soffice = pytest.mark.skipif(pdf.soffice() is None, reason="LibreOffice (soffice) is not installed here: make system-deps")
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdffonts") is None, reason="poppler-utils is not installed here")


def _text(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _has_outlines(data: bytes) -> bool:
    """LibreOffice writes the bookmark tree as a plain /Outlines dictionary in the catalog."""
    return b"/Outlines" in data and b"/First" in data


def _headed_docx(path, title):
    import docx

    d = docx.Document()
    d.add_heading(title, level=1)
    d.add_paragraph("收入总计 2,217.42 万元。")
    d.add_heading("第二节", level=2)
    d.save(path)
    return path


@needs_soffice
@needs_poppler
def test_converter_bytes_in_pdf_out_with_bookmarks_and_embedded_fonts(tmp_path):
    conv = pdf.Converter()
    try:
        data = conv(_headed_docx(tmp_path / "a.docx", "第一部分 概况").read_bytes())
    finally:
        conv.close()
    assert data[:5] == b"%PDF-"
    (tmp_path / "a.pdf").write_bytes(data)
    assert "2,217.42" in _text(tmp_path / "a.pdf")
    assert _has_outlines(data)  # ExportBookmarks: the two headings are bookmarks
    fonts = subprocess.run(["pdffonts", str(tmp_path / "a.pdf")], capture_output=True, text=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # column "emb"


@needs_soffice
def test_a_broken_document_fails_alone_and_the_others_are_converted(tmp_path):
    good1, good2 = _headed_docx(tmp_path / "g1.docx", "甲"), _headed_docx(tmp_path / "g2.docx", "乙")
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 this is not a Word document")
    outcome = pdf.convert_batch([good1, bad, good2], jobs=1)
    assert outcome[good1] is None and outcome[good2] is None
    assert "bad.docx" in outcome[bad] and not bad.with_suffix(".pdf").exists()
    assert good1.with_suffix(".pdf").read_bytes()[:5] == b"%PDF-" and good2.with_suffix(".pdf").exists()


@needs_soffice
@needs_poppler
def test_batch_pdf_over_the_three_samples(tmp_path, samples):
    import zipfile

    from generator.cli import app

    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["batch", *map(str, sorted(samples.glob("*.xlsx"))), "-o", str(out), "--pdf", "-j", "2"])
    assert result.exit_code == 0, result.output
    known = {"永州市政务服务中心_2018": ("永州市政务服务中心", "4,727.74"), "益阳市智慧城市和大数据中心_2020": ("益阳市智慧城市和大数据中心", "2,217.42"),
             "示例单位_2024": ("示例市数据资源局", "2,852.39")}  # fmt: skip
    for stem, (unit, figure) in known.items():
        produced = out / f"{stem}.pdf"
        text = _text(produced)
        assert unit in text and figure in text, stem
        styles = zipfile.ZipFile(out / f"{stem}.docx").read("word/styles.xml").decode()
        if "决算部分" in styles and 'w:outlineLvl w:val="0"' in styles.split("决算部分")[1].split("</w:style>")[0]:
            assert _has_outlines(produced.read_bytes()), stem  # headings carry outline levels → bookmarks


def _fake_soffice(tmp_path):
    """A stand-in for soffice that converts in order and dies on any document named crash*.docx."""
    import sys

    script = tmp_path / "fake-soffice"
    log = tmp_path / "starts.log"
    script.write_text(f"""#!{sys.executable}
import sys, pathlib
args = sys.argv[1:]
out = pathlib.Path(args[args.index("--outdir") + 1])
docs = [a for a in args[args.index("--outdir") + 2:]]
with open({str(log)!r}, "a") as f:
    f.write(" ".join(pathlib.Path(d).stem for d in docs) + "\\n")
out.mkdir(parents=True, exist_ok=True)
for d in docs:
    if pathlib.Path(d).stem.startswith("crash"):
        sys.exit(134)
    (out / (pathlib.Path(d).stem + ".pdf")).write_bytes(b"%PDF-1.4 fake\\n%%EOF\\n")
""")
    script.chmod(0o755)
    return str(script), log


def test_after_a_crash_the_culprit_is_retried_alone_and_the_rest_go_on(tmp_path):
    exe, log = _fake_soffice(tmp_path)
    docs = [tmp_path / f"{n}.docx" for n in ("a", "crash", "b", "c")]
    for d in docs:
        d.write_bytes(b"PK")
    conv = pdf.Converter(exe=exe)
    try:
        got = conv.convert_many(docs)
    finally:
        conv.close()
    # start 1: a, then it dies on crash; start 2: crash alone (dies again); start 3: the rest
    assert log.read_text().splitlines() == ["a crash b c", "crash", "b c"]
    assert conv.starts == 3
    assert got[docs[0]].startswith(b"%PDF") and got[docs[2]].startswith(b"%PDF") and got[docs[3]].startswith(b"%PDF")
    assert isinstance(got[docs[1]], str) and "crash.docx" in got[docs[1]]


def test_many_documents_share_one_start_per_chunk(tmp_path, monkeypatch):
    exe, log = _fake_soffice(tmp_path)
    monkeypatch.setattr(pdf, "CHUNK", 3)
    docs = []
    for i in range(7):
        (tmp_path / f"d{i}").mkdir()
        docs.append(tmp_path / f"d{i}" / ("same.docx" if i < 2 else f"u{i}.docx"))  # two equal names never share a start
        docs[-1].write_bytes(b"PK")
    conv = pdf.Converter(exe=exe)
    try:
        got = conv.convert_many(docs)
    finally:
        conv.close()
    assert all(isinstance(v, bytes) for v in got.values()) and len(got) == 7
    runs = [line.split() for line in log.read_text().splitlines()]
    assert all(len(r) <= 3 and len(set(r)) == len(r) for r in runs) and sum(map(len, runs)) == 7
    assert len(runs) == 3  # ceil(7 / 3) starts, not 7
