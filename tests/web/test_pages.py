"""Single-user mode (the default on 127.0.0.1): every page, through the framework's TestClient."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
from conftest import DEMO, YIYANG, YONGZHOU, build, corrected, csrf, docx_text, make_client, text, upload, upload_id, wait


def test_every_page_answers(client):
    for page in ("/", "/blank", "/upload", "/units", "/batches", "/templates", "/healthz"):
        assert client.get(page).status_code == 200, page


def test_blank_workbook_download(client):
    r = client.post("/blank", data={"csrf": csrf(client, "/blank"), "year": "2025"})
    assert r.status_code == 200
    assert "attachment" in r.headers["content-disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert "单位信息" in wb.sheetnames and "上年数" in wb.sheetnames


def test_blank_prefilled_from_last_year(client):
    r = client.post("/blank", data={"csrf": csrf(client, "/blank")}, files={"prior": (YIYANG.name, YIYANG.read_bytes())})
    assert r.status_code == 200, text(r.text)
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    prior = {row[0].value: row[1].value for row in wb["上年数"].iter_rows(min_row=2) if row[0].value}
    # this year's 上年数 = last year's 决算数: 本年收入合计 2,217.42 in the 2020 workbook
    assert float(prior["本年收入合计"]) == 2217.42
    info = {row[0].value: row[1].value for row in wb["单位信息"].iter_rows(min_row=2) if row[0].value}
    assert info["单位名称"] == "益阳市智慧城市和大数据中心" and int(info["年度"]) == 2021


def test_blank_with_bad_year_is_one_line(client):
    r = client.post("/blank", data={"csrf": csrf(client, "/blank"), "year": "二〇二四"})
    assert r.status_code == 400 and "年度请填写四位数字" in r.text


def test_findings_grouped_by_sheet_with_cell_expected_found(client):
    r = upload(client, YIYANG)
    page = text(r.text)
    from generator.pipeline import check_book

    warnings = len(check_book(YIYANG, "湖南2020").findings)  # the page shows what `juesuan check` finds: all warnings
    assert f"0 个错误，{warnings} 个警告，可以生成文档" in page
    # 公开01 本年支出合计 F33 = 1,763.64 + 1.53 + 909.88 + 8.96 + 6.19 + 6.72 = 2,696.92, printed 2,696.91
    sheet = "Z01 收入支出决算总表(公开01表)"
    assert f"{sheet} 3 条" in page
    row = re.search(r"<tr class=\"warning\">.*?</tr>", r.text, re.S).group(0)
    assert "<code>F33</code>" in row and "2,696.92" in row and "2,696.91" in row and "尾数误差" in row
    # the line does not name its sheet again under the sheet's heading: （F33）, not （Z01 …(公开01表)!F33）
    assert "为 2,696.91（F33）" in row and f"{sheet}!" not in row and f"（工作表“{sheet}”）" not in row


def test_build_preview_and_docx(client):
    up = upload_id(upload(client, YIYANG))
    bid = build(client, up)
    page = client.get(f"/builds/{bid}")
    assert "2,217.42" in text(page.text) and '<table class="doc">' in page.text
    # the cover lines are centred as in the document, the table of contents is not indented like body text
    assert '<p class="center">2020年度部门决算</p>' in page.text and '<p class="toc2">一、主要职能' in page.text
    docx = client.get(f"/builds/{bid}/docx")
    assert docx.status_code == 200 and docx.headers["content-type"].endswith("wordprocessingml.document")
    assert "2,217.42" in docx_text(docx.content)
    assert client.get(f"/builds/{bid}/pdf").status_code == 404  # not asked for


def test_build_in_real_process_pool(tmp_path):
    with make_client(tmp_path, pool="process", workers=1) as c:
        bid = build(c, upload_id(upload(c, YIYANG)))
        assert "2,217.42" in docx_text(c.get(f"/builds/{bid}/docx").content)


def test_failed_build_shows_its_one_line_reason(client, tmp_path):
    # 公开01 本年收入合计 C33 made 100 too large: beyond ±0.01, an error; the build is refused
    broken = corrected(tmp_path, 2317.42, ("Z01 收入支出决算总表(公开01表)", "C33"))
    r = upload(client, broken)
    assert "有错误时不能生成文档" in text(r.text)
    bid = build(client, upload_id(r))
    page = text(client.get(f"/builds/{bid}").text)
    assert "未生成：工作簿有勾稽关系错误，未生成文档。" in page and "第一个错误" in page
    assert client.get(f"/builds/{bid}/docx").status_code == 404


def test_unreadable_workbook_is_one_line(client, tmp_path):
    bad = tmp_path / "空的.xlsx"
    openpyxl.Workbook().save(bad)
    r = upload(client, bad)
    assert r.status_code == 200
    msg = re.search(r'<p class="error">(.*?)</p>', r.text, re.S).group(1)
    assert "空的.xlsx" in msg and "\n" not in msg.strip()
    assert "无法读取" in text(r.text)


def test_several_workbooks_and_a_zip(client):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("部门/" + DEMO.name, DEMO.read_bytes())
        z.writestr("部门/说明.txt", "不是工作簿，略过")
    r = client.post(
        "/upload",
        data={"csrf": csrf(client), "profile": "上海2024"},
        files=[("files", (YONGZHOU.name, YONGZHOU.read_bytes())), ("files", ("全部.zip", buf.getvalue()))],
    )
    page = text(r.text)
    assert "/uploads?ids=" in str(r.url)
    assert "永州市政务服务中心" in page and "示例市数据资源局" in page


def test_history_and_comparison(client, tmp_path):
    first = upload_id(upload(client, YIYANG))
    second = upload_id(upload(client, corrected(tmp_path)))
    unit = re.search(r'href="/units/(\d+)"', client.get(f"/uploads/{first}").text).group(1)
    history = text(client.get(f"/units/{unit}").text)
    assert history.count(YIYANG.name) == 2 and "比较所选的两个版本" in history
    page = client.get(f"/compare?old={first}&new={second}")
    assert page.status_code == 200
    t = text(page.text)
    assert "上年数!B3 本年收入合计 1540.8 1500" in t  # the cell, its row's label, old and new value
    # 本年收入 2,217.42 − 上年 1,500.00 = 717.42 (was 2,217.42 − 1,540.80 = 676.62)
    assert "比上年增加<del>676.62</del><ins>717.42</ins>万元，增长<del>43.91%</del><ins>47.83%</ins>" in page.text
    # 676.62 / 1,540.80 = 43.91%; 717.42 / 1,500.00 = 47.83%
    docx = client.get(f"/compare/docx?old={first}&new={second}")
    assert docx.status_code == 200 and "上年数" in docx_text(docx.content)


def test_batch_with_progress_summary_report_and_zip(client, tmp_path):
    broken = tmp_path / "坏的.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    r = client.post(
        "/batches",
        data={"csrf": csrf(client, "/batches"), "profile": "上海2024", "department": "示例部门"},
        files=[("files", (DEMO.name, DEMO.read_bytes())), ("files", (YONGZHOU.name, YONGZHOU.read_bytes())), ("files", (broken.name, broken.read_bytes()))],
    )
    bid = int(re.search(r"/batches/(\d+)$", str(r.url)).group(1))
    s = wait(client, f"/batches/{bid}/status", "finished")
    assert s["done"] == s["total"] == 3
    page = text(client.get(f"/batches/{bid}").text)
    assert "共 3 个单位" in page and "坏的.xlsx" in page and "无法读取" in page
    report = openpyxl.load_workbook(io.BytesIO(client.get(f"/batches/{bid}/report").content))
    assert "汇总" in report.sheetnames
    names = zipfile.ZipFile(io.BytesIO(client.get(f"/batches/{bid}/zip").content)).namelist()
    assert DEMO.stem + ".docx" in names and "坏的.docx" not in names


def test_own_template_validated(client, tmp_path):
    from conftest import ROOT

    good = (ROOT / "templates" / "湖南2020" / "template.docx").read_bytes()
    r = client.post("/templates", data={"csrf": csrf(client, "/templates"), "profile": "湖南2020"}, files={"file": ("我的模板.docx", good)})
    assert "可用" in text(r.text) and "我的模板.docx" in text(r.text)
    from docx import Document

    doc = Document(io.BytesIO(good))
    doc.add_paragraph("{{ 不存在的 | 过滤器 }}")
    bad = io.BytesIO()
    doc.save(bad)
    r = client.post("/templates", data={"csrf": csrf(client, "/templates"), "profile": "湖南2020"}, files={"file": ("坏模板.docx", bad.getvalue())})
    row = re.search(r"<tr><td>坏模板.docx</td>.*?</tr>", r.text, re.S).group(0)
    assert "不可用" in row and "未知的过滤器“过滤器”" in row and "未知的名称“不存在的”" in row  # the lines of `juesuan template check`
    r = client.post("/templates", data={"csrf": csrf(client, "/templates"), "profile": "湖南2020"}, files={"file": ("模板.pdf", b"%PDF-1.4")})
    assert r.status_code == 400 and "只接受 .docx" in r.text
    # a usable template is offered when building
    up = upload_id(upload(client, YIYANG))
    assert "我的模板.docx（湖南2020）" in client.get(f"/uploads/{up}").text


def test_next_year_workbook_from_an_upload(client):
    up = upload_id(upload(client, YIYANG))
    r = client.post(f"/uploads/{up}/next-year", data={"csrf": csrf(client)})
    assert r.status_code == 200 and "2021" in r.headers["content-disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    prior = {row[0].value: row[1].value for row in wb["上年数"].iter_rows(min_row=2) if row[0].value}
    assert float(prior["本年收入合计"]) == 2217.42  # 2021's 上年数 = 2020's 决算数


def test_cli_admin_create_and_bad_database(tmp_path):
    from typer.testing import CliRunner

    from generator.cli import app

    runner = CliRunner()
    r = runner.invoke(app, ["admin", "create", "财政局", "--password", "long-enough-1", "--data", str(tmp_path)])
    assert r.exit_code == 0 and "已建立财政局管理员账户：财政局" in r.output
    r = runner.invoke(app, ["admin", "create", "财政局", "--password", "long-enough-1", "--data", str(tmp_path)])
    assert r.exit_code == 2 and "已存在" in r.output
    r = runner.invoke(app, ["admin", "create", "x", "--password", "long-enough-1", "--db", "nosuchdb://x"])
    assert r.exit_code == 2 and "数据库" in r.output


def test_a_crashed_worker_pool_is_replaced(tmp_path):
    with make_client(tmp_path, pool="process", workers=1) as c:
        pool = c.app.state.pool
        pool.executor.shutdown()  # as if broken: submitting to it now fails
        from concurrent.futures import BrokenExecutor

        class Broken:
            def submit(self, *a):
                raise BrokenExecutor("worker died")

            def shutdown(self, **kw):
                pass

        pool.executor = Broken()
        from generator.pipeline import check_book

        warnings = len(check_book(YIYANG, "湖南2020").findings)  # what `juesuan check` finds: all warnings
        assert f"0 个错误，{warnings} 个警告" in text(upload(c, YIYANG).text)
