"""How `check` shows its findings: grouped by sheet with counts and a one-line summary, or as
JSON following ``schemas/check_findings.schema.json`` (documented in the README)."""

from __future__ import annotations

import json
from pathlib import Path

from .checks import Finding

SCHEMA_VERSION = 1
LEVEL_WORD = {"error": "错误", "warning": "警告"}


def by_sheet(findings: list[Finding]) -> dict[str, list[Finding]]:
    """Findings grouped by sheet, sheets in order of first appearance, errors first inside."""
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(f.sheet or "（整个工作簿）", []).append(f)
    return {k: sorted(v, key=lambda f: f.level != "error") for k, v in groups.items()}


def counts(findings: list[Finding]) -> tuple[int, int]:
    errors = sum(f.level == "error" for f in findings)
    return errors, len(findings) - errors


def summary_line(name: str, findings: list[Finding]) -> str:
    errors, warnings = counts(findings)
    tail = "有错误，不能生成文档，请按上面的单元格逐条改正。" if errors else "可以生成文档。"
    return f"{name}：{errors} 个错误，{warnings} 个警告。{tail}"


def text_report(name: str, findings: list[Finding]) -> list[str]:
    """The lines `check` prints: one block per sheet ("工作表“X”：N 个错误，M 个警告"), then the summary."""
    lines = []
    for sheet, items in by_sheet(findings).items():
        errors, warnings = counts(items)
        lines.append(f"工作表“{sheet}”：{errors} 个错误，{warnings} 个警告")
        for f in items:
            lines.append(f"{LEVEL_WORD.get(f.level, f.level)}：{f.message}")
        lines.append("")
    lines.append(summary_line(name, findings))
    return lines


def json_report(book: str | Path, findings: list[Finding], fatal: str | None = None) -> str:
    """The `check --json` document (schema: schemas/check_findings.schema.json)."""
    errors, warnings = counts(findings)
    data = {
        "schema_version": SCHEMA_VERSION,
        "file": str(book),
        "summary": {"errors": errors, "warnings": warnings, "ok": not errors and fatal is None},
        "sheets": [{"sheet": s, "errors": counts(v)[0], "warnings": counts(v)[1]} for s, v in by_sheet(findings).items()],
        "findings": [f.as_dict() for f in findings],
    }
    if fatal is not None:
        data["fatal"] = fatal
    return json.dumps(data, ensure_ascii=False, indent=1)
