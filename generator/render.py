"""Render: fills a profile's Word template with the narrative and tables, and saves it.

Two traps are handled here: docxtpl renders with autoescape off by default, which silently
cuts a paragraph at the first "&" or "<" of a cell's text — we render in a sandboxed Jinja
environment with autoescape on; and python-docx stamps every zip entry with the current
time — we rewrite the package with a fixed timestamp, so the same input gives the same
bytes. Writes are atomic: a temporary file in the target folder, then a rename.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from docxtpl import DocxTemplate, RichText
from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment

from .errors import InputError
from .files import normalize_zip, zip_bytes

from .figures import Figures
from .layouts import layout, money, rows_for
from .model import TableKind, UnitAccounts
from .narrative import Narrative
from .phrasing import PENDING, Paragraph, jinja_filters, Phraser
from .profiles import Profile
from .sandbox import bounded_environment, check_template_file

_PENDING = re.compile(re.escape(PENDING) + r"[^】]*】")
_XML_CONTROL = re.compile(r"[\x00-\x1f]")


def rich(paragraph: Paragraph) -> RichText:
    """A paragraph as RichText: 【待补充】 markers highlighted so nobody can miss them."""
    text = _XML_CONTROL.sub(" ", paragraph.text)
    rt = RichText()
    last = 0
    for m in _PENDING.finditer(text):
        if m.start() > last:
            rt.add(text[last : m.start()])
        # a real Word highlight (docxtpl's "highlight" is cell shading, invisible to python-docx)
        rt.xml += '<w:r><w:rPr><w:b/><w:highlight w:val="yellow"/></w:rPr><w:t xml:space="preserve">%s</w:t></w:r>' % escape(m.group(0))
        last = m.end()
    if last < len(text) or not text:
        rt.add(text[last:])
    return rt


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
            "rows": rows_for(kind, model, profile.variant),
            "note": lay.note,
            "empty_note": empty_note(kind, model),
        }
    return tables


def context(model: UnitAccounts, figures: Figures, narrative: Narrative, profile: Profile) -> dict:
    toc = []
    for part in narrative.parts:
        toc.append(part.heading)
        toc.extend("　　" + p.text for p in part.paragraphs if p.style == "h1")
    parts = [
        {"key": part.key, "heading": part.heading, "paragraphs": [{"style": p.style, "rich": rich(p)} for p in part.paragraphs]}
        for part in narrative.parts
    ]
    projects = []
    for i, p in enumerate(model.performance.projects, 1):
        comp = figures.completions.get(f"绩效项目{i}")
        rate = Phraser(figures, profile.settings).pct(comp.rate) if comp and comp.rate else ""
        projects.append([str(i), p.name, "" if p.score is None else f"{p.score.normalize():f}", money(p.budget), money(p.actual), Paragraph.parse(rate).text, p.goals])
    return {
        "title": narrative.title,
        "subtitle": narrative.subtitle,
        "toc": toc,
        "parts": parts,
        "tables": table_context(model, profile),
        "projects": projects,
        "projects_title": f"{model.unit.year}年度项目支出绩效自评结果表",
    }


def jinja_env(profile: Profile) -> SandboxedEnvironment:
    """Sandboxed (templates may come from others) and autoescaping ("&", "<" stay literal)."""
    env = bounded_environment()
    env.filters.update(jinja_filters(profile.settings))
    return env


class CompiledTemplate:
    """A Word template prepared once: docxtpl's tag clean-up and the Jinja compile are done
    here, not per document. Rendering is then one Jinja render and one zip write.

    docxtpl's per-render post-processing is skipped on purpose: it re-parses the whole XML to
    widen tables for ``{%tc%}`` column loops and renumber pictures (neither is used in our
    templates) and converts \\n/\\t in text to Word breaks (our text never contains them:
    ``rich`` turns them into spaces).
    """

    def __init__(self, path: Path, env: SandboxedEnvironment):
        tpl = DocxTemplate(str(path))
        tpl.init_docx()
        body = tpl.patch_xml(tpl.get_xml())
        body = re.sub(r"<w:p([ >])", r"\n<w:p\1", body)
        self.template = env.from_string(body)
        with zipfile.ZipFile(path) as zf:
            self.entries = [(info.filename, zf.read(info.filename)) for info in zf.infolist()]
        document = dict(self.entries)["word/document.xml"].decode("utf-8")
        start = document.index("<w:body")
        end = document.index("</w:body>") + len("</w:body>")
        self.head, self.tail = document[:start], document[end:]

    def render(self, ctx: dict) -> bytes:
        """The document for one unit; its Word title property is the unit's title."""
        body = self.template.render(ctx)
        body = re.sub(r"\n<w:p([ >])", r"<w:p\1", body)
        body = body.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        document = (self.head + body + self.tail).encode("utf-8")
        title = escape(f"{ctx.get('title', '')}{ctx.get('subtitle', '')}").encode("utf-8")

        def entry(name: str, data: bytes) -> bytes:
            if name == "word/document.xml":
                return document
            if name == "docProps/core.xml":
                return re.sub(rb"<dc:title>.*?</dc:title>", lambda _m: b"<dc:title>" + title + b"</dc:title>", data)  # no escapes in title
            return data

        return zip_bytes((name, entry(name, data)) for name, data in self.entries)


_COMPILED: dict[tuple, CompiledTemplate] = {}


def compiled(profile: Profile) -> CompiledTemplate:
    """The profile's template, compiled once per process (keyed by file, size and mtime)."""
    path = profile.template
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns, profile.name)
    if key not in _COMPILED:
        check_template_file(path)
        _COMPILED[key] = CompiledTemplate(path, jinja_env(profile))
    return _COMPILED[key]


def render_docx(profile: Profile, ctx: dict) -> bytes:
    """Render; a broken or unsafe user template is one clear line, not a traceback."""
    try:
        return compiled(profile).render(ctx)
    except (TemplateError, KeyError, ValueError) as exc:
        raise InputError(f"Word 模板有错误，无法生成（{exc.__class__.__name__}: {exc}）。请检查模板中的 {{{{ }}}} 和 {{% %}} 标记。", file=profile.template.name) from None


def render_naive(template: Path, ctx: dict, env: SandboxedEnvironment) -> bytes:
    """The plain docxtpl way (load, render, save): the benchmark's baseline and a test oracle."""
    tpl = DocxTemplate(str(template))
    tpl.render(ctx, jinja_env=env, autoescape=True)
    buffer = io.BytesIO()
    tpl.save(buffer)
    return normalize_zip(buffer.getvalue())
