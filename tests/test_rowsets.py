"""The 类 rows 公开01 and 公开04 print, per format (profile.toml ``[rows]``, generator/rowsets.py).

The 2024 sample workbook (exported with 26 类) lists 债务还本支出 and 债务付息支出, both zero; the official
上海 2024 frame has 24 类. A reviewer expects the frame's rows in the frame's order, zero rows outside it
dropped, and a row outside it that holds money kept in the table and named by ``check`` — never lost.
"""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from lxml import etree
from template_edit import copy_profile

from generator.errors import InputError
from generator.figures import compute
from generator.intake import read_workbook
from generator.keys import CLASS_NAMES, cn_number
from generator.pipeline import analyse, build_book
from generator.printing import finish_document
from generator.profiles import load_profile
from generator.render import render_docx, render_text
from generator.rowsets import frame_findings, framed_lines

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DEMO = "示例单位_2024"
# the official 上海 2024 template (shared/reference): 一、一般公共服务支出 … 二十四、抗疫特别国债安排的支出
SHANGHAI = ["201", "202", "203", "204", "205", "206", "207", "208", "210", "211", "212", "213"]
SHANGHAI += ["214", "215", "216", "217", "219", "220", "221", "222", "223", "224", "229", "234"]


def _tables(blob: bytes) -> list:
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        body = etree.fromstring(zf.read("word/document.xml")).find(f"{W}body")
    return list(body.iterchildren(f"{W}tbl"))


def _cells(tr) -> list[str]:
    return ["".join(t.text or "" for t in tc.iter(f"{W}t")) for tc in tr.findall(f"{W}tc")]


def _class_column(tbl) -> list[tuple[str, list[str]]]:
    """(label, the amounts beside it) of each 类 line on the 支出 side (column 3 of 公开01/04)."""
    out = []
    for tr in tbl.findall(f"{W}tr"):
        cells = _cells(tr)
        if len(cells) > 3 and "、" in cells[2] and cells[2].endswith("支出"):
            out.append((cells[2], cells[3:]))
    return out


def test_the_shanghai_profile_sets_the_official_24_rows():
    profile = load_profile("上海2024")
    assert profile.rows == {"summary": SHANGHAI, "fiscal_summary": SHANGHAI}


def test_sample_prints_the_frame_rows_in_order_and_drops_zero_rows_outside_it(tmp_path, samples):
    out = tmp_path / "demo.docx"
    result = build_book(samples / f"{DEMO}.xlsx", out, profile_name="上海2024")
    model = result.model
    # the workbook has 26 类 lines, 债务还本支出 (231) and 债务付息支出 (232) among them, both zero
    assert len(model.summary.expenditure) == 26 and {"231", "232"} <= {r.code for r in model.summary.expenditure}
    tables = _tables(out.read_bytes())
    for tbl in (tables[0], tables[3]):  # 公开01, 公开04
        labels = [label for label, _ in _class_column(tbl)]
        assert labels == [f"{cn_number(i)}、{CLASS_NAMES[c]}" for i, c in enumerate(SHANGHAI, 1)]
        assert not any("债务" in label for label in labels)
    # nothing to warn about: the dropped rows held no money
    assert not [f for f in result.findings if "表样" in f.message]


def _with_debt(samples, amount: Decimal):
    """The 2024 sample with ``amount`` in 债务还本支出 (231) on both tables (the totals left as they are:
    the rule is about the rows, so the document is rendered without the identity checks)."""
    model = read_workbook(samples / f"{DEMO}.xlsx")
    for table, column in ((model.summary, "金额"), (model.fiscal_summary, "合计")):
        row = table.class_line("231")
        row.values[column] = amount
    return model


def test_a_row_with_money_outside_the_frame_is_kept_and_named_by_check(samples):
    profile = load_profile("上海2024")
    model = _with_debt(samples, Decimal("12.34"))
    findings = frame_findings(model, profile.rows, profile.name)
    assert len(findings) == 2
    for f, table in zip(findings, (model.summary, model.fiscal_summary), strict=True):
        row = table.class_line("231")
        column = "金额" if table is model.summary else "合计"
        assert f.level == "warning" and f.sheet == table.sheet
        assert f.cells == [f"{table.sheet}!{row.cells[column]}"]  # the amount's cell
        assert "债务还本支出" in f.message and "12.34" in f.message and "上海2024" in f.message
        assert f.found == row.name.strip() == "二十四、债务还本支出"  # the label as the sheet has it
    # analyse (what check and build run) reports them too
    assert [f.cells for f in analyse(model, profile).findings if f.rule.endswith("表样外的行")] == [f.cells for f in findings]
    # the produced document keeps the row with its amount, placed by code: after 229 其他支出, before 234
    narrative = render_text(model, compute(model), profile)
    data = render_docx(profile, narrative, finish=lambda xml, styles: finish_document(xml, styles))
    tables = _tables(data)
    for tbl, width in ((tables[0], 1), (tables[3], 4)):
        lines = _class_column(tbl)
        labels = [label for label, _ in lines]
        assert len(labels) == 25  # 24 + the kept one
        assert labels[22:] == ["二十三、其他支出", "二十四、债务还本支出", "二十五、抗疫特别国债安排的支出"]
        assert lines[23][1][0] == "12.34" and len(lines[23][1]) == width
        assert not any("债务付息" in label for label in labels)  # 232 stays zero: dropped


def test_frame_rows_the_workbook_lacks_stand_empty_and_without_a_frame_rows_stay_as_typed(samples):
    model = read_workbook(samples / f"{DEMO}.xlsx")
    lines = [r for r in model.summary.expenditure if r.code != "234"]
    out = framed_lines(lines, SHANGHAI)
    assert [r.code for r in out] == SHANGHAI
    assert out[-1].values == {} and out[-1].name == "抗疫特别国债安排的支出"  # printed with empty cells
    assert framed_lines(lines, None) == lines and framed_lines(lines, []) == lines


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        ('[rows]\nincome = ["201"]\n', ("[rows]", "summary", "income")),
        ('[rows]\nsummary = ["201", "2010"]\n', ("2010", "类级科目编码")),
        ('[rows]\nsummary = ["201", "205", "201"]\n', ("201", "重复")),
    ],
)
def test_profile_rows_are_validated_in_one_line(tmp_path, rows, words):
    folder = copy_profile("上海2024", tmp_path)
    toml = (folder / "profile.toml").read_text("utf-8")
    start = toml.index("[rows]")
    end = toml.index("\n[", start + 1)
    (folder / "profile.toml").write_text(toml[:start] + rows + toml[end:], "utf-8")
    with pytest.raises(InputError) as err:
        load_profile(str(folder))
    msg = str(err.value)
    assert all(word in msg for word in words) and "\n" not in msg, msg
