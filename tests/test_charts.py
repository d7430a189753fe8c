"""Charts: deterministic PNGs from the figures, and their insertion into a rendered package."""

import io
import zipfile

import pytest

pytest.importorskip("matplotlib", reason="the optional extra 'charts' (matplotlib) is not installed")

from generator import charts  # noqa: E402
from generator.figures import compute  # noqa: E402
from generator.files import zip_bytes  # noqa: E402
from generator.intake import read_workbook  # noqa: E402

try:
    FONT = charts.cjk_font()
except charts.ChartUnavailable as err:  # pragma: no cover - machines without CJK fonts
    pytest.skip(str(err), allow_module_level=True)


@pytest.fixture(scope="module")
def figures(samples):
    return compute(read_workbook(samples / "示例单位_2024.xlsx"))


@pytest.mark.parametrize("kind", list(charts.CHARTS))
def test_each_chart_is_a_png_and_byte_identical_on_redraw(figures, kind):
    first, second = charts.draw(figures, kind), charts.draw(figures, kind)
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    assert first == second
    assert b"matplotlib" not in first.lower() and b"tIME" not in first  # no software or time metadata


def test_structure_series_are_the_figures_shares(figures):
    shape, data = charts._series(figures, "一般公共预算财政拨款支出结构")
    assert shape == "pie"
    # 公开05 of the 2024 sample: 一般公共服务支出 2,397.63 of 2,824.11 → 84.90% (2397.63 / 2824.11 = 0.84898…)
    label, amount, share = data[0]
    assert label == "一般公共服务支出" and f"{amount:.2f}" == "2397.63" and charts._pct(share) == "84.90%"
    assert charts._pct(figures.classes[-1].share.value) == "不足0.01%"  # 0.01 of 2,824.11 = 0.0004%


def test_missing_font_is_one_clear_line(monkeypatch, tmp_path):
    monkeypatch.delenv("JUESUAN_CHART_FONT", raising=False)
    with pytest.raises(charts.ChartUnavailable, match="未找到中文字体"):
        charts.cjk_font(dirs=(str(tmp_path),))


def _p(text: str) -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="BodyText"/></w:pPr><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def _package(body: str) -> list[tuple[str, bytes]]:
    """A minimal hand-made .docx, as the render stage would have produced it (markers already rendered)."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    pkg = "http://schemas.openxmlformats.org/package/2006"
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    types = (f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{pkg}/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             f'<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="{main}"/></Types>')  # fmt: skip
    root_rels = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}/relationships">'
                 f'<Relationship Id="rId1" Type="{office}" Target="word/document.xml"/></Relationships>')  # fmt: skip
    doc_rels = f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}/relationships"></Relationships>'
    document = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}"><w:body>{body}<w:sectPr/></w:body></w:document>'
    return [("[Content_Types].xml", types.encode()), ("_rels/.rels", root_rels.encode()), ("word/_rels/document.xml.rels", doc_rels.encode()),
            ("word/document.xml", document.encode())]  # fmt: skip


def test_two_charts_get_images_and_captions_in_document_order_and_rebuild_identically(figures):
    import docx

    body = _p("一、收入支出决算总体情况") + _p(charts.marker("收支总计变动")) + _p("二、收入决算情况") + _p(charts.marker("收入结构"))
    build = lambda: zip_bytes(charts.embed_charts(_package(body), lambda kind: charts.draw(figures, kind)))  # noqa: E731
    data = build()
    assert data == build()  # byte-identical on rebuild
    d = docx.Document(io.BytesIO(data))
    assert len(d.inline_shapes) == 2
    texts = [p.text for p in d.paragraphs if p.text]
    assert texts == ["一、收入支出决算总体情况", "图1  收入支出决算总计变动情况（单位：万元）", "二、收入决算情况", "图2  收入决算结构（单位：万元）"]
    # the first image is the 收支总计 chart, the second the 收入结构 chart (relationship targets in order)
    parts = zipfile.ZipFile(io.BytesIO(data))
    assert parts.read("word/media/juesuan_chart1.png") == charts.draw(figures, "收支总计变动")
    assert parts.read("word/media/juesuan_chart2.png") == charts.draw(figures, "收入结构")
    assert 'Extension="png"' in parts.read("[Content_Types].xml").decode()


def test_no_marker_no_chart_work():
    entries = _package(_p("没有图表的文档"))

    def never(kind):
        raise AssertionError("drew a chart for a document without charts")

    assert charts.embed_charts(entries, never) is entries


def test_unknown_chart_kind_is_a_template_error():
    with pytest.raises(ValueError, match="未知的图表"):
        charts.marker("饼图")


def test_the_template_call_survives_the_sandboxed_autoescaping_render(figures):
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(autoescape=True)
    env.globals.update(charts.JINJA_GLOBALS)
    body = env.from_string(_p("{{ 图表('支出结构') }}")).render()
    assert charts.chart_kinds(body) == ["支出结构"]
    entries = charts.with_charts(_package(body), figures)
    assert dict(entries)["word/media/juesuan_chart1.png"] == charts.draw(figures, "支出结构")


def test_missing_font_at_render_is_an_input_error(figures, monkeypatch, tmp_path):
    from generator.errors import InputError

    monkeypatch.setenv("JUESUAN_CHART_FONT", str(tmp_path / "nowhere.ttf"))
    with pytest.raises(InputError, match="JUESUAN_CHART_FONT"):
        charts.with_charts(_package(_p(charts.marker("收入结构"))), figures)
