"""Fixtures for the web app: a fresh data folder per test, the framework's TestClient.

The ``client`` and ``bureau`` flows run twice: on the embedded SQLite file and on PostgreSQL
(a throwaway cluster for the session, a fresh database per test; skipped where PostgreSQL is absent).
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="网页功能的依赖未安装（pip install -e '.[web]'）")

from fastapi.testclient import TestClient  # noqa: E402

from generator.web.app import Settings, create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
YIYANG = SAMPLES / "益阳市智慧城市和大数据中心_2020.xlsx"
DEMO = SAMPLES / "示例单位_2024.xlsx"
YONGZHOU = SAMPLES / "永州市政务服务中心_2018.xlsx"
PASSWORD = "correct-horse-9"


def make_client(tmp_path: Path, **kw) -> TestClient:
    settings = Settings(data=tmp_path / "data", pool=kw.pop("pool", "thread"), workers=kw.pop("workers", 2), **kw)
    return TestClient(create_app(settings))


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL cluster on loopback for the whole session, stopped and removed at its end."""
    pytest.importorskip("psycopg", reason="没有安装 psycopg（pip install -e '.[web]'）：PostgreSQL 测试跳过")
    from pg_cluster import Cluster, Unavailable

    try:
        cluster = Cluster()
    except Unavailable as why:
        pytest.skip(str(why))
    try:
        yield cluster.start()
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def db_url(request):
    """None: the embedded SQLite file under --data; else a fresh PostgreSQL database's postgresql:// address."""
    if request.param == "sqlite":
        yield None
        return
    cluster = request.getfixturevalue("postgres")
    url = cluster.new_database()
    yield url
    cluster.drop(url)


@pytest.fixture
def client(tmp_path, db_url):
    with make_client(tmp_path, db_url=db_url) as c:
        yield c


def csrf(c: TestClient, page: str = "/upload") -> str:
    return re.search(r'name="csrf" value="([^"]+)"', c.get(page).text).group(1)


def text(html: str) -> str:
    """The page as the officer reads it: tags removed, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#34;", '"').replace("&amp;", "&")


def upload(c: TestClient, *paths: Path, profile: str = "湖南2020", names: list[str] | None = None):
    files = [("files", ((names[i] if names else p.name), p.read_bytes())) for i, p in enumerate(paths)]
    return c.post("/upload", data={"csrf": csrf(c), "profile": profile}, files=files)


def upload_id(response) -> int:
    return int(re.search(r"/uploads/(\d+)$", str(response.url)).group(1))


def build(c: TestClient, up: int, profile: str = "湖南2020", **extra) -> int:
    r = c.post(f"/uploads/{up}/build", data={"csrf": csrf(c), "profile": profile, **extra})
    assert r.status_code == 200, r.text
    bid = int(re.search(r"/builds/(\d+)$", str(r.url)).group(1))
    wait(c, f"/builds/{bid}/status", "done")
    return bid


def wait(c: TestClient, url: str, key: str, timeout: float = 120):
    end = time.time() + timeout
    while time.time() < end:
        s = c.get(url).json()
        if s.get(key) is True:
            return s
        time.sleep(0.2)
    raise AssertionError(f"{url} did not finish")


def corrected(tmp_path: Path, value=1500, cell: tuple[str, str] = ("上年数", "B3")) -> Path:
    """The 2020 sample with one cell changed (上年数 本年收入合计 1,540.80 → 1,500.00 by default)."""
    import openpyxl

    out = tmp_path / "改后" / YIYANG.name
    out.parent.mkdir(exist_ok=True)
    shutil.copyfile(YIYANG, out)
    wb = openpyxl.load_workbook(out)
    wb[cell[0]][cell[1]] = value
    if cell == ("上年数", "B3"):  # all of last year's income was 财政拨款 (B6): the same money, corrected with it
        wb["上年数"]["B6"] = value
    wb.save(out)
    return out


def docx_text(data: bytes) -> str:
    import io

    from docx import Document

    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for t in doc.tables for row in t.rows for cell in row.cells]
    return "\n".join(parts)
