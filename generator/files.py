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
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path

FIXED_TIME = (1980, 1, 1, 0, 0, 0)


class _DeflateCache:
    """Compressed bytes of entries already written in this process (a template's styles, fonts,
    images are the same in every document: they are deflated once, then copied). LRU, bounded."""

    def __init__(self, max_entries: int = 256, max_bytes: int = 64 << 20):
        self.items: OrderedDict[tuple[str, bytes], bytes] = OrderedDict()
        self.max_entries, self.max_bytes, self.size = max_entries, max_bytes, 0

    def get(self, key):
        blob = self.items.get(key)
        if blob is not None:
            self.items.move_to_end(key)
        return blob

    def put(self, key, blob: bytes) -> None:
        self.items[key] = blob
        self.size += len(blob) + len(key[1])
        while self.items and (len(self.items) > self.max_entries or self.size > self.max_bytes):
            (_, data), old = self.items.popitem(last=False)
            self.size -= len(old) + len(data)


class _Replay:
    """Stands in for zlib's compressor: hands back bytes compressed earlier (same data, same settings)."""

    def __init__(self, blob: bytes):
        self.blob = blob

    def compress(self, data: bytes) -> bytes:
        blob, self.blob = self.blob, b""
        return blob

    def flush(self) -> bytes:  # whatever compress() did not hand out (e.g. an empty entry never calls it)
        blob, self.blob = self.blob, b""
        return blob


class _Record:
    """Wraps zlib's compressor and keeps what it produced, for the cache."""

    def __init__(self, real):
        self.real, self.parts = real, []

    def compress(self, data: bytes) -> bytes:
        self.parts.append(self.real.compress(data))
        return self.parts[-1]

    def flush(self) -> bytes:
        self.parts.append(self.real.flush())
        return self.parts[-1]


_DEFLATED = _DeflateCache()


def zip_bytes(entries: Iterable[tuple[str, bytes]], date_time: tuple = FIXED_TIME) -> bytes:
    """A zip package of ``entries`` (name, data), in that order, every entry stamped ``date_time``.

    The bytes are exactly zipfile's; entries seen before in this process reuse their compressed form.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            info.file_size = len(data)
            key = (name, bytes(data))
            with dst.open(info, "w") as stream:
                real = getattr(stream, "_compressor", None)
                blob = _DEFLATED.get(key)
                if real is None:  # another zipfile implementation: plain write
                    stream.write(data)
                    continue
                stream._compressor = _Replay(blob) if blob is not None else _Record(real)
                stream.write(data)
                recorder = stream._compressor
            if blob is None:
                _DEFLATED.put(key, b"".join(recorder.parts))
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
