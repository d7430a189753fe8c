"""Deterministic, atomic, checked file output shared by every stage that writes a file.

Zip packages (.docx, .xlsx) are rewritten with fixed timestamps so the same input gives
the same bytes; every write goes to a temporary file in the target folder and is then
renamed, so a failure never leaves a half-written file, and a failure to write (full disk,
read-only folder, a folder in the way) is one OutputError line. An output that would
replace one of the command's inputs is refused. A written .docx is parsed back once
(:func:`verify_docx`) before anyone reports it as made.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path

from .errors import InternalError, OutputError, os_reason

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


_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def fixed_core_dates(name: str, data: bytes) -> bytes:
    """A normalize_zip transform: the document's created/modified stamps fixed (same bytes every run)."""
    if name != "docProps/core.xml":
        return data
    return _CORE_DATES.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", data)


def normalize_zip(data: bytes, transform: Callable[[str, bytes], bytes] | None = None, date_time: tuple = FIXED_TIME) -> bytes:
    """The same package with fixed timestamps; ``transform(name, data)`` may rewrite an entry."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        entries = [(i.filename, src.read(i.filename)) for i in src.infolist()]
    if transform is not None:
        entries = [(name, transform(name, blob)) for name, blob in entries]
    return zip_bytes(entries, date_time)


# every character XML 1.0 cannot hold, plus DEL and the C1 controls; \t \n \r are legal
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
TEMP_PREFIX = ".~juesuan-"


def clean_text(text: str) -> str:
    """``text`` without characters that cannot appear in a Word or Excel file."""
    return CONTROL_CHARS.sub("", text) if CONTROL_CHARS.search(text) else text


def clean(value):
    """clean_text for strings; every other value as it is (for report rows)."""
    return clean_text(value) if isinstance(value, str) else value


def refuse_inputs(out: str | Path, *inputs: str | Path | None) -> None:
    """An output path that is one of the command's inputs is refused (the user's file stays)."""
    out = Path(out)
    for item in inputs:
        if item is None:
            continue
        item = Path(item)
        same = False
        try:
            same = out.resolve() == item.resolve() or (out.exists() and item.exists() and os.path.samefile(out, item))
        except OSError:
            same = False
        if same:
            raise OutputError(f"输出文件与输入文件“{item.name}”是同一个文件，不能覆盖输入。请用 -o 指定另一个文件名。", file=out.name)


def write_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename (usual permissions).

    Any failure is one OutputError line; the temporary file is removed and ``path`` is
    untouched (it keeps its old content, or does not exist).
    """
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"输出位置“{path}”是一个文件夹，不能写成文件。请指定一个文件名。", file=path.name)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=path.suffix, dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise OutputError(f"无法写入“{path}”：{os_reason(exc)}。原有文件没有改动。请换一个位置或腾出空间后再试。", file=path.name) from None
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
    return path


_VERIFIED: set[tuple[str, int, int]] = set()


def verify_docx(data: bytes, name: str = "") -> None:
    """Parse a written .docx back once: every XML part, then python-docx opens it.

    A document that does not parse is our bug (the inputs were cleaned on the way in):
    InternalError, so nobody is told "已生成" about a file Word cannot open.
    """
    import docx
    from docx.opc.part import XmlPart
    from lxml import etree

    try:
        document = docx.Document(io.BytesIO(data))  # parses every part it knows (strict lxml)
        parsed = {str(p.partname).lstrip("/") for p in document.part.package.iter_parts() if isinstance(p, XmlPart)}
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in zf.infolist():
                key = (info.filename, info.CRC, info.file_size)
                if info.filename.endswith((".xml", ".rels")) and info.filename not in parsed and key not in _VERIFIED:
                    etree.fromstring(zf.read(info), parser)
                    _VERIFIED.add(key)  # template parts repeat in every document: parsed once per process
    except Exception as exc:
        raise InternalError(f"生成的文档{name}无法解析（{exc.__class__.__name__}: {exc}）") from exc
