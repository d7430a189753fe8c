"""Issue 7's acceptance, reproducible: each breakage the issue lists, reapplied to a throwaway copy of the
repository, must fail a rule test (``pytest -m rules``; the freshness tests are not in that subset).

    make breakages                 # all of them (about 30 × 15–40 s)
    python tests/breakages.py 9b 22    # only those numbers

The copy is a ``git clone`` of HEAD in a temporary folder (uncommitted changes are not in it); the
project's own interpreter runs the tests there (the clone's ``generator`` comes first on sys.path).
A breakage that changes template text rebuilds the four shipped templates in the copy. Exit code 1
when a breakage is not caught (or its code is no longer where the edit expects it).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_TEXT = "generator/template_builder.py"
PROFILES = ("上海2024", "湖南2020", "2018", "中央2024")

# (number and name, [(file, text as it is, text broken)])
BREAKAGES = [
    (
        "1 HALF_UP→HALF_EVEN (money.round_money)",
        [
            ("generator/money.py", "rounding=ROUND_HALF_UP)", "rounding=ROUND_HALF_EVEN)"),
            ("generator/money.py", "from decimal import ROUND_HALF_UP, Decimal", "from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal"),
        ],
    ),
    (
        "2 new item on the exact zero (figures.Change.direction) [also: defect prior 0.004]",
        [("generator/figures.py", '        if round_money(prior) == 0:\n            return "new"', '        if prior == 0:\n            return "new"')],
    ),
    (
        "3 new 三公 item's reason worded 减少 (template)",
        [
            (
                "generator/template_builder.py",
                "{{ '减少' if ch.direction == 'down' else '增加' }}的主要原因是",
                "{{ '增加' if ch.direction == 'up' else '减少' }}的主要原因是",
            )
        ],
    ),
    ("4 vehicle check dropped (other.check_sums)", [("generator/checks/other.py", "    if vehicles is not None and parts:", "    if False:")]),
    ("5 procurement check dropped (other.check_sums)", [("generator/checks/other.py", "    if total is not None and kinds:", "    if False:")]),
    ("6 negative check of 公开06/07 dropped", [("generator/checks/__init__.py", "    identities.check_negative_basic(ck, m)\n", "")]),
    (
        "7 公开04 支出总计 identity dropped",
        [
            (
                "generator/checks/identities.py",
                '        ck.equal(\n            "公开04.支出总计",',
                '        (lambda *a, **k: None)(\n            "公开04.支出总计",',
            )
        ],
    ),
    (
        "8 figure-computed-twice guard dropped (Figures.add)",
        [("generator/figures.py", "        if fig.name in self.items and self.items[fig.name] != fig:", "        if False:")],
    ),
    ("9a 机关运行经费 zero sentence dropped (template)", [("generator/template_builder.py", "年度无机关运行经费支出。", "年度")]),
    ("9b 三公 zero sentence dropped (template: 也未发生支出)", [("generator/template_builder.py", "年初未安排预算，也未发生支出", "")]),
    (
        "9c 三公 zero sentence dropped (template: 本年度未发生因公出国（境）费支出)",
        [("generator/template_builder.py", '("B", "{{ 三级() }}本年度未发生因公出国（境）费支出。"),', '("B", "{{ 三级() }}"),')],
    ),
    ("9d 三公 zero sentence dropped (template: 均未发生)", [("generator/template_builder.py", "年度均未发生{{ 称谓(k) }}支出", "年度{{ 称谓(k) }}支出")]),
    (
        "10 errors not sorted before warnings",
        [("generator/checks/__init__.py", '    return sorted(ck.findings, key=lambda f: f.level != "error")', "    return list(ck.findings)")],
    ),
    ("11 fewer blank marks", [("generator/intake/values.py", '_BLANKS = {"", "-", "－", "—", "——", "–", "/", "无"}', '_BLANKS = {"", "-"}')]),
    ("12 negative check also flags 年末结转", [("generator/checks/identities.py", 'if v < 0 and col != "年末结转和结余":', "if v < 0:")]),
    (
        "13 budgeted-but-unspent 项 dropped (figures._budgeted)",
        [
            (
                "generator/figures.py",
                "        if code not in known and b.initial:  # budgeted but not spent at all: 决算 0",
                "        if False:  # budgeted but not spent at all: 决算 0",
            )
        ],
    ),
    ("14 completion 0 over 0 printed (phrasing)", [("generator/phrasing.py", 'if relation == "equal" and comp.rate is None:', "if False:")]),
    ("15 -0.00 allowed in print (format_amount)", [("generator/phrasing.py", "    if q == 0:\n        q = abs(q)\n", "")]),
    (
        "16 profile settings ignored (profiles.load_profile)",
        [("generator/profiles.py", "        settings=Settings(\n", "        settings=Settings() or Settings(\n")],
    ),
    (
        "17 department tolerance loosened by 0.05 (consolidate)",
        [("generator/consolidate.py", "tolerance = CENT * max(1, len(nonzero))", 'tolerance = CENT * max(1, len(nonzero)) + Decimal("0.05")')],
    ),
    (
        "18 owner check one way only (sanity.check_owner)",
        [("generator/checks/sanity.py", "if not owner or owner == unit or owner in unit or unit in owner:", "if not owner or owner == unit or owner in unit:")],
    ),
    (
        "19 outdated 类 name printed in 公开01/04 (layouts)",
        [
            (
                "generator/layouts.py",
                "right = [(num(i, class_name(r.key, year)), [r.values.get(c) for c in right_columns]) for i, r in enumerate(lines, 1)]",
                "right = [(num(i, strip_ordinal(r.name)), [r.values.get(c) for c in right_columns]) for i, r in enumerate(lines, 1)]",
            )
        ],
    ),
    (
        "20 no reason asked for a new item (change_with_reason)",
        [
            (
                "generator/phrasing.py",
                '        if ch.direction in ("up", "down", "new"):\n            text += "，主要原因是"',
                '        if ch.direction in ("up", "down"):\n            text += "，主要原因是"',
            )
        ],
    ),
    (
        "21 超出/未完成 swapped in the 三公 sentence (template)",
        [
            (
                "generator/template_builder.py",
                "{{ '超出' if i.relation == 'over' else '未完成' }}预算的主要原因是",
                "{{ '未完成' if i.relation == 'over' else '超出' }}预算的主要原因是",
            )
        ],
    ),
    (
        "22 占不足0.01% instead of 占比不足0.01% (phrasing.share)",
        [("generator/phrasing.py", 'return ("占比" if "不足" in text else word) + text', "return word + text")],
    ),
    (
        "23 2018 glossary term (glossary: old name ignored)",
        [
            (
                "generator/glossary.py",
                '    if "old" in entry and year <= entry["until"]:\n        return entry["old"]',
                '    if False:\n        return entry["old"]',
            )
        ],
    ),
    (
        "23b 2018 glossary term (STANDARD_2018 结余分配 with the 2020 text)",
        [
            (
                "generator/glossary.py",
                '"结余分配": ("结余分配", "指事业单位按规定提取的职工福利基金、事业基金以及缴纳的所得税等。"),',
                '"结余分配": ("结余分配", "指事业单位按规定提取的专用基金、转入非财政拨款结余以及缴纳的所得税等。"),',
            )
        ],
    ),
    (
        "24 未发生会议费支出 sentence dropped (template)",
        [("generator/template_builder.py", "{% if 其他[k].value == 0 %}未发生{{ k }}支出{% else %}", "{% if 其他[k].value == 0 %}{% else %}")],
    ),
    (
        "25 303 items listed under 公用经费 (figures)",
        [
            (
                "generator/figures.py",
                '(f.personnel_items if row.code[:3] in ("301", "303") else f.public_items).append(fig)',
                '(f.personnel_items if row.code[:3] in ("301",) else f.public_items).append(fig)',
            ),
            (
                "generator/figures.py",
                '(f.personnel_items_in_order if row.code[:3] in ("301", "303") else f.public_items_in_order).append(fig)',
                '(f.personnel_items_in_order if row.code[:3] in ("301",) else f.public_items_in_order).append(fig)',
            ),
        ],
    ),
    ("26 基本支出 items not sorted (figures)", [("generator/figures.py", "        items.sort(key=lambda x: -(x.value or ZERO))", "        pass")]),
    (
        "27 item list cut to 3 (figures)",
        [
            (
                "generator/figures.py",
                "    f.economic_names = {r.code: r.name for r in t06.rows}",
                "    f.economic_names = {r.code: r.name for r in t06.rows}\n"
                "    for lst in (f.economic_items, f.personnel_items, f.public_items, f.personnel_items_in_order, f.public_items_in_order):\n"
                "        del lst[3:]",
            )
        ],
    ),
    (
        "D1 100.005 vs 100.00 (direction on exact amounts)",
        [
            (
                "generator/figures.py",
                '        if round_money(cur) == round_money(prior):\n            return "none" if round_money(cur) == 0 else "flat"',
                '        if cur == prior:\n            return "none" if cur == 0 else "flat"',
            )
        ],
    ),
]


def _apply(copy: Path, edits) -> bool:
    for name, old, new in edits:
        path = copy / name
        text = path.read_text(encoding="utf-8")
        if old not in text:
            return False
        path.write_text(text.replace(old, new), encoding="utf-8")
    return True


def _run(copy: Path, edits) -> tuple[str, str]:
    """("CAUGHT", first failing test) / ("NOT CAUGHT", pytest's summary) / ("MOVED", the file)."""
    subprocess.run(["git", "-C", str(copy), "checkout", "-q", "."], check=True)
    if not _apply(copy, edits):
        return "MOVED", "the code to break is not where the edit expects it"
    if any(name == TEMPLATE_TEXT for name, _, _ in edits):
        for profile in PROFILES:
            subprocess.run([sys.executable, "-m", "generator.template_builder", profile], cwd=copy, capture_output=True, check=True)
    env = {"PATH": "/usr/bin:/bin", "JUESUAN_CACHE_DIR": "off", "HOME": str(copy)}
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-m", "rules", "-q", "-x", "-p", "no:cacheprovider", "-o", "addopts="],
        cwd=copy,
        capture_output=True,
        text=True,
        env=env,
    ).stdout
    failed = [line.removeprefix("FAILED ") for line in out.splitlines() if line.startswith("FAILED")]
    lines = out.strip().splitlines()
    return ("CAUGHT", failed[0]) if failed else ("NOT CAUGHT", lines[-1] if lines else "")


def main(only: list[str]) -> int:
    missed = 0
    with tempfile.TemporaryDirectory(prefix="juesuan-breakages-") as tmp:
        copy = Path(tmp) / "repo"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(copy)], check=True)
        for name, edits in BREAKAGES:
            if only and name.split()[0] not in only:
                continue
            verdict, detail = _run(copy, edits)
            missed += verdict != "CAUGHT"
            print(f"{verdict:10} {name}  →  {detail[:160]}", flush=True)
    print(f"{'all caught' if not missed else f'{missed} not caught'}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
