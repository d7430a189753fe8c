"""The official look (GB/T 9704) and a navigable, print-ready document, read from the XML.

Built from the 上海2024 sample: page and margins, footer page numbers, the TOC field with the
nine tables, outline levels, keep-with-next, repeating header rows, landscape sections,
East Asian fonts and zh-CN. (The LibreOffice rendering test is test_print_rendering.py.)
"""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree

from generator.official_look import Look, apply, column_roles, column_widths
from generator.pipeline import build_book
from generator.profiles import load_profile

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def xml(blob: bytes):
    return etree.fromstring(blob)


def text(el) -> str:
    return "".join(t.text or "" for t in el.iter(f"{W}t"))


@pytest.fixture(scope="module")
def built(tmp_path_factory, samples):
    out = tmp_path_factory.mktemp("look") / "示例.docx"
    build_book(samples / "示例单位_2024.xlsx", out)
    p = parts(out)
    return p, xml(p["word/document.xml"]), xml(p["word/styles.xml"])


def style(styles, name):
    for st in styles.iter(f"{W}style"):
        if st.find(f"{W}name").get(f"{W}val") == name:
            return st
    raise KeyError(name)


def test_a4_with_the_official_margins_and_grid(built):
    _, doc, _ = built
    final = doc.find(f"{W}body/{W}sectPr")
    size, mar, grid = final.find(f"{W}pgSz"), final.find(f"{W}pgMar"), final.find(f"{W}docGrid")
    # A4 = 210 × 297 mm = 11906 × 16838 twips; 1 mm = 56.7 twips: 37 → 2098, 35 → 1984, 28 → 1588, 26 → 1474
    assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")
    assert [mar.get(f"{W}{k}") for k in ("top", "bottom", "left", "right")] == ["2098", "1984", "1588", "1474"]
    # 22 lines: (297 − 37 − 35) mm = 12756 twips / 22 = 579.8 → 579
    assert grid.get(f"{W}type") == "linesAndChars" and grid.get(f"{W}linePitch") == "579"


def test_footer_carries_a_page_field_between_dashes_and_the_cover_has_none(built):
    p, doc, _ = built
    rels = xml(p["word/_rels/document.xml.rels"])
    target = {r.get("Id"): r.get("Target") for r in rels}
    sects = list(doc.iter(f"{W}sectPr"))
    first = sects[0]
    assert first.find(f"{W}titlePg") is not None
    refs = {r.get(f"{W}type"): target[r.get(f"{R}id")] for r in first.findall(f"{W}footerReference")}
    for kind in ("default", "even"):
        footer = p["word/" + refs[kind]].decode("utf-8")
        assert " PAGE " in footer and "— " in footer and " —" in footer
        assert 'w:sz w:val="28"' in footer  # 4号 = 14 pt
    assert " PAGE " not in p["word/" + refs["first"]].decode("utf-8")
    assert all(s.find(f"{W}titlePg") is None for s in sects[1:])
    odd, even = (xml(p["word/" + refs[k]]).find(f".//{W}jc").get(f"{W}val") for k in ("default", "even"))
    assert (odd, even) == ("right", "left")  # GB/T 9704: odd pages right, even pages left
    assert xml(p["word/settings.xml"]).find(f"{W}evenAndOddHeaders") is not None


def test_the_toc_is_a_field_listing_parts_sections_and_the_nine_tables(built):
    p, doc, _ = built
    instr = "".join(t.text for t in doc.iter(f"{W}instrText"))
    assert 'TOC \\o "1-2"' in instr
    links = [(link.get(f"{W}anchor"), text(link)) for link in doc.iter(f"{W}hyperlink")]
    entries = [t for _, t in links]
    profile = load_profile("上海2024")
    # the nine tables as the official 目录 lists them under 第二部分: "一、收入支出决算总表" … "九、…"
    part = entries.index(next(e for e in entries if e.startswith("第二部分")))
    ordinals = "一二三四五六七八九"
    assert entries[part + 1 : part + 10] == [f"{ordinals[i]}、{profile.title(kind.value)}" for i, kind in enumerate(profile.tables)]
    assert not entries[part + 10].startswith("十、")  # the count stops with the part
    assert "2024年度项目支出绩效自评结果表" in entries  # the 附件 table (no 表号) keeps its own title
    assert any(e.startswith("第二部分") for e in entries) and any(e.startswith("一、") for e in entries)
    assert not any(e.replace("　", "").replace(" ", "") == "目录" for e in entries)  # the 目录 is not its own entry
    bookmarks = {b.get(f"{W}name") for b in doc.iter(f"{W}bookmarkStart")}
    assert all(anchor in bookmarks for anchor, _ in links)
    assert xml(p["word/settings.xml"]).find(f"{W}updateFields").get(f"{W}val") == "true"
    toc1 = style(built[2], "toc 2").find(f"{W}pPr/{W}tabs/{W}tab")
    assert toc1.get(f"{W}leader") == "dot" and toc1.get(f"{W}val") == "right"


def test_headings_have_outline_levels_and_keep_with_next(built):
    _, _, styles = built
    levels = {"决算部分": "0", "决算一级": "1", "决算二级": "2", "决算三级": "3", "决算表题": "1"}
    for name, level in levels.items():
        assert style(styles, name).find(f"{W}pPr/{W}outlineLvl").get(f"{W}val") == level, name
    for name in ("决算部分", "决算一级", "决算二级", "决算三级", "决算表号", "决算表题", "决算表头"):
        assert style(styles, name).find(f"{W}pPr/{W}keepNext") is not None, name
    assert style(styles, "决算正文").find(f"{W}pPr/{W}widowControl") is not None


def test_official_faces_in_styles_and_theme_zh_cn_and_no_mincho(built):
    p, _, styles = built
    faces = {"决算标题": "方正小标宋简体", "决算正文": "仿宋_GB2312", "决算一级": "黑体", "决算二级": "楷体_GB2312", "决算三级": "仿宋_GB2312"}
    for name, face in faces.items():
        assert style(styles, name).find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == face
    assert style(styles, "决算三级").find(f"{W}rPr/{W}b").get(f"{W}val") is None  # bold
    sizes = {"决算标题": "44", "决算正文": "32", "决算一级": "32"}  # 二号 22 pt, 三号 16 pt (half-points)
    for name, half in sizes.items():
        assert style(styles, name).find(f"{W}rPr/{W}sz").get(f"{W}val") == half
    lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang.get(f"{W}eastAsia") == "zh-CN"
    theme = p["word/theme/theme1.xml"].decode("utf-8")
    assert '<a:ea typeface="仿宋_GB2312"/>' in theme and '<a:ea typeface=""/>' not in theme
    fonts = {f.get(f"{W}name"): f.find(f"{W}altName") for f in xml(p["word/fontTable.xml"])}
    assert fonts["仿宋_GB2312"].get(f"{W}val") == "仿宋" and fonts["黑体"].get(f"{W}val") == "SimHei"
    for name, blob in p.items():
        if name.endswith(".xml"):
            s = blob.decode("utf-8")
            assert "明朝" not in s and "Mincho" not in s and "ゴシック" not in s, name
            assert 'w:eastAsia="ja-JP"' not in s, name
    assert "<dc:language>zh-CN</dc:language>" in p["docProps/core.xml"].decode("utf-8")
    assert "<dc:title>示例市数据资源局" in p["docProps/core.xml"].decode("utf-8")
    assert "<Application>juesuan</Application>" in p["docProps/app.xml"].decode("utf-8")


def _tables_with_orientation(doc):
    """(table, landscape?) for each body table: the section is the next sectPr after it."""
    body = doc.find(f"{W}body")
    out, pending = [], []
    for el in body:
        if el.tag == f"{W}tbl":
            pending.append(el)
        sect = el if el.tag == f"{W}sectPr" else el.find(f"{W}pPr/{W}sectPr")
        if sect is not None:
            landscape = sect.find(f"{W}pgSz").get(f"{W}orient") == "landscape"
            out += [(t, landscape) for t in pending]
            pending = []
    return out


def test_header_rows_repeat_rows_never_split_wide_tables_on_landscape_pages(built):
    _, doc, _ = built
    tables = _tables_with_orientation(doc)
    assert len(tables) == 10  # nine tables + the 附件 performance table
    landscape = [i + 1 for i, (_, wide) in enumerate(tables[:9]) if wide]
    # 公开02, 03, 04, 07 by default; the short 公开08 and 09 share 公开07's landscape page (printing._share_pages)
    assert landscape == [2, 3, 4, 7, 8, 9]
    assert tables[9][1]  # the nine-column 附件 项目支出绩效自评结果表 stands on a landscape page
    for i, (tbl, wide) in enumerate(tables):
        rows = tbl.findall(f"{W}tr")
        assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows), i
        assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None, i
        assert rows[-1].find(f"{W}trPr/{W}tblHeader") is None, i
        grid = [int(g.get(f"{W}w")) for g in tbl.find(f"{W}tblGrid")]
        # the full text width: portrait 210 − 28 − 26 = 156 mm = 8844; landscape 297 − 28 − 26 = 243 mm = 13776
        assert sum(grid) == (13776 if wide else 8844), i
        assert tbl.find(f"{W}tblPr/{W}tblLayout").get(f"{W}type") == "fixed"
    # every page section, landscape too, carries the footer with the page number
    for sect in list(doc.iter(f"{W}sectPr")):
        assert {r.get(f"{W}type") for r in sect.findall(f"{W}footerReference")} >= {"default", "even"}


def test_total_rows_span_code_and_name_and_unit_line_uses_a_tab(built):
    _, doc, styles = built
    tables = [t for t, _ in _tables_with_orientation(doc)]
    income = tables[1]
    total = next(r for r in income.findall(f"{W}tr") if text(r.find(f"{W}tc")) == "合计")
    assert total.find(f"{W}tc/{W}tcPr/{W}gridSpan").get(f"{W}val") == "2"
    basic = tables[5]
    last = basic.findall(f"{W}tr")[-1]
    spans = [(text(tc), tc.find(f"{W}tcPr/{W}gridSpan")) for tc in last.findall(f"{W}tc")]
    assert [t for t, _ in spans if t.endswith("合计")] == ["人员经费合计", "公用经费合计"]
    assert all(g is not None and g.get(f"{W}val") == "2" for t, g in spans if t.endswith("合计"))
    owner = [p for p in doc.iter(f"{W}p") if p.find(f"{W}pPr/{W}pStyle") is not None and p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "决算表头"]
    assert len(owner) == 9
    for p in owner:
        assert p.find(f".//{W}tab") is not None and "　　" not in text(p) and "金额单位" in text(p)


def test_official_row_labels_and_sangong_columns(built):
    _, doc, _ = built
    tables = [t for t, _ in _tables_with_orientation(doc)]
    first = [[text(tc) for tc in tr.findall(f"{W}tc")] for tr in tables[0].findall(f"{W}tr")]
    assert first[2][0] == "一、一般公共预算财政拨款收入" and first[2][2] == "一、一般公共服务支出"
    sangong = [[text(tc) for tc in tr.findall(f"{W}tc")] for tr in tables[6].findall(f"{W}tr")]
    assert sangong[0] == ["财政拨款“三公”经费"]
    assert sangong[1] == ["合计", "因公出国（境）费", "公务用车购置及运行维护费", "公务接待费"]
    assert sangong[3] == ["预算数", "决算数"] * 6
    # 示例单位: 三公 预算 11.00 / 决算 9.71 in total, 接待 3.00 / 2.36 (the workbook's 公开07 row)
    assert sangong[4][:2] == ["11.00", "9.71"] and sangong[4][-2:] == ["3.00", "2.36"]


def test_apply_is_idempotent_and_independent_of_the_body_text(tmp_path):
    import docx

    template = load_profile("湖南2020").template.read_bytes()
    assert apply(template) == template  # the committed template already has the look
    d = docx.Document(load_profile("上海2024").template)
    d.paragraphs[0].insert_paragraph_before("一段用户新增的文字", style="决算正文")
    d.save(tmp_path / "t.docx")
    once = apply(tmp_path / "t.docx")
    assert apply(once) == once
    centred = apply(once, Look(page_numbers="center", landscape=()))
    doc = xml(parts_from(centred)["word/document.xml"])
    assert not any(s.find(f"{W}pgSz").get(f"{W}orient") == "landscape" for s in doc.iter(f"{W}sectPr"))
    assert xml(parts_from(centred)["word/settings.xml"]).find(f"{W}evenAndOddHeaders") is None


def parts_from(data: bytes) -> dict[str, bytes]:
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def test_column_widths_by_role():
    roles = column_roles(["项目功能分类科目编码", "科目名称", "本年收入合计", "财政拨款收入"])
    assert roles == ["code", "label", "amount", "amount"]
    widths = column_widths(roles, 8844)
    # code 1000; amounts ideally 1250 each → label = 8844 − 1000 − 2 × 1250 = 5344, capped at 4400;
    # the amounts then share 8844 − 1000 − 4400 = 3444 → 1722 each
    assert widths == [1000, 4400, 1722, 1722] and sum(widths) == 8844


def test_rounding_note_only_under_the_tables_check_warns_about(tmp_path, samples):
    import docx

    out = tmp_path / "益阳.docx"
    build_book(samples / "益阳市智慧城市和大数据中心_2020.xlsx", out)
    paragraphs = docx.Document(out).paragraphs
    labels, current = [], None
    for p in paragraphs:
        if p.style.name == "决算表号":
            current = p.text.strip()
        if "尾数差异" in p.text:
            assert p.style.name == "决算表注"
            labels.append(current)
    # check warns about 尾数 in 公开01 (本年支出合计, 总计), 03 (合计), 04 (收入总计), 05 (层级), 06 (302 分组)
    assert labels == ["公开01表", "公开03表", "公开04表", "公开05表", "公开06表"]
    clean = tmp_path / "示例.docx"
    build_book(samples / "示例单位_2024.xlsx", clean)  # no 尾数 warning: no note
    assert not any("尾数差异" in p.text for p in docx.Document(clean).paragraphs)


def test_no_preview_thumbnail_in_templates_or_documents(built, tmp_path):
    import docx

    p, _, _ = built
    assert not any(n.startswith("docProps/thumbnail") for n in p)
    assert b"thumbnail" not in p["_rels/.rels"] and b'Extension="jpeg"' not in p["[Content_Types].xml"]
    # python-docx's default template carries one (an empty English Word page): apply takes it out
    docx.Document().save(tmp_path / "default.docx")
    assert "docProps/thumbnail.jpeg" in parts(tmp_path / "default.docx")
    cleaned = parts_from(apply(tmp_path / "default.docx"))
    assert "docProps/thumbnail.jpeg" not in cleaned and b"thumbnail" not in cleaned["_rels/.rels"]
    assert b'Extension="jpeg"' not in cleaned["[Content_Types].xml"]
    for name in ("上海2024", "湖南2020", "2018"):
        assert not any(n.startswith("docProps/thumbnail") for n in parts(load_profile(name).template)), name


def test_basic_expenditure_header_as_the_official_2024_template(built, tmp_path, samples):
    _, doc, _ = built
    basic = [t for t, _ in _tables_with_orientation(doc)][5]
    rows = basic.findall(f"{W}tr")
    head = [[text(tc) for tc in tr.findall(f"{W}tc")] for tr in rows if tr.find(f"{W}trPr/{W}tblHeader") is not None]
    # one header row, 经济分类 / 科目编码 broken over two lines as in the official template
    assert head == [["经济分类科目编码", "科目名称", "决算数"] * 2]
    first = rows[0].find(f"{W}tc")
    assert [el.tag for el in first.iter(f"{W}t", f"{W}br")] == [f"{W}t", f"{W}br", f"{W}t"]
    assert [text(tc) for tc in rows[1].findall(f"{W}tc")][:3] == ["301", "工资福利支出", "1,200.75"]
    # the 湖南2020 format keeps its 人员经费 | 公用经费 row above 科目编码
    out = tmp_path / "益阳.docx"
    build_book(samples / "益阳市智慧城市和大数据中心_2020.xlsx", out, profile_name="湖南2020")
    doc2 = xml(parts(out)["word/document.xml"])
    basic2 = [t for t, _ in _tables_with_orientation(doc2)][5]
    assert [[text(tc) for tc in tr.findall(f"{W}tc")] for tr in basic2.findall(f"{W}tr")[:2]] == [
        ["人员经费", "公用经费"],
        ["科目编码", "科目名称", "决算数"] * 2,
    ]


def test_toc_numbers_tables_within_their_part_and_keeps_a_title_already_numbered():
    from generator.printing import StyleInfo, _headings

    def p(style, words):
        return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{words}</w:t></w:r></w:p>'

    body = etree.fromstring(
        f'<w:body xmlns:w="{W[1:-1]}">'
        + p("part", "第二部分 表")
        + p("number", "公开01表")
        + p("title", "收入支出决算总表")
        + p("title", "没有表号的表")
        + p("number", "公开02表")
        + p("title", "二、已编号的表")
        + p("part", "第三部分 说明")
        + p("title", "收入决算表")
        + p("number", "公开03表")  # 表号 under the title also counts
        + "</w:body>"
    )
    info = StyleInfo({"决算表号": "number", "决算表题": "title"}, {"part": 0, "title": 1})
    labels = [(level, label) for _, level, label in _headings(body, info, None)]
    assert labels == [(0, ""), (1, "一、收入支出决算总表"), (1, ""), (1, ""), (0, ""), (1, "一、收入决算表")]
