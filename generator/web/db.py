"""The web app's records: departments, units, accounts, uploads, builds, batches, templates, audit.

The schema is created and upgraded by Alembic (``migrations/``); SQLite under ``--data`` by
default, any SQLAlchemy URL (``postgresql://…``) for a shared server.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, TypeDecorator, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

LIBPQ = ("psycopg", "psycopg2")  # drivers that take libpq's connect_timeout
MAX_ID = 2**31 - 1  # ids are INTEGER columns; PostgreSQL refuses a larger number in a query instead of finding nothing


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Name(TypeDecorator):
    """A name read from a workbook or a form, stored within its column's length.

    SQLite ignores VARCHAR lengths, PostgreSQL refuses a longer value (and any NUL character);
    the same cut applies to queries, so a long name still finds its own row.
    """

    impl = String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return value.replace("\x00", "")[: self.impl.length] if isinstance(value, str) else value


class Base(DeclarativeBase):
    pass


class Department(Base):
    __tablename__ = "departments"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Name(200), unique=True)


class Unit(Base):
    __tablename__ = "units"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Name(200), index=True)
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
    unit_name: Mapped[str] = mapped_column(Name(200), default="")
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


def get(session, model, ident):
    """The row with this id from a URL or form, or None (also for ids no INTEGER column can hold)."""
    try:
        ident = int(ident)
    except (TypeError, ValueError):
        return None
    return session.get(model, ident) if 0 < ident <= MAX_ID else None


def engine_url(url: str) -> URL:
    """The SQLAlchemy URL for a --db address: postgresql:// (and postgres://) use psycopg 3, the driver of the web extra."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseUnavailable(f"数据库地址无法识别：{_hide_password(url)}（例如 postgresql://用户:密码@主机/库名）。") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _hide_password(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    auth, _, host = rest.rpartition("@")
    return f"{scheme}://{auth.split(':')[0]}:***@{host}" if ":" in auth else url


def connect(url: str):
    """Engine + session factory, schema upgraded to the newest Alembic revision."""
    from alembic import command
    from alembic.config import Config

    target = engine_url(url)
    sqlite = target.get_backend_name() == "sqlite"
    shown = make_url(url).render_as_string(hide_password=True)  # as typed after --db, without its password
    try:
        if sqlite:
            engine = create_engine(target, connect_args={"check_same_thread": False})
        else:  # a shared server: give up on an unreachable host after 10 s, and replace connections it has closed
            engine = create_engine(target, pool_pre_ping=True, connect_args={"connect_timeout": 10} if target.get_driver_name() in LIBPQ else {})
    except ModuleNotFoundError as err:
        raise DatabaseUnavailable(f"数据库“{target.drivername}”需要安装驱动 {err.name}（PostgreSQL：pip install -e '.[web]'，其中含 psycopg）。") from None
    except Exception as err:
        raise DatabaseUnavailable(f"数据库地址无法使用（{shown}）：{err}") from None
    if sqlite:

        @event.listens_for(engine, "connect")
        def _pragmas(conn, _record):  # concurrent readers while the batch thread writes
            cur = conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except OperationalError as err:
        engine.dispose()
        reason = str(err.orig).strip().splitlines()[0] if err.orig else str(err)
        raise DatabaseUnavailable(f"无法连接数据库 {shown}：{reason}") from None
    return engine, sessionmaker(engine, expire_on_commit=False)
