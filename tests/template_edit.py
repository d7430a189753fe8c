"""Editing a template the way an officer does in Word, but on its XML: copy a shipped profile
folder, then reword text, delete a section or move a table frame in ``word/document.xml``."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

from generator.profiles import TEMPLATES

_PARA = re.compile(r"<w:p(?:\s[^>]*)?>.*?</w:p>|<w:tbl>.*?</w:tbl>", re.S)


def copy_profile(name: str, tmp: Path) -> Path:
    folder = tmp / f"我的{name}"
    shutil.copytree(TEMPLATES / name, folder)
    return folder


def edit_document(folder: Path, fn) -> None:
    path = folder / "template.docx"
    with zipfile.ZipFile(path) as zf:
        entries = [(i, zf.read(i.filename)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            if info.filename == "word/document.xml":
                data = fn(data.decode("utf-8")).encode("utf-8")
            zf.writestr(info, data)


def blocks(xml: str) -> list[re.Match]:
    return list(_PARA.finditer(xml))


def text(block: str) -> str:
    return "".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", block))


def delete_section(xml: str, title: str) -> str:
    """Remove a 一级 section (heading to the next 一级/部分 heading) whose title is ``title``."""
    bs = blocks(xml)
    start = next(i for i, b in enumerate(bs) if text(b.group(0)).endswith("一级() }}" + title))
    end = next(i for i in range(start + 1, len(bs)) if "一级() }}" in text(bs[i].group(0)) or "部分() }}" in text(bs[i].group(0)))
    return xml[: bs[start].start()] + xml[bs[end].start() :]


def table_frame(xml: str, kind: str) -> tuple[int, int]:
    """The span of a table frame: its 表号 paragraph … the tag paragraph after its notes."""
    bs = blocks(xml)
    start = next(i for i, b in enumerate(bs) if text(b.group(0)) == f"{{{{ tables.{kind}.number }}}}")
    end = next(i for i in range(start, len(bs)) if text(bs[i].group(0)) == "{%p endif %}")
    return bs[start].start(), bs[end].end()


def swap_tables(xml: str, a: str, b: str) -> str:
    (a0, a1), (b0, b1) = sorted([table_frame(xml, a), table_frame(xml, b)])
    return xml[:a0] + xml[b0:b1] + xml[a1:b0] + xml[a0:a1] + xml[b1:]
