"""`make demo` builds every sample workbook (the freshness checks themselves are in test_freshness.py)."""

from test_freshness import DEMO


def test_makefile_demo_builds_the_same_list(samples):
    makefile = (samples.parent / "Makefile").read_text("utf-8")
    for stem, profile in DEMO:
        assert f"samples/{stem}.xlsx --profile {profile}" in makefile


# The committed templates are the source of truth (edited in Word): their structure is checked in
# tests/test_template_format.py, not their bytes.
