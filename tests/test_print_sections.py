"""Print layout left open after the first reviewer pass (issue 12, layout): the nine-column 附件 table on
a landscape page of its own, 目录 entries that stand on one line with an unbroken leader, and commas that
LibreOffice kept hanging past the margin (and so dropped from the PDF).

The samples are built with templates bootstrapped afresh (template_builder + official_look), so the rules
are tested on the code, not on the committed templates; the .docx is read back, and the page tests lay the
pages out with LibreOffice (skipped where it is missing).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile

import pytest
from lxml import etree

from generator import pdf, printing
from generator.init_book import write_book
from generator.official_look import PORTRAIT_WIDTH, TOC_SIZE
from generator.pipeline import build_book
from generator.profiles import load_profile
from generator.synthetic import synthetic_book
from generator.template_builder import build as build_template

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
DEMO, YIYANG = "示例单位_2024", "益阳市智慧城市和大数据中心_2020"
PROFILES = {DEMO: "上海2024", YIYANG: "湖南2020"}
NO_ANNEX = "无附件单位"
CENTRAL = "中央2024格式"  # the 2024 sample in the 中央2024 format: 公开07 政府性基金, 08 国有资本经营, 09 “三公” (landscape)


def _text(el) -> str:
    return "".join(t.text or "" for t in el.iter(f"{W}t"))


def _style(p) -> str | None:
    ps = p.find(f"{W}pPr/{W}pStyle")
    return ps.get(f"{W}val") if ps is not None else None


def _landscape(sect) -> bool:
    return sect.find(f"{W}pgSz").get(f"{W}orient") == "landscape"


def _sect_of(el):
    while el is not None:
        if el.tag == f"{W}sectPr":
            return el
        found = el.find(f"{W}pPr/{W}sectPr") if el.tag == f"{W}p" else None
        if found is not None:
            return found
        el = el.getnext()
    return None


@pytest.fixture(scope="module")
def built(tmp_path_factory, samples):
    folder = tmp_path_factory.mktemp("sections")
    templates = {}
    for name in set(PROFILES.values()) | {"中央2024"}:
        templates[name] = folder / f"{name}.docx"
        build_template(load_profile(name), templates[name])
    out = {}
    for stem, name in PROFILES.items():
        docx = folder / f"{stem}.docx"
        build_book(samples / f"{stem}.xlsx", docx, profile_name=name, template=templates[name])
        out[stem] = docx
    # a unit with neither a 绩效 project list nor attachments: the 附件 part is not in its document
    book = synthetic_book(5)
    book["performance"]["projects"] = []
    path = write_book(folder / f"{NO_ANNEX}.xlsx", book)
    out[NO_ANNEX] = folder / f"{NO_ANNEX}.docx"
    build_book(path, out[NO_ANNEX], profile_name="上海2024", template=templates["上海2024"])
    out[CENTRAL] = folder / f"{CENTRAL}.docx"
    build_book(samples / f"{DEMO}.xlsx", out[CENTRAL], profile_name="中央2024", template=templates["中央2024"])
    return out


def _body(docx):
    with zipfile.ZipFile(docx) as zf:
        return etree.fromstring(zf.read("word/document.xml")).find(f"{W}body"), etree.fromstring(zf.read("word/styles.xml"))


# ---- 1. the 附件 table on a landscape page ------------------------------------------------------------


def test_the_annex_table_has_a_landscape_section_of_its_own(built):
    for stem in (DEMO, YIYANG):
        body, _ = _body(built[stem])
        (annex,) = [t for t in body.iterchildren(f"{W}tbl") if "自评得分" in _text(t.find(f"{W}tr"))]
        sect = _sect_of(annex)
        assert _landscape(sect), stem
        # the landscape section opens with the part heading: the paragraph above it (the last 名词解释 entry, no
        # empty paragraph added) ends the portrait pages
        start = annex
        while start.getprevious().find(f"{W}pPr/{W}sectPr") is None:
            start = start.getprevious()
        assert _text(start) == "第五部分\u3000附件", stem
        ended = start.getprevious()
        assert _style(ended) == "决算正文" and _text(ended).strip(), stem
        assert not _landscape(ended.find(f"{W}pPr/{W}sectPr")), stem
        # no page break of its own: the section break starts the page (LibreOffice would leave a blank page)
        assert start.find(f"{W}pPr/{W}pageBreakBefore") is None, stem
        # it holds the 附件1 mark, the title and the table, and ends right after the table
        assert [_text(p) for p in start.itersiblings() if p.tag == f"{W}p"][:2] == ["附件1", f"{stem[-4:]}年度项目支出绩效自评结果表"]
        assert printing._is_break(annex.getnext()) or annex.getnext().tag == f"{W}sectPr", stem
        # the table spans the landscape text width: 297 − 28 − 26 = 243 mm = 13776 twips
        assert sum(int(g.get(f"{W}w")) for g in annex.find(f"{W}tblGrid")) == 13776


def test_every_section_numbers_its_pages_on_with_the_same_footers(built):
    for stem in (DEMO, YIYANG, NO_ANNEX):
        body, _ = _body(built[stem])
        sects = list(body.iter(f"{W}sectPr"))
        final = sects[-1]
        footers = {r.get(f"{W}type"): r.get(f"{R}id") for r in final.findall(f"{W}footerReference") if r.get(f"{W}type") != "first"}
        assert set(footers) == {"default", "even"}, stem
        for k, sect in enumerate(sects):
            # the page numbers run on: no section restarts them
            assert sect.find(f"{W}pgNumType") is None or sect.find(f"{W}pgNumType").get(f"{W}start") is None, (stem, k)
            refs = {r.get(f"{W}type"): r.get(f"{R}id") for r in sect.findall(f"{W}footerReference")}
            assert {t: refs.get(t) for t in footers} == footers, (stem, k)
            # only the first section (the cover) has a first page without a number
            assert (sect.find(f"{W}titlePg") is not None) == (k == 0), (stem, k)


def test_without_the_annex_part_no_landscape_section_is_added(built):
    body, _ = _body(built[NO_ANNEX])
    assert not any("附件" in _text(p) for p in body.iterchildren(f"{W}p") if _style(p) == "决算部分")
    (part3,) = [p for p in body.iterchildren(f"{W}p") if _style(p) == "决算部分" and _text(p).startswith("第三部分")]
    # after the tables' sections, the rest of the document is one portrait section: no break, no empty page
    assert not [p for p in part3.itersiblings() if p.tag == f"{W}p" and p.find(f"{W}pPr/{W}sectPr") is not None]
    assert not _landscape(body.find(f"{W}sectPr"))


# ---- 3. short tables share a page -----------------------------------------------------------------------


def _numbered_tables(body) -> dict[str, tuple]:
    """{"公开07表": (表号 paragraph, table)} for the numbered tables."""
    out = {}
    for tbl in body.iterchildren(f"{W}tbl"):
        el = tbl.getprevious()
        while el is not None and _style(el) in ("决算表题", "决算表头"):
            el = el.getprevious()
        if el is not None and _style(el) == "决算表号":
            out[_text(el)] = (el, tbl)
    return out


def test_short_tables_after_a_landscape_one_share_its_page(built):
    body, _ = _body(built[DEMO])
    tables = _numbered_tables(body)
    # 公开07 (4 header rows and one row: 55 pt + 64 pt of title lines + a 16 pt 注 = 135 pt), 公开08 (5 rows at
    # landscape width, 167 pt) and 公开09 (150 pt with its 说明): 135 + 18 + 167 + 18 + 150 = 488 pt ≤ 496 pt
    # of a landscape page (210 − 15 − 20 mm): one page, one section
    sects = {n: _sect_of(tables[n][1]) for n in ("公开07表", "公开08表", "公开09表")}
    assert len(set(map(id, sects.values()))) == 1 and _landscape(sects["公开07表"])
    assert tables["公开07表"][0].find(f"{W}pPr/{W}pageBreakBefore") is not None
    for n in ("公开08表", "公开09表"):
        number, tbl = tables[n]
        assert number.find(f"{W}pPr/{W}pageBreakBefore") is None, n  # it goes on under the table above
        assert number.find(f"{W}pPr/{W}spacing").get(f"{W}before") == "360", n  # 18 pt between the tables
        assert sum(int(g.get(f"{W}w")) for g in tbl.find(f"{W}tblGrid")) == 13776, n  # as wide as the page
    # 公开06 (55 rows set closer) still starts its own page and keeps its portrait section
    assert tables["公开06表"][0].find(f"{W}pPr/{W}pageBreakBefore") is not None
    assert not _landscape(_sect_of(tables["公开06表"][1]))


def test_a_short_landscape_table_takes_the_portrait_page_before_it_into_its_section(built):
    body, _ = _body(built[CENTRAL])
    tables = _numbered_tables(body)
    # 中央2024: 公开07 and 公开08 (portrait, short) share a page; the one-row “三公” table 公开09 is landscape:
    # the section break moves above 公开07 and the three stand on one landscape page
    sects = {n: _sect_of(tables[n][1]) for n in ("公开07表", "公开08表", "公开09表")}
    assert len(set(map(id, sects.values()))) == 1 and _landscape(sects["公开09表"])
    assert printing._is_break(tables["公开07表"][0].getprevious())
    assert [tables[n][0].find(f"{W}pPr/{W}pageBreakBefore") is None for n in ("公开07表", "公开08表", "公开09表")] == [False, True, True]


# ---- 4. the 目录 --------------------------------------------------------------------------------------


def test_toc_entries_are_sized_to_stand_on_one_line(built):
    line = PORTRAIT_WIDTH / 20  # 442 pt
    for stem in (DEMO, YIYANG):
        body, styles = _body(built[stem])
        sizes = {}
        for st in styles.iter(f"{W}style"):
            if st.get(f"{W}styleId") in ("TOC1", "TOC2"):
                sizes[st.get(f"{W}styleId")] = int(st.find(f"{W}rPr/{W}sz").get(f"{W}val")) / 2
        assert sizes == {"TOC1": TOC_SIZE, "TOC2": TOC_SIZE}  # 四号
        entries = [p for p in body.iterchildren(f"{W}p") if _style(p) in ("TOC1", "TOC2")]
        assert len(entries) > 25
        for p in entries:
            run = p.find(f"{W}hyperlink/{W}r")
            sz = run.find(f"{W}rPr/{W}sz")
            size = int(sz.get(f"{W}val")) / 2 if sz is not None else sizes[_style(p)]
            indent = 2 if _style(p) == "TOC2" else 0
            # the text, its indent, two characters of dots and a three-digit number fit the 442 pt line
            need = printing.text_width(_text(run), size) + (indent + 2) * size + 3 * 0.65 * size
            assert need <= line, (stem, _text(run), size, need)
    # "第三部分　益阳市智慧城市和大数据中心2020年度部门决算情况说明": 25 CJK + a space + 4 digits ≈ 29.8 em + 2 em of
    # dots + 1.95 em of number = 33.7 em: 442 / 33.7 = 13.1 pt → 12.5 pt (half points); shorter entries stay at 四号
    assert printing.toc_size("第三部分 益阳市智慧城市和大数据中心2020年度部门决算情况说明", 0) == 12.5
    assert printing.toc_size("九、国有资本经营预算财政拨款收入支出决算情况说明", 1) == 14.0
    assert printing.toc_size("甲" * 60, 0) == printing.TOC_MIN_SIZE  # no smaller than 五号: the rest wraps


# ---- 5. no hanging punctuation ------------------------------------------------------------------------


def test_paragraph_styles_forbid_hanging_punctuation(built):
    # LibreOffice maps w:overflowPunct inverted (ParaIsHangingPunctuation = overflowPunct == 0) and lets a
    # hanging "，" run past the margin, where the PDF loses it; w:overflowPunct="1" is Word's own default
    _, styles = _body(built[DEMO])
    names = ["决算正文", "决算一级", "决算二级", "决算三级", "决算部分", "决算表格", "决算表注", "toc 1", "toc 2"]
    for st in styles.iter(f"{W}style"):
        name = st.find(f"{W}name").get(f"{W}val")
        if name in names:
            el = st.find(f"{W}pPr/{W}overflowPunct")
            assert el is not None and el.get(f"{W}val") == "1", name
            names.remove(name)
    assert not names
    default = styles.find(f"{W}docDefaults/{W}pPrDefault/{W}pPr/{W}overflowPunct")
    assert default is not None and default.get(f"{W}val") == "1"


# ---- the pages, as LibreOffice lays them out -----------------------------------------------------------

needs_soffice = pytest.mark.skipif(
    pdf.soffice() is None or shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
    reason="LibreOffice (soffice) or poppler-utils (pdftotext, pdfinfo) is not installed here",
)


@pytest.fixture(scope="module")
def printed(built):
    out = {}
    for stem, docx in built.items():
        path, _ = pdf.print_pdf(docx)
        data = path.read_bytes()
        info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(path)], capture_output=True, text=True, check=True).stdout
        sizes = [tuple(float(x) for x in m) for m in re.findall(r"Page\s+\d+\s+size:\s+([\d.]+) x ([\d.]+)", info)]
        raw = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout.decode("utf-8")
        out[stem] = (docx.read_bytes(), printing.pdf_pages(data), sizes, raw)
    return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@needs_soffice
def test_printed_annex_page_is_landscape_and_numbers_run_on(printed):
    for stem in (DEMO, YIYANG):
        _, pages, sizes, _ = printed[stem]
        assert len(sizes) == len(pages)
        annex = [i for i, p in enumerate(pages) if all(h in p for h in ("序号", "执行率", "存在问题", "改进措施"))]  # its header repeats
        k = annex[0]
        assert all(sizes[i][0] > sizes[i][1] for i in annex), stem  # wider than high
        assert sizes[k - 1][0] < sizes[k - 1][1], stem  # the 名词解释 page before it is portrait
        assert "第五部分" in _squash(pages[k]) and "附件1" in _squash(pages[k])
        for n, page in enumerate(pages[1:], 2):
            assert re.search(rf"—\s*{n}\s*—", page), (stem, n)
        if annex[-1] + 1 < len(pages):  # 附件2 (a report) is back on a portrait page
            assert sizes[annex[-1] + 1][0] < sizes[annex[-1] + 1][1], stem


@needs_soffice
def test_printed_short_tables_share_one_landscape_page(printed):
    for stem in (DEMO, YIYANG, CENTRAL):
        _, pages, sizes, _ = printed[stem]
        # the first page naming each table is its own (the 说明 may cite “公开08表” later on)
        at = {n: next(i for i, p in enumerate(pages) if f"公开0{n}表" in _squash(p)) for n in (7, 8, 9)}
        assert at[7] == at[8] == at[9], (stem, at)
        w, h = sizes[at[7]]
        assert w > h, stem


@needs_soffice
def test_printed_document_without_the_annex_ends_portrait_with_no_empty_page(printed):
    _, pages, sizes, _ = printed[NO_ANNEX]
    assert all(w < h for w, h in sizes[-3:])
    for n, page in enumerate(pages[1:], 2):
        assert re.sub(r"—\s*\d+\s*—", "", page).strip(), n  # something on every page besides its number


@needs_soffice
def test_printed_toc_entries_one_line_each_with_an_unbroken_leader(printed):
    for stem in (DEMO, YIYANG):
        docx, pages, _, _ = printed[stem]
        entries = printing.toc_entries(docx)
        numbers = printing.toc_pages(docx)
        toc = [p for p in pages[1 : numbers[0] - 1]]
        lines = [line.strip() for page in toc for line in page.splitlines() if line.strip()]
        lines = [line for line in lines if not re.fullmatch(r"—\s*\d+\s*—", line) and _squash(line) != "目录"]
        assert len(lines) == len(entries), (stem, lines)
        for line, entry, number in zip(lines, entries, numbers, strict=True):
            # "三、支出决算表........7": the entry, a run of at least three dots, its page number — on one line
            m = re.fullmatch(r"(.+?)\.{3,}(\d+)", _squash(line))
            assert m and m.group(1) == _squash(entry.shown) and int(m.group(2)) == number, (stem, line)


@needs_soffice
def test_printed_commas_all_survive(printed):
    for stem in (DEMO, YIYANG):
        docx, _, _, printed_text = printed[stem]  # pdftotext without -layout: narrow table columns lose no characters
        with zipfile.ZipFile(io.BytesIO(docx)) as zf:
            words = "".join(t.text or "" for t in etree.fromstring(zf.read("word/document.xml")).iter(f"{W}t"))
        # every full-width comma of the document is printed (a hanging one at a justified line's end was lost)
        assert printed_text.count("，") == words.count("，") > 100, stem
    # the sentence that lost its comma in the 2024 sample's 名词解释 ("……各项收入[，]本单位主要是……"), where it still reads so
    docx, _, _, printed_text = printed[DEMO]
    words = _squash("".join(t.text or "" for t in etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml")).iter(f"{W}t")))
    if "以外的各项收入，本单位主要是" in words:
        assert "以外的各项收入，本单位主要是" in _squash(printed_text)
