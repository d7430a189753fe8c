"""Deterministic, atomic file output shared by every stage that writes a file.

Zip packages (.docx, .xlsx) are rewritten with fixed timestamps so the same input gives
the same bytes; every write goes to a temporary file in the target folder and is then
renamed, so a failure never leaves a half-written file.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def zip_bytes(entries: Iterable[tuple[str, bytes]], date_time: tuple = FIXED_TIME) -> bytes:
    """A zip package of ``entries`` (name, data), in that order, every entry stamped ``date_time``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, data)
    return out.getvalue()


def normalize_zip(data: bytes, transform: Callable[[str, bytes], bytes] | None = None, date_time: tuple = FIXED_TIME) -> bytes:
    """The same package with fixed timestamps; ``transform(name, data)`` may rewrite an entry."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        entries = [(i.filename, src.read(i.filename)) for i in src.infolist()]
    if transform is not None:
        entries = [(name, transform(name, blob)) for name, blob in entries]
    return zip_bytes(entries, date_time)


def write_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename (usual permissions)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".~", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path
