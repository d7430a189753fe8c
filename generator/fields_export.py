"""`juesuan fields`: the catalogue of names and filters a template can use, as text, .xlsx or .md."""

from __future__ import annotations

from pathlib import Path

from .errors import InputError
from .files import write_atomic
from .phrasing import FILTER_DOCS

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "示例单位_2024.xlsx"


def catalogue(book: Path | None, profile_name: str) -> list[tuple[str, str, str, str]]:
    """(kind, name, meaning, value) rows: filters, the context's names, and — given a workbook — every figure with its value."""
    from .figures import compute
    from .intake import read_workbook
    from .narrative import field_catalogue
    from .profiles import load_profile
    from .render import context

    rows = [("过滤器", name, f"{title}：{example}", "") for name, (title, example) in FILTER_DOCS.items()]
    example = SAMPLE if book is None and SAMPLE.is_file() else book  # without a workbook: the names, from the sample
    if example is None:
        return rows + [(k, n, m, v) for k, n, m, v in field_catalogue(None)]
    profile = load_profile(profile_name)
    model = read_workbook(example)
    ctx = context(model, compute(model), None, profile)
    return rows + [(k, n, m, v if book is not None else "") for k, n, m, v in field_catalogue(ctx)]


def write_catalogue(rows: list[tuple[str, str, str, str]], out: Path) -> None:
    head = ("类别", "名称（模板中的写法）", "含义 / 来源", "取值")
    if out.suffix.lower() == ".md":
        lines = ["| " + " | ".join(head) + " |", "|---|---|---|---|"]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows]
        write_atomic(out, ("\n".join(lines) + "\n").encode("utf-8"))
    elif out.suffix.lower() == ".xlsx":
        import io

        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = "模板名称"
        ws.append(head)
        for r in rows:
            ws.append(list(r))
        for col, width in zip("ABCD", (10, 40, 80, 20), strict=False):
            ws.column_dimensions[col].width = width
        buffer = io.BytesIO()
        wb.save(buffer)
        from .files import normalize_zip

        write_atomic(out, normalize_zip(buffer.getvalue()))
    else:
        raise InputError("输出文件应为 .xlsx 或 .md。", file=str(out))
