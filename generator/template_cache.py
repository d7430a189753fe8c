"""The on-disk cache of compiled Word templates: a new process skips docxtpl, the lint and the
Jinja compile (most of a single `juesuan check`/`build`) when it has seen the same template.
Validated ``profile.toml`` settings are kept the same way (folder "settings"), so a later run
does not import pydantic to validate them again.

An entry is keyed by the template's bytes, the profile's table settings, the program (its
version and the digest of its own source files, so an edited lint or filter misses) and the
Python and Jinja versions. It holds data — the lint's problems, the document's head and tail
XML, the style names — and the Jinja bytecode of the compiled body, as Jinja's own bytecode
cache stores it (``marshal``). Safety:

* the cache folder is the user's own (``platformdirs`` user cache dir, or ``JUESUAN_CACHE_DIR``;
  ``JUESUAN_CACHE_DIR=off`` switches the cache off); a folder owned by someone else or
  writable by others is not used (nothing is loaded from a place others can write);
* entries are written to a temporary file and renamed (atomic); a reader checks the magic, the
  key and a SHA-256 of the payload, so a torn, corrupted or foreign file is ignored and rebuilt;
* any failure to read or write the cache only costs speed, never the document.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import stat
import sys
import tempfile
from pathlib import Path

from . import __version__

MAGIC = b"JUESUAN-TEMPLATE-CACHE-1\n"
MAX_ENTRIES = 64  # older entries (templates edited since, older program versions) are removed
ENV_VAR = "JUESUAN_CACHE_DIR"
_PROGRAM: str | None = None


def cache_dir(kind: str = "templates") -> Path | None:
    """The folder of ``kind``'s entries (compiled templates; "settings": validated profile.toml
    files), or None when the cache is off."""
    chosen = os.environ.get(ENV_VAR)
    if chosen is not None and chosen.strip().lower() in ("off", "0", "no", "false"):
        return None
    if chosen:
        return Path(chosen) / kind
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("juesuan", appauthor=False)) / kind


def program_digest() -> str:
    """The program's identity for the cache: its version and the bytes of its own modules."""
    global _PROGRAM
    if _PROGRAM is None:
        import jinja2

        h = hashlib.sha256(f"{__version__}|{sys.version}|{jinja2.__version__}".encode())
        here = Path(__file__).resolve().parent
        for path in sorted(here.glob("*.py")):
            h.update(path.name.encode() + b"\0" + path.read_bytes())
        _PROGRAM = h.hexdigest()
    return _PROGRAM


def entry_key(template: bytes, *settings: str) -> str:
    h = hashlib.sha256(program_digest().encode())
    for s in settings:
        h.update(b"\0" + s.encode())
    h.update(b"\0" + hashlib.sha256(template).digest())
    return h.hexdigest()


def _usable(folder: Path, create: bool) -> bool:
    """The folder exists (or is made, mode 0700), is ours and is not writable by others."""
    try:
        if create:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        st = folder.stat()
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode):
        return False
    if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
        return False
    return True


def load(key: str, kind: str = "templates") -> tuple[dict, object] | None:
    """(data, code) of the entry ``key``, or None: absent, unusable folder, corrupt or foreign."""
    folder = cache_dir(kind)
    if folder is None or not _usable(folder, create=False):
        return None
    try:
        blob = (folder / f"{key}.bin").read_bytes()
    except OSError:
        return None
    head = MAGIC + key.encode() + b"\n"
    if not blob.startswith(head) or len(blob) < len(head) + 32:
        return None
    digest, payload = blob[len(head) : len(head) + 32], blob[len(head) + 32 :]
    if hashlib.sha256(payload).digest() != digest:
        return None
    try:
        meta, _, code = payload.partition(b"\0")  # JSON never holds a raw NUL
        data = json.loads(meta)
        compiled = marshal.loads(code) if code else None
    except (ValueError, EOFError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    return data, compiled


def store(key: str, data: dict, code, kind: str = "templates") -> None:
    """Write the entry atomically; a failure is ignored (the next process compiles again)."""
    folder = cache_dir(kind)
    if folder is None or not _usable(folder, create=True):
        return
    tmp = None
    try:
        payload = json.dumps({**data, "key": key}, ensure_ascii=False).encode() + b"\0" + (marshal.dumps(code) if code is not None else b"")
        blob = MAGIC + key.encode() + b"\n" + hashlib.sha256(payload).digest() + payload
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        with os.fdopen(fd, "wb") as f:
            f.write(blob)
        os.replace(tmp, folder / f"{key}.bin")
        tmp = None
        _prune(folder)
    except (OSError, ValueError):
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _prune(folder: Path) -> None:
    """Keep the newest ``MAX_ENTRIES`` entries."""
    try:
        found = sorted(folder.glob("*.bin"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in found[MAX_ENTRIES:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
