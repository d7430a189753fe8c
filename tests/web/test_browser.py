"""End to end in a real headless browser (Playwright driving the system Chromium) against `juesuan serve`.

Takes a screenshot of each page into $JUESUAN_SCREENSHOTS (default: the test's tmp folder);
`JUESUAN_SCREENSHOTS=docs/screenshots pytest tests/web/test_browser.py` refreshes the README's.
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import DEMO, PASSWORD, ROOT, YIYANG, YONGZHOU, corrected, docx_text

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=zh-CN",
]

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="没有 /usr/bin/chromium：浏览器测试跳过（Debian/Ubuntu：apt-get install chromium）"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="没有安装 playwright（pip install -e '.[web]'）")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def juesuan(*args, **kw):
    return [sys.executable, "-c", "from generator.cli import main; main()", *args]


@pytest.fixture
def server(tmp_path, request):
    """`juesuan serve` in a subprocess (real uvicorn, real worker processes); yields its base URL."""
    multi = getattr(request, "param", False)
    data, port = tmp_path / "data", free_port()
    if multi:
        subprocess.run(juesuan("admin", "create", "财政局", "--password", PASSWORD, "--data", str(data)), check=True, cwd=ROOT, capture_output=True)
    cmd = juesuan("serve", "--data", str(data), "--port", str(port), *(["--multi-user"] if multi else []))
    log = open(tmp_path / "serve.log", "wb")  # a file, not a pipe: a pipe nobody reads fills up and stalls the server
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except OSError:
            if proc.poll() is not None:
                raise AssertionError((tmp_path / "serve.log").read_text("utf-8", "replace")) from None
            time.sleep(0.2)
    yield base
    proc.terminate()  # the server stops its worker processes
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)
    log.close()


@pytest.fixture
def page(tmp_path):
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 860}, accept_downloads=True, locale="zh-CN")
        pg = context.new_page()
        pg.set_default_timeout(120_000)
        yield pg
        browser.close()


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("JUESUAN_SCREENSHOTS") or tmp_path / "screenshots")
    if not folder.is_absolute():
        folder = ROOT / folder
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name: str, full: bool = False):
        page.screenshot(path=str(folder / f"{name}.png"), full_page=full)

    return take


def test_upload_check_build_compare(server, page, shots, tmp_path):
    page.goto(server + "/")
    shots(page, "01-首页")

    page.click("text=下载空白工作簿")
    shots(page, "02-下载工作簿")
    with page.expect_download() as dl:
        page.click("button:has-text('下载工作簿')")
    import openpyxl

    assert "单位信息" in openpyxl.load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes())).sheetnames

    page.click("nav >> text=上传检查")
    page.set_input_files("input[name=files]", str(YIYANG))
    page.select_option("select[name=profile]", "湖南2020")
    # the file chooser reads in Chinese whatever the browser's language, and names the chosen file
    assert page.inner_text("form .picker").split() == ["选择文件…", YIYANG.name]
    shots(page, "03-上传")
    page.click("button:has-text('上传并检查')")
    page.wait_for_selector("text=可以生成文档")
    body = page.inner_text("main")
    from generator.pipeline import check_book

    warnings = len(check_book(YIYANG, "湖南2020").findings)  # the page shows what `juesuan check` finds: all warnings
    assert f"0 个错误，{warnings} 个警告" in body
    # the 0.01 尾数 warnings with their cells: 公开01 F33 = 2,696.92 by its items, printed 2,696.91
    row = page.locator("tr.warning", has_text="本年支出合计").first
    assert "F33" in row.inner_text() and "2,696.92" in row.inner_text() and "2,696.91" in row.inner_text()
    assert page.locator("tr.warning", has_text="尾数误差").count() >= 5
    shots(page, "04-检查结果")

    page.click("button:has-text('生成文档')")
    page.wait_for_selector("text=下载 Word 文档")
    assert "2,217.42" in page.inner_text("article.preview")
    shots(page, "05-文档预览")
    with page.expect_download() as dl:
        page.click("text=下载 Word 文档")
    assert dl.value.suggested_filename == YIYANG.stem + ".docx"
    assert "2,217.42" in docx_text(Path(dl.value.path()).read_bytes())

    page.click("nav >> text=上传检查")
    page.set_input_files("input[name=files]", str(corrected(tmp_path)))
    page.select_option("select[name=profile]", "湖南2020")
    page.click("button:has-text('上传并检查')")
    page.wait_for_selector("text=可以生成文档")
    page.click(".crumbs a")
    shots(page, "06-上传历史")
    page.click("button:has-text('比较所选的两个版本')")
    page.wait_for_selector("text=修改的单元格")
    cells = page.inner_text("main")
    assert "上年数!B3" in cells and "1540.8" in cells and "1500" in cells
    sentence = page.locator("table.sentences tr", has_text="本年收入合计").first
    assert sentence.locator("del").first.inner_text() == "676.62" and sentence.locator("ins").first.inner_text() == "717.42"
    shots(page, "07-版本比较")
    with page.expect_download() as dl:
        page.click("text=下载 Word 对照文档")
    assert "上年数" in docx_text(Path(dl.value.path()).read_bytes())


def test_department_batch_with_live_progress(server, page, shots, tmp_path):
    page.goto(server + "/batches")
    page.set_input_files("input[name=files]", [str(DEMO), str(YONGZHOU), str(YIYANG)])
    page.fill("input[name=department]", "示例部门")
    page.click("button:has-text('开始批量生成')")
    page.wait_for_url("**/batches/*")
    if page.locator("progress").count():
        shots(page, "08-批量进度")
    page.wait_for_selector("text=下载全部文档")
    assert "共 3 个单位" in page.inner_text("main")
    shots(page, "09-批量结果")
    with page.expect_download() as dl:
        page.click("text=下载 汇总报告.xlsx")
    import openpyxl

    assert "汇总" in openpyxl.load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes())).sheetnames
    page.goto(server + "/templates")
    shots(page, "10-格式与模板")
    page.goto(server + "/units")
    shots(page, "11-单位")


@pytest.mark.parametrize("server", [True], indirect=True)
def test_multi_user_login(server, page, shots):
    page.goto(server + "/")
    assert "/login" in page.url
    page.fill("input[name=name]", "财政局")
    page.fill("input[name=password]", "wrong-password")
    page.click("button:has-text('登录')")
    assert "账户名或密码不对" in page.inner_text("main")
    page.fill("input[name=password]", PASSWORD)
    shots(page, "12-登录")
    page.click("button:has-text('登录')")
    page.wait_for_selector("text=财政局（财政局管理员）")
    page.click("text=账户")
    page.fill("input[name=name]", "益阳中心")
    page.fill("input[name=password]", PASSWORD)
    page.select_option("select[name=role]", "unit")  # (the default)
    page.fill("input[name=department]", "益阳市数据局")
    page.fill("input[name=unit]", "益阳市智慧城市和大数据中心")
    page.click("button:has-text('新建')")
    page.wait_for_selector("td:has-text('益阳中心')")
    shots(page, "13-账户")
    page.click("text=操作日志")
    assert "新建账户 益阳中心" in page.inner_text("main")
    shots(page, "14-操作日志")
