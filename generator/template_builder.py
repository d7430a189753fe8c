"""Bootstrap: writes the first ``template.docx`` of each shipped profile.

The committed ``templates/<格式>/template.docx`` is the source of truth — it holds every
sentence and is edited in Word. This tool only made the first version of each from the
sentence lists below (``python -m generator.template_builder NAME [OUT.docx]``); running it
again overwrites what was edited in Word, so `make templates` is not part of the workflow.
Every paragraph uses one of the named styles (决算正文, 决算一级, …).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .layouts import layout
from .profiles import Profile, load_profile

STYLES = {
    # name: (east-asian font, size pt, bold, alignment, first-line indent chars, space before/after)
    "决算标题": ("黑体", 26, True, WD_ALIGN_PARAGRAPH.CENTER, 0, (120, 12)),
    "决算副标题": ("黑体", 20, False, WD_ALIGN_PARAGRAPH.CENTER, 0, (12, 12)),
    "决算目录": ("仿宋", 14, False, WD_ALIGN_PARAGRAPH.LEFT, 0, (0, 0)),
    "决算部分": ("黑体", 16, False, WD_ALIGN_PARAGRAPH.CENTER, 0, (12, 12)),
    "决算一级": ("黑体", 15, False, WD_ALIGN_PARAGRAPH.LEFT, 2, (6, 0)),
    "决算二级": ("楷体", 15, False, WD_ALIGN_PARAGRAPH.LEFT, 2, (0, 0)),
    "决算三级": ("仿宋", 15, True, WD_ALIGN_PARAGRAPH.LEFT, 2, (0, 0)),
    "决算正文": ("仿宋", 15, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 2, (0, 0)),
    "决算表号": ("宋体", 10, False, WD_ALIGN_PARAGRAPH.RIGHT, 0, (0, 0)),
    "决算表题": ("黑体", 15, False, WD_ALIGN_PARAGRAPH.CENTER, 0, (0, 6)),
    "决算表头": ("宋体", 10, False, WD_ALIGN_PARAGRAPH.LEFT, 0, (0, 0)),
    "决算表格": ("宋体", 8, False, WD_ALIGN_PARAGRAPH.LEFT, 0, (0, 0)),
    "决算表注": ("宋体", 9, False, WD_ALIGN_PARAGRAPH.LEFT, 0, (3, 0)),
}


def _font(style_or_run, east_asian: str, size: float | None = None, bold: bool | None = None) -> None:
    font = style_or_run.font
    font.name = "Times New Roman"
    if size:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), east_asian)


def _styles(doc) -> None:
    from docx.enum.style import WD_STYLE_TYPE

    for name, (font, size, bold, align, indent, (before, after)) in STYLES.items():
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        _font(style, font, size, bold)
        pf = style.paragraph_format
        pf.alignment = align
        pf.space_before, pf.space_after = Pt(before), Pt(after)
        if indent:
            pf.first_line_indent = Pt(size * indent)
        if name in ("决算正文", "决算一级", "决算二级", "决算三级"):
            pf.line_spacing = Pt(28)


def _p(doc_or_cell, text: str, style: str, *, page_break: bool = False):
    p = doc_or_cell.add_paragraph(style=style)
    if page_break:
        p.paragraph_format.page_break_before = True
    p.add_run(text)
    return p


def _tag(doc, text: str) -> None:
    """A paragraph that holds only a {%p …%} tag (docxtpl removes it when rendering)."""
    doc.add_paragraph(text, style="决算正文")


PAGE_WIDTH_CM = 16.6


def column_widths(lay) -> list[float]:
    """Code columns narrow, name/label columns wide, amounts share the rest (cm)."""
    roles = []
    for c in range(lay.columns):
        heads = "".join(h[c] for h in lay.header)
        if "编码" in heads:
            roles.append("code")
        elif c < lay.amount_from or c in lay.text_columns:
            roles.append("label")
        else:
            roles.append("amount")
    fixed = {"code": 1.5, "label": 4.6 if "code" not in roles else 3.8}
    rest = PAGE_WIDTH_CM - sum(fixed[r] for r in roles if r != "amount")
    amount = max(1.2, rest / max(1, roles.count("amount")))
    return [fixed.get(r, amount) for r in roles]


def _table(doc, kind_key: str, profile: Profile, first: bool = False) -> None:
    from .model import TableKind

    kind = TableKind(kind_key)
    lay = layout(kind, profile.variant)
    t = f"tables.{kind_key}"
    _p(doc, f"{{{{ {t}.number }}}}", "决算表号", page_break=not first)
    _p(doc, f"{{{{ {t}.title }}}}", "决算表题")
    _p(doc, f"{{{{ {t}.owner_line }}}}", "决算表头")
    rows = len(lay.header) + 3
    table = doc.add_table(rows=rows, cols=lay.columns)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for c, width in enumerate(column_widths(lay)):
        table.columns[c].width = Cm(width)
        for cell in table.columns[c].cells:
            cell.width = Cm(width)
    for r, header in enumerate(lay.header):
        for c, text in enumerate(header):
            cell = table.cell(r, c)
            cell.paragraphs[0].style = doc.styles["决算表格"]
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            if text and not _covered(lay.merges, r, c):
                cell.paragraphs[0].add_run(profile.settings.in_terms(text)).bold = True
    for r1, c1, r2, c2 in lay.merges:
        table.cell(r1, c1).merge(table.cell(r2, c2))
    h = len(lay.header)
    table.cell(h, 0).paragraphs[0].add_run(f"{{%tr for r in {t}.rows %}}")
    for c in range(lay.columns):
        para = table.cell(h + 1, c).paragraphs[0]
        para.style = doc.styles["决算表格"]
        amount = c >= lay.amount_from and c not in lay.text_columns
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT if amount else WD_ALIGN_PARAGRAPH.LEFT
        para.add_run(f"{{{{ r[{c}] }}}}")
    table.cell(h + 2, 0).paragraphs[0].add_run("{%tr endfor %}")
    _p(doc, f"{{{{ {t}.note }}}}", "决算表注")
    _tag(doc, f"{{%p if {t}.empty_note %}}")
    _p(doc, f"{{{{ {t}.empty_note }}}}", "决算表注")
    _tag(doc, "{%p endif %}")


def _covered(merges, r, c) -> bool:
    return any(r1 <= r <= r2 and c1 <= c <= c2 and (r, c) != (r1, c1) for r1, c1, r2, c2 in merges)


def _list_table(doc, headers: list[str], rows: str, right: tuple[int, ...] = (), widths: list[float] | None = None) -> None:
    """A header row and one {%tr for %} row per item of ``rows`` (a context name); ``widths`` in cm."""
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if widths:
        table.autofit = False
        for c, width in enumerate(widths):
            table.columns[c].width = Cm(width)
            for cell in table.columns[c].cells:
                cell.width = Cm(width)
    for c, text in enumerate(headers):
        para = table.cell(0, c).paragraphs[0]
        para.style = doc.styles["决算表格"]
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.add_run(text).bold = True
    table.cell(1, 0).paragraphs[0].add_run(f"{{%tr for r in {rows} %}}")
    for c in range(len(headers)):
        para = table.cell(2, c).paragraphs[0]
        para.style = doc.styles["决算表格"]
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT if c in right else WD_ALIGN_PARAGRAPH.CENTER if headers[c] == "序号" else WD_ALIGN_PARAGRAPH.LEFT
        para.add_run(f"{{{{ r[{c}] }}}}")
    table.cell(3, 0).paragraphs[0].add_run("{%tr endfor %}")


PROJECT_HEADERS = ["序号", "项目名称", "自评得分", "全年预算数（万元）", "全年执行数（万元）", "执行率", "绩效目标完成情况", "存在问题", "改进措施"]


def _projects_table(doc) -> None:
    _p(doc, "{{ 年度 }}年度项目支出绩效自评结果表", "决算表题")
    _list_table(doc, PROJECT_HEADERS, "projects", (2, 3, 4, 5))


TABLES = {"members": lambda doc: _list_table(doc, ["序号", "单位名称", "备注"], "单位构成", (), [1.5, 8.4, 5.5])}


# ---- the bootstrap text -------------------------------------------------------------------------
# Each line: (style, text). "%" lines are paragraph tags ({%p … %}); "B" 决算正文, "1"/"2"/"3"
# 决算一级/二级/三级, "P" 决算部分 (new page). The text is Jinja: names and filters are listed
# by `juesuan fields`.

CURRENT = {"name": ""}  # the profile being built (a few sections differ by format)
STYLE = {
    "B": "决算正文",
    "1": "决算一级",
    "2": "决算二级",
    "3": "决算三级",
    "P": "决算部分",
    "T": "决算标题",
    "S": "决算副标题",
    "C": "决算目录",
    "N": "决算正文",
    "H": "决算表题",
}  # N: on a new page
L = list[tuple[str, str]]


def _if(cond: str) -> tuple[str, str]:
    return ("%", "{%p if " + cond + " %}")


ELSE, ENDIF, ENDFOR = ("%", "{%p else %}"), ("%", "{%p endif %}"), ("%", "{%p endfor %}")


def _h(level: int, title: str) -> tuple[str, str]:
    fn = {1: "一级", 2: "二级", 3: "三级"}[level]
    return (str(level), f"{{{{ {fn}() }}}}{title}")


MEMBERS_LEAD = "从决算单位构成看，纳入{{ 主体 }}{{ 年度 }}年度部门决算编制范围的单位包括："
# 上海2024 first says what the 部门决算 consists of, then lists the units (the official template's two sentences)
SHANGHAI_MEMBERS_LEAD = (
    "从预算单位构成看，{{ 单位名称 }}部门决算包括：{{ 单位名称 }}本级决算、下属行政事业单位决算。纳入{{ 单位名称 }}{{ 年度 }}年度部门决算编制范围的单位包括："
)


def _lines_of(key: str, pending_text: str | None = None) -> L:
    body: L = [("%", "{%p for line in " + key + " %}"), ("B", "{{ line }}")]
    if pending_text:
        body += [ELSE, ("B", f"{{{{ pending('{pending_text}', '单位信息') }}}}")]
    return body + [ENDFOR]


def _members() -> L:
    """The lead sentence and the 序号/单位名称/备注 table (from the workbook's list; its text otherwise)."""
    lead = SHANGHAI_MEMBERS_LEAD if CURRENT["name"] == "上海2024" else MEMBERS_LEAD
    return [_if("单位构成"), ("B", lead), ("TBL", "members"), ELSE] + _lines_of("决算单位构成", "决算单位构成") + [ENDIF]


def part1() -> L:
    """主要职能; then by format: 上海 shows 决算单位构成 (its 机构设置 when the unit is its 本级 only),
    the others 机构设置 and 决算单位构成 (a sentence when the unit is its 本级 only)."""
    out: L = [_h(1, "主要职能")] + _lines_of("主要职能", "主要职能")
    if CURRENT["name"] == "上海2024":
        out += [_if("只含本级 and 机构设置"), _h(1, "机构设置")] + _lines_of("机构设置")
        out += [ELSE, _h(1, "部门决算单位构成")] + _members() + [ENDIF]
        return out
    out += [_if("机构设置"), _h(1, "机构设置")] + _lines_of("机构设置") + [ENDIF]
    out += (
        [
            _h(1, "部门决算单位构成"),
            _if("只含本级 and 单位构成"),
            ("B", "纳入{{ 主体 }}{{ 年度 }}年度部门决算编制范围的单位只有{{ 单位构成[0][1] }}，{{ 主体 }}决算即本级决算。"),
            ELSE,
        ]
        + _members()
        + [ENDIF]
    )
    return out


def _compare(name: str, change: str, reason_key: str, noun: str, prior_key: str) -> str:
    """上海2024's comparison: "。与2023年度相比，<name>增加X万元，增长Y%，主要原因是…"; 持平 and the rest after a comma."""
    ch = f"变动.{change}"
    return (
        f"{{% if {ch}.direction in ('up', 'down', 'new') %}}。{{% else %}}，{{% endif %}}"
        f"{{{{ {ch}|change_with_reason('{reason_key}', '{noun}', '{prior_key}', lead='与' ~ 上年度 ~ '年度相比，{name}', prior_label=上年度 ~ '年度') }}}}。"
    )


def s_总体(level: int, title: str, overview: str) -> L:
    if CURRENT["name"] == "上海2024":
        return [
            _h(level, title),
            (
                "B",
                "{{ 单位名称 }}{{ 年度 }}年度收入支出总计{{ 收入总计|money }}" + _compare("收入支出总计", "收支总计", "收支总计变动原因", "收支", "收支总计"),
            ),
        ]
    if overview == "收支总计":
        return [
            _h(level, title),
            (
                "B",
                "{{ 单位名称 }}{{ 年度 }}年度收入、支出总计均为{{ 收入总计|money }}，{{ 变动.收支总计|change_with_reason('收支总计变动原因', '收支', '收支总计', lead={LEAD}) }}。",
            ),
        ]
    return [
        _h(level, title),
        ("B", "{{ 年度 }}年度收入总计、支出总计均为{{ 收入总计|money }}。"),
        (
            "B",
            "本年收入合计{{ 本年收入合计|money }}，{{ 变动.本年收入合计|change_with_reason('本年收入变动原因', '收入', lead={LEAD}) }}；本年支出合计{{ 本年支出合计|money }}，{{ 变动.本年支出合计|change_with_reason('本年支出变动原因', '支出', lead={LEAD}) }}。",
        ),
    ]


def s_收入(level: int, title: str) -> L:
    return [
        _h(level, title),
        ("B", "{% set 列表 = 收入构成|composition %}本年收入合计{{ 本年收入合计|money }}{% if 列表 %}，其中：{{ 列表 }}。{% else %}。{% endif %}"),
        _if("收入说明"),
        ("B", "{% for n in 收入说明 %}{{ n.名称 }}主要是{{ n.内容 }}{% if not loop.last %}；{% endif %}{% endfor %}。"),
        ENDIF,
    ]


def s_支出(level: int, title: str) -> L:
    return [
        _h(level, title),
        ("B", "{% set 列表 = 支出构成|composition %}本年支出合计{{ 本年支出合计|money }}{% if 列表 %}，其中：{{ 列表 }}。{% else %}。{% endif %}"),
    ]


def s_财政拨款总体(level: int, title: str, overview: str) -> L:
    if CURRENT["name"] == "上海2024":
        return [
            _h(level, title),
            (
                "B",
                "{{ 单位名称 }}{{ 年度 }}年度财政拨款收入支出总计{{ 财政拨款收支总计|money }}"
                + _compare("财政拨款收入支出总计", "财政拨款收支总计", "财政拨款收支变动原因", "收支", "财政拨款收支总计"),
            ),
        ]
    if overview == "收支总计":
        return [
            _h(level, title),
            (
                "B",
                "{{ 单位名称 }}{{ 年度 }}年度财政拨款收入、支出总计均为{{ 财政拨款收支总计|money }}，{{ 变动.财政拨款收支总计|change_with_reason('财政拨款收支变动原因', '收支', '财政拨款收支总计', lead={LEAD}) }}。",
            ),
        ]
    return [
        _h(level, title),
        (
            "B",
            "{{ 年度 }}年度财政拨款收入{{ 财政拨款收入|money }}，{{ 变动.财政拨款收入|change_with_reason('财政拨款收入变动原因', '收入', lead={LEAD}) }}；财政拨款支出{{ 财政拨款支出|money }}，{{ 变动.财政拨款支出|change_with_reason('财政拨款支出变动原因', '支出', lead={LEAD}) }}。",
        ),
    ]


def s_一般公共预算支出(level: int, title: str) -> L:
    sub = level + 1
    # 上海2024 asks "主要用于：XXXXXXXX" of every 项: a missing use is 【待补充】 there, optional elsewhere
    missing_use = "{% else %}{{ pending(s.编码 ~ '的主要用途', '预算数') }}。" if CURRENT["name"] == "上海2024" else ""
    item = (
        "{{ 三级() }}{{ s.路径 }}。{% if s.用途 %}主要用于{{ s.用途 }}。" + missing_use + "{% endif %}"
        "{% if s.完成 is none %}支出决算为{{ s.金额|money }}。"
        "{% elif s.年初预算 is none %}支出决算为{{ s.金额|money }}，{{ s.完成|completion }}。"
        "{% elif s.完成.relation == 'no_budget' %}{{ s.完成|completion(reason=s.原因, reason_key=s.编码 ~ '的支出原因（“决算与预算差异原因”列）', reason_where='预算数') }}。"
        "{% else %}年初预算为{{ s.年初预算|money }}，支出决算为{{ s.金额|money }}，{{ s.完成|completion(reason=s.原因, reason_key=s.编码 ~ '的决算与预算差异原因', reason_where='预算数') }}。{% endif %}"
    )
    overall = "{{ 年度 }}年度一般公共预算财政拨款支出{{ 一般公共预算财政拨款支出|money }}，占本年支出合计的{{ 一般公共预算财政拨款支出.占本年支出合计|pct }}"
    if CURRENT["name"] == "上海2024":
        overall += _compare("一般公共预算财政拨款支出", "一般公共预算财政拨款支出", "一般公共预算财政拨款支出变动原因", "支出", "一般公共预算财政拨款支出")
    else:
        overall += (
            "，{{ 变动.一般公共预算财政拨款支出|change_with_reason('一般公共预算财政拨款支出变动原因', '支出', '一般公共预算财政拨款支出', lead={LEAD}) }}。"
        )
    return [
        _h(level, title),
        _h(sub, "一般公共预算财政拨款支出决算总体情况"),
        ("B", overall),
        _h(sub, "一般公共预算财政拨款支出决算结构情况"),
        (
            "B",
            "{% set 列表 = 类构成|composition(label_suffix='（类）') %}{{ 年度 }}年度一般公共预算财政拨款支出{{ 一般公共预算财政拨款支出|money }}{% if 列表 %}，主要用于以下方面：{{ 列表 }}。{% else %}。{% endif %}",
        ),
        _if("完成.一般公共预算财政拨款支出 or 项"),
        _h(sub, "一般公共预算财政拨款支出决算具体情况"),
        _if("完成.一般公共预算财政拨款支出"),
        (
            "B",
            "{{ 年度 }}年度一般公共预算财政拨款支出年初预算为{{ 完成.一般公共预算财政拨款支出.budget|money }}，支出决算为{{ 一般公共预算财政拨款支出|money }}，{{ 完成.一般公共预算财政拨款支出|completion('一般公共预算财政拨款预决算差异原因') }}。其中：",
        ),
        ELSE,
        ("B", "{{ 年度 }}年度一般公共预算财政拨款支出决算{{ 一般公共预算财政拨款支出|money }}，{{ pending('各项级科目的年初预算数', '预算数') }}。其中："),
        ENDIF,
        ("%", "{%p for s in 项 %}"),
        ("B", item),
        ENDFOR,
        ENDIF,
    ]


def s_基本支出(level: int, title: str) -> L:
    return [
        _h(level, title),
        (
            "B",
            "{{ 年度 }}年度一般公共预算财政拨款基本支出{{ 一般公共预算财政拨款基本支出|money }}{% if 基本支出构成 %}"
            + ("。其中：" if CURRENT["name"] == "上海2024" else "，其中：")
            + "{% for g in 基本支出构成 %}{{ g.名称 }}{{ g.金额|money }}，{{ g.占比|share }}{% if g.主要项目 %}，主要包括：{{ g.主要项目 }}{% endif %}{% if not loop.last %}；{% endif %}{% endfor %}。{% else %}。{% endif %}",
        ),
    ]


def s_三公(level: int, title: str) -> L:
    sub = level + 1
    total = (
        "{% set c = 完成.三公.三公经费合计 %}{{ 年度 }}年度“三公”经费财政拨款支出年初预算为{{ 三公.三公经费合计.预算|money }}，支出决算为{{ 三公.三公经费合计|money }}"
        "{% if c.relation in ('over', 'under', 'equal') and c.rate is not none %}，完成预算的{{ c.rate|pct }}{% endif %}。其中："
        "{% for k in 三公项目 %}{% set i = 完成.三公[k] %}"
        "{% if i.relation == 'equal' and i.rate is none %}{{ 称谓(k) }}年初未安排预算，也未发生支出"
        "{% elif i.relation == 'no_budget' %}{{ 称谓(k) }}支出决算为{{ i.actual|money }}，年初未安排预算"
        "{% if 说明[k ~ '预决算差异原因'] %}，超出预算的主要原因是{{ reason(k ~ '预决算差异原因') }}{% endif %}"
        "{% else %}{{ 称谓(k) }}支出决算为{{ i.actual|money }}，完成预算的{{ i.rate|pct }}{% if i.relation in ('over', 'under') and 说明[k ~ '预决算差异原因'] %}，{{ '超出' if i.relation == 'over' else '未完成' }}预算的主要原因是{{ reason(k ~ '预决算差异原因') }}{% endif %}{% endif %}"
        "{% if not loop.last %}；{% endif %}{% endfor %}。"
        "{% if c.relation in ('over', 'under') and (说明.三公经费预决算差异原因 or not 三公差异已逐项说明) %}“三公”经费决算数{{ '大于' if c.relation == 'over' else '小于' }}预算数的主要原因是{{ reason('三公经费预决算差异原因') }}。"
        "{% elif c.relation == 'no_budget' %}“三公”经费年初未安排预算，决算数大于预算数的主要原因是{{ reason('三公经费预决算差异原因') }}。"
        "{% elif c.relation == 'equal' and c.rate is not none %}“三公”经费决算数与预算数持平。{% endif %}"
    )
    change = (
        "{{ 年度 }}年度“三公”经费财政拨款支出决算{{ 变动.三公.三公经费合计|change('支出', prior_key='三公经费合计', lead={LEAD}) }}，其中："
        "{% for k in 三公项目 %}{% if 变动.三公[k].direction == 'none' %}{{ 上年度 }}年度和{{ 年度 }}年度均未发生{{ 称谓(k) }}支出"
        "{% else %}{{ 称谓(k) }}{{ 变动.三公[k]|change('支出', prior_key=k, lead={LEAD}) }}{% endif %}{% if not loop.last %}；{% endif %}{% endfor %}。"
        "{% for k in 三公项目 %}{% set ch = 变动.三公[k] %}{% if ch.direction in ('up', 'down', 'new') %}{{ 称谓(k) }}{{ '减少' if ch.direction == 'down' else '增加' }}的主要原因是{{ reason(k ~ '变动原因') }}。{% endif %}{% endfor %}"
    )
    abroad = (
        "{{ 三级() }}因公出国（境）费支出{{ 三公['因公出国（境）费']|money }}，全年安排因公出国（境）团组{{ 其他['因公出国（境）团组数']|count('个') }}，累计{{ 其他['因公出国（境）人次']|count('人次') }}"
        "{% if purpose('因公出国（境）费开支内容') %}，主要用于{{ purpose('因公出国（境）费开支内容') }}。{% else %}。{% endif %}"
    )
    car = (
        "{{ 三级() }}公务用车购置及运行维护费支出{{ 三公.公务用车购置及运行维护费|money }}。其中："
        "{% if 三公.公务用车购置费.value %}公务用车购置费{{ 三公.公务用车购置费|money }}，购置车辆{{ 其他.公务用车购置数|count('辆') }}{% if purpose('公务用车购置用途') %}，主要用于{{ purpose('公务用车购置用途') }}{% endif %}；"
        "{% else %}本年度未购置公务用车；{% endif %}"
        "公务用车运行维护费{{ 三公.公务用车运行维护费|money }}{% if purpose('公务用车运行维护用途') %}，主要用于{{ purpose('公务用车运行维护用途') }}{% endif %}。"
        "截至{{ 年度 }}年12月31日，{{ 主体 }}开支财政拨款的公务用车保有量为{{ 其他.公务用车保有量|count('辆') }}。"
    )
    no_car = "{{ 三级() }}本年度未发生公务用车购置及运行维护费支出。{% if 其他.公务用车保有量.value is not none %}截至{{ 年度 }}年12月31日，{{ 主体 }}开支财政拨款的公务用车保有量为{{ 其他.公务用车保有量|count('辆') }}。{% endif %}"
    reception = (
        "{{ 三级() }}公务接待费支出{{ 三公.公务接待费|money }}，全年共接待{{ 其他.公务接待批次|count('批次') }}、{{ 其他.公务接待人次|count('人次') }}"
        "{% if 其他.外宾接待批次.value %}（其中外宾接待{{ 其他.外宾接待批次|count('批次') }}、{{ 其他.外宾接待人次|count('人次') }}"
        "{% if 其他.外宾接待费.value %}，支出{{ 其他.外宾接待费|money }}{% endif %}）{% endif %}"
        "{% if purpose('公务接待用途') %}，主要用于{{ purpose('公务接待用途') }}。{% else %}。{% endif %}"
    )
    if CURRENT["name"] == "上海2024":
        abroad = (
            "{{ 三级() }}因公出国（境）费支出{{ 三公['因公出国（境）费']|money }}。全年安排因公出国（境）团组{{ 其他['因公出国（境）团组数']|count('个') }}、"
            "累计{{ 其他['因公出国（境）人次']|count('人次') }}。{% if purpose('因公出国（境）费开支内容') %}开支内容包括：{{ purpose('因公出国（境）费开支内容') }}。{% endif %}"
        )
        car = (
            "{{ 三级() }}公务用车购置及运行维护费支出{{ 三公.公务用车购置及运行维护费|money }}。其中："
            "{% if 三公.公务用车购置费.value %}公务用车购置支出{{ 三公.公务用车购置费|money }}，购置车辆{{ 其他.公务用车购置数|count('辆') }}"
            "{% if purpose('公务用车购置用途') %}，主要用于{{ purpose('公务用车购置用途') }}{% endif %}；{% else %}本年度未购置公务用车；{% endif %}"
            "公务用车运行维护支出{{ 三公.公务用车运行维护费|money }}{% if purpose('公务用车运行维护用途') %}，主要用于{{ purpose('公务用车运行维护用途') }}{% endif %}。"
            "截至{{ 年度 }}年12月31日，{{ 主体 }}开支财政拨款的公务用车保有量为{{ 其他.公务用车保有量|count('辆') }}。"
        )
        reception = (
            "{{ 三级() }}公务接待费支出{{ 三公.公务接待费|money }}。其中：国内公务接待支出{{ 三公.公务接待费|money }}（含外宾接待支出{{ 其他.外宾接待费|money }}）"
            "{% if purpose('公务接待用途') %}，主要用于{{ purpose('公务接待用途') }}{% endif %}"
            "。全年共接待{{ 其他.公务接待批次|count('批次') }}、{{ 其他.公务接待人次|count('人次') }}，其中：接待外宾{{ 其他.外宾接待批次|count('批次') }}、{{ 其他.外宾接待人次|count('人次') }}。"
        )
    said = "说明" if CURRENT["name"] == "上海2024" else ""  # 上海2024: "…总体情况说明", "…具体情况说明"
    return [
        _h(level, title),
        _if("not 三公.三公经费合计.预算.value and not 三公.三公经费合计.value and 变动.三公.三公经费合计.direction == 'none'"),
        ("B", "{{ 单位名称 }}{{ 年度 }}年度无“三公”经费财政拨款支出，上年也无此项支出。"),
        ELSE,
        _h(sub, "“三公”经费财政拨款支出决算总体情况" + said),
        ("B", total),
        ("B", change),
        _h(sub, "“三公”经费财政拨款支出决算具体情况" + said),
        _if("三公.三公经费合计.value"),
        ("B", "{{ 年度 }}年度“三公”经费财政拨款支出决算中，{{ 三公构成|composition(label_suffix='支出决算') }}。具体情况如下："),
        _if("三公['因公出国（境）费'].value"),
        ("B", abroad),
        ELSE,
        ("B", "{{ 三级() }}本年度未发生因公出国（境）费支出。"),
        ENDIF,
        _if("三公.公务用车购置及运行维护费.value"),
        ("B", car),
        ELSE,
        ("B", no_car),
        ENDIF,
        _if("三公.公务接待费.value"),
        ("B", reception),
        ELSE,
        ("B", "{{ 三级() }}本年度未发生公务接待费支出。"),
        ENDIF,
        ELSE,
        ("B", "{{ 年度 }}年度未发生“三公”经费财政拨款支出。"),
        ENDIF,
        ENDIF,
    ]


FUND_ITEM = (
    "{{ 三级() }}{{ s.路径 }}。{% if s.用途 %}主要用于{{ s.用途 }}。{% else %}{{ pending(s.编码 ~ '的主要用途', '预算数') }}。{% endif %}"
    "{% if s.完成 is none or s.年初预算 is none %}{{ pending(s.编码 ~ '的年初预算数', '预算数') }}，支出决算为{{ s.金额|money }}。"
    "{% elif s.完成.relation == 'no_budget' %}{{ s.完成|completion(reason=s.原因, reason_key=s.编码 ~ '的支出原因（“决算与预算差异原因”列）', reason_where='预算数') }}。"
    "{% else %}年初预算为{{ s.年初预算|money }}，支出决算为{{ s.金额|money }}，{{ s.完成|completion(reason=s.原因, reason_key=s.编码 ~ '的决算与预算差异原因', reason_where='预算数') }}。{% endif %}"
)


def s_fund(level: int, title: str, prefix: str, kind: str) -> L:
    # 上海2024 says only that there is none (the table carries its own 说明); the others name the empty table
    empty_table = "" if CURRENT["name"] == "上海2024" else f"，{{{{ tables.{kind}.number if tables.{kind} else '该表' }}}}为空表"
    return [
        _h(level, title),
        _if(f"空表.{prefix}"),
        ("B", f"{{{{ 单位名称 }}}}{{{{ 年度 }}}}年度无{prefix}预算财政拨款收入和支出{empty_table}。"),
        ELSE,
        (
            "B",
            f"{{{{ 年度 }}}}年度{prefix}预算财政拨款收入{{{{ {prefix}.本年收入|money }}}}，支出{{{{ {prefix}.本年支出|money }}}}{{% if {prefix}项 %}}，支出具体情况如下：{{% else %}}。{{% endif %}}",
        ),
        ("%", "{%p for s in " + prefix + "项 %}"),
        ("B", FUND_ITEM),
        ENDFOR,
        ENDIF,
    ]


def s_绩效(level: int, title: str) -> L:
    shanghai = CURRENT["name"] == "上海2024"  # the official wording: "全过程绩效管理实施情况：…绩效跟踪评价的…"
    track, own = ("绩效跟踪评价的", "绩效自评的") if shanghai else ("开展绩效跟踪的", "开展绩效自评的")
    clauses = (
        ("全过程绩效管理实施情况：" if shanghai else "")
        + f"{{% for n, a, w in [('绩效目标项目数', '绩效目标涉及金额', '编报绩效目标的'), ('绩效跟踪项目数', '绩效跟踪涉及金额', '{track}'), ('绩效自评项目数', '绩效自评涉及金额', '{own}')] if 绩效[n] is defined %}}"
        "{{ w }}{{ 年度 }}年度项目{{ 绩效[n]|count('个') }}{% if 绩效[a] is defined %}，涉及预算金额{{ 绩效[a]|money }}{% endif %}{% if not loop.last %}；{% endif %}{% endfor %}"
        "{% if 绩效.平均得分 is defined %}，平均得分{{ 绩效.平均得分|count('分') }}{% endif %}"
        "{% for g in ['优', '良', '合格', '不合格'] if 绩效['评级为' ~ g ~ '的项目数'] is defined %}{% if loop.first %}（其中"
        + ("，" if shanghai else "：")
        + "{% endif %}绩效评级为“{{ g }}”的项目{{ 绩效['评级为' ~ g ~ '的项目数']|count('个') }}{% if loop.last %}）{% else %}；{% endif %}{% endfor %}。"
    )
    any_count = "绩效.绩效目标项目数 is defined or 绩效.绩效跟踪项目数 is defined or 绩效.绩效自评项目数 is defined"
    opening: L = (
        [
            (
                "B",
                "{{ 单位名称 }}{{ 年度 }}年度预算绩效管理工作开展情况如下："
                "{% if 绩效制度 %}{{ 主体 }}建立了如下预算绩效管理制度：{{ 绩效制度 }}{% else %}{{ pending('绩效管理制度', '绩效') }}{% endif %}，"
                "建立了{% if 绩效机制 %}{{ 绩效机制 }}{% else %}{{ pending('绩效管理工作机制', '绩效') }}{% endif %}的预算绩效管理工作机制。",
            )
        ]
        if CURRENT["name"] == "上海2024"
        else [_if("绩效制度"), ("B", "{{ 主体 }}建立了如下预算绩效管理制度：{{ 绩效制度 }}。"), ENDIF]  # no empty paragraph without it
    )
    attached = "{% for a in 附件 %}{% if loop.first %}{{ 主体 }}{{ 年度 }}年度{% endif %}{{ a.名称 }}{% if a.说明 %}（{{ a.说明 }}）{% endif %}{% if loop.last %}见{% for b in 附件 %}附件{{ loop.index + (1 if 绩效项目 else 0) }}{% if not loop.last %}、{% endif %}{% endfor %}。{% else %}、{% endif %}{% endfor %}"
    return [
        _h(level, title),
        *opening,
        ("%", "{%p for line in 绩效说明 %}"),
        ("B", "{{ line }}"),
        ENDFOR,
        _if(any_count),
        ("B", clauses),
        ENDIF,
        _if("绩效.发现问题数 is defined"),
        (
            "B",
            "绩效自评中共发现问题{{ 绩效.发现问题数|count('个') }}"
            + (
                "{% if 绩效.已完成整改数 is defined %}，已经完成整改的{{ 绩效.已完成整改数|count('个') }}{% endif %}{% if 绩效.正在整改数 is defined %}，正在整改的{{ 绩效.正在整改数|count('个') }}{% endif %}。"
                if shanghai
                else "{% if 绩效.已完成整改数 is defined %}，已完成整改{{ 绩效.已完成整改数|count('个') }}{% endif %}{% if 绩效.正在整改数 is defined %}，正在整改{{ 绩效.正在整改数|count('个') }}{% endif %}。"
            ),
        ),
        ENDIF,
        ("%", "{%p for p in 绩效项目 %}"),
        (
            "B",
            "{{ 三级() }}{{ p.名称 }}：自评得分{{ p.得分|count('分') }}，全年预算数{{ p.完成.budget|money }}，全年执行数{{ p.完成.actual|money }}{% if p.完成.rate is not none %}，执行率{{ p.完成.rate|pct }}{% endif %}。",
        ),
        ENDFOR,
        _if("附件"),
        ("B", attached),
        ENDIF,
        _if(f"not 绩效说明 and not 绩效项目 and not ({any_count} or 绩效.发现问题数 is defined)"),
        ("B", "{{ pending('绩效管理工作情况', '绩效') }}"),
        ENDIF,
    ]


def s_机关运行经费(level: int, title: str) -> L:
    return [
        _h(level, title),
        _if("not 有机关运行经费"),
        ("B", "{{ 单位名称 }}不属于行政单位和参照公务员法管理的事业单位，不涉及机关运行经费。"),
        ("%", "{%p elif 其他.机关运行经费.value is not none and 其他.机关运行经费.value == 0 and 变动.机关运行经费.direction in ('none', 'unknown') %}"),
        ("B", "{{ 单位名称 }}{{ 年度 }}年度无机关运行经费支出。"),
        ELSE,
        (
            "B",
            "{{ 年度 }}年度机关运行经费支出{{ 其他.机关运行经费|money }}，{{ 变动.机关运行经费|change_with_reason('机关运行经费变动原因', '支出', '机关运行经费', lead={LEAD}) }}。",
        ),
        ENDIF,
    ]


FESTIVAL = "其他['节庆、晚会、论坛、赛事活动支出']"


def s_一般性支出(level: int, title: str) -> L:
    """会议费 and 培训费 (each amount with its use, or 未发生); 湖南 adds its 节庆、晚会、论坛、赛事 statement
    (the amount, or 未举办). When nothing was spent it is one sentence."""
    none = "其他.会议费.value == 0 and 其他.培训费.value == 0"
    items = (
        "{% for k in ['会议费', '培训费'] %}{% if 其他[k].value == 0 %}未发生{{ k }}支出{% else %}{{ k }}支出{{ 其他[k]|money }}"
        "{% if purpose(k ~ '用途') and 其他[k].value %}，主要用于{{ purpose(k ~ '用途') }}{% endif %}{% endif %}{% if not loop.last %}；{% endif %}{% endfor %}"
    )
    text = f"{{{{ 年度 }}}}年度{{% if {none} %}}未发生会议费和培训费支出{{% else %}}{items}{{% endif %}}"
    if CURRENT["name"] == "湖南2020":
        text += (
            f"{{% if {FESTIVAL}.value %}}；节庆、晚会、论坛、赛事活动支出{{{{ {FESTIVAL}|money }}}}"
            f"{{% else %}}{{% if {none} %}}，也{{% else %}}；{{% endif %}}未举办节庆、晚会、论坛、赛事活动{{% endif %}}"
        )
    return [_h(level, title), ("B", text + "。")]


SHANGHAI_PROCUREMENT = (
    "{{ 单位名称 }}{{ 年度 }}年度政府采购金额（以合同签订为准）为{{ 其他.政府采购支出总额|money }}，其中：货物采购金额{{ 其他.政府采购货物支出|money }}、"
    "工程采购金额{{ 其他.政府采购工程支出|money }}、服务采购金额{{ 其他.政府采购服务支出|money }}。"
    "授予中小企业合同金额{{ 其他.授予中小企业合同金额|money }}，{{ 政府采购.中小企业占比|share('占政府采购金额的') }}，其中：授予小微企业合同金额{{ 其他.授予小微企业合同金额|money }}，"
    "{{ 政府采购.小微企业占比|share('占政府采购金额的') }}。"
    "{{ 年度 }}年度{{ 主体 }}面向中小企业预留政府采购项目预算金额{{ 其他.面向中小企业预留项目预算金额|money }}，面向小微企业预留政府采购项目预算金额{{ 其他.面向小微企业预留项目预算金额|money }}。"
    "在面向中小企业预留的政府采购项目中，由中小企业供应商中标或成交的，采购金额{{ 其他.中小企业预留项目中小企业中标金额|money }}；"
    "在面向小微企业预留的政府采购项目中，由小微企业供应商中标或成交的，采购金额{{ 其他.小微企业预留项目小微企业中标金额|money }}；"
    "在其他政府采购项目中，由中小企业供应商中标或成交的，采购金额{{ 其他.其他采购项目中小企业中标金额|money }}。"
)


def s_政府采购(level: int, title: str) -> L:
    text = (
        "{{ 年度 }}年度政府采购支出总额{{ 其他.政府采购支出总额|money }}，其中：政府采购货物支出{{ 其他.政府采购货物支出|money }}、政府采购工程支出{{ 其他.政府采购工程支出|money }}、政府采购服务支出{{ 其他.政府采购服务支出|money }}。"
        "{% if 其他.政府采购支出总额.value %}授予中小企业合同金额{{ 其他.授予中小企业合同金额|money }}，{{ 政府采购.中小企业占比|share('占政府采购支出总额的') }}，其中：授予小微企业合同金额{{ 其他.授予小微企业合同金额|money }}，{{ 政府采购.小微企业占比|share('占政府采购支出总额的') }}。{% endif %}"
        "{% set r1, r2, o = 其他.面向中小企业预留项目预算金额, 其他.面向小微企业预留项目预算金额, 其他.其他采购项目中小企业中标金额 %}"
        "{% if r1.value is not none %}面向中小企业预留政府采购项目预算金额{{ r1|money }}{% if r2.value is not none %}，{% else %}。{% endif %}{% endif %}"
        "{% if r2.value is not none %}面向小微企业预留政府采购项目预算金额{{ r2|money }}。{% endif %}"
        "{% if o.value is not none %}在其他政府采购项目中，由中小企业供应商中标或成交的采购金额{{ o|money }}。{% endif %}"
    )
    if CURRENT["name"] == "上海2024":
        text = SHANGHAI_PROCUREMENT
    return [
        _h(level, title),
        _if("其他.政府采购支出总额.value is not none and 其他.政府采购支出总额.value == 0"),
        ("B", "{{ 单位名称 }}{{ 年度 }}年度未发生政府采购支出。"),
        ELSE,
        ("B", text),
        ENDIF,
    ]


def s_国有资产(level: int, title: str) -> L:
    if CURRENT["name"] == "上海2024":
        return [
            _h(level, title),
            (
                "B",
                "截至{{ 年度 }}年12月31日，{{ 主体 }}共有车辆{{ 其他.车辆总数|count('辆') }}"
                "{% for v in 车辆 %}{% if loop.first %}，其中：{% else %}、{% endif %}{{ v.名称 }}{{ v.数量|count('辆') }}{% endfor %}。"
                "单价100万元（含）以上设备（不含车辆）{{ 其他['单价100万元（含）以上设备（不含车辆）']|count('台（套）') }}。",
            ),
        ]
    return [
        _h(level, title),
        (
            "B",
            "截至{{ 年度 }}年12月31日，{{ 主体 }}共有车辆{{ 其他.车辆总数|count('辆') }}"
            "{% for v in 车辆 if v.数量.value is not none %}{% if loop.first %}，其中：{% else %}、{% endif %}{{ v.名称 }}{{ v.数量|count('辆') }}{% endfor %}"
            "；单价50万元以上通用设备{{ 其他.单价50万元以上通用设备|count('台（套）') }}，单价100万元以上专用设备{{ 其他.单价100万元以上专用设备|count('台（套）') }}。",
        ),
    ]


OTHER = {
    "绩效": ("预算绩效管理情况", None),
    "机关运行经费": ("机关运行经费支出情况", s_机关运行经费),
    "一般性支出": ("一般性支出情况", s_一般性支出),
    "政府采购": ("政府采购支出情况", s_政府采购),
    "国有资产": ("国有资产占有使用情况", s_国有资产),
}

# The shipped profiles' sections (bootstrap data: the templates now hold them).
BOOTSTRAP = {
    "上海2024": {
        "overview": "收支总计",
        "sections": ["总体", "收入", "支出", "财政拨款总体", "一般公共预算支出", "基本支出", "三公", "政府性基金", "国有资本经营", "绩效", "其他重要事项"],
        "other": ["机关运行经费", "政府采购", "国有资产"],
        "titles": {"绩效": "预算绩效管理情况", "其他重要事项": "其他重要事项的情况说明", "国有资产": "国有资产占有使用情况说明"},
        "lead": "'比' ~ 上年度 ~ '年度', prior_label=上年度 ~ '年度'",
    },
    "湖南2020": {
        "overview": "本年收支",
        "sections": [
            "总体",
            "收入",
            "支出",
            "财政拨款总体",
            "一般公共预算支出",
            "基本支出",
            "三公",
            "政府性基金",
            "国有资本经营",
            "机关运行经费",
            "一般性支出",
            "政府采购",
            "国有资产",
            "绩效",
        ],
        "other": [],
        "titles": {"绩效": "预算绩效情况说明"},
    },
    "2018": {
        "overview": "本年收支",
        "sections": ["总体", "收入", "支出", "财政拨款总体", "一般公共预算支出", "基本支出", "三公", "政府性基金", "绩效", "其他重要事项"],
        "other": ["机关运行经费", "一般性支出", "政府采购", "国有资产"],
        "titles": {"绩效": "预算绩效情况说明", "其他重要事项": "其他重要事项情况说明"},
    },
    "中央2024": {
        "overview": "收支总计",
        "sections": ["总体", "收入", "支出", "财政拨款总体", "一般公共预算支出", "基本支出", "政府性基金", "国有资本经营", "三公", "其他重要事项"],
        "other": ["机关运行经费", "一般性支出", "政府采购", "国有资产", "绩效"],
        "titles": {
            "政府性基金": "政府性基金预算财政拨款支出决算情况说明",
            "国有资本经营": "国有资本经营预算财政拨款支出决算情况说明",
            "其他重要事项": "其他重要事项的情况说明",
        },
        "lead": "'与' ~ 上年度 ~ '年度相比，', prior_label=上年度 ~ '年度'",
        "charts": True,
    },
}

TITLES = {
    "总体": "收入支出决算总体情况说明",
    "收入": "收入决算情况说明",
    "支出": "支出决算情况说明",
    "财政拨款总体": "财政拨款收入支出决算总体情况说明",
    "一般公共预算支出": "一般公共预算财政拨款支出决算情况说明",
    "基本支出": "一般公共预算财政拨款基本支出决算情况说明",
    "三公": "财政拨款“三公”经费支出决算情况说明",
    "政府性基金": "政府性基金预算财政拨款收入支出决算情况说明",
    "国有资本经营": "国有资本经营预算财政拨款收入支出决算情况说明",
    "绩效": "预算绩效管理情况",
    "其他重要事项": "其他重要事项的情况说明",
}


# spec "charts": a chart paragraph ({{ 图表('…') }}, see charts.py) after the section's first paragraph
# containing the anchor (the 总体 sentence; in 一般公共预算支出 the 结构 sentence)
CHART_AFTER = {
    "总体": ("收支总计变动", ""),
    "收入": ("收入结构", ""),
    "支出": ("支出结构", ""),
    "财政拨款总体": ("财政拨款收支变动", ""),
    "一般公共预算支出": ("一般公共预算财政拨款支出结构", "类构成"),
}


def with_chart(key: str, lines: L) -> L:
    kind, anchor = CHART_AFTER[key]
    at = next(i for i, (style, text) in enumerate(lines) if style == "B" and anchor in text) + 1
    return lines[:at] + [("B", f"{{{{ 图表('{kind}') }}}}")] + lines[at:]


def part3(spec: dict) -> L:
    titles = {**TITLES, **spec["titles"]}
    out: L = []
    for key in spec["sections"]:
        if spec.get("charts") and key in CHART_AFTER:
            out += with_chart(key, part3({**spec, "sections": [key], "charts": False}))
            continue
        title = titles.get(key) or OTHER[key][0]
        if key in ("总体", "财政拨款总体"):
            out += {"总体": s_总体, "财政拨款总体": s_财政拨款总体}[key](1, title, spec["overview"])
        elif key in ("政府性基金", "国有资本经营"):
            out += s_fund(1, title, key, "gov_fund" if key == "政府性基金" else "state_capital")
        elif key == "其他重要事项":
            out.append(_h(1, title))
            for other in spec["other"]:
                out += (OTHER[other][1] or globals()[f"s_{other}"])(2, titles.get(other, OTHER[other][0]))
        elif key in OTHER:
            out += (OTHER[key][1] or globals()[f"s_{key}"])(1, title)
        else:
            out += globals()[f"s_{key}"](1, title)
    return out


_JINJA = re.compile(r"(\{\{.*?\}\}|\{%.*?%\})", re.S)


def in_terms(text: str) -> str:
    """The format's names for standard terms (profile.toml [terms]) in the literal text, never inside a tag."""
    settings = CURRENT.get("settings")
    if settings is None or not settings.terms:
        return text
    return "".join(part if _JINJA.fullmatch(part) else settings.in_terms(part) for part in _JINJA.split(text))


def _lines(doc, lines: L, lead: str = "'比上年'") -> None:
    """Write the lines; {LEAD} is the comparison phrase this format uses (a Jinja expression)."""
    for style, text in lines:
        text = in_terms(text.replace("{LEAD}", lead))
        if style == "TBL":
            TABLES[text](doc)
        elif style == "%":
            _tag(doc, text)
        else:
            _p(doc, text, STYLE[style], page_break=style in ("P", "N"))


def build(profile: Profile, out: Path, spec: dict | None = None) -> None:
    spec = spec or BOOTSTRAP[profile.name]
    CURRENT["name"] = profile.name
    CURRENT["settings"] = profile.settings
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(2.5)
    _styles(doc)
    core = doc.core_properties
    core.author = core.last_modified_by = "juesuan"
    core.title = f"部门决算公开模板（{profile.name}）"
    core.comments = "juesuan 模板：全文（标题、每一句话）都在此文件中，可在 Word 中修改文字和样式。"
    core.revision = 1
    from datetime import datetime

    core.created = core.modified = datetime(2024, 1, 1)
    _p(doc, "{{ 单位名称 }}", "决算标题")
    _p(doc, "{{ 年度 }}年度部门决算", "决算副标题")
    _p(doc, "目　录", "决算部分", page_break=True)
    _p(doc, "{{ 目录() }}", "决算目录")
    _lines(doc, [("P", "{{ 部分() }}　{{ 单位名称 }}概况")] + part1())
    _lines(doc, [("P", "{{ 部分() }}　{{ 单位名称 }}{{ 年度 }}年度部门决算表")])
    for i, kind in enumerate(profile.tables):
        _table(doc, kind.value, profile, first=i == 0)
    _lines(doc, [("P", "{{ 部分() }}　{{ 单位名称 }}{{ 年度 }}年度部门决算情况说明")] + part3(spec), spec.get("lead", "'比上年'"))
    _lines(doc, [("P", "{{ 部分() }}　名词解释"), ("%", "{%p for term, definition in 名词解释 %}"), ("B", "{{ 一级() }}{{ term }}：{{ definition }}"), ENDFOR])
    _lines(doc, [_if("绩效项目 or 附件"), ("P", "{{ 部分() }}　附件"), _if("绩效项目"), ("B", "附件1")])
    _projects_table(doc)
    _lines(
        doc,
        [
            ENDIF,
            ("%", "{%p for a in 附件 %}"),
            ("N", "附件{{ loop.index + (1 if 绩效项目 else 0) }}"),  # the GB/T 9704 mark, as 附件1; the title below it
            ("H", "{{ a.名称 }}{% if a.说明 %}（{{ a.说明 }}）{% endif %}"),
            ("%", "{%p for para in a.正文 %}"),
            ("B", "{{ para }}"),
            ENDFOR,
            _if("not a.正文"),
            ("B", "{{ pending(a.名称 ~ '的正文', '绩效') }}"),
            ENDIF,
            ENDFOR,
            ENDIF,
        ],
    )
    import io

    from .files import normalize_zip, write_atomic
    from .official_look import Look, apply

    buffer = io.BytesIO()
    doc.save(buffer)
    # the print layout (GB/T 9704 page, styles, footer, TOC field, table properties) last
    write_atomic(out, normalize_zip(apply(buffer.getvalue(), Look.from_profile(profile.folder))))  # same layout → same bytes


def main(argv: list[str] | None = None) -> None:
    args = argv if argv is not None else sys.argv[1:]
    if not args:
        print(
            "用法：python -m generator.template_builder 格式名 [输出.docx]（会覆盖在 Word 中对模板的修改；"
            f"提交的 templates/<格式>/template.docx 才是准绳）。可用：{'、'.join(BOOTSTRAP)}"
        )
        return
    for name in args[:1]:
        profile = load_profile(name)
        out = Path(args[1]) if len(args) > 1 else profile.folder / "template.docx"
        build(profile, out)
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
