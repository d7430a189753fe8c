"""Uploaded and produced files: kept under random names in the data folder, which is never served.

Every download goes through a route that checks who may have it.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

WORKBOOK_TYPES = (".xlsx", ".xls", ".ods")
MAGIC = {".xlsx": b"PK\x03\x04", ".ods": b"PK\x03\x04", ".xls": b"\xd0\xcf\x11\xe0", ".zip": b"PK\x03\x04", ".docx": b"PK\x03\x04"}
MAX_ZIP_MEMBERS = 200


class Refused(Exception):
    """An upload that is not accepted; the message is the one line shown to the officer."""


@dataclass
class Incoming:
    filename: str
    data: bytes


class Store:
    def __init__(self, root: Path):
        self.root = root
        self.files = root / "files"
        self.files.mkdir(parents=True, exist_ok=True)

    def put(self, data: bytes, suffix: str) -> str:
        name = secrets.token_hex(16) + suffix.lower()
        (self.files / name).write_bytes(data)
        return name

    def path(self, name: str) -> Path:
        if not name or "/" in name or "\\" in name or name.startswith("."):
            raise FileNotFoundError(name)
        return self.files / name

    def folder(self) -> tuple[str, Path]:
        name = secrets.token_hex(16)
        path = self.root / "work" / name
        path.mkdir(parents=True)
        return name, path

    def work(self, name: str) -> Path:
        if not name or "/" in name or "\\" in name or name.startswith("."):
            raise FileNotFoundError(name)
        return self.root / "work" / name


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def suffix_of(filename: str) -> str:
    return Path(filename.lower()).suffix


def workbooks(files: list[Incoming], max_bytes: int) -> list[Incoming]:
    """The workbooks among the uploaded files, unpacking .zip folders; any other file refuses the whole upload with one line."""
    out: list[Incoming] = []
    for f in files:
        kind = suffix_of(f.filename)
        if len(f.data) > max_bytes:
            raise Refused(f"文件“{f.filename}”有 {len(f.data) / 1048576:.1f} MB，超过上限 {max_bytes / 1048576:.0f} MB。")
        if kind == ".zip":
            out += _unzip(f, max_bytes)
        elif kind in WORKBOOK_TYPES:
            if not f.data.startswith(MAGIC[kind]):
                raise Refused(f"文件“{f.filename}”不是真正的 {kind} 工作簿（内容与扩展名不符），请在 Excel 或 WPS 中另存后再上传。")
            out.append(f)
        else:
            raise Refused(f"文件“{f.filename}”不是工作簿：只接受 .xlsx、.xls、.ods，或装有它们的 .zip。")
    if not out:
        raise Refused("没有收到工作簿：请选择 .xlsx、.xls、.ods 文件，或装有它们的 .zip。")
    return out


def _unzip(f: Incoming, max_bytes: int) -> list[Incoming]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(f.data))
    except zipfile.BadZipFile:
        raise Refused(f"文件“{f.filename}”不是有效的 .zip 压缩包。") from None
    members = [m for m in archive.infolist() if not m.is_dir() and suffix_of(m.filename) in WORKBOOK_TYPES]
    members = [m for m in members if not Path(m.filename).name.startswith(("~$", ".")) and "__MACOSX" not in m.filename]
    if len(members) > MAX_ZIP_MEMBERS:
        raise Refused(f"压缩包“{f.filename}”里有 {len(members)} 个工作簿，一次最多 {MAX_ZIP_MEMBERS} 个。")
    total, out = 0, []
    for m in members:
        total += m.file_size
        if m.file_size > max_bytes or total > max_bytes * 10:
            raise Refused(f"压缩包“{f.filename}”解压后太大（“{m.filename}”），请分批上传。")
        name = m.filename.encode("cp437").decode("gbk", "replace") if not m.flag_bits & 0x800 else m.filename
        out += workbooks([Incoming(Path(name.replace("\\", "/")).name, archive.read(m))], max_bytes)
    if not out:
        raise Refused(f"压缩包“{f.filename}”里没有 .xlsx、.xls 或 .ods 工作簿。")
    return out
