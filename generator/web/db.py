"""The web app's records: departments, units, accounts, uploads, builds, batches, templates, audit.

The schema is created and upgraded by Alembic (``migrations/``); SQLite under ``--data`` by
default, any SQLAlchemy URL (``postgresql://…``) for a shared server.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Department(Base):
    __tablename__ = "departments"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class Unit(Base):
    __tablename__ = "units"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))  # admin | department | unit
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), nullable=True)


class LoginAttempt(Base):
    """Consecutive wrong passwords per account name (also for names that do not exist)."""

    __tablename__ = "login_attempts"
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    blocked_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class Upload(Base):
    __tablename__ = "uploads"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), nullable=True, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    filename: Mapped[str] = mapped_column(String(300))
    stored: Mapped[str] = mapped_column(String(100))  # random name in the store
    sha256: Mapped[str] = mapped_column(String(64))
    profile: Mapped[str] = mapped_column(String(50))
    unit_name: Mapped[str] = mapped_column(String(200), default="")
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="检查中")  # 检查中 | 无错误 | 有错误 | 无法读取
    message: Mapped[str] = mapped_column(Text, default="")
    findings: Mapped[list] = mapped_column(JSON, default=list)
    created: Mapped[datetime] = mapped_column(DateTime, default=now)


class Build(Base):
    __tablename__ = "builds"
    id: Mapped[int] = mapped_column(primary_key=True)
    upload_id: Mapped[int] = mapped_column(ForeignKey("uploads.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    profile: Mapped[str] = mapped_column(String(50))
    template_id: Mapped[int | None] = mapped_column(ForeignKey("templates.id"), nullable=True)
    want_pdf: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default="排队中")  # 排队中 | 生成中 | 已生成 | 失败
    message: Mapped[str] = mapped_column(Text, default="")
    docx: Mapped[str | None] = mapped_column(String(100), nullable=True)
    pdf: Mapped[str | None] = mapped_column(String(100), nullable=True)
    created: Mapped[datetime] = mapped_column(DateTime, default=now)


class Batch(Base):
    __tablename__ = "batches"
    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    profile: Mapped[str] = mapped_column(String(50))
    folder: Mapped[str] = mapped_column(String(100))  # random folder in the store
    status: Mapped[str] = mapped_column(String(20), default="排队中")  # 排队中 | 生成中 | 已完成 | 失败
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")
    results: Mapped[list] = mapped_column(JSON, default=list)
    created: Mapped[datetime] = mapped_column(DateTime, default=now)


class Template(Base):
    __tablename__ = "templates"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    profile: Mapped[str] = mapped_column(String(50))
    stored: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default="检查中")  # 检查中 | 可用 | 不可用
    message: Mapped[str] = mapped_column(Text, default="")
    created: Mapped[datetime] = mapped_column(DateTime, default=now)


class Audit(Base):
    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=now, index=True)
    user: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(30))  # 登录 | 上传 | 生成 | 下载 | 批量 | 比较 | 模板 | 账户
    target: Mapped[str] = mapped_column(String(300), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")


MIGRATIONS = Path(__file__).parent / "migrations"


class DatabaseUnavailable(Exception):
    """The --db URL cannot be used (driver missing, server unreachable): one line for the person starting the server."""


def connect(url: str):
    """Engine + session factory, schema upgraded to the newest Alembic revision."""
    from alembic import command
    from alembic.config import Config

    try:
        engine = create_engine(url, future=True, connect_args={"check_same_thread": False} if url.startswith("sqlite") else {})
    except ModuleNotFoundError as err:
        raise DatabaseUnavailable(
            f"数据库“{url.split('://')[0]}”需要安装驱动 {err.name}（PostgreSQL：pip install 'psycopg[binary]'，地址写作 postgresql+psycopg://…）。"
        ) from None
    except Exception as err:
        raise DatabaseUnavailable(f"数据库地址无法使用：{err}") from None
    if url.startswith("sqlite"):

        @event.listens_for(engine, "connect")
        def _pragmas(conn, _record):  # concurrent readers while the batch thread writes
            cur = conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except OperationalError as err:
        raise DatabaseUnavailable(f"无法连接数据库：{str(err.orig).strip().splitlines()[0] if err.orig else err}") from None
    return engine, sessionmaker(engine, expire_on_commit=False)
