"""Work done in the worker pool: each function takes paths and plain values and returns plain data.

Only the public pipeline API is used (check_book, build_book, run_batch, diff_books,
report_docx, write_blank), so the web app does not depend on the pipeline's internals.
Workbooks are processed under their original names so that every message names the file
the officer knows, not the random name of the store.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path


def safe_name(name: str, default: str = "工作簿.xlsx") -> str:
    """A file name without folders or characters Windows refuses."""
    name = Path(name.replace("\\", "/")).name
    name = re.sub(r'[\x00-\x1f<>:"/\\|?*]', "_", name).strip(" .")
    return name[:150] or default


@contextmanager
def as_named(stored: Path, filename: str):
    """A temporary copy of a stored file under its original name."""
    with tempfile.TemporaryDirectory(prefix="juesuan-web-") as tmp:
        path = Path(tmp) / safe_name(filename)
        shutil.copyfile(stored, path)
        yield path


def one_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return text[0] if text else err.__class__.__name__


def check_job(stored: str, filename: str, profile: str) -> dict:
    """check: the unit's name and year, and every finding (or the one line why the file cannot be read)."""
    from generator.errors import InputError
    from generator.pipeline import check_book

    with as_named(Path(stored), filename) as path:
        try:
            result = check_book(path, profile)
        except InputError as err:
            return {"status": "无法读取", "message": one_line(err), "findings": [], "unit_name": "", "year": None}
        except Exception as err:  # a bug is reported as one line, the server carries on
            return {"status": "无法读取", "message": f"处理时出错：{err.__class__.__name__}: {one_line(err)}", "findings": [], "unit_name": "", "year": None}
    findings = [f.as_dict() for f in result.findings]
    unit = result.model.unit
    return {
        "status": "有错误" if result.has_errors else "无错误",
        "message": "",
        "findings": findings,
        "unit_name": unit.name or "",
        "year": unit.year,
        "parent": getattr(unit, "parent", "") or "",
    }


def build_job(stored: str, filename: str, out: str, profile: str, template: str | None, want_pdf: bool) -> dict:
    """build: the .docx (and .pdf when asked and LibreOffice is there), or the one-line reason it was not built."""
    from generator.errors import InputError
    from generator.pipeline import BuildRefused, build_book

    with as_named(Path(stored), filename) as path:
        try:
            build_book(path, out, profile_name=profile, template=template)
        except BuildRefused as refused:
            errors = [f for f in refused.result.findings if f.level == "error"]
            first = f"第一个错误：{errors[0].message}" if errors else ""
            return {"ok": False, "message": f"{one_line(refused)}{first}"}
        except InputError as err:
            return {"ok": False, "message": one_line(err)}
        except Exception as err:
            return {"ok": False, "message": f"生成时出错：{err.__class__.__name__}: {one_line(err)}"}
    result = {"ok": True, "message": "", "pdf": None}
    if want_pdf:
        from generator.pdf import PdfUnavailable, to_pdf

        pdf = Path(out).with_suffix(".pdf")
        try:
            to_pdf(Path(out), pdf)
            result["pdf"] = str(pdf)
        except PdfUnavailable as err:
            result["message"] = one_line(err)
    return result


def diff_job(old: str, old_name: str, new: str, new_name: str, profile: str, out: str) -> dict:
    """diff: changed cells, sentences (with the changed words marked) and table cells, plus the Word comparison."""
    from generator.diff import diff_books, report_docx
    from generator.errors import InputError
    from generator.files import write_atomic

    with tempfile.TemporaryDirectory(prefix="juesuan-web-") as tmp:
        a = Path(tmp) / "修改前" / safe_name(old_name)
        b = Path(tmp) / "修改后" / safe_name(new_name)
        for src, dst in ((old, a), (new, b)):
            dst.parent.mkdir()
            shutil.copyfile(src, dst)
        try:
            report = diff_books(a, b, profile)
            write_atomic(out, report_docx(report, a, b))
        except InputError as err:
            return {"ok": False, "message": one_line(err)}
        except Exception as err:
            return {"ok": False, "message": f"比较时出错：{err.__class__.__name__}: {one_line(err)}"}

        labels = row_labels(b, [c.where for c in report.cells])

    def rows(changes, words=False):
        return [{"where": c.where, "old": c.old, "new": c.new, **({"parts": word_diff(c.old, c.new)} if words else {})} for c in changes]

    cells = [{**row, "label": labels.get(row["where"], "")} for row in rows(report.cells)]
    return {"ok": True, "message": "", "cells": cells, "sentences": rows(report.sentences, True), "table_cells": rows(report.table_cells)}


def row_labels(book: Path, refs: list[str]) -> dict[str, str]:
    """'上年数!B3' → '本年收入合计': the nearest text to the left of a changed cell, so the officer sees which line changed."""
    from generator.intake.values import to_decimal
    from generator.intake.workbook import load_grids, parse_ref

    try:
        grids = load_grids(book)
    except Exception:
        return {}
    labels = {}
    for ref in refs:
        sheet, _, addr = ref.rpartition("!")
        at = parse_ref(addr) if sheet in grids else None
        if at is None:
            continue
        r, c = at
        for col in range(c - 1, -1, -1):
            v = grids[sheet].get(r, col)
            if isinstance(v, str) and v.strip() and to_decimal(v) is None:
                labels[ref] = v.strip()
                break
    return labels


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(kind, text) pieces, kind '=', '-' or '+', for showing a changed sentence with <del>/<ins>.

    Numbers are whole tokens, so 676.62 → 717.42 reads as one replaced figure, not scattered digits.
    """
    import difflib

    a, b = _tokens(old), _tokens(new)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("=", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("+", "".join(b[j1:j2])))
    return out


def _tokens(text: str) -> list[str]:
    return re.findall(r"[-+]?\d[\d,]*(?:\.\d+)?%?|[A-Za-z]+|\s+|.", text, re.S)


def blank_job(out: str, year: int | None, prior: str | None, prior_name: str = "") -> dict:
    """init / init --prior: the blank workbook, optionally pre-filled from last year's."""
    from generator.errors import InputError
    from generator.init_book import write_blank
    from generator.intake import read_workbook

    try:
        if prior:
            with as_named(Path(prior), prior_name) as path:
                last = read_workbook(path)
        else:
            last = None
        write_blank(out, year=year, prior=last)
    except InputError as err:
        return {"ok": False, "message": one_line(err)}
    except Exception as err:
        return {"ok": False, "message": f"生成时出错：{err.__class__.__name__}: {one_line(err)}"}
    return {"ok": True, "message": ""}


def template_job(stored: str, filename: str, profile: str, sample: str) -> dict:
    """Validate an own template: `template check`, then a trial build of a sample unit."""
    from generator.errors import InputError

    with tempfile.TemporaryDirectory(prefix="juesuan-web-") as tmp:
        template = Path(tmp) / safe_name(filename, "模板.docx")
        shutil.copyfile(stored, template)
        try:
            from generator.profiles import load_profile
            from generator.render import check_template

            messages = check_template(load_profile(profile, template=template))  # the same lint as `juesuan template check`
            if messages:
                return {"ok": False, "message": "；".join(messages)}
            from generator.pipeline import build_book

            build_book(sample, Path(tmp) / "试生成.docx", profile_name=profile, template=template)
        except InputError as err:
            return {"ok": False, "message": one_line(err)}
        except Exception as err:
            return {"ok": False, "message": f"用此模板试生成失败：{err.__class__.__name__}: {one_line(err)}"}
    return {"ok": True, "message": "已用示例单位试生成，模板可用。"}


def sample_book(folder: Path) -> Path:
    """A complete example workbook to try templates with: the repository's sample, else one fictional unit."""
    shipped = Path(__file__).resolve().parents[2] / "samples" / "示例单位_2024.xlsx"
    if shipped.exists():
        return shipped
    made = sorted(folder.glob("*.xlsx"))
    if made:
        return made[0]
    from generator.synthetic import write_units

    folder.mkdir(parents=True, exist_ok=True)
    return write_units(folder, 1)[0]
