"""名词解释: the built-in standard glossary, the 科目 that appear, and the workbook's additions.

Definitions are written in our own words from the official meanings. A workbook's 名词解释
sheet overrides a built-in term of the same name and adds new ones after them.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from .keys import class_name, strip_ordinal
from .model import UnitAccounts

STANDARD: list[tuple[str, str]] = [
    ("财政拨款收入", "指单位本年度从同级财政部门取得的拨款，按资金来源分为一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款。"),
    ("上级补助收入", "指事业单位从主管部门和上级单位取得的非财政补助收入。"),
    ("事业收入", "指事业单位开展专业业务活动及其辅助活动取得的收入。"),
    ("经营收入", "指事业单位在专业业务活动及其辅助活动以外，开展非独立核算经营活动取得的收入。"),
    ("附属单位上缴收入", "指事业单位附属的独立核算单位按照有关规定上缴给本单位的收入。"),
    ("其他收入", "指单位取得的除上述各项收入以外的收入，如存款利息收入等。"),
    ("使用非财政拨款结余", "指事业单位在当年收入不足以安排支出时，按规定动用以前年度积累的非财政拨款结余弥补收支缺口的资金。"),
    ("年初结转和结余", "指以前年度尚未执行完毕、按有关规定结转到本年度继续使用的资金，以及以前年度形成的结余资金。"),
    ("结余分配", "指事业单位按规定提取的专用基金、转入非财政拨款结余以及缴纳的所得税等。"),
    (
        "年末结转和结余",
        "指本年度或以前年度预算安排、因客观条件变化未能在本年度执行完毕，需要结转到以后年度按有关规定继续使用的资金，以及本年度形成的结余资金。",
    ),
    ("基本支出", "指单位为保障机构正常运转、完成日常工作任务而发生的支出，包括人员经费和公用经费。"),
    ("项目支出", "指单位在基本支出之外，为完成特定的行政工作任务或事业发展目标而发生的支出。"),
    ("上缴上级支出", "指事业单位按照财政部门和主管部门的规定上缴上级单位的支出。"),
    ("经营支出", "指事业单位在专业业务活动及其辅助活动以外，开展非独立核算经营活动发生的支出。"),
    ("对附属单位补助支出", "指事业单位用财政拨款以外的收入对附属单位补助发生的支出。"),
    ("人员经费", "指基本支出中用于人员方面的支出，包括工资福利支出和对个人和家庭的补助。"),
    ("公用经费", "指基本支出中用于保障机构日常运转的商品和服务支出、资本性支出等，不含人员方面的支出。"),
    (
        "“三公”经费",
        "指单位使用财政拨款安排的因公出国（境）费、公务用车购置及运行维护费和公务接待费。其中：因公出国（境）费指工作人员因公出国（境）发生的国际旅费、"
        "国外城市间交通费、住宿费、伙食费、培训费、公杂费等支出；公务用车购置及运行维护费指公务用车的购置支出（含车辆购置税），以及燃料费、维修费、"
        "过路过桥费、保险费等运行维护支出；公务接待费指单位按规定开支的各类公务接待（含外宾接待）支出。",
    ),
    (
        "机关运行经费",
        "指行政单位和参照公务员法管理的事业单位使用一般公共预算财政拨款安排的基本支出中的日常公用经费，用于购买保障机关运行的货物和服务，"
        "如办公及印刷费、邮电费、差旅费、会议费、福利费、日常维修费、办公用房水电费、取暖费、物业管理费、公务用车运行维护费等。",
    ),
]

# 2018 名称: the line was called 用事业基金弥补收支差额 before 2019.
# 结余分配 then named 提取职工福利基金、事业基金 instead of 转入非财政拨款结余.
STANDARD_2018 = {
    "使用非财政拨款结余": ("用事业基金弥补收支差额", "指事业单位在当年收入不足以安排支出时，使用以前年度积累的事业基金弥补本年度收支缺口的资金。"),
    "结余分配": ("结余分配", "指事业单位按规定提取的职工福利基金、事业基金以及缴纳的所得税等。"),
}

# 政府收支分类科目 definitions (2018–2025), kept as data: generator/data/subjects.toml.
_DATA = Path(__file__).with_name("data") / "subjects.toml"


@lru_cache(maxsize=1)
def _subjects() -> tuple[dict[str, dict], dict[str, str]]:
    with _DATA.open("rb") as fh:
        data = tomllib.load(fh)
    return data["codes"], data["items"]


def _bare(name: str) -> str:
    return strip_ordinal(name).replace(" ", "").replace("\u3000", "")


def subject_name(code: str, year: int) -> str | None:
    """The 科目 name valid in ``year`` (the 2019 reform renamed several), or None if unknown."""
    entry = _subjects()[0].get(code)
    if entry is None:
        return None
    if "old" in entry and year <= entry["until"]:
        return entry["old"]
    return entry["name"]


def _other_rule(name: str) -> str | None:
    """ "其他XX支出" -> "指除上述项目以外其他用于XX方面的支出" (and the 安排的支出 form).

    XX comes from the item's own name, so 其他一般公共服务支出 under 其他一般公共服务支出
    never reads "其他用于其他…".
    """
    if not (name.startswith("其他") and name.endswith("支出")) or name == "其他支出":
        return None
    core = name.removeprefix("其他").removesuffix("支出")
    if core.endswith("安排的"):
        return f"指除上述项目以外其他用{core}支出。"
    return f"指除上述项目以外其他用于{core}方面的支出。"


def subject_definition(code: str, name: str, year: int) -> str | None:
    """The definition of one 科目 as printed in a table: by code when the name matches, else by name, else the 其他 rule."""
    codes, items = _subjects()
    bare = _bare(name)
    entry = codes.get(code)
    if entry is not None and bare == entry.get("old"):
        return entry.get("old_text", entry["text"])
    if entry is not None and bare == entry["name"]:
        return entry["text"]
    if bare in items:
        return items[bare]
    rule = _other_rule(bare)
    if rule:
        return rule
    if entry is not None and len(code) == 3:  # a 类 printed with a variant of its name
        return entry.get("old_text", entry["text"]) if year <= entry.get("until", 0) else entry["text"]
    return None


def _subject_rows(model: UnitAccounts) -> list:
    """Every non-zero 科目 row of the subject tables, each code once, in code order."""
    seen: dict[str, object] = {}
    for table in (model.gpb_expenditure, model.expenditure, model.income, model.gov_fund, model.state_capital):
        if table is None:
            continue
        for row in table.rows:
            if row.code and row.code not in seen and any(v != 0 for v in row.values.values()):
                seen[row.code] = row
    return [seen[c] for c in sorted(seen)]


LEVEL_WORDS = {1: "类", 2: "款", 3: "项"}


def subject_entries(model: UnitAccounts, levels: tuple[int, ...] = (3,)) -> list[tuple[str, str]]:
    """(term, definition) for every non-zero 科目 of the given levels (1 类, 2 款, 3 项) in the tables.

    The term is the printed name with its level, e.g. "行政运行（项）"; a 类 takes the name of the
    year (卫生健康支出 from 2019, 医疗卫生与计划生育支出 before). A 科目 we cannot define yields
    "【待补充：…】" so that the gap is visible, never silent.
    """
    year = model.unit.year
    out: dict[str, str] = {}
    for row in _subject_rows(model):
        if row.level not in levels:
            continue
        name = class_name(row.code, year) if row.level == 1 else _bare(row.name)
        term = f"{name}（{LEVEL_WORDS[row.level]}）"
        if term in out:
            continue
        out[term] = subject_definition(row.code, name, year) or f"【待补充：{row.code} {name}的名词解释（“名词解释”工作表）】"
    return list(out.items())


def glossary_items(model: UnitAccounts, levels: tuple[int, ...] = (3,)) -> list[tuple[str, str]]:
    """Standard terms, then the 科目 of the tables, then the workbook's own entries (which replace same-named ones)."""
    items: dict[str, str] = {}
    for term, definition in STANDARD:
        if model.layout == "2018" and term in STANDARD_2018:
            term, definition = STANDARD_2018[term]
        items[term] = definition
    for term, definition in subject_entries(model, levels):
        items.setdefault(term, definition)
    for g in model.glossary:
        items[g.term.strip()] = g.definition.strip()
    return list(items.items())
