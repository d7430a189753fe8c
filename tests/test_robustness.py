"""Nothing crashes, nothing is lost (issue 10): hostile and clumsy inputs through the CLI.

Every case asserts the exit code (0 ok, 1 findings, 2 unusable input, 3 internal error),
the single line printed, and that no file of the user's changed.
"""

from __future__ import annotations

import errno
import io
import os
import re
import shutil
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from helpers import DEMO, YIYANG, edited_copy, find_cell, sheet_named
from typer.testing import CliRunner

from generator import files
from generator.cli import app

runner = CliRunner()


# ---- helpers --------------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every regular file under ``folder`` with its bytes (what "nothing changed" compares)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def invoke(*args: str):
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def one_line(result, code: int, *texts: str) -> str:
    """The command exited with ``code`` and said exactly one line on stderr containing ``texts``."""
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for text in texts:
        assert text in lines[0], (text, lines[0])
    return lines[0]


def opens(path: Path) -> str:
    """The .docx opens with python-docx; its text (paragraphs and tables)."""
    d = docx.Document(path)
    texts = [p.text for p in d.paragraphs]
    texts += [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join(texts)


def rewrite_part(src: Path, dest: Path, member: str, fn) -> Path:
    """Copy the package ``src`` to ``dest`` with one part's bytes replaced by ``fn(bytes)``."""
    with zipfile.ZipFile(src) as zf:
        entries = [(i, zf.read(i)) for i in zf.infolist()]
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in entries:
            out.writestr(info.filename, fn(data) if info.filename == member else data)
    return dest


def sheet_member(path: Path, title: str) -> str:
    with zipfile.ZipFile(path) as zf:
        workbook = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet[^>]*name="{re.escape(title)}"[^>]*r:id="(rId\d+)"', workbook).group(1)
    target = re.search(rf'<Relationship[^>]*Id="{rid}"[^>]*/>', rels).group(0)
    member = re.search(r'Target="([^"]+)"', target).group(1).lstrip("/")
    return member if member.startswith("xl/") else "xl/" + member


def set_raw_cell(src: Path, dest: Path, sheet: str, coord: str, xml: str) -> Path:
    """A cell written as raw XML (forms openpyxl refuses: NaN, 1e400, control characters)."""
    member = sheet_member(src, sheet)

    def fn(data: bytes) -> bytes:
        text = data.decode()
        new, n = re.subn(rf'<c r="{coord}"[^>]*?(?:/>|>.*?</c>)', xml, text, count=1, flags=re.S)
        assert n == 1, coord
        return new.encode()

    return rewrite_part(src, dest, member, fn)


def far_cell_book(tmp: Path, name: str = "远处单元格.xlsx") -> Path:
    """The demo workbook with one stray value at XFD1048576 (the last cell of a sheet)."""
    member = sheet_member(DEMO, "说明")

    def fn(data: bytes) -> bytes:
        text = data.decode()
        return text.replace("</sheetData>", '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>').encode()

    return rewrite_part(DEMO, tmp / name, member, fn)


def zip_bomb(tmp: Path, name: str = "炸弹.xlsx") -> Path:
    """Small on disk, 200 MB uncompressed in one sheet part."""
    member = sheet_member(DEMO, "说明")
    path = tmp / name
    with zipfile.ZipFile(DEMO) as zf:
        entries = [(i.filename, zf.read(i)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for n, data in entries:
            if n == member:
                with out.open(n, "w", force_zip64=True) as f:
                    f.write(data[: data.index(b"<sheetData>") + len(b"<sheetData>")])
                    chunk = b" " * (1 << 20)
                    for _ in range(200):
                        f.write(chunk)
                    f.write(b"</sheetData></worksheet>")
            else:
                out.writestr(n, data)
    assert path.stat().st_size < 2_000_000
    return path


def encrypted_book(tmp: Path, name: str = "加密.xlsx") -> Path:
    p = tmp / name
    ole = bytes.fromhex("D0CF11E0A1B11AE1")
    p.write_bytes(ole + b"\x00" * 504 + "EncryptedInfo".encode("utf-16-le") + b"\x00" * 64 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 1024)
    return p


CONTROL_NAME = "示例市_x0001_数据_x000B_资源局\\1$&.*+?[]{}^|"  # as Excel stores \x01 and \x0b
CLEAN_NAME = "示例市数据资源局\\1$&.*+?[]{}^|"


def control_char_book(tmp: Path, name: str = "控制字符.xlsx") -> Path:
    """Control characters (as Excel stores them: _x0001_) in the unit name (with a backslash and
    regex-special characters), a 科目名称 and a project name."""
    path = tmp / name

    def edit(wb):
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, str) and "示例市数据资源局" in c.value:
                        c.value = c.value.replace("示例市数据资源局", CONTROL_NAME)
        ws = sheet_named(wb, "公开05表")
        cell = find_cell(ws, "2010302", "项目支出")
        name_cell = ws.cell(row=cell.row, column=2)
        name_cell.value = f"{name_cell.value}_x001F_"
        ws = wb["绩效"]
        for row in ws.iter_rows():
            if row[0].value == "项目名称":
                below = ws.cell(row=row[0].row + 1, column=1)
                below.value = f"{below.value}_x0002_"
                break

    return edited_copy(DEMO, path, edit)


def xls_book(tmp: Path, name: str = "示例单位_2024（旧版）.xls") -> Path:
    """The demo workbook saved as Excel 97-2003 (.xls), as the 决算 software exports it."""
    xlwt = pytest.importorskip("xlwt", reason="xlwt (test extra) writes the .xls sample")
    src = openpyxl.load_workbook(DEMO, data_only=True)
    book = xlwt.Workbook(encoding="utf-8")
    for ws in src.worksheets:
        sheet = book.add_sheet(ws.title)
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    sheet.write(c.row - 1, c.column - 1, c.value)
    path = tmp / name
    book.save(str(path))
    return path


# ---- bounded reading --------------------------------------------------------------------------


def test_a_far_stray_cell_costs_nothing(tmp_path):
    book = far_cell_book(tmp_path)
    before = snapshot(tmp_path)
    result = invoke("build", book, "-o", tmp_path / "out.docx")
    assert result.exit_code == 0, result.stderr
    assert "已生成" in result.stdout
    assert "示例" in opens(tmp_path / "out.docx")
    assert {k: v for k, v in snapshot(tmp_path).items() if k != "out.docx"} == before


@pytest.mark.parametrize(
    "make,texts",
    [
        (lambda t: zip_bomb(t), ["炸弹.xlsx", "解压后", "MB", "上限"]),
        (lambda t: encrypted_book(t), ["加密.xlsx", "密码"]),
        (lambda t: (t / "x.xlsx").mkdir() or t / "x.xlsx", ["x.xlsx", "文件夹"]),
        (lambda t: (t / "断链.xlsx").symlink_to(t / "不存在.xlsx") or t / "断链.xlsx", ["断链.xlsx", "链接"]),
        (lambda t: Path("/dev/zero"), ["zero", "不是普通文件"]),
        (lambda t: rewrite_part(DEMO, t / "dtd.xlsx", "xl/workbook.xml", with_dtd), ["dtd.xlsx", "DTD"]),
        (lambda t: rewrite_part(DEMO, t / "坏XML.xlsx", sheet_member(DEMO, "公开01表"), lambda d: d[: len(d) // 2]), ["坏XML.xlsx", "XML 已损坏"]),
        (lambda t: corrupt_deflate(t), ["压缩.xlsx", "损坏"]),
        (lambda t: set_raw_cell(DEMO, t / "nan.xlsx", "公开01表", "C7", '<c r="C7"><v>NaN</v></c>'), ["nan.xlsx", "公开01表", "C7", "NaN"]),
        (lambda t: set_raw_cell(DEMO, t / "inf.xlsx", "公开01表", "C7", '<c r="C7"><v>1e400</v></c>'), ["inf.xlsx", "公开01表", "C7", "无穷大"]),
        (lambda t: set_raw_cell(DEMO, t / "huge.xlsx", "公开01表", "C7", '<c r="C7"><v>1e22</v></c>'), ["huge.xlsx", "公开01表", "C7", "超出", "合理范围"]),
        (
            lambda t: set_raw_cell(DEMO, t / "huge-text.xlsx", "公开01表", "C7", '<c r="C7" t="inlineStr"><is><t>99,999,999,999,999,999,999</t></is></c>'),
            ["公开01表", "C7", "超出"],
        ),
    ],
    ids=["zip-bomb", "encrypted", "directory", "broken-symlink", "dev-zero", "dtd", "truncated-xml", "corrupt-deflate", "nan", "inf", "1e22", "huge-text"],
)
def test_unusable_workbooks_are_one_line_exit_2(tmp_path, make, texts):
    book = make(tmp_path)
    before = snapshot(tmp_path)
    for command in (["check", book], ["build", book, "-o", tmp_path / "out.docx"]):
        one_line(invoke(*command), 2, *texts)
    assert snapshot(tmp_path) == before  # nothing written, nothing changed


def with_dtd(xml: bytes) -> bytes:
    dtd = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>'
    if xml.startswith(b"<?xml"):
        end = xml.index(b"?>") + 2
        return xml[:end] + dtd + xml[end:]
    return dtd + xml


def corrupt_deflate(tmp: Path) -> Path:
    """A zip whose directory is fine but whose first sheet's compressed bytes are garbage."""
    path = tmp / "压缩.xlsx"
    data = bytearray(DEMO.read_bytes())
    with zipfile.ZipFile(DEMO) as zf:
        info = zf.getinfo(sheet_member(DEMO, "公开01表"))
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 10, start + 200):
        data[i] = (data[i] * 7 + 13) % 256
    path.write_bytes(bytes(data))
    return path


def test_a_workbook_with_a_far_cell_reads_like_the_original():
    """The streaming reader (used when a cell lies outside the bounds) agrees with the fast path."""
    from generator.intake import workbook as wbmod

    for sample in sorted(DEMO.parent.glob("*.xlsx")):
        fast = wbmod.load_grids(sample)
        with zipfile.ZipFile(sample) as zf:
            names = set(zf.namelist())
            members, date1904 = wbmod._sheet_members(zf, sample.name, names)
            slow = wbmod._read_own(zf, sample.name, names, members, date1904)
        assert list(fast) == list(slow)
        for name in fast:
            a, b = fast[name], slow[name]
            for r in range(max(len(a.rows), len(b.rows))):
                for c in range(max(a.width, b.width)):
                    assert a.get(r, c) == b.get(r, c), (sample.name, name, r, c)


def test_the_xls_the_software_exports_is_read_directly(tmp_path):
    book = xls_book(tmp_path)
    result = invoke("build", book, "-o", tmp_path / "xls.docx")
    assert result.exit_code == 0, result.stderr
    same = invoke("build", DEMO, "-o", tmp_path / "xlsx.docx")
    assert same.exit_code == 0
    assert (tmp_path / "xls.docx").read_bytes() == (tmp_path / "xlsx.docx").read_bytes()


# ---- text that reaches XML --------------------------------------------------------------------


def test_control_characters_and_backslashes_never_reach_the_document(tmp_path):
    book = control_char_book(tmp_path)
    out = tmp_path / "out.docx"
    result = invoke("build", book, "-o", out, "--trace")
    assert result.exit_code == 0, result.stderr
    text = opens(out)
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text)
    assert CLEAN_NAME in text  # the name as written, minus the control characters
    with zipfile.ZipFile(out) as zf:
        core = zf.read("docProps/core.xml").decode()
    assert CLEAN_NAME.replace("&", "&amp;") in core
    import json

    json.loads((tmp_path / "out.trace.json").read_text("utf-8"))


# ---- numbers ----------------------------------------------------------------------------------


def test_huge_amount_typed_in_a_supplementary_sheet_is_refused(tmp_path):
    def edit(wb):
        ws = wb["其他事项"]
        ws[find_cell(ws, "会议费", "数值").coordinate] = 1e22

    book = edited_copy(DEMO, tmp_path / "会议费.xlsx", edit)
    one_line(invoke("check", book), 2, "会议费.xlsx", "其他事项")


def test_a_hundred_glossary_entries_build(tmp_path):
    def edit(wb):
        ws = wb["名词解释"]
        for i in range(120):
            ws.append([f"名词{i}", f"解释{i}。"])

    book = edited_copy(DEMO, tmp_path / "名词.xlsx", edit)
    result = invoke("build", book, "-o", tmp_path / "out.docx")
    assert result.exit_code == 0, result.stderr
    assert "名词119" in opens(tmp_path / "out.docx")


# ---- user templates ---------------------------------------------------------------------------


def template_with(tmp: Path, text: str, name: str = "模板.docx") -> Path:
    from generator.profiles import load_profile

    d = docx.Document(load_profile("上海2024").template)
    d.add_paragraph(text)
    path = tmp / name
    d.save(path)
    return path


@pytest.mark.parametrize(
    "text,words",
    [
        ("{% include 'a.xml' %}", ["include"]),
        ("{% extends 'a.xml' %}", ["extends"]),
        ("{% import 'a.xml' as a %}", ["import"]),
        ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", ["递归"]),
        ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", ["range", "上限"]),
        ("{{ 'x'*10**8 }}", ["上限"]),
        ("{% autoescape false %}{{ '<w:p>' }}{% endautoescape %}", ["autoescape"]),
    ],
    ids=["include", "extends", "import", "recursive-macro", "nested-range", "huge-string", "autoescape-off"],
)
def test_unsafe_templates_are_one_line(tmp_path, text, words):
    template = template_with(tmp_path, text)
    before = snapshot(tmp_path)
    one_line(invoke("build", DEMO, "-o", tmp_path / "out.docx", "--template", template), 2, "模板.docx", "模板", *words)
    assert snapshot(tmp_path) == before


def test_safe_filter_cannot_inject_raw_xml(tmp_path):
    template = template_with(tmp_path, "{{ '</w:t></w:r>注入<w:bogus>' | safe }}")
    out = tmp_path / "out.docx"
    result = invoke("build", DEMO, "-o", out, "--template", template)
    assert result.exit_code == 0, result.stderr
    assert "</w:t></w:r>注入<w:bogus>" in opens(out)  # shown as text, not obeyed


def without_body(xml: bytes) -> bytes:
    return re.sub(rb"<w:body>.*</w:body>", b"", xml, flags=re.S)


@pytest.mark.parametrize(
    "make,texts",
    [
        (lambda t: (t / "模板.docx").write_bytes("不是 Word 文档".encode()) and t / "模板.docx", ["不是 Word 文档"]),
        (
            lambda t: rewrite_part(template_with(t, "", "src.docx"), t / "模板.docx", "word/document.xml", without_body),
            ["没有正文"],
        ),
        (lambda t: rewrite_part(template_with(t, "", "src.docx"), t / "模板.docx", "word/document.xml", lambda d: d[: len(d) // 2]), ["损坏"]),
        (lambda t: (t / "模板.docx").mkdir() or t / "模板.docx", ["不是一个文件"]),
    ],
    ids=["not-docx", "no-body", "truncated-xml", "folder"],
)
def test_broken_template_files_are_one_line(tmp_path, make, texts):
    template = make(tmp_path)
    before = snapshot(tmp_path)
    one_line(invoke("build", DEMO, "-o", tmp_path / "out.docx", "--template", template), 2, "模板.docx", *texts)
    assert snapshot(tmp_path) == before


# ---- no overwrites ----------------------------------------------------------------------------


def test_build_onto_its_own_workbook_is_refused(tmp_path):
    book = tmp_path / "x.xlsx"
    shutil.copy(DEMO, book)
    before = snapshot(tmp_path)
    one_line(invoke("build", book, "-o", book), 2, "x.xlsx", "输入文件", "不能覆盖")
    assert snapshot(tmp_path) == before


def test_build_onto_its_template_is_refused(tmp_path):
    template = template_with(tmp_path, "")
    before = snapshot(tmp_path)
    one_line(invoke("build", DEMO, "-o", template, "--template", template), 2, "不能覆盖")
    assert snapshot(tmp_path) == before


def test_diff_onto_an_input_is_refused(tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    shutil.copy(DEMO, a)
    shutil.copy(DEMO, b)
    before = snapshot(tmp_path)
    one_line(invoke("diff", a, b, "-o", a), 2, "a.xlsx", "不能覆盖")
    assert snapshot(tmp_path) == before


def test_init_refuses_an_existing_file_unless_forced(tmp_path):
    book = tmp_path / "已填好.xlsx"
    shutil.copy(DEMO, book)
    before = snapshot(tmp_path)
    one_line(invoke("init", book), 2, "已填好.xlsx", "已存在", "--force")
    assert snapshot(tmp_path) == before
    forced = invoke("init", book, "--force")
    assert forced.exit_code == 0, forced.stderr
    assert book.read_bytes() != before["已填好.xlsx"]


def test_init_onto_its_prior_workbook_is_refused_even_forced(tmp_path):
    book = tmp_path / "上年.xlsx"
    shutil.copy(DEMO, book)
    before = snapshot(tmp_path)
    one_line(invoke("init", book, "--prior", book, "--force"), 2, "不能覆盖")
    assert snapshot(tmp_path) == before


# ---- disk and permissions ---------------------------------------------------------------------


@pytest.mark.parametrize("code,reason", [(errno.ENOSPC, "磁盘空间不足"), (errno.EROFS, "只读"), (errno.EACCES, "没有写入权限")])
def test_unwritable_output_is_one_line_and_keeps_the_old_file(tmp_path, monkeypatch, code, reason):
    out = tmp_path / "out.docx"
    out.write_bytes(b"the reviewed version")
    before = snapshot(tmp_path)
    real_fdopen = os.fdopen

    def failing_fdopen(fd, *args, **kwargs):
        f = real_fdopen(fd, *args, **kwargs)

        def write(_data):
            raise OSError(code, os.strerror(code))

        f.write = write
        return f

    monkeypatch.setattr(files.os, "fdopen", failing_fdopen)
    one_line(invoke("build", DEMO, "-o", out), 2, "out.docx", reason, "原有文件没有改动")
    monkeypatch.undo()
    assert snapshot(tmp_path) == before  # no temporary file left either


def test_output_path_that_is_a_folder_or_under_a_file(tmp_path):
    folder = tmp_path / "文件夹.docx"
    folder.mkdir()
    (tmp_path / "文件").write_text("x")
    before = snapshot(tmp_path)
    one_line(invoke("build", DEMO, "-o", folder), 2, "文件夹.docx", "文件夹")
    one_line(invoke("build", DEMO, "-o", tmp_path / "文件" / "out.docx"), 2, "out.docx", "无法写入")
    one_line(invoke("init", folder), 2, "文件夹")
    assert snapshot(tmp_path) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_folder(tmp_path):  # pragma: no cover - CI runs as root
    folder = tmp_path / "只读"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        one_line(invoke("build", DEMO, "-o", folder / "out.docx"), 2, "无法写入")
    finally:
        folder.chmod(0o755)


# ---- exit codes ---------------------------------------------------------------------------------


def test_an_internal_error_is_exit_3_with_a_log_file(tmp_path, monkeypatch):
    from generator import pipeline

    def bug(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(pipeline, "compute", bug)
    monkeypatch.setenv("JUESUAN_LOG_DIR", str(tmp_path / "logs"))
    line = one_line(invoke("build", DEMO, "-o", tmp_path / "out.docx"), 3, "内部错误", "ZeroDivisionError", "日志文件")
    log = Path(re.search(r"日志文件 (\S+\.log)", line).group(1))
    assert log.parent == tmp_path / "logs" and "Traceback" in log.read_text("utf-8") and "a bug" in log.read_text("utf-8")
    assert not (tmp_path / "out.docx").exists()


def test_a_document_that_does_not_parse_is_never_reported_as_made(tmp_path, monkeypatch):
    from generator import pipeline

    real = pipeline.render_docx

    def broken(profile, ctx):
        data = real(profile, ctx)
        buf = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as dst:
            for info in src.infolist():
                blob = src.read(info)
                dst.writestr(info, blob.replace(b"<w:t>", b"<w:t>\x01", 1) if info.filename == "word/document.xml" else blob)
        return buf.getvalue()

    monkeypatch.setattr(pipeline, "render_docx", broken)
    monkeypatch.setenv("JUESUAN_LOG_DIR", str(tmp_path / "logs"))
    result = invoke("build", DEMO, "-o", tmp_path / "out.docx")
    one_line(result, 3, "内部错误", "日志文件")
    assert "已生成" not in result.stdout
    assert not (tmp_path / "out.docx").exists()


def test_exit_codes_for_findings_and_arguments(tmp_path):
    assert invoke("check", DEMO).exit_code == 0
    assert invoke("bench", "--units", "0").exit_code == 2
    assert invoke("build", tmp_path / "无.xlsx").exit_code == 2
    assert invoke("build", DEMO, "--profile", "没有这个格式", "-o", tmp_path / "o.docx").exit_code == 2
    final = invoke("build", YIYANG, "--final", "-o", tmp_path / "f.docx", "--profile", "湖南2020")
    assert final.exit_code == 1 and not (tmp_path / "f.docx").exists()


def test_a_malformed_profile_is_one_line(tmp_path, monkeypatch):
    from generator import profiles

    folder = tmp_path / "templates" / "坏格式"
    folder.mkdir(parents=True)
    (folder / "profile.toml").write_text("tables = [\n", encoding="utf-8")
    monkeypatch.setattr(profiles, "TEMPLATES", tmp_path / "templates")
    one_line(invoke("check", DEMO, "--profile", "坏格式"), 2, "profile.toml", "格式设置文件有错误")


def test_diff_report_survives_control_characters_in_names(tmp_path):
    new = control_char_book(tmp_path, "新\x01.xlsx")
    out = tmp_path / "对照.docx"
    result = invoke("diff", DEMO, new, "-o", out)
    assert result.exit_code == 0, result.stderr
    text = opens(out)
    assert "新.xlsx" in text and CLEAN_NAME in text


def test_an_ods_workbook_is_read_directly(tmp_path):
    """A minimal OpenDocument spreadsheet (as LibreOffice saves it) is read like an .xlsx."""
    from generator.intake.workbook import load_grids

    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'office:version="1.2"><office:body><office:spreadsheet><table:table table:name="单位信息">'
        "<table:table-row><table:table-cell><text:p>单位名称</text:p></table:table-cell>"
        '<table:table-cell office:value-type="string"><text:p>示例单位</text:p></table:table-cell></table:table-row>'
        "<table:table-row><table:table-cell><text:p>年度</text:p></table:table-cell>"
        '<table:table-cell office:value-type="float" office:value="2024"><text:p>2024</text:p></table:table-cell></table:table-row>'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    path = tmp_path / "单位.ods"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", content)
        zf.writestr("META-INF/manifest.xml", manifest)
    grid = load_grids(path)["单位信息"]
    assert grid.text(0, 1) == "示例单位" and grid.text(1, 1) == "2024"
    # and the package checks apply to it too: a DTD in any part is refused
    bad = rewrite_part(path, tmp_path / "坏.ods", "content.xml", with_dtd)
    one_line(invoke("check", bad), 2, "坏.ods", "DTD")


def test_batch_output_that_is_a_file_is_one_line(tmp_path):
    target = tmp_path / "输出"
    target.write_text("x")
    before = snapshot(tmp_path)
    one_line(invoke("batch", DEMO, "-o", target), 2, "输出", "不是文件夹")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("xml", "inside"),
    [
        ('<c r="DX9999"><v>1</v></c>', True),  # column 128, row 9999: the last cell inside
        ('<row r="12345" spans="1:3"><c r="A1"/></row>', True),  # a row number alone is no cell
        ('<pageMargins header="0.3" footer="0.3"/><c r="B2"/>', True),
        ('<c r="DY1"/>', False),  # column 129
        ('<c r="XFD1"/>', False),
        ('<c s="3" t="n" r="AAA7"/>', False),  # r= after other attributes
        ('<x:c\tr="A10000"/>', False),  # a prefix, a tab, a five-digit row
        ('<dimension ref="A1:XFD1048576"/>', False),
        ('<dimension ref="A1:F38"/><mergeCell ref="A1:F1"/>', True),
    ],
)
def test_far_cells_are_found_in_any_spelling(xml, inside):
    """The bounds check that decides between calamine and the streaming reader: a stray far cell must
    never reach calamine (it would make a grid of the whole sheet), however its tag is written."""
    from generator.intake.workbook import _within_bounds

    assert _within_bounds(xml.encode()) is inside
