"""Freshness checks: the committed outputs (sample documents, trace sidecars, templates) equal a fresh build.

These are not rule tests: a failure only says that the output changed. Read the differences the
failure prints; if every one is intended, regenerate (`make demo` / `make templates`) and commit;
if one is not, the change broke a rule — find the rule test that should have caught it and add it.
"""

from __future__ import annotations

import difflib
import json

import pytest
from docx_helpers import read

from generator.pipeline import build_book

pytestmark = pytest.mark.freshness

DEMO = [
    ("益阳市智慧城市和大数据中心_2020", "湖南2020"),
    ("永州市政务服务中心_2018", "2018"),
    ("示例单位_2024", "上海2024"),
    ("示例部门_2024", "上海2024"),
]

REVIEW = (
    "{what} differs from a fresh build. Review each difference below before regenerating: "
    "an intended change → regenerate ({command}) and commit; an unintended one is a regression a rule test should catch.\n{diff}"
)


def text_lines(path) -> list[str]:
    """What a reader sees: every paragraph, then every table row."""
    doc = read(path)
    return doc.paragraphs + [" | ".join(row) for table in doc.tables for row in table]


def changed_lines(old: list[str], new: list[str], limit: int = 60) -> str:
    diff = [line for line in difflib.unified_diff(old, new, "committed", "fresh build", n=0, lineterm="") if not line.startswith("@@")]
    more = f"\n… and {len(diff) - limit} more lines" if len(diff) > limit else ""
    return "\n".join(diff[:limit]) + more or "(same text; the difference is in formatting or document properties)"


@pytest.mark.parametrize("stem,profile", DEMO)
def test_committed_sample_equals_a_fresh_build(stem, profile, samples, tmp_path):
    out = tmp_path / f"{stem}.docx"
    build_book(samples / f"{stem}.xlsx", out, profile_name=profile, trace=True)
    committed = samples / f"{stem}.docx"
    if out.read_bytes() != committed.read_bytes():
        pytest.fail(REVIEW.format(what=f"samples/{stem}.docx", command="make demo", diff=changed_lines(text_lines(committed), text_lines(out))))
    trace_new, trace_old = out.with_suffix(".trace.json"), samples / f"{stem}.trace.json"
    if trace_new.read_bytes() != trace_old.read_bytes():
        old = json.dumps(json.loads(trace_old.read_text("utf-8")), ensure_ascii=False, indent=1).splitlines()
        new = json.dumps(json.loads(trace_new.read_text("utf-8")), ensure_ascii=False, indent=1).splitlines()
        pytest.fail(REVIEW.format(what=f"samples/{stem}.trace.json", command="make demo", diff=changed_lines(old, new)))


@pytest.mark.parametrize("profile", ["上海2024", "湖南2020", "2018"])
def test_committed_template_equals_a_fresh_build(profile, tmp_path):
    from generator.profiles import load_profile
    from generator.template_builder import build

    p = load_profile(profile)
    build(p, tmp_path / "template.docx")
    if (tmp_path / "template.docx").read_bytes() != p.template.read_bytes():
        diff = changed_lines(text_lines(p.template), text_lines(tmp_path / "template.docx"))
        pytest.fail(REVIEW.format(what=f"templates/{profile}/template.docx", command="make templates", diff=diff))
