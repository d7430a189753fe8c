"""`--db postgresql://…` for a bureau's shared server: the address, the migrations, the CLI, and what PostgreSQL is stricter about.

The page flows themselves (upload → findings, build → download, history, comparison, batch, roles and
the 404s for another unit) run on PostgreSQL through the ``db_url`` fixture in test_pages.py and test_security.py.
"""

from __future__ import annotations

import re
import shutil

import openpyxl
import pytest
from conftest import PASSWORD, YIYANG, build, csrf, docx_text, make_client, text, upload, upload_id

from generator.web.db import DatabaseUnavailable, engine_url


def test_postgresql_addresses_use_psycopg():
    assert engine_url("postgresql://财务:密码@10.0.0.5/juesuan").drivername == "postgresql+psycopg"
    assert engine_url("postgres://u:p@db.example:6543/j").drivername == "postgresql+psycopg"  # the short spelling too
    assert engine_url("postgresql+psycopg://u@h/j").drivername == "postgresql+psycopg"
    assert engine_url("sqlite:////tmp/x.db").drivername == "sqlite"
    with pytest.raises(DatabaseUnavailable, match="数据库地址无法识别"):
        engine_url("服务器上的库")


@pytest.mark.postgresql
def test_migrations_make_the_models_schema_on_postgresql(postgres, tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import inspect, text

    from generator.web.db import Base

    url = postgres.new_database()
    try:
        with make_client(tmp_path, db_url=url) as c:
            engine = c.app.state.engine
            assert (engine.dialect.name, engine.dialect.driver) == ("postgresql", "psycopg")
            with engine.connect() as conn:
                assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
                assert set(inspect(conn).get_table_names()) >= {
                    "audit",
                    "batches",
                    "builds",
                    "departments",
                    "login_attempts",
                    "templates",
                    "units",
                    "uploads",
                    "users",
                }
                # the migration and the models agree on PostgreSQL (types, indexes, keys): nothing left to migrate
                assert compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata) == []
        with make_client(tmp_path, db_url=url) as c:  # a second start finds the schema at head and leaves it
            assert c.get("/healthz").json() == {"ok": True}
    finally:
        postgres.drop(url)


@pytest.mark.postgresql
def test_cli_admin_create_then_login_on_postgresql(postgres, tmp_path):
    from typer.testing import CliRunner

    from generator.cli import app

    url = postgres.new_database()
    try:
        r = CliRunner().invoke(app, ["admin", "create", "财政局", "--password", PASSWORD, "--db", url, "--data", str(tmp_path / "data")])
        assert r.exit_code == 0 and "已建立财政局管理员账户：财政局" in r.output, r.output
        with make_client(tmp_path, db_url=url, multi_user=True) as c:
            r = c.post("/login", data={"csrf": csrf(c, "/login"), "name": "财政局", "password": PASSWORD, "next": "/"})
            assert r.status_code == 200 and "财政局管理员" in text(r.text)
            with c.app.state.engine.connect() as conn:
                from sqlalchemy import text as sql

                assert conn.execute(sql('SELECT "user", action FROM audit')).all() == [("财政局", "登录")]
    finally:
        postgres.drop(url)


def test_unreachable_database_is_one_line_without_the_password(tmp_path):
    from pg_cluster import free_port
    from typer.testing import CliRunner

    from generator.cli import app

    pytest.importorskip("psycopg", reason="没有安装 psycopg（pip install -e '.[web]'）")
    url = f"postgresql://juesuan:s3cret-pw@127.0.0.1:{free_port()}/juesuan"  # nothing listens there
    r = CliRunner().invoke(app, ["admin", "create", "财政局", "--password", PASSWORD, "--db", url, "--data", str(tmp_path)])
    assert r.exit_code == 2
    assert r.output.startswith("错误：无法连接数据库 postgresql://juesuan:***@127.0.0.1:") and r.output.count("\n") == 1, r.output
    assert "s3cret-pw" not in r.output


def test_a_driver_not_installed_is_one_line(tmp_path):
    import importlib.util

    from generator.web.db import connect

    if importlib.util.find_spec("psycopg2"):
        pytest.skip("psycopg2 is installed here")
    with pytest.raises(DatabaseUnavailable, match=r"需要安装驱动 psycopg2"):
        connect("postgresql+psycopg2://u:p@127.0.0.1/j")


def test_ids_beyond_an_integer_column_are_404(client):
    # PostgreSQL refuses 2^31 in a query on an INTEGER column ("integer out of range"); the page answers 404 like any unknown id
    big = 2**31
    for url in (
        f"/uploads/{big}",
        f"/uploads?ids={big}",
        f"/builds/{big}",
        f"/builds/{big}/docx",
        f"/units/{big}",
        f"/batches/{big}",
        f"/compare?old={big}&new=1",
    ):
        assert client.get(url).status_code == 404, url
    up = upload_id(upload(client, YIYANG))
    r = client.post(f"/uploads/{up}/build", data={"csrf": csrf(client), "profile": "湖南2020", "template": str(big)})
    assert r.status_code == 404 and "没有这个模板" in text(r.text)
    r = client.post(f"/uploads/{up}/build", data={"csrf": csrf(client), "profile": "湖南2020", "template": "第一个"})
    assert r.status_code == 404


def test_a_long_unit_name_is_kept_within_its_column(client, tmp_path):
    # SQLite ignores VARCHAR(200); PostgreSQL refuses a longer value. A 250-character 单位名称 is stored as its first 200 characters.
    long_name = "益阳市智慧城市和大数据中心" + "下属" * 118 + "分中心"  # 13 + 236 + 3 = 252 characters
    book = tmp_path / "长名称" / YIYANG.name
    book.parent.mkdir()
    shutil.copyfile(YIYANG, book)
    wb = openpyxl.load_workbook(book)
    info = wb["单位信息"]
    row = next(r for r in info.iter_rows(min_row=1) if r[0].value == "单位名称")
    row[1].value = long_name
    wb.save(book)
    first, second = upload_id(upload(client, book)), upload_id(upload(client, book))
    units = set(re.findall(r'href="/units/(\d+)"', client.get(f"/uploads/{first}").text + client.get(f"/uploads/{second}").text))
    assert len(units) == 1  # both versions land in the one unit: the query is cut the same way as the stored name
    history = text(client.get(f"/units/{units.pop()}").text)
    assert long_name[:200] in history and long_name not in history and history.count(YIYANG.name) == 2


@pytest.mark.postgresql
def test_build_in_real_process_pool_on_postgresql(postgres, tmp_path):
    url = postgres.new_database()
    try:
        with make_client(tmp_path, pool="process", workers=1, db_url=url) as c:
            bid = build(c, upload_id(upload(c, YIYANG)))
            assert "2,217.42" in docx_text(c.get(f"/builds/{bid}/docx").content)
    finally:
        postgres.drop(url)
