"""The pipeline as a Python API: read → check → figures → narrative → render.

The CLI, batch and diff all go through these functions, so every entry point produces
the same document and the same findings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .checks import Finding, has_errors, run_checks
from .checks.content import final_blockers
from .errors import InputError
from .figures import Figures, compute
from .files import refuse_inputs, verify_docx, write_atomic
from .intake import read_workbook
from .model import UnitAccounts
from .narrative import Narrative
from .profiles import DEFAULT_PROFILE, Profile, load_profile
from .render import compiled, render_docx, render_text
from .rowsets import frame_findings


@dataclass
class Result:
    model: UnitAccounts | None = None
    findings: list[Finding] = field(default_factory=list)
    figures: Figures | None = None
    narrative: Narrative | None = None
    output: Path | None = None

    @property
    def has_errors(self) -> bool:
        return has_errors(self.findings)

    @property
    def missing(self) -> list:
        return self.narrative.missing if self.narrative else []


def missing_findings(narrative: Narrative) -> list[Finding]:
    """What the text needs but the workbook lacks, as warnings (each item once)."""
    seen, out = set(), []
    for item in narrative.missing:
        key = (item.what, item.where)
        if key in seen:
            continue
        seen.add(key)
        place = f"请在“{item.where}”工作表填写" if item.where else "请补充"
        out.append(Finding("warning", "待补充", f"文中需要“{item.what}”，工作簿中没有；{place}（草稿中显示为【待补充】）。", item.where))
    return out


def analyse(model: UnitAccounts, profile: Profile) -> Result:
    findings = run_checks(model) + frame_findings(model, profile.rows, profile.name)  # the second: rows outside the format's tables
    result = Result(model=model, findings=findings)
    if has_errors(findings):
        return result
    result.figures = compute(model)
    result.narrative = render_text(model, result.figures, profile)  # the text, in memory: missing items need it
    result.findings = findings + missing_findings(result.narrative)
    return result


def default_format_findings(model: UnitAccounts, profile_name: str | Path | None, template: str | Path | None = None) -> list[Finding]:
    """Without --profile the default (2024) format is used; a workbook in the 2018 layout is meant for the 2018 format."""
    if profile_name or template or model.layout != "2018":
        return []
    year_ref = f"{model.unit.sheet}!{model.unit.cells['year']}" if model.unit.cells.get("year") else model.unit.sheet
    message = (
        f"工作簿是 2018 年的表样（{model.unit.year}年度），未指定格式时按默认格式“{DEFAULT_PROFILE}”检查和生成，"
        "文中会要求该格式才有的内容；请加 --profile 2018（或本地区的格式）。"
    )
    return [Finding("warning", "格式", message, model.unit.sheet, [year_ref], "2018", DEFAULT_PROFILE)]


def check_book(path: str | Path, profile_name: str | Path | None = None) -> Result:
    profile = load_profile(profile_name)
    compiled(profile).raise_problems()
    model = read_workbook(path)
    result = analyse(model, profile)
    result.findings += default_format_findings(model, profile_name)
    return result


class BuildRefused(Exception):
    """check errors, or missing items under --final: the findings say why."""

    def __init__(self, result: Result, message: str):
        super().__init__(message)
        self.result = result


def build_book(
    path: str | Path,
    out: str | Path | None = None,
    *,
    profile_name: str | Path | None = None,
    template: str | Path | None = None,
    final: bool = False,
    trace: bool = False,
) -> Result:
    """Build one unit's document; raises BuildRefused (with the findings) when it must not."""
    path = Path(path)
    profile = load_profile(profile_name, template)
    compiled(profile).raise_problems()  # `template check` first: a template mistake is a list of lines
    model = read_workbook(path)
    result = analyse(model, profile)
    result.findings += default_format_findings(model, profile_name, template)
    if result.has_errors:
        raise BuildRefused(result, "工作簿有勾稽关系错误，未生成文档。")
    if final and result.missing:
        raise BuildRefused(result, f"定稿模式（--final）下不能有待补充的内容，还缺 {len(missing_findings(result.narrative))} 项。")
    if final and (leftovers := final_blockers(result.findings)):
        raise BuildRefused(result, f"定稿模式（--final）下工作簿文字不能留有模板文字、旧年份或与数字矛盾的原因，共 {len(leftovers)} 处。")
    out = Path(out) if out else path.with_suffix(".docx")
    refuse_inputs(out, path, template)
    from .printing import finish_document, rounding_labels  # lxml and the print layout: only when a document is written

    rounding = rounding_labels(result.findings, profile)
    # the text rendered by analyse, packaged once, its main part finished on the way: 目录 entries, 合计 rows, 尾数 note
    data = render_docx(profile, result.narrative, finish=lambda xml, styles: finish_document(xml, styles, rounding=rounding))
    verify_docx(data, out.name)  # never report 已生成 for a file Word cannot open
    write_atomic(out, data)
    if trace:
        write_atomic(out.with_suffix(".trace.json"), trace_json(result).encode("utf-8"))
    result.output = out
    return result


def trace_json(result: Result) -> str:
    """The sidecar: each sentence with every figure it quotes, its cells or formula."""
    figures = result.figures
    parts = []
    for part in result.narrative.parts:
        paragraphs = []
        for p in part.paragraphs:
            sentences = []
            for text, spans in p.sentences():
                used = []
                for s in spans:
                    fig = figures.items.get(s.figure)
                    if fig is None:
                        continue
                    used.append(
                        {
                            "name": fig.name,
                            "shown": p.text[s.start : s.end],
                            "value": None if fig.value is None else str(fig.value),
                            "unit": fig.unit,
                            "sources": list(fig.sources),
                            "formula": fig.formula,
                        }
                    )
                sentences.append({"text": text, "figures": used})
            paragraphs.append({"key": p.key, "style": p.style, "sentences": sentences})
        parts.append({"heading": part.heading, "paragraphs": paragraphs})
    return json.dumps(
        {"source": Path(result.model.source).name, "parts": parts}, ensure_ascii=False, indent=1, default=lambda d: str(d) if isinstance(d, Decimal) else d
    )


__all__ = ["build_book", "check_book", "BuildRefused", "Result", "InputError"]
