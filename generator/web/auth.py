"""Accounts, passwords, login throttling and who may see what (checked on the server for every page and file)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import Department, LoginAttempt, Unit, User, now

ROLES = {"admin": "财政局管理员", "department": "部门", "unit": "单位"}
FREE_TRIES = 5  # wrong passwords in a row before logins of that name slow down
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


@dataclass
class Who:
    """The signed-in person (or the local user of single-user mode)."""

    id: int | None
    name: str
    role: str
    department_id: int | None = None
    unit_id: int | None = None

    @property
    def role_label(self) -> str:
        return ROLES[self.role]

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


LOCAL = Who(None, "本机用户", "admin")


def who(user: User) -> Who:
    return Who(user.id, user.name, user.role, user.department_id, user.unit_id)


def delay_after(failures: int) -> int:
    """Seconds a name is blocked after this many wrong passwords in a row: 0 up to five, then 30, 60, 120 … ≤ 1 h."""
    if failures < FREE_TRIES:
        return 0
    return min(30 * 2 ** (failures - FREE_TRIES), 3600)


class LoginBlocked(Exception):
    def __init__(self, seconds: int):
        super().__init__(f"密码连续输错 {FREE_TRIES} 次以上，请 {seconds} 秒后再试。")
        self.seconds = seconds


def login(db: Session, name: str, password: str) -> User | None:
    """The account when the password is right; counts wrong ones; raises LoginBlocked while slowed down."""
    key = name.strip().lower()[:100]
    attempt = db.get(LoginAttempt, key) or LoginAttempt(name=key, failures=0)
    if attempt.blocked_until and attempt.blocked_until > now():
        raise LoginBlocked(max(1, int((attempt.blocked_until - now()).total_seconds()) + 1))
    user = db.scalar(select(User).where(User.name == name.strip()))
    ok = False
    if user is not None:
        try:
            ok = _hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            ok = False
    else:
        _hasher.hash(password or "x")  # same cost whether or not the name exists
    if ok:
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        attempt.failures, attempt.blocked_until = 0, None
        db.merge(attempt)
        db.commit()
        return user
    attempt.failures = (attempt.failures or 0) + 1
    wait = delay_after(attempt.failures)
    attempt.blocked_until = now() + timedelta(seconds=wait) if wait else None
    db.merge(attempt)
    db.commit()
    return None


def create_user(db: Session, name: str, password: str, role: str, *, department: str = "", unit: str = "") -> User:
    """New account; 部门 needs its department, 单位 its unit (and the unit's department)."""
    name = name.strip()
    if role not in ROLES:
        raise ValueError(f"角色只能是：{'、'.join(ROLES)}")
    if not name:
        raise ValueError("请填写账户名。")
    if len(name) > 100:
        raise ValueError("账户名最多 100 个字。")
    if len(password) < 8:
        raise ValueError("密码至少 8 位。")
    if db.scalar(select(User).where(User.name == name)):
        raise ValueError(f"账户“{name}”已存在。")
    dept = find_department(db, department) if department.strip() else None
    unit_row = None
    if role == "department" and dept is None:
        raise ValueError("部门账户需要填写部门名称。")
    if role == "unit":
        if not unit.strip():
            raise ValueError("单位账户需要填写单位名称。")
        unit_row = find_unit(db, unit, dept.id if dept else None)
    user = User(
        name=name,
        password_hash=hash_password(password),
        role=role,
        department_id=dept.id if dept else (unit_row.department_id if unit_row else None),
        unit_id=unit_row.id if unit_row else None,
    )
    db.add(user)
    db.commit()
    return user


def find_department(db: Session, name: str) -> Department:
    name = name.strip()
    dept = db.scalar(select(Department).where(Department.name == name))
    if dept is None:
        dept = Department(name=name)
        db.add(dept)
        db.flush()
    return dept


def find_unit(db: Session, name: str, department_id: int | None) -> Unit:
    """The unit of that name in that department (created on first sight)."""
    name = name.strip()
    q = select(Unit).where(Unit.name == name)
    q = q.where(Unit.department_id == department_id) if department_id is not None else q
    unit = db.scalars(q.order_by(Unit.id)).first()
    if unit is None:
        unit = Unit(name=name, department_id=department_id)
        db.add(unit)
        db.flush()
    return unit


# ---- authorisation: one place that says which units a person may see ----


def can_see_unit(user: Who, unit: Unit | None) -> bool:
    if unit is None:
        return False
    if user.role == "admin":
        return True
    if user.role == "department":
        return unit.department_id is not None and unit.department_id == user.department_id
    return unit.id == user.unit_id


def can_see_department(user: Who, department_id: int | None) -> bool:
    if user.role == "admin":
        return True
    return user.role == "department" and department_id is not None and department_id == user.department_id


def visible_units(db: Session, user: Who) -> list[Unit]:
    q = select(Unit).order_by(Unit.name)
    if user.role == "department":
        q = q.where(Unit.department_id == user.department_id)
    elif user.role == "unit":
        q = q.where(Unit.id == user.unit_id)
    return list(db.scalars(q))


def can_see_upload(db: Session, user: Who, upload) -> bool:
    """Through its unit; an upload no unit could be read from belongs to whoever uploaded it."""
    if upload is None:
        return False
    if upload.unit_id is None:
        return user.role == "admin" or (user.id is not None and upload.user_id == user.id)
    return can_see_unit(user, db.get(Unit, upload.unit_id))
