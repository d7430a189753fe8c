"""A throwaway PostgreSQL cluster for the tests: initdb + pg_ctl in a temp folder, loopback only, a random port.

PostgreSQL refuses to run as root: under root the cluster belongs to the ``postgres`` system user
(``runuser -u postgres --``) and lives in a temp folder that user owns.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
from glob import glob
from pathlib import Path


class Unavailable(Exception):
    """Why no cluster can be started here (the tests that need one are skipped with this reason)."""


def bin_dir() -> Path:
    """The newest /usr/lib/postgresql/*/bin with initdb and pg_ctl (else the ones on PATH)."""
    found = [Path(d) for d in glob("/usr/lib/postgresql/*/bin") if (Path(d) / "initdb").exists() and (Path(d) / "pg_ctl").exists()]
    found.sort(key=lambda d: int(re.sub(r"\D", "", d.parent.name) or 0))
    if found:
        return found[-1]
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:
        return Path(initdb).parent
    raise Unavailable("PostgreSQL 未安装（找不到 /usr/lib/postgresql/*/bin/initdb 和 pg_ctl）：PostgreSQL 测试跳过（Debian/Ubuntu：make system-deps）")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """One cluster for the test session; each test gets its own database in it."""

    user = "juesuan"

    def __init__(self):
        self.bin = bin_dir()
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            import pwd

            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                raise Unavailable("以 root 运行测试，但没有 postgres 系统用户来运行 PostgreSQL：PostgreSQL 测试跳过") from None
            if not shutil.which("runuser"):
                raise Unavailable("以 root 运行测试，但没有 runuser 命令：PostgreSQL 测试跳过")
        self.root = Path(tempfile.mkdtemp(prefix="juesuan-pg-"))
        self.password = secrets.token_hex(16)
        self.port = free_port()
        (self.root / "pw").write_text(self.password)
        (self.root / "sock").mkdir()
        if self.as_postgres:
            for path in (self.root, self.root / "pw", self.root / "sock"):
                os.chown(path, owner.pw_uid, owner.pw_gid)
        self._count = 0
        self.version = ""

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        done = subprocess.run(cmd, cwd=self.root, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        return done

    def start(self) -> Cluster:
        data = self.root / "data"
        self._run("initdb", "-D", str(data), "-U", self.user, f"--pwfile={self.root / 'pw'}", "--auth=scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync")
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root / 'sock'} -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", str(data), "-l", str(self.root / "server.log"), "-w", "-t", "60", "-o", options, "start")
        with self._admin() as conn:
            self.version = conn.execute("SHOW server_version").fetchone()[0]
        return self

    def stop(self) -> None:
        try:
            if (self.root / "data" / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def _admin(self):
        import psycopg

        return psycopg.connect(host="127.0.0.1", port=self.port, user=self.user, password=self.password, dbname="postgres", autocommit=True)

    def url(self, database: str) -> str:
        """The address as an officer types it after --db: plain postgresql://, no driver named."""
        return f"postgresql://{self.user}:{self.password}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        self._count += 1
        name = f"test_{self._count}"
        with self._admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
