"""Charts in the real rendering (issue 13 item 3): a template's {{ 图表('…') }} paragraph becomes an image
with the caption 图N … （单位：万元）, numbered in document order; builds stay byte-identical; a template
without charts does no chart work (matplotlib is never imported)."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile

import pytest
from template_edit import blocks, copy_profile, edit_document, text

from generator import charts
from generator.figures import compute
from generator.intake import read_workbook
from generator.narrative import field_catalogue
from generator.pipeline import build_book
from generator.profiles import load_profile
from generator.render import check_template

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent


def _chart_paragraph(kind: str) -> str:
    return f"<w:p><w:r><w:t xml:space=\"preserve\">{{{{ 图表('{kind}') }}}}</w:t></w:r></w:p>"


def _after(anchor: str, kind: str):
    """Insert a chart paragraph after the first paragraph whose text contains ``anchor`` (as an officer would in Word)."""

    def edit(xml: str) -> str:
        b = next(b for b in blocks(xml) if anchor in text(b.group(0)))
        return xml[: b.end()] + _chart_paragraph(kind) + xml[b.end() :]

    return edit


def _two_chart_template(tmp_path):
    folder = copy_profile("上海2024", tmp_path)
    # the 收入 chart goes in first (later in the document), so document order ≠ editing order
    edit_document(folder, _after("收入构成|composition", "收入结构"))
    edit_document(folder, _after("收入总计|money", "收支总计变动"))
    return folder


def test_template_check_and_fields_know_the_chart_function(tmp_path):
    folder = _two_chart_template(tmp_path)
    assert check_template(load_profile(str(folder))) == []  # no “未知的名称“图表””
    assert ("函数", "图表") in {(kind, name) for kind, name, _meaning, _value in field_catalogue()}


def test_two_charts_give_images_and_captions_in_document_order_byte_identical(tmp_path, samples):
    pytest.importorskip("matplotlib", reason="the optional extra 'charts' (matplotlib) is not installed")
    try:
        charts.cjk_font()
    except charts.ChartUnavailable as err:  # pragma: no cover - machines without CJK fonts
        pytest.skip(str(err))
    folder = _two_chart_template(tmp_path)
    book = samples / "示例单位_2024.xlsx"
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    result = build_book(book, first, profile_name=str(folder))
    build_book(book, second, profile_name=str(folder))
    assert first.read_bytes() == second.read_bytes()  # same input → same bytes, images included

    with zipfile.ZipFile(first) as z:
        document = z.read("word/document.xml").decode("utf-8")
        rels = z.read("word/_rels/document.xml.rels").decode("utf-8")
        media = {n: z.read(n) for n in z.namelist() if n.startswith("word/media/")}
        types = z.read("[Content_Types].xml").decode("utf-8")
    assert charts.MARKER not in document and "图表(" not in document
    assert 'Extension="png"' in types
    # document order: the 总体 sentence, 图1 (收支总计变动), then the 收入 sentence, 图2 (收入结构)
    paras = [
        ("".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", p)), re.findall(r'r:embed="([^"]+)"', p))
        for p in re.findall(r"<w:p[ >].*?</w:p>", document, re.S)
    ]
    drawn = [i for i, (_t, embeds) in enumerate(paras) if embeds]
    assert len(drawn) == 2
    captions = [paras[i + 1][0] for i in drawn]
    assert captions == ["图1  收入支出决算总计变动情况（单位：万元）", "图2  收入决算结构（单位：万元）"]
    assert "年度收入支出总计" in paras[drawn[0] - 1][0] and "本年收入合计" in paras[drawn[1] - 1][0]
    target = dict(re.findall(r'Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
    figures = compute(read_workbook(book))
    images = [media["word/" + target[paras[i][1][0]]] for i in drawn]
    assert images == [charts.draw(figures, "收支总计变动"), charts.draw(figures, "收入结构")]
    assert all(png.startswith(b"\x89PNG") for png in images)
    # the chart paragraphs are not narrative text (trace, diff)
    texts = [p.text for part in result.narrative.parts for p in part.paragraphs]
    assert not any(charts.MARKER in t or "图表" in t for t in texts)


def test_unknown_chart_kind_is_one_clear_line(tmp_path, samples):
    folder = copy_profile("上海2024", tmp_path)
    edit_document(folder, _after("收入总计|money", "饼图"))
    with pytest.raises(Exception, match="未知的图表“饼图”"):
        build_book(samples / "示例单位_2024.xlsx", tmp_path / "x.docx", profile_name=str(folder))


def test_build_without_chart_calls_does_not_import_matplotlib(tmp_path):
    out = tmp_path / "no-charts.docx"
    code = (
        "import sys\n"
        "from generator.pipeline import build_book\n"
        f"build_book({str(ROOT / 'samples' / '示例单位_2024.xlsx')!r}, {str(out)!r}, profile_name='上海2024')\n"
        "print('matplotlib' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "False"
    with zipfile.ZipFile(out) as z:
        assert not [n for n in z.namelist() if n.startswith("word/media/")]


def test_zhongyang_profile_ships_the_five_charts_shanghai_none(tmp_path, samples):
    """The chart setting is on for 中央2024 only: its template has the five chart paragraphs, 上海2024 none."""

    def calls(name):
        with zipfile.ZipFile(ROOT / "templates" / name / "template.docx") as z:
            return re.findall(r"图表\(&apos;([^&]+)&apos;\)|图表\('([^']+)'\)", z.read("word/document.xml").decode("utf-8"))

    kinds = ["".join(c) for c in calls("中央2024")]
    assert kinds == ["收支总计变动", "收入结构", "支出结构", "财政拨款收支变动", "一般公共预算财政拨款支出结构"]
    assert calls("上海2024") == [] and calls("湖南2020") == [] and calls("2018") == []
