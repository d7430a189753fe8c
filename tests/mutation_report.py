"""Kill rate of the last mutation runs, per mutated module and overall (``make mutation`` prints it).

Reads mutmut's per-file results (``mutants/**/*.py.meta``). A module run on its own
(``make mutation MUTANTS="generator.figures*"``) leaves the other modules "not checked":
those count nowhere, so a per-module run reports that module's rate, and the overall line
is the sum over the modules checked so far. Rate = (killed + timeout) / (checked − skipped).

A whole module takes up to two hours on two shared cores; ``sample MODULE N [SEED]`` prints N
random names of its mutants not yet run (``mutants/`` must exist: any earlier run made it), for
``make mutation MUTANTS="$(python tests/mutation_report.py sample generator/figures.py 150)"``:
the module's line then reports the rate over that random sample.
"""

from __future__ import annotations

import json
import random
import sys
from collections import Counter
from pathlib import Path

KILLED = {1, 3}  # 3: pytest's internal error, which mutmut counts as a kill
TIMEOUT = {24, -24, 36, 152, 255}
SURVIVED = {0}
NO_TESTS = {5, 33}
SKIPPED = {34}


def tally(codes) -> Counter:
    c = Counter()
    for code in codes:
        if code is None:
            c["not checked"] += 1
        elif code in KILLED or code in TIMEOUT:
            c["killed"] += 1
        elif code in SURVIVED:
            c["survived"] += 1
        elif code in NO_TESTS:
            c["no tests"] += 1
        elif code in SKIPPED:
            c["skipped"] += 1
        else:
            c["other"] += 1  # suspicious, segfault, caught by type check: not a kill
    return c


def line(name: str, c: Counter) -> str:
    checked = sum(c.values()) - c["not checked"] - c["skipped"]
    rate = f"{c['killed'] / checked:6.1%}" if checked else "     —"
    return f"{name:32s} {rate}  killed {c['killed']:4d} of {checked:4d}; survived {c['survived']:3d}, no test {c['no tests']:2d}, not checked {c['not checked']:4d}"


def main(root: str = "mutants") -> None:
    overall = Counter()
    for meta in sorted(Path(root).glob("**/*.py.meta")):
        c = tally(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"].values())
        overall += c
        print(line(str(meta.relative_to(root)).removesuffix(".meta"), c))
    print(line("overall (modules checked)", overall))
    print("survivors: .venv/bin/mutmut results; one of them: .venv/bin/mutmut show <name>")


def sample(module: str, n: str, seed: str = "0", root: str = "mutants") -> None:
    codes = json.loads((Path(root) / f"{module}.meta").read_text(encoding="utf-8"))["exit_code_by_key"]
    names = sorted(name for name, code in codes.items() if code is None)
    random.Random(int(seed)).shuffle(names)
    print(" ".join(names[: int(n)]))  # one line: make passes it on as one recipe line


if __name__ == "__main__":
    if sys.argv[1:2] == ["sample"]:
        sample(*sys.argv[2:])
    else:
        main(*sys.argv[1:])
