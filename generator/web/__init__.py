"""The web page for finance staff (``juesuan serve``): upload, check, build, compare, batch.

Needs the optional extra ``web`` (``pip install -e '.[web]'``).
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

from .db import DatabaseUnavailable as DatabaseUnavailable

LOOPBACK = {"localhost"}


def is_loopback(host: str) -> bool:
    if host in LOOPBACK:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def default_data() -> Path:
    return Path.home() / ".juesuan"


def serve(
    data: Path, db: str | None, host: str, port: int, multi_user: bool, *, cert: Path | None = None, key: Path | None = None, workers: int | None = None
) -> None:
    """Start the server; multi-user whenever it listens beyond this computer; HTTPS (and Secure cookies) with a certificate."""
    import os

    import uvicorn

    from .app import Settings, create_app

    multi = multi_user or not is_loopback(host)
    settings = Settings(data=Path(data), db_url=db, multi_user=multi, workers=workers or os.cpu_count() or 1, https_only=bool(cert))
    app = create_app(settings)
    scheme = "https" if cert else "http"
    if multi and not has_admin(app):
        print("尚无管理员账户：请先运行 juesuan admin create 账户名（--data/--db 与 serve 相同）建立财政局管理员。")
    if not is_loopback(host) and not cert:
        print("提示：未启用 HTTPS，密码和文件会以明文在网络上传输；请用 --cert/--key 指定证书，或在启用 HTTPS 的反向代理后运行。")
    from sqlalchemy.engine import make_url

    where = f"文件存放在 {data}，记录在数据库 {make_url(db).render_as_string(hide_password=True)}" if db else f"数据存放在 {data}"
    print(f"决算公开文档网页：{scheme}://{host if host != '0.0.0.0' else '本机地址'}:{port}/  （{'多用户' if multi else '单用户，本机使用'}；{where}）")
    uvicorn.run(app, host=host, port=port, log_level="warning", ssl_certfile=str(cert) if cert else None, ssl_keyfile=str(key) if key else None)


def has_admin(app) -> bool:
    from sqlalchemy import select

    from .db import User

    with app.state.sessions() as session:
        return session.scalar(select(User).where(User.role == "admin")) is not None


def create_admin(data: Path, db: str | None, name: str, password: str, role: str = "admin", department: str = "", unit: str = "") -> str:
    """Create an account (the first administrator, typically) directly in the database."""
    from .auth import ROLES, create_user
    from .db import connect

    Path(data).mkdir(parents=True, exist_ok=True)
    engine, Sessions = connect(db or f"sqlite:///{Path(data) / 'juesuan.db'}")
    try:
        with Sessions() as session:
            user = create_user(session, name, password, role, department=department, unit=unit)
            return f"已建立{ROLES[user.role]}账户：{user.name}"
    finally:
        engine.dispose()
