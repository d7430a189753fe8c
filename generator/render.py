"""Render: the profile's Word template holds the document's whole text; this fills it.

One Jinja render of the template's body gives the document. Filters (phrasing) embed the
figures with invisible markers; one pass over the rendered paragraphs then records each
paragraph's text and the figures it quotes (trace sidecar, ``diff``), strips the markers and
turns every 【待补充：…】 into a bold, yellow-highlighted run (a real ``w:highlight``).

Two traps are handled here: docxtpl renders with autoescape off by default, which silently
cuts a paragraph at the first "&" or "<" of a cell's text — we render in a sandboxed Jinja
environment with autoescape on; and python-docx stamps every zip entry with the current
time — we rewrite the package with a fixed timestamp, so the same input gives the same bytes.
A template is linted before it is used (``check_template``): a mistake in it is a list of
clear lines naming the paragraph, never a traceback.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from html import escape, unescape  # not xml.sax.saxutils: it imports urllib.request, http and ssl (~25 ms a start)
from pathlib import Path

from jinja2 import ChainableUndefined, TemplateError, TemplateSyntaxError, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from . import charts, template_cache
from .errors import InputError
from .figures import Figures
from .files import Member, member, normalize_zip, zip_bytes
from .layouts import layout, money, rows_for
from .model import TableKind, UnitAccounts
from .narrative import NUMBERING, TOC_MARK, Narrative, Part, known_name
from .narrative import context as names_context
from .phrasing import CLOSE, OPEN, PENDING, PHRASER, SEP, Paragraph, Phraser, template_filters
from .profiles import Profile
from .sandbox import MAX_TEMPLATE_BYTES, bounded_environment, check_template_file

_PENDING = re.compile(re.escape(PENDING) + r"[^】<]*】")
_MARKER = re.compile(f"{OPEN}[^{SEP}]*{SEP}|{CLOSE}")
_BLOCK = re.compile(r"<w:p(?:\s[^>]*)?/>|<w:p(?:\s[^>]*)?>.*?</w:p>", re.S)
_TEXT = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")
_PSTYLE = re.compile(r'<w:pStyle w:val="([^"]*)"')
_PPR = re.compile(r"<w:pPr>.*?</w:pPr>", re.S)
_RUN_WITH_PENDING = re.compile(r"<w:r(?:\s[^>]*)?>(?:(?!</w:r>).)*?" + re.escape(PENDING) + r".*?</w:r>", re.S)
_NUMBER = re.compile(r"^(第[一二三四五六七八九十]+部分　*|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[．、.])")
HIGHLIGHT = '<w:r><w:rPr><w:b/><w:highlight w:val="yellow"/></w:rPr><w:t xml:space="preserve">%s</w:t></w:r>'

# paragraph style (name) -> role in the narrative; table frames and front matter are not narrative
ROLES = {
    "决算标题": "title",
    "决算副标题": "subtitle",
    "决算目录": "toc",
    "决算部分": "part",
    "决算一级": "h1",
    "决算二级": "h2",
    "决算三级": "h3",
    "决算表号": "table",
    "决算表题": "table",
    "决算表头": "table",
    "决算表注": "table",
    "决算表格": "table",
}
REQUIRED_STYLES = tuple(ROLES) + ("决算正文",)


def empty_note(kind: TableKind, model: UnitAccounts) -> str:
    t = model.table(kind)
    if kind not in (TableKind.gov_fund, TableKind.state_capital) or (t is not None and not t.is_empty):
        return ""
    fund = "政府性基金" if kind is TableKind.gov_fund else "国有资本经营"
    return f"说明：{model.unit.name}本年度没有{fund}预算财政拨款收入和支出，故本表无数据。"


def table_context(model: UnitAccounts, profile: Profile) -> dict:
    tables = {}
    for kind in profile.tables:
        lay = layout(kind, profile.variant)
        tables[kind.value] = {
            "number": profile.table_number(kind),
            "title": profile.title(kind.value),
            "owner_line": f"编制单位：{model.unit.name}　　　　　　　　　　金额单位：万元",
            "rows": rows_for(kind, model, profile.variant, profile.rows.get(kind.value)),
            "note": lay.note,
            "empty_note": empty_note(kind, model),
        }
    return tables


def context(model: UnitAccounts, figures: Figures, narrative: Narrative | None, profile: Profile) -> dict:
    """Everything the template can use for one unit: the names of ``narrative.context`` plus the tables."""
    ctx = names_context(model, figures, profile.settings)
    phraser: Phraser = ctx[PHRASER]
    projects = []
    for i, p in enumerate(model.performance.projects, 1):
        comp = figures.completions.get(f"绩效项目{i}")
        rate = Paragraph.parse(phraser.pct(comp.rate)).text if comp and comp.rate else ""
        projects.append(
            [str(i), p.name, "" if p.score is None else f"{p.score.normalize():f}", money(p.budget), money(p.actual), rate, p.goals, p.problems, p.measures]
        )
    ctx["tables"] = table_context(model, profile)
    ctx["projects"] = projects
    return ctx


def jinja_env(profile: Profile | None = None) -> SandboxedEnvironment:
    """The one place the template environment is made: the bounded sandbox (templates may come
    from others: no include/extends, bounded loops, output and time), autoescaping ("&", "<" stay
    literal), with the phrasing filters."""
    env = bounded_environment(undefined=ChainableUndefined)
    env.filters.update(template_filters())
    env.globals.update(charts.JINJA_GLOBALS)  # {{ 图表('收入结构') }}: a marker, drawn at packaging (charts.with_charts)
    return env


# ---- linting -----------------------------------------------------------------------------------


def _line_texts(source: str) -> list[str]:
    """The text of each line of the prepared body: one line per Word paragraph."""
    return ["".join(unescape(t) for t in _TEXT.findall(line)) for line in source.split("\n")]


def _where(texts: list[str], lineno: int | None) -> str:
    if not lineno or lineno > len(texts):
        return "模板中"
    text = texts[lineno - 1].strip()
    return f"第{lineno - 1}段“{text[:60]}{'…' if len(text) > 60 else ''}”"


def lint(source: str, env: SandboxedEnvironment, profile: Profile | None, raw: str = "") -> tuple[list[str], nodes.Template | None]:
    """Problems of a prepared template body: split tags, syntax, unknown names and filters, tables.

    ``raw`` is the body as Word saved it: a tag cut across paragraphs is found there (docxtpl's
    clean-up would silently glue the paragraphs together). Returns the problems and the parsed
    template (compiled from that AST, so the template is parsed once)."""
    problems = []
    raw_texts = _line_texts(re.sub(r"<w:p([ >/])", r"\n<w:p\1", raw))
    for n, text in enumerate(raw_texts, 1):
        if text.count("{{") != text.count("}}") or text.count("{%") != text.count("%}"):
            problems.append(f"{_where(raw_texts, n)}：标记不完整（{{{{ 与 }}}}、{{% 与 %}} 要成对出现在同一段中）。")
    texts = _line_texts(source)
    for n, line in enumerate(source.split("\n"), 1):
        for tag in re.findall(r"{{(?:(?!}}).)*}}|{%(?:(?!%}).)*%}", line):
            if "<w:" in re.sub(r"'[^'<]*'|\"[^\"<]*\"|'[^']*'|\"[^\"]*\"", "", tag) and "</w:t>" in tag and "<w:t" in tag.split("</w:t>", 1)[1]:
                problems.append(f"{_where(texts, n)}：标记被 Word 拆成了几段不同格式的文字，请删掉整个标记后重新输入（不要中途改格式）。")
    if problems:
        return problems, None
    try:
        ast = env.parse(source)
    except TemplateSyntaxError as exc:
        return [f"{_where(texts, exc.lineno)}：模板语法错误（{exc.message}）。"], None
    except SecurityError as exc:  # the bounded sandbox refuses include/extends/import/autoescape
        return [f"{exc}"], None
    stored = {n.name for n in ast.find_all(nodes.Name) if n.ctx in ("store", "param")}
    stored |= {n.name for n in ast.find_all(nodes.Macro)}  # a macro defined in the template is a known name
    for node in ast.find_all(nodes.Filter):
        if node.name not in env.filters:
            problems.append(f"{_where(texts, node.lineno)}：未知的过滤器“{node.name}”（可用：{'、'.join(sorted(env.filters))}；见 juesuan fields）。")
    for node in ast.find_all(nodes.Test):
        if node.name not in env.tests:
            problems.append(f"{_where(texts, node.lineno)}：未知的判断“is {node.name}”。")
    for node in ast.find_all(nodes.Name):
        if node.ctx == "load" and node.name not in stored and not known_name(node.name):
            problems.append(f"{_where(texts, node.lineno)}：未知的名称“{node.name}”（可用的名称见 juesuan fields）。")
    if profile is not None:
        found = re.findall(r"for \w+ in tables\.(\w+)\.rows", source)
        for kind in profile.tables:
            if kind.value not in found:
                problems.append(
                    f"模板中没有 {profile.title(kind.value)} 的表格（行循环 {{%tr for r in tables.{kind.value}.rows %}}），而 profile.toml 的 tables 列出了它。"
                )
        listed = [k for k in found if k in {t.value for t in profile.tables}]
        if not problems and listed != [k.value for k in profile.tables]:
            problems.append(
                f"模板中表格的顺序（{'、'.join(listed)}）与 profile.toml 的 tables（{'、'.join(k.value for k in profile.tables)}）不一致，表号会错。"
            )
        unknown = [k for k in found if k not in TableKind.__members__]
        for k in unknown:
            problems.append(f"模板中的表格 tables.{k} 不是已知的表（可用：{'、'.join(TableKind.__members__)}）。")
    return problems, ast


def style_names(styles_xml: str) -> dict[str, str]:
    """styleId -> style name (Word may give a restyled template other ids)."""
    out = {}
    for m in re.finditer(r'<w:style [^>]*w:styleId="([^"]*)"[^>]*>.*?<w:name w:val="([^"]*)"', styles_xml, re.S):
        out[m.group(1)] = m.group(2)
    return out


class CompiledTemplate:
    """A Word template prepared once per process: docxtpl's tag clean-up, the lint and the
    Jinja compile are done here, not per document. Rendering is then one Jinja render, one
    pass over the paragraphs and one zip write.

    docxtpl's per-render post-processing is skipped on purpose: it re-parses the whole XML to
    widen tables for ``{%tc%}`` column loops and renumber pictures (neither is used in our
    templates) and converts \\n/\\t in text to Word breaks (our text never contains them).
    """

    def __init__(self, path: Path, env: SandboxedEnvironment, profile: Profile | None = None):
        self.path = path
        try:
            data = path.read_bytes()
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                self.entries = [(info.filename, zf.read(info.filename)) for info in zf.infolist()]
            document = dict(self.entries)["word/document.xml"].decode("utf-8")
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            check_template_file(path)  # its one clear line for a file that is not a usable .docx
            raise InputError(f"不是可用的 Word 模板（{exc}）。", file=str(path)) from None
        key = template_cache.entry_key(data, *_settings_key(profile))
        hit = template_cache.load(key)
        self.cached = hit is not None
        if hit is not None:  # prepared by an earlier process from the same bytes: no docxtpl, lint or compile
            meta, code = hit
            self.styles, self.problems = meta["styles"], meta["problems"]
        else:
            check_template_file(path)  # a template nobody checked yet: before docxtpl sees it
            code = self._prepare(path, env, profile)
            template_cache.store(key, {"styles": self.styles, "problems": self.problems}, code)
        self.template = None
        if code is not None and not self.problems:
            self.template = env.template_class.from_code(env, code, env.make_globals(None), None)
        start = document.index("<w:body")
        end = document.index("</w:body>") + len("</w:body>")
        self.head, self.tail = document[:start], document[end:]

    def _prepare(self, path: Path, env: SandboxedEnvironment, profile: Profile | None):
        """docxtpl's tag clean-up, the styles, the lint and the Jinja compile; the code, or None."""
        from docxtpl import DocxTemplate  # only when a template is prepared: a cached one needs none of it

        try:
            tpl = DocxTemplate(str(path))
            tpl.init_docx()
            raw = tpl.get_xml()
            body = tpl.patch_xml(raw)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise InputError(f"不是可用的 Word 模板（{exc}）。", file=str(path)) from None
        source = re.sub(r"<w:p([ >/])", r"\n<w:p\1", body)
        self.styles = style_names(dict(self.entries).get("word/styles.xml", b"").decode("utf-8"))
        missing = [s for s in REQUIRED_STYLES if s not in self.styles.values()]
        self.problems = [f"模板缺少段落样式“{s}”（请勿删除或改名样式 {'、'.join(REQUIRED_STYLES)}）。" for s in missing]
        problems, ast = lint(source, env, profile, raw)
        self.problems += problems
        if self.problems:
            return None
        try:
            return env.compile(ast)
        except TemplateError as exc:
            self.problems.append(f"模板无法编译（{exc}）。")
            return None

    def raise_problems(self) -> None:
        if self.problems:
            raise TemplateProblems(self.path, self.problems)

    def render_text(self, ctx: dict) -> Narrative:
        """The document's text for one unit (nothing is written): paragraphs, missing items, body."""
        self.raise_problems()
        if NUMBERING in ctx:
            ctx[NUMBERING].reset()  # each render numbers from 第一部分
        try:
            body = self.template.render(ctx)
        except InputError:
            raise
        except Exception as exc:  # a template may come from anyone: any failure in it is one clear error
            raise InputError(
                f"Word 模板有错误，无法生成（{exc.__class__.__name__}: {exc}）。请检查模板中的 {{{{ }}}} 和 {{% %}} 标记（juesuan template check）。",
                file=self.path.name,
            ) from None
        body = body.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>").replace("\n<w:p/", "<w:p/")  # one paragraph a line, joined again
        if "{_" in body or "_}" in body:  # two scans of the body instead of four, in the usual case of none
            body = body.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        return finish(body, self.styles, ctx)

    def package(self, narrative: Narrative, finish: Callable[[bytes, Member], Member] | None = None) -> bytes:
        """The .docx of a rendered narrative; its Word title property is the unit's title.

        ``finish(document_xml, styles)`` (printing.finish_document) rewrites the main part before
        the package is zipped: one zip write per document, not two."""
        document = (self.head + narrative.body + self.tail).encode("utf-8")
        title = escape(f"{narrative.title}{narrative.subtitle}", quote=False).encode("utf-8")

        def entry(name: str, data: bytes) -> bytes:
            if name == "word/document.xml":
                return document
            if name == "docProps/core.xml":
                return re.sub(rb"<dc:title>.*?</dc:title>", lambda _m: b"<dc:title>" + title + b"</dc:title>", data)  # no escapes in title
            return data

        entries = [(name, entry(name, data)) for name, data in self.entries]
        if charts.MARKER in narrative.body:  # only a template with a chart call draws (and imports matplotlib)
            entries = charts.with_charts(entries, narrative.figures)
        if finish is not None:
            parts = dict(entries)
            styles = member("word/styles.xml", parts["word/styles.xml"])  # deflated once: finish reads it, the zip takes it
            main = finish(parts["word/document.xml"], styles)
            done = {"word/document.xml": main, "word/styles.xml": styles}
            entries = [(name, done.get(name, data)) for name, data in entries]
        return zip_bytes(entries)

    def render(self, ctx: dict) -> bytes:
        return self.package(self.render_text(ctx))


class TemplateProblems(InputError):
    """A template that fails `template check`: every problem, one line each."""

    def __init__(self, path: Path, problems: list[str]):
        self.problems = problems
        super().__init__(f"Word 模板有错误，未生成文档（{len(problems)} 处）：\n" + "\n".join(problems), file=str(path))


def _highlight(run: str) -> str:
    """A run whose text holds 【待补充】 markers -> plain runs around highlighted ones."""
    m = re.match(r"(<w:r(?:\s[^>]*)?>(?:<w:rPr>.*?</w:rPr>)?)<w:t(?:\s[^>]*)?>([^<]*)</w:t>(.*)", run, re.S)
    if not m:
        return run
    start, text, rest = m.groups()
    out, last = [], 0
    for p in _PENDING.finditer(text):
        if p.start() > last:
            out.append(f'{start}<w:t xml:space="preserve">{text[last : p.start()]}</w:t></w:r>')
        out.append(HIGHLIGHT % p.group(0))
        last = p.end()
    tail = text[last:]
    out.append(f'{start}<w:t xml:space="preserve">{tail}</w:t>{rest}' if tail or rest != "</w:r>" else "")
    return "".join(out)


def _blocks(body: str, chunks: list[str]):
    """Yield each paragraph outside tables; everything else goes to ``chunks`` as is, in order.
    The caller appends each paragraph (changed or not) to ``chunks`` before asking for the next."""
    pos = 0
    while pos < len(body):
        t = body.find("<w:tbl>", pos)
        stop = len(body) if t < 0 else t
        last = pos
        for m in _BLOCK.finditer(body, pos, stop):
            chunks.append(body[last : m.start()])
            last = m.end()
            yield m.group(0)
        chunks.append(body[last:stop])
        if t < 0:
            break
        end = body.find("</w:tbl>", t) + len("</w:tbl>")
        chunks.append(body[t:end])  # tables (numbers only) are not narrative: kept as rendered
        pos = end


def finish(body: str, styles: dict[str, str], ctx: dict) -> Narrative:
    """Rendered body -> clean body and the narrative (paragraph texts with their figures)."""
    chunks: list[str] = []
    parts: list[Part] = []
    toc_at, toc_ppr, title, subtitle = None, "", "", ""
    path: list[str] = []
    count = 0
    for xml in _blocks(body, chunks):
        marked = "".join(_TEXT.findall(xml))
        if OPEN in marked or CLOSE in marked:
            xml = _MARKER.sub("", xml)
        if PENDING in marked:
            xml = _RUN_WITH_PENDING.sub(lambda r: _highlight(r.group(0)), xml)
        if charts.MARKER in marked:  # a chart paragraph: an image at packaging, not narrative text
            chunks.append(xml)
            continue
        style = _PSTYLE.search(xml)
        role = ROLES.get(styles.get(style.group(1), "") if style else "", "body")
        if TOC_MARK in marked:
            toc_at, toc_ppr = len(chunks), (_PPR.search(xml).group(0) if _PPR.search(xml) else "")
            chunks.append("")
            continue
        chunks.append(xml)
        if role in ("table", "toc") or not marked:
            continue
        p = Paragraph.parse(unescape(marked))
        if role == "title":
            title = p.text
            continue
        if role == "subtitle":
            subtitle = p.text
            continue
        if role == "part":
            if p.text.replace("　", "").replace(" ", "") == "目录":
                continue
            parts.append(Part(cn_part(len(parts) + 1), p.text))
            path, count = [], 0
            continue
        if not parts:
            continue
        p.style = role
        if role.startswith("h"):
            level = int(role[1])
            path = path[: level - 1] + [""] * (level - 1 - len(path)) + [_NUMBER.sub("", p.text)]
            count = 0
            p.key = ".".join([parts[-1].key, *path])
        else:
            count += 1
            p.key = ".".join([parts[-1].key, *path, str(count)])
        parts[-1].paragraphs.append(p)
    if toc_at is not None:
        lines = []
        for part in parts:
            lines.append(part.heading)
            lines.extend("　　" + p.text for p in part.paragraphs if p.style == "h1")
        chunks[toc_at] = "".join(f'<w:p>{toc_ppr}<w:r><w:t xml:space="preserve">{escape(line, quote=False)}</w:t></w:r></w:p>' for line in lines)
    phraser: Phraser = ctx[PHRASER]
    return Narrative(title=title, subtitle=subtitle, parts=parts, missing=list(phraser.missing), body="".join(chunks), figures=phraser.figures)


def cn_part(n: int) -> str:
    from .keys import cn_number

    return cn_number(n)


_COMPILED: dict[tuple, CompiledTemplate] = {}


def _settings_key(profile: Profile | None) -> tuple[str, ...]:
    """What of the profile the lint reads (its tables and titles): part of the cache key."""
    if profile is None:
        return ("",)
    return (profile.name, ",".join(k.value for k in profile.tables), repr(sorted(profile.titles.items())))


def compiled(profile: Profile) -> CompiledTemplate:
    """The profile's template, compiled once per process (keyed by file, size and mtime)."""
    path = profile.template
    try:
        stat = path.stat()
    except OSError:
        raise InputError("找不到 Word 模板。", file=str(path)) from None
    key = (str(path), stat.st_size, stat.st_mtime_ns, profile.name, tuple(profile.tables))
    if key not in _COMPILED:
        if stat.st_size > MAX_TEMPLATE_BYTES:
            check_template_file(path)  # the one clear line on size, before the file is read
        _COMPILED[key] = CompiledTemplate(path, jinja_env(profile), profile)
    return _COMPILED[key]


def check_template(profile: Profile) -> list[str]:
    """`juesuan template check`: every problem of the profile's template (empty: clean)."""
    return compiled(profile).problems


def render_text(model: UnitAccounts, figures: Figures, profile: Profile) -> Narrative:
    """The document's text (in memory): what `check` and `build` both need."""
    return compiled(profile).render_text(context(model, figures, None, profile))


def render_docx(profile: Profile, ctx: dict | Narrative, finish: Callable[[bytes, Member], Member] | None = None) -> bytes:
    """The .docx: of a context (render, then package) or of an already rendered narrative
    (``finish``: see CompiledTemplate.package)."""
    if isinstance(ctx, Narrative):
        return compiled(profile).package(ctx, finish)
    return compiled(profile).render(ctx)


def render_naive(template: Path, ctx: dict, env: SandboxedEnvironment) -> bytes:
    """The plain docxtpl way (load, render, save): the benchmark's baseline and a test oracle."""
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(template))
    tpl.render(ctx, jinja_env=env, autoescape=True)
    buffer = io.BytesIO()
    tpl.save(buffer)
    return normalize_zip(buffer.getvalue())
