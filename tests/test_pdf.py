"""Optional PDF: produced where LibreOffice is installed; a clear message where it is not."""

import re
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from generator import pdf, printing
from generator.cli import app


def test_without_libreoffice_the_docx_is_built_and_the_user_is_told(tmp_path, samples, monkeypatch):
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    out = tmp_path / "doc.docx"
    result = CliRunner().invoke(app, ["build", str(samples / "示例单位_2024.xlsx"), "-o", str(out), "--pdf"])
    assert result.exit_code == 0, result.output
    assert out.exists() and not out.with_suffix(".pdf").exists()
    assert "未找到 LibreOffice" in result.output


@pytest.mark.skipif(pdf.soffice() is None or shutil.which("pdftotext") is None, reason="LibreOffice (soffice) or pdftotext is not installed here")
def test_build_pdf_has_the_text_toc_page_numbers_and_bookmarks(tmp_path, samples):
    out = tmp_path / "doc.docx"
    result = CliRunner().invoke(app, ["build", str(samples / "示例单位_2024.xlsx"), "-o", str(out), "--pdf"])
    assert result.exit_code == 0, result.output
    produced = out.with_suffix(".pdf")
    assert produced.read_bytes()[:5] == b"%PDF-"
    assert_printed(out, produced, "示例市数据资源局", "2,852.39")


# --- the converter (one LibreOffice profile per worker, many documents per start) -----------------

needs_soffice = pytest.mark.skipif(pdf.soffice() is None, reason="LibreOffice (soffice) is not installed here: make system-deps")
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdffonts") is None, reason="poppler-utils is not installed here")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def assert_printed(docx_path, pdf_path, unit: str, figure: str) -> None:
    """The PDF holds the unit and the figure; every 目录 entry carries, in the .docx and on the PDF's
    目录 page, the page its heading stands on; the headings are bookmarks (the PDF's outline)."""
    import pypdf

    docx, data = docx_path.read_bytes(), pdf_path.read_bytes()
    pages = printing.pdf_pages(data)
    text = "".join(pages)
    assert unit in text and figure in text
    entries, numbers = printing.toc_entries(docx), printing.toc_pages(docx)
    assert len(entries) >= 10 and len(numbers) == len(entries) and all(numbers), numbers
    first = next(i for i, p in enumerate(pages) if squash(p).startswith("目录"))
    toc = re.sub(r"—\d+—", "", squash("".join(pages[first : numbers[0] - 1])))  # the 目录 without its page footers
    texts = [squash(e.label or e.text) for e in entries]  # as the 目录 prints them ("一、收入支出决算总表")
    pos = toc.index(texts[0])
    for k, (text, number) in enumerate(zip(texts, numbers, strict=False)):
        assert squash(entries[k].text) in squash(pages[number - 1]), (text, number)  # the heading stands on that page
        m = re.compile(re.escape(text) + r"[.…·]*" + str(number)).match(toc, pos)  # and the 目录 says so, before the next entry
        assert m and toc.startswith(texts[k + 1] if k + 1 < len(texts) else "", m.end()), (text, number, toc[pos : pos + 80])
        pos = m.end()

    def titles(outline):
        for item in outline:
            yield from titles(item) if isinstance(item, list) else [squash(item.title)]

    marks = set(titles(pypdf.PdfReader(pdf_path).outline))
    assert {squash(e.text) for e in entries} <= marks


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
    with pdf.Converter() as conv:
        outcome = conv.convert_many([good1, bad, good2])
    assert outcome[good1][:5] == b"%PDF-" and outcome[good2][:5] == b"%PDF-"
    assert "bad.docx" in outcome[bad]


SAMPLES = [("益阳市智慧城市和大数据中心_2020", "湖南2020", "益阳市智慧城市和大数据中心", "2,217.42"),
           ("永州市政务服务中心_2018", "2018", "永州市政务服务中心", "4,727.74"),
           ("示例单位_2024", "上海2024", "示例市数据资源局", "2,852.39")]  # fmt: skip


@needs_soffice
@needs_poppler
@pytest.mark.parametrize("stem, profile, unit, figure", SAMPLES, ids=[s[1] for s in SAMPLES])
def test_batch_pdf_over_the_three_samples(tmp_path, samples, monkeypatch, stem, profile, unit, figure):
    """batch uses one profile for all its units: one batch per sample, each with its own profile."""
    import json

    from generator.batch import MANIFEST

    laid_out = []
    convert_blobs = pdf.Converter.convert_blobs
    monkeypatch.setattr(pdf.Converter, "convert_blobs", lambda self, blobs, names=None: laid_out.extend(names or []) or convert_blobs(self, blobs, names))
    out = tmp_path / "out"
    args = ["batch", str(samples / f"{stem}.xlsx"), "-o", str(out), "--pdf", "--profile", profile]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert_printed(out / f"{stem}.docx", out / f"{stem}.pdf", unit, figure)
    assert laid_out == [f"{stem}.docx"]  # one layout: LibreOffice computed the 目录's numbers itself
    if profile != "上海2024":
        return
    # the next run skips the unit (the manifest holds the .docx with its page numbers) and makes a missing PDF again
    docx = (out / f"{stem}.docx").read_bytes()
    (out / f"{stem}.pdf").unlink()
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    entry = next(iter(json.loads((out / MANIFEST).read_text("utf-8"))["units"].values()))
    assert entry["result"]["status"] == "已生成" and "0 个已生成，1 个未变化已跳过" in result.output
    assert (out / f"{stem}.docx").read_bytes() == docx  # its numbers held: not rewritten
    assert_printed(out / f"{stem}.docx", out / f"{stem}.pdf", unit, figure)


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


def test_pagination_converts_again_only_the_documents_whose_numbers_changed(tmp_path, samples, monkeypatch):
    """No LibreOffice: a stand-in layout puts the cover on page 1, the 目录 on page 2 and heading k on page 3 + k."""
    import docx as python_docx

    from generator.pipeline import build_book

    build_book(samples / "示例单位_2024.xlsx", tmp_path / "a.docx")
    with_toc = (tmp_path / "a.docx").read_bytes()
    python_docx.Document().save(tmp_path / "plain.docx")
    plain = (tmp_path / "plain.docx").read_bytes()
    texts = [e.text for e in printing.toc_entries(with_toc)]
    calls = []

    def convert(blobs, which):
        calls.append(list(which))
        out = []
        for blob, i in zip(blobs, which, strict=False):
            if i == 1:
                out.append("LibreOffice 未能把 b.docx 转换为 PDF")
                continue
            heads = [e.text for e in printing.toc_entries(blob)]
            out.append("\f".join(["封面", "目录 " + " ".join(heads), *heads]).encode())
        return out

    monkeypatch.setattr(printing, "pdf_pages", lambda data: data.decode().split("\f"))
    got = printing.paginate_many([with_toc, with_toc, plain], convert)
    # pass 1: all three; pass 2: only the one whose numbers were written (the failed one and the one without 目录 are done)
    assert calls == [[0, 1, 2], [0]]
    assert printing.toc_pages(got[0].docx) == [3 + k for k in range(len(texts))] and got[0].conversions == 2
    assert "b.docx" in got[1].error and got[1].pdf == b""
    assert got[2].docx == plain and got[2].conversions == 1 and not got[2].error


def test_batch_pdf_a_unit_whose_conversion_fails_is_failed_and_rebuilt_next_run(tmp_path, samples, monkeypatch):
    """A stand-in soffice that dies on crash*.docx: that unit is "PDF 转换失败", the other gets its PDF;
    the manifest keeps the failed unit out, so the next run builds it again and skips the other."""
    import json
    import shutil as sh

    from generator.batch import MANIFEST, run_batch

    exe, log = _fake_soffice(tmp_path)
    monkeypatch.setattr(pdf, "soffice", lambda: exe)
    books = tmp_path / "books"
    books.mkdir()
    sh.copy(samples / "示例单位_2024.xlsx", books / "good.xlsx")
    sh.copy(samples / "示例单位_2024.xlsx", books / "crash.xlsx")
    out = tmp_path / "out"
    report = run_batch([books], out, jobs=1, pdf=True)
    status = {r.source.split("/")[-1]: r.status for r in report.results}
    assert status == {"crash.xlsx": "PDF 转换失败", "good.xlsx": "已生成"} and not report.ok
    assert (out / "good.pdf").read_bytes().startswith(b"%PDF") and not (out / "crash.pdf").exists()
    message = next(r.message for r in report.results if r.status == "PDF 转换失败")
    assert "crash.docx" in message
    units = json.loads((out / MANIFEST).read_text("utf-8"))["units"]
    assert [k.split("/")[-1] for k in units] == ["good.xlsx"]
    first_run = len(log.read_text().splitlines())
    report = run_batch([books], out, jobs=1, pdf=True)
    status = {r.source.split("/")[-1]: r.status for r in report.results}
    assert status == {"crash.xlsx": "PDF 转换失败", "good.xlsx": "未变化（跳过）"}
    # the good unit's PDF is not older than its .docx: only crash was handed to LibreOffice again
    assert "good" not in " ".join(log.read_text().splitlines()[first_run:])


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig (fc-match) is not installed here")
def test_a_style_falling_back_to_a_face_of_another_kind_gives_one_line(tmp_path, monkeypatch):
    """A fontconfig that sends 楷体_GB2312 to a 黑体-kind face: exactly that style is named, once."""
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    '<match target="pattern"><test name="family"><string>楷体_GB2312</string></test>'
                    '<edit name="family" mode="assign_replace" binding="strong"><string>Noto Sans CJK SC</string></edit></match>'
                    f'<include ignore_missing="yes">{printing.FONTS_CONF}</include>'
                    "</fontconfig>", encoding="utf-8")  # fmt: skip
    monkeypatch.setattr(printing, "FONTS_CONF", conf)
    face = subprocess.run(["fc-match", "-f", "%{family[0]}", "楷体_GB2312"], capture_output=True, text=True, env=printing.font_env()).stdout
    if "Sans" not in face:
        pytest.skip(f"Noto Sans CJK SC is not installed here (楷体_GB2312 → {face})")
    lines = printing.font_warnings()
    assert len(lines) == 1 and "楷体_GB2312" in lines[0] and face in lines[0], lines


def test_build_pdf_and_batch_pdf_pass_font_warnings_on(tmp_path, samples, monkeypatch):
    """With a stand-in soffice: build --pdf prints each font line; batch --pdf keeps them as the run's notes."""
    from generator.batch import run_batch

    exe, _ = _fake_soffice(tmp_path)
    monkeypatch.setattr(pdf, "soffice", lambda: exe)
    monkeypatch.setattr(pdf, "_DEFAULT", None)
    line = "字体提示：本机没有楷体类字体，PDF 中“楷体_GB2312”以“Noto Sans CJK SC”代替。"
    monkeypatch.setattr(pdf, "font_warnings", lambda: [line])
    monkeypatch.setattr(printing, "font_warnings", lambda: [line])
    out = tmp_path / "doc.docx"
    result = CliRunner().invoke(app, ["build", str(samples / "示例单位_2024.xlsx"), "-o", str(out), "--pdf"])
    assert result.exit_code == 0 and line in result.output, result.output
    assert out.with_suffix(".pdf").exists()
    report = run_batch([samples / "示例单位_2024.xlsx"], tmp_path / "batch", jobs=1, pdf=True)
    assert report.notes == [line]


def test_the_libreoffice_copy_keeps_live_pagerefs_without_the_toc_field(tmp_path, samples):
    """LibreOffice prints a TOC field's stored text but computes a PAGEREF outside one: the copy it
    lays out drops the TOC field's own begin/instruction/separate/end and keeps one PAGEREF per entry."""
    import zipfile

    from generator.pipeline import build_book

    build_book(samples / "示例单位_2024.xlsx", tmp_path / "a.docx")
    docx = (tmp_path / "a.docx").read_bytes()
    (tmp_path / "lo.docx").write_bytes(printing.for_libreoffice(docx))

    def fields(path):
        xml = zipfile.ZipFile(path).read("word/document.xml").decode()
        kinds = re.findall(r'w:fldCharType="(\w+)"', xml)
        return xml, kinds.count("begin"), kinds.count("end")

    before, begins, ends = fields(tmp_path / "a.docx")
    after, lo_begins, lo_ends = fields(tmp_path / "lo.docx")
    entries = len(printing.toc_entries(docx))
    assert " TOC " in before and " TOC " not in after
    assert after.count(" PAGEREF ") == before.count(" PAGEREF ") == entries
    assert (lo_begins, lo_ends) == (begins - 1, ends - 1) and lo_begins == lo_ends
    assert 'w:type="linesAndChars"' not in after  # the character-grid work-around too
