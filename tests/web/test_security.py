"""Multi-user mode: roles, server-side authorisation of every page and file, CSRF, login throttling, upload limits."""

from __future__ import annotations

import re

import pytest
from conftest import DEMO, PASSWORD, YIYANG, build, corrected, csrf, make_client, text, upload, upload_id, wait

from generator.web import auth, is_loopback


def login(c, name: str, password: str = PASSWORD):
    c.cookies.clear()
    token = csrf(c, "/login")
    return c.post("/login", data={"csrf": token, "name": name, "password": password, "next": "/"})


@pytest.fixture
def bureau(tmp_path, db_url):
    """A 财政局 with two departments: 数据局 (unit 益阳…中心) and 示例市人民政府 (unit 示例市数据资源局)."""
    c = make_client(tmp_path, multi_user=True, db_url=db_url)
    with c, c.app.state.sessions() as db:
        auth.create_user(db, "admin", PASSWORD, "admin")
        auth.create_user(db, "数据局", PASSWORD, "department", department="益阳市数据局")
        auth.create_user(db, "益阳中心", PASSWORD, "unit", department="益阳市数据局", unit="益阳市智慧城市和大数据中心")
        auth.create_user(db, "示例政府", PASSWORD, "department", department="示例市人民政府")
        auth.create_user(db, "示例单位", PASSWORD, "unit", department="示例市人民政府", unit="示例市数据资源局")
        yield c


def own_objects(c, tmp_path):
    """As the 益阳 unit: two versions, one build, one comparison — every kind of object a URL can name."""
    assert login(c, "益阳中心").status_code == 200
    a = upload_id(upload(c, YIYANG))
    b = upload_id(upload(c, corrected(tmp_path)))
    bid = build(c, a)
    unit = int(re.search(r'href="/units/(\d+)"', c.get(f"/uploads/{a}").text).group(1))
    return a, b, bid, unit


def urls(a, b, bid, unit):
    return [
        f"/uploads/{a}",
        f"/uploads/{a}/file",
        f"/uploads?ids={a}",
        f"/builds/{bid}",
        f"/builds/{bid}/docx",
        f"/builds/{bid}/pdf",
        f"/builds/{bid}/status",
        f"/units/{unit}",
        f"/compare?old={a}&new={b}",
        f"/compare/docx?old={a}&new={b}",
    ]


def test_loopback_only_is_single_user():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")


def test_pages_need_login(bureau):
    for page in ("/", "/upload", "/units", "/batches", "/uploads/1", "/builds/1/docx", "/admin/users"):
        r = bureau.get(page, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), page
    assert bureau.get("/builds/1/status").status_code == 401


def test_unit_sees_its_own(bureau, tmp_path):
    a, b, bid, unit = own_objects(bureau, tmp_path)
    for url in urls(a, b, bid, unit):
        if url.endswith("/pdf"):
            continue
        r = bureau.get(url)
        assert r.status_code == 200, url
    assert "上年数!B3" in text(bureau.get(f"/compare?old={a}&new={b}").text)


@pytest.mark.parametrize("other", ["示例单位", "示例政府"])
def test_other_unit_or_department_gets_404_by_every_url(bureau, tmp_path, other):
    a, b, bid, unit = own_objects(bureau, tmp_path)
    login(bureau, other)
    for url in urls(a, b, bid, unit):
        r = bureau.get(url)
        assert r.status_code == 404, url
        assert "益阳" not in r.text and "2,217.42" not in r.text, url
    # nor does the list pages show it
    assert "益阳" not in bureau.get("/units").text and "益阳" not in bureau.get("/").text
    # nor can it be built, by POST with a valid token
    r = bureau.post(f"/uploads/{a}/build", data={"csrf": csrf(bureau, "/upload"), "profile": "湖南2020"})
    assert r.status_code == 404


def test_department_and_admin_see_their_units(bureau, tmp_path):
    a, b, bid, unit = own_objects(bureau, tmp_path)
    for who in ("数据局", "admin"):
        login(bureau, who)
        for url in urls(a, b, bid, unit):
            if url.endswith("/pdf"):
                continue
            assert bureau.get(url).status_code == 200, (who, url)


def test_unit_account_uploads_land_in_its_own_unit(bureau):
    login(bureau, "益阳中心")
    r = upload(bureau, DEMO, profile="上海2024")  # another unit's workbook
    page = text(r.text)
    assert "与您账户的单位不一致" in page
    login(bureau, "示例单位")
    assert bureau.get(str(r.url)).status_code == 404


def test_unit_account_has_no_batch_templates_or_admin(bureau):
    login(bureau, "益阳中心")
    assert bureau.get("/batches").status_code == 403
    assert (
        bureau.post(
            "/batches", data={"csrf": csrf(bureau, "/upload"), "profile": "湖南2020"}, files=[("files", (YIYANG.name, YIYANG.read_bytes()))]
        ).status_code
        == 403
    )
    assert bureau.get("/admin/users").status_code == 403
    assert bureau.get("/admin/audit").status_code == 403


def test_department_batch_is_its_own(bureau):
    login(bureau, "数据局")
    r = bureau.post("/batches", data={"csrf": csrf(bureau, "/batches"), "profile": "湖南2020"}, files=[("files", (YIYANG.name, YIYANG.read_bytes()))])
    bid = int(re.search(r"/batches/(\d+)$", str(r.url)).group(1))
    wait(bureau, f"/batches/{bid}/status", "finished")
    assert bureau.get(f"/batches/{bid}/zip").status_code == 200
    login(bureau, "示例政府")
    for url in (f"/batches/{bid}", f"/batches/{bid}/status", f"/batches/{bid}/report", f"/batches/{bid}/zip"):
        assert bureau.get(url).status_code == 404, url
    login(bureau, "益阳中心")  # the unit sees its document from the batch through its history, not the batch
    assert bureau.get(f"/batches/{bid}").status_code == 404


def test_admin_creates_accounts_and_reads_audit(bureau, tmp_path):
    login(bureau, "admin")
    r = bureau.post(
        "/admin/users",
        data={
            "csrf": csrf(bureau, "/admin/users"),
            "name": "新单位",
            "password": PASSWORD,
            "role": "unit",
            "department": "益阳市数据局",
            "unit": "益阳市智慧城市和大数据中心",
        },
    )
    assert r.status_code == 200 and "新单位" in r.text
    r = bureau.post("/admin/users", data={"csrf": csrf(bureau, "/admin/users"), "name": "短", "password": "123", "role": "unit", "unit": "x"})
    assert r.status_code == 400 and "密码至少 8 位" in r.text
    a, b, bid, unit = own_objects(bureau, tmp_path)
    bureau.get(f"/builds/{bid}/docx")
    bureau.get(f"/compare?old={a}&new={b}")
    login(bureau, "admin")
    log = text(bureau.get("/admin/audit").text)
    for action in ("登录", "上传", "生成", "下载", "比较", "账户"):
        assert f" {action} " in log, action
    assert "益阳中心 下载 文档" in log


def test_post_without_csrf_token_is_refused(bureau, client):
    for c in (client, bureau):
        r = c.post("/upload", data={"profile": "湖南2020"}, files=[("files", (YIYANG.name, YIYANG.read_bytes()))])
        assert r.status_code == 403 and "安全校验码" in r.text
        r = c.post("/upload", data={"csrf": "forged", "profile": "湖南2020"}, files=[("files", (YIYANG.name, YIYANG.read_bytes()))])
        assert r.status_code == 403
    assert bureau.post("/login", data={"name": "admin", "password": PASSWORD}).status_code == 403
    login(bureau, "admin")
    assert bureau.post("/admin/users", data={"name": "x", "password": PASSWORD, "role": "admin"}).status_code == 403


def test_five_wrong_passwords_slow_down(bureau):
    for _ in range(4):
        assert login(bureau, "admin", "wrong").status_code == 401
    r = login(bureau, "admin", "wrong")  # the fifth in a row
    assert r.status_code == 401
    r = login(bureau, "admin")  # even the right password now waits
    assert r.status_code == 429 and "密码连续输错 5 次以上，请 30 秒后再试。" in text(r.text)
    # unknown names are throttled the same way (no hint which names exist)
    for _ in range(5):
        login(bureau, "nobody", "x")
    assert login(bureau, "nobody", "x").status_code == 429


def test_delay_grows_and_resets():
    assert [auth.delay_after(n) for n in (1, 4, 5, 6, 7, 20)] == [0, 0, 30, 60, 120, 3600]


def test_passwords_are_argon2_hashes(bureau):
    from sqlalchemy import select

    from generator.web.db import User

    with bureau.app.state.sessions() as db:
        user = db.scalar(select(User).where(User.name == "admin"))
        assert user.password_hash.startswith("$argon2") and PASSWORD not in user.password_hash


def test_session_cookie_is_signed_httponly_samesite(bureau):
    r = login(bureau, "admin")
    cookie = r.history[0].headers["set-cookie"] if r.history else r.headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
    bureau.cookies.set("juesuan", "eyJ1aWQiOiAxfQ==.forged.sig")
    assert bureau.get("/", follow_redirects=False).status_code == 303


def test_non_workbook_upload_is_one_line(client):
    r = client.post("/upload", data={"csrf": csrf(client), "profile": "湖南2020"}, files=[("files", ("报告.pdf", b"%PDF-1.4 ..."))])
    assert r.status_code == 400
    assert "文件“报告.pdf”不是工作簿：只接受 .xlsx、.xls、.ods，或装有它们的 .zip。" in r.text
    r = client.post("/upload", data={"csrf": csrf(client), "profile": "湖南2020"}, files=[("files", ("假的.xlsx", b"just text"))])
    assert r.status_code == 400 and "不是真正的 .xlsx 工作簿" in r.text


def test_oversized_upload_is_one_line(tmp_path):
    with make_client(tmp_path, max_upload=20 * 1024) as c:  # 20 KB cap; the sample is larger
        r = upload(c, YIYANG)
        assert r.status_code == 400 and "超过上限" in text(r.text)
        r = c.post("/upload", data={"csrf": csrf(c), "profile": "湖南2020"}, files=[("files", ("大.xlsx", b"PK\x03\x04" + b"0" * 200_000))])
        assert r.status_code == 413 and "上传的内容太大" in r.text


def test_stored_files_have_random_names_outside_static(client, tmp_path):
    upload(client, YIYANG)
    stored = list((tmp_path / "data" / "files").iterdir())
    assert stored and all(re.fullmatch(r"[0-9a-f]{32}\.xlsx", p.name) for p in stored)
    assert client.get("/static/../data/files/" + stored[0].name).status_code == 404
    assert client.get("/static/" + stored[0].name).status_code == 404
