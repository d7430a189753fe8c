"""The committed sample documents are exactly what `make demo` builds from the sample workbooks."""

import pytest

from generator.pipeline import build_book

DEMO = [
    ("益阳市智慧城市和大数据中心_2020", "湖南2020"),
    ("永州市政务服务中心_2018", "2018"),
    ("示例单位_2024", "上海2024"),
]


@pytest.mark.parametrize("stem,profile", DEMO)
def test_committed_sample_equals_a_fresh_build(stem, profile, samples, tmp_path):
    out = tmp_path / f"{stem}.docx"
    build_book(samples / f"{stem}.xlsx", out, profile_name=profile, trace=True)
    assert out.read_bytes() == (samples / f"{stem}.docx").read_bytes(), "run `make demo` and commit samples/"
    assert out.with_suffix(".trace.json").read_bytes() == (samples / f"{stem}.trace.json").read_bytes()


def test_makefile_demo_builds_the_same_list(samples):
    makefile = (samples.parent / "Makefile").read_text("utf-8")
    for stem, profile in DEMO:
        assert f"samples/{stem}.xlsx --profile {profile}" in makefile


# The committed templates are the source of truth (edited in Word): their structure is checked in
# tests/test_template_format.py, not their bytes.
