"""The print layout of a template: the official look of GB/T 9704-2012 (党政机关公文格式).

``apply`` takes any of our Word templates and returns it with A4 pages and the official
margins and grid, the official fonts (named in the styles *and* the theme, with fallbacks),
outline levels, keep-with-next, a footer "— N —", a real TOC field in place of the 目录
block, repeating table header rows, explicit column widths and wide tables on landscape
pages. It keys only on stable contracts, never on the body text: the paragraph style names
(决算标题 … 决算表注), each data table's row loop ``{%tr for r in tables.<kind>.rows %}`` (the
rows above it are header rows) and the 目录 being a run of 决算目录 paragraphs. Applying it
twice gives the same bytes.

``finish`` runs on each rendered document: it fills the TOC with the document's headings
(parts, 一级 sections, table titles), merges the code and name cells of 合计/总计 rows and
puts 金额单位 on the right tab stop. ``paginate`` then asks LibreOffice where each heading
stands and writes the page numbers into the TOC (see ``generator.printing``).
"""

from __future__ import annotations

import io
import re
import tomllib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .files import zip_bytes

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
FOOTER_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
FOOTER_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


# ---- the settings a template (profile.toml [look]) may change ----------------------------------


@dataclass(frozen=True)
class Look:
    """What a profile may change; defaults follow GB/T 9704 and the issue's defaults."""

    page_numbers: str = "outside"  # "outside": odd pages right, even left (GB/T 9704); "center"
    # the wide tables (TableKind names) and ``projects``, the 附件 项目支出绩效自评结果表 (nine columns)
    landscape: tuple[str, ...] = ("income", "expenditure", "fiscal_summary", "sangong", "projects")
    rounding_note: str = "when_warned"  # "always" | "never" | "when_warned" (check warns about 尾数)
    rounding_note_text: str = "注：本表金额单位为万元，因四舍五入，部分合计数与各分项之和可能存在尾数差异。"

    @classmethod
    def from_profile(cls, folder: Path | None) -> Look:
        """The ``[look]`` table of the profile's profile.toml, where present."""
        if folder is None or not (Path(folder) / "profile.toml").exists():
            return cls()
        data = tomllib.loads((Path(folder) / "profile.toml").read_text(encoding="utf-8")).get("look", {})
        kwargs = {}
        if "page_numbers" in data:
            kwargs["page_numbers"] = "center" if str(data["page_numbers"]) in ("center", "centre", "居中") else "outside"
        if "landscape" in data:
            kwargs["landscape"] = tuple(str(k) for k in data["landscape"])
        if "rounding_note" in data:
            kwargs["rounding_note"] = str(data["rounding_note"])
        if "rounding_note_text" in data:
            kwargs["rounding_note_text"] = str(data["rounding_note_text"])
        return cls(**kwargs)


# ---- page (twips: 1 mm = 56.7 twips) -----------------------------------------------------------

A4 = (11906, 16838)
MARGINS = {"top": 2098, "bottom": 1984, "left": 1588, "right": 1474}  # 37 / 35 / 28 / 26 mm
# a landscape table page: the binding side as on portrait pages, 15 / 20 mm above and below (the footer's
# "— N —" sits 15 mm from the edge), so that a table of the official 34 rows (公开04) fits one page with its 注
LANDSCAPE_MARGINS = {"top": 850, "bottom": 1134, "left": 1588, "right": 1474}  # 15 / 20 / 28 / 26 mm
HEADER, FOOTER = 851, 1134  # 15 mm, 20 mm: "— N —" about 7 mm below the text block
LINE_PITCH = 579  # 225 mm / 22 lines
CHAR_SPACE = -842  # 156 mm / 28 characters of 三号 (16 pt)
PORTRAIT_WIDTH = A4[0] - MARGINS["left"] - MARGINS["right"]  # 8844 twips = 156 mm
LANDSCAPE_WIDTH = A4[1] - LANDSCAPE_MARGINS["left"] - LANDSCAPE_MARGINS["right"]  # 13776 = 243 mm

# ---- type -------------------------------------------------------------------------------------

# The official faces, each with the fallback Word uses where it is missing (fontTable altName).
FALLBACK = {
    "方正小标宋简体": "宋体",
    "仿宋_GB2312": "仿宋",
    "仿宋": "FangSong",
    "楷体_GB2312": "楷体",
    "楷体": "KaiTi",
    "黑体": "SimHei",
    "宋体": "SimSun",
}
LATIN = "Times New Roman"
TABLE_LINE = 210  # twips: the exact line height of table text (10.5 pt for 9 pt type)
COMPACT_STYLE, COMPACT_SIZE, COMPACT_LINE = "决算表格紧排", 8.0, 8.5  # pt: the type and exact line of a table set closer


@dataclass(frozen=True)
class Style:
    font: str
    size: float  # pt: 二号 22, 小二 18, 三号 16, 四号 14, 五号 10.5, 小五 9
    bold: bool = False
    align: str = "both"
    indent_chars: int = 0
    before: int = 0  # twips
    after: int = 0
    line: int | None = LINE_PITCH  # exact line height (twips); None = single
    outline: int | None = None  # 0 = 部分 … (Word: level 1)
    keep_next: bool = False
    grid: bool = True  # snap to the 22-line grid (tables do not)
    tabs: tuple = field(default_factory=tuple)  # (pos, kind, leader)


STYLES: dict[str, Style] = {
    "决算标题": Style("方正小标宋简体", 22, align="center", before=2400, after=600, line=None, keep_next=True),
    "决算副标题": Style("楷体_GB2312", 16, align="center", before=0, after=0, keep_next=True),
    "决算目录": Style("仿宋_GB2312", 16, align="left", tabs=((PORTRAIT_WIDTH, "right", "dot"),)),
    "决算部分": Style("黑体", 16, align="center", before=0, after=LINE_PITCH // 2, outline=0, keep_next=True),
    "决算一级": Style("黑体", 16, indent_chars=2, outline=1, keep_next=True),
    "决算二级": Style("楷体_GB2312", 16, indent_chars=2, outline=2, keep_next=True),
    "决算三级": Style("仿宋_GB2312", 16, bold=True, indent_chars=2, outline=3, keep_next=True),
    "决算正文": Style("仿宋_GB2312", 16, indent_chars=2),
    "决算表号": Style("黑体", 10.5, align="right", line=None, keep_next=True, grid=False),
    "决算表题": Style("方正小标宋简体", 18, align="center", after=120, line=None, outline=1, keep_next=True, grid=False),
    "决算表头": Style("宋体", 10.5, align="left", line=None, keep_next=True, grid=False, tabs=((PORTRAIT_WIDTH, "right", None),)),
    # an exact 10.5 pt line for 小五: rows as high in LibreOffice (whose CJK faces carry a tall line gap) as in Word,
    # so a 30-row table fits one landscape page
    "决算表格": Style("宋体", 9, align="left", line=TABLE_LINE, grid=False),
    # a table a few rows too long for its page is set closer (printing._compact switches its paragraphs to this)
    COMPACT_STYLE: Style("宋体", COMPACT_SIZE, align="left", line=int(COMPACT_LINE * 20), grid=False),
    "决算表注": Style("宋体", 9, align="left", before=60, line=None, grid=False),
}
# Word's own TOC entry styles: a refresh in Word writes the entries in these. 四号 (14 pt): at 三号 a 156 mm
# line holds 27 characters, and "九、国有资本经营预算财政拨款收入支出决算情况说明" (25) with its indent, leader
# and page number needs 30; at 四号 it takes 28 + 25 + 2 × 14 (dots) + 14 (the number) = 420 pt of 442.
TOC_STYLES = {"toc 1": ("TOC1", 0), "toc 2": ("TOC2", 2)}
TOC_SIZE = 14.0
TOC_INSTR = ' TOC \\o "1-2" \\h \\z \\u '
TOC_PLACEHOLDER = "（目录在生成文档时填写；在 Word 中可右键“更新域”。）"
FOOTER_FONT, FOOTER_SIZE = "宋体", 14  # 4号


# ---- package helpers --------------------------------------------------------------------------


def _read(data: bytes | str | Path) -> dict[str, bytes]:
    if isinstance(data, (str, Path)):
        data = Path(data).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {info.filename: zf.read(info.filename) for info in zf.infolist()}


def _xml(blob: bytes):
    return etree.fromstring(blob, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))


def _bytes(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _child(parent, tag: str, before: tuple[str, ...] = ()):
    """The child ``tag`` of ``parent``, created (before the first of ``before``) when missing."""
    found = parent.find(w(tag))
    if found is None:
        found = etree.SubElement(parent, w(tag))
        for name in before:
            anchor = parent.find(w(name))
            if anchor is not None and anchor is not found:
                anchor.addprevious(found)
                break
    return found


def _set(parent, tag: str, **attrs):
    el = _child(parent, tag)
    el.attrib.clear()
    for k, v in attrs.items():
        el.set(w(k), str(v))
    return el


# Schema order matters to Word: pPr and rPr children are written in this order.
PPR_ORDER = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
]
RPR_ORDER = [
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
]


_RANKS: dict[tuple[str, ...], dict[str, int]] = {}


def _sort(parent, order: list[str]) -> None:
    key = tuple(order)
    rank = _RANKS.get(key)
    if rank is None:
        rank = _RANKS[key] = {f"{{{W_NS}}}{name}": i for i, name in enumerate(order)}
    children = list(parent)
    ordered = sorted(children, key=lambda el: rank.get(el.tag, len(order)))
    if ordered != children:  # already in order (most): nothing to move
        for el in ordered:
            parent.append(el)


def _rfonts(rpr, east_asian: str) -> None:
    _set(rpr, "rFonts", ascii=LATIN, hAnsi=LATIN, eastAsia=east_asian, cs=LATIN, hint="eastAsia")


def _lang(rpr) -> None:
    _set(rpr, "lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA")


# ---- styles ------------------------------------------------------------------------------------


def style_ids(styles_root) -> dict[str, str]:
    """Style name → style id (Word gives Chinese-named styles ids like "a3")."""
    out = {}
    for st in styles_root.iter(w("style")):
        name = st.find(w("name"))
        if name is not None:
            out[name.get(w("val"))] = st.get(w("styleId"))
    return out


def _style_el(root, name: str, sid: str, kind: str = "paragraph"):
    for st in root.iter(w("style")):
        n = st.find(w("name"))
        if n is not None and n.get(w("val")) == name:
            return st
    st = etree.SubElement(root, w("style"))
    st.set(w("type"), kind)
    st.set(w("customStyle"), "1")
    st.set(w("styleId"), sid)
    _set(st, "name", val=name)
    return st


def _apply_style(st, spec: Style, normal_id: str | None) -> None:
    if normal_id and st.find(w("basedOn")) is None:
        name = st.find(w("name"))
        el = etree.Element(w("basedOn"))
        el.set(w("val"), normal_id)
        name.addnext(el)
    if st.find(w("qFormat")) is None:
        anchor = st.find(w("pPr"))
        el = etree.Element(w("qFormat"))
        (anchor.addprevious(el) if anchor is not None else st.append(el))
    ppr = _child(st, "pPr", ("rPr",))
    _set(ppr, "widowControl")
    _set(ppr, "overflowPunct", val=1)
    if spec.keep_next:
        _set(ppr, "keepNext")
    if spec.tabs:
        tabs = _child(ppr, "tabs")
        for t in list(tabs):
            tabs.remove(t)
        for pos, kind, leader in spec.tabs:
            tab = etree.SubElement(tabs, w("tab"))
            tab.set(w("val"), kind)
            if leader:
                tab.set(w("leader"), leader)
            tab.set(w("pos"), str(pos))
    if not spec.grid:
        _set(ppr, "snapToGrid", val=0)
    spacing = {"before": spec.before, "after": spec.after}
    if spec.line:
        spacing.update(line=spec.line, lineRule="exact")
    else:
        spacing.update(line=240, lineRule="auto")
    _set(ppr, "spacing", **spacing)
    if spec.indent_chars:
        _set(ppr, "ind", firstLineChars=spec.indent_chars * 100, firstLine=int(spec.size * 20 * spec.indent_chars))
    else:
        _set(ppr, "ind", firstLineChars=0, firstLine=0)
    _set(ppr, "jc", val=spec.align)
    if spec.outline is not None:
        _set(ppr, "outlineLvl", val=spec.outline)
    _sort(ppr, PPR_ORDER)
    rpr = _child(st, "rPr")
    _rfonts(rpr, spec.font)
    for tag in ("b", "bCs"):
        _set(rpr, tag, **({} if spec.bold else {"val": 0}))
    half = int(round(spec.size * 2))
    _set(rpr, "sz", val=half)
    _set(rpr, "szCs", val=half)
    _lang(rpr)
    _sort(rpr, RPR_ORDER)


def _styles(blob: bytes) -> bytes:
    root = _xml(blob)
    defaults = root.find(w("docDefaults"))
    if defaults is None:
        defaults = etree.Element(w("docDefaults"))
        root.insert(0, defaults)
    rpr = _child(_child(defaults, "rPrDefault"), "rPr")
    _rfonts(rpr, "仿宋_GB2312")
    for tag in ("sz", "szCs"):
        _set(rpr, tag, val=32)
    _lang(rpr)
    _sort(rpr, RPR_ORDER)
    ppr = _child(_child(defaults, "pPrDefault", ()), "pPr")
    _set(ppr, "spacing", after=0, line=240, lineRule="auto")
    _set(ppr, "overflowPunct", val=1)
    _sort(ppr, PPR_ORDER)
    ids = style_ids(root)
    normal = ids.get("Normal")
    for name, spec in STYLES.items():
        _apply_style(_style_el(root, name, ids.get(name, name)), spec, normal)
    body = STYLES["决算目录"]
    for name, (sid, indent) in TOC_STYLES.items():
        st = _style_el(root, name, ids.get(name, sid))
        st.attrib.pop(w("customStyle"), None)
        _apply_style(st, Style(body.font, TOC_SIZE, align="left", tabs=body.tabs), normal)
        ppr = st.find(w("pPr"))
        _set(ppr, "ind", leftChars=indent * 100, left=int(TOC_SIZE * 20 * indent), firstLine=0)
        _set(ppr, "snapToGrid", val=0)
        _sort(ppr, PPR_ORDER)
    # no Japanese (or other foreign) default language or face left in any style
    for lang in root.iter(w("lang")):
        if lang.get(w("eastAsia")) not in (None, "zh-CN"):
            lang.set(w("eastAsia"), "zh-CN")
    return _bytes(root)


def _styles_with_effects(blob: bytes) -> bytes:
    return re.sub(rb'w:eastAsia="(?:ja-JP|en-US)"', b'w:eastAsia="zh-CN"', blob)


FONT_TABLE = (
    ("Times New Roman", None, "roman", "02020603050405020304", "00"),
    ("宋体", "SimSun", "auto", "02010600030101010101", "86"),
    ("仿宋_GB2312", "仿宋", "modern", "02010609030101010101", "86"),
    ("仿宋", "FangSong", "modern", "02010609060101010101", "86"),
    ("楷体_GB2312", "楷体", "modern", "02010609030101010101", "86"),
    ("楷体", "KaiTi", "modern", "02010609060101010101", "86"),
    ("黑体", "SimHei", "modern", "02010609060101010101", "86"),
    ("方正小标宋简体", "宋体", "script", "02000000000000000000", "86"),
)


def _font_table(blob: bytes) -> bytes:
    """Only the faces the document uses, each with its fallback; no ＭＳ 明朝 left."""
    root = _xml(blob)
    for font in list(root):
        root.remove(font)
    for name, alt, family, panose, charset in FONT_TABLE:
        font = etree.SubElement(root, w("font"))
        font.set(w("name"), name)
        if alt:
            _set(font, "altName", val=alt)
        _set(font, "panose1", val=panose)
        _set(font, "charset", val=charset)
        _set(font, "family", val=family)
        _set(font, "pitch", val="variable" if name in ("Times New Roman", "方正小标宋简体") else "fixed")
    return _bytes(root)


def _theme(blob: bytes) -> bytes:
    text = blob.decode("utf-8")
    text = re.sub(r'<a:font script="Jpan" typeface="[^"]*"/>', "", text)
    text = re.sub(r'<a:font script="Hans" typeface="[^"]*"/>', '<a:font script="Hans" typeface="宋体"/>', text)
    major, _, minor = text.partition("<a:minorFont>")
    major = re.sub(r'<a:ea typeface="[^"]*"/>', '<a:ea typeface="黑体"/>', major)
    minor = re.sub(r'<a:ea typeface="[^"]*"/>', '<a:ea typeface="仿宋_GB2312"/>', minor)
    return (major + (_ + minor if _ else "")).encode("utf-8")


def _settings(blob: bytes, look: Look) -> bytes:
    root = _xml(blob)
    order = [
        "writeProtection",
        "view",
        "zoom",
        "removePersonalInformation",
        "removeDateAndTime",
        "doNotDisplayPageBoundaries",
        "displayBackgroundShape",
        "printPostScriptOverText",
        "printFractionalCharacterWidth",
        "printFormsData",
        "embedTrueTypeFonts",
        "embedSystemFonts",
        "saveSubsetFonts",
        "saveFormsData",
        "mirrorMargins",
        "alignBordersAndEdges",
        "bordersDoNotSurroundHeader",
        "bordersDoNotSurroundFooter",
        "gutterAtTop",
        "hideSpellingErrors",
        "hideGrammaticalErrors",
        "activeWritingStyle",
        "proofState",
        "formsDesign",
        "attachedTemplate",
        "linkStyles",
        "stylePaneFormatFilter",
        "stylePaneSortMethod",
        "documentType",
        "mailMerge",
        "revisionView",
        "trackRevisions",
        "doNotTrackMoves",
        "doNotTrackFormatting",
        "documentProtection",
        "autoFormatOverride",
        "styleLockTheme",
        "styleLockQFSet",
        "defaultTabStop",
        "autoHyphenation",
        "consecutiveHyphenLimit",
        "hyphenationZone",
        "doNotHyphenateCaps",
        "showEnvelope",
        "summaryLength",
        "clickAndTypeStyle",
        "defaultTableStyle",
        "evenAndOddHeaders",
        "bookFoldRevPrinting",
        "bookFoldPrinting",
        "bookFoldPrintingSheets",
        "drawingGridHorizontalSpacing",
        "drawingGridVerticalSpacing",
        "displayHorizontalDrawingGridEvery",
        "displayVerticalDrawingGridEvery",
        "doNotUseMarginsForDrawingGridOrigin",
        "drawingGridHorizontalOrigin",
        "drawingGridVerticalOrigin",
        "doNotShadeFormData",
        "noPunctuationKerning",
        "characterSpacingControl",
        "printTwoOnOne",
        "strictFirstAndLastChars",
        "noLineBreaksAfter",
        "noLineBreaksBefore",
        "savePreviewPicture",
        "doNotValidateAgainstSchema",
        "saveInvalidXml",
        "ignoreMixedContent",
        "alwaysShowPlaceholderText",
        "doNotDemarcateInvalidXml",
        "saveXmlDataOnly",
        "useXSLTWhenSaving",
        "saveThroughXslt",
        "showXMLTags",
        "alwaysMergeEmptyNamespace",
        "updateFields",
        "hdrShapeDefaults",
        "footnotePr",
        "endnotePr",
        "compat",
        "docVars",
        "rsids",
        "mathPr",
        "attachedSchema",
        "themeFontLang",
        "clrSchemeMapping",
        "doNotIncludeSubdocsInStats",
        "doNotAutoCompressPictures",
        "forceUpgrade",
        "captions",
        "readModeInkLockDown",
        "smartTagType",
        "schemaLibrary",
        "shapeDefaults",
        "doNotEmbedSmartTags",
        "decimalSymbol",
        "listSeparator",
    ]
    if look.page_numbers == "outside":
        _set(root, "evenAndOddHeaders")
    else:
        old = root.find(w("evenAndOddHeaders"))
        if old is not None:
            root.remove(old)
    _set(root, "updateFields", val="true")
    _set(root, "themeFontLang", val="en-US", eastAsia="zh-CN")
    old = root.find(w("savePreviewPicture"))
    if old is not None:
        root.remove(old)
    rank = {f"{{{W_NS}}}{n}": i for i, n in enumerate(order)}
    for el in sorted(root, key=lambda e: rank.get(e.tag, len(order))):
        root.append(el)
    return _bytes(root)


# ---- footers -----------------------------------------------------------------------------------


def _footer_xml(align: str, right_indent: int = 0, left_indent: int = 0, empty: bool = False) -> bytes:
    """ "— N —" in 4号 宋体: one em dash either side of the PAGE field."""
    rpr = f'<w:rPr><w:rFonts w:ascii="{FOOTER_FONT}" w:hAnsi="{FOOTER_FONT}" w:eastAsia="{FOOTER_FONT}" w:hint="eastAsia"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr>'
    ppr = (
        f'<w:pPr><w:snapToGrid w:val="0"/><w:ind w:left="{left_indent}" w:right="{right_indent}"/><w:jc w:val="{align}"/>'
        f'<w:rPr><w:sz w:val="28"/></w:rPr></w:pPr>'
    )
    runs = (
        ""
        if empty
        else (
            f'<w:r>{rpr}<w:t xml:space="preserve">— </w:t></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r><w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r><w:r>{rpr}<w:t>1</w:t></w:r><w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
            f'<w:r>{rpr}<w:t xml:space="preserve"> —</w:t></w:r>'
        )
    )
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:p>{ppr}{runs}</w:p></w:ftr>').encode()


FOOTERS = {"default": "footerOdd.xml", "even": "footerEven.xml", "first": "footerFirst.xml"}
FOOTER_RIDS = {"default": "rIdJsFtrOdd", "even": "rIdJsFtrEven", "first": "rIdJsFtrFirst"}


def _footers(parts: dict[str, bytes], look: Look) -> None:
    one_char = 280  # 4号 = 14 pt: "空一字"
    if look.page_numbers == "outside":
        parts["word/" + FOOTERS["default"]] = _footer_xml("right", right_indent=one_char)
        parts["word/" + FOOTERS["even"]] = _footer_xml("left", left_indent=one_char)
    else:
        parts["word/" + FOOTERS["default"]] = _footer_xml("center")
        parts["word/" + FOOTERS["even"]] = _footer_xml("center")
    parts["word/" + FOOTERS["first"]] = _footer_xml("center", empty=True)
    rels = _xml(parts["word/_rels/document.xml.rels"])
    present = {r.get("Id") for r in rels}
    for kind, target in FOOTERS.items():
        if FOOTER_RIDS[kind] not in present:
            rel = etree.SubElement(rels, f"{{{REL_NS}}}Relationship")
            rel.set("Id", FOOTER_RIDS[kind])
            rel.set("Type", FOOTER_REL)
            rel.set("Target", target)
    parts["word/_rels/document.xml.rels"] = _bytes(rels)
    types = _xml(parts["[Content_Types].xml"])
    names = {o.get("PartName") for o in types}
    for target in FOOTERS.values():
        if f"/word/{target}" not in names:
            o = etree.SubElement(types, f"{{{CT_NS}}}Override")
            o.set("PartName", f"/word/{target}")
            o.set("ContentType", FOOTER_CT)
    parts["[Content_Types].xml"] = _bytes(types)


def _sect_pr(landscape: bool, first: bool):
    """A section's page: size, margins, grid, the footers ("— N —"; none on a title page)."""
    sect = etree.Element(w("sectPr"))
    for kind in ("default", "even") + (("first",) if first else ()):
        ref = etree.SubElement(sect, w("footerReference"))
        ref.set(w("type"), kind)
        ref.set(f"{{{R_NS}}}id", FOOTER_RIDS[kind])
    width, height = A4
    margins = LANDSCAPE_MARGINS if landscape else MARGINS
    size = {"w": height, "h": width, "orient": "landscape"} if landscape else {"w": width, "h": height}
    _set(sect, "pgSz", **size)
    _set(
        sect,
        "pgMar",
        top=margins["top"],
        right=margins["right"],
        bottom=margins["bottom"],
        left=margins["left"],
        header=HEADER,
        footer=FOOTER if not landscape else 850,
        gutter=0,
    )
    _set(sect, "cols", space=425)
    if first:
        _set(sect, "titlePg")
    if landscape:
        _set(sect, "docGrid", type="lines", linePitch=312)
    else:
        _set(sect, "docGrid", type="linesAndChars", linePitch=LINE_PITCH, charSpace=CHAR_SPACE)
    return sect


# ---- body --------------------------------------------------------------------------------------

_TAG_ONLY = re.compile(r"^\s*\{%-?\s*p\s+(\w+).*?%\}\s*$", re.S)
_OPEN, _CLOSE = ("for", "if"), ("endfor", "endif")
_ROW_LOOP = re.compile(r"\{%-?\s*tr\s+for\s+\w+\s+in\s+tables\.(\w+)\.rows\s*-?%\}")


def _text(el) -> str:
    return "".join(t.text or "" for t in el.iter(w("t"), w("instrText")))


def _pstyle(p) -> str | None:
    ppr = p.find(w("pPr"))
    ps = ppr.find(w("pStyle")) if ppr is not None else None
    return ps.get(w("val")) if ps is not None else None


def _tag_word(p) -> str | None:
    """ "for"/"endfor"/"if"/"elif"/"else"/"endif" when ``p`` is a {%p …%} tag paragraph."""
    if p.tag != w("p"):
        return None
    m = _TAG_ONLY.match(_text(p))
    return m.group(1) if m else None


def _is_ours(p) -> bool:
    return p.get("{urn:juesuan}look") is not None


def _toc_field(body, ids: dict[str, str]) -> None:
    """Replace the 决算目录 run (with the {%p for%} tags around it) by one TOC field."""
    if any(" TOC " in (t.text or "") for t in body.iter(w("instrText"))):
        return  # already there (idempotent)
    sid = ids.get("决算目录", "决算目录")
    children = list(body)
    hits = [i for i, el in enumerate(children) if el.tag == w("p") and _pstyle(el) == sid]
    if not hits:
        return
    start, end = hits[0], hits[-1]
    # take in the {%p for/if %} … {%p endfor/endif %} tags that wrap the run (the loop that repeats it)
    while start > 0 and end + 1 < len(children) and _tag_word(children[start - 1]) in _OPEN and _tag_word(children[end + 1]) in _CLOSE:
        start, end = start - 1, end + 1
    anchor = children[start]
    p = etree.Element(w("p"))
    ppr = etree.SubElement(p, w("pPr"))
    _set(ppr, "pStyle", val=ids.get("toc 1", "TOC1"))
    for kind, text in (("begin", None), ("instr", TOC_INSTR), ("separate", None), ("text", TOC_PLACEHOLDER), ("end", None)):
        r = etree.SubElement(p, w("r"))
        if kind == "instr":
            t = etree.SubElement(r, w("instrText"))
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            t.text = text
        elif kind == "text":
            etree.SubElement(r, w("t")).text = text
        else:
            etree.SubElement(r, w("fldChar")).set(w("fldCharType"), kind)
    anchor.addprevious(p)
    for el in children[start : end + 1]:
        body.remove(el)
    # the heading of the 目录 page is not itself an entry of the 目录
    prev = p.getprevious()
    if prev is not None and prev.tag == w("p") and _pstyle(prev) == ids.get("决算部分", "决算部分"):
        ppr = _child(prev, "pPr")
        _set(ppr, "outlineLvl", val=9)
        _sort(ppr, PPR_ORDER)


@dataclass
class TableBlock:
    kind: str
    tbl: object
    start: object  # first body element of the block (its 表号 paragraph, else the table)
    stop: object | None  # the body element after the block (None: end of body)


def _table_blocks(body, ids: dict[str, str]) -> list[TableBlock]:
    """Each data table with the paragraphs that belong to it (表号 … 表注 and its tags)."""
    number, part = ids.get("决算表号", "决算表号"), ids.get("决算部分", "决算部分")
    heads = {ids.get(n, n) for n in ("决算表号", "决算表题", "决算表头")}
    children = list(body)
    tables = [(i, el) for i, el in enumerate(children) if el.tag == w("tbl") and _ROW_LOOP.search(_text(el))]
    blocks = []
    for n, (i, tbl) in enumerate(tables):
        kind = _ROW_LOOP.search(_text(tbl)).group(1)
        s = i  # the 表号/表题/编制单位 paragraphs right above the table belong to it
        while s > 0 and children[s - 1].tag == w("p") and _pstyle(children[s - 1]) in heads:
            s -= 1
        limit = tables[n + 1][0] if n + 1 < len(tables) else len(children)
        e, depth = i + 1, 0
        while e < limit and children[e].tag != w("sectPr"):
            el = children[e]
            word = _tag_word(el)
            if _is_ours(el) or (el.tag == w("p") and _pstyle(el) in (number, part) and depth == 0):
                break
            if word in _OPEN:
                depth += 1
            elif word in _CLOSE:
                if depth == 0:
                    break
                depth -= 1
            e += 1
        blocks.append(TableBlock(kind, tbl, children[s], children[e] if e < len(children) else None))
    return blocks


def _grid_texts(tbl, header_rows: int) -> list[str]:
    """The header text above each grid column (merged cells count for every column they span)."""
    cols = [g for g in tbl.find(w("tblGrid"))] if tbl.find(w("tblGrid")) is not None else []
    texts = [""] * len(cols)
    for tr in tbl.findall(w("tr"))[:header_rows]:
        c = 0
        for tc in tr.findall(w("tc")):
            span = tc.find(f"{w('tcPr')}/{w('gridSpan')}")
            n = int(span.get(w("val"))) if span is not None else 1
            for k in range(c, min(c + n, len(texts))):
                texts[k] += _text(tc)
            c += n
    return texts


def column_roles(texts: list[str]) -> list[str]:
    """code / label / amount, from the header text above each column."""
    roles = []
    for t in texts:
        if "编码" in t:
            roles.append("code")
        elif "名称" in t or t.endswith("项目") or t in ("项目", "收入项目", "支出项目"):
            roles.append("label")
        else:
            roles.append("amount")
    return roles


CODE_WIDTH = 1000  # twips (50 pt)
CELL_MARGIN = 57  # twips, left and right


def column_widths(roles: list[str], total: int) -> list[int]:
    """Code columns narrow, labels wide, amounts share the rest (twips, summing to ``total``)."""
    # a code column holds "2010399" and, on two lines, "功能分类/科目编码" (4 characters of 小五 + cell margins)
    code, amount_ideal, label_min, label_max = CODE_WIDTH, 1250, 2000, 4400
    n_code, n_label, n_amount = roles.count("code"), roles.count("label"), roles.count("amount")
    rest = total - n_code * code
    if n_label:
        label = (rest - n_amount * amount_ideal) // n_label
        label = max(label_min, min(label_max, label))
        amount = (rest - n_label * label) // n_amount if n_amount else 0
        if n_amount == 0:
            label = rest // n_label
    else:
        label, amount = 0, rest // max(1, n_amount)
    widths = [code if r == "code" else label if r == "label" else amount for r in roles]
    widths[-1] += total - sum(widths)
    return widths


def _cell_widths(tbl, widths: list[int]) -> None:
    for tr in tbl.findall(w("tr")):
        c = 0
        for tc in tr.findall(w("tc")):
            tcpr = tc.find(w("tcPr"))
            if tcpr is None:
                tcpr = etree.Element(w("tcPr"))
                tc.insert(0, tcpr)
            span = tcpr.find(w("gridSpan"))
            n = int(span.get(w("val"))) if span is not None else 1
            tcw = tcpr.find(w("tcW"))
            if tcw is None:
                tcw = etree.Element(w("tcW"))
                tcpr.insert(0, tcw)
            tcw.attrib.clear()
            tcw.set(w("w"), str(sum(widths[c : c + n])))
            tcw.set(w("type"), "dxa")
            c += n


def _row_props(tr, header: bool) -> None:
    trpr = tr.find(w("trPr"))
    if trpr is None:
        trpr = etree.Element(w("trPr"))
        tc = tr.find(w("tc"))
        (tc.addprevious(trpr) if tc is not None else tr.append(trpr))
    _set(trpr, "cantSplit")
    if header:
        _set(trpr, "tblHeader")
    order = ["cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter", "cantSplit", "trHeight", "tblHeader", "tblCellSpacing", "jc", "hidden"]
    rank = {f"{{{W_NS}}}{n}": i for i, n in enumerate(order)}
    for el in sorted(trpr, key=lambda e: rank.get(e.tag, len(order))):
        trpr.append(el)


TBLPR_ORDER = [
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
]


def _table_props(tbl, width: int, header_rows: int) -> None:
    tblpr = tbl.find(w("tblPr"))
    _set(tblpr, "tblW", w=width, type="dxa")
    _set(tblpr, "jc", val="center")
    _set(tblpr, "tblInd", w=0, type="dxa")
    _set(tblpr, "tblLayout", type="fixed")
    cm = _child(tblpr, "tblCellMar")
    for side in ("left", "right"):
        _set(cm, side, w=57, type="dxa")
    _sort(tblpr, TBLPR_ORDER)
    rows = tbl.findall(w("tr"))
    for r, tr in enumerate(rows):
        _row_props(tr, r < header_rows)
        if r < header_rows:  # a header never stays alone at the foot of a page
            for p in tr.iter(w("p")):
                ppr = _child(p, "pPr", ("r",))
                if p.find(w("pPr")) is not p[0]:
                    p.insert(0, ppr)
                _set(ppr, "keepNext")
                _sort(ppr, PPR_ORDER)


def head_break(text: str) -> int | None:
    """Where a code column's header breaks onto its second line, or None: "功能分类/科目编码"
    as in the official template (the column is four characters of 小五 wide; left alone, a layout
    engine would break it inside a word: "功能分类科/目编码")."""
    if text.endswith("科目编码") and len(text) > 4:
        return len(text) - 4
    return None


def _break_head(tc) -> None:
    """A line break at :func:`head_break`'s point (the text in one run; idempotent)."""
    if tc.find(f".//{w('br')}") is not None:
        return
    ts = list(tc.iter(w("t")))
    if len(ts) != 1 or not ts[0].text:
        return
    at = head_break(ts[0].text)
    if at is None:
        return
    t = ts[0]
    text = t.text
    t.text = text[:at]
    br = etree.Element(w("br"))
    rest = etree.Element(w("t"))
    rest.text = text[at:]
    t.addnext(br)
    br.addnext(rest)


def _break_heads(tbl, header_rows: int) -> None:
    for tr in tbl.findall(w("tr"))[:header_rows]:
        for tc in tr.findall(w("tc")):
            _break_head(tc)


def _format_table(tbl, width: int) -> None:
    rows = tbl.findall(w("tr"))
    header_rows = next((i for i, tr in enumerate(rows) if _ROW_LOOP.search(_text(tr)) or "{%tr" in _text(tr) or "{%" in _text(tr)), len(rows))
    _break_heads(tbl, header_rows)
    roles = column_roles(_grid_texts(tbl, header_rows))
    widths = column_widths(roles, width)
    grid = tbl.find(w("tblGrid"))
    for g, wd in zip(grid.findall(w("gridCol")), widths, strict=False):
        g.set(w("w"), str(wd))
    _cell_widths(tbl, widths)
    _table_props(tbl, width, header_rows)


_LIST_LOOP = re.compile(r"\{%-?\s*tr\s+for\s+\w+\s+in\s+(\w+)\s*-?%\}")


def _other_tables(body, data_tables: set, wide: set[str] = frozenset()) -> None:
    """Other tables (the 附件 performance table): widths by content, header row repeats. A table whose
    row loop runs over a list named in ``wide`` (``projects``: the nine-column 项目支出绩效自评结果表) is
    set to the landscape width: ``printing.finish`` gives it a landscape section when it is there."""
    for tbl in body.iter(w("tbl")):
        if tbl in data_tables:
            continue
        rows = tbl.findall(w("tr"))
        if not rows or tbl.find(w("tblGrid")) is None:
            continue
        heads = [_text(tc) for tc in rows[0].findall(w("tc"))]
        loop = _LIST_LOOP.search(_text(tbl))
        total = LANDSCAPE_WIDTH if loop and loop.group(1) in wide else PORTRAIT_WIDTH
        widths = content_widths(heads, total)
        grid = tbl.find(w("tblGrid"))
        if len(grid.findall(w("gridCol"))) != len(widths):
            continue
        for g, wd in zip(grid.findall(w("gridCol")), widths, strict=False):
            g.set(w("w"), str(wd))
        _cell_widths(tbl, widths)
        _table_props(tbl, total, 1)


# Columns of figures take what their widest entry needs (小五, cell margins included): a 序号 "10",
# a score "100", an amount "12,345.67" (its header breaks before the bracket: "全年预算数" fits one
# line, "（万元）" takes the next), a rate "100.00%". Text columns share the rest by weight.
FIXED_WIDTHS = (("序号", 480), ("得分", 560), ("率", 980), ("万元", 1060), ("金额", 1060))


def _content_weight(head: str) -> float:
    if "名称" in head:
        return 2.0
    if "情况" in head or "问题" in head or "措施" in head:
        return 3.0
    return 1.3


def content_widths(heads: list[str], total: int) -> list[int]:
    """Widths (twips, summing to ``total``) for a table of mixed text and figure columns."""
    fixed = [next((wd for key, wd in FIXED_WIDTHS if key in h), None) for h in heads]
    rest = total - sum(x for x in fixed if x)
    weights = [_content_weight(h) if x is None else 0 for h, x in zip(heads, fixed, strict=True)]
    if rest <= 0 or not sum(weights):  # too many figure columns: all by weight, as before
        weights = [_content_weight(h) for h in heads]
        fixed, rest = [None] * len(heads), total
    widths = [x if x else int(rest * wt / sum(weights)) for x, wt in zip(fixed, weights, strict=True)]
    widths[-1] += total - sum(widths)
    return widths


def _marker(el) -> None:
    el.set("{urn:juesuan}look", "1")


def _section_break(sect) -> object:
    """A tiny paragraph that ends a section (survives rendering: it holds no tag)."""
    p = etree.Element(w("p"))
    ppr = etree.SubElement(p, w("pPr"))
    _set(ppr, "spacing", before=0, after=0, line=20, lineRule="exact")
    ppr.append(sect)
    rpr = etree.SubElement(ppr, w("rPr"))
    _set(rpr, "sz", val=2)
    _sort(ppr, PPR_ORDER)
    return p


def _remove_our_breaks(body) -> None:
    for p in list(body):
        if p.tag == w("p") and p.find(f"{w('pPr')}/{w('sectPr')}") is not None and p.find(w("r")) is None:
            spacing = p.find(f"{w('pPr')}/{w('spacing')}")
            if spacing is not None and spacing.get(w("line")) == "20":
                body.remove(p)


def _document(blob: bytes, look: Look, ids: dict[str, str]) -> bytes:
    root = _xml(blob)
    body = root.find(w("body"))
    if body is not None:
        _layout_body(body, look, ids)
    return _bytes(root)


def _layout_body(body, look: Look, ids: dict[str, str]) -> None:
    _remove_our_breaks(body)  # idempotent: section breaks are recomputed each time
    _toc_field(body, ids)
    blocks = _table_blocks(body, ids)
    wide = set(look.landscape)
    # landscape sections: a portrait break before each run of wide tables, a landscape one after
    runs: list[list[TableBlock]] = []
    for b in blocks:
        if b.kind in wide:
            if runs and runs[-1][-1].stop is b.start:
                runs[-1].append(b)
            else:
                runs.append([b])
    breaks = []
    for run in runs:
        breaks.append((run[0].start, "before", False))
        last = run[-1]
        breaks.append((last.stop, "before", True) if last.stop is not None else (body.find(w("sectPr")), "before", True))
    first = True
    for anchor, _, landscape in breaks:
        p = _section_break(_sect_pr(landscape, first))
        _marker(p)
        anchor.addprevious(p)
        first = False
    for p in body.iter(w("p")):
        p.attrib.pop("{urn:juesuan}look", None)
    final = body.find(w("sectPr"))
    new = _sect_pr(False, first)
    if final is not None:
        body.replace(final, new)
    else:
        body.append(new)
    # tables: widths by role, header rows repeat, rows never split
    landscape_tables = {b.tbl for b in blocks if b.kind in wide}
    for b in blocks:
        _format_table(b.tbl, LANDSCAPE_WIDTH if b.tbl in landscape_tables else PORTRAIT_WIDTH)
    _other_tables(body, {b.tbl for b in blocks}, wide)
    # the 编制单位/金额单位 line of a landscape table: its right tab stop at the wider edge
    owner = ids.get("决算表头", "决算表头")
    for b in blocks:
        if b.tbl not in landscape_tables:
            continue
        el = b.start
        while el is not None and el is not b.tbl:
            if el.tag == w("p") and _pstyle(el) == owner:
                ppr = _child(el, "pPr")
                tabs = _child(ppr, "tabs")
                for t in list(tabs):
                    tabs.remove(t)
                tab = etree.SubElement(tabs, w("tab"))
                tab.set(w("val"), "clear")
                tab.set(w("pos"), str(PORTRAIT_WIDTH))
                tab = etree.SubElement(tabs, w("tab"))
                tab.set(w("val"), "right")
                tab.set(w("pos"), str(LANDSCAPE_WIDTH))
                _sort(ppr, PPR_ORDER)
            el = el.getnext()


def _app(blob: bytes) -> bytes:
    text = blob.decode("utf-8")
    text = re.sub(r"<Application>.*?</Application>", "<Application>juesuan</Application>", text)
    text = re.sub(r"<AppVersion>.*?</AppVersion>", "", text)
    text = re.sub(r"<Template>.*?</Template>", "", text)
    return text.encode("utf-8")


def _core(blob: bytes) -> bytes:
    text = blob.decode("utf-8")
    if "<dc:language>" not in text:
        text = text.replace("</cp:coreProperties>", "<dc:language>zh-CN</dc:language></cp:coreProperties>")
    return text.encode("utf-8")


THUMBNAIL_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"


def _drop_thumbnail(parts: dict[str, bytes]) -> None:
    """No preview picture: python-docx's default template carries a thumbnail of an empty
    English Word page, which file browsers would show for every document."""
    if "_rels/.rels" not in parts:
        return
    rels = _xml(parts["_rels/.rels"])
    gone = []
    for rel in list(rels):
        if rel.get("Type") == THUMBNAIL_REL:
            gone.append((rel.get("Target") or "").lstrip("/"))
            rels.remove(rel)
    if not gone:
        return
    parts["_rels/.rels"] = _bytes(rels)
    for name in gone:
        parts.pop(name, None)
    types = _xml(parts["[Content_Types].xml"])
    for el in list(types):
        if el.get("PartName", "").lstrip("/") in gone:
            types.remove(el)
        elif el.get("Extension") and not any(n.lower().endswith("." + el.get("Extension").lower()) for n in parts if n != "[Content_Types].xml"):
            if el.get("Extension").lower() not in ("rels", "xml"):
                types.remove(el)  # "jpeg" was there for the thumbnail only
    parts["[Content_Types].xml"] = _bytes(types)


def apply(template: bytes | str | Path, look: Look | None = None) -> bytes:
    """The template with the official look; idempotent, independent of the body's text."""
    look = look or Look()
    parts = _read(template)
    parts["word/styles.xml"] = _styles(parts["word/styles.xml"])
    ids = style_ids(_xml(parts["word/styles.xml"]))
    if "word/stylesWithEffects.xml" in parts:
        parts["word/stylesWithEffects.xml"] = _styles_with_effects(parts["word/stylesWithEffects.xml"])
    if "word/fontTable.xml" in parts:
        parts["word/fontTable.xml"] = _font_table(parts["word/fontTable.xml"])
    if "word/theme/theme1.xml" in parts:
        parts["word/theme/theme1.xml"] = _theme(parts["word/theme/theme1.xml"])
    parts["word/settings.xml"] = _settings(parts["word/settings.xml"], look)
    if "docProps/app.xml" in parts:
        parts["docProps/app.xml"] = _app(parts["docProps/app.xml"])
    if "docProps/core.xml" in parts:
        parts["docProps/core.xml"] = _core(parts["docProps/core.xml"])
    _footers(parts, look)
    _drop_thumbnail(parts)
    parts["word/document.xml"] = _document(parts["word/document.xml"], look, ids)
    return zip_bytes(sorted(parts.items(), key=lambda kv: (kv[0] != "[Content_Types].xml", kv[0])))
