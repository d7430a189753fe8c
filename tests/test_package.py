"""The .docx package: zip writing (the bytes zipfile writes, members copied without re-deflating)
and verify_docx, the check that runs before any "已生成" (a broken package is an InternalError)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from generator import files
from generator.errors import InternalError
from generator.files import member, read_members, verify_docx, zip_bytes
from generator.profiles import load_profile


def zipfile_bytes(entries, date_time=files.FIXED_TIME) -> bytes:
    """The reference: the standard library's writer with our fixed stamp and mode."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, data)
    return out.getvalue()


def entries_of(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


@pytest.fixture(scope="module")
def template() -> bytes:
    return load_profile("上海2024").template.read_bytes()


def test_zip_bytes_writes_what_zipfile_writes(template):
    entries = entries_of(template)
    assert zip_bytes(entries) == zipfile_bytes(entries)
    assert zip_bytes(entries) == zip_bytes(entries)  # the second time from the cache of repeated parts
    odd = [("目录/中文.xml", b"<a/>"), ("empty", b""), ("big.xml", b"<x>" + b"y" * 100_000 + b"</x>")]
    assert zip_bytes(odd, (2021, 3, 4, 5, 6, 8)) == zipfile_bytes(odd, (2021, 3, 4, 5, 6, 8))


def test_members_are_copied_as_stored(template):
    members = read_members(template)
    assert zip_bytes(members.items()) == zip_bytes(entries_of(template))
    assert all(m.data() == data for (_, data), m in zip(entries_of(template), members.values(), strict=False))
    with pytest.raises(ValueError):
        zip_bytes([("a", b"1"), ("a", b"2")])


def test_a_member_whose_bytes_do_not_match_its_crc_is_refused():
    m = member("a.xml", b"<a>" + b"x" * 5000 + b"</a>")
    bad = files.Member(m.name, m.crc ^ 1, m.size, m.deflated)
    with pytest.raises(zipfile.BadZipFile):
        bad.data()


def rewrite(data: bytes, name: str, change) -> bytes:
    return zipfile_bytes([(n, change(d) if n == name else d) for n, d in entries_of(data) if not (n == name and change(d) is None)])


def fresh(data: bytes) -> bytes:
    """The same package with a document part no earlier test has seen (no cache can answer)."""
    return rewrite(data, "word/document.xml", lambda d: d.replace(b"<w:body>", b"<w:body><!-- %d -->" % id(d), 1))


@pytest.mark.parametrize(
    "name, change, reason",
    [
        ("word/document.xml", lambda d: d[: len(d) // 2], "XMLSyntaxError"),
        ("word/document.xml", lambda d: re.sub(rb"<w:body>.*</w:body>", b"", d, flags=re.S), "w:body"),
        ("word/document.xml", lambda d: d.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY e "boom">]>', 1), "DTD"),
        ("word/styles.xml", lambda d: d.replace(b"</w:styles>", b"<w:style>&e;</w:styles>"), "XMLSyntaxError"),
        ("word/footerOdd.xml", lambda d: None, "footerOdd.xml"),
        ("[Content_Types].xml", lambda d: None, "Content_Types"),
        ("[Content_Types].xml", lambda d: d.replace(b'<Default Extension="xml" ContentType="application/xml"/>', b""), "内容类型"),
        ("_rels/.rels", lambda d: d.replace(b"word/document.xml", b"word/nothing.xml"), "不存在"),
        ("_rels/.rels", lambda d: None, "_rels/.rels"),
        ("_rels/.rels", lambda d: d.replace(b"relationships/officeDocument", b"relationships/other"), "正文"),
    ],
    ids=[
        "truncated",
        "no-body",
        "dtd",
        "undefined-entity",
        "missing-rel-target",
        "no-content-types",
        "no-content-type",
        "main-part-missing",
        "no-package-rels",
        "no-main-part",
    ],
)
def test_a_broken_package_is_an_internal_error(template, name, change, reason):
    verify_docx(fresh(template), "好.docx")  # the package as written is fine
    broken = fresh(rewrite(template, name, change))
    with pytest.raises(InternalError) as exc:
        verify_docx(broken, "坏.docx")
    assert "坏.docx" in str(exc.value) and reason in str(exc.value)


def test_corrupt_compressed_bytes_are_an_internal_error(template):
    data = bytearray(fresh(template))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0xFF  # one byte in the middle of the deflate stream
    with pytest.raises(InternalError):
        verify_docx(bytes(data), "坏.docx")
    with pytest.raises(InternalError):
        verify_docx(b"PK\x03\x04 not a zip", "坏.docx")


def test_a_repeated_part_is_checked_again_when_its_stored_bytes_differ(template):
    """The cache of checked parts answers only for byte-identical stored parts."""
    verify_docx(template)
    bad = bytearray(template)
    info = zipfile.ZipFile(io.BytesIO(template)).getinfo("word/styles.xml")  # checked above, same name, CRC and size
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    bad[start + 100] ^= 0x55
    with pytest.raises(InternalError):
        verify_docx(bytes(bad))


def test_the_part_caches_are_bounded():
    from generator.files import remember

    cache: dict = {}
    for i in range(5):
        remember(cache, i, "x", limit=2)
    assert list(cache) == [3, 4]  # the oldest entries go first
