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
import posixpath
import re
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import InternalError, OutputError, os_reason

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
ZIP_LIMIT = 0xFFFFFFFF  # beyond this a part needs ZIP64: not for our documents (zipfile writes those)


@dataclass(frozen=True)
class Member:
    """One zip entry as stored: its name, CRC-32, size and raw deflate stream. A member read
    from one package is written into another as it is, without inflating or deflating it."""

    name: str
    crc: int
    size: int
    deflated: bytes

    def data(self) -> bytes:
        data = zlib.decompress(self.deflated, -15)
        if len(data) != self.size or zlib.crc32(data) != self.crc:
            raise zipfile.BadZipFile(f"Bad CRC-32 for file {self.name!r}")
        return data


def read_members(data: bytes) -> dict[str, Member]:
    """The members of a zip package (in order), their compressed bytes sliced out, not inflated."""
    out = {}
    view = memoryview(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            if info.flag_bits & 0x1:
                raise zipfile.BadZipFile(f"{info.filename} is encrypted")
            start = info.header_offset
            head = struct.unpack("<4s2B4HL2L2H", view[start : start + 30])
            if head[0] != b"PK\x03\x04":
                raise zipfile.BadZipFile(f"Bad local header for {info.filename!r}")
            start += 30 + head[10] + head[11]
            raw = bytes(view[start : start + info.compress_size])
            if len(raw) != info.compress_size:
                raise zipfile.BadZipFile(f"Truncated file {info.filename!r}")
            if info.compress_type == zipfile.ZIP_STORED:
                raw = _deflate(raw)
            elif info.compress_type != zipfile.ZIP_DEFLATED:
                raw = _deflate(zf.read(info))
            out[info.filename] = Member(info.filename, info.CRC, info.file_size, raw)
    return out


def _deflate(data: bytes) -> bytes:
    """Deflate as zipfile does (default level, raw stream), so our packages keep their bytes."""
    c = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


# Template parts (styles.xml alone is 360 kB) repeat in every document: each distinct part is
# deflated once per process. A part enters the cache the second time it is seen, so the
# one-off parts of each document (its body) never crowd it; the cache is bounded. The small
# parts are cached too: a deflate stream's set-up costs more than compressing 2 kB.
_DEFLATE_CACHE: dict[tuple[int, int], tuple[bytes, bytes]] = {}
_SEEN_ONCE: dict[tuple[int, int], None] = {}
_CACHE_MIN, _CACHE_ENTRIES = 0, 128


def remember(cache: dict, key, value, limit: int) -> None:
    """``cache[key] = value``, dropping the oldest entries beyond ``limit`` (safe if threads race)."""
    while len(cache) >= limit:
        try:
            cache.pop(next(iter(cache)), None)
        except (StopIteration, RuntimeError):
            break
    cache[key] = value


def member(name: str, data: bytes) -> Member:
    """``data`` as a zip member (deflated, or taken from the cache of repeated parts)."""
    crc = zlib.crc32(data)
    if len(data) < _CACHE_MIN:
        return Member(name, crc, len(data), _deflate(data))
    key = (len(data), crc)
    hit = _DEFLATE_CACHE.get(key)
    if hit is not None and hit[0] == data:
        return Member(name, crc, len(data), hit[1])
    deflated = _deflate(data)
    if key in _SEEN_ONCE:
        remember(_DEFLATE_CACHE, key, (data, deflated), _CACHE_ENTRIES)
    else:
        remember(_SEEN_ONCE, key, None, 4 * _CACHE_ENTRIES)
    return Member(name, crc, len(data), deflated)


def zip_bytes(entries: Iterable[tuple[str, bytes | Member]], date_time: tuple = FIXED_TIME) -> bytes:
    """A zip package of ``entries`` (name, data or a Member read from another package), in that
    order, every entry stamped ``date_time``: the bytes zipfile would write (deflate, mode 0600)."""
    dosdate = (date_time[0] - 1980) << 9 | date_time[1] << 5 | date_time[2]
    dostime = date_time[3] << 11 | date_time[4] << 5 | (date_time[5] // 2)
    entries = list(entries)
    if len(entries) >= 0xFFFF or sum(d.size + len(d.deflated) if isinstance(d, Member) else 2 * len(d) for _, d in entries) >= ZIP_LIMIT:
        return _zipfile_bytes(entries, date_time)  # ZIP64: zipfile knows how
    out, central, names = [], [], set()
    offset = 0
    for name, data in entries:
        if name in names:
            raise ValueError(f"duplicate zip entry {name}")
        names.add(name)
        m = data if isinstance(data, Member) else member(name, data)
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), 0x800
        out.append(
            struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, flags, zipfile.ZIP_DEFLATED, dostime, dosdate, m.crc, len(m.deflated), m.size, len(encoded), 0)
        )
        out.append(encoded)
        out.append(m.deflated)
        central.append(
            struct.pack(
                "<4s4B4HL2L5H2L",
                b"PK\x01\x02",
                20,
                3,
                20,
                0,
                flags,
                zipfile.ZIP_DEFLATED,
                dostime,
                dosdate,
                m.crc,
                len(m.deflated),
                m.size,
                len(encoded),
                0,
                0,
                0,
                0,
                0o600 << 16,
                offset,
            )
        )
        central.append(encoded)
        offset += 30 + len(encoded) + len(m.deflated)
    directory = b"".join(central)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(names), len(names), len(directory), offset, 0)
    return b"".join(out) + directory + end


def _zipfile_bytes(entries: list[tuple[str, bytes | Member]], date_time: tuple) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, data.data() if isinstance(data, Member) else data)
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


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"

# parts that passed: (name, CRC, size) → their stored bytes. Template parts repeat in every
# document, byte for byte, so each is inflated and parsed once per process.
_VERIFIED: dict[tuple[str, int, int], bytes] = {}


# main parts this process serialized itself from a parsed w:document with a w:body
# (``printing.finish``): well-formed by construction, so verify_docx need not parse them again.
_VOUCHED: dict[tuple[int, int], bytes] = {}


def vouch(part: Member) -> None:
    """Record a document part serialized from an lxml tree of a w:document with a w:body."""
    remember(_VOUCHED, (part.crc, part.size), part.deflated, 8)


def _safe_parser():
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=True)


def _xml_part(part: Member, parser):
    """A part parsed with no DTD, no entities and no network; a DOCTYPE is refused."""
    from lxml import etree

    root = etree.fromstring(part.data(), parser)
    if root.getroottree().docinfo.doctype:
        raise ValueError(f"{part.name} 含 DTD")
    return root


def _check_package(members: dict[str, Member]) -> None:
    """The package Word opens: [Content_Types].xml gives every part a type, each relationship
    points at a part that exists, the main part is a w:document with a w:body, every XML part
    parses (strict, safe parser) and every part inflates to its CRC."""
    parser = _safe_parser()
    if "[Content_Types].xml" not in members:
        raise ValueError("缺少 [Content_Types].xml")
    types = _xml_part(members["[Content_Types].xml"], parser)
    defaults = {(d.get("Extension") or "").lower() for d in types.iter(f"{{{CT_NS}}}Default")}
    overrides = {(o.get("PartName") or "").lstrip("/") for o in types.iter(f"{{{CT_NS}}}Override")}
    if "_rels/.rels" not in members:
        raise ValueError("缺少 _rels/.rels")
    main = None
    for name, part in members.items():
        if name.endswith("/"):
            continue  # a folder entry
        if name != "[Content_Types].xml" and name not in overrides and name.rsplit(".", 1)[-1].lower() not in defaults:
            raise ValueError(f"{name} 没有内容类型")
        if name.endswith(".rels"):
            rels = _xml_part(part, parser)
            folder = posixpath.dirname(posixpath.dirname(name))  # word/_rels/document.xml.rels → word
            for rel in rels.iter(f"{{{REL_NS}}}Relationship"):
                if rel.get("TargetMode") == "External":
                    continue
                target = rel.get("Target") or ""
                path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
                if path not in members:
                    raise ValueError(f"{name} 指向不存在的部件 {target}")
                if name == "_rels/.rels" and rel.get("Type") == OFFICE_DOCUMENT:
                    main = path
    if main is None:
        raise ValueError("_rels/.rels 没有指向正文")
    verified_before, newly = _verified_on_disk(), []
    for name, part in members.items():
        if name.endswith("/") or name.endswith(".rels") or name == "[Content_Types].xml":
            continue
        key = (name, part.crc, part.size)
        if _VERIFIED.get(key) == part.deflated or (name == main and _VOUCHED.get(key[1:]) == part.deflated):
            continue
        template_part = name != main and part.size >= 4096  # the large template parts, not each document's own small ones
        digest = _part_digest(part) if template_part else ""
        if digest not in verified_before:
            if name.endswith(".xml") or name == main:
                root = _xml_part(part, parser)
                if name == main and (root.tag != f"{{{W_NS}}}document" or root.find(f"{{{W_NS}}}body") is None):
                    raise ValueError(f"{name} 没有正文（w:body）")
            else:
                part.data()  # inflates and checks the CRC
            if template_part:
                newly.append(digest)
        if template_part:
            remember(_VERIFIED, key, part.deflated, 64)
    if newly:
        _store_verified(newly)


# Template parts verified by an earlier process (folder "verified" of the template cache, which is the
# user's own: the compiled templates run from there too): a single `build` need not parse styles.xml and
# the other large template parts again. Each is known by a digest of its name, CRC, size and bytes.
_VERIFIED_DISK: list[str] | None = None
_VERIFIED_DISK_ENTRIES = 512


def _verified_key() -> str:
    from . import template_cache

    return template_cache.entry_key(b"", "verified parts")


def _verified_on_disk() -> set[str]:
    global _VERIFIED_DISK
    if _VERIFIED_DISK is None:
        from . import template_cache

        hit = template_cache.load(_verified_key(), "verified")
        found = hit[0].get("parts") if hit is not None else None
        _VERIFIED_DISK = found if isinstance(found, list) and all(isinstance(d, str) for d in found) else []
    return set(_VERIFIED_DISK)


def _store_verified(digests: list[str]) -> None:
    global _VERIFIED_DISK
    from . import template_cache

    known = [d for d in (_VERIFIED_DISK or []) if d not in digests] + digests
    _VERIFIED_DISK = known[-_VERIFIED_DISK_ENTRIES:]
    template_cache.store(_verified_key(), {"parts": _VERIFIED_DISK}, None, "verified")


def _part_digest(part: Member) -> str:
    import hashlib

    return hashlib.sha256(f"{part.name}\0{part.crc}\0{part.size}\0".encode() + part.deflated).hexdigest()


def verify_docx(data: bytes, name: str = "") -> None:
    """Parse a written .docx back once, as Word would open it (see ``_check_package``).

    A document that does not parse is our bug (the inputs were cleaned on the way in):
    InternalError, so nobody is told "已生成" about a file Word cannot open.
    """
    try:
        _check_package(read_members(data))
    except Exception as exc:
        raise InternalError(f"生成的文档{name}无法解析（{exc.__class__.__name__}: {exc}）") from exc
